// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest time. System time is derived from the TSC with the same mul/shift
 * the guest is given, so the shim's deadlines and the guest's clock agree
 * to the nanosecond (formula: contract section 4, Linux pvclock.h). Each
 * CPU's platform timer is armed for the earliest deadline of its own vCPU
 * (CPU 0 also polls console input); a change to another vCPU's timers
 * kicks that vCPU's CPU, which re-arms its timer (time_reprogram_local).
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/evtchn.h>
#include <shim/guest-access.h>
#include <shim/lib.h>
#include <shim/pvconsole.h>
#include <shim/log.h>
#include <shim/time.h>

static uint32_t tsc_mul;
static int8_t tsc_shift;
static uint64_t tsc_base;
static uint64_t console_poll_next;  /* next look for console input (CPU 0) */

static void timers_changed(struct vcpu *v);

void pvclock_scale_from_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
    uint64_t scaled = tsc_hz;
    int s = 0;

    /* Bring the rate into (1 GHz, 2 GHz] so that mul = 2^32 * 1e9 / rate < 2^32. */
    while (scaled > 2000000000ULL) {
        scaled >>= 1;
        s--;
    }
    while (scaled <= 1000000000ULL) {
        scaled <<= 1;
        s++;
    }
    *mul = (uint32_t)((1000000000ULL << 32) / scaled);
    *shift = (int8_t)s;
}

uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t time_now_ns(void)
{
    return pvclock_scale_delta(rdtsc() - tsc_base, tsc_mul, tsc_shift);
}

void time_update_vcpu(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc = rdtsc();

    t->version |= 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* odd version before the fields */
    t->tsc_timestamp = tsc;
    t->system_time = pvclock_scale_delta(tsc - tsc_base, tsc_mul, tsc_shift);
    t->tsc_to_system_mul = tsc_mul;
    t->tsc_shift = tsc_shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* fields before the even version */
    t->version++;
    /* The vDSO's copy (VCPUOP_register_vcpu_time_memory_area), best effort. */
    if (v->time_area_gva)
        (void)copy_to_guest(v->time_area_gva, t, sizeof(*t));
}

void runstate_change(struct vcpu *v, int new_state)
{
    uint64_t now = time_now_ns();

    v->runstate.time[v->runstate.state] += now - v->runstate.state_entry_time;
    v->runstate.state = new_state;
    v->runstate.state_entry_time = now;
    runstate_publish(v);
}

void runstate_publish(struct vcpu *v)
{
    /* The area is a guest VA; a fault just skips this update, as on Xen. */
    if (v->runstate_gva)
        (void)copy_to_guest(v->runstate_gva, &v->runstate, sizeof(v->runstate));
}

void time_init_domain(struct domain *d)
{
    struct shared_info *s = d->shared_info;

    pvclock_scale_from_hz(plat_tsc_hz(), &tsc_mul, &tsc_shift);
    tsc_base = plat_tsc_at_boot();
    /* Wall clock at system time 0: the RTC reading taken at that moment. */
    s->wc_version = 1;
    s->wc_sec = (uint32_t)plat_boot_wallclock_sec();
    s->wc_sec_hi = (uint32_t)(plat_boot_wallclock_sec() >> 32);
    s->wc_nsec = 0;
    s->wc_version = 2;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        time_update_vcpu(&d->vcpus[i]);
    console_poll_next = time_now_ns() + PVCONSOLE_POLL_NS;
    time_reprogram_local();
}

/* The vCPU pinned to this CPU, if the domain has one for it. */
static struct vcpu *local_vcpu(void)
{
    unsigned int cpu = this_cpu()->cpu_id;

    return cpu < the_domain.nr_vcpus ? &the_domain.vcpus[cpu] : NULL;
}

void time_reprogram_local(void)
{
    struct vcpu *v = local_vcpu();
    uint64_t next = 0;

    if (v && !v->down) {
        if (v->singleshot_deadline)
            next = v->singleshot_deadline;
        if (v->periodic_period && (!next || v->periodic_next < next))
            next = v->periodic_next;
    }
    if (v && v->wakeup_deadline && (!next || v->wakeup_deadline < next))
        next = v->wakeup_deadline;
    if (this_cpu()->cpu_id == 0 && (!next || console_poll_next < next))
        next = console_poll_next;
    /* The platform timer counts in its own ns; both start at tsc_base. */
    plat_timer_set(next);
}

static void timers_changed(struct vcpu *v)
{
    if (v == local_vcpu())
        time_reprogram_local();
    else
        smp_kick_cpu(v->id);
}

void time_interrupt(void)
{
    struct vcpu *v = local_vcpu();
    uint64_t now = time_now_ns();
    bool fire = false;

    if (!v) {
        time_reprogram_local();
        return;
    }
    if (v->singleshot_deadline && now >= v->singleshot_deadline) {
        v->singleshot_deadline = 0;
        fire = true;
    }
    if (v->periodic_period && now >= v->periodic_next) {
        fire = true;
        while (v->periodic_next <= now)
            v->periodic_next += v->periodic_period;
    }
    if (v->wakeup_deadline && now >= v->wakeup_deadline)
        v->wakeup_deadline = 0;
    if (this_cpu()->cpu_id == 0 && now >= console_poll_next) {
        pvconsole_poll_input(v->domain);
        console_poll_next = now + PVCONSOLE_POLL_NS;
    }
    if (fire && !v->down) {
        time_update_vcpu(v);
        evtchn_send_virq(v, VIRQ_TIMER);
    }
    time_reprogram_local();
}

void time_set_singleshot(struct vcpu *v, uint64_t deadline_ns)
{
    v->singleshot_deadline = deadline_ns;
    if (deadline_ns && deadline_ns <= time_now_ns()) {
        /* Already past: Xen fires at once. */
        v->singleshot_deadline = 0;
        evtchn_send_virq(v, VIRQ_TIMER);
    }
    timers_changed(v);
}

void time_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    v->periodic_period = period_ns;
    v->periodic_next = period_ns ? time_now_ns() + period_ns : 0;
    timers_changed(v);
}

void time_arm_wakeup(struct vcpu *v, uint64_t deadline_ns)
{
    v->wakeup_deadline = deadline_ns;
    timers_changed(v);
}

bool time_vcpu_has_timer(const struct vcpu *v)
{
    return v->singleshot_deadline || v->periodic_period || v->wakeup_deadline;
}
