/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Delivering events to the guest kernel (Xen's 64-bit PV bounce frames,
 * contract section 3.2) and the guest/shim mode switch.
 */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#include <arch/regs.h>
#include <shim/domain.h>

/* Bounce into the guest's trap_ctxt[vector]; crashes the guest if none. */
void pv_inject_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                    bool has_ec, uint64_t ec);
/* Deliver #PF with cr2 (in vcpu_info) and the guest-mode-adjusted error code. */
void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                          uint64_t ec);
/* Build a bounce frame for handler; mask_events sets the upcall mask. */
void create_bounce_frame(struct vcpu *v, struct cpu_regs *regs, uint64_t handler,
                         bool has_ec, uint64_t ec, bool mask_events);
/* Switch between guest kernel and user mode (GS bases and root table). */
void toggle_guest_mode(struct vcpu *v);
/* Last step before any return to the guest: events, frame checks. */
void guest_exit_prepare(struct vcpu *v, struct cpu_regs *regs);
/* Start running v from v->boot_regs; never returns. */
void arch_enter_guest(struct vcpu *v) __noreturn;

/* Emulation entry points (emulate.c, cpuid.c, msr.c). */
void emulate_gp(struct vcpu *v, struct cpu_regs *regs);
void emulate_ud(struct vcpu *v, struct cpu_regs *regs);
void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t res[4]);
/* 0, or -1 when the guest must get #GP. */
int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

/* Guest entries by vector (exceptions and interrupts) and ptwr emulations. */
struct trap_stats {
    uint64_t count[256];
    uint64_t ptwr;
};
extern struct trap_stats trap_stats;

/* Register dump for fail-stop paths. */
void dump_regs(const char *why, const struct cpu_regs *regs);

#endif
