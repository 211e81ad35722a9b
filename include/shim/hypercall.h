/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch. hypercalls/table.c holds the one const table indexed by
 * __HYPERVISOR_*; each do_<name>() copies its arguments in from the guest,
 * calls logic that works on shim memory, and copies results out. Handlers
 * act on `current` and return 0 or a negative Xen errno (or a count, where
 * the ABI says so).
 */
#ifndef SHIM_HYPERCALL_H
#define SHIM_HYPERCALL_H

#include <arch/percpu.h>
#include <arch/regs.h>
#include <shim/domain.h>

#define HYPERCALL_MAX_ARGS 6
#define NR_HYPERCALLS      64

typedef long hypercall_fn_t(const uint64_t a[HYPERCALL_MAX_ARGS]);

struct hypercall_desc {
    hypercall_fn_t *fn;
    uint8_t nargs;
    const char *name;
};

extern const struct hypercall_desc hypercall_table[NR_HYPERCALLS];

/* Counters, for the log at shutdown and for benchmarks. */
struct hypercall_stats {
    uint64_t calls[NR_HYPERCALLS];
    uint64_t unknown;               /* out-of-range or empty slots */
};
extern struct hypercall_stats hypercall_stats;

/* Call hypercall nr with args (also used by multicall); -ENOSYS if none. */
long hypercall_call(uint64_t nr, const uint64_t args[HYPERCALL_MAX_ARGS]);
/* SYSCALL from guest kernel mode: run the hypercall in RAX. */
void hypercall_entry(struct vcpu *v, struct cpu_regs *regs);
/* True while a multicall runs its entries (iret is refused there). */
extern bool in_multicall;

/* Handlers, one family per file under hypercalls/. */
hypercall_fn_t do_set_trap_table, do_mmu_update, do_set_gdt, do_stack_switch,
    do_set_callbacks, do_fpu_taskswitch, do_sched_op_compat, do_set_debugreg,
    do_get_debugreg, do_update_descriptor, do_memory_op, do_multicall,
    do_update_va_mapping, do_set_timer_op, do_event_channel_op_compat,
    do_xen_version, do_console_io, do_physdev_op_compat, do_grant_table_op,
    do_vm_assist, do_iret, do_vcpu_op, do_set_segment_base, do_mmuext_op,
    do_sched_op, do_callback_op, do_event_channel_op, do_physdev_op,
    do_xenpmu_op, do_nmi_op;

#endif
