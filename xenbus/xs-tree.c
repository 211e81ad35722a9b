// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore node table: records keyed by (view, full path) in one hash
 * table, lookups through a transaction's view, permissions, node sizes,
 * path canonicalisation and the contents of a node (value, child names).
 * See xs-internal.h for the data model.
 */
#include <shim/log.h>
#include "xs-internal.h"

static uint32_t hash_of(unsigned view, const char *path, size_t len)
{
    uint32_t h = 2166136261u ^ (view * 0x9e3779b9u);

    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)path[i]) * 16777619u;
    return (h ^ (h >> 15)) & (XS_HASH_SIZE - 1);
}

void xs_tree_init(struct xs_server *s)
{
    int err;
    struct xs_node *root;

    xs_arena_init(&s->arena);
    memset(s->node, 0, sizeof(s->node));
    for (unsigned i = 0; i < XS_HASH_SIZE; i++)
        s->hash[i] = XS_NONE;
    for (unsigned i = 0; i < XS_NODES_MAX; i++)
        s->node[i].hnext = (uint16_t)(i + 1 < XS_NODES_MAX ? i + 1 : XS_NONE);
    s->free_node = 0;
    s->nodes_used = 0;
    s->gen = 1;
    s->guest_nodes = 0;

    root = xs_rec_new(s, 0, "/", &err);
    ASSERT(root);
    root->nperms = 1;
    root->perms[0].id = 0;
    root->perms[0].perm = XS_PERM_NONE;
    root->gen = ++s->gen;
}

bool xs_is_priv(const struct xs_server *s)
{
    return s->caller == 0;
}

const char *xs_node_path(struct xs_server *s, const struct xs_node *n)
{
    return xs_ptr(s, n->path);
}

struct xs_node *xs_rec_find(struct xs_server *s, unsigned view, const char *path)
{
    return xs_rec_find_n(s, view, path, strlen(path));
}

struct xs_node *xs_rec_find_n(struct xs_server *s, unsigned view,
                              const char *path, size_t len)
{
    uint16_t i = s->hash[hash_of(view, path, len)];

    while (i != XS_NONE) {
        struct xs_node *n = &s->node[i];

        if (n->view == view && n->path_len == len &&
            memcmp(xs_ptr(s, n->path), path, len) == 0)
            return n;
        i = n->hnext;
    }
    return NULL;
}

struct xs_node *xs_rec_new(struct xs_server *s, unsigned view, const char *path,
                           int *err)
{
    size_t len = strlen(path);
    uint32_t h = hash_of(view, path, len);
    uint16_t i = s->free_node;
    struct xs_node *n;

    /* The guest may not take the last eighth of the table either. */
    if (i == XS_NONE || len > XS_PATH_BUF ||
        (s->caller != 0 && s->nodes_used >= XS_NODES_MAX - XS_NODES_MAX / 8)) {
        *err = XEN_ENOMEM;
        return NULL;
    }
    n = &s->node[i];
    n->path = xs_strdup(s, path, len);
    if (n->path == XS_NIL) {
        *err = XEN_ENOMEM;
        return NULL;
    }
    s->free_node = n->hnext;
    n->path_len = (uint16_t)len;
    n->value = n->kids = XS_NIL;
    n->value_len = n->kids_len = 0;
    n->view = (uint8_t)view;
    n->flags = XS_NF_USED;
    n->nperms = 0;
    n->gen = XS_NO_GEN;
    n->hnext = s->hash[h];
    s->hash[h] = i;
    s->nodes_used++;
    s->stats.nodes = s->nodes_used;
    return n;
}

static void unhash(struct xs_server *s, struct xs_node *n)
{
    uint16_t idx = (uint16_t)(n - s->node);
    uint16_t *pp = &s->hash[hash_of(n->view, xs_ptr(s, n->path), n->path_len)];

    while (*pp != idx) {
        ASSERT(*pp != XS_NONE);
        pp = &s->node[*pp].hnext;
    }
    *pp = n->hnext;
}

void xs_rec_rekey(struct xs_server *s, struct xs_node *n, unsigned view)
{
    uint32_t h = hash_of(view, xs_ptr(s, n->path), n->path_len);

    unhash(s, n);
    n->view = (uint8_t)view;
    n->hnext = s->hash[h];
    s->hash[h] = (uint16_t)(n - s->node);
}

void xs_rec_free(struct xs_server *s, struct xs_node *n)
{
    uint16_t idx = (uint16_t)(n - s->node);

    unhash(s, n);
    xs_free(s, n->path);
    xs_free(s, n->value);
    xs_free(s, n->kids);
    memset(n, 0, sizeof(*n));
    n->hnext = s->free_node;
    s->free_node = idx;
    s->nodes_used--;
    s->stats.nodes = s->nodes_used;
}

/*
 * In a transaction: the node as the transaction sees it, recording the
 * generation of a first access so that commit can detect a conflict.
 */
struct xs_node *xs_lookup(struct xs_server *s, unsigned view, const char *path,
                          int *err)
{
    struct xs_node *r, *c;
    struct xs_tx *t;

    *err = 0;
    if (view == 0)
        return xs_rec_find(s, 0, path);
    r = xs_rec_find(s, view, path);
    if (r) {
        if (r->flags & XS_NF_MOD)
            return (r->flags & XS_NF_DEAD) ? NULL : r;
        return xs_rec_find(s, 0, path);
    }
    c = xs_rec_find(s, 0, path);
    t = &s->tx[view - 1];
    if (s->caller != 0 && t->records >= XS_TX_NODES_MAX) {
        *err = XEN_ENOSPC;  /* Xen: ACC_TRANSNODES */
        return NULL;
    }
    r = xs_rec_new(s, view, path, err);
    if (!r)
        return NULL;
    t->records++;
    r->flags |= XS_NF_CHECK;
    r->gen = c ? c->gen : XS_NO_GEN;
    return c;
}

/* Permissions of dom on n, as tools/xenstored perm_for_conn(). */
unsigned xs_perm_for(const struct xs_server *s, domid_t dom, const struct xs_node *n)
{
    const unsigned all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;

    if (dom == 0 || (n->nperms && n->perms[0].id == dom))
        return all;
    if (n->nperms == 0)
        return 0;
    for (unsigned i = 1; i < n->nperms; i++)
        if (n->perms[i].id == dom)
            return n->perms[i].perm & XS_PERM_BOTH;
    return n->perms[0].perm & XS_PERM_BOTH;
}

/* Size charged against the node-size quota: Xen's calc_node_acc_size()
 * (16-byte header, 8 bytes per ACL entry, value, child names). */
unsigned xs_node_size(const struct xs_node *n)
{
    return 16u + 8u * n->nperms + n->value_len + n->kids_len;
}

/* ---- paths ------------------------------------------------------------------ */

static bool valid_chars(const char *p)
{
    for (; *p; p++) {
        char c = *p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
              c == '@'))
            return false;
    }
    return true;
}

/* Offset just past "/local/domain/<n>/", or 0 (Xen's sscanf "%5u/"). */
static size_t local_offset(const char *p)
{
    static const char pre[] = "/local/domain/";
    size_t i = sizeof(pre) - 1, d;

    if (strncmp(p, pre, i) != 0)
        return 0;
    for (d = 0; d < 5 && p[i + d] >= '0' && p[i + d] <= '9'; d++)
        ;
    return (d > 0 && p[i + d] == '/') ? i + d + 1 : 0;
}

int xs_canonical(struct xs_server *s, const char *in, bool allow_special,
                 char *out, bool *relative)
{
    size_t len;
    bool rel;

    if (!in || !valid_chars(in) || (in[0] == '@' && !allow_special))
        return XEN_EINVAL;
    rel = in[0] != '/' && in[0] != '@';
    if (rel)
        len = (size_t)snprintf(out, XS_PATH_BUF, "/local/domain/%u/%s",
                               s->caller, in);
    else
        len = (size_t)snprintf(out, XS_PATH_BUF, "%s", in);
    if (len >= XS_PATH_BUF)
        return XEN_EINVAL;
    if (len > 1 && out[len - 1] == '/')
        return XEN_EINVAL;
    for (size_t i = 0; i + 1 < len; i++)
        if (out[i] == '/' && out[i + 1] == '/')
            return XEN_EINVAL;
    if (s->caller != 0 ? len - local_offset(out) > XS_REL_PATH_MAX
                       : len > XS_ABS_PATH_MAX)
        return XEN_EINVAL;
    if (relative)
        *relative = rel;
    return 0;
}

/* ---- node contents -------------------------------------------------------------- */

int xs_node_set_value(struct xs_server *s, struct xs_node *n, const void *val,
                     unsigned len)
{
    uint32_t v = XS_NIL;

    if (len) {
        v = xs_alloc(s, len);
        if (v == XS_NIL)
            return XEN_ENOMEM;
        memcpy(xs_ptr(s, v), val, len);
    }
    xs_free(s, n->value);
    n->value = v;
    n->value_len = (uint16_t)len;
    return 0;
}

int xs_kid_add(struct xs_server *s, struct xs_node *n, const char *name,
                   size_t nlen)
{
    size_t need = n->kids_len + nlen + 1;

    if (need > XS_KIDS_MAX)
        return XEN_ENOSPC;
    if (n->kids == XS_NIL || xs_alloc_size(s, n->kids) < need) {
        uint32_t k = xs_alloc(s, need);

        if (k == XS_NIL)
            return XEN_ENOMEM;
        if (n->kids_len)
            memcpy(xs_ptr(s, k), xs_ptr(s, n->kids), n->kids_len);
        xs_free(s, n->kids);
        n->kids = k;
    }
    memcpy(xs_ptr(s, n->kids) + n->kids_len, name, nlen);
    xs_ptr(s, n->kids)[n->kids_len + nlen] = '\0';
    n->kids_len = (uint16_t)need;
    return 0;
}

void xs_kid_del(struct xs_server *s, struct xs_node *n, const char *name)
{
    char *k = xs_ptr(s, n->kids);
    size_t nlen = strlen(name) + 1;

    for (size_t off = 0; n->kids != XS_NIL && off < n->kids_len;
         off += strlen(k + off) + 1) {
        if (strcmp(k + off, name) != 0)
            continue;
        memmove(k + off, k + off + nlen, n->kids_len - off - nlen);
        n->kids_len = (uint16_t)(n->kids_len - nlen);
        if (n->kids_len == 0) {
            xs_free(s, n->kids);
            n->kids = XS_NIL;
        }
        return;
    }
}
