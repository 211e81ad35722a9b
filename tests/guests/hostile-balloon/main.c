// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-balloon: a frame that leaves through the balloon and comes back
 * must not stay reachable through a translation the guest never flushed.
 *
 * The attack: write to page V at its kernel address (the TLB now caches a
 * writable translation of V's frame F), clear V's PTE by mmu_update with no
 * flush (L1 changes are the guest's to flush, so Xen and the shim do not),
 * give F back with XENMEM_decrease_reservation, take it again with
 * XENMEM_populate_physmap (the pool is a stack, so the same frame returns)
 * and pin it as an L1 table. A store through V's old address would then
 * change a validated page table behind the hypervisor's back, and through
 * it the guest could map any machine frame. Xen's page allocator flushes
 * every CPU whose TLB may predate the free before it hands a frame out
 * again (its TLB clock); the shim must do the same.
 *
 * Expected: the store through the old address faults (#PF, not present,
 * CR2 = V) and the pinned L1 still reads as the zeroed page it was pinned
 * as. Then the frame is unpinned and mapped at V again.
 */
#include "guest.h"

TEST_DESC("hostile-balloon", "no stale translation survives a balloon round trip", 0);

static uint8_t victim[PAGE_SIZE] __page_aligned_bss;

static long reservation(unsigned int cmd, xen_pfn_t *frame)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, frame);
    return HYPERCALL2(__HYPERVISOR_memory_op, cmd, &r);
}

/* A store through the stale address: true if it faulted as expected. */
static bool stale_store_faults(volatile uint64_t *va, uint64_t val)
{
    uint64_t at = store_catching_fault(va, val);

    if (!last_trap.count)
        return false;
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_PF ||
        last_trap.rip != at || (last_trap.error_code & PFEC_PRESENT) ||
        last_trap.cr2 != (uint64_t)va)
        test_fail("stale store: got %u traps, vec %lu rip %#lx ec %#lx cr2 %#lx; "
                  "expected a not-present #PF at %#lx cr2 %p",
                  last_trap.count, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.rip, (unsigned long)last_trap.error_code,
                  (unsigned long)last_trap.cr2, (unsigned long)at, (const void *)va);
    return true;
}

void test_main(void)
{
    volatile uint64_t *v = (volatile uint64_t *)victim;
    unsigned long pfn = virt_to_pfn(victim), mfn = virt_to_mfn(victim);
    uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
    uint64_t l1e_ma;
    xen_pfn_t frame;

    if (!l1e_of(victim, &l1e_ma)) {
        test_error("no L1 entry for the victim page");
        return;
    }
    v[0] = 0x1234;                      /* the TLB now maps V writable */
    if (!CHECK_RC("clear V's PTE without a flush", mmu_update_one(l1e_ma, 0), 0))
        return;
    frame = mfn;
    if (!CHECK_RC("decrease_reservation of V's frame",
                  reservation(XENMEM_decrease_reservation, &frame), 1))
        return;
    frame = pfn;
    if (!CHECK_RC("populate_physmap of V's pfn",
                  reservation(XENMEM_populate_physmap, &frame), 1))
        return;
    ((unsigned long *)start_info->mfn_list)[pfn] = frame;
    if (frame != mfn) {
        test_error("the pool handed out mfn %#lx, not V's %#lx: the attack needs the same frame",
                   (unsigned long)frame, mfn);
        return;
    }
    if (!CHECK_RC("pin the returned frame as an L1", mmuext_one(MMUEXT_PIN_L1_TABLE, mfn), 0))
        return;

    /* 2 = RW without P: harmless even if it lands, but it must not land. */
    if (!stale_store_faults(v, 2))
        test_fail("a store through the old address reached the pinned L1 "
                  "(stale writable translation after the balloon round trip)");

    CHECK_RC("unpin", mmuext_one(MMUEXT_UNPIN_TABLE, mfn), 0);
    if (CHECK_RC("map V again", mmu_update_one(l1e_ma, pte), 0) &&
        CHECK_RC("flush", mmuext_one(MMUEXT_INVLPG_LOCAL, (unsigned long)victim), 0)) {
        if (v[0] != 0)
            test_fail("the pinned L1 was changed: word 0 reads %#lx",
                      (unsigned long)v[0]);
        v[1] = 0x5678;
        if (v[1] != 0x5678)
            test_fail("V is not usable after the round trip");
    }
}
