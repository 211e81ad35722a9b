// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op and the legacy sched_op_compat. One vCPU per machine CPU, so
 * yield has nothing to yield to, and blocking waits for an interrupt that
 * makes an event deliverable (include/shim/sched.h).
 */
#include <shim/domain.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/sched.h>

static long shutdown(unsigned int reason)
{
    if (reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    domain_shutdown(reason);
}

long do_sched_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    switch (a[0]) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        /* Xen unmasks event delivery, then blocks unless something is pending. */
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;

        if (copy_from_guest(&s, a[1], sizeof(s)))
            return -XEN_EFAULT;
        return shutdown(s.reason);
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;

        if (copy_from_guest(&s, a[1], sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        v->domain->shutdown_code = s.reason;
        return 0;
    }
    case SCHEDOP_poll: {
        struct sched_poll p;

        if (copy_from_guest(&p, a[1], sizeof(p)))
            return -XEN_EFAULT;
        return sched_poll(v, &p);
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_sched_op_compat(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    switch (a[0]) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown:
        return shutdown(a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
