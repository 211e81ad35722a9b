// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-net: a guest that plays a hostile xen-netfront against the
 * shim's netback (pvdrivers/netback-*.c) on a QEMU user-networking NIC
 * (xenshim-args), with ARP to the slirp gateway 10.0.2.2 as the proof that
 * the device still carries frames both ways.
 *
 * Per-packet tx attacks, each answered NETIF_RSP_ERROR on every data slot
 * and NETIF_RSP_NULL on its extra_info slots (Linux netback
 * xenvif_tx_build_gops / xenvif_tx_err / make_tx_response), nothing sent,
 * the vif staying Connected and every grant released:
 *  - a fragment crossing the page (offset 4000, 200 bytes): Linux netback
 *    calls this fatal ("Cross page boundary"); the shim answers ERROR and
 *    keeps the vif, as for any malformed packet (pvdrivers/netback-tx.c);
 *  - grefs 600 and 0xffffffff, never granted, the shim's frame 0x100, a
 *    grant to domain 5;
 *  - a frame of 10 bytes (shorter than an Ethernet header);
 *  - fragments longer than the packet's total (first slot's size);
 *  - csum_blank on a non-IP frame; an extra_info of unknown type 5; a GSO
 *    extra with gso.size 0.
 * An rx buffer granted read-only gets NETIF_RSP_ERROR when a frame is
 * copied to it (netfront drops the frame), nothing is written.
 * Ring and handshake attacks, each ending with the backend in Closing and
 * nothing sent (netback_fatal; Linux's xenvif_fatal_tx_err only disables
 * the vif, the shim also switches to Closing so that the frontend can
 * reconnect); the frontend then cycles Closing/Closed/Initialising back to
 * InitWait:
 *  - a chain of 19 slots (over XEN_NETIF_NR_SLOTS_MIN = 18);
 *  - tx req_prod 1000 ahead; rx req_prod 1000 ahead (seen when the ARP
 *    reply arrives);
 *  - request-rx-copy 0 (only rx-copy exists), tx-ring-ref 600, rx-ring-ref
 *    the shim's frame.
 * Health: a fresh pair of rings connects, ARP gets its reply, and the
 * guest still gets hypercalls and powers off cleanly.
 */
#include "netfront.h"

TEST_DESC("hostile-net", "hostile netif frontend", 0);

#define SHIM_MFN   0x100UL
#define NR_RX      8
#define RX_WAIT_MS 5000

enum {
    REF_TX = GREF_FIRST, REF_RX, REF_TX2, REF_RX2, REF_TXBUF, REF_RX_RO,
    REF_UNGRANTED, REF_SHIM, REF_OTHER_DOM, REF_RXBUF0,
};
#define REF_OUT_OF_RANGE 600u

static uint8_t tx_a[PAGE_SIZE] __page_aligned_bss;
static uint8_t rx_a[PAGE_SIZE] __page_aligned_bss;
static uint8_t tx_b[PAGE_SIZE] __page_aligned_bss;
static uint8_t rx_b[PAGE_SIZE] __page_aligned_bss;
static uint8_t txbuf[PAGE_SIZE] __page_aligned_bss;
static uint8_t rxbuf[NR_RX][PAGE_SIZE] __page_aligned_bss;
static struct netfront nf;
static uint16_t next_id = 100;

static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };

static void grant_everything(void)
{
    gnt_grant(REF_TX, virt_to_mfn(tx_a), false);
    gnt_grant(REF_RX, virt_to_mfn(rx_a), false);
    gnt_grant(REF_TX2, virt_to_mfn(tx_b), false);
    gnt_grant(REF_RX2, virt_to_mfn(rx_b), false);
    gnt_grant(REF_TXBUF, virt_to_mfn(txbuf), true);
    gnt_grant(REF_RX_RO, virt_to_mfn(rxbuf[0]), true);
    gnt_grant(REF_SHIM, SHIM_MFN, false);
    gnt_grant_raw(REF_OTHER_DOM, virt_to_mfn(txbuf), 5, GTF_permit_access);
    for (unsigned int i = 0; i < NR_RX; i++)
        gnt_grant(REF_RXBUF0 + i, virt_to_mfn(rxbuf[i]), false);
}

static bool grants_idle(const char *what)
{
    if (gnt_flags(REF_TXBUF) & (GTF_reading | GTF_writing)) {
        test_fail("%s: the tx buffer grant is still held (flags %#x)", what,
                  gnt_flags(REF_TXBUF));
        return false;
    }
    return true;
}

/* An ARP who-has 10.0.2.2 from us (RFC 826), 42 bytes at txbuf. */
static uint16_t arp_request(void)
{
    uint8_t *p = txbuf;

    memset(p, 0xff, 6);                     /* broadcast */
    memcpy(p + 6, nf.mac, 6);
    p[12] = 0x08; p[13] = 0x06;             /* ARP */
    p[14] = 0; p[15] = 1;                   /* Ethernet */
    p[16] = 0x08; p[17] = 0x00;             /* IPv4 */
    p[18] = 6; p[19] = 4;
    p[20] = 0; p[21] = 1;                   /* request */
    memcpy(p + 22, nf.mac, 6);
    memcpy(p + 28, my_ip, 4);
    memset(p + 32, 0, 6);
    memcpy(p + 38, gw_ip, 4);
    return 42;
}

static bool is_arp_reply(const uint8_t *p, int16_t len)
{
    return len >= 42 && !memcmp(p, nf.mac, 6) && p[12] == 0x08 && p[13] == 0x06 &&
           p[20] == 0 && p[21] == 2 && !memcmp(p + 28, gw_ip, 4) && !memcmp(p + 32, nf.mac, 6);
}

/* Send one packet of the given slots; check one response per slot. */
static bool expect_tx(const char *what, unsigned int nslots, const int16_t *want)
{
    struct netif_tx_response r;
    bool ok = true;

    nf_tx_push(&nf);
    for (unsigned int i = 0; i < nslots; i++) {
        if (!nf_tx_take(&nf, &r)) {
            test_fail("%s: no response for slot %u (backend state %ld)", what, i,
                      xb_state(nf.be));
            return false;
        }
        if (r.status != want[i]) {
            test_fail("%s: slot %u status %d, expected %d", what, i, r.status, want[i]);
            ok = false;
        }
    }
    if (nf_tx_pending(&nf)) {
        test_fail("%s: %u extra tx responses", what, nf_tx_pending(&nf));
        ok = false;
    }
    return grants_idle(what) && ok;
}

static bool tx_one(const char *what, grant_ref_t gref, uint16_t off, uint16_t flags,
                   uint16_t size, int16_t want)
{
    nf_tx_put(&nf, gref, off, flags, next_id++, size);
    return expect_tx(what, 1, &want);
}

/* Send ARP, then take rx responses until the gateway's reply (reposting
 * each buffer); true if it came. */
static bool arp_round_trip(const char *what)
{
    struct netif_rx_response r;
    uint16_t len = arp_request();

    if (!tx_one(what, REF_TXBUF, 0, 0, len, NETIF_RSP_OKAY))
        return false;
    while (nf_rx_take(&nf, &r, RX_WAIT_MS)) {
        bool hit = r.id < NR_RX && r.status > 0 && is_arp_reply(rxbuf[r.id], r.status);

        if (r.id < NR_RX)
            nf_rx_post(&nf, REF_RXBUF0 + r.id, r.id);
        if (hit)
            return true;
    }
    test_fail("%s: no ARP reply from 10.0.2.2", what);
    return false;
}

static bool connect(void *tx, grant_ref_t tx_ref, void *rx, grant_ref_t rx_ref)
{
    long st = nf_connect(&nf, tx, tx_ref, rx, rx_ref, 1);

    if (st != XenbusStateConnected) {
        test_fail("connect: backend state %ld", st);
        return false;
    }
    return true;
}

static void post_all_rx(void)
{
    for (unsigned int i = 0; i < NR_RX; i++)
        nf_rx_post(&nf, REF_RXBUF0 + i, (uint16_t)i);
}

static void reconnect_after(const char *what)
{
    if (!nf_reset(&nf))
        test_fail("%s: the backend did not follow Closing/Closed/InitWait (state %ld)",
                  what, xb_state(nf.be));
}

/* ---- attacks ------------------------------------------------------------ */

static void test_bad_packets(void)
{
    static const int16_t err2[2] = { NETIF_RSP_ERROR, NETIF_RSP_ERROR };
    static const int16_t err_null[2] = { NETIF_RSP_ERROR, NETIF_RSP_NULL };
    struct netif_extra_info x;
    uint16_t len = arp_request();

    tx_one("fragment across the page end", REF_TXBUF, 4000, 0, 200, NETIF_RSP_ERROR);
    tx_one("gref 600", REF_OUT_OF_RANGE, 0, 0, len, NETIF_RSP_ERROR);
    tx_one("gref 0xffffffff", 0xffffffffu, 0, 0, len, NETIF_RSP_ERROR);
    tx_one("gref never granted", REF_UNGRANTED, 0, 0, len, NETIF_RSP_ERROR);
    tx_one("grant of the shim's frame", REF_SHIM, 0, 0, len, NETIF_RSP_ERROR);
    tx_one("grant to domain 5", REF_OTHER_DOM, 0, 0, len, NETIF_RSP_ERROR);
    tx_one("10-byte frame", REF_TXBUF, 0, 0, 10, NETIF_RSP_ERROR);
    tx_one("csum_blank on ARP", REF_TXBUF, 0, NETTXF_csum_blank, len, NETIF_RSP_ERROR);

    nf_tx_put(&nf, REF_TXBUF, 0, NETTXF_more_data, next_id++, 100);
    nf_tx_put(&nf, REF_TXBUF, 0, 0, next_id++, 200);
    expect_tx("fragments longer than the packet", 2, err2);

    memset(&x, 0, sizeof(x));
    x.type = XEN_NETIF_EXTRA_TYPE_MAX;
    nf_tx_put(&nf, REF_TXBUF, 0, NETTXF_extra_info, next_id++, len);
    nf_tx_put_extra(&nf, &x);
    expect_tx("extra_info of type 5", 2, err_null);

    memset(&x, 0, sizeof(x));
    x.type = XEN_NETIF_EXTRA_TYPE_GSO;
    x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
    x.u.gso.size = 0;
    nf_tx_put(&nf, REF_TXBUF, 0, NETTXF_extra_info | NETTXF_csum_blank, next_id++, len);
    nf_tx_put_extra(&nf, &x);
    expect_tx("GSO extra with size 0", 2, err_null);

    if (xb_state(nf.be) != XenbusStateConnected)
        test_fail("malformed packets disconnected the vif (state %ld)", xb_state(nf.be));
}

static void test_rx_readonly(void)
{
    struct netif_rx_response r;
    uint8_t before[64];

    if (!connect(tx_a, REF_TX, rx_a, REF_RX))
        return;
    memset(rxbuf[0], 0x5a, PAGE_SIZE);
    memcpy(before, rxbuf[0], sizeof(before));
    nf_rx_post(&nf, REF_RX_RO, 0);
    if (!tx_one("ARP for the read-only rx buffer", REF_TXBUF, 0, 0, arp_request(),
                NETIF_RSP_OKAY))
        return;
    if (!nf_rx_take(&nf, &r, RX_WAIT_MS)) {
        test_fail("read-only rx buffer: no rx response");
        return;
    }
    if (r.status != NETIF_RSP_ERROR)
        test_fail("read-only rx buffer: status %d, expected %d", r.status, NETIF_RSP_ERROR);
    if (memcmp(before, rxbuf[0], sizeof(before)))
        test_fail("read-only rx buffer was written");
    if (gnt_flags(REF_RX_RO) & (GTF_reading | GTF_writing))
        test_fail("read-only rx buffer grant still held");
    /* Good buffers after the bad one: frames flow again. */
    post_all_rx();
    arp_round_trip("ARP after the read-only rx buffer");
    reconnect_after("read-only rx buffer");
}

static void expect_closing(const char *what)
{
    xb_wait_state(nf.be, XenbusStateClosing);
    if (xb_state(nf.be) != XenbusStateClosing)
        test_fail("%s: backend state %ld, expected Closing (5)", what, xb_state(nf.be));
}

static void test_fatal(void)
{
    struct evtchn_send s;

    /* 19 data slots: 18 with more_data, then the last. */
    if (connect(tx_a, REF_TX, rx_a, REF_RX)) {
        for (unsigned int i = 0; i < XEN_NETIF_NR_SLOTS_MIN + 1; i++)
            nf_tx_put(&nf, REF_TXBUF, 0, i < XEN_NETIF_NR_SLOTS_MIN ? NETTXF_more_data : 0,
                      next_id++, 60);
        nf_tx_push(&nf);
        expect_closing("chain of 19 slots");
        if (nf_tx_pending(&nf))
            test_fail("chain of 19 slots: %u responses", nf_tx_pending(&nf));
        grants_idle("chain of 19 slots");
        reconnect_after("chain of 19 slots");
    }
    if (connect(tx_a, REF_TX, rx_a, REF_RX)) {
        nf.tx->req_prod = nf.tx_prod_pvt + 1000;
        s.port = nf.port;
        hypervisor_event_channel_op(EVTCHNOP_send, &s);
        expect_closing("tx req_prod 1000 ahead");
        reconnect_after("tx req_prod 1000 ahead");
    }
    if (connect(tx_a, REF_TX, rx_a, REF_RX)) {
        nf.rx->req_prod = nf.rx_prod_pvt + 1000;
        tx_one("ARP to draw a frame onto the hostile rx ring", REF_TXBUF, 0, 0,
               arp_request(), NETIF_RSP_OKAY);
        expect_closing("rx req_prod 1000 ahead");
        if (nf.rx->rsp_prod != 0)
            test_fail("rx req_prod 1000 ahead: %u rx responses", nf.rx->rsp_prod);
        reconnect_after("rx req_prod 1000 ahead");
    }
    if (nf_connect(&nf, tx_a, REF_TX, rx_a, REF_RX, 0) != XenbusStateClosing)
        test_fail("request-rx-copy 0: backend state %ld", xb_state(nf.be));
    reconnect_after("request-rx-copy 0");
    if (nf_connect(&nf, tx_a, REF_OUT_OF_RANGE, rx_a, REF_RX, 1) != XenbusStateClosing)
        test_fail("tx-ring-ref 600: backend state %ld", xb_state(nf.be));
    reconnect_after("tx-ring-ref 600");
    if (nf_connect(&nf, tx_a, REF_TX, rx_a, REF_SHIM, 1) != XenbusStateClosing)
        test_fail("rx-ring-ref the shim's frame: backend state %ld", xb_state(nf.be));
    reconnect_after("rx-ring-ref the shim's frame");
}

void test_main(void)
{
    if (xs_init() || gnt_init())
        return;
    grant_everything();
    if (nf_probe(&nf)) {
        test_error("no vif in xenstore (run with xenshim-args' --vif)");
        return;
    }
    printk("vif %s, backend %s, mac %02x:%02x:%02x:%02x:%02x:%02x\n", nf.fe, nf.be,
           nf.mac[0], nf.mac[1], nf.mac[2], nf.mac[3], nf.mac[4], nf.mac[5]);
    if (!connect(tx_a, REF_TX, rx_a, REF_RX))
        return;
    post_all_rx();
    if (!arp_round_trip("baseline ARP"))
        return;
    test_bad_packets();
    arp_round_trip("ARP after the malformed packets");
    reconnect_after("orderly close");

    test_rx_readonly();
    test_fatal();

    /* Health: fresh rings on fresh pages. */
    if (connect(tx_b, REF_TX2, rx_b, REF_RX2)) {
        post_all_rx();
        arp_round_trip("ARP on fresh rings after the attacks");
        reconnect_after("final close");
    }
    if (hypervisor_xen_version(XENVER_version, NULL) >> 16 != 4)
        test_fail("xen_version after the attacks");
}
