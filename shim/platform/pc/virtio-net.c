// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pc network provider (plat/net.h) on virtio-net (virtio 1.1, 5.1): one
 * queue pair, receive queue 0 and transmit queue 1, both interrupting on
 * one MSI-X vector (completions also by plat_net_poll). Registered with the
 * provider registry (plat/provider.h) at the first NIC; indices here are
 * local ones.
 *
 * Transmit: one chain per frame, the 12-byte virtio_net_hdr from a per-
 * request DMA slot followed by the caller's fragments (no copies). Without
 * VIRTIO_NET_F_CSUM a requested checksum is computed here and spliced in
 * from the slot (virtio-net-buf.c). Receive: VNET_RX_BUF-byte shim buffers,
 * header and frame in one descriptor (VERSION_1 allows any layout), lent to
 * the receive callback and reposted after it. No GUEST_TSO and no
 * MRG_RXBUF, so a buffer needs only header + MTU + Ethernet/VLAN header.
 *
 * Concurrency: as in virtio-blk.c, struct vnet is touched by the plat_net_*
 * calls (shim context, interrupts off) and by vnet_irq (interrupt context),
 * which cannot overlap on one CPU. SMP needs a lock here.
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <plat/net.h>
#include <plat/provider.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <xen/errno.h>
#include "pc.h"
#include "virtio-net-buf.h"
#include "virtio-pci.h"

#define VIRTIO_NET_F_CSUM       0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU        3
#define VIRTIO_NET_F_MAC        5
#define VIRTIO_NET_F_HOST_TSO4  11
#define VIRTIO_NET_F_HOST_TSO6  12

/* struct virtio_net_config offsets (5.1.4) */
#define CFG_MAC                 0
#define CFG_MTU                 10

#define VNET_MAX_NICS       4
#define VNET_RXQ            0
#define VNET_TXQ            1
#define VNET_RX_QUEUE_MAX   128     /* buffers posted: 256 KiB per NIC */
#define VNET_TX_QUEUE_MAX   256
#define VNET_RX_BUF         2048
#define VNET_MTU_DEFAULT    1500
#define VNET_MTU_MAX        (VNET_RX_BUF - VNET_HDR_LEN - PLAT_NET_ETH_HLEN - VNET_VLAN_HLEN)
#define VNET_MTU_MIN        68      /* RFC 791 */
/* hdr + fragments + up to two more pieces from the checksum splice */
#define VNET_TX_DESCS       (1 + PLAT_NET_MAX_FRAGS + 2)

/* Device-visible part of a transmit slot. */
struct vnet_slot {
    struct virtio_net_hdr hdr;
    uint8_t csum[2];                /* software checksum, spliced over the field */
    uint8_t pad[2];
};
_Static_assert(sizeof(struct vnet_slot) == 16, "slots tile the DMA frame");

struct vnet {
    struct virtio_pci vp;
    struct virtq rxvq, txvq;
    volatile uint16_t *rx_notify, *tx_notify;
    struct vnet_rxq rxq;
    struct plat_net_info info;
    struct vnet_slot *slots;        /* txvq.size slots */
    paddr_t slots_pa;
    struct plat_net_tx_req *slot_req[VIRTQ_MAX_SIZE];   /* NULL: slot free */
    uint16_t free_slot[VIRTQ_MAX_SIZE];
    unsigned int nr_free_slots;
    plat_net_rx_fn rx_fn;           /* NULL: received frames are dropped */
    void *rx_opaque;
    unsigned int index, vector;     /* vector 0: polled only */
    uint64_t irqs, tx_frames, tx_sw_csum, rx_frames, rx_dropped, rx_bad;
    bool failed;
};

static struct vnet nics[VNET_MAX_NICS];
static unsigned int nr_nics;

static const void *map_machine(paddr_t pa)
{
    return phys_to_virt(pa);
}

static bool registered;                 /* with the network provider registry */

static unsigned int vnet_count(void *ctx)
{
    return nr_nics;
}

static const struct plat_net_info *vnet_info(void *ctx, unsigned int idx)
{
    return idx < nr_nics ? &nics[idx].info : NULL;
}

static int vnet_set_rx(void *ctx, unsigned int idx, plat_net_rx_fn fn, void *opaque)
{
    if (idx >= nr_nics)
        return -XEN_ENODEV;
    nics[idx].rx_fn = fn;
    nics[idx].rx_opaque = opaque;
    return 0;
}

static void tx_finish(struct vnet *vn, unsigned int s, int status)
{
    struct plat_net_tx_req *req = vn->slot_req[s];

    vn->slot_req[s] = NULL;
    vn->free_slot[vn->nr_free_slots++] = (uint16_t)s;
    req->done(req, status);
}

/* The device broke the ring protocol: reset it (no more DMA), fail what it held. */
static void vnet_fail(struct vnet *vn, const char *why)
{
    log_warn("virtio-net %u: %s; NIC disabled\n", vn->index, why);
    vn->failed = true;
    if (virtio_pci_reset(&vn->vp))
        panic("virtio-net %u: broken device ignores its reset; its DMA cannot be stopped\n",
              vn->index);
    for (unsigned int s = 0; s < vn->txvq.size; s++)
        if (vn->slot_req[s])
            tx_finish(vn, s, -XEN_EIO);
}

static unsigned int tx_complete(struct vnet *vn)
{
    unsigned int n = 0;
    void *token;
    uint32_t len;
    int rc;

    while (!vn->failed && (rc = virtq_get(&vn->txvq, &token, &len)) != 0) {
        if (rc == -XEN_EIO) {
            vnet_fail(vn, "device returned a bad transmit used-ring entry");
            break;
        }
        /* token is our slot pointer; the used length of a transmit means nothing. */
        tx_finish(vn, (unsigned int)((struct vnet_slot *)token - vn->slots), 0);
        vn->tx_frames++;
        n++;
    }
    return n;
}

static unsigned int rx_complete(struct vnet *vn)
{
    struct plat_net_rx_meta m;
    const uint8_t *frame;
    unsigned int n = 0, buf;
    uint32_t len;
    bool guest_csum = vn->info.rx_csum;
    int rc = 0;

    /* At most one ring's worth: a flood cannot keep the shim here forever. */
    while (!vn->failed && n < vn->rxq.nbufs &&
           (rc = vnet_rxq_take(&vn->rxq, guest_csum, &buf, &frame, &len, &m)) != 0) {
        n++;
        if (rc == -XEN_EIO) {
            vnet_fail(vn, "device returned a bad receive used-ring entry");
            return n;
        }
        if (rc < 0) {
            vn->rx_bad++;
            continue;
        }
        vn->rx_frames++;
        if (vn->rx_fn)
            vn->rx_fn(vn->rx_opaque, vn->index, frame, len, &m);
        else
            vn->rx_dropped++;
        vnet_rxq_recycle(&vn->rxq, buf);
    }
    if (n && vnet_rxq_refill(&vn->rxq) && virtq_publish(&vn->rxvq))
        mmio_write16(vn->rx_notify, VNET_RXQ);
    return n;
}

static void vnet_irq(void *arg)
{
    struct vnet *vn = arg;

    vn->irqs++;
    tx_complete(vn);
    rx_complete(vn);
}

static unsigned int vnet_poll(void *ctx)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < nr_nics; i++) {
        n += tx_complete(&nics[i]);
        n += rx_complete(&nics[i]);
    }
    return n;
}

static int vnet_tx(void *ctx, unsigned int idx, struct plat_net_tx_req *req)
{
    struct virtq_buf bufs[VNET_TX_DESCS];
    const struct plat_net_offload *o = &req->offload;
    uint32_t total, splice = UINT32_MAX;
    uint16_t hdr_len = 0;
    struct vnet_slot *slot;
    struct vnet *vn;
    paddr_t slot_pa;
    unsigned int s;
    int rc, n;

    if (idx >= nr_nics || nics[idx].failed)
        return -XEN_ENODEV;
    vn = &nics[idx];
    rc = vnet_tx_check(&vn->info, req, &total);
    if (rc)
        return rc;
    if (o->gso_type != PLAT_NET_GSO_NONE) {
        hdr_len = vnet_gso_hdr_len(req->frags, req->nr_frags, total, o, map_machine);
        if (!hdr_len)
            return -XEN_EINVAL;
    }
    if (!vn->nr_free_slots)
        return -XEN_EBUSY;
    s = vn->free_slot[vn->nr_free_slots - 1];
    slot = &vn->slots[s];
    slot_pa = vn->slots_pa + (paddr_t)s * sizeof(*slot);
    vnet_hdr_tx(&slot->hdr, o, vn->info.tx_csum, hdr_len);
    if (o->needs_csum && !vn->info.tx_csum) {
        uint16_t c = vnet_frags_csum(req->frags, req->nr_frags, o->csum_start, map_machine);

        slot->csum[0] = (uint8_t)(c >> 8);
        slot->csum[1] = (uint8_t)c;
        splice = (uint32_t)o->csum_start + o->csum_offset;
        vn->tx_sw_csum++;
    }
    bufs[0] = (struct virtq_buf){ slot_pa, VNET_HDR_LEN };
    n = vnet_tx_layout(req->frags, req->nr_frags, splice,
                       slot_pa + offsetof(struct vnet_slot, csum), bufs + 1,
                       ARRAY_SIZE(bufs) - 1);
    if (n < 0)
        return n;
    rc = virtq_add(&vn->txvq, bufs, (unsigned int)n + 1, 0, slot);
    if (rc < 0)     /* full, or broken (then vnet_fail has run already) */
        return rc == -XEN_EBUSY ? rc : -XEN_ENODEV;
    vn->nr_free_slots--;
    vn->slot_req[s] = req;
    if (virtq_publish(&vn->txvq))
        mmio_write16(vn->tx_notify, VNET_TXQ);
    return 0;
}

/* Address, MTU and offloads into vn->info (after FEATURES_OK). */
static void read_config(struct vnet *vn, uint64_t f)
{
    struct plat_net_info *in = &vn->info;
    uint32_t mtu = VNET_MTU_DEFAULT;

    if (f & BIT(VIRTIO_NET_F_MAC)) {
        for (unsigned int i = 0; i < PLAT_NET_ETH_ALEN; i++)
            in->mac[i] = virtio_pci_cfg8(&vn->vp, CFG_MAC + i);
    } else {
        /* Locally administered, unique per PCI function (5.1.5 step 4). */
        const uint8_t mac[] = { 0x02, 0x58, 0x53, vn->vp.pci->bus, vn->vp.pci->dev,
                                vn->vp.pci->fn };

        memcpy(in->mac, mac, sizeof(mac));
        log_warn("virtio-net %u: device has no MAC; using a local one\n", vn->index);
    }
    /* The probe declined MTU unless the value was in range. */
    if (f & BIT(VIRTIO_NET_F_MTU))
        mtu = virtio_pci_cfg16(&vn->vp, CFG_MTU);
    in->mtu = (uint16_t)MIN(MAX(mtu, VNET_MTU_MIN), VNET_MTU_MAX);
    in->max_frags = MIN((unsigned int)PLAT_NET_MAX_FRAGS, vn->txvq.size - 3u);
    in->tx_csum = f & BIT(VIRTIO_NET_F_CSUM);
    in->rx_csum = f & BIT(VIRTIO_NET_F_GUEST_CSUM);
    in->tso4 = f & BIT(VIRTIO_NET_F_HOST_TSO4);
    in->tso6 = f & BIT(VIRTIO_NET_F_HOST_TSO6);
}

/* Queues, DMA slots and receive buffers; 0 or -XEN_ENODEV. */
static int setup_queues(struct vnet *vn, unsigned int entry)
{
    unsigned int frames = VNET_RX_QUEUE_MAX * VNET_RX_BUF / PAGE_SIZE;
    paddr_t pa;

    if (virtio_pci_queue_setup(&vn->vp, VNET_RXQ, &vn->rxvq, VNET_RX_QUEUE_MAX, entry,
                               &vn->rx_notify) ||
        virtio_pci_queue_setup(&vn->vp, VNET_TXQ, &vn->txvq, VNET_TX_QUEUE_MAX, entry,
                               &vn->tx_notify) ||
        vn->txvq.size < 4)              /* room for a header and a fragment */
        return -XEN_ENODEV;
    vn->slots_pa = alloc_frames(ALIGN_UP(vn->txvq.size * sizeof(struct vnet_slot),
                                         PAGE_SIZE) >> PAGE_SHIFT, 1);
    vn->slots = phys_to_virt(vn->slots_pa);
    for (unsigned int s = 0; s < vn->txvq.size; s++)
        vn->free_slot[s] = (uint16_t)(vn->txvq.size - 1 - s);
    vn->nr_free_slots = vn->txvq.size;
    pa = alloc_frames(frames, 1);
    if (vnet_rxq_init(&vn->rxq, &vn->rxvq, phys_to_virt(pa), pa, VNET_RX_BUF,
                      MIN(vn->rxvq.size, (uint16_t)VNET_RX_QUEUE_MAX)))
        return -XEN_ENODEV;
    vnet_rxq_refill(&vn->rxq);
    virtq_publish(&vn->rxvq);           /* visible now, notified after DRIVER_OK */
    return 0;
}

static const struct plat_net_provider vnet_provider = {
    .name = "virtio-net",
    .count = vnet_count,
    .info = vnet_info,
    .tx = vnet_tx,
    .set_rx = vnet_set_rx,
    .poll = vnet_poll,
};

int virtio_net_probe(struct pci_dev *d)
{
    const uint64_t csum = BIT(VIRTIO_NET_F_CSUM);
    const uint64_t tso = BIT(VIRTIO_NET_F_HOST_TSO4) | BIT(VIRTIO_NET_F_HOST_TSO6);
    uint64_t wanted = BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_MTU) |
                      BIT(VIRTIO_NET_F_GUEST_CSUM) | csum | tso, f, dev;
    unsigned int entry = VIRTIO_MSI_NO_VECTOR;
    struct vnet *vn;
    uint16_t mtu;
    int vec;

    if (nr_nics == VNET_MAX_NICS) {
        pci_log(d, "virtio-net: too many NICs");
        return -XEN_ENOSPC;
    }
    if (!registered) {
        if (plat_net_register(&vnet_provider, NULL)) {
            pci_log(d, "virtio-net: network provider table full");
            return -XEN_ENOSPC;
        }
        registered = true;
    }
    vn = &nics[nr_nics];
    *vn = (struct vnet){ .index = nr_nics };
    vn->failed = true;                  /* until the probe is complete */
    if (virtio_pci_init(&vn->vp, d))
        return -XEN_ENODEV;
    dev = virtio_pci_device_features(&vn->vp);
    /* HOST_TSO4/6 depend on CSUM (5.1.3.1): never accept them alone. */
    if (!(dev & csum))
        wanted &= ~tso;
    /*
     * Accepting MTU promises buffers for mtu-sized frames (5.1.4.1): decline
     * an MTU the receive buffers cannot hold (the config may be read before
     * FEATURES_OK, 3.1.1).
     */
    mtu = virtio_pci_cfg16(&vn->vp, CFG_MTU);
    if ((dev & BIT(VIRTIO_NET_F_MTU)) && (mtu < VNET_MTU_MIN || mtu > VNET_MTU_MAX)) {
        log_warn("virtio-net %u: device MTU %u outside %u..%u; feature declined\n",
                 vn->index, mtu, VNET_MTU_MIN, VNET_MTU_MAX);
        wanted &= ~BIT(VIRTIO_NET_F_MTU);
    }
    if (virtio_pci_negotiate(&vn->vp, wanted, &f))
        return -XEN_ENODEV;
    if (!pci_msix_init(d)) {
        vec = pc_irq_alloc(vnet_irq, vn);
        if (vec > 0 && !pci_msix_route(d, 0, vec)) {
            vn->vector = vec;
            entry = 0;
        }
    }
    if (!vn->vector)
        log_warn("virtio-net %u: no MSI-X; completions by polling only\n", vn->index);
    if (setup_queues(vn, entry)) {
        pci_log(d, "virtio-net: queue setup failed");
        virtio_pci_reset(&vn->vp);      /* no DMA, no interrupts from it */
        virtio_pci_failed(&vn->vp);
        return -XEN_ENODEV;
    }
    read_config(vn, f);
    virtio_pci_driver_ok(&vn->vp);
    /* Buffers were published before DRIVER_OK; notifications only after (3.1.1). */
    mmio_write16(vn->rx_notify, VNET_RXQ);
    vn->failed = false;
    nr_nics++;
    log_info("virtio-net %u: mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, %u frags%s%s%s%s, "
             "queues rx %u tx %u, irq %#x\n", vn->index, vn->info.mac[0], vn->info.mac[1],
             vn->info.mac[2], vn->info.mac[3], vn->info.mac[4], vn->info.mac[5], vn->info.mtu,
             vn->info.max_frags, vn->info.tx_csum ? ", tx-csum" : "",
             vn->info.rx_csum ? ", rx-csum" : "", vn->info.tso4 ? ", tso4" : "",
             vn->info.tso6 ? ", tso6" : "", vn->rxvq.size, vn->txvq.size, vn->vector);
    return 0;
}
