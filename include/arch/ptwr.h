/* SPDX-License-Identifier: GPL-2.0-only */
/* Writable-page-table emulation (shim/arch/x86_64/ptwr.c). */
#ifndef ARCH_PTWR_H
#define ARCH_PTWR_H

#include <shim/domain.h>

/*
 * Try to emulate the guest store that faulted at cr2 as a write to one of
 * its L1 page tables. True if emulated (RIP advanced); false if the fault is
 * not such a write, or the new entry is refused, so it goes to the guest.
 */
bool ptwr_emulate(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);

#endif
