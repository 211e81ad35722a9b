// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake Hyper-V host of the VMBus unit tests (see vmbus-fake-host.h).
 * It answers at once to each posted message by queueing its responses on
 * SINT 2; hv_synic_poll delivers them to the client's handler, runs the
 * echo service and advances the clock. It checks what it is sent the way a
 * host would (connection ids, lengths, addresses inside the fake machine)
 * and counts violations for the tests to assert on.
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

struct fake_host fh;

/* SCSI controller and network adapter class GUIDs, in wire order. */
const struct vmbus_guid fh_type_a = { { 0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d,
                                        0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f } };
const struct vmbus_guid fh_type_b = { { 0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46,
                                        0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e } };

#define FH_MEM_PAGES   1024
#define FH_MEM_BASE    0x40000000ULL

static uint8_t *mem;
static uint32_t mem_next, mem_limit;

void fh_set_mem_limit(uint32_t pages)
{
    mem_limit = pages;
}

void *vmbus_mem_alloc(uint32_t nr_pages, paddr_t *pa)
{
    if ((uint64_t)mem_next + nr_pages > mem_limit)
        return NULL;
    *pa = FH_MEM_BASE + (uint64_t)mem_next * PAGE_SIZE;
    memset(mem + (size_t)mem_next * PAGE_SIZE, 0, (size_t)nr_pages * PAGE_SIZE);
    mem_next += nr_pages;
    return mem + (size_t)(*pa - FH_MEM_BASE);
}

void *fh_pa_to_va(uint64_t pa)
{
    if (pa < FH_MEM_BASE || pa >= FH_MEM_BASE + (uint64_t)FH_MEM_PAGES * PAGE_SIZE) {
        fprintf(stderr, "fake host: address %#llx outside the machine\n", (unsigned long long)pa);
        abort();
    }
    return mem + (pa - FH_MEM_BASE);
}

static bool pa_ok(uint64_t pa)
{
    return IS_ALIGNED(pa, PAGE_SIZE) && pa >= FH_MEM_BASE &&
           pa < FH_MEM_BASE + (uint64_t)mem_next * PAGE_SIZE;
}

void fh_reset(void)
{
    if (!mem) {
        mem = aligned_alloc(PAGE_SIZE, (size_t)FH_MEM_PAGES * PAGE_SIZE);
        if (!mem)
            abort();
    }
    memset(&vmbus_conn, 0, sizeof(vmbus_conn));
    memset(&fh, 0, sizeof(fh));
    mem_next = 0;
    mem_limit = FH_MEM_PAGES;
    fh.max_version = VMBUS_VERSION_WIN10_V5_3;
    fh.nr_offers = 2;
}

void fh_queue(const void *msg, uint32_t len)
{
    unsigned int slot = fh.q_tail % 64;

    if (fh.q_tail - fh.q_head == 64)
        abort();
    memset(fh.queue[slot], 0, sizeof(fh.queue[slot]));
    memcpy(fh.queue[slot], msg, len);
    fh.queue_len[slot] = len;
    fh.q_tail++;
}

static void queue_offer(uint32_t relid, const struct vmbus_guid *type, bool monitored,
                        uint16_t sub_index)
{
    struct vmbus_msg_offer_channel o;

    memset(&o, 0, sizeof(o));
    o.hdr.msgtype = CHANNELMSG_OFFERCHANNEL;
    memcpy(o.offer.if_type, type->b, 16);
    memset(o.offer.if_instance, (int)relid, 16);
    o.offer.mmio_megabytes = (uint16_t)(relid * 2);
    o.offer.user_def[0] = (uint8_t)relid;
    o.offer.sub_channel_index = sub_index;
    o.child_relid = relid;
    if (monitored) {
        o.monitor_flags = VMBUS_OFFER_MONITOR_ALLOCATED;
        o.monitor_id = FH_MONITOR_B;
        o.connection_id = VMBUS_EVENT_CONNECTION_ID;
    } else {
        o.interrupt_flags = VMBUS_OFFER_DEDICATED_INTERRUPT;
        o.connection_id = FH_CONN_A;
    }
    fh_queue(&o, sizeof(o));
}

static struct fh_gpadl *gpadl_by_handle(uint32_t handle)
{
    for (unsigned int i = 0; i < FH_MAX_GPADLS; i++)
        if (fh.gpadls[i].used && fh.gpadls[i].handle == handle)
            return &fh.gpadls[i];
    return NULL;
}

struct fh_chan *fh_chan(uint32_t relid)
{
    for (unsigned int i = 0; i < 8; i++)
        if (fh.chans[i].open && fh.chans[i].relid == relid)
            return &fh.chans[i];
    return NULL;
}

static void gpadl_header(const uint8_t *b, uint32_t len)
{
    struct vmbus_msg_gpadl_header h;
    struct vmbus_msg_gpadl_created c = { .hdr.msgtype = CHANNELMSG_GPADL_CREATED };
    struct fh_gpadl *g = NULL;
    uint32_t n;

    memcpy(&h, b, sizeof(h));
    for (unsigned int i = 0; i < FH_MAX_GPADLS && !g; i++)
        if (!fh.gpadls[i].used)
            g = &fh.gpadls[i];
    if (!g || h.range_count != 1 || h.range_buflen < 8 || (h.range_buflen - 8) % 8)
        abort();
    memset(g, 0, sizeof(*g));
    g->used = true;
    g->relid = h.child_relid;
    g->handle = h.gpadl;
    g->range_buflen = h.range_buflen;
    g->nr_pfns = (h.range_buflen - 8u) / 8u;
    g->byte_count = h.range.byte_count;
    g->byte_offset = h.range.byte_offset;
    n = (len - (uint32_t)sizeof(h)) / 8;
    if (n > g->nr_pfns || n > 8192)
        abort();
    memcpy(g->pfns, b + sizeof(h), n * 8);
    g->got = n;
    if (g->got == g->nr_pfns) {
        g->created = true;
        c.child_relid = g->relid;
        c.gpadl = g->handle;
        c.creation_status = fh.gpadl_status;
        fh_queue(&c, sizeof(c));
    }
}

static void gpadl_body(const uint8_t *b, uint32_t len)
{
    struct vmbus_msg_gpadl_body h;
    struct vmbus_msg_gpadl_created c = { .hdr.msgtype = CHANNELMSG_GPADL_CREATED };
    struct fh_gpadl *g;
    uint32_t n = (len - (uint32_t)sizeof(h)) / 8;

    memcpy(&h, b, sizeof(h));
    g = gpadl_by_handle(h.gpadl);
    if (!g || g->created || g->got + n > g->nr_pfns)
        abort();
    memcpy(g->pfns + g->got, b + sizeof(h), n * 8);
    g->got += n;
    if (g->got == g->nr_pfns) {
        g->created = true;
        c.child_relid = g->relid;
        c.gpadl = g->handle;
        c.creation_status = fh.gpadl_status;
        fh_queue(&c, sizeof(c));
    }
}

static void open_channel(const uint8_t *b)
{
    struct vmbus_msg_open_channel o;
    struct vmbus_msg_open_result r = { .hdr.msgtype = CHANNELMSG_OPENCHANNEL_RESULT };
    struct fh_gpadl *g;
    struct fh_chan *c = NULL;

    memcpy(&o, b, sizeof(o));
    g = gpadl_by_handle(o.ring_gpadl);
    if (!g || !g->created || o.downstream_ring_page_offset >= g->nr_pfns)
        abort();
    /* The client's rings are contiguous: the first frame maps them all. */
    for (uint32_t i = 1; i < g->nr_pfns; i++)
        if (g->pfns[i] != g->pfns[0] + i)
            abort();
    r.child_relid = o.child_relid;
    r.openid = o.openid;
    r.status = fh.open_status;
    if (!fh.open_status) {
        for (unsigned int i = 0; i < 8 && !c; i++)
            if (!fh.chans[i].open)
                c = &fh.chans[i];
        memset(c, 0, sizeof(*c));
        c->open = true;
        c->relid = o.child_relid;
        c->gpadl = o.ring_gpadl;
        c->g2h_hdr = fh_pa_to_va(g->pfns[0] << PAGE_SHIFT);
        c->g2h = (uint8_t *)c->g2h_hdr + PAGE_SIZE;
        c->g2h_size = (o.downstream_ring_page_offset - 1) * (uint32_t)PAGE_SIZE;
        c->h2g_hdr = fh_pa_to_va((g->pfns[0] + o.downstream_ring_page_offset) << PAGE_SHIFT);
        c->h2g = (uint8_t *)c->h2g_hdr + PAGE_SIZE;
        c->h2g_size = (g->nr_pfns - o.downstream_ring_page_offset - 1) * (uint32_t)PAGE_SIZE;
    }
    fh_queue(&r, sizeof(r));
}

static void contact(const struct vmbus_msg_initiate_contact *m, uint32_t conn_id)
{
    static const uint32_t known[] = { VMBUS_VERSION_WIN7, VMBUS_VERSION_WIN8,
        VMBUS_VERSION_WIN8_1, VMBUS_VERSION_WIN10, VMBUS_VERSION_WIN10_V4_1,
        VMBUS_VERSION_WIN10_V5, VMBUS_VERSION_WIN10_V5_1, VMBUS_VERSION_WIN10_V5_2,
        VMBUS_VERSION_WIN10_V5_3 };
    struct vmbus_msg_version_response r = { .hdr.msgtype = CHANNELMSG_VERSION_RESPONSE };
    bool v5 = m->version_requested >= VMBUS_VERSION_WIN10_V5, ok = false;

    for (unsigned int i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        ok |= known[i] == m->version_requested;
    /* What a host insists on: the right connection, SINT or interrupt page, monitor pages. */
    if (conn_id != (v5 ? VMBUS_MESSAGE_CONNECTION_ID_4 : VMBUS_MESSAGE_CONNECTION_ID) ||
        (v5 ? m->msg_sint != VMBUS_MESSAGE_SINT : !pa_ok(m->interrupt_page)) ||
        !pa_ok(m->monitor_page1) || !pa_ok(m->monitor_page2) ||
        m->monitor_page1 == m->monitor_page2)
        abort();
    r.version_supported = ok && m->version_requested <= fh.max_version;
    if (r.version_supported) {
        fh.version = m->version_requested;
        fh.int_page_pa = v5 ? 0 : m->interrupt_page;
    }
    r.msg_conn_id = v5 ? FH_MSG_CONN_ID : 0;
    fh_queue(&r, fh.short_version_response ? 12 : sizeof(r));
}

int hv_post_message(uint32_t connection_id, uint32_t msg_type, const void *payload, uint32_t len)
{
    struct vmbus_msg_hdr h;
    const uint8_t *b = payload;
    struct fh_post *p;

    if (fh.busy_posts) {
        fh.busy_posts--;
        return -XEN_EAGAIN;
    }
    if (len > HV_MESSAGE_PAYLOAD_BYTES || len < sizeof(h) || msg_type != VMBUS_HV_MESSAGE_TYPE)
        abort();
    memcpy(&h, b, sizeof(h));
    if (connection_id == VMBUS_MESSAGE_CONNECTION_ID_4 && fh.no_conn4)
        return -XEN_EIO;        /* HV_STATUS_INVALID_CONNECTION_ID */
    if (fh.nr_posts == FH_MAX_POSTS)
        abort();
    p = &fh.posts[fh.nr_posts++];
    p->conn_id = connection_id;
    p->type = msg_type;
    p->len = len;
    memcpy(p->b, b, len);
    if (fh.silent)
        return 0;
    if (h.msgtype == CHANNELMSG_INITIATE_CONTACT) {
        struct vmbus_msg_initiate_contact m;

        if (len != sizeof(m))
            abort();
        memcpy(&m, b, sizeof(m));
        contact(&m, connection_id);
        return 0;
    }
    /* After contact, the connection the host named (5.x) or connection 1. */
    if (connection_id != (fh.version >= VMBUS_VERSION_WIN10_V5 ? FH_MSG_CONN_ID
                                                                 : VMBUS_MESSAGE_CONNECTION_ID))
        return -XEN_EIO;
    switch (h.msgtype) {
    case CHANNELMSG_REQUESTOFFERS: {
        struct vmbus_msg_hdr all = { .msgtype = CHANNELMSG_ALLOFFERS_DELIVERED };

        if (fh.nr_offers > 0)
            queue_offer(FH_RELID_A, &fh_type_a, false, 0);
        if (fh.nr_offers > 1)
            queue_offer(FH_RELID_B, &fh_type_b, true, 0);
        if (fh.sub_channel_offer)
            queue_offer(FH_RELID_A + 1, &fh_type_a, false, 1);
        fh_queue(&all, sizeof(all));
        break;
    }
    case CHANNELMSG_GPADL_HEADER:
        gpadl_header(b, len);
        break;
    case CHANNELMSG_GPADL_BODY:
        gpadl_body(b, len);
        break;
    case CHANNELMSG_GPADL_TEARDOWN: {
        struct vmbus_msg_gpadl_teardown t;
        struct vmbus_msg_gpadl_torndown r = { .hdr.msgtype = CHANNELMSG_GPADL_TORNDOWN };
        struct fh_gpadl *g;

        memcpy(&t, b, sizeof(t));
        g = gpadl_by_handle(t.gpadl);
        if (!g)
            abort();
        g->used = false;
        r.gpadl = t.gpadl;
        fh_queue(&r, sizeof(r));
        break;
    }
    case CHANNELMSG_OPENCHANNEL:
        if (len != sizeof(struct vmbus_msg_open_channel))
            abort();
        open_channel(b);
        break;
    case CHANNELMSG_CLOSECHANNEL: {
        struct vmbus_msg_close_channel c;
        struct fh_chan *ch;

        memcpy(&c, b, sizeof(c));
        ch = fh_chan(c.child_relid);
        if (ch)
            ch->open = false;
        break;
    }
    case CHANNELMSG_RELID_RELEASED: {
        struct vmbus_msg_relid_released r;

        memcpy(&r, b, sizeof(r));
        fh.released_relid = r.child_relid;
        break;
    }
    default:
        abort();
    }
    return 0;
}

int hv_signal_event(uint32_t connection_id, uint16_t flag_number)
{
    fh.signals++;
    fh.last_signal_conn = connection_id;
    return flag_number ? -XEN_EIO : 0;
}
