// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMBus channels: open and close, packets in and out of the rings, the
 * host's events and the client's signals.
 *
 * Design: one contiguous allocation holds the send ring then the receive
 * ring, described to the host by one GPADL; OPENCHANNEL names the page
 * where the receive ring starts. A channel's callback runs with the
 * receive ring's interrupt masked and is re-run while data arrived before
 * the unmask (no signal would come for it). Signals to the host go through
 * the monitor page when the offer allocated a monitor id, otherwise through
 * HvSignalEvent on the offer's connection id, plus the interrupt-page bit
 * when the channel has no dedicated interrupt.
 */
#include "vmbus-priv.h"
#include <plat/hyperv.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>

/* How often a callback is re-run for data that raced the unmask. */
#define VMBUS_CALLBACK_ROUNDS 64

struct vmbus_channel *vmbus_channel_by_relid(uint32_t relid)
{
    for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++) {
        struct vmbus_channel *ch = &vmbus_conn.channels[i];

        if (ch->relid == relid && !ch->rescinded)
            return ch;
    }
    return NULL;
}

static void set_bit_atomic(uint8_t *base, uint32_t bit)
{
    uint32_t *word = (uint32_t *)(void *)base + bit / 32;

    __atomic_fetch_or(word, 1u << (bit % 32), __ATOMIC_SEQ_CST);
}

void vmbus_channel_signal(struct vmbus_channel *ch)
{
    uint8_t *send_half = vmbus_conn.int_page + VMBUS_INT_PAGE_SEND_OFFSET;

    if (ch->monitored) {
        /* The host polls the monitor page within its latency: no hypercall. */
        set_bit_atomic(send_half, ch->relid);
        set_bit_atomic(vmbus_conn.monitor[1] + VMBUS_MONITOR_PENDING_OFFSET(ch->monitor_id / 32),
                       ch->monitor_id % 32);
        return;
    }
    if (!ch->dedicated_interrupt)
        set_bit_atomic(send_half, ch->relid);
    if (hv_signal_event(ch->connection_id, 0))
        log_warn("vmbus: relid %u: HvSignalEvent failed\n", ch->relid);
}

static void mark_dead_if_broken(struct vmbus_channel *ch)
{
    if (ch->tx.broken || ch->rx.broken) {
        if (!ch->dead)
            log_warn("vmbus: relid %u: the host broke a ring; channel dead\n", ch->relid);
        ch->dead = true;
    }
}

/* The provider's callback, marked so that it cannot start a request that waits. */
static void call(struct vmbus_channel *ch)
{
    vmbus_conn.in_callback++;
    ch->on_event(ch->arg);
    vmbus_conn.in_callback--;
}

static void run_callback(struct vmbus_channel *ch)
{
    for (unsigned int i = 0; i < VMBUS_CALLBACK_ROUNDS && ch->open && !ch->dead; i++) {
        vmbus_ring_mask(&ch->rx);
        call(ch);
        mark_dead_if_broken(ch);
        if (!ch->open || ch->dead || !vmbus_ring_unmask(&ch->rx))
            break;
    }
    if (ch->open && ch->dead && !ch->dead_notified) {
        ch->dead_notified = true;
        call(ch);
    }
}

void vmbus_channel_event(uint32_t relid)
{
    struct vmbus_channel *ch = vmbus_channel_by_relid(relid);

    if (ch && ch->open)
        run_callback(ch);
}

void vmbus_channel_notify_dead(void)
{
    for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++) {
        struct vmbus_channel *ch = &vmbus_conn.channels[i];

        if (ch->open && ch->dead && !ch->dead_notified)
            run_callback(ch);
    }
}

static void release_relid(struct vmbus_channel *ch)
{
    struct vmbus_msg_relid_released msg = {
        .hdr.msgtype = CHANNELMSG_RELID_RELEASED,
        .child_relid = ch->relid,
    };

    /* The host may reuse the relid once the client let go of it. */
    if (vmbus_post(&msg, sizeof(msg)))
        log_warn("vmbus: relid %u: could not release\n", ch->relid);
}

void vmbus_channel_rescind(struct vmbus_channel *ch)
{
    log_info("vmbus: relid %u rescinded\n", ch->relid);
    ch->rescinded = true;
    ch->dead = true;
    /* An open channel is released when its provider closes it. */
    if (!ch->open)
        release_relid(ch);
}

/* Rings of the requested sizes, reusing the last ones when they match. */
static int ring_memory(struct vmbus_channel *ch, uint32_t send_pages, uint32_t recv_pages)
{
    uint32_t pages = send_pages + recv_pages;

    if (!ch->ring_va || ch->ring_pages != pages) {
        ch->ring_va = vmbus_mem_alloc(pages, &ch->ring_pa);
        if (!ch->ring_va)
            return -XEN_ENOMEM;
        ch->ring_pages = pages;
    } else {
        memset(ch->ring_va, 0, (size_t)pages * PAGE_SIZE);
    }
    ch->send_pages = send_pages;
    if (vmbus_ring_init(&ch->tx, ch->ring_va, send_pages * (uint32_t)PAGE_SIZE) ||
        vmbus_ring_init(&ch->rx, ch->ring_va + (size_t)send_pages * PAGE_SIZE,
                        recv_pages * (uint32_t)PAGE_SIZE))
        return -XEN_EINVAL;
    return 0;
}

int vmbus_open(struct vmbus_channel *ch, uint32_t send_bytes, uint32_t recv_bytes,
               void (*on_event)(void *arg), void *arg)
{
    struct vmbus_msg_open_channel msg;
    struct vmbus_msg_open_result result;
    uint32_t send_pages = send_bytes / PAGE_SIZE, recv_pages = recv_bytes / PAGE_SIZE;
    int rc;

    if (ch->dead)
        return -XEN_EIO;
    if (ch->open || !on_event)
        return -XEN_EINVAL;
    if (!IS_ALIGNED(send_bytes, PAGE_SIZE) || !IS_ALIGNED(recv_bytes, PAGE_SIZE) ||
        send_pages < 2 || recv_pages < 2 ||
        (uint64_t)send_pages + recv_pages > VMBUS_GPADL_MAX_PFNS)
        return -XEN_EINVAL;
    rc = ring_memory(ch, send_pages, recv_pages);
    if (rc)
        return rc;
    rc = vmbus_gpadl_create(ch, ch->ring_pa, send_pages + recv_pages, &ch->ring_gpadl);
    if (rc) {
        if (rc == -XEN_ETIMEDOUT)
            ch->ring_va = NULL;         /* the host may have taken it after all */
        return rc;
    }

    memset(&msg, 0, sizeof(msg));
    msg.hdr.msgtype = CHANNELMSG_OPENCHANNEL;
    msg.child_relid = ch->relid;
    msg.openid = ch->relid;             /* unique per open request */
    msg.ring_gpadl = ch->ring_gpadl;
    msg.target_vp = 0;                  /* events go to the boot CPU */
    msg.downstream_ring_page_offset = send_pages;
    rc = vmbus_wait_arm(CHANNELMSG_OPENCHANNEL_RESULT, 2, ch->relid, ch->relid);
    if (!rc) {
        rc = vmbus_post(&msg, sizeof(msg));
        if (rc)
            vmbus_conn.wait.msgtype = 0;
        else
            rc = vmbus_wait_done(VMBUS_TIMEOUT_NS);
    }
    if (!rc) {
        memcpy(&result, vmbus_conn.wait.msg, sizeof(result));
        if (vmbus_conn.wait.len < sizeof(result) || result.status) {
            log_warn("vmbus: relid %u: open refused (status %#x)\n", ch->relid,
                     vmbus_conn.wait.len < sizeof(result) ? 0 : result.status);
            rc = -XEN_EIO;
        }
    }
    if (rc) {
        if (vmbus_gpadl_teardown(ch, ch->ring_gpadl))
            ch->ring_va = NULL;         /* the host may still hold it: never reuse */
        ch->ring_gpadl = 0;
        return rc;
    }
    ch->on_event = on_event;
    ch->arg = arg;
    ch->dead_notified = false;
    ch->open = true;
    return 0;
}

void vmbus_close(struct vmbus_channel *ch)
{
    struct vmbus_msg_close_channel msg = {
        .hdr.msgtype = CHANNELMSG_CLOSECHANNEL,
        .child_relid = ch->relid,
    };

    if (!ch->open)
        return;
    ch->open = false;
    ch->on_event = NULL;
    if (ch->rescinded) {
        /* The host already forgot the channel and its GPADLs. */
        ch->ring_va = NULL;
        ch->ring_gpadl = 0;
        release_relid(ch);
        return;
    }
    if (vmbus_post(&msg, sizeof(msg)) || vmbus_gpadl_teardown(ch, ch->ring_gpadl))
        ch->ring_va = NULL;             /* the host may still write the rings */
    ch->ring_gpadl = 0;
}

/* Write one packet (descriptor + iovs) and signal the host if it needs it. */
static int send_packet(struct vmbus_channel *ch, struct vmbus_iov *iov, unsigned int nr_iov)
{
    bool signal;
    int rc;

    if (ch->dead || !ch->open)
        return -XEN_EIO;
    rc = vmbus_ring_write(&ch->tx, iov, nr_iov, &signal);
    mark_dead_if_broken(ch);
    if (!rc && signal)
        vmbus_channel_signal(ch);
    return rc;
}

static int send_simple(struct vmbus_channel *ch, uint16_t type, uint16_t flags,
                       const void *data, uint32_t len, uint64_t trans_id)
{
    struct vmbus_pkt_desc d = {
        .type = type,
        .offset8 = sizeof(d) / 8,
        .flags = flags,
        .trans_id = trans_id,
    };
    struct vmbus_iov iov[2] = { { &d, sizeof(d) }, { data, len } };
    uint64_t total = ALIGN_UP((uint64_t)sizeof(d) + len, 8);

    if (total > VMBUS_PKT_MAX_BYTES)
        return -XEN_EINVAL;
    d.len8 = (uint16_t)(total / 8);
    return send_packet(ch, iov, 2);
}

int vmbus_send(struct vmbus_channel *ch, const void *data, uint32_t len,
               uint64_t trans_id, bool want_completion)
{
    return send_simple(ch, VMBUS_PKT_DATA_INBAND,
                       want_completion ? VMBUS_PKT_FLAG_COMPLETION_REQUESTED : 0,
                       data, len, trans_id);
}

int vmbus_send_completion(struct vmbus_channel *ch, const void *data, uint32_t len,
                          uint64_t trans_id)
{
    return send_simple(ch, VMBUS_PKT_COMPLETION, 0, data, len, trans_id);
}

int vmbus_send_gpa(struct vmbus_channel *ch, const struct vmbus_gpa_range *ranges,
                   unsigned int nr_ranges, const void *data, uint32_t len,
                   uint64_t trans_id)
{
    struct vmbus_pkt_gpa_direct h;
    struct vmbus_gpa_range_hdr rh[VMBUS_MAX_GPA_RANGES];
    struct vmbus_iov iov[2 + 2 * VMBUS_MAX_GPA_RANGES];
    unsigned int n = 0;
    uint64_t hdr_bytes = sizeof(h), total;

    if (!nr_ranges || nr_ranges > VMBUS_MAX_GPA_RANGES)
        return -XEN_EINVAL;
    iov[n++] = (struct vmbus_iov){ &h, sizeof(h) };
    for (unsigned int i = 0; i < nr_ranges; i++) {
        const struct vmbus_gpa_range *r = &ranges[i];
        uint64_t span = (uint64_t)r->offset + r->len;

        /* Exactly the frames the byte window touches: no more, no fewer. */
        if (!r->len || r->offset >= PAGE_SIZE || !r->pfns ||
            r->nr_pfns != (span + PAGE_SIZE - 1) / PAGE_SIZE)
            return -XEN_EINVAL;
        rh[i] = (struct vmbus_gpa_range_hdr){ .byte_count = r->len, .byte_offset = r->offset };
        iov[n++] = (struct vmbus_iov){ &rh[i], sizeof(rh[i]) };
        iov[n++] = (struct vmbus_iov){ r->pfns, r->nr_pfns * (uint32_t)sizeof(uint64_t) };
        hdr_bytes += sizeof(rh[i]) + (uint64_t)r->nr_pfns * sizeof(uint64_t);
    }
    iov[n++] = (struct vmbus_iov){ data, len };
    total = ALIGN_UP(hdr_bytes + len, 8);
    if (total > VMBUS_PKT_MAX_BYTES)
        return -XEN_EINVAL;
    memset(&h, 0, sizeof(h));
    h.d.type = VMBUS_PKT_DATA_GPA_DIRECT;
    h.d.offset8 = (uint16_t)(hdr_bytes / 8);    /* hdr_bytes is a multiple of 8 */
    h.d.len8 = (uint16_t)(total / 8);
    h.d.flags = VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
    h.d.trans_id = trans_id;
    h.range_count = nr_ranges;
    return send_packet(ch, iov, n);
}

int vmbus_recv_hdr(struct vmbus_channel *ch, void *hdr, uint32_t hdr_cap,
                   void *buf, uint32_t buflen, struct vmbus_pkt_info *info)
{
    struct vmbus_pkt_desc d;
    uint32_t off, len;
    int rc;

    if (ch->dead || !ch->open)
        return -XEN_EIO;
    rc = vmbus_ring_peek(&ch->rx, &d);
    if (rc) {
        mark_dead_if_broken(ch);
        return rc;
    }
    off = (uint32_t)d.offset8 * 8;
    len = (uint32_t)d.len8 * 8;
    info->type = d.type;
    info->trans_id = d.trans_id;
    info->hdr_len = off - (uint32_t)sizeof(d);
    info->len = len - off;
    if (info->len > buflen || (hdr && info->hdr_len > hdr_cap))
        return -XEN_EMSGSIZE;
    if ((hdr && vmbus_ring_read(&ch->rx, sizeof(d), hdr, info->hdr_len)) ||
        vmbus_ring_read(&ch->rx, off, buf, info->len)) {
        mark_dead_if_broken(ch);
        return -XEN_EIO;
    }
    if (vmbus_ring_consume(&ch->rx))
        vmbus_channel_signal(ch);
    return 0;
}

int vmbus_recv(struct vmbus_channel *ch, void *buf, uint32_t buflen,
               struct vmbus_pkt_info *info)
{
    return vmbus_recv_hdr(ch, NULL, 0, buf, buflen, info);
}

void vmbus_poll(void)
{
    if (!vmbus_conn.version)
        return;
    /* Messages and flagged channels first, then any ring with data. */
    vmbus_sint_handler(NULL);
    for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++) {
        struct vmbus_channel *ch = &vmbus_conn.channels[i];

        if (ch->open && (ch->dead || vmbus_ring_pending(&ch->rx)))
            run_callback(ch);
    }
}
