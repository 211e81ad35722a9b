// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pc block provider (plat/block.h) on virtio-blk (virtio 1.1, 5.2), one
 * request queue per disk, completions by MSI-X interrupt or plat_blk_poll.
 * It registers with the provider registry (plat/provider.h) at its first
 * disk; the registry maps global disk indices to the local ones used here.
 *
 * A request is one chain: header (device-readable), data segments straight
 * from/to the caller's machine frames, the discard range for DISCARD, and
 * the status byte (device-writable). Header, range and status live in a
 * per-disk DMA array of slots, one per request in flight.
 *
 * Concurrency: all of struct vblk is touched by plat_blk_submit/poll (shim
 * context, interrupts off) and by vblk_irq (interrupt context). On one CPU
 * they cannot overlap, because the shim only opens interrupts while the
 * guest runs or in sti;hlt, never inside this file. SMP needs a lock here.
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <plat/block.h>
#include <plat/provider.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <xen/errno.h>
#include "pc.h"
#include "virtio-pci.h"

#define VIRTIO_BLK_F_SIZE_MAX   1
#define VIRTIO_BLK_F_SEG_MAX    2
#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_BLK_SIZE   6
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_F_TOPOLOGY   10
#define VIRTIO_BLK_F_DISCARD    13

/* struct virtio_blk_config offsets (5.2.4) */
#define CFG_CAPACITY        0
#define CFG_SIZE_MAX        8
#define CFG_SEG_MAX         12
#define CFG_BLK_SIZE        20
#define CFG_PHYS_BLOCK_EXP  24
#define CFG_MAX_DISCARD_SECTORS 36
#define CFG_DISCARD_ALIGN   44

#define VIRTIO_BLK_T_IN      0
#define VIRTIO_BLK_T_OUT     1
#define VIRTIO_BLK_T_FLUSH   4
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_S_OK      0
#define VIRTIO_BLK_S_IOERR   1
#define VIRTIO_BLK_S_UNSUPP  2

#define VBLK_MAX_DISKS  4
#define VBLK_QUEUE_MAX  128
#define VBLK_MAX_DESCS  (VBLK_QUEUE_MAX - 2)   /* data descriptors per chain */

/* Device-visible part of a request slot. */
struct vblk_dma {
    struct {
        uint32_t type;
        uint32_t reserved;
        uint64_t sector;
    } hdr;
    struct {                            /* virtio_blk_discard_write_zeroes */
        uint64_t sector;
        uint32_t num_sectors;
        uint32_t flags;
    } range;
    uint8_t status;
    uint8_t pad[31];
};
_Static_assert(sizeof(struct vblk_dma) == 64, "slots tile the DMA frames");

struct vblk {
    struct virtio_pci vp;
    struct virtq vq;
    volatile uint16_t *notify;
    struct plat_blk_info info;
    uint32_t seg_len_max;               /* VIRTIO_BLK_F_SIZE_MAX, or 4 KiB */
    struct vblk_dma *dma;               /* VBLK_QUEUE_MAX slots */
    paddr_t dma_pa;
    struct plat_blk_req *slot_req[VBLK_QUEUE_MAX];  /* NULL: slot free */
    uint16_t free_slot[VBLK_QUEUE_MAX];
    unsigned int nr_free_slots;
    unsigned int index, vector;         /* vector 0: polled only */
    uint64_t irqs;                      /* interrupts taken (diagnostics) */
    bool failed;
};

static struct vblk disks[VBLK_MAX_DISKS];
static unsigned int nr_disks;
static bool registered;                 /* with the block provider registry */

static unsigned int vblk_count(void *ctx)
{
    return nr_disks;
}

static const struct plat_blk_info *vblk_info(void *ctx, unsigned int idx)
{
    return idx < nr_disks ? &disks[idx].info : NULL;
}

/* Give back slot s and finish its request with st. */
static void finish(struct vblk *vb, unsigned int s, enum plat_blk_status st)
{
    struct plat_blk_req *req = vb->slot_req[s];

    vb->slot_req[s] = NULL;
    vb->free_slot[vb->nr_free_slots++] = (uint16_t)s;
    req->done(req, st);
}

/*
 * The device broke the ring protocol: stop it (after its reset it touches no
 * memory), then fail everything it still held.
 */
static void vblk_fail(struct vblk *vb, const char *why)
{
    log_warn("virtio-blk %u: %s; disk disabled\n", vb->index, why);
    vb->failed = true;
    if (virtio_pci_reset(&vb->vp))
        panic("virtio-blk %u: broken device ignores its reset; its DMA cannot be stopped\n",
              vb->index);
    for (unsigned int s = 0; s < VBLK_QUEUE_MAX; s++)
        if (vb->slot_req[s])
            finish(vb, s, PLAT_BLK_IOERR);
}

static unsigned int vblk_complete(struct vblk *vb)
{
    unsigned int n = 0;
    void *token;
    uint32_t len;
    int rc;

    while (!vb->failed && (rc = virtq_get(&vb->vq, &token, &len)) != 0) {
        struct vblk_dma *slot;
        enum plat_blk_status st;

        if (rc == -XEN_EIO) {
            vblk_fail(vb, "device returned a bad used-ring entry");
            break;
        }
        /* token is our own slot pointer, never a value from the device. */
        slot = token;
        /* The status byte is read after the used entry (virtq_get's fence). */
        switch (rc == 1 ? READ_ONCE(slot->status) : 0xff) {
        case VIRTIO_BLK_S_OK:     st = PLAT_BLK_OK; break;
        case VIRTIO_BLK_S_UNSUPP: st = PLAT_BLK_UNSUPPORTED; break;
        default:                  st = PLAT_BLK_IOERR; break;
        }
        finish(vb, (unsigned int)(slot - vb->dma), st);
        n++;
    }
    return n;
}

static void vblk_irq(void *arg)
{
    struct vblk *vb = arg;

    vb->irqs++;
    vblk_complete(vb);
}

static unsigned int vblk_poll(void *ctx)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < nr_disks; i++)
        n += vblk_complete(&disks[i]);
    return n;
}

/* Check the sector range [sector, sector + nr) against size and alignment. */
static bool range_ok(const struct vblk *vb, uint64_t sector, uint64_t nr)
{
    uint64_t per = vb->info.sector_size >> PLAT_BLK_SECTOR_SHIFT;

    return nr && sector < vb->info.capacity && nr <= vb->info.capacity - sector &&
           !(sector % per) && !(nr % per);
}

/*
 * Turn the caller's segments into descriptors after bufs[*n], merging
 * physically adjacent ones. Returns the byte count, 0 if a segment is bad.
 */
static uint64_t add_segs(const struct vblk *vb, const struct plat_blk_req *req,
                         struct virtq_buf *bufs, unsigned int *n)
{
    uint64_t total = 0;
    unsigned int first = *n;

    if (!req->nr_segs || req->nr_segs > vb->info.max_segs || !req->segs)
        return 0;
    for (unsigned int i = 0; i < req->nr_segs; i++) {
        paddr_t a = req->segs[i].addr;
        uint32_t l = req->segs[i].len;
        struct virtq_buf *prev = *n > first ? &bufs[*n - 1] : NULL;

        if (!l || (a | l) & 511 || (a & ~PAGE_MASK) + l > PAGE_SIZE)
            return 0;
        total += l;
        if (prev && prev->addr + prev->len == a && prev->len + l <= vb->seg_len_max)
            prev->len += l;
        else
            bufs[(*n)++] = (struct virtq_buf){ a, l };
    }
    return total;
}

static int vblk_submit(void *ctx, unsigned int idx, struct plat_blk_req *req)
{
    struct virtq_buf bufs[VBLK_MAX_DESCS + 3];
    struct vblk *vb;
    struct vblk_dma *slot;
    paddr_t slot_pa;
    unsigned int n = 1, n_out, s;
    uint64_t bytes;
    int rc;

    if (idx >= nr_disks || disks[idx].failed)
        return -XEN_ENODEV;
    vb = &disks[idx];
    if (!vb->nr_free_slots)
        return -XEN_EBUSY;
    s = vb->free_slot[vb->nr_free_slots - 1];
    slot = &vb->dma[s];
    slot_pa = vb->dma_pa + (paddr_t)s * sizeof(*slot);
    bufs[0] = (struct virtq_buf){ slot_pa, sizeof(slot->hdr) };
    slot->hdr.reserved = 0;
    slot->hdr.sector = req->sector;
    slot->status = 0xff;                /* the device must overwrite it */

    switch (req->op) {
    case PLAT_BLK_READ:
    case PLAT_BLK_WRITE:
        if (req->op == PLAT_BLK_WRITE && vb->info.read_only)
            return -XEN_EROFS;
        bytes = add_segs(vb, req, bufs, &n);
        if (!bytes || !range_ok(vb, req->sector, bytes >> PLAT_BLK_SECTOR_SHIFT))
            return -XEN_EINVAL;
        slot->hdr.type = req->op == PLAT_BLK_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
        n_out = req->op == PLAT_BLK_READ ? 1 : n;
        break;
    case PLAT_BLK_FLUSH:
        if (!vb->info.flush)
            return -XEN_EOPNOTSUPP;
        if (req->nr_segs)
            return -XEN_EINVAL;
        slot->hdr.type = VIRTIO_BLK_T_FLUSH;
        slot->hdr.sector = 0;
        n_out = 1;
        break;
    case PLAT_BLK_DISCARD:
        if (vb->info.read_only)
            return -XEN_EROFS;
        if (!vb->info.discard)
            return -XEN_EOPNOTSUPP;
        if (req->nr_segs || !range_ok(vb, req->sector, req->nr_sectors) ||
            req->nr_sectors > vb->info.max_discard_sectors)
            return -XEN_EINVAL;
        slot->hdr.type = VIRTIO_BLK_T_DISCARD;
        slot->hdr.sector = 0;
        slot->range.sector = req->sector;
        slot->range.num_sectors = req->nr_sectors;
        slot->range.flags = 0;
        bufs[n++] = (struct virtq_buf){ slot_pa + offsetof(struct vblk_dma, range),
                                        sizeof(slot->range) };
        n_out = n;
        break;
    default:
        return -XEN_EINVAL;
    }
    bufs[n++] = (struct virtq_buf){ slot_pa + offsetof(struct vblk_dma, status), 1 };

    rc = virtq_add(&vb->vq, bufs, n_out, n - n_out, slot);
    if (rc < 0)     /* full, or broken (then vblk_fail has run already) */
        return rc == -XEN_EBUSY ? rc : -XEN_ENODEV;
    vb->nr_free_slots--;
    vb->slot_req[s] = req;
    if (virtq_publish(&vb->vq))
        mmio_write16(vb->notify, 0);    /* queue index 0 (4.1.5.2) */
    return 0;
}

/* Read the configuration space into vb->info (after FEATURES_OK). */
static void read_config(struct vblk *vb, uint64_t f)
{
    struct virtio_pci *vp = &vb->vp;
    struct plat_blk_info *in = &vb->info;
    uint32_t v;

    in->capacity = virtio_pci_cfg64(vp, CFG_CAPACITY);
    in->sector_size = 512;
    v = f & BIT(VIRTIO_BLK_F_BLK_SIZE) ? virtio_pci_cfg32(vp, CFG_BLK_SIZE) : 512;
    if (v >= 512 && v <= PAGE_SIZE && !(v & (v - 1)))
        in->sector_size = v;
    in->physical_sector_size = in->sector_size;
    if (f & BIT(VIRTIO_BLK_F_TOPOLOGY)) {
        v = virtio_pci_cfg8(vp, CFG_PHYS_BLOCK_EXP);
        if (v <= 3)
            in->physical_sector_size = in->sector_size << v;
    }
    /* Without SEG_MAX the device may take a single data segment only. */
    v = f & BIT(VIRTIO_BLK_F_SEG_MAX) ? virtio_pci_cfg32(vp, CFG_SEG_MAX) : 1;
    in->max_segs = MIN(MAX(v, 1u), (uint32_t)vb->vq.size - 2);
    in->max_segs = MIN(in->max_segs, (uint32_t)VBLK_MAX_DESCS);
    vb->seg_len_max = PAGE_SIZE;
    if (f & BIT(VIRTIO_BLK_F_SIZE_MAX)) {
        v = virtio_pci_cfg32(vp, CFG_SIZE_MAX);
        vb->seg_len_max = MAX(v, (uint32_t)PAGE_SIZE);
        if (v < PAGE_SIZE)              /* a 4 KiB segment would be refused */
            log_warn("virtio-blk %u: size_max %u below 4 KiB ignored\n", vb->index, v);
    }
    in->read_only = f & BIT(VIRTIO_BLK_F_RO);
    in->flush = f & BIT(VIRTIO_BLK_F_FLUSH);
    in->discard = (f & BIT(VIRTIO_BLK_F_DISCARD)) && !in->read_only;
    if (in->discard) {
        v = virtio_pci_cfg32(vp, CFG_MAX_DISCARD_SECTORS);
        in->max_discard_sectors = v ? v : UINT32_MAX;
        v = virtio_pci_cfg32(vp, CFG_DISCARD_ALIGN);
        in->discard_granularity = v ? v << PLAT_BLK_SECTOR_SHIFT : in->sector_size;
    }
}

static const struct plat_blk_provider vblk_provider = {
    .name = "virtio-blk",
    .count = vblk_count,
    .info = vblk_info,
    .submit = vblk_submit,
    .poll = vblk_poll,
};

int virtio_blk_probe(struct pci_dev *d)
{
    const uint64_t wanted = BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) |
        BIT(VIRTIO_BLK_F_RO) | BIT(VIRTIO_BLK_F_BLK_SIZE) | BIT(VIRTIO_BLK_F_FLUSH) |
        BIT(VIRTIO_BLK_F_TOPOLOGY) | BIT(VIRTIO_BLK_F_DISCARD);
    struct vblk *vb;
    unsigned int entry = VIRTIO_MSI_NO_VECTOR;
    uint64_t f;
    int vec;

    if (nr_disks == VBLK_MAX_DISKS) {
        pci_log(d, "virtio-blk: too many disks");
        return -XEN_ENOSPC;
    }
    if (!registered) {
        if (plat_blk_register(&vblk_provider, NULL)) {
            pci_log(d, "virtio-blk: block provider table full");
            return -XEN_ENOSPC;
        }
        registered = true;
    }
    vb = &disks[nr_disks];
    *vb = (struct vblk){ .index = nr_disks };
    vb->failed = true;                  /* until the probe is complete */
    if (virtio_pci_init(&vb->vp, d) || virtio_pci_negotiate(&vb->vp, wanted, &f))
        return -XEN_ENODEV;
    if (!pci_msix_init(d)) {
        vec = pc_irq_alloc(vblk_irq, vb);
        if (vec > 0 && !pci_msix_route(d, 0, vec)) {
            vb->vector = vec;
            entry = 0;
        }
    }
    if (!vb->vector)
        log_warn("virtio-blk %u: no MSI-X; completions by polling only\n", vb->index);
    if (virtio_pci_queue_setup(&vb->vp, 0, &vb->vq, VBLK_QUEUE_MAX, entry, &vb->notify)) {
        virtio_pci_reset(&vb->vp);      /* no DMA, no interrupts from it */
        virtio_pci_failed(&vb->vp);
        return -XEN_ENODEV;
    }
    vb->dma_pa = alloc_frames(ALIGN_UP(VBLK_QUEUE_MAX * sizeof(struct vblk_dma), PAGE_SIZE)
                              >> PAGE_SHIFT, 1);
    vb->dma = phys_to_virt(vb->dma_pa);
    for (unsigned int s = 0; s < VBLK_QUEUE_MAX; s++)
        vb->free_slot[s] = (uint16_t)(VBLK_QUEUE_MAX - 1 - s);
    vb->nr_free_slots = VBLK_QUEUE_MAX;
    read_config(vb, f);
    virtio_pci_driver_ok(&vb->vp);
    vb->failed = false;
    nr_disks++;
    log_info("virtio-blk %u: %lu sectors, %s%s%s, %u-byte sectors, %u segs, queue %u, irq %#x\n",
             vb->index, (unsigned long)vb->info.capacity, vb->info.read_only ? "ro" : "rw",
             vb->info.flush ? ", flush" : "", vb->info.discard ? ", discard" : "",
             vb->info.sector_size, vb->info.max_segs, vb->vq.size, vb->vector);
    return 0;
}
