// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bare blkif frontend: the xenbus handshake of Linux xen-blkfront
 * (talk_to_blkback: ring-ref or ring-page-order + ring-ref<i>,
 * event-channel, protocol, then XenbusStateInitialised; blkback_changed
 * waits for Connected) and the shared ring of [H:io/ring.h] done by hand,
 * so that the test can write any index and any request.
 */
#include "frontend.h"
#include <xen/io/protocols.h>

long bf_be_state(const struct blkfront *bf)
{
    return xb_state(bf->be);
}

bool bf_wait_be(const struct blkfront *bf, unsigned int state)
{
    return xb_wait_state(bf->be, state);
}

static void bf_path(char *buf, size_t size, const char *dir, const char *key)
{
    snprintf(buf, size, "%s/%s", dir, key);
}

long bf_probe(struct blkfront *bf)
{
    memset(bf, 0, sizeof(*bf));
    return xb_probe("vbd", bf->fe, sizeof(bf->fe), bf->be, sizeof(bf->be));
}

long bf_connect(struct blkfront *bf, struct blkif_sring *ring, grant_ref_t ring_ref,
                unsigned int order, evtchn_port_t evtchn_override)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
    char path[64], sectors[128];
    long rc;

    /* SHARED_RING_INIT + FRONT_RING_INIT: indices from 0, events at 1. */
    memset(ring, 0, PAGE_SIZE);
    ring->req_event = ring->rsp_event = 1;
    bf->sring = ring;
    bf->ring_ref = ring_ref;
    bf->req_prod_pvt = bf->rsp_cons = 0;
    rc = hypervisor_event_channel_op(EVTCHNOP_alloc_unbound, &au);
    if (rc) {
        test_error("alloc_unbound for the vbd: %ld", rc);
        return -1;
    }
    bf->port = au.port;
    /* Always the multi-page form (the backend offers max-ring-page-order),
     * so a later connect overwrites what an earlier one wrote. */
    bf_path(path, sizeof(path), bf->fe, "ring-page-order");
    xs_printf(path, "%u", order);
    bf_path(path, sizeof(path), bf->fe, "ring-ref0");
    xs_printf(path, "%u", ring_ref);
    bf_path(path, sizeof(path), bf->fe, "event-channel");
    xs_printf(path, "%u", evtchn_override ? evtchn_override : bf->port);
    bf_path(path, sizeof(path), bf->fe, "protocol");
    xs_write(path, XEN_IO_PROTO_ABI_X86_64);
    xb_switch(bf->fe, XenbusStateInitialised);
    rc = xb_wait_state2(bf->be, XenbusStateConnected, XenbusStateClosing);
    if (rc == XenbusStateConnected) {
        bf_path(sectors, sizeof(sectors), bf->be, "sectors");
        if (xs_read_uint(sectors, &bf->sectors))
            bf->sectors = 0;
    }
    return rc;
}

bool bf_reset(struct blkfront *bf)
{
    struct evtchn_close cl = { .port = bf->port };
    bool ok = xb_reset(bf->fe, bf->be);

    /* The backend unbound it on Closed; now it is ours to close. */
    if (bf->port)
        hypervisor_event_channel_op(EVTCHNOP_close, &cl);
    bf->port = 0;
    return ok;
}

void bf_put(struct blkfront *bf, const void *req, size_t len)
{
    union blkif_sring_entry *e = &bf->sring->ring[bf->req_prod_pvt++ % BF_RING_ENTRIES];

    memset(e, 0, sizeof(*e));
    memcpy(e, req, len < sizeof(*e) ? len : sizeof(*e));
}

void bf_push(struct blkfront *bf)
{
    struct evtchn_send s = { .port = bf->port };

    /* Release: the requests are in the ring before req_prod covers them. */
    __atomic_store_n(&bf->sring->req_prod, bf->req_prod_pvt, __ATOMIC_RELEASE);
    hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

uint32_t bf_pending(const struct blkfront *bf)
{
    return __atomic_load_n(&bf->sring->rsp_prod, __ATOMIC_ACQUIRE) - bf->rsp_cons;
}

static bool has_response(void *arg)
{
    return bf_pending(arg) != 0;
}

bool bf_take(struct blkfront *bf, struct blkif_response *rsp)
{
    if (!guest_wait(has_response, bf, 5000))
        return false;
    /* Acquire in bf_pending: the response is read after rsp_prod. */
    *rsp = bf->sring->ring[bf->rsp_cons++ % BF_RING_ENTRIES].rsp;
    bf->sring->rsp_event = bf->rsp_cons + 1;
    return true;
}
