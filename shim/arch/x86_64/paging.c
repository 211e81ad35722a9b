// SPDX-License-Identifier: GPL-2.0-only
/*
 * Builds the shim's page tables (see include/arch/layout.h for the map):
 *  - the direct map of RAM in 2 MiB pages, supervisor only; the low 4 GiB are
 *    always mapped so the local APIC and other MMIO are reachable, uncached;
 *  - the read-only M2P, the one shim region a guest may read (as on Xen,
 *    Linux reads it directly for every PTE it inspects);
 *  - the per-CPU descriptor area holding the hardware GDT/LDT windows.
 * The shim never maps anything in guest slots of its own tables.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/mm.h>
#include <xen-public/xen.h>

#define L4_INDEX(va) (((va) >> 39) & 511)
#define L3_INDEX(va) (((va) >> 30) & 511)
#define L2_INDEX(va) (((va) >> 21) & 511)
#define L1_INDEX(va) (((va) >> 12) & 511)
#define SUPER_2M     (2UL << 20)

paddr_t idle_l4_pa;
paddr_t directmap_end;
static uint64_t *idle_l4;
uint64_t *m2p_table;
mfn_t m2p_nr_entries;
static uint64_t *desc_l1;           /* covers the descriptor areas of CPUs 0-7 */

static uint64_t *new_table(paddr_t *pa)
{
    *pa = alloc_frames(1, 1);
    return phys_to_virt(*pa);
}

/* Get (allocating) the next-level table under entry *e. */
static uint64_t *next_level(uint64_t *e, uint64_t flags)
{
    paddr_t pa;

    if (!(*e & PTE_P)) {
        new_table(&pa);
        *e = pa | flags;
    }
    return phys_to_virt(*e & PTE_ADDR_MASK);
}

static void build_direct_map(paddr_t max_phys)
{
    paddr_t end = ALIGN_UP(MAX(max_phys, 1ULL << 32), 1ULL << 30);
    uint64_t *l3 = next_level(&idle_l4[L4_INDEX(DIRECTMAP_BASE)], PTE_P | PTE_RW);

    for (paddr_t pa = 0; pa < end; pa += SUPER_2M) {
        uint64_t va = DIRECTMAP_BASE + pa;
        uint64_t *l2 = next_level(&l3[L3_INDEX(va)], PTE_P | PTE_RW);
        uint64_t flags = PTE_P | PTE_RW | PTE_PSE;

        /* 0xfe000000-4G holds the APIC, IOAPIC and firmware: uncached. */
        if (pa >= 0xfe000000ULL && pa < (1ULL << 32))
            flags |= PTE_PCD | PTE_PWT;
        l2[L2_INDEX(va)] = pa | flags;
    }
    directmap_end = end;
}

static void build_m2p(paddr_t max_phys)
{
    size_t bytes;
    paddr_t pa;
    uint64_t *l3;

    m2p_nr_entries = max_phys >> PAGE_SHIFT;
    bytes = ALIGN_UP(m2p_nr_entries * sizeof(uint64_t), SUPER_2M);
    if (M2P_VIRT_START + bytes > M2P_VIRT_END)
        panic("M2P for %lu frames does not fit its area\n", (unsigned long)m2p_nr_entries);
    pa = alloc_frames(bytes >> PAGE_SHIFT, SUPER_2M >> PAGE_SHIFT);
    m2p_table = phys_to_virt(pa);
    /* Entries of frames that are not the guest's fail Linux's round-trip check. */
    memset(m2p_table, 0xff, bytes);

    /* Guest-readable at every level, never writable, never executable. */
    l3 = next_level(&idle_l4[L4_INDEX(M2P_VIRT_START)], PTE_P | PTE_US);
    for (size_t off = 0; off < bytes; off += SUPER_2M) {
        uint64_t va = M2P_VIRT_START + off;
        uint64_t *l2 = next_level(&l3[L3_INDEX(va)], PTE_P | PTE_US);

        l2[L2_INDEX(va)] = (pa + off) | PTE_P | PTE_US | PTE_PSE | PTE_NX;
    }
}

static void build_desc_area(void)
{
    uint64_t va = PERCPU_DESC_BASE;
    uint64_t *l3 = next_level(&idle_l4[L4_INDEX(va)], PTE_P | PTE_RW);
    uint64_t *l2 = next_level(&l3[L3_INDEX(va)], PTE_P | PTE_RW);

    desc_l1 = next_level(&l2[L2_INDEX(va)], PTE_P | PTE_RW);
}

void paging_init(paddr_t max_phys)
{
    idle_l4 = new_table(&idle_l4_pa);
    build_direct_map(max_phys);
    build_m2p(max_phys);
    build_desc_area();
    write_cr3(idle_l4_pa);
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
    if (mfn < m2p_nr_entries)
        m2p_table[mfn] = pfn;
}

uint64_t m2p_get(mfn_t mfn)
{
    return mfn < m2p_nr_entries ? m2p_table[mfn] : ~0ULL;
}

void desc_area_map(unsigned int cpu, unsigned int page, paddr_t pa, bool writable)
{
    unsigned int idx = cpu * (DESC_AREA_STRIDE >> PAGE_SHIFT) + page;
    uint64_t va = PERCPU_DESC_BASE + ((uint64_t)idx << PAGE_SHIFT);

    ASSERT(idx < 512);
    desc_l1[idx] = pa ? (pa | PTE_P | PTE_NX | (writable ? PTE_RW : 0)) : 0;
    invlpg(va);
}

uint64_t desc_area_gdt_base(unsigned int cpu)
{
    return PERCPU_DESC_BASE + (uint64_t)cpu * DESC_AREA_STRIDE;
}

uint64_t desc_area_ldt_base(unsigned int cpu)
{
    return desc_area_gdt_base(cpu) + LDT_AREA_OFFSET;
}

void arch_init_shim_l4_slots(uint64_t *l4)
{
    for (unsigned int i = SHIM_FIRST_L4_SLOT; i <= SHIM_LAST_L4_SLOT; i++)
        l4[i] = idle_l4[i];
}

void *mfn_to_virt(mfn_t mfn)
{
    return phys_to_virt(mfn << PAGE_SHIFT);
}

void arch_load_root(mfn_t l4_mfn)
{
    tlb_note_full_flush();
    write_cr3(l4_mfn ? l4_mfn << PAGE_SHIFT : idle_l4_pa);
}
