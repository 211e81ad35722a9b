// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the blkback unit tests (see blkback-test.h): the fake block
 * provider, the frontend's side, and the two blkback hooks that reach the
 * CPU and the store ring in the shim (blkback.c, not linked here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <xen/errno.h>
#include "blkback-test.h"

/* ---- fake provider ---------------------------------------------------------- */

struct fake_req {
    struct plat_blk_req *req;
    struct plat_blk_seg segs[BLKBACK_MAX_SEGS];     /* copied: valid in submit only */
};

struct plat_blk_info fake_info;
uint8_t fake_disk[BT_SECTORS * 512];
unsigned int fake_queue_max;
struct fake_sub fake_log[256];
unsigned int fake_nr_log;
void (*fake_submit_hook)(struct plat_blk_req *req);
static struct fake_req pending[256];
static unsigned int nr_pending;

unsigned int plat_blk_count(void)
{
    return 1;
}

const struct plat_blk_info *plat_blk_info(unsigned int idx)
{
    return idx == 0 ? &fake_info : NULL;
}

static bool range_ok(uint64_t sector, uint64_t nr)
{
    return nr && sector < fake_info.capacity && nr <= fake_info.capacity - sector;
}

int plat_blk_submit(unsigned int idx, struct plat_blk_req *req)
{
    uint64_t bytes = 0;

    assert_int_equal(idx, 0);
    if (fake_submit_hook)
        fake_submit_hook(req);
    if (nr_pending >= fake_queue_max)
        return -XEN_EBUSY;
    switch (req->op) {
    case PLAT_BLK_READ:
    case PLAT_BLK_WRITE:
        if (req->op == PLAT_BLK_WRITE && fake_info.read_only)
            return -XEN_EROFS;
        if (!req->nr_segs || req->nr_segs > fake_info.max_segs)
            return -XEN_EINVAL;
        for (unsigned int i = 0; i < req->nr_segs; i++) {
            const struct plat_blk_seg *s = &req->segs[i];

            if (!s->len || (s->addr | s->len) & 511 || (s->addr & 4095) + s->len > 4096)
                return -XEN_EINVAL;
            bytes += s->len;
        }
        if (!range_ok(req->sector, bytes >> 9))
            return -XEN_EINVAL;
        break;
    case PLAT_BLK_FLUSH:
        if (!fake_info.flush)
            return -XEN_EOPNOTSUPP;
        break;
    case PLAT_BLK_DISCARD:
        if (!fake_info.discard)
            return -XEN_EOPNOTSUPP;
        if (!range_ok(req->sector, req->nr_sectors) ||
            req->nr_sectors > fake_info.max_discard_sectors)
            return -XEN_EINVAL;
        break;
    }
    pending[nr_pending].req = req;
    if (req->nr_segs)
        memcpy(pending[nr_pending].segs, req->segs, req->nr_segs * sizeof(req->segs[0]));
    nr_pending++;
    assert_true(fake_nr_log < ARRAY_SIZE(fake_log));
    fake_log[fake_nr_log++] = (struct fake_sub){ req->op, req->sector,
        req->op == PLAT_BLK_DISCARD ? req->nr_sectors : (uint32_t)(bytes >> 9), req->nr_segs };
    return 0;
}

unsigned int plat_blk_poll(void)
{
    unsigned int n = nr_pending;

    fake_complete_all();
    return n;
}

unsigned int fake_pending(void)
{
    return nr_pending;
}

void fake_complete(unsigned int i, enum plat_blk_status st)
{
    struct fake_req f;
    uint64_t pos;

    assert_true(i < nr_pending);
    f = pending[i];
    memmove(&pending[i], &pending[i + 1], (nr_pending - i - 1) * sizeof(pending[0]));
    nr_pending--;
    pos = f.req->sector * 512;
    if (st == PLAT_BLK_OK && f.req->op == PLAT_BLK_DISCARD)
        memset(&fake_disk[pos], 0, f.req->nr_sectors * 512ULL);
    for (unsigned int s = 0; st == PLAT_BLK_OK && s < f.req->nr_segs; s++) {
        uint8_t *mem = (uint8_t *)mfn_to_virt(f.segs[s].addr >> 12) + (f.segs[s].addr & 4095);

        if (f.req->op == PLAT_BLK_READ)
            memcpy(mem, &fake_disk[pos], f.segs[s].len);
        else
            memcpy(&fake_disk[pos], mem, f.segs[s].len);
        pos += f.segs[s].len;
    }
    f.req->done(f.req, st);
}

void fake_complete_all(void)
{
    while (nr_pending)
        fake_complete(0, PLAT_BLK_OK);
}

/* ---- blkback hooks ---------------------------------------------------------- */

void blkback_tlb_sync(void)
{
    (void)mm_take_tlb_flush_request();
}

void blkback_xs_kick(struct domain *d)
{
    (void)d;
}

/* ---- the domain and the frontend -------------------------------------------- */

static struct shared_info shared;
static uint32_t req_prod_pvt, rsp_cons;
static unsigned int ring_pages;
static evtchn_port_t fe_port;

void bt_reset(bool readonly)
{
    struct shim_vbd cfg = { .disk = 0, .devnum = BT_DEVNUM, .readonly = readonly,
                            .vdev = "xvda" };

    gs_reset();
    memset(&shared, 0, sizeof(shared));
    gs_dom.shared_info = &shared;
    gs_dom.vcpus[0].vcpu_info = &shared.vcpu_info[0];
    gs_dom.xs = xs_server_init(BT_DOMID);
    xs_populate_domu(gs_dom.xs, BT_DOMID, "guest", 1024, 1);

    fake_info = (struct plat_blk_info){ .capacity = BT_SECTORS, .sector_size = 512,
        .physical_sector_size = 4096, .max_segs = 126, .max_discard_sectors = 64,
        .discard_granularity = 4096, .flush = true, .discard = true };
    for (size_t i = 0; i < sizeof(fake_disk); i++)
        fake_disk[i] = (uint8_t)(i * 7 + i / 512);
    fake_queue_max = 128;
    fake_nr_log = 0;
    fake_submit_hook = NULL;
    nr_pending = 0;

    blkback_nr_vbds = 0;
    blkback_pool_init();
    assert_non_null(blkback_vbd_create(&gs_dom, &cfg, &fake_info));
    req_prod_pvt = rsp_cons = 0;
    ring_pages = 0;
    fe_port = 0;
}

int bt_setup(void **state)
{
    (void)state;
    bt_reset(false);
    return 0;
}

struct vbd *bt_vbd(void)
{
    return &blkback_vbds[0];
}

const char *bt_be(const char *key)
{
    static char buf[256];
    char path[128];
    int rc;

    snprintf(path, sizeof(path), BT_BE "/%s", key);
    rc = xs_read_node(gs_dom.xs, path, buf, sizeof(buf));
    if (rc < 0)
        snprintf(buf, sizeof(buf), "!%d", rc);
    return buf;
}

uint64_t bt_be_state(void)
{
    uint64_t st = 99;

    assert_int_equal(xs_read_uint(gs_dom.xs, BT_BE "/state", &st), 0);
    return st;
}

grant_ref_t bt_grant_buf(unsigned int i, bool ro)
{
    assert_true(i < BT_NR_BUFS);
    gs_grant_v1(BT_BUF_GREF + i, 0, (uint32_t)(BT_BUF_MFN + i),
                GTF_permit_access | (ro ? GTF_readonly : 0));
    return BT_BUF_GREF + i;
}

bool bt_gref_busy(grant_ref_t ref)
{
    return __atomic_load_n(&gs_v1(ref)->flags, __ATOMIC_SEQ_CST) &
           (GTF_reading | GTF_writing);
}

uint8_t *bt_buf(unsigned int i)
{
    return mfn_to_virt(BT_BUF_MFN + i);
}

static void fe_write(const char *key, const char *fmt, ...) __printf(2, 3);
static void fe_write(const char *key, const char *fmt, ...)
{
    char path[128], val[64];
    va_list ap;

    snprintf(path, sizeof(path), BT_FE "/%s", key);
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    assert_int_equal(xs_write_node(gs_dom.xs, path, val, strlen(val), NULL, 0), 0);
}

void bt_fe_state(unsigned int st)
{
    fe_write("state", "%u", st);
}

void bt_connect(unsigned int order)
{
    struct blkif_sring *s;
    int port;

    ring_pages = 1u << order;
    memset(mfn_to_virt(BT_RING_MFN), 0, ring_pages * PAGE_SIZE);
    s = bt_sring();
    s->req_event = s->rsp_event = 1;        /* SHARED_RING_INIT */
    req_prod_pvt = rsp_cons = 0;
    for (unsigned int i = 0; i < ring_pages; i++)
        gs_grant_v1(BT_RING_GREF + i, 0, (uint32_t)(BT_RING_MFN + i), GTF_permit_access);
    port = evtchn_alloc(&gs_dom);
    assert_true(port > 0);
    gs_dom.evtchn[port].state = ECS_UNBOUND;
    fe_port = (evtchn_port_t)port;
    if (order == 0) {
        fe_write("ring-ref", "%u", BT_RING_GREF);
    } else {
        fe_write("ring-page-order", "%u", order);
        for (unsigned int i = 0; i < ring_pages; i++) {
            char key[24];

            snprintf(key, sizeof(key), "ring-ref%u", i);
            fe_write(key, "%u", BT_RING_GREF + i);
        }
    }
    fe_write("event-channel", "%u", fe_port);
    fe_write("protocol", "x86_64-abi");
    bt_fe_state(XenbusStateInitialised);
}

evtchn_port_t bt_port(void)
{
    return fe_port;
}

struct blkif_sring *bt_sring(void)
{
    return mfn_to_virt(BT_RING_MFN);       /* the ring frames are contiguous here */
}

unsigned int bt_ring_size(void)
{
    unsigned int n = (ring_pages * PAGE_SIZE - 64) / 112;

    while (n & (n - 1))
        n &= n - 1;
    return n;
}

union blkif_sring_entry *bt_put(const void *req, size_t len)
{
    union blkif_sring_entry *e = &bt_sring()->ring[req_prod_pvt++ & (bt_ring_size() - 1)];

    memset(e, 0, sizeof(*e));
    memcpy(e, req, len);
    return e;
}

void bt_push(void)
{
    __atomic_store_n(&bt_sring()->req_prod, req_prod_pvt, __ATOMIC_RELEASE);
    blkback_service(bt_vbd());
}

unsigned int bt_responses(void)
{
    return __atomic_load_n(&bt_sring()->rsp_prod, __ATOMIC_ACQUIRE) - rsp_cons;
}

struct blkif_response bt_take(void)
{
    struct blkif_response r;

    assert_true(bt_responses() > 0);
    r = bt_sring()->ring[rsp_cons++ & (bt_ring_size() - 1)].rsp;
    bt_sring()->rsp_event = rsp_cons + 1;
    return r;
}

struct blkif_request bt_rw(uint8_t op, uint64_t id, uint64_t sector,
                           unsigned int nr, const grant_ref_t *grefs)
{
    struct blkif_request r;

    memset(&r, 0, sizeof(r));
    r.operation = op;
    r.nr_segments = (uint8_t)nr;
    r.handle = 0;
    r.id = id;
    r.sector_number = sector;
    for (unsigned int i = 0; i < nr && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
        r.seg[i].gref = grefs[i];
        r.seg[i].first_sect = 0;
        r.seg[i].last_sect = 7;
    }
    return r;
}
