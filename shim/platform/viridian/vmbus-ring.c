// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMBus channel ring buffers: packet framing, wraparound copies, the
 * signalling rules of both directions and validation of everything the host
 * writes. Layout and rules as the VMBus protocol defines them (Linux's
 * drivers/hv/ring_buffer.c is the reference client).
 *
 * Design: a packet is a 16-byte descriptor, its payload padded to 8 bytes,
 * then a 64-bit trailer holding the packet's start offset in its upper half.
 * Indices are byte offsets in [0, size), multiples of 8. The producer never
 * fills the ring completely (read == write means empty), so it needs
 * strictly more room than the packet takes. The host's index is read once
 * per operation into a local, checked, and only the local is used.
 *
 * Barriers: x86 keeps loads and stores in order, so the acquire/release
 * fences only stop the compiler; the store of an index followed by a load
 * of the other side's flags needs a real fence (vmbus_mb).
 */
#include "vmbus-ring.h"
#include <shim/lib.h>
#include <xen/errno.h>

/* Packet bytes are visible before the index that publishes them. */
#define vmbus_wmb()     __atomic_thread_fence(__ATOMIC_RELEASE)
/* Packet bytes are read only after the index that covers them. */
#define vmbus_rmb()     __atomic_thread_fence(__ATOMIC_ACQUIRE)
/* An index store is visible before the other side's flags are loaded. */
#define vmbus_mb()      __atomic_thread_fence(__ATOMIC_SEQ_CST)

int vmbus_ring_init(struct vmbus_ring *r, void *base, uint32_t bytes)
{
    if (!base || bytes < 2 * PAGE_SIZE || !IS_ALIGNED(bytes, PAGE_SIZE))
        return -XEN_EINVAL;
    r->hdr = base;
    r->data = (uint8_t *)base + VMBUS_RING_DATA_OFFSET;
    r->size = bytes - VMBUS_RING_DATA_OFFSET;
    r->priv = 0;
    r->cur_len = 0;
    r->cur_off = 0;
    r->broken = false;
    WRITE_ONCE(r->hdr->write_index, 0);
    WRITE_ONCE(r->hdr->read_index, 0);
    WRITE_ONCE(r->hdr->interrupt_mask, 0);
    WRITE_ONCE(r->hdr->pending_send_sz, 0);
    /* The client signals the host when a read frees its pending_send_sz. */
    WRITE_ONCE(r->hdr->feature_bits, VMBUS_RING_FEAT_PENDING_SEND_SZ);
    return 0;
}

uint32_t vmbus_ring_room(uint32_t read, uint32_t write, uint32_t size)
{
    return write >= read ? size - (write - read) : read - write;
}

uint32_t vmbus_ring_used(uint32_t read, uint32_t write, uint32_t size)
{
    return write >= read ? write - read : size - (read - write);
}

/* A host-written index: inside the data area and 8-byte aligned. */
static bool index_ok(const struct vmbus_ring *r, uint32_t idx)
{
    return idx < r->size && IS_ALIGNED(idx, 8);
}

static int broken(struct vmbus_ring *r)
{
    r->broken = true;
    r->cur_len = 0;
    return -XEN_EIO;
}

/* Copy len (<= size) bytes into the ring at pos (< size), wrapping at the end. */
static void copy_to_ring(struct vmbus_ring *r, uint32_t pos, const void *src, uint32_t len)
{
    uint32_t first = MIN(len, r->size - pos);

    memcpy(r->data + pos, src, first);
    memcpy(r->data, (const uint8_t *)src + first, len - first);
}

static void copy_from_ring(const struct vmbus_ring *r, uint32_t pos, void *dst, uint32_t len)
{
    uint32_t first = MIN(len, r->size - pos);

    memcpy(dst, r->data + pos, first);
    memcpy((uint8_t *)dst + first, r->data, len - first);
}

static uint32_t advance(const struct vmbus_ring *r, uint32_t pos, uint32_t n)
{
    /* n < size and pos < size: one subtraction wraps. */
    pos += n;
    return pos >= r->size ? pos - r->size : pos;
}

int vmbus_ring_write(struct vmbus_ring *r, const struct vmbus_iov *iov,
                     unsigned int nr_iov, bool *signal)
{
    static const uint8_t zeros[8];
    uint64_t len = 0, trailer;
    uint32_t read, old_write, pos, padded, total;

    *signal = false;
    if (r->broken)
        return -XEN_EIO;
    for (unsigned int i = 0; i < nr_iov; i++)
        len += iov[i].len;
    if (len > VMBUS_PKT_MAX_BYTES || len + VMBUS_PKT_TRAILER_BYTES >= r->size)
        return -XEN_EINVAL;
    padded = (uint32_t)ALIGN_UP(len, 8);
    total = padded + VMBUS_PKT_TRAILER_BYTES;
    if (total >= r->size)
        return -XEN_EINVAL;

    read = READ_ONCE(r->hdr->read_index);
    if (!index_ok(r, read))
        return broken(r);
    old_write = r->priv;
    /* Strictly more room than the packet: a full ring would look empty. */
    if (vmbus_ring_room(read, old_write, r->size) <= total)
        return -XEN_EAGAIN;
    /* The room check read the host's index before any packet byte is written. */
    vmbus_rmb();

    pos = old_write;
    for (unsigned int i = 0; i < nr_iov; i++) {
        if (!iov[i].len)
            continue;
        copy_to_ring(r, pos, iov[i].base, iov[i].len);
        pos = advance(r, pos, iov[i].len);
    }
    if (padded != len) {
        copy_to_ring(r, pos, zeros, padded - (uint32_t)len);
        pos = advance(r, pos, padded - (uint32_t)len);
    }
    trailer = (uint64_t)old_write << 32;
    copy_to_ring(r, pos, &trailer, sizeof(trailer));
    pos = advance(r, pos, sizeof(trailer));

    /* The packet is complete in memory before the index publishes it. */
    vmbus_wmb();
    r->priv = pos;
    WRITE_ONCE(r->hdr->write_index, pos);

    /* The new write index is visible before the host's mask is read. */
    vmbus_mb();
    if (READ_ONCE(r->hdr->interrupt_mask))
        return 0;
    /* The mask is read before the read index (both host-written). */
    vmbus_rmb();
    /* Signal only the empty -> non-empty transition: the host was idle. */
    *signal = READ_ONCE(r->hdr->read_index) == old_write;
    return 0;
}

int vmbus_ring_peek(struct vmbus_ring *r, struct vmbus_pkt_desc *d)
{
    uint32_t write, avail, len, off;

    if (r->broken)
        return -XEN_EIO;
    write = READ_ONCE(r->hdr->write_index);
    if (!index_ok(r, write))
        return broken(r);
    avail = vmbus_ring_used(r->priv, write, r->size);
    if (!avail) {
        r->cur_len = 0;
        return -XEN_EAGAIN;
    }
    /* The packet is read only after the write index that covers it. */
    vmbus_rmb();
    if (avail < sizeof(*d) + VMBUS_PKT_TRAILER_BYTES)
        return broken(r);
    copy_from_ring(r, r->priv, d, sizeof(*d));
    len = (uint32_t)d->len8 * 8;
    off = (uint32_t)d->offset8 * 8;
    if (len < sizeof(*d) || off < sizeof(*d) || off > len ||
        len + VMBUS_PKT_TRAILER_BYTES > avail)
        return broken(r);
    r->cur_len = len + VMBUS_PKT_TRAILER_BYTES;
    r->cur_off = off;
    return 0;
}

int vmbus_ring_read(struct vmbus_ring *r, uint32_t off, void *dst, uint32_t len)
{
    if (r->broken)
        return -XEN_EIO;
    if (!r->cur_len || off > r->cur_len - VMBUS_PKT_TRAILER_BYTES ||
        len > r->cur_len - VMBUS_PKT_TRAILER_BYTES - off)
        return -XEN_EINVAL;
    if (len)
        copy_from_ring(r, advance(r, r->priv, off), dst, len);
    return 0;
}

bool vmbus_ring_consume(struct vmbus_ring *r)
{
    uint32_t pending, write, room, freed;

    if (r->broken || !r->cur_len)
        return false;
    r->priv = advance(r, r->priv, r->cur_len);
    freed = r->cur_len;
    r->cur_len = 0;
    /* Every read of the packet is done before the host may overwrite it. */
    vmbus_wmb();
    WRITE_ONCE(r->hdr->read_index, r->priv);

    /* Hosts before Win8 poll a full ring and expect no signal. */
    if (!(READ_ONCE(r->hdr->feature_bits) & VMBUS_RING_FEAT_PENDING_SEND_SZ))
        return false;
    /* The read index is visible before pending_send_sz is read. */
    vmbus_mb();
    pending = READ_ONCE(r->hdr->pending_send_sz);
    if (!pending)
        return false;
    /* pending_send_sz is read before the host's write index. */
    vmbus_rmb();
    write = READ_ONCE(r->hdr->write_index);
    if (!index_ok(r, write))
        return false;           /* the next peek declares the ring broken */
    room = vmbus_ring_room(r->priv, write, r->size);
    /*
     * Signal the transition from "not enough room" to "enough": the host had
     * room - freed before this read, and exactly pending bytes of room still
     * count as blocked (it needs strictly more than its packet).
     */
    if (room >= freed && room - freed > pending)
        return false;
    return room > pending;
}

void vmbus_ring_mask(struct vmbus_ring *r)
{
    WRITE_ONCE(r->hdr->interrupt_mask, 1);
    /* The mask is visible before the ring is read again. */
    vmbus_mb();
}

bool vmbus_ring_unmask(struct vmbus_ring *r)
{
    WRITE_ONCE(r->hdr->interrupt_mask, 0);
    /* The unmask is visible before the write index is re-read. */
    vmbus_mb();
    return vmbus_ring_pending(r);
}

bool vmbus_ring_pending(const struct vmbus_ring *r)
{
    uint32_t write = READ_ONCE(r->hdr->write_index);

    return r->broken || !index_ok(r, write) || write != r->priv;
}
