/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals shared by the PV MMU files (mm-types.c, mm-pte.c, mm-ops.c and
 * frame.c). Nothing outside shim/mm-*.c and the unit test includes this.
 */
#ifndef SHIM_MM_PRIV_H
#define SHIM_MM_PRIV_H

#include <shim/mm.h>

#define MM_ENTRIES 512

/* ---- mm-pte.c ---- */

/* Xen's adjust_guest_l{1,2,3,4}e for a 64-bit guest (pv/mm.h). */
uint64_t mm_pte_adjust(unsigned int level, uint64_t pte);

/*
 * Take the references a present entry at 'level' needs (see mm.h), after
 * checking its flags. 0 or the Xen error for the case.
 */
int mm_pte_get_ref(unsigned int level, uint64_t pte);

/* Drop what mm_pte_get_ref took; no-op for a non-present entry. */
void mm_pte_put_ref(unsigned int level, uint64_t pte);

/*
 * Replace entry idx of the validated 'level' table 'table' with val, as
 * Xen's mod_l{1,2,3,4}_entry: check and reference the new entry, write it
 * (OR-ing in the old A/D bits if preserve_ad), then drop the old entry's
 * references. No state change on error.
 */
int mm_mod_entry(mfn_t table, unsigned int level, unsigned int idx,
                 uint64_t val, bool preserve_ad);

/* ---- mm-types.c ---- */

/* Validate and adjust all entries of a table just typed 'level'. */
int mm_promote_table(mfn_t mfn, unsigned int level);
/* Release the references of all entries of a table of 'level'. */
void mm_demote_table(mfn_t mfn, unsigned int level);

/* True if the frame is in use, validated, as 'type'. */
static inline bool mm_frame_is(const struct frame_info *f, unsigned int type)
{
    return f && f->type == type && f->type_count > 0 &&
           (f->flags & FRAME_F_VALIDATED);
}

#endif
