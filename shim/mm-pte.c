// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-level page-table entry rules: which flag bits a 64-bit PV guest may
 * set, the adjustments Xen applies to every present entry, the references
 * an entry holds, and the update of one entry in a validated table.
 * Sources: xen/arch/x86/mm.c (base_disallow_mask, L*_DISALLOW_MASK,
 * get_page_from_l*e, put_page_from_l*e, mod_l*_entry) and
 * xen/arch/x86/pv/mm.h (adjust_guest_l*e, update_intpte).
 */
#include <shim/lib.h>
#include <shim/log.h>
#include "mm-priv.h"

/*
 * Flag bits any level may carry (Xen's arch_init_memory: base_disallow_mask
 * is everything else). Address bits 12-51 are not flags. NX is allowed
 * because every x86-64 CPU the shim runs on has it.
 */
#define MM_BASE_ALLOWED (MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A | \
                         MM_PTE_D | MM_PTE_AVAIL | MM_PTE_AVAIL_HIGH | MM_PTE_NX)
#define MM_BASE_DISALLOW (~(MM_BASE_ALLOWED | MM_PTE_ADDR))

/*
 * L1: GLOBAL allowed (L1_DISALLOW_MASK), bit 62 refused (_PAGE_GNTTAB is in
 * L1_DISALLOW_MASK: grant mappings are made only by the grant-table code),
 * and, for a domU without cache-flush rights, PWT/PCD/PAT stay refused
 * (l1_disallow_mask: "Bad L1 flags").
 */
#define MM_L1_DISALLOW ((MM_BASE_DISALLOW | MM_PTE_GNTTAB) & ~MM_PTE_G)
/*
 * L2-L4: base mask, so PSE (no guest superpages), GLOBAL, PWT and PCD are
 * refused (L2_DISALLOW_MASK, l3_disallow_mask for 64-bit, L4_DISALLOW_MASK).
 */
#define MM_LN_DISALLOW MM_BASE_DISALLOW

/* Xen's INVALID_MFN as a PTE frame number: the all-ones 40-bit field. */
#define MM_PTE_MFN_ALL_ONES (MM_PTE_ADDR >> PAGE_SHIFT)

static uint64_t disallow_mask(unsigned int level)
{
    return level == 1 ? MM_L1_DISALLOW : MM_LN_DISALLOW;
}

uint64_t mm_pte_adjust(unsigned int level, uint64_t pte)
{
    if (!(pte & MM_PTE_P))
        return pte;

    switch (level) {
    case 1:
        /*
         * The guest kernel runs in ring 3, so its pages must be USER; bit
         * 52 remembers they were kernel pages. Guest user pages become
         * GLOBAL (they survive the kernel/user CR3 toggle; a root change
         * must flush globals).
         */
        if (!(pte & MM_PTE_US))
            pte |= MM_PTE_US | MM_PTE_GUEST_KERNEL;
        if (!(pte & MM_PTE_GUEST_KERNEL))
            pte |= MM_PTE_G | MM_PTE_US;
        return pte;
    case 2:
    case 3:
        return pte | MM_PTE_US;
    case 4:
        /* ACCESSED always set: Xen's L4 shadows cannot sync it back. */
        return pte | MM_PTE_US | MM_PTE_A;
    default:
        ASSERT(!"bad level");
        return pte;
    }
}

/*
 * get_page_from_l1e for a guest mapping its own frame. Error choices follow
 * Xen for the equivalent frame:
 *  - bad flags: -EINVAL ("Bad L1 flags");
 *  - beyond the frame table (Xen: !mfn_valid, treated as MMIO, and a domU
 *    has no iomem rights): -EPERM, or -EINVAL for the all-ones frame;
 *  - FRAME_OWNER_NONE (Xen: dom_io-owned MMIO/hole): -EPERM;
 *  - FRAME_OWNER_SHIM (Xen: heap page of another owner, "could_not_pin"):
 *    -EBUSY;
 *  - RW but the frame is in use as a page table or descriptor page (Xen:
 *    "Could not get page type PGT_writable_page"): -EBUSY.
 * SHARED frames may be mapped read-only or read-write.
 */
static int l1e_get_ref(uint64_t pte)
{
    mfn_t mfn = mm_pte_mfn(pte);
    struct frame_info *f = frame_get(mfn);

    if (pte & MM_L1_DISALLOW)
        return -XEN_EINVAL;
    if (!f)
        return mfn == MM_PTE_MFN_ALL_ONES ? -XEN_EINVAL : -XEN_EPERM;
    if (f->owner == FRAME_OWNER_NONE)
        return -XEN_EPERM;
    if (f->owner == FRAME_OWNER_SHIM)
        return -XEN_EBUSY;
    /* Guest or shared; a failure here is only a ref-count overflow. */
    if (mm_get_page(mfn))
        return -XEN_EBUSY;
    if ((pte & MM_PTE_RW) && mm_get_page_type(mfn, FRAME_TYPE_WRITABLE)) {
        mm_put_page(mfn);
        return -XEN_EBUSY;
    }
    return 0;
}

/*
 * get_page_from_l{2,3,4}e: the target must be a guest frame, typed one
 * level down (promoting it if its count was 0). Bad flags, a frame that is
 * not the guest's, or a type conflict: -EINVAL (get_page_and_type_from_mfn;
 * linear page tables are not supported, so the linear fallback never
 * applies). A failed promotion of the lower table returns its own error.
 */
static int lne_get_ref(unsigned int level, uint64_t pte)
{
    mfn_t mfn = mm_pte_mfn(pte);
    int rc;

    if (pte & MM_LN_DISALLOW)
        return -XEN_EINVAL;
    if (mm_get_page(mfn))
        return -XEN_EINVAL;
    rc = mm_get_page_type(mfn, level - 1);
    if (rc)
        mm_put_page(mfn);
    return rc;
}

int mm_pte_get_ref(unsigned int level, uint64_t pte)
{
    ASSERT(level >= 1 && level <= 4);
    if (!(pte & MM_PTE_P))
        return 0;
    return level == 1 ? l1e_get_ref(pte) : lne_get_ref(level, pte);
}

void mm_pte_put_ref(unsigned int level, uint64_t pte)
{
    mfn_t mfn = mm_pte_mfn(pte);

    if (!(pte & MM_PTE_P))
        return;
    if (level == 1) {
        if (pte & MM_PTE_RW)
            mm_put_page_type(mfn);
    } else {
        mm_put_page_type(mfn);
    }
    mm_put_page(mfn);
}

int mm_mod_entry(mfn_t table, unsigned int level, unsigned int idx,
                 uint64_t val, bool preserve_ad)
{
    uint64_t *t = mfn_to_virt(table);
    uint64_t old;
    int rc;

    ASSERT(level >= 1 && level <= 4 && idx < MM_ENTRIES);

    /* mod_l4_entry: "L4 update in Xen-private area" -> -EINVAL. */
    if (level == 4 && !mm_is_guest_l4_slot(idx))
        return -XEN_EINVAL;

    old = READ_ONCE(t[idx]);

    /*
     * Unlike Xen there is no "fast path" for entries that keep their frame:
     * every new entry is fully referenced before the old one is released
     * (XSA-182 came from that fast path).
     */
    if (val & MM_PTE_P) {
        if (val & disallow_mask(level))
            return -XEN_EINVAL;
        val = mm_pte_adjust(level, val);
        rc = mm_pte_get_ref(level, val);
        if (rc)
            return rc;
    }

    /*
     * PRESERVE_AD: keep the A/D bits the CPU may have set in the old entry.
     * With one vCPU and the guest not running, nothing changes the entry
     * between this read and the write; SMP needs Xen's cmpxchg loop here.
     */
    if (preserve_ad)
        val |= old & (MM_PTE_A | MM_PTE_D);
    WRITE_ONCE(t[idx], val);

    mm_pte_put_ref(level, old);
    return 0;
}
