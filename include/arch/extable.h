/* SPDX-License-Identifier: GPL-2.0-only */
/* Exception table: instructions allowed to fault, and where to resume. */
#ifndef ARCH_EXTABLE_H
#define ARCH_EXTABLE_H

#include <shim/types.h>

/* The fixup address for a faulting RIP inside the shim, or 0. */
uint64_t extable_search(uint64_t rip);

/* xsetbv XCR0 <- v; 0, or -1 if the CPU refused it (#GP). */
int arch_xsetbv_safe(uint64_t v);

size_t arch_copy_guest(void *dst, const void *src, size_t len);
size_t arch_clear_guest(void *dst, size_t len);

#endif
