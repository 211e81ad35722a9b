// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the VMBus channel ring (shim/platform/viridian/vmbus-ring.c)
 * against the fake host's independent ring code: packets at every 8-byte
 * start offset with every padding, wrapping at the end of the data area;
 * a packet that exactly fills the ring; a full ring; hostile indices and
 * descriptors from the host; and both signalling rules (empty -> non-empty
 * on write, pending_send_sz on read) and interrupt masking.
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

#define RING_PAGES 2
#define DATA_SIZE  ((RING_PAGES - 1) * 4096u)

struct rig {
    uint8_t *mem;
    struct vmbus_ring r;        /* the client's view */
    struct fh_chan c;           /* the host's view of the same ring */
};

static struct rig *rig_new(void)
{
    struct rig *g = calloc(1, sizeof(*g));

    assert_non_null(g);
    g->mem = aligned_alloc(4096, RING_PAGES * 4096);
    assert_non_null(g->mem);
    memset(g->mem, 0, RING_PAGES * 4096);
    assert_int_equal(vmbus_ring_init(&g->r, g->mem, RING_PAGES * 4096), 0);
    /* The same memory serves as send ring (g2h) and receive ring (h2g). */
    g->c.g2h_hdr = g->c.h2g_hdr = (struct vmbus_ring_hdr *)g->mem;
    g->c.g2h = g->c.h2g = g->mem + 4096;
    g->c.g2h_size = g->c.h2g_size = DATA_SIZE;
    return g;
}

static void rig_free(struct rig *g)
{
    free(g->mem);
    free(g);
}

/* An empty ring whose indices both stand at pos. */
static void rig_at(struct rig *g, uint32_t pos)
{
    g->r.priv = pos;
    g->r.cur_len = 0;
    g->r.hdr->read_index = pos;
    g->r.hdr->write_index = pos;
}

/* Client writes desc + payload of len bytes filled with seed. */
static int client_send(struct rig *g, uint32_t len, uint8_t seed, bool *signal)
{
    static uint8_t payload[8192];
    struct vmbus_pkt_desc d = { .type = VMBUS_PKT_DATA_INBAND, .offset8 = 2,
                                .len8 = (uint16_t)((16 + len + 7) / 8), .trans_id = seed };
    struct vmbus_iov iov[2] = { { &d, sizeof(d) }, { payload, len } };

    for (uint32_t i = 0; i < len; i++)
        payload[i] = (uint8_t)(seed + i);
    return vmbus_ring_write(&g->r, iov, 2, signal);
}

static void test_init_and_arith(void **state)
{
    struct vmbus_ring r;
    uint8_t *mem = aligned_alloc(4096, 3 * 4096);

    assert_non_null(mem);
    memset(mem, 0xff, 3 * 4096);
    assert_int_equal(vmbus_ring_init(&r, mem, 4096), -XEN_EINVAL);
    assert_int_equal(vmbus_ring_init(&r, mem, 2 * 4096 + 8), -XEN_EINVAL);
    assert_int_equal(vmbus_ring_init(&r, mem, 3 * 4096), 0);
    assert_int_equal(r.size, 2 * 4096);
    assert_ptr_equal(r.data, mem + 4096);
    assert_int_equal(r.hdr->write_index, 0);
    assert_int_equal(r.hdr->read_index, 0);
    assert_int_equal(r.hdr->interrupt_mask, 0);
    assert_int_equal(r.hdr->pending_send_sz, 0);
    assert_int_equal(r.hdr->feature_bits, VMBUS_RING_FEAT_PENDING_SEND_SZ);
    /* Room and fill across the wrap. */
    assert_int_equal(vmbus_ring_room(0, 0, 4096), 4096);
    assert_int_equal(vmbus_ring_room(100, 4000, 4096), 196);
    assert_int_equal(vmbus_ring_room(4000, 100, 4096), 3900);
    assert_int_equal(vmbus_ring_used(4000, 100, 4096), 196);
    assert_int_equal(vmbus_ring_used(100, 4000, 4096), 3900);
    assert_int_equal(vmbus_ring_used(8, 8, 4096), 0);
    free(mem);
}

/* Both directions, every start offset, payloads with every padding. */
static void test_wrap_every_alignment(void **state)
{
    struct rig *g = rig_new();
    uint8_t got[256], want[256];

    for (uint32_t start = 0; start < DATA_SIZE; start += 8) {
        for (uint32_t len = 0; len <= 41; len++) {
            struct vmbus_pkt_desc d;
            uint32_t n;
            bool sig;

            /* Client -> host. */
            rig_at(g, start);
            assert_int_equal(client_send(g, len, (uint8_t)start, &sig), 0);
            assert_true(sig);
            assert_int_equal(g->r.hdr->write_index,
                             (start + 16 + ALIGN_UP(len, 8) + 8) % DATA_SIZE);
            assert_int_equal(fh_ring_get(&g->c, got, sizeof(got), &n), 0);
            assert_int_equal(n, 16 + ALIGN_UP(len, 8));
            for (uint32_t i = 0; i < len; i++)
                assert_int_equal(got[16 + i], (uint8_t)(start + i));
            for (uint32_t i = len; i < ALIGN_UP(len, 8); i++)
                assert_int_equal(got[16 + i], 0);           /* zero padding */

            /* Host -> client, with a 8-byte type header before the payload. */
            rig_at(g, start);
            for (uint32_t i = 0; i < len; i++)
                want[i] = (uint8_t)(len * 3 + i);
            assert_int_equal(fh_ring_put(&g->c, VMBUS_PKT_DATA_XFER_PAGES, start,
                                         "HDR-8-BY", 8, want, len), 0);
            assert_int_equal(vmbus_ring_peek(&g->r, &d), 0);
            assert_int_equal(d.type, VMBUS_PKT_DATA_XFER_PAGES);
            assert_int_equal(d.trans_id, start);
            assert_int_equal(d.offset8, 3);
            assert_int_equal(vmbus_ring_read(&g->r, 16, got, 8), 0);
            assert_memory_equal(got, "HDR-8-BY", 8);
            assert_int_equal(vmbus_ring_read(&g->r, 24, got, len), 0);
            if (len)
                assert_memory_equal(got, want, len);
            /* Reads stay inside the packet. */
            assert_int_equal(vmbus_ring_read(&g->r, 24, got, (uint32_t)ALIGN_UP(len, 8) + 1),
                             -XEN_EINVAL);
            vmbus_ring_consume(&g->r);
            assert_int_equal(g->r.hdr->read_index, g->r.hdr->write_index);
            assert_int_equal(vmbus_ring_peek(&g->r, &d), -XEN_EAGAIN);
        }
    }
    assert_int_equal(fh.bad_trailers, 0);
    rig_free(g);
}

static void test_exact_fill(void **state)
{
    struct rig *g = rig_new();
    uint8_t buf[DATA_SIZE];
    struct vmbus_pkt_desc d;
    uint32_t n;
    bool sig;

    for (uint32_t start = 0; start < DATA_SIZE; start += 8 * 37) {
        /* The biggest packet leaves exactly the 8 bytes that keep full != empty. */
        rig_at(g, start);
        assert_int_equal(client_send(g, DATA_SIZE - 16 - 16, 1, &sig), 0);
        assert_int_equal(vmbus_ring_room(g->r.hdr->read_index, g->r.hdr->write_index,
                                         DATA_SIZE), 8);
        assert_int_equal(client_send(g, 0, 2, &sig), -XEN_EAGAIN);
        assert_int_equal(fh_ring_get(&g->c, buf, sizeof(buf), &n), 0);
        assert_int_equal(n, DATA_SIZE - 16);
        /* Eight bytes more can never fit. */
        rig_at(g, start);
        assert_int_equal(client_send(g, DATA_SIZE - 16 - 8, 1, &sig), -XEN_EINVAL);

        /* Host side: a packet plus trailer that is exactly all the data written. */
        rig_at(g, start);
        assert_int_equal(fh_ring_put(&g->c, VMBUS_PKT_DATA_INBAND, 9, NULL, 0, buf,
                                     DATA_SIZE - 16 - 16), 0);
        assert_int_equal(vmbus_ring_peek(&g->r, &d), 0);
        assert_int_equal(d.len8 * 8u, DATA_SIZE - 16);
        vmbus_ring_consume(&g->r);
    }
    /* Room exactly the packet: refused; the packet plus 8: accepted. */
    rig_at(g, 0);
    g->r.hdr->read_index = 16 + 8 + 8;          /* room = 32 */
    assert_int_equal(client_send(g, 8, 1, &sig), -XEN_EAGAIN);    /* needs 32 */
    g->r.hdr->read_index = 16 + 8 + 8 + 8;      /* room = 40 */
    assert_int_equal(client_send(g, 8, 1, &sig), 0);
    rig_free(g);
}

static void test_full_ring(void **state)
{
    struct rig *g = rig_new();
    uint8_t buf[512];
    unsigned int sent = 0;
    uint32_t n;
    bool sig;
    int rc;

    while ((rc = client_send(g, 100, (uint8_t)sent, &sig)) == 0)
        sent++;
    assert_int_equal(rc, -XEN_EAGAIN);
    assert_int_equal(sent, DATA_SIZE / (16 + 104 + 8) - (DATA_SIZE % 128 == 0));
    assert_int_equal(fh_ring_get(&g->c, buf, sizeof(buf), &n), 0);
    assert_int_equal(client_send(g, 100, 0, &sig), 0);
    assert_false(sig);              /* the host still has packets to read */
    assert_false(g->r.broken);
    rig_free(g);
}

/* A raw host packet at the client's read position; then publish write_index. */
static void host_raw(struct rig *g, uint16_t offset8, uint16_t len8, uint32_t write_index)
{
    struct vmbus_pkt_desc d = { .type = VMBUS_PKT_DATA_INBAND, .offset8 = offset8, .len8 = len8 };

    memcpy(g->c.h2g + g->r.priv, &d, sizeof(d));
    g->r.hdr->write_index = write_index;
}

static void expect_broken(struct rig *g)
{
    struct vmbus_pkt_desc d;
    bool sig;

    assert_int_equal(vmbus_ring_peek(&g->r, &d), -XEN_EIO);
    assert_true(g->r.broken);
    /* Broken for good: even a repaired ring stays refused. */
    rig_at(g, 0);
    assert_int_equal(vmbus_ring_peek(&g->r, &d), -XEN_EIO);
    assert_int_equal(client_send(g, 8, 1, &sig), -XEN_EIO);
    assert_int_equal(vmbus_ring_read(&g->r, 0, &d, 1), -XEN_EIO);
    assert_false(vmbus_ring_consume(&g->r));
}

static void test_hostile_receive(void **state)
{
    static const struct { uint16_t off8, len8; uint32_t wr; } cases[] = {
        { 2, 4, DATA_SIZE },            /* write index past the end */
        { 2, 4, DATA_SIZE + 4096 },
        { 2, 4, 36 },                   /* write index not 8-byte aligned */
        { 2, 4, 16 },                   /* less than a descriptor and trailer */
        { 2, 5, 40 },                   /* len8 past the data written */
        { 2, 4, 32 },                   /* no room for the trailer */
        { 5, 4, 40 },                   /* offset8 > len8 */
        { 1, 4, 40 },                   /* offset8 inside the descriptor */
        { 2, 1, 40 },                   /* len8 shorter than the descriptor */
        { 2, 0, 40 },
        { 0xffff, 0xffff, DATA_SIZE - 8 },
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct rig *g = rig_new();

        host_raw(g, cases[i].off8, cases[i].len8, cases[i].wr);
        expect_broken(g);
        rig_free(g);
    }
    /* The same at the wrap: a descriptor split over the end, len8 too long. */
    {
        struct rig *g = rig_new();
        struct vmbus_pkt_desc d = { .offset8 = 2, .len8 = 4 };

        rig_at(g, DATA_SIZE - 8);
        memcpy(g->c.h2g + DATA_SIZE - 8, &d, 8);
        memcpy(g->c.h2g, (uint8_t *)&d + 8, 8);
        g->r.hdr->write_index = 24;             /* 32 bytes written, 40 needed */
        expect_broken(g);
        rig_free(g);
    }
}

static void test_hostile_send(void **state)
{
    struct rig *g = rig_new();
    bool sig;

    g->r.hdr->read_index = DATA_SIZE;
    assert_int_equal(client_send(g, 8, 1, &sig), -XEN_EIO);
    assert_true(g->r.broken);
    rig_free(g);

    g = rig_new();
    g->r.hdr->read_index = 12;
    assert_int_equal(client_send(g, 8, 1, &sig), -XEN_EIO);
    rig_free(g);

    /* The host rewriting the client's own index moves nothing. */
    g = rig_new();
    assert_int_equal(client_send(g, 8, 1, &sig), 0);
    g->r.hdr->write_index = 1234;
    assert_int_equal(client_send(g, 8, 2, &sig), 0);
    assert_int_equal(g->r.hdr->write_index, 2 * (16 + 8 + 8));
    rig_free(g);
}

static void test_signal_on_write(void **state)
{
    struct rig *g = rig_new();
    uint8_t buf[64];
    uint32_t n;
    bool sig;

    assert_int_equal(client_send(g, 8, 1, &sig), 0);
    assert_true(sig);                           /* empty -> non-empty */
    assert_int_equal(client_send(g, 8, 2, &sig), 0);
    assert_false(sig);                          /* the host has not caught up */
    assert_int_equal(fh_ring_get(&g->c, buf, sizeof(buf), &n), 0);
    assert_int_equal(fh_ring_get(&g->c, buf, sizeof(buf), &n), 0);
    g->r.hdr->interrupt_mask = 1;               /* the host is polling */
    assert_int_equal(client_send(g, 8, 3, &sig), 0);
    assert_false(sig);
    assert_int_equal(fh_ring_get(&g->c, buf, sizeof(buf), &n), 0);
    g->r.hdr->interrupt_mask = 0;
    assert_int_equal(client_send(g, 8, 4, &sig), 0);
    assert_true(sig);
    rig_free(g);
}

/* Fill the host's ring until it has room bytes left, the client then reads one packet. */
static bool read_one_with(struct rig *g, uint32_t pending, bool feature)
{
    struct vmbus_pkt_desc d;
    uint8_t pkt[104];

    rig_at(g, 0);
    g->r.hdr->feature_bits = feature ? VMBUS_RING_FEAT_PENDING_SEND_SZ : 0;
    /* 128-byte packets (16 + 104 + trailer 8) until the ring is full. */
    while (!fh_ring_put(&g->c, VMBUS_PKT_DATA_INBAND, 1, NULL, 0, pkt, sizeof(pkt)))
        ;
    g->r.hdr->pending_send_sz = pending;
    assert_int_equal(vmbus_ring_peek(&g->r, &d), 0);
    return vmbus_ring_consume(&g->r);
}

static void test_signal_on_read(void **state)
{
    struct rig *g = rig_new();
    /* A full 4096-byte ring of 128-byte packets has room 128 (31 packets). */
    assert_false(read_one_with(g, 0, true));        /* nobody waits */
    assert_true(read_one_with(g, 200, true));       /* 128 -> 256 crosses 200 */
    assert_false(read_one_with(g, 100, true));      /* had enough before */
    assert_false(read_one_with(g, 128, false));     /* pre-Win8 host polls */
    assert_true(read_one_with(g, 128, true));       /* exactly 128 counted as blocked */
    assert_false(read_one_with(g, 256, true));      /* 256 still not more than 256 */
    assert_false(read_one_with(g, 1000, true));     /* still blocked after the read */
    rig_free(g);
}

static void test_mask_unmask(void **state)
{
    struct rig *g = rig_new();
    struct vmbus_pkt_desc d;

    vmbus_ring_mask(&g->r);
    assert_int_equal(g->r.hdr->interrupt_mask, 1);
    assert_false(vmbus_ring_unmask(&g->r));
    assert_int_equal(g->r.hdr->interrupt_mask, 0);
    vmbus_ring_mask(&g->r);
    /* Data arriving while masked is reported at the unmask: no signal will come. */
    assert_int_equal(fh_ring_put(&g->c, VMBUS_PKT_DATA_INBAND, 1, NULL, 0, "x", 1), 0);
    assert_true(vmbus_ring_unmask(&g->r));
    assert_true(vmbus_ring_pending(&g->r));
    assert_int_equal(vmbus_ring_peek(&g->r, &d), 0);
    vmbus_ring_consume(&g->r);
    assert_false(vmbus_ring_pending(&g->r));
    rig_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_arith),
        cmocka_unit_test(test_wrap_every_alignment),
        cmocka_unit_test(test_exact_fill),
        cmocka_unit_test(test_full_ring),
        cmocka_unit_test(test_hostile_receive),
        cmocka_unit_test(test_hostile_send),
        cmocka_unit_test(test_signal_on_write),
        cmocka_unit_test(test_signal_on_read),
        cmocka_unit_test(test_mask_unmask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
