// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page types: taking and dropping type references, and the promotion
 * (validation) and demotion of page tables that happen when a type count
 * goes 0 -> 1 and 1 -> 0. Modelled on Xen's _get_page_type,
 * _put_page_type, promote_l*_table and demote_l*_table (xen/arch/x86/mm.c).
 *
 * Design note. A frame has one type at a time; the type may only change
 * while the count is 0. Promotion sets the new type with count 1 before
 * looking at the entries, so an entry that refers back to the table being
 * validated (as a lower level, or writable) meets a type conflict and fails:
 * cycles are impossible because every page-table reference goes exactly one
 * level down. Unlike Xen the work is never preempted: a 4-level promotion is
 * at most 512^3 L1 scans, bounded by the guest's own page-table memory.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include "mm-priv.h"

/*
 * Set when a frame changes type (see mm_take_tlb_flush_request). One flag
 * for the single guest vCPU; SMP would make it a per-domain dirty mask.
 */
static bool tlb_flush_requested;

bool mm_take_tlb_flush_request(void)
{
    bool r = tlb_flush_requested;

    tlb_flush_requested = false;
    return r;
}

static bool is_pt_type(unsigned int type)
{
    return type >= FRAME_TYPE_L1 && type <= FRAME_TYPE_L4;
}

int mm_promote_table(mfn_t mfn, unsigned int level)
{
    uint64_t *t = mfn_to_virt(mfn);
    unsigned int i;
    int rc = 0;

    /*
     * Pass 1: take every reference. Xen writes each adjusted entry as it
     * goes; we write nothing until all entries have passed, so a failure
     * leaves the table as the guest wrote it.
     */
    for (i = 0; i < MM_ENTRIES; i++) {
        /* Guest values in the shim's slots are ignored, then overwritten
           (Xen: is_guest_l4_slot in promote_l4_table). */
        if (level == 4 && !mm_is_guest_l4_slot(i))
            continue;
        if (!(t[i] & MM_PTE_P))
            continue;
        rc = mm_pte_get_ref(level, mm_pte_adjust(level, t[i]));
        if (rc)
            break;
    }

    if (rc) {
        /* Undo in reverse order: everything before slot i was taken. */
        while (i-- > 0) {
            if (level == 4 && !mm_is_guest_l4_slot(i))
                continue;
            mm_pte_put_ref(level, t[i]);
        }
        return rc;
    }

    /* Pass 2: commit Xen's adjustments, then the shim's L4 slots. */
    for (i = 0; i < MM_ENTRIES; i++) {
        if (level == 4 && !mm_is_guest_l4_slot(i))
            continue;
        if (t[i] & MM_PTE_P)
            WRITE_ONCE(t[i], mm_pte_adjust(level, t[i]));
    }
    if (level == 4)
        arch_init_shim_l4_slots(t);
    return 0;
}

void mm_demote_table(mfn_t mfn, unsigned int level)
{
    uint64_t *t = mfn_to_virt(mfn);

    /*
     * The shim's L4 slots are left in place, as on Xen: the guest could
     * read them anyway, and they hold no references.
     */
    for (unsigned int i = 0; i < MM_ENTRIES; i++) {
        if (level == 4 && !mm_is_guest_l4_slot(i))
            continue;
        mm_pte_put_ref(level, t[i]);
    }
}

static int validate(mfn_t mfn, unsigned int type)
{
    if (is_pt_type(type))
        return mm_promote_table(mfn, type);
    /* SEG_DESC: the descriptor checks belong to the descriptor code. */
    return arch_validate_desc_page(mfn);
}

int mm_get_page_type(mfn_t mfn, unsigned int type)
{
    struct frame_info *f = frame_get(mfn);
    unsigned int old_type;
    int rc;

    if (!f || type == FRAME_TYPE_NONE || type > FRAME_TYPE_WRITABLE)
        return -XEN_EINVAL;
    if (f->owner == FRAME_OWNER_SHARED) {
        /* Xen gives shared Xen pages a permanent writable type ref. */
        if (type != FRAME_TYPE_WRITABLE)
            return -XEN_EINVAL;
    } else if (f->owner != FRAME_OWNER_GUEST) {
        return -XEN_EINVAL;
    }
    /* Xen: "Type count overflow" -> -EINVAL. */
    if (f->type_count == UINT32_MAX)
        return -XEN_EINVAL;

    if (f->type_count > 0) {
        /* In use: only the same type, and only once validated. A frame
           being validated is reachable here only through a cycle, which
           the one-level-down rule excludes; refuse rather than recurse. */
        if (f->type != type || !(f->flags & FRAME_F_VALIDATED))
            return -XEN_EINVAL;
        f->type_count++;
        return 0;
    }

    /* 0 -> 1: the type may change; the contents must be (re)validated. */
    old_type = f->type;
    /*
     * Stale translations from the old use go first, on every CPU (Xen's
     * get_page_type flushes here too): a writable one would let another
     * vCPU change a page table after it was validated, a cached walk would
     * keep using a table the guest may now write.
     */
    if (old_type != FRAME_TYPE_NONE && old_type != type)
        arch_flush_tlbs_for_type_change(mfn);
    f->type = (uint8_t)type;
    f->type_count = 1;
    f->flags &= (uint16_t)~FRAME_F_VALIDATED;

    if (type != FRAME_TYPE_WRITABLE) {
        rc = validate(mfn, type);
        if (rc) {
            /* Keep the old type so a later change still asks for a flush. */
            f->type = (uint8_t)old_type;
            f->type_count = 0;
            return rc;
        }
    }
    f->flags |= FRAME_F_VALIDATED;

    /*
     * A type change may leave TLB entries from the old use: writable
     * mappings of a new page table, or cached walks through an old page
     * table that is now writable. Xen flushes here; we ask our caller to.
     */
    if (old_type != FRAME_TYPE_NONE && old_type != type)
        tlb_flush_requested = true;
    return 0;
}

void mm_put_page_type(mfn_t mfn)
{
    struct frame_info *f = frame_get(mfn);

    ASSERT(f && f->type_count > 0 && (f->flags & FRAME_F_VALIDATED));

    if (f->type_count > 1) {
        f->type_count--;
        return;
    }

    /*
     * Last reference. Clear VALIDATED first: while the entries are being
     * released, any new reference attempt on this frame fails instead of
     * seeing a half-demoted table (Xen clears PGT_validated the same way).
     * The type is kept, with count 0, so the next get knows what it was.
     */
    f->flags &= (uint16_t)~FRAME_F_VALIDATED;
    if (is_pt_type(f->type))
        mm_demote_table(mfn, f->type);
    f->type_count = 0;
    arch_note_type_drop(mfn);       /* no mapping or walk can start from here on */
    ASSERT(!(f->flags & FRAME_F_PINNED));
}
