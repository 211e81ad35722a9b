// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split virtqueue, driver side (virtio 1.1, section 2.6). Pure: no device
 * access other than the three ring areas, so tests/unit/test-virtqueue.c runs
 * it against a simulated device.
 *
 * Design: descriptors are handed out from a free list whose links live in
 * vq->next[] (driver memory), so a chain is a run of that list and freeing a
 * chain never reads the shared descriptor table. Indices are free-running
 * uint16_t and wrap at 65536 as the spec's ring arithmetic expects; slots are
 * index & (size - 1).
 *
 * Barriers: x86 keeps stores in order and loads in order, so release/acquire
 * fences compile to nothing but stop the compiler from reordering; only the
 * store->load order after publishing needs a real fence.
 */
#include <plat/virtqueue.h>
#include <xen/errno.h>

/* Descriptor and avail-ring stores become visible before the avail index. */
#define virtq_wmb()     __atomic_thread_fence(__ATOMIC_RELEASE)
/* Used-ring entries are read only after the used index that covers them. */
#define virtq_rmb()     __atomic_thread_fence(__ATOMIC_ACQUIRE)
/* The avail index store is visible before used->flags is read (store->load). */
#define virtq_mb()      __atomic_thread_fence(__ATOMIC_SEQ_CST)

int virtq_init(struct virtq *vq, unsigned int size, struct virtq_desc *desc,
               struct virtq_avail *avail, struct virtq_used *used)
{
    if (!size || size > VIRTQ_MAX_SIZE || (size & (size - 1)))
        return -XEN_EINVAL;
    vq->size = size;
    vq->num_free = size;
    vq->free_head = 0;
    vq->avail_idx = 0;
    vq->last_used = 0;
    vq->in_flight = 0;
    vq->broken = false;
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
    for (unsigned int i = 0; i < size; i++) {
        vq->next[i] = (uint16_t)((i + 1) & (size - 1));
        vq->chain[i] = (struct virtq_chain){ 0 };
    }
    WRITE_ONCE(avail->flags, 0);
    WRITE_ONCE(avail->idx, 0);
    return 0;
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n_out,
              unsigned int n_in, void *token)
{
    unsigned int n = n_out + n_in;
    uint64_t writable = 0;
    uint16_t head, i, last = 0;

    if (!n || n < n_out || !token || vq->broken)
        return -XEN_EINVAL;
    if (n > vq->num_free)
        return -XEN_EBUSY;
    for (unsigned int k = n_out; k < n; k++)
        writable += bufs[k].len;
    if (writable > UINT32_MAX)
        return -XEN_EINVAL;

    head = i = vq->free_head;
    for (unsigned int k = 0; k < n; k++) {
        struct virtq_desc *d = &vq->desc[i];

        d->addr = bufs[k].addr;
        d->len = bufs[k].len;
        d->flags = (uint16_t)((k >= n_out ? VIRTQ_DESC_F_WRITE : 0) |
                              (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
        d->next = k + 1 < n ? vq->next[i] : 0;
        last = i;
        i = vq->next[i];
    }
    vq->free_head = vq->next[last];
    vq->num_free -= n;
    vq->chain[head] = (struct virtq_chain){
        .token = token, .writable = (uint32_t)writable, .ndesc = (uint16_t)n,
    };
    vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
    vq->avail_idx++;
    vq->in_flight++;
    return head;
}

bool virtq_publish(struct virtq *vq)
{
    virtq_wmb();        /* descriptors and ring slots before the index */
    WRITE_ONCE(vq->avail->idx, vq->avail_idx);
    virtq_mb();         /* index visible before reading the device's flags */
    return !(READ_ONCE(vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY);
}

/* Return the chain at head to the free list (links from vq->next only). */
static void free_chain(struct virtq *vq, uint16_t head)
{
    uint16_t last = head;

    for (unsigned int k = 1; k < vq->chain[head].ndesc; k++)
        last = vq->next[last];
    vq->next[last] = vq->free_head;
    vq->free_head = head;
    vq->num_free += vq->chain[head].ndesc;
    vq->chain[head] = (struct virtq_chain){ 0 };
    vq->in_flight--;
}

int virtq_get(struct virtq *vq, void **token, uint32_t *len)
{
    uint16_t used_idx, pending;
    uint32_t id, ulen, writable;

    if (vq->broken)
        return -XEN_EIO;
    used_idx = READ_ONCE(vq->used->idx);
    if (used_idx == vq->last_used)
        return 0;
    /* More new entries than chains in flight: the index is garbage. */
    pending = (uint16_t)(used_idx - vq->last_used);
    if (pending > vq->in_flight)
        goto broken;
    virtq_rmb();        /* the entry is read after the index covering it */
    {
        const volatile struct virtq_used_elem *e =
            &vq->used->ring[vq->last_used & (vq->size - 1)];

        id = e->id;     /* each field read exactly once */
        ulen = e->len;
    }
    vq->last_used++;
    if (id >= vq->size || !vq->chain[id].token)
        goto broken;
    *token = vq->chain[id].token;
    writable = vq->chain[id].writable;
    free_chain(vq, (uint16_t)id);
    *len = ulen;
    return ulen > writable ? -XEN_EMSGSIZE : 1;

broken:
    vq->broken = true;
    return -XEN_EIO;
}

bool virtq_has_used(const struct virtq *vq)
{
    return READ_ONCE(vq->used->idx) != vq->last_used;
}

void virtq_set_interrupts(struct virtq *vq, bool on)
{
    WRITE_ONCE(vq->avail->flags, on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT);
}
