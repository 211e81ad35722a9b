// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shim lock and cross-CPU TLB flushes (the design is in
 * include/arch/smp.h). A ticket lock: fair, so a CPU flooding hypercalls
 * cannot starve the others, and waiters spin on one shared word.
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/log.h>

static struct {
    uint32_t next;
    uint32_t owner;
} shim_ticket;

static unsigned int nr_cpus = 1;

unsigned int smp_nr_cpus(void)
{
    return nr_cpus;
}

void smp_set_nr_cpus(unsigned int n);
void smp_set_nr_cpus(unsigned int n)
{
    nr_cpus = n;
}

/* Carry out this CPU's pending flush request, if any; lock-free. */
static void do_own_flush(struct percpu *pc)
{
    for (;;) {
        uint64_t req = __atomic_load_n(&pc->tlb_flush, __ATOMIC_ACQUIRE);

        if (req == TLB_FLUSH_NONE)
            return;
        if (req == TLB_FLUSH_ALL)
            flush_tlb_local();
        else
            invlpg(req & PAGE_MASK);
        /* A request merged in meanwhile makes this fail: go round again. */
        if (__atomic_compare_exchange_n(&pc->tlb_flush, &req, TLB_FLUSH_NONE, false,
                                        __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            return;
    }
}

void shim_lock(void)
{
    struct percpu *pc = this_cpu();
    uint32_t ticket;

    if (pc->lock_depth++)
        return;
    ticket = __atomic_fetch_add(&shim_ticket.next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&shim_ticket.owner, __ATOMIC_ACQUIRE) != ticket) {
        do_own_flush(pc);       /* the holder may be waiting for this */
        cpu_relax();
    }
    pc->in_guest = false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* in_guest before the request check */
    do_own_flush(pc);
}

static void release(void)
{
    __atomic_store_n(&shim_ticket.owner, shim_ticket.owner + 1, __ATOMIC_RELEASE);
}

void shim_unlock(void)
{
    struct percpu *pc = this_cpu();

    ASSERT(pc->lock_depth);
    if (--pc->lock_depth == 0)
        release();
}

void shim_unlock_to_guest(void)
{
    struct percpu *pc = this_cpu();

    ASSERT(pc->lock_depth == 1);
    pc->in_guest = true;
    pc->lock_depth = 0;
    release();
}

void shim_wait_for_interrupt(void)
{
    struct percpu *pc = this_cpu();

    ASSERT(pc->lock_depth == 1);
    pc->lock_depth = 0;
    release();
    safe_halt();                /* interrupt handlers take the lock themselves */
    local_irq_disable();
    shim_lock();
}

void smp_kick_cpu(unsigned int cpu)
{
    struct percpu *pc = percpu_of(cpu);

    if (cpu != this_cpu()->cpu_id && cpu < nr_cpus && pc->online)
        plat_send_ipi(pc->apic_id, IPI_EVENT_VECTOR);
}

/* Merge req into CPU pc's pending request. */
static void post_flush(struct percpu *pc, uint64_t req)
{
    uint64_t old = __atomic_load_n(&pc->tlb_flush, __ATOMIC_RELAXED), new;

    do {
        new = (old == TLB_FLUSH_NONE || old == req) ? req : TLB_FLUSH_ALL;
    } while (!__atomic_compare_exchange_n(&pc->tlb_flush, &old, new, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
}

void smp_flush_tlb_mask(uint64_t cpu_mask, uint64_t va)
{
    struct percpu *self = this_cpu();
    uint64_t req = va == TLB_FLUSH_ALL ? TLB_FLUSH_ALL : (va & PAGE_MASK) | TLB_FLUSH_PAGE;
    uint64_t wait = 0;

    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = percpu_of(cpu);

        if (!(cpu_mask & BIT(cpu)) || cpu == self->cpu_id || !pc->online)
            continue;
        post_flush(pc, req);
        /* Posted before in_guest is read: see shim_lock for the other side. */
        if (__atomic_load_n(&pc->in_guest, __ATOMIC_SEQ_CST)) {
            plat_send_ipi(pc->apic_id, IPI_FLUSH_VECTOR);
            wait |= BIT(cpu);
        }
    }
    if (cpu_mask & BIT(self->cpu_id)) {
        if (va == TLB_FLUSH_ALL)
            flush_tlb_local();
        else
            invlpg(va);
    }
    for (unsigned int cpu = 0; wait; cpu++) {
        struct percpu *pc = percpu_of(cpu);

        if (!(wait & BIT(cpu)))
            continue;
        while (__atomic_load_n(&pc->tlb_flush, __ATOMIC_ACQUIRE) != TLB_FLUSH_NONE)
            cpu_relax();
        wait &= ~BIT(cpu);
    }
}

void smp_flush_tlb_all(void)
{
    smp_flush_tlb_mask(BIT(nr_cpus) - 1, TLB_FLUSH_ALL);
}

void smp_flush_ipi(void)
{
    do_own_flush(this_cpu());
    plat_irq_eoi();
}
