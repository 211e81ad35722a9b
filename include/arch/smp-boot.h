/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the boot CPU hands a starting CPU (ap-trampoline.S, smp-boot.c).
 * The trampoline page sits below 1 MiB (the SIPI vector is its page
 * number), in low memory the shim owns and never gives to the guest.
 */
#ifndef ARCH_SMP_BOOT_H
#define ARCH_SMP_BOOT_H

#define AP_TRAMPOLINE_PHYS  0x6000

#define AP_PARAM_CR3    0       /* 32-bit: a page table mapping the trampoline 1:1 */
#define AP_PARAM_EFER   4       /* 32-bit: EFER bits to set besides LME */
#define AP_PARAM_STACK  8
#define AP_PARAM_ENTRY  16
#define AP_PARAM_CPU    24
#define AP_PARAMS_SIZE  32

#ifndef __ASSEMBLY__
#include <shim/types.h>

struct ap_params {
    uint32_t cr3;
    uint32_t efer;
    uint64_t stack;
    uint64_t entry;
    uint64_t cpu;
};
_Static_assert(__builtin_offsetof(struct ap_params, cr3) == AP_PARAM_CR3, "ap_params");
_Static_assert(__builtin_offsetof(struct ap_params, efer) == AP_PARAM_EFER, "ap_params");
_Static_assert(__builtin_offsetof(struct ap_params, stack) == AP_PARAM_STACK, "ap_params");
_Static_assert(__builtin_offsetof(struct ap_params, entry) == AP_PARAM_ENTRY, "ap_params");
_Static_assert(__builtin_offsetof(struct ap_params, cpu) == AP_PARAM_CPU, "ap_params");
_Static_assert(sizeof(struct ap_params) == AP_PARAMS_SIZE, "ap_params");
#endif

#endif
