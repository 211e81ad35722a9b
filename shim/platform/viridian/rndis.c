// SPDX-License-Identifier: GPL-2.0-only
/*
 * RNDIS message building and parsing for netvsc (see rndis.h). The parser
 * takes hostile input: the host owns the receive buffer and may write any
 * bytes, and change them while we look. Each field is fetched once into a
 * local, and every offset and length is checked in 64-bit arithmetic
 * against the message length, itself checked against the range.
 */
#include <shim/lib.h>
#include <xen/errno.h>
#include "rndis.h"

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));       /* one fetch; little-endian host and wire */
    return v;
}

uint32_t rndis_build_init(struct rndis_init_req *m, uint32_t req_id)
{
    *m = (struct rndis_init_req){ .type = RNDIS_MSG_INIT, .len = sizeof(*m), .req_id = req_id,
                                  .major = 1, .minor = 0, .max_xfer = 0x4000 };
    return sizeof(*m);
}

uint32_t rndis_build_query(struct rndis_oid_req *m, uint32_t req_id, uint32_t oid)
{
    /* No input buffer: its offset points right after the request. */
    *m = (struct rndis_oid_req){ .type = RNDIS_MSG_QUERY, .len = sizeof(*m), .req_id = req_id,
                                 .oid = oid, .info_off = sizeof(*m) - RNDIS_HDR_BYTES };
    return sizeof(*m);
}

uint32_t rndis_build_set_u32(void *buf, uint32_t req_id, uint32_t oid, uint32_t value)
{
    struct rndis_oid_req m = { .type = RNDIS_MSG_SET, .len = sizeof(m) + 4, .req_id = req_id,
                               .oid = oid, .info_len = 4,
                               .info_off = sizeof(m) - RNDIS_HDR_BYTES };

    memcpy(buf, &m, sizeof(m));
    memcpy((uint8_t *)buf + sizeof(m), &value, 4);
    return sizeof(m) + 4;
}

uint32_t rndis_build_packet(struct rndis_packet *m, uint32_t data_len)
{
    *m = (struct rndis_packet){ .type = RNDIS_MSG_PACKET, .len = sizeof(*m) + data_len,
                                .data_off = sizeof(*m) - RNDIS_HDR_BYTES,
                                .data_len = data_len };
    return sizeof(*m);
}

/* [RNDIS_HDR_BYTES + off, + n) inside a message of mlen bytes? */
static bool inside(uint32_t mlen, uint32_t off, uint32_t n)
{
    return (uint64_t)RNDIS_HDR_BYTES + off + n <= mlen;
}

/* Walk the PPI area [start, start + n) of the message at msg. */
static int parse_ppis(const uint8_t *msg, uint32_t start, uint32_t n,
                      struct plat_net_rx_meta *meta)
{
    for (unsigned int i = 0; n && i < RNDIS_PPI_MAX; i++) {
        const uint8_t *e = msg + start;
        uint32_t size, type, off;

        if (n < sizeof(struct rndis_ppi))
            return -XEN_EINVAL;
        size = get32(e);
        type = get32(e + 4) & 0x7fffffff;
        off = get32(e + 8);
        if (size < sizeof(struct rndis_ppi) || size > n || off < sizeof(struct rndis_ppi) ||
            off > size)
            return -XEN_EINVAL;
        if (type == RNDIS_PPI_TCPIP_CSUM && size - off >= 4) {
            uint32_t v = get32(e + off);

            /* Only a verified TCP or UDP checksum, and no failure, counts. */
            if ((v & (RNDIS_RXCSUM_TCP_OK | RNDIS_RXCSUM_UDP_OK)) &&
                !(v & (RNDIS_RXCSUM_TCP_FAILED | RNDIS_RXCSUM_UDP_FAILED |
                       RNDIS_RXCSUM_IP_FAILED)))
                meta->flags |= PLAT_NET_RX_CSUM_VALID;
        }
        start += size;
        n -= size;
    }
    return n ? -XEN_EINVAL : 0;     /* more elements than anyone sends */
}

static int parse_packet(const uint8_t *msg, uint32_t mlen, uint32_t max_frame,
                        struct rndis_rx *rx)
{
    uint32_t data_off, data_len, ppi_off, ppi_len;

    if (mlen < sizeof(struct rndis_packet))
        return -XEN_EINVAL;
    data_off = get32(msg + offsetof(struct rndis_packet, data_off));
    data_len = get32(msg + offsetof(struct rndis_packet, data_len));
    ppi_off = get32(msg + offsetof(struct rndis_packet, ppi_off));
    ppi_len = get32(msg + offsetof(struct rndis_packet, ppi_len));
    /* The frame after the fixed header, inside the message. */
    if ((uint64_t)RNDIS_HDR_BYTES + data_off < sizeof(struct rndis_packet) ||
        !inside(mlen, data_off, data_len))
        return -XEN_EINVAL;
    if (data_len < PLAT_NET_ETH_HLEN || data_len > max_frame)
        return -XEN_EINVAL;
    rx->data_off = RNDIS_HDR_BYTES + data_off;
    rx->data_len = data_len;
    if (!ppi_len)
        return 0;
    if ((uint64_t)RNDIS_HDR_BYTES + ppi_off < sizeof(struct rndis_packet) ||
        !inside(mlen, ppi_off, ppi_len))
        return -XEN_EINVAL;
    return parse_ppis(msg, RNDIS_HDR_BYTES + ppi_off, ppi_len, &rx->meta);
}

int rndis_parse(const uint8_t *msg, uint32_t len, uint32_t max_frame, struct rndis_rx *rx)
{
    uint32_t mlen;

    memset(rx, 0, sizeof(*rx));
    if (len < RNDIS_HDR_BYTES)
        return -XEN_EINVAL;
    rx->type = get32(msg);
    mlen = get32(msg + 4);
    /* Hyper-V pads ranges: the message may be shorter than its range, never longer. */
    if (mlen < RNDIS_HDR_BYTES || mlen > len)
        return -XEN_EINVAL;
    switch (rx->type) {
    case RNDIS_MSG_PACKET:
        return parse_packet(msg, mlen, max_frame, rx);
    case RNDIS_MSG_INIT_C:
    case RNDIS_MSG_SET_C:
        if (mlen < (rx->type == RNDIS_MSG_INIT_C ? sizeof(struct rndis_init_cmplt)
                                                : sizeof(struct rndis_set_cmplt)))
            return -XEN_EINVAL;
        rx->req_id = get32(msg + 8);
        rx->status = get32(msg + 12);
        return 0;
    case RNDIS_MSG_QUERY_C: {
        uint32_t off, n;

        if (mlen < sizeof(struct rndis_query_cmplt))
            return -XEN_EINVAL;
        rx->req_id = get32(msg + 8);
        rx->status = get32(msg + 12);
        n = get32(msg + 16);
        off = get32(msg + 20);
        if (n && !inside(mlen, off, n))
            return -XEN_EINVAL;
        rx->info_off = n ? RNDIS_HDR_BYTES + off : 0;
        rx->info_len = n;
        return 0;
    }
    case RNDIS_MSG_INDICATE: {
        uint32_t off, n;

        if (mlen < sizeof(struct rndis_indicate))
            return -XEN_EINVAL;
        rx->status = get32(msg + 8);
        n = get32(msg + 12);
        off = get32(msg + 16);
        if (n && !inside(mlen, off, n))
            return -XEN_EINVAL;
        rx->info_off = n ? RNDIS_HDR_BYTES + off : 0;
        rx->info_len = n;
        return 0;
    }
    default:
        return 0;                   /* known shape only: the caller ignores the type */
    }
}
