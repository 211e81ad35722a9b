/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register frame every shim entry (exception, interrupt, syscall) builds
 * on the shim stack. entry.S pushes it in this order; C code edits it and the
 * exit path restores it, so changing the layout means changing entry.S.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define ENTRY_SYSCALL64  0x100   /* entry_vector of a 64-bit syscall */
#define ENTRY_SYSCALL32  0x101   /* syscall from compat mode (CSTAR) */

#define REGS_RAX     80
#define REGS_VECTOR  120
#define REGS_RIP     136
#define REGS_CS      144
#define REGS_SIZE    176

#ifndef __ASSEMBLY__
#include <shim/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t entry_vector;
    uint64_t error_code;
    /* The hardware interrupt frame (synthesised for syscall). */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct cpu_regs, rax) == REGS_RAX, "regs rax");
_Static_assert(__builtin_offsetof(struct cpu_regs, entry_vector) == REGS_VECTOR, "regs vector");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "regs rip");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == REGS_CS, "regs cs");
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "regs size");

static inline bool regs_from_guest(const struct cpu_regs *r) { return (r->cs & 3) != 0; }

/* The general register with x86 encoding n (0 = RAX ... 15 = R15). */
static inline uint64_t *regs_gpr(struct cpu_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return map[n & 15];
}
#endif

#endif
