// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's requests: checking a request copied from the ring, taking its
 * grants, running it on the block provider, and answering.
 *
 * Design: each request takes one pool record for its whole life and runs as
 * a sequence of steps (pre-flush, data in chunks of the provider's
 * max_segs, post-flush, discard chunks), each step one provider request,
 * the next submitted from the completion of the previous. Data goes by DMA
 * straight to/from the granted frames (a disk read needs write access to
 * the grant). A provider -EBUSY parks the record on the vbd's busy list
 * until some completion. Requests are independent: responses go out in
 * completion order with the request's id. A record of an older connection
 * (gen) finishes without a response.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "blkback-priv.h"

static struct blkback_req pool[BLKBACK_POOL_REQS];
static struct blkback_req *free_list;

void blkback_pool_init(void)
{
    free_list = NULL;
    for (unsigned int i = 0; i < BLKBACK_POOL_REQS; i++) {
        pool[i].vbd = NULL;
        pool[i].next = free_list;
        free_list = &pool[i];
    }
}

struct blkback_req *blkback_req_get(struct vbd *v)
{
    struct blkback_req *q = free_list;

    if (!q || v->inflight >= BLKBACK_VBD_INFLIGHT)
        return NULL;
    free_list = q->next;
    memset(q, 0, offsetof(struct blkback_req, segs));
    q->vbd = v;
    v->inflight++;
    return q;
}

static void pool_put(struct blkback_req *q)
{
    q->vbd->inflight--;
    q->vbd = NULL;
    q->next = free_list;
    free_list = q;
}

/* Segments copied out of indirect pages; used only inside one take. */
static struct blkif_request_segment indirect_segs[BLKBACK_MAX_SEGS];

/* ---- request life ----------------------------------------------------------- */

static void req_finish(struct blkback_req *q)
{
    struct vbd *v = q->vbd;

    while (q->nr_maps)
        gnttab_release(v->d, &q->maps[--q->nr_maps]);
    if (q->status != BLKIF_RSP_OKAY)
        v->stats_errors++;
    if (q->gen == v->gen && v->connected)
        blkback_respond(v, q->id, q->rsp_op, q->status);
    pool_put(q);
}

static void req_done(struct plat_blk_req *preq, enum plat_blk_status st);

/* Largest discard chunk: the provider's limit, in whole logical sectors. */
static uint32_t discard_chunk(const struct vbd *v, uint64_t left)
{
    uint32_t per = v->info->sector_size >> PLAT_BLK_SECTOR_SHIFT;
    uint32_t max = v->info->max_discard_sectors - v->info->max_discard_sectors % per;

    return (uint32_t)MIN(left, (uint64_t)(max ? max : per));
}

/* Submit q's next step, or finish q when nothing is left (or it failed). */
static void req_advance(struct blkback_req *q)
{
    struct vbd *v = q->vbd;
    unsigned int step, n;
    uint64_t bytes;
    int rc;

    for (;;) {
        if (q->gen != v->gen)
            q->status = BLKIF_RSP_ERROR;    /* the connection it came on is gone */
        if (q->status != BLKIF_RSP_OKAY || !q->steps) {
            req_finish(q);
            return;
        }
        step = q->steps & -q->steps;
        memset(&q->preq, 0, sizeof(q->preq));
        q->preq.done = req_done;
        q->preq.cookie = q;
        switch (step) {
        case BB_STEP_PREFLUSH:
        case BB_STEP_POSTFLUSH:
            /* No volatile cache to flush: the writes are durable already. */
            if (!v->info->flush) {
                q->steps &= ~step;
                continue;
            }
            q->preq.op = PLAT_BLK_FLUSH;
            break;
        case BB_STEP_DATA:
            n = MIN((unsigned int)(q->nr_segs - q->next_seg), v->info->max_segs);
            bytes = 0;
            for (unsigned int i = 0; i < n; i++)
                bytes += q->segs[q->next_seg + i].len;
            q->chunk_segs = (uint16_t)n;
            q->chunk_sectors = (uint32_t)(bytes >> PLAT_BLK_SECTOR_SHIFT);
            q->preq.op = q->write ? PLAT_BLK_WRITE : PLAT_BLK_READ;
            q->preq.sector = q->sector;
            q->preq.segs = &q->segs[q->next_seg];
            q->preq.nr_segs = n;
            break;
        default:    /* BB_STEP_DISCARD */
            q->chunk_sectors = discard_chunk(v, q->discard_left);
            q->preq.op = PLAT_BLK_DISCARD;
            q->preq.sector = q->sector;
            q->preq.nr_sectors = q->chunk_sectors;
            break;
        }
        rc = plat_blk_submit(v->cfg.disk, &q->preq);
        if (rc == 0)
            return;
        if (rc == -XEN_EBUSY) {
            /* A retry goes back where it was, so requests keep their order. */
            q->next = v->busy_retry ? v->busy_head : NULL;
            if (v->busy_retry)
                v->busy_head = q;
            else if (v->busy_tail)
                v->busy_tail->next = q;
            else
                v->busy_head = q;
            if (!q->next)
                v->busy_tail = q;
            return;
        }
        q->status = rc == -XEN_EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
    }
}

/* After a completion: retry parked requests, take what the ring holds. */
static void kick_all(void)
{
    for (unsigned int i = 0; i < blkback_nr_vbds; i++) {
        struct vbd *v = &blkback_vbds[i];

        while (v->busy_head) {
            struct blkback_req *q = v->busy_head;

            v->busy_head = q->next;
            if (!v->busy_head)
                v->busy_tail = NULL;
            v->busy_retry = true;
            req_advance(q);
            v->busy_retry = false;
            if (v->busy_head == q)
                break;              /* still busy: wait for the next completion */
        }
        if (v->stalled && !v->busy_head) {
            v->stalled = false;
            blkback_service(v);     /* publishes its responses itself */
        }
        if (v->rsp_pending)
            blkback_push(v);
    }
}

static void req_done(struct plat_blk_req *preq, enum plat_blk_status st)
{
    struct blkback_req *q = preq->cookie;
    unsigned int step = q->steps & -q->steps;

    if (st != PLAT_BLK_OK) {
        q->status = st == PLAT_BLK_UNSUPPORTED ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
    } else if (step == BB_STEP_DATA) {
        q->next_seg += q->chunk_segs;
        q->sector += q->chunk_sectors;
        if (q->next_seg == q->nr_segs)
            q->steps &= ~step;
    } else if (step == BB_STEP_DISCARD) {
        q->discard_left -= q->chunk_sectors;
        q->sector += q->chunk_sectors;
        if (!q->discard_left)
            q->steps &= ~step;
    } else {
        q->steps &= ~step;
    }
    req_advance(q);
    kick_all();
}

void blkback_cancel_busy(struct vbd *v)
{
    while (v->busy_head) {
        struct blkback_req *q = v->busy_head;

        v->busy_head = q->next;
        q->status = BLKIF_RSP_ERROR;
        req_finish(q);
    }
    v->busy_tail = NULL;
}

/* ---- checking a request ------------------------------------------------------ */

/*
 * Acquire the n segments' grants (write access when the device writes guest
 * memory, i.e. for a disk read) and build the provider segments. Returns a
 * BLKIF_RSP_*; the grants taken so far stay in q->maps for req_finish.
 */
static int16_t prep_segments(struct vbd *v, struct blkback_req *q,
                             const struct blkif_request_segment *segs, unsigned int n,
                             uint64_t sector, bool write)
{
    uint64_t total = 0;

    if (write && v->readonly)
        return BLKIF_RSP_ERROR;
    for (unsigned int i = 0; i < n; i++) {
        struct blkif_request_segment s = segs[i];
        struct gnt_mapping *m = &q->maps[i];
        unsigned int start, end;

        if (s.first_sect > s.last_sect || s.last_sect >= PAGE_SIZE >> PLAT_BLK_SECTOR_SHIFT)
            return BLKIF_RSP_ERROR;
        if (gnttab_acquire(v->d, s.gref, !write, m) != GNTST_okay)
            return BLKIF_RSP_ERROR;
        q->nr_maps++;
        start = (unsigned int)s.first_sect << PLAT_BLK_SECTOR_SHIFT;
        end = ((unsigned int)s.last_sect + 1) << PLAT_BLK_SECTOR_SHIFT;
        /* A v2 sub-page grant covers only [offset, offset + len). */
        if (start < m->offset || end > (unsigned int)m->offset + m->len)
            return BLKIF_RSP_ERROR;
        q->segs[i].addr = ((paddr_t)m->mfn << PAGE_SHIFT) + start;
        q->segs[i].len = end - start;
        total += (end - start) >> PLAT_BLK_SECTOR_SHIFT;
    }
    if (!write)
        blkback_tlb_sync();
    if (sector >= v->info->capacity || total > v->info->capacity - sector)
        return BLKIF_RSP_ERROR;
    q->nr_segs = (uint16_t)n;
    q->sector = sector;
    q->write = write;
    q->steps |= BB_STEP_DATA;
    return BLKIF_RSP_OKAY;
}

/* Copy the segment list out of the indirect pages (read-only grants). */
static int16_t prep_indirect(struct vbd *v, struct blkback_req *q,
                             const struct blkif_request_indirect *r)
{
    unsigned int n = r->nr_segments, pages;

    if (r->indirect_op != BLKIF_OP_READ && r->indirect_op != BLKIF_OP_WRITE)
        return BLKIF_RSP_ERROR;
    if (n == 0 || n > BLKBACK_MAX_SEGS)
        return BLKIF_RSP_ERROR;
    pages = (n + BLKBACK_SEGS_PER_PAGE - 1) / BLKBACK_SEGS_PER_PAGE;
    for (unsigned int p = 0; p < pages; p++) {
        unsigned int first = p * BLKBACK_SEGS_PER_PAGE;
        unsigned int cnt = MIN(n - first, (unsigned int)BLKBACK_SEGS_PER_PAGE);

        if (gnttab_copy_from(v->d, r->indirect_grefs[p], 0, &indirect_segs[first],
                             cnt * sizeof(indirect_segs[0])) != GNTST_okay)
            return BLKIF_RSP_ERROR;
    }
    return prep_segments(v, q, indirect_segs, n, r->sector_number,
                         r->indirect_op == BLKIF_OP_WRITE);
}

static int16_t prep_discard(struct vbd *v, struct blkback_req *q,
                            const struct blkif_request_discard *r)
{
    if (!v->info->discard)
        return BLKIF_RSP_EOPNOTSUPP;
    if (v->readonly || r->nr_sectors == 0 || r->sector_number >= v->info->capacity ||
        r->nr_sectors > v->info->capacity - r->sector_number)
        return BLKIF_RSP_ERROR;
    q->sector = r->sector_number;
    q->discard_left = r->nr_sectors;
    q->steps = BB_STEP_DISCARD;
    return BLKIF_RSP_OKAY;
}

/* Check the copied request w and start it; answers at once if it is bad. */
void blkback_take_request(struct vbd *v, struct blkback_req *q,
                          const union blkback_wire_req *w)
{
    uint8_t op = w->rw.operation;
    unsigned int n = w->rw.nr_segments;
    int16_t st;

    q->id = w->rw.id;
    q->gen = v->gen;
    q->rsp_op = op;
    v->stats_reqs++;
    switch (op) {
    case BLKIF_OP_READ:
    case BLKIF_OP_WRITE:
        st = n == 0 || n > BLKIF_MAX_SEGMENTS_PER_REQUEST ? BLKIF_RSP_ERROR :
             prep_segments(v, q, w->rw.seg, n, w->rw.sector_number, op == BLKIF_OP_WRITE);
        break;
    case BLKIF_OP_WRITE_BARRIER:
    case BLKIF_OP_FLUSH_DISKCACHE:
        /* Earlier writes durable, then the data (FUA): flush, write, flush. */
        q->steps = BB_STEP_PREFLUSH;
        st = BLKIF_RSP_OKAY;
        if (n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
            st = BLKIF_RSP_ERROR;
        else if (n)
            st = prep_segments(v, q, w->rw.seg, n, w->rw.sector_number, true);
        if (n)
            q->steps |= BB_STEP_POSTFLUSH;
        break;
    case BLKIF_OP_INDIRECT:
        /* blkfront checks that the response names the indirect_op. */
        q->rsp_op = w->indirect.indirect_op;
        st = prep_indirect(v, q, &w->indirect);
        break;
    case BLKIF_OP_DISCARD:
        st = prep_discard(v, q, &w->discard);
        break;
    default:
        st = BLKIF_RSP_EOPNOTSUPP;
        break;
    }
    q->status = st;
    req_advance(q);     /* finishes q at once if st is an error */
}

