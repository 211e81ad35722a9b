/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces between the files of the pc platform: the local APIC
 * (time.c owns it) and device interrupt vectors (irq.c).
 */
#ifndef PC_PC_H
#define PC_PC_H

#include <shim/types.h>

/* This CPU's local APIC registers (time.c maps it). */
uint32_t pc_lapic_read(unsigned int reg);
void pc_lapic_write(unsigned int reg, uint32_t v);
void pc_lapic_init_ap(void);

/* Signal end of interrupt to the local APIC. */
void pc_lapic_eoi(void);
/* The boot CPU's local APIC id (MSI destination). */
uint32_t pc_lapic_id(void);

/*
 * Give a device interrupt a vector in [PLAT_IRQ_VECTOR_FIRST,
 * PLAT_IRQ_VECTOR_LAST]. handler(arg) runs in interrupt context (see
 * plat_irq); the EOI is sent after it returns. Returns the vector or
 * -XEN_ENOSPC.
 */
int pc_irq_alloc(void (*handler)(void *arg), void *arg);

#endif
