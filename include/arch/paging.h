/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shim's own page tables: the "idle" L4 with the shim's slots (M2P,
 * descriptor area, direct map). Every guest root gets the same slot entries,
 * so the shim's mappings exist unchanged in every address space.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <shim/types.h>

extern paddr_t idle_l4_pa;

/* Build the idle tables for RAM up to max_phys and switch to them. */
void paging_init(paddr_t max_phys);
/* The direct map covers machine addresses [0, directmap_end) (set by paging_init). */
extern paddr_t directmap_end;

/* The read-only machine-to-phys table (shim-writable alias). */
extern uint64_t *m2p_table;
extern mfn_t m2p_nr_entries;
void m2p_set(mfn_t mfn, uint64_t pfn);
uint64_t m2p_get(mfn_t mfn);

/* Map or unmap (pa == 0) one page of a CPU's descriptor area (GDT/LDT). */
void desc_area_map(unsigned int cpu, unsigned int page, paddr_t pa, bool writable);
uint64_t desc_area_gdt_base(unsigned int cpu);
uint64_t desc_area_ldt_base(unsigned int cpu);

/* Copy the shim's slots 256-271 into a guest L4 (called while validating it). */
void arch_init_shim_l4_slots(uint64_t *l4);

/* Switch to root mfn (0 = the idle tables). */
void arch_load_root(mfn_t l4_mfn);

#endif
