// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's entry points in the running shim: creating the vbds from the
 * command line at boot, the guest's notifications, and the two pieces that
 * reach the CPU and the xenstore ring (the host unit tests link their own).
 */
#include <arch/x86.h>
#include <shim/evtchn.h>
#include <shim/frame.h>
#include <shim/log.h>
#include <shim/mm.h>
#include <shim/xenstore.h>
#include "blkback-priv.h"

void blkback_init(struct domain *d, const struct shim_vbd *vbds, unsigned int n)
{
    blkback_pool_init();
    for (unsigned int i = 0; i < n; i++) {
        const struct plat_blk_info *info = plat_blk_info(vbds[i].disk);

        if (!info)
            panic("vbd=%u:%u:%c:%s: the machine has no disk %u (%u found)\n",
                  vbds[i].disk, vbds[i].devnum, vbds[i].readonly ? 'r' : 'w',
                  vbds[i].vdev, vbds[i].disk, plat_blk_count());
        if (!blkback_vbd_create(d, &vbds[i], info))
            panic("blkback: more than %u vbds\n", BLKBACK_MAX_VBDS);
        log_info("blkback: %s (vbd %u) on disk %u, %s, %lu sectors\n", vbds[i].vdev,
                 vbds[i].devnum, vbds[i].disk,
                 vbds[i].readonly || info->read_only ? "ro" : "rw",
                 (unsigned long)info->capacity);
    }
    if (!n && plat_blk_count())
        log_info("blkback: %u disk(s) but no vbd= token: none attached\n", plat_blk_count());
}

void blkback_notify(struct domain *d, unsigned int instance)
{
    if (instance >= blkback_nr_vbds)
        return;         /* only ports blkback bound carry an instance */
    /* Completions a disk without interrupts left ready, before new work. */
    plat_blk_poll();
    blkback_service(&blkback_vbds[instance]);
}

void blkback_tlb_sync(void)
{
    if (mm_take_tlb_flush_request())
        flush_tlb_local();      /* other CPUs were flushed at the type change */
}

void blkback_xs_kick(struct domain *d)
{
    if (xs_output_pending(d->xs) && xs_ring_service(d->xs, mfn_to_virt(d->store_mfn)))
        evtchn_set_pending(d, d->store_port);
}
