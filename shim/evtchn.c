// SPDX-License-Identifier: GPL-2.0-only
/*
 * 2-level event channel core, following Xen's evtchn_2l_set_pending: set the
 * pending bit; if it was clear and the port is unmasked, set the word's bit
 * in the notify vCPU's selector and, if that was clear, its upcall flag.
 * The guest reads and clears these words concurrently from its other vCPUs,
 * so every update is an atomic RMW. A vCPU on another CPU is kicked so it
 * sees the upcall at once (Xen's vcpu_mark_events_pending + vcpu_kick), and
 * vCPUs blocked in SCHEDOP_poll are woken by any newly pending port, masked
 * or not (Xen's evtchn_check_pollers).
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <shim/evtchn.h>
#include <shim/log.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
    xen_ulong_t m = (xen_ulong_t)1 << bit;

    return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const xen_ulong_t *w, unsigned int bit)
{
    return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> bit) & 1;
}

int evtchn_alloc(struct domain *d)
{
    for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++)
        if (d->evtchn[p].state == ECS_FREE)
            return (int)p;
    return -XEN_ENOSPC;
}

static void kick(struct vcpu *v)
{
    if (v != current)
        smp_kick_cpu(v->id);
}

static void raise_upcall(struct domain *d, evtchn_port_t port)
{
    struct vcpu *v = &d->vcpus[d->evtchn[port].notify_vcpu];
    struct vcpu_info *vi = v->vcpu_info;

    if (!test_and_set(&vi->evtchn_pending_sel, port / BITS_PER_WORD)) {
        __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
        kick(v);
    }
}

static void wake_pollers(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i].polling)
            kick(&d->vcpus[i]);
}

void evtchn_set_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

    if (port == 0 || port >= NR_EVTCHN_PORTS)
        return;
    if (test_and_set(&s->evtchn_pending[w], b))
        return;
    wake_pollers(d);
    if (test_bit(&s->evtchn_mask[w], b))
        return;
    raise_upcall(d, port);
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port = virq < NR_VIRQS ? v->virq_to_port[virq] : 0;

    if (port)
        evtchn_set_pending(v->domain, port);
}

bool evtchn_is_pending(const struct domain *d, evtchn_port_t port)
{
    if (port == 0 || port >= NR_EVTCHN_PORTS)
        return false;
    return test_bit(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                    port % BITS_PER_WORD);
}

void evtchn_clear_pending(struct domain *d, evtchn_port_t port)
{
    if (port == 0 || port >= NR_EVTCHN_PORTS)
        return;
    __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                       ~((xen_ulong_t)1 << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

void evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

    __atomic_fetch_and(&s->evtchn_mask[w], ~((xen_ulong_t)1 << b), __ATOMIC_SEQ_CST);
    if (test_bit(&s->evtchn_pending[w], b))
        raise_upcall(d, port);
}

int evtchn_alloc_backend_port(struct domain *d, enum evtchn_backend backend)
{
    int port = evtchn_alloc(d);

    if (port < 0)
        return port;
    d->evtchn[port].state = ECS_INTERDOMAIN;
    d->evtchn[port].backend = backend;
    d->evtchn[port].notify_vcpu = 0;
    return port;
}
