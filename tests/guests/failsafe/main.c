// SPDX-License-Identifier: GPL-2.0-only
/*
 * failsafe: a return the CPU would refuse reaches the guest's failsafe
 * callback instead of killing the domain (contract 3.5; Xen entry.S turns a
 * faulting exit to the guest into a bounce to failsafe_callback with the
 * frame RCX, R11, DS, ES, FS, GS, RIP, CS | mask << 32, RFLAGS, RSP, SS).
 * The test irets, staying in kernel mode (RPL 0 in the frame, Xen iret.c),
 * to a CS that selects an empty GDT slot (0x28: the guest never loaded a
 * GDT, so every guest slot is empty) and checks that the
 * failsafe handler runs in kernel mode with the refused RIP and CS in its
 * frame, events masked as CALLBACKF_mask_events asked, and the shim healthy.
 */
#include "guest.h"

TEST_DESC("failsafe", "bad return frames reach the failsafe callback", 0);

#define BAD_CS   0x28
#define BAD_RIP  0xffffffff80dead00UL

static uint64_t frame[11];
static uint8_t failsafe_stack[4096] __aligned(16);
uint64_t failsafe_stack_top = (uint64_t)(failsafe_stack + sizeof(failsafe_stack));

void failsafe_entry(void);
void failsafe_c(const uint64_t *f);
__asm__(".pushsection .text\n"
        ".globl failsafe_entry\n"
        "failsafe_entry:\n\t"
        "mov %rsp, %rdi\n\t"
        "mov failsafe_stack_top(%rip), %rsp\n\t"
        "call failsafe_c\n\t"
        "ud2\n"
        ".popsection");

void failsafe_c(const uint64_t *f)
{
    memcpy(frame, f, sizeof(frame));
    if (frame[6] != BAD_RIP)
        test_fail("failsafe frame RIP %#lx, expected %#lx",
                  (unsigned long)frame[6], BAD_RIP);
    if ((frame[7] & 0xfffc) != BAD_CS)
        test_fail("failsafe frame CS %#lx, expected %#x",
                  (unsigned long)(frame[7] & 0xffff), BAD_CS);
    if (!vcpu_info->evtchn_upcall_mask)
        test_fail("events not masked in the failsafe callback");
    /* The shim is still healthy: a hypercall works. */
    CHECK_RC("xen_version after the failsafe bounce",
             hypervisor_xen_version(XENVER_version, NULL) >> 16, 4);
    printk("failsafe callback reached with rip %#lx cs %#lx\n",
           (unsigned long)frame[6], (unsigned long)frame[7]);
    test_exit();
}

void test_main(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_entry,
    };
    static struct iret_context ctx __aligned(16);

    if (!CHECK_RC("register failsafe callback",
                  hypervisor_callback_op(CALLBACKOP_register, &cb), 0))
        return;
    ctx.rax = 0;
    ctx.rip = BAD_RIP;
    ctx.cs = BAD_CS;
    ctx.rflags = 0x2;       /* IF clear: events stay masked */
    ctx.rsp = failsafe_stack_top - 512;
    ctx.ss = FLAT_KERNEL_SS;
    /* HYPERVISOR_iret: the frame at RSP, then syscall with eax = 23. */
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "mov $23, %%eax\n\t"
                     "syscall\n\t"
                     "ud2"
                     :: "r"(&ctx) : "memory");
    test_error("iret with a bad CS returned");
}
