/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Block provider: the disks of the real machine as generic code (blkback)
 * sees them. pc/kvm implement it on virtio-blk, viridian on storvsc. Data
 * moves by DMA straight from/to the machine frames named in a request (guest
 * frames granted to the backend): no bounce copies.
 *
 * Contexts (single CPU; the shim runs with interrupts off except while a
 * vCPU blocks in sti;hlt or the guest runs):
 *  - plat_blk_submit/plat_blk_poll are called from shim context (hypercall,
 *    backend service, boot) with interrupts off;
 *  - completion callbacks run from the device's interrupt handler, or from
 *    plat_blk_poll. Either way they never nest inside plat_blk_submit, so a
 *    provider needs no lock between submission and completion on one CPU.
 *    A callback must not block; it may submit new requests.
 */
#ifndef PLAT_BLOCK_H
#define PLAT_BLOCK_H

#include <shim/types.h>

#define PLAT_BLK_SECTOR_SHIFT 9     /* request sectors are always 512 bytes */

struct plat_blk_info {
    uint64_t capacity;              /* in 512-byte sectors */
    uint32_t sector_size;           /* logical block size in bytes (512, 4096) */
    uint32_t physical_sector_size;  /* bytes; >= sector_size */
    uint32_t max_segs;              /* data segments per READ/WRITE request */
    uint32_t max_discard_sectors;   /* per DISCARD request; 0 without discard */
    uint32_t discard_granularity;   /* bytes; 0 without discard */
    bool read_only;
    bool flush;                     /* FLUSH reaches stable storage */
    bool discard;
};

enum plat_blk_op {
    PLAT_BLK_READ,                  /* device -> memory */
    PLAT_BLK_WRITE,                 /* memory -> device */
    PLAT_BLK_FLUSH,                 /* earlier completed writes made durable */
    PLAT_BLK_DISCARD,               /* [sector, sector + nr_sectors) unused */
};

enum plat_blk_status {
    PLAT_BLK_OK,
    PLAT_BLK_IOERR,                 /* the device reported (or caused) an error */
    PLAT_BLK_UNSUPPORTED,           /* the device refused the operation */
};

/*
 * One data segment: machine address and length, both multiples of 512, the
 * whole segment inside one 4 KiB frame.
 */
struct plat_blk_seg {
    paddr_t addr;
    uint32_t len;
};

struct plat_blk_req;
typedef void (*plat_blk_done_fn)(struct plat_blk_req *req, enum plat_blk_status st);

/*
 * A request. The caller owns it and keeps it alive until its callback runs;
 * the provider does not touch it afterwards. segs is read only during
 * plat_blk_submit (the segments' frames must stay valid until completion).
 */
struct plat_blk_req {
    enum plat_blk_op op;
    uint64_t sector;                /* first 512-byte sector */
    uint32_t nr_sectors;            /* DISCARD only; READ/WRITE use the segs */
    uint32_t nr_segs;               /* READ/WRITE: 1..max_segs; else 0 */
    const struct plat_blk_seg *segs;
    plat_blk_done_fn done;          /* runs exactly once if submit returned 0 */
    void *cookie;                   /* for the caller */
};

/* Number of disks found by plat_devices_init. */
unsigned int plat_blk_count(void);

/* Geometry and features of disk idx; NULL if idx >= plat_blk_count(). */
const struct plat_blk_info *plat_blk_info(unsigned int idx);

/*
 * Queue req on disk idx. Returns 0 when accepted (req->done will run once,
 * later: never from inside this call), or, with no callback:
 *  -XEN_ENODEV     no such disk, or the device failed;
 *  -XEN_EINVAL     malformed: segment alignment/length, count, beyond the
 *                  capacity, not a multiple of the logical sector size;
 *  -XEN_EROFS      WRITE/DISCARD on a read-only disk;
 *  -XEN_EOPNOTSUPP FLUSH/DISCARD the disk does not offer;
 *  -XEN_EBUSY      the device queue is full: retry after a completion.
 */
int plat_blk_submit(unsigned int idx, struct plat_blk_req *req);

/* Run the completions that are ready on every disk; returns how many ran. */
unsigned int plat_blk_poll(void);

#endif
