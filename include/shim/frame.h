/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame table: one struct frame_info per machine frame, recording who
 * owns the frame and how the guest is using it (page type, type count,
 * general reference count, pinned/validated). The PV MMU (shim/mm-*.c) is the
 * only writer of the type fields; see include/shim/mm.h for the rules.
 */
#ifndef SHIM_FRAME_H
#define SHIM_FRAME_H

#include <shim/types.h>

/* Who a frame belongs to. Set at boot by the memory split (frame_set_owner). */
enum frame_owner {
    FRAME_OWNER_NONE = 0,   /* not RAM, or unusable: never mappable */
    FRAME_OWNER_SHIM,       /* shim private: never mappable by the guest */
    FRAME_OWNER_GUEST,      /* guest RAM */
    FRAME_OWNER_SHARED,     /* shim frame the guest may map read-write by MFN
                               (shared_info, grant frames); never a page table */
};

/*
 * What a frame is used as. L1..L4 equal their level so that "the type one
 * level down" is simple arithmetic. The type only means something while
 * type_count > 0; at count 0 it is a leftover that the next get may change.
 */
enum frame_type {
    FRAME_TYPE_NONE = 0,
    FRAME_TYPE_L1 = 1,
    FRAME_TYPE_L2 = 2,
    FRAME_TYPE_L3 = 3,
    FRAME_TYPE_L4 = 4,
    FRAME_TYPE_SEG_DESC = 5,  /* GDT/LDT frame, contents validated */
    FRAME_TYPE_WRITABLE = 6,  /* mapped writable somewhere */
};

#define FRAME_F_PINNED     BIT(0)  /* guest pinned it (holds 1 type + 1 ref) */
#define FRAME_F_VALIDATED  BIT(1)  /* contents checked for the current type */

/*
 * Per-frame state. Context: hypercall (mmu_update, mmuext_op,
 * update_va_mapping), the #PF ptwr path and the domain builder, all on the
 * one guest vCPU's CPU. SMP would need the type word (type, type_count,
 * flags) updated with a single cmpxchg as Xen does with type_info, and
 * ref_count with atomic add/sub.
 */
struct frame_info {
    uint8_t owner;        /* enum frame_owner */
    uint8_t type;         /* enum frame_type */
    uint16_t flags;       /* FRAME_F_* */
    uint32_t type_count;  /* users of the frame as 'type' */
    uint32_t ref_count;   /* general references (mappings, pins, roots) */
};

extern struct frame_info *frame_table;
extern mfn_t frame_table_nr;

/*
 * Start using 'storage' (nr entries, caller-owned, lives forever) as the
 * frame table. Every frame starts FRAME_OWNER_NONE with no type or refs.
 */
void frame_table_init(struct frame_info *storage, mfn_t nr);

/*
 * Give frames [first, first+count) to 'owner' (enum frame_owner). Frames past
 * the end of the table are ignored. Resets the type state, so only call it
 * on frames nobody references (panics otherwise: a shim bug).
 */
void frame_set_owner(mfn_t first, mfn_t count, unsigned int owner);

/* The frame's entry, or NULL when mfn is beyond the table. */
static inline struct frame_info *frame_get(mfn_t mfn)
{
    return mfn < frame_table_nr ? &frame_table[mfn] : NULL;
}

/*
 * The shim's mapping of machine frame mfn (the direct map in the shim, a
 * host array in unit tests). Only called for frames inside the table.
 * Provided by the shim's paging code and by tests/unit/mm-stub.c.
 */
void *mfn_to_virt(mfn_t mfn);

#endif
