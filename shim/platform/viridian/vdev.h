/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the Viridian device providers (storvsc, netvsc):
 * the memory they share with the host and their probes. The host unit
 * tests (tests/unit/fake-vmbus.c) implement the memory calls over host
 * memory, where a "machine address" is the host pointer.
 */
#ifndef VIRIDIAN_VDEV_H
#define VIRIDIAN_VDEV_H

#include <shim/types.h>

/*
 * nr_pages zeroed, machine-contiguous 4 KiB pages the host may read and
 * write (rings of requests, UNMAP lists, netvsc buffers); never freed.
 * *pa gets the machine address. Panics when memory runs out (boot only).
 */
void *vdev_dma_alloc(uint32_t nr_pages, paddr_t *pa);

/* The shim's view of machine address pa (inside a frame it may read). */
const void *vdev_map(paddr_t pa);

/* Nanoseconds since boot, for the timeouts of the init handshakes. */
uint64_t vdev_now_ns(void);

/*
 * Probe every offer of the device class and register the provider when at
 * least one device came up. Called after vmbus_init() succeeded. Return
 * how many disks / NICs were added.
 */
unsigned int storvsc_probe(void);
unsigned int netvsc_probe(void);

#endif
