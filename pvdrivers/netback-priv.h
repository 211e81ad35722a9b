/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netback internals shared by netback.c (boot glue), netback-xenbus.c
 * (xenstore handshake), netback-tx.c and netback-rx.c (the two rings), and
 * used directly by the host unit tests.
 *
 * Memory: all static. Each vif has NETBACK_TX_INFLIGHT packet records; a
 * record holds the grants, the provider fragments and the ring slots of one
 * transmitted packet (at most XEN_NETIF_NR_SLOTS_MIN slots) until the
 * provider completes it. Receive needs no record: a frame is copied into
 * the guest's buffers inside the provider's callback.
 */
#ifndef NETBACK_PRIV_H
#define NETBACK_PRIV_H

#include <plat/net.h>
#include <shim/grant.h>
#include <shim/netback.h>
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define NETBACK_TX_INFLIGHT     32u
#define NETBACK_MAX_SLOTS       XEN_NETIF_NR_SLOTS_MIN      /* data slots per packet */
#define NETBACK_MAX_EXTRAS      4u      /* extra_info slots per packet (one per type) */
#define NETBACK_HDR_PEEK        128u    /* header bytes read for checksum offsets */
#define NETBACK_SRING_HDR       64u     /* io/ring.h header before entry 0 */
/* One-page rings (__RING_SIZE): 4032 / 12 -> 256, 4032 / 8 -> 256 (rounded down). */
#define NETBACK_TX_RING_SIZE    256u
#define NETBACK_RX_RING_SIZE    256u

_Static_assert(sizeof(union netif_tx_sring_entry) == 12, "netif tx entry");
_Static_assert(sizeof(union netif_rx_sring_entry) == 8, "netif rx entry");
_Static_assert(sizeof(struct netif_extra_info) == 8, "netif extra info");
_Static_assert(offsetof(struct netif_tx_sring, ring) == NETBACK_SRING_HDR, "sring header");
_Static_assert(offsetof(struct netif_rx_sring, ring) == NETBACK_SRING_HDR, "sring header");

struct vif;

/* One transmitted packet; free when vif == NULL. */
struct netback_tx {
    struct vif *vif;
    uint32_t gen;                           /* vif->gen when taken */
    uint16_t nr_slots;                      /* ring slots consumed (answered on done) */
    uint16_t nr_maps;                       /* grants held */
    uint16_t ids[NETBACK_MAX_SLOTS + NETBACK_MAX_EXTRAS];  /* request id per slot */
    uint32_t null_mask;                     /* slots answered NETIF_RSP_NULL (extra info) */
    struct gnt_mapping maps[NETBACK_MAX_SLOTS];
    struct plat_net_frag frags[NETBACK_MAX_SLOTS];
    struct plat_net_tx_req preq;
};

/* Counters (diagnostics and tests). */
struct netback_stats {
    uint64_t tx_packets, tx_errors, tx_busy;
    uint64_t rx_packets, rx_dropped, rx_errors;
};

struct vif {
    struct domain *d;
    unsigned int idx;                       /* in netback_vifs[], the port's instance */
    struct shim_vif cfg;
    const struct plat_net_info *info;
    char fe_path[64], be_path[64];
    int watch;                              /* xenstore watch on the frontend state */
    unsigned int be_state;                  /* XenbusState we published */

    /* The connection; valid while connected. */
    bool connected;
    bool broken;                            /* hostile ring: no more servicing */
    uint32_t gen;                           /* bumped by connect and disconnect */
    evtchn_port_t tx_port, rx_port;         /* equal unless split channels */
    struct gnt_mapping tx_map, rx_map;      /* the ring pages (write grants) */
    uint8_t *tx_ring, *rx_ring;
    uint32_t tx_req_cons, tx_rsp_prod_pvt, tx_rsp_published;
    uint32_t rx_req_cons, rx_rsp_published;

    unsigned int inflight;
    struct netback_tx *busy;                /* provider said -EBUSY: resubmit first */
    struct netback_tx tx[NETBACK_TX_INFLIGHT];
    struct netback_stats stats;
};

extern struct vif netback_vifs[NETBACK_MAX_VIFS];
extern unsigned int netback_nr_vifs;

/* ---- netback-xenbus.c --------------------------------------------------- */

/* Set up vif netback_vifs[netback_nr_vifs] on the provider's NIC and publish it. */
struct vif *netback_vif_create(struct domain *d, const struct shim_vif *cfg,
                               const struct plat_net_info *info);
/* The frontend broke the protocol: log, error node, stop, Closing. */
void netback_fatal(struct vif *v, const char *fmt, ...) __printf(2, 3);

/* ---- netback-tx.c ------------------------------------------------------- */

/* Take the packets the frontend produced (notify, connect, completions). */
void netback_tx_service(struct vif *v);
/* Drop every packet not handed to the provider (disconnect). */
void netback_tx_cancel(struct vif *v);
/* csum_start/csum_offset of a CHECKSUM_PARTIAL frame from its first hdr_len
 * bytes (Ethernet, optional VLAN, IPv4 or IPv6 without extension headers,
 * TCP or UDP); 0 or -XEN_EINVAL. */
int netback_csum_setup(const uint8_t *hdr, uint32_t hdr_len, struct plat_net_offload *o);

/* ---- netback-rx.c ------------------------------------------------------- */

/* The provider's receive callback (opaque = the vif). */
void netback_rx(void *opaque, unsigned int idx, const void *data, uint32_t len,
                const struct plat_net_rx_meta *meta);

/* ---- shared ring helpers (netback-tx.c) ---------------------------------- */

/* Ring index word at field_off of a shared ring page. */
static inline volatile uint32_t *netback_ring_idx(uint8_t *ring, size_t field_off)
{
    return (volatile uint32_t *)(ring + field_off);
}
/* Publish responses up to new (old = last published); true if the guest
 * asked to be notified (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY). */
bool netback_push(uint8_t *ring, uint32_t old, uint32_t new);
/* Raise port if it is still bound to v. */
void netback_kick(struct vif *v, evtchn_port_t port);

/* ---- netback.c (arch glue; the unit tests provide their own) ------------ */

void netback_tlb_sync(void);
void netback_xs_kick(struct domain *d);

#endif
