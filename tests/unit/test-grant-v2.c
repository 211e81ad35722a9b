// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, backend side: v2 entries (status words, sub-page windows,
 * Linux's v2 revoke) and a hostile guest that rewrites its entries while
 * the backend acquires them. The shim must read each field once and never
 * hand out a frame or window it did not check (Xen's _set_status_v2 and
 * acquire_grant_for_copy; the XSA-style double-fetch rule of STYLE.md).
 */
#include <pthread.h>
#include <sched.h>
#include "grant-stub.h"

#define DATA GS_DATA_MFN

static void to_v2(void)
{
    struct gnttab_set_version *op = gs_gva(GS_GVA_BASE + 2048);

    op->version = 2;
    assert_int_equal(gs_gnttab_op(GNTTABOP_set_version, GS_GVA_BASE + 2048, 1), 0);
}

static int v2_setup(void **state)
{
    gs_reset();
    to_v2();
    return 0;
}

static void test_v2_full_page(void **state)
{
    struct gnt_mapping m;

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_okay);
    assert_int_equal(m.mfn, DATA);
    assert_int_equal(m.len, PAGE_SIZE);
    /* v2: the busy bits live in the status frame, flags stay the guest's. */
    assert_int_equal(gs_status(8), GTF_reading | GTF_writing);
    assert_int_equal(gs_v2(8)->hdr.flags, GTF_permit_access);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gs_status(8), 0);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
    assert_int_equal(gs_fi(DATA)->type_count, 0);
}

static void test_v2_refusals(void **state)
{
    struct gnt_mapping m;

    gs_grant_v2(8, 0, DATA, GTF_permit_access | GTF_readonly, 0, 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_general_error);
    assert_int_equal(gs_status(8), 0);
    gs_grant_v2(9, 2, DATA, GTF_permit_access, 0, 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, false, &m), GNTST_general_error);
    gs_grant_v2(10, 0, DATA, GTF_transitive, 0, 0);     /* no other domain */
    assert_int_equal(gnttab_acquire(&gs_dom, 10, false, &m), GNTST_general_error);
    gs_grant_v2(11, 0, 1ULL << 40, GTF_permit_access, 0, 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 11, false, &m), GNTST_bad_page);
    assert_int_equal(gs_status(11), 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 256, false, &m), GNTST_bad_gntref);
}

/* Sub-page grants: access limited to [page_off, page_off + length). */
static void test_v2_sub_page(void **state)
{
    uint8_t buf[256] = { 1, 2, 3 };
    struct gnt_mapping m;

    gs_grant_v2(8, 0, DATA, GTF_permit_access | GTF_sub_page, 100, 200);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_okay);
    assert_int_equal(m.offset, 100);
    assert_int_equal(m.len, 200);
    gnttab_release(&gs_dom, &m);

    assert_int_equal(gnttab_copy_to(&gs_dom, 8, 100, buf, 200), GNTST_okay);
    assert_int_equal(((uint8_t *)mfn_to_virt(DATA))[102], 3);
    assert_int_equal(gnttab_copy_to(&gs_dom, 8, 99, buf, 10), GNTST_general_error);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, 250, buf, 51), GNTST_general_error);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, 250, buf, 50), GNTST_okay);
    assert_int_equal(gnttab_copy_from(&gs_dom, 8, 4000, buf, 200), GNTST_bad_copy_arg);
    assert_int_equal(gs_status(8), 0);

    /* A window past the end of the page is refused, bits backed out. */
    gs_grant_v2(9, 0, DATA, GTF_permit_access | GTF_sub_page, 4000, 200);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, false, &m), GNTST_general_error);
    assert_int_equal(gs_status(9), 0);
    gs_grant_v2(9, 0, DATA, GTF_permit_access | GTF_sub_page, 4096, 1);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, true, &m), GNTST_general_error);
    gs_grant_v2(9, 0, DATA, GTF_permit_access | GTF_sub_page, 0xffff, 0xffff);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, true, &m), GNTST_general_error);
    gs_grant_v2(9, 0, DATA, GTF_permit_access | GTF_sub_page, 4095, 1);
    assert_int_equal(gnttab_acquire(&gs_dom, 9, true, &m), GNTST_okay);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
}

/* Linux v2 revoke: flags = 0, mb, busy if the status says so. */
static void test_v2_revoke_while_in_use(void **state)
{
    struct gnt_mapping m, n;

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_okay);
    assert_false(gs_revoke_v2(8));
    /* Revoked: no new user, but the holder keeps its bit until release. */
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &n), GNTST_general_error);
    assert_int_equal(gs_status(8), GTF_reading);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gs_status(8), 0);
    assert_true(gs_revoke_v2(8));
}

/* ---- a guest rewriting the entry between the shim's steps ---------------- */

static union grant_entry_v2 *hook_e2;
static struct grant_entry_v1 *hook_e1;

static void revoke_now(void)
{
    __atomic_store_n(&hook_e2->hdr.flags, 0, __ATOMIC_SEQ_CST);
}

static void make_readonly_now(void)
{
    __atomic_fetch_or(&hook_e2->hdr.flags, GTF_readonly, __ATOMIC_SEQ_CST);
}

static void bad_window_now(void)
{
    hook_e2->sub_page.page_off = 4000;
    hook_e2->sub_page.length = 200;
    __atomic_fetch_or(&hook_e2->hdr.flags, GTF_sub_page, __ATOMIC_SEQ_CST);
}

/*
 * _set_status_v2: after setting the status bits the shim re-reads the
 * header; a grant revoked or made read-only in between is backed out, and
 * the flags that decide the window come from that second read.
 */
static void test_v2_changed_between_checks(void **state)
{
    mfn_t status = gs_status_mfn(0);
    struct gnt_mapping m;

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    hook_e2 = gs_v2(8);
    gs_on_map(status, 1, revoke_now);       /* just before the status update */
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_general_error);
    assert_int_equal(gs_status(8), 0);

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    gs_on_map(status, 1, make_readonly_now);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_general_error);
    assert_int_equal(gs_status(8), 0);

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    gs_on_map(status, 1, bad_window_now);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &m), GNTST_general_error);
    assert_int_equal(gs_status(8), 0);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);

    /* A held pin keeps its bits when a second attempt is backed out. */
    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    struct gnt_mapping held;
    assert_int_equal(gnttab_acquire(&gs_dom, 8, false, &held), GNTST_okay);
    gs_on_map(status, 1, make_readonly_now);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_general_error);
    assert_int_equal(gs_status(8), GTF_reading);
    gnttab_release(&gs_dom, &held);
    assert_int_equal(gs_status(8), 0);
}

static void frame_to_shim_now(void)
{
    __atomic_store_n(&hook_e1->frame, GS_MFN_SHIM, __ATOMIC_SEQ_CST);
}

static void frame_to_other_now(void)
{
    __atomic_store_n(&hook_e1->frame, DATA + 1, __ATOMIC_SEQ_CST);
}

/*
 * v1: the frame is read once, after GTF_reading is set (second lookup of
 * the entry); what is read then is what is checked and used.
 */
static void test_v1_frame_read_after_flags(void **state)
{
    mfn_t shared = gs_shared_mfn(0);
    struct gnt_mapping m;

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    hook_e1 = gs_v1(8);
    gs_on_map(shared, 2, frame_to_shim_now);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_bad_page);
    assert_int_equal(hook_e1->flags, GTF_permit_access);
    assert_int_equal(gs_fi(GS_MFN_SHIM)->ref_count, 0);

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    gs_on_map(shared, 2, frame_to_other_now);
    assert_int_equal(gnttab_acquire(&gs_dom, 8, true, &m), GNTST_okay);
    assert_int_equal(m.mfn, DATA + 1);
    assert_int_equal(gs_fi(DATA + 1)->type_count, 1);
    assert_int_equal(gs_fi(DATA)->ref_count, 0);
    gnttab_release(&gs_dom, &m);
    assert_int_equal(gs_fi(DATA + 1)->ref_count, 0);
    assert_int_equal(hook_e1->flags, GTF_permit_access);
}

/* ---- a hostile guest vCPU rewriting the entry all the time (stress) ------- */

struct flipper {
    uint32_t *hdr;          /* {flags, domid} */
    uint32_t *win;          /* v2 sub_page {page_off, length}, or NULL */
    void *frame;            /* v1 u32 or v2 u64 */
    bool v2;
    volatile bool stop;
    volatile unsigned long iters;   /* progress, so the two really interleave */
};

static void *flip(void *arg)
{
    struct flipper *f = arg;
    static const uint64_t frames[] = { DATA, GS_MFN_SHIM, DATA + 1, GS_NR_FRAMES + 5 };

    for (unsigned int i = 0; !f->stop; i++) {
        uint64_t fr = frames[i % ARRAY_SIZE(frames)];

        /* Flip readonly, domid 0<->5 and (v2) sub_page; keep the busy bits. */
        __atomic_fetch_xor(f->hdr, (i & 1 ? GTF_readonly : 0) | (i & 2 ? 5u << 16 : 0) |
                           (f->v2 && (i & 4) ? GTF_sub_page : 0), __ATOMIC_SEQ_CST);
        if (f->v2)
            __atomic_store_n((uint64_t *)f->frame, fr, __ATOMIC_SEQ_CST);
        else
            __atomic_store_n((uint32_t *)f->frame, (uint32_t)fr, __ATOMIC_SEQ_CST);
        if (f->win)
            __atomic_store_n(f->win, i & 8 ? (200u << 16) | 4000u : (300u << 16) | 10u,
                             __ATOMIC_SEQ_CST);
        f->iters = i + 1;
    }
    return NULL;
}

static void hammer(struct flipper *f)
{
    pthread_t t;
    unsigned int ok = 0;

    assert_int_equal(pthread_create(&t, NULL, flip, f), 0);
    for (unsigned int i = 0; i < 20000; i++) {
        struct gnt_mapping m;
        bool write = i & 1;
        unsigned long seen = f->iters;
        int rc;

        while (f->iters == seen)    /* let the guest move on at least once */
            sched_yield();
        rc = gnttab_acquire(&gs_dom, 8, write, &m);

        if (rc != GNTST_okay) {
            assert_true(rc == GNTST_general_error || rc == GNTST_bad_page);
            continue;
        }
        ok++;
        /* Whatever the guest did, what we got was checked. */
        assert_true(m.mfn == DATA || m.mfn == DATA + 1);
        assert_int_equal(gs_fi(m.mfn)->owner, FRAME_OWNER_GUEST);
        assert_ptr_equal(m.page, mfn_to_virt(m.mfn));
        assert_true((unsigned int)m.offset + m.len <= PAGE_SIZE);
        if (write)
            assert_int_equal(gs_fi(m.mfn)->type, FRAME_TYPE_WRITABLE);
        gnttab_release(&gs_dom, &m);
    }
    f->stop = true;
    assert_int_equal(pthread_join(t, NULL), 0);
    print_message("hostile guest: %u of 20000 acquires succeeded\n", ok);
    for (mfn_t mfn = DATA; mfn <= DATA + 1; mfn++) {
        assert_int_equal(gs_fi(mfn)->ref_count, 0);
        assert_int_equal(gs_fi(mfn)->type_count, 0);
    }
}

static void test_hostile_v1(void **state)
{
    struct grant_entry_v1 *e;
    struct flipper f = { 0 };
    struct gnttab_set_version *op = gs_gva(GS_GVA_BASE + 2048);

    gs_grant_v1(8, 0, DATA, GTF_permit_access);
    e = gs_v1(8);
    f.hdr = (uint32_t *)e;
    f.frame = &e->frame;
    hammer(&f);
    assert_int_equal(e->flags & (GTF_reading | GTF_writing), 0);
    /* No pin left behind: the version may change. */
    op->version = 2;
    assert_int_equal(gs_gnttab_op(GNTTABOP_set_version, GS_GVA_BASE + 2048, 1), 0);
}

static void test_hostile_v2(void **state)
{
    union grant_entry_v2 *e;
    struct flipper f = { 0 };

    gs_grant_v2(8, 0, DATA, GTF_permit_access, 0, 0);
    e = gs_v2(8);
    f.hdr = (uint32_t *)e;
    f.win = (uint32_t *)&e->sub_page.page_off;
    f.frame = &e->full_page.frame;
    f.v2 = true;
    hammer(&f);
    assert_int_equal(gs_status(8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_v2_full_page, v2_setup),
        cmocka_unit_test_setup(test_v2_refusals, v2_setup),
        cmocka_unit_test_setup(test_v2_sub_page, v2_setup),
        cmocka_unit_test_setup(test_v2_revoke_while_in_use, v2_setup),
        cmocka_unit_test_setup(test_v2_changed_between_checks, v2_setup),
        cmocka_unit_test_setup(test_v1_frame_read_after_flags, gs_setup),
        cmocka_unit_test_setup(test_hostile_v1, gs_setup),
        cmocka_unit_test_setup(test_hostile_v2, v2_setup),
    };

    return cmocka_run_group_tests_name("grant-v2", tests, NULL, NULL);
}
