/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The instruction layer under hv-*.c, kept thin so host unit tests can put
 * a fake partition in its place: CPUID, MSRs, the TSC, the call through the
 * hypercall page, shim frames and a device vector. The shim links
 * hv-arch-x86.c; tests/unit/hv-fake.c is the host stand-in.
 */
#ifndef VIRIDIAN_HV_ARCH_H
#define VIRIDIAN_HV_ARCH_H

#include <shim/types.h>

struct hv_cpuid {
    uint32_t a, b, c, d;
};

struct hv_cpuid hv_arch_cpuid(uint32_t leaf);
/* Only for MSRs the partition's privileges grant: others raise #GP. */
uint64_t hv_arch_rdmsr(uint32_t msr);
void hv_arch_wrmsr(uint32_t msr, uint64_t val);
/* The TSC, ordered after earlier loads (the reference TSC page protocol). */
uint64_t hv_arch_rdtsc(void);

/* One zeroed shim frame, mapped executable: machine address in *pa. */
void *hv_arch_alloc_page(paddr_t *pa);

/*
 * Call the hypercall page with RCX = control, RDX = in1, R8 = in2 (the
 * input and output GPAs of a memory call, or the input of a fast one);
 * returns RAX, the TLFS result value.
 */
uint64_t hv_arch_hypercall(void *page, uint64_t control, uint64_t in1, uint64_t in2);

/* A device vector whose interrupt runs handler(arg), then the LAPIC EOI. */
int hv_arch_alloc_vector(void (*handler)(void *arg), void *arg);

/* The shim's number of the calling CPU. */
unsigned int hv_arch_cpu(void);

#endif
