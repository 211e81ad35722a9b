// SPDX-License-Identifier: GPL-2.0-only
/*
 * netvsc data path. Transmit: the frame is copied into a send-buffer
 * section behind an RNDIS PACKET header (a requested checksum is computed
 * on that copy, the NIC offers no offload here) and announced by an NVSP
 * RNDIS message; the host's completion frees the section. Receive: the host
 * sends transfer-page packets whose ranges point into the receive buffer,
 * one RNDIS message each; frames go to the receive callback in place and
 * the completion packet that follows returns the ranges to the host.
 * RNDIS control replies and status indications travel the same way.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "netvsc-priv.h"
#include "vdev.h"

struct nvs_nic nvs_nics[NVS_MAX_NICS];
unsigned int nvs_nr_nics;

void nvs_slots_init(struct nvs_nic *n)
{
    n->nr_free = 0;
    for (unsigned int s = n->nr_sections; s-- > 0;) {
        n->slots[s] = (struct nvs_slot){ .gen = 1 };
        n->free_slot[n->nr_free++] = (uint16_t)s;
    }
}

static uint64_t slot_tid(const struct nvs_nic *n, unsigned int s)
{
    return (uint64_t)n->slots[s].gen << 32 | (s + 1);
}

static int slot_take(struct nvs_nic *n)
{
    unsigned int s;

    if (!n->nr_free)
        return -XEN_EBUSY;
    s = n->free_slot[--n->nr_free];
    n->slots[s].busy = true;
    return (int)s;
}

static void slot_free(struct nvs_nic *n, unsigned int s)
{
    n->slots[s] = (struct nvs_slot){ .gen = n->slots[s].gen + 1 };
    n->free_slot[n->nr_free++] = (uint16_t)s;
}

/* The host is done with section s: status 0 or -XEN_EIO to its frame. */
static unsigned int slot_done(struct nvs_nic *n, unsigned int s, int status)
{
    struct plat_net_tx_req *req = n->slots[s].req;

    slot_free(n, s);
    if (!req)
        return 0;
    if (!status)
        n->tx_frames++;
    req->done(req, status);
    return 1;
}

void nvs_fail(struct nvs_nic *n, const char *why)
{
    if (n->failed)
        return;
    log_warn("netvsc %u: %s; NIC disabled\n", n->index, why);
    n->failed = true;
    /* No vmbus_close from the channel callback (plat/vmbus.h); see storvsc. */
    for (unsigned int s = 0; s < n->nr_sections; s++)
        if (n->slots[s].busy)
            slot_done(n, s, -XEN_EIO);
}

/* Return a receive packet's ranges; queued for later when the ring is full. */
static void ack(struct nvs_nic *n, uint64_t tid)
{
    struct nvsp_rndis_pkt_complete c = { .type = NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE,
                                         .status = NVSP_STAT_SUCCESS };

    if (n->ack_head == n->ack_tail && !vmbus_send_completion(n->ch, &c, sizeof(c), tid))
        return;
    if (n->ack_tail - n->ack_head == NVS_PENDING_ACKS) {
        /* The host keeps those ranges for good: it has stopped reading anyway. */
        n->acks_lost++;
        return;
    }
    n->acks[n->ack_tail++ % NVS_PENDING_ACKS] = tid;
}

static void flush_acks(struct nvs_nic *n)
{
    struct nvsp_rndis_pkt_complete c = { .type = NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE,
                                         .status = NVSP_STAT_SUCCESS };

    while (n->ack_head != n->ack_tail &&
           !vmbus_send_completion(n->ch, &c, sizeof(c), n->acks[n->ack_head % NVS_PENDING_ACKS]))
        n->ack_head++;
}

/* A control message or status indication (copied out of the shared buffer). */
static void rx_control(struct nvs_nic *n, const uint8_t *msg, uint32_t len)
{
    uint32_t n_copy = MIN(len, (uint32_t)NVS_CTRL_BYTES);
    uint8_t copy[NVS_CTRL_BYTES];
    struct rndis_rx rx;

    memcpy(copy, msg, n_copy);
    if (rndis_parse(copy, n_copy, NVS_MAX_FRAME, &rx)) {
        n->rx_bad++;
        return;
    }
    switch (rx.type) {
    case RNDIS_MSG_INIT_C:
    case RNDIS_MSG_QUERY_C:
    case RNDIS_MSG_SET_C:
        if (!n->ctrl_pending || rx.req_id != n->ctrl_req_id) {
            n->unsolicited++;
            return;
        }
        memcpy(n->ctrl_buf, copy, n_copy);
        n->ctrl_rx = rx;
        n->ctrl_pending = false;
        n->ctrl_done = true;
        return;
    case RNDIS_MSG_INDICATE:
        if (rx.status == RNDIS_STATUS_MEDIA_CONNECT || rx.status == RNDIS_STATUS_MEDIA_DISCONNECT) {
            n->link_up = rx.status == RNDIS_STATUS_MEDIA_CONNECT;
            log_info("netvsc %u: link %s\n", n->index, n->link_up ? "up" : "down");
        }
        return;
    default:
        n->unsolicited++;           /* keepalive, reset: nothing to do for a guest NIC */
        return;
    }
}

/* One transfer-page packet: every range one RNDIS message. */
static unsigned int rx_xfer(struct nvs_nic *n, const struct vmbus_pkt_info *info)
{
    const struct nvsp_xfer_hdr *h = (const void *)n->hdr;
    const struct nvsp_xfer_range *r = (const void *)(n->hdr + sizeof(*h));
    uint32_t nr, type = 0;
    unsigned int frames = 0;

    if (info->len >= 4)
        memcpy(&type, n->pkt, 4);
    if (info->hdr_len < sizeof(*h) || h->set_id != NVSP_RECV_BUF_ID ||
        type != NVSP_MSG1_SEND_RNDIS_PKT) {
        n->rx_bad++;
        ack(n, info->trans_id);
        return 0;
    }
    /* The count is the host's word: believe only the ranges it sent. */
    nr = MIN(h->nr_ranges, (info->hdr_len - (uint32_t)sizeof(*h)) / (uint32_t)sizeof(*r));
    for (uint32_t i = 0; i < nr; i++) {
        uint32_t off = r[i].offset, len = r[i].len, mtype;
        const uint8_t *msg = n->rxbuf + off;
        struct rndis_rx rx;

        if ((uint64_t)off + len > n->rx_end || len < RNDIS_HDR_BYTES) {
            n->rx_bad++;
            continue;
        }
        memcpy(&mtype, msg, 4);
        if (mtype != RNDIS_MSG_PACKET) {
            rx_control(n, msg, len);
            continue;
        }
        if (rndis_parse(msg, len, (uint32_t)n->info.mtu + PLAT_NET_ETH_HLEN + NVS_VLAN_HLEN,
                        &rx) || rx.type != RNDIS_MSG_PACKET) {
            n->rx_bad++;
            continue;
        }
        n->rx_frames++;
        frames++;
        if (n->rx_fn)
            n->rx_fn(n->rx_opaque, n->index, msg + rx.data_off, rx.data_len, &rx.meta);
        else
            n->rx_dropped++;
    }
    ack(n, info->trans_id);
    return frames;
}

static unsigned int rx_completion(struct nvs_nic *n, const struct vmbus_pkt_info *info)
{
    uint64_t tid = info->trans_id;
    uint32_t s = (uint32_t)tid - 1, type = 0, status = 0;

    if (n->sync_pending && tid == n->sync_tid) {
        n->sync_len = MIN(info->len, (uint32_t)sizeof(n->sync_reply));
        memset(n->sync_reply, 0, sizeof(n->sync_reply));
        memcpy(n->sync_reply, n->pkt, n->sync_len);
        n->sync_pending = false;
        n->sync_done = true;
        return 0;
    }
    if ((tid & NVS_TID_SYNC) || s >= n->nr_sections || !n->slots[s].busy ||
        n->slots[s].gen != (uint32_t)(tid >> 32)) {
        n->unknown_tid++;
        return 0;
    }
    if (info->len >= 8) {
        memcpy(&type, n->pkt, 4);
        memcpy(&status, n->pkt + 4, 4);
    }
    return slot_done(n, s, type == NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE &&
                           status == NVSP_STAT_SUCCESS ? 0 : -XEN_EIO);
}

unsigned int nvs_drain(struct nvs_nic *n)
{
    struct vmbus_pkt_info info;
    unsigned int done = 0;

    flush_acks(n);
    /* A receive buffer's worth of frames at most, then let others run. */
    for (unsigned int i = 0; !n->failed && i < 2 * NVS_MAX_SECTIONS + 64; i++) {
        int rc = vmbus_recv_hdr(n->ch, n->hdr, sizeof(n->hdr), n->pkt, sizeof(n->pkt), &info);

        if (rc == -XEN_EAGAIN)
            break;
        if (rc) {
            nvs_fail(n, rc == -XEN_EMSGSIZE ? "oversized packet from the host"
                                            : "channel dead or ring corrupt");
            break;
        }
        switch (info.type) {
        case VMBUS_PKT_COMPLETION:
            done += rx_completion(n, &info);
            break;
        case VMBUS_PKT_DATA_XFER_PAGES:
            done += rx_xfer(n, &info);
            break;
        default:
            n->unsolicited++;       /* NVSP notices (VF, indirection table): unused */
            break;
        }
    }
    return done;
}

void nvs_on_event(void *arg)
{
    nvs_drain(arg);
}

unsigned int nvs_poll(void *ctx)
{
    unsigned int done = 0;

    for (unsigned int i = 0; i < nvs_nr_nics; i++)
        done += nvs_drain(&nvs_nics[i]);
    return done;
}

/* Poll until *flag, or NVS_SYNC_TIMEOUT_NS. */
static int wait_for(struct nvs_nic *n, const bool *flag)
{
    uint64_t deadline = vdev_now_ns() + NVS_SYNC_TIMEOUT_NS;

    while (!*flag && !n->failed) {
        vmbus_poll();
        if (!*flag && vdev_now_ns() > deadline)
            return -XEN_ETIMEDOUT;
    }
    return *flag ? 0 : -XEN_EIO;
}

int nvs_sync(struct nvs_nic *n, const void *msg, uint32_t len)
{
    int rc;

    n->sync_tid = NVS_TID_SYNC | ++n->sync_seq;
    n->sync_done = false;
    n->sync_pending = true;
    rc = vmbus_send(n->ch, msg, len, n->sync_tid, true);
    if (!rc)
        rc = wait_for(n, &n->sync_done);
    n->sync_pending = false;
    return rc;
}

int nvs_rndis_request(struct nvs_nic *n, const void *msg, uint32_t len, uint32_t req_id)
{
    struct nvsp_rndis_pkt p = { .type = NVSP_MSG1_SEND_RNDIS_PKT,
                                .channel_type = NVSP_RNDIS_CONTROL, .section_size = len };
    int s = slot_take(n), rc;

    if (s < 0)
        return s;
    memcpy(n->txbuf + (size_t)s * n->section_bytes, msg, len);
    p.section_index = (uint32_t)s;
    n->ctrl_req_id = req_id;
    n->ctrl_done = false;
    n->ctrl_pending = true;
    rc = vmbus_send(n->ch, &p, sizeof(p), slot_tid(n, (unsigned int)s), true);
    if (rc) {
        slot_free(n, (unsigned int)s);
        n->ctrl_pending = false;
        return rc;
    }
    rc = wait_for(n, &n->ctrl_done);
    n->ctrl_pending = false;
    return rc;
}

/* Internet checksum (RFC 1071) of [p, p + len), complemented, 0 sent as 0xffff. */
static uint16_t csum(const uint8_t *p, uint32_t len)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < len; i++)
        sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    sum = ~sum & 0xffff;
    return sum ? (uint16_t)sum : 0xffff;
}

/* plat_net_tx's checks (plat/net.h); *total gets the frame length. */
static int tx_check(const struct nvs_nic *n, const struct plat_net_tx_req *req, uint32_t *total)
{
    const struct plat_net_offload *o = &req->offload;
    uint32_t sum = 0;

    if (!req->frags || !req->nr_frags || req->nr_frags > n->info.max_frags)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < req->nr_frags; i++) {
        const struct plat_net_frag *f = &req->frags[i];

        if (!f->len || f->len > PAGE_SIZE || (f->addr & ~PAGE_MASK) + f->len > PAGE_SIZE)
            return -XEN_EINVAL;
        sum += f->len;
    }
    if (o->gso_type != PLAT_NET_GSO_NONE)
        return !o->needs_csum || !o->gso_size || o->gso_type > PLAT_NET_GSO_TCPV6 ?
               -XEN_EINVAL : -XEN_EOPNOTSUPP;
    if (sum < PLAT_NET_ETH_HLEN || sum > (uint32_t)n->info.mtu + PLAT_NET_ETH_HLEN + NVS_VLAN_HLEN)
        return -XEN_EINVAL;
    if (o->needs_csum && (o->csum_start < PLAT_NET_ETH_HLEN ||
                          (uint32_t)o->csum_start + o->csum_offset + 2 > sum))
        return -XEN_EINVAL;
    *total = sum;
    return 0;
}

int nvs_tx(void *ctx, unsigned int idx, struct plat_net_tx_req *req)
{
    struct nvsp_rndis_pkt p = { .type = NVSP_MSG1_SEND_RNDIS_PKT,
                                .channel_type = NVSP_RNDIS_DATA };
    const struct plat_net_offload *o = &req->offload;
    struct nvs_nic *n;
    uint8_t *sec, *frame;
    uint32_t total, at = 0;
    int s, rc;

    if (idx >= nvs_nr_nics || nvs_nics[idx].failed)
        return -XEN_ENODEV;
    n = &nvs_nics[idx];
    rc = tx_check(n, req, &total);
    if (rc)
        return rc;
    s = slot_take(n);
    if (s < 0)
        return s;
    sec = n->txbuf + (size_t)s * n->section_bytes;
    frame = sec + sizeof(struct rndis_packet);
    for (unsigned int i = 0; i < req->nr_frags; i++) {
        memcpy(frame + at, vdev_map(req->frags[i].addr), req->frags[i].len);
        at += req->frags[i].len;
    }
    if (o->needs_csum) {
        /* The field holds the pseudo-header sum (CHECKSUM_PARTIAL): sum over it. */
        uint16_t c = csum(frame + o->csum_start, total - o->csum_start);

        frame[o->csum_start + o->csum_offset] = (uint8_t)(c >> 8);
        frame[o->csum_start + o->csum_offset + 1] = (uint8_t)c;
        n->tx_sw_csum++;
    }
    p.section_size = rndis_build_packet((struct rndis_packet *)sec, total) + total;
    p.section_index = (uint32_t)s;
    rc = vmbus_send(n->ch, &p, sizeof(p), slot_tid(n, (unsigned int)s), true);
    if (rc) {
        slot_free(n, (unsigned int)s);
        return rc == -XEN_EAGAIN ? -XEN_EBUSY : -XEN_ENODEV;
    }
    n->slots[s].req = req;
    return 0;
}

int nvs_set_rx(void *ctx, unsigned int idx, plat_net_rx_fn fn, void *opaque)
{
    if (idx >= nvs_nr_nics)
        return -XEN_ENODEV;
    nvs_nics[idx].rx_fn = fn;
    nvs_nics[idx].rx_opaque = opaque;
    return 0;
}
