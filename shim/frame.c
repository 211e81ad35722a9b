// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frame table (one struct frame_info per machine frame) and general
 * reference counts. Ownership is fixed at boot by the memory split; the PV
 * MMU changes only types and counts.
 */
#include <shim/frame.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/mm.h>

/* Written at boot (frame_table_init), then read-only as a pointer. */
struct frame_info *frame_table;
mfn_t frame_table_nr;

void frame_table_init(struct frame_info *storage, mfn_t nr)
{
    memset(storage, 0, nr * sizeof(*storage));
    frame_table = storage;
    frame_table_nr = nr;
}

void frame_set_owner(mfn_t first, mfn_t count, unsigned int owner)
{
    ASSERT(owner <= FRAME_OWNER_SHARED);

    for (mfn_t mfn = first; mfn - first < count && mfn < frame_table_nr; mfn++) {
        struct frame_info *f = &frame_table[mfn];

        if (f->ref_count || f->type_count)
            panic("frame_set_owner: mfn %#llx still referenced (ref %u type %u)\n",
                  (unsigned long long)mfn, f->ref_count, f->type_count);
        f->owner = (uint8_t)owner;
        f->type = FRAME_TYPE_NONE;
        f->flags = 0;
    }
}

/*
 * Xen's get_page(page, d): the frame must belong to the guest. SHARED
 * frames are shim pages shared with the guest (share_xen_page_with_guest
 * makes the guest their owner on Xen), so they qualify too.
 */
int mm_get_page(mfn_t mfn)
{
    struct frame_info *f = frame_get(mfn);

    if (!f || (f->owner != FRAME_OWNER_GUEST && f->owner != FRAME_OWNER_SHARED))
        return -XEN_EINVAL;
    if (f->ref_count == UINT32_MAX)
        return -XEN_EINVAL;
    f->ref_count++;
    return 0;
}

void mm_put_page(mfn_t mfn)
{
    struct frame_info *f = frame_get(mfn);

    ASSERT(f && f->ref_count > 0);
    f->ref_count--;
}
