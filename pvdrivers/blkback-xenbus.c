// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's xenstore side: the nodes libxl and Linux blkback write for a
 * vbd (contract 7.4, 7.5; Linux drivers/block/xen-blkback/xenbus.c), the
 * watch on the frontend's state, and connect/disconnect of the ring.
 *
 * States: the backend publishes InitWait at once; on the frontend's
 * Initialised (or Connected) it reads ring-page-order, ring-ref[<i>],
 * event-channel and protocol, takes the ring pages (write grants), binds the
 * port and switches to Connected; on the frontend's Closing it goes Closing;
 * on Closed (or a vanished frontend) it drops the ring and goes Closed; a
 * frontend Initialising again after that gets InitWait again (reconnect).
 */
#include <shim/evtchn.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/xenstore.h>
#include <xen/errno.h>
#include <xen/io/protocols.h>
#include "blkback-priv.h"

struct vbd blkback_vbds[BLKBACK_MAX_VBDS];
unsigned int blkback_nr_vbds;
/* Inside a watch callback: xenstore output is flushed by the server then. */
static bool in_watch;

static __printf(4, 0) int node_vprintf(struct vbd *v, const char *dir,
                                       const char *key, const char *fmt, va_list ap)
{
    char path[128], val[128];
    int n;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    n = vsnprintf(val, sizeof(val), fmt, ap);
    if (n < 0 || (size_t)n >= sizeof(val))
        return -XEN_E2BIG;
    return xs_write_node(v->d->xs, path, val, (size_t)n, NULL, 0);
}

/* Write <backend dir>/key; a failure here is a shim bug (static sizes). */
static __printf(3, 4) void be_write(struct vbd *v, const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = node_vprintf(v, v->be_path, key, fmt, ap);
    va_end(ap);
    if (rc)
        log_warn("blkback %s: cannot write %s: %d\n", v->cfg.vdev, key, rc);
}

static __printf(3, 4) void fe_write(struct vbd *v, const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = node_vprintf(v, v->fe_path, key, fmt, ap);
    va_end(ap);
    if (rc)
        log_warn("blkback %s: cannot write frontend %s: %d\n", v->cfg.vdev, key, rc);
}

static void switch_state(struct vbd *v, unsigned int st)
{
    v->be_state = st;
    be_write(v, "state", "%u", st);
}

/* Read <frontend dir>/key as an unsigned number. */
static int fe_read_uint(struct vbd *v, const char *key, uint64_t *out)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", v->fe_path, key);
    return xs_read_uint(v->d->xs, path, out);
}

void blkback_fatal(struct vbd *v, const char *fmt, ...)
{
    char path[128], msg[128], node[160];
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_warn("blkback %s: %s\n", v->cfg.vdev, msg);
    v->broken = true;
    /* xenbus_dev_fatal: "<errno> <message>" under dom0's error/<backend>. */
    snprintf(path, sizeof(path), "/local/domain/0/error/backend/vbd/%u/%u/error",
             v->d->domid, v->cfg.devnum);
    n = snprintf(node, sizeof(node), "%d %s", XEN_EINVAL, msg);
    (void)xs_write_node(v->d->xs, path, node, MIN((size_t)n, sizeof(node) - 1), NULL, 0);
    switch_state(v, XenbusStateClosing);
    if (!in_watch)
        blkback_xs_kick(v->d);
}

static void disconnect(struct vbd *v)
{
    struct evtchn *c;

    if (!v->connected)
        return;
    v->connected = false;
    v->gen++;                       /* in-flight requests answer nobody */
    blkback_cancel_busy(v);
    c = &v->d->evtchn[v->port];
    /* As on Xen when the remote end closes: the guest's port is unbound again. */
    if (c->state == ECS_INTERDOMAIN && c->backend == EVTCHN_BACKEND_BLKBACK &&
        c->backend_idx == v->idx) {
        c->state = ECS_UNBOUND;
        c->backend = EVTCHN_BACKEND_NONE;
        c->backend_idx = 0;
    }
    while (v->nr_ring_pages)
        gnttab_release(v->d, &v->ring_maps[--v->nr_ring_pages]);
    log_info("blkback %s: disconnected (%lu requests, %lu errors)\n", v->cfg.vdev,
             (unsigned long)v->stats_reqs, (unsigned long)v->stats_errors);
}

/* Read the frontend's ring details and map the ring; 0 or a fatal error. */
static int connect_ring(struct vbd *v)
{
    char path[128], proto[32];
    uint64_t order = 0, ref, port;
    uint32_t prod, cons;
    struct evtchn *c;
    int rc;

    snprintf(path, sizeof(path), "%s/protocol", v->fe_path);
    rc = xs_read_node(v->d->xs, path, proto, sizeof(proto));
    if (rc >= 0 && strcmp(proto, XEN_IO_PROTO_ABI_X86_64) != 0) {
        blkback_fatal(v, "unsupported protocol \"%s\" (only " XEN_IO_PROTO_ABI_X86_64 ")",
                      proto);
        return -XEN_EINVAL;
    }
    rc = fe_read_uint(v, "ring-page-order", &order);
    if (rc && rc != -XEN_ENOENT)
        order = BLKBACK_MAX_RING_ORDER + 1;
    if (order > BLKBACK_MAX_RING_ORDER) {
        blkback_fatal(v, "ring-page-order above %u", BLKBACK_MAX_RING_ORDER);
        return -XEN_EINVAL;
    }
    if (fe_read_uint(v, "event-channel", &port) || port == 0 ||
        port >= NR_EVTCHN_PORTS || v->d->evtchn[port].state != ECS_UNBOUND) {
        blkback_fatal(v, "no unbound event-channel");
        return -XEN_EINVAL;
    }
    for (unsigned int i = 0; i < (1u << order); i++) {
        struct gnt_mapping *m = &v->ring_maps[i];
        char key[24];

        if (rc == -XEN_ENOENT)
            snprintf(key, sizeof(key), "ring-ref");
        else
            snprintf(key, sizeof(key), "ring-ref%u", i);
        if (fe_read_uint(v, key, &ref) || ref > UINT32_MAX ||
            gnttab_acquire(v->d, (grant_ref_t)ref, true, m) != GNTST_okay) {
            blkback_fatal(v, "cannot map %s", key);
            goto fail;
        }
        v->nr_ring_pages++;
        if (m->offset != 0 || m->len != PAGE_SIZE) {
            blkback_fatal(v, "%s is a sub-page grant", key);
            goto fail;
        }
        v->ring_page[i] = m->page;
    }
    blkback_tlb_sync();
    v->ring_size = blkback_ring_entries(v->nr_ring_pages);
    /* BACK_RING_ATTACH: continue from the indices the frontend left. */
    cons = __atomic_load_n((uint32_t *)(v->ring_page[0] + offsetof(struct blkif_sring, rsp_prod)),
                           __ATOMIC_ACQUIRE);
    prod = __atomic_load_n((uint32_t *)(v->ring_page[0] + offsetof(struct blkif_sring, req_prod)),
                           __ATOMIC_ACQUIRE);
    if (prod - cons > v->ring_size) {
        blkback_fatal(v, "ring indices %u/%u impossible", prod, cons);
        goto fail;
    }
    v->req_cons = v->rsp_prod_pvt = v->rsp_published = cons;
    v->port = (evtchn_port_t)port;
    c = &v->d->evtchn[port];
    c->state = ECS_INTERDOMAIN;
    c->backend = EVTCHN_BACKEND_BLKBACK;
    c->backend_idx = (uint8_t)v->idx;
    v->gen++;
    v->connected = true;
    v->broken = false;
    v->stalled = false;
    return 0;
fail:
    while (v->nr_ring_pages)
        gnttab_release(v->d, &v->ring_maps[--v->nr_ring_pages]);
    return -XEN_EINVAL;
}

static void do_connect(struct vbd *v)
{
    if (connect_ring(v))
        return;
    be_write(v, "sectors", "%lu", (unsigned long)v->info->capacity);
    be_write(v, "info", "%u", v->readonly ? VDISK_READONLY : 0);
    be_write(v, "sector-size", "%u", v->info->sector_size);
    be_write(v, "physical-sector-size", "%u", v->info->physical_sector_size);
    switch_state(v, XenbusStateConnected);
    log_info("blkback %s: connected, %u-page ring (%u entries), port %u\n", v->cfg.vdev,
             v->nr_ring_pages, v->ring_size, v->port);
    blkback_service(v);
}

static void frontend_changed(void *opaque, const char *path)
{
    struct vbd *v = opaque;
    uint64_t st;

    if (fe_read_uint(v, "state", &st))
        st = XenbusStateUnknown;        /* removed, or garbage */
    in_watch = true;
    switch (st) {
    case XenbusStateInitialising:
        if (v->be_state == XenbusStateClosed)
            switch_state(v, XenbusStateInitWait);       /* reconnect */
        break;
    case XenbusStateInitialised:
    case XenbusStateConnected:
        /* A second event for the same connection changes nothing. */
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
    default:            /* Reconfiguring/Reconfigured: not for vbds */
        break;
    }
    in_watch = false;
}

struct vbd *blkback_vbd_create(struct domain *d, const struct shim_vbd *cfg,
                               const struct plat_blk_info *info)
{
    /* Frontend: the guest's, dom0 may read; backend: dom0's, the guest may read. */
    const struct xs_acl fe_acl[] = { { d->domid, XS_PERM_NONE }, { 0, XS_PERM_READ } };
    const struct xs_acl be_acl[] = { { 0, XS_PERM_NONE }, { d->domid, XS_PERM_READ } };
    struct vbd *v;
    char path[96];

    if (blkback_nr_vbds == BLKBACK_MAX_VBDS)
        return NULL;
    v = &blkback_vbds[blkback_nr_vbds];
    memset(v, 0, sizeof(*v));
    v->d = d;
    v->idx = blkback_nr_vbds;
    v->cfg = *cfg;
    v->info = info;
    v->readonly = cfg->readonly || info->read_only;
    snprintf(v->fe_path, sizeof(v->fe_path), "/local/domain/%u/device/vbd/%u",
             d->domid, cfg->devnum);
    snprintf(v->be_path, sizeof(v->be_path), "/local/domain/0/backend/vbd/%u/%u",
             d->domid, cfg->devnum);
    blkback_nr_vbds++;

    /* libxl__device_generic_add + libxl__device_disk_add (libxl_disk.c). */
    if (xs_mkdir_node(d->xs, v->be_path, be_acl, ARRAY_SIZE(be_acl)) ||
        xs_mkdir_node(d->xs, v->fe_path, fe_acl, ARRAY_SIZE(fe_acl)))
        panic("blkback %s: cannot create its xenstore directories\n", cfg->vdev);
    be_write(v, "frontend", "%s", v->fe_path);
    be_write(v, "frontend-id", "%u", d->domid);
    be_write(v, "online", "1");
    switch_state(v, XenbusStateInitialising);
    be_write(v, "params", "disk%u", cfg->disk);
    be_write(v, "type", "phy");
    be_write(v, "mode", "%s", v->readonly ? "r" : "w");
    be_write(v, "dev", "%s", cfg->vdev);
    be_write(v, "removable", "0");
    be_write(v, "bootable", "1");
    be_write(v, "device-type", "disk");
    be_write(v, "discard-enable", "%u", info->discard && !v->readonly);
    fe_write(v, "backend", "%s", v->be_path);
    fe_write(v, "backend-id", "0");
    fe_write(v, "virtual-device", "%u", cfg->devnum);
    fe_write(v, "device-type", "disk");
    fe_write(v, "protocol", XEN_IO_PROTO_ABI_X86_64);
    fe_write(v, "trusted", "1");
    fe_write(v, "state", "%u", XenbusStateInitialising);

    /* Linux blkback's probe and xen_blkbk_* feature nodes. */
    be_write(v, "feature-flush-cache", "%u", info->flush);
    be_write(v, "feature-barrier", "%u", info->flush);
    if (info->discard && !v->readonly) {
        be_write(v, "feature-discard", "1");
        be_write(v, "discard-granularity", "%u", info->discard_granularity);
        be_write(v, "discard-alignment", "0");
        be_write(v, "discard-secure", "0");
    }
    be_write(v, "feature-max-indirect-segments", "%u", BLKBACK_MAX_SEGS);
    be_write(v, "max-ring-page-order", "%u", BLKBACK_MAX_RING_ORDER);
    be_write(v, "multi-queue-max-queues", "1");
    be_write(v, "feature-persistent", "0");
    switch_state(v, XenbusStateInitWait);

    snprintf(path, sizeof(path), "%s/state", v->fe_path);
    v->watch = xs_watch_internal(d->xs, path, frontend_changed, v);
    if (v->watch < 0)
        panic("blkback %s: cannot watch %s: %d\n", cfg->vdev, path, v->watch);
    return v;
}
