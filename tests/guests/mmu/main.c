// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu: the PV MMU interface (mmu_update, mmuext_op, update_va_mapping) on
 * valid and invalid requests, with the exact Xen error codes
 * (xen/arch/x86/mm.c, contract 2.5):
 *
 *  - PIN_L1_TABLE of a page still mapped writable: -EINVAL
 *    (_get_page_type: a writable-typed page cannot become an L1, "Bad type").
 *  - PIN_L1_TABLE after update_va_mapping made it read-only: 0; pinning it
 *    again: -EINVAL ("already pinned").
 *  - update_va_mapping making the pinned L1 writable: -EBUSY
 *    (get_page_from_l1e: get_page_type(PGT_writable_page) fails ->
 *    could_not_pin -> -EBUSY).
 *  - mmu_update of a pinned L1 entry: a valid mapping 0 (and it reads back);
 *    a writable mapping of the L1 itself -EBUSY (same path); cache
 *    attribute bits (PCD) -EINVAL ("Bad L1 flags": l1_disallow_mask for a
 *    domU without cache-flush rights).
 *  - update_va_mapping and mmu_update on a live L1: 0, and the new mapping
 *    is visible through the VA at once.
 *  - PIN_L4_TABLE of a copy of the current L4, NEW_BASEPTR to it and back:
 *    0; UNPIN: 0; UNPIN again: -EINVAL ("not pinned"); once unpinned the
 *    pages may be mapped writable again: 0.
 */
#include "guest.h"

TEST_DESC("mmu", "mmu_update, mmuext_op and update_va_mapping", 0);

static uint8_t l1_page[PAGE_SIZE] __page_aligned_bss;
static uint8_t l4_page[PAGE_SIZE] __page_aligned_bss;
static uint8_t data_page[PAGE_SIZE] __page_aligned_bss;
static uint8_t spare_page[PAGE_SIZE] __page_aligned_bss;

static uint64_t mfn_pte(unsigned long mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

static void test_pin_l1(void)
{
    unsigned long l1_mfn = virt_to_mfn(l1_page);
    unsigned long data_mfn = virt_to_mfn(data_page);
    const uint64_t *l1 = (const uint64_t *)l1_page;
    uint64_t base = (uint64_t)l1_mfn << PAGE_SHIFT;

    /* An empty table is a valid L1; the page is still mapped RW. */
    CHECK_RC("PIN_L1 of a writable-mapped page",
             mmuext_one(MMUEXT_PIN_L1_TABLE, l1_mfn), -XEN_EINVAL);

    if (!CHECK_RC("make L1 page read-only", set_page_writable(l1_page, false), 0))
        return;
    if (!CHECK_RC("PIN_L1", mmuext_one(MMUEXT_PIN_L1_TABLE, l1_mfn), 0))
        return;
    CHECK_RC("PIN_L1 again", mmuext_one(MMUEXT_PIN_L1_TABLE, l1_mfn),
             -XEN_EINVAL);
    CHECK_RC("make pinned L1 writable", set_page_writable(l1_page, true),
             -XEN_EBUSY);

    /* Entry 0: a valid read-write mapping of an ordinary page. */
    if (CHECK_RC("mmu_update valid L1 entry",
                 mmu_update_one(base + 0 * 8,
                                mfn_pte(data_mfn, PTE_P | PTE_RW | PTE_A)), 0) &&
        (l1[0] & (PTE_ADDR | PTE_P | PTE_RW)) !=
        mfn_pte(data_mfn, PTE_P | PTE_RW))
        test_fail("L1 entry 0 reads back %#lx", (unsigned long)l1[0]);

    /* Entry 1: writable mapping of the pinned L1 itself. */
    CHECK_RC("mmu_update writable self-mapping of a pinned L1",
             mmu_update_one(base + 1 * 8, mfn_pte(l1_mfn, PTE_P | PTE_RW)),
             -XEN_EBUSY);
    /* Read-only is fine (Linux maps all its page tables that way). */
    CHECK_RC("mmu_update read-only mapping of a pinned L1",
             mmu_update_one(base + 1 * 8, mfn_pte(l1_mfn, PTE_P)), 0);

    /* Entry 2: cache attributes are not for a domU. */
    CHECK_RC("mmu_update with PCD",
             mmu_update_one(base + 2 * 8, mfn_pte(data_mfn, PTE_P | PTE_PCD)),
             -XEN_EINVAL);
    if (l1[2])
        test_fail("rejected update still changed entry 2: %#lx",
                  (unsigned long)l1[2]);

    /* Clearing an entry is always valid. */
    CHECK_RC("mmu_update clear entry 1", mmu_update_one(base + 1 * 8, 0), 0);

    CHECK_RC("UNPIN L1", mmuext_one(MMUEXT_UNPIN_TABLE, l1_mfn), 0);
    CHECK_RC("UNPIN L1 again", mmuext_one(MMUEXT_UNPIN_TABLE, l1_mfn),
             -XEN_EINVAL);
    CHECK_RC("make unpinned L1 writable", set_page_writable(l1_page, true), 0);
}

static void test_live_updates(void)
{
    volatile uint64_t *spare = (volatile uint64_t *)spare_page;
    volatile uint64_t *data = (volatile uint64_t *)data_page;
    unsigned long spare_mfn = virt_to_mfn(spare_page);
    unsigned long data_mfn = virt_to_mfn(data_page);
    uint64_t l1e_ma;

    spare[0] = 0x5a5a5a5a11111111ULL;
    data[0] = 0xa5a5a5a522222222ULL;

    /* update_va_mapping: spare VA -> data frame. */
    if (CHECK_RC("update_va_mapping spare -> data",
                 hypervisor_update_va_mapping(spare_page,
                     mfn_pte(data_mfn, PTE_P | PTE_RW | PTE_A | PTE_D),
                     UVMF_INVLPG), 0) &&
        spare[0] != 0xa5a5a5a522222222ULL)
        test_fail("spare VA reads %#lx after update_va_mapping",
                  (unsigned long)spare[0]);

    /* mmu_update on the builder's live L1: spare VA back to its frame. */
    if (!l1e_of(spare_page, &l1e_ma)) {
        test_error("no L1 entry found for %p", (void *)spare_page);
        return;
    }
    if (CHECK_RC("mmu_update live L1 entry",
                 mmu_update_one(l1e_ma,
                     mfn_pte(spare_mfn, PTE_P | PTE_RW | PTE_A | PTE_D)), 0)) {
        /* mmu_update does not flush; Linux follows it with INVLPG too. */
        CHECK_RC("INVLPG_LOCAL",
                 mmuext_one(MMUEXT_INVLPG_LOCAL, (unsigned long)spare_page), 0);
        if (spare[0] != 0x5a5a5a5a11111111ULL)
            test_fail("spare VA reads %#lx after mmu_update",
                      (unsigned long)spare[0]);
    }
}

static void test_new_baseptr(void)
{
    const uint64_t *cur = (const uint64_t *)start_info->pt_base;
    unsigned long cur_mfn = virt_to_mfn(cur);
    unsigned long new_mfn = virt_to_mfn(l4_page);
    volatile uint64_t *data = (volatile uint64_t *)data_page;

    /*
     * Copy all 512 slots, the hypervisor's 256-271 included: Linux's
     * pgd_alloc copies them too, and pinning must ignore and rewrite them
     * (mm.c promote_l4_table / init_xen_l4_slots).
     */
    memcpy(l4_page, cur, PAGE_SIZE);

    if (!CHECK_RC("make L4 copy read-only", set_page_writable(l4_page, false), 0))
        return;
    if (!CHECK_RC("PIN_L4 copy", mmuext_one(MMUEXT_PIN_L4_TABLE, new_mfn), 0))
        return;
    if (CHECK_RC("NEW_BASEPTR copy", mmuext_one(MMUEXT_NEW_BASEPTR, new_mfn), 0)) {
        /* Still alive: memory and hypercalls work under the copy. */
        data[1] = 0x1234;
        if (data[1] != 0x1234)
            test_fail("memory not coherent under the copied L4");
        if (hypervisor_xen_version(XENVER_version, NULL) <= 0)
            test_fail("xen_version failed under the copied L4");
        CHECK_RC("NEW_BASEPTR back", mmuext_one(MMUEXT_NEW_BASEPTR, cur_mfn), 0);
    }
    CHECK_RC("UNPIN L4 copy", mmuext_one(MMUEXT_UNPIN_TABLE, new_mfn), 0);
    CHECK_RC("make L4 copy writable", set_page_writable(l4_page, true), 0);
}

void test_main(void)
{
    test_pin_l1();
    test_live_updates();
    test_new_baseptr();
}
