/* SPDX-License-Identifier: GPL-2.0-only */
/* Walking the guest's validated page tables from the shim (guest-walk.c). */
#ifndef ARCH_GUEST_WALK_H
#define ARCH_GUEST_WALK_H

#include <shim/types.h>

/*
 * The L1 entry for va under the L4 root, read through the shim's direct map.
 * Returns the L1 table's frame (its entry in *l1e), or 0 if an upper level
 * is not present or a table is not a guest frame.
 */
mfn_t guest_walk_l1e(mfn_t root, uint64_t va, uint64_t *l1e);

#endif
