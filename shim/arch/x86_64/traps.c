// SPDX-License-Identifier: GPL-2.0-only
/*
 * C side of every shim entry: exceptions and interrupts (trap_entry) and
 * SYSCALL (syscall_entry). Entries from the shim itself are either expected
 * faults with an exception-table fixup, the timer waking a blocked vCPU, or
 * fatal. Entries from the guest are emulated, turned into hypercalls, or
 * bounced to the guest kernel.
 */
#include <arch/desc.h>
#include <arch/extable.h>
#include <arch/layout.h>
#include <arch/ldt.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/ptwr.h>
#include <arch/smp.h>
#include <arch/traps.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/hypercall.h>
#include <shim/log.h>
#include <shim/time.h>
#include <shim/vcpu.h>

void trap_entry(struct cpu_regs *regs);

struct trap_stats trap_stats;
void syscall_entry(struct cpu_regs *regs);

void dump_regs(const char *why, const struct cpu_regs *r)
{
    log_printf("(xenshim) ---- %s ----\n", why);
    log_printf("vector %#lx error %#lx cr2 %#lx cr3 %#lx\n",
               (unsigned long)r->entry_vector, (unsigned long)r->error_code,
               (unsigned long)read_cr2(), (unsigned long)read_cr3());
    log_printf("rip %04lx:%016lx rflags %016lx rsp %04lx:%016lx\n",
               (unsigned long)r->cs, (unsigned long)r->rip,
               (unsigned long)r->rflags, (unsigned long)r->ss, (unsigned long)r->rsp);
    log_printf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
               (unsigned long)r->rax, (unsigned long)r->rbx,
               (unsigned long)r->rcx, (unsigned long)r->rdx);
    log_printf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
               (unsigned long)r->rsi, (unsigned long)r->rdi,
               (unsigned long)r->rbp, (unsigned long)r->r8);
    log_printf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n",
               (unsigned long)r->r9, (unsigned long)r->r10,
               (unsigned long)r->r11, (unsigned long)r->r12);
    log_printf("r13 %016lx r14 %016lx r15 %016lx\n",
               (unsigned long)r->r13, (unsigned long)r->r14, (unsigned long)r->r15);
    if (!regs_from_guest(r) && r->rsp >= DIRECTMAP_BASE &&
        r->rsp < RESERVED_AREA_END - 64) {
        const uint64_t *sp = (const uint64_t *)(uintptr_t)r->rsp;

        log_printf("stack:");
        for (unsigned int i = 0; i < 8; i++)
            log_printf(" %016lx", (unsigned long)sp[i]);
        log_printf("\n");
    }
}

/* Interrupts that mean the same whether the guest or the shim was running. */
static bool common_interrupt(unsigned int vec)
{
    switch (vec) {
    case PLAT_TIMER_VECTOR:
        plat_timer_ack();
        time_interrupt();
        return true;
    case IPI_EVENT_VECTOR:
        /* Another CPU changed this vCPU: events are checked on the way out. */
        plat_irq_eoi();
        time_reprogram_local();
        return true;
    case PLAT_SPURIOUS_VECTOR:
        return true;
    }
    return false;
}

/* An entry while the shim itself was running (waiting, or a fixup). */
static void shim_trap(struct cpu_regs *regs)
{
    uint64_t fixup;

    if (common_interrupt(regs->entry_vector))
        return;
    switch (regs->entry_vector) {
    case PLAT_IRQ_VECTOR_FIRST ... PLAT_IRQ_VECTOR_LAST:
        plat_irq(regs->entry_vector);   /* a device, while the shim idled */
        return;
    case X86_EXC_PF:
    case X86_EXC_GP:
        fixup = extable_search(regs->rip);
        if (fixup) {
            regs->rip = fixup;
            return;
        }
        break;
    }
    dump_regs("fault in the shim", regs);
    panic("unexpected vector %lu in the shim at %#lx\n",
          (unsigned long)regs->entry_vector, (unsigned long)regs->rip);
}

/*
 * Lock-free fast paths. Bouncing a guest exception or system call into the
 * guest kernel, and the iret hypercall back, touch only the running vCPU's
 * own state (which other CPUs change only while it is down or not yet
 * initialised) and guest memory through this CPU's translations. The CPU
 * stays marked in_guest meanwhile, so a TLB flush request waits for it, and
 * a frame changing type is flushed everywhere before it is validated: a
 * bounce frame written through a stale translation is then validated with
 * the rest, never trusted. A vCPU being taken down goes the slow way.
 */
static bool fast_guest_trap(struct vcpu *v, struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;
    uint64_t cr2, kind;

    if (READ_ONCE(v->down))
        return false;
    switch (vec) {
    case X86_EXC_PF:
        cr2 = read_cr2();
        kind = regs->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_INSN);
        /* Page-table writes and the LDT window need the shim's state. */
        if (kind == (PFEC_PRESENT | PFEC_WRITE) ||
            (cr2 >= RESERVED_AREA_START && cr2 < RESERVED_AREA_END))
            return false;
        v->regs = regs;
        pv_inject_page_fault(v, regs, cr2, regs->error_code);
        break;
    case X86_EXC_BP:
    case X86_EXC_OF:
    case 0x80:
        if (!v->traps[vec].address)
            return false;
        v->regs = regs;
        pv_inject_trap(v, regs, vec, false, 0);
        break;
    default:
        return false;
    }
    trap_stats.count[vec]++;    /* statistics only: racy across CPUs */
    guest_exit_prepare(v, regs);
    return true;
}

/* Checks on the slow way back to the guest, with the shim lock held. */
static void exit_to_guest(struct vcpu *v, struct cpu_regs *regs)
{
    if (unlikely(v->down))
        vcpu_park_while_down(v);
    guest_exit_prepare(v, regs);
    shim_unlock_to_guest();
}

void trap_entry(struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;
    struct vcpu *v;

    if (vec == IPI_FLUSH_VECTOR) {
        smp_flush_ipi();        /* lock-free: the sender holds the lock and waits */
        return;
    }
    if (regs_from_guest(regs) && fast_guest_trap(current, regs))
        return;
    shim_lock();
    if (!regs_from_guest(regs)) {
        shim_trap(regs);
        shim_unlock();
        return;
    }
    v = current;
    v->regs = regs;
    trap_stats.count[vec & 0xff]++;

    switch (vec) {
    case PLAT_TIMER_VECTOR:
    case IPI_EVENT_VECTOR:
    case PLAT_SPURIOUS_VECTOR:
        common_interrupt(vec);
        break;
    case PLAT_IRQ_VECTOR_FIRST ... PLAT_IRQ_VECTOR_LAST:
        plat_irq(vec);                  /* a device, while the guest ran */
        break;
    case X86_EXC_PF: {
        uint64_t cr2 = read_cr2();
        uint64_t kind = regs->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_INSN);

        if (kind == (PFEC_PRESENT | PFEC_WRITE) && ptwr_emulate(v, regs, cr2)) {
            trap_stats.ptwr++;
            break;
        }
        if (ldt_fault(v, cr2))
            break;
        if (cr2 >= RESERVED_AREA_START && cr2 < RESERVED_AREA_END && v->ldt_ents) {
            /* An LDT page the shim could not map: the guest's own #PF there. */
            uint64_t off = cr2 - desc_area_ldt_base(this_cpu()->cpu_id);

            if (off < (uint64_t)v->ldt_ents * 8) {
                pv_inject_page_fault(v, regs, v->ldt_base + off, regs->error_code);
                break;
            }
        }
        pv_inject_page_fault(v, regs, cr2, regs->error_code);
        break;
    }
    case X86_EXC_GP:
        emulate_gp(v, regs);
        break;
    case X86_EXC_UD:
        emulate_ud(v, regs);
        break;
    case X86_EXC_BP:
    case X86_EXC_OF:
    case 0x80:
        /*
         * DPL-3 gates: RIP is already past the int3/into/int $0x80. Like
         * Xen's int80_direct_trap, vector 0x80 ignores the guest's DPL and
         * only needs a handler; without one it is the #GP a DPL-0 gate
         * would have raised, at the int instruction.
         */
        if (vec == 0x80 && !v->traps[vec].address) {
            regs->rip -= 2;
            pv_inject_trap(v, regs, X86_EXC_GP, true, (0x80 << 3) | 2);
        } else {
            pv_inject_trap(v, regs, vec, false, 0);
        }
        break;
    case X86_EXC_NMI:
    case X86_EXC_MC:
    case X86_EXC_DF:
        dump_regs("machine exception while the guest ran", regs);
        panic("vector %u from the guest\n", vec);
    default:
        if (vec < 32) {
            pv_inject_trap(v, regs, vec, (X86_EXC_HAVE_EC >> vec) & 1,
                           regs->error_code);
            break;
        }
        dump_regs("unexpected interrupt", regs);
        panic("interrupt vector %u has no handler\n", vec);
    }
    exit_to_guest(v, regs);
}

/* A system call of guest user space: into the guest kernel. */
static void bounce_syscall(struct vcpu *v, struct cpu_regs *regs)
{
    uint64_t cb;
    bool mask;

    if (regs->entry_vector == ENTRY_SYSCALL32) {
        cb = v->syscall32_callback;
        mask = v->syscall32_masks_events;
    } else {
        cb = v->syscall_callback;
        mask = v->syscall_masks_events;
    }
    if (!cb) {
        regs->rip -= 2;     /* Xen injects #UD at the syscall instruction */
        pv_inject_trap(v, regs, X86_EXC_UD, false, 0);
    } else {
        create_bounce_frame(v, regs, cb, false, 0, mask);
        regs->rflags &= ~X86_EFLAGS_DF;
    }
}

void syscall_entry(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    /* The two hottest ways in (see fast_guest_trap for why no lock). */
    if (!READ_ONCE(v->down) &&
        (!v->kernel_mode || (regs->rax == __HYPERVISOR_iret && !the_domain.trace_hypercalls))) {
        v->regs = regs;
        if (v->kernel_mode)
            hypercall_entry(v, regs);
        else
            bounce_syscall(v, regs);
        guest_exit_prepare(v, regs);
        return;
    }
    shim_lock();
    v->regs = regs;
    if (v->kernel_mode)
        hypercall_entry(v, regs);
    else
        bounce_syscall(v, regs);
    exit_to_guest(v, regs);
}

void arch_enter_guest(struct vcpu *v)
{
    extern void enter_guest_frame(const struct cpu_regs *frame) __noreturn;

    this_cpu()->curr_vcpu = v;
    vcpu_load_gdt(v);
    if (v->ldt_ents && ldt_set(v, v->ldt_base, v->ldt_ents))
        domain_crash("vcpu%u: its initial LDT is unusable\n", v->id);
    arch_load_root(v->guest_table);
    /* KERNEL_GS_BASE holds the active (kernel) GS base while the shim runs. */
    wrmsr(MSR_FS_BASE, v->boot_fs_base);
    wrmsr(MSR_KERNEL_GS_BASE, v->boot_gs_base_kernel);
    runstate_change(v, RUNSTATE_running);
    time_update_vcpu(v);
    time_reprogram_local();
    guest_exit_prepare(v, &v->boot_regs);
    shim_unlock_to_guest();
    enter_guest_frame(&v->boot_regs);
}
