/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one guest domain and its vCPUs.
 *
 * Concurrency: vCPU n runs pinned on machine CPU n. Every field of struct
 * domain and struct vcpu is read and written only with the shim lock held
 * (include/arch/smp.h), by any CPU: a hypercall may change another vCPU's
 * timers, event bindings or state, and then kicks that vCPU's CPU
 * (smp_kick_cpu) so it acts on the change. The hardware state that follows
 * from a vCPU (CR3, GDT/LDT window, GS bases, the LAPIC timer) is loaded
 * only by the vCPU's own CPU. Shared memory with the guest (shared_info,
 * vcpu_info, rings) is written with atomic operations where the guest
 * writes it concurrently.
 */
#ifndef SHIM_DOMAIN_H
#define SHIM_DOMAIN_H

#include <arch/regs.h>
#include <shim/types.h>
#include <xen-public/xen.h>

#define MAX_VCPUS       8   /* = PCPU_MAX_CPUS: one machine CPU each */
#define NR_EVTCHN_PORTS (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

struct guest_trap {
    uint64_t address;   /* 0: no handler */
    uint16_t cs;
    uint8_t flags;      /* trap_info.flags: DPL in bits 0-1, bit 2 = mask events */
};

struct vcpu {
    struct domain *domain;
    unsigned int id;
    bool kernel_mode;               /* Xen's TF_kernel_mode */
    struct cpu_regs *regs;          /* frame of the current entry */
    struct cpu_regs boot_regs;      /* initial register state */

    struct guest_trap traps[256];
    uint64_t event_callback, failsafe_callback, syscall_callback;
    uint64_t syscall32_callback, sysenter_callback, nmi_callback;
    bool syscall_masks_events, syscall32_masks_events, sysenter_masks_events;
    bool failsafe_masks_events;

    uint64_t kernel_ss, kernel_sp;  /* stack_switch */
    uint64_t gs_base_inactive;      /* user GS base in kernel mode, and vice versa */
    mfn_t guest_table;              /* kernel root (L4 mfn) */
    mfn_t guest_table_user;         /* user root, 0 = none */

    struct vcpu_info *vcpu_info;    /* shim alias of the current vcpu_info */
    bool vcpu_info_registered;
    mfn_t vcpu_info_mfn;
    uint64_t runstate_gva;          /* 0 = none */
    uint64_t time_area_gva;         /* secondary vcpu_time_info, 0 = none */
    struct vcpu_runstate_info runstate;

    /* VCPUOP_initialise / up / down. vCPU 0 starts initialised and up. */
    bool initialised;
    bool down;
    bool polling;                   /* in SCHEDOP_poll: wake on any new pending port */
    uint64_t boot_fs_base;          /* FS and kernel GS base at the first entry */
    uint64_t boot_gs_base_kernel;

    uint64_t singleshot_deadline;   /* ns, 0 = off */
    uint64_t periodic_period;       /* ns, 0 = off */
    uint64_t periodic_next;
    uint64_t wakeup_deadline;       /* SCHEDOP_poll timeout, 0 = none */
    unsigned int virq_to_port[NR_VIRQS];

    bool fpu_ts;                    /* virtual CR0.TS (fpu_taskswitch) */
    unsigned int iopl;              /* virtual IOPL (physdev set_iopl) */
    uint64_t cr4_virtual;

    mfn_t gdt_frames[14];
    unsigned int gdt_ents;
    uint64_t ldt_base;              /* MMUEXT_SET_LDT linear address */
    unsigned int ldt_ents;
};

/* Port states; the values are the EVTCHNSTAT_* that EVTCHNOP_status reports. */
enum evtchn_state {
    ECS_FREE = EVTCHNSTAT_closed,
    ECS_UNBOUND = EVTCHNSTAT_unbound,
    ECS_INTERDOMAIN = EVTCHNSTAT_interdomain,
    ECS_VIRQ = EVTCHNSTAT_virq,
    ECS_IPI = EVTCHNSTAT_ipi,
};

struct evtchn {
    uint8_t state;                  /* enum evtchn_state */
    uint8_t notify_vcpu;
    uint16_t virq;                  /* for ECS_VIRQ */
    uint8_t backend;                /* for shim-served interdomain ports */
    uint8_t backend_idx;            /* which instance of that backend (vbd) */
};

/* Shim-side backends an interdomain port can lead to. */
enum evtchn_backend {
    EVTCHN_BACKEND_NONE,
    EVTCHN_BACKEND_CONSOLE,
    EVTCHN_BACKEND_XENSTORE,
    EVTCHN_BACKEND_BLKBACK,         /* backend_idx = vbd index */
    EVTCHN_BACKEND_NETBACK,         /* backend_idx = vif index */
};

struct xs_server;

struct domain {
    domid_t domid;
    uint64_t nr_pages;              /* guest RAM at build time, in frames */
    uint64_t tot_pages;             /* frames the guest holds now (ballooning) */
    mfn_t first_mfn;                /* p2m[pfn] = first_mfn + pfn */
    struct shared_info *shared_info;
    mfn_t shared_info_mfn;
    struct start_info *start_info;  /* shim alias */
    mfn_t console_mfn, store_mfn;
    evtchn_port_t console_port, store_port;
    uint64_t vm_assist;
    struct evtchn evtchn[NR_EVTCHN_PORTS];
    struct xs_server *xs;           /* the xenstore this guest talks to */
    struct vcpu vcpus[MAX_VCPUS];
    unsigned int nr_vcpus;
    bool trace_hypercalls;
    bool shutting_down;
    unsigned int shutdown_code;     /* SCHEDOP_shutdown_code, for the log */
};

extern struct domain the_domain;

/* Guest pseudo-physical <-> machine, with range checks. */
static inline bool guest_mfn_valid(const struct domain *d, mfn_t mfn)
{
    return mfn >= d->first_mfn && mfn - d->first_mfn < d->nr_pages;
}

/* Stop the guest with diagnostics; the machine exits with the crash verdict. */
void domain_crash(const char *fmt, ...) __printf(1, 2) __noreturn;
/* SCHEDOP_shutdown: end the machine with the verdict for reason. */
void domain_shutdown(unsigned int reason) __noreturn;

#endif
