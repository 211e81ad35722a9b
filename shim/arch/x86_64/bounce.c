// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounce frames: how the shim enters the guest kernel for exceptions,
 * software interrupts, system calls from guest user mode and event upcalls.
 * Layout and rules follow Xen's create_bounce_frame (x86_64/entry.S) as
 * described in contract section 3.2: RCX, R11, [error code], RIP,
 * CS | saved_mask << 32, RFLAGS, RSP, SS, written below the interrupted RSP
 * (kernel mode) or below kernel_sp (user mode, after switching to kernel).
 */
#include <arch/desc.h>
#include <arch/paging.h>
#include <arch/traps.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/log.h>
#include <xen-public/xen.h>

void toggle_guest_mode(struct vcpu *v)
{
    /* While the shim runs, KERNEL_GS_BASE holds the guest's active GS base. */
    uint64_t active = rdmsr(MSR_KERNEL_GS_BASE);

    wrmsr(MSR_KERNEL_GS_BASE, v->gs_base_inactive);
    v->gs_base_inactive = active;
    v->kernel_mode = !v->kernel_mode;
    arch_load_root(v->kernel_mode ? v->guest_table : v->guest_table_user);
}

void create_bounce_frame(struct vcpu *v, struct cpu_regs *regs, uint64_t handler,
                         bool has_ec, uint64_t ec, bool mask_events)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    uint64_t cs = regs->cs, rsp, frame[8], rflags;
    unsigned int n = 0;

    if (!handler)
        domain_crash("no guest handler to bounce to (rip %#lx)\n",
                     (unsigned long)regs->rip);
    if (!v->kernel_mode) {
        toggle_guest_mode(v);
        rsp = v->kernel_sp;
    } else {
        rsp = regs->rsp;
        cs &= ~3ULL;            /* "interrupted in kernel": RPL 0 in the frame */
    }
    rsp &= ~0xfULL;

    /* The guest's view of IF is its event mask; IOPL is virtual. */
    rflags = regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
    if (!saved_mask)
        rflags |= X86_EFLAGS_IF;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (has_ec)
        frame[n++] = ec;
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)saved_mask << 32);
    frame[n++] = rflags;
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    rsp -= n * 8;
    if (copy_to_guest(rsp, frame, n * 8))
        domain_crash("cannot write a bounce frame at %#lx (kernel_sp %#lx)\n",
                     (unsigned long)rsp, (unsigned long)v->kernel_sp);

    if (mask_events)
        vi->evtchn_upcall_mask = 1;
    regs->rip = handler;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = rsp;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                      X86_EFLAGS_VM | X86_EFLAGS_AC);
}

void pv_inject_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                    bool has_ec, uint64_t ec)
{
    const struct guest_trap *t = &v->traps[vector];

    if (!t->address) {
        dump_regs("guest exception without a handler", regs);
        domain_crash("vector %u (error code %#lx) at rip %#lx and the guest "
                     "has no handler for it\n", vector, (unsigned long)ec,
                     (unsigned long)regs->rip);
    }
    create_bounce_frame(v, regs, t->address, has_ec, ec, t->flags & 4);
}

void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                          uint64_t ec)
{
    /* The guest kernel runs in ring 3; its faults must not look like user ones. */
    if (v->kernel_mode)
        ec &= ~PFEC_USER;
    else
        ec |= PFEC_USER;
    v->vcpu_info->arch.cr2 = cr2;
    pv_inject_trap(v, regs, X86_EXC_PF, true, ec);
}

static bool canonical(uint64_t va)
{
    return (va >> 47) == 0 || (va >> 47) == 0x1ffff;
}

/* A selector the guest may IRET to at CPL 3: flat ring-3 ones or its GDT's. */
static bool selector_usable(uint16_t sel, bool code)
{
    uint64_t d;

    if ((sel & 3) != 3 || !desc_read(sel, &d))
        return false;
    if (!(d & (1ULL << 47)) || ((d >> 45) & 3) != 3 || !(d & (1ULL << 44)))
        return false;       /* not present, DPL != 3, or a system descriptor */
    if (code)
        return (d >> 43) & 1;
    return !((d >> 43) & 1) && ((d >> 41) & 1);     /* writable data */
}

/*
 * The failsafe callback (contract 3.5, Xen load_segments): a return the CPU
 * would refuse is turned into an entry at failsafe_callback with RCX, R11,
 * DS, ES, FS, GS, RIP, CS | mask << 32, RFLAGS, RSP, SS on the kernel stack,
 * so the guest kernel can kill the offending task instead of the domain.
 */
static bool bounce_failsafe(struct vcpu *v, struct cpu_regs *regs)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    uint64_t frame[11], rsp, rflags;
    uint16_t ds, es, fs, gs;

    if (!v->failsafe_callback)
        return false;
    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    if (!v->kernel_mode) {
        toggle_guest_mode(v);
        rsp = v->kernel_sp;
    } else {
        rsp = regs->rsp;
    }
    rsp = (rsp & ~0xfULL) - sizeof(frame);
    rflags = regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
    if (!saved_mask)
        rflags |= X86_EFLAGS_IF;
    frame[0] = regs->rcx;
    frame[1] = regs->r11;
    frame[2] = ds;
    frame[3] = es;
    frame[4] = fs;
    frame[5] = gs;
    frame[6] = regs->rip;
    frame[7] = (regs->cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[8] = rflags;
    frame[9] = regs->rsp;
    frame[10] = regs->ss;
    if (copy_to_guest(rsp, frame, sizeof(frame)))
        return false;
    if (v->failsafe_masks_events)
        vi->evtchn_upcall_mask = 1;
    regs->rip = v->failsafe_callback;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = rsp;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                      X86_EFLAGS_VM | X86_EFLAGS_AC);
    return true;
}

static bool frame_usable(const struct cpu_regs *regs)
{
    return canonical(regs->rip) && selector_usable(regs->cs, true) &&
           selector_usable(regs->ss, false);
}

void guest_exit_prepare(struct vcpu *v, struct cpu_regs *regs)
{
    struct vcpu_info *vi = v->vcpu_info;

    /* Event upcall: Xen tests pending and mask together. */
    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->event_callback)
        create_bounce_frame(v, regs, v->event_callback, false, 0, true);

    /* The IRET in entry.S must not fault: check everything it will load. */
    regs->cs |= 3;
    regs->ss |= 3;
    if (!frame_usable(regs) && (!bounce_failsafe(v, regs) || !frame_usable(regs))) {
        dump_regs("unusable return frame", regs);
        domain_crash("cannot return to rip %#lx cs %#lx ss %#lx\n",
                     (unsigned long)regs->rip, (unsigned long)regs->cs,
                     (unsigned long)regs->ss);
    }
    /* Hardware IF stays on while the guest runs; IOPL is virtual. */
    regs->rflags = (regs->rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM | X86_EFLAGS_NT)) |
                   X86_EFLAGS_IF | X86_EFLAGS_MBS;
}
