// SPDX-License-Identifier: GPL-2.0-only
/*
 * PV MMU unit tests, part 2: entry updates through mmu_update,
 * update_va_mapping and the ptwr helper (shim/mm-pte.c, shim/mm-ops.c),
 * with the exact Xen error for each refused case. Every test starts from
 * the pinned fixture tree of test-mm.h.
 */
#include "test-mm.h"

static int upd(mfn_t table, unsigned int idx, uint64_t val)
{
    return mm_mmu_update(ma(table, idx), val, MMU_NORMAL_PT_UPDATE);
}

/* A refused update changes nothing: no entry, no count. */
static void expect_refused(mfn_t table, unsigned int idx, uint64_t val, int err)
{
    struct mm_snap s;

    snap_take(&s, table);
    assert_int_equal(upd(table, idx, val), err);
    snap_assert_same(&s);
}

static void test_l1_map_and_unmap(void **state)
{
    mfn_t g = T_FREE;

    (void)state;
    assert_int_equal(upd(T_L1, 5, pte(g, F_DATA)), 0);
    assert_int_equal(stub_frame(T_L1)[5],
                     pte(g, F_DATA | MM_PTE_US | MM_PTE_GUEST_KERNEL));
    assert_counts(g, FRAME_TYPE_WRITABLE, 1, 1);
    /* Remap read-only, then a user page: gets USER + GLOBAL. */
    assert_int_equal(upd(T_L1, 5, pte(g, F_RO)), 0);
    assert_counts(g, FRAME_TYPE_WRITABLE, 0, 1);
    assert_int_equal(upd(T_L1, 5, pte(g, F_DATA | MM_PTE_US)), 0);
    assert_int_equal(stub_frame(T_L1)[5],
                     pte(g, F_DATA | MM_PTE_US | MM_PTE_G));
    assert_int_equal(upd(T_L1, 5, 0), 0);
    assert_counts(g, FRAME_TYPE_WRITABLE, 0, 0);
    assert_int_equal(stub_frame(T_L1)[5], 0);
    /* Non-present values are stored as given, unchecked. */
    assert_int_equal(upd(T_L1, 6, 0xdead0000ULL | MM_PTE_PCD), 0);
    assert_int_equal(stub_frame(T_L1)[6], 0xdead0000ULL | MM_PTE_PCD);
}

static void test_no_writable_mapping_of_page_tables(void **state)
{
    (void)state;
    expect_refused(T_L1, 5, pte(T_L1, F_DATA), -XEN_EBUSY);
    expect_refused(T_L1, 5, pte(T_L2, F_DATA), -XEN_EBUSY);
    expect_refused(T_L1, 5, pte(T_L3, F_DATA), -XEN_EBUSY);
    expect_refused(T_L1, 5, pte(T_L4, F_DATA), -XEN_EBUSY);
    /* Existing ro self map cannot be upgraded to rw either. */
    expect_refused(T_L1, 2, pte(T_L1, F_DATA), -XEN_EBUSY);
    assert_int_equal(upd(T_L1, 5, pte(T_L3, F_RO)), 0);
}

static void test_unmappable_frames(void **state)
{
    (void)state;
    expect_refused(T_L1, 5, pte(STUB_MFN_SHIM, F_RO), -XEN_EBUSY);
    expect_refused(T_L1, 5, pte(STUB_MFN_SHIM + 1, F_DATA), -XEN_EBUSY);
    expect_refused(T_L1, 5, pte(STUB_MFN_NONE, F_RO), -XEN_EPERM);
    expect_refused(T_L1, 5, pte(STUB_NR_FRAMES, F_RO), -XEN_EPERM);
    expect_refused(T_L1, 5, pte(0x123456789ULL, F_RO), -XEN_EPERM);
    expect_refused(T_L1, 5, pte(0xffffffffffULL, F_RO), -XEN_EINVAL);
    /* Upper levels: not the guest's frame -> -EINVAL. */
    expect_refused(T_L2, 5, pte(STUB_MFN_SHIM, F_DIR), -XEN_EINVAL);
    expect_refused(T_L3, 5, pte(STUB_NR_FRAMES + 1, F_DIR), -XEN_EINVAL);
    expect_refused(T_L4, 5, pte(STUB_MFN_NONE, F_DIR), -XEN_EINVAL);
}

static void test_l1_flags(void **state)
{
    (void)state;
    expect_refused(T_L1, 5, pte(T_FREE, F_RO | MM_PTE_PWT), -XEN_EINVAL);
    expect_refused(T_L1, 5, pte(T_FREE, F_RO | MM_PTE_PCD), -XEN_EINVAL);
    expect_refused(T_L1, 5, pte(T_FREE, F_RO | MM_PTE_PAT), -XEN_EINVAL);
    expect_refused(T_L1, 5, pte(T_FREE, F_RO | MM_PTE_GNTTAB), -XEN_EINVAL);
    assert_int_equal(upd(T_L1, 5, pte(T_FREE, F_RO | MM_PTE_G | MM_PTE_NX |
                                      MM_PTE_AVAIL | BIT(55) | MM_PTE_D)), 0);
}

static void test_upper_level_flags(void **state)
{
    (void)state;
    expect_refused(T_L2, 0, pte(T_L1, F_DIR | MM_PTE_PSE), -XEN_EINVAL);
    expect_refused(T_L3, 0, pte(T_L2, F_DIR | MM_PTE_PSE), -XEN_EINVAL);
    expect_refused(T_L2, 1, pte(T_FREE, F_DIR | MM_PTE_G), -XEN_EINVAL);
    expect_refused(T_L4, 1, pte(T_FREE, F_DIR | MM_PTE_PCD), -XEN_EINVAL);
    expect_refused(T_L3, 1, pte(T_FREE, F_DIR | MM_PTE_PWT), -XEN_EINVAL);
    assert_int_equal(upd(T_L2, 1, pte(T_FREE, F_DIR | MM_PTE_NX | BIT(62))), 0);
    assert_counts(T_FREE, FRAME_TYPE_L1, 1, 1);
}

/* Type confusion and linear (same-level) entries are refused. */
static void test_type_confusion(void **state)
{
    (void)state;
    expect_refused(T_L2, 1, pte(T_L2, F_RO | MM_PTE_US), -XEN_EINVAL);
    expect_refused(T_L2, 1, pte(T_L3, F_DIR), -XEN_EINVAL);
    expect_refused(T_L3, 1, pte(T_L4, F_DIR), -XEN_EINVAL);
    expect_refused(T_L3, 1, pte(T_L1, F_DIR), -XEN_EINVAL);
    expect_refused(T_L4, 1, pte(T_L4, F_RO | MM_PTE_US), -XEN_EINVAL);
    expect_refused(T_L4, 1, pte(T_E, F_DIR), -XEN_EINVAL);   /* writable */
}

/* A new L2 entry promotes a fresh L1; removing it demotes the L1 again. */
static void test_recursive_promotion_and_demotion(void **state)
{
    mfn_t l1 = T_FREE, data = T_FREE + 1;

    (void)state;
    stub_frame(l1)[9] = pte(data, F_DATA);
    stub_frame(l1)[10] = pte(T_L1, F_DATA);   /* bad: rw page table */
    expect_refused(T_L2, 1, pte(l1, F_DIR), -XEN_EBUSY);
    assert_counts(data, FRAME_TYPE_WRITABLE, 0, 0);
    stub_frame(l1)[10] = 0;
    assert_int_equal(upd(T_L2, 1, pte(l1, F_DIR)), 0);
    assert_counts(l1, FRAME_TYPE_L1, 1, 1);
    assert_counts(data, FRAME_TYPE_WRITABLE, 1, 1);
    assert_int_equal(upd(T_L2, 1, 0), 0);
    assert_counts(l1, FRAME_TYPE_L1, 0, 0);
    assert_counts(data, FRAME_TYPE_WRITABLE, 0, 0);
    /* Demoted, so it can now be mapped writable. */
    assert_int_equal(upd(T_L1, 5, pte(l1, F_DATA)), 0);
    assert_counts(l1, FRAME_TYPE_WRITABLE, 1, 1);
    assert_int_equal(upd(T_L1, 5, 0), 0);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_all_released();
}

/* An L1 mapping itself writable while being validated is refused. */
static void test_self_rw_mapping_refused(void **state)
{
    mfn_t l1 = T_FREE;

    (void)state;
    stub_frame(l1)[0] = pte(l1, F_DATA);
    assert_int_equal(mm_pin(l1, 1), -XEN_EBUSY);
    assert_counts(l1, FRAME_TYPE_NONE, 0, 0);
}

static void test_l4_shim_slots_refused(void **state)
{
    (void)state;
    for (unsigned int i = 256; i <= 271; i++)
        expect_refused(T_L4, i, 0, -XEN_EINVAL);
    expect_refused(T_L4, 256, pte(T_FREE, F_DIR), -XEN_EINVAL);
    assert_int_equal(upd(T_L4, 255, pte(T_FREE, F_DIR)), 0);
    assert_int_equal(upd(T_L4, 272, 0), 0);
    assert_int_equal(stub_frame(T_L4)[255], pte(T_FREE, F_DIR));
}

/* PRESERVE_AD keeps the A/D bits the CPU set; NORMAL does not. */
static void test_preserve_ad(void **state)
{
    uint64_t *l1 = stub_frame(T_L1);
    uint64_t want = pte(T_F, MM_PTE_P | MM_PTE_US | MM_PTE_G);

    (void)state;
    l1[1] |= MM_PTE_A | MM_PTE_D;   /* as the CPU would */
    assert_int_equal(mm_mmu_update(ma(T_L1, 1), pte(T_F, MM_PTE_P | MM_PTE_US),
                                   MMU_PT_UPDATE_PRESERVE_AD), 0);
    assert_int_equal(l1[1], want | MM_PTE_A | MM_PTE_D);
    assert_int_equal(mm_mmu_update(ma(T_L1, 1), pte(T_F, MM_PTE_P | MM_PTE_US),
                                   MMU_NORMAL_PT_UPDATE), 0);
    assert_int_equal(l1[1], want);
    assert_counts(T_F, FRAME_TYPE_NONE, 0, 1);
    /* The command bits in ptr are ignored; NO_TRANSLATE = NORMAL. */
    assert_int_equal(mm_mmu_update(ma(T_L1, 1) | 3, 0,
                                   MMU_PT_UPDATE_NO_TRANSLATE), 0);
    assert_int_equal(l1[1], 0);
}

/* Writes into frames that are not page tables in use are plain writes. */
static void test_plain_write(void **state)
{
    (void)state;
    assert_int_equal(upd(T_FREE, 3, 0x1234), 0);
    assert_int_equal(stub_frame(T_FREE)[3], 0x1234);
    assert_counts(T_FREE, FRAME_TYPE_WRITABLE, 0, 0);
    assert_int_equal(upd(T_E, 511, ~0ULL), 0);    /* mapped rw: fine */
    assert_int_equal(stub_frame(T_E)[511], ~0ULL);
    assert_int_equal(upd(STUB_MFN_SHIM, 0, 1), -XEN_EINVAL);
    assert_int_equal(upd(STUB_MFN_NONE, 0, 1), -XEN_EINVAL);
    assert_int_equal(upd(STUB_NR_FRAMES, 0, 1), -XEN_EINVAL);
    assert_int_equal(stub_frame(STUB_MFN_SHIM)[0], 0);
}

static void test_machphys_and_bad_cmd(void **state)
{
    (void)state;
    assert_int_equal(mm_mmu_update(ma(T_FREE, 3) | 1, 0x42,
                                   MMU_MACHPHYS_UPDATE), 0);
    assert_int_equal(stub_m2p[T_FREE], 0x42);
    assert_int_equal(mm_mmu_update(ma(STUB_MFN_SHIM, 0), 1,
                                   MMU_MACHPHYS_UPDATE), -XEN_EINVAL);
    assert_int_equal(mm_mmu_update(ma(STUB_NR_FRAMES, 0), 1,
                                   MMU_MACHPHYS_UPDATE), -XEN_EINVAL);
    assert_int_equal(stub_m2p_calls, 1);
    assert_int_equal(mm_mmu_update(ma(T_L1, 5), 0, 4), -XEN_ENOSYS);
    assert_int_equal(mm_mmu_update(ma(T_L1, 5), 0, 7), -XEN_ENOSYS);
}

static void test_update_va_mapping(void **state)
{
    (void)state;
    assert_int_equal(mm_update_va_mapping(T_L4, 0x7000, pte(T_FREE, F_DATA)), 0);
    assert_int_equal(stub_frame(T_L1)[7],
                     pte(T_FREE, F_DATA | MM_PTE_US | MM_PTE_GUEST_KERNEL));
    assert_counts(T_FREE, FRAME_TYPE_WRITABLE, 1, 1);
    /* Validated like mmu_update. */
    assert_int_equal(mm_update_va_mapping(T_L4, 0x8000, pte(T_L2, F_DATA)),
                     -XEN_EBUSY);
    /* No L1 maps these. */
    assert_int_equal(mm_update_va_mapping(T_L4, 0x200000, 0), -XEN_EINVAL);
    assert_int_equal(mm_update_va_mapping(T_L4, 1ULL << 30, 0), -XEN_EINVAL);
    assert_int_equal(mm_update_va_mapping(T_L4, 1ULL << 39, 0), -XEN_EINVAL);
    /* Shim area and non-canonical addresses. */
    assert_int_equal(mm_update_va_mapping(T_L4, HYPERVISOR_VIRT_START, 0),
                     -XEN_EINVAL);
    assert_int_equal(mm_update_va_mapping(T_L4, 1ULL << 47, 0), -XEN_EINVAL);
    /* Root that is not an L4 in use. */
    assert_int_equal(mm_update_va_mapping(T_L3, 0x7000, 0), -XEN_EINVAL);
    assert_int_equal(mm_update_va_mapping(T_FREE + 1, 0x7000, 0), -XEN_EINVAL);
}

static void test_ptwr_write(void **state)
{
    (void)state;
    assert_int_equal(mm_ptwr_write(T_L1, 8 * 9, pte(T_FREE, F_DATA)), 0);
    assert_counts(T_FREE, FRAME_TYPE_WRITABLE, 1, 1);
    assert_int_equal(mm_ptwr_write(T_L1, 8 * 9, pte(T_L4, F_DATA)), -XEN_EBUSY);
    assert_int_equal(mm_ptwr_write(T_L1, 8 * 9, pte(STUB_MFN_SHIM, F_RO)),
                     -XEN_EBUSY);
    assert_int_equal(mm_ptwr_write(T_L1, 8 * 9 + 4, 0), -XEN_EINVAL);
    assert_int_equal(mm_ptwr_write(T_L1, PAGE_SIZE, 0), -XEN_EINVAL);
    assert_int_equal(mm_ptwr_write(T_L2, 8, 0), -XEN_EINVAL);
    assert_int_equal(mm_ptwr_write(T_FREE + 1, 8, 0), -XEN_EINVAL);
    assert_int_equal(mm_ptwr_write(STUB_NR_FRAMES, 8, 0), -XEN_EINVAL);
    assert_int_equal(mm_ptwr_write(T_L1, 8 * 9, 0), 0);
    assert_counts(T_FREE, FRAME_TYPE_WRITABLE, 0, 0);
}

/* Replacing an entry by itself keeps the counts (get new, then put old). */
static void test_rewrite_same_entry(void **state)
{
    (void)state;
    assert_int_equal(upd(T_L2, 0, pte(T_L1, F_DIR)), 0);
    assert_counts(T_L1, FRAME_TYPE_L1, 1, 2);
    assert_int_equal(upd(T_L1, 0, pte(T_E, F_DATA)), 0);
    assert_counts(T_E, FRAME_TYPE_WRITABLE, 1, 1);
    assert_int_equal(upd(T_L4, 0, pte(T_L3, F_DIR)), 0);
    assert_counts(T_L3, FRAME_TYPE_L3, 1, 1);
    assert_int_equal(mm_unpin(T_L4), 0);
    assert_all_released();
}

/* Counter overflow is refused, never wrapped (Xen: -EBUSY for L1 via
   could_not_pin, -EINVAL for "Type count overflow"). */
static void test_count_overflow(void **state)
{
    (void)state;
    fi(T_FREE)->ref_count = UINT32_MAX;
    expect_refused(T_L1, 5, pte(T_FREE, F_RO), -XEN_EBUSY);
    expect_refused(T_L2, 5, pte(T_FREE, F_DIR), -XEN_EINVAL);
    fi(T_FREE)->ref_count = 0;
    fi(T_E)->type_count = UINT32_MAX;
    expect_refused(T_L1, 5, pte(T_E, F_DATA), -XEN_EBUSY);
    fi(T_E)->type_count = 1;
}

#define OPS_TEST(t) cmocka_unit_test_setup(t, mm_setup_pinned)
const struct CMUnitTest mm_ops_tests[] = {
    OPS_TEST(test_l1_map_and_unmap),
    OPS_TEST(test_no_writable_mapping_of_page_tables),
    OPS_TEST(test_unmappable_frames),
    OPS_TEST(test_l1_flags),
    OPS_TEST(test_upper_level_flags),
    OPS_TEST(test_type_confusion),
    OPS_TEST(test_recursive_promotion_and_demotion),
    OPS_TEST(test_self_rw_mapping_refused),
    OPS_TEST(test_l4_shim_slots_refused),
    OPS_TEST(test_preserve_ad),
    OPS_TEST(test_plain_write),
    OPS_TEST(test_machphys_and_bad_cmd),
    OPS_TEST(test_update_va_mapping),
    OPS_TEST(test_ptwr_write),
    OPS_TEST(test_rewrite_same_entry),
    OPS_TEST(test_count_overflow),
};
const size_t mm_ops_tests_nr = ARRAY_SIZE(mm_ops_tests);
