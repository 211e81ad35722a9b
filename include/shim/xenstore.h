/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore server the shim hosts for its one PV guest (xenbus/xs-*.c):
 * the tree, the wire protocol on the guest's store ring, watches,
 * transactions, quotas, the standard domU layout, and the API the shim-side
 * backends (console, blkback, netback) use to publish and watch nodes.
 *
 * Model: the guest is one connection with domid = the guest's domid
 * (unprivileged: permissions and quotas apply). Every call of this API runs
 * as domid 0, the "dom0" toolstack/backend: all rights, no quotas.
 *
 * Concurrency: the server is single-threaded. Every function here must be
 * called from one context at a time (the CPU that services the store port),
 * or under one lock held by the caller. Nothing here sleeps or allocates
 * outside the server's own static arrays.
 *
 * Limits (compile time, see xenbus/xs-internal.h for the whole list):
 *   XS_NODES_MAX      4096 node records, shared by the committed tree and the
 *                     private records of open transactions; the guest may
 *                     not take the last eighth
 *   XS_ARENA_SIZE     1 MiB for paths, values, child lists, watch strings
 *                     (buddy allocator, 16-byte granules, freed on RM); the
 *                     guest may not take the last 256 KiB (XS_ARENA_RESERVE),
 *                     which stays for the backends (-> ENOMEM)
 *   XS_PERMS_MAX      8 ACL entries per node (owner included)
 *   64 internal watches; 16 KiB of queued output to the guest; 16 KiB of
 *   pending internal watch events
 * Quotas on the guest, mirroring C xenstored's defaults (tools/xenstored/
 * domain.c quotas[]) and its error names (there is no "EQUOTA" in Xen's
 * xsd_errors[]: quotas answer ENOSPC):
 *   1000 nodes owned (ACC_NODES, ENOSPC); node size 16 + 8 per ACL entry +
 *   value + child names <= 2048 (ACC_NODESZ, ENOSPC); 128 watches
 *   (ACC_WATCH, ENOSPC); 10 transactions (ACC_TRANS, ENOSPC); 256 nodes
 *   touched per transaction (ACC_TRANSNODES is 1024 in Xen, ENOSPC);
 *   5 ACL entries (ACC_NPERM, ENOSPC); path <= 2048 bytes below
 *   /local/domain/<id>/ (ACC_PATHLEN = XENSTORE_REL_PATH_MAX, EINVAL);
 *   request payload <= XENSTORE_PAYLOAD_MAX (4096; larger: EINVAL and the
 *   payload is skipped, where Xen drops the connection); a reply over 4096
 *   bytes becomes E2BIG (DIRECTORY of a huge directory: use DIRECTORY_PART).
 * Total static memory: about 1.4 MiB (xs_server_size()).
 */
#ifndef SHIM_XENSTORE_H
#define SHIM_XENSTORE_H

#include <shim/types.h>
#include <xen-public/xen.h>

struct xs_server;

/* ACL entry permission bits, as on the wire ('r', 'w', 'b' = both, 'n'). */
#define XS_PERM_NONE   0u
#define XS_PERM_READ   1u
#define XS_PERM_WRITE  2u
#define XS_PERM_BOTH   (XS_PERM_READ | XS_PERM_WRITE)

/*
 * One ACL entry. As in Xen, entry 0 names the owner (who has all rights)
 * and gives everybody else's default permission; later entries give the
 * permission of one domain.
 */
struct xs_acl {
    domid_t id;
    uint8_t perm;   /* XS_PERM_* */
};

/*
 * (Re)initialise the server: empties the tree and the queues and creates
 * the skeleton "/", "/local", "/local/domain", "/local/domain/0", "/tool",
 * "/vm" and the special nodes "@introduceDomain", "@releaseDomain".
 * guest_domid is the domid of the connection on the ring (not 0).
 * Returns the server; there is one static instance, so every call resets it.
 */
struct xs_server *xs_server_init(domid_t guest_domid);

/* Bytes of static memory the server occupies (for the boot log). */
size_t xs_server_size(void);

/*
 * Service the guest's store ring: consume complete requests from req[]
 * (a message may be split across the ring end and may arrive in pieces),
 * answer them, and copy queued replies and watch events into rsp[] as space
 * permits; whatever does not fit stays queued until the next call.
 * Indices are read once per pass and treated as hostile: an impossible
 * pair is logged, counted and that direction is left alone.
 * Then runs the callbacks of internal watches that fired (see below).
 * Returns true if any index moved: the caller must then raise the store
 * event channel to the guest.
 * Call it when the guest notifies the store port, and after backends
 * changed nodes the guest watches (it also flushes pending watch events).
 */
bool xs_ring_service(struct xs_server *s, struct xenstore_domain_interface *ring);

/*
 * Create the standard domU layout under /local/domain/<domid> (contract
 * section 7.3, Xen's docs/misc/xenstore-paths.pandoc), with the permissions
 * libxl sets: the domain directory, cpu, memory, control and device are
 * owned by dom0 and readable by the guest; control/shutdown,
 * control/feature-{poweroff,reboot,suspend}, control/sysrq, data, drivers,
 * feature, attr, error and device/suspend/event-channel are owned by the
 * guest. console/ is the console-0 frontend (dom0-owned, guest-readable),
 * with its backend under /local/domain/0/backend/console/<domid>/0.
 * /vm/<uuid> gets name and uuid; the uuid is derived from the domid.
 * store/port, store/ring-ref, console/port, console/ring-ref are written as
 * 0 here; set them with xs_set_domu_rings(). Fires "@introduceDomain".
 * Any earlier /local/domain/<domid> is removed first. Panics if the skeleton cannot be built (a shim bug).
 */
void xs_populate_domu(struct xs_server *s, domid_t domid, const char *name,
                      uint64_t mem_kib, unsigned vcpus);

/* Write store/{port,ring-ref} and console/{port,ring-ref} of the domU. */
int xs_set_domu_rings(struct xs_server *s, domid_t domid,
                      evtchn_port_t store_port, uint64_t store_mfn,
                      evtchn_port_t console_port, uint64_t console_mfn);

/*
 * ---- Backend API (runs as dom0) ------------------------------------------
 * Paths are absolute ("/local/domain/..."); all return 0 or a negative Xen
 * errno (-XEN_ENOENT, -XEN_EINVAL for a malformed path, -XEN_ENOMEM when
 * the arena or the node table is full, -XEN_ENOSPC, -XEN_E2BIG for a value
 * over XENSTORE_PAYLOAD_MAX). Changes fire the guest's and the internal
 * watches like a guest write would.
 */

/*
 * Write (create or replace) path = value (value_len bytes, not necessarily
 * NUL-terminated). Missing parents are created and inherit their parent's
 * ACL. If acl != NULL (nacl >= 1, nacl <= XS_PERMS_MAX) the node gets that
 * ACL, otherwise a new node inherits its parent's and an existing node keeps
 * its own.
 */
int xs_write_node(struct xs_server *s, const char *path, const void *value,
                  size_t value_len, const struct xs_acl *acl, unsigned nacl);

/* Shorthand: xs_write_node with a printf-formatted string value. */
int xs_printf_node(struct xs_server *s, const char *path, const char *fmt, ...)
    __printf(3, 4);

/* Create path (and parents) with no value if it does not exist; set the ACL
 * if acl != NULL. */
int xs_mkdir_node(struct xs_server *s, const char *path,
                  const struct xs_acl *acl, unsigned nacl);

/*
 * Copy the value of path into buf (at most size - 1 bytes) and NUL-terminate
 * it. Returns the value's full length (>= size means truncated) or a
 * negative Xen errno.
 */
int xs_read_node(struct xs_server *s, const char *path, char *buf, size_t size);

/* Read a decimal unsigned value; -XEN_EINVAL if it is not one. */
int xs_read_uint(struct xs_server *s, const char *path, uint64_t *out);

/* Remove path and everything below it. Removing a missing node whose parent
 * exists succeeds (as in Xen). */
int xs_rm(struct xs_server *s, const char *path);

/*
 * Internal watch: fn(opaque, path) is called with the absolute path that
 * changed, once right after registering (path = the watched path), then for
 * every change of the node or a descendant (write, mkdir, rm, set-perms,
 * transaction commit). Callbacks are deferred: they run after the xenstore
 * operation that fired them has completed (at the end of xs_ring_service or
 * of the backend API call), never nested inside another callback, and they
 * may call any function of this API. The path pointer is valid only during
 * the call. Callbacks must not call xs_ring_service() or xs_process_msg().
 * Returns a watch handle >= 0, or a negative Xen errno
 * (-XEN_ENOSPC when XS_INTERNAL_WATCHES_MAX are in use).
 */
typedef void (*xs_watch_fn)(void *opaque, const char *path);
int xs_watch_internal(struct xs_server *s, const char *path, xs_watch_fn fn,
                      void *opaque);
/* Remove an internal watch; its pending callbacks are dropped. */
void xs_unwatch_internal(struct xs_server *s, int handle);

/* Fire "@introduceDomain" / "@releaseDomain" watches (special path). */
void xs_fire_special(struct xs_server *s, const char *special);

/*
 * Process one request as the guest would send it, without a ring: the
 * header plus hdr->len payload bytes (callers guarantee len <=
 * XENSTORE_PAYLOAD_MAX). The reply and any watch events are queued for the
 * ring; internal watch callbacks run before it returns. Used by
 * xs_ring_service() and by the unit tests.
 */
void xs_process_msg(struct xs_server *s, const struct xsd_sockmsg *hdr,
                    const char *payload);

/*
 * Take the next queued message for the guest (reply or watch event) out of
 * the queue into buf (header + payload). Returns its total size, 0 if the
 * queue is empty, or -XEN_ENOSPC if size is too small (nothing taken).
 * For tests and diagnostics only: do not mix with xs_ring_service(), which
 * may have sent part of the first message already.
 */
int xs_take_output(struct xs_server *s, void *buf, size_t size);

/* True if replies or watch events wait for the guest: after backends
 * changed nodes outside xs_ring_service(), call it to push them out. */
bool xs_output_pending(const struct xs_server *s);

/* Counters for diagnostics. */
struct xs_stats {
    uint32_t nodes;            /* node records in use */
    uint32_t guest_nodes;      /* committed nodes owned by the guest */
    uint32_t arena_used;       /* arena bytes in allocated blocks */
    uint32_t watches;          /* guest watches */
    uint32_t transactions;     /* open guest transactions */
    uint32_t events_dropped;   /* guest watch events lost (queue full) */
    uint32_t ievents_dropped;  /* internal watch events lost */
    uint32_t ring_errors;      /* impossible ring index pairs seen */
    uint32_t bad_messages;     /* malformed requests (answered with errors) */
};
void xs_get_stats(const struct xs_server *s, struct xs_stats *st);

#endif
