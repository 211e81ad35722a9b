/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's half of one blkif device, written the way Linux writes it
 * (drivers/block/xen-blkfront.c talk_to_blkback / blkif_queue_request), but
 * with every field under the test's control so that main.c can lie.
 */
#ifndef HOSTILE_RING_FRONTEND_H
#define HOSTILE_RING_FRONTEND_H

#include "guest.h"
#include "gnttab.h"
#include <xen/io/blkif.h>
#include <xen/io/xenbus.h>

/* ---- one vbd ------------------------------------------------------------- */

#define BF_RING_ENTRIES 32      /* __RING_SIZE of a one-page blkif ring */

struct blkfront {
    char fe[48];                /* "device/vbd/<devid>" (relative) */
    char be[96];                /* the backend's directory */
    struct blkif_sring *sring;
    grant_ref_t ring_ref;
    evtchn_port_t port;
    uint32_t req_prod_pvt, rsp_cons;
    unsigned long sectors;      /* from the backend, once connected */
};

/* Find the first vbd and its backend; waits for InitWait. 0 or -XEN_E*. */
long bf_probe(struct blkfront *bf);
/* Backend state (XenbusState*), or -1 if unreadable. */
long bf_be_state(const struct blkfront *bf);
/* Wait up to 5 s for the backend to reach state; true if it did. */
bool bf_wait_be(const struct blkfront *bf, unsigned int state);
/*
 * Connect on ring page `ring` granted as ring_ref, with a fresh unbound
 * port, writing ring-page-order = order, ring-ref0, event-channel
 * (evtchn_override if non-zero) and protocol, then Initialised.
 * Returns the backend state it settles in (Connected, or Closing when it
 * refused the handshake).
 */
long bf_connect(struct blkfront *bf, struct blkif_sring *ring, grant_ref_t ring_ref,
                unsigned int order, evtchn_port_t evtchn_override);
/* Closing, Closed (backend follows), then Initialising (backend InitWait
 * again); the port is closed. true if the backend followed every step. */
bool bf_reset(struct blkfront *bf);
/* Put raw bytes (a request of any kind) in the next slot, unpublished. */
void bf_put(struct blkfront *bf, const void *req, size_t len);
/* Publish the slots put and notify the backend. */
void bf_push(struct blkfront *bf);
/* Wait up to 5 s for a response; true and *rsp if one came. */
bool bf_take(struct blkfront *bf, struct blkif_response *rsp);
/* Responses published and not taken yet. */
uint32_t bf_pending(const struct blkfront *bf);

#endif
