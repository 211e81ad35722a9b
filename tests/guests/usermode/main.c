// SPDX-License-Identifier: GPL-2.0-only
/*
 * usermode: guest user mode, the user root and the syscall callback.
 *
 * The guest builds a separate user L4 mapping only a code page and a stack
 * page at 4 MiB, pins it, installs it with MMUEXT_NEW_USER_BASEPTR, sets
 * its kernel stack with stack_switch and enters user mode through the
 * iret hypercall with CS = FLAT_USER_CS (RPL 3: xen/arch/x86/pv/iret.c
 * toggles to user mode and the user root). Then, in user mode:
 *
 *  0. `syscall` with no syscall callback registered -> #UD injected at the
 *     syscall (entry.S switch_to_kernel, Xen >= 4.15; contract 3.5). The
 *     kernel registers CALLBACKTYPE_syscall and returns to the same RIP.
 *  1. `syscall` again -> the syscall callback, in guest kernel mode (a
 *     hypercall works there), frame RIP = RCX = the user return address,
 *     CS = FLAT_USER_CS64 0xe033 (entry.S lstar_enter pushes it), user
 *     RSP. iret back to user.
 *  2. `syscall` once more -> callback again: the round trip repeats.
 *  3. A load from a kernel VA -> #PF with PFEC_user_mode set (Xen keeps U
 *     for guest-user faults, pv_inject_event), CR2 = that VA: user mode
 *     really runs on the user root, which does not map the kernel.
 */
#include "guest.h"

TEST_DESC("usermode", "user mode entry, syscall callback, user root", 0);

#define USER_CODE_VA   0x400000UL
#define USER_STACK_VA  0x401000UL
#define USER_RSP       (USER_STACK_VA + PAGE_SIZE - 16)

static uint8_t u_l4[PAGE_SIZE] __page_aligned_bss;
static uint8_t u_l3[PAGE_SIZE] __page_aligned_bss;
static uint8_t u_l2[PAGE_SIZE] __page_aligned_bss;
static uint8_t u_l1[PAGE_SIZE] __page_aligned_bss;
static uint8_t u_code[PAGE_SIZE] __page_aligned_bss;
static uint8_t u_stack[PAGE_SIZE] __page_aligned_bss;
static uint8_t k_stack[2 * PAGE_SIZE] __page_aligned_bss;

/* The user program, copied to USER_CODE_VA; position independent. */
extern const char user_code[], user_code_end[], user_sc1[], user_sc1_end[],
    user_sc2_end[], user_load[];
asm(".pushsection .rodata\n"
    "user_code:\n"
    "  mov $0x1111, %eax\n"
    "user_sc1:\n"
    "  syscall\n"
    "user_sc1_end:\n"
    "  mov $0x2222, %eax\n"
    "  syscall\n"
    "user_sc2_end:\n"
    "user_load:\n"
    "  mov (%rbx), %rax\n"          /* rbx = a kernel VA, from enter_user */
    "  ud2\n"
    "user_code_end:\n"
    ".popsection\n");

#define UVA(sym) (USER_CODE_VA + (uint64_t)((sym) - user_code))

static volatile unsigned int phase;
static volatile uint64_t kernel_word = 0x600d;

static uint64_t mfn_pte_of(const void *va, uint64_t flags)
{
    return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) | flags;
}

static __noreturn void finish(const char *why)
{
    if (why)
        test_fail("phase %u: %s", phase, why);
    test_exit();
}

static void expect_user_frame(const struct cpu_regs *r, uint64_t rip)
{
    if (r->rip != rip)
        test_fail("phase %u: RIP %#lx, expected %#lx", phase,
                  (unsigned long)r->rip, (unsigned long)rip);
    if ((r->cs & 3) != 3)
        test_fail("phase %u: CS %#lx is not a user selector", phase,
                  (unsigned long)r->cs);
    if (r->rsp != USER_RSP)
        test_fail("phase %u: RSP %#lx, expected %#lx", phase,
                  (unsigned long)r->rsp, (unsigned long)USER_RSP);
}

static bool user_hook(struct cpu_regs *r)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)syscall_entry,
    };

    switch (phase) {
    case 0:
        if (r->vector != X86_EXC_UD)
            break;
        printk("phase 0: #UD for syscall without callback\n");
        expect_user_frame(r, UVA(user_sc1));
        if (!CHECK_RC("CALLBACKOP_register syscall",
                      hypervisor_callback_op(CALLBACKOP_register, &cb), 0))
            finish(NULL);
        phase = 1;
        return true;            /* re-execute the syscall */
    case 1:
    case 2:
        if (r->vector != VEC_SYSCALL)
            break;
        printk("phase %u: syscall callback, rax %#lx\n", phase,
               (unsigned long)r->rax);
        expect_user_frame(r, phase == 1 ? UVA(user_sc1_end) : UVA(user_sc2_end));
        if (r->rax != (phase == 1 ? 0x1111u : 0x2222u))
            test_fail("phase %u: RAX %#lx", phase, (unsigned long)r->rax);
        /*
         * RCX is the return address SYSCALL saved. (R11 holds the user's
         * hardware RFLAGS, while the frame's RFLAGS.IF reflects the saved
         * upcall mask, so the two differ by design.)
         */
        if (r->rcx != r->rip)
            test_fail("phase %u: RCX %#lx does not match RIP", phase,
                      (unsigned long)r->rcx);
        if ((r->cs & 0xffff) != FLAT_USER_CS)
            test_fail("phase %u: CS %#lx, expected %#x", phase,
                      (unsigned long)r->cs, FLAT_USER_CS);
        /* In user mode this syscall would come back here, not to Xen. */
        if (hypervisor_xen_version(XENVER_version, NULL) <= 0)
            test_fail("phase %u: hypercall failed in the callback", phase);
        phase++;
        return true;            /* back to user mode */
    case 3:
        if (r->vector == X86_EXC_UD)
            finish("user mode read kernel memory: user root not in use?");
        if (r->vector != X86_EXC_PF)
            break;
        printk("phase 3: #PF from user mode, ec %#lx\n",
               (unsigned long)r->error_code);
        expect_user_frame(r, UVA(user_load));
        if (r->error_code != PFEC_USER)
            test_fail("#PF error code %#lx, expected %#x (U, not present, read)",
                      (unsigned long)r->error_code, PFEC_USER);
        if (last_trap.cr2 != (uint64_t)&kernel_word)
            test_fail("#PF cr2 %#lx, expected %p", (unsigned long)last_trap.cr2,
                      (void *)&kernel_word);
        finish(NULL);
    }
    dump_regs(r);
    finish("unexpected trap");
}

static bool build_user_tables(void)
{
    uint64_t *l4 = (uint64_t *)u_l4, *l3 = (uint64_t *)u_l3;
    uint64_t *l2 = (uint64_t *)u_l2, *l1 = (uint64_t *)u_l1;
    const uint64_t upper = PTE_P | PTE_RW | PTE_US | PTE_A;
    uint8_t *tables[] = { u_l1, u_l2, u_l3, u_l4 };
    unsigned int i;

    memcpy(u_code, user_code, (size_t)(user_code_end - user_code));

    /* 0x400000: L4 0, L3 0, L2 2, L1 0 (code) and 1 (stack). */
    l1[0] = mfn_pte_of(u_code, PTE_P | PTE_US | PTE_A);
    l1[1] = mfn_pte_of(u_stack, PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D);
    l2[2] = mfn_pte_of(u_l1, upper);
    l3[0] = mfn_pte_of(u_l2, upper);
    l4[0] = mfn_pte_of(u_l3, upper);

    /* Page tables must have no writable mapping before they are typed. */
    for (i = 0; i < ARRAY_SIZE(tables); i++)
        if (!CHECK_RC("make user table read-only",
                      set_page_writable(tables[i], false), 0))
            return false;
    if (!CHECK_RC("PIN_L4 user root",
                  mmuext_one(MMUEXT_PIN_L4_TABLE, virt_to_mfn(u_l4)), 0))
        return false;
    return CHECK_RC("NEW_USER_BASEPTR",
                    mmuext_one(MMUEXT_NEW_USER_BASEPTR, virt_to_mfn(u_l4)), 0);
}

void test_main(void)
{
    if (!build_user_tables())
        return;
    /* Where Xen puts the bounce frame on a user -> kernel switch. */
    if (!CHECK_RC("stack_switch",
                  hypervisor_stack_switch(FLAT_KERNEL_SS,
                                          (unsigned long)(k_stack + sizeof(k_stack))),
                  0))
        return;

    trap_hook = user_hook;
    phase = 0;
    printk("entering user mode at %#lx\n", USER_CODE_VA);
    enter_user(USER_CODE_VA, USER_RSP, (uint64_t)&kernel_word);
}
