// SPDX-License-Identifier: GPL-2.0-only
/*
 * Blocking. The vCPU owns its machine CPU, so "blocking" is halting it with
 * interrupts on (and the shim lock dropped) until the timer, a device or a
 * kick from another CPU has made an event deliverable. Interrupt handlers
 * only mark events pending; the check happens here, with interrupts off and
 * the lock held again.
 */
#include <arch/smp.h>
#include <arch/x86.h>
#include <shim/evtchn.h>
#include <shim/guest-access.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/sched.h>
#include <shim/time.h>

void vcpu_block(struct vcpu *v)
{
    runstate_change(v, RUNSTATE_blocked);
    while (!READ_ONCE(v->vcpu_info->evtchn_upcall_pending)) {
        if (!time_vcpu_has_timer(v))
            log_warn("vcpu%u blocks with no timer armed and no event pending\n", v->id);
        shim_wait_for_interrupt();
    }
    runstate_change(v, RUNSTATE_running);
}

long sched_poll(struct vcpu *v, const struct sched_poll *p)
{
    evtchn_port_t ports[128];
    uint64_t deadline = p->timeout;

    if (p->nr_ports > ARRAY_SIZE(ports))
        return -XEN_EINVAL;
    if (copy_from_guest(ports, guest_handle(p->ports), p->nr_ports * sizeof(ports[0])))
        return -XEN_EFAULT;
    for (unsigned int i = 0; i < p->nr_ports; i++)
        if (ports[i] >= NR_EVTCHN_PORTS)
            return -XEN_EINVAL;

    runstate_change(v, RUNSTATE_blocked);
    v->polling = true;
    for (;;) {
        /* Wake on a pending port (masked or not) or a deliverable upcall. */
        if (v->vcpu_info->evtchn_upcall_pending && !v->vcpu_info->evtchn_upcall_mask)
            break;
        bool hit = false;
        for (unsigned int i = 0; i < p->nr_ports && !hit; i++)
            hit = evtchn_is_pending(v->domain, ports[i]);
        if (hit || (deadline && time_now_ns() >= deadline))
            break;
        if (deadline)
            time_arm_wakeup(v, deadline);
        shim_wait_for_interrupt();
    }
    v->polling = false;
    if (deadline)
        time_arm_wakeup(v, 0);
    runstate_change(v, RUNSTATE_running);
    return 0;
}
