// SPDX-License-Identifier: GPL-2.0-only
/*
 * Block provider self-test (blktest=1): drives disk 0 through plat/block.h
 * only, so it checks whichever provider the platform links. The first read
 * completes by plat_blk_poll; every later wait only opens the interrupt
 * window, so it passes only if completion interrupts work. The host side,
 * tests/e2e/virtio-blk-selftest.sh, compares the logged CRC-32s with the
 * image and finds the pattern in its last sector afterwards. A last read is
 * left in flight so that its interrupt arrives while the guest runs.
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <plat/block.h>
#include <plat/platform.h>
#include <shim/blk-selftest.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <xen/errno.h>

#define ST_TIMEOUT_NS   (10ULL * 1000 * 1000 * 1000)
#define ST_MAX_REQS     256
#define ST_LATE_NS      (500ULL * 1000 * 1000)

struct st_req {
    struct plat_blk_req req;
    bool done;                  /* set by the completion (interrupt context) */
    enum plat_blk_status st;
};

static struct st_req reqs[ST_MAX_REQS];

static void late_done(struct plat_blk_req *r, enum plat_blk_status st)
{
    log_info("blktest: read left in flight at boot completed, status %d\n", st);
}

static void st_done(struct plat_blk_req *r, enum plat_blk_status st)
{
    struct st_req *s = container_of(r, struct st_req, req);

    s->st = st;
    WRITE_ONCE(s->done, true);
}

/* CRC-32 (IEEE 802.3, reflected, as zlib and Python's zlib.crc32). */
static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void submit(struct st_req *s, enum plat_blk_op op, uint64_t sector,
                   const struct plat_blk_seg *segs, uint32_t nr_segs)
{
    int rc;

    s->req = (struct plat_blk_req){ .op = op, .sector = sector, .segs = segs,
                                    .nr_segs = nr_segs, .done = st_done };
    s->done = false;
    rc = plat_blk_submit(0, &s->req);
    if (rc)
        panic("blktest: submit of op %d at sector %lu failed: %d\n", op,
              (unsigned long)sector, rc);
}

/* Wait for s by polling, or by interrupts only. */
static void st_wait(struct st_req *s, bool poll, const char *what)
{
    uint64_t deadline = plat_now_ns() + ST_TIMEOUT_NS;

    while (!READ_ONCE(s->done)) {
        if (plat_now_ns() > deadline)
            panic("blktest: %s: no completion %s\n", what,
                  poll ? "by polling" : "interrupt");
        if (poll)
            plat_blk_poll();
        else
            irq_window();
    }
    if (s->st != PLAT_BLK_OK)
        panic("blktest: %s: status %d\n", what, s->st);
}

static void expect_refused(enum plat_blk_op op, uint64_t sector, const struct plat_blk_seg *segs,
                           uint32_t nr_segs, int want, const char *what)
{
    struct plat_blk_req r = { .op = op, .sector = sector, .segs = segs,
                              .nr_segs = nr_segs, .done = st_done };
    int rc = plat_blk_submit(0, &r);

    if (rc != want)
        panic("blktest: %s: submit returned %d, expected %d\n", what, rc, want);
}

static void pattern(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)((i % 512) * 7 + 3);
}

void blk_selftest(void)
{
    const struct plat_blk_info *in = plat_blk_info(0);
    paddr_t a, b, c, d;
    struct plat_blk_seg seg[2], bad;
    uint64_t last;
    uint32_t ss, crc0, crc8;
    unsigned int nq = 0;
    int rc;

    if (!in)
        panic("blktest: no disk\n");
    ss = in->sector_size;
    if (in->capacity < 16 || in->read_only)
        panic("blktest: disk 0 must be writable and at least 16 sectors\n");
    last = in->capacity - (ss >> PLAT_BLK_SECTOR_SHIFT);
    a = alloc_frames(1, 1); b = alloc_frames(1, 1);
    c = alloc_frames(1, 1); d = alloc_frames(1, 1);

    /* Sectors 0-7 as two segments, the first at an offset into its frame. */
    seg[0] = (struct plat_blk_seg){ a + 512, 3584 };
    seg[1] = (struct plat_blk_seg){ b, 512 };
    submit(&reqs[0], PLAT_BLK_READ, 0, seg, 2);
    st_wait(&reqs[0], true, "read of sectors 0-7");
    crc0 = crc32(0, phys_to_virt(a + 512), 512);
    crc8 = crc32(crc32(0, phys_to_virt(a + 512), 3584), phys_to_virt(b), 512);
    log_info("blktest: sector 0 crc32 %08x, sectors 0-7 crc32 %08x\n", crc0, crc8);

    /* Malformed requests never reach the device. */
    bad = (struct plat_blk_seg){ a + 100, 512 };
    expect_refused(PLAT_BLK_READ, 0, &bad, 1, -XEN_EINVAL, "unaligned segment");
    bad = (struct plat_blk_seg){ a + 3584, 1024 };
    expect_refused(PLAT_BLK_READ, 0, &bad, 1, -XEN_EINVAL, "segment across a frame");
    expect_refused(PLAT_BLK_READ, in->capacity, seg, 1, -XEN_EINVAL, "read past the end");
    expect_refused(PLAT_BLK_READ, 0, seg, 0, -XEN_EINVAL, "no segments");

    /* Pattern to the last logical block, flush, read back: by interrupts. */
    pattern(phys_to_virt(c), ss);
    seg[0] = (struct plat_blk_seg){ c, ss };
    submit(&reqs[0], PLAT_BLK_WRITE, last, seg, 1);
    st_wait(&reqs[0], false, "write of the last block");
    if (in->flush) {
        submit(&reqs[0], PLAT_BLK_FLUSH, 0, NULL, 0);
        st_wait(&reqs[0], false, "flush");
    }
    seg[0] = (struct plat_blk_seg){ d, ss };
    submit(&reqs[0], PLAT_BLK_READ, last, seg, 1);
    st_wait(&reqs[0], false, "read-back of the last block");
    if (memcmp(phys_to_virt(c), phys_to_virt(d), ss))
        panic("blktest: the last block reads back different from what was written\n");
    log_info("blktest: wrote, %sread back sector %lu\n", in->flush ? "flushed, " : "",
             (unsigned long)last);

    /* Fill the queue until the provider says busy, then drain it. */
    seg[0] = (struct plat_blk_seg){ d, ss };
    for (;;) {
        if (nq == ST_MAX_REQS)
            panic("blktest: %u requests accepted and never busy\n", nq);
        reqs[nq].req = (struct plat_blk_req){ .op = PLAT_BLK_READ, .sector = 0,
                                              .segs = seg, .nr_segs = 1, .done = st_done };
        reqs[nq].done = false;
        rc = plat_blk_submit(0, &reqs[nq].req);
        if (rc == -XEN_EBUSY)
            break;
        if (rc)
            panic("blktest: queue fill: submit returned %d\n", rc);
        nq++;
    }
    for (unsigned int i = 0; i < nq; i++)
        st_wait(&reqs[i], false, "queued read");
    /* All of them read sector 0 into d, so order does not matter. */
    if (!nq || memcmp(phys_to_virt(d), phys_to_virt(a + 512), 512))
        panic("blktest: queued reads of sector 0 returned other data\n");
    log_info("blktest: %u requests in flight until busy, all completed\n", nq);

    if (in->discard) {
        struct plat_blk_req r = { .op = PLAT_BLK_DISCARD, .done = st_done };
        uint64_t g = MAX(in->discard_granularity >> PLAT_BLK_SECTOR_SHIFT, 1u);

        reqs[0].req = r;
        reqs[0].req.sector = ALIGN_DOWN(in->capacity / 2, g);
        reqs[0].req.nr_sectors = (uint32_t)g;
        reqs[0].done = false;
        rc = plat_blk_submit(0, &reqs[0].req);
        if (rc)
            panic("blktest: discard submit returned %d\n", rc);
        st_wait(&reqs[0], false, "discard");
    }
    log_info("blktest: all checks passed\n");

    /*
     * Leave one read in flight and give the device time to finish it with
     * interrupts off: its interrupt is then taken from the guest (which runs
     * with IF set), through trap entry's guest path.
     */
    seg[0] = (struct plat_blk_seg){ d, ss };
    reqs[0].req = (struct plat_blk_req){ .op = PLAT_BLK_READ, .sector = 0, .segs = seg,
                                         .nr_segs = 1, .done = late_done };
    rc = plat_blk_submit(0, &reqs[0].req);
    if (rc)
        panic("blktest: last read: submit returned %d\n", rc);
    for (uint64_t until = plat_now_ns() + ST_LATE_NS; plat_now_ns() < until;)
        cpu_relax();
}
