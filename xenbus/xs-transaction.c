// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore transactions (TRANSACTION_START/END), as C xenstored does them
 * (tools/xenstored/transaction.c): a transaction keeps a private record of
 * every node it touched, holding the generation it first saw and, for nodes
 * it changed, its own copy (or a tombstone). Commit fails with EAGAIN if any
 * touched node's committed generation moved since; otherwise the copies
 * replace the committed nodes (moved, not copied: commit never allocates, so
 * it cannot fail half-way) and the watches fire. Abort just drops records.
 */
#include <shim/log.h>
#include "xs-internal.h"

int xs_tx_view(struct xs_server *s, uint32_t tx_id)
{
    if (tx_id == 0)
        return 0;
    for (unsigned i = 0; i < XS_TX_MAX; i++)
        if (s->tx[i].id == tx_id)
            return (int)i + 1;
    return -1;
}

int xs_tx_start(struct xs_server *s, uint32_t *id)
{
    struct xs_tx *t = NULL;

    for (unsigned i = 0; i < XS_TX_MAX; i++)
        if (s->tx[i].id == 0) {
            t = &s->tx[i];
            break;
        }
    if (!t)
        return XEN_ENOSPC;      /* Xen: ACC_TRANS quota */
    /* Ids are never 0 and never one in use. */
    do {
        s->next_tx_id++;
    } while (s->next_tx_id == 0 || xs_tx_view(s, s->next_tx_id) > 0);
    memset(t, 0, sizeof(*t));
    t->id = s->next_tx_id;
    *id = t->id;
    s->stats.transactions++;
    return 0;
}

void xs_account(struct xs_server *s, unsigned view, domid_t owner, int delta)
{
    if (owner != s->guest)
        return;
    if (view == 0)
        s->guest_nodes += (uint32_t)delta;
    else
        s->tx[view - 1].guest_nodes = (int16_t)(s->tx[view - 1].guest_nodes + delta);
    s->stats.guest_nodes = s->guest_nodes;
}

struct xs_node *xs_tx_copy(struct xs_server *s, unsigned view, const char *path,
                           struct xs_node *seen, int *err)
{
    struct xs_tx *t = &s->tx[view - 1];
    struct xs_node *r = xs_rec_find(s, view, path);
    struct xs_node *c;

    if (!r) {
        c = xs_rec_find(s, 0, path);
        if (s->caller != 0 && t->records >= XS_TX_NODES_MAX) {
            *err = XEN_ENOSPC;
            return NULL;
        }
        r = xs_rec_new(s, view, path, err);
        if (!r)
            return NULL;
        t->records++;
        r->flags |= XS_NF_CHECK;
        r->gen = c ? c->gen : XS_NO_GEN;
    }
    if (r->flags & XS_NF_MOD) {
        if (r->flags & XS_NF_DEAD) {        /* re-created: starts empty */
            r->flags &= (uint8_t)~XS_NF_DEAD;
            r->nperms = 0;
        }
        return r;
    }
    if (seen && seen != r) {
        uint32_t v = XS_NIL, k = XS_NIL;

        if (seen->value_len &&
            (v = xs_alloc(s, seen->value_len)) == XS_NIL)
            goto nomem;
        if (seen->kids_len && (k = xs_alloc(s, seen->kids_len)) == XS_NIL) {
            xs_free(s, v);
            goto nomem;
        }
        if (v != XS_NIL)
            memcpy(xs_ptr(s, v), xs_ptr(s, seen->value), seen->value_len);
        if (k != XS_NIL)
            memcpy(xs_ptr(s, k), xs_ptr(s, seen->kids), seen->kids_len);
        r->value = v;
        r->value_len = seen->value_len;
        r->kids = k;
        r->kids_len = seen->kids_len;
        r->nperms = seen->nperms;
        memcpy(r->perms, seen->perms, sizeof(r->perms));
    }
    r->flags |= XS_NF_MOD;
    return r;

nomem:
    *err = XEN_ENOMEM;
    return NULL;
}

static void drop_view(struct xs_server *s, unsigned view)
{
    for (unsigned i = 0; i < XS_NODES_MAX; i++)
        if ((s->node[i].flags & XS_NF_USED) && s->node[i].view == view)
            xs_rec_free(s, &s->node[i]);
    memset(&s->tx[view - 1], 0, sizeof(s->tx[0]));
    s->stats.transactions--;
}

static int check_view(struct xs_server *s, unsigned view)
{
    for (unsigned i = 0; i < XS_NODES_MAX; i++) {
        struct xs_node *r = &s->node[i];
        struct xs_node *c;

        if (!(r->flags & XS_NF_USED) || r->view != view ||
            !(r->flags & XS_NF_CHECK))
            continue;
        c = xs_rec_find(s, 0, xs_node_path(s, r));
        if ((c ? c->gen : XS_NO_GEN) != r->gen)
            return XEN_EAGAIN;
    }
    return 0;
}

/* Move the transaction's record r into the committed tree. */
static void apply_one(struct xs_server *s, struct xs_node *r)
{
    const char *path = xs_node_path(s, r);
    struct xs_node *c = xs_rec_find(s, 0, path);

    if (r->flags & XS_NF_DEAD) {
        if (c) {
            xs_account(s, 0, c->perms[0].id, -1);
            xs_rec_free(s, c);
        }
        return;
    }
    if (c) {
        xs_account(s, 0, c->perms[0].id, -1);
        xs_free(s, c->value);
        xs_free(s, c->kids);
        c->value = r->value;
        c->value_len = r->value_len;
        c->kids = r->kids;
        c->kids_len = r->kids_len;
        c->nperms = r->nperms;
        memcpy(c->perms, r->perms, sizeof(c->perms));
        r->value = r->kids = XS_NIL;    /* now c's */
    } else {
        /* The record itself becomes the committed node. */
        xs_rec_rekey(s, r, 0);
        r->flags = XS_NF_USED;
        c = r;
    }
    c->gen = ++s->gen;
    xs_account(s, 0, c->perms[0].id, +1);
}

int xs_tx_end(struct xs_server *s, unsigned view, bool commit)
{
    struct xs_tx *t = &s->tx[view - 1];
    int rc = 0;

    if (commit) {
        rc = t->error ? t->error : check_view(s, view);
        if (!rc && s->caller != 0 && t->guest_nodes > 0 &&
            s->guest_nodes + (uint32_t)t->guest_nodes > XS_GUEST_NODES_MAX)
            rc = XEN_ENOSPC;
    }
    if (commit && !rc) {
        /* Queue the events first, while the records still exist; they are
         * delivered after the request anyway. */
        for (unsigned i = 0; i < XS_NODES_MAX; i++) {
            struct xs_node *r = &s->node[i];

            if ((r->flags & XS_NF_USED) && r->view == view &&
                (r->flags & (XS_NF_FIRE | XS_NF_FIRE_TREE)))
                xs_fire_now(s, xs_node_path(s, r),
                            r->flags & XS_NF_FIRE_TREE, r);
        }
        for (unsigned i = 0; i < XS_NODES_MAX; i++) {
            struct xs_node *r = &s->node[i];

            if ((r->flags & XS_NF_USED) && r->view == view &&
                (r->flags & XS_NF_MOD))
                apply_one(s, r);
        }
    }
    drop_view(s, view);
    return rc;
}

void xs_tx_abort_all(struct xs_server *s)
{
    for (unsigned i = 0; i < XS_TX_MAX; i++)
        if (s->tx[i].id)
            drop_view(s, i + 1);
}
