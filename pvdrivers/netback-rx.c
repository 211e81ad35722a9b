// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's receive ring (wire -> guest, rx-copy), and the checksum-offset
 * parser transmit uses.
 *
 * Design: the provider lends a received frame to netback_rx (interrupt or
 * plat_net_poll context). It needs ceil(len / 4096) rx requests, each a
 * page the guest granted writable; without that many posted the frame is
 * dropped and counted (no queueing: the guest refills, TCP retransmits),
 * and req_event is re-armed so the frontend's refill notifies us
 * (feature-rx-notify). Each request is read once (one 64-bit word), the
 * data copied with gnttab_copy_to, and the response written into the SAME
 * slot as its request: Linux netfront ignores response ids (contract 9.3).
 * A slot whose grant cannot be written is answered NETIF_RSP_ERROR, which
 * makes netfront drop the whole frame.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "netback-priv.h"

#define RX_IDX(f) offsetof(struct netif_rx_sring, f)

static volatile uint64_t *rx_slot(const struct vif *v, uint32_t i)
{
    return (volatile uint64_t *)(v->rx_ring + NETBACK_SRING_HDR +
                                 (size_t)(i & (NETBACK_RX_RING_SIZE - 1)) * 8u);
}

void netback_rx(void *opaque, unsigned int idx, const void *data, uint32_t len,
                const struct plat_net_rx_meta *meta)
{
    struct vif *v = opaque;
    uint32_t prod, slots = (len + PAGE_SIZE - 1) / PAGE_SIZE, old;
    uint16_t csum_flags = 0;
    const uint8_t *p = data;

    (void)idx;
    if (!v->connected || v->broken || len == 0) {
        v->stats.rx_dropped++;
        return;
    }
    /* Acquire: the requests are read after the index that covers them. */
    prod = __atomic_load_n(netback_ring_idx(v->rx_ring, RX_IDX(req_prod)), __ATOMIC_ACQUIRE);
    if (prod - v->rx_req_cons > NETBACK_RX_RING_SIZE) {
        netback_fatal(v, "frontend posted %u rx buffers on a ring of %u",
                      prod - v->rx_req_cons, NETBACK_RX_RING_SIZE);
        return;
    }
    if (prod - v->rx_req_cons < slots) {
        v->stats.rx_dropped++;
        /* Ask for a kick when buffers are posted (RING_FINAL_CHECK's re-arm). */
        *netback_ring_idx(v->rx_ring, RX_IDX(req_event)) = v->rx_req_cons + 1;
        return;
    }
    if (meta && (meta->flags & PLAT_NET_RX_NEEDS_CSUM))
        csum_flags = NETRXF_csum_blank | NETRXF_data_validated;
    else if (meta && (meta->flags & PLAT_NET_RX_CSUM_VALID))
        csum_flags = NETRXF_data_validated;
    old = v->rx_rsp_published;
    for (uint32_t s = 0, off = 0; s < slots; s++) {
        uint64_t raw = *rx_slot(v, v->rx_req_cons);       /* read once */
        struct netif_rx_request req;
        struct netif_rx_response rsp;
        uint32_t n = MIN(len - off, (uint32_t)PAGE_SIZE);

        memcpy(&req, &raw, sizeof(req));
        rsp.id = req.id;
        rsp.offset = 0;
        rsp.flags = (uint16_t)((s == 0 ? csum_flags : 0) | (s + 1 < slots ? NETRXF_more_data : 0));
        if (gnttab_copy_to(v->d, req.gref, 0, p + off, n) == GNTST_okay) {
            rsp.status = (int16_t)n;
        } else {
            rsp.status = NETIF_RSP_ERROR;
            v->stats.rx_errors++;
        }
        memcpy(&raw, &rsp, sizeof(raw));
        *rx_slot(v, v->rx_req_cons) = raw;                /* the request's own slot */
        v->rx_req_cons++;
        off += n;
    }
    v->stats.rx_packets++;
    netback_tlb_sync();
    v->rx_rsp_published = v->rx_req_cons;
    if (netback_push(v->rx_ring, old, v->rx_rsp_published))
        netback_kick(v, v->rx_port);
}

/* ---- checksum offsets --------------------------------------------------- */

#define ETH_P_IPV4  0x0800
#define ETH_P_IPV6  0x86dd
#define ETH_P_VLAN  0x8100
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

int netback_csum_setup(const uint8_t *hdr, uint32_t hdr_len, struct plat_net_offload *o)
{
    uint32_t l3 = PLAT_NET_ETH_HLEN, l4;
    uint16_t proto;
    uint8_t l4proto;

    if (hdr_len < l3)
        return -XEN_EINVAL;
    proto = (uint16_t)(hdr[12] << 8 | hdr[13]);
    if (proto == ETH_P_VLAN) {
        if (hdr_len < l3 + 4)
            return -XEN_EINVAL;
        proto = (uint16_t)(hdr[16] << 8 | hdr[17]);
        l3 += 4;
    }
    if (proto == ETH_P_IPV4) {
        if (hdr_len < l3 + 20 || (hdr[l3] >> 4) != 4 || (hdr[l3] & 0xf) < 5)
            return -XEN_EINVAL;
        /* A fragment (MF or an offset) has no L4 header to fill. */
        if ((hdr[l3 + 6] & 0x3f) | hdr[l3 + 7])
            return -XEN_EINVAL;
        l4 = l3 + 4u * (hdr[l3] & 0xf);
        l4proto = hdr[l3 + 9];
    } else if (proto == ETH_P_IPV6) {
        if (hdr_len < l3 + 40 || (hdr[l3] >> 4) != 6)
            return -XEN_EINVAL;
        l4 = l3 + 40;
        l4proto = hdr[l3 + 6];      /* extension headers are not parsed */
    } else {
        return -XEN_EINVAL;
    }
    if (l4proto == IPPROTO_TCP_)
        o->csum_offset = 16;
    else if (l4proto == IPPROTO_UDP_ && o->gso_type == PLAT_NET_GSO_NONE)
        o->csum_offset = 6;
    else
        return -XEN_EINVAL;
    if (l4 + o->csum_offset + 2u > hdr_len)
        return -XEN_EINVAL;
    o->csum_start = (uint16_t)l4;
    o->needs_csum = true;
    return 0;
}
