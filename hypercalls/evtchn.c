// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_channel_op (and the legacy event_channel_op_compat wrapper). The
 * guest's remote ends are backends inside the shim, so an interdomain or
 * unbound port here is one whose other side the shim serves. Sub-op
 * semantics and errors follow xen/common/event_channel.c. FIFO sub-ops
 * answer -ENOSYS, which makes Linux use the 2-level ABI (contract 5.2).
 */
#include <shim/evtchn.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>

static bool port_valid(const struct domain *d, evtchn_port_t p)
{
    return p > 0 && p < NR_EVTCHN_PORTS && d->evtchn[p].state != ECS_FREE;
}

static long bind_virq(struct vcpu *v, struct evtchn_bind_virq *op)
{
    struct domain *d = v->domain;
    int port;

    if (op->virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (op->vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    if (d->vcpus[op->vcpu].virq_to_port[op->virq])
        return -XEN_EEXIST;
    port = evtchn_alloc(d);
    if (port < 0)
        return port;
    d->evtchn[port] = (struct evtchn){ .state = ECS_VIRQ, .virq = op->virq,
                                       .notify_vcpu = op->vcpu };
    d->vcpus[op->vcpu].virq_to_port[op->virq] = port;
    op->port = port;
    return 0;
}

static long evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    c = &d->evtchn[port];
    if (c->state == ECS_VIRQ)
        d->vcpus[c->notify_vcpu].virq_to_port[c->virq] = 0;
    memset(c, 0, sizeof(*c));
    /*
     * As Xen's evtchn_close: a port closed while pending must not come back
     * pending when it is bound again. Linux rebinding a CPU's IPI ports on
     * CPU online hits exactly that (the masked spinlock-kick port pending
     * from before the CPU went offline: BUG in xen/spinlock.c dummy_handler).
     */
    evtchn_clear_pending(d, port);
    return 0;
}

static long evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    c = &d->evtchn[port];
    switch (c->state) {
    case ECS_INTERDOMAIN:
        backend_notify(d, c->backend, c->backend_idx);
        return 0;
    case ECS_IPI:
        evtchn_set_pending(d, port);
        return 0;
    case ECS_UNBOUND:
        return 0;           /* nobody listens yet: dropped, as on Xen */
    default:
        return -XEN_EINVAL;
    }
}

static long evtchn_status(struct domain *d, struct evtchn_status *st)
{
    struct evtchn *c;

    if (st->dom != DOMID_SELF && st->dom != d->domid)
        return -XEN_ESRCH;
    if (st->port >= NR_EVTCHN_PORTS)
        return -XEN_EINVAL;
    c = &d->evtchn[st->port];
    st->status = c->state;
    st->vcpu = c->notify_vcpu;
    memset(&st->u, 0, sizeof(st->u));
    if (c->state == ECS_VIRQ)
        st->u.virq = c->virq;
    else if (c->state == ECS_INTERDOMAIN)
        st->u.interdomain.dom = 0;
    return 0;
}

static long evtchn_op(unsigned int cmd, guest_va_t arg)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    union {
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_send send;
        struct evtchn_close close;
        struct evtchn_unmask unmask;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
    } u;
    size_t size;
    long rc;
    int port;

    switch (cmd) {
    case EVTCHNOP_bind_virq:     size = sizeof(u.bind_virq); break;
    case EVTCHNOP_bind_ipi:      size = sizeof(u.bind_ipi); break;
    case EVTCHNOP_alloc_unbound: size = sizeof(u.alloc_unbound); break;
    case EVTCHNOP_send:          size = sizeof(u.send); break;
    case EVTCHNOP_close:         size = sizeof(u.close); break;
    case EVTCHNOP_unmask:        size = sizeof(u.unmask); break;
    case EVTCHNOP_status:        size = sizeof(u.status); break;
    case EVTCHNOP_bind_vcpu:     size = sizeof(u.bind_vcpu); break;
    default:
        return -XEN_ENOSYS;     /* FIFO, reset, interdomain binds, pirqs */
    }
    if (copy_from_guest(&u, arg, size))
        return -XEN_EFAULT;

    switch (cmd) {
    case EVTCHNOP_bind_virq:
        rc = bind_virq(v, &u.bind_virq);
        break;
    case EVTCHNOP_bind_ipi:
        if (u.bind_ipi.vcpu >= d->nr_vcpus)
            return -XEN_ENOENT;
        port = evtchn_alloc(d);
        if (port < 0)
            return port;
        d->evtchn[port] = (struct evtchn){ .state = ECS_IPI,
                                           .notify_vcpu = u.bind_ipi.vcpu };
        u.bind_ipi.port = port;
        rc = 0;
        break;
    case EVTCHNOP_alloc_unbound:
        if (u.alloc_unbound.dom != DOMID_SELF && u.alloc_unbound.dom != d->domid)
            return -XEN_EPERM;
        port = evtchn_alloc(d);
        if (port < 0)
            return port;
        d->evtchn[port] = (struct evtchn){ .state = ECS_UNBOUND };
        u.alloc_unbound.port = port;
        rc = 0;
        break;
    case EVTCHNOP_send:
        return evtchn_send(d, u.send.port);
    case EVTCHNOP_close:
        return evtchn_close(d, u.close.port);
    case EVTCHNOP_unmask:
        /* Port 0 is valid (ECS_RESERVED) in Xen, so unmasking it succeeds. */
        if (u.unmask.port != 0 && !port_valid(d, u.unmask.port))
            return -XEN_EINVAL;
        evtchn_unmask(d, u.unmask.port);
        return 0;
    case EVTCHNOP_status:
        rc = evtchn_status(d, &u.status);
        break;
    case EVTCHNOP_bind_vcpu: {
        struct evtchn *c;

        if (!port_valid(d, u.bind_vcpu.port))
            return -XEN_EINVAL;
        if (u.bind_vcpu.vcpu >= d->nr_vcpus)
            return -XEN_ENOENT;
        c = &d->evtchn[u.bind_vcpu.port];
        /* Per-vCPU VIRQs and IPIs stay where they were bound. */
        if (c->state == ECS_VIRQ || c->state == ECS_IPI)
            return -XEN_EINVAL;
        c->notify_vcpu = u.bind_vcpu.vcpu;
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
    if (rc == 0 && copy_to_guest(arg, &u, size))
        return -XEN_EFAULT;
    return rc;
}

long do_event_channel_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    return evtchn_op((unsigned int)a[0], a[1]);
}

long do_event_channel_op_compat(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    /* struct evtchn_op { uint32_t cmd; union u; }: the union follows cmd. */
    uint32_t cmd;

    if (get_guest(cmd, a[0]))
        return -XEN_EFAULT;
    return evtchn_op(cmd, a[0] + offsetof(struct evtchn_op, u));
}
