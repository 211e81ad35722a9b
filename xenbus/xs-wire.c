// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore wire protocol (xen/io/xs_wire.h, docs/misc/xenstore.txt):
 * parse one request of the guest, dispatch it through one const table
 * indexed by XS_* type, and queue the reply (same type, req_id and tx_id;
 * "OK\0" for writes) or XS_ERROR with the errno name. Checks run in C
 * xenstored's order (process_message): unknown type -> ENOSYS, privileged
 * type -> EACCES (the guest is never privileged), unknown tx_id -> ENOENT.
 * Payloads are hostile: every string is found within hdr->len, never by
 * trusting a terminator.
 */
#include <shim/log.h>
#include "xs-internal.h"

/* Xen's xsd_errors[] names (xs_wire.h), by XEN_E* value. */
static const struct { int err; const char *name; } errnames[] = {
    { XEN_EINVAL, "EINVAL" }, { XEN_EACCES, "EACCES" }, { XEN_EEXIST, "EEXIST" },
    { XEN_EISDIR, "EISDIR" }, { XEN_ENOENT, "ENOENT" }, { XEN_ENOMEM, "ENOMEM" },
    { XEN_ENOSPC, "ENOSPC" }, { XEN_EIO, "EIO" }, { XEN_ENOTEMPTY, "ENOTEMPTY" },
    { XEN_ENOSYS, "ENOSYS" }, { XEN_EROFS, "EROFS" }, { XEN_EBUSY, "EBUSY" },
    { XEN_EAGAIN, "EAGAIN" }, { 106 /* EISCONN */, "EISCONN" },
    { XEN_E2BIG, "E2BIG" }, { XEN_EPERM, "EPERM" },
};

const char *xs_errname(int err)
{
    for (unsigned i = 0; i < ARRAY_SIZE(errnames); i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    return "EINVAL";    /* Xen: untranslatable errors go out as EINVAL */
}

/* ---- request parsing ------------------------------------------------------- */

struct xs_req {
    struct xsd_sockmsg h;
    const char *p;      /* payload, h.len bytes */
    unsigned view;
};

/* Length of the string at off including its NUL, 0 if unterminated. */
static uint32_t str_at(const struct xs_req *r, uint32_t off)
{
    for (uint32_t i = off; i < r->h.len; i++)
        if (r->p[i] == '\0')
            return i - off + 1;
    return 0;
}

/* Number of NUL-terminated strings (Xen get_strings()); fills vec. */
static unsigned strings(const struct xs_req *r, const char **vec, unsigned num)
{
    uint32_t off = 0, len;
    unsigned n = 0;

    while ((len = str_at(r, off)) != 0) {
        if (n < num)
            vec[n] = r->p + off;
        n++;
        off += len;
    }
    return n;
}

/* The one argument: exactly one NUL, at the end (Xen onearg()), or NULL. */
static const char *onearg(const struct xs_req *r)
{
    return (r->h.len && str_at(r, 0) == r->h.len) ? r->p : NULL;
}

static void reply(struct xs_server *s, const struct xs_req *r, const void *d,
                  uint32_t len)
{
    xs_queue_msg(s, r->h.type, r->h.req_id, r->h.tx_id, d, len);
}

static int ok(struct xs_server *s, const struct xs_req *r)
{
    reply(s, r, "OK", sizeof("OK"));
    return 0;
}

/* Canonical path of the one argument into s->path_a. */
static int path_arg(struct xs_server *s, const char *arg, bool special)
{
    return xs_canonical(s, arg, special, s->path_a, NULL);
}

static int do_read(struct xs_server *s, struct xs_req *r)
{
    const char *val;
    unsigned len;
    int err = path_arg(s, onearg(r), false);

    if (!err)
        err = xs_op_read(s, r->view, s->path_a, &val, &len);
    if (!err)
        reply(s, r, val, len);
    return err;
}

static int do_directory(struct xs_server *s, struct xs_req *r)
{
    struct xs_node *n;
    int err = path_arg(s, onearg(r), false);

    if (!err)
        err = xs_op_dir(s, r->view, s->path_a, &n);
    if (!err)
        reply(s, r, n->kids_len ? xs_ptr(s, n->kids) : "", n->kids_len);
    return err;
}

/* DIRECTORY_PART (Xen 4.9+): "path\0offset\0" -> "gen\0" + names from the
 * offset that fit, with an extra "\0" once the list is complete. */
static int do_directory_part(struct xs_server *s, struct xs_req *r)
{
    const char *vec[2];
    struct xs_node *n;
    uint64_t off;
    uint32_t glen, len = 0, max;
    const char *kids;
    int err;

    if (strings(r, vec, 2) != 2 || parse_u64(vec[1], strlen(vec[1]), &off))
        return XEN_EINVAL;
    err = path_arg(s, vec[0], false);
    if (!err)
        err = xs_op_dir(s, r->view, s->path_a, &n);
    if (err)
        return err;
    glen = (uint32_t)snprintf(s->reply, sizeof(s->reply), "%llu",
                              (unsigned long long)n->gen) + 1;
    kids = n->kids_len ? xs_ptr(s, n->kids) : "";
    if (off >= n->kids_len) {
        s->reply[glen] = '\0';
        reply(s, r, s->reply, glen + 1);
        return 0;
    }
    max = XENSTORE_PAYLOAD_MAX - glen - 1;
    while (off + len < n->kids_len) {
        uint32_t k = (uint32_t)strlen(kids + off + len);

        if (len + k >= max)
            break;
        len += k + 1;
    }
    memcpy(s->reply + glen, kids + off, len);
    if (off + len == n->kids_len)
        s->reply[glen + len++] = '\0';
    reply(s, r, s->reply, glen + len);
    return 0;
}

static int do_write(struct xs_server *s, struct xs_req *r)
{
    const char *vec[1];
    uint32_t off;
    int err;

    if (strings(r, vec, 1) < 1)
        return XEN_EINVAL;
    off = str_at(r, 0);
    err = path_arg(s, vec[0], false);
    if (!err)
        err = xs_op_write(s, r->view, s->path_a, r->p + off, r->h.len - off, false);
    return err ? err : ok(s, r);
}

static int do_mkdir(struct xs_server *s, struct xs_req *r)
{
    int err = path_arg(s, onearg(r), false);

    if (!err)
        err = xs_op_write(s, r->view, s->path_a, NULL, 0, true);
    return err ? err : ok(s, r);
}

static int do_rm(struct xs_server *s, struct xs_req *r)
{
    int err = path_arg(s, onearg(r), false);

    if (!err)
        err = xs_op_rm(s, r->view, s->path_a);
    return err ? err : ok(s, r);
}

static int do_get_perms(struct xs_server *s, struct xs_req *r)
{
    struct xs_node *n;
    uint32_t len = 0;
    int err = path_arg(s, onearg(r), true);

    if (!err)
        err = xs_op_get_perms(s, r->view, s->path_a, &n);
    if (err)
        return err;
    for (unsigned i = 0; i < n->nperms; i++)
        len += (uint32_t)snprintf(s->reply + len, sizeof(s->reply) - len,
                                  "%c%u", "nrwb"[n->perms[i].perm & 3],
                                  n->perms[i].id) + 1;
    reply(s, r, s->reply, len);
    return 0;
}

static int do_set_perms(struct xs_server *s, struct xs_req *r)
{
    struct xs_acl acl[XS_PERMS_MAX];
    const char *vec[1 + XS_PERMS_MAX + 1];
    unsigned n = strings(r, vec, ARRAY_SIZE(vec));
    int err;

    if (n < 2)
        return XEN_EINVAL;
    n--;
    if (n > XS_GUEST_NPERM_MAX)
        return XEN_ENOSPC;      /* Xen: ACC_NPERM, checked first */
    for (unsigned i = 0; i < n; i++) {
        const char *p = vec[i + 1];
        uint64_t id;
        const char *q = p[0] ? strchr("nrwb", p[0]) : NULL;

        if (!q || parse_u64(p + 1, strlen(p + 1), &id) || id > 0xffff)
            return XEN_EINVAL;
        acl[i].id = (domid_t)id;
        acl[i].perm = (uint8_t)(q - "nrwb");
    }
    err = path_arg(s, vec[0], true);
    if (!err)
        err = xs_op_set_perms(s, r->view, s->path_a, acl, n);
    return err ? err : ok(s, r);
}

static int do_watch(struct xs_server *s, struct xs_req *r)
{
    const char *vec[2];
    bool rel;
    int err;

    if (strings(r, vec, 2) != 2)    /* no XENSTORE_SERVER_FEATURE_WATCHDEPTH */
        return XEN_EINVAL;
    err = xs_canonical(s, vec[0], true, s->path_a, &rel);
    if (err)
        return err;
    err = xs_watch_add(s, s->path_a, vec[1],
                       rel ? (uint16_t)(strlen(s->path_a) - strlen(vec[0])) : 0,
                       NULL, NULL);
    if (err < 0)
        return -err;
    /* Ack first: the initial event follows the reply, as in Xen. */
    ok(s, r);
    xs_watch_initial(s, err);
    return 0;
}

static int do_unwatch(struct xs_server *s, struct xs_req *r)
{
    const char *vec[2];
    int err;

    if (strings(r, vec, 2) != 2)
        return XEN_EINVAL;
    err = xs_canonical(s, vec[0], true, s->path_a, NULL);
    if (!err)
        err = xs_watch_del(s, s->path_a, vec[1]);
    return err ? err : ok(s, r);
}

static int do_tx_start(struct xs_server *s, struct xs_req *r)
{
    uint32_t id;
    int err, len;

    if (r->view)
        return XEN_EBUSY;       /* no nested transactions */
    err = xs_tx_start(s, &id);
    if (err)
        return err;
    len = snprintf(s->reply, sizeof(s->reply), "%u", id);
    reply(s, r, s->reply, (uint32_t)len + 1);
    return 0;
}

static int do_tx_end(struct xs_server *s, struct xs_req *r)
{
    const char *arg = onearg(r);
    int err;

    if (!arg || (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0))
        return XEN_EINVAL;
    if (!r->view)
        return XEN_ENOENT;
    err = xs_tx_end(s, r->view, arg[0] == 'T');
    return err ? err : ok(s, r);
}

static int do_get_domain_path(struct xs_server *s, struct xs_req *r)
{
    const char *arg = onearg(r);
    uint64_t domid;
    int len;

    if (!arg || parse_u64(arg, strlen(arg), &domid) || domid > 65535)
        return XEN_EINVAL;
    len = snprintf(s->reply, sizeof(s->reply), "/local/domain/%u", (unsigned)domid);
    reply(s, r, s->reply, (uint32_t)len + 1);
    return 0;
}

static int do_reset_watches(struct xs_server *s, struct xs_req *r)
{
    xs_watch_reset_guest(s);
    xs_tx_abort_all(s);
    return ok(s, r);
}

#define NOTID   1u  /* ignore tx_id (Xen XS_FLAG_NOTID) */
#define PRIV    2u  /* dom0 only (Xen XS_FLAG_PRIV): EACCES for the guest */

static const struct {
    int (*fn)(struct xs_server *, struct xs_req *);
    unsigned flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { NULL, PRIV },
    [XS_DIRECTORY]            = { do_directory, 0 },
    [XS_READ]                 = { do_read, 0 },
    [XS_GET_PERMS]            = { do_get_perms, 0 },
    [XS_WATCH]                = { do_watch, NOTID },
    [XS_UNWATCH]              = { do_unwatch, NOTID },
    [XS_TRANSACTION_START]    = { do_tx_start, 0 },
    [XS_TRANSACTION_END]      = { do_tx_end, 0 },
    [XS_INTRODUCE]            = { NULL, PRIV },
    [XS_RELEASE]              = { NULL, PRIV },
    [XS_GET_DOMAIN_PATH]      = { do_get_domain_path, 0 },
    [XS_WRITE]                = { do_write, 0 },
    [XS_MKDIR]                = { do_mkdir, 0 },
    [XS_RM]                   = { do_rm, 0 },
    [XS_SET_PERMS]            = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { NULL, PRIV },
    [XS_RESUME]               = { NULL, PRIV },
    [XS_SET_TARGET]           = { NULL, PRIV },
    [XS_RESET_WATCHES]        = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART]       = { do_directory_part, 0 },
};

void xs_process_msg(struct xs_server *s, const struct xsd_sockmsg *hdr,
                    const char *payload)
{
    struct xs_req r = { .h = *hdr, .p = payload };
    int err, view;

    ASSERT(r.h.len <= XENSTORE_PAYLOAD_MAX);
    s->caller = s->guest;
    if (r.h.type >= XS_TYPE_COUNT ||
        (!handlers[r.h.type].fn && !(handlers[r.h.type].flags & PRIV))) {
        err = XEN_ENOSYS;
    } else if (handlers[r.h.type].flags & PRIV) {
        err = XEN_EACCES;
    } else {
        view = (handlers[r.h.type].flags & NOTID) ? 0 : xs_tx_view(s, r.h.tx_id);
        r.view = view < 0 ? 0 : (unsigned)view;
        err = view < 0 ? XEN_ENOENT : handlers[r.h.type].fn(s, &r);
    }
    if (err) {
        const char *name = xs_errname(err);

        if (err == XEN_ENOSYS || err == XEN_EINVAL)
            s->stats.bad_messages++;
        xs_queue_msg(s, XS_ERROR, r.h.req_id, r.h.tx_id, name,
                     (uint32_t)strlen(name) + 1);
    }
    s->caller = 0;
    xs_run_internal(s);
}
