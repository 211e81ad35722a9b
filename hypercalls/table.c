// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypercall table: the greppable statement of what the shim supports.
 * An empty slot or a number past the end answers -ENOSYS, is counted, and is
 * traced like any other call. Slots left out on purpose: nmi_op and
 * xenpmu_op (-ENOSYS is what Xen answers a domU without a vPMU).
 */
#include <shim/hypercall.h>
#include <shim/log.h>
#include <xen-public/xen.h>

#define HC(nr, fn_, n) [nr] = { .fn = fn_, .nargs = n, .name = #nr }

const struct hypercall_desc hypercall_table[NR_HYPERCALLS] = {
    HC(__HYPERVISOR_set_trap_table,          do_set_trap_table, 1),
    HC(__HYPERVISOR_mmu_update,              do_mmu_update, 4),
    HC(__HYPERVISOR_set_gdt,                 do_set_gdt, 2),
    HC(__HYPERVISOR_stack_switch,            do_stack_switch, 2),
    HC(__HYPERVISOR_set_callbacks,           do_set_callbacks, 3),
    HC(__HYPERVISOR_fpu_taskswitch,          do_fpu_taskswitch, 1),
    HC(__HYPERVISOR_sched_op_compat,         do_sched_op_compat, 2),
    HC(__HYPERVISOR_set_debugreg,            do_set_debugreg, 2),
    HC(__HYPERVISOR_get_debugreg,            do_get_debugreg, 1),
    HC(__HYPERVISOR_update_descriptor,       do_update_descriptor, 2),
    HC(__HYPERVISOR_memory_op,               do_memory_op, 2),
    HC(__HYPERVISOR_multicall,               do_multicall, 2),
    HC(__HYPERVISOR_update_va_mapping,       do_update_va_mapping, 3),
    HC(__HYPERVISOR_set_timer_op,            do_set_timer_op, 1),
    HC(__HYPERVISOR_event_channel_op_compat, do_event_channel_op_compat, 1),
    HC(__HYPERVISOR_xen_version,             do_xen_version, 2),
    HC(__HYPERVISOR_console_io,              do_console_io, 3),
    HC(__HYPERVISOR_grant_table_op,          do_grant_table_op, 3),
    HC(__HYPERVISOR_vm_assist,               do_vm_assist, 2),
    HC(__HYPERVISOR_iret,                    do_iret, 0),
    HC(__HYPERVISOR_vcpu_op,                 do_vcpu_op, 3),
    HC(__HYPERVISOR_set_segment_base,        do_set_segment_base, 2),
    HC(__HYPERVISOR_mmuext_op,               do_mmuext_op, 4),
    HC(__HYPERVISOR_sched_op,                do_sched_op, 2),
    HC(__HYPERVISOR_callback_op,             do_callback_op, 2),
    HC(__HYPERVISOR_event_channel_op,        do_event_channel_op, 2),
    HC(__HYPERVISOR_physdev_op,              do_physdev_op, 2),
};

struct hypercall_stats hypercall_stats;
bool in_multicall;

static void trace(uint64_t nr, const uint64_t a[HYPERCALL_MAX_ARGS], long rc)
{
    const char *name = nr < NR_HYPERCALLS && hypercall_table[nr].name ?
                       hypercall_table[nr].name + sizeof("__HYPERVISOR_") - 1 : "?";
    unsigned int n = nr < NR_HYPERCALLS ? hypercall_table[nr].nargs : 0;

    log_printf("(xenshim) hc %s(%lu)", name, (unsigned long)nr);
    for (unsigned int i = 0; i < n; i++)
        log_printf("%s%#lx", i ? ", " : " ", (unsigned long)a[i]);
    log_printf(" = %ld\n", rc);
}

long hypercall_call(uint64_t nr, const uint64_t args[HYPERCALL_MAX_ARGS])
{
    long rc;

    if (nr >= NR_HYPERCALLS || !hypercall_table[nr].fn) {
        hypercall_stats.unknown++;
        rc = -XEN_ENOSYS;
    } else {
        hypercall_stats.calls[nr]++;
        rc = hypercall_table[nr].fn(args);
    }
    if (the_domain.trace_hypercalls)
        trace(nr, args, rc);
    return rc;
}

void hypercall_entry(struct vcpu *v, struct cpu_regs *regs)
{
    /* 64-bit PV ABI: RAX = number, arguments in RDI, RSI, RDX, R10, R8, R9. */
    const uint64_t args[HYPERCALL_MAX_ARGS] = {
        regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9,
    };

    regs->rax = (uint64_t)hypercall_call(regs->rax, args);
}
