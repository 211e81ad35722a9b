// SPDX-License-Identifier: GPL-2.0-only
/*
 * VCPUOP_initialise: the first register and descriptor-table state of a
 * secondary vCPU (Xen's arch_set_info_guest for a 64-bit PV guest, the
 * fields Linux's cpu_initialize_context fills in arch/x86/xen/smp_pv.c).
 * Everything is checked before anything is committed, so a refused context
 * leaves the vCPU exactly as it was: uninitialised, holding no references.
 * The hardware side (CR3, GDT window, FS/GS bases) is loaded by the vCPU's
 * own CPU when VCPUOP_up lets it run (arch_enter_guest).
 */
#include <arch/desc.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include <shim/mm.h>
#include <shim/vcpu.h>

/* 5 KiB: too big for the shim stack; only used with the shim lock held. */
static struct vcpu_guest_context ctxt;

static bool addr_ok(uint64_t va)
{
    return va == 0 || guest_range_ok(va, 1);
}

static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
    if (!guest_range_ok(c->user_regs.rip, 1) || !addr_ok(c->event_callback_eip) ||
        !addr_ok(c->failsafe_callback_eip) || !addr_ok(c->syscall_callback_eip) ||
        !addr_ok(c->kernel_sp) || !addr_ok(c->ldt_base) || !addr_ok(c->fs_base) ||
        !addr_ok(c->gs_base_kernel) || !addr_ok(c->gs_base_user))
        return false;
    for (unsigned int i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
        if (!addr_ok(c->trap_ctxt[i].address))
            return false;
    return true;
}

static void commit_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;
    struct cpu_regs *r = &v->boot_regs;

    /* The trap table is by vector position, as Xen copies it. */
    for (unsigned int i = 0; i < ARRAY_SIZE(v->traps); i++)
        v->traps[i] = (struct guest_trap){
            .address = c->trap_ctxt[i].address,
            .cs = c->trap_ctxt[i].cs | 3,
            .flags = c->trap_ctxt[i].flags,
        };
    v->event_callback = c->event_callback_eip;
    v->failsafe_callback = c->failsafe_callback_eip;
    v->failsafe_masks_events = c->flags & VGCF_failsafe_disables_events;
    v->syscall_callback = c->syscall_callback_eip;
    v->syscall_masks_events = c->flags & VGCF_syscall_disables_events;
    v->kernel_ss = c->kernel_ss | 3;
    v->kernel_sp = c->kernel_sp;
    v->ldt_base = c->ldt_base;
    v->ldt_ents = c->ldt_ents;
    v->boot_fs_base = c->fs_base;
    v->boot_gs_base_kernel = c->gs_base_kernel;
    v->gs_base_inactive = c->gs_base_user;
    v->iopl = (u->rflags >> 12) & 3;    /* virtual IOPL, as Xen keeps it */
    v->kernel_mode = true;

    memset(r, 0, sizeof(*r));
    r->r15 = u->r15; r->r14 = u->r14; r->r13 = u->r13; r->r12 = u->r12;
    r->rbp = u->rbp; r->rbx = u->rbx; r->r11 = u->r11; r->r10 = u->r10;
    r->r9 = u->r9;   r->r8 = u->r8;   r->rax = u->rax; r->rcx = u->rcx;
    r->rdx = u->rdx; r->rsi = u->rsi; r->rdi = u->rdi;
    r->rip = u->rip;
    r->rsp = u->rsp;
    /* Guest kernel selectors run at RPL 3 (Xen's fixup_guest_*_selector). */
    r->cs = u->cs | 3;
    r->ss = u->ss | 3;
    r->rflags = (u->rflags & ~X86_EFLAGS_IOPL) | X86_EFLAGS_IF | X86_EFLAGS_MBS;
}

long vcpu_initialise(struct vcpu *v, guest_va_t arg)
{
    mfn_t root = 0, user_root = 0;
    long rc;

    if (v->initialised)
        return -XEN_EEXIST;
    if (copy_from_guest(&ctxt, arg, sizeof(ctxt)))
        return -XEN_EFAULT;
    /* A 64-bit PV vCPU starts in its kernel (Xen refuses anything else). */
    if (!(ctxt.flags & VGCF_in_kernel) || !context_addresses_ok(&ctxt) ||
        ctxt.ldt_ents > 8192 || (ctxt.ldt_base & ~PAGE_MASK) ||
        ctxt.gdt_ents > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (ctxt.debugreg[7] & 0xff)
        return -XEN_EINVAL;         /* breakpoints: as set_debugreg, not yet */

    /* References first: the L4 roots (typed), then the GDT frames. */
    if (!(ctxt.ctrlreg[3] >> PAGE_SHIFT))
        return -XEN_EINVAL;
    if (mm_set_root(&root, ctxt.ctrlreg[3] >> PAGE_SHIFT))
        return -XEN_EINVAL;
    if (ctxt.ctrlreg[1] && mm_set_root(&user_root, ctxt.ctrlreg[1] >> PAGE_SHIFT)) {
        mm_set_root(&root, 0);
        return -XEN_EINVAL;
    }
    rc = vcpu_set_gdt(v, ctxt.gdt_frames, ctxt.gdt_ents);
    if (rc) {
        mm_set_root(&user_root, 0);
        mm_set_root(&root, 0);
        return rc;
    }
    mm_set_root(&v->guest_table, 0);
    mm_set_root(&v->guest_table_user, 0);
    v->guest_table = root;
    v->guest_table_user = user_root;
    commit_context(v, &ctxt);
    v->initialised = true;
    return 0;
}
