// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory of the xenstore server: a buddy allocator over a fixed 1 MiB arena
 * (the shim has no heap), and the byte FIFOs that queue messages.
 *
 * Blocks are 16 << order bytes, order 0..16. meta[] has one byte per 16-byte
 * granule, meaningful only at block heads: the order, plus XS_AM_FREE for a
 * free block; every other granule holds XS_AM_BODY, so a stale "free" mark
 * can never be mistaken for a buddy. Free blocks of one order are on a
 * doubly-linked list whose links live in the first 8 bytes of the block.
 */
#include <shim/log.h>
#include "xs-internal.h"

#define XS_AM_FREE  0x80
#define XS_AM_BODY  0x40

struct xs_free_link {
    uint32_t next, prev;
};

static struct xs_free_link *link_at(struct xs_arena *a, uint32_t off)
{
    return (struct xs_free_link *)(void *)(a->mem + off);
}

static void list_add(struct xs_arena *a, uint32_t off, unsigned order)
{
    struct xs_free_link *l = link_at(a, off);

    l->prev = XS_NIL;
    l->next = a->free_head[order];
    if (l->next != XS_NIL)
        link_at(a, l->next)->prev = off;
    a->free_head[order] = off;
    a->meta[off >> XS_GRAIN_SHIFT] = (uint8_t)(order | XS_AM_FREE);
}

static void list_del(struct xs_arena *a, uint32_t off, unsigned order)
{
    struct xs_free_link *l = link_at(a, off);

    if (l->prev != XS_NIL)
        link_at(a, l->prev)->next = l->next;
    else
        a->free_head[order] = l->next;
    if (l->next != XS_NIL)
        link_at(a, l->next)->prev = l->prev;
}

void xs_arena_init(struct xs_arena *a)
{
    memset(a->meta, XS_AM_BODY, sizeof(a->meta));
    for (unsigned o = 0; o < XS_ORDERS; o++)
        a->free_head[o] = XS_NIL;
    a->used = 0;
    list_add(a, 0, XS_ORDERS - 1);
}

static unsigned order_for(size_t len)
{
    unsigned order = 0;

    while (((size_t)1 << (order + XS_GRAIN_SHIFT)) < len)
        order++;
    return order;
}

uint32_t xs_alloc(struct xs_server *s, size_t len)
{
    struct xs_arena *a = &s->arena;
    unsigned order, o;
    uint32_t off;

    if (len == 0 || len > XS_ARENA_SIZE)
        return XS_NIL;
    order = order_for(len);
    /* The guest may not eat into the backends' reserve. */
    if (s->caller != 0 &&
        a->used + ((uint32_t)1 << (order + XS_GRAIN_SHIFT)) >
        XS_ARENA_SIZE - XS_ARENA_RESERVE)
        return XS_NIL;
    for (o = order; o < XS_ORDERS && a->free_head[o] == XS_NIL; o++)
        ;
    if (o == XS_ORDERS)
        return XS_NIL;
    off = a->free_head[o];
    list_del(a, off, o);
    /* Split down, handing the upper halves back. */
    while (o > order) {
        o--;
        list_add(a, off + ((uint32_t)1 << (o + XS_GRAIN_SHIFT)), o);
    }
    a->meta[off >> XS_GRAIN_SHIFT] = (uint8_t)order;
    a->used += (uint32_t)1 << (order + XS_GRAIN_SHIFT);
    return off;
}

size_t xs_alloc_size(const struct xs_server *s, uint32_t off)
{
    return (size_t)1 << ((s->arena.meta[off >> XS_GRAIN_SHIFT] & 0x1f) +
                         XS_GRAIN_SHIFT);
}

void xs_free(struct xs_server *s, uint32_t off)
{
    struct xs_arena *a = &s->arena;
    unsigned order;

    if (off == XS_NIL)
        return;
    order = a->meta[off >> XS_GRAIN_SHIFT];
    ASSERT(off < XS_ARENA_SIZE && !(order & (XS_AM_FREE | XS_AM_BODY)));
    a->used -= (uint32_t)1 << (order + XS_GRAIN_SHIFT);
    while (order < XS_ORDERS - 1) {
        uint32_t buddy = off ^ ((uint32_t)1 << (order + XS_GRAIN_SHIFT));

        if (a->meta[buddy >> XS_GRAIN_SHIFT] != (order | XS_AM_FREE))
            break;
        list_del(a, buddy, order);
        /* The higher of the two stops being a block head. */
        a->meta[MAX(off, buddy) >> XS_GRAIN_SHIFT] = XS_AM_BODY;
        off = MIN(off, buddy);
        order++;
    }
    list_add(a, off, order);
}

uint32_t xs_strdup(struct xs_server *s, const char *str, size_t len)
{
    uint32_t off = xs_alloc(s, len + 1);

    if (off != XS_NIL) {
        memcpy(xs_ptr(s, off), str, len);
        xs_ptr(s, off)[len] = '\0';
    }
    return off;
}

/* ---- byte FIFOs ------------------------------------------------------------ */

void xs_fifo_init(struct xs_fifo *f, uint8_t *buf, uint32_t size)
{
    f->buf = buf;
    f->size = size;
    f->head = f->tail = 0;
}

/* Caller checked xs_fifo_room(). */
void xs_fifo_put(struct xs_fifo *f, const void *src, uint32_t len)
{
    uint32_t at = f->tail & (f->size - 1);
    uint32_t first = MIN(len, f->size - at);

    memcpy(f->buf + at, src, first);
    memcpy(f->buf, (const uint8_t *)src + first, len - first);
    f->tail += len;
}

/* Copy len bytes starting off bytes after the head; caller checked used. */
void xs_fifo_peek(const struct xs_fifo *f, uint32_t off, void *dst, uint32_t len)
{
    uint32_t at = (f->head + off) & (f->size - 1);
    uint32_t first = MIN(len, f->size - at);

    memcpy(dst, f->buf + at, first);
    memcpy((uint8_t *)dst + first, f->buf, len - first);
}
