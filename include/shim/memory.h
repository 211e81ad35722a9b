/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory split: the shim takes what it needs from just above its
 * image and the boot modules; the guest gets one contiguous block of machine
 * frames at the top of the largest RAM range (ARCHITECTURE.md #3), so the p2m
 * is a simple offset and every guest frame number is checked by a range test.
 */
#ifndef SHIM_MEMORY_H
#define SHIM_MEMORY_H

#include <shim/boot-info.h>

struct machine_memory {
    paddr_t max_phys;           /* end of the highest RAM range */
    mfn_t guest_first_mfn;      /* guest RAM: [first, first + nr) */
    mfn_t guest_nr_frames;
    paddr_t alloc_next, alloc_end;  /* shim allocator window */
    paddr_t alloc_start;
};
extern struct machine_memory machine_mem;

/* Split RAM; panics with a clear message if guest_frames do not fit. */
void memory_init(const struct boot_info *bi, mfn_t guest_frames);

/* Zeroed, physically contiguous shim frames; panics when memory runs out. */
paddr_t alloc_frames(size_t nr, size_t align_frames);
void *alloc_pages_virt(size_t nr);

/* Bytes the shim has allocated since boot (memory overhead report). */
size_t shim_allocated_bytes(void);

#endif
