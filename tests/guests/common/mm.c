// SPDX-License-Identifier: GPL-2.0-only
/*
 * PFN/MFN translation and page-table walks, as a PV guest does them.
 *
 * p2m: start_info->mfn_list, an array of MFNs indexed by PFN, inside the
 * initial mapping (no INIT_P2M note). M2P: the read-only table at
 * MACH2PHYS_VIRT_START = 0xffff800000000000 ([H:arch-x86/xen-x86_64.h],
 * contract 1.7). The initial mapping maps PFN p at GUEST_VIRT_BASE + p*4K
 * (contract 1.3), page-table frames included (read-only), which is how a
 * walk reads the next level: entry -> MFN -> M2P -> PFN -> VA.
 */
#include "guest.h"

#define M2P ((const unsigned long *)MACH2PHYS_VIRT_START)

unsigned long pfn_to_mfn(unsigned long pfn)
{
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    return M2P[mfn];
}

unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - GUEST_VIRT_BASE) >> PAGE_SHIFT;
}

unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

uint64_t virt_to_maddr(const void *va)
{
    return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) |
           ((unsigned long)va & (PAGE_SIZE - 1));
}

void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT));
}

void *mfn_to_virt(unsigned long mfn)
{
    unsigned long pfn = mfn_to_pfn(mfn);

    /* Linux's rule (mfn_to_pfn): trust the M2P only if the p2m agrees. */
    if (pfn >= start_info->nr_pages || pfn_to_mfn(pfn) != mfn)
        return NULL;
    return pfn_to_virt(pfn);
}

const uint64_t *pt_walk(const void *root_va, unsigned long va, int level,
                        uint64_t *maddr)
{
    const uint64_t *table = root_va;
    int lvl;

    for (lvl = 4;; lvl--) {
        unsigned int idx = (va >> (PAGE_SHIFT + 9 * (lvl - 1))) & 511;

        if (lvl == level) {
            if (maddr)
                *maddr = ((uint64_t)virt_to_mfn(table) << PAGE_SHIFT) +
                         idx * sizeof(uint64_t);
            return &table[idx];
        }
        if (!(table[idx] & PTE_P) || (table[idx] & PTE_PSE))
            return NULL;
        table = mfn_to_virt((table[idx] & PTE_ADDR) >> PAGE_SHIFT);
        if (!table)
            return NULL;
    }
}

const uint64_t *l1e_of(const void *va, uint64_t *maddr)
{
    return pt_walk((const void *)start_info->pt_base, (unsigned long)va, 1,
                   maddr);
}

long set_page_writable(void *va, bool rw)
{
    uint64_t pte = ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) | PTE_P | PTE_A;

    if (rw)
        pte |= PTE_RW | PTE_D;
    return hypervisor_update_va_mapping(va, pte, UVMF_INVLPG);
}
