// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU up/down. vCPU n belongs to CPU n; a hypercall on any CPU only flips
 * the state and kicks CPU n, which starts the vCPU (vcpu_cpu_idle) or parks
 * it on its way back to the guest (vcpu_park_while_down). A vCPU that took
 * itself down returns from that VCPUOP_down with 0 once it is brought up
 * again, which is what Linux's xen_pv_play_dead expects.
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/traps.h>
#include <arch/x86.h>
#include <shim/log.h>
#include <shim/time.h>
#include <shim/vcpu.h>

/* Xen's default for every new PV vCPU (pv/domain.c); Linux stops it. */
#define DEFAULT_PERIODIC_NS 10000000ULL

void domain_init_vcpus(struct domain *d, unsigned int n)
{
    const struct vcpu *boot = &d->vcpus[0];

    if (n < 1 || n > MAX_VCPUS || n > XEN_LEGACY_MAX_VCPUS)
        panic("%u vCPUs: the shim supports 1 to %u\n", n, MAX_VCPUS);
    d->nr_vcpus = n;
    for (unsigned int i = 1; i < n; i++) {
        struct vcpu *v = &d->vcpus[i];

        v->domain = d;
        v->id = i;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        v->down = true;
        v->kernel_mode = true;
        v->cr4_virtual = boot->cr4_virtual;
        v->runstate.state = RUNSTATE_offline;
        v->periodic_period = DEFAULT_PERIODIC_NS;
    }
}

long vcpu_up(struct vcpu *v)
{
    if (!v->initialised)
        return -XEN_EINVAL;
    if (v->down) {
        v->down = false;
        /* Xen's default periodic tick runs from when the vCPU first runs. */
        if (v->periodic_period && !v->periodic_next)
            v->periodic_next = time_now_ns() + v->periodic_period;
        smp_kick_cpu(v->id);
    }
    return 0;
}

long vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool others_up = false;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (i != v->id && !d->vcpus[i].down)
            others_up = true;
    if (!others_up)
        domain_shutdown(SHUTDOWN_poweroff);     /* as Xen: the last vCPU */
    v->down = true;
    smp_kick_cpu(v->id);    /* a remote vCPU parks at its next exit */
    return 0;
}

void vcpu_park_while_down(struct vcpu *v)
{
    runstate_change(v, RUNSTATE_offline);
    time_reprogram_local();
    while (v->down)
        shim_wait_for_interrupt();
    runstate_change(v, RUNSTATE_running);
    time_update_vcpu(v);
    time_reprogram_local();
}

void vcpu_cpu_idle(unsigned int cpu)
{
    struct domain *d = &the_domain;

    shim_lock();
    while (cpu >= d->nr_vcpus || !d->vcpus[cpu].initialised || d->vcpus[cpu].down)
        shim_wait_for_interrupt();
    arch_enter_guest(&d->vcpus[cpu]);
}
