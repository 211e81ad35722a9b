/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU state of the shim. While the shim runs, GS points at this CPU's
 * struct percpu (the guest's GS base sits in MSR_KERNEL_GS_BASE; entry and
 * exit swap them). Fields are touched only by their own CPU.
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
    struct vcpu *curr_vcpu;     /* the vCPU this CPU runs */
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
#endif

#endif
