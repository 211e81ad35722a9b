// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory for the VMBus client: interrupt and monitor pages, channel rings.
 * They come from the shim's frame allocator and the host is given their
 * machine addresses; the shim sees them through its direct map (as the
 * virtio rings of the pc platform). The unit tests link a fake instead.
 */
#include "vmbus-priv.h"
#include <arch/layout.h>
#include <shim/memory.h>

void *vmbus_mem_alloc(uint32_t nr_pages, paddr_t *pa)
{
    /* alloc_frames returns zeroed frames or panics: the shim cannot run short here. */
    *pa = alloc_frames(nr_pages, 1);
    return phys_to_virt(*pa);
}
