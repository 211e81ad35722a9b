// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, guest side: grant_table_op as a Linux domU issues it
 * (setup_table, query_size, set_version, get_version, get_status_frames)
 * and the table the builder seeds. Expected values are Xen 4.17's
 * (xen/common/grant_table.c, do_grant_table_op and the gnttab_* it calls).
 */
#include "grant-stub.h"

#define OP   GS_GVA_BASE
#define LIST (GS_GVA_BASE + 4096)

static long setup(domid_t dom, uint32_t nr, int16_t *status)
{
    struct gnttab_setup_table *op = gs_gva(OP);

    memset(op, 0, sizeof(*op));
    op->dom = dom;
    op->nr_frames = nr;
    op->status = 0x55;
    set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(uintptr_t)LIST);
    long rc = gs_gnttab_op(GNTTABOP_setup_table, OP, 1);
    *status = op->status;
    return rc;
}

static struct gnttab_query_size query(domid_t dom)
{
    struct gnttab_query_size *op = gs_gva(OP);

    memset(op, 0, sizeof(*op));
    op->dom = dom;
    assert_int_equal(gs_gnttab_op(GNTTABOP_query_size, OP, 1), 0);
    return *op;
}

static long set_version(uint32_t v, uint32_t *out)
{
    struct gnttab_set_version *op = gs_gva(OP);
    long rc;

    op->version = v;
    rc = gs_gnttab_op(GNTTABOP_set_version, OP, 1);
    *out = op->version;
    return rc;
}

static long get_version(domid_t dom, uint32_t *out)
{
    struct gnttab_get_version *op = gs_gva(OP);

    memset(op, 0, sizeof(*op));
    op->dom = dom;
    op->version = 77;
    long rc = gs_gnttab_op(GNTTABOP_get_version, OP, 1);
    *out = op->version;
    return rc;
}

static int16_t status_frames(uint32_t nr)
{
    struct gnttab_get_status_frames *op = gs_gva(OP);

    memset(op, 0, sizeof(*op));
    op->dom = DOMID_SELF;
    op->nr_frames = nr;
    set_xen_guest_handle(op->frame_list, (uint64_t *)(uintptr_t)LIST);
    assert_int_equal(gs_gnttab_op(GNTTABOP_get_status_frames, OP, 1), 0);
    return op->status;
}

/* The builder's table: 1 frame, v1, entries 0/1 seeded for domid 0. */
static void test_initial_table(void **state)
{
    struct gnttab_query_size q = query(DOMID_SELF);
    uint32_t v;

    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 1);
    assert_int_equal(q.max_nr_frames, 64);      /* opt_max_grant_frames */
    assert_int_equal(get_version(DOMID_SELF, &v), 0);
    assert_int_equal(v, 1);

    mfn_t f0 = gs_shared_mfn(0);
    assert_int_equal(gs_fi(f0)->owner, FRAME_OWNER_SHARED);
    assert_int_equal(gs_fi(f0 + 1)->owner, FRAME_OWNER_SHIM);   /* not handed out */
    assert_int_equal(gs_v1(GNTTAB_RESERVED_CONSOLE)->flags, GTF_permit_access);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_CONSOLE)->domid, 0);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_CONSOLE)->frame, GS_CONSOLE_MFN);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_XENSTORE)->flags, GTF_permit_access);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_XENSTORE)->frame, GS_STORE_MFN);
    assert_int_equal(gs_v1(2)->flags, 0);
}

/* Linux: setup_table(1), then grows by asking for more frames. */
static void test_setup_grows_and_keeps(void **state)
{
    const xen_pfn_t *list = gs_gva(LIST);
    int16_t st;

    assert_int_equal(setup(DOMID_SELF, 1, &st), 0);
    assert_int_equal(st, GNTST_okay);
    xen_pfn_t first = list[0];

    assert_int_equal(setup(1 /* own domid */, 4, &st), 0);
    assert_int_equal(st, GNTST_okay);
    assert_int_equal(list[0], first);
    for (unsigned int i = 0; i < 4; i++) {
        assert_int_equal(list[i], first + i);
        assert_int_equal(gs_fi(list[i])->owner, FRAME_OWNER_SHARED);
    }
    assert_int_equal(query(DOMID_SELF).nr_frames, 4);
    assert_int_equal(gnttab_nr_entries(&gs_dom), 4 * 512);

    /* Asking for fewer returns those, never shrinks. */
    memset(gs_gva(LIST), 0xee, 64);
    assert_int_equal(setup(DOMID_SELF, 2, &st), 0);
    assert_int_equal(st, GNTST_okay);
    assert_int_equal(list[1], first + 1);
    assert_int_equal(list[2], 0xeeeeeeeeeeeeeeeeULL);
    assert_int_equal(query(DOMID_SELF).nr_frames, 4);
    assert_int_equal(setup(DOMID_SELF, 0, &st), 0);
    assert_int_equal(st, GNTST_okay);

    /* The limit is max_grant_frames; above it GNTST_general_error. */
    assert_int_equal(setup(DOMID_SELF, 65, &st), 0);
    assert_int_equal(st, GNTST_general_error);
    assert_int_equal(query(DOMID_SELF).nr_frames, 4);
    assert_int_equal(setup(DOMID_SELF, 64, &st), 0);
    assert_int_equal(st, GNTST_okay);
    assert_int_equal(list[63], first + 63);
    assert_int_equal(query(DOMID_SELF).nr_frames, 64);
    /* The seeded entries are untouched by growth. */
    assert_int_equal(gs_v1(GNTTAB_RESERVED_XENSTORE)->frame, GS_STORE_MFN);
}

/* rcu_lock_domain_by_any_id + XSM_TARGET for a domU, and the argument checks. */
static void test_setup_errors(void **state)
{
    struct gnttab_setup_table *op = gs_gva(OP);
    int16_t st;

    assert_int_equal(setup(0, 1, &st), 0);
    assert_int_equal(st, GNTST_permission_denied);
    assert_int_equal(setup(7, 1, &st), 0);
    assert_int_equal(st, GNTST_bad_domain);
    assert_int_equal(setup(DOMID_IO, 1, &st), 0);
    assert_int_equal(st, GNTST_bad_domain);

    op->dom = DOMID_SELF;
    op->nr_frames = 1;
    set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(uintptr_t)LIST);
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, OP, 2), -XEN_EINVAL);
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, OP, 0), -XEN_EINVAL);
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, 0x1000, 1), -XEN_EFAULT);
    /* frame_list must be a guest range for nr_frames (guest_handle_okay). */
    set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(uintptr_t)0xffff800000000000ULL);
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, OP, 1), -XEN_EFAULT);
    assert_int_equal(query(DOMID_SELF).nr_frames, 1);
    /* A list that faults part-way: the table grows, GNTST_bad_virt_addr (Xen). */
    set_xen_guest_handle(op->frame_list,
                         (xen_pfn_t *)(uintptr_t)(GS_GVA_BASE + GS_GVA_SIZE - 8));
    op->nr_frames = 2;
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, OP, 1), 0);
    assert_int_equal(op->status, GNTST_bad_virt_addr);
    assert_int_equal(*(xen_pfn_t *)gs_gva(GS_GVA_BASE + GS_GVA_SIZE - 8), gs_shared_mfn(0));
    assert_int_equal(query(DOMID_SELF).nr_frames, 2);
}

static void test_query_errors(void **state)
{
    assert_int_equal(query(0).status, GNTST_permission_denied);
    assert_int_equal(query(9).status, GNTST_bad_domain);
    assert_int_equal(gs_gnttab_op(GNTTABOP_query_size, OP, 2), -XEN_EINVAL);
    assert_int_equal(gs_gnttab_op(GNTTABOP_query_size, 0, 1), -XEN_EFAULT);
}

static void test_dispatch(void **state)
{
    static const unsigned int unsupported[] = {
        GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_dump_table,
        GNTTABOP_transfer, GNTTABOP_copy, GNTTABOP_unmap_and_replace,
        GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush, 13, 0xfff,
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++)
        assert_int_equal(gs_gnttab_op(unsupported[i], OP, 1), -XEN_ENOSYS);
    /* Continuation bits only for cache_flush; negative counts refused. */
    assert_int_equal(gs_gnttab_op(GNTTABOP_query_size | 0x1000, OP, 1), -XEN_EINVAL);
    assert_int_equal(gs_gnttab_op(GNTTABOP_cache_flush | 0x1000, OP, 1), -XEN_ENOSYS);
    assert_int_equal(gs_gnttab_op(GNTTABOP_query_size, OP, 0x80000000u), -XEN_EINVAL);
}

static void test_versions(void **state)
{
    uint32_t v;

    assert_int_equal(set_version(3, &v), -XEN_EINVAL);
    assert_int_equal(v, 1);
    assert_int_equal(set_version(0, &v), -XEN_EINVAL);
    assert_int_equal(set_version(1, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(status_frames(0), GNTST_okay);
    assert_int_equal(status_frames(1), GNTST_general_error);   /* none under v1 */

    gs_grant_v1(10, 0, GS_DATA_MFN, GTF_permit_access);
    assert_int_equal(set_version(2, &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(get_version(DOMID_SELF, &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(gnttab_nr_entries(&gs_dom), 256);

    /* One status frame per 8 grant frames, shared with the guest. */
    assert_int_equal(status_frames(1), GNTST_okay);
    assert_int_equal(status_frames(2), GNTST_general_error);
    mfn_t s0 = gs_status_mfn(0);
    assert_int_equal(gs_fi(s0)->owner, FRAME_OWNER_SHARED);

    /* Reserved entries carried over in v2 form; the rest cleared. */
    assert_int_equal(gs_v2(GNTTAB_RESERVED_CONSOLE)->hdr.flags, GTF_permit_access);
    assert_int_equal(gs_v2(GNTTAB_RESERVED_CONSOLE)->hdr.domid, 0);
    assert_int_equal(gs_v2(GNTTAB_RESERVED_CONSOLE)->full_page.frame, GS_CONSOLE_MFN);
    assert_int_equal(gs_v2(GNTTAB_RESERVED_XENSTORE)->full_page.frame, GS_STORE_MFN);
    assert_int_equal(gs_v2(10)->hdr.flags, 0);

    /* Growing under v2 adds status frames: 9 frames need 2. */
    int16_t st;
    assert_int_equal(setup(DOMID_SELF, 9, &st), 0);
    assert_int_equal(st, GNTST_okay);
    assert_int_equal(status_frames(2), GNTST_okay);
    assert_int_equal(gs_fi(gs_status_mfn(1))->owner, FRAME_OWNER_SHARED);

    /* Back to v1: status frames return to the shim, reserved kept. */
    gs_grant_v2(20, 0, GS_DATA_MFN, GTF_permit_access, 0, 0);
    assert_int_equal(set_version(1, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(gs_fi(s0)->owner, FRAME_OWNER_SHIM);
    assert_int_equal(status_frames(1), GNTST_general_error);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_CONSOLE)->flags, GTF_permit_access);
    assert_int_equal(gs_v1(GNTTAB_RESERVED_CONSOLE)->frame, GS_CONSOLE_MFN);
    assert_int_equal(gs_v1(20)->flags, 0);
    assert_int_equal(gnttab_nr_entries(&gs_dom), 9 * 512);
}

/* gnttab_unpopulate_status_frames: -EBUSY while the guest maps one. */
static void test_v1_refused_while_status_mapped(void **state)
{
    uint32_t v;

    assert_int_equal(set_version(2, &v), 0);
    mfn_t s0 = gs_status_mfn(0);
    assert_int_equal(mm_get_page(s0), 0);       /* the guest's mapping */
    assert_int_equal(set_version(1, &v), -XEN_EBUSY);
    assert_int_equal(v, 2);
    assert_int_equal(gs_v2(GNTTAB_RESERVED_CONSOLE)->full_page.frame, GS_CONSOLE_MFN);
    mm_put_page(s0);
    assert_int_equal(set_version(1, &v), 0);
}

/* v2 reserved entries that a v1 entry cannot hold: -ERANGE. */
static void test_v1_refused_for_wide_reserved(void **state)
{
    uint32_t v;

    assert_int_equal(set_version(2, &v), 0);
    gs_grant_v2(3, 0, 1ULL << 32, GTF_permit_access, 0, 0);
    assert_int_equal(set_version(1, &v), -XEN_ERANGE);
    assert_int_equal(v, 2);
    gs_grant_v2(3, 0, 5, GTF_transitive, 0, 0);
    assert_int_equal(set_version(1, &v), -XEN_ERANGE);
    gs_grant_v2(3, 0, 0, 0, 0, 0);
    assert_int_equal(set_version(1, &v), 0);
}

/* A grant held by a backend pins the version (entries >= 8 only). */
static void test_version_busy_while_pinned(void **state)
{
    struct gnt_mapping m, r;
    uint32_t v;

    gs_grant_v1(8, 0, GS_DATA_MFN, GTF_permit_access);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_okay);
    assert_int_equal(set_version(2, &v), -XEN_EBUSY);
    assert_int_equal(v, 1);
    gnttab_release(&gs_dom, &m);

    /* A reserved grant in use does not; its busy bit moves to the status word. */
    assert_int_equal(gnttab_acquire(&gs_dom, GNTTAB_RESERVED_CONSOLE, true, &r), GNTST_okay);
    assert_int_equal(set_version(2, &v), 0);
    assert_int_equal(gs_v2(GNTTAB_RESERVED_CONSOLE)->hdr.flags, GTF_permit_access);
    assert_int_equal(gs_status(GNTTAB_RESERVED_CONSOLE), GTF_reading | GTF_writing);
    gnttab_release(&gs_dom, &r);
    assert_int_equal(gs_status(GNTTAB_RESERVED_CONSOLE), 0);
    assert_int_equal(gs_fi(GS_CONSOLE_MFN)->ref_count, 0);
}

static void test_get_version_errors(void **state)
{
    uint32_t v;

    assert_int_equal(get_version(0, &v), -XEN_EPERM);
    assert_int_equal(v, 77);
    assert_int_equal(get_version(4, &v), -XEN_ESRCH);
    assert_int_equal(gs_gnttab_op(GNTTABOP_get_version, 8, 1), -XEN_EFAULT);
    assert_int_equal(gs_gnttab_op(GNTTABOP_set_version, 8, 1), -XEN_EFAULT);
    assert_int_equal(gs_gnttab_op(GNTTABOP_get_status_frames, OP, 2), -XEN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_initial_table, gs_setup),
        cmocka_unit_test_setup(test_setup_grows_and_keeps, gs_setup),
        cmocka_unit_test_setup(test_setup_errors, gs_setup),
        cmocka_unit_test_setup(test_query_errors, gs_setup),
        cmocka_unit_test_setup(test_dispatch, gs_setup),
        cmocka_unit_test_setup(test_versions, gs_setup),
        cmocka_unit_test_setup(test_v1_refused_while_status_mapped, gs_setup),
        cmocka_unit_test_setup(test_v1_refused_for_wide_reserved, gs_setup),
        cmocka_unit_test_setup(test_version_busy_while_pinned, gs_setup),
        cmocka_unit_test_setup(test_get_version_errors, gs_setup),
    };

    return cmocka_run_group_tests_name("grant-table", tests, NULL, NULL);
}
