// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the virtio-net receive-buffer ring (vnet_rxq_* in
 * shim/platform/pc/virtio-net-buf.c) against a simulated device that takes
 * posted buffers from the avail ring, writes a header and frame into them
 * and returns them in any order. Checks the accounting (every buffer is
 * exactly one of FREE, POSTED, LENT; a buffer is never posted twice; a lent
 * buffer is not reposted until recycled), frames handed over intact, and a
 * hostile device (short or overlong used lengths, refused headers, a bogus
 * id), plus a randomized run with invariant checks.
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

#define BUF 256

struct rxdev {
    struct virtq vq;
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint16_t dev_avail;
    unsigned int size;
    struct vnet_rxq q;
    uint8_t *bufs;
};

/* A buffer the device holds. */
struct held {
    uint16_t id;
    uint8_t *addr;
    uint32_t len;
};

static struct rxdev *rxdev_new(unsigned int size, unsigned int nbufs)
{
    struct rxdev *d = calloc(1, sizeof(*d));

    assert_non_null(d);
    d->size = size;
    d->desc = calloc(size, sizeof(*d->desc));
    d->avail = calloc(1, virtq_avail_bytes(size));
    d->used = calloc(1, virtq_used_bytes(size));
    d->bufs = calloc(nbufs, BUF);
    assert_int_equal(virtq_init(&d->vq, size, d->desc, d->avail, d->used), 0);
    assert_int_equal(vnet_rxq_init(&d->q, &d->vq, d->bufs, (paddr_t)(uintptr_t)d->bufs, BUF,
                                   nbufs), 0);
    return d;
}

static void rxdev_free(struct rxdev *d)
{
    free(d->desc);
    free(d->avail);
    free(d->used);
    free(d->bufs);
    free(d);
}

/* Device: take the next published buffer, which must be one writable descriptor. */
static bool dev_take(struct rxdev *d, struct held *h)
{
    const struct virtq_desc *e;

    if (d->avail->idx == d->dev_avail)
        return false;
    h->id = d->avail->ring[d->dev_avail++ % d->size];
    assert_true(h->id < d->size);
    e = &d->desc[h->id];
    assert_int_equal(e->flags, VIRTQ_DESC_F_WRITE);
    assert_int_equal(e->len, BUF);
    h->addr = (uint8_t *)(uintptr_t)e->addr;
    assert_true(h->addr >= d->bufs && h->addr < d->bufs + d->q.nbufs * BUF);
    assert_int_equal((h->addr - d->bufs) % BUF, 0);
    h->len = e->len;
    return true;
}

/* Device: receive a frame of len bytes (filled with seed) into h. */
static void dev_recv(struct rxdev *d, const struct held *h, const struct virtio_net_hdr *hdr,
                     uint32_t len, uint8_t seed, uint32_t used_len)
{
    memcpy(h->addr, hdr, VNET_HDR_LEN);
    for (uint32_t i = 0; i < len && VNET_HDR_LEN + i < BUF; i++)
        h->addr[VNET_HDR_LEN + i] = (uint8_t)(seed + i);
    d->used->ring[d->used->idx % d->size] = (struct virtq_used_elem){ h->id, used_len };
    d->used->idx++;
}

static unsigned int count(const struct rxdev *d, enum vnet_rxbuf_state st)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < d->q.nbufs; i++)
        n += d->q.state[i] == st;
    return n;
}

static void check_accounting(const struct rxdev *d)
{
    assert_int_equal(count(d, VNET_RXBUF_POSTED), d->q.posted);
    assert_int_equal(d->vq.in_flight, d->q.posted);
    assert_int_equal(count(d, VNET_RXBUF_FREE) + count(d, VNET_RXBUF_LENT) + d->q.posted,
                     d->q.nbufs);
}

static void test_init(void **state)
{
    struct rxdev *d = rxdev_new(8, 8);
    struct vnet_rxq q;

    assert_int_equal(vnet_rxq_init(&q, &d->vq, d->bufs, 0, BUF, 0), -XEN_EINVAL);
    assert_int_equal(vnet_rxq_init(&q, &d->vq, d->bufs, 0, BUF, 9), -XEN_EINVAL);
    assert_int_equal(vnet_rxq_init(&q, &d->vq, d->bufs, 0, VNET_HDR_LEN, 8), -XEN_EINVAL);
    assert_int_equal(count(d, VNET_RXBUF_FREE), 8);
    rxdev_free(d);
}

static void test_fill_take_recycle(void **state)
{
    struct rxdev *d = rxdev_new(8, 8);
    struct virtio_net_hdr hdr = { .flags = VNET_HDR_F_DATA_VALID, .num_buffers = 1 };
    struct plat_net_rx_meta m;
    struct held h[8];
    const uint8_t *frame;
    unsigned int buf;
    uint32_t len;

    assert_int_equal(vnet_rxq_refill(&d->q), 8);
    assert_int_equal(vnet_rxq_refill(&d->q), 0);        /* nothing is posted twice */
    virtq_publish(&d->vq);
    for (unsigned int i = 0; i < 8; i++)
        assert_true(dev_take(d, &h[i]));
    assert_false(dev_take(d, &h[0]));
    for (unsigned int i = 0; i < 8; i++)                /* eight distinct buffers */
        for (unsigned int j = 0; j < i; j++)
            assert_ptr_not_equal(h[i].addr, h[j].addr);
    check_accounting(d);

    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), 0);
    dev_recv(d, &h[5], &hdr, 60, 0x40, VNET_HDR_LEN + 60);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), 1);
    assert_ptr_equal(frame, h[5].addr + VNET_HDR_LEN);
    assert_int_equal(buf, (h[5].addr - d->bufs) / BUF);
    assert_int_equal(len, 60);
    assert_int_equal(frame[0], 0x40);
    assert_int_equal(frame[59], 0x40 + 59);
    assert_int_equal(m.flags, PLAT_NET_RX_CSUM_VALID);
    assert_int_equal(d->q.state[buf], VNET_RXBUF_LENT);
    check_accounting(d);
    assert_int_equal(vnet_rxq_refill(&d->q), 0);        /* lent: not reposted */
    vnet_rxq_recycle(&d->q, buf);
    assert_int_equal(d->q.state[buf], VNET_RXBUF_FREE);
    vnet_rxq_recycle(&d->q, buf);                       /* a second recycle: no-op */
    vnet_rxq_recycle(&d->q, 99);                        /* out of range: no-op */
    assert_int_equal(vnet_rxq_refill(&d->q), 1);
    assert_int_equal(d->q.posted, 8);
    virtq_publish(&d->vq);
    assert_true(dev_take(d, &h[5]));
    assert_int_equal((h[5].addr - d->bufs) / BUF, buf);
    check_accounting(d);
    rxdev_free(d);
}

static void test_fewer_bufs_than_slots(void **state)
{
    struct rxdev *d = rxdev_new(16, 8);

    assert_int_equal(vnet_rxq_refill(&d->q), 8);
    assert_int_equal(d->vq.num_free, 8);
    check_accounting(d);
    rxdev_free(d);
}

static void test_hostile_lengths_and_headers(void **state)
{
    struct rxdev *d = rxdev_new(4, 4);
    struct virtio_net_hdr ok = { 0 }, gso = { .gso_type = VNET_HDR_GSO_TCPV4 };
    struct plat_net_rx_meta m;
    struct held h[4];
    const uint8_t *frame;
    unsigned int buf;
    uint32_t len;

    vnet_rxq_refill(&d->q);
    virtq_publish(&d->vq);
    for (unsigned int i = 0; i < 4; i++)
        assert_true(dev_take(d, &h[i]));
    dev_recv(d, &h[0], &ok, 0, 0, VNET_HDR_LEN - 1);    /* shorter than the header */
    dev_recv(d, &h[1], &ok, 0, 0, BUF + 1);             /* longer than the buffer */
    dev_recv(d, &h[2], &gso, 60, 0, VNET_HDR_LEN + 60); /* a header never allowed */
    dev_recv(d, &h[3], &ok, 10, 0, VNET_HDR_LEN + 10);  /* a runt frame */
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EINVAL);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EMSGSIZE);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EINVAL);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EINVAL);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), 0);
    /* Every dropped frame's buffer is FREE again and goes back to the device. */
    assert_int_equal(count(d, VNET_RXBUF_FREE), 4);
    check_accounting(d);
    assert_int_equal(vnet_rxq_refill(&d->q), 4);
    check_accounting(d);
    rxdev_free(d);
}

static void test_hostile_id(void **state)
{
    struct rxdev *d = rxdev_new(4, 4);
    struct plat_net_rx_meta m;
    const uint8_t *frame;
    unsigned int buf;
    uint32_t len;

    vnet_rxq_refill(&d->q);
    virtq_publish(&d->vq);
    d->used->ring[0] = (struct virtq_used_elem){ 7, 60 };
    d->used->idx = 1;
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EIO);
    assert_int_equal(vnet_rxq_take(&d->q, true, &buf, &frame, &len, &m), -XEN_EIO);
    assert_int_equal(d->q.posted, 4);   /* never completed, never reused */
    rxdev_free(d);
}

/* Random arrivals in any order, random recycle times: invariants hold. */
static void test_random(void **state)
{
    enum { SIZE = 16, NB = 12 };
    struct rxdev *d = rxdev_new(SIZE, NB);
    struct held dev[NB];                        /* buffers the device holds */
    unsigned int ndev = 0, lent[NB], nlent = 0;
    unsigned long frames = 0;

    srand(3);
    for (unsigned int round = 0; round < 200000; round++) {
        int r = rand() % 4;

        if (r == 0) {
            vnet_rxq_refill(&d->q);
            virtq_publish(&d->vq);
            while (dev_take(d, &dev[ndev])) {
                for (unsigned int i = 0; i < ndev; i++)
                    assert_ptr_not_equal(dev[i].addr, dev[ndev].addr);
                assert_true(++ndev <= NB);
            }
        } else if (r == 1 && ndev) {
            unsigned int k = (unsigned int)rand() % ndev;
            uint32_t flen = 14 + (uint32_t)rand() % (BUF - VNET_HDR_LEN - 13);
            struct virtio_net_hdr hdr = { 0 };
            struct plat_net_rx_meta m;
            const uint8_t *frame;
            unsigned int buf;
            uint32_t len;

            dev_recv(d, &dev[k], &hdr, flen, (uint8_t)round, VNET_HDR_LEN + flen);
            assert_int_equal(vnet_rxq_take(&d->q, false, &buf, &frame, &len, &m), 1);
            assert_ptr_equal(frame, dev[k].addr + VNET_HDR_LEN);
            assert_int_equal(len, flen);
            assert_int_equal(frame[flen - 1], (uint8_t)(round + flen - 1));
            dev[k] = dev[--ndev];
            lent[nlent++] = buf;
            frames++;
        } else if (r == 2 && nlent) {
            unsigned int k = (unsigned int)rand() % nlent;

            vnet_rxq_recycle(&d->q, lent[k]);
            lent[k] = lent[--nlent];
        }
        check_accounting(d);
        assert_int_equal(ndev, d->vq.in_flight);
        assert_int_equal(nlent, count(d, VNET_RXBUF_LENT));
    }
    assert_true(frames > 10000);
    rxdev_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_fill_take_recycle),
        cmocka_unit_test(test_fewer_bufs_than_slots),
        cmocka_unit_test(test_hostile_lengths_and_headers),
        cmocka_unit_test(test_hostile_id),
        cmocka_unit_test(test_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
