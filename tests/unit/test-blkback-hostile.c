// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback against a hostile or broken frontend. Every malformed request is
 * answered with an error (never reaching the provider) and leaves no grant
 * held; a producer index more than a ring ahead stops the vbd; the request
 * is copied out of the ring once, so rewriting the ring entry after the
 * copy changes nothing; writes to a read-only vbd never reach the disk;
 * bad handshakes (32-bit protocol, oversized ring order, a bound port) are
 * refused with the error node and Closing, as xenbus_dev_fatal does.
 */
#include <stdio.h>
#include "blkback-test.h"

/* Put r, push, and expect one response with status st and no provider I/O. */
static void expect_refused(const void *r, size_t len, uint64_t id, int16_t st)
{
    struct blkif_response rsp;

    bt_put(r, len);
    bt_push();
    assert_int_equal(fake_pending(), 0);
    assert_int_equal(fake_nr_log, 0);
    assert_int_equal(bt_responses(), 1);
    rsp = bt_take();
    assert_int_equal(rsp.id, id);
    assert_int_equal(rsp.status, st);
    assert_int_equal(bt_vbd()->inflight, 0);
}

static void test_producer_far_ahead(void **state)
{
    grant_ref_t g = bt_grant_buf(0, false);
    struct blkif_request r = bt_rw(BLKIF_OP_READ, 1, 0, 1, &g);
    char buf[128];

    bt_connect(0);
    bt_put(&r, sizeof(r));
    bt_sring()->req_prod = 33;              /* 33 requests on a 32-entry ring */
    blkback_service(bt_vbd());
    assert_int_equal(fake_nr_log, 0);
    assert_int_equal(bt_vbd()->req_cons, 0);
    assert_true(bt_vbd()->broken);
    assert_int_equal(bt_be_state(), XenbusStateClosing);
    assert_true(xs_read_node(gs_dom.xs, "/local/domain/0/error/backend/vbd/1/51712/error",
                             buf, sizeof(buf)) > 0);
    /* Even a sane index later is ignored: the vbd is stopped. */
    bt_sring()->req_prod = 1;
    blkback_service(bt_vbd());
    assert_int_equal(fake_nr_log, 0);
    /* Wrap-around: a producer "behind" the consumer is far ahead too. */
    bt_reset(false);
    bt_connect(0);
    bt_sring()->req_prod = 0xffffffffu;
    blkback_service(bt_vbd());
    assert_true(bt_vbd()->broken);
}

static void test_bad_segments(void **state)
{
    grant_ref_t g[12];
    struct blkif_request r;

    bt_connect(0);
    for (unsigned int i = 0; i < 12; i++)
        g[i] = bt_grant_buf(i, false);
    r = bt_rw(BLKIF_OP_READ, 1, 0, 11, g);
    r.nr_segments = 12;                     /* over BLKIF_MAX_SEGMENTS_PER_REQUEST */
    expect_refused(&r, sizeof(r), 1, BLKIF_RSP_ERROR);
    r.nr_segments = 0;                      /* a read of nothing */
    expect_refused(&r, sizeof(r), 1, BLKIF_RSP_ERROR);

    r = bt_rw(BLKIF_OP_READ, 2, 0, 3, g);
    r.seg[2].first_sect = 5;
    r.seg[2].last_sect = 4;                 /* first_sect > last_sect */
    expect_refused(&r, sizeof(r), 2, BLKIF_RSP_ERROR);
    r.seg[2].first_sect = 0;
    r.seg[2].last_sect = 8;                 /* beyond the 4 KiB page */
    expect_refused(&r, sizeof(r), 2, BLKIF_RSP_ERROR);
    for (unsigned int i = 0; i < 3; i++)
        assert_false(bt_gref_busy(g[i]));   /* earlier segments released */
}

static void test_bad_grants(void **state)
{
    grant_ref_t g[2] = { bt_grant_buf(0, false), 0 };
    struct blkif_request r;

    bt_connect(0);
    g[1] = 100000;                          /* beyond the table */
    r = bt_rw(BLKIF_OP_READ, 3, 0, 2, g);
    expect_refused(&r, sizeof(r), 3, BLKIF_RSP_ERROR);
    g[1] = 300;                             /* never granted */
    r = bt_rw(BLKIF_OP_READ, 4, 0, 2, g);
    expect_refused(&r, sizeof(r), 4, BLKIF_RSP_ERROR);
    g[1] = bt_grant_buf(1, true);           /* the device would write a r/o page */
    r = bt_rw(BLKIF_OP_READ, 5, 0, 2, g);
    expect_refused(&r, sizeof(r), 5, BLKIF_RSP_ERROR);
    gs_grant_v1(g[1], 7, (uint32_t)(BT_BUF_MFN + 1), GTF_permit_access);
    r = bt_rw(BLKIF_OP_WRITE, 6, 0, 2, g);  /* granted to another domain */
    expect_refused(&r, sizeof(r), 6, BLKIF_RSP_ERROR);
    gs_grant_v1(g[1], 0, (uint32_t)BT_BUF_MFN - 300, GTF_permit_access);
    r = bt_rw(BLKIF_OP_WRITE, 7, 0, 2, g);  /* a shim frame */
    expect_refused(&r, sizeof(r), 7, BLKIF_RSP_ERROR);
    assert_false(bt_gref_busy(g[0]));
}

static void test_beyond_disk(void **state)
{
    grant_ref_t g[2] = { bt_grant_buf(0, false), bt_grant_buf(1, false) };
    struct blkif_request r;

    bt_connect(0);
    r = bt_rw(BLKIF_OP_READ, 8, BT_SECTORS - 15, 2, g);    /* 16 sectors, 1 too many */
    expect_refused(&r, sizeof(r), 8, BLKIF_RSP_ERROR);
    r = bt_rw(BLKIF_OP_READ, 9, UINT64_MAX - 3, 1, g);      /* sector + n wraps */
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    r = bt_rw(BLKIF_OP_READ, 10, BT_SECTORS - 16, 2, g);   /* the last 16: fine */
    bt_put(&r, sizeof(r));
    bt_push();
    fake_complete_all();
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);
}

/* The guest rewrites the entry (id, gref, sector) while the request is at
 * the provider: the copy taken before must be what is served and answered. */
static void rewrite_ring(struct plat_blk_req *req)
{
    union blkif_sring_entry *e = &bt_sring()->ring[0];

    (void)req;
    e->req.id = 0xbad;
    e->req.operation = BLKIF_OP_WRITE;
    e->req.seg[0].gref = 300;
    e->req.sector_number = 200;
}

static void test_rewrite_after_copy(void **state)
{
    grant_ref_t g = bt_grant_buf(0, false);
    struct blkif_request r = bt_rw(BLKIF_OP_READ, 42, 8, 1, &g);
    struct blkif_response rsp;

    bt_connect(0);
    fake_submit_hook = rewrite_ring;
    bt_put(&r, sizeof(r));
    bt_push();
    fake_submit_hook = NULL;
    fake_complete_all();
    assert_int_equal(fake_log[0].op, PLAT_BLK_READ);
    assert_int_equal(fake_log[0].sector, 8);
    rsp = bt_take();
    assert_int_equal(rsp.id, 42);
    assert_int_equal(rsp.operation, BLKIF_OP_READ);
    assert_memory_equal(bt_buf(0), &fake_disk[8 * 512], 4096);
    assert_false(bt_gref_busy(g));
}

static void test_readonly_vbd(void **state)
{
    grant_ref_t g;
    struct blkif_request r;
    struct blkif_request_discard dr;
    uint8_t before[512];

    bt_reset(true);
    g = bt_grant_buf(0, true);
    assert_string_equal(bt_be("mode"), "r");
    assert_string_equal(bt_be("feature-discard"), "!-2");
    bt_connect(0);
    assert_string_equal(bt_be("info"), "4");            /* VDISK_READONLY */
    memcpy(before, fake_disk, sizeof(before));
    memset(bt_buf(0), 0x55, 4096);
    r = bt_rw(BLKIF_OP_WRITE, 1, 0, 1, &g);
    expect_refused(&r, sizeof(r), 1, BLKIF_RSP_ERROR);
    r = bt_rw(BLKIF_OP_FLUSH_DISKCACHE, 2, 0, 1, &g);    /* write + flush */
    expect_refused(&r, sizeof(r), 2, BLKIF_RSP_ERROR);
    memset(&dr, 0, sizeof(dr));
    dr.operation = BLKIF_OP_DISCARD;
    dr.id = 3;
    dr.nr_sectors = 8;
    expect_refused(&dr, sizeof(dr), 3, BLKIF_RSP_ERROR);
    assert_memory_equal(before, fake_disk, sizeof(before));
    assert_false(bt_gref_busy(g));
}

static void test_bad_indirect(void **state)
{
    grant_ref_t ind = bt_grant_buf(40, true);
    struct blkif_request_segment *segs = (void *)bt_buf(40);
    struct blkif_request_indirect r;

    bt_connect(0);
    for (unsigned int i = 0; i < 16; i++)
        segs[i] = (struct blkif_request_segment){ bt_grant_buf(i, false), 0, 7 };
    memset(&r, 0, sizeof(r));
    r.operation = BLKIF_OP_INDIRECT;
    r.indirect_op = BLKIF_OP_READ;
    r.id = 9;
    r.indirect_grefs[0] = 301;              /* indirect page not granted */
    r.nr_segments = 16;
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    r.indirect_grefs[0] = ind;
    r.nr_segments = BLKBACK_MAX_SEGS + 1;   /* over feature-max-indirect-segments */
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    r.nr_segments = 0;
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    r.nr_segments = 16;
    r.indirect_op = BLKIF_OP_FLUSH_DISKCACHE;   /* READ/WRITE only */
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    r.indirect_op = BLKIF_OP_READ;
    segs[15].last_sect = 9;                 /* a bad segment in the page */
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    segs[15].last_sect = 7;
    segs[15].gref = 302;                    /* an ungranted data page */
    expect_refused(&r, sizeof(r), 9, BLKIF_RSP_ERROR);
    for (unsigned int i = 0; i < 15; i++)
        assert_false(bt_gref_busy(segs[i].gref));
    assert_false(bt_gref_busy(ind));
}

static void test_unknown_ops(void **state)
{
    static const uint8_t ops[] = { BLKIF_OP_RESERVED_1, 7, 0x80, 0xff };
    grant_ref_t g = bt_grant_buf(0, false);

    bt_connect(0);
    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        struct blkif_request r = bt_rw(BLKIF_OP_READ, i, 0, 1, &g);

        r.operation = ops[i];
        expect_refused(&r, sizeof(r), i, BLKIF_RSP_EOPNOTSUPP);
    }
}

static void test_bad_handshakes(void **state)
{
    char buf[128];

    /* A 32-bit frontend: refused (the x86_32 layouts are not served yet). */
    assert_int_equal(xs_write_node(gs_dom.xs, BT_FE "/protocol", "x86_32-abi", 10, NULL, 0), 0);
    assert_int_equal(xs_write_node(gs_dom.xs, BT_FE "/state", "3", 1, NULL, 0), 0);
    assert_int_equal(bt_be_state(), XenbusStateClosing);
    assert_true(xs_read_node(gs_dom.xs, "/local/domain/0/error/backend/vbd/1/51712/error",
                             buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, "x86_32-abi"));
    assert_false(bt_vbd()->connected);

    /* ring-page-order 5 (over max-ring-page-order). */
    bt_reset(false);
    assert_int_equal(xs_write_node(gs_dom.xs, BT_FE "/ring-page-order", "5", 1, NULL, 0), 0);
    bt_connect(0);
    assert_int_equal(bt_be_state(), XenbusStateClosing);

    /* An event channel that is not an unbound port of the guest. */
    bt_reset(false);
    bt_connect(0);
    bt_fe_state(XenbusStateClosed);
    bt_fe_state(XenbusStateInitialising);
    assert_int_equal(bt_be_state(), XenbusStateInitWait);
    gs_dom.evtchn[bt_port()].state = ECS_IPI;
    bt_fe_state(XenbusStateInitialised);
    assert_int_equal(bt_be_state(), XenbusStateClosing);
    assert_false(bt_gref_busy(BT_RING_GREF));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_producer_far_ahead, bt_setup),
        cmocka_unit_test_setup(test_bad_segments, bt_setup),
        cmocka_unit_test_setup(test_bad_grants, bt_setup),
        cmocka_unit_test_setup(test_beyond_disk, bt_setup),
        cmocka_unit_test_setup(test_rewrite_after_copy, bt_setup),
        cmocka_unit_test_setup(test_readonly_vbd, bt_setup),
        cmocka_unit_test_setup(test_bad_indirect, bt_setup),
        cmocka_unit_test_setup(test_unknown_ops, bt_setup),
        cmocka_unit_test_setup(test_bad_handshakes, bt_setup),
    };

    return cmocka_run_group_tests_name("blkback-hostile", tests, NULL, NULL);
}
