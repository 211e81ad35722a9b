// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtio PCI modern transport (virtio 1.1, 4.1.4): locate the common,
 * notify and device configuration structures through vendor capabilities,
 * then the device initialization sequence of 3.1.1 (reset, ACKNOWLEDGE,
 * DRIVER, features, FEATURES_OK, queues, DRIVER_OK). Runs at boot only.
 * Ring memory comes from alloc_frames (physical == machine == bus address:
 * no IOMMU, VIRTIO_F_ACCESS_PLATFORM is never accepted).
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <xen/errno.h>
#include "virtio-pci.h"

/* struct virtio_pci_cap (4.1.4) */
#define CAP_CFG_TYPE    3
#define CAP_BAR         4
#define CAP_OFFSET      8
#define CAP_LENGTH      12
#define CAP_NOTIFY_MULT 16
#define CFG_COMMON      1
#define CFG_NOTIFY      2
#define CFG_DEVICE      4

/* struct virtio_pci_common_cfg (4.1.4.3) */
#define COMMON_DFSELECT     0x00
#define COMMON_DF           0x04
#define COMMON_GFSELECT     0x08
#define COMMON_GF           0x0c
#define COMMON_MSIX         0x10
#define COMMON_NUMQ         0x12
#define COMMON_STATUS       0x14
#define COMMON_CFGGEN       0x15
#define COMMON_Q_SELECT     0x16
#define COMMON_Q_SIZE       0x18
#define COMMON_Q_MSIX       0x1a
#define COMMON_Q_ENABLE     0x1c
#define COMMON_Q_NOFF       0x1e
#define COMMON_Q_DESC       0x20
#define COMMON_Q_DRIVER     0x28
#define COMMON_Q_DEVICE     0x30
#define COMMON_LEN          0x38

/* Device status (2.1) */
#define STATUS_ACKNOWLEDGE  1
#define STATUS_DRIVER       2
#define STATUS_DRIVER_OK    4
#define STATUS_FEATURES_OK  8
#define STATUS_NEEDS_RESET  64
#define STATUS_FAILED       128

#define RESET_SPINS         10000000u

static void set_status(struct virtio_pci *vp, uint8_t bits)
{
    uint8_t s = mmio_read8(vp->common + COMMON_STATUS);

    mmio_write8(vp->common + COMMON_STATUS, s | bits);
}

static void write64(volatile uint8_t *p, uint64_t v)
{
    /* 64-bit fields may be written as two 32-bit halves (4.1.3.1). */
    mmio_write32(p, (uint32_t)v);
    mmio_write32(p + 4, (uint32_t)(v >> 32));
}

/* Map the structure a virtio capability at cap points to; NULL if unusable. */
static volatile uint8_t *map_cap(struct pci_dev *d, unsigned int cap, uint32_t min_len,
                                 uint32_t *len)
{
    unsigned int bar = pci_read8(d, cap + CAP_BAR);
    uint32_t off = pci_read32(d, cap + CAP_OFFSET);

    *len = pci_read32(d, cap + CAP_LENGTH);
    if (*len < min_len)
        return NULL;
    return (volatile uint8_t *)pci_bar_map(d, bar, off, *len);
}

int virtio_pci_reset(struct virtio_pci *vp)
{
    /* The device reads back 0 once the reset is complete (4.1.4.3.2). */
    mmio_write8(vp->common + COMMON_STATUS, 0);
    for (unsigned int spins = 0; spins < RESET_SPINS; spins++) {
        if (!mmio_read8(vp->common + COMMON_STATUS))
            return 0;
        cpu_relax();
    }
    return -XEN_EIO;
}

int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *d)
{
    uint32_t len;

    *vp = (struct virtio_pci){ .pci = d };
    /* The first capability of each type is the preferred one (4.1.4.1). */
    for (unsigned int cap = pci_cap_next(d, PCI_CAP_ID_VNDR, 0); cap;
         cap = pci_cap_next(d, PCI_CAP_ID_VNDR, cap)) {
        switch (pci_read8(d, cap + CAP_CFG_TYPE)) {
        case CFG_COMMON:
            if (!vp->common)
                vp->common = map_cap(d, cap, COMMON_LEN, &len);
            break;
        case CFG_NOTIFY:
            if (!vp->notify) {
                vp->notify = map_cap(d, cap, 2, &vp->notify_len);
                vp->notify_mult = pci_read32(d, cap + CAP_NOTIFY_MULT);
            }
            break;
        case CFG_DEVICE:
            if (!vp->device)
                vp->device = map_cap(d, cap, 1, &vp->device_len);
            break;
        default:
            break;  /* ISR (unused with MSI-X), PCI_CFG window: not needed */
        }
    }
    if (!vp->common || !vp->notify || !vp->device) {
        pci_log(d, "virtio: no usable modern common/notify/device capability");
        return -XEN_ENODEV;
    }
    /*
     * The firmware may have left the device running on its own rings (in
     * memory that is now the shim's): reset before allowing DMA.
     */
    pci_enable_memory(d);
    if (virtio_pci_reset(vp)) {
        pci_log(d, "virtio: device does not complete its reset");
        return -XEN_ENODEV;
    }
    pci_enable_dma(d);
    set_status(vp, STATUS_ACKNOWLEDGE);
    set_status(vp, STATUS_DRIVER);
    return 0;
}

uint64_t virtio_pci_device_features(struct virtio_pci *vp)
{
    uint64_t dev;

    mmio_write32(vp->common + COMMON_DFSELECT, 0);
    dev = mmio_read32(vp->common + COMMON_DF);
    mmio_write32(vp->common + COMMON_DFSELECT, 1);
    dev |= (uint64_t)mmio_read32(vp->common + COMMON_DF) << 32;
    return dev;
}

int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted, uint64_t *got)
{
    uint64_t dev = virtio_pci_device_features(vp);

    if (!(dev & BIT(VIRTIO_F_VERSION_1))) {
        pci_log(vp->pci, "virtio: device does not offer VIRTIO_F_VERSION_1");
        virtio_pci_failed(vp);
        return -XEN_ENODEV;
    }
    *got = dev & (wanted | BIT(VIRTIO_F_VERSION_1));
    mmio_write32(vp->common + COMMON_GFSELECT, 0);
    mmio_write32(vp->common + COMMON_GF, (uint32_t)*got);
    mmio_write32(vp->common + COMMON_GFSELECT, 1);
    mmio_write32(vp->common + COMMON_GF, (uint32_t)(*got >> 32));
    set_status(vp, STATUS_FEATURES_OK);
    if (!(mmio_read8(vp->common + COMMON_STATUS) & STATUS_FEATURES_OK)) {
        pci_log(vp->pci, "virtio: device refused the negotiated features");
        virtio_pci_failed(vp);
        return -XEN_ENODEV;
    }
    return 0;
}

int virtio_pci_queue_setup(struct virtio_pci *vp, unsigned int q, struct virtq *vq,
                           unsigned int max_size, unsigned int msix_entry,
                           volatile uint16_t **notify)
{
    unsigned int size, dev_size;
    size_t used_off, bytes;
    uint64_t noff;
    paddr_t pa;
    uint8_t *va;

    if (q >= mmio_read16(vp->common + COMMON_NUMQ))
        return -XEN_ENODEV;
    mmio_write16(vp->common + COMMON_Q_SELECT, (uint16_t)q);
    dev_size = mmio_read16(vp->common + COMMON_Q_SIZE);
    if (!dev_size || mmio_read16(vp->common + COMMON_Q_ENABLE))
        return -XEN_ENODEV;
    /* Largest power of two within both limits (split rings: 2.6). */
    for (size = 1; size * 2 <= MIN(dev_size, MIN(max_size, (unsigned)VIRTQ_MAX_SIZE)); size *= 2)
        ;

    /* desc | avail | used; the used ring starts on its own 4-byte boundary. */
    used_off = ALIGN_UP(virtq_desc_bytes(size) + virtq_avail_bytes(size), (size_t)VIRTQ_USED_ALIGN);
    bytes = used_off + virtq_used_bytes(size);
    pa = alloc_frames(ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT, 1);
    va = phys_to_virt(pa);
    if (virtq_init(vq, size, (struct virtq_desc *)va,
                   (struct virtq_avail *)(va + virtq_desc_bytes(size)),
                   (struct virtq_used *)(va + used_off)))
        return -XEN_ENODEV;

    noff = (uint64_t)mmio_read16(vp->common + COMMON_Q_NOFF) * vp->notify_mult;
    if (noff + 2 > vp->notify_len) {
        pci_log(vp->pci, "virtio: queue notify offset outside the notify area");
        return -XEN_ENODEV;
    }
    *notify = (volatile uint16_t *)(vp->notify + noff);

    mmio_write16(vp->common + COMMON_Q_SIZE, (uint16_t)size);
    mmio_write16(vp->common + COMMON_Q_MSIX, (uint16_t)msix_entry);
    /* The device answers NO_VECTOR when it cannot use the entry (4.1.5.1.2). */
    if (mmio_read16(vp->common + COMMON_Q_MSIX) != (uint16_t)msix_entry) {
        pci_log(vp->pci, "virtio: device refused the queue's MSI-X vector");
        return -XEN_ENODEV;
    }
    write64(vp->common + COMMON_Q_DESC, pa);
    write64(vp->common + COMMON_Q_DRIVER, pa + virtq_desc_bytes(size));
    write64(vp->common + COMMON_Q_DEVICE, pa + used_off);
    mmio_write16(vp->common + COMMON_Q_ENABLE, 1);
    return 0;
}

void virtio_pci_driver_ok(struct virtio_pci *vp)
{
    /* Configuration-change interrupts are not used. */
    mmio_write16(vp->common + COMMON_MSIX, VIRTIO_MSI_NO_VECTOR);
    set_status(vp, STATUS_DRIVER_OK);
}

void virtio_pci_failed(struct virtio_pci *vp)
{
    set_status(vp, STATUS_FAILED);
}

static bool cfg_ok(struct virtio_pci *vp, unsigned int off, unsigned int width)
{
    return off + width <= vp->device_len;
}

uint8_t virtio_pci_cfg8(struct virtio_pci *vp, unsigned int off)
{
    return cfg_ok(vp, off, 1) ? mmio_read8(vp->device + off) : 0;
}

uint16_t virtio_pci_cfg16(struct virtio_pci *vp, unsigned int off)
{
    return cfg_ok(vp, off, 2) ? mmio_read16(vp->device + off) : 0;
}

uint32_t virtio_pci_cfg32(struct virtio_pci *vp, unsigned int off)
{
    return cfg_ok(vp, off, 4) ? mmio_read32(vp->device + off) : 0;
}

uint64_t virtio_pci_cfg64(struct virtio_pci *vp, unsigned int off)
{
    uint32_t lo, hi;
    uint8_t gen;

    if (!cfg_ok(vp, off, 8))
        return 0;
    do {
        gen = mmio_read8(vp->common + COMMON_CFGGEN);
        lo = mmio_read32(vp->device + off);
        hi = mmio_read32(vp->device + off + 4);
    } while (gen != mmio_read8(vp->common + COMMON_CFGGEN));
    return ((uint64_t)hi << 32) | lo;
}
