// SPDX-License-Identifier: GPL-2.0-only
/*
 * Other CPUs on pc: the local APIC's interrupt command register starts them
 * (INIT, then two STARTUPs, the universal start-up algorithm of Intel's
 * MP specification) and carries IPIs. QEMU numbers the APIC ids of -smp N
 * as 0..N-1, so CPU n is APIC id n; each CPU records the id it really has.
 */
#include <arch/x86.h>
#include <plat/hyperv.h>
#include <plat/platform.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "pc.h"

#define APIC_ICR_LO         0x300
#define APIC_ICR_HI         0x310
#define ICR_DELIVERY_BUSY   BIT(12)
#define ICR_LEVEL_ASSERT    BIT(14)
#define ICR_INIT            (5u << 8)
#define ICR_STARTUP         (6u << 8)

static void icr_send(uint32_t apic_id, uint32_t lo)
{
    uint64_t deadline = plat_now_ns() + 100000000ULL;

    pc_lapic_write(APIC_ICR_HI, apic_id << 24);
    pc_lapic_write(APIC_ICR_LO, lo);
    while (pc_lapic_read(APIC_ICR_LO) & ICR_DELIVERY_BUSY) {
        if (plat_now_ns() > deadline)
            panic("local APIC: IPI %#x to APIC %u never left\n", lo, apic_id);
        cpu_relax();
    }
}

static void delay_us(uint64_t us)
{
    uint64_t end = plat_now_ns() + us * 1000;

    while (plat_now_ns() < end)
        cpu_relax();
}

void plat_start_cpu(unsigned int cpu, unsigned int page)
{
    icr_send(cpu, ICR_INIT | ICR_LEVEL_ASSERT);
    delay_us(10000);
    for (unsigned int i = 0; i < 2; i++) {
        icr_send(cpu, ICR_STARTUP | (page & 0xff));
        delay_us(200);
    }
}

void plat_cpu_init(void)
{
    pc_lapic_init_ap();
    if (hv_present() && hv_cpu_online())
        panic("smp: Hyper-V refused this CPU's setup\n");
}

uint32_t plat_cpu_apic_id(void)
{
    return pc_lapic_id();
}

/*
 * Under Hyper-V the partition may be offered IPI and flush hypercalls
 * (TLFS 10.5): one call instead of trapping LAPIC writes, and a flush that
 * also covers descheduled vCPUs without waking them. Without them (or on
 * any error) the LAPIC does it.
 */
void plat_send_ipi(unsigned int cpu, uint32_t apic_id, unsigned int vector)
{
    if (hv_present() && hv_send_ipi(vector, BIT(cpu)) == 0)
        return;
    icr_send(apic_id, vector);      /* fixed delivery, physical destination */
}

int plat_flush_tlb_cpus(uint64_t cpu_mask)
{
    return hv_present() ? hv_flush_tlb(cpu_mask) : -XEN_EOPNOTSUPP;
}

void plat_irq_eoi(void)
{
    pc_lapic_eoi();
}
