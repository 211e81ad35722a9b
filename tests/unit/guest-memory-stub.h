/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory for host unit tests: GM_PAGES pages of a host array that the
 * shim sees at guest VA GM_BASE, behind the real shim/guest-access.c (its
 * range checks run unchanged). This file supplies arch_copy_guest and
 * arch_clear_guest, which fault, like the exception-table versions, on a
 * page that is not mapped here or that is read-only for a write, and return
 * the bytes not copied.
 */
#ifndef TEST_GUEST_MEMORY_STUB_H
#define TEST_GUEST_MEMORY_STUB_H

#include <shim/types.h>

#define GM_BASE   0xffff888000000000ULL   /* above the reserved area */
#define GM_PAGES  16
#define GM_SIZE   ((uint64_t)GM_PAGES * PAGE_SIZE)

enum gm_prot { GM_NONE, GM_RO, GM_RW };

/* All pages RW and zeroed. */
void gm_reset(void);
/* Change the access of pages [gva, gva + len) (rounded out to pages). */
void gm_protect(guest_va_t gva, size_t len, enum gm_prot prot);
/* Host pointer to guest bytes (the test's own view, no checks). */
void *gm_ptr(guest_va_t gva);
/* Guest address of byte off of the window. */
static inline guest_va_t gm_va(uint64_t off) { return GM_BASE + off; }

#endif
