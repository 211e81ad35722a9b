// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's transmit ring (guest -> wire), and the ring helpers rx shares.
 *
 * Design: req_prod is read once per pass and must stay within a ring of
 * req_cons, else the vif stops as hostile. Each slot is copied out once
 * (three 32-bit reads) and only the copy is looked at. A packet is a first
 * slot (size = whole length), its extra_info slots, then more_data slots
 * (contract 9.3); it is taken only when all its slots are published. Its
 * grants are acquired read-only and their machine frames go to the provider
 * as they are (zero copy); grants are released and every consumed slot is
 * answered (NETIF_RSP_NULL for extra_info slots) when the provider completes.
 * A malformed packet is answered NETIF_RSP_ERROR at once; a packet of more
 * than XEN_NETIF_NR_SLOTS_MIN data slots, or one that can never complete,
 * is a protocol violation (netback_fatal), as in Linux netback.
 * Responses never overtake requests (rsp_prod_pvt <= req_cons), so they are
 * written only into slots already consumed.
 */
#include <shim/evtchn.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "netback-priv.h"

#define TX_IDX(f) offsetof(struct netif_tx_sring, f)

bool netback_push(uint8_t *ring, uint32_t old, uint32_t new)
{
    uint32_t ev;

    if (old == new)
        return false;
    /* Release: the responses are in the ring before the index moves. */
    __atomic_store_n(netback_ring_idx(ring, offsetof(struct netif_tx_sring, rsp_prod)), new,
                     __ATOMIC_RELEASE);
    /* Full fence: the new rsp_prod is visible before rsp_event is read. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    ev = *netback_ring_idx(ring, offsetof(struct netif_tx_sring, rsp_event));
    return (uint32_t)(new - ev) < (uint32_t)(new - old);
}

void netback_kick(struct vif *v, evtchn_port_t port)
{
    const struct evtchn *c = &v->d->evtchn[port];

    /* The frontend may have closed (or reused) the port meanwhile. */
    if (c->state == ECS_INTERDOMAIN && c->backend == EVTCHN_BACKEND_NETBACK &&
        c->backend_idx == v->idx)
        evtchn_set_pending(v->d, port);
}

static volatile uint32_t *slot_word(const struct vif *v, uint32_t i, unsigned int w)
{
    size_t off = NETBACK_SRING_HDR + (size_t)(i & (NETBACK_TX_RING_SIZE - 1)) * 12u + 4u * w;

    return (volatile uint32_t *)(v->tx_ring + off);
}

/* Copy slot i out of the ring, each word read exactly once. */
static void read_slot(const struct vif *v, uint32_t i, void *dst)
{
    uint32_t *d = dst;

    for (unsigned int w = 0; w < 3; w++)
        d[w] = *slot_word(v, i, w);
}

static void tx_push(struct vif *v)
{
    uint32_t old = v->tx_rsp_published;

    v->tx_rsp_published = v->tx_rsp_prod_pvt;
    if (netback_push(v->tx_ring, old, v->tx_rsp_prod_pvt))
        netback_kick(v, v->tx_port);
}

static void release_grants(struct netback_tx *q)
{
    while (q->nr_maps)
        gnttab_release(q->vif->d, &q->maps[--q->nr_maps]);
}

/* Answer every slot of q (if its connection is still the current one),
 * release its grants and free it. */
static void finish(struct netback_tx *q, int16_t status)
{
    struct vif *v = q->vif;

    if (q->gen == v->gen && v->connected) {
        for (unsigned int i = 0; i < q->nr_slots; i++) {
            struct netif_tx_response r = {
                .id = q->ids[i],
                .status = (q->null_mask & BIT(i)) ? NETIF_RSP_NULL : status,
            };

            *slot_word(v, v->tx_rsp_prod_pvt++, 0) = (uint32_t)r.id | (uint32_t)(uint16_t)r.status << 16;
        }
        if (status == NETIF_RSP_OKAY)
            v->stats.tx_packets++;
        else
            v->stats.tx_errors++;
    }
    release_grants(q);
    q->vif = NULL;
}

static void tx_done(struct plat_net_tx_req *req, int status)
{
    struct netback_tx *q = req->cookie;
    struct vif *v = q->vif;

    v->inflight--;
    finish(q, status ? NETIF_RSP_ERROR : NETIF_RSP_OKAY);
    if (v->connected && !v->broken) {
        tx_push(v);
        netback_tx_service(v);      /* a record or queue space is free again */
    }
}

/* Hand q to the provider: 0, -XEN_EBUSY (kept in v->busy), or answered. */
static int submit(struct vif *v, struct netback_tx *q)
{
    int rc = plat_net_tx(v->cfg.idx, &q->preq);

    if (rc == -XEN_EBUSY) {
        v->busy = q;
        v->stats.tx_busy++;
        return rc;
    }
    v->busy = NULL;
    if (rc) {
        finish(q, NETIF_RSP_ERROR);
        return 0;
    }
    v->inflight++;
    return 0;
}

static int16_t parse_extra(const struct netif_extra_info *x, struct plat_net_offload *o,
                           const struct plat_net_info *info)
{
    switch (x->type) {
    case XEN_NETIF_EXTRA_TYPE_GSO:
        if (x->u.gso.size == 0 ||
            !((x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && info->tso4) ||
              (x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 && info->tso6)))
            return NETIF_RSP_ERROR;
        o->gso_type = x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ? PLAT_NET_GSO_TCPV4
                                                                : PLAT_NET_GSO_TCPV6;
        o->gso_size = x->u.gso.size;
        return NETIF_RSP_OKAY;
    case XEN_NETIF_EXTRA_TYPE_MCAST_ADD:
    case XEN_NETIF_EXTRA_TYPE_MCAST_DEL:
    case XEN_NETIF_EXTRA_TYPE_HASH:
        return NETIF_RSP_OKAY;      /* no multicast control, no hashing: ignored */
    default:
        return NETIF_RSP_ERROR;
    }
}

/* Acquire the data slots' grants and build the fragments; the status. */
static int16_t map_frags(struct vif *v, struct netback_tx *q,
                         const struct netif_tx_request *reqs, unsigned int n)
{
    uint32_t rest = 0;

    for (unsigned int i = 1; i < n; i++)
        rest += reqs[i].size;
    if (reqs[0].size < PLAT_NET_ETH_HLEN || rest > reqs[0].size)
        return NETIF_RSP_ERROR;
    for (unsigned int i = 0; i < n; i++) {
        uint32_t len = i ? reqs[i].size : reqs[0].size - rest;
        struct gnt_mapping *m = &q->maps[q->nr_maps];

        if (len == 0)
            continue;       /* nothing to send from this slot */
        if ((uint32_t)reqs[i].offset + len > PAGE_SIZE || q->nr_maps == v->info->max_frags)
            return NETIF_RSP_ERROR;
        if (gnttab_acquire(v->d, reqs[i].gref, false, m) != GNTST_okay)
            return NETIF_RSP_ERROR;
        q->nr_maps++;
        if (reqs[i].offset < m->offset || reqs[i].offset + len > (uint32_t)m->offset + m->len)
            return NETIF_RSP_ERROR;     /* outside a v2 sub-page grant */
        q->frags[q->nr_maps - 1] = (struct plat_net_frag){
            .addr = ((paddr_t)m->mfn << PAGE_SHIFT) + reqs[i].offset, .len = len };
    }
    return NETIF_RSP_OKAY;
}

/* The first bytes of the packet, gathered from the held grants. */
static uint32_t peek_headers(const struct netback_tx *q, uint8_t *buf)
{
    uint32_t got = 0;

    for (unsigned int k = 0; k < q->nr_maps && got < NETBACK_HDR_PEEK; k++) {
        uint32_t off = (uint32_t)(q->frags[k].addr & (PAGE_SIZE - 1));
        uint32_t n = MIN(q->frags[k].len, NETBACK_HDR_PEEK - got);

        memcpy(buf + got, q->maps[k].page + off, n);
        got += n;
    }
    return got;
}

enum take { TAKEN, INCOMPLETE, BUSY, FATAL };

/* Take the packet at req_cons (prod published); see the design note. */
static enum take take_packet(struct vif *v, struct netback_tx *q, uint32_t prod)
{
    struct netif_tx_request reqs[NETBACK_MAX_SLOTS];
    uint32_t i = v->tx_req_cons;
    unsigned int n = 0, slots = 0, extras = 0;
    bool more, extra;
    int16_t st = NETIF_RSP_OKAY;
    uint8_t hdr[NETBACK_HDR_PEEK];

    memset(q, 0, sizeof(*q));
    do {
        if (i == prod)
            return prod - v->tx_req_cons >= NETBACK_TX_RING_SIZE ? FATAL : INCOMPLETE;
        if (n == NETBACK_MAX_SLOTS)
            return FATAL;
        read_slot(v, i++, &reqs[n]);
        q->ids[slots++] = reqs[n].id;
        more = reqs[n].flags & NETTXF_more_data;
        extra = n == 0 && (reqs[n].flags & NETTXF_extra_info);
        n++;
        while (extra) {         /* extra_info slots follow the first slot only */
            struct netif_extra_info x;
            uint32_t raw[3];

            if (i == prod)
                return prod - v->tx_req_cons >= NETBACK_TX_RING_SIZE ? FATAL : INCOMPLETE;
            if (extras++ == NETBACK_MAX_EXTRAS)
                return FATAL;
            read_slot(v, i++, raw);
            memcpy(&x, raw, sizeof(x));
            q->null_mask |= BIT(slots);
            q->ids[slots++] = 0;
            if (st == NETIF_RSP_OKAY)
                st = parse_extra(&x, &q->preq.offload, v->info);
            extra = x.flags & XEN_NETIF_EXTRA_FLAG_MORE;
        }
    } while (more);

    /* The whole packet is in hand: consume it, answer it whatever happens. */
    q->vif = v;
    q->gen = v->gen;
    q->nr_slots = (uint16_t)slots;
    v->tx_req_cons = i;
    if (st == NETIF_RSP_OKAY)
        st = map_frags(v, q, reqs, n);
    if (st == NETIF_RSP_OKAY && q->nr_maps == 0)
        st = NETIF_RSP_ERROR;
    /* GSO frames are always CHECKSUM_PARTIAL (netfront sets csum_blank). */
    if (st == NETIF_RSP_OKAY &&
        ((reqs[0].flags & NETTXF_csum_blank) || q->preq.offload.gso_type != PLAT_NET_GSO_NONE) &&
        netback_csum_setup(hdr, peek_headers(q, hdr), &q->preq.offload))
        st = NETIF_RSP_ERROR;
    if (st != NETIF_RSP_OKAY) {
        finish(q, st);
        return TAKEN;
    }
    q->preq.frags = q->frags;
    q->preq.nr_frags = q->nr_maps;
    q->preq.done = tx_done;
    q->preq.cookie = q;
    return submit(v, q) ? BUSY : TAKEN;
}

static struct netback_tx *free_record(struct vif *v)
{
    for (unsigned int k = 0; k < NETBACK_TX_INFLIGHT; k++)
        if (!v->tx[k].vif)
            return &v->tx[k];
    return NULL;
}

void netback_tx_service(struct vif *v)
{
    struct netback_tx *q;
    uint32_t prod;

    if (!v->connected || v->broken)
        return;
    if (v->busy && submit(v, v->busy))
        goto out;
    for (;;) {
        /* Acquire: the slots are read after the index that covers them. */
        prod = __atomic_load_n(netback_ring_idx(v->tx_ring, TX_IDX(req_prod)), __ATOMIC_ACQUIRE);
        if (prod - v->tx_req_cons > NETBACK_TX_RING_SIZE) {
            netback_fatal(v, "frontend produced %u tx requests on a ring of %u",
                          prod - v->tx_req_cons, NETBACK_TX_RING_SIZE);
            return;
        }
        while (v->tx_req_cons != prod) {
            if (!(q = free_record(v)))
                goto out;               /* tx_done calls us again */
            switch (take_packet(v, q, prod)) {
            case TAKEN:
                break;
            case BUSY:
                goto out;
            case INCOMPLETE:
                /* Wake us when the rest of the packet is published. */
                *netback_ring_idx(v->tx_ring, TX_IDX(req_event)) = prod + 1;
                goto out;
            case FATAL:
                q->vif = NULL;
                netback_fatal(v, "tx packet at %u: more than %u slots or never complete",
                              v->tx_req_cons, NETBACK_MAX_SLOTS);
                return;
            }
        }
        /* RING_FINAL_CHECK_FOR_REQUESTS: re-arm, then look once more. */
        *netback_ring_idx(v->tx_ring, TX_IDX(req_event)) = v->tx_req_cons + 1;
        /* Full fence: req_event is visible before req_prod is re-read. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (*netback_ring_idx(v->tx_ring, TX_IDX(req_prod)) == v->tx_req_cons)
            break;
    }
out:
    tx_push(v);
}

void netback_tx_cancel(struct vif *v)
{
    /* Not handed to the provider: no DMA can touch its frames. */
    if (v->busy)
        finish(v->busy, NETIF_RSP_DROPPED);
    v->busy = NULL;
}
