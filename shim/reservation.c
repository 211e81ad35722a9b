// SPDX-License-Identifier: GPL-2.0-only
/*
 * The balloon pool (include/shim/reservation.h). A frame may leave the
 * guest only when nothing references it: no mapping (every mapping holds a
 * general reference in the frame table), no type use, no pin. Frames coming
 * back are zeroed first so nothing leaks between the guest's old and new
 * uses of them (Xen scrubs too).
 */
#include <arch/paging.h>
#include <arch/smp.h>
#include <shim/frame.h>
#include <shim/lib.h>
#include <shim/memory.h>
#include <shim/reservation.h>

static mfn_t *pool;             /* stack of released frames */
static uint64_t pool_count, pool_cap;

/*
 * A frame entered the pool since every CPU last flushed its TLB. A
 * released frame may still be reachable through a writable translation
 * the guest never flushed (L1 changes are the guest's to flush). It comes
 * back with type NONE, and NONE -> page table asks for no flush, so that
 * translation would reach a validated page table. Xen's allocator flushes
 * before it reuses a freed page (its TLB clock); the pool flushes once
 * before handing out any frame released since the last such flush.
 */
static bool pool_may_be_cached;

void reservation_init(struct domain *d)
{
    pool_cap = d->nr_pages;
    pool = alloc_pages_virt(ALIGN_UP(pool_cap * sizeof(mfn_t), PAGE_SIZE) >> PAGE_SHIFT);
    pool_count = 0;
    d->tot_pages = d->nr_pages;
}

int reservation_release(struct domain *d, mfn_t mfn)
{
    const struct frame_info *f = frame_get(mfn);

    if (!f || f->owner != FRAME_OWNER_GUEST || !guest_mfn_valid(d, mfn))
        return -XEN_EINVAL;
    if (f->ref_count || f->type_count || pool_count == pool_cap)
        return -XEN_EINVAL;
    frame_set_owner(mfn, 1, FRAME_OWNER_SHIM);
    m2p_set(mfn, ~0ULL);
    pool[pool_count++] = mfn;
    pool_may_be_cached = true;
    d->tot_pages--;
    return 0;
}

mfn_t reservation_take(struct domain *d)
{
    mfn_t mfn;

    if (!pool_count)
        return 0;
    if (pool_may_be_cached) {
        smp_flush_tlb_all();
        pool_may_be_cached = false;
    }
    mfn = pool[--pool_count];
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    frame_set_owner(mfn, 1, FRAME_OWNER_GUEST);
    d->tot_pages++;
    return mfn;
}
