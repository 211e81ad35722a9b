/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU state of the shim. While the shim runs, GS points at this CPU's
 * struct percpu (the guest's GS base sits in MSR_KERNEL_GS_BASE; entry and
 * exit swap them).
 *
 * Who may touch what (include/arch/smp.h describes the shim lock):
 *  - self, stack_top, scratch, cpu_id, apic_id, tss: written once while the
 *    CPU starts (by the boot CPU before INIT/SIPI, or by the CPU itself);
 *    read-only afterwards.
 *  - lock_depth: its own CPU only.
 *  - curr_vcpu, in_guest: written by their own CPU while it holds the shim
 *    lock; other CPUs read them under the lock.
 *  - online: set once by the CPU itself; read by the boot CPU.
 *  - tlb_flush: set by a CPU holding the shim lock (cmpxchg), cleared by
 *    its own CPU (cmpxchg), lock-free, after the flush is done.
 *  - last_full_flush: written by its own CPU (lock-free paths too) right
 *    before it flushes; read by the lock holder.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define PCPU_SELF        0
#define PCPU_STACK_TOP   8
#define PCPU_SCRATCH     16
#define PCPU_MAX_CPUS    8
#define SHIM_STACK_SIZE  (16 * 1024)

#ifndef __ASSEMBLY__
#include <shim/types.h>

struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
} __packed;

struct vcpu;

struct percpu {
    struct percpu *self;        /* PCPU_SELF: lets C read the pointer via %gs */
    uint64_t stack_top;         /* PCPU_STACK_TOP: syscall entry switches here */
    uint64_t scratch;           /* PCPU_SCRATCH: guest RSP during syscall entry */
    unsigned int cpu_id;
    uint32_t apic_id;
    struct vcpu *curr_vcpu;     /* the vCPU this CPU runs */
    unsigned int lock_depth;    /* nesting of shim_lock() on this CPU */
    bool in_guest;              /* between shim_unlock_to_guest and the next entry */
    bool online;                /* finished its start-up */
    uint64_t tlb_flush;         /* pending request, TLB_FLUSH_* (arch/smp.h) */
    uint64_t last_full_flush;   /* TSC just before its last full TLB flush */
    struct tss64 tss __aligned(16);
};

_Static_assert(__builtin_offsetof(struct percpu, stack_top) == PCPU_STACK_TOP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, scratch) == PCPU_SCRATCH, "percpu");

#ifdef SHIM_HOST_BUILD
/* Host unit tests run shim code on an ordinary thread: one fake CPU. */
extern struct percpu host_test_percpu;
static inline struct percpu *this_cpu(void) { return &host_test_percpu; }
#else
static inline struct percpu *this_cpu(void)
{
    struct percpu *p;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}
#endif

#define current (this_cpu()->curr_vcpu)

void percpu_init_boot_cpu(void);
/* Prepare CPU n's area and stack before it is started. */
struct percpu *percpu_prepare(unsigned int n);
/* Make area n this CPU's (sets GS_BASE). */
void percpu_install(struct percpu *pc);
struct percpu *percpu_of(unsigned int n);
#endif

#endif
