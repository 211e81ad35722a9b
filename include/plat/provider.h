/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device providers: the drivers behind plat/block.h and plat/net.h.
 *
 * Several drivers may serve disks and NICs on one machine (virtio-blk and
 * virtio-net on pc, storvsc and netvsc on a Viridian partition). Each
 * registers one provider with the registry (shim/platform/common/); the
 * generic plat_blk_* and plat_net_* calls map a global disk or NIC index to
 * (provider, local index): providers are numbered in registration order, and
 * a provider's devices take consecutive global indices after those of the
 * providers registered before it. blkback and netback only see the global
 * indices.
 *
 * Rules for providers:
 *  - register once, at boot (plat_devices_init, interrupts off), before any
 *    plat_blk_ or plat_net_ call; registration never fails silently: it
 *    returns -XEN_ENOSPC when the table is full;
 *  - count() may grow while the provider is probing (virtio adds one disk at
 *    a time) but only before a later provider registers: a provider that is
 *    not the last one registered must not change its count, or the global
 *    indices of the providers after it would move. plat_devices_init probes
 *    one driver completely before the next.
 *  - every op gets the provider's ctx and a local index already checked
 *    against count() (info, submit, tx, set_rx); the contract of each op is
 *    that of the plat_* call it serves (plat/block.h, plat/net.h).
 */
#ifndef PLAT_PROVIDER_H
#define PLAT_PROVIDER_H

#include <plat/block.h>
#include <plat/net.h>

#define PLAT_MAX_BLK_PROVIDERS  4
#define PLAT_MAX_NET_PROVIDERS  4
/* Upper bound of NICs over every provider (receive callback table). */
#define PLAT_MAX_NICS           16

struct plat_blk_provider {
    const char *name;
    unsigned int (*count)(void *ctx);
    const struct plat_blk_info *(*info)(void *ctx, unsigned int idx);
    int (*submit)(void *ctx, unsigned int idx, struct plat_blk_req *req);
    unsigned int (*poll)(void *ctx);
};

struct plat_net_provider {
    const char *name;
    unsigned int (*count)(void *ctx);
    const struct plat_net_info *(*info)(void *ctx, unsigned int idx);
    int (*tx)(void *ctx, unsigned int idx, struct plat_net_tx_req *req);
    /*
     * fn receives the provider's local index; the registry hands the
     * provider a trampoline that turns it into the global one.
     */
    int (*set_rx)(void *ctx, unsigned int idx, plat_net_rx_fn fn, void *opaque);
    unsigned int (*poll)(void *ctx);
};

/* Add a provider (ops static, ctx its state). 0 or -XEN_ENOSPC. */
int plat_blk_register(const struct plat_blk_provider *ops, void *ctx);
int plat_net_register(const struct plat_net_provider *ops, void *ctx);

#endif
