// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time split of machine RAM between the shim and the guest, and the
 * shim's frame allocator: a bump allocator over the window between the
 * loaded image/modules and the guest block. The shim never frees memory; all
 * its structures are sized at boot for the one guest it serves.
 */
#include <arch/layout.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>

#define GUEST_ALIGN  (2UL << 20)    /* keep the guest block 2 MiB aligned */
#define SHIM_MIN_HEAP (16UL << 20)  /* below this the shim cannot build the domain */

struct machine_memory machine_mem;

void memory_init(const struct boot_info *bi, mfn_t guest_frames)
{
    const struct ram_range *best = NULL;
    uint64_t guest_bytes = guest_frames << PAGE_SHIFT;
    paddr_t base;

    for (unsigned int i = 0; i < bi->nr_ram; i++) {
        const struct ram_range *r = &bi->ram[i];

        if (r->end > machine_mem.max_phys)
            machine_mem.max_phys = r->end;
        if (r->end <= bi->occupied_end)
            continue;
        if (!best || r->end - r->start > best->end - best->start)
            best = r;
    }
    if (!best)
        panic("no RAM above the shim image and boot modules\n");

    base = ALIGN_DOWN(best->end - MIN(guest_bytes, best->end), GUEST_ALIGN);
    machine_mem.alloc_start = MAX(best->start, bi->occupied_end);
    if (guest_bytes > best->end || base < machine_mem.alloc_start + SHIM_MIN_HEAP)
        panic("not enough memory: the guest wants %lu MiB but RAM range "
              "[%#lx, %#lx) leaves only %lu MiB after the shim; give the "
              "machine more memory\n",
              (unsigned long)(guest_bytes >> 20), (unsigned long)best->start,
              (unsigned long)best->end,
              (unsigned long)((best->end - MIN(best->end, machine_mem.alloc_start + SHIM_MIN_HEAP)) >> 20));

    machine_mem.guest_first_mfn = base >> PAGE_SHIFT;
    machine_mem.guest_nr_frames = guest_frames;
    machine_mem.alloc_next = machine_mem.alloc_start;
    machine_mem.alloc_end = base;
    log_info("memory: RAM ends at %#lx; shim heap [%#lx, %#lx); guest %lu MiB at mfn %#lx\n",
             (unsigned long)machine_mem.max_phys,
             (unsigned long)machine_mem.alloc_start, (unsigned long)base,
             (unsigned long)(guest_bytes >> 20),
             (unsigned long)machine_mem.guest_first_mfn);
}

paddr_t alloc_frames(size_t nr, size_t align_frames)
{
    paddr_t pa = ALIGN_UP(machine_mem.alloc_next,
                          (paddr_t)MAX(align_frames, (size_t)1) << PAGE_SHIFT);

    if (pa + (nr << PAGE_SHIFT) > machine_mem.alloc_end || pa < machine_mem.alloc_next)
        panic("out of shim memory allocating %lu frames\n", (unsigned long)nr);
    machine_mem.alloc_next = pa + (nr << PAGE_SHIFT);
    memset(phys_to_virt(pa), 0, nr << PAGE_SHIFT);
    return pa;
}

void *alloc_pages_virt(size_t nr)
{
    return phys_to_virt(alloc_frames(nr, 1));
}

size_t shim_allocated_bytes(void)
{
    return machine_mem.alloc_next - machine_mem.alloc_start;
}
