// SPDX-License-Identifier: GPL-2.0-only
/*
 * PV MMU unit tests, part 1: page types, pinning, promotion and demotion
 * (shim/mm-types.c, shim/frame.c). Part 2, the entry updates, is in
 * test-mm-ops.c. Both run from main() here.
 */
#include "test-mm.h"

int mm_setup(void **state)
{
    (void)state;
    stub_mm_reset();
    return 0;
}

int mm_setup_pinned(void **state)
{
    (void)state;
    stub_mm_reset();
    build_tree();
    return mm_pin(T_L4, 4);
}

/* Pinning the builder's L4 promotes the whole tree with the right counts. */
static void test_pin_promotes_tree(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_counts(T_L4, FRAME_TYPE_L4, 1, 2);   /* pin + L1[4] ro */
    assert_true(fi(T_L4)->flags & FRAME_F_PINNED);
    assert_true(fi(T_L4)->flags & FRAME_F_VALIDATED);
    assert_counts(T_L3, FRAME_TYPE_L3, 1, 1);
    assert_counts(T_L2, FRAME_TYPE_L2, 1, 2);   /* L3[0] + L1[3] ro */
    assert_counts(T_L1, FRAME_TYPE_L1, 1, 2);   /* L2[0] + L1[2] ro */
    assert_counts(T_E, FRAME_TYPE_WRITABLE, 1, 1);
    assert_counts(T_F, FRAME_TYPE_NONE, 0, 1);
    assert_false(fi(T_L3)->flags & FRAME_F_PINNED);
}

/* Xen's adjustments are written back into the guest's tables. */
static void test_pin_adjusts_entries(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    /* L1 kernel page: USER + GUEST_KERNEL (bit 52), no GLOBAL. */
    assert_int_equal(stub_frame(T_L1)[0],
                     pte(T_E, F_DATA | MM_PTE_US | MM_PTE_GUEST_KERNEL));
    assert_int_equal(stub_frame(T_L2)[0], pte(T_L1, F_DIR));
    /* L4: USER + ACCESSED. */
    assert_int_equal(stub_frame(T_L4)[0], pte(T_L3, F_DIR));
}

/* The shim's slots are filled at validation time. */
static void test_pin_fills_shim_slots(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    for (unsigned int i = 256; i <= 271; i++)
        assert_int_equal(stub_frame(T_L4)[i], STUB_SHIM_SLOT(i));
    assert_int_equal(stub_frame(T_L4)[255], 0);
    assert_int_equal(stub_frame(T_L4)[272], 0);
}

/* Guest values in slots 256-271 are ignored (never referenced), then overwritten. */
static void test_pin_ignores_guest_values_in_shim_slots(void **state)
{
    (void)state;
    build_tree();
    stub_frame(T_L4)[256] = pte(STUB_MFN_SHIM, F_DIR);     /* would fail */
    stub_frame(T_L4)[271] = pte(T_L3, F_DIR);              /* would ref */
    stub_frame(T_L4)[260] = pte(T_L4, F_DIR | MM_PTE_PSE); /* bad flags */
    assert_int_equal(mm_pin(T_L4, 4), 0);
    assert_int_equal(stub_frame(T_L4)[256], STUB_SHIM_SLOT(256));
    assert_int_equal(stub_frame(T_L4)[271], STUB_SHIM_SLOT(271));
    assert_int_equal(stub_frame(T_L4)[260], STUB_SHIM_SLOT(260));
    assert_counts(T_L3, FRAME_TYPE_L3, 1, 1);
}

/* Unpinning the only user demotes recursively; every count returns to 0. */
static void test_unpin_demotes_to_zero(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_all_released();
    assert_false(fi(T_L1)->flags & FRAME_F_VALIDATED);
}

/* A failed deep promotion leaves no references and no writes behind. */
static void test_failed_promotion_rolls_back(void **state)
{
    struct mm_snap s;

    (void)state;
    build_tree();
    stub_frame(T_L1)[7] = pte(STUB_MFN_SHIM, F_RO);
    snap_take(&s, T_L4);
    assert_int_equal(mm_pin(T_L4, 4), -XEN_EBUSY);
    assert_all_released();
    snap_assert_same(&s);   /* no adjustment, no shim slots in the L4 */
    assert_int_equal(stub_frame(T_L3)[0], pte(T_L2, F_DIR));
}

static void test_pin_errors(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_pin(T_L4, 4), -XEN_EINVAL);        /* already pinned */
    assert_counts(T_L4, FRAME_TYPE_L4, 1, 2);
    assert_int_equal(mm_pin(T_L2, 1), -XEN_EINVAL);        /* L2 as L1 */
    assert_int_equal(mm_pin(T_FREE, 5), -XEN_EINVAL);      /* bad level */
    assert_int_equal(mm_pin(T_FREE, 0), -XEN_EINVAL);
    assert_int_equal(mm_pin(STUB_MFN_SHIM, 1), -XEN_EINVAL);
    assert_int_equal(mm_pin(STUB_MFN_SHARED, 1), -XEN_EINVAL);
    assert_int_equal(mm_pin(STUB_NR_FRAMES, 1), -XEN_EINVAL);
    assert_int_equal(mm_pin(T_E, 1), -XEN_EINVAL);         /* mapped rw */
    assert_int_equal(mm_unpin(T_L3), -XEN_EINVAL);         /* not pinned */
    assert_int_equal(mm_unpin(STUB_MFN_SHIM), -XEN_EINVAL);
    assert_int_equal(mm_unpin(STUB_NR_FRAMES + 5), -XEN_EINVAL);
}

/* An empty L1 can be pinned, and a pinned L1 then used by an L2. */
static void test_pin_lower_level_then_link(void **state)
{
    mfn_t l1 = T_FREE, l2 = T_FREE + 1;

    (void)state;
    assert_int_equal(mm_pin(l1, 1), 0);
    assert_counts(l1, FRAME_TYPE_L1, 1, 1);
    stub_frame(l2)[3] = pte(l1, F_DIR);
    assert_int_equal(mm_pin(l2, 2), 0);
    assert_counts(l1, FRAME_TYPE_L1, 2, 2);
    assert_int_equal(mm_unpin(l2), 0);
    assert_counts(l1, FRAME_TYPE_L1, 1, 1);
    assert_true(fi(l1)->flags & FRAME_F_VALIDATED);
    assert_int_equal(mm_unpin(l1), 0);
    assert_all_released();
}

/* Unpinning a table still used by a root keeps it (and its subtree) alive. */
static void test_unpin_table_in_use_by_root(void **state)
{
    mfn_t root = 0;

    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_set_root(&root, T_L4), 0);
    assert_int_equal(root, T_L4);
    assert_counts(T_L4, FRAME_TYPE_L4, 2, 3);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_counts(T_L4, FRAME_TYPE_L4, 1, 2);
    assert_true(fi(T_L4)->flags & FRAME_F_VALIDATED);
    assert_counts(T_L1, FRAME_TYPE_L1, 1, 2);
    assert_counts(T_E, FRAME_TYPE_WRITABLE, 1, 1);
    assert_int_equal(mm_set_root(&root, 0), 0);
    assert_int_equal(root, 0);
    assert_all_released();
}

/* Unpinning the top keeps a separately pinned lower table alive. */
static void test_unpin_keeps_table_used_elsewhere(void **state)
{
    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_pin(T_L1, 1), 0);
    assert_counts(T_L1, FRAME_TYPE_L1, 2, 3);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_counts(T_L1, FRAME_TYPE_L1, 1, 2);   /* pin + its own ro self map */
    assert_counts(T_E, FRAME_TYPE_WRITABLE, 1, 1);
    assert_counts(T_L2, FRAME_TYPE_L2, 0, 1);   /* demoted; L1[3] ro ref */
    assert_int_equal(mm_unpin(T_L1), 0);
    assert_all_released();
}

/* Root switching: refs move from the old root to the new one. */
static void test_set_root(void **state)
{
    mfn_t root = 0, l4b = T_FREE;

    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_set_root(&root, T_L4), 0);
    stub_frame(l4b)[1] = pte(T_L3, F_DIR);
    assert_int_equal(mm_set_root(&root, l4b), 0);      /* promoted by set_root */
    assert_counts(l4b, FRAME_TYPE_L4, 1, 1);
    assert_counts(T_L4, FRAME_TYPE_L4, 1, 2);
    assert_counts(T_L3, FRAME_TYPE_L3, 2, 2);
    assert_int_equal(mm_set_root(&root, l4b), 0);      /* same: no-op */
    assert_counts(l4b, FRAME_TYPE_L4, 1, 1);
    assert_int_equal(mm_set_root(&root, T_L3), -XEN_EINVAL);
    assert_int_equal(mm_set_root(&root, STUB_MFN_SHIM), -XEN_EINVAL);
    assert_int_equal(mm_set_root(&root, T_E), -XEN_EINVAL);
    assert_int_equal(root, l4b);
    assert_int_equal(mm_set_root(&root, 0), 0);
    assert_counts(l4b, FRAME_TYPE_L4, 0, 0);
    assert_counts(T_L3, FRAME_TYPE_L3, 1, 1);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_all_released();
}

/* After unpin a page-table frame can be reused as ordinary writable memory. */
static void test_unpin_then_reuse_writable(void **state)
{
    mfn_t l1 = T_FREE;

    (void)state;
    assert_int_equal(mm_setup_pinned(NULL), 0);
    assert_int_equal(mm_pin(l1, 1), 0);
    assert_int_equal(mm_mmu_update(ma(l1, 0), pte(T_L2, F_DATA),
                                   MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    assert_int_equal(mm_unpin(T_L4), 0);
    (void)mm_take_tlb_flush_request();
    assert_int_equal(mm_mmu_update(ma(l1, 0), pte(T_L2, F_DATA),
                                   MMU_NORMAL_PT_UPDATE), 0);
    assert_counts(T_L2, FRAME_TYPE_WRITABLE, 1, 1);
    assert_true(mm_take_tlb_flush_request());   /* L2 -> writable */
    assert_false(mm_take_tlb_flush_request());
    /* ...and cannot become a page table while mapped writable. */
    assert_int_equal(mm_pin(T_L2, 2), -XEN_EINVAL);
    assert_int_equal(mm_unpin(l1), 0);
    assert_all_released();
}

static void test_type_change_requests_flush(void **state)
{
    (void)state;
    stub_type_change_flushes = 0;
    assert_int_equal(mm_get_page_type(T_FREE, FRAME_TYPE_WRITABLE), 0);
    assert_false(mm_take_tlb_flush_request());   /* NONE -> writable */
    mm_put_page_type(T_FREE);
    assert_int_equal(mm_pin(T_FREE, 1), 0);
    assert_true(mm_take_tlb_flush_request());    /* writable -> L1 */
    /* ...and every CPU was flushed before the L1 was validated (SMP). */
    assert_int_equal(stub_type_change_flushes, 1);
    assert_int_equal(mm_unpin(T_FREE), 0);
    assert_int_equal(mm_pin(T_FREE, 1), 0);
    assert_false(mm_take_tlb_flush_request());   /* L1 again */
    assert_int_equal(stub_type_change_flushes, 1);
    assert_int_equal(mm_get_page_type(T_FREE, FRAME_TYPE_WRITABLE), -XEN_EINVAL);
    assert_int_equal(mm_unpin(T_FREE), 0);
    assert_int_equal(mm_get_page_type(T_FREE, FRAME_TYPE_WRITABLE), 0);
    assert_int_equal(stub_type_change_flushes, 2);   /* L1 -> writable */
    mm_put_page_type(T_FREE);
}

/* Descriptor pages go through the hook and exclude writable mappings. */
static void test_seg_desc_type(void **state)
{
    mfn_t gdt = T_FREE, l1 = T_FREE + 1;

    (void)state;
    assert_int_equal(mm_get_page(gdt), 0);
    stub_desc_rc = -XEN_EINVAL;
    assert_int_equal(mm_get_page_type(gdt, FRAME_TYPE_SEG_DESC), -XEN_EINVAL);
    assert_int_equal(fi(gdt)->type_count, 0);
    stub_desc_rc = 0;
    assert_int_equal(mm_get_page_type(gdt, FRAME_TYPE_SEG_DESC), 0);
    assert_int_equal(stub_desc_calls, 2);
    assert_int_equal(mm_pin(l1, 1), 0);
    assert_int_equal(mm_mmu_update(ma(l1, 0), pte(gdt, F_DATA),
                                   MMU_NORMAL_PT_UPDATE), -XEN_EBUSY);
    assert_int_equal(mm_mmu_update(ma(l1, 0), pte(gdt, F_RO),
                                   MMU_NORMAL_PT_UPDATE), 0);
    /* A plain mmu_update write into it is refused too. */
    assert_int_equal(mm_mmu_update(ma(gdt, 0), 0, MMU_NORMAL_PT_UPDATE),
                     -XEN_EINVAL);
    mm_put_page_type(gdt);
    mm_put_page(gdt);
    assert_int_equal(mm_unpin(l1), 0);
    assert_all_released();
}

/* SHARED frames: mappable rw by L1s, never a page table. */
static void test_shared_frame(void **state)
{
    mfn_t l1 = T_FREE, l2 = T_FREE + 1;

    (void)state;
    assert_int_equal(mm_pin(l1, 1), 0);
    assert_int_equal(mm_mmu_update(ma(l1, 0), pte(STUB_MFN_SHARED, F_DATA),
                                   MMU_NORMAL_PT_UPDATE), 0);
    assert_int_equal(mm_pin(l2, 2), 0);
    assert_int_equal(mm_mmu_update(ma(l2, 0), pte(STUB_MFN_SHARED, F_DIR),
                                   MMU_NORMAL_PT_UPDATE), -XEN_EINVAL);
    assert_int_equal(mm_get_page_type(STUB_MFN_SHARED, FRAME_TYPE_L1),
                     -XEN_EINVAL);
    assert_int_equal(mm_unpin(l1), 0);
    assert_int_equal(mm_unpin(l2), 0);
    assert_all_released();
}

static void test_get_page_rules(void **state)
{
    (void)state;
    assert_int_equal(mm_get_page(STUB_MFN_NONE), -XEN_EINVAL);
    assert_int_equal(mm_get_page(STUB_MFN_SHIM), -XEN_EINVAL);
    assert_int_equal(mm_get_page(STUB_NR_FRAMES), -XEN_EINVAL);
    assert_int_equal(mm_get_page(STUB_MFN_SHARED), 0);
    mm_put_page(STUB_MFN_SHARED);
    assert_int_equal(mm_get_page_type(T_FREE, FRAME_TYPE_NONE), -XEN_EINVAL);
    assert_int_equal(mm_get_page_type(T_FREE, 7), -XEN_EINVAL);
    assert_int_equal(mm_get_page_type(STUB_MFN_SHIM, FRAME_TYPE_WRITABLE),
                     -XEN_EINVAL);
    assert_all_released();
}

extern const struct CMUnitTest mm_ops_tests[];
extern const size_t mm_ops_tests_nr;

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pin_promotes_tree, mm_setup),
        cmocka_unit_test_setup(test_pin_adjusts_entries, mm_setup),
        cmocka_unit_test_setup(test_pin_fills_shim_slots, mm_setup),
        cmocka_unit_test_setup(test_pin_ignores_guest_values_in_shim_slots, mm_setup),
        cmocka_unit_test_setup(test_unpin_demotes_to_zero, mm_setup),
        cmocka_unit_test_setup(test_failed_promotion_rolls_back, mm_setup),
        cmocka_unit_test_setup(test_pin_errors, mm_setup),
        cmocka_unit_test_setup(test_pin_lower_level_then_link, mm_setup),
        cmocka_unit_test_setup(test_unpin_table_in_use_by_root, mm_setup),
        cmocka_unit_test_setup(test_unpin_keeps_table_used_elsewhere, mm_setup),
        cmocka_unit_test_setup(test_set_root, mm_setup),
        cmocka_unit_test_setup(test_unpin_then_reuse_writable, mm_setup),
        cmocka_unit_test_setup(test_type_change_requests_flush, mm_setup),
        cmocka_unit_test_setup(test_seg_desc_type, mm_setup),
        cmocka_unit_test_setup(test_shared_frame, mm_setup),
        cmocka_unit_test_setup(test_get_page_rules, mm_setup),
    };
    int failed = cmocka_run_group_tests_name("mm-types", tests, NULL, NULL);

    failed += _cmocka_run_group_tests("mm-ops", mm_ops_tests, mm_ops_tests_nr,
                                      NULL, NULL);
    return failed ? 1 : 0;
}
