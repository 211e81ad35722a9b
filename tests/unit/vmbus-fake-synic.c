// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake host's rings, echo service, SynIC (SINT 2 message slot and event
 * flags), clock and log (see vmbus-fake-host.h). The ring code is the
 * host's half of the protocol written on its own: the host produces into
 * the host -> guest ring and consumes the guest -> host ring.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <plat/hyperv.h>
#include <plat/platform.h>
#include <shim/log.h>
#include "vmbus-fake-host.h"

static void put_bytes(uint8_t *ring, uint32_t size, uint32_t *pos, const void *src, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        ring[*pos] = src ? ((const uint8_t *)src)[i] : 0;
        *pos = (*pos + 1) % size;
    }
}

static void get_bytes(const uint8_t *ring, uint32_t size, uint32_t pos, void *dst, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        ((uint8_t *)dst)[i] = ring[(pos + i) % size];
}

int fh_ring_put(struct fh_chan *c, uint16_t type, uint64_t trans_id, const void *hdr,
                uint32_t hdr_len, const void *data, uint32_t len)
{
    struct vmbus_pkt_desc d = { .type = type, .trans_id = trans_id };
    uint32_t rd = c->h2g_hdr->read_index, wr = c->h2g_hdr->write_index, start = wr;
    uint32_t pkt = (uint32_t)ALIGN_UP(sizeof(d) + hdr_len + len, 8);
    uint32_t room = wr >= rd ? c->h2g_size - (wr - rd) : rd - wr;
    uint64_t trailer = (uint64_t)start << 32;

    if (room <= pkt + 8)
        return -1;
    d.offset8 = (uint16_t)((sizeof(d) + hdr_len) / 8);
    d.len8 = (uint16_t)(pkt / 8);
    put_bytes(c->h2g, c->h2g_size, &wr, &d, sizeof(d));
    put_bytes(c->h2g, c->h2g_size, &wr, hdr, hdr_len);
    put_bytes(c->h2g, c->h2g_size, &wr, data, len);
    put_bytes(c->h2g, c->h2g_size, &wr, NULL, pkt - (uint32_t)sizeof(d) - hdr_len - len);
    put_bytes(c->h2g, c->h2g_size, &wr, &trailer, 8);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    c->h2g_hdr->write_index = wr;
    return 0;
}

int fh_ring_get(struct fh_chan *c, void *buf, uint32_t cap, uint32_t *len)
{
    struct vmbus_pkt_desc d;
    uint32_t rd = c->g2h_hdr->read_index, wr = c->g2h_hdr->write_index;
    uint64_t trailer;

    if (rd == wr)
        return -1;
    get_bytes(c->g2h, c->g2h_size, rd, &d, sizeof(d));
    *len = d.len8 * 8u;
    if (*len > cap || *len < sizeof(d))
        abort();
    get_bytes(c->g2h, c->g2h_size, rd, buf, *len);
    get_bytes(c->g2h, c->g2h_size, (rd + *len) % c->g2h_size, &trailer, 8);
    if (trailer != (uint64_t)rd << 32)
        fh.bad_trailers++;
    c->g2h_hdr->read_index = (rd + *len + 8) % c->g2h_size;
    return 0;
}

void fh_service(void)
{
    static uint8_t buf[1 << 16];

    for (unsigned int i = 0; i < 8; i++) {
        struct fh_chan *c = &fh.chans[i];
        struct vmbus_pkt_desc d;
        uint32_t len, off;
        bool raised = false;

        if (!c->open || fh.no_echo)
            continue;
        while (!fh_ring_get(c, buf, sizeof(buf), &len)) {
            memcpy(&d, buf, sizeof(d));
            off = d.offset8 * 8u;
            if (off > len)
                abort();
            if (d.type == VMBUS_PKT_COMPLETION) {
                c->completions++;
                continue;
            }
            /* Requests are answered with a completion, other data echoed. */
            if (d.type == VMBUS_PKT_DATA_GPA_DIRECT ||
                (d.flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)) {
                if (fh_ring_put(c, VMBUS_PKT_COMPLETION, d.trans_id, NULL, 0, buf + off, len - off))
                    abort();
            } else if (fh_ring_put(c, d.type, d.trans_id, NULL, 0, buf + off, len - off)) {
                abort();
            }
            c->echoed++;
            raised = true;
        }
        if (raised)
            fh_raise_event(c->relid);
    }
}

unsigned int fh_count(uint32_t msgtype)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < fh.nr_posts; i++)
        n += ((const struct vmbus_msg_hdr *)(const void *)fh.posts[i].b)->msgtype == msgtype;
    return n;
}

const struct fh_post *fh_last(uint32_t msgtype)
{
    for (unsigned int i = fh.nr_posts; i-- > 0;)
        if (((const struct vmbus_msg_hdr *)(const void *)fh.posts[i].b)->msgtype == msgtype)
            return &fh.posts[i];
    return NULL;
}

/* ---- plat/hyperv.h: presence and SynIC ---------------------------------- */

bool hv_present(void)
{
    return !fh.absent;
}

bool hv_has_synic(void)
{
    return !fh.absent && !fh.no_synic;
}

void hv_synic_set_handler(unsigned int sint, void (*fn)(void *arg), void *arg)
{
    if (sint != VMBUS_MESSAGE_SINT)
        abort();
    fh.handler = fn;
    fh.handler_arg = arg;
}

struct hv_message_view hv_synic_message(unsigned int sint)
{
    struct hv_message_view v = { 0 };

    if (sint == VMBUS_MESSAGE_SINT && fh.q_head != fh.q_tail) {
        v.type = VMBUS_HV_MESSAGE_TYPE;
        v.len = fh.queue_len[fh.q_head % 64];
        v.payload = fh.queue[fh.q_head % 64];
    }
    return v;
}

void hv_synic_message_done(unsigned int sint)
{
    if (sint == VMBUS_MESSAGE_SINT && fh.q_head != fh.q_tail)
        fh.q_head++;
}

volatile uint64_t *hv_synic_event_flags(unsigned int sint)
{
    return sint == VMBUS_MESSAGE_SINT ? fh.event_flags : NULL;
}

void hv_synic_poll(void)
{
    bool flagged = false;

    fh_service();
    for (unsigned int i = 0; i < 2048 / 64; i++)
        flagged |= fh.event_flags[i] != 0;
    if (fh.handler && (fh.q_head != fh.q_tail || flagged))
        fh.handler(fh.handler_arg);
}

/* ---- plat/platform.h clock and shim/log.h ------------------------------- */

uint64_t plat_now_ns(void)
{
    /* Each look at the clock costs a millisecond: timeouts come quickly. */
    fh.now_ns += 1000 * 1000;
    return fh.now_ns;
}

void log_printf(const char *fmt, ...)
{
    size_t used = strlen(fh.log);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fh.log + used, sizeof(fh.log) - used, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

void fh_connect(void)
{
    if (vmbus_init() != 0)
        abort();
}
void fh_raise_event(uint32_t relid)
{
    struct fh_chan *c = fh_chan(relid);

    /* A host does not interrupt a client that masked its ring. */
    if (c && READ_ONCE(c->h2g_hdr->interrupt_mask))
        return;
    if (fh.version >= VMBUS_VERSION_WIN8) {
        fh.event_flags[relid / 64] |= 1ULL << (relid % 64);
    } else {
        uint8_t *recv = fh_pa_to_va(fh.int_page_pa);

        recv[relid / 8] |= (uint8_t)(1u << (relid % 8));
        fh.event_flags[0] |= 1;
    }
}
