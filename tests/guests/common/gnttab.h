/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's half of grant table v1 for test frontends (gnttab.c), the way
 * Linux writes it (drivers/xen/grant-table.c gnttab_grant_foreign_access,
 * gnttab_end_foreign_access_ref), with every field under the test's
 * control so that a test can lie. Call gnt_init() before the rest.
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/grant_table.h>

/* First ref a test may use: 0-7 are the toolstack's (GNTTAB_NR_RESERVED_ENTRIES). */
#define GREF_FIRST 8

/* setup_table of one frame and map it; 0 or an error (reported as ERROR). */
long gnt_init(void);
/* The MFN of the table's frame 0 (from setup_table). */
uint64_t gnt_table_mfn(void);
/* Entry ref: frame mfn for domid 0, read-only if ro; flags written last. */
void gnt_grant(grant_ref_t ref, uint64_t mfn, bool ro);
/* Entry ref with raw flags and domid (a grant that is not what it seems). */
void gnt_grant_raw(grant_ref_t ref, uint64_t mfn, domid_t domid, uint16_t flags);
/* Current flags of entry ref (GTF_reading/GTF_writing while held). */
uint16_t gnt_flags(grant_ref_t ref);
/* Revoke as Linux does: false (and nothing changed) if in use. */
bool gnt_end(grant_ref_t ref);

#endif
