/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI for the pc and kvm platforms: configuration mechanism #1 (ports
 * 0xcf8/0xcfc), bus 0 only (QEMU's pc machine puts everything there), BARs as
 * the firmware assigned them, capability list, MSI-X to the local APIC.
 * Used at boot (probe) and by drivers; no locking: config cycles happen with
 * interrupts off.
 */
#ifndef PLAT_PCI_H
#define PLAT_PCI_H

#include <shim/types.h>

#define PCI_VENDOR_ID       0x00
#define PCI_DEVICE_ID       0x02
#define PCI_COMMAND         0x04
#define PCI_STATUS          0x06
#define PCI_CLASS_REVISION  0x08
#define PCI_HEADER_TYPE     0x0e
#define PCI_BAR0            0x10
#define PCI_CAP_PTR         0x34

#define PCI_COMMAND_IO          BIT(0)
#define PCI_COMMAND_MEMORY      BIT(1)
#define PCI_COMMAND_MASTER      BIT(2)
#define PCI_COMMAND_INTX_DISABLE BIT(10)
#define PCI_STATUS_CAP_LIST     BIT(4)

#define PCI_CAP_ID_MSIX     0x11
#define PCI_CAP_ID_VNDR     0x09

#define PCI_NR_BARS         6

struct pci_bar {
    paddr_t base;           /* 0: unassigned or I/O */
    uint64_t size;
    bool is_io, is_64, prefetchable;
};

struct pci_dev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint32_t class_rev;     /* class << 8 | revision */
    struct pci_bar bar[PCI_NR_BARS];
    /* MSI-X, valid after pci_msix_init. */
    uint8_t msix_cap;
    uint16_t msix_entries;
    volatile uint32_t *msix_table;
};

uint32_t pci_read32(const struct pci_dev *d, unsigned int off);
uint16_t pci_read16(const struct pci_dev *d, unsigned int off);
uint8_t pci_read8(const struct pci_dev *d, unsigned int off);
void pci_write32(const struct pci_dev *d, unsigned int off, uint32_t v);
void pci_write16(const struct pci_dev *d, unsigned int off, uint16_t v);

/*
 * Offset of the first capability with id cap_id after the one at offset
 * 'after' (0: from the start of the list); 0 when there is none. Bounded
 * against looping lists.
 */
unsigned int pci_cap_next(const struct pci_dev *d, uint8_t cap_id, unsigned int after);

/* Turn on memory decoding (register access, no DMA yet). */
void pci_enable_memory(const struct pci_dev *d);
/* Turn on memory decoding and bus mastering, INTx off (MSI-X is used). */
void pci_enable_dma(const struct pci_dev *d);

/*
 * The shim virtual address of [off, off + len) inside memory BAR bar, or
 * NULL when the BAR is absent, I/O, too small, or not covered by the direct
 * map (64-bit BARs the firmware put above it).
 */
volatile void *pci_bar_map(const struct pci_dev *d, unsigned int bar,
                           uint64_t off, uint64_t len);

/*
 * MSI-X: pci_msix_init maps the table and enables MSI-X with every entry
 * masked; pci_msix_route sends entry to vector on the boot CPU's local APIC
 * and unmasks it. Return 0, -XEN_ENODEV (no usable MSI-X) or -XEN_EINVAL.
 */
int pci_msix_init(struct pci_dev *d);
int pci_msix_route(struct pci_dev *d, unsigned int entry, unsigned int vector);

/* Log "bb:dd.f vvvv:dddd" plus a message. */
void pci_log(const struct pci_dev *d, const char *msg);

#endif
