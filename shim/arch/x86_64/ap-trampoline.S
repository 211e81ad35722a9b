/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Start-up code of the other CPUs. smp-boot.c copies it to AP_TRAMPOLINE_PHYS
 * (below 1 MiB, as the SIPI vector demands) and fills ap_params; a CPU
 * started there in real mode goes through 32-bit protected mode straight to
 * long mode on a page table that maps this page 1:1 next to the shim's own
 * slots, then jumps to ap_params.entry(cpu) on ap_params.stack.
 *
 * Everything is addressed as AP_TRAMPOLINE_PHYS + offset, because the code
 * runs at that address and not where it was linked.
 */
#include <arch/smp-boot.h>

#define T(sym) (AP_TRAMPOLINE_PHYS + ((sym) - ap_trampoline))

    .section .rodata.ap_trampoline, "a"
    .balign 16
    .globl ap_trampoline, ap_trampoline_end, ap_params
    .code16
ap_trampoline:
    cli
    cld
    xor     %ax, %ax
    mov     %ax, %ds
    lgdtl   T(tramp_gdtr)
    mov     %cr0, %eax
    or      $1, %eax                /* PE */
    mov     %eax, %cr0
    ljmpl   $0x08, $T(tramp_32)

    .code32
tramp_32:
    mov     $0x10, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %cr4, %eax
    or      $(1 << 5), %eax         /* PAE */
    mov     %eax, %cr4
    mov     T(ap_params + AP_PARAM_CR3), %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx       /* EFER: LME, plus NXE when the boot CPU has it */
    rdmsr
    or      $(1 << 8), %eax
    or      T(ap_params + AP_PARAM_EFER), %eax
    wrmsr
    mov     %cr0, %eax
    or      $((1 << 31) | (1 << 16)), %eax  /* PG, WP */
    mov     %eax, %cr0
    ljmp    $0x18, $T(tramp_64)

    .code64
tramp_64:
    mov     T(ap_params + AP_PARAM_STACK), %rsp
    mov     T(ap_params + AP_PARAM_CPU), %edi
    mov     T(ap_params + AP_PARAM_ENTRY), %rax
    xor     %ebp, %ebp
    jmp     *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* 0x08: 32-bit ring-0 code */
    .quad 0x00cf92000000ffff        /* 0x10: ring-0 data */
    .quad 0x00af9a000000ffff        /* 0x18: 64-bit ring-0 code */
tramp_gdtr:
    .word tramp_gdtr - tramp_gdt - 1
    .long T(tramp_gdt)

    .balign 8
ap_params:
    .skip AP_PARAMS_SIZE
ap_trampoline_end:
