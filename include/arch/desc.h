/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables. The hardware GDT of each CPU is a 15-page window in the
 * descriptor area: pages 0-13 show the guest's GDT frames (set_gdt), page 14
 * holds the shim's reserved entries at the selectors the Xen ABI fixes
 * (FIRST_RESERVED_GDT_PAGE, contract section 1.8).
 */
#ifndef ARCH_DESC_H
#define ARCH_DESC_H

#include <shim/types.h>

#define SHIM_CS          0xe008   /* ring-0 64-bit code */
#define SHIM_DS          0xe010   /* ring-0 data */
#define SHIM_TSS_SEL     0xe040
#define SHIM_LDT_SEL     0xe050
#define GDT_GUEST_PAGES  14
#define GDT_LIMIT        (15 * 4096 - 1)

void desc_init_cpu(unsigned int cpu);
/* Show guest frame mfn (or nothing when 0) as GDT page n of this CPU. */
void gdt_map_guest_page(unsigned int cpu, unsigned int n, mfn_t mfn);
/* Point the reserved LDT descriptor (0xe050) at base with limit. */
void gdt_set_ldt_desc(unsigned int cpu, uint64_t base, uint32_t limit);
/* Install the IDT, TSS and SYSCALL MSRs on this CPU. */
void traps_init_cpu(unsigned int cpu);

struct vcpu;
/*
 * set_gdt for v: take the frames as descriptor pages (validating them) and
 * drop the old ones. Shows them in this CPU's window when v is current.
 * 0 or -XEN_EINVAL.
 */
long vcpu_set_gdt(struct vcpu *v, const uint64_t *frames, uint64_t entries);
/* Show v's GDT frames in this CPU's window (v starts running here). */
void vcpu_load_gdt(const struct vcpu *v);

/* Read the 8-byte descriptor for sel from the live GDT/LDT; false if outside. */
bool desc_read(uint16_t sel, uint64_t *desc);

#endif
