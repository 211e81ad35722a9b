// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU areas and the boot CPU's stack. GS_BASE points at the area while
 * the shim runs (see entry.S for the swapgs discipline).
 */
#include <arch/percpu.h>
#include <arch/x86.h>

static struct percpu percpu_area[PCPU_MAX_CPUS];
char cpu0_stack[SHIM_STACK_SIZE] __aligned(4096);

void percpu_init_boot_cpu(void)
{
    struct percpu *pc = &percpu_area[0];

    pc->self = pc;
    pc->cpu_id = 0;
    pc->stack_top = (uint64_t)(uintptr_t)(cpu0_stack + SHIM_STACK_SIZE);
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)pc);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
