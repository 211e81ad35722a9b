/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkback internals shared by blkback.c (boot glue), blkback-xenbus.c
 * (xenstore handshake, connect/disconnect) and blkback-ring.c (requests),
 * and used directly by the host unit tests.
 *
 * Memory: all static. A pool of BLKBACK_POOL_REQS request records is shared
 * by the vbds (at most BLKBACK_VBD_INFLIGHT each); a record holds the grants
 * and the provider segments of one blkif request of up to BLKBACK_MAX_SEGS
 * segments. A request that the ring holds but no record can take stays in
 * the ring until a completion frees one.
 */
#ifndef BLKBACK_PRIV_H
#define BLKBACK_PRIV_H

#include <plat/block.h>
#include <shim/blkback.h>
#include <shim/grant.h>
#include <xen/io/blkif.h>
#include <xen/io/xenbus.h>

#define BLKBACK_MAX_RING_ORDER    4u      /* XENBUS_MAX_RING_GRANT_ORDER */
#define BLKBACK_MAX_RING_PAGES    (1u << BLKBACK_MAX_RING_ORDER)
/* Advertised feature-max-indirect-segments (Linux blkfront uses <= 32 by
 * default); one indirect page holds 512 segments. */
#define BLKBACK_MAX_SEGS          128u
#define BLKBACK_SEGS_PER_PAGE     (PAGE_SIZE / sizeof(struct blkif_request_segment))
#define BLKBACK_MAX_INDIRECT_PAGES \
    ((BLKBACK_MAX_SEGS + BLKBACK_SEGS_PER_PAGE - 1) / BLKBACK_SEGS_PER_PAGE)
#define BLKBACK_POOL_REQS         64u
#define BLKBACK_VBD_INFLIGHT      32u
/* Offset of ring entry 0 in the shared ring (io/ring.h: 64-byte header). */
#define BLKBACK_SRING_HDR         64u

_Static_assert(sizeof(struct blkif_request) == 112, "blkif request, x86_64 ABI");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif response, x86_64 ABI");
_Static_assert(sizeof(union blkif_sring_entry) == 112, "blkif ring entry");
_Static_assert(offsetof(struct blkif_sring, ring) == BLKBACK_SRING_HDR, "sring header");
_Static_assert(sizeof(struct blkif_request_indirect) <= 112, "indirect request");
_Static_assert(BLKBACK_MAX_INDIRECT_PAGES <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
               "indirect pages per request");

/* Steps of a request, done lowest bit first. */
#define BB_STEP_PREFLUSH  0x1u
#define BB_STEP_DATA      0x2u
#define BB_STEP_POSTFLUSH 0x4u
#define BB_STEP_DISCARD   0x8u

struct vbd;

/* One blkif request being served; owned by the pool when vbd == NULL. */
struct blkback_req {
    struct vbd *vbd;
    struct blkback_req *next;       /* free list, or the vbd's busy-retry list */
    uint64_t id;                    /* echoed in the response */
    uint32_t gen;                   /* vbd->gen when taken from the ring */
    uint8_t rsp_op;                 /* operation of the response */
    uint8_t steps;                  /* BB_STEP_* still to do */
    int16_t status;                 /* BLKIF_RSP_* so far */
    uint16_t nr_segs, next_seg;     /* DATA: segments, first not yet done */
    uint16_t nr_maps;               /* grants held in maps[] */
    uint16_t chunk_segs;            /* segments of the provider request in flight */
    uint32_t chunk_sectors;         /* its 512-byte sectors */
    uint64_t sector;                /* next sector of DATA / DISCARD */
    uint64_t discard_left;          /* DISCARD sectors still to do */
    bool write;                     /* DATA goes memory -> disk */
    struct plat_blk_req preq;
    struct plat_blk_seg segs[BLKBACK_MAX_SEGS];
    struct gnt_mapping maps[BLKBACK_MAX_SEGS];
};

struct vbd {
    struct domain *d;
    unsigned int idx;               /* in blkback_vbds[], the port's instance */
    struct shim_vbd cfg;
    const struct plat_blk_info *info;
    bool readonly;                  /* cfg.readonly or the disk's */
    char fe_path[64], be_path[64];
    int watch;                      /* xenstore watch on the frontend state */
    unsigned int be_state;          /* XenbusState we published */

    /* The connection; valid while connected. */
    bool connected;
    bool broken;                    /* hostile ring: no more servicing */
    uint32_t gen;                   /* bumped by connect and disconnect */
    evtchn_port_t port;
    unsigned int nr_ring_pages;
    struct gnt_mapping ring_maps[BLKBACK_MAX_RING_PAGES];
    uint8_t *ring_page[BLKBACK_MAX_RING_PAGES];
    uint32_t ring_size;             /* entries, a power of two */
    uint32_t req_cons, rsp_prod_pvt;
    uint32_t rsp_published;         /* rsp_prod we last wrote to the ring */
    bool rsp_pending;               /* responses written, not yet published */

    unsigned int inflight;          /* records taken from the pool */
    bool stalled;                   /* requests left in the ring for lack of records */
    struct blkback_req *busy_head, *busy_tail;  /* provider said -EBUSY */
    bool busy_retry;                /* retrying busy_head: park it in front again */

    uint64_t stats_reqs, stats_errors;
};

extern struct vbd blkback_vbds[BLKBACK_MAX_VBDS];
extern unsigned int blkback_nr_vbds;

/* ---- blkback-xenbus.c --------------------------------------------------- */

/* Set up vbd blkback_vbds[blkback_nr_vbds] from cfg on the provider's disk
 * and publish it; returns it. */
struct vbd *blkback_vbd_create(struct domain *d, const struct shim_vbd *cfg,
                               const struct plat_blk_info *info);
/* The frontend broke the protocol: log, write the error node, stop the vbd
 * and switch to Closing (xenbus_dev_fatal). */
void blkback_fatal(struct vbd *v, const char *fmt, ...) __printf(2, 3);

/* ---- blkback-ring.c ----------------------------------------------------- */

/* Take the requests the frontend produced (EVTCHNOP_send, connect, and
 * after completions freed records); publishes the responses written. */
void blkback_service(struct vbd *v);
/* Ring size in entries for nr_pages pages (__RING_SIZE of io/ring.h). */
uint32_t blkback_ring_entries(unsigned int nr_pages);
/* Write a response into the next slot (published by blkback_push). */
void blkback_respond(struct vbd *v, uint64_t id, uint8_t op, int16_t status);
/* Publish written responses; notify the guest if it asked (rsp_event). */
void blkback_push(struct vbd *v);

/* ---- blkback-io.c ------------------------------------------------------- */

/* A ring entry as copied out of the ring. */
union blkback_wire_req {
    struct blkif_request rw;
    struct blkif_request_discard discard;
    struct blkif_request_indirect indirect;
    uint64_t raw[sizeof(struct blkif_request) / 8];
};

/* Reset the request pool (boot, tests). */
void blkback_pool_init(void);
/* A free record for v, or NULL (pool empty, or v at BLKBACK_VBD_INFLIGHT). */
struct blkback_req *blkback_req_get(struct vbd *v);
/* Check the copied request w and start it in q (from blkback_req_get);
 * a bad request is answered at once. w is not looked at after it returns. */
void blkback_take_request(struct vbd *v, struct blkback_req *q,
                          const union blkback_wire_req *w);
/* Finish every request of v that has not reached the provider (disconnect). */
void blkback_cancel_busy(struct vbd *v);

/* ---- blkback.c (arch glue; the unit tests provide their own) ----------- */

/* Honour a TLB flush the grant code requested (gnttab_acquire for write). */
void blkback_tlb_sync(void);
/* Push xenstore output the guest waits for (outside watch callbacks). */
void blkback_xs_kick(struct domain *d);

#endif
