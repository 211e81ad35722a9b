// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback, well-behaved frontend: the xenstore nodes libxl and Linux
 * blkback publish (contract 7.4, 7.5), the connect handshake with 1- and
 * 16-page rings, reads and writes that land in the granted frames and on
 * the disk, flush ordering, indirect requests, discard, out-of-order
 * completion, provider -EBUSY, the in-flight bound, the notification rule,
 * and disconnect/reconnect with requests still in flight.
 */
#include <stdio.h>
#include "blkback-test.h"

static const char *fe(const char *key)
{
    static char buf[256];
    char path[128];

    snprintf(path, sizeof(path), BT_FE "/%s", key);
    if (xs_read_node(gs_dom.xs, path, buf, sizeof(buf)) < 0)
        return "!missing";
    return buf;
}

static void test_publish(void **state)
{
    assert_string_equal(fe("backend"), BT_BE);
    assert_string_equal(fe("backend-id"), "0");
    assert_string_equal(fe("state"), "1");
    assert_string_equal(fe("virtual-device"), "51712");
    assert_string_equal(fe("device-type"), "disk");
    assert_string_equal(fe("protocol"), "x86_64-abi");
    assert_string_equal(bt_be("frontend"), BT_FE);
    assert_string_equal(bt_be("frontend-id"), "1");
    assert_string_equal(bt_be("online"), "1");
    assert_string_equal(bt_be("type"), "phy");
    assert_string_equal(bt_be("mode"), "w");
    assert_string_equal(bt_be("dev"), "xvda");
    assert_string_equal(bt_be("feature-flush-cache"), "1");
    assert_string_equal(bt_be("feature-discard"), "1");
    assert_string_equal(bt_be("discard-granularity"), "4096");
    assert_string_equal(bt_be("feature-max-indirect-segments"), "128");
    assert_string_equal(bt_be("max-ring-page-order"), "4");
    assert_string_equal(bt_be("multi-queue-max-queues"), "1");
    assert_string_equal(bt_be("feature-persistent"), "0");
    assert_int_equal(bt_be_state(), XenbusStateInitWait);
    /* Nothing about the disk's size before Connected. */
    assert_string_equal(bt_be("sectors"), "!-2");
}

static void test_connect(void **state)
{
    bt_connect(0);
    assert_int_equal(bt_be_state(), XenbusStateConnected);
    assert_string_equal(bt_be("sectors"), "256");
    assert_string_equal(bt_be("info"), "0");
    assert_string_equal(bt_be("sector-size"), "512");
    assert_string_equal(bt_be("physical-sector-size"), "4096");
    assert_int_equal(gs_dom.evtchn[bt_port()].state, ECS_INTERDOMAIN);
    assert_int_equal(gs_dom.evtchn[bt_port()].backend, EVTCHN_BACKEND_BLKBACK);
    assert_int_equal(bt_vbd()->ring_size, 32);
    assert_true(bt_gref_busy(BT_RING_GREF));
    /* A second Connected event changes nothing. */
    bt_fe_state(XenbusStateConnected);
    assert_int_equal(bt_be_state(), XenbusStateConnected);
}

static void test_read_write(void **state)
{
    grant_ref_t g[2] = { bt_grant_buf(0, false), bt_grant_buf(1, false) };
    struct blkif_request r = bt_rw(BLKIF_OP_READ, 0xabcdef0123ULL, 16, 2, g);
    struct blkif_response rsp;

    bt_connect(0);
    r.seg[1].first_sect = 2;
    r.seg[1].last_sect = 3;
    bt_put(&r, sizeof(r));
    bt_push();
    assert_int_equal(fake_pending(), 1);
    assert_int_equal(fake_log[0].sector, 16);
    assert_int_equal(fake_log[0].nr_sectors, 10);
    assert_true(bt_gref_busy(g[0]) && bt_gref_busy(g[1]));
    assert_int_equal(bt_responses(), 0);
    fake_complete_all();
    assert_int_equal(bt_responses(), 1);
    rsp = bt_take();
    assert_int_equal(rsp.id, 0xabcdef0123ULL);
    assert_int_equal(rsp.operation, BLKIF_OP_READ);
    assert_int_equal(rsp.status, BLKIF_RSP_OKAY);
    assert_memory_equal(bt_buf(0), &fake_disk[16 * 512], 4096);
    assert_memory_equal(bt_buf(1) + 1024, &fake_disk[24 * 512], 1024);
    assert_false(bt_gref_busy(g[0]) || bt_gref_busy(g[1]));
    assert_true(evtchn_is_pending(&gs_dom, bt_port()));

    /* A write of the same frames to sector 100, from a read-only grant. */
    g[0] = bt_grant_buf(0, true);
    r = bt_rw(BLKIF_OP_WRITE, 7, 100, 1, g);
    bt_put(&r, sizeof(r));
    bt_push();
    fake_complete_all();
    rsp = bt_take();
    assert_int_equal(rsp.status, BLKIF_RSP_OKAY);
    assert_int_equal(rsp.operation, BLKIF_OP_WRITE);
    assert_memory_equal(&fake_disk[100 * 512], bt_buf(0), 4096);
}

static void test_flush_order(void **state)
{
    grant_ref_t g = bt_grant_buf(0, true);
    struct blkif_request r = bt_rw(BLKIF_OP_FLUSH_DISKCACHE, 1, 8, 0, &g);

    bt_connect(0);
    bt_put(&r, sizeof(r));                  /* pure cache flush */
    r = bt_rw(BLKIF_OP_FLUSH_DISKCACHE, 2, 8, 1, &g);
    bt_put(&r, sizeof(r));                  /* flush + write + flush */
    bt_push();
    fake_complete_all();
    assert_int_equal(fake_nr_log, 4);
    assert_int_equal(fake_log[0].op, PLAT_BLK_FLUSH);
    assert_int_equal(fake_log[1].op, PLAT_BLK_FLUSH);
    assert_int_equal(fake_log[2].op, PLAT_BLK_WRITE);
    assert_int_equal(fake_log[3].op, PLAT_BLK_FLUSH);
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);

    /* A write-through disk: a flush is a no-op that succeeds. */
    fake_info.flush = false;
    r = bt_rw(BLKIF_OP_WRITE_BARRIER, 3, 0, 0, &g);
    bt_put(&r, sizeof(r));
    bt_push();
    assert_int_equal(fake_pending(), 0);
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);
}

static void test_out_of_order(void **state)
{
    grant_ref_t g[2] = { bt_grant_buf(0, false), bt_grant_buf(1, false) };
    struct blkif_request r;

    bt_connect(0);
    r = bt_rw(BLKIF_OP_READ, 100, 0, 1, &g[0]);
    bt_put(&r, sizeof(r));
    r = bt_rw(BLKIF_OP_READ, 200, 8, 1, &g[1]);
    bt_put(&r, sizeof(r));
    bt_push();
    assert_int_equal(fake_pending(), 2);
    fake_complete(1, PLAT_BLK_OK);
    fake_complete(0, PLAT_BLK_IOERR);
    assert_int_equal(bt_take().id, 200);
    {
        struct blkif_response rsp = bt_take();

        assert_int_equal(rsp.id, 100);
        assert_int_equal(rsp.status, BLKIF_RSP_ERROR);
    }
}

static void test_indirect(void **state)
{
    grant_ref_t ind = bt_grant_buf(40, true);
    struct blkif_request_segment *segs = (void *)bt_buf(40);
    struct blkif_request_indirect r;
    struct blkif_response rsp;

    bt_connect(0);
    fake_info.max_segs = 8;                 /* 20 segments: chunks of 8, 8, 4 */
    for (unsigned int i = 0; i < 20; i++)
        segs[i] = (struct blkif_request_segment){ bt_grant_buf(i, false), 0, 7 };
    memset(&r, 0, sizeof(r));
    r.operation = BLKIF_OP_INDIRECT;
    r.indirect_op = BLKIF_OP_READ;
    r.nr_segments = 20;
    r.id = 77;
    r.sector_number = 64;
    r.indirect_grefs[0] = ind;
    bt_put(&r, sizeof(r));
    bt_push();
    assert_false(bt_gref_busy(ind));        /* copied out, released at once */
    fake_complete_all();
    assert_int_equal(fake_nr_log, 3);
    assert_int_equal(fake_log[1].sector, 64 + 64);
    assert_int_equal(fake_log[2].nr_segs, 4);
    rsp = bt_take();
    assert_int_equal(rsp.id, 77);
    assert_int_equal(rsp.operation, BLKIF_OP_READ);     /* blkfront checks this */
    assert_int_equal(rsp.status, BLKIF_RSP_OKAY);
    for (unsigned int i = 0; i < 20; i++)
        assert_memory_equal(bt_buf(i), &fake_disk[(64 + 8 * i) * 512], 4096);
}

static void test_discard(void **state)
{
    struct blkif_request_discard r;

    bt_connect(0);
    memset(&fake_disk[10 * 512], 0xee, 100 * 512);
    memset(&r, 0, sizeof(r));
    r.operation = BLKIF_OP_DISCARD;
    r.id = 5;
    r.sector_number = 10;
    r.nr_sectors = 100;                     /* max 64 per provider request */
    bt_put(&r, sizeof(r));
    bt_push();
    fake_complete_all();
    assert_int_equal(fake_nr_log, 2);
    assert_int_equal(fake_log[0].nr_sectors, 64);
    assert_int_equal(fake_log[1].sector, 74);
    assert_int_equal(fake_log[1].nr_sectors, 36);
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);
    assert_int_equal(fake_disk[10 * 512], 0);

    fake_info.discard = false;
    bt_put(&r, sizeof(r));
    bt_push();
    assert_int_equal(bt_take().status, BLKIF_RSP_EOPNOTSUPP);
}

static void test_busy_and_bound(void **state)
{
    grant_ref_t g = bt_grant_buf(0, false);

    bt_connect(4);                          /* 512 entries, more than the bound */
    assert_int_equal(bt_vbd()->ring_size, 512);
    fake_queue_max = 1;
    for (unsigned int i = 0; i < 40; i++) {
        struct blkif_request r = bt_rw(BLKIF_OP_READ, i, i, 1, &g);

        bt_put(&r, sizeof(r));
    }
    bt_push();
    /* One at the provider, the rest of BLKBACK_VBD_INFLIGHT parked on -EBUSY,
     * the others still in the ring. */
    assert_int_equal(fake_pending(), 1);
    assert_int_equal(bt_vbd()->inflight, BLKBACK_VBD_INFLIGHT);
    assert_int_equal(bt_vbd()->req_cons, BLKBACK_VBD_INFLIGHT);
    fake_complete_all();
    assert_int_equal(bt_responses(), 40);
    for (unsigned int i = 0; i < 40; i++) {
        struct blkif_response rsp = bt_take();

        assert_int_equal(rsp.id, i);
        assert_int_equal(rsp.status, BLKIF_RSP_OKAY);
    }
    assert_int_equal(bt_vbd()->inflight, 0);
    assert_false(bt_gref_busy(g));
}

static void test_notify_rule(void **state)
{
    grant_ref_t g = bt_grant_buf(0, false);
    struct blkif_request r = bt_rw(BLKIF_OP_READ, 1, 0, 1, &g);

    bt_connect(0);
    bt_sring()->rsp_event = 1000;           /* the frontend asks for no event */
    bt_put(&r, sizeof(r));
    bt_push();
    fake_complete_all();
    assert_int_equal(bt_responses(), 1);
    assert_false(evtchn_is_pending(&gs_dom, bt_port()));
    /* req_event re-armed one past what was consumed (final check). */
    assert_int_equal(bt_sring()->req_event, 2);
}

static void test_disconnect_reconnect(void **state)
{
    grant_ref_t g = bt_grant_buf(0, false);
    struct blkif_request r = bt_rw(BLKIF_OP_READ, 1, 0, 1, &g);
    evtchn_port_t old_port;

    bt_connect(0);
    old_port = bt_port();
    bt_put(&r, sizeof(r));
    bt_push();
    assert_int_equal(fake_pending(), 1);
    bt_fe_state(XenbusStateClosing);
    assert_int_equal(bt_be_state(), XenbusStateClosing);
    bt_fe_state(XenbusStateClosed);
    assert_int_equal(bt_be_state(), XenbusStateClosed);
    assert_false(bt_gref_busy(BT_RING_GREF));           /* ring released */
    assert_int_equal(gs_dom.evtchn[old_port].state, ECS_UNBOUND);
    assert_true(bt_gref_busy(g));                       /* still at the device */
    fake_complete_all();
    assert_false(bt_gref_busy(g));
    assert_int_equal(__atomic_load_n(&bt_sring()->rsp_prod, __ATOMIC_SEQ_CST), 0);

    bt_fe_state(XenbusStateInitialising);
    assert_int_equal(bt_be_state(), XenbusStateInitWait);
    bt_connect(2);
    assert_int_equal(bt_be_state(), XenbusStateConnected);
    assert_int_equal(bt_vbd()->nr_ring_pages, 4);
    bt_put(&r, sizeof(r));
    bt_push();
    fake_complete_all();
    assert_int_equal(bt_take().status, BLKIF_RSP_OKAY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_publish, bt_setup),
        cmocka_unit_test_setup(test_connect, bt_setup),
        cmocka_unit_test_setup(test_read_write, bt_setup),
        cmocka_unit_test_setup(test_flush_order, bt_setup),
        cmocka_unit_test_setup(test_out_of_order, bt_setup),
        cmocka_unit_test_setup(test_indirect, bt_setup),
        cmocka_unit_test_setup(test_discard, bt_setup),
        cmocka_unit_test_setup(test_busy_and_bound, bt_setup),
        cmocka_unit_test_setup(test_notify_rule, bt_setup),
        cmocka_unit_test_setup(test_disconnect_reconnect, bt_setup),
    };

    return cmocka_run_group_tests_name("blkback", tests, NULL, NULL);
}
