// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of VMBus channels (shim/platform/viridian/vmbus-channel.c)
 * against the fake host: OPENCHANNEL as posted and the ring GPADL behind
 * it, packets echoed through the host, completions, GPA-direct packets as
 * the host sees them, transfer-page headers, a packet too big for the
 * caller's buffer, the three ways of signalling the host (HvSignalEvent on
 * a dedicated interrupt, plus the interrupt-page bit, or the monitor page),
 * event delivery on Win8+ and Win7 hosts with the interrupt masked while
 * the callback drains, close, a refused open, rescind, and a host that
 * breaks a ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <plat/hyperv.h>
#include "vmbus-fake-host.h"

#define RING_BYTES (4 * 4096)

struct sink {
    struct vmbus_channel *ch;
    unsigned int calls, packets, eio;
    uint32_t mask_seen;             /* the receive ring's mask during a call */
    uint8_t last[512];
    struct vmbus_pkt_info info;
};

static void on_event(void *arg)
{
    struct sink *s = arg;
    int rc;

    s->calls++;
    s->mask_seen |= s->ch->rx.hdr->interrupt_mask;
    while ((rc = vmbus_recv(s->ch, s->last, sizeof(s->last), &s->info)) == 0)
        s->packets++;
    if (rc == -XEN_EIO)
        s->eio++;
}

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

static struct vmbus_channel *open_ch(const struct vmbus_guid *type, struct sink *s)
{
    memset(s, 0, sizeof(*s));
    s->ch = vmbus_find(type, 0);
    assert_non_null(s->ch);
    assert_int_equal(vmbus_open(s->ch, RING_BYTES, RING_BYTES, on_event, s), 0);
    return s->ch;
}

static void test_open_message(void **state)
{
    struct sink s;
    const struct fh_post *p;
    struct fh_chan *c;

    fh_connect();
    open_ch(&fh_type_a, &s);
    p = fh_last(CHANNELMSG_OPENCHANNEL);
    assert_non_null(p);
    assert_int_equal(p->len, 148);
    assert_int_equal(p->conn_id, FH_MSG_CONN_ID);
    assert_int_equal(u32_at(p->b, 8), FH_RELID_A);          /* child_relid */
    assert_int_equal(u32_at(p->b, 12), FH_RELID_A);         /* openid */
    assert_int_equal(u32_at(p->b, 16), s.ch->ring_gpadl);   /* ring GPADL */
    assert_int_equal(u32_at(p->b, 20), 0);                  /* target VP */
    assert_int_equal(u32_at(p->b, 24), RING_BYTES / 4096);  /* receive ring page */
    for (unsigned int i = 28; i < 148; i++)
        assert_int_equal(p->b[i], 0);
    c = fh_chan(FH_RELID_A);
    assert_non_null(c);
    assert_int_equal(c->g2h_size, RING_BYTES - 4096);
    assert_int_equal(c->h2g_size, RING_BYTES - 4096);
    /* The client told the host it honours pending_send_sz, on both rings. */
    assert_int_equal(c->g2h_hdr->feature_bits, 1);
    assert_int_equal(c->h2g_hdr->feature_bits, 1);
    /* Opening twice, or with bad sizes, is refused. */
    assert_int_equal(vmbus_open(s.ch, RING_BYTES, RING_BYTES, on_event, &s), -XEN_EINVAL);
    assert_int_equal(vmbus_open(vmbus_find(&fh_type_b, 0), 4096, RING_BYTES, on_event, &s),
                     -XEN_EINVAL);
    assert_int_equal(vmbus_open(vmbus_find(&fh_type_b, 0), RING_BYTES + 1, RING_BYTES,
                                on_event, &s), -XEN_EINVAL);
}

static void test_echo_and_completion(void **state)
{
    struct sink s;
    struct vmbus_pkt_info info;
    uint8_t buf[64];

    fh_connect();
    open_ch(&fh_type_a, &s);
    assert_int_equal(vmbus_send(s.ch, "hello", 5, 42, false), 0);
    assert_int_equal(vmbus_send(s.ch, "request", 7, 43, true), 0);
    vmbus_poll();
    hv_synic_poll();
    assert_int_equal(s.packets, 2);
    assert_int_equal(s.info.type, VMBUS_PKT_COMPLETION);
    assert_int_equal(s.info.trans_id, 43);
    assert_int_equal(s.info.len, 8);                        /* 7 padded to 8 */
    assert_memory_equal(s.last, "request", 7);
    assert_int_equal(s.info.hdr_len, 0);
    assert_int_equal(fh_chan(FH_RELID_A)->echoed, 2);
    assert_int_equal(fh.bad_trailers, 0);
    /* A completion from the client reaches the host as one. */
    assert_int_equal(vmbus_send_completion(s.ch, "done", 4, 77), 0);
    fh_service();
    assert_int_equal(fh_chan(FH_RELID_A)->completions, 1);
    /* Nothing left. */
    assert_int_equal(vmbus_recv(s.ch, buf, sizeof(buf), &info), -XEN_EAGAIN);
}

static void test_gpa_direct(void **state)
{
    static const uint64_t pfns1[] = { 0x111, 0x112 }, pfns2[] = { 0x999 };
    const struct vmbus_gpa_range r[2] = {
        { .len = 4096, .offset = 512, .nr_pfns = 2, .pfns = pfns1 },
        { .len = 100, .offset = 0, .nr_pfns = 1, .pfns = pfns2 },
    };
    struct vmbus_gpa_range bad = r[0];
    struct sink s;
    uint8_t pkt[256];
    uint32_t len;

    fh_connect();
    open_ch(&fh_type_a, &s);
    fh.no_echo = true;
    assert_int_equal(vmbus_send_gpa(s.ch, r, 2, "cdb!", 4, 0x77), 0);
    assert_int_equal(fh_ring_get(fh_chan(FH_RELID_A), pkt, sizeof(pkt), &len), 0);
    /* desc | reserved | range count | range 1 + 2 pfns | range 2 + 1 pfn | data */
    assert_int_equal(pkt[0], VMBUS_PKT_DATA_GPA_DIRECT);
    assert_int_equal(pkt[2], (24 + 8 + 16 + 8 + 8) / 8);    /* offset8 */
    assert_int_equal(pkt[4] * 8, 24 + 8 + 16 + 8 + 8 + 8);  /* len8: data padded */
    assert_int_equal(pkt[6], VMBUS_PKT_FLAG_COMPLETION_REQUESTED);
    assert_int_equal(pkt[8], 0x77);
    assert_int_equal(u32_at(pkt, 20), 2);
    assert_int_equal(u32_at(pkt, 24), 4096);
    assert_int_equal(u32_at(pkt, 28), 512);
    assert_int_equal(u32_at(pkt, 32), 0x111);
    assert_int_equal(u32_at(pkt, 40), 0x112);
    assert_int_equal(u32_at(pkt, 48), 100);
    assert_int_equal(u32_at(pkt, 52), 0);
    assert_int_equal(u32_at(pkt, 56), 0x999);
    assert_memory_equal(pkt + 64, "cdb!", 4);
    /* Ranges whose frames do not match their byte window are refused. */
    bad.nr_pfns = 1;                        /* 512 + 4096 spans two frames */
    assert_int_equal(vmbus_send_gpa(s.ch, &bad, 1, "x", 1, 1), -XEN_EINVAL);
    bad.nr_pfns = 3;
    assert_int_equal(vmbus_send_gpa(s.ch, &bad, 1, "x", 1, 1), -XEN_EINVAL);
    bad = r[0];
    bad.offset = 4096;
    assert_int_equal(vmbus_send_gpa(s.ch, &bad, 1, "x", 1, 1), -XEN_EINVAL);
    bad = r[0];
    bad.len = 0;
    assert_int_equal(vmbus_send_gpa(s.ch, &bad, 1, "x", 1, 1), -XEN_EINVAL);
    assert_int_equal(vmbus_send_gpa(s.ch, r, 0, "x", 1, 1), -XEN_EINVAL);
    assert_int_equal(vmbus_send_gpa(s.ch, r, VMBUS_MAX_GPA_RANGES + 1, "x", 1, 1), -XEN_EINVAL);
}

static void test_xfer_header_and_msgsize(void **state)
{
    struct sink s;
    struct vmbus_pkt_info info;
    uint8_t hdr[16], small[4], buf[64];
    struct fh_chan *c;

    fh_connect();
    open_ch(&fh_type_b, &s);
    c = fh_chan(FH_RELID_B);
    assert_int_equal(fh_ring_put(c, VMBUS_PKT_DATA_XFER_PAGES, 5, "RANGES16RANGES16", 16,
                                 "payload", 7), 0);
    /* Too small for the payload: left in place, size reported. */
    assert_int_equal(vmbus_recv(s.ch, small, sizeof(small), &info), -XEN_EMSGSIZE);
    assert_int_equal(info.len, 8);
    assert_int_equal(info.hdr_len, 16);
    /* Too small for the header. */
    assert_int_equal(vmbus_recv_hdr(s.ch, hdr, 8, buf, sizeof(buf), &info), -XEN_EMSGSIZE);
    assert_int_equal(vmbus_recv_hdr(s.ch, hdr, sizeof(hdr), buf, sizeof(buf), &info), 0);
    assert_int_equal(info.type, VMBUS_PKT_DATA_XFER_PAGES);
    assert_int_equal(info.trans_id, 5);
    assert_memory_equal(hdr, "RANGES16RANGES16", 16);
    assert_memory_equal(buf, "payload", 7);
    assert_int_equal(vmbus_recv(s.ch, buf, sizeof(buf), &info), -XEN_EAGAIN);
}

static void test_signal_paths(void **state)
{
    struct sink sa, sb;
    const uint32_t *send_half;
    const uint32_t *pending;

    fh_connect();
    fh.no_echo = true;
    open_ch(&fh_type_a, &sa);
    open_ch(&fh_type_b, &sb);
    send_half = (const uint32_t *)(const void *)(vmbus_conn.int_page + 2048);
    pending = (const uint32_t *)(const void *)(vmbus_conn.monitor[1] + 8 + 8 * (FH_MONITOR_B / 32));

    /* Dedicated interrupt: HvSignalEvent on the offer's connection, no page bit. */
    assert_int_equal(vmbus_send(sa.ch, "a", 1, 1, false), 0);
    assert_int_equal(fh.signals, 1);
    assert_int_equal(fh.last_signal_conn, FH_CONN_A);
    assert_int_equal(send_half[FH_RELID_A / 32] & (1u << FH_RELID_A % 32), 0);
    /* Not empty before: no signal. */
    assert_int_equal(vmbus_send(sa.ch, "b", 1, 2, false), 0);
    assert_int_equal(fh.signals, 1);

    /* Monitored: the monitor page's pending bit and the page bit, no hypercall. */
    assert_int_equal(vmbus_send(sb.ch, "c", 1, 3, false), 0);
    assert_int_equal(fh.signals, 1);
    assert_int_not_equal(*pending & (1u << (FH_MONITOR_B % 32)), 0);
    assert_int_not_equal(send_half[FH_RELID_B / 32] & (1u << FH_RELID_B % 32), 0);

    /* Shared interrupt, not monitored: page bit and HvSignalEvent. */
    sb.ch->monitored = false;
    sb.ch->connection_id = 0x99;
    fh_service();
    fh.no_echo = false;
    fh_service();                                   /* the host drains: empty again */
    fh.no_echo = true;
    assert_int_equal(vmbus_send(sb.ch, "d", 1, 4, false), 0);
    assert_int_equal(fh.signals, 2);
    assert_int_equal(fh.last_signal_conn, 0x99);
}

static void test_events(void **state)
{
    static const uint32_t versions[] = { VMBUS_VERSION(5, 3), VMBUS_VERSION(2, 4),
                                         VMBUS_VERSION(1, 1) };

    for (unsigned int v = 0; v < ARRAY_SIZE(versions); v++) {
        struct sink s;
        struct fh_chan *c;

        fh_reset();
        fh.max_version = versions[v];
        fh_connect();
        open_ch(&fh_type_a, &s);
        c = fh_chan(FH_RELID_A);
        for (unsigned int i = 0; i < 3; i++)
            assert_int_equal(fh_ring_put(c, VMBUS_PKT_DATA_INBAND, i, NULL, 0, "xyz", 3), 0);
        fh_raise_event(FH_RELID_A);
        hv_synic_poll();
        /* One interrupt, every packet read, the ring masked while draining. */
        assert_int_equal(s.calls, 1);
        assert_int_equal(s.packets, 3);
        assert_int_equal(s.mask_seen, 1);
        assert_int_equal(c->h2g_hdr->interrupt_mask, 0);
        assert_int_equal(fh.event_flags[0], 0);     /* taken by the handler */
        if (versions[v] < VMBUS_VERSION(2, 4))
            assert_int_equal(((uint8_t *)fh_pa_to_va(fh.int_page_pa))[0], 0);
        /* A flag for a relid nobody opened is harmless. */
        fh.event_flags[0] |= 1ULL << 9;
        hv_synic_poll();
        assert_int_equal(s.calls, 1);
    }
}

/* A packet that arrives during the callback, after its last read, before the unmask. */
static struct fh_chan *race_chan;
static void racing_event(void *arg)
{
    struct sink *s = arg;

    on_event(arg);
    if (s->calls == 1)
        assert_int_equal(fh_ring_put(race_chan, VMBUS_PKT_DATA_INBAND, 9, NULL, 0, "late", 4), 0);
}

static void test_unmask_recheck(void **state)
{
    struct sink s;

    fh_connect();
    memset(&s, 0, sizeof(s));
    s.ch = vmbus_find(&fh_type_a, 0);
    assert_int_equal(vmbus_open(s.ch, RING_BYTES, RING_BYTES, racing_event, &s), 0);
    race_chan = fh_chan(FH_RELID_A);
    assert_int_equal(fh_ring_put(race_chan, VMBUS_PKT_DATA_INBAND, 1, NULL, 0, "first", 5), 0);
    fh_raise_event(FH_RELID_A);
    hv_synic_poll();
    /* The host saw the mask and did not signal; the re-check after unmask ran it again. */
    assert_int_equal(s.calls, 2);
    assert_int_equal(s.packets, 2);
}

/* vmbus_poll finds data in a ring even when no event flag was raised. */
static void test_poll_without_event(void **state)
{
    struct sink s;

    fh_connect();
    open_ch(&fh_type_a, &s);
    assert_int_equal(fh_ring_put(fh_chan(FH_RELID_A), VMBUS_PKT_DATA_INBAND, 3, NULL, 0,
                                 "quiet", 5), 0);
    vmbus_poll();
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.packets, 1);
    assert_memory_equal(s.last, "quiet", 5);
    vmbus_poll();                                   /* nothing new: no call */
    assert_int_equal(s.calls, 1);
}

static void test_close_and_refused_open(void **state)
{
    struct sink s;
    struct vmbus_channel *b;
    uint8_t *ring;

    fh_connect();
    open_ch(&fh_type_a, &s);
    ring = s.ch->ring_va;
    vmbus_close(s.ch);
    assert_int_equal(fh_count(CHANNELMSG_CLOSECHANNEL), 1);
    assert_int_equal(u32_at(fh_last(CHANNELMSG_CLOSECHANNEL)->b, 8), FH_RELID_A);
    assert_int_equal(fh_last(CHANNELMSG_CLOSECHANNEL)->len, 12);
    assert_int_equal(fh_count(CHANNELMSG_GPADL_TEARDOWN), 1);
    assert_null(fh_chan(FH_RELID_A));
    assert_int_equal(vmbus_send(s.ch, "x", 1, 1, false), -XEN_EIO);
    /* Re-open reuses the ring memory the host gave back. */
    assert_int_equal(vmbus_open(s.ch, RING_BYTES, RING_BYTES, on_event, &s), 0);
    assert_ptr_equal(s.ch->ring_va, ring);

    b = vmbus_find(&fh_type_b, 0);
    fh.open_status = 0xc0000001;
    assert_int_equal(vmbus_open(b, RING_BYTES, RING_BYTES, on_event, &s), -XEN_EIO);
    assert_false(b->open);
    assert_int_equal(fh_count(CHANNELMSG_GPADL_TEARDOWN), 2);     /* its GPADL taken back */
    fh.open_status = 0;
    fh_set_mem_limit(0);
    vmbus_close(s.ch);
    assert_int_equal(vmbus_open(b, 8 * 4096, RING_BYTES, on_event, &s), -XEN_ENOMEM);
}

static void test_rescind(void **state)
{
    struct sink s;
    struct vmbus_msg_rescind_offer r = { .hdr.msgtype = CHANNELMSG_RESCIND_CHANNELOFFER };
    struct vmbus_channel *b;
    uint8_t buf[16];

    fh_connect();
    open_ch(&fh_type_a, &s);
    /* Rescind of an open channel: dead, its callback told once, released at close. */
    r.child_relid = FH_RELID_A;
    fh_queue(&r, sizeof(r));
    hv_synic_poll();
    assert_true(s.ch->dead);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.eio, 1);
    assert_null(vmbus_find(&fh_type_a, 0));
    assert_int_equal(vmbus_send(s.ch, "x", 1, 1, false), -XEN_EIO);
    assert_int_equal(vmbus_recv(s.ch, buf, sizeof(buf), &s.info), -XEN_EIO);
    hv_synic_poll();
    vmbus_poll();
    assert_int_equal(s.calls, 1);
    assert_int_equal(fh.released_relid, 0);
    vmbus_close(s.ch);
    assert_int_equal(fh.released_relid, FH_RELID_A);
    assert_int_equal(fh_count(CHANNELMSG_CLOSECHANNEL), 0);     /* the host forgot it */
    assert_int_equal(fh_count(CHANNELMSG_GPADL_TEARDOWN), 0);
    /* Rescind of a closed channel: released at once. */
    b = vmbus_find(&fh_type_b, 0);
    r.child_relid = FH_RELID_B;
    vmbus_handle_message(&r, sizeof(r));
    assert_int_equal(fh.released_relid, FH_RELID_B);
    assert_int_equal(vmbus_open(b, RING_BYTES, RING_BYTES, on_event, &s), -XEN_EIO);
    assert_non_null(strstr(fh.log, "relid 7 rescinded"));
}

static void test_host_breaks_ring(void **state)
{
    struct sink s;
    struct fh_chan *c;

    fh_connect();
    open_ch(&fh_type_a, &s);
    c = fh_chan(FH_RELID_A);
    c->h2g_hdr->write_index = c->h2g_size + 8;      /* past the end */
    fh_raise_event(FH_RELID_A);
    hv_synic_poll();
    assert_true(s.ch->dead);
    assert_int_equal(s.calls, 2);                   /* the failing read, then the notice */
    assert_int_equal(s.eio, 2);
    assert_non_null(strstr(fh.log, "broke a ring"));
    assert_int_equal(vmbus_send(s.ch, "x", 1, 1, false), -XEN_EIO);
    hv_synic_poll();
    vmbus_poll();
    assert_int_equal(s.calls, 2);
    /* Closing a broken channel still hands its rings back. */
    vmbus_close(s.ch);
    assert_int_equal(fh_count(CHANNELMSG_CLOSECHANNEL), 1);
    assert_int_equal(fh_count(CHANNELMSG_GPADL_TEARDOWN), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_open_message, setup),
        cmocka_unit_test_setup(test_echo_and_completion, setup),
        cmocka_unit_test_setup(test_gpa_direct, setup),
        cmocka_unit_test_setup(test_xfer_header_and_msgsize, setup),
        cmocka_unit_test_setup(test_signal_paths, setup),
        cmocka_unit_test_setup(test_events, setup),
        cmocka_unit_test_setup(test_unmask_recheck, setup),
        cmocka_unit_test_setup(test_poll_without_event, setup),
        cmocka_unit_test_setup(test_close_and_refused_open, setup),
        cmocka_unit_test_setup(test_rescind, setup),
        cmocka_unit_test_setup(test_host_breaks_ring, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
