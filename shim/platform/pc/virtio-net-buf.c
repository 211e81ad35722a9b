// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pure parts of the pc network provider on virtio-net (see virtio-net-buf.h):
 * request checks, the transmit header and descriptor layout, the software
 * checksum fallback and the receive-buffer ring.
 *
 * Software checksum without writing the frame: the transmit fragments are
 * the guest's (granted read-only), so the computed checksum goes into the
 * request's own DMA slot and the descriptor chain splices those two bytes
 * over the checksum field: [.. field) [slot 2 bytes] [field + 2 ..).
 */
#include <shim/lib.h>
#include <xen/errno.h>
#include "virtio-net-buf.h"

int vnet_tx_check(const struct plat_net_info *in, const struct plat_net_tx_req *req,
                  uint32_t *total)
{
    const struct plat_net_offload *o = &req->offload;
    uint32_t sum = 0, max;

    if (!req->frags || !req->nr_frags || req->nr_frags > in->max_frags)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < req->nr_frags; i++) {
        const struct plat_net_frag *f = &req->frags[i];

        if (!f->len || f->len > PAGE_SIZE || (f->addr & ~PAGE_MASK) + f->len > PAGE_SIZE)
            return -XEN_EINVAL;
        sum += f->len;      /* <= 32 * 4 KiB: no overflow */
    }
    switch (o->gso_type) {
    case PLAT_NET_GSO_NONE:
        max = (uint32_t)in->mtu + PLAT_NET_ETH_HLEN + VNET_VLAN_HLEN;
        break;
    case PLAT_NET_GSO_TCPV4:
    case PLAT_NET_GSO_TCPV6:
        if (!o->needs_csum || !o->gso_size || o->csum_offset != VNET_TCP_CSUM_OFFSET)
            return -XEN_EINVAL;
        if (!(o->gso_type == PLAT_NET_GSO_TCPV4 ? in->tso4 : in->tso6))
            return -XEN_EOPNOTSUPP;
        if (o->hdr_len && (o->hdr_len <= o->csum_start || o->hdr_len > sum))
            return -XEN_EINVAL;
        max = PLAT_NET_GSO_MAX_BYTES;
        break;
    default:
        return -XEN_EINVAL;
    }
    if (sum < PLAT_NET_ETH_HLEN || sum > max)
        return -XEN_EINVAL;
    if (o->needs_csum && (o->csum_start < PLAT_NET_ETH_HLEN ||
                          (uint32_t)o->csum_start + o->csum_offset + 2 > sum))
        return -XEN_EINVAL;
    *total = sum;
    return 0;
}

int vnet_frags_read(const struct plat_net_frag *f, unsigned int n, uint32_t off,
                    void *dst, uint32_t len, vnet_map_fn map)
{
    uint8_t *d = dst;

    for (unsigned int i = 0; i < n && len; i++) {
        uint32_t take;

        if (off >= f[i].len) {
            off -= f[i].len;
            continue;
        }
        take = MIN(len, f[i].len - off);
        memcpy(d, (const uint8_t *)map(f[i].addr) + off, take);
        d += take;
        len -= take;
        off = 0;
    }
    return len ? -XEN_EINVAL : 0;
}

static uint32_t fold16(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint32_t)sum;
}

/*
 * The one's complement sum of len bytes read as little-endian 16-bit words
 * from p's first byte, folded to 16 bits. Eight bytes a step: each step
 * adds two 32-bit halves to a 64-bit accumulator, which cannot overflow
 * for any frame, and end-around carries fold in at the end (RFC 1071, 2).
 * Under TCG the byte-at-a-time loop it replaces cost tens of microseconds
 * per full-size frame the shim had to checksum for the guest.
 */
static uint32_t sum_le16(const uint8_t *p, uint32_t len)
{
    uint64_t sum = 0, w;

    for (; len >= 8; len -= 8, p += 8) {
        __builtin_memcpy(&w, p, 8);     /* one unaligned load, even with -fno-builtin */
        sum += (w & 0xffffffffu) + (w >> 32);
    }
    for (; len >= 2; len -= 2, p += 2)
        sum += (uint32_t)p[0] | (uint32_t)p[1] << 8;
    if (len)
        sum += p[0];
    return fold16(sum);
}

uint16_t vnet_frags_csum(const struct plat_net_frag *f, unsigned int n, uint32_t start,
                         vnet_map_fn map)
{
    uint64_t sum = 0;
    uint32_t pos = 0;           /* bytes summed so far */

    for (unsigned int i = 0; i < n; i++) {
        const uint8_t *p = map(f[i].addr);
        uint32_t s;

        if (start >= f[i].len) {
            start -= f[i].len;
            continue;
        }
        s = sum_le16(p + start, f[i].len - start);
        /* A fragment that starts at an odd position of the summed bytes has
           its words shifted by one byte: swapping its partial sum's bytes
           lines them up again (RFC 1071, 2(B), byte order independence). */
        if (pos & 1)
            s = ((s & 0xff) << 8) | (s >> 8);
        sum += s;
        pos += f[i].len - start;
        start = 0;
    }
    sum = fold16(sum);
    sum = ((sum & 0xff) << 8) | (sum >> 8);     /* little- to big-endian words */
    sum = ~sum & 0xffff;
    return sum ? (uint16_t)sum : 0xffff;
}

void vnet_hdr_tx(struct virtio_net_hdr *h, const struct plat_net_offload *o, bool hw_csum,
                 uint16_t hdr_len)
{
    *h = (struct virtio_net_hdr){ .gso_type = VNET_HDR_GSO_NONE };
    if (o->needs_csum && hw_csum) {
        h->flags = VNET_HDR_F_NEEDS_CSUM;
        h->csum_start = o->csum_start;
        h->csum_offset = o->csum_offset;
    }
    if (o->gso_type != PLAT_NET_GSO_NONE) {
        h->gso_type = o->gso_type == PLAT_NET_GSO_TCPV4 ? VNET_HDR_GSO_TCPV4
                                                        : VNET_HDR_GSO_TCPV6;
        h->gso_size = o->gso_size;
        h->hdr_len = hdr_len;
    }
}

uint16_t vnet_gso_hdr_len(const struct plat_net_frag *f, unsigned int n, uint32_t total,
                          const struct plat_net_offload *o, vnet_map_fn map)
{
    uint8_t doff;
    uint32_t len;

    if (o->hdr_len)
        return o->hdr_len;
    /* struct tcphdr: data offset in 32-bit words, high nibble of byte 12. */
    if (vnet_frags_read(f, n, (uint32_t)o->csum_start + 12, &doff, 1, map))
        return 0;
    len = (uint32_t)o->csum_start + (doff >> 4) * 4u;
    if ((doff >> 4) < 5 || len > total)
        return 0;
    return (uint16_t)len;
}

int vnet_tx_layout(const struct plat_net_frag *f, unsigned int n, uint32_t splice_off,
                   paddr_t splice_addr, struct virtq_buf *out, unsigned int max)
{
    uint64_t s = splice_off, e = (uint64_t)splice_off + 2, off = 0;
    unsigned int k = 0;

#define EMIT(a, l) do {                                     \
        if (k == max)                                       \
            return -XEN_EINVAL;                             \
        out[k++] = (struct virtq_buf){ (a), (uint32_t)(l) }; \
    } while (0)

    for (unsigned int i = 0; i < n; off += f[i].len, i++) {
        uint64_t end = off + f[i].len;

        if (splice_off == UINT32_MAX || end <= s || off >= e) {
            EMIT(f[i].addr, f[i].len);
            continue;
        }
        if (off < s)                        /* the bytes before the field */
            EMIT(f[i].addr, s - off);
        if (s >= off)                       /* the field starts here */
            EMIT(splice_addr, 2);
        if (end > e)                        /* the bytes after it */
            EMIT(f[i].addr + (e - off), end - e);
    }
#undef EMIT
    return (int)k;
}

int vnet_rx_parse(const struct virtio_net_hdr *h, uint32_t frame_len, bool guest_csum,
                  struct plat_net_rx_meta *m)
{
    /* One read of each field: the header is in memory the device wrote. */
    uint8_t flags = READ_ONCE(h->flags), gso = READ_ONCE(h->gso_type);
    uint16_t start = READ_ONCE(h->csum_start), offset = READ_ONCE(h->csum_offset);
    uint16_t nbuf = READ_ONCE(h->num_buffers);

    *m = (struct plat_net_rx_meta){ .gso_type = PLAT_NET_GSO_NONE };
    /* No GUEST_TSO/UFO, no MRG_RXBUF: anything else is a device bug (5.1.6.4). */
    if (gso != VNET_HDR_GSO_NONE || nbuf > 1 || frame_len < PLAT_NET_ETH_HLEN)
        return -XEN_EINVAL;
    if (!guest_csum) {
        /* Without GUEST_CSUM the device must leave flags clear; ignore them. */
        return 0;
    }
    if (flags & VNET_HDR_F_NEEDS_CSUM) {
        if (start < PLAT_NET_ETH_HLEN || (uint32_t)start + offset + 2 > frame_len)
            return -XEN_EINVAL;
        m->flags |= PLAT_NET_RX_NEEDS_CSUM;
        m->csum_start = start;
        m->csum_offset = offset;
    } else if (flags & VNET_HDR_F_DATA_VALID) {
        m->flags |= PLAT_NET_RX_CSUM_VALID;
    }
    return 0;
}

int vnet_rxq_init(struct vnet_rxq *q, struct virtq *vq, uint8_t *va, paddr_t pa,
                  uint32_t buf_size, unsigned int nbufs)
{
    if (!nbufs || nbufs > vq->size || buf_size <= VNET_HDR_LEN)
        return -XEN_EINVAL;
    *q = (struct vnet_rxq){ .vq = vq, .va = va, .pa = pa, .buf_size = buf_size,
                            .nbufs = (uint16_t)nbufs };
    for (unsigned int i = 0; i < nbufs; i++)
        q->state[i] = VNET_RXBUF_FREE;
    return 0;
}

unsigned int vnet_rxq_refill(struct vnet_rxq *q)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < q->nbufs; i++) {
        struct virtq_buf b = { q->pa + (paddr_t)i * q->buf_size, q->buf_size };

        if (q->state[i] != VNET_RXBUF_FREE)
            continue;
        /* The token is the buffer's address: ours, never the device's. */
        if (virtq_add(q->vq, &b, 0, 1, q->va + (size_t)i * q->buf_size) < 0)
            break;      /* full (cannot happen: nbufs <= size) or broken */
        q->state[i] = VNET_RXBUF_POSTED;
        q->posted++;
        n++;
    }
    return n;
}

int vnet_rxq_take(struct vnet_rxq *q, bool guest_csum, unsigned int *buf,
                  const uint8_t **frame, uint32_t *len, struct plat_net_rx_meta *m)
{
    void *token;
    uint32_t used;
    unsigned int i;
    int rc = virtq_get(q->vq, &token, &used);

    if (rc == 0 || rc == -XEN_EIO)
        return rc;
    i = (unsigned int)(((uint8_t *)token - q->va) / q->buf_size);
    q->state[i] = VNET_RXBUF_FREE;
    q->posted--;
    if (rc == -XEN_EMSGSIZE)
        return rc;
    if (used < VNET_HDR_LEN ||
        vnet_rx_parse(token, used - VNET_HDR_LEN, guest_csum, m))
        return -XEN_EINVAL;
    q->state[i] = VNET_RXBUF_LENT;
    *buf = i;
    *frame = (const uint8_t *)token + VNET_HDR_LEN;
    *len = used - VNET_HDR_LEN;
    return 1;
}

void vnet_rxq_recycle(struct vnet_rxq *q, unsigned int buf)
{
    if (buf < q->nbufs && q->state[buf] == VNET_RXBUF_LENT)
        q->state[buf] = VNET_RXBUF_FREE;
}
