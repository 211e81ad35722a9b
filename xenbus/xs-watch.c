// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore watches (tools/xenstored/watch.c semantics): a watch on P fires
 * for a change of P or of any node below it, once right after it is set,
 * and reports the changed path, relative if the watch was set relative.
 * Guest watches queue XS_WATCH_EVENT messages for the ring, and only fire
 * if the guest may read the node or its parent (watch_permitted()).
 * Internal watches (backends, running as dom0) queue (watch, path) entries
 * that xs_run_internal() hands to their callbacks after the operation.
 */
#include <shim/log.h>
#include "xs-internal.h"

/* Is child the node parent or below it? */
static bool is_child(const char *child, const char *parent, size_t plen)
{
    if (strncmp(child, parent, plen) != 0)
        return false;
    if (plen == 1 && parent[0] == '/')
        return true;
    return child[plen] == '/' || child[plen] == '\0';
}

static bool readable(struct xs_server *s, const struct xs_node *n)
{
    return n && (xs_perm_for(s, s->guest, n) & XS_PERM_READ);
}

/* May the guest learn about a change of path? (Xen's watch_permitted.) */
static bool guest_permitted(struct xs_server *s, const char *path,
                            const struct xs_node *old)
{
    const char *slash;

    if (readable(s, old) || readable(s, xs_rec_find(s, 0, path)))
        return true;
    slash = xs_strrchr(path + 1, '/');
    return readable(s, slash ? xs_rec_find_n(s, 0, path, (size_t)(slash - path))
                             : xs_rec_find(s, 0, "/"));
}

static void queue_internal(struct xs_server *s, unsigned idx, const char *path)
{
    uint16_t hdr[3] = { (uint16_t)idx, s->watch[idx].seq, 0 };
    size_t len = strlen(path);

    if (len >= XS_PATH_BUF || xs_fifo_room(&s->iev) < sizeof(hdr) + len) {
        s->stats.ievents_dropped++;
        log_warn("xenstore: internal watch event for %s dropped\n", path);
        return;
    }
    hdr[2] = (uint16_t)len;
    xs_fifo_put(&s->iev, hdr, sizeof(hdr));
    xs_fifo_put(&s->iev, path, (uint32_t)len);
}

static void deliver(struct xs_server *s, unsigned idx, const char *path)
{
    struct xs_watch *w = &s->watch[idx];

    if (w->kind == XS_W_GUEST)
        xs_queue_event(s, path + w->prefix, xs_ptr(s, w->token));
    else
        queue_internal(s, idx, path);
}

void xs_fire_now(struct xs_server *s, const char *path, bool subtree,
                 const struct xs_node *old)
{
    int permitted = -1;     /* guest permission, computed once */

    for (unsigned i = 0; i < XS_WATCHES_MAX; i++) {
        struct xs_watch *w = &s->watch[i];
        const char *wp = xs_ptr(s, w->path);
        bool match;

        if (w->kind == XS_W_FREE)
            continue;
        match = subtree ? is_child(path, wp, w->path_len) : strcmp(path, wp) == 0;
        if (!match)
            continue;
        if (w->kind == XS_W_GUEST) {
            if (permitted < 0)
                permitted = guest_permitted(s, path, old);
            if (!permitted)
                continue;
        }
        deliver(s, i, path);
    }
}

void xs_fire(struct xs_server *s, unsigned view, const char *path, bool subtree)
{
    struct xs_node *r;

    if (view == 0) {
        xs_fire_now(s, path, subtree, NULL);
        return;
    }
    /* In a transaction: at commit (Xen queues them the same way). */
    r = xs_rec_find(s, view, path);
    if (r)
        r->flags |= subtree ? XS_NF_FIRE_TREE : XS_NF_FIRE;
}

int xs_watch_add(struct xs_server *s, const char *path, const char *token,
                 uint16_t prefix, xs_watch_fn fn, void *opaque)
{
    struct xs_watch *w = NULL;
    unsigned internal = 0, idx = 0;
    size_t plen = strlen(path), tlen = token ? strlen(token) : 0;

    for (unsigned i = 0; i < XS_WATCHES_MAX; i++) {
        struct xs_watch *x = &s->watch[i];

        if (x->kind == XS_W_FREE) {
            if (!w) {
                w = x;
                idx = i;
            }
            continue;
        }
        internal += x->kind == XS_W_INTERNAL;
        if (!fn && x->kind == XS_W_GUEST && x->path_len == plen &&
            x->token_len == tlen && strcmp(xs_ptr(s, x->path), path) == 0 &&
            strcmp(xs_ptr(s, x->token), token) == 0)
            return -XEN_EEXIST;
    }
    if (fn ? internal >= XS_INTERNAL_WATCHES_MAX
           : s->guest_watches >= XS_GUEST_WATCHES_MAX)
        return -XEN_ENOSPC;     /* Xen: ACC_WATCH */
    ASSERT(w);
    w->path = xs_strdup(s, path, plen);
    w->token = xs_strdup(s, token ? token : "", tlen);
    if (w->path == XS_NIL || w->token == XS_NIL) {
        xs_free(s, w->path);
        xs_free(s, w->token);
        w->path = w->token = XS_NIL;
        return -XEN_ENOMEM;
    }
    w->path_len = (uint16_t)plen;
    w->token_len = (uint16_t)tlen;
    w->prefix = prefix;
    w->kind = fn ? XS_W_INTERNAL : XS_W_GUEST;
    w->fn = fn;
    w->opaque = opaque;
    if (!fn)
        s->stats.watches = ++s->guest_watches;
    return (int)idx;
}

void xs_watch_initial(struct xs_server *s, int idx)
{
    /* Fire once up front (Xen: "simplifies clients and restart"). */
    deliver(s, (unsigned)idx, xs_ptr(s, s->watch[idx].path));
}

static void watch_free(struct xs_server *s, struct xs_watch *w)
{
    if (w->kind == XS_W_GUEST)
        s->stats.watches = --s->guest_watches;
    xs_free(s, w->path);
    xs_free(s, w->token);
    w->kind = XS_W_FREE;
    w->path = w->token = XS_NIL;
    w->seq++;
}

int xs_watch_del(struct xs_server *s, const char *path, const char *token)
{
    for (unsigned i = 0; i < XS_WATCHES_MAX; i++) {
        struct xs_watch *w = &s->watch[i];

        if (w->kind == XS_W_GUEST && strcmp(xs_ptr(s, w->path), path) == 0 &&
            strcmp(xs_ptr(s, w->token), token) == 0) {
            watch_free(s, w);
            return 0;
        }
    }
    return XEN_ENOENT;
}

void xs_watch_reset_guest(struct xs_server *s)
{
    for (unsigned i = 0; i < XS_WATCHES_MAX; i++)
        if (s->watch[i].kind == XS_W_GUEST)
            watch_free(s, &s->watch[i]);
}

void xs_unwatch_internal(struct xs_server *s, int handle)
{
    if (handle >= 0 && (unsigned)handle < XS_WATCHES_MAX &&
        s->watch[handle].kind == XS_W_INTERNAL)
        watch_free(s, &s->watch[handle]);
}

int xs_watch_internal(struct xs_server *s, const char *path, xs_watch_fn fn,
                      void *opaque)
{
    domid_t caller = s->caller;
    int rc;

    if (!fn)
        return -XEN_EINVAL;
    s->caller = 0;
    rc = xs_canonical(s, path, true, s->path_a, NULL);
    rc = rc ? -rc : xs_watch_add(s, s->path_a, NULL, 0, fn, opaque);
    s->caller = caller;
    if (rc >= 0) {
        xs_watch_initial(s, rc);
        xs_run_internal(s);
    }
    return rc;
}

void xs_fire_special(struct xs_server *s, const char *special)
{
    xs_fire_now(s, special, false, NULL);
    xs_run_internal(s);
}

/*
 * Run the callbacks of queued internal events. Not reentrant: a callback
 * that changes the store queues further events, run by the same loop.
 * Bounded so that two backends ping-ponging cannot hang the shim.
 */
void xs_run_internal(struct xs_server *s)
{
    unsigned budget = 4096;

    if (s->iev_running)
        return;
    s->iev_running = true;
    while (xs_fifo_used(&s->iev) && budget--) {
        uint16_t hdr[3];
        struct xs_watch *w;

        xs_fifo_peek(&s->iev, 0, hdr, sizeof(hdr));
        xs_fifo_peek(&s->iev, sizeof(hdr), s->iev_path, hdr[2]);
        s->iev_path[hdr[2]] = '\0';
        s->iev.head += sizeof(hdr) + hdr[2];
        w = &s->watch[hdr[0]];
        if (w->kind == XS_W_INTERNAL && w->seq == hdr[1])
            w->fn(w->opaque, s->iev_path);
    }
    if (xs_fifo_used(&s->iev))
        log_warn("xenstore: internal watch callbacks keep firing; deferred\n");
    s->iev_running = false;
}
