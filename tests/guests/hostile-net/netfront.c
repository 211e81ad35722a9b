// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bare netif frontend: talk_to_netback's keys (tx-ring-ref, rx-ring-ref,
 * event-channel, request-rx-copy, feature-rx-notify, feature-sg), then
 * XenbusStateConnected (netfront never uses Initialised), and the two
 * shared rings of [H:io/ring.h] done by hand.
 */
#include "netfront.h"

static void nf_key(const struct netfront *nf, const char *key, unsigned int v)
{
    char path[96];

    snprintf(path, sizeof(path), "%s/%s", nf->fe, key);
    xs_printf(path, "%u", v);
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

long nf_probe(struct netfront *nf)
{
    char path[96], mac[32];
    long rc;

    memset(nf, 0, sizeof(*nf));
    rc = xb_probe("vif", nf->fe, sizeof(nf->fe), nf->be, sizeof(nf->be));
    if (rc)
        return rc;
    snprintf(path, sizeof(path), "%s/mac", nf->fe);
    if (xs_read(path, mac, sizeof(mac)) != 17)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < 6; i++) {
        int hi = hex(mac[3 * i]), lo = hex(mac[3 * i + 1]);

        if (hi < 0 || lo < 0)
            return -XEN_EINVAL;
        nf->mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

long nf_connect(struct netfront *nf, void *tx, grant_ref_t tx_ref, void *rx,
                grant_ref_t rx_ref, unsigned int rx_copy)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
    long rc;

    /* SHARED_RING_INIT + FRONT_RING_INIT for both rings. */
    memset(tx, 0, PAGE_SIZE);
    memset(rx, 0, PAGE_SIZE);
    nf->tx = tx;
    nf->rx = rx;
    nf->tx->req_event = nf->tx->rsp_event = 1;
    nf->rx->req_event = nf->rx->rsp_event = 1;
    nf->tx_prod_pvt = nf->tx_rsp_cons = nf->rx_prod_pvt = nf->rx_rsp_cons = 0;
    rc = hypervisor_event_channel_op(EVTCHNOP_alloc_unbound, &au);
    if (rc) {
        test_error("alloc_unbound for the vif: %ld", rc);
        return -1;
    }
    nf->port = au.port;
    nf_key(nf, "tx-ring-ref", tx_ref);
    nf_key(nf, "rx-ring-ref", rx_ref);
    nf_key(nf, "event-channel", nf->port);
    nf_key(nf, "request-rx-copy", rx_copy);
    nf_key(nf, "feature-rx-notify", 1);
    nf_key(nf, "feature-sg", 1);
    xb_switch(nf->fe, XenbusStateConnected);
    return xb_wait_state2(nf->be, XenbusStateConnected, XenbusStateClosing);
}

bool nf_reset(struct netfront *nf)
{
    struct evtchn_close cl = { .port = nf->port };
    bool ok = xb_reset(nf->fe, nf->be);

    if (nf->port)
        hypervisor_event_channel_op(EVTCHNOP_close, &cl);
    nf->port = 0;
    return ok;
}

void nf_tx_put(struct netfront *nf, grant_ref_t gref, uint16_t off, uint16_t flags,
               uint16_t id, uint16_t size)
{
    nf->tx->ring[nf->tx_prod_pvt++ % NF_RING_ENTRIES].req =
        (struct netif_tx_request){ .gref = gref, .offset = off, .flags = flags,
                                   .id = id, .size = size };
}

void nf_tx_put_extra(struct netfront *nf, const struct netif_extra_info *x)
{
    memcpy(&nf->tx->ring[nf->tx_prod_pvt++ % NF_RING_ENTRIES], x, sizeof(*x));
}

void nf_tx_push(struct netfront *nf)
{
    struct evtchn_send s = { .port = nf->port };

    /* Release: the slots are in the ring before req_prod covers them. */
    __atomic_store_n(&nf->tx->req_prod, nf->tx_prod_pvt, __ATOMIC_RELEASE);
    hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

uint32_t nf_tx_pending(const struct netfront *nf)
{
    return __atomic_load_n(&nf->tx->rsp_prod, __ATOMIC_ACQUIRE) - nf->tx_rsp_cons;
}

static bool tx_has(void *arg)
{
    return nf_tx_pending(arg) != 0;
}

bool nf_tx_take(struct netfront *nf, struct netif_tx_response *r)
{
    if (!guest_wait(tx_has, nf, 5000))
        return false;
    *r = nf->tx->ring[nf->tx_rsp_cons++ % NF_RING_ENTRIES].rsp;
    nf->tx->rsp_event = nf->tx_rsp_cons + 1;
    return true;
}

void nf_rx_post(struct netfront *nf, grant_ref_t gref, uint16_t id)
{
    struct evtchn_send s = { .port = nf->port };

    nf->rx->ring[nf->rx_prod_pvt++ % NF_RING_ENTRIES].req =
        (struct netif_rx_request){ .id = id, .gref = gref };
    /* Release: the request is in the ring before req_prod covers it. */
    __atomic_store_n(&nf->rx->req_prod, nf->rx_prod_pvt, __ATOMIC_RELEASE);
    hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

static bool rx_has(void *arg)
{
    const struct netfront *nf = arg;

    return __atomic_load_n(&nf->rx->rsp_prod, __ATOMIC_ACQUIRE) != nf->rx_rsp_cons;
}

bool nf_rx_take(struct netfront *nf, struct netif_rx_response *r, unsigned int ms)
{
    if (!guest_wait(rx_has, nf, ms))
        return false;
    *r = nf->rx->ring[nf->rx_rsp_cons++ % NF_RING_ENTRIES].rsp;
    nf->rx->rsp_event = nf->rx_rsp_cons + 1;
    return true;
}
