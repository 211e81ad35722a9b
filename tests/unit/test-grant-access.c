// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, backend side (v1): a frontend grants a page the way Linux
 * does (domid and frame, write barrier, flags), an in-shim backend acquires
 * and releases it. Checks the GTF_reading/GTF_writing discipline Linux
 * relies on to revoke safely (contract 6), the refusals of Xen's
 * _set_status_v1/get_paged_frame, and the frame references that keep a
 * granted page from being ballooned away or turned into a page table.
 */
#include "grant-stub.h"

#define DATA GS_DATA_MFN

static uint16_t flags_of(grant_ref_t ref)
{
    return __atomic_load_n(&gs_v1(ref)->flags, __ATOMIC_SEQ_CST);
}

static void test_read_acquire_release(void **state)
{
    struct gnt_mapping m;

    gs_grant_v1(8, 0, DATA, GTF_permit_access | GTF_readonly);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_okay);
    assert_ptr_equal(m.page, mfn_to_virt(DATA));
    assert_int_equal(m.mfn, DATA);
    assert_int_equal(m.offset, 0);
    assert_int_equal(m.len, PAGE_SIZE);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_readonly | GTF_reading);
    assert_int_equal(gs_fi(DATA)->ref_count, 1);
    assert_int_equal(gs_fi(DATA)->type_count, 0);

    gnttab_release(&gs_dom, &m);
    assert_null(m.page);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_readonly);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
}

static void test_write_acquire_release(void **state)
{
    struct gnt_mapping m;

    gs_grant_v1(9, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, true, &m), GNTST_okay);
    assert_int_equal(flags_of(9), GTF_permit_access | GTF_reading | GTF_writing);
    assert_int_equal(gs_fi(DATA)->type, FRAME_TYPE_WRITABLE);
    assert_int_equal(gs_fi(DATA)->type_count, 1);
    m.page[100] = 0x5a;
    gnttab_release(&gs_dom, &m);
    assert_int_equal(flags_of(9), GTF_permit_access);
    assert_int_equal(gs_fi(DATA)->type_count, 0);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
    assert_int_equal(((uint8_t *)mfn_to_virt(DATA))[100], 0x5a);
}

/* _set_status_v1: "Bad flags or dom" and "write-pin a r/o grant entry". */
static void test_refusals(void **state)
{
    struct gnt_mapping m = { .page = (uint8_t *)1 };

    gs_grant_v1(8, 0, DATA, GTF_permit_access | GTF_readonly);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_general_error);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_readonly);

    gs_grant_v1(9, 3, DATA, GTF_permit_access);         /* granted to dom3 */
    assert_int_equal(gnttab_acquire(&gs_dom, 9, false, &m), GNTST_general_error);
    gs_grant_v1(10, 0, DATA, GTF_invalid);
    assert_int_equal(gnttab_acquire(&gs_dom, 10, false, &m), GNTST_general_error);
    gs_grant_v1(11, 0, DATA, GTF_accept_transfer);
    assert_int_equal(gnttab_acquire(&gs_dom, 11, false, &m), GNTST_general_error);
    gs_grant_v1(12, 0, DATA, GTF_transitive);
    assert_int_equal(gnttab_acquire(&gs_dom, 12, false, &m), GNTST_general_error);
    assert_int_equal(flags_of(12), GTF_transitive);
    assert_ptr_equal(m.page, (uint8_t *)1);             /* untouched on error */
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
}

static void test_ref_range(void **state)
{
    struct gnt_mapping m;
    struct gnttab_setup_table *op = gs_gva(GS_GVA_BASE);

    assert_int_equal(gnttab_acquire(&gs_dom, 512, false, &m), GNTST_bad_gntref);
    assert_int_equal(gnttab_acquire(&gs_dom, 0xffffffffu, false, &m), GNTST_bad_gntref);
    op->dom = DOMID_SELF;
    op->nr_frames = 2;
    set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(uintptr_t)(GS_GVA_BASE + 4096));
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, GS_GVA_BASE, 1), 0);
    gs_grant_v1(512, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 512, false, &m), GNTST_okay);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gnttab_acquire(&gs_dom, 1024, false, &m), GNTST_bad_gntref);
}

/* get_paged_frame: only the granting domain's own RAM -> else GNTST_bad_page. */
static void test_frame_not_the_guests(void **state)
{
    const mfn_t bad[] = {
        GS_MFN_SHIM, 0, GS_HEAP_FIRST, gs_shared_mfn(0) /* a SHARED frame */,
        GS_NR_FRAMES, 0xffffffffu,
    };
    struct gnt_mapping m;

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        gs_grant_v1(8, 0, (uint32_t)bad[i], GTF_permit_access);
        assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_bad_page);
        /* The bits set for the attempt are gone again. */
        assert_int_equal(flags_of(8), GTF_permit_access);
    }
}

/* A page table can be granted read-only, never written by a backend. */
static void test_page_table_not_writable(void **state)
{
    struct gnt_mapping m;

    assert_int_equal(mm_pin(DATA, 1), 0);               /* an (empty) L1 */
    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_general_error);
    assert_int_equal(flags_of(8), GTF_permit_access);
    assert_int_equal(gs_fi(DATA)->ref_count, 1);        /* just the pin */
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_okay);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(mm_unpin(DATA), 0);

    /* And while a backend writes it, it cannot become one. The old L1
     * turning writable asks for a TLB flush before the guest runs. */
    (void)mm_take_tlb_flush_request();
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_okay);
    assert_true(mm_take_tlb_flush_request());
    assert_int_equal(mm_pin(DATA, 1), -XEN_EINVAL);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(mm_pin(DATA, 1), 0);
}

/* Linux's revoke (cmpxchg flags -> 0 unless reading/writing) fails while held. */
static void test_revoke_while_in_use(void **state)
{
    struct gnt_mapping m;

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_okay);
    assert_false(gs_revoke_v1(8));
    assert_false(gs_revoke_v1(8));
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_release(&gs_dom, &m);
    assert_true(gs_revoke_v1(8));
    assert_int_equal(flags_of(8), 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_general_error);
}

/* Pins: GTF_writing goes with the last writer, GTF_reading with the last user. */
static void test_multiple_pins(void **state)
{
    struct gnt_mapping r1, r2, w1, w2;

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &r1), GNTST_okay);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &w1), GNTST_okay);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &w2), GNTST_okay);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &r2), GNTST_okay);
    assert_int_equal(gs_fi(DATA)->ref_count, 4);
    assert_int_equal(gs_fi(DATA)->type_count, 2);

    gnttab_release(&gs_dom, &w1);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_release(&gs_dom, &w2);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_reading);
    assert_false(gs_revoke_v1(8));
    gnttab_release(&gs_dom, &r1);
    assert_int_equal(flags_of(8), GTF_permit_access | GTF_reading);
    gnttab_release(&gs_dom, &r2);
    assert_int_equal(flags_of(8), GTF_permit_access);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
    assert_int_equal(gs_fi(DATA)->type_count, 0);
}

/* GNTPIN_incr2oflow_mask: a counter with its top bit set takes no more. */
static void test_pin_overflow(void **state)
{
    static struct gnt_mapping m[129];

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    for (unsigned int i = 0; i < 128; i++)
        assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m[i]), GNTST_okay);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m[128]), GNTST_general_error);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m[128]), GNTST_okay);
    gnttab_release(&gs_dom, &m[128]);
    for (unsigned int i = 0; i < 128; i++)
        gnttab_release(&gs_dom, &m[i]);
    assert_int_equal(flags_of(8), GTF_permit_access);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
}

static void test_copy_helpers(void **state)
{
    uint8_t buf[64], out[64];

    for (unsigned int i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    assert_int_equal(gnttab_copy_to(&gs_dom, 8, PAGE_SIZE - 64, buf, 64), GNTST_okay);
    assert_memory_equal((uint8_t *)mfn_to_virt(DATA) + PAGE_SIZE - 64, buf, 64);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, PAGE_SIZE - 64, out, 64), GNTST_okay);
    assert_memory_equal(out, buf, 64);
    assert_int_equal(flags_of(8), GTF_permit_access);

    assert_int_equal(gnttab_copy_to(&gs_dom, 8, PAGE_SIZE - 63, buf, 64), GNTST_bad_copy_arg);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, 0xffffffffu, out, 64), GNTST_bad_copy_arg);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, 0, out, 0), GNTST_okay);

    gs_grant_v1(9, 0, DATA, GTF_permit_access | GTF_readonly);
    assert_int_equal(gnttab_copy_to(&gs_dom, 9, 0, buf, 8), GNTST_general_error);
    assert_int_equal(gnttab_copy_from(&gs_dom, 9, PAGE_SIZE - 64, out, 64), GNTST_okay);
    memset(out, 0xcc, sizeof(out));
    assert_int_equal(gnttab_copy_from(&gs_dom, 700, 0, out, 64), GNTST_bad_gntref);
    for (unsigned int i = 0; i < sizeof(out); i++)
        assert_int_equal(out[i], 0);                    /* zero-filled */
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
    assert_int_equal(gs_fi(DATA)->type_count, 0);
}

/* The builder's seeded grants work for the console and xenstore backends. */
static void test_seeded_entries(void **state)
{
    struct gnt_mapping m;

    assert_int_equal(gnttab_acquire(&gs_dom, GNTTAB_RESERVED_XENSTORE, true, &m), GNTST_okay);
    assert_int_equal(m.mfn, GS_STORE_MFN);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gnttab_acquire(&gs_dom, GNTTAB_RESERVED_CONSOLE, false, &m), GNTST_okay);
    assert_int_equal(m.mfn, GS_CONSOLE_MFN);
    gnttab_release(&gs_dom, &m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_read_acquire_release, gs_setup),
        cmocka_unit_test_setup(test_write_acquire_release, gs_setup),
        cmocka_unit_test_setup(test_refusals, gs_setup),
        cmocka_unit_test_setup(test_ref_range, gs_setup),
        cmocka_unit_test_setup(test_frame_not_the_guests, gs_setup),
        cmocka_unit_test_setup(test_page_table_not_writable, gs_setup),
        cmocka_unit_test_setup(test_revoke_while_in_use, gs_setup),
        cmocka_unit_test_setup(test_multiple_pins, gs_setup),
        cmocka_unit_test_setup(test_pin_overflow, gs_setup),
        cmocka_unit_test_setup(test_copy_helpers, gs_setup),
        cmocka_unit_test_setup(test_seeded_entries, gs_setup),
    };

    return cmocka_run_group_tests_name("grant-access", tests, NULL, NULL);
}
