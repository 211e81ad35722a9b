// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback: the xenstore nodes (contract 7.4, 7.6), the connect handshake
 * and its refusals, transmit validation against hostile rings (index
 * jumps, slot chains over XEN_NETIF_NR_SLOTS_MIN, fragments beyond a page,
 * ungranted grefs, sizes that do not add up, incomplete packets) with every
 * consumed slot answered and every grant released, and receive slot
 * accounting (same-slot responses, multi-slot frames, no buffers, hostile
 * producer, read-only rx grants).
 */
#include <stdio.h>
#include "netback-test.h"

#define FE(k) nt_node(NT_FE, k)
#define BE(k) nt_node(NT_BE, k)

static void test_publish(void **state)
{
    assert_string_equal(FE("backend"), NT_BE);
    assert_string_equal(FE("backend-id"), "0");
    assert_string_equal(FE("state"), "1");
    assert_string_equal(FE("handle"), "0");
    assert_string_equal(FE("mac"), "00:16:3e:01:02:03");
    assert_string_equal(BE("frontend"), NT_FE);
    assert_string_equal(BE("frontend-id"), "1");
    assert_string_equal(BE("online"), "1");
    assert_string_equal(BE("type"), "vif");
    assert_string_equal(BE("feature-rx-copy"), "1");
    assert_string_equal(BE("feature-rx-flip"), "0");
    assert_string_equal(BE("feature-sg"), "1");
    assert_string_equal(BE("feature-gso-tcpv4"), "1");
    assert_string_equal(BE("feature-gso-tcpv6"), "0");
    assert_string_equal(BE("multi-queue-max-queues"), "1");
    assert_int_equal(nt_be_state(), XenbusStateInitWait);
}

static void test_connect(void **state)
{
    nt_connect();
    assert_int_equal(nt_be_state(), XenbusStateConnected);
    assert_true(nt_vif()->connected);
    assert_int_equal(gs_dom.evtchn[nt_port()].state, ECS_INTERDOMAIN);
    assert_int_equal(gs_dom.evtchn[nt_port()].backend, EVTCHN_BACKEND_NETBACK);
    assert_ptr_equal(fake_rx_opaque, nt_vif());
    nt_fe_write("state", "6");
    assert_int_equal(nt_be_state(), XenbusStateClosed);
    assert_int_equal(gs_dom.evtchn[nt_port()].state, ECS_UNBOUND);
    assert_false(nt_gref_busy(NT_TX_GREF));
    assert_false(nt_gref_busy(NT_RX_GREF));
    assert_null(fake_rx_fn);
}

/* netfront's keys but one, then Connected: refused, nothing held. */
static void refuse(const char *key, const char *val)
{
    nt_reset();
    gs_grant_v1(NT_TX_GREF, 0, NT_TX_MFN, GTF_permit_access);
    gs_grant_v1(NT_RX_GREF, 0, NT_RX_MFN, GTF_permit_access);
    nt_fe_write("tx-ring-ref", "16");
    nt_fe_write("rx-ring-ref", "17");
    nt_fe_write("event-channel", "1");
    gs_dom.evtchn[evtchn_alloc(&gs_dom)].state = ECS_UNBOUND;
    nt_fe_write("request-rx-copy", "1");
    nt_fe_write("feature-rx-notify", "1");
    nt_fe_write(key, val);
    nt_fe_write("state", "4");
    assert_int_equal(nt_be_state(), XenbusStateClosing);
    assert_false(nt_vif()->connected);
    assert_false(nt_gref_busy(NT_TX_GREF) || nt_gref_busy(NT_RX_GREF));
    assert_int_equal(gs_dom.evtchn[1].state, ECS_UNBOUND);
}

static void test_refuse(void **state)
{
    refuse("request-rx-copy", "0");         /* flip mode */
    refuse("feature-rx-notify", "0");
    refuse("multi-queue-num-queues", "2");
    refuse("event-channel", "999");         /* not an unbound port */
    refuse("rx-ring-ref", "300");           /* not granted */
}

static void test_tx_csum_packet(void **state)
{
    grant_ref_t g = nt_grant_buf(0, true);
    struct netif_tx_response r;
    struct plat_net_tx_req *req;

    nt_connect();
    nt_tcp4_frame(nt_buf(0) + 100, 200);
    nt_tx_put(g, 100, NETTXF_csum_blank | NETTXF_data_validated, 7, 200);
    nt_tx_push();
    assert_int_equal(fake_nr_tx, 1);
    req = fake_txq[0].req;
    assert_int_equal(req->nr_frags, 1);
    assert_int_equal(fake_txq[0].frags[0].addr, ((paddr_t)NT_BUF_MFN << 12) + 100);
    assert_int_equal(fake_txq[0].frags[0].len, 200);
    assert_true(req->offload.needs_csum);
    assert_int_equal(req->offload.csum_start, 34);
    assert_int_equal(req->offload.csum_offset, 16);
    assert_true(nt_gref_busy(g));
    assert_int_equal(nt_tx_responses(), 0);         /* answered on completion */
    fake_tx_complete(0);
    assert_int_equal(nt_tx_responses(), 1);
    r = nt_tx_take();
    assert_int_equal(r.id, 7);
    assert_int_equal(r.status, NETIF_RSP_OKAY);
    assert_false(nt_gref_busy(g));
    assert_true(evtchn_is_pending(&gs_dom, nt_port()));
}

static void test_tx_gso_multislot(void **state)
{
    struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
    grant_ref_t g0 = nt_grant_buf(0, false), g1 = nt_grant_buf(1, false), g2 = nt_grant_buf(2, false);
    int16_t want[4] = { NETIF_RSP_OKAY, NETIF_RSP_NULL, NETIF_RSP_OKAY, NETIF_RSP_OKAY };
    uint16_t ids[4] = { 1, 0, 2, 3 };

    x.u.gso.size = 1448;
    x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
    nt_connect();
    nt_tcp4_frame(nt_buf(0), 66);
    nt_tx_put(g0, 0, NETTXF_csum_blank | NETTXF_extra_info | NETTXF_more_data, 1, 66 + 4096 + 1000);
    nt_tx_put_extra(&x);
    nt_tx_put(g1, 0, NETTXF_more_data, 2, 4096);
    nt_tx_put(g2, 0, 0, 3, 1000);
    nt_tx_push();
    assert_int_equal(fake_nr_tx, 1);
    assert_int_equal(fake_txq[0].req->nr_frags, 3);
    assert_int_equal(fake_txq[0].frags[0].len, 66);
    assert_int_equal(fake_txq[0].frags[2].len, 1000);
    assert_int_equal(fake_txq[0].req->offload.gso_type, PLAT_NET_GSO_TCPV4);
    assert_int_equal(fake_txq[0].req->offload.gso_size, 1448);
    fake_tx_complete(0);
    assert_int_equal(nt_tx_responses(), 4);         /* every slot answered */
    for (unsigned int i = 0; i < 4; i++) {
        struct netif_tx_response r = nt_tx_take();

        assert_int_equal(r.status, want[i]);
        if (want[i] != NETIF_RSP_NULL)
            assert_int_equal(r.id, ids[i]);
    }
    assert_false(nt_gref_busy(g0) || nt_gref_busy(g1) || nt_gref_busy(g2));
}

/* A malformed packet: answered ERROR on every slot, nothing sent, nothing held. */
static void expect_tx_error(unsigned int slots, grant_ref_t g)
{
    nt_tx_push();
    assert_int_equal(fake_nr_submits, 0);
    assert_int_equal(nt_tx_responses(), slots);
    for (unsigned int i = 0; i < slots; i++)
        assert_int_equal(nt_tx_take().status, NETIF_RSP_ERROR);
    assert_false(nt_gref_busy(g));
    assert_true(nt_vif()->connected && !nt_vif()->broken);
}

static void test_tx_bad_packets(void **state)
{
    grant_ref_t g = nt_grant_buf(0, false);

    nt_connect();
    nt_tx_put(g, 4000, 0, 1, 200);                  /* crosses the page */
    expect_tx_error(1, g);
    nt_tx_put(NT_BUF_GREF + 40, 0, 0, 2, 200);      /* never granted */
    expect_tx_error(1, g);
    nt_tx_put(g, 0, NETTXF_more_data, 3, 100);      /* fragments exceed the total */
    nt_tx_put(g, 0, 0, 4, 200);
    expect_tx_error(2, g);
    nt_tx_put(g, 0, 0, 5, 10);                      /* shorter than an Ethernet header */
    expect_tx_error(1, g);
    nt_tx_put(g, 0, NETTXF_csum_blank, 6, 100);     /* csum_blank on a non-IP frame */
    expect_tx_error(1, g);
    gs_grant_v1(NT_BUF_GREF + 41, 5, NT_BUF_MFN + 1, GTF_permit_access);   /* to another domain */
    nt_tx_put(NT_BUF_GREF + 41, 0, 0, 7, 100);
    expect_tx_error(1, g);
}

static void test_tx_hostile_ring(void **state)
{
    grant_ref_t g = nt_grant_buf(0, false);

    nt_connect();
    for (unsigned int i = 0; i < NETBACK_MAX_SLOTS + 1; i++)   /* 19-slot chain */
        nt_tx_put(g, 0, i < NETBACK_MAX_SLOTS ? NETTXF_more_data : 0, (uint16_t)i, 100);
    nt_tx_push();
    assert_true(nt_vif()->broken);
    assert_int_equal(nt_be_state(), XenbusStateClosing);
    assert_int_equal(fake_nr_submits, 0);
    assert_false(nt_gref_busy(g));

    nt_reset();
    nt_connect();
    nt_tx()->req_prod = 1000;                       /* far ahead of req_cons */
    netback_notify(&gs_dom, 0);
    assert_true(nt_vif()->broken);
    assert_int_equal(nt_tx_responses(), 0);
    netback_notify(&gs_dom, 7);                     /* no such instance: ignored */
}

/*
 * Each field read once (XSA-155): the guest rewrites every slot of the
 * packet (ids, grefs, offsets, sizes, flags, the GSO extra) while netback
 * is in the middle of it, when the first data grant is mapped. What reaches
 * the provider and what is answered must be the packet as first read; the
 * grant the rewrite names is never taken.
 */
static grant_ref_t decoy_gref;

static void rewrite_tx_slots(void)
{
    for (unsigned int i = 0; i < 4; i++) {
        struct netif_tx_request *r = &nt_tx()->ring[i].req;

        r->gref = decoy_gref;
        r->offset = 4000;
        r->flags = NETTXF_more_data | NETTXF_extra_info;
        r->id = 0xbad;
        r->size = 0xffff;
    }
}

static void test_tx_rewrite_while_read(void **state)
{
    struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
    grant_ref_t g0 = nt_grant_buf(0, true), g1 = nt_grant_buf(1, true);
    int16_t want[3] = { NETIF_RSP_OKAY, NETIF_RSP_NULL, NETIF_RSP_OKAY };
    uint16_t ids[3] = { 21, 0, 22 };

    decoy_gref = nt_grant_buf(5, false);
    x.u.gso.size = 1448;
    x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
    nt_connect();
    nt_tcp4_frame(nt_buf(0), 100);
    nt_tx_put(g0, 0, NETTXF_csum_blank | NETTXF_extra_info | NETTXF_more_data, 21, 100 + 300);
    nt_tx_put_extra(&x);
    nt_tx_put(g1, 8, 0, 22, 300);
    /* Fires inside gnttab_acquire of g0: after the slots were copied, before
     * the copy is used for the fragments, the offload and the answers. */
    gs_on_map(NT_BUF_MFN, 1, rewrite_tx_slots);
    nt_tx_push();
    assert_int_equal(nt_tx()->ring[0].req.id, 0xbad);      /* the hook ran */
    assert_int_equal(fake_nr_tx, 1);
    assert_int_equal(fake_txq[0].req->nr_frags, 2);
    assert_int_equal(fake_txq[0].frags[0].addr, (paddr_t)NT_BUF_MFN << 12);
    assert_int_equal(fake_txq[0].frags[0].len, 100);
    assert_int_equal(fake_txq[0].frags[1].addr, ((paddr_t)(NT_BUF_MFN + 1) << 12) + 8);
    assert_int_equal(fake_txq[0].frags[1].len, 300);
    assert_int_equal(fake_txq[0].req->offload.gso_type, PLAT_NET_GSO_TCPV4);
    assert_int_equal(fake_txq[0].req->offload.gso_size, 1448);
    assert_false(nt_gref_busy(decoy_gref));
    assert_int_equal(nt_vif()->tx_req_cons, 3);
    fake_tx_complete(0);
    assert_int_equal(nt_tx_responses(), 3);
    for (unsigned int i = 0; i < 3; i++) {
        struct netif_tx_response r = nt_tx_take();

        assert_int_equal(r.status, want[i]);
        if (want[i] != NETIF_RSP_NULL)
            assert_int_equal(r.id, ids[i]);
    }
    assert_false(nt_gref_busy(g0) || nt_gref_busy(g1) || nt_gref_busy(decoy_gref));
    assert_true(nt_vif()->connected && !nt_vif()->broken);
}

static void test_tx_incomplete_then_busy(void **state)
{
    grant_ref_t g = nt_grant_buf(0, false);

    nt_connect();
    nt_tcp4_frame(nt_buf(0), 100);
    nt_tx_put(g, 0, NETTXF_more_data, 1, 150);      /* the rest not yet published */
    nt_tx_push();
    assert_int_equal(fake_nr_submits, 0);
    assert_int_equal(nt_tx()->req_event, 2);        /* kick us when more arrives */
    fake_tx_max = 0;                                /* provider queue full */
    nt_tx_put(g, 200, 0, 2, 50);
    nt_tx_push();
    assert_int_equal(fake_nr_submits, 0);
    assert_int_equal(nt_vif()->stats.tx_busy, 1);
    assert_true(nt_gref_busy(g));                   /* held for the retry */
    fake_tx_max = 64;
    netback_notify(&gs_dom, 0);
    assert_int_equal(fake_nr_tx, 1);
    assert_int_equal(fake_txq[0].req->nr_frags, 2);
    /* Disconnect with the packet in flight: grants stay until completion. */
    nt_fe_write("state", "6");
    assert_true(nt_gref_busy(g));
    fake_tx_complete(0);
    assert_false(nt_gref_busy(g));
    assert_int_equal(nt_tx_responses(), 0);         /* the ring is gone */
}

static void rx_frame(uint32_t len, uint32_t flags)
{
    static uint8_t frame[9000];
    struct plat_net_rx_meta meta = { .flags = flags };

    for (uint32_t i = 0; i < len; i++)
        frame[i] = (uint8_t)(i * 3);
    fake_rx_fn(fake_rx_opaque, 0, frame, len, &meta);
}

static void test_rx_slots(void **state)
{
    struct netif_rx_response r;

    nt_connect();
    rx_frame(100, 0);                               /* no buffers posted */
    assert_int_equal(nt_vif()->stats.rx_dropped, 1);
    assert_int_equal(nt_rx_responses(), 0);
    assert_int_equal(nt_rx()->req_event, 1);        /* re-armed for the refill */
    nt_rx_post(nt_grant_buf(0, false), 40);         /* ids in any order */
    nt_rx_post(nt_grant_buf(1, false), 3);
    nt_rx_post(nt_grant_buf(2, false), 9);
    nt_rx_push();
    rx_frame(100, PLAT_NET_RX_CSUM_VALID);
    assert_int_equal(nt_rx_responses(), 1);
    r = nt_rx_take();
    assert_int_equal(r.id, 40);
    assert_int_equal(r.status, 100);
    assert_int_equal(r.flags, NETRXF_data_validated);
    assert_int_equal(nt_buf(0)[99], (uint8_t)297);
    assert_true(evtchn_is_pending(&gs_dom, nt_port()));
    rx_frame(5000, 0);                              /* two slots */
    assert_int_equal(nt_rx_responses(), 2);
    r = nt_rx_take();
    assert_int_equal(r.id, 3);
    assert_int_equal(r.status, 4096);
    assert_int_equal(r.flags, NETRXF_more_data);
    r = nt_rx_take();
    assert_int_equal(r.id, 9);
    assert_int_equal(r.status, 5000 - 4096);
    assert_int_equal(r.flags, 0);
    assert_int_equal(nt_buf(2)[0], (uint8_t)(4096 * 3));
    assert_false(nt_gref_busy(NT_BUF_GREF + 1));
    nt_rx_post(nt_grant_buf(3, false), 1);          /* one buffer, two needed */
    nt_rx_push();
    rx_frame(5000, 0);
    assert_int_equal(nt_vif()->stats.rx_dropped, 2);
    assert_int_equal(nt_rx_responses(), 0);
}

static void test_rx_hostile(void **state)
{
    struct netif_rx_response r;

    nt_connect();
    nt_rx_post(nt_grant_buf(0, true), 5);           /* read-only: cannot receive */
    nt_rx_push();
    rx_frame(60, PLAT_NET_RX_NEEDS_CSUM);
    r = nt_rx_take();
    assert_int_equal(r.status, NETIF_RSP_ERROR);
    assert_int_equal(r.flags, NETRXF_csum_blank | NETRXF_data_validated);
    assert_int_equal(nt_vif()->stats.rx_errors, 1);
    nt_rx()->req_prod = 5000;                       /* far ahead */
    rx_frame(60, 0);
    assert_true(nt_vif()->broken);
    assert_int_equal(nt_rx_responses(), 0);
}

/* Closed, then Initialising again (module reload): InitWait, and a second
 * connection with split event channels that carries packets. */
static void test_reconnect_split(void **state)
{
    grant_ref_t g = nt_grant_buf(0, true);
    char val[16];
    int rx;

    nt_connect();
    nt_fe_write("state", "6");
    assert_int_equal(nt_be_state(), XenbusStateClosed);
    nt_fe_write("state", "1");
    assert_int_equal(nt_be_state(), XenbusStateInitWait);
    rx = evtchn_alloc(&gs_dom);
    gs_dom.evtchn[rx].state = ECS_UNBOUND;
    snprintf(val, sizeof(val), "%d", rx);
    nt_fe_write("event-channel-rx", val);
    snprintf(val, sizeof(val), "%u", nt_port());
    nt_fe_write("event-channel-tx", val);
    nt_fe_write("event-channel", "x");              /* not a number: ignored */
    nt_fe_write("state", "4");
    assert_int_equal(nt_be_state(), XenbusStateConnected);
    assert_int_equal(nt_vif()->tx_port, nt_port());
    assert_int_equal(nt_vif()->rx_port, rx);
    nt_tcp4_frame(nt_buf(0), 60);
    nt_tx_put(g, 0, 0, 11, 60);
    nt_tx_push();
    fake_tx_complete(0);
    assert_int_equal(nt_tx_take().id, 11);
    assert_true(evtchn_is_pending(&gs_dom, nt_port()));
    assert_false(evtchn_is_pending(&gs_dom, (evtchn_port_t)rx));
    nt_rx_post(nt_grant_buf(1, false), 0);
    nt_rx_push();
    rx_frame(60, 0);
    assert_int_equal(nt_rx_take().status, 60);
    assert_true(evtchn_is_pending(&gs_dom, (evtchn_port_t)rx));
}

static void test_csum_setup(void **state)
{
    uint8_t f[128] = { 0 };
    struct plat_net_offload o = { 0 };

    f[12] = 0x86, f[13] = 0xdd, f[14] = 0x60, f[14 + 6] = 17;          /* IPv6 UDP */
    assert_int_equal(netback_csum_setup(f, 128, &o), 0);
    assert_int_equal(o.csum_start, 54);
    assert_int_equal(o.csum_offset, 6);
    memset(f, 0, sizeof(f));
    f[12] = 0x81, f[16] = 0x08, f[18] = 0x46, f[18 + 9] = 6;           /* VLAN, IPv4 + options */
    assert_int_equal(netback_csum_setup(f, 128, &o), 0);
    assert_int_equal(o.csum_start, 18 + 24);
    assert_int_equal(netback_csum_setup(f, 50, &o), -XEN_EINVAL);    /* truncated */
    f[18 + 6] = 0x20;                                                   /* MF: a fragment */
    assert_int_equal(netback_csum_setup(f, 128, &o), -XEN_EINVAL);
    f[16] = 0x08, f[17] = 0x06;                                         /* ARP */
    assert_int_equal(netback_csum_setup(f, 128, &o), -XEN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_publish, nt_setup),
        cmocka_unit_test_setup(test_connect, nt_setup),
        cmocka_unit_test_setup(test_refuse, nt_setup),
        cmocka_unit_test_setup(test_tx_csum_packet, nt_setup),
        cmocka_unit_test_setup(test_tx_gso_multislot, nt_setup),
        cmocka_unit_test_setup(test_tx_bad_packets, nt_setup),
        cmocka_unit_test_setup(test_tx_hostile_ring, nt_setup),
        cmocka_unit_test_setup(test_tx_rewrite_while_read, nt_setup),
        cmocka_unit_test_setup(test_tx_incomplete_then_busy, nt_setup),
        cmocka_unit_test_setup(test_rx_slots, nt_setup),
        cmocka_unit_test_setup(test_rx_hostile, nt_setup),
        cmocka_unit_test_setup(test_reconnect_split, nt_setup),
        cmocka_unit_test_setup(test_csum_setup, nt_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
