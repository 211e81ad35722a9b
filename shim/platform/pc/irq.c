// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device interrupt vectors of the pc platform: a table from vector to
 * handler, filled at probe time (boot, interrupts off) and read by plat_irq
 * in interrupt context. Devices interrupt by MSI-X straight to the local
 * APIC, so acknowledging is one LAPIC EOI.
 */
#include <plat/platform.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "pc.h"

#define NR_IRQ_VECTORS (PLAT_IRQ_VECTOR_LAST - PLAT_IRQ_VECTOR_FIRST + 1)

/* Written at probe only (before any device can interrupt), then read-only. */
static struct {
    void (*handler)(void *arg);
    void *arg;
} irq_table[NR_IRQ_VECTORS];
static unsigned int irq_next;

int pc_irq_alloc(void (*handler)(void *arg), void *arg)
{
    if (irq_next == NR_IRQ_VECTORS)
        return -XEN_ENOSPC;
    irq_table[irq_next].handler = handler;
    irq_table[irq_next].arg = arg;
    return PLAT_IRQ_VECTOR_FIRST + irq_next++;
}

void plat_irq(unsigned int vector)
{
    unsigned int i = vector - PLAT_IRQ_VECTOR_FIRST;

    if (vector < PLAT_IRQ_VECTOR_FIRST || i >= irq_next)
        panic("interrupt on vector %#x, which no device owns\n", vector);
    irq_table[i].handler(irq_table[i].arg);
    pc_lapic_eoi();
}
