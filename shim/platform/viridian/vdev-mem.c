// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory and time for the Viridian device providers (vdev.h) in the shim:
 * host-shared pages come from the shim's frame allocator and are reached
 * through the direct map. The host unit tests have their own versions.
 */
#include <arch/layout.h>
#include <plat/platform.h>
#include <shim/memory.h>
#include "vdev.h"

void *vdev_dma_alloc(uint32_t nr_pages, paddr_t *pa)
{
    *pa = alloc_frames(nr_pages, 1);
    return phys_to_virt(*pa);
}

const void *vdev_map(paddr_t pa)
{
    return phys_to_virt(pa);
}

uint64_t vdev_now_ns(void)
{
    return plat_now_ns();
}
