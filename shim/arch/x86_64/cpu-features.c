// SPDX-License-Identifier: GPL-2.0-only
/*
 * FPU, SSE, XSAVE and SMEP: the same on every CPU, because a vCPU may rely
 * on what vCPU 0 was given (CPUID is answered once for the domain).
 */
#include <arch/cpu-init.h>
#include <arch/x86.h>

/* FPU/SSE on for the guest (the shim itself never touches them). */
void cpu_features_init(void)
{
    uint32_t a, b, c, d;
    uint64_t cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP | X86_CR0_NE);
    cpuid_count(1, 0, &a, &b, &c, &d);
    if (c & BIT(26))                /* XSAVE: the guest gets it with OSXSAVE */
        cr4 |= X86_CR4_OSXSAVE;
    cpuid_count(7, 0, &a, &b, &c, &d);
    if (b & BIT(7))                 /* SMEP: the shim never runs guest code */
        cr4 |= X86_CR4_SMEP;
    write_cr4(cr4);
    if (cr4 & X86_CR4_OSXSAVE) {
        uint64_t xcr0;

        /* x87, SSE and, where present, AVX: what a PV guest can use. */
        cpuid_count(0xd, 0, &a, &b, &c, &d);
        xcr0 = a & 0x7;
        __asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
    }
    __asm__ volatile("fninit");
}

