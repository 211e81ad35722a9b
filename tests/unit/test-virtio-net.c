// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shim/platform/pc/virtio-net-buf.c, the pure half of the
 * virtio-net provider: transmit checks, the virtio_net_hdr for each offload,
 * the software checksum over fragments (RFC 1071 vectors, every split of a
 * buffer), the checksum splice layout (every field position across cut
 * points, rebuilt byte by byte) and received-header checks. The receive
 * buffer ring is in test-virtio-net-rx.c. Host pointers stand in for
 * machine addresses (the map function is identity).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../shim/platform/pc/virtio-net-buf.h"
#include <xen/errno.h>

static const void *map_host(paddr_t a) { return (const void *)(uintptr_t)a; }
static paddr_t pa_of(const void *p) { return (paddr_t)(uintptr_t)p; }

static uint8_t *frame_mem;      /* 8 page-aligned 4 KiB frames */

static int setup(void **state)
{
    frame_mem = aligned_alloc(PAGE_SIZE, 8 * PAGE_SIZE);
    return frame_mem ? 0 : -1;
}

static int teardown(void **state)
{
    free(frame_mem);
    return 0;
}

static const struct plat_net_info info_plain = { .mtu = 1500, .max_frags = 4 };
static const struct plat_net_info info_tso = { .mtu = 1500, .max_frags = 4, .tx_csum = true,
                                               .tso4 = true };

static int check(const struct plat_net_info *in, const struct plat_net_frag *f, uint32_t n,
                 struct plat_net_offload o, uint32_t *total)
{
    struct plat_net_tx_req r = { .frags = f, .nr_frags = n, .offload = o };
    uint32_t t = 0;
    int rc = vnet_tx_check(in, &r, &t);

    if (total)
        *total = t;
    return rc;
}

static void test_hdr_is_12_bytes(void **state)
{
    assert_int_equal(sizeof(struct virtio_net_hdr), 12);
    assert_int_equal(offsetof(struct virtio_net_hdr, hdr_len), 2);
    assert_int_equal(offsetof(struct virtio_net_hdr, csum_start), 6);
    assert_int_equal(offsetof(struct virtio_net_hdr, num_buffers), 10);
}

static void test_tx_check(void **state)
{
    paddr_t p = pa_of(frame_mem);
    struct plat_net_frag f[5] = { { p, 1000 }, { p + PAGE_SIZE, 518 }, { p, 1 }, { p, 1 },
                                  { p, 1 } };
    struct plat_net_offload csum = { .needs_csum = true, .csum_start = 34, .csum_offset = 6 };
    struct plat_net_offload gso = { .needs_csum = true, .csum_start = 34, .csum_offset = 16,
                                    .gso_type = PLAT_NET_GSO_TCPV4, .gso_size = 1448 };
    struct plat_net_offload o;
    uint32_t total;

    assert_int_equal(check(&info_plain, f, 2, (struct plat_net_offload){ 0 }, &total), 0);
    assert_int_equal(total, 1518);                      /* mtu + Ethernet + VLAN */
    f[1].len = 519;
    assert_int_equal(check(&info_plain, f, 2, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    f[1].len = 518;
    assert_int_equal(check(&info_plain, f, 0, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    assert_int_equal(check(&info_plain, NULL, 1, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    assert_int_equal(check(&info_plain, f, 5, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    f[2] = (struct plat_net_frag){ p + 100, 0 };        /* empty fragment */
    assert_int_equal(check(&info_plain, f, 3, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    f[2] = (struct plat_net_frag){ p + 4000, 97 };      /* crosses a frame */
    assert_int_equal(check(&info_plain, f + 2, 1, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    f[2] = (struct plat_net_frag){ p + 4000, 13 };      /* runt */
    assert_int_equal(check(&info_plain, f + 2, 1, (struct plat_net_offload){ 0 }, NULL), -XEN_EINVAL);
    f[2].len = 14;
    assert_int_equal(check(&info_plain, f + 2, 1, (struct plat_net_offload){ 0 }, NULL), 0);

    /* Checksum field inside the frame, csum_start past the Ethernet header. */
    assert_int_equal(check(&info_plain, f, 1, csum, NULL), 0);
    o = csum;
    o.csum_offset = 1000 - 34 - 2;
    assert_int_equal(check(&info_plain, f, 1, o, NULL), 0);
    o.csum_offset++;
    assert_int_equal(check(&info_plain, f, 1, o, NULL), -XEN_EINVAL);
    o = csum;
    o.csum_start = 13;
    assert_int_equal(check(&info_plain, f, 1, o, NULL), -XEN_EINVAL);

    /* GSO: only when offered, only with a TCP checksum and an MSS. */
    assert_int_equal(check(&info_plain, f, 1, gso, NULL), -XEN_EOPNOTSUPP);
    assert_int_equal(check(&info_tso, f, 1, gso, NULL), 0);
    o = gso;
    o.gso_type = PLAT_NET_GSO_TCPV6;
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EOPNOTSUPP);
    o = gso;
    o.needs_csum = false;
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EINVAL);
    o = gso;
    o.gso_size = 0;
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EINVAL);
    o = gso;
    o.csum_offset = 6;
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EINVAL);
    o = gso;
    o.hdr_len = 34;                                     /* not past csum_start */
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EINVAL);
    o = gso;
    o.gso_type = 7;
    assert_int_equal(check(&info_tso, f, 1, o, NULL), -XEN_EINVAL);
    for (unsigned int i = 0; i < 4; i++)                /* GSO may exceed the MTU */
        f[i] = (struct plat_net_frag){ p + i * PAGE_SIZE, PAGE_SIZE };
    assert_int_equal(check(&info_tso, f, 4, gso, &total), 0);
    assert_int_equal(total, 4 * PAGE_SIZE);
}

static void test_hdr_tx(void **state)
{
    struct plat_net_offload o = { .needs_csum = true, .csum_start = 34, .csum_offset = 16,
                                  .gso_type = PLAT_NET_GSO_TCPV6, .gso_size = 1400 };
    struct virtio_net_hdr h;

    memset(&h, 0xaa, sizeof(h));
    vnet_hdr_tx(&h, &(struct plat_net_offload){ 0 }, true, 0);
    assert_memory_equal(&h, &(struct virtio_net_hdr){ 0 }, sizeof(h));
    vnet_hdr_tx(&h, &o, true, 66);
    assert_int_equal(h.flags, VNET_HDR_F_NEEDS_CSUM);
    assert_int_equal(h.csum_start, 34);
    assert_int_equal(h.csum_offset, 16);
    assert_int_equal(h.gso_type, VNET_HDR_GSO_TCPV6);
    assert_int_equal(h.gso_size, 1400);
    assert_int_equal(h.hdr_len, 66);
    assert_int_equal(h.num_buffers, 0);
    o.gso_type = PLAT_NET_GSO_TCPV4;
    vnet_hdr_tx(&h, &o, true, 54);
    assert_int_equal(h.gso_type, VNET_HDR_GSO_TCPV4);
    /* Software checksum: the device is asked for nothing. */
    o = (struct plat_net_offload){ .needs_csum = true, .csum_start = 34, .csum_offset = 6 };
    vnet_hdr_tx(&h, &o, false, 0);
    assert_memory_equal(&h, &(struct virtio_net_hdr){ 0 }, sizeof(h));
}

static void test_gso_hdr_len(void **state)
{
    uint8_t *p = frame_mem;
    struct plat_net_frag f[2] = { { pa_of(p), 40 }, { pa_of(p + PAGE_SIZE), 100 } };
    struct plat_net_offload o = { .csum_start = 34 };

    p[PAGE_SIZE + 6] = 0x50;                            /* byte 46 = 34 + 12: doff 5 */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 140, &o, map_host), 54);
    p[PAGE_SIZE + 6] = 0x80;                            /* doff 8: options */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 140, &o, map_host), 66);
    p[PAGE_SIZE + 6] = 0x40;                            /* doff below 5 */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 140, &o, map_host), 0);
    p[PAGE_SIZE + 6] = 0xf0;                            /* 60 bytes: past the frame */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 80, &o, map_host), 0);
    o.csum_start = 130;                                 /* doff byte past the end */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 140, &o, map_host), 0);
    o.hdr_len = 77;                                     /* the caller's wins */
    assert_int_equal(vnet_gso_hdr_len(f, 2, 140, &o, map_host), 77);
}

static void test_csum_vectors(void **state)
{
    /* RFC 1071, 3: the sum of these words is ddf2, its complement 220d. */
    static const uint8_t rfc[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    static const uint8_t ones[4] = { 0xff, 0xff, 0x12, 0x34 };
    uint8_t *p = frame_mem;
    struct plat_net_frag f = { pa_of(p), 8 };

    memcpy(p, rfc, 8);
    assert_int_equal(vnet_frags_csum(&f, 1, 0, map_host), 0x220d);
    memcpy(p, ones, 4);                                 /* sum ffff: 0 becomes ffff */
    f.len = 2;
    assert_int_equal(vnet_frags_csum(&f, 1, 0, map_host), 0xffff);
    f.len = 4;                                          /* start skips bytes */
    assert_int_equal(vnet_frags_csum(&f, 1, 2, map_host), (uint16_t)~0x1234);
    f.len = 3;                                          /* odd tail pads with 0 */
    assert_int_equal(vnet_frags_csum(&f, 1, 2, map_host), (uint16_t)~0x1200);
}

/* The RFC 1071 sum the obvious way: big-endian words, a byte at a time. */
static uint16_t csum_reference(const uint8_t *p, uint32_t len)
{
    uint64_t sum = 0;

    for (uint32_t k = 0; k < len; k++)
        sum += (k & 1) ? p[k] : (uint32_t)p[k] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    sum = ~sum & 0xffff;
    return sum ? (uint16_t)sum : 0xffff;
}

/* Random frames, lengths, starts and alignments: the same as the reference. */
static void test_csum_matches_reference(void **state)
{
    uint8_t *p = frame_mem + 3;

    srand(11);
    for (unsigned int round = 0; round < 2000; round++) {
        uint32_t len = 1 + (uint32_t)rand() % 1600, start = (uint32_t)rand() % len;
        struct plat_net_frag f = { pa_of(p), len };

        for (uint32_t i = 0; i < len; i++)
            p[i] = round & 1 ? 0xff : (uint8_t)rand();      /* all-ones frames carry */
        assert_int_equal(vnet_frags_csum(&f, 1, start, map_host),
                         csum_reference(p + start, len - start));
    }
}

/* Every split of a buffer in 1-3 fragments sums as the whole. */
static void test_csum_any_split(void **state)
{
    uint8_t *p = frame_mem;
    const unsigned int len = 301;
    uint16_t want;

    srand(7);
    for (unsigned int i = 0; i < len; i++)
        p[i] = (uint8_t)rand();
    for (unsigned int start = 0; start < 40; start += 7) {
        struct plat_net_frag whole = { pa_of(p), len };

        want = vnet_frags_csum(&whole, 1, start, map_host);
        for (unsigned int a = 1; a < len; a += 3) {
            for (unsigned int b = a + 1; b < len; b += 37) {
                /* The same bytes from other frames, at other alignments. */
                uint8_t *q1 = frame_mem + PAGE_SIZE + 1, *q2 = frame_mem + 2 * PAGE_SIZE + 2;
                struct plat_net_frag f[3] = { { pa_of(p), a }, { pa_of(q1), b - a },
                                              { pa_of(q2), len - b } };

                memcpy(q1, p + a, b - a);
                memcpy(q2, p + b, len - b);
                assert_int_equal(vnet_frags_csum(f, 3, start, map_host), want);
            }
        }
    }
}

static void test_frags_read(void **state)
{
    uint8_t *p = frame_mem, out[8];
    struct plat_net_frag f[2] = { { pa_of(p + 10), 3 }, { pa_of(p + PAGE_SIZE), 5 } };

    memcpy(p + 10, "abc", 3);
    memcpy(p + PAGE_SIZE, "defgh", 5);
    assert_int_equal(vnet_frags_read(f, 2, 1, out, 6, map_host), 0);
    assert_memory_equal(out, "bcdefg", 6);
    assert_int_equal(vnet_frags_read(f, 2, 4, out, 4, map_host), 0);
    assert_memory_equal(out, "efgh", 4);
    assert_int_equal(vnet_frags_read(f, 2, 5, out, 4, map_host), -XEN_EINVAL);
}

/* Rebuild the bytes a device would read from out[n]. */
static size_t gather(const struct virtq_buf *out, int n, uint8_t *dst)
{
    size_t k = 0;

    for (int i = 0; i < n; i++) {
        memcpy(dst + k, map_host(out[i].addr), out[i].len);
        k += out[i].len;
    }
    return k;
}

static void test_tx_layout(void **state)
{
    uint8_t *src = frame_mem, want[600], got[600], patch[2] = { 0xc5, 0x3a };
    struct virtq_buf out[8];
    int n;

    srand(11);
    for (unsigned int i = 0; i < 600; i++)
        src[i] = (uint8_t)rand();
    /* No splice: the fragments unchanged. */
    {
        struct plat_net_frag f[2] = { { pa_of(src), 10 }, { pa_of(src + 10), 20 } };

        n = vnet_tx_layout(f, 2, UINT32_MAX, pa_of(patch), out, 8);
        assert_int_equal(n, 2);
        assert_int_equal(out[1].addr, pa_of(src + 10));
        assert_int_equal(vnet_tx_layout(f, 2, UINT32_MAX, 0, out, 1), -XEN_EINVAL);
    }
    /* Every field position, fragments cut at every pair of points. */
    for (unsigned int a = 1; a < 40; a++) {
        for (unsigned int b = a + 1; b < 50; b++) {
            struct plat_net_frag f[3] = { { pa_of(src), a }, { pa_of(src + a), b - a },
                                          { pa_of(src + b), 60 - b } };

            for (uint32_t s = 0; s + 2 <= 60; s++) {
                memcpy(want, src, 60);
                memcpy(want + s, patch, 2);
                n = vnet_tx_layout(f, 3, s, pa_of(patch), out, 8);
                assert_true(n >= 2 && n <= 6);  /* a 1-byte piece can vanish */
                for (int i = 0; i < n; i++)
                    assert_true(out[i].len > 0);
                assert_int_equal(gather(out, n, got), 60);
                assert_memory_equal(got, want, 60);
            }
        }
    }
    /* Not enough room for the extra pieces. */
    {
        struct plat_net_frag f[1] = { { pa_of(src), 60 } };

        assert_int_equal(vnet_tx_layout(f, 1, 30, pa_of(patch), out, 2), -XEN_EINVAL);
        assert_int_equal(vnet_tx_layout(f, 1, 30, pa_of(patch), out, 3), 3);
    }
}

static void test_rx_parse(void **state)
{
    struct virtio_net_hdr h = { 0 };
    struct plat_net_rx_meta m;

    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), 0);
    assert_int_equal(m.flags, 0);
    h.num_buffers = 1;
    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), 0);
    assert_int_equal(vnet_rx_parse(&h, 13, true, &m), -XEN_EINVAL);      /* runt */
    h.num_buffers = 2;                                  /* no MRG_RXBUF */
    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), -XEN_EINVAL);
    h = (struct virtio_net_hdr){ .gso_type = VNET_HDR_GSO_TCPV4 };         /* no GUEST_TSO */
    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), -XEN_EINVAL);
    h = (struct virtio_net_hdr){ .flags = VNET_HDR_F_DATA_VALID };
    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), 0);
    assert_int_equal(m.flags, PLAT_NET_RX_CSUM_VALID);
    assert_int_equal(vnet_rx_parse(&h, 60, false, &m), 0);                /* not negotiated */
    assert_int_equal(m.flags, 0);
    h = (struct virtio_net_hdr){ .flags = VNET_HDR_F_NEEDS_CSUM, .csum_start = 34,
                                 .csum_offset = 6 };
    assert_int_equal(vnet_rx_parse(&h, 42, true, &m), 0);
    assert_int_equal(m.flags, PLAT_NET_RX_NEEDS_CSUM);
    assert_int_equal(m.csum_start, 34);
    assert_int_equal(m.csum_offset, 6);
    assert_int_equal(vnet_rx_parse(&h, 41, true, &m), -XEN_EINVAL);      /* field outside */
    h.csum_start = 2;
    assert_int_equal(vnet_rx_parse(&h, 60, true, &m), -XEN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hdr_is_12_bytes),
        cmocka_unit_test(test_tx_check),
        cmocka_unit_test(test_hdr_tx),
        cmocka_unit_test(test_gso_hdr_len),
        cmocka_unit_test(test_csum_vectors),
        cmocka_unit_test(test_csum_matches_reference),
        cmocka_unit_test(test_csum_any_split),
        cmocka_unit_test(test_frags_read),
        cmocka_unit_test(test_tx_layout),
        cmocka_unit_test(test_rx_parse),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
