// SPDX-License-Identifier: GPL-2.0-only
/*
 * The queue of messages for the guest (replies, watch events) and the
 * guest's store ring: struct xenstore_domain_interface (xs_wire.h,
 * docs/misc/xenstore-ring.txt). req[] carries the guest's requests, rsp[]
 * our replies and watch events; each has a free-running u32 producer and
 * consumer index, used modulo XENSTORE_RING_SIZE.
 *
 * Every index lives in guest memory and is hostile: each is read once per
 * pass, a pair more than a ring apart is reported and that direction is
 * left alone for this pass, and at most prod - cons (<= ring size) bytes
 * are touched. Request bytes are copied once into s->in_buf and only the
 * copy is parsed. A new request is taken only when the output queue has
 * room for the largest reply, so replies are never lost; the queue drains
 * into rsp[] as the guest frees space.
 */
#include <shim/log.h>
#include "xs-internal.h"

#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

/* ---- the output queue ------------------------------------------------------ */

void xs_queue_msg(struct xs_server *s, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *data, uint32_t len)
{
    struct xsd_sockmsg h = { type, req_id, tx_id, len };

    if (len > XENSTORE_PAYLOAD_MAX) {   /* Xen send_reply(): E2BIG */
        data = "E2BIG";
        h.type = XS_ERROR;
        h.len = len = sizeof("E2BIG");
    }
    if (xs_fifo_room(&s->out) < sizeof(h) + len) {
        /* Cannot happen: requests are only taken with a reply's room free. */
        log_warn("xenstore: reply to request %u dropped\n", req_id);
        return;
    }
    xs_fifo_put(&s->out, &h, sizeof(h));
    xs_fifo_put(&s->out, data, len);
}

void xs_queue_event(struct xs_server *s, const char *path, const char *token)
{
    uint32_t plen = (uint32_t)strlen(path) + 1, tlen = (uint32_t)strlen(token) + 1;
    struct xsd_sockmsg h = { XS_WATCH_EVENT, 0, 0, plen + tlen };

    if (h.len > XENSTORE_PAYLOAD_MAX)
        return;     /* Xen does not send over-long events either */
    /* Keep room for one full reply, which the current request may need. */
    if (xs_fifo_room(&s->out) < sizeof(h) + h.len + XS_MSG_MAX) {
        s->stats.events_dropped++;
        log_warn("xenstore: watch event %s dropped (queue full)\n", path);
        return;
    }
    xs_fifo_put(&s->out, &h, sizeof(h));
    xs_fifo_put(&s->out, path, plen);
    xs_fifo_put(&s->out, token, tlen);
}

int xs_take_output(struct xs_server *s, void *buf, size_t size)
{
    struct xsd_sockmsg h;
    uint32_t total;

    if (xs_fifo_used(&s->out) < sizeof(h))
        return 0;
    xs_fifo_peek(&s->out, 0, &h, sizeof(h));
    total = (uint32_t)sizeof(h) + h.len;
    if (size < total)
        return -XEN_ENOSPC;
    xs_fifo_peek(&s->out, 0, buf, total);
    s->out.head += total;
    return (int)total;
}

bool xs_output_pending(const struct xs_server *s)
{
    return xs_fifo_used(&s->out) != 0;
}

/* ---- the ring ------------------------------------------------------------------ */

static void ring_error(struct xs_server *s, const char *which, uint32_t prod,
                       uint32_t cons)
{
    if (s->stats.ring_errors++ < 8)
        log_warn("xenstore: %s ring indices prod %u cons %u are impossible; ignored\n",
                 which, prod, cons);
}

/* Queued output -> rsp[]. Returns true if rsp_prod moved. */
static bool flush_out(struct xs_server *s, struct xenstore_domain_interface *ring)
{
    /* Acquire: the guest's reads of the slots it released happen before we
     * overwrite them (pairs with its mb() before writing rsp_cons). */
    uint32_t cons = __atomic_load_n(&ring->rsp_cons, __ATOMIC_ACQUIRE);
    uint32_t prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_RELAXED);
    uint32_t n;

    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_error(s, "response", prod, cons);
        return false;
    }
    n = MIN(XENSTORE_RING_SIZE - (prod - cons), xs_fifo_used(&s->out));
    if (n == 0)
        return false;
    while (n) {
        uint32_t at = MASK_XENSTORE_IDX(prod);
        uint32_t chunk = MIN(n, XENSTORE_RING_SIZE - at);

        xs_fifo_peek(&s->out, 0, &ring->rsp[at], chunk);
        s->out.head += chunk;
        prod += chunk;
        n -= chunk;
    }
    /* Release: the bytes above are visible before the guest sees the new
     * producer index (pairs with its rmb() after reading rsp_prod). */
    __atomic_store_n(&ring->rsp_prod, prod, __ATOMIC_RELEASE);
    return true;
}

/* A complete message is in s->in_hdr / s->in_buf: answer it. */
static void complete(struct xs_server *s)
{
    s->in_buf[s->in_hdr.len] = '\0';    /* belt and braces; parsing is bounded */
    xs_process_msg(s, &s->in_hdr, s->in_buf);
    s->in_used = 0;
}

/* req[] -> s->in_buf, answering complete messages. True if req_cons moved. */
static bool read_in(struct xs_server *s, struct xenstore_domain_interface *ring)
{
    uint32_t cons = __atomic_load_n(&ring->req_cons, __ATOMIC_RELAXED);
    /* Acquire: read the request bytes only after seeing the index that
     * publishes them (pairs with the guest's wmb() before req_prod). */
    uint32_t prod = __atomic_load_n(&ring->req_prod, __ATOMIC_ACQUIRE);
    bool moved = false;

    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_error(s, "request", prod, cons);
        return false;
    }
    while (cons != prod) {
        uint32_t want, n, at;
        char *dst;

        if (s->in_skip) {   /* discarding the payload of an oversize message */
            n = MIN(s->in_skip, prod - cons);
            s->in_skip -= n;
            cons += n;
            moved = true;
            continue;
        }
        /* Start a message only if its reply is sure to fit. */
        if (s->in_used == 0 && xs_fifo_room(&s->out) < XS_MSG_MAX)
            break;
        if (s->in_used < HDR_SIZE) {
            want = HDR_SIZE - s->in_used;
            dst = (char *)&s->in_hdr + s->in_used;
        } else {
            want = HDR_SIZE + s->in_hdr.len - s->in_used;
            dst = s->in_buf + (s->in_used - HDR_SIZE);
        }
        at = MASK_XENSTORE_IDX(cons);
        n = MIN(MIN(want, prod - cons), XENSTORE_RING_SIZE - at);
        memcpy(dst, &ring->req[at], n);
        cons += n;
        s->in_used += n;
        moved = true;
        if (s->in_used == HDR_SIZE && s->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
            /* Xen drops such a connection; we answer and resynchronise
             * after the announced payload. */
            s->stats.bad_messages++;
            xs_queue_msg(s, XS_ERROR, s->in_hdr.req_id, s->in_hdr.tx_id,
                         "EINVAL", sizeof("EINVAL"));
            s->in_skip = s->in_hdr.len;
            s->in_used = 0;
            continue;
        }
        /* in_hdr.len is only meaningful (and <= the payload max) once the
         * whole header is in. */
        if (s->in_used >= HDR_SIZE && s->in_used == HDR_SIZE + s->in_hdr.len)
            complete(s);
    }
    /* Release: our copies of the request bytes are done before the guest
     * may reuse the slots (Xen uses a full mb() here). */
    if (moved)
        __atomic_store_n(&ring->req_cons, cons, __ATOMIC_RELEASE);
    return moved;
}

bool xs_ring_service(struct xs_server *s, struct xenstore_domain_interface *ring)
{
    bool notify = false;

    /* Alternate until neither direction moves; bounded against a guest
     * that keeps refilling the ring from another vCPU. */
    for (unsigned pass = 0; pass < 64; pass++) {
        bool out = flush_out(s, ring);
        bool in = read_in(s, ring);

        notify |= out || in;
        if (!out && !in)
            break;
    }
    xs_run_internal(s);
    notify |= flush_out(s, ring);
    return notify;
}
