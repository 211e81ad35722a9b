/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the halves of the netvsc provider: netvsc.c (NVSP and
 * RNDIS bring-up, registration) and netvsc-io.c (transmit, receive, the
 * channel callback).
 *
 * Concurrency: one CPU; the provider calls (shim context, interrupts off)
 * and the channel callback (SynIC interrupt or vmbus_poll) never nest.
 */
#ifndef VIRIDIAN_NETVSC_PRIV_H
#define VIRIDIAN_NETVSC_PRIV_H

#include <plat/vmbus.h>
#include "nvsp.h"
#include "rndis.h"

#define NVS_MAX_NICS        2
#define NVS_RING_BYTES      (128 * 1024)
#define NVS_RECV_PAGES      256         /* 1 MiB receive buffer */
#define NVS_SEND_PAGES      128         /* 512 KiB of send sections */
#define NVS_MAX_SECTIONS    128
#define NVS_MTU_MAX         1500
#define NVS_MTU_MIN         68
#define NVS_VLAN_HLEN       4
#define NVS_MAX_FRAME       (NVS_MTU_MAX + PLAT_NET_ETH_HLEN + NVS_VLAN_HLEN)
#define NVS_SYNC_TIMEOUT_NS (5ULL * 1000 * 1000 * 1000)
#define NVS_TID_SYNC        (1ULL << 63)
#define NVS_HDR_BYTES       8192        /* transfer-page header: up to 1023 ranges */
#define NVS_PENDING_ACKS    64          /* receive completions waiting for ring room */
#define NVS_CTRL_BYTES      512         /* RNDIS control replies copied out */

struct nvs_slot {                       /* one send-buffer section */
    struct plat_net_tx_req *req;        /* a frame; NULL for an RNDIS control message */
    uint32_t gen;
    bool busy;
};

struct nvs_nic {
    struct vmbus_channel *ch;
    unsigned int index;
    uint32_t nvsp_ver;
    uint8_t *rxbuf, *txbuf;
    paddr_t rxbuf_pa, txbuf_pa;
    uint32_t rx_gpadl, tx_gpadl;
    uint32_t rx_end;                    /* host's section end: ranges stay below */
    uint32_t section_bytes, nr_sections;
    struct nvs_slot slots[NVS_MAX_SECTIONS];
    uint16_t free_slot[NVS_MAX_SECTIONS];
    unsigned int nr_free;
    struct plat_net_info info;
    plat_net_rx_fn rx_fn;
    void *rx_opaque;
    bool link_up, failed;
    /* NVSP request/reply during bring-up. */
    bool sync_pending, sync_done;
    uint64_t sync_tid, sync_seq;
    uint32_t sync_len;
    uint8_t sync_reply[64];
    /* RNDIS control request/reply. */
    uint32_t ctrl_req_id, ctrl_next_id;
    bool ctrl_pending, ctrl_done;
    struct rndis_rx ctrl_rx;
    uint8_t ctrl_buf[NVS_CTRL_BYTES];
    /* Receive completions the ring had no room for. */
    uint64_t acks[NVS_PENDING_ACKS];
    unsigned int ack_head, ack_tail;
    uint8_t hdr[NVS_HDR_BYTES];         /* vmbus_recv_hdr buffers */
    uint8_t pkt[64];
    uint64_t tx_frames, tx_sw_csum, rx_frames, rx_dropped, rx_bad, unknown_tid,
             unsolicited, acks_lost;
};

extern struct nvs_nic nvs_nics[NVS_MAX_NICS];
extern unsigned int nvs_nr_nics;

void nvs_slots_init(struct nvs_nic *n);
/* Drain n's ring (bounded); returns completions and frames handled. */
unsigned int nvs_drain(struct nvs_nic *n);
void nvs_on_event(void *arg);
/*
 * Send an NVSP request of len bytes asking for a completion and wait for it
 * (vmbus_poll, NVS_SYNC_TIMEOUT_NS); the reply lands in n->sync_reply.
 */
int nvs_sync(struct nvs_nic *n, const void *msg, uint32_t len);
/*
 * Send an RNDIS control message through a send section and wait for the
 * completion with its request id; n->ctrl_rx / ctrl_buf hold the reply.
 */
int nvs_rndis_request(struct nvs_nic *n, const void *msg, uint32_t len, uint32_t req_id);
void nvs_fail(struct nvs_nic *n, const char *why);

int nvs_tx(void *ctx, unsigned int idx, struct plat_net_tx_req *req);
int nvs_set_rx(void *ctx, unsigned int idx, plat_net_rx_fn fn, void *opaque);
unsigned int nvs_poll(void *ctx);

#endif
