// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real instruction layer under hv-*.c (see hv-arch.h): CPUID, RDMSR and
 * WRMSR, an ordered RDTSC, shim frames from the direct map (which the shim
 * maps executable, so the hypercall page runs where it is), the pc
 * platform's device vectors, and the call into the hypercall page.
 */
#include <arch/layout.h>
#include <arch/percpu.h>
#include <arch/x86.h>
#include <shim/memory.h>
#include "../pc/pc.h"
#include "hv-arch.h"

struct hv_cpuid hv_arch_cpuid(uint32_t leaf)
{
    struct hv_cpuid r;

    cpuid_count(leaf, 0, &r.a, &r.b, &r.c, &r.d);
    return r;
}

uint64_t hv_arch_rdmsr(uint32_t msr)
{
    return rdmsr(msr);
}

void hv_arch_wrmsr(uint32_t msr, uint64_t val)
{
    wrmsr(msr, val);
}

uint64_t hv_arch_rdtsc(void)
{
    uint32_t lo, hi;

    /* LFENCE: RDTSC must not run ahead of the TSC page loads before it. */
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

void *hv_arch_alloc_page(paddr_t *pa)
{
    *pa = alloc_frames(1, 1);
    return phys_to_virt(*pa);
}

uint64_t hv_arch_hypercall(void *page, uint64_t control, uint64_t in1, uint64_t in2)
{
    register uint64_t r8 __asm__("r8") = in2;
    uint64_t result;

    /*
     * TLFS "Hypercall Interface" (x64): RCX control, RDX input (GPA or fast
     * data), R8 output GPA or more fast data, result in RAX. The page's code
     * may clobber the volatile registers, as a call may.
     */
    __asm__ volatile("call *%[page]"
                     : "=&a"(result), "+c"(control), "+d"(in1), "+r"(r8)
                     : [page] "r"(page)
                     : "r9", "r10", "r11", "cc", "memory");
    return result;
}

int hv_arch_alloc_vector(void (*handler)(void *arg), void *arg)
{
    return pc_irq_alloc(handler, arg);
}

unsigned int hv_arch_cpu(void)
{
    return this_cpu()->cpu_id;
}
