/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV MMU: page types, reference counts, page-table validation, pinning.
 * This is the shim's security boundary (ARCHITECTURE.md #4); the semantics
 * follow Xen's xen/arch/x86/mm.c and pv/mm.h for a 64-bit PV domU.
 *
 * Invariants (hold between calls):
 *  - A frame with type_count > 0 of type L1..L4 or SEG_DESC has no writable
 *    mapping anywhere: writable L1 entries hold a WRITABLE type reference,
 *    and a frame has one type at a time.
 *  - A validated page table holds exactly the references its present
 *    entries imply: every present entry holds one general ref on its target;
 *    an L1 entry with RW also holds a WRITABLE type ref; an L2/L3/L4 entry
 *    holds an L1/L2/L3 type ref. L4 slots 256-271 belong to the shim, hold
 *    nothing and are never read as guest entries.
 *  - Pinning and each root (kernel/user CR3) hold one type ref + one ref.
 *  - When a page table's type count drops to 0 it is demoted: the refs of
 *    its entries are dropped (recursively) and it may become writable again.
 *  - Linear (same-level, including self) page-table entries are refused with
 *    -EINVAL, i.e. Xen with pv-linear-pt=0; Linux does not use them.
 *  - Guest superpages (PSE in L2/L3) are refused, as Xen does for PV.
 *
 * Every operation validates everything first and commits last: on error no
 * entry is written and every type and count is as before (the one exception:
 * lower tables promoted and released during a failed validation keep Xen's
 * idempotent flag adjustments, as on Xen).
 *
 * Error codes are negative XEN_E* values, the ones Xen returns for the same
 * case (see the comments in shim/mm-pte.c and shim/mm-ops.c).
 *
 * Context: single vCPU; all calls come from hypercall / #PF / builder
 * context on the guest's CPU. SMP needs Xen's cmpxchg loops on the frame's
 * type word (see struct frame_info) and a lock around mod-entry sequences.
 */
#ifndef SHIM_MM_H
#define SHIM_MM_H

#include <shim/frame.h>
#include <xen-public/xen.h>

/* Page-table entry bits (SDM vol. 3 4.5), as the PV MMU checks them. */
#define MM_PTE_P           BIT(0)
#define MM_PTE_RW          BIT(1)
#define MM_PTE_US          BIT(2)
#define MM_PTE_PWT         BIT(3)
#define MM_PTE_PCD         BIT(4)
#define MM_PTE_A           BIT(5)
#define MM_PTE_D           BIT(6)
#define MM_PTE_PSE         BIT(7)    /* L2/L3: superpage */
#define MM_PTE_PAT         BIT(7)    /* L1: PAT index bit */
#define MM_PTE_G           BIT(8)
#define MM_PTE_AVAIL       (7ULL << 9)
#define MM_PTE_ADDR        0x000ffffffffff000ULL   /* bits 12-51 */
#define MM_PTE_AVAIL_HIGH  (0x7ffULL << 52)        /* bits 52-62 */
#define MM_PTE_GNTTAB      BIT(62)   /* Xen: grant mapping marker, L1 only */
#define MM_PTE_NX          BIT(63)
#define MM_PTE_GUEST_KERNEL XEN_PTE_GUEST_KERNEL   /* bit 52, set by Xen */

static inline mfn_t mm_pte_mfn(uint64_t pte)
{
    return (pte & MM_PTE_ADDR) >> PAGE_SHIFT;
}

/* The shim's L4 slots: [HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END). */
#define MM_SHIM_L4_FIRST  ((unsigned int)((HYPERVISOR_VIRT_START >> 39) & 511))
#define MM_SHIM_L4_LAST   ((unsigned int)(((HYPERVISOR_VIRT_END >> 39) - 1) & 511))

static inline bool mm_is_guest_l4_slot(unsigned int slot)
{
    return slot < MM_SHIM_L4_FIRST || slot > MM_SHIM_L4_LAST;
}

/* ---- general references -------------------------------------------------- */

/*
 * Take a general reference on a guest (or SHARED) frame: it stays the
 * guest's until mm_put_page. -XEN_EINVAL if mfn is out of range, not the
 * guest's, or the count would overflow.
 */
int mm_get_page(mfn_t mfn);
void mm_put_page(mfn_t mfn);

/* ---- type references ----------------------------------------------------- */

/*
 * Take a type reference of 'type' (enum frame_type, not NONE) on mfn. The
 * caller should hold a general reference for as long as it holds the type
 * ref. When the count goes 0 -> 1 the type may change and the contents are
 * validated: L1..L4 recursively (promotion), SEG_DESC through
 * arch_validate_desc_page. Returns 0, -XEN_EINVAL (wrong owner, in use as
 * another type, overflow, SHARED frame as anything but WRITABLE), or the
 * validation error.
 */
int mm_get_page_type(mfn_t mfn, unsigned int type);
/*
 * Arch hooks for TLB safety with several vCPUs. Before mfn's type changes,
 * every other CPU that may still hold a writable translation of it (about
 * to become a page table) or cached walks through it (a table about to
 * become writable) must have flushed: not after the hypercall, before the
 * new type takes effect. The CPUs that flushed since mfn's type count last
 * dropped to 0 (arch_note_type_drop) cannot, and are skipped. With one CPU
 * the caller's flush after the operation suffices (mm_take_tlb_flush_request).
 */
void arch_flush_tlbs_for_type_change(mfn_t mfn);
void arch_note_type_drop(mfn_t mfn);
/* Drop one type reference; at 0 a page table is demoted (refs released). */
void mm_put_page_type(mfn_t mfn);

/* ---- operations (return 0 or -XEN_E*) ------------------------------------- */

/*
 * One mmu_update request. 'ptr' is the request's machine address (its low 3
 * bits, the command, are ignored here); 'cmd' is req.ptr & 7 as extracted by
 * the hypercall layer: MMU_NORMAL_PT_UPDATE, MMU_PT_UPDATE_PRESERVE_AD,
 * MMU_PT_UPDATE_NO_TRANSLATE (same as NORMAL for PV), MMU_MACHPHYS_UPDATE
 * (val = PFN, written with m2p_set). Other commands: -XEN_ENOSYS.
 * A write into a frame that is not a page table in use is a plain checked
 * write into a guest frame. The caller must flush the TLB after a
 * successful page-table update (Xen flushes on every L2-L4 change, and the
 * guest asks for L1 flushes itself).
 */
int mm_mmu_update(uint64_t ptr, uint64_t val, unsigned int cmd);

/*
 * MMUEXT_PIN_L{level}_TABLE: take a type ref of L{level} (validating it) plus
 * a general ref, and mark the frame pinned. -XEN_EINVAL for a bad level,
 * a frame not the guest's, a wrong type or an already pinned frame; else
 * the validation error.
 */
int mm_pin(mfn_t mfn, unsigned int level);

/* MMUEXT_UNPIN_TABLE: -XEN_EINVAL if mfn is not a pinned guest frame. */
int mm_unpin(mfn_t mfn);

/*
 * MMUEXT_NEW_BASEPTR / NEW_USER_BASEPTR: make new_mfn the root in *slot,
 * taking an L4 type ref + general ref on it and dropping those of the old
 * root. new_mfn == 0 means "no root" (only meaningful for the user root;
 * callers installing a kernel root must refuse 0 themselves). Same MFN:
 * nothing to do, 0. Errors as mm_get_page_type (after -XEN_EINVAL for a
 * frame not the guest's); *slot is unchanged on error.
 * The caller loads the new CR3 (and flushes) afterwards.
 */
int mm_set_root(mfn_t *slot, mfn_t new_mfn);

/*
 * update_va_mapping: replace the L1 entry mapping 'va' in the tables under
 * root_l4 with 'pte', validated as mmu_update would. -XEN_EINVAL if va is
 * non-canonical or in the shim's area, or no L1 table maps it.
 * TLB flushing (the UVMF_* flags) is the caller's job.
 */
int mm_update_va_mapping(mfn_t root_l4, uint64_t va, uint64_t pte);

/*
 * Writable-page-table emulation: validate and commit one 8-byte write of
 * 'val' at byte 'offset' of the L1 table l1_mfn (which must be a validated,
 * in-use L1). -XEN_EINVAL if it is not, or offset is not 8-aligned and
 * inside the page; else as mmu_update. Sub-word stores must be widened by
 * the caller (read the old entry, merge, call this).
 */
int mm_ptwr_write(mfn_t l1_mfn, unsigned int offset, uint64_t val);

/*
 * True (once) if some frame changed type since the last call, e.g. a
 * writable frame became a page table or a page table became writable. Stale
 * TLB / paging-structure-cache entries could then bypass validation, so the
 * caller must flush all TLB entries, global ones included, on every CPU
 * that ran the guest before the guest runs again (Xen flushes in
 * _get_page_type on every type change). Check it after every mmu_update,
 * mmuext_op, update_va_mapping, ptwr write and builder pin.
 */
bool mm_take_tlb_flush_request(void);

/* ---- provided by the rest of the shim (stubbed in unit tests) ------------ */

/*
 * Fill slots 256-271 of a guest L4 being validated with the shim's entries.
 * Called only after the guest slots have validated, just before the table
 * is marked validated.
 */
void arch_init_shim_l4_slots(uint64_t *l4);

/* Write the M2P entry of mfn (MMU_MACHPHYS_UPDATE). */
void m2p_set(mfn_t mfn, uint64_t pfn);

/*
 * Check that every descriptor in the frame is safe for the guest (Xen's
 * validate_segdesc_page / check_descriptor). 0 or -XEN_EINVAL.
 */
int arch_validate_desc_page(mfn_t mfn);

#endif
