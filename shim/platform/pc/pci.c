// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI on the pc platform: configuration mechanism #1 (PCI Local Bus 3.0,
 * 3.2.2.3.2), a scan of bus 0, BAR decoding and sizing, the capability list,
 * MSI-X (PCI 3.0, 6.8.2) to the boot CPU's local APIC, and the table of
 * drivers probed at boot. The firmware (SeaBIOS) has assigned the BARs; the
 * shim keeps its assignment.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <plat/hyperv.h>
#include <plat/pci.h>
#include <plat/platform.h>
#include <plat/viridian-devices.h>
#include <plat/vmbus.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "pc.h"
#include "virtio-pci.h"

#define PCI_CONF_ADDR   0xcf8
#define PCI_CONF_DATA   0xcfc
#define PCI_MAX_DEVS    32

#define MSIX_CTRL_ENABLE    BIT(15)
#define MSIX_CTRL_FMASK     BIT(14)
#define MSIX_ENTRY_MASKED   BIT(0)
#define MSI_ADDR_BASE       0xfee00000u

/* Filled by the boot scan; drivers keep pointers into it. */
static struct pci_dev pci_devs[PCI_MAX_DEVS];
static unsigned int nr_pci_devs;

static const struct pci_driver {
    uint16_t vendor, device;
    int (*probe)(struct pci_dev *d);
} pci_drivers[] = {
    { VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BLK, virtio_blk_probe },
    { VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BLK_TRANS, virtio_blk_probe },
    { VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET, virtio_net_probe },
    { VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_TRANS, virtio_net_probe },
};

static void conf_select(const struct pci_dev *d, unsigned int off)
{
    outl(PCI_CONF_ADDR, 0x80000000u | (uint32_t)d->bus << 16 |
         (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 | (off & 0xfc));
}

uint32_t pci_read32(const struct pci_dev *d, unsigned int off)
{
    conf_select(d, off);
    return inl(PCI_CONF_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned int off)
{
    conf_select(d, off);
    return inw(PCI_CONF_DATA + (off & 2));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned int off)
{
    conf_select(d, off);
    return inb(PCI_CONF_DATA + (off & 3));
}

void pci_write32(const struct pci_dev *d, unsigned int off, uint32_t v)
{
    conf_select(d, off);
    outl(PCI_CONF_DATA, v);
}

void pci_write16(const struct pci_dev *d, unsigned int off, uint16_t v)
{
    conf_select(d, off);
    outw(PCI_CONF_DATA + (off & 2), v);
}

unsigned int pci_cap_next(const struct pci_dev *d, uint8_t cap_id, unsigned int after)
{
    unsigned int off;

    if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return 0;
    off = after ? pci_read8(d, after + 1) : pci_read8(d, PCI_CAP_PTR);
    /* 48 = (256 - 64) / 4: more links than fit means a loop. */
    for (unsigned int n = 0; n < 48 && off >= 0x40; n++) {
        off &= 0xfc;
        if (pci_read8(d, off) == cap_id)
            return off;
        off = pci_read8(d, off + 1);
    }
    return 0;
}

void pci_enable_memory(const struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    pci_write16(d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
}

void pci_enable_dma(const struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    pci_write16(d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                PCI_COMMAND_INTX_DISABLE);
}

volatile void *pci_bar_map(const struct pci_dev *d, unsigned int bar,
                           uint64_t off, uint64_t len)
{
    const struct pci_bar *b;

    if (bar >= PCI_NR_BARS)
        return NULL;
    b = &d->bar[bar];
    if (b->is_io || !b->base || off > b->size || len > b->size - off)
        return NULL;
    if (b->base + off + len > directmap_end)
        return NULL;
    return phys_to_virt(b->base + off);
}

/* Decode and size the BARs of a type-0 header, decoding off meanwhile. */
static void decode_bars(struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    for (unsigned int i = 0; i < PCI_NR_BARS; i++) {
        unsigned int off = PCI_BAR0 + 4 * i;
        uint32_t lo = pci_read32(d, off), szlo, hi = 0, szhi = 0xffffffff;
        struct pci_bar *b = &d->bar[i];
        uint64_t mask;

        pci_write32(d, off, 0xffffffff);
        szlo = pci_read32(d, off);
        pci_write32(d, off, lo);
        if (lo & 1) {                       /* I/O space: not used */
            b->is_io = true;
            continue;
        }
        b->prefetchable = lo & 8;
        if (((lo >> 1) & 3) == 2 && i + 1 < PCI_NR_BARS) {
            b->is_64 = true;
            hi = pci_read32(d, off + 4);
            pci_write32(d, off + 4, 0xffffffff);
            szhi = pci_read32(d, off + 4);
            pci_write32(d, off + 4, hi);
        }
        mask = ((uint64_t)szhi << 32) | (szlo & ~0xfu);
        if (!(szlo & ~0xfu) && !(b->is_64 && szhi))
            mask = 0;                       /* BAR not implemented */
        b->size = mask ? ~mask + 1 : 0;
        b->base = b->size ? (((uint64_t)hi << 32) | (lo & ~0xfu)) : 0;
        if (b->is_64)
            i++;                            /* the upper half is not a BAR */
    }
    pci_write16(d, PCI_COMMAND, cmd);
}

int pci_msix_init(struct pci_dev *d)
{
    unsigned int cap = pci_cap_next(d, PCI_CAP_ID_MSIX, 0);
    uint16_t ctrl;
    uint32_t tbl;

    if (!cap)
        return -XEN_ENODEV;
    ctrl = pci_read16(d, cap + 2);
    tbl = pci_read32(d, cap + 4);
    d->msix_entries = (ctrl & 0x7ff) + 1;
    d->msix_table = (volatile uint32_t *)pci_bar_map(d, tbl & 7, tbl & ~7u,
                                                     d->msix_entries * 16u);
    if (!d->msix_table)
        return -XEN_ENODEV;
    d->msix_cap = cap;
    /* Enable with the whole function masked, mask each entry, then unmask. */
    pci_write16(d, cap + 2, ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);
    for (unsigned int i = 0; i < d->msix_entries; i++)
        mmio_write32(&d->msix_table[i * 4 + 3], MSIX_ENTRY_MASKED);
    pci_write16(d, cap + 2, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
    return 0;
}

int pci_msix_route(struct pci_dev *d, unsigned int entry, unsigned int vector)
{
    volatile uint32_t *e;

    if (!d->msix_table || entry >= d->msix_entries || vector < 0x10 || vector > 0xfe)
        return -XEN_EINVAL;
    e = &d->msix_table[entry * 4];
    mmio_write32(&e[3], MSIX_ENTRY_MASKED);
    /* Fixed delivery, physical destination, edge: SDM vol. 3, 11.11. */
    mmio_write32(&e[0], MSI_ADDR_BASE | (pc_lapic_id() & 0xff) << 12);
    mmio_write32(&e[1], 0);
    mmio_write32(&e[2], vector);
    mmio_write32(&e[3], 0);
    return 0;
}

void pci_log(const struct pci_dev *d, const char *msg)
{
    log_info("pci %02x:%02x.%u %04x:%04x: %s\n", d->bus, d->dev, d->fn,
             d->vendor, d->device, msg);
}

/*
 * Only devices with a driver get their BARs sized: sizing turns decoding off
 * for a moment, which must not happen to bridges or the console's device.
 */
static void probe_one(struct pci_dev *d)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(pci_drivers); i++) {
        if (pci_drivers[i].vendor != d->vendor || pci_drivers[i].device != d->device)
            continue;
        decode_bars(d);
        if (pci_drivers[i].probe(d))
            pci_log(d, "driver probe failed; device left unused");
        return;
    }
}

/* Find bus 0's devices and probe those with a driver. */
static void scan_bus0(void)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        for (unsigned int fn = 0; fn < 8; fn++) {
            struct pci_dev probe = { .bus = 0, .dev = dev, .fn = fn }, *d;
            uint8_t htype;

            probe.vendor = pci_read16(&probe, PCI_VENDOR_ID);
            if (probe.vendor == 0xffff) {
                if (fn == 0)
                    break;              /* no device: skip its functions */
                continue;
            }
            probe.device = pci_read16(&probe, PCI_DEVICE_ID);
            probe.class_rev = pci_read32(&probe, PCI_CLASS_REVISION);
            htype = pci_read8(&probe, PCI_HEADER_TYPE);
            if ((htype & 0x7f) == 0) {  /* bridges etc. are left alone */
                if (nr_pci_devs == PCI_MAX_DEVS) {
                    pci_log(&probe, "too many PCI devices; ignored");
                    return;
                }
                d = &pci_devs[nr_pci_devs++];
                *d = probe;
                probe_one(d);
            }
            if (fn == 0 && !(htype & 0x80))
                break;                  /* single-function device */
        }
    }
}

void plat_devices_init(void)
{
    /* Hyper-V's synthetic devices are on VMBus; it logs its own outcome. */
    if (hv_present())
        vmbus_init();
    scan_bus0();
    /* After the PCI devices, so that their global disk/NIC indices stay put. */
    viridian_devices_probe();
}
