/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private state of the xenstore server (xenbus/xs-*.c). Not for other
 * modules: they use <shim/xenstore.h>.
 *
 * Design: the store is a table of node records keyed by (view, full path)
 * in one hash table, like C xenstored's database. View 0 is the committed
 * tree; view t+1 holds the private records of transaction slot t: a copy of
 * every node the transaction modified (or a tombstone for one it removed)
 * and an access record (generation seen) for every node it only read.
 * A transaction sees its own copy if it has one, else the committed node.
 * Commit checks the generation of every node the transaction touched
 * (EAGAIN on any change) and then moves its copies into view 0.
 * Strings (paths, values, NUL-separated child names, watch paths and tokens)
 * live in a 1 MiB buddy arena (16-byte granules) so removed nodes give their
 * memory back and neighbouring free blocks merge.
 * Errors inside the server are positive XEN_E* values, 0 on success.
 */
#ifndef XENBUS_XS_INTERNAL_H
#define XENBUS_XS_INTERNAL_H

#include <shim/lib.h>
#include <shim/xenstore.h>

/* ---- limits -------------------------------------------------------------- */
#define XS_NODES_MAX        4096u
#define XS_HASH_SIZE        4096u       /* power of two */
#define XS_ARENA_SHIFT      20
#define XS_ARENA_SIZE       (1u << XS_ARENA_SHIFT)
#define XS_ARENA_RESERVE    (256u * 1024)   /* not for the guest */
#define XS_GRAIN_SHIFT      4
#define XS_GRAINS           (XS_ARENA_SIZE >> XS_GRAIN_SHIFT)
#define XS_ORDERS           (XS_ARENA_SHIFT - XS_GRAIN_SHIFT + 1)
#define XS_PERMS_MAX        8u
#define XS_KIDS_MAX         65535u      /* bytes of child names per node */
#define XS_TX_MAX           10u         /* Xen ACC_TRANS */
#define XS_TX_NODES_MAX     256u        /* Xen ACC_TRANSNODES is 1024 */
#define XS_GUEST_NODES_MAX  1000u       /* Xen ACC_NODES */
#define XS_GUEST_WATCHES_MAX 128u       /* Xen ACC_WATCH */
#define XS_INTERNAL_WATCHES_MAX 64u
#define XS_WATCHES_MAX      (XS_GUEST_WATCHES_MAX + XS_INTERNAL_WATCHES_MAX)
#define XS_GUEST_NPERM_MAX  5u          /* Xen ACC_NPERM */
#define XS_NODE_SIZE_MAX    2048u       /* Xen ACC_NODESZ */
#define XS_REL_PATH_MAX     XENSTORE_REL_PATH_MAX   /* Xen ACC_PATHLEN */
#define XS_ABS_PATH_MAX     XENSTORE_ABS_PATH_MAX
#define XS_PATH_BUF         (XENSTORE_PAYLOAD_MAX + 32)
#define XS_MSG_MAX          (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define XS_OUT_SIZE         (16u * 1024)    /* replies + events to the guest */
#define XS_IEV_SIZE         (16u * 1024)    /* internal watch events */

#define XS_NIL      0xffffffffu     /* arena offset: nothing */
#define XS_NONE     0xffffu         /* node / watch index: nothing */
#define XS_NO_GEN   0ull            /* generation of an absent node */

/* ---- arena ------------------------------------------------------------------ */
struct xs_arena {
    uint8_t  mem[XS_ARENA_SIZE] __aligned(16);
    uint8_t  meta[XS_GRAINS];       /* per block head: order | XS_AM_FREE */
    uint32_t free_head[XS_ORDERS];  /* byte offsets, links inside free blocks */
    uint32_t used;                  /* bytes in allocated blocks */
};

/* ---- nodes -------------------------------------------------------------- */
/* Record flags. */
#define XS_NF_USED      0x01
#define XS_NF_MOD       0x02    /* tx: holds the transaction's copy */
#define XS_NF_DEAD      0x04    /* tx copy: removed in the transaction */
#define XS_NF_CHECK     0x08    /* tx: check gen at commit */
#define XS_NF_FIRE      0x10    /* tx: fire watches (exact) at commit */
#define XS_NF_FIRE_TREE 0x20    /* tx: fire watches (subtree) at commit */

struct xs_node {
    uint64_t gen;           /* view 0: last change; tx: gen seen (or NO_GEN) */
    uint32_t path;          /* arena offsets, XS_NIL when empty */
    uint32_t value;
    uint32_t kids;          /* child names, each NUL-terminated */
    uint16_t path_len;
    uint16_t value_len;
    uint16_t kids_len;
    uint16_t hnext;         /* hash chain; free list when unused */
    uint8_t  view;          /* 0 = committed, t + 1 = transaction slot t */
    uint8_t  flags;
    uint8_t  nperms;
    struct xs_acl perms[XS_PERMS_MAX];
};

struct xs_tx {
    uint32_t id;            /* 0: slot free */
    uint16_t records;       /* records in the view (quota) */
    int16_t  guest_nodes;   /* guest-owned nodes created minus removed */
    uint8_t  error;         /* an operation failed half-way: fail commit */
};

/* ---- watches --------------------------------------------------------------- */
enum xs_watch_kind { XS_W_FREE, XS_W_GUEST, XS_W_INTERNAL };

struct xs_watch {
    uint32_t path, token;   /* arena; path absolute or "@special" */
    uint16_t path_len, token_len;
    uint16_t prefix;        /* bytes to strip from event paths (relative) */
    uint8_t  kind;
    uint16_t seq;           /* bumped on free: stale queued events skip */
    xs_watch_fn fn;
    void *opaque;
};

/* A byte FIFO with free-running indices (size is a power of two). */
struct xs_fifo {
    uint8_t *buf;
    uint32_t size, head, tail;  /* tail - head = bytes queued */
};

struct xs_server {
    struct xs_arena arena;
    struct xs_node node[XS_NODES_MAX];
    uint16_t hash[XS_HASH_SIZE];
    uint16_t free_node;
    uint32_t nodes_used;
    uint64_t gen;                   /* global generation counter */
    domid_t guest;                  /* the ring connection's domid */
    domid_t caller;                 /* whose request runs now (0 = shim) */
    uint32_t guest_nodes;
    struct xs_tx tx[XS_TX_MAX];
    uint32_t next_tx_id;
    struct xs_watch watch[XS_WATCHES_MAX];
    uint32_t guest_watches;
    /* the guest connection */
    struct xsd_sockmsg in_hdr;
    uint32_t in_used;               /* bytes of header + payload assembled */
    uint32_t in_skip;               /* payload bytes of an oversize message */
    char in_buf[XENSTORE_PAYLOAD_MAX + 1];
    uint8_t out_mem[XS_OUT_SIZE];
    struct xs_fifo out;
    uint8_t iev_mem[XS_IEV_SIZE];
    struct xs_fifo iev;
    bool iev_running;
    char iev_path[XS_PATH_BUF];     /* the path a callback is given */
    struct xs_stats stats;
    /* scratch (the server is not reentrant) */
    char path_a[XS_PATH_BUF];
    char path_b[XS_PATH_BUF];
    char reply[XENSTORE_PAYLOAD_MAX + 1];
};

/* ---- string helpers the shim's libc subset lacks ---------------------------- */
static inline char *xs_strrchr(const char *p, char c)
{
    const char *last = NULL;

    for (; *p; p++)
        if (*p == c)
            last = p;
    return (char *)last;
}

static inline void xs_strcpy(char *dst, const char *src)
{
    memmove(dst, src, strlen(src) + 1);
}

/* ---- xs-arena.c ---------------------------------------------------------- */
void xs_arena_init(struct xs_arena *a);
/* Returns an offset or XS_NIL; honours the guest reserve when s->caller != 0. */
uint32_t xs_alloc(struct xs_server *s, size_t len);
void xs_free(struct xs_server *s, uint32_t off);
size_t xs_alloc_size(const struct xs_server *s, uint32_t off);
static inline char *xs_ptr(struct xs_server *s, uint32_t off)
{
    return (char *)s->arena.mem + off;
}
uint32_t xs_strdup(struct xs_server *s, const char *str, size_t len);

void xs_fifo_init(struct xs_fifo *f, uint8_t *buf, uint32_t size);
static inline uint32_t xs_fifo_used(const struct xs_fifo *f) { return f->tail - f->head; }
static inline uint32_t xs_fifo_room(const struct xs_fifo *f) { return f->size - xs_fifo_used(f); }
void xs_fifo_put(struct xs_fifo *f, const void *src, uint32_t len);
void xs_fifo_peek(const struct xs_fifo *f, uint32_t off, void *dst, uint32_t len);

/* ---- xs-tree.c: records of a view ------------------------------------------- */
void xs_tree_init(struct xs_server *s);
bool xs_is_priv(const struct xs_server *s);
/* The node at path as view sees it, or NULL; in a transaction view it
 * records the access (may fail: *err = ENOSPC/ENOMEM, returns NULL). */
struct xs_node *xs_lookup(struct xs_server *s, unsigned view, const char *path,
                          int *err);
/* The record of (view, path) itself, or NULL. */
struct xs_node *xs_rec_find(struct xs_server *s, unsigned view, const char *path);
struct xs_node *xs_rec_find_n(struct xs_server *s, unsigned view,
                              const char *path, size_t len);
/* A new empty record (no value, no children, no ACL) for (view, path). */
struct xs_node *xs_rec_new(struct xs_server *s, unsigned view, const char *path,
                           int *err);
void xs_rec_free(struct xs_server *s, struct xs_node *n);
/* Move a record to another view (commit); never allocates. */
void xs_rec_rekey(struct xs_server *s, struct xs_node *n, unsigned view);
const char *xs_node_path(struct xs_server *s, const struct xs_node *n);
#define XS_PERM_OWNER 4u   /* internal: owner rights (set-perms) */
unsigned xs_perm_for(const struct xs_server *s, domid_t dom, const struct xs_node *n);
unsigned xs_node_size(const struct xs_node *n);
/* Replace n's value (ENOMEM leaves it unchanged). */
int xs_node_set_value(struct xs_server *s, struct xs_node *n, const void *val,
                      unsigned len);
/* Append / remove a child name in n's list (ENOMEM, ENOSPC). */
int xs_kid_add(struct xs_server *s, struct xs_node *n, const char *name,
               size_t nlen);
void xs_kid_del(struct xs_server *s, struct xs_node *n, const char *name);
/* Canonical absolute form of a request path into out (XS_PATH_BUF bytes):
 * relative paths go under /local/domain/<caller>; EINVAL for bad
 * characters, "//", a trailing '/', '@' unless allowed, or a path longer
 * than XENSTORE_REL_PATH_MAX below the domain home (Xen ACC_PATHLEN). */
int xs_canonical(struct xs_server *s, const char *in, bool allow_special,
                 char *out, bool *relative);

/* ---- xs-ops.c: operations with permission and quota checks ------------ */
int xs_op_read(struct xs_server *s, unsigned view, const char *path,
               const char **val, unsigned *len);
int xs_op_dir(struct xs_server *s, unsigned view, const char *path,
              struct xs_node **node);
int xs_op_write(struct xs_server *s, unsigned view, const char *path,
                const void *val, unsigned len, bool mkdir);
int xs_op_rm(struct xs_server *s, unsigned view, const char *path);
int xs_op_get_perms(struct xs_server *s, unsigned view, const char *path,
                    struct xs_node **node);
int xs_op_set_perms(struct xs_server *s, unsigned view, const char *path,
                    const struct xs_acl *acl, unsigned nacl);

/* ---- xs-transaction.c ----------------------------------------------------- */
/* Map a wire tx_id to a view: 0 -> 0; unknown -> -1. */
int xs_tx_view(struct xs_server *s, uint32_t tx_id);
int xs_tx_start(struct xs_server *s, uint32_t *id);
int xs_tx_end(struct xs_server *s, unsigned view, bool commit);
void xs_tx_abort_all(struct xs_server *s);
/* Make (or find) the transaction's own copy of path; NULL + *err. */
struct xs_node *xs_tx_copy(struct xs_server *s, unsigned view, const char *path,
                           struct xs_node *committed, int *err);
/* Note the owner's node count change of a view's create/remove. */
void xs_account(struct xs_server *s, unsigned view, domid_t owner, int delta);

/* ---- xs-watch.c ------------------------------------------------------------- */
/* path changed in view 0 (deferred to commit in a transaction view). */
void xs_fire(struct xs_server *s, unsigned view, const char *path, bool subtree);
void xs_fire_now(struct xs_server *s, const char *path, bool subtree,
                 const struct xs_node *old_perms);
/* Returns the watch index, or a negative XEN_E* (EEXIST, ENOSPC, ENOMEM). */
int xs_watch_add(struct xs_server *s, const char *path, const char *token,
                 uint16_t prefix, xs_watch_fn fn, void *opaque);
/* Queue the event every new watch gets right after it is set. */
void xs_watch_initial(struct xs_server *s, int idx);
int xs_watch_del(struct xs_server *s, const char *path, const char *token);
void xs_watch_reset_guest(struct xs_server *s);
void xs_run_internal(struct xs_server *s);

/* ---- xs-ring.c: the output queue; xs-wire.c: error names ------------------- */
/* Queue a reply (a payload over XENSTORE_PAYLOAD_MAX becomes E2BIG). */
void xs_queue_msg(struct xs_server *s, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *data, uint32_t len);
/* Queue a watch event; dropped (and counted) if it would leave less than a
 * full reply's room, so the reply of the current request always fits. */
void xs_queue_event(struct xs_server *s, const char *path, const char *token);
const char *xs_errname(int err);

#endif
