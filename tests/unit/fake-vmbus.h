/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake VMBus (fake-vmbus.c) for the host unit tests of the Viridian
 * device providers: include/plat/vmbus.h over an in-memory model of the
 * host side. A test adds offers, installs a host model per channel that
 * sees every packet the guest sends and may queue replies, and inspects
 * what was sent. Replies are delivered only by vmbus_poll (or the
 * provider's own drain), never from inside a send, as on the real bus.
 * "Machine addresses" are host pointers (vdev_dma_alloc, vdev_map).
 */
#ifndef FAKE_VMBUS_H
#define FAKE_VMBUS_H

#include <plat/vmbus.h>

#define FAKE_MAX_PKT        8192
#define FAKE_MAX_RANGES     8
#define FAKE_MAX_PFNS       256
#define FAKE_SENT_LOG       128
#define FAKE_RX_QUEUE       512
#define FAKE_MAX_HDR        1024

/* One packet the guest sent. */
struct fake_sent {
    uint16_t type;                      /* VMBUS_PKT_DATA_INBAND / GPA_DIRECT / COMPLETION */
    uint64_t trans_id;
    bool want_completion;
    uint32_t len;
    uint8_t data[FAKE_MAX_PKT];
    unsigned int nr_ranges;
    struct {
        uint32_t len, offset, nr_pfns;
        uint64_t pfns[FAKE_MAX_PFNS];
    } ranges[FAKE_MAX_RANGES];
};

struct fake_channel;
typedef void (*fake_host_fn)(struct fake_channel *fc, const struct fake_sent *pkt);

struct fake_rx {
    uint16_t type;
    uint64_t trans_id;
    uint32_t len, hdr_len;
    uint8_t hdr[FAKE_MAX_HDR];          /* between descriptor and payload */
    uint8_t data[FAKE_MAX_PKT];
};

struct fake_channel {
    struct vmbus_guid type, instance;
    bool open;
    uint32_t send_bytes, recv_bytes;
    void (*on_event)(void *arg);
    void *arg;
    fake_host_fn host;                  /* the host's side of the protocol */
    void *host_ctx;
    int open_rc;                        /* what vmbus_open returns */
    int send_rc;                        /* next sends fail with this when non-zero */
    bool corrupt;                       /* dead: every call reports -XEN_EIO */
    unsigned int closes;
    /* Everything sent, in order (the last FAKE_SENT_LOG). */
    struct fake_sent *sent;
    unsigned int nr_sent;
    /* Packets queued for the guest. */
    struct fake_rx *rxq;
    unsigned int rx_head, rx_tail;
    /* GPADLs the guest created. */
    unsigned int nr_gpadls;
    paddr_t gpadl_base[4];
    uint32_t gpadl_pages[4], gpadl_handle[4];
};

/* Forget every channel and allocation; then add offers. */
void fake_vmbus_reset(void);
struct fake_channel *fake_vmbus_add(const struct vmbus_guid *type, fake_host_fn host,
                                    void *host_ctx);
/* Queue a packet for the guest (the host's reply or an unsolicited one). */
void fake_vmbus_push(struct fake_channel *fc, uint16_t type, uint64_t trans_id,
                     const void *data, uint32_t len);
/* The same with hdr_len header bytes (a transfer-page packet's ranges). */
void fake_vmbus_push_hdr(struct fake_channel *fc, uint16_t type, uint64_t trans_id,
                         const void *hdr, uint32_t hdr_len, const void *data, uint32_t len);
/* The n-th packet the guest sent on fc, counting from the oldest kept. */
const struct fake_sent *fake_vmbus_sent(const struct fake_channel *fc, unsigned int n);
/* Host pointer of a guest frame number (the fake's machine addresses). */
void *fake_pfn_ptr(uint64_t pfn);
/* Calls of vdev_now_ns so far; each call advances the clock 1 ms. */
extern uint64_t fake_now_ns;

#endif
