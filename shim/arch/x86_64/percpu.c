// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU areas and stacks. GS_BASE points at the area while the shim runs
 * (see entry.S for the swapgs discipline). The boot CPU's stack is in the
 * image; the others are allocated before the CPU is started.
 */
#include <arch/percpu.h>
#include <arch/x86.h>
#include <shim/log.h>
#include <shim/memory.h>

static struct percpu percpu_area[PCPU_MAX_CPUS];
char cpu0_stack[SHIM_STACK_SIZE] __aligned(4096);

void percpu_install(struct percpu *pc)
{
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)pc);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_init_boot_cpu(void)
{
    struct percpu *pc = &percpu_area[0];

    pc->self = pc;
    pc->cpu_id = 0;
    pc->stack_top = (uint64_t)(uintptr_t)(cpu0_stack + SHIM_STACK_SIZE);
    percpu_install(pc);
}

struct percpu *percpu_prepare(unsigned int n)
{
    struct percpu *pc = &percpu_area[n];
    uint8_t *stack = alloc_pages_virt(SHIM_STACK_SIZE / PAGE_SIZE);

    ASSERT(n > 0 && n < PCPU_MAX_CPUS);
    pc->self = pc;
    pc->cpu_id = n;
    pc->stack_top = (uint64_t)(uintptr_t)(stack + SHIM_STACK_SIZE);
    return pc;
}

struct percpu *percpu_of(unsigned int n)
{
    ASSERT(n < PCPU_MAX_CPUS);
    return &percpu_area[n];
}
