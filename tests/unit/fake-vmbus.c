// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake VMBus of fake-vmbus.h, and the memory/time/log calls the
 * Viridian providers need from the shim (vdev.h, shim/log.h), for host
 * unit tests. Packets keep the contract's semantics: sends never run the
 * channel callback; vmbus_recv returns -XEN_EMSGSIZE leaving the packet in
 * place when the buffer is short; a corrupt ring gives -XEN_EIO.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <shim/log.h>
#include <xen/errno.h>
#include "../../shim/platform/viridian/vdev.h"
#include "fake-vmbus.h"

#define FAKE_MAX_CHANNELS 4
#define FAKE_MAX_ALLOCS   64

static struct fake_channel channels[FAKE_MAX_CHANNELS];
static unsigned int nr_channels;
static void *allocs[FAKE_MAX_ALLOCS];
static unsigned int nr_allocs;
uint64_t fake_now_ns;

void fake_vmbus_reset(void)
{
    for (unsigned int i = 0; i < nr_channels; i++) {
        free(channels[i].sent);
        free(channels[i].rxq);
    }
    memset(channels, 0, sizeof(channels));
    nr_channels = 0;
    for (unsigned int i = 0; i < nr_allocs; i++)
        free(allocs[i]);
    nr_allocs = 0;
    fake_now_ns = 0;
}

struct fake_channel *fake_vmbus_add(const struct vmbus_guid *type, fake_host_fn host,
                                    void *host_ctx)
{
    struct fake_channel *fc;

    assert_true(nr_channels < FAKE_MAX_CHANNELS);
    fc = &channels[nr_channels];
    fc->type = *type;
    fc->instance.b[0] = (uint8_t)nr_channels;
    fc->host = host;
    fc->host_ctx = host_ctx;
    fc->sent = calloc(FAKE_SENT_LOG, sizeof(*fc->sent));
    fc->rxq = calloc(FAKE_RX_QUEUE, sizeof(*fc->rxq));
    assert_non_null(fc->sent);
    assert_non_null(fc->rxq);
    nr_channels++;
    return fc;
}

void fake_vmbus_push_hdr(struct fake_channel *fc, uint16_t type, uint64_t trans_id,
                         const void *hdr, uint32_t hdr_len, const void *data, uint32_t len)
{
    struct fake_rx *r;

    assert_true(fc->rx_tail - fc->rx_head < FAKE_RX_QUEUE);
    assert_true(len <= FAKE_MAX_PKT && hdr_len <= FAKE_MAX_HDR);
    r = &fc->rxq[fc->rx_tail++ % FAKE_RX_QUEUE];
    r->type = type;
    r->trans_id = trans_id;
    r->len = len;
    r->hdr_len = hdr_len;
    if (hdr_len)
        memcpy(r->hdr, hdr, hdr_len);
    if (len)
        memcpy(r->data, data, len);
}

void fake_vmbus_push(struct fake_channel *fc, uint16_t type, uint64_t trans_id,
                     const void *data, uint32_t len)
{
    fake_vmbus_push_hdr(fc, type, trans_id, NULL, 0, data, len);
}

const struct fake_sent *fake_vmbus_sent(const struct fake_channel *fc, unsigned int n)
{
    unsigned int first = fc->nr_sent > FAKE_SENT_LOG ? fc->nr_sent - FAKE_SENT_LOG : 0;

    assert_true(first + n < fc->nr_sent);
    return &fc->sent[(first + n) % FAKE_SENT_LOG];
}

void *fake_pfn_ptr(uint64_t pfn)
{
    return (void *)(uintptr_t)(pfn << PAGE_SHIFT);
}

/* ---- plat/vmbus.h ------------------------------------------------------ */

int vmbus_init(void)
{
    return nr_channels ? 0 : -XEN_ENODEV;
}

uint32_t vmbus_version(void)
{
    return 5u << 16;
}

struct vmbus_channel *vmbus_find(const struct vmbus_guid *type, unsigned int nth)
{
    for (unsigned int i = 0; i < nr_channels; i++)
        if (!memcmp(&channels[i].type, type, sizeof(*type)) && !nth--)
            return (struct vmbus_channel *)&channels[i];
    return NULL;
}

const struct vmbus_guid *vmbus_instance(const struct vmbus_channel *ch)
{
    return &((const struct fake_channel *)ch)->instance;
}

const uint8_t *vmbus_user_defined(const struct vmbus_channel *ch)
{
    static const uint8_t zero[VMBUS_USER_DEFINED_BYTES];

    return zero;
}

uint16_t vmbus_mmio_megabytes(const struct vmbus_channel *ch)
{
    return 0;
}

int vmbus_open(struct vmbus_channel *ch, uint32_t send_bytes, uint32_t recv_bytes,
               void (*on_event)(void *arg), void *arg)
{
    struct fake_channel *fc = (struct fake_channel *)ch;

    assert_false(fc->open);
    assert_true(send_bytes && !(send_bytes % PAGE_SIZE) && recv_bytes && !(recv_bytes % PAGE_SIZE));
    if (fc->open_rc)
        return fc->open_rc;
    fc->open = true;
    fc->send_bytes = send_bytes;
    fc->recv_bytes = recv_bytes;
    fc->on_event = on_event;
    fc->arg = arg;
    return 0;
}

void vmbus_close(struct vmbus_channel *ch)
{
    struct fake_channel *fc = (struct fake_channel *)ch;

    fc->open = false;
    fc->closes++;
}

static struct fake_sent *log_send(struct fake_channel *fc, uint16_t type, const void *data,
                                  uint32_t len, uint64_t trans_id)
{
    struct fake_sent *s = &fc->sent[fc->nr_sent++ % FAKE_SENT_LOG];

    assert_true(fc->open);
    assert_true(len <= FAKE_MAX_PKT);
    memset(s, 0, offsetof(struct fake_sent, data));
    s->type = type;
    s->trans_id = trans_id;
    s->len = len;
    memcpy(s->data, data, len);
    return s;
}

int vmbus_send(struct vmbus_channel *ch, const void *data, uint32_t len, uint64_t trans_id,
               bool want_completion)
{
    struct fake_channel *fc = (struct fake_channel *)ch;
    struct fake_sent *s;

    if (fc->corrupt)
        return -XEN_EIO;
    if (fc->send_rc)
        return fc->send_rc;
    s = log_send(fc, VMBUS_PKT_DATA_INBAND, data, len, trans_id);
    s->want_completion = want_completion;
    if (fc->host)
        fc->host(fc, s);
    return 0;
}

int vmbus_send_gpa(struct vmbus_channel *ch, const struct vmbus_gpa_range *ranges,
                   unsigned int nr_ranges, const void *data, uint32_t len, uint64_t trans_id)
{
    struct fake_channel *fc = (struct fake_channel *)ch;
    struct fake_sent *s;

    if (fc->corrupt)
        return -XEN_EIO;
    if (fc->send_rc)
        return fc->send_rc;
    assert_true(nr_ranges >= 1 && nr_ranges <= FAKE_MAX_RANGES);
    s = log_send(fc, VMBUS_PKT_DATA_GPA_DIRECT, data, len, trans_id);
    s->want_completion = true;
    s->nr_ranges = nr_ranges;
    for (unsigned int i = 0; i < nr_ranges; i++) {
        const struct vmbus_gpa_range *r = &ranges[i];

        /* The window must lie inside the frames it names (VMBus rule). */
        assert_true(r->nr_pfns >= 1 && r->nr_pfns <= FAKE_MAX_PFNS);
        assert_true(r->offset < PAGE_SIZE && r->len);
        assert_true((uint64_t)r->offset + r->len <= (uint64_t)r->nr_pfns * PAGE_SIZE);
        assert_true((uint64_t)r->offset + r->len > (uint64_t)(r->nr_pfns - 1) * PAGE_SIZE);
        s->ranges[i].len = r->len;
        s->ranges[i].offset = r->offset;
        s->ranges[i].nr_pfns = r->nr_pfns;
        memcpy(s->ranges[i].pfns, r->pfns, r->nr_pfns * sizeof(uint64_t));
    }
    if (fc->host)
        fc->host(fc, s);
    return 0;
}

int vmbus_send_completion(struct vmbus_channel *ch, const void *data, uint32_t len,
                          uint64_t trans_id)
{
    struct fake_channel *fc = (struct fake_channel *)ch;
    struct fake_sent *s;

    if (fc->corrupt)
        return -XEN_EIO;
    if (fc->send_rc)
        return fc->send_rc;
    s = log_send(fc, VMBUS_PKT_COMPLETION, data, len, trans_id);
    if (fc->host)
        fc->host(fc, s);
    return 0;
}

int vmbus_recv_hdr(struct vmbus_channel *ch, void *hdr, uint32_t hdr_cap,
                   void *buf, uint32_t buflen, struct vmbus_pkt_info *info)
{
    struct fake_channel *fc = (struct fake_channel *)ch;
    struct fake_rx *r;

    if (fc->corrupt)
        return -XEN_EIO;
    if (fc->rx_head == fc->rx_tail)
        return -XEN_EAGAIN;
    r = &fc->rxq[fc->rx_head % FAKE_RX_QUEUE];
    info->type = r->type;
    info->trans_id = r->trans_id;
    info->len = r->len;
    info->hdr_len = r->hdr_len;
    if (r->len > buflen || (hdr && r->hdr_len > hdr_cap))
        return -XEN_EMSGSIZE;
    memcpy(buf, r->data, r->len);
    if (hdr)
        memcpy(hdr, r->hdr, r->hdr_len);
    fc->rx_head++;
    return 0;
}

int vmbus_recv(struct vmbus_channel *ch, void *buf, uint32_t buflen,
               struct vmbus_pkt_info *info)
{
    return vmbus_recv_hdr(ch, NULL, 0, buf, buflen, info);
}

int vmbus_gpadl_create(struct vmbus_channel *ch, paddr_t base, uint32_t nr_pages,
                       uint32_t *handle)
{
    struct fake_channel *fc = (struct fake_channel *)ch;

    assert_true(fc->nr_gpadls < 4);
    assert_true(nr_pages && !(base & ~PAGE_MASK));
    fc->gpadl_base[fc->nr_gpadls] = base;
    fc->gpadl_pages[fc->nr_gpadls] = nr_pages;
    fc->gpadl_handle[fc->nr_gpadls] = 0x100 + fc->nr_gpadls;
    *handle = fc->gpadl_handle[fc->nr_gpadls++];
    return 0;
}

int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle)
{
    return 0;
}

void vmbus_poll(void)
{
    for (unsigned int i = 0; i < nr_channels; i++) {
        struct fake_channel *fc = &channels[i];

        if (fc->open && fc->on_event && (fc->rx_head != fc->rx_tail || fc->corrupt))
            fc->on_event(fc->arg);
    }
}

/* ---- vdev.h and shim/log.h --------------------------------------------- */

void *vdev_dma_alloc(uint32_t nr_pages, paddr_t *pa)
{
    void *p = aligned_alloc(PAGE_SIZE, (size_t)nr_pages * PAGE_SIZE);

    assert_non_null(p);
    assert_true(nr_allocs < FAKE_MAX_ALLOCS);
    memset(p, 0, (size_t)nr_pages * PAGE_SIZE);
    allocs[nr_allocs++] = p;
    *pa = (paddr_t)(uintptr_t)p;
    return p;
}

const void *vdev_map(paddr_t pa)
{
    return (const void *)(uintptr_t)pa;
}

uint64_t vdev_now_ns(void)
{
    return fake_now_ns += 1000 * 1000;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    if (!getenv("FAKE_VMBUS_LOG"))
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
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
