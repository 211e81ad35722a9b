// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, guest side: the table's frames and version, and the
 * GNTTABOP_* operations a domU uses on its own table (setup_table,
 * query_size, set_version, get_version, get_status_frames).
 *
 * Design: the pool is reserved at build time (the shim never frees memory),
 * so growing the table only hands out more of it: frames past nr_frames
 * stay FRAME_OWNER_SHIM and unmappable until setup_table makes them
 * FRAME_OWNER_SHARED. v2 status frames come and go with the version, as in
 * Xen (gnttab_populate_status_frames / gnttab_unpopulate_status_frames).
 * Behaviour and error codes follow Xen 4.17 xen/common/grant_table.c; the
 * function comments name the Xen function each one mirrors.
 */
#include <shim/grant.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include "gnttab-priv.h"

/* The one domain's table; see struct grant_table for the context rules. */
static struct grant_table the_gnttab;

struct grant_table *gnttab_of(const struct domain *d)
{
    if (!the_gnttab.domain || the_gnttab.domain != d)
        panic("grant table: domain %u has no table\n", d ? d->domid : 0xffffu);
    return &the_gnttab;
}

unsigned int gnttab_version(const struct domain *d)
{
    return gnttab_of(d)->version;
}

unsigned int gnttab_nr_frames(const struct domain *d)
{
    return gnttab_of(d)->nr_frames;
}

unsigned int gnttab_nr_entries(const struct domain *d)
{
    return gnttab_entries(gnttab_of(d));
}

static void seed_v1(struct grant_table *gt, grant_ref_t ref, mfn_t mfn)
{
    struct grant_entry_v1 *e = (struct grant_entry_v1 *)gnttab_entry(gt, ref);

    /* libxenguest's xc_dom_gnttab_seed: v1 permit_access to the backend. */
    e->domid = GNTTAB_BACKEND_DOMID;
    e->frame = (uint32_t)mfn;
    e->flags = GTF_permit_access;
}

void gnttab_domain_init(struct domain *d)
{
    struct grant_table *gt = &the_gnttab;
    size_t pin_frames = ALIGN_UP(GNTTAB_MAX_ENTRIES * sizeof(struct gnttab_pin),
                                 PAGE_SIZE) >> PAGE_SHIFT;

    memset(gt, 0, sizeof(*gt));
    gt->shared_base = alloc_frames(GNTTAB_MAX_FRAMES, 1) >> PAGE_SHIFT;
    gt->status_base = alloc_frames(GNTTAB_MAX_STATUS_FRAMES, 1) >> PAGE_SHIFT;
    gt->pins = alloc_pages_virt(pin_frames);
    /* Shim memory until handed out; frame_set_owner panics on a referenced frame. */
    frame_set_owner(gt->shared_base, GNTTAB_MAX_FRAMES, FRAME_OWNER_SHIM);
    frame_set_owner(gt->status_base, GNTTAB_MAX_STATUS_FRAMES, FRAME_OWNER_SHIM);

    gt->domain = d;
    gt->version = 1;
    gt->nr_frames = GNTTAB_INITIAL_FRAMES;
    frame_set_owner(gt->shared_base, GNTTAB_INITIAL_FRAMES, FRAME_OWNER_SHARED);

    /* v1 frames are 32 bits; the builder's guest block is far below 16 TiB. */
    if (d->console_mfn >> 32 || d->store_mfn >> 32)
        panic("grant table: console/xenstore mfn beyond 32 bits\n");
    seed_v1(gt, GNTTAB_RESERVED_CONSOLE, d->console_mfn);
    seed_v1(gt, GNTTAB_RESERVED_XENSTORE, d->store_mfn);
}

/*
 * Which domain 'dom' names, for a domU caller (rcu_lock_domain_by_any_id,
 * then the XSM_TARGET check): itself, domain 0 (exists, not ours:
 * permission denied) or nothing.
 */
static int dom_check(const struct domain *d, domid_t dom)
{
    if (dom == DOMID_SELF || dom == d->domid)
        return GNTST_okay;
    if (dom == GNTTAB_BACKEND_DOMID)
        return GNTST_permission_denied;
    return GNTST_bad_domain;
}

/* Xen's gnttab_populate_status_frames: status frames for nr grant frames. */
static void populate_status(struct grant_table *gt, unsigned int nr)
{
    unsigned int want = GNTTAB_STATUS_FRAMES(nr);

    if (want <= gt->nr_status_frames)
        return;
    /* Frames given back by a switch to v1 may hold old status bits. */
    for (unsigned int i = gt->nr_status_frames; i < want; i++)
        memset(mfn_to_virt(gt->status_base + i), 0, PAGE_SIZE);
    frame_set_owner(gt->status_base + gt->nr_status_frames,
                    want - gt->nr_status_frames, FRAME_OWNER_SHARED);
    gt->nr_status_frames = want;
}

/*
 * Xen's gnttab_unpopulate_status_frames: take the status frames back.
 * -XEN_EBUSY if the guest still maps one (any reference or type use).
 */
static long unpopulate_status(struct grant_table *gt)
{
    for (unsigned int i = 0; i < gt->nr_status_frames; i++) {
        const struct frame_info *f = frame_get(gt->status_base + i);

        if (f->ref_count || f->type_count)
            return -XEN_EBUSY;
    }
    frame_set_owner(gt->status_base, gt->nr_status_frames, FRAME_OWNER_SHIM);
    gt->nr_status_frames = 0;
    return 0;
}

/* Xen's gnttab_grow_table (only ever called with nr <= GNTTAB_MAX_FRAMES). */
static void grow(struct grant_table *gt, unsigned int nr)
{
    if (nr > gt->nr_frames) {
        /* Never handed out, so still zero from alloc_frames. */
        frame_set_owner(gt->shared_base + gt->nr_frames, nr - gt->nr_frames,
                        FRAME_OWNER_SHARED);
        gt->nr_frames = nr;
    }
    if (gt->version == 2)
        populate_status(gt, gt->nr_frames);
}

/* Xen's gnttab_setup_table, after the count and frame_list checks. */
void gnttab_op_setup_table(struct domain *d, struct gnttab_setup_table *op,
                           xen_pfn_t frames[GNTTAB_MAX_FRAMES])
{
    struct grant_table *gt = gnttab_of(d);

    op->status = (int16_t)dom_check(d, op->dom);
    if (op->status != GNTST_okay)
        return;
    if (op->nr_frames > GNTTAB_MAX_FRAMES) {
        /* "d%d is limited to %u grant-table frames" */
        op->status = GNTST_general_error;
        return;
    }
    grow(gt, op->nr_frames);
    for (unsigned int i = 0; i < op->nr_frames; i++)
        frames[i] = gt->shared_base + i;
}

/* Xen's gnttab_query_size. */
void gnttab_op_query_size(struct domain *d, struct gnttab_query_size *op)
{
    const struct grant_table *gt = gnttab_of(d);

    op->status = (int16_t)dom_check(d, op->dom);
    if (op->status != GNTST_okay)
        return;
    op->nr_frames = gt->nr_frames;
    op->max_nr_frames = GNTTAB_MAX_FRAMES;
}

/* Xen's gnttab_get_version: -ESRCH for no such domain, -EPERM from XSM. */
long gnttab_op_get_version(struct domain *d, struct gnttab_get_version *op)
{
    int rc = dom_check(d, op->dom);

    if (rc == GNTST_bad_domain)
        return -XEN_ESRCH;
    if (rc != GNTST_okay)
        return -XEN_EPERM;
    op->version = gnttab_of(d)->version;
    return 0;
}

/* Xen's gnttab_get_status_frames, after the count and frame_list checks. */
void gnttab_op_get_status_frames(struct domain *d, struct gnttab_get_status_frames *op,
                                 uint64_t frames[GNTTAB_MAX_STATUS_FRAMES])
{
    const struct grant_table *gt = gnttab_of(d);

    op->status = (int16_t)dom_check(d, op->dom);
    if (op->status != GNTST_okay)
        return;
    if (op->nr_frames > gt->nr_status_frames) {
        op->status = GNTST_general_error;
        return;
    }
    for (unsigned int i = 0; i < op->nr_frames; i++)
        frames[i] = gt->status_base + i;
}

/*
 * The reserved entries (toolstack grants) survive a version change, in
 * v1 form with the v2 status bits folded into flags (Xen keeps
 * GTF_reading/GTF_writing of entries a backend still holds).
 */
static void save_reserved(const struct grant_table *gt,
                          struct grant_entry_v1 saved[GNTTAB_NR_RESERVED_ENTRIES])
{
    for (grant_ref_t i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        const uint8_t *e = gnttab_entry(gt, i);
        uint32_t hdr = gnttab_read_hdr(e);

        if (gt->version == 1) {
            saved[i].flags = GNTTAB_HDR_FLAGS(hdr);
            saved[i].domid = GNTTAB_HDR_DOMID(hdr);
            saved[i].frame = READ_ONCE(((const struct grant_entry_v1 *)e)->frame);
        } else if ((GNTTAB_HDR_FLAGS(hdr) & GTF_type_mask) == GTF_permit_access) {
            saved[i].flags = GNTTAB_HDR_FLAGS(hdr) | READ_ONCE(*gnttab_status(gt, i));
            saved[i].domid = GNTTAB_HDR_DOMID(hdr);
            saved[i].frame = (uint32_t)READ_ONCE(((const union grant_entry_v2 *)e)->full_page.frame);
        } else {
            memset(&saved[i], 0, sizeof(saved[i]));
        }
    }
}

static void restore_reserved(const struct grant_table *gt,
                             const struct grant_entry_v1 saved[GNTTAB_NR_RESERVED_ENTRIES])
{
    for (grant_ref_t i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        uint8_t *e = gnttab_entry(gt, i);

        if (gt->version == 1) {
            memcpy(e, &saved[i], sizeof(saved[i]));
        } else {
            union grant_entry_v2 *e2 = (union grant_entry_v2 *)e;

            *gnttab_status(gt, i) = saved[i].flags & (GTF_reading | GTF_writing);
            e2->hdr.flags = saved[i].flags & ~(GTF_reading | GTF_writing);
            e2->hdr.domid = saved[i].domid;
            e2->full_page.frame = saved[i].frame;
        }
    }
}

/* v2 -> v1 is refused when a reserved grant does not fit a v1 entry. */
static bool reserved_fit_v1(const struct grant_table *gt)
{
    for (grant_ref_t i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        const union grant_entry_v2 *e = (const union grant_entry_v2 *)gnttab_entry(gt, i);
        unsigned int type = GNTTAB_HDR_FLAGS(gnttab_read_hdr((const uint8_t *)e)) & GTF_type_mask;

        if (type == GTF_transitive ||
            (type == GTF_permit_access && READ_ONCE(e->full_page.frame) >> 32))
            return false;
    }
    return true;
}

/*
 * Xen's gnttab_set_version: 1 or 2 (-EINVAL), nothing to do for the
 * current version, -EBUSY while a backend holds a non-reserved grant,
 * -ERANGE when v2 reserved grants do not fit v1, -EBUSY when the guest
 * still maps a status frame. On success every non-reserved entry is
 * cleared. op->version is the version in force afterwards.
 */
long gnttab_op_set_version(struct domain *d, struct gnttab_set_version *op)
{
    struct grant_table *gt = gnttab_of(d);
    struct grant_entry_v1 saved[GNTTAB_NR_RESERVED_ENTRIES];
    long rc = 0;

    if (op->version != 1 && op->version != 2)
        rc = -XEN_EINVAL;
    else if (op->version == gt->version)
        rc = 0;
    else if (gt->nr_pinned)
        rc = -XEN_EBUSY;
    else if (gt->version == 2 && !reserved_fit_v1(gt))
        rc = -XEN_ERANGE;
    else {
        save_reserved(gt, saved);
        if (op->version == 1)
            rc = unpopulate_status(gt);
        else
            populate_status(gt, gt->nr_frames);
        if (!rc) {
            for (unsigned int i = 0; i < gt->nr_frames; i++)
                memset(mfn_to_virt(gt->shared_base + i), 0, PAGE_SIZE);
            gt->version = op->version;
            restore_reserved(gt, saved);
        }
    }
    op->version = gt->version;
    return rc;
}
