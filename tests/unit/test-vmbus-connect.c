// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the VMBus connection (shim/platform/viridian/vmbus-connect.c)
 * against the fake host: INITIATE_CONTACT as posted (layout, connection id,
 * SINT or interrupt page, monitor pages), negotiation newest first with
 * fallback when the host refuses or cannot even be reached on connection 4,
 * the message connection id a 5.x host names, the offers as stored (parsed
 * from hand-built bytes at the protocol's offsets), hostile offers and
 * messages, the boot log lines, and the bounded waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include "vmbus-fake-host.h"

static int setup(void **state)
{
    fh_reset();
    return 0;
}

static uint32_t u32_at(const uint8_t *b, unsigned int off)
{
    uint32_t v;

    memcpy(&v, b + off, 4);
    return v;
}

static uint64_t u64_at(const uint8_t *b, unsigned int off)
{
    uint64_t v;

    memcpy(&v, b + off, 8);
    return v;
}

/* The versions the client offered, in order. */
static unsigned int offered(uint32_t *v, unsigned int max)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < fh.nr_posts && n < max; i++)
        if (u32_at(fh.posts[i].b, 0) == CHANNELMSG_INITIATE_CONTACT)
            v[n++] = u32_at(fh.posts[i].b, 8);
    return n;
}

static void test_newest_version(void **state)
{
    const struct fh_post *p;

    assert_int_equal(vmbus_init(), 0);
    assert_int_equal(vmbus_version(), VMBUS_VERSION(5, 3));
    p = fh_last(CHANNELMSG_INITIATE_CONTACT);
    assert_non_null(p);
    /* 5.x: connection 4, SINT 2 in the interrupt-page slot, both monitor pages. */
    assert_int_equal(p->conn_id, 4);
    assert_int_equal(p->type, 1);
    assert_int_equal(p->len, 40);
    assert_int_equal(u32_at(p->b, 4), 0);                   /* header padding */
    assert_int_equal(u32_at(p->b, 12), 0);                  /* target vcpu */
    assert_int_equal(p->b[16], VMBUS_MESSAGE_SINT);
    assert_int_equal(u64_at(p->b, 16) >> 8, 0);             /* msg_vtl, reserved */
    assert_int_equal(u64_at(p->b, 24), vmbus_conn.monitor_pa[0]);
    assert_int_equal(u64_at(p->b, 32), vmbus_conn.monitor_pa[1]);
    /* Later messages go to the connection the host named. */
    p = fh_last(CHANNELMSG_REQUESTOFFERS);
    assert_non_null(p);
    assert_int_equal(p->conn_id, FH_MSG_CONN_ID);
    assert_int_equal(p->len, 8);
    assert_non_null(strstr(fh.log, "(xenshim) vmbus: version 5.3\n"));
    assert_non_null(strstr(fh.log, "(xenshim) vmbus: 2 offers\n"));
    /* Idempotent: a second call changes nothing and posts nothing. */
    {
        unsigned int posts = fh.nr_posts;

        assert_int_equal(vmbus_init(), 0);
        assert_int_equal(fh.nr_posts, posts);
    }
}

/* A 4.0 host: connection 4 unknown to it, then 4.1 refused, 4.0 accepted. */
static void test_fallback_old_host(void **state)
{
    uint32_t v[16];
    const struct fh_post *p;

    fh.max_version = VMBUS_VERSION(4, 0);
    fh.no_conn4 = true;
    assert_int_equal(vmbus_init(), 0);
    assert_int_equal(vmbus_version(), VMBUS_VERSION(4, 0));
    assert_int_equal(offered(v, 16), 2);
    assert_int_equal(v[0], VMBUS_VERSION(4, 1));
    assert_int_equal(v[1], VMBUS_VERSION(4, 0));
    p = fh_last(CHANNELMSG_INITIATE_CONTACT);
    /* Before 5.0: connection 1 and the interrupt page's address. */
    assert_int_equal(p->conn_id, 1);
    assert_int_equal(u64_at(p->b, 16), vmbus_conn.int_page_pa);
    assert_int_equal(fh_last(CHANNELMSG_REQUESTOFFERS)->conn_id, 1);
    assert_non_null(strstr(fh.log, "vmbus: version 4.0\n"));
}

/* A host that answers every version, refusing the newer ones: tried newest first. */
static void test_fallback_every_version(void **state)
{
    static const uint32_t order[] = {
        VMBUS_VERSION(5, 3), VMBUS_VERSION(5, 2), VMBUS_VERSION(5, 1), VMBUS_VERSION(5, 0),
        VMBUS_VERSION(4, 1), VMBUS_VERSION(4, 0), VMBUS_VERSION(3, 0), VMBUS_VERSION(2, 4),
        VMBUS_VERSION(1, 1),
    };
    uint32_t v[16];

    for (unsigned int last = 0; last < ARRAY_SIZE(order); last++) {
        fh_reset();
        fh.max_version = order[last];
        assert_int_equal(vmbus_init(), 0);
        assert_int_equal(vmbus_version(), order[last]);
        assert_int_equal(offered(v, 16), last + 1);
        assert_memory_equal(v, order, (last + 1) * sizeof(v[0]));
    }
    /* Nothing acceptable at all. */
    fh_reset();
    fh.max_version = VMBUS_VERSION(1, 0);
    assert_int_equal(vmbus_init(), -XEN_ENODEV);
    assert_int_equal(vmbus_version(), 0);
    assert_int_equal(offered(v, 16), 9);
    assert_non_null(strstr(fh.log, "vmbus: no connection (the host refused every version)"));
    assert_null(vmbus_find(&fh_type_a, 0));
}

static void test_short_version_response(void **state)
{
    /* A 5.x answer without the connection id cannot be used: fall back to 4.x. */
    fh.short_version_response = true;
    assert_int_equal(vmbus_init(), 0);
    assert_int_equal(vmbus_version(), VMBUS_VERSION(4, 1));
}

static void test_silent_and_absent(void **state)
{
    fh.silent = true;
    assert_int_equal(vmbus_init(), -XEN_ETIMEDOUT);
    /* One version tried, for the bounded contact timeout only. */
    assert_int_equal(fh_count(CHANNELMSG_INITIATE_CONTACT), 1);
    assert_true(fh.now_ns >= VMBUS_CONTACT_TIMEOUT_NS);
    assert_true(fh.now_ns < VMBUS_CONTACT_TIMEOUT_NS + 10 * 1000 * 1000);

    fh_reset();
    fh.absent = true;
    assert_int_equal(vmbus_init(), -XEN_ENODEV);
    assert_int_equal(fh.nr_posts, 0);
    assert_int_equal(fh.log[0], 0);             /* not Hyper-V: nothing to say */

    fh_reset();
    fh.no_synic = true;
    assert_int_equal(vmbus_init(), -XEN_ENODEV);
    assert_int_equal(fh.nr_posts, 0);
    assert_non_null(strstr(fh.log, "vmbus: no connection (the partition has no SynIC)"));
    assert_null(vmbus_find(&fh_type_a, 0));
}

static void test_busy_host(void **state)
{
    /* HvPostMessage out of buffers for a while: retried, not failed. */
    fh.busy_posts = 20;
    assert_int_equal(vmbus_init(), 0);
    assert_int_equal(fh.busy_posts, 0);
    fh_reset();
    fh.busy_posts = 100000;
    assert_int_equal(vmbus_init(), -XEN_ETIMEDOUT);
}

static void test_offers_stored(void **state)
{
    struct vmbus_channel *a, *b;

    fh.sub_channel_offer = true;
    fh_connect();
    a = vmbus_find(&fh_type_a, 0);
    b = vmbus_find(&fh_type_b, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(vmbus_find(&fh_type_a, 1));     /* the sub-channel is not a device */
    assert_null(vmbus_find(&fh_type_b, 1));
    assert_int_equal(a->relid, FH_RELID_A);
    assert_true(a->dedicated_interrupt);
    assert_false(a->monitored);
    assert_int_equal(a->connection_id, FH_CONN_A);
    assert_int_equal(b->relid, FH_RELID_B);
    assert_true(b->monitored);
    assert_int_equal(b->monitor_id, FH_MONITOR_B);
    assert_int_equal(vmbus_instance(a)->b[0], FH_RELID_A);
    assert_int_equal(vmbus_instance(b)->b[15], FH_RELID_B);
    assert_int_equal(vmbus_user_defined(b)[0], FH_RELID_B);
    assert_int_equal(vmbus_mmio_megabytes(a), 2 * FH_RELID_A);
    assert_non_null(strstr(fh.log, "vmbus: 3 offers\n"));
}

/* An offer built byte by byte at the protocol's offsets, not from our struct. */
static void raw_offer(uint8_t *m, uint32_t relid)
{
    memset(m, 0, 196);
    m[0] = CHANNELMSG_OFFERCHANNEL;
    memset(m + 8, 0xaa, 16);                    /* if_type */
    memset(m + 24, 0xbb, 16);                   /* if_instance */
    m[8 + 50] = 7;                              /* mmio_megabytes */
    m[8 + 52] = 0xcc;                           /* user_def[0] */
    m[8 + 52 + 119] = 0xdd;                     /* user_def[119] */
    memcpy(m + 184, &relid, 4);
    m[188] = 100;                               /* monitor id */
    m[189] = 1;                                 /* monitor allocated */
    m[190] = 0;                                 /* shared interrupt */
    m[192] = 0x34;                              /* connection id 0x1234 */
    m[193] = 0x12;
}

static void test_offer_offsets(void **state)
{
    uint8_t m[196];
    struct vmbus_guid t;
    struct vmbus_channel *ch;

    fh.nr_offers = 0;
    fh_connect();
    raw_offer(m, 77);
    vmbus_handle_message(m, sizeof(m));
    memset(t.b, 0xaa, 16);
    ch = vmbus_find(&t, 0);
    assert_non_null(ch);
    assert_int_equal(ch->relid, 77);
    assert_int_equal(vmbus_instance(ch)->b[7], 0xbb);
    assert_int_equal(vmbus_mmio_megabytes(ch), 7);
    assert_int_equal(vmbus_user_defined(ch)[0], 0xcc);
    assert_int_equal(vmbus_user_defined(ch)[119], 0xdd);
    assert_true(ch->monitored);
    assert_int_equal(ch->monitor_id, 100);
    assert_false(ch->dedicated_interrupt);
    assert_int_equal(ch->connection_id, 0x1234);
}

static void test_hostile_offers(void **state)
{
    uint8_t m[240];
    unsigned int n;

    fh_connect();
    n = vmbus_conn.nr_channels;
    raw_offer(m, 0);                            /* relid 0 is the message connection */
    vmbus_handle_message(m, 196);
    raw_offer(m, VMBUS_MAX_RELID);              /* past the event flags */
    vmbus_handle_message(m, 196);
    raw_offer(m, 0xffffffff);
    vmbus_handle_message(m, 196);
    raw_offer(m, 90);
    m[188] = VMBUS_MONITOR_IDS;                 /* past the monitor page */
    vmbus_handle_message(m, 196);
    raw_offer(m, FH_RELID_A);                   /* a second offer of a live relid */
    vmbus_handle_message(m, 196);
    raw_offer(m, 91);
    vmbus_handle_message(m, 195);               /* one byte short */
    vmbus_handle_message(m, 4);                 /* shorter than a header */
    vmbus_handle_message(m, 241);               /* longer than a SynIC message */
    assert_int_equal(vmbus_conn.bad_messages, 8);
    assert_int_equal(vmbus_conn.nr_channels, n);
    /* Unknown and unexpected messages are dropped and counted. */
    memset(m, 0, sizeof(m));
    m[0] = 200;
    vmbus_handle_message(m, 8);
    m[0] = CHANNELMSG_GPADL_CREATED;            /* nobody waits for it */
    vmbus_handle_message(m, 20);
    m[0] = CHANNELMSG_RESCIND_CHANNELOFFER;     /* unknown relid */
    m[8] = 99;
    vmbus_handle_message(m, 12);
    assert_int_equal(vmbus_conn.stray_messages, 3);
    assert_int_equal(vmbus_conn.nr_channels, n);
}

static void test_offers_capacity(void **state)
{
    uint8_t m[196];

    fh.nr_offers = 0;
    fh_connect();
    for (uint32_t relid = 100; relid < 100 + VMBUS_MAX_CHANNELS + 3; relid++) {
        raw_offer(m, relid);
        vmbus_handle_message(m, sizeof(m));
    }
    assert_int_equal(vmbus_conn.nr_channels, VMBUS_MAX_CHANNELS);
    assert_non_null(strstr(fh.log, "more than 64 offers"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_newest_version, setup),
        cmocka_unit_test_setup(test_fallback_old_host, setup),
        cmocka_unit_test_setup(test_fallback_every_version, setup),
        cmocka_unit_test_setup(test_short_version_response, setup),
        cmocka_unit_test_setup(test_silent_and_absent, setup),
        cmocka_unit_test_setup(test_busy_host, setup),
        cmocka_unit_test_setup(test_offers_stored, setup),
        cmocka_unit_test_setup(test_offer_offsets, setup),
        cmocka_unit_test_setup(test_hostile_offers, setup),
        cmocka_unit_test_setup(test_offers_capacity, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
