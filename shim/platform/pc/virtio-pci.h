/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtio over PCI, modern interface (virtio 1.1, 4.1.4), inside the pc
 * platform: the transport (virtio-pci.c) and the drivers that use it
 * (virtio-blk.c, virtio-net.c). Probe and setup run at boot with interrupts off.
 */
#ifndef PC_VIRTIO_PCI_H
#define PC_VIRTIO_PCI_H

#include <plat/pci.h>
#include <plat/virtqueue.h>

#define VIRTIO_PCI_VENDOR           0x1af4
#define VIRTIO_PCI_DEVICE_BLK       0x1042  /* 0x1040 + device id 2 */
#define VIRTIO_PCI_DEVICE_BLK_TRANS 0x1001  /* transitional: legacy + modern */
#define VIRTIO_PCI_DEVICE_NET       0x1041  /* 0x1040 + device id 1 */
#define VIRTIO_PCI_DEVICE_NET_TRANS 0x1000  /* transitional: legacy + modern */

#define VIRTIO_F_VERSION_1      32
#define VIRTIO_MSI_NO_VECTOR    0xffff

struct virtio_pci {
    struct pci_dev *pci;
    volatile uint8_t *common;   /* struct virtio_pci_common_cfg */
    volatile uint8_t *device;   /* device-specific configuration */
    volatile uint8_t *notify;   /* base of the notification area */
    uint32_t device_len, notify_len, notify_mult;
};

/*
 * Find the modern capabilities, enable the function for DMA, reset the
 * device and set ACKNOWLEDGE | DRIVER. Returns 0 or -XEN_ENODEV (not a
 * usable modern device; the reason is logged).
 */
int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *d);

/*
 * The features the device offers (it may be asked before negotiating, as may
 * its configuration: virtio 1.1, 3.1.1 step 4).
 */
uint64_t virtio_pci_device_features(struct virtio_pci *vp);

/*
 * Offer the device's features that are in 'wanted', plus VERSION_1, and set
 * FEATURES_OK. Returns 0 with *got set, or -XEN_ENODEV when the device lacks
 * VERSION_1 or refuses the set.
 */
int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted, uint64_t *got);

/*
 * Set up queue q (split ring, in fresh shim frames) with at most max_size
 * entries, interrupts to MSI-X entry msix_entry (VIRTIO_MSI_NO_VECTOR: none),
 * and enable it. *notify receives the queue's notify register.
 * Returns 0, -XEN_ENODEV (queue absent or vector refused).
 */
int virtio_pci_queue_setup(struct virtio_pci *vp, unsigned int q, struct virtq *vq,
                           unsigned int max_size, unsigned int msix_entry,
                           volatile uint16_t **notify);

/*
 * Reset the device: when this returns 0 the device no longer touches its
 * queues or any memory they named. -XEN_EIO if it never finishes.
 */
int virtio_pci_reset(struct virtio_pci *vp);

void virtio_pci_driver_ok(struct virtio_pci *vp);
/* Tell the device the driver gave up on it (status FAILED). */
void virtio_pci_failed(struct virtio_pci *vp);

/* Device configuration reads; 0 outside the device's configuration area. */
uint8_t virtio_pci_cfg8(struct virtio_pci *vp, unsigned int off);
uint16_t virtio_pci_cfg16(struct virtio_pci *vp, unsigned int off);
uint32_t virtio_pci_cfg32(struct virtio_pci *vp, unsigned int off);
/* Both halves from one configuration generation (virtio 1.1, 4.1.3.1). */
uint64_t virtio_pci_cfg64(struct virtio_pci *vp, unsigned int off);

/* Drivers, called by the PCI probe table (pci.c). */
int virtio_blk_probe(struct pci_dev *d);
int virtio_net_probe(struct pci_dev *d);

#endif
