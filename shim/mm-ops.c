// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-visible PV MMU operations on single requests: one mmu_update
 * entry, pin/unpin, new (user) base pointer, update_va_mapping and one
 * emulated write to an L1 table. The hypercall layer (hypercalls/mmu.c)
 * copies the guest's arrays and loops; this file holds the rules.
 * Semantics from Xen's do_mmu_update, do_mmuext_op, new_guest_cr3 and
 * __do_update_va_mapping (xen/arch/x86/mm.c).
 */
#include <shim/lib.h>
#include <shim/log.h>
#include "mm-priv.h"

/*
 * A plain write into a guest frame that is not a page table in use: Xen
 * takes a writable type ref for the duration of the write, so a frame in
 * use as a descriptor page (or a page table) is never written this way.
 */
static int plain_write(mfn_t mfn, unsigned int offset, uint64_t val)
{
    int rc = mm_get_page_type(mfn, FRAME_TYPE_WRITABLE);

    if (rc)
        return rc;
    WRITE_ONCE(((uint64_t *)mfn_to_virt(mfn))[offset / 8], val);
    mm_put_page_type(mfn);
    return 0;
}

static int pt_update(uint64_t ptr, uint64_t val, bool preserve_ad)
{
    mfn_t mfn = ptr >> PAGE_SHIFT;
    unsigned int offset = (unsigned int)(ptr & (PAGE_SIZE - 1) & ~7u);
    struct frame_info *f;
    int rc;

    /* Xen: get_page_from_gfn fails -> "Could not get page for normal
       update", -EINVAL. */
    if (mm_get_page(mfn))
        return -XEN_EINVAL;
    f = frame_get(mfn);

    if (f->type_count == 0) {
        rc = plain_write(mfn, offset, val);
    } else {
        switch (f->type) {
        case FRAME_TYPE_L1:
        case FRAME_TYPE_L2:
        case FRAME_TYPE_L3:
        case FRAME_TYPE_L4:
            rc = mm_mod_entry(mfn, f->type, offset / 8, val, preserve_ad);
            break;
        case FRAME_TYPE_WRITABLE:
            rc = plain_write(mfn, offset, val);
            break;
        default:
            /* Descriptor page in use: Xen's switch has no case, -EINVAL. */
            rc = -XEN_EINVAL;
            break;
        }
    }

    mm_put_page(mfn);
    return rc;
}

int mm_mmu_update(uint64_t ptr, uint64_t val, unsigned int cmd)
{
    mfn_t mfn;

    switch (cmd) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_NO_TRANSLATE:   /* no translation for a PV guest */
        return pt_update(ptr, val, false);
    case MMU_PT_UPDATE_PRESERVE_AD:
        return pt_update(ptr, val, true);
    case MMU_MACHPHYS_UPDATE:
        /*
         * Xen: get_page_from_mfn(mfn, pg_owner) or -EINVAL. Only GUEST
         * frames here: SHARED frames are the shim's, their M2P entries
         * stay invalid (a deliberate narrowing of Xen).
         */
        mfn = ptr >> PAGE_SHIFT;
        if (!frame_get(mfn) || frame_get(mfn)->owner != FRAME_OWNER_GUEST)
            return -XEN_EINVAL;
        m2p_set(mfn, val);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

int mm_pin(mfn_t mfn, unsigned int level)
{
    struct frame_info *f;
    int rc;

    if (level < 1 || level > 4)
        return -XEN_EINVAL;
    /* Xen: get_page_from_gfn fails -> -EINVAL. */
    if (mm_get_page(mfn))
        return -XEN_EINVAL;
    rc = mm_get_page_type(mfn, level);
    if (rc) {
        mm_put_page(mfn);
        return rc;
    }
    f = frame_get(mfn);
    if (f->flags & FRAME_F_PINNED) {
        /* Xen: "mfn already pinned" -> -EINVAL. */
        mm_put_page_type(mfn);
        mm_put_page(mfn);
        return -XEN_EINVAL;
    }
    f->flags |= FRAME_F_PINNED;
    return 0;
}

int mm_unpin(mfn_t mfn)
{
    struct frame_info *f = frame_get(mfn);

    /* Xen: "mfn bad, or bad owner" and "mfn not pinned" are both -EINVAL. */
    if (!f || f->owner != FRAME_OWNER_GUEST || !(f->flags & FRAME_F_PINNED))
        return -XEN_EINVAL;
    f->flags &= (uint16_t)~FRAME_F_PINNED;
    mm_put_page_type(mfn);
    mm_put_page(mfn);
    return 0;
}

int mm_set_root(mfn_t *slot, mfn_t new_mfn)
{
    mfn_t old = *slot;
    int rc;

    /* new_guest_cr3 / NEW_USER_BASEPTR: the same root again is a no-op. */
    if (old == new_mfn)
        return 0;

    if (new_mfn != 0) {
        /* get_page_and_type_from_mfn(PGT_root_page_table). */
        if (mm_get_page(new_mfn))
            return -XEN_EINVAL;
        rc = mm_get_page_type(new_mfn, FRAME_TYPE_L4);
        if (rc) {
            mm_put_page(new_mfn);
            return rc;
        }
    }

    *slot = new_mfn;
    if (old != 0) {
        mm_put_page_type(old);
        mm_put_page(old);
    }
    return 0;
}

/* Xen's __addr_ok: below the canonical hole, or above the shim's area. */
static bool va_ok(uint64_t va)
{
    return va < (1ULL << 47) || va >= HYPERVISOR_VIRT_END;
}

/*
 * Find the L1 table that maps va under root_l4: every level present, no
 * superpage, each next table in use as the level below (the invariants
 * make that true for a validated root; checked anyway). Xen walks the
 * current tables through its linear map (map_guest_l1e) with the same
 * outcome. False if there is none.
 */
static bool find_l1(mfn_t root_l4, uint64_t va, mfn_t *l1)
{
    mfn_t mfn = root_l4;

    if (!mm_frame_is(frame_get(mfn), FRAME_TYPE_L4))
        return false;
    for (unsigned int level = 4; level > 1; level--) {
        unsigned int idx = (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
        uint64_t e = READ_ONCE(((uint64_t *)mfn_to_virt(mfn))[idx]);

        if (level == 4 && !mm_is_guest_l4_slot(idx))
            return false;
        if ((e & (MM_PTE_P | MM_PTE_PSE)) != MM_PTE_P)
            return false;
        mfn = mm_pte_mfn(e);
        if (!mm_frame_is(frame_get(mfn), level - 1))
            return false;
    }
    *l1 = mfn;
    return true;
}

int mm_update_va_mapping(mfn_t root_l4, uint64_t va, uint64_t pte)
{
    mfn_t l1;

    /* __do_update_va_mapping: no L1 for va (or a bad va) -> -EINVAL. */
    if (!va_ok(va) || !find_l1(root_l4, va, &l1))
        return -XEN_EINVAL;
    return mm_mod_entry(l1, 1, (va >> PAGE_SHIFT) & 511, pte, false);
}

int mm_ptwr_write(mfn_t l1_mfn, unsigned int offset, uint64_t val)
{
    struct frame_info *f = frame_get(l1_mfn);

    if (!f || f->owner != FRAME_OWNER_GUEST || !mm_frame_is(f, FRAME_TYPE_L1))
        return -XEN_EINVAL;
    if ((offset & 7) || offset >= PAGE_SIZE)
        return -XEN_EINVAL;
    return mm_mod_entry(l1_mfn, 1, offset / 8, val, false);
}
