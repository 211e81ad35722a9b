// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's shared ring: taking requests, publishing responses.
 *
 * Design: the ring is guest memory the frontend may rewrite at any time.
 * req_prod is read once per pass and must stay within a ring of req_cons
 * (else the vbd is stopped as hostile); each request is copied out 8 bytes
 * at a time, once, and only the copy is looked at (Linux blkback's XSA-155
 * rule). A request is taken only when a pool record is free and its
 * response slot is; otherwise it waits in the ring until a completion
 * (blkback-io.c) calls blkback_service again. Responses are published with
 * RING_PUSH_RESPONSES_AND_CHECK_NOTIFY's rule, requests re-armed with
 * RING_FINAL_CHECK_FOR_REQUESTS's (io/ring.h, contract 9.1).
 */
#include <shim/evtchn.h>
#include <shim/lib.h>
#include <shim/log.h>
#include "blkback-priv.h"

uint32_t blkback_ring_entries(unsigned int nr_pages)
{
    uint32_t n = (uint32_t)((nr_pages * PAGE_SIZE - BLKBACK_SRING_HDR) /
                            sizeof(union blkif_sring_entry));

    while (n & (n - 1))
        n &= n - 1;         /* round down to a power of two (__RD32) */
    return n;
}

static volatile uint32_t *ring_idx(const struct vbd *v, size_t field_off)
{
    return (volatile uint32_t *)(v->ring_page[0] + field_off);
}

/* The entries may straddle the (discontiguous) ring pages; 8-byte units
 * never do, as entries and the header are multiples of 8. */
static volatile uint64_t *ring_word(const struct vbd *v, size_t off)
{
    return (volatile uint64_t *)(v->ring_page[off >> PAGE_SHIFT] + (off & (PAGE_SIZE - 1)));
}

static size_t entry_off(const struct vbd *v, uint32_t i)
{
    return BLKBACK_SRING_HDR + (size_t)(i & (v->ring_size - 1)) * sizeof(union blkif_sring_entry);
}

static void ring_read(const struct vbd *v, size_t off, void *dst, size_t len)
{
    uint64_t *d = dst;

    for (size_t i = 0; i < len; i += 8)
        *d++ = *ring_word(v, off + i);      /* each word read exactly once */
}

static void ring_write(const struct vbd *v, size_t off, const void *src, size_t len)
{
    const uint64_t *s = src;

    for (size_t i = 0; i < len; i += 8)
        *ring_word(v, off + i) = *s++;
}

/* Write a response into the next slot; published by push(). */
void blkback_respond(struct vbd *v, uint64_t id, uint8_t op, int16_t status)
{
    struct blkif_response r;

    memset(&r, 0, sizeof(r));
    r.id = id;
    r.operation = op;
    r.status = status;
    ring_write(v, entry_off(v, v->rsp_prod_pvt), &r, sizeof(r));
    v->rsp_prod_pvt++;
    v->rsp_pending = true;
}

static void notify_guest(struct vbd *v)
{
    const struct evtchn *c = &v->d->evtchn[v->port];

    /* The frontend may have closed (or reused) the port meanwhile. */
    if (c->state == ECS_INTERDOMAIN && c->backend == EVTCHN_BACKEND_BLKBACK &&
        c->backend_idx == v->idx)
        evtchn_set_pending(v->d, v->port);
}

/* RING_PUSH_RESPONSES_AND_CHECK_NOTIFY, with our own copy of the old index. */
void blkback_push(struct vbd *v)
{
    uint32_t old = v->rsp_published, new = v->rsp_prod_pvt, ev;

    v->rsp_pending = false;
    if (!v->connected || old == new)
        return;
    /* Release: the responses are in the ring before the index moves. */
    __atomic_store_n(ring_idx(v, offsetof(struct blkif_sring, rsp_prod)), new,
                     __ATOMIC_RELEASE);
    v->rsp_published = new;
    /* Full fence: the new rsp_prod is visible before rsp_event is read. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    ev = *ring_idx(v, offsetof(struct blkif_sring, rsp_event));
    if ((uint32_t)(new - ev) < (uint32_t)(new - old))
        notify_guest(v);
}


void blkback_service(struct vbd *v)
{
    union blkback_wire_req w;
    uint32_t prod;

    if (!v->connected || v->broken)
        return;
    for (;;) {
        /* Acquire: the requests are read after the index that covers them. */
        prod = __atomic_load_n(ring_idx(v, offsetof(struct blkif_sring, req_prod)),
                               __ATOMIC_ACQUIRE);
        if (prod - v->req_cons > v->ring_size) {
            blkback_fatal(v, "frontend produced %u requests on a ring of %u",
                          prod - v->req_cons, v->ring_size);
            break;
        }
        while (v->req_cons != prod) {
            struct blkback_req *q;

            /* No response slot free (RING_REQUEST_CONS_OVERFLOW), or no
             * record: leave the rest in the ring until a completion. */
            if (v->req_cons - v->rsp_prod_pvt >= v->ring_size || !(q = blkback_req_get(v))) {
                v->stalled = true;
                goto out;
            }
            ring_read(v, entry_off(v, v->req_cons), &w, sizeof(w));
            v->req_cons++;
            blkback_take_request(v, q, &w);
            if (!v->connected || v->broken)
                goto out;
        }
        /* RING_FINAL_CHECK_FOR_REQUESTS: re-arm, then look once more. */
        *ring_idx(v, offsetof(struct blkif_sring, req_event)) = v->req_cons + 1;
        /* Full fence: req_event is visible before req_prod is re-read. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (*ring_idx(v, offsetof(struct blkif_sring, req_prod)) == v->req_cons)
            break;
    }
out:
    if (v->rsp_pending)
        blkback_push(v);
}
