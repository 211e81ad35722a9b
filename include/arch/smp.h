/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Several CPUs, one shim: the shim lock, kicks and cross-CPU TLB flushes.
 *
 * Each guest vCPU n runs pinned on machine CPU n. All shim state (the
 * domain, frame table, event channels, grant tables, xenstore, backends,
 * devices) is guarded by one lock, the shim lock: every entry into the shim
 * takes it (trap_entry, syscall_entry) and every exit to the guest drops it.
 * A CPU that waits (SCHEDOP_block/poll, a vCPU that is down, an idle CPU)
 * drops it while halted. The shim is short straight-line code that never
 * sleeps while holding the lock, so one lock costs little and makes every
 * single-CPU invariant of the code hold unchanged. The only code that runs
 * without it is the TLB-flush IPI handler and the spin loop waiting for
 * the lock, which both only touch their own CPU's tlb_flush word.
 *
 * TLB flushes across CPUs (pv-shim's lesson: they dominate SMP PV cost):
 * a CPU that is in the shim, waiting or halted, cannot be using a stale
 * translation until it re-takes the lock, and it flushes right there; so
 * only CPUs that are running guest code get an IPI, and only those are
 * waited for. Requests merge: two different pages become a full flush.
 * A frame changing type (mm_get_page_type) needs every CPU that may hold a
 * stale translation of it flushed first; like Xen's tlbflush timestamps,
 * each frame remembers when its type count last dropped to zero and each
 * CPU when it last flushed everything (every guest kernel/user switch
 * does), and only CPUs that have not flushed since are asked.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <shim/types.h>

#define IPI_EVENT_VECTOR   0xf1    /* look at your vCPU: events, timers, down */
#define IPI_FLUSH_VECTOR   0xf2    /* do your tlb_flush request, lock-free */

#define TLB_FLUSH_NONE     0
#define TLB_FLUSH_ALL      1       /* else: a page address | TLB_FLUSH_PAGE */
#define TLB_FLUSH_PAGE     2

void shim_lock(void);
void shim_unlock(void);
/* Drop the lock on the way back to the guest (marks the CPU in_guest). */
void shim_unlock_to_guest(void);
/* With the lock held once: drop it, halt until an interrupt, take it back. */
void shim_wait_for_interrupt(void);

/* Make CPU cpu enter the shim soon (it re-checks its vCPU on the way out). */
void smp_kick_cpu(unsigned int cpu);
/*
 * Flush the TLB of every CPU in cpu_mask (bit n = CPU n; this CPU included
 * if set) for one page va, or everything with va == TLB_FLUSH_ALL. Returns
 * when no CPU in the mask can use a stale translation. Shim lock held.
 */
void smp_flush_tlb_mask(uint64_t cpu_mask, uint64_t va);
/* Every CPU: what a frame changing type or owner needs. */
void smp_flush_tlb_all(void);
/* The IPI_FLUSH_VECTOR handler. */
void smp_flush_ipi(void);
/* This CPU is about to flush its whole TLB (call right before the flush). */
void tlb_note_full_flush(void);

/* Start CPUs 1..n-1 (boot CPU, before the guest runs); panics if one fails. */
void smp_boot_cpus(unsigned int n);
/* For smp_boot_cpus: n CPUs are online; allocate the type-change stamps. */
void smp_set_nr_cpus(unsigned int n);
void smp_type_stamps_init(void);

#endif
