/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the blkback unit tests (blkback-test.c): a fake block provider
 * (an in-memory disk whose requests complete when the test says so), the
 * frontend's half of the handshake and of the ring written the way Linux
 * blkfront writes them, on the grant-table stub's frames and the real
 * xenstore server.
 */
#ifndef BLKBACK_TEST_H
#define BLKBACK_TEST_H

#include "grant-stub.h"
#include "../../pvdrivers/blkback-priv.h"
#include <shim/evtchn.h>
#include <shim/xenstore.h>

#define BT_DOMID        1
#define BT_DEVNUM       51712
#define BT_FE           "/local/domain/1/device/vbd/51712"
#define BT_BE           "/local/domain/0/backend/vbd/1/51712"
#define BT_SECTORS      256                     /* 128 KiB disk */
#define BT_RING_MFN     (GS_DATA_MFN)           /* up to 16 ring frames */
#define BT_BUF_MFN      (GS_DATA_MFN + 32)      /* data frames from here */
#define BT_RING_GREF    16                      /* ring-ref<i> = 16 + i */
#define BT_BUF_GREF     64                      /* grant of data frame i */
#define BT_NR_BUFS      64

/* ---- fake provider ---------------------------------------------------------- */

struct fake_sub {
    enum plat_blk_op op;
    uint64_t sector;
    uint32_t nr_sectors, nr_segs;
};

extern struct plat_blk_info fake_info;
extern uint8_t fake_disk[BT_SECTORS * 512];
extern unsigned int fake_queue_max;             /* -EBUSY beyond this many */
extern struct fake_sub fake_log[256];           /* every accepted submit */
extern unsigned int fake_nr_log;
/* Called inside plat_blk_submit (before it accepts), if set. */
extern void (*fake_submit_hook)(struct plat_blk_req *req);

unsigned int fake_pending(void);
/* Complete the pending request at position i (0 = oldest) with st. */
void fake_complete(unsigned int i, enum plat_blk_status st);
/* Complete everything pending, oldest first, until nothing is left. */
void fake_complete_all(void);

/* ---- the domain and the frontend -------------------------------------------- */

/* Fresh grant table, xenstore, pool, provider; vbd 0 created (rw unless ro). */
void bt_reset(bool readonly);
int bt_setup(void **state);
struct vbd *bt_vbd(void);
/* Backend node value ("" with the error name after '!' if missing). */
const char *bt_be(const char *key);
uint64_t bt_be_state(void);

/* Grant data frame i to domid 0 (read-only if ro); returns its gref. */
grant_ref_t bt_grant_buf(unsigned int i, bool ro);
/* True if some grant of data frame i or ring page is still in use. */
bool bt_gref_busy(grant_ref_t ref);
uint8_t *bt_buf(unsigned int i);

/* Frontend: ring of 1 << order pages, unbound port, nodes, Initialised. */
void bt_connect(unsigned int order);
void bt_fe_state(unsigned int st);
evtchn_port_t bt_port(void);
struct blkif_sring *bt_sring(void);
unsigned int bt_ring_size(void);

/* Put a request at req_prod (not yet published); returns its slot. */
union blkif_sring_entry *bt_put(const void *req, size_t len);
/* Publish what bt_put wrote, as RING_PUSH_REQUESTS, and notify blkback. */
void bt_push(void);
/* Responses published and not yet consumed by bt_take. */
unsigned int bt_responses(void);
struct blkif_response bt_take(void);

/* A READ/WRITE of one segment per data frame bufs[i], sectors 0..7. */
struct blkif_request bt_rw(uint8_t op, uint64_t id, uint64_t sector,
                           unsigned int nr, const grant_ref_t *grefs);

#endif
