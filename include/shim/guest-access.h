/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only way shim code touches guest memory.
 *
 * Addresses are guest virtual addresses in the guest's current address space.
 * Every accessor returns 0 or -XEN_EFAULT and never faults the shim: ranges
 * that are non-canonical or overlap the Xen-reserved area are refused up
 * front, and a page fault during the copy is caught by the exception table.
 * On failure the shim-side destination is zero-filled, so callers never act
 * on stale bytes. Writes honour the guest's read-only mappings (CR0.WP), so a
 * guest cannot make the shim write its page tables for it.
 *
 * Host unit tests link tests/unit/guest-memory-stub.c instead, which backs the
 * same API with a host array.
 */
#ifndef SHIM_GUEST_ACCESS_H
#define SHIM_GUEST_ACCESS_H

#include <shim/types.h>

int copy_from_guest(void *dst, guest_va_t src, size_t len);
int copy_to_guest(guest_va_t dst, const void *src, size_t len);
int clear_guest(guest_va_t dst, size_t len);

/* Scalars: x is an lvalue of the pointed-to size. */
#define get_guest(x, gva)  copy_from_guest(&(x), (gva), sizeof(x))
#define put_guest(x, gva)  copy_to_guest((gva), &(x), sizeof(x))

/* The guest address inside a XEN_GUEST_HANDLE (a pointer in the ABI structs). */
#define guest_handle(h)    ((guest_va_t)(uintptr_t)(h).p)

/* True if [va, va+len) is canonical and outside the reserved area. */
bool guest_range_ok(guest_va_t va, size_t len);

#endif
