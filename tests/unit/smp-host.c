// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host stand-ins for the cross-CPU calls of include/arch/smp.h: the unit
 * tests run shim code on one thread, so a kick or a flush is only recorded
 * (smp_host_kicks) for the tests to check who would have been woken.
 */
#include <arch/smp.h>
#include "smp-host.h"

uint64_t smp_host_kicks;
unsigned int smp_host_flushes;

void smp_kick_cpu(unsigned int cpu)
{
    smp_host_kicks |= 1ULL << cpu;
}

void smp_flush_tlb_mask(uint64_t cpu_mask, uint64_t va)
{
    (void)cpu_mask;
    (void)va;
    smp_host_flushes++;
}

void smp_flush_tlb_all(void)
{
    smp_host_flushes++;
}
