/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's LDT (MMUEXT_SET_LDT), shown to the CPU through the LDT window
 * of the descriptor area. Pages are mapped lazily on the first fault, as
 * Xen's shadow LDT does, each holding a "segment descriptor" type reference
 * so the guest cannot write them while they are live.
 */
#ifndef ARCH_LDT_H
#define ARCH_LDT_H

#include <shim/domain.h>

#define LDT_MAX_ENTS 8192

/* MMUEXT_SET_LDT: 0, or -XEN_EINVAL for a misaligned or bad range. */
int ldt_set(struct vcpu *v, uint64_t base, unsigned int ents);
/* Drop every mapped LDT page (guest page tables changed). */
void ldt_invalidate(struct vcpu *v);
/* A #PF at cr2 that may be the CPU reading an unmapped LDT page. */
bool ldt_fault(struct vcpu *v, uint64_t cr2);

#endif
