/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw guest-memory copies with exception-table fixups. A fault on the
 * `rep` instruction lands on the fixup with RCX holding the bytes left
 * (string instructions update RCX per element, SDM vol. 1 7.3.9.1), which is
 * returned. Callers (guest-access.c) have already range-checked the address.
 * Also the one privileged instruction the shim executes on the guest's
 * behalf that may fault on a bad value: xsetbv.
 */

    .text
/* size_t arch_copy_guest(void *dst, const void *src, size_t len) */
    .globl arch_copy_guest
arch_copy_guest:
    mov     %rdx, %rcx
1:  rep movsb
2:  mov     %rcx, %rax
    ret

/* size_t arch_clear_guest(void *dst, size_t len) */
    .globl arch_clear_guest
arch_clear_guest:
    mov     %rsi, %rcx
    xor     %eax, %eax
3:  rep stosb
4:  mov     %rcx, %rax
    ret

/* int arch_xsetbv_safe(uint64_t xcr0) */
    .globl arch_xsetbv_safe
arch_xsetbv_safe:
    mov     %rdi, %rax
    mov     %rdi, %rdx
    shr     $32, %rdx
    xor     %ecx, %ecx
5:  xsetbv
    xor     %eax, %eax
    ret
6:  mov     $-1, %eax
    ret

    .section .ex_table, "a"
    .balign 8
    .quad 1b, 2b
    .quad 3b, 4b
    .quad 5b, 6b
