/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall transfer for the 64-bit PV ABI (contract 2.1,
 * [H:arch-x86/xen-x86_64.h], Xen docs/guest-guide/x86/hypercall-abi.rst):
 * RAX = number, arguments in RDI, RSI, RDX, R10, R8, result in RAX; the
 * argument registers may be clobbered (debug Xen deliberately scribbles
 * over the unused ones, R9 included) and RCX/R11 are destroyed by the
 * SYSCALL/SYSRET pair.
 *
 * Two transfers exist. The default is a bare `syscall` executed in guest
 * kernel mode (what Linux does since XSA-466). A guest that puts
 * GUEST_USE_HYPERCALL_PAGE() in its main.c gets the HYPERCALL_PAGE ELF
 * note and a page for the hypervisor to fill, and then every hypercall
 * goes through `call hypercall_page + nr * 32`.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <xen-public/xen.h>

/*
 * VA of the page GUEST_USE_HYPERCALL_PAGE() defines, or NULL. (setup.c
 * takes it from a weak reference; main.c itself must not see a weak
 * declaration of the symbol its asm defines.)
 */
extern char *const hypercall_page_va;

#define HC_STR_(x) #x
#define HC_STR(x) HC_STR_(x)

/*
 * Opt a guest into the hypercall page: a page-aligned, executable page
 * filled with int3 (so an unfilled page traps instead of running garbage)
 * and the XEN_ELFNOTE_HYPERCALL_PAGE note carrying its VA
 * ([H:elfnote.h]; Xen fills it with pv_ring3_init_hypercall_page()).
 */
#define GUEST_USE_HYPERCALL_PAGE()                                        \
    asm(".pushsection .text.hypercall_page, \"ax\", @progbits\n"          \
        ".balign 4096\n"                                                  \
        ".globl hypercall_page\n"                                         \
        "hypercall_page:\n"                                               \
        ".fill 4096, 1, 0xcc\n"                                           \
        ".popsection\n"                                                   \
        ".pushsection .note.Xen, \"a\", @note\n"                          \
        ".balign 4\n"                                                     \
        ".long 4, 8, " HC_STR(XEN_ELFNOTE_HYPERCALL_PAGE) "\n"            \
        ".asciz \"Xen\"\n"                                                \
        ".balign 4\n"                                                     \
        ".quad hypercall_page\n"                                          \
        ".popsection\n")

/* Set by setup.c when a declared page was left unfilled. */
extern int hypercall_page_broken;

static inline int hypercall_page_declared(void)
{
    return hypercall_page_va != NULL;
}

/* Bare `syscall` transfer, whatever the guest declared. */
static inline long hypercall_syscall(unsigned long nr, unsigned long a1,
                                     unsigned long a2, unsigned long a3,
                                     unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
                   "+r"(r8)
                 : "0"(nr)
                 : "rcx", "r9", "r11", "memory");
    return ret;
}

/* Transfer through slot nr of the hypercall page (nr < 128). */
static inline long hypercall_via_page(unsigned long nr, unsigned long a1,
                                      unsigned long a2, unsigned long a3,
                                      unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    const char *slot = hypercall_page_va + nr * XEN_HYPERCALL_SLOT_SIZE;
    long ret;

    asm volatile("call *%[slot]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
                   "+r"(r8)
                 : "0"(nr), [slot] "r"(slot)
                 : "rcx", "r9", "r11", "memory");
    return ret;
}

static inline long hypercall(unsigned long nr, unsigned long a1,
                             unsigned long a2, unsigned long a3,
                             unsigned long a4, unsigned long a5)
{
    if (hypercall_page_declared() && !hypercall_page_broken &&
        nr < 4096 / XEN_HYPERCALL_SLOT_SIZE)
        return hypercall_via_page(nr, a1, a2, a3, a4, a5);
    return hypercall_syscall(nr, a1, a2, a3, a4, a5);
}

#define HC_UL(x) ((unsigned long)(x))
#define HYPERCALL0(nr)             hypercall(nr, 0, 0, 0, 0, 0)
#define HYPERCALL1(nr, a)          hypercall(nr, HC_UL(a), 0, 0, 0, 0)
#define HYPERCALL2(nr, a, b)       hypercall(nr, HC_UL(a), HC_UL(b), 0, 0, 0)
#define HYPERCALL3(nr, a, b, c)    hypercall(nr, HC_UL(a), HC_UL(b), HC_UL(c), 0, 0)
#define HYPERCALL4(nr, a, b, c, d) hypercall(nr, HC_UL(a), HC_UL(b), HC_UL(c), HC_UL(d), 0)

static inline long hypervisor_set_trap_table(const struct trap_info *t)
{
    return HYPERCALL1(__HYPERVISOR_set_trap_table, t);
}

static inline long hypervisor_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done)
{
    return HYPERCALL4(__HYPERVISOR_mmu_update, req, count, done, DOMID_SELF);
}

static inline long hypervisor_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done)
{
    return HYPERCALL4(__HYPERVISOR_mmuext_op, op, count, done, DOMID_SELF);
}

static inline long hypervisor_update_va_mapping(const void *va, uint64_t pte,
                                                unsigned long flags)
{
    return HYPERCALL3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hypervisor_stack_switch(unsigned long ss, unsigned long sp)
{
    return HYPERCALL2(__HYPERVISOR_stack_switch, ss, sp);
}

static inline long hypervisor_xen_version(int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long hypervisor_console_io(int cmd, unsigned int len,
                                         const char *buf)
{
    return HYPERCALL3(__HYPERVISOR_console_io, cmd, len, buf);
}

static inline long hypervisor_sched_op(int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long hypervisor_multicall(struct multicall_entry *calls,
                                        unsigned int nr)
{
    return HYPERCALL2(__HYPERVISOR_multicall, calls, nr);
}

static inline long hypervisor_callback_op(int cmd, const void *arg)
{
    return HYPERCALL2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long hypervisor_event_channel_op(int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long hypervisor_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return HYPERCALL3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* frames[] holds MFNs (a PV guest's GFNs are MFNs). */
static inline long hypervisor_set_gdt(const unsigned long *frames,
                                      unsigned int entries)
{
    return HYPERCALL2(__HYPERVISOR_set_gdt, frames, entries);
}

/* maddr: machine address of the 8-byte descriptor slot. */
static inline long hypervisor_update_descriptor(uint64_t maddr, uint64_t desc)
{
    return HYPERCALL2(__HYPERVISOR_update_descriptor, maddr, desc);
}

/* One-op convenience wrapper around mmuext_op. */
static inline long mmuext_one(unsigned int cmd, unsigned long arg1)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    return hypervisor_mmuext_op(&op, 1, 0);
}

/* One-entry convenience wrapper around mmu_update. */
static inline long mmu_update_one(uint64_t ptr, uint64_t val)
{
    struct mmu_update req = { .ptr = ptr, .val = val };

    return hypervisor_mmu_update(&req, 1, 0);
}

#endif
