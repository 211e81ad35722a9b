// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small CPU-state hypercalls (Xen: pv/misc-hypercalls.c and friends):
 * stack_switch, fpu_taskswitch, set_segment_base, vm_assist, set_debugreg,
 * get_debugreg.
 */
#include <arch/percpu.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>

/* vm_assist types valid for a 64-bit PV guest (Xen's PV64_VM_ASSIST_MASK). */
#define PV64_VM_ASSIST_MASK \
    ((1UL << VMASST_TYPE_4gb_segments) | (1UL << VMASST_TYPE_4gb_segments_notify) | \
     (1UL << VMASST_TYPE_writable_pagetables) | (1UL << VMASST_TYPE_pae_extended_cr3) | \
     (1UL << VMASST_TYPE_architectural_iopl) | (1UL << VMASST_TYPE_runstate_update_flag) | \
     (1UL << VMASST_TYPE_m2p_strict))

long do_stack_switch(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    v->kernel_ss = a[0] | 3;
    v->kernel_sp = a[1];
    return 0;
}

long do_fpu_taskswitch(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    /* Virtual and real TS together: #NM then reaches the guest's handler. */
    v->fpu_ts = a[0] != 0;
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        __asm__ volatile("clts");
    return 0;
}

/* Load a user GS selector: its base becomes the (inactive) user GS base. */
static long load_user_gs_selector(struct vcpu *v, uint16_t sel)
{
    uint64_t shim_gs = rdmsr(MSR_GS_BASE);
    long rc = 0;

    __asm__ volatile(
        "1: mov %w1, %%gs\n\t"
        "jmp 3f\n"
        "2: xor %%eax, %%eax\n\t"       /* a bad selector loads the null one, as on Xen */
        "mov %%eax, %%gs\n"
        "3:\n\t"
        ".pushsection .ex_table, \"a\"\n\t"
        ".balign 8\n\t"
        ".quad 1b, 2b\n\t"
        ".popsection"
        : "+r"(rc) : "r"(sel) : "rax", "memory");
    v->gs_base_inactive = rdmsr(MSR_GS_BASE);
    wrmsr(MSR_GS_BASE, shim_gs);
    return rc;
}

long do_set_segment_base(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    uint64_t base = a[1];

    switch (a[0]) {
    case SEGBASE_FS:
        if (!guest_range_ok(base, 1) && base)
            return -XEN_EINVAL;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        if (!guest_range_ok(base, 1) && base)
            return -XEN_EINVAL;
        v->gs_base_inactive = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!guest_range_ok(base, 1) && base)
            return -XEN_EINVAL;
        wrmsr(MSR_KERNEL_GS_BASE, base);    /* the guest's active base, see entry.S */
        return 0;
    case SEGBASE_GS_USER_SEL:
        return load_user_gs_selector(v, (uint16_t)base);
    default:
        return -XEN_EINVAL;
    }
}

long do_vm_assist(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct domain *d = current->domain;

    if (a[1] >= 64 || !((PV64_VM_ASSIST_MASK >> a[1]) & 1))
        return -XEN_EINVAL;
    switch (a[0]) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1UL << a[1];
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1UL << a[1]);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

static uint64_t debugreg[8];

long do_set_debugreg(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    uint64_t val = a[1];

    switch (a[0]) {
    case 0: case 1: case 2: case 3:
        /* Breakpoints may only watch guest addresses. */
        if (!guest_range_ok(val, 1))
            return -XEN_EPERM;
        debugreg[a[0]] = val;
        return 0;
    case 6:
        debugreg[6] = val;
        return 0;
    case 7:
        /* Enabling hardware breakpoints is not supported yet; clearing is. */
        if (val & 0xff)
            return -XEN_EPERM;
        debugreg[7] = val;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

long do_get_debugreg(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    switch (a[0]) {
    case 0: case 1: case 2: case 3: case 6: case 7:
        return (long)debugreg[a[0]];
    default:
        return -XEN_EINVAL;
    }
}
