// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's xenstore side: the nodes libxl (libxl_nic.c) and Linux netback
 * (drivers/net/xen-netback/xenbus.c) write for a vif (contract 7.4, 7.6),
 * the watch on the frontend's state, and connect/disconnect of the rings.
 *
 * States: the backend publishes InitWait at once; netfront answers with its
 * ring refs and event channel(s) and goes straight to Connected, on which
 * we map both rings (write grants), bind the port(s), register for the
 * NIC's frames and switch to Connected. Closing/Closed as blkback: on
 * Closed (or a vanished frontend) the rings are dropped and the backend is
 * Closed; a frontend Initialising again gets InitWait again.
 */
#include <shim/evtchn.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/xenstore.h>
#include <xen/errno.h>
#include "netback-priv.h"

struct vif netback_vifs[NETBACK_MAX_VIFS];
unsigned int netback_nr_vifs;
/* Inside a watch callback: xenstore output is flushed by the server then. */
static bool in_watch;

static __printf(4, 5) void node_write(struct vif *v, const char *dir, const char *key,
                                      const char *fmt, ...)
{
    char path[128], val[64];
    va_list ap;
    int n, rc;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    va_start(ap, fmt);
    n = vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    rc = n < 0 || (size_t)n >= sizeof(val) ? -XEN_E2BIG
                                            : xs_write_node(v->d->xs, path, val, (size_t)n, NULL, 0);
    if (rc)
        log_warn("netback vif%u: cannot write %s: %d\n", v->cfg.idx, path, rc);
}

static void switch_state(struct vif *v, unsigned int st)
{
    v->be_state = st;
    node_write(v, v->be_path, "state", "%u", st);
}

/* <frontend dir>/key as an unsigned number; dflt if missing. */
static int fe_read_uint(struct vif *v, const char *key, uint64_t dflt, uint64_t *out)
{
    char path[128];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", v->fe_path, key);
    rc = xs_read_uint(v->d->xs, path, out);
    if (rc == -XEN_ENOENT) {
        *out = dflt;
        return 0;
    }
    return rc;
}

void netback_fatal(struct vif *v, const char *fmt, ...)
{
    char path[128], msg[128], node[160];
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_warn("netback vif%u: %s\n", v->cfg.idx, msg);
    v->broken = true;
    /* xenbus_dev_fatal: "<errno> <message>" under dom0's error/<backend>. */
    snprintf(path, sizeof(path), "/local/domain/0/error/backend/vif/%u/%u/error",
             v->d->domid, v->cfg.idx);
    n = snprintf(node, sizeof(node), "%d %s", XEN_EINVAL, msg);
    (void)xs_write_node(v->d->xs, path, node, MIN((size_t)n, sizeof(node) - 1), NULL, 0);
    switch_state(v, XenbusStateClosing);
    if (!in_watch)
        netback_xs_kick(v->d);
}

void netback_notify(struct domain *d, unsigned int instance)
{
    (void)d;
    if (instance >= netback_nr_vifs)
        return;         /* only ports netback bound carry an instance */
    /* A tx kick, or an rx refill (we drop instead of queueing: nothing to do). */
    netback_tx_service(&netback_vifs[instance]);
}

static void unbind(struct vif *v, evtchn_port_t port)
{
    struct evtchn *c = &v->d->evtchn[port];

    /* As on Xen when the remote end closes: the guest's port is unbound again. */
    if (c->state == ECS_INTERDOMAIN && c->backend == EVTCHN_BACKEND_NETBACK &&
        c->backend_idx == v->idx) {
        c->state = ECS_UNBOUND;
        c->backend = EVTCHN_BACKEND_NONE;
        c->backend_idx = 0;
    }
}

static void release_rings(struct vif *v)
{
    if (v->tx_ring)
        gnttab_release(v->d, &v->tx_map);
    if (v->rx_ring)
        gnttab_release(v->d, &v->rx_map);
    v->tx_ring = v->rx_ring = NULL;
}

static void disconnect(struct vif *v)
{
    if (!v->connected)
        return;
    (void)plat_net_set_rx(v->cfg.idx, NULL, NULL);
    v->connected = false;
    v->gen++;                       /* packets in flight answer nobody */
    netback_tx_cancel(v);
    unbind(v, v->tx_port);
    unbind(v, v->rx_port);
    release_rings(v);
    log_info("netback vif%u: disconnected (tx %lu/%lu err, rx %lu/%lu dropped)\n",
             v->cfg.idx, (unsigned long)v->stats.tx_packets, (unsigned long)v->stats.tx_errors,
             (unsigned long)v->stats.rx_packets, (unsigned long)v->stats.rx_dropped);
}

static int map_ring(struct vif *v, const char *key, struct gnt_mapping *m, uint8_t **ring)
{
    uint64_t ref;

    if (fe_read_uint(v, key, UINT64_MAX, &ref) || ref > UINT32_MAX ||
        gnttab_acquire(v->d, (grant_ref_t)ref, true, m) != GNTST_okay) {
        netback_fatal(v, "cannot map %s", key);
        return -XEN_EINVAL;
    }
    *ring = m->page;
    if (m->offset != 0 || m->len != PAGE_SIZE) {
        netback_fatal(v, "%s is a sub-page grant", key);
        return -XEN_EINVAL;
    }
    return 0;
}

static bool port_ok(struct vif *v, uint64_t port)
{
    return port != 0 && port < NR_EVTCHN_PORTS && v->d->evtchn[port].state == ECS_UNBOUND;
}

static void bind(struct vif *v, evtchn_port_t port)
{
    struct evtchn *c = &v->d->evtchn[port];

    c->state = ECS_INTERDOMAIN;
    c->backend = EVTCHN_BACKEND_NETBACK;
    c->backend_idx = (uint8_t)v->idx;
}

/* Read the frontend's ring details, map the rings, bind; 0 or fatal. */
static int connect_rings(struct vif *v)
{
    uint64_t queues, copy, notify, port, tx_port, rx_port;
    uint32_t prod, cons;

    if (fe_read_uint(v, "multi-queue-num-queues", 1, &queues) || queues != 1) {
        netback_fatal(v, "multi-queue-num-queues must be 1");
        return -XEN_EINVAL;
    }
    if (fe_read_uint(v, "request-rx-copy", 0, &copy) || copy != 1) {
        netback_fatal(v, "only rx-copy is supported (request-rx-copy=1)");
        return -XEN_EINVAL;
    }
    /* Linux netback: feature-rx-notify is mandatory (we never poll the rx ring). */
    if (fe_read_uint(v, "feature-rx-notify", 0, &notify) || notify != 1) {
        netback_fatal(v, "feature-rx-notify is mandatory");
        return -XEN_EINVAL;
    }
    if (fe_read_uint(v, "event-channel", 0, &port))
        port = 0;
    if (port) {
        tx_port = rx_port = port;
    } else if (fe_read_uint(v, "event-channel-tx", 0, &tx_port) ||
               fe_read_uint(v, "event-channel-rx", 0, &rx_port) || tx_port == rx_port) {
        tx_port = rx_port = 0;
    }
    if (!port_ok(v, tx_port) || !port_ok(v, rx_port)) {
        netback_fatal(v, "no unbound event-channel");
        return -XEN_EINVAL;
    }
    if (map_ring(v, "tx-ring-ref", &v->tx_map, &v->tx_ring) ||
        map_ring(v, "rx-ring-ref", &v->rx_map, &v->rx_ring))
        goto fail;
    netback_tlb_sync();
    /* BACK_RING_ATTACH: continue from the indices the frontend left. */
    cons = *netback_ring_idx(v->tx_ring, offsetof(struct netif_tx_sring, rsp_prod));
    prod = *netback_ring_idx(v->tx_ring, offsetof(struct netif_tx_sring, req_prod));
    if (prod - cons > NETBACK_TX_RING_SIZE) {
        netback_fatal(v, "tx ring indices %u/%u impossible", prod, cons);
        goto fail;
    }
    v->tx_req_cons = v->tx_rsp_prod_pvt = v->tx_rsp_published = cons;
    cons = *netback_ring_idx(v->rx_ring, offsetof(struct netif_rx_sring, rsp_prod));
    prod = *netback_ring_idx(v->rx_ring, offsetof(struct netif_rx_sring, req_prod));
    if (prod - cons > NETBACK_RX_RING_SIZE) {
        netback_fatal(v, "rx ring indices %u/%u impossible", prod, cons);
        goto fail;
    }
    v->rx_req_cons = v->rx_rsp_published = cons;
    v->tx_port = (evtchn_port_t)tx_port;
    v->rx_port = (evtchn_port_t)rx_port;
    bind(v, v->tx_port);
    bind(v, v->rx_port);
    v->gen++;
    v->connected = true;
    v->broken = false;
    return 0;
fail:
    release_rings(v);
    return -XEN_EINVAL;
}

static void do_connect(struct vif *v)
{
    if (connect_rings(v))
        return;
    if (plat_net_set_rx(v->cfg.idx, netback_rx, v))
        log_warn("netback vif%u: NIC %u gone: receive disabled\n", v->cfg.idx, v->cfg.idx);
    switch_state(v, XenbusStateConnected);
    log_info("netback vif%u: connected, ports %u/%u\n", v->cfg.idx, v->tx_port, v->rx_port);
    netback_tx_service(v);
}

static void frontend_changed(void *opaque, const char *path)
{
    struct vif *v = opaque;
    uint64_t st;
    char p[128];

    (void)path;
    snprintf(p, sizeof(p), "%s/state", v->fe_path);
    if (xs_read_uint(v->d->xs, p, &st))
        st = XenbusStateUnknown;        /* removed, or garbage */
    in_watch = true;
    switch (st) {
    case XenbusStateInitialising:
        if (v->be_state == XenbusStateClosed)
            switch_state(v, XenbusStateInitWait);       /* reconnect */
        break;
    case XenbusStateConnected:
        /* netfront never uses Initialised; a repeated Connected changes nothing. */
        if (v->be_state == XenbusStateInitWait)
            do_connect(v);
        break;
    case XenbusStateClosing:
        if (v->be_state != XenbusStateClosed)
            switch_state(v, XenbusStateClosing);
        break;
    case XenbusStateClosed:
    case XenbusStateUnknown:
        disconnect(v);
        if (v->be_state != XenbusStateClosed)
            switch_state(v, XenbusStateClosed);
        break;
    default:            /* Initialised, Reconfiguring/Reconfigured: not for vifs */
        break;
    }
    in_watch = false;
}

struct vif *netback_vif_create(struct domain *d, const struct shim_vif *cfg,
                               const struct plat_net_info *info)
{
    /* Frontend: the guest's, dom0 may read; backend: dom0's, the guest may read. */
    const struct xs_acl fe_acl[] = { { d->domid, XS_PERM_NONE }, { 0, XS_PERM_READ } };
    const struct xs_acl be_acl[] = { { 0, XS_PERM_NONE }, { d->domid, XS_PERM_READ } };
    const uint8_t *m = cfg->mac;
    char mac[18], path[96];
    struct vif *v;

    if (netback_nr_vifs == NETBACK_MAX_VIFS)
        return NULL;
    v = &netback_vifs[netback_nr_vifs];
    memset(v, 0, sizeof(*v));
    v->d = d;
    v->idx = netback_nr_vifs;
    v->cfg = *cfg;
    v->info = info;
    snprintf(v->fe_path, sizeof(v->fe_path), "/local/domain/%u/device/vif/%u",
             d->domid, cfg->idx);
    snprintf(v->be_path, sizeof(v->be_path), "/local/domain/0/backend/vif/%u/%u",
             d->domid, cfg->idx);
    snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
             m[0], m[1], m[2], m[3], m[4], m[5]);
    netback_nr_vifs++;

    /* libxl__device_generic_add + libxl__device_nic_add (libxl_nic.c). */
    if (xs_mkdir_node(d->xs, v->be_path, be_acl, ARRAY_SIZE(be_acl)) ||
        xs_mkdir_node(d->xs, v->fe_path, fe_acl, ARRAY_SIZE(fe_acl)))
        panic("netback vif%u: cannot create its xenstore directories\n", cfg->idx);
    node_write(v, v->be_path, "frontend", "%s", v->fe_path);
    node_write(v, v->be_path, "frontend-id", "%u", d->domid);
    node_write(v, v->be_path, "online", "1");
    switch_state(v, XenbusStateInitialising);
    node_write(v, v->be_path, "handle", "%u", cfg->idx);
    node_write(v, v->be_path, "mac", "%s", mac);
    node_write(v, v->be_path, "type", "vif");
    node_write(v, v->be_path, "mtu", "%u", info->mtu);
    node_write(v, v->fe_path, "backend", "%s", v->be_path);
    node_write(v, v->fe_path, "backend-id", "0");
    node_write(v, v->fe_path, "handle", "%u", cfg->idx);
    node_write(v, v->fe_path, "mac", "%s", mac);
    node_write(v, v->fe_path, "mtu", "%u", info->mtu);
    node_write(v, v->fe_path, "trusted", "1");
    node_write(v, v->fe_path, "state", "%u", XenbusStateInitialising);

    /* Linux netback_probe / xen_net_read_mac features. Transmit checksum and
     * GSO go to the provider (software checksum if the NIC lacks it). */
    node_write(v, v->be_path, "feature-sg", "1");
    node_write(v, v->be_path, "feature-gso-tcpv4", "%u", info->tso4);
    node_write(v, v->be_path, "feature-gso-tcpv6", "%u", info->tso6);
    node_write(v, v->be_path, "feature-ipv6-csum-offload", "1");
    node_write(v, v->be_path, "feature-rx-copy", "1");
    node_write(v, v->be_path, "feature-rx-flip", "0");
    node_write(v, v->be_path, "feature-multicast-control", "0");
    node_write(v, v->be_path, "feature-split-event-channels", "1");
    node_write(v, v->be_path, "multi-queue-max-queues", "1");
    node_write(v, v->be_path, "feature-ctrl-ring", "0");
    switch_state(v, XenbusStateInitWait);

    snprintf(path, sizeof(path), "%s/state", v->fe_path);
    v->watch = xs_watch_internal(d->xs, path, frontend_changed, v);
    if (v->watch < 0)
        panic("netback vif%u: cannot watch %s: %d\n", cfg->idx, path, v->watch);
    return v;
}
