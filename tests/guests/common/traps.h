/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception delivery as a 64-bit PV guest sees it.
 *
 * Xen bounces an exception to trap_ctxt[vec].address with RSP pointing at
 * RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS (create_bounce_frame,
 * xen/arch/x86/x86_64/entry.S; contract 3.2). The CS slot carries the
 * saved upcall mask in bits 32-39; a kernel-mode interruption has RPL 0 in
 * the saved CS. The entry stubs (traps-entry.S) pop RCX/R11, normalise the
 * frame to struct cpu_regs, call trap_dispatch() and return with the iret
 * hypercall (contract 3.4, xen/arch/x86/pv/iret.c).
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_BP  3
#define X86_EXC_UD  6
#define X86_EXC_GP  13
#define X86_EXC_PF  14

#define PFEC_PRESENT 0x1
#define PFEC_WRITE   0x2
#define PFEC_USER    0x4

/* Pseudo vectors the syscall and event callback entries report. */
#define VEC_SYSCALL  0x100
#define VEC_EVENT    0x101

#define X86_EFLAGS_IF 0x200

#ifndef __ASSEMBLY__

struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;        /* error_code 0 if none */
    uint64_t rip, cs, rflags, rsp, ss;  /* as bounced by the hypervisor */
};

/* What the last trap looked like (cleared by trap_reset()). */
struct trap_record {
    unsigned int count;
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss, cr2;
};
extern volatile struct trap_record last_trap;
void trap_reset(void);

/*
 * Store val to *va with a fault fixup, after trap_reset(). Returns the
 * address of the store instruction, to compare with last_trap.rip; a store
 * that did not fault leaves last_trap.count at 0.
 */
uint64_t store_catching_fault(volatile uint64_t *va, uint64_t val);

/*
 * Optional per-test hook, called first for every trap. Return true when
 * handled (the frame may have been edited; it is resumed with iret).
 */
extern bool (*trap_hook)(struct cpu_regs *regs);

/*
 * Event upcall handler (CALLBACKTYPE_event with event_entry as address).
 * Runs with events masked (Xen bounces the upcall with TBF_INTERRUPT) and
 * is resumed with iret, which restores the mask from the frame's RFLAGS.IF.
 * Upcalls are not counted in last_trap; without a handler one is an ERROR.
 */
extern void (*event_hook)(struct cpu_regs *regs);

/* Entry points: trap_entry_table[v] for vectors 0-31, plus the ones below. */
extern const uint64_t trap_entry_table[32];
extern char trap_entry_128[], trap_entry_129[], syscall_entry[], event_entry[];

/* Install the default table (vectors 0-31, DPL 0, #BP/#OF DPL 3). */
long traps_init(void);
/* Set one trap_ctxt entry: flags bits 0-1 = DPL, bit 2 = mask events. */
long trap_set(unsigned int vector, unsigned int flags, const void *handler);

/* Dump a frame on the console. */
void dump_regs(const struct cpu_regs *regs);

/*
 * Exception table: a fault at `fault` resumes at `fixup` (in the style of
 * Linux and XTF). Use inside an asm statement next to the faulting
 * instruction. For traps (int3, int $n) list the address after the
 * instruction as `fault`, since that is the RIP Xen reports.
 */
#define ASM_EXTABLE(fault, fixup)                  \
    ".pushsection .ex_table, \"a\"\n"              \
    ".balign 8\n"                                  \
    ".quad " #fault ", " #fixup "\n"               \
    ".popsection\n"

/*
 * Enter guest user mode at rip with stack rsp and rbx = arg, through the
 * iret hypercall with CS = FLAT_USER_CS (RPL 3 => Xen toggles to user
 * mode and the user root, pv/iret.c do_iret). RFLAGS.IF = 0 keeps the
 * upcall mask set. Does not return.
 */
__attribute__((noreturn)) void enter_user(uint64_t rip, uint64_t rsp,
                                          uint64_t rbx);

#endif /* __ASSEMBLY__ */
#endif
