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
};

/* Connect and collect the offers. 0, -XEN_ENODEV (no Hyper-V or no VMBus), -XEN_ETIMEDOUT. */
int vmbus_init(void);
/* The version the host accepted (major << 16 | minor); 0 before vmbus_init. */
uint32_t vmbus_version(void);

/* The nth offer (0-based) of device class type; NULL if there is none. */
struct vmbus_channel *vmbus_find(const struct vmbus_guid *type, unsigned int nth);
/* The offer's instance GUID and its MMIO/user-defined bytes, for providers. */
const struct vmbus_guid *vmbus_instance(const struct vmbus_channel *ch);

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
/* Queue a GPA-direct packet: data plus the page ranges it describes. */
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
 * Describe nr_pages machine-contiguous frames from base to the host as a
 * GPADL (netvsc's send and receive buffers). 0 and *handle, or an error.
 */
int vmbus_gpadl_create(struct vmbus_channel *ch, paddr_t base, uint32_t nr_pages,
                       uint32_t *handle);
int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle);

/* Run every open channel's callback that has something waiting. */
void vmbus_poll(void);

#endif
