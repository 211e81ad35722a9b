// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore operations on one view (committed tree or a transaction), with
 * C xenstored's permission rules and quotas (tools/xenstored/core.c): read,
 * directory, write/mkdir (creating parents that inherit the parent's ACL,
 * owned by an unprivileged creator), rm of a subtree, get/set-perms. The caller is s->caller (0 = the shim itself).
 * A missing node answers ENOENT only if its nearest existing ancestor grants
 * the caller the permission asked for, else EACCES (errno_from_parents).
 * All scratch paths use s->path_b; callers pass paths that are not in it
 * unless stated.
 */
#include <shim/log.h>
#include "xs-internal.h"

/* Truncate p to its parent ("/" for a top-level node or "@special"). */
static void to_parent(char *p)
{
    char *slash = xs_strrchr(p + 1, '/');

    if (slash)
        *slash = '\0';
    else
        xs_strcpy(p, "/");
}

static int missing(struct xs_server *s, unsigned view, const char *path,
                   unsigned perm)
{
    struct xs_node *a = NULL;
    int err;

    if (path != s->path_b)
        xs_strcpy(s->path_b, path);
    while (!a && strcmp(s->path_b, "/") != 0) {
        to_parent(s->path_b);
        a = xs_lookup(s, view, s->path_b, &err);
        if (err)
            return err;
    }
    if (a && (xs_perm_for(s, s->caller, a) & perm))
        return XEN_ENOENT;
    return XEN_EACCES;
}

static int get_node(struct xs_server *s, unsigned view, const char *path,
                    unsigned perm, struct xs_node **out)
{
    int err;
    struct xs_node *n = xs_lookup(s, view, path, &err);

    if (err)
        return err;
    if (!n)
        return missing(s, view, path, perm);
    if ((xs_perm_for(s, s->caller, n) & perm) != perm)
        return XEN_EACCES;
    *out = n;
    return 0;
}

/* The record to modify for node n (n itself when committed). */
static struct xs_node *mut(struct xs_server *s, unsigned view,
                           struct xs_node *n, int *err)
{
    struct xs_node *m;

    if (view == 0)
        return n;
    m = xs_tx_copy(s, view, xs_node_path(s, n), n, err);
    if (!m && s->tx[view - 1].error == 0)
        s->tx[view - 1].error = (uint8_t)*err;
    return m;
}

static void touched(struct xs_server *s, unsigned view, struct xs_node *n)
{
    if (view == 0)
        n->gen = ++s->gen;
}

int xs_op_read(struct xs_server *s, unsigned view, const char *path,
               const char **val, unsigned *len)
{
    struct xs_node *n;
    int err = get_node(s, view, path, XS_PERM_READ, &n);

    if (err)
        return err;
    *val = n->value == XS_NIL ? "" : xs_ptr(s, n->value);
    *len = n->value_len;
    return 0;
}

int xs_op_dir(struct xs_server *s, unsigned view, const char *path,
              struct xs_node **node)
{
    return get_node(s, view, path, XS_PERM_READ, node);
}

int xs_op_get_perms(struct xs_server *s, unsigned view, const char *path,
                    struct xs_node **node)
{
    return get_node(s, view, path, XS_PERM_READ, node);
}

/*
 * Remove the subtree at [src, src + len) without recursion: descend to a
 * leaf, remove it and unlink it from its parent, repeat until the root of
 * the subtree itself went. Watches fire per node (subtree match for the
 * root, exact for the others) as in Xen's delnode_sub(). Committed removal
 * never allocates; in a transaction a failure marks it failed.
 */
static int rm_tree(struct xs_server *s, unsigned view, const char *src,
                   size_t len, bool fire)
{
    char *b = s->path_b;
    int err;

    memmove(b, src, len);
    b[len] = '\0';
    for (;;) {
        struct xs_node *n = xs_lookup(s, view, b, &err), *m, *p;
        size_t blen = strlen(b);
        char *slash, *base;

        if (err)
            goto fail;
        if (n && n->kids_len) {
            const char *kid = xs_ptr(s, n->kids);

            if (blen + 1 + strlen(kid) >= XS_PATH_BUF)
                return XEN_EINVAL;  /* unreachable: paths are bounded */
            b[blen] = '/';
            xs_strcpy(b + blen + 1, kid);
            continue;
        }
        if (n) {
            if (fire && view == 0)
                xs_fire_now(s, b, blen == len, NULL);
            xs_account(s, view, n->perms[0].id, -1);
            if (view == 0) {
                xs_rec_free(s, n);
            } else {
                if (!(m = mut(s, view, n, &err)))
                    goto fail;
                xs_free(s, m->value);
                xs_free(s, m->kids);
                m->value = m->kids = XS_NIL;
                m->value_len = m->kids_len = 0;
                m->flags |= XS_NF_DEAD;
                if (fire)
                    xs_fire(s, view, b, blen == len);
            }
        }
        /* Unlink b from its parent. */
        slash = xs_strrchr(b, '/');
        base = slash + 1;
        if (slash == b) {
            p = xs_lookup(s, view, "/", &err);
        } else {
            *slash = '\0';
            p = xs_lookup(s, view, b, &err);
        }
        if (err)
            goto fail;
        if (p) {
            if (!(m = mut(s, view, p, &err)))
                goto fail;
            xs_kid_del(s, m, base);
            touched(s, view, m);
        }
        if (blen == len)
            return 0;
        if (slash == b)
            b[1] = '\0';
    }
fail:
    if (view)
        s->tx[view - 1].error = (uint8_t)err;
    return err;
}

int xs_op_rm(struct xs_server *s, unsigned view, const char *path)
{
    struct xs_node *n;
    int err = get_node(s, view, path, XS_PERM_WRITE, &n);

    if (err == XEN_ENOENT) {
        /* Already gone: fine if the parent exists. */
        xs_strcpy(s->path_b, path);
        to_parent(s->path_b);
        n = xs_lookup(s, view, s->path_b, &err);
        return err ? err : n ? 0 : XEN_ENOENT;
    }
    if (err)
        return err;
    if (strcmp(path, "/") == 0 || path[0] == '@')
        return XEN_EINVAL;
    return rm_tree(s, view, path, strlen(path), true);
}

/* Create the missing nodes from below ancestor a down to path. */
static int create(struct xs_server *s, unsigned view, const char *path,
                  struct xs_node *a, size_t alen, const void *val, unsigned len)
{
    size_t plen = strlen(path), pos = alen == 1 ? 1 : alen + 1;
    size_t first = 0;
    int err;

    while (pos <= plen) {
        const char *end = strchr(path + pos, '/');
        size_t cend = end ? (size_t)(end - path) : plen;
        struct xs_node *m = mut(s, view, a, &err), *r;

        if (!m || (err = xs_kid_add(s, m, path + pos, cend - pos)))
            goto undo;
        touched(s, view, m);
        if (!first)
            first = cend;
        memcpy(s->path_b, path, cend);
        s->path_b[cend] = '\0';
        r = view ? xs_tx_copy(s, view, s->path_b, NULL, &err)
                 : xs_rec_new(s, 0, s->path_b, &err);
        if (!r) {
            if (view)
                s->tx[view - 1].error = (uint8_t)err;
            goto undo;
        }
        r->nperms = m->nperms;
        memcpy(r->perms, m->perms, sizeof(r->perms));
        if (s->caller != 0)
            r->perms[0].id = s->caller;
        touched(s, view, r);
        xs_account(s, view, r->perms[0].id, +1);
        a = r;
        pos = cend + 1;
    }
    err = xs_node_set_value(s, a, val, len);
    if (!err)
        return 0;
undo:
    if (first)
        (void)rm_tree(s, view, path, first, false);
    return err;
}

int xs_op_write(struct xs_server *s, unsigned view, const char *path,
                const void *val, unsigned len, bool mkdir)
{
    bool unpriv = s->caller != 0;
    struct xs_node *n, *a = NULL, *m;
    unsigned levels = 0;
    int err;

    n = xs_lookup(s, view, path, &err);
    if (err)
        return err;
    if (n) {
        if (!(xs_perm_for(s, s->caller, n) & XS_PERM_WRITE))
            return XEN_EACCES;
        if (mkdir)
            return 0;
        if (unpriv && 16u + 8u * n->nperms + len + n->kids_len > XS_NODE_SIZE_MAX)
            return XEN_ENOSPC;  /* Xen: ACC_NODESZ */
        if (!(m = mut(s, view, n, &err)))
            return err;
        if ((err = xs_node_set_value(s, m, val, len)))
            return err;
        touched(s, view, m);
        xs_fire(s, view, path, true);
        return 0;
    }
    if (path[0] == '@')
        return XEN_EINVAL;
    xs_strcpy(s->path_b, path);
    while (!a && strcmp(s->path_b, "/") != 0) {
        to_parent(s->path_b);
        levels++;
        a = xs_lookup(s, view, s->path_b, &err);
        if (err)
            return err;
    }
    if (!a || !(xs_perm_for(s, s->caller, a) & XS_PERM_WRITE))
        return XEN_EACCES;
    if (unpriv) {
        size_t alen = strlen(s->path_b);
        const char *kid = path + (alen == 1 ? 1 : alen + 1);
        const char *end = strchr(kid, '/');
        size_t klen = end ? (size_t)(end - kid) : strlen(kid);
        int pending = view ? s->tx[view - 1].guest_nodes : 0;

        if ((int)s->guest_nodes + pending + (int)levels > (int)XS_GUEST_NODES_MAX ||
            xs_node_size(a) + klen + 1 > XS_NODE_SIZE_MAX ||
            16u + 8u * a->nperms + len > XS_NODE_SIZE_MAX)
            return XEN_ENOSPC;  /* Xen: ACC_NODES, ACC_NODESZ */
    }
    err = create(s, view, path, a, strlen(s->path_b), val, len);
    if (!err)
        xs_fire(s, view, path, true);
    return err;
}

int xs_op_set_perms(struct xs_server *s, unsigned view, const char *path,
                    const struct xs_acl *acl, unsigned nacl)
{
    struct xs_node *n, *m, old;
    int err;

    if (nacl == 0)
        return XEN_EINVAL;
    if (nacl > XS_PERMS_MAX || (s->caller != 0 && nacl > XS_GUEST_NPERM_MAX))
        return XEN_ENOSPC;  /* Xen: ACC_NPERM */
    err = get_node(s, view, path, XS_PERM_WRITE | XS_PERM_OWNER, &n);
    if (err)
        return err;
    if (s->caller != 0 && acl[0].id != n->perms[0].id)
        return XEN_EPERM;   /* unprivileged domains may not give nodes away */
    if (s->caller != 0 &&
        16u + 8u * nacl + n->value_len + n->kids_len > XS_NODE_SIZE_MAX)
        return XEN_ENOSPC;
    old = *n;
    if (!(m = mut(s, view, n, &err)))
        return err;
    xs_account(s, view, m->perms[0].id, -1);
    memset(m->perms, 0, sizeof(m->perms));
    memcpy(m->perms, acl, nacl * sizeof(*acl));
    m->nperms = (uint8_t)nacl;
    xs_account(s, view, m->perms[0].id, +1);
    touched(s, view, m);
    if (view == 0)
        xs_fire_now(s, path, true, &old);
    else
        xs_fire(s, view, path, true);
    return 0;
}
