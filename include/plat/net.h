/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Network provider: the NICs of the real machine as generic code (netback)
 * sees them. pc/kvm implement it on virtio-net, viridian on netvsc.
 * Transmit is by DMA straight from the machine frames named in a request
 * (the guest's granted tx frames, read-only to the provider: it never writes
 * them). Receive goes into buffers the provider owns; each frame is lent to
 * the registered receive callback and recycled when the callback returns
 * (netback copies it into the guest's rx grants: rx-copy).
 *
 * Contexts (single CPU, as in plat/block.h): plat_net_tx, plat_net_set_rx and
 * plat_net_poll are called from shim context with interrupts off; transmit
 * completions and receive callbacks run from the device's interrupt handler
 * or from plat_net_poll, never nested inside plat_net_tx or another
 * callback. Callbacks must not block and must not call plat_net_poll; they
 * may call plat_net_tx.
 *
 * Checksum conventions are Linux's CHECKSUM_PARTIAL, shared by virtio and
 * Xen's netif (NETTXF_csum_blank): the 16-bit checksum field at
 * csum_start + csum_offset already holds the folded pseudo-header sum; the
 * checksum over [csum_start, end of frame) is to be stored there.
 */
#ifndef PLAT_NET_H
#define PLAT_NET_H

#include <shim/types.h>

#define PLAT_NET_ETH_ALEN       6
#define PLAT_NET_ETH_HLEN       14
#define PLAT_NET_MAX_FRAGS      32      /* upper bound of plat_net_info.max_frags */
/* Largest frame of a GSO request, headers included (Linux's GSO_MAX_SIZE). */
#define PLAT_NET_GSO_MAX_BYTES  65536

struct plat_net_info {
    uint8_t mac[PLAT_NET_ETH_ALEN];     /* the NIC's address */
    uint16_t mtu;                       /* largest L3 payload of a non-GSO frame */
    uint32_t max_frags;                 /* fragments per transmit, 1..PLAT_NET_MAX_FRAGS */
    /*
     * Offloads the device performs. tx_csum: transmits with needs_csum are
     * completed by the NIC (without it the provider still accepts them and
     * computes the checksum in software, slower). rx_csum: received frames
     * may come with PLAT_NET_RX_CSUM_VALID or PLAT_NET_RX_NEEDS_CSUM.
     * tso4/tso6: transmits may be PLAT_NET_GSO_TCPV4/TCPV6 (never without
     * tx_csum). Receive GSO is not offered: received frames are at most
     * mtu + 18 bytes (Ethernet header and one VLAN tag).
     */
    bool tx_csum;
    bool rx_csum;
    bool tso4;
    bool tso6;
};

enum plat_net_gso {
    PLAT_NET_GSO_NONE,
    PLAT_NET_GSO_TCPV4,
    PLAT_NET_GSO_TCPV6,
};

/* Offload requests of a transmit; all zero for a plain frame. */
struct plat_net_offload {
    bool needs_csum;                /* fill the checksum (conventions above) */
    uint16_t csum_start;            /* from the start of the frame */
    uint16_t csum_offset;           /* of the checksum field, from csum_start */
    enum plat_net_gso gso_type;     /* not NONE: needs_csum and a TCP checksum */
    uint16_t gso_size;              /* TCP payload bytes per segment (MSS) */
    uint16_t hdr_len;               /* GSO headers incl. TCP; 0: the provider reads it */
};

/* One fragment of a frame: machine address and length, inside one 4 KiB frame. */
struct plat_net_frag {
    paddr_t addr;
    uint32_t len;
};

struct plat_net_tx_req;
/* status: 0 sent (handed to the wire), -XEN_EIO the device failed. */
typedef void (*plat_net_tx_done_fn)(struct plat_net_tx_req *req, int status);

/*
 * A transmit. The caller owns it and keeps it alive until done runs; frags
 * is read only during plat_net_tx, but the fragments' frames must stay valid
 * (and unchanged) until done runs.
 */
struct plat_net_tx_req {
    const struct plat_net_frag *frags;
    uint32_t nr_frags;              /* 1..max_frags */
    struct plat_net_offload offload;
    plat_net_tx_done_fn done;       /* runs exactly once if plat_net_tx returned 0 */
    void *cookie;                   /* for the caller */
};

/* Receive metadata of one frame. */
#define PLAT_NET_RX_CSUM_VALID  BIT(0)  /* L4 checksum verified by the NIC */
#define PLAT_NET_RX_NEEDS_CSUM  BIT(1)  /* partial: csum_start/offset as on transmit */

struct plat_net_rx_meta {
    uint32_t flags;                 /* PLAT_NET_RX_* */
    uint16_t csum_start, csum_offset;   /* NEEDS_CSUM only; inside the frame */
    enum plat_net_gso gso_type;     /* always NONE today (no receive GSO) */
    uint16_t gso_size;
};

/*
 * Receive callback: frame [data, data + len) (Ethernet header first, no FCS)
 * and its metadata, both valid only until the callback returns.
 */
typedef void (*plat_net_rx_fn)(void *opaque, unsigned int idx, const void *data,
                               uint32_t len, const struct plat_net_rx_meta *meta);

/* Number of NICs found by plat_devices_init. */
unsigned int plat_net_count(void);

/* Address, MTU and offloads of NIC idx; NULL if idx >= plat_net_count(). */
const struct plat_net_info *plat_net_info(unsigned int idx);

/*
 * Queue req on NIC idx. Returns 0 when accepted (req->done will run once,
 * later: never from inside this call), or, with no callback:
 *  -XEN_ENODEV     no such NIC, or the device failed;
 *  -XEN_EINVAL     malformed: fragment count, an empty fragment or one
 *                  crossing a 4 KiB frame, shorter than an Ethernet header,
 *                  longer than the MTU allows (GSO: PLAT_NET_GSO_MAX_BYTES),
 *                  checksum field outside the frame, GSO without needs_csum
 *                  or gso_size;
 *  -XEN_EOPNOTSUPP GSO the NIC does not offer;
 *  -XEN_EBUSY      the transmit queue is full: retry after a completion.
 */
int plat_net_tx(unsigned int idx, struct plat_net_tx_req *req);

/*
 * Deliver NIC idx's received frames to fn(opaque, ...) from now on; fn NULL:
 * drop them (the default). Returns 0 or -XEN_ENODEV.
 */
int plat_net_set_rx(unsigned int idx, plat_net_rx_fn fn, void *opaque);

/*
 * Run what is ready on every NIC: transmit completions, then received
 * frames (at most one receive queue's worth per NIC per call).
 * Returns how many completions and frames were handled.
 */
unsigned int plat_net_poll(void);

#endif
