/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMBus client (shim/platform/viridian/vmbus-*.c): the channel protocol of
 * Hyper-V's synthetic devices, on top of plat/hyperv.h. Facts come from the
 * VMBus protocol as Linux's drivers/hv uses it; the code is our own.
 *
 * vmbus_init() connects (version negotiation, newest first), requests the
 * offers and waits for them all. A device provider (storvsc, netvsc) then
 * finds its offer by class GUID, opens the channel with ring buffers the
 * VMBus client allocates (described to the host by a GPADL) and exchanges
 * packets. Every index, length and offset read from a ring or a host
 * message is validated: the host side is not trusted to keep the rings
 * consistent with what the client wrote.
 *
 * Context: boot CPU, interrupts off. The channel callback runs from the
 * SynIC interrupt (or vmbus_poll) and must not block; it may send.
 * vmbus_open, vmbus_close and the GPADL calls wait for the host's answer
 * (bounded): one at a time, never from a callback (they return -XEN_EBUSY
 * from a callback or while another is waiting).
 * A channel is dead once the host rescinded it or broke one of its rings:
 * every call on it then returns -XEN_EIO, and its callback runs once more so
 * the provider notices.
 *
 * Refinements since the first version of this contract (all additive; the
 * names and semantics above and below are unchanged):
 *  - vmbus_init() is idempotent: a second call returns the first result, so
 *    both the platform hook and a device provider may call it.
 *  - vmbus_find() returns primary channels only (sub_channel_index 0).
 *  - VMBUS_PKT_DATA_XFER_PAGES, vmbus_pkt_info.hdr_len and vmbus_recv_hdr():
 *    netvsc's receive packets carry their transfer-page ranges between the
 *    packet descriptor and the payload; vmbus_recv() skips them.
 *  - vmbus_send_completion(): netvsc answers a transfer-page packet with a
 *    VMBUS_PKT_COMPLETION carrying that packet's trans_id.
 *  - vmbus_user_defined() and vmbus_mmio_megabytes(): the rest of the offer.
 *  - vmbus_send_gpa() always asks for a completion (the protocol's GPA-direct
 *    packets are requests; storvsc answers each one).
 */
#ifndef PLAT_VMBUS_H
#define PLAT_VMBUS_H

#include <shim/types.h>

struct vmbus_guid {
    uint8_t b[16];          /* wire order, as in the offer message */
};

struct vmbus_channel;

/* Packet types of the channel rings (VMBUS_PACKET_*). */
#define VMBUS_PKT_DATA_INBAND       0x6
#define VMBUS_PKT_DATA_XFER_PAGES   0x7
#define VMBUS_PKT_DATA_GPA_DIRECT   0x9
#define VMBUS_PKT_COMPLETION        0xb

/* One page-list range of a GPA-direct packet: byte window over whole frames. */
struct vmbus_gpa_range {
    uint32_t len;           /* bytes */
    uint32_t offset;        /* into the first frame */
    uint32_t nr_pfns;
    const uint64_t *pfns;   /* machine frame numbers */
};

/* What vmbus_recv found: the type and transaction id of the packet. */
struct vmbus_pkt_info {
    uint16_t type;          /* VMBUS_PKT_* */
    uint64_t trans_id;
    uint32_t len;           /* payload bytes copied to the caller's buffer */
    uint32_t hdr_len;       /* bytes between the 16-byte descriptor and the
                               payload (offset8 * 8 - 16): for
                               VMBUS_PKT_DATA_XFER_PAGES the transfer-page
                               set id, range count and ranges */
};

/* Connect and collect the offers. 0, -XEN_ENODEV (no Hyper-V or no VMBus), -XEN_ETIMEDOUT. */
int vmbus_init(void);
/* The version the host accepted (major << 16 | minor); 0 before vmbus_init. */
uint32_t vmbus_version(void);

/* The nth offer (0-based) of device class type; NULL if there is none. */
struct vmbus_channel *vmbus_find(const struct vmbus_guid *type, unsigned int nth);
/* The offer's instance GUID and its MMIO/user-defined bytes, for providers. */
const struct vmbus_guid *vmbus_instance(const struct vmbus_channel *ch);
#define VMBUS_USER_DEFINED_BYTES 120
/* The offer's VMBUS_USER_DEFINED_BYTES user-defined bytes (wire order). */
const uint8_t *vmbus_user_defined(const struct vmbus_channel *ch);
/* MMIO space the device asks for, in MiB (the offer's mmio_megabytes). */
uint16_t vmbus_mmio_megabytes(const struct vmbus_channel *ch);

/*
 * Open ch with send and receive rings of the given sizes (bytes, multiples
 * of 4 KiB, header page included) and the callback for incoming packets.
 * 0, -XEN_ENOMEM, -XEN_EIO (the host refused), -XEN_ETIMEDOUT.
 */
int vmbus_open(struct vmbus_channel *ch, uint32_t send_bytes, uint32_t recv_bytes,
               void (*on_event)(void *arg), void *arg);
void vmbus_close(struct vmbus_channel *ch);

/*
 * Queue one inband packet (VMBUS_PKT_DATA_INBAND) of len bytes; with
 * want_completion the host answers with a VMBUS_PKT_COMPLETION carrying
 * trans_id. 0 or -XEN_EAGAIN when the send ring is full.
 */
int vmbus_send(struct vmbus_channel *ch, const void *data, uint32_t len,
               uint64_t trans_id, bool want_completion);
/*
 * Queue a GPA-direct packet: data plus the page ranges it describes; the
 * host always answers with a VMBUS_PKT_COMPLETION carrying trans_id.
 * 0, -XEN_EAGAIN (ring full), -XEN_EINVAL (a range whose offset/len do not
 * fit its frames, or a packet larger than the protocol's 512 KiB).
 */
int vmbus_send_gpa(struct vmbus_channel *ch, const struct vmbus_gpa_range *ranges,
                   unsigned int nr_ranges, const void *data, uint32_t len,
                   uint64_t trans_id);
/*
 * Take the next packet from ch's receive ring, payload into buf (its
 * header skipped). 0, -XEN_EAGAIN when empty, -XEN_EMSGSIZE (packet left in
 * place; info->len says how much room it needs), -XEN_EIO when the ring is
 * corrupt (the channel is then dead).
 */
int vmbus_recv(struct vmbus_channel *ch, void *buf, uint32_t buflen,
               struct vmbus_pkt_info *info);
/*
 * vmbus_recv that also copies the info->hdr_len header bytes (between the
 * descriptor and the payload) to hdr; -XEN_EMSGSIZE (packet left in place)
 * when they do not fit in hdr_cap.
 */
int vmbus_recv_hdr(struct vmbus_channel *ch, void *hdr, uint32_t hdr_cap,
                   void *buf, uint32_t buflen, struct vmbus_pkt_info *info);
/* Queue a VMBUS_PKT_COMPLETION of len bytes answering trans_id. 0 or -XEN_EAGAIN. */
int vmbus_send_completion(struct vmbus_channel *ch, const void *data, uint32_t len,
                          uint64_t trans_id);

/*
 * Describe nr_pages machine-contiguous frames from base to the host as a
 * GPADL (netvsc's send and receive buffers). 0 and *handle, or an error.
 */
int vmbus_gpadl_create(struct vmbus_channel *ch, paddr_t base, uint32_t nr_pages,
                       uint32_t *handle);
int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle);

/* Run every open channel's callback that has something waiting. */
void vmbus_poll(void);

#endif
