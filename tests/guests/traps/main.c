// SPDX-License-Identifier: GPL-2.0-only
/*
 * traps: exception and software-interrupt delivery to the trap table, in
 * guest kernel mode.
 *
 * Xen rules checked (contract 3.2; xen/arch/x86/x86_64/entry.S
 * create_bounce_frame, xen/arch/x86/pv/traps.c pv_inject_event,
 * xen/arch/x86/traps.c do_general_protection):
 *  - #UD (ud2) -> trap 6, RIP at the ud2, no error code. The bounce frame
 *    of a kernel-mode interruption has CS = FLAT_KERNEL_CS with RPL
 *    cleared (0xe030), the saved upcall mask (1) in CS bits 32-39 and
 *    RFLAGS.IF = !mask = 0.
 *  - #GP: a non-canonical load -> trap 13, error code 0, RIP at the load
 *    (not one of the instructions Xen emulates, so it is bounced as is).
 *  - #PF on an unmapped address -> trap 14, CR2 in vcpu_info.arch.cr2,
 *    error code without the U bit (Xen re-derives PFEC_user_mode from the
 *    guest mode): 0 for a read, W for a write.
 *  - int3 -> trap 3, RIP after the int3.
 *  - int $0x80 with no trap_ctxt[0x80] handler: int80_slow_path turns it
 *    into #GP with error code (0x80 << 3) | 2, RIP at the int.
 *  - int $0x80 with a handler -> the 0x80 handler, RIP after the int. The
 *    direct path (entry.S entry_int80) does not look at the vDPL, so this
 *    holds for DPL 3 and for DPL 0 alike.
 *  - int $0x81 goes through #GP and permit_softint(dpl): in guest kernel
 *    mode DPL >= 1 is delivered to trap 0x81 (RIP after the int); DPL 0
 *    gives #GP with error code (0x81 << 3) | 2 and RIP at the int.
 */
#include "guest.h"

TEST_DESC("traps", "exception and int $n delivery through the trap table", 0);

/* Expect exactly one trap of `vec` at `rip` with error code `ec`. */
static void expect_trap(const char *what, uint64_t vec, uint64_t rip,
                        uint64_t ec)
{
    if (last_trap.count != 1) {
        test_fail("%s: %u traps seen, expected 1", what, last_trap.count);
        return;
    }
    if (last_trap.vector != vec || last_trap.rip != rip ||
        last_trap.error_code != ec)
        test_fail("%s: got vec %lu rip %#lx ec %#lx, expected vec %lu rip %#lx ec %#lx",
                  what, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.rip,
                  (unsigned long)last_trap.error_code, (unsigned long)vec,
                  (unsigned long)rip, (unsigned long)ec);
}

static void test_ud(void)
{
    uint64_t at;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: ud2\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=r"(at) :: "memory");
    expect_trap("ud2", X86_EXC_UD, at, 0);

    /* Bounce-frame details of a kernel-mode interruption. */
    if ((last_trap.cs & 0xffff) != (FLAT_KERNEL_CS & ~3))
        test_fail("ud2: frame CS %#lx, expected %#x (RPL cleared)",
                  (unsigned long)(last_trap.cs & 0xffff), FLAT_KERNEL_CS & ~3);
    if (((last_trap.cs >> 32) & 0xff) != 1)
        test_fail("ud2: saved upcall mask %lu in CS[39:32], expected 1",
                  (unsigned long)((last_trap.cs >> 32) & 0xff));
    if (last_trap.rflags & X86_EFLAGS_IF)
        test_fail("ud2: RFLAGS.IF set although events were masked");
    if ((last_trap.ss & 0xffff) != FLAT_KERNEL_SS)
        test_fail("ud2: frame SS %#lx, expected %#x",
                  (unsigned long)last_trap.ss, FLAT_KERNEL_SS);
}

static void test_gp(void)
{
    uint64_t at, val;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: mov (%2), %1\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at), "=&r"(val)
                 : "r"(0x8000000000000000UL) : "memory");
    expect_trap("non-canonical load", X86_EXC_GP, at, 0);
}

static void test_pf(void)
{
    /* L4 slot 0 is empty: the builder maps only from VIRT_BASE up. */
    const unsigned long addr = 0x10000008UL;
    uint64_t at, val = 0;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: mov (%2), %1\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at), "=&r"(val) : "r"(addr) : "memory");
    expect_trap("read of unmapped address", X86_EXC_PF, at, 0);
    if (last_trap.cr2 != addr)
        test_fail("read #PF: vcpu_info cr2 %#lx, expected %#lx",
                  (unsigned long)last_trap.cr2, addr);

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: mov %1, (%2)\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"(val), "r"(addr + 8) : "memory");
    expect_trap("write to unmapped address", X86_EXC_PF, at, PFEC_WRITE);
    if (last_trap.cr2 != addr + 8)
        test_fail("write #PF: vcpu_info cr2 %#lx, expected %#lx",
                  (unsigned long)last_trap.cr2, addr + 8);
}

static void test_int3(void)
{
    uint64_t after;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "int3\n"
                 "1:\n" ASM_EXTABLE(1b, 1b)
                 : "=r"(after) :: "memory");
    expect_trap("int3", X86_EXC_BP, after, 0);
}

/* int $0x80 / $0x81: returns the address of the int and of the next insn. */
#define INT_N(n, at, after)                                                \
    asm volatile("lea 1f(%%rip), %0\n"                                     \
                 "lea 2f(%%rip), %1\n"                                     \
                 "1: int $" #n "\n"                                        \
                 "2:\n" ASM_EXTABLE(1b, 2b) ASM_EXTABLE(2b, 2b)            \
                 : "=&r"(at), "=&r"(after) :: "memory")

static void test_int80(void)
{
    uint64_t at, after;
    long rc;

    /* No handler yet (traps_init covers 0-31 only). */
    trap_reset();
    INT_N(0x80, at, after);
    expect_trap("int $0x80 without handler", X86_EXC_GP, at, (0x80 << 3) | 2);

    rc = trap_set(0x80, 3, trap_entry_128);
    if (!CHECK_RC("set_trap_table 0x80 DPL 3", rc, 0))
        return;
    trap_reset();
    INT_N(0x80, at, after);
    expect_trap("int $0x80 DPL 3", 0x80, after, 0);

    rc = trap_set(0x80, 0, trap_entry_128);
    if (!CHECK_RC("set_trap_table 0x80 DPL 0", rc, 0))
        return;
    trap_reset();
    INT_N(0x80, at, after);
    expect_trap("int $0x80 DPL 0 (direct path ignores vDPL)", 0x80, after, 0);
}

static void test_int81(void)
{
    static const struct { unsigned int dpl; bool delivered; } cases[] = {
        { 3, true }, { 1, true }, { 0, false },
    };
    uint64_t at, after;
    unsigned int i;
    char what[48];

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(what, sizeof(what), "int $0x81 DPL %u", cases[i].dpl);
        if (!CHECK_RC(what, trap_set(0x81, cases[i].dpl, trap_entry_129), 0))
            return;
        trap_reset();
        INT_N(0x81, at, after);
        if (cases[i].delivered)
            expect_trap(what, 0x81, after, 0);
        else
            expect_trap(what, X86_EXC_GP, at, (0x81 << 3) | 2);
    }
}

void test_main(void)
{
    test_ud();
    test_gp();
    test_pf();
    test_int3();
    test_int80();
    test_int81();
}
