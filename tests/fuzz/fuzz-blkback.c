// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: blkback's request validation (pvdrivers/blkback-*.c)
 * against a hostile blkfront, on the helpers of the blkback unit tests
 * (tests/unit/blkback-test.c: the grant stub, the real xenstore server and
 * event channels, a fake in-memory disk). After the handshake the input is
 * a program: put a request (structured READ/WRITE/FLUSH/DISCARD/indirect
 * with fuzzed segments and grant refs, or 112 raw bytes) and push it; move
 * req_prod anywhere; rewrite the ring slot while the provider is being
 * handed the request (double fetch); flip a data grant read-only or revoke
 * it; complete pending I/O with any status; consume responses.
 *
 * Checked: every request that reaches the provider stays inside the disk,
 * is not a write to a read-only vbd, and has at most 11 segments; the
 * backend never has more requests in flight than the ring holds; after all
 * I/O completes no data grant is left in use.
 */
#include <stdio.h>
#include <stdlib.h>
#include "blkback-test.h"
#include "fuzz-input.h"

#define MAX_OPS 48

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static bool readonly;
static grant_ref_t grefs[16];
static uint8_t rewrite[sizeof(struct blkif_request)];
static bool rewrite_armed;

static void rewrite_slot(struct plat_blk_req *req)
{
    struct blkif_sring *s = bt_sring();
    unsigned int idx = (s->req_prod - 1) & (bt_ring_size() - 1);

    (void)req;
    if (rewrite_armed)
        memcpy(&s->ring[idx], rewrite, sizeof(rewrite));
    rewrite_armed = false;
}

static void check_log(void)
{
    for (unsigned int i = 0; i < fake_nr_log; i++) {
        const struct fake_sub *f = &fake_log[i];

        if (f->op == PLAT_BLK_READ || f->op == PLAT_BLK_WRITE ||
            f->op == PLAT_BLK_DISCARD) {
            CHECK(f->sector <= BT_SECTORS);
            CHECK(f->nr_sectors <= BT_SECTORS - f->sector);
        }
        if (readonly)
            CHECK(f->op != PLAT_BLK_WRITE && f->op != PLAT_BLK_DISCARD);
        CHECK(f->nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST);
    }
    CHECK(bt_vbd()->inflight <= bt_ring_size());
}

static void put_request(struct fin *in, uint8_t code)
{
    struct blkif_request r;

    if (code & 0x80) {
        memset(&r, 0, sizeof(r));
        fin_bytes(in, &r, sizeof(r));
    } else {
        static const uint8_t ops[8] = {
            BLKIF_OP_READ, BLKIF_OP_WRITE, BLKIF_OP_FLUSH_DISKCACHE,
            BLKIF_OP_WRITE_BARRIER, BLKIF_OP_DISCARD, BLKIF_OP_INDIRECT,
            BLKIF_OP_READ, 42,
        };
        uint8_t op = ops[fin_u8(in) & 7];
        unsigned int nr = fin_u8(in) % 13;
        grant_ref_t g[11];

        for (unsigned int i = 0; i < 11; i++)
            g[i] = grefs[i];
        r = bt_rw(op == 42 ? BLKIF_OP_READ : op, fin_u8(in), fin_u16(in) % (BT_SECTORS + 8),
                  MIN(nr, 11u), g);
        r.operation = op;
        r.nr_segments = (uint8_t)nr;
        for (unsigned int i = 0; i < MIN(nr, 11u); i++) {
            uint8_t b = fin_u8(in);

            if (b & 0x80)
                r.seg[i].gref = fin_u16(in);
            if (b & 0x40) {
                r.seg[i].first_sect = b & 7;
                r.seg[i].last_sect = (b >> 3) & 7;
            }
            if (b == 0xff)
                r.seg[i].last_sect = 9;
        }
    }
    bt_put(&r, sizeof(r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    uint8_t setup = fin_u8(&in);

    readonly = setup & 1;
    bt_reset(readonly);
    for (unsigned int i = 0; i < 16; i++)
        grefs[i] = bt_grant_buf(i, i >= 12);
    bt_connect((setup >> 1) & 1);
    fake_submit_hook = rewrite_slot;
    rewrite_armed = false;
    fake_queue_max = 1 + (setup >> 2) % 64;

    for (unsigned int op = 0; op < MAX_OPS && fin_more(&in) && !bt_vbd()->broken; op++) {
        uint8_t code = fin_u8(&in);

        switch (code % 6) {
        case 0:
            put_request(&in, code);
            bt_push();
            break;
        case 1:         /* hostile producer index */
            bt_sring()->req_prod = (code & 0x10) ? fin_u32(&in)
                                                 : bt_sring()->req_prod + fin_u8(&in) % 40;
            blkback_service(bt_vbd());
            break;
        case 2:         /* rewrite the newest slot during the next submit */
            memset(rewrite, 0, sizeof(rewrite));
            fin_bytes(&in, rewrite, 24);
            rewrite_armed = true;
            put_request(&in, 0);
            bt_push();
            rewrite_armed = false;
            break;
        case 3: {       /* complete I/O with any status */
            uint8_t n = fin_u8(&in);

            if (fake_pending())
                fake_complete(n % fake_pending(), (enum plat_blk_status)((code >> 4) % 3));
            break;
        }
        case 4:         /* consume responses */
            while (bt_responses())
                (void)bt_take();
            break;
        default: {      /* the frontend flips a data grant */
            unsigned int i = fin_u8(&in) % 16;

            if (code & 0x10)
                gs_grant_v1(grefs[i], 0, BT_BUF_MFN + i, GTF_permit_access | GTF_readonly);
            else if (!bt_gref_busy(grefs[i]))
                gs_grant_v1(grefs[i], 0, BT_BUF_MFN + i, 0);
            break;
        }
        }
        check_log();
    }

    /* Drain: every request finishes and gives its grants back. */
    for (unsigned int round = 0; round < 64 && (fake_pending() || bt_responses()); round++) {
        fake_complete_all();
        while (bt_responses())
            (void)bt_take();
        if (!bt_vbd()->broken)
            blkback_service(bt_vbd());
    }
    check_log();
    CHECK(fake_pending() == 0);
    CHECK(bt_vbd()->inflight == 0);
    for (unsigned int i = 0; i < 16; i++)
        CHECK(!bt_gref_busy(grefs[i]));
    fake_submit_hook = NULL;
    return 0;
}
