// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the netvsc provider (shim/platform/viridian/netvsc*.c,
 * rndis.c) on the fake VMBus with a model of the network VSP written
 * here: NVSP and RNDIS layouts, the messages built, the RNDIS parser on
 * malformed input, bring-up with NVSP version fallback, transmit through
 * send sections with the software checksum, receive through transfer-page
 * ranges (in and out of the receive buffer) and the completions returning
 * them, status indications, unknown transaction ids, a dead channel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <plat/provider.h>
#include <xen/errno.h>
#include "../../shim/platform/viridian/netvsc-priv.h"
#include "../../shim/platform/viridian/vdev.h"
#include "fake-vmbus.h"

static const struct vmbus_guid nic_class = { {
    0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46,
    0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e } };

static const struct plat_net_provider *reg_ops;
static unsigned int reg_calls;

int plat_net_register(const struct plat_net_provider *ops, void *ctx)
{
    reg_ops = ops;
    reg_calls++;
    return 0;
}

/* ---- the network VSP model ---------------------------------------------- */

static const uint8_t host_mac[6] = { 0x00, 0x15, 0x5d, 0x01, 0x02, 0x03 };

static struct vsp {
    uint32_t max_ver;
    uint32_t versions[8], nr_versions;
    uint32_t ndis_major, ndis_minor, config_mtu;
    bool config_seen, hold_tx, no_permanent;
    uint32_t section_size, rx_end;
    uint8_t *rxbuf, *txbuf;
    uint32_t rx_next;                   /* where the next message goes in rxbuf */
    uint32_t rndis_types[16], nr_rndis;
    uint32_t filter;
    uint8_t frame[2048];
    uint32_t frame_len, frames;
    uint64_t held_tid[256];
    unsigned int nr_held;
    unsigned int acks;
    uint64_t last_ack;
} vsp;
static struct fake_channel *fc;

/* Put msg in the receive buffer and send one transfer-page packet for it. */
static void host_xfer(const void *msg, uint32_t len, uint64_t tid)
{
    struct { struct nvsp_xfer_hdr h; struct nvsp_xfer_range r; } __packed x = {
        { NVSP_RECV_BUF_ID, 0, 0, 1 }, { len, vsp.rx_next } };
    struct nvsp_rndis_pkt p = { .type = NVSP_MSG1_SEND_RNDIS_PKT };

    assert_true(vsp.rx_next + len <= vsp.rx_end);
    memcpy(vsp.rxbuf + vsp.rx_next, msg, len);
    vsp.rx_next = (vsp.rx_next + len + 7) & ~7u;
    if (vsp.rx_next > vsp.rx_end - 4096)
        vsp.rx_next = 0;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, tid, &x, sizeof(x), &p, sizeof(p));
}

static void host_rndis_control(const uint8_t *m, uint32_t len)
{
    uint32_t type, id, oid;
    uint8_t out[128] = { 0 };
    uint32_t n;

    memcpy(&type, m, 4);
    memcpy(&id, m + 8, 4);
    vsp.rndis_types[vsp.nr_rndis++ % 16] = type;
    switch (type) {
    case RNDIS_MSG_INIT: {
        struct rndis_init_cmplt c = { RNDIS_MSG_INIT_C, sizeof(c), id, 0, 1, 0, 0, 0, 8,
                                      0x4000, 0, 0, 0 };

        assert_int_equal(len, sizeof(struct rndis_init_req));
        host_xfer(&c, sizeof(c), 77);
        return;
    }
    case RNDIS_MSG_QUERY: {
        struct rndis_query_cmplt c = { RNDIS_MSG_QUERY_C, 0, id, 0, 0, 16 };
        uint32_t v;

        memcpy(&oid, m + 12, 4);
        n = 0;
        if (oid == RNDIS_OID_802_3_PERMANENT_ADDRESS && vsp.no_permanent) {
            c.status = 0xc0010017;          /* not supported */
        } else if (oid == RNDIS_OID_802_3_PERMANENT_ADDRESS ||
                   oid == RNDIS_OID_802_3_CURRENT_ADDRESS) {
            memcpy(out + sizeof(c), host_mac, 6);
            n = 6;
        } else if (oid == RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE) {
            v = 9000;                       /* jumbo: clamped to what we buffer */
            memcpy(out + sizeof(c), &v, 4);
            n = 4;
        } else if (oid == RNDIS_OID_GEN_MEDIA_CONNECT_STATUS) {
            v = 0;
            memcpy(out + sizeof(c), &v, 4);
            n = 4;
        } else {
            c.status = 0xc00000bb;
        }
        c.info_len = n;
        c.len = sizeof(c) + n;
        memcpy(out, &c, sizeof(c));
        host_xfer(out, c.len, 78);
        return;
    }
    case RNDIS_MSG_SET: {
        struct rndis_set_cmplt c = { RNDIS_MSG_SET_C, sizeof(c), id, 0 };
        uint32_t ilen, ioff;

        memcpy(&oid, m + 12, 4);
        memcpy(&ilen, m + 16, 4);
        memcpy(&ioff, m + 20, 4);
        assert_int_equal(oid, RNDIS_OID_GEN_CURRENT_PACKET_FILTER);
        assert_int_equal(ilen, 4);
        assert_int_equal(ioff, 20);
        memcpy(&vsp.filter, m + 8 + ioff, 4);
        host_xfer(&c, sizeof(c), 79);
        return;
    }
    default:
        fail_msg("vsp: unexpected RNDIS control message %#x", type);
    }
}

static void vsp_host(struct fake_channel *c, const struct fake_sent *pkt)
{
    uint32_t type;

    if (pkt->type == VMBUS_PKT_COMPLETION) {
        vsp.acks++;
        vsp.last_ack = pkt->trans_id;
        return;
    }
    assert_int_equal(pkt->type, VMBUS_PKT_DATA_INBAND);
    assert_int_equal(pkt->len, NVSP_MSG_BYTES);
    memcpy(&type, pkt->data, 4);
    switch (type) {
    case NVSP_MSG_INIT: {
        struct nvsp_init m;
        struct nvsp_init_complete r = { NVSP_MSG_INIT_COMPLETE, 0, 0, 0 };

        memcpy(&m, pkt->data, sizeof(m));
        assert_int_equal(m.min_ver, m.max_ver);
        vsp.versions[vsp.nr_versions++] = m.max_ver;
        r.status = m.max_ver <= vsp.max_ver ? NVSP_STAT_SUCCESS : 2;
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, pkt->trans_id, &r, sizeof(r));
        return;
    }
    case NVSP_MSG2_SEND_NDIS_CONFIG: {
        struct nvsp_ndis_config m;

        memcpy(&m, pkt->data, sizeof(m));
        assert_false(pkt->want_completion);
        vsp.config_seen = true;
        vsp.config_mtu = m.mtu;
        return;
    }
    case NVSP_MSG1_SEND_NDIS_VER: {
        struct nvsp_ndis_ver m;

        memcpy(&m, pkt->data, sizeof(m));
        assert_false(pkt->want_completion);
        vsp.ndis_major = m.major;
        vsp.ndis_minor = m.minor;
        return;
    }
    case NVSP_MSG1_SEND_RECV_BUF: {
        struct nvsp_buf m;
        struct nvsp_recv_buf_complete r = { NVSP_MSG1_SEND_RECV_BUF_COMPLETE,
                                            NVSP_STAT_SUCCESS, 1, { 0, 1728, 0, vsp.rx_end } };

        memcpy(&m, pkt->data, sizeof(m));
        assert_int_equal(m.id, NVSP_RECV_BUF_ID);
        assert_int_equal(m.gpadl, fc->gpadl_handle[0]);
        assert_int_equal(fc->gpadl_pages[0], NVS_RECV_PAGES);
        vsp.rxbuf = (uint8_t *)(uintptr_t)fc->gpadl_base[0];
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, pkt->trans_id, &r, sizeof(r));
        return;
    }
    case NVSP_MSG1_SEND_SEND_BUF: {
        struct nvsp_buf m;
        struct nvsp_send_buf_complete r = { NVSP_MSG1_SEND_SEND_BUF_COMPLETE,
                                            NVSP_STAT_SUCCESS, vsp.section_size };

        memcpy(&m, pkt->data, sizeof(m));
        assert_int_equal(m.id, NVSP_SEND_BUF_ID);
        assert_int_equal(m.gpadl, fc->gpadl_handle[1]);
        vsp.txbuf = (uint8_t *)(uintptr_t)fc->gpadl_base[1];
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, pkt->trans_id, &r, sizeof(r));
        return;
    }
    case NVSP_MSG1_SEND_RNDIS_PKT: {
        struct nvsp_rndis_pkt m;
        struct nvsp_rndis_pkt_complete r = { .type = NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE,
                                             .status = NVSP_STAT_SUCCESS };
        const uint8_t *sec;

        memcpy(&m, pkt->data, sizeof(m));
        assert_true(pkt->want_completion);
        assert_true((uint64_t)(m.section_index + 1) * vsp.section_size <= NVS_SEND_PAGES * PAGE_SIZE);
        assert_true(m.section_size <= vsp.section_size);
        sec = vsp.txbuf + (size_t)m.section_index * vsp.section_size;
        if (m.channel_type == NVSP_RNDIS_CONTROL) {
            host_rndis_control(sec, m.section_size);
        } else {
            struct rndis_packet p;

            memcpy(&p, sec, sizeof(p));
            assert_int_equal(p.type, RNDIS_MSG_PACKET);
            assert_int_equal(p.len, m.section_size);
            assert_int_equal(p.data_off, 36);
            assert_int_equal(p.len, 44 + p.data_len);
            memcpy(vsp.frame, sec + 8 + p.data_off, p.data_len);
            vsp.frame_len = p.data_len;
            vsp.frames++;
            if (vsp.hold_tx) {
                vsp.held_tid[vsp.nr_held++] = pkt->trans_id;
                return;
            }
        }
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, pkt->trans_id, &r, sizeof(r));
        return;
    }
    default:
        fail_msg("vsp: unexpected NVSP message %u", type);
    }
}

static void fresh(void)
{
    fake_vmbus_reset();
    memset(nvs_nics, 0, sizeof(nvs_nics));
    nvs_nr_nics = 0;
    reg_ops = NULL;
    reg_calls = 0;
    memset(&vsp, 0, sizeof(vsp));
    vsp.max_ver = NVSP_VERSION_61;
    vsp.section_size = 6144;
    vsp.rx_end = NVS_RECV_PAGES * PAGE_SIZE;
    fc = fake_vmbus_add(&nic_class, vsp_host, NULL);
}

static void bring_up(void)
{
    assert_int_equal(netvsc_probe(), 1);
    assert_int_equal(reg_calls, 1);
    assert_int_equal(reg_ops->count(NULL), 1);
}

static int teardown(void **state)
{
    fake_vmbus_reset();
    return 0;
}

/* ---- layouts and builders ------------------------------------------------ */

static void test_layouts(void **state)
{
    assert_int_equal(sizeof(struct nvsp_init), 32);
    assert_int_equal(offsetof(struct nvsp_init, max_ver), 8);
    assert_int_equal(offsetof(struct nvsp_init_complete, status), 12);
    assert_int_equal(offsetof(struct nvsp_ndis_config, caps), 12);
    assert_int_equal(offsetof(struct nvsp_buf, id), 8);
    assert_int_equal(offsetof(struct nvsp_recv_buf_complete, section), 12);
    assert_int_equal(offsetof(struct nvsp_rndis_pkt, section_index), 8);
    assert_int_equal(offsetof(struct nvsp_rndis_pkt, section_size), 12);
    assert_int_equal(sizeof(struct nvsp_xfer_hdr) + sizeof(struct nvsp_xfer_range), 16);
    assert_int_equal(sizeof(struct rndis_packet), 44);
    assert_int_equal(offsetof(struct rndis_packet, data_off), 8);
    assert_int_equal(offsetof(struct rndis_packet, ppi_off), 28);
    assert_int_equal(offsetof(struct rndis_init_cmplt, max_xfer), 36);
    assert_int_equal(offsetof(struct rndis_query_cmplt, info_off), 20);
    assert_int_equal(sizeof(struct rndis_ppi), 12);
}

static void test_builders(void **state)
{
    struct rndis_init_req i;
    struct rndis_oid_req q;
    struct rndis_packet p;
    uint8_t set[32];
    static const uint32_t init_words[6] = { 2, 24, 7, 1, 0, 0x4000 };
    static const uint32_t query_words[7] = { 4, 28, 8, 0x01010101, 0, 20, 0 };
    static const uint32_t set_words[8] = { 5, 32, 9, 0x0001010e, 4, 20, 0, 0xb };
    static const uint32_t pkt_words[11] = { 1, 44 + 60, 36, 60, 0, 0, 0, 0, 0, 0, 0 };

    assert_int_equal(rndis_build_init(&i, 7), 24);
    assert_memory_equal(&i, init_words, 24);
    assert_int_equal(rndis_build_query(&q, 8, RNDIS_OID_802_3_PERMANENT_ADDRESS), 28);
    assert_memory_equal(&q, query_words, 28);
    assert_int_equal(rndis_build_set_u32(set, 9, RNDIS_OID_GEN_CURRENT_PACKET_FILTER, 0xb), 32);
    assert_memory_equal(set, set_words, 32);
    assert_int_equal(rndis_build_packet(&p, 60), 44);
    assert_memory_equal(&p, pkt_words, 44);
}

/* ---- the RNDIS parser on hostile input --------------------------------- */

static uint32_t build_rx(uint8_t *b, uint32_t data_len, uint32_t ppi_len)
{
    struct rndis_packet p = { RNDIS_MSG_PACKET, 0, 0, data_len, 0, 0, 0, 0, ppi_len, 0, 0 };

    p.ppi_off = 36;
    p.data_off = 36 + ppi_len;
    p.len = 44 + ppi_len + data_len;
    memcpy(b, &p, sizeof(p));
    for (uint32_t i = 0; i < data_len; i++)
        b[44 + ppi_len + i] = (uint8_t)i;
    return p.len;
}

static void put_ppi(uint8_t *b, uint32_t size, uint32_t type, uint32_t off, uint32_t val)
{
    struct rndis_ppi e = { size, type, off };

    memcpy(b, &e, sizeof(e));
    memcpy(b + 12, &val, 4);
}

static void set32(uint8_t *b, size_t off, uint32_t v)
{
    memcpy(b + off, &v, 4);
}

static void test_rndis_parse_packet(void **state)
{
    uint8_t b[512];
    struct rndis_rx rx;
    uint32_t len;

    len = build_rx(b, 60, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), 0);
    assert_int_equal(rx.type, RNDIS_MSG_PACKET);
    assert_int_equal(rx.data_off, 44);
    assert_int_equal(rx.data_len, 60);
    assert_int_equal(rx.meta.flags, 0);
    /* Range longer than the message (padding): fine. Shorter: refused. */
    assert_int_equal(rndis_parse(b, len + 20, 1518, &rx), 0);
    assert_int_equal(rndis_parse(b, len - 1, 1518, &rx), -XEN_EINVAL);
    /* Shorter than a header, zero length, msg_len below 8, type without room. */
    assert_int_equal(rndis_parse(b, 7, 1518, &rx), -XEN_EINVAL);
    assert_int_equal(rndis_parse(b, 0, 1518, &rx), -XEN_EINVAL);
    set32(b, 4, 4);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 4, 40);                                /* a PACKET needs 44 */
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 4, 0xffffffff);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    len = build_rx(b, 60, 0);
    /* Data offset past the end, into the header, or wrapping 32 bits. */
    set32(b, 8, 200);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 8, 4);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 8, 0xfffffff0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 8, 36);
    set32(b, 12, 0xffffffff);                       /* huge data length */
    assert_int_equal(rndis_parse(b, len, 0xffffffff, &rx), -XEN_EINVAL);
    set32(b, 12, 61);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    /* Frames shorter than an Ethernet header or longer than allowed. */
    len = build_rx(b, 13, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    len = build_rx(b, 100, 0);
    assert_int_equal(rndis_parse(b, len, 99, &rx), -XEN_EINVAL);
    assert_int_equal(rndis_parse(b, len, 100, &rx), 0);
}

static void test_rndis_parse_ppi(void **state)
{
    uint8_t b[1024];
    struct rndis_rx rx;
    uint32_t len;

    /* A checksum PPI saying TCP checksum succeeded. */
    len = build_rx(b, 60, 16);
    put_ppi(b + 44, 16, RNDIS_PPI_TCPIP_CSUM, 12, RNDIS_RXCSUM_TCP_OK | RNDIS_RXCSUM_IP_OK);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), 0);
    assert_int_equal(rx.meta.flags, PLAT_NET_RX_CSUM_VALID);
    assert_int_equal(rx.data_off, 60);
    /* Success and a failure bit: not valid. */
    put_ppi(b + 44, 16, RNDIS_PPI_TCPIP_CSUM, 12, RNDIS_RXCSUM_TCP_OK | RNDIS_RXCSUM_IP_FAILED);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), 0);
    assert_int_equal(rx.meta.flags, 0);
    /* Element larger than the area, size 0 (would never advance), value past it. */
    put_ppi(b + 44, 20, RNDIS_PPI_TCPIP_CSUM, 12, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    put_ppi(b + 44, 0, RNDIS_PPI_TCPIP_CSUM, 12, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    put_ppi(b + 44, 16, RNDIS_PPI_TCPIP_CSUM, 17, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    put_ppi(b + 44, 16, RNDIS_PPI_TCPIP_CSUM, 4, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    /* Area shorter than an element header. */
    len = build_rx(b, 60, 8);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    /* Area past the message end. */
    len = build_rx(b, 60, 16);
    put_ppi(b + 44, 16, RNDIS_PPI_TCPIP_CSUM, 12, 0);
    set32(b, 32, 0x10000);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    set32(b, 28, 0xfffffffc);
    set32(b, 32, 16);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    /* More elements than anyone sends: 40 minimal ones. */
    len = build_rx(b, 20, 40 * 12);
    for (unsigned int i = 0; i < 40; i++)
        put_ppi(b + 44 + 12 * i, 12, 9, 12, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), -XEN_EINVAL);
    /* An unknown type with a valid shape is skipped. */
    len = build_rx(b, 20, 24);
    put_ppi(b + 44, 12, 9, 12, 0);
    put_ppi(b + 56, 12, RNDIS_PPI_IEEE_8021Q, 12, 0);
    assert_int_equal(rndis_parse(b, len, 1518, &rx), 0);
}

static void test_rndis_parse_control(void **state)
{
    uint8_t b[64] = { 0 };
    struct rndis_rx rx;

    set32(b, 0, RNDIS_MSG_QUERY_C);
    set32(b, 4, 30);
    set32(b, 8, 5);
    set32(b, 16, 6);
    set32(b, 20, 16);
    assert_int_equal(rndis_parse(b, 30, 1518, &rx), 0);
    assert_int_equal(rx.req_id, 5);
    assert_int_equal(rx.info_off, 24);
    assert_int_equal(rx.info_len, 6);
    set32(b, 16, 7);                                /* value one byte past the message */
    assert_int_equal(rndis_parse(b, 30, 1518, &rx), -XEN_EINVAL);
    set32(b, 20, 0xfffffff8);
    assert_int_equal(rndis_parse(b, 30, 1518, &rx), -XEN_EINVAL);
    set32(b, 4, 20);                                /* shorter than a QUERY_C */
    assert_int_equal(rndis_parse(b, 30, 1518, &rx), -XEN_EINVAL);
    set32(b, 0, RNDIS_MSG_INIT_C);
    set32(b, 4, 51);
    assert_int_equal(rndis_parse(b, 64, 1518, &rx), -XEN_EINVAL);
    set32(b, 0, RNDIS_MSG_INDICATE);
    set32(b, 4, 20);
    set32(b, 8, RNDIS_STATUS_MEDIA_DISCONNECT);
    set32(b, 12, 0);
    assert_int_equal(rndis_parse(b, 20, 1518, &rx), 0);
    assert_int_equal(rx.status, RNDIS_STATUS_MEDIA_DISCONNECT);
    set32(b, 12, 8);
    set32(b, 16, 12);                               /* buffer past the end */
    assert_int_equal(rndis_parse(b, 20, 1518, &rx), -XEN_EINVAL);
}

/* ---- bring-up -------------------------------------------------------------- */

static void test_bringup_newest(void **state)
{
    const struct plat_net_info *in;

    fresh();
    bring_up();
    assert_int_equal(vsp.nr_versions, 1);
    assert_int_equal(vsp.versions[0], NVSP_VERSION_61);
    assert_true(vsp.config_seen);
    assert_int_equal(vsp.config_mtu, 1514);
    assert_int_equal(vsp.ndis_major, 6);
    assert_int_equal(vsp.ndis_minor, 30);
    assert_int_equal(fc->nr_gpadls, 2);
    assert_int_equal(fc->gpadl_pages[1], NVS_SEND_PAGES);
    assert_int_equal(vsp.rndis_types[0], RNDIS_MSG_INIT);
    assert_int_equal(vsp.rndis_types[1], RNDIS_MSG_QUERY);
    assert_int_equal(vsp.filter, RNDIS_PACKET_TYPE_DIRECTED | RNDIS_PACKET_TYPE_MULTICAST |
                     RNDIS_PACKET_TYPE_BROADCAST);
    in = reg_ops->info(NULL, 0);
    assert_non_null(in);
    assert_memory_equal(in->mac, host_mac, 6);
    assert_int_equal(in->mtu, 1500);
    assert_int_equal(in->max_frags, PLAT_NET_MAX_FRAGS);
    assert_false(in->tx_csum);
    assert_false(in->tso4);
    assert_int_equal(nvs_nics[0].nr_sections, NVS_SEND_PAGES * PAGE_SIZE / 6144);
    assert_true(nvs_nics[0].link_up);
    /* Every control reply came back as a receive packet and was acknowledged. */
    assert_int_equal(vsp.acks, vsp.nr_rndis);
}

static void test_bringup_fallback(void **state)
{
    fresh();
    vsp.max_ver = NVSP_VERSION_2;
    vsp.no_permanent = true;                        /* MAC from CURRENT_ADDRESS */
    bring_up();
    assert_int_equal(vsp.nr_versions, 5);
    assert_int_equal(vsp.versions[4], NVSP_VERSION_2);
    assert_int_equal(vsp.ndis_minor, 1);
    assert_true(vsp.config_seen);
    assert_memory_equal(reg_ops->info(NULL, 0)->mac, host_mac, 6);

    teardown(NULL);
    fresh();
    vsp.max_ver = NVSP_VERSION_1;
    bring_up();
    assert_false(vsp.config_seen);                  /* NDIS config is NVSP 2 and later */
}

static void test_bringup_refused(void **state)
{
    fresh();
    vsp.max_ver = 1;
    assert_int_equal(netvsc_probe(), 0);
    assert_int_equal(reg_calls, 0);
    assert_int_equal(fc->closes, 1);

    teardown(NULL);
    fresh();
    vsp.section_size = 1000;                        /* too small for a frame */
    assert_int_equal(netvsc_probe(), 0);

    teardown(NULL);
    fresh();
    vsp.rx_end = NVS_RECV_PAGES * PAGE_SIZE + 1;    /* section past the buffer */
    assert_int_equal(netvsc_probe(), 0);
}

/* ---- transmit ----------------------------------------------------------------- */

static unsigned int tx_done_calls;
static int tx_done_status;

static void tx_done(struct plat_net_tx_req *r, int status)
{
    tx_done_calls++;
    tx_done_status = status;
}

static uint8_t *pages;

static int setup_pages(void **state)
{
    pages = aligned_alloc(PAGE_SIZE, 4 * PAGE_SIZE);
    return pages ? 0 : -1;
}

static int teardown_pages(void **state)
{
    free(pages);
    return 0;
}

static paddr_t pa(unsigned int page, uint32_t off)
{
    return (paddr_t)(uintptr_t)(pages + page * PAGE_SIZE + off);
}

static uint16_t fold(const uint8_t *p, uint32_t n)
{
    uint32_t s = 0;

    for (uint32_t i = 0; i < n; i++)
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static void test_tx_copy_and_checksum(void **state)
{
    struct plat_net_frag f[3] = { { pa(0, PAGE_SIZE - 20), 20 }, { pa(1, 0), 30 },
                                  { pa(2, 100), 50 } };
    struct plat_net_tx_req r = { .frags = f, .nr_frags = 3, .done = tx_done,
                                 .offload = { .needs_csum = true, .csum_start = 34,
                                              .csum_offset = 6 } };

    fresh();
    bring_up();
    for (unsigned int i = 0; i < 4 * PAGE_SIZE; i++)
        pages[i] = (uint8_t)(i * 31 + 7);
    tx_done_calls = 0;
    assert_int_equal(reg_ops->tx(NULL, 0, &r), 0);
    assert_int_equal(tx_done_calls, 0);
    assert_int_equal(vsp.frame_len, 100);
    assert_memory_equal(vsp.frame, pages + PAGE_SIZE - 20, 20);
    assert_memory_equal(vsp.frame + 20, pages + PAGE_SIZE, 20);     /* up to the field */
    /*
     * The field held the pseudo-header sum P (CHECKSUM_PARTIAL); a receiver
     * adds P to [csum_start, end) with the stored checksum and gets all ones.
     */
    {
        uint32_t s = fold(vsp.frame + 34, 66) + (uint32_t)(pages[PAGE_SIZE + 20] << 8 |
                                                            pages[PAGE_SIZE + 21]);

        s = (s & 0xffff) + (s >> 16);
        assert_int_equal(s, 0xffff);
    }
    /* The guest's frame is read-only to us: unchanged. */
    assert_int_equal(pages[PAGE_SIZE + 20], (uint8_t)((PAGE_SIZE + 20) * 31 + 7));
    reg_ops->poll(NULL);
    assert_int_equal(tx_done_calls, 1);
    assert_int_equal(tx_done_status, 0);
}

static void test_tx_limits(void **state)
{
    struct plat_net_frag f = { pa(0, 0), 60 };
    struct plat_net_tx_req r = { .frags = &f, .nr_frags = 1, .done = tx_done };
    struct plat_net_tx_req many[NVS_MAX_SECTIONS + 1];
    unsigned int sections;

    fresh();
    bring_up();
    sections = nvs_nics[0].nr_sections;
    r.nr_frags = 0;
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    r.nr_frags = PLAT_NET_MAX_FRAGS + 1;
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    r.nr_frags = 1;
    f = (struct plat_net_frag){ pa(0, 4090), 60 };                  /* crosses a frame */
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    f = (struct plat_net_frag){ pa(0, 0), 13 };
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    f = (struct plat_net_frag){ pa(0, 0), 1519 };
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    f = (struct plat_net_frag){ pa(0, 0), 1518 };
    r.offload = (struct plat_net_offload){ .needs_csum = true, .csum_start = 1510,
                                           .csum_offset = 7 };
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    r.offload = (struct plat_net_offload){ .needs_csum = true, .csum_start = 34,
                                           .csum_offset = 16, .gso_type = PLAT_NET_GSO_TCPV4,
                                           .gso_size = 1448 };
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EOPNOTSUPP);
    r.offload.gso_size = 0;
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EINVAL);
    assert_int_equal(reg_ops->tx(NULL, 1, &r), -XEN_ENODEV);
    /* Every section in flight: busy until a completion. */
    vsp.hold_tx = true;
    tx_done_calls = 0;
    for (unsigned int i = 0; i < sections; i++) {
        many[i] = (struct plat_net_tx_req){ .frags = &f, .nr_frags = 1, .done = tx_done };
        assert_int_equal(reg_ops->tx(NULL, 0, &many[i]), 0);
    }
    many[sections] = many[0];
    assert_int_equal(reg_ops->tx(NULL, 0, &many[sections]), -XEN_EBUSY);
    {
        struct nvsp_rndis_pkt_complete c = { NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE, 2, { 0 } };

        /* A failed send is reported as such. */
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, vsp.held_tid[3], &c, sizeof(c));
        reg_ops->poll(NULL);
        assert_int_equal(tx_done_calls, 1);
        assert_int_equal(tx_done_status, -XEN_EIO);
        /* The same id again: stale. */
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, vsp.held_tid[3], &c, sizeof(c));
        fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, 0x12345, &c, sizeof(c));
        reg_ops->poll(NULL);
        assert_int_equal(tx_done_calls, 1);
        assert_int_equal(nvs_nics[0].unknown_tid, 2);
    }
    assert_int_equal(reg_ops->tx(NULL, 0, &many[sections]), 0);
    /* The ring full: busy, section given back. */
    fc->send_rc = -XEN_EAGAIN;
    r.offload = (struct plat_net_offload){ 0 };
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, vsp.held_tid[4],
                    &(struct nvsp_rndis_pkt_complete){ NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE,
                                                        NVSP_STAT_SUCCESS, { 0 } }, 32);
    reg_ops->poll(NULL);
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_EBUSY);
    assert_int_equal(nvs_nics[0].nr_free, 1);
}

/* ---- receive ---------------------------------------------------------------- */

static unsigned int rx_calls;
static uint32_t rx_len[8];
static uint8_t rx_first[8];
static unsigned int rx_idx;
static uint32_t rx_flags;

static void on_rx(void *opaque, unsigned int idx, const void *data, uint32_t len,
                  const struct plat_net_rx_meta *m)
{
    if (rx_calls < 8) {
        rx_len[rx_calls] = len;
        rx_first[rx_calls] = *(const uint8_t *)data;
    }
    rx_idx = idx;
    rx_flags = m->flags;
    rx_calls++;
}

static void test_rx_ranges(void **state)
{
    uint8_t m1[200], m2[200];
    uint32_t l1 = build_rx(m1, 60, 0), l2 = build_rx(m2, 100, 16);
    struct {
        struct nvsp_xfer_hdr h;
        struct nvsp_xfer_range r[4];
    } __packed x = { { NVSP_RECV_BUF_ID, 0, 0, 4 },
                     { { l1, 4096 }, { l2, 8192 }, { 64, NVS_RECV_PAGES * PAGE_SIZE - 32 },
                       { 8, 0xfffffff8 } } };
    struct nvsp_rndis_pkt p = { .type = NVSP_MSG1_SEND_RNDIS_PKT };
    unsigned int bad, acks;

    fresh();
    bring_up();
    assert_int_equal(reg_ops->set_rx(NULL, 0, on_rx, NULL), 0);
    put_ppi(m2 + 44, 16, RNDIS_PPI_TCPIP_CSUM, 12, RNDIS_RXCSUM_UDP_OK);
    m2[60] = 0xab;
    memcpy(vsp.rxbuf + 4096, m1, l1);
    memcpy(vsp.rxbuf + 8192, m2, l2);
    rx_calls = 0;
    bad = (unsigned int)nvs_nics[0].rx_bad;
    acks = vsp.acks;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x99, &x, sizeof(x), &p, sizeof(p));
    assert_int_equal(reg_ops->poll(NULL), 2);
    assert_int_equal(rx_calls, 2);
    assert_int_equal(rx_len[0], 60);
    assert_int_equal(rx_len[1], 100);
    assert_int_equal(rx_first[1], 0xab);
    assert_int_equal(rx_flags, PLAT_NET_RX_CSUM_VALID);
    assert_int_equal(rx_idx, 0);
    /* Two ranges outside the receive buffer (one wrapping 32 bits): dropped. */
    assert_int_equal(nvs_nics[0].rx_bad, bad + 2);
    /* The ranges went back to the host with the packet's id. */
    assert_int_equal(vsp.acks, acks + 1);
    assert_int_equal(vsp.last_ack, 0x99);

    /* A range count larger than the ranges sent: only those are read. */
    x.h.nr_ranges = 1000;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x9a, &x, sizeof(x), &p, sizeof(p));
    reg_ops->poll(NULL);
    assert_int_equal(rx_calls, 4);
    /* Wrong transfer-page set, short header, not an RNDIS packet: acked, not read. */
    x.h.set_id = 1;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x9b, &x, sizeof(x), &p, sizeof(p));
    x.h.set_id = NVSP_RECV_BUF_ID;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x9c, &x, 4, &p, sizeof(p));
    p.type = NVSP_MSG1_SEND_RECV_BUF;
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x9d, &x, sizeof(x), &p, sizeof(p));
    reg_ops->poll(NULL);
    assert_int_equal(rx_calls, 4);
    assert_int_equal(vsp.acks, acks + 5);
    assert_int_equal(vsp.last_ack, 0x9d);
    /* No callback: frames are dropped, ranges still returned. */
    p.type = NVSP_MSG1_SEND_RNDIS_PKT;
    assert_int_equal(reg_ops->set_rx(NULL, 0, NULL, NULL), 0);
    fake_vmbus_push_hdr(fc, VMBUS_PKT_DATA_XFER_PAGES, 0x9e, &x, sizeof(x), &p, sizeof(p));
    reg_ops->poll(NULL);
    assert_int_equal(rx_calls, 4);
    assert_int_equal(nvs_nics[0].rx_dropped, 2);
    assert_int_equal(vsp.acks, acks + 6);
}

static void test_rx_status_and_acks_retried(void **state)
{
    struct rndis_indicate ind = { RNDIS_MSG_INDICATE, sizeof(ind),
                                  RNDIS_STATUS_MEDIA_DISCONNECT, 0, 0 };
    unsigned int acks;

    fresh();
    bring_up();
    assert_true(nvs_nics[0].link_up);
    host_xfer(&ind, sizeof(ind), 0x42);
    reg_ops->poll(NULL);
    assert_false(nvs_nics[0].link_up);
    ind.status = RNDIS_STATUS_MEDIA_CONNECT;
    /* The ring has no room for the completion: it is sent at the next poll. */
    acks = vsp.acks;
    fc->send_rc = -XEN_EAGAIN;
    host_xfer(&ind, sizeof(ind), 0x43);
    reg_ops->poll(NULL);
    assert_true(nvs_nics[0].link_up);
    assert_int_equal(vsp.acks, acks);
    fc->send_rc = 0;
    reg_ops->poll(NULL);
    assert_int_equal(vsp.acks, acks + 1);
    assert_int_equal(vsp.last_ack, 0x43);
    /* A control reply nobody waits for is counted, not taken. */
    {
        struct rndis_set_cmplt c = { RNDIS_MSG_SET_C, sizeof(c), 999, 0 };
        uint64_t before = nvs_nics[0].unsolicited;

        host_xfer(&c, sizeof(c), 0x44);
        reg_ops->poll(NULL);
        assert_int_equal(nvs_nics[0].unsolicited, before + 1);
    }
}

static void test_dead_channel(void **state)
{
    struct plat_net_frag f = { pa(0, 0), 60 };
    struct plat_net_tx_req r = { .frags = &f, .nr_frags = 1, .done = tx_done };

    fresh();
    bring_up();
    vsp.hold_tx = true;
    tx_done_calls = 0;
    assert_int_equal(reg_ops->tx(NULL, 0, &r), 0);
    fc->corrupt = true;
    reg_ops->poll(NULL);
    assert_int_equal(tx_done_calls, 1);
    assert_int_equal(tx_done_status, -XEN_EIO);
    assert_int_equal(reg_ops->tx(NULL, 0, &r), -XEN_ENODEV);
    assert_int_equal(fc->closes, 0);                /* never from the callback */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_rndis_parse_packet),
        cmocka_unit_test(test_rndis_parse_ppi),
        cmocka_unit_test(test_rndis_parse_control),
        cmocka_unit_test_teardown(test_bringup_newest, teardown),
        cmocka_unit_test_teardown(test_bringup_fallback, teardown),
        cmocka_unit_test_teardown(test_bringup_refused, teardown),
        cmocka_unit_test_teardown(test_tx_copy_and_checksum, teardown),
        cmocka_unit_test_teardown(test_tx_limits, teardown),
        cmocka_unit_test_teardown(test_rx_ranges, teardown),
        cmocka_unit_test_teardown(test_rx_status_and_acks_retried, teardown),
        cmocka_unit_test_teardown(test_dead_channel, teardown),
    };

    return cmocka_run_group_tests(tests, setup_pages, teardown_pages);
}
