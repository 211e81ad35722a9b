// SPDX-License-Identifier: GPL-2.0-only
/*
 * HYPERVISOR_iret: the guest kernel's way back to an interrupted context
 * (contract 3.4, Xen pv/iret.c). The frame sits at the guest RSP:
 * RAX, R11, RCX, flags, RIP, CS, RFLAGS, RSP, SS. Returning to a CS with
 * RPL 3 means returning to guest user mode.
 */
#include <arch/traps.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/log.h>

long do_iret(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    struct cpu_regs *regs = v->regs;
    struct iret_context ctx;

    if (copy_from_guest(&ctx, regs->rsp, sizeof(ctx)))
        domain_crash("iret: unreadable frame at %#lx\n", (unsigned long)regs->rsp);

    if ((ctx.cs & 3) == 3) {
        if (!v->guest_table_user)
            domain_crash("iret to user mode without user page tables\n");
        toggle_guest_mode(v);
    }
    regs->rip = ctx.rip;
    regs->cs = ctx.cs | 3;
    regs->rsp = ctx.rsp;
    regs->ss = ctx.ss | 3;
    regs->rflags = (ctx.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                   X86_EFLAGS_IF | X86_EFLAGS_MBS;
    if (!(ctx.flags & VGCF_in_syscall)) {
        regs->r11 = ctx.r11;
        regs->rcx = ctx.rcx;
    }
    /* The guest's virtual IF is its upcall mask. */
    v->vcpu_info->evtchn_upcall_mask = !(ctx.rflags & X86_EFLAGS_IF);
    return (long)ctx.rax;
}
