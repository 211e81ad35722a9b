/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's half of one netif device, written the way Linux xen-netfront
 * writes it (drivers/net/xen-netfront.c talk_to_netback, xennet_start_xmit,
 * xennet_alloc_rx_buffers) but with every index and slot under the test's
 * control: one queue, one event channel, rx-copy, both rings one page.
 */
#ifndef HOSTILE_NET_NETFRONT_H
#define HOSTILE_NET_NETFRONT_H

#include "guest.h"
#include "gnttab.h"
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define NF_RING_ENTRIES 256     /* __RING_SIZE of a one-page tx or rx ring */

struct netfront {
    char fe[48], be[96];
    uint8_t mac[6];
    struct netif_tx_sring *tx;
    struct netif_rx_sring *rx;
    evtchn_port_t port;
    uint32_t tx_prod_pvt, tx_rsp_cons;
    uint32_t rx_prod_pvt, rx_rsp_cons;
};

/* Find the first vif, its backend and MAC; waits for InitWait. */
long nf_probe(struct netfront *nf);
/* Connect on fresh rings tx/rx granted as tx_ref/rx_ref with a fresh port,
 * request-rx-copy = rx_copy; returns the backend state it settles in
 * (Connected, or Closing when it refused). */
long nf_connect(struct netfront *nf, void *tx, grant_ref_t tx_ref, void *rx,
                grant_ref_t rx_ref, unsigned int rx_copy);
/* Closing/Closed/Initialising with the backend following; closes the port. */
bool nf_reset(struct netfront *nf);
/* A tx slot (unpublished), an extra_info slot; publish and notify. */
void nf_tx_put(struct netfront *nf, grant_ref_t gref, uint16_t off, uint16_t flags,
               uint16_t id, uint16_t size);
void nf_tx_put_extra(struct netfront *nf, const struct netif_extra_info *x);
void nf_tx_push(struct netfront *nf);
/* Wait up to 5 s for a tx response. */
bool nf_tx_take(struct netfront *nf, struct netif_tx_response *r);
uint32_t nf_tx_pending(const struct netfront *nf);
/* Post an rx buffer (published at once; netback reads on frame arrival). */
void nf_rx_post(struct netfront *nf, grant_ref_t gref, uint16_t id);
/* Wait up to ms for an rx response. */
bool nf_rx_take(struct netfront *nf, struct netif_rx_response *r, unsigned int ms);

#endif
