// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trap table and the C side of exception delivery: record every trap,
 * give the test's hook a chance, else resume through the exception table,
 * else fail stop with a register dump (an unexpected trap is an ERROR).
 */
#include "guest.h"

volatile struct trap_record last_trap;
bool (*trap_hook)(struct cpu_regs *regs);
void (*event_hook)(struct cpu_regs *regs);

struct extable_entry {
    uint64_t fault, fixup;
};
extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

void trap_dispatch(struct cpu_regs *regs);

void trap_reset(void)
{
    memset((void *)&last_trap, 0, sizeof(last_trap));
}

uint64_t store_catching_fault(volatile uint64_t *va, uint64_t val)
{
    uint64_t at;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq %1, (%2)\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"(val), "r"(va) : "memory");
    return at;
}

long trap_set(unsigned int vector, unsigned int flags, const void *handler)
{
    /* The list ends at the first entry whose address is 0
     * (xen/arch/x86/pv/callback.c do_set_trap_table). */
    struct trap_info t[2] = {
        {
            .vector = (uint8_t)vector,
            .flags = (uint8_t)flags,
            .cs = FLAT_KERNEL_CS,
            .address = (unsigned long)handler,
        },
        { 0 },
    };

    return hypervisor_set_trap_table(t);
}

long traps_init(void)
{
    static struct trap_info table[33];
    unsigned int v;

    for (v = 0; v < 32; v++) {
        table[v].vector = (uint8_t)v;
        /* #BP and #OF are DPL 3 as on Linux; Xen does not check them. */
        table[v].flags = (v == X86_EXC_BP || v == 4) ? 3 : 0;
        table[v].cs = FLAT_KERNEL_CS;
        table[v].address = trap_entry_table[v];
    }
    table[32].address = 0;
    return hypervisor_set_trap_table(table);
}

void dump_regs(const struct cpu_regs *r)
{
    printk("  vec %#lx ec %#lx rip %#lx cs %#lx rflags %#lx\n",
           (unsigned long)r->vector, (unsigned long)r->error_code,
           (unsigned long)r->rip, (unsigned long)r->cs,
           (unsigned long)r->rflags);
    printk("  rsp %#lx ss %#lx cr2 %#lx\n", (unsigned long)r->rsp,
           (unsigned long)r->ss,
           vcpu_info ? (unsigned long)vcpu_info->arch.cr2 : 0ul);
    printk("  rax %#lx rbx %#lx rcx %#lx rdx %#lx\n", (unsigned long)r->rax,
           (unsigned long)r->rbx, (unsigned long)r->rcx, (unsigned long)r->rdx);
    printk("  rsi %#lx rdi %#lx rbp %#lx r11 %#lx\n", (unsigned long)r->rsi,
           (unsigned long)r->rdi, (unsigned long)r->rbp, (unsigned long)r->r11);
}

void trap_dispatch(struct cpu_regs *regs)
{
    static unsigned int depth;
    const struct extable_entry *e;

    /* An upcall may arrive while a trap is handled: it is not nesting. */
    if (regs->vector == VEC_EVENT) {
        if (event_hook) {
            event_hook(regs);
            return;
        }
        printk("Unexpected event upcall:\n");
        dump_regs(regs);
        test_error("event upcall without a handler");
        test_exit();
    }

    if (depth++) {
        /* A trap inside the handler: nothing sane is left to do. */
        printk("Nested trap:\n");
        dump_regs(regs);
        guest_shutdown(SHUTDOWN_crash);
    }

    last_trap.count++;
    last_trap.vector = regs->vector;
    last_trap.error_code = regs->error_code;
    last_trap.rip = regs->rip;
    last_trap.cs = regs->cs;
    last_trap.rflags = regs->rflags;
    last_trap.rsp = regs->rsp;
    last_trap.ss = regs->ss;
    /* #PF: the faulting address is in vcpu_info.arch.cr2
     * (xen/arch/x86/pv/traps.c pv_inject_event). */
    if (regs->vector == X86_EXC_PF && vcpu_info)
        last_trap.cr2 = vcpu_info->arch.cr2;

    if (trap_hook && trap_hook(regs))
        goto out;

    for (e = __start_ex_table; e < __stop_ex_table; e++) {
        if (e->fault == regs->rip) {
            regs->rip = e->fixup;
            goto out;
        }
    }

    printk("Unexpected trap:\n");
    dump_regs(regs);
    test_error("unexpected trap %lu at %#lx", (unsigned long)regs->vector,
               (unsigned long)regs->rip);
    test_exit();

out:
    depth--;
}
