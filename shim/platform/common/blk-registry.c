// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic block calls (plat/block.h) over the registered block
 * providers (plat/provider.h): a global disk index is the position among
 * the disks of every provider, in registration order.
 *
 * Concurrency: the table is written at boot only (plat_devices_init,
 * interrupts off, before any disk is used) and read afterwards.
 */
#include <plat/provider.h>
#include <xen/errno.h>

static struct {
    const struct plat_blk_provider *ops;
    void *ctx;
} blk_providers[PLAT_MAX_BLK_PROVIDERS];
static unsigned int nr_blk_providers;

int plat_blk_register(const struct plat_blk_provider *ops, void *ctx)
{
    if (nr_blk_providers == PLAT_MAX_BLK_PROVIDERS)
        return -XEN_ENOSPC;
    blk_providers[nr_blk_providers].ops = ops;
    blk_providers[nr_blk_providers].ctx = ctx;
    nr_blk_providers++;
    return 0;
}

/* The provider slot serving global disk *idx; *idx becomes its local index. */
static int blk_lookup(unsigned int *idx)
{
    unsigned int left = *idx;

    for (unsigned int p = 0; p < nr_blk_providers; p++) {
        unsigned int n = blk_providers[p].ops->count(blk_providers[p].ctx);

        if (left < n) {
            *idx = left;
            return (int)p;
        }
        left -= n;
    }
    return -1;
}

unsigned int plat_blk_count(void)
{
    unsigned int n = 0;

    for (unsigned int p = 0; p < nr_blk_providers; p++)
        n += blk_providers[p].ops->count(blk_providers[p].ctx);
    return n;
}

const struct plat_blk_info *plat_blk_info(unsigned int idx)
{
    int p = blk_lookup(&idx);

    return p < 0 ? NULL : blk_providers[p].ops->info(blk_providers[p].ctx, idx);
}

int plat_blk_submit(unsigned int idx, struct plat_blk_req *req)
{
    int p = blk_lookup(&idx);

    return p < 0 ? -XEN_ENODEV : blk_providers[p].ops->submit(blk_providers[p].ctx, idx, req);
}

unsigned int plat_blk_poll(void)
{
    unsigned int n = 0;

    for (unsigned int p = 0; p < nr_blk_providers; p++)
        n += blk_providers[p].ops->poll(blk_providers[p].ctx);
    return n;
}
