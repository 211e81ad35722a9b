/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception, software-interrupt and syscall-callback entry stubs.
 *
 * On entry RSP points at the Xen bounce frame
 *   RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS
 * (create_bounce_frame in xen/arch/x86/x86_64/entry.S). Each stub pops the
 * interrupted RCX/R11 (as Linux's xen_pv_trap stubs do), pushes a zero
 * error code where the vector has none, then the vector number, and joins
 * trap_common, which saves the GPRs as struct cpu_regs (traps.h) and calls
 * trap_dispatch(). Return is the iret hypercall: push RAX, R11, RCX and
 * flags = 0 on top of the hardware-shaped RIP..SS part and `syscall` with
 * EAX = __HYPERVISOR_iret (struct iret_context in
 * [H:arch-x86/xen-x86_64.h]; Linux arch/x86/xen/xen-asm.S xen_iret).
 */
#include "traps.h"

#define HYPERVISOR_IRET 23      /* __HYPERVISOR_iret, [H:xen.h] */
#define FLAT_USER_CS    0xe033  /* [H:arch-x86/xen-x86_64.h] */
#define FLAT_USER_SS    0xe02b

        .text
        .code64

/* Vectors that push an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
.macro TRAP_ENTRY vec
        .globl trap_entry_\vec
trap_entry_\vec:
        pop     %rcx
        pop     %r11
.if (\vec != 8) && (\vec != 10) && (\vec != 11) && (\vec != 12) && (\vec != 13) && (\vec != 14) && (\vec != 17) && (\vec != 21) && (\vec != 29) && (\vec != 30)
        push    $0
.endif
        push    $\vec
        jmp     trap_common
.endm

.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,128,129
        TRAP_ENTRY \v
.endr

/* CALLBACKTYPE_syscall: the frame has no error code (switch_to_kernel). */
        .globl syscall_entry
syscall_entry:
        pop     %rcx
        pop     %r11
        push    $0
        push    $VEC_SYSCALL
        jmp     trap_common

/* CALLBACKTYPE_event: no error code either (test_guest_events). */
        .globl event_entry
event_entry:
        pop     %rcx
        pop     %r11
        push    $0
        push    $VEC_EVENT
        jmp     trap_common

trap_common:
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, %rdi
        mov     %rsp, %rbx              /* callee-saved: frame pointer */
        and     $~15, %rsp              /* SysV call alignment */
        call    trap_dispatch
        mov     %rbx, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
        add     $16, %rsp               /* vector, error code */
        /* RSP now at RIP, CS, RFLAGS, RSP, SS: complete the iret_context. */
        push    $0                      /* flags: not VGCF_in_syscall */
        push    %rcx
        push    %r11
        push    %rax
        mov     $HYPERVISOR_IRET, %eax
        syscall
        ud2                             /* iret does not return here */

/* void enter_user(uint64_t rip, uint64_t rsp, uint64_t rbx) */
        .globl enter_user
enter_user:
        mov     %rdx, %rbx
        push    $FLAT_USER_SS           /* SS */
        push    %rsi                    /* RSP */
        push    $0x2                    /* RFLAGS: IF=0 keeps events masked */
        push    $FLAT_USER_CS           /* CS: RPL 3 => to user mode */
        push    %rdi                    /* RIP */
        push    $0                      /* flags */
        push    $0                      /* RCX */
        push    $0                      /* R11 */
        push    $0                      /* RAX */
        mov     $HYPERVISOR_IRET, %eax
        syscall
        ud2

        .section .rodata
        .balign 8
        .globl trap_entry_table
trap_entry_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   trap_entry_\v
.endr
