/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One VMBus channel ring (vmbus-ring.c): pure index arithmetic and copies
 * over a header page and a data area, no hypercalls, so the unit tests and
 * the fuzzer drive it against a simulated host. The client is the producer
 * of its send ring and the consumer of its receive ring; the host owns the
 * other index of each, and every value read from it is checked before use.
 *
 * The client keeps its own index privately (priv) and only ever stores it
 * to the shared header: a host that scribbles on the client's index cannot
 * move the client. A ring that breaks a rule is marked broken for good and
 * every later call returns -XEN_EIO.
 */
#ifndef VMBUS_RING_H
#define VMBUS_RING_H

#include "vmbus-wire.h"

struct vmbus_ring {
    struct vmbus_ring_hdr *hdr;     /* shared header page */
    uint8_t *data;                  /* shared data area, size bytes */
    uint32_t size;
    uint32_t priv;                  /* client's index: write (send) or read (recv) */
    uint32_t cur_len;               /* recv: validated length of the peeked packet + trailer, 0 if none */
    uint32_t cur_off;               /* recv: validated payload offset of that packet */
    bool broken;
};

struct vmbus_iov {
    const void *base;
    uint32_t len;
};

/*
 * Set up a ring over bytes of zeroed memory at base (header page included;
 * a multiple of PAGE_SIZE, at least two pages). Advertises pending_send_sz
 * support. 0 or -XEN_EINVAL.
 */
int vmbus_ring_init(struct vmbus_ring *r, void *base, uint32_t bytes);

/* Room the producer has, from two valid indices (always leaves 8 bytes free). */
uint32_t vmbus_ring_room(uint32_t read, uint32_t write, uint32_t size);
/* Bytes the consumer may read, from two valid indices. */
uint32_t vmbus_ring_used(uint32_t read, uint32_t write, uint32_t size);

/*
 * Send ring: write one packet made of the iovs (padded with zeros to 8
 * bytes, then the trailer) and publish it. *signal says whether the host
 * must be told (the ring was empty before this write and the host has not
 * masked its interrupt). 0, -XEN_EAGAIN (no room now), -XEN_EINVAL (the
 * packet can never fit), -XEN_EIO (broken ring).
 */
int vmbus_ring_write(struct vmbus_ring *r, const struct vmbus_iov *iov,
                     unsigned int nr_iov, bool *signal);

/*
 * Receive ring: validate the next packet and copy its descriptor to *d.
 * 0, -XEN_EAGAIN (empty), -XEN_EIO (the host broke the ring: bad write
 * index, a packet past the data written or the ring, offset8 beyond len8).
 * On 0, d->offset8 and d->len8 are the validated values.
 */
int vmbus_ring_peek(struct vmbus_ring *r, struct vmbus_pkt_desc *d);
/* Copy len bytes at offset off of the peeked packet (off + len within it). */
int vmbus_ring_read(struct vmbus_ring *r, uint32_t off, void *dst, uint32_t len);
/*
 * Drop the peeked packet and publish the read index. Returns whether the
 * host must be signalled: it waits for pending_send_sz bytes of room and
 * this read is what gave it that room.
 */
bool vmbus_ring_consume(struct vmbus_ring *r);

/* Receive ring: ask the host not to signal (while the client drains). */
void vmbus_ring_mask(struct vmbus_ring *r);
/* Allow signals again; true if data arrived meanwhile (read it now: no signal will come). */
bool vmbus_ring_unmask(struct vmbus_ring *r);
/* Receive ring holds a packet (or is broken, which the next peek reports). */
bool vmbus_ring_pending(const struct vmbus_ring *r);

#endif
