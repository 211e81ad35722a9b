// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shim lock and cross-CPU TLB flushes (the design is in
 * include/arch/smp.h). A test-and-test-and-set lock, not a ticket lock: our
 * CPUs are themselves virtual (QEMU threads, or a hypervisor's vCPUs) and
 * get preempted; a ticket lock hands the lock to the next waiter in line
 * even when that waiter is not running, and every CPU behind it waits out
 * the host's time slice. Measured under TCG with 4 vCPUs on 2 host cores:
 * a few hundred acquisitions a second, soft lockups in the guest. Whoever
 * runs takes it instead; starvation is bounded by how short the shim's
 * critical sections are.
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/frame.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/mm.h>

static uint32_t shim_lock_word;     /* 0: free, else the holder's cpu_id + 1 */

static unsigned int nr_cpus = 1;

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
        if (req == TLB_FLUSH_ALL) {
            tlb_note_full_flush();
            flush_tlb_local();
        }
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

    if (pc->lock_depth++)
        return;
    for (;;) {
        uint32_t free = 0;

        if (!__atomic_load_n(&shim_lock_word, __ATOMIC_RELAXED) &&
            __atomic_compare_exchange_n(&shim_lock_word, &free, pc->cpu_id + 1, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
        do_own_flush(pc);       /* the holder may be waiting for this */
        cpu_relax();
    }
    pc->in_guest = false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* in_guest before the request check */
    do_own_flush(pc);
}

static void release(void)
{
    ASSERT(__atomic_load_n(&shim_lock_word, __ATOMIC_RELAXED) == this_cpu()->cpu_id + 1);
    __atomic_store_n(&shim_lock_word, 0, __ATOMIC_RELEASE);
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
        plat_send_ipi(cpu, pc->apic_id, IPI_EVENT_VECTOR);
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
    uint64_t wait = 0, in_guest = 0;

    /*
     * CPUs in the shim cannot use a translation before they take the lock
     * we hold; they get a request and do it then. CPUs running guest code
     * are flushed through the hypervisor when it offers that, else by IPI.
     */
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = percpu_of(cpu);

        if (!(cpu_mask & BIT(cpu)) || cpu == self->cpu_id || !pc->online)
            continue;
        if (__atomic_load_n(&pc->in_guest, __ATOMIC_SEQ_CST))
            in_guest |= BIT(cpu);
        else
            post_flush(pc, req);
    }
    if (in_guest && plat_flush_tlb_cpus(in_guest) != 0) {
        for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
            struct percpu *pc = percpu_of(cpu);

            if (!(in_guest & BIT(cpu)))
                continue;
            post_flush(pc, req);
            plat_send_ipi(cpu, pc->apic_id, IPI_FLUSH_VECTOR);
            wait |= BIT(cpu);
        }
    }
    if (cpu_mask & BIT(self->cpu_id)) {
        if (va == TLB_FLUSH_ALL) {
            tlb_note_full_flush();
            flush_tlb_local();
        }
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

/*
 * Type-change flush filter. Per frame, the TSC (>> STAMP_SHIFT, 32 bits) at
 * which its type count last dropped to 0; allocated only with several CPUs
 * (4 bytes a frame). A stamp is turned back into a 64-bit time as "now
 * minus its 32-bit age": for a stamp older than the 32-bit range that gives
 * a later time than the real one, so more CPUs are flushed, never fewer.
 * The TSC is the clock: synchronised across CPUs on every platform the shim
 * runs on (QEMU's TCG and KVM, Hyper-V's invariant TSC).
 */
#define STAMP_SHIFT 8
static uint32_t *type_drop_stamp;
static mfn_t type_drop_nr;

void tlb_note_full_flush(void)
{
    /*
     * A plain store (no locked instruction: this runs on every guest
     * kernel/user switch). A reader that sees an older value only flushes
     * this CPU once more than needed; the CR3 write that follows serialises.
     */
    __atomic_store_n(&this_cpu()->last_full_flush, rdtsc(), __ATOMIC_RELEASE);
}

void arch_note_type_drop(mfn_t mfn)
{
    if (type_drop_stamp && mfn < type_drop_nr)
        type_drop_stamp[mfn] = (uint32_t)(rdtsc() >> STAMP_SHIFT);
}

void arch_flush_tlbs_for_type_change(mfn_t mfn)
{
    uint64_t now = rdtsc(), dropped, mask = 0;
    uint32_t age;

    if (nr_cpus == 1)
        return;         /* the flush after the operation covers this CPU */
    if (!type_drop_stamp || mfn >= type_drop_nr) {
        smp_flush_tlb_all();
        return;
    }
    age = (uint32_t)(now >> STAMP_SHIFT) - type_drop_stamp[mfn];
    dropped = now - ((uint64_t)age << STAMP_SHIFT) - (1ULL << STAMP_SHIFT);
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
        if (__atomic_load_n(&percpu_of(cpu)->last_full_flush, __ATOMIC_SEQ_CST) <= dropped)
            mask |= BIT(cpu);
    if (mask)
        smp_flush_tlb_mask(mask, TLB_FLUSH_ALL);
}

void smp_type_stamps_init(void)
{
    type_drop_nr = frame_table_nr;
    type_drop_stamp = alloc_pages_virt(ALIGN_UP(type_drop_nr * sizeof(uint32_t),
                                                PAGE_SIZE) >> PAGE_SHIFT);
}
