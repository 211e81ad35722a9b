// SPDX-License-Identifier: GPL-2.0-only
/*
 * Starting the other CPUs. The boot CPU copies ap-trampoline.S below 1 MiB,
 * gives each CPU its stack and per-CPU area and starts them one at a time,
 * waiting for each to report online: start-up allocates shim memory (IST
 * stacks, GDT page) and the allocator is not shared-safe. A started CPU then
 * waits, halted, for its vCPU to be brought up (vcpu_cpu_idle).
 */
#include <arch/cpu-init.h>
#include <arch/desc.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/smp-boot.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/vcpu.h>

#define AP_START_TIMEOUT_NS 2000000000ULL

extern const char ap_trampoline[], ap_trampoline_end[], ap_params[];
void ap_start(unsigned int cpu) __noreturn;

/* A page table with the shim's slots plus the trampoline's 2 MiB mapped 1:1. */
static paddr_t build_start_tables(void)
{
    paddr_t l4_pa = alloc_frames(1, 1), l3_pa = alloc_frames(1, 1), l2_pa = alloc_frames(1, 1);
    uint64_t *l4 = phys_to_virt(l4_pa), *l3 = phys_to_virt(l3_pa), *l2 = phys_to_virt(l2_pa);

    /* The trampoline loads CR3 in 32-bit mode. */
    if (l4_pa >> 32)
        panic("smp: start-up page table above 4 GiB\n");
    arch_init_shim_l4_slots(l4);
    l4[0] = l3_pa | PTE_P | PTE_RW;
    l3[0] = l2_pa | PTE_P | PTE_RW;
    l2[0] = 0 | PTE_P | PTE_RW | PTE_PSE;
    return l4_pa;
}

void ap_start(unsigned int cpu)
{
    struct percpu *pc = percpu_of(cpu);

    write_cr3(idle_l4_pa);          /* drop the 1:1 mapping of low memory */
    percpu_install(pc);
    desc_init_cpu(cpu);
    traps_init_cpu(cpu);
    cpu_features_init();
    plat_cpu_init();
    pc->apic_id = plat_cpu_apic_id();
    __atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
    vcpu_cpu_idle(cpu);
}

void smp_boot_cpus(unsigned int n)
{
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline);
    struct ap_params *params = phys_to_virt(AP_TRAMPOLINE_PHYS + (ap_params - ap_trampoline));
    uint32_t efer_nx = rdmsr(MSR_EFER) & EFER_NXE;

    percpu_of(0)->apic_id = plat_cpu_apic_id();
    percpu_of(0)->online = true;
    if (n > PCPU_MAX_CPUS)
        panic("smp: %u CPUs asked, the shim supports %u\n", n, PCPU_MAX_CPUS);
    if (n <= 1)
        return;
    ASSERT(size <= PAGE_SIZE);
    smp_type_stamps_init();
    memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline, size);
    params->cr3 = (uint32_t)build_start_tables();
    params->efer = efer_nx;
    params->entry = (uint64_t)(uintptr_t)ap_start;
    for (unsigned int cpu = 1; cpu < n; cpu++) {
        struct percpu *pc = percpu_prepare(cpu);
        uint64_t deadline;

        params->stack = pc->stack_top;
        params->cpu = cpu;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        plat_start_cpu(cpu, AP_TRAMPOLINE_PHYS >> PAGE_SHIFT);
        deadline = plat_now_ns() + AP_START_TIMEOUT_NS;
        while (!__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE)) {
            if (plat_now_ns() > deadline)
                panic("smp: CPU %u did not start (does the machine have %u CPUs?)\n",
                      cpu, n);
            cpu_relax();
        }
        smp_set_nr_cpus(cpu + 1);
    }
    log_info("smp: %u CPUs online\n", n);
}
