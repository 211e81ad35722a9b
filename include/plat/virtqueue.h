/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueue, driver side (virtio 1.1, section 2.6): descriptor free
 * list, chains, avail/used index arithmetic. Pure logic over memory the
 * caller provides, so host unit tests drive it against a simulated device.
 *
 * The device is not trusted: the driver never reads back the descriptor
 * table (chain links live in private shadow arrays), and every used-ring
 * entry is checked (index advance, id, length) before it is believed.
 *
 * Concurrency: one owner at a time (the shim runs the queue with interrupts
 * off, or from its interrupt handler, never both at once; see plat/block.h).
 */
#ifndef PLAT_VIRTQUEUE_H
#define PLAT_VIRTQUEUE_H

#include <shim/types.h>

#define VIRTQ_MAX_SIZE      256     /* queues larger than this are capped */

#define VIRTQ_DESC_F_NEXT   1
#define VIRTQ_DESC_F_WRITE  2       /* device writes this buffer */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1

/* Shared with the device, little-endian (x86 is). */
struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];                /* size entries, then used_event */
};
struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};
struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];  /* size entries, then avail_event */
};

/* Alignments of the three areas (virtio 1.1, 2.6 table). */
#define VIRTQ_DESC_ALIGN    16
#define VIRTQ_AVAIL_ALIGN   2
#define VIRTQ_USED_ALIGN    4

static inline size_t virtq_desc_bytes(unsigned int size) { return 16u * size; }
static inline size_t virtq_avail_bytes(unsigned int size) { return 6u + 2u * size; }
static inline size_t virtq_used_bytes(unsigned int size) { return 6u + 8u * size; }

/* One buffer of a chain: a device address and a length. */
struct virtq_buf {
    uint64_t addr;
    uint32_t len;
};

/* Driver-private state of one chain, indexed by its head descriptor. */
struct virtq_chain {
    void *token;                    /* NULL: not in flight */
    uint32_t writable;              /* bytes the device may write */
    uint16_t ndesc;
};

struct virtq {
    uint16_t size;                  /* power of two, <= VIRTQ_MAX_SIZE */
    uint16_t num_free;
    uint16_t free_head;
    uint16_t avail_idx;             /* next avail slot; published to avail->idx */
    uint16_t last_used;             /* next used slot to consume */
    uint16_t in_flight;             /* chains given to the device, not returned */
    bool broken;                    /* the device broke the protocol */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint16_t next[VIRTQ_MAX_SIZE];  /* private chain/free-list links */
    struct virtq_chain chain[VIRTQ_MAX_SIZE];
};

/*
 * Set up vq over zeroed ring memory (desc, avail, used as the device will
 * see them). size must be a power of two from 1 to VIRTQ_MAX_SIZE.
 * Returns 0 or -XEN_EINVAL.
 */
int virtq_init(struct virtq *vq, unsigned int size, struct virtq_desc *desc,
               struct virtq_avail *avail, struct virtq_used *used);

/*
 * Build a chain of n_out device-readable buffers followed by n_in
 * device-writable ones and put it in the avail ring (not yet visible to the
 * device: see virtq_publish). token (non-NULL) comes back from virtq_get.
 * Returns the head descriptor index, -XEN_EBUSY when fewer than
 * n_out + n_in descriptors are free, -XEN_EINVAL for an empty chain, a NULL
 * token or a broken queue.
 */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n_out,
              unsigned int n_in, void *token);

/*
 * Make the chains added so far visible to the device. Returns true when the
 * device wants a notification (it has not set VIRTQ_USED_F_NO_NOTIFY).
 */
bool virtq_publish(struct virtq *vq);

/*
 * Take one completed chain off the used ring.
 * Returns 1 with *token and *len (bytes written by the device) set;
 *         0 when the device has returned nothing more;
 *         -XEN_EIO for an entry that cannot be trusted: an id that is out of
 *           range or not in flight, or an index that ran ahead of what is in
 *           flight. The queue is then marked broken and returns -XEN_EIO
 *           from now on; chains still in flight are never completed;
 *         -XEN_EMSGSIZE with *token set for a chain whose used length exceeds
 *           what it offered for writing: the chain is freed, its data must
 *           be treated as failed.
 */
int virtq_get(struct virtq *vq, void **token, uint32_t *len);

/* Whether the used ring has entries not yet taken with virtq_get. */
bool virtq_has_used(const struct virtq *vq);

/* Ask the device to (not) interrupt on completions; a hint without EVENT_IDX. */
void virtq_set_interrupts(struct virtq *vq, bool on);

#endif
