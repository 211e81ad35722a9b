/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every way into the shim: the 256 IDT stubs and the SYSCALL entry points.
 * Each builds a struct cpu_regs (include/arch/regs.h) on the shim stack and
 * calls C; the common exit restores that frame and IRETs.
 *
 * GS: while the guest runs, GS_BASE is the guest's and KERNEL_GS_BASE points
 * at this CPU's struct percpu, so an entry from the guest (CPL 3) swaps them
 * and the exit to the guest swaps back. Entries from the shim itself (CPL 0)
 * never swap. The shim always runs with interrupts off, except where it
 * explicitly waits for one (safe_halt).
 */
#include <arch/percpu.h>
#include <arch/regs.h>

#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_SS   0xe02b
#define FLAT_RING3_CS64 0xe033

.macro SAVE_GPRS
    push    %rdi
    push    %rsi
    push    %rdx
    push    %rcx
    push    %rax
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
.endm

.macro RESTORE_GPRS
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rax
    pop     %rcx
    pop     %rdx
    pop     %rsi
    pop     %rdi
.endm

    .section .text.entry, "ax"

/* IDT stubs, 16 bytes apart: idt_stubs + vector * 16. */
    .balign 16
    .globl idt_stubs
idt_stubs:
vec = 0
.rept 256
    .balign 16
    /* Vectors 8, 10-14, 17, 21, 29, 30 push an error code; give the others a 0. */
    .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
    push    $0
    .endif
    push    $vec
    jmp     common_entry
vec = vec + 1
.endr

common_entry:
    /* Stack: vector, error code, rip, cs, rflags, rsp, ss. */
    testb   $3, 24(%rsp)
    jz      1f
    swapgs
1:  SAVE_GPRS
    cld
    mov     %rsp, %rdi
    call    trap_entry
    jmp     exit_to_frame

/*
 * SYSCALL from CPL 3: RCX = return RIP, R11 = RFLAGS, RSP still the guest's,
 * interrupts masked by SYSCALL_MASK. Build the same frame as an interrupt
 * would, with the flat ring-3 selectors the guest was running on.
 */
    .globl syscall_entry64
syscall_entry64:
    swapgs
    mov     %rsp, %gs:PCPU_SCRATCH
    mov     %gs:PCPU_STACK_TOP, %rsp
    push    $FLAT_RING3_SS
    push    %gs:PCPU_SCRATCH
    push    %r11
    push    $FLAT_RING3_CS64
    push    %rcx
    push    $0
    push    $ENTRY_SYSCALL64
    SAVE_GPRS
    cld
    mov     %rsp, %rdi
    call    syscall_entry
    jmp     exit_to_frame

    .globl syscall_entry32
syscall_entry32:
    swapgs
    mov     %rsp, %gs:PCPU_SCRATCH
    mov     %gs:PCPU_STACK_TOP, %rsp
    push    $FLAT_RING3_SS
    push    %gs:PCPU_SCRATCH
    push    %r11
    push    $FLAT_RING3_CS32
    push    %rcx
    push    $0
    push    $ENTRY_SYSCALL32
    SAVE_GPRS
    cld
    mov     %rsp, %rdi
    call    syscall_entry
    jmp     exit_to_frame

/*
 * Restore the frame at %rsp. C has already validated a frame that returns to
 * the guest (canonical RIP, usable CS/SS), so the IRET cannot fault.
 */
    .globl exit_to_frame
exit_to_frame:
    cli
    testb   $3, REGS_CS(%rsp)
    jz      2f
    RESTORE_GPRS
    add     $16, %rsp
    swapgs
    iretq
2:  RESTORE_GPRS
    add     $16, %rsp
    iretq

/*
 * First entry into the guest: rdi = a prepared struct cpu_regs. Switch to
 * this CPU's stack top with the frame copied there and leave through the
 * common exit, exactly as if returning from a trap.
 */
    .globl enter_guest_frame
enter_guest_frame:
    mov     %rdi, %rsi              /* source: a frame outside this stack */
    mov     %gs:PCPU_STACK_TOP, %rsp
    sub     $REGS_SIZE, %rsp
    mov     %rsp, %rdi
    mov     $(REGS_SIZE / 8), %ecx
    rep movsq
    jmp     exit_to_frame
