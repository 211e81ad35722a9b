// SPDX-License-Identifier: GPL-2.0-only
/*
 * storvsc requests: one plat_blk_req becomes one or more SCSI commands,
 * each a vstor packet whose data pages go to the host as one GPA-direct
 * range straight from the request's segments (no bounce copies).
 *
 * A GPA range is a byte window over whole frames: it can describe segments
 * only while each one continues the previous inside its page or starts a
 * page the previous one filled to its end. Requests whose segments break
 * that (a gap, or a short segment in the middle) are split into several
 * commands at the breaks; the request completes when all have, with the
 * first error any of them met. Completions are matched by transaction id:
 * slot and generation, so a late or forged id cannot reach a reused slot.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "storvsc-priv.h"
#include "vdev.h"

struct svs_disk svs_disks[SVS_MAX_DISKS];
unsigned int svs_nr_disks;

void svs_cmds_init(struct svs_ctrl *c)
{
    for (unsigned int s = 0; s < SVS_QUEUE; s++) {
        c->cmds[s] = (struct svs_cmd){ .gen = 1 };
        c->free_cmd[s] = (uint16_t)(SVS_QUEUE - 1 - s);
    }
    c->nr_free = SVS_QUEUE;
}

static uint64_t cmd_tid(const struct svs_ctrl *c, unsigned int s)
{
    return (uint64_t)c->cmds[s].gen << 32 | (s + 1);
}

static unsigned int cmd_take(struct svs_ctrl *c)
{
    return c->free_cmd[--c->nr_free];
}

static void cmd_free(struct svs_ctrl *c, unsigned int s)
{
    c->cmds[s].req = NULL;
    c->cmds[s].gen++;
    c->free_cmd[c->nr_free++] = (uint16_t)s;
}

/* Command s ended with st; the request ends with its last command. */
static unsigned int cmd_done(struct svs_ctrl *c, unsigned int s, enum plat_blk_status st)
{
    unsigned int lead = c->cmds[s].lead;
    struct svs_cmd *l = &c->cmds[lead];
    struct plat_blk_req *req;

    if (st != PLAT_BLK_OK && l->status == PLAT_BLK_OK)
        l->status = (uint8_t)st;
    if (s != lead)
        cmd_free(c, s);
    if (--l->pending)
        return 0;
    req = l->req;
    st = l->status;
    cmd_free(c, lead);
    req->done(req, st);
    return 1;
}

void svs_fail(struct svs_ctrl *c, const char *why)
{
    if (c->failed)
        return;
    log_warn("storvsc %u: %s; controller disabled\n", c->index, why);
    c->failed = true;
    /*
     * No vmbus_close: this runs in the channel callback, where plat/vmbus.h
     * forbids it, and a dead channel is closed already. The host (the root
     * partition) can write any of our memory anyway; the pages of the failed
     * requests are the caller's again.
     */
    for (unsigned int s = 0; s < SVS_QUEUE; s++)
        if (c->cmds[s].req && c->cmds[s].lead != s)
            cmd_done(c, s, PLAT_BLK_IOERR);
    for (unsigned int s = 0; s < SVS_QUEUE; s++)
        if (c->cmds[s].req)
            cmd_done(c, s, PLAT_BLK_IOERR);
}

/* One packet from the host, info->len bytes in c->rx. */
static unsigned int dispatch(struct svs_ctrl *c, const struct vmbus_pkt_info *info)
{
    struct vstor_packet p = { 0 };
    uint64_t tid = info->trans_id;
    uint32_t slot = (uint32_t)tid - 1, moved;
    enum plat_blk_status st;
    struct svs_cmd *cmd;

    memcpy(&p, c->rx, MIN(info->len, (uint32_t)sizeof(p)));
    if (info->type != VMBUS_PKT_COMPLETION) {
        /* ENUMERATE_BUS / REMOVE_DEVICE: LUNs changed; not followed at run time. */
        if (!c->unsolicited++)
            log_warn("storvsc %u: host message %u ignored (LUN changes are not followed)\n",
                     c->index, info->len >= 4 ? p.operation : 0);
        return 0;
    }
    if (c->sync_pending && tid == c->sync_tid) {
        c->sync_reply = p;
        c->sync_len = info->len;
        c->sync_pending = false;
        c->sync_done = true;
        return 0;
    }
    if ((tid & SVS_TID_SYNC) || slot >= SVS_QUEUE || !c->cmds[slot].req ||
        c->cmds[slot].gen != (uint32_t)(tid >> 32)) {
        c->unknown_tid++;
        return 0;
    }
    cmd = &c->cmds[slot];
    if (!c->proto || info->len < c->proto->pkt_bytes)
        c->bad_len++;
    st = c->proto ? vstor_srb_result(&p, info->len, c->proto, cmd->want, &moved)
                  : PLAT_BLK_IOERR;
    /* A short READ or WRITE left part of the request undone. */
    if (st == PLAT_BLK_OK && moved != cmd->want)
        st = PLAT_BLK_IOERR;
    return cmd_done(c, slot, st);
}

unsigned int svs_drain(struct svs_ctrl *c)
{
    struct vmbus_pkt_info info;
    unsigned int n = 0;

    for (unsigned int i = 0; !c->failed && i < 2 * SVS_QUEUE + 8; i++) {
        int rc = vmbus_recv(c->ch, c->rx, sizeof(c->rx), &info);

        if (rc == -XEN_EAGAIN)
            break;
        if (rc) {
            /* No storvsc packet is larger than 64 bytes: the host broke the protocol. */
            svs_fail(c, rc == -XEN_EMSGSIZE ? "oversized packet from the host"
                                            : "receive ring corrupt");
            break;
        }
        n += dispatch(c, &info);
    }
    return n;
}

void svs_on_event(void *arg)
{
    svs_drain(arg);
}

unsigned int svs_poll(void *ctx)
{
    struct svs_ctrl *ctrls = ctx;
    unsigned int n = 0;

    for (unsigned int i = 0; i < SVS_MAX_CTRLS; i++)
        if (ctrls[i].ch && ctrls[i].proto)
            n += svs_drain(&ctrls[i]);
    return n;
}

int svs_sync(struct svs_ctrl *c, struct vstor_packet *pkt, uint32_t len,
             const struct vmbus_gpa_range *range)
{
    uint64_t deadline;
    int rc;

    c->sync_tid = SVS_TID_SYNC | ++c->sync_seq;
    c->sync_done = false;
    c->sync_pending = true;
    rc = range ? vmbus_send_gpa(c->ch, range, 1, pkt, len, c->sync_tid)
               : vmbus_send(c->ch, pkt, len, c->sync_tid, true);
    if (rc) {
        c->sync_pending = false;
        return rc;
    }
    deadline = vdev_now_ns() + SVS_SYNC_TIMEOUT_NS;
    while (!c->sync_done && !c->failed) {
        vmbus_poll();
        if (!c->sync_done && vdev_now_ns() > deadline) {
            c->sync_pending = false;
            return -XEN_ETIMEDOUT;
        }
    }
    if (!c->sync_done)
        return -XEN_EIO;
    *pkt = c->sync_reply;
    return 0;
}

/* [sector, sector + nr) inside the disk and whole logical blocks? */
static bool range_ok(const struct svs_disk *d, uint64_t sector, uint64_t nr)
{
    return nr && sector < d->info.capacity && nr <= d->info.capacity - sector &&
           !(sector % d->per_block) && !(nr % d->per_block);
}

/*
 * Check the segments and cut them into runs; pfns[] gets every run's frames
 * in order. Returns the number of runs, 0 when a segment is malformed.
 */
static unsigned int make_runs(const struct plat_blk_req *req, uint64_t *pfns,
                              struct svs_run *runs, uint64_t *total)
{
    unsigned int nr = 0, np = 0;
    paddr_t prev_end = 0;

    *total = 0;
    for (unsigned int i = 0; i < req->nr_segs; i++) {
        paddr_t a = req->segs[i].addr;
        uint32_t l = req->segs[i].len, off = (uint32_t)(a & ~PAGE_MASK);
        struct svs_run *r = nr ? &runs[nr - 1] : NULL;

        if (!l || (a | l) & 511 || off + l > PAGE_SIZE)
            return 0;
        *total += l;
        if (r && a == prev_end && off) {
            r->len += l;                        /* same page, right after */
        } else if (r && !(prev_end & ~PAGE_MASK) && !off) {
            pfns[np++] = a >> PAGE_SHIFT;       /* previous filled its page */
            r->nr_pfns++;
            r->len += l;
        } else {
            pfns[np] = a >> PAGE_SHIFT;
            runs[nr++] = (struct svs_run){ np++, 1, off, l };
        }
        prev_end = a + l;
    }
    return nr;
}

/* Reserve n slots for req: the first leads. */
static unsigned int reserve(struct svs_ctrl *c, struct plat_blk_req *req, unsigned int n,
                            uint16_t *slots)
{
    for (unsigned int i = 0; i < n; i++) {
        slots[i] = (uint16_t)cmd_take(c);
        c->cmds[slots[i]].req = req;
        c->cmds[slots[i]].lead = slots[0];
    }
    c->cmds[slots[0]].pending = (uint16_t)n;
    c->cmds[slots[0]].status = PLAT_BLK_OK;
    return slots[0];
}

static int send_one(struct svs_ctrl *c, unsigned int slot, const struct vstor_packet *pkt,
                    const struct vmbus_gpa_range *r)
{
    uint64_t tid = cmd_tid(c, slot);

    return r ? vmbus_send_gpa(c->ch, r, 1, pkt, c->proto->pkt_bytes, tid)
             : vmbus_send(c->ch, pkt, c->proto->pkt_bytes, tid, true);
}

/*
 * Command i of the n reserved in slots[] could not be sent (rc). With
 * nothing out yet the request is refused (-XEN_EBUSY when the ring was
 * full); otherwise the commands already out finish it, with an error.
 */
static int send_failed(struct svs_ctrl *c, const uint16_t *slots, unsigned int i,
                       unsigned int n, int rc)
{
    struct svs_cmd *l = &c->cmds[slots[0]];

    if (!i) {
        for (unsigned int j = n; j-- > 0;)
            cmd_free(c, slots[j]);
        return rc == -XEN_EAGAIN ? -XEN_EBUSY : -XEN_ENODEV;
    }
    l->status = PLAT_BLK_IOERR;
    for (unsigned int j = i; j < n; j++) {
        l->pending--;
        cmd_free(c, slots[j]);
    }
    return 0;
}

static int svs_rw(struct svs_disk *d, struct plat_blk_req *req)
{
    struct svs_ctrl *c = d->c;
    bool write = req->op == PLAT_BLK_WRITE;
    uint32_t bs = d->info.sector_size;
    uint64_t total, lba;
    unsigned int n;

    if (!req->nr_segs || req->nr_segs > d->info.max_segs || !req->segs)
        return -XEN_EINVAL;
    n = make_runs(req, c->pfns, c->runs, &total);
    if (!n || !range_ok(d, req->sector, total >> PLAT_BLK_SECTOR_SHIFT))
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < n; i++)
        if (c->runs[i].len % bs)
            return -XEN_EINVAL;
    if (c->nr_free < n)
        return -XEN_EBUSY;
    reserve(c, req, n, c->slots);
    lba = req->sector / d->per_block;
    for (unsigned int i = 0; i < n; i++) {
        const struct svs_run *run = &c->runs[i];
        struct vmbus_gpa_range r = { run->len, run->offset, run->nr_pfns,
                                     &c->pfns[run->first_pfn] };
        struct vstor_packet pkt;
        uint8_t cdb[VMSCSI_CDB_MAX];
        unsigned int len = scsi_build_rw(cdb, write, lba, run->len / bs);
        int rc;

        vstor_fill_srb(&pkt, c->proto, 0, 0, d->lun, cdb, len,
                       write ? VMSCSI_WRITE : VMSCSI_READ, run->len);
        c->cmds[c->slots[i]].want = run->len;
        rc = send_one(c, c->slots[i], &pkt, &r);
        if (rc)
            return send_failed(c, c->slots, i, n, rc);
        lba += run->len / bs;
    }
    return 0;
}

static int svs_flush(struct svs_disk *d, struct plat_blk_req *req)
{
    struct svs_ctrl *c = d->c;
    struct vstor_packet pkt;
    uint8_t cdb[VMSCSI_CDB_MAX];
    uint16_t slot;
    unsigned int len = scsi_build_sync_cache(cdb);
    int rc;

    if (req->nr_segs)
        return -XEN_EINVAL;
    if (!c->nr_free)
        return -XEN_EBUSY;
    reserve(c, req, 1, &slot);
    c->cmds[slot].want = 0;
    vstor_fill_srb(&pkt, c->proto, 0, 0, d->lun, cdb, len, VMSCSI_UNKNOWN, 0);
    rc = send_one(c, slot, &pkt, NULL);
    return rc ? send_failed(c, &slot, 0, 1, rc) : 0;
}

static int svs_unmap(struct svs_disk *d, struct plat_blk_req *req)
{
    struct svs_ctrl *c = d->c;
    struct vstor_packet pkt;
    struct vmbus_gpa_range r;
    uint8_t cdb[VMSCSI_CDB_MAX];
    uint64_t pfn;
    paddr_t list_pa;
    uint16_t slot;
    unsigned int len;
    int rc;

    if (req->nr_segs || !range_ok(d, req->sector, req->nr_sectors) ||
        req->nr_sectors > d->info.max_discard_sectors)
        return -XEN_EINVAL;
    if (!c->nr_free)
        return -XEN_EBUSY;
    reserve(c, req, 1, &slot);
    c->cmds[slot].want = sizeof(struct scsi_unmap_list);
    len = scsi_build_unmap(cdb, &c->unmap[slot], req->sector / d->per_block,
                           req->nr_sectors / d->per_block);
    vstor_fill_srb(&pkt, c->proto, 0, 0, d->lun, cdb, len, VMSCSI_WRITE,
                   sizeof(struct scsi_unmap_list));
    /* The lists tile one page (SVS_QUEUE * 24 < 4096): never across frames. */
    list_pa = c->unmap_pa + slot * sizeof(struct scsi_unmap_list);
    pfn = list_pa >> PAGE_SHIFT;
    r = (struct vmbus_gpa_range){ sizeof(struct scsi_unmap_list),
                                  (uint32_t)(list_pa & ~PAGE_MASK), 1, &pfn };
    rc = send_one(c, slot, &pkt, &r);
    return rc ? send_failed(c, &slot, 0, 1, rc) : 0;
}

int svs_submit(void *ctx, unsigned int idx, struct plat_blk_req *req)
{
    struct svs_disk *d;

    if (idx >= svs_nr_disks || svs_disks[idx].c->failed)
        return -XEN_ENODEV;
    d = &svs_disks[idx];
    switch (req->op) {
    case PLAT_BLK_READ:
        return svs_rw(d, req);
    case PLAT_BLK_WRITE:
        return d->info.read_only ? -XEN_EROFS : svs_rw(d, req);
    case PLAT_BLK_FLUSH:
        return svs_flush(d, req);
    case PLAT_BLK_DISCARD:
        if (d->info.read_only)
            return -XEN_EROFS;
        return d->info.discard ? svs_unmap(d, req) : -XEN_EOPNOTSUPP;
    }
    return -XEN_EINVAL;
}
