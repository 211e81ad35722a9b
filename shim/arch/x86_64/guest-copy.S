/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw guest-memory copies with exception-table fixups. A fault on a
 * `rep` instruction lands on the fixup with RCX holding the elements left
 * (string instructions update RCX per element, SDM vol. 1 7.3.9.1), from
 * which the bytes left are returned. Callers (guest-access.c) have already
 * range-checked the address. Copies move 8 bytes per element, then the
 * tail: under TCG each element of a `rep` is a pass through the
 * translated loop, so a bounce frame took 56 passes instead of 7.
 * Also the one privileged instruction the shim executes on the guest's
 * behalf that may fault on a bad value: xsetbv.
 */

    .text
/* size_t arch_copy_guest(void *dst, const void *src, size_t len) */
    .globl arch_copy_guest
arch_copy_guest:
    mov     %rdx, %rcx
    shr     $3, %rcx
    and     $7, %edx
1:  rep movsq
    mov     %rdx, %rcx
7:  rep movsb
2:  mov     %rcx, %rax
    ret
8:  lea     (%rdx,%rcx,8), %rax     /* quadwords left, and the tail */
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
    .quad 1b, 8b
    .quad 7b, 2b
    .quad 3b, 4b
    .quad 5b, 6b
