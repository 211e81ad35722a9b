// SPDX-License-Identifier: GPL-2.0-only
/*
 * hypercalls/cpu-state.c for the host dispatch test. Its CR0 and MSR
 * accessors are inline asm in arch/x86.h, left out of host builds; the
 * host versions below record into variables instead, then the unchanged
 * source is compiled here. Tests must not call the paths that still execute
 * privileged instructions (fpu_taskswitch(0): clts; SEGBASE_GS_USER_SEL).
 */
#include <shim/types.h>

uint64_t stub_msr_fs_base, stub_msr_kernel_gs_base, stub_cr0;

static inline uint64_t read_cr0(void) { return stub_cr0; }
static inline void write_cr0(uint64_t v) { stub_cr0 = v; }

static inline uint64_t rdmsr(uint32_t msr)
{
    return msr == 0xc0000100 ? stub_msr_fs_base :
           msr == 0xc0000102 ? stub_msr_kernel_gs_base : 0;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    if (msr == 0xc0000100)
        stub_msr_fs_base = v;
    else if (msr == 0xc0000102)
        stub_msr_kernel_gs_base = v;
}

#include "../../hypercalls/cpu-state.c"
