// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic network calls (plat/net.h) over the registered network
 * providers (plat/provider.h): a global NIC index is the position among the
 * NICs of every provider, in registration order. Providers call a receive
 * callback with their local index; the registry gives them a trampoline
 * per NIC that restores the global index before calling netback's.
 *
 * Concurrency: the provider table is written at boot only. rx_slots[i] is
 * written by plat_net_set_rx (shim context, interrupts off) and read by the
 * trampoline (the provider's interrupt handler or plat_net_poll), which
 * cannot run at the same time on one CPU.
 */
#include <plat/provider.h>
#include <xen/errno.h>

static struct {
    const struct plat_net_provider *ops;
    void *ctx;
} net_providers[PLAT_MAX_NET_PROVIDERS];
static unsigned int nr_net_providers;

/* The receive callback of each global NIC, as netback registered it. */
static struct net_rx_slot {
    plat_net_rx_fn fn;
    void *opaque;
    unsigned int global;
} rx_slots[PLAT_MAX_NICS];

int plat_net_register(const struct plat_net_provider *ops, void *ctx)
{
    if (nr_net_providers == PLAT_MAX_NET_PROVIDERS)
        return -XEN_ENOSPC;
    net_providers[nr_net_providers].ops = ops;
    net_providers[nr_net_providers].ctx = ctx;
    nr_net_providers++;
    return 0;
}

/* The provider slot serving global NIC *idx; *idx becomes its local index. */
static int net_lookup(unsigned int *idx)
{
    unsigned int left = *idx;

    for (unsigned int p = 0; p < nr_net_providers; p++) {
        unsigned int n = net_providers[p].ops->count(net_providers[p].ctx);

        if (left < n) {
            *idx = left;
            return (int)p;
        }
        left -= n;
    }
    return -1;
}

unsigned int plat_net_count(void)
{
    unsigned int n = 0;

    for (unsigned int p = 0; p < nr_net_providers; p++)
        n += net_providers[p].ops->count(net_providers[p].ctx);
    return n;
}

const struct plat_net_info *plat_net_info(unsigned int idx)
{
    int p = net_lookup(&idx);

    return p < 0 ? NULL : net_providers[p].ops->info(net_providers[p].ctx, idx);
}

int plat_net_tx(unsigned int idx, struct plat_net_tx_req *req)
{
    int p = net_lookup(&idx);

    return p < 0 ? -XEN_ENODEV : net_providers[p].ops->tx(net_providers[p].ctx, idx, req);
}

static void net_rx_trampoline(void *opaque, unsigned int local, const void *data,
                              uint32_t len, const struct plat_net_rx_meta *meta)
{
    const struct net_rx_slot *s = opaque;

    (void)local;
    if (s->fn)
        s->fn(s->opaque, s->global, data, len, meta);
}

int plat_net_set_rx(unsigned int idx, plat_net_rx_fn fn, void *opaque)
{
    unsigned int global = idx;
    struct net_rx_slot *s;
    int p = net_lookup(&idx);

    if (p < 0 || global >= PLAT_MAX_NICS)
        return -XEN_ENODEV;
    s = &rx_slots[global];
    s->fn = fn;
    s->opaque = opaque;
    s->global = global;
    return net_providers[p].ops->set_rx(net_providers[p].ctx, idx,
                                        fn ? net_rx_trampoline : NULL, fn ? s : NULL);
}

unsigned int plat_net_poll(void)
{
    unsigned int n = 0;

    for (unsigned int p = 0; p < nr_net_providers; p++)
        n += net_providers[p].ops->poll(net_providers[p].ctx);
    return n;
}
