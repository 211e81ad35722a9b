// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, backend side: how the in-shim backends (acting as domain 0)
 * take, use and give back pages the guest granted them.
 *
 * Design note. This is Xen's acquire_grant_for_copy / release_grant_for_copy
 * (xen/common/grant_table.c, 4.17) without transitive grants:
 *  - v1: one cmpxchg on the 32-bit {flags, domid} word checks type and
 *    domid and sets GTF_reading[|GTF_writing] atomically; at most 5 tries,
 *    since the guest can change the word faster than we retry (_set_status_v1).
 *  - v2: set the bits in the status word, full barrier, re-read the header
 *    and back out if the grant changed meanwhile (_set_status_v2).
 *  - Only then is the frame (and v2 sub-page window) read, once, and
 *    checked: a guest RAM frame, held with a general reference so it cannot
 *    be ballooned away, and for write with a writable type reference so it
 *    cannot be (or become) a page table while the backend writes to it.
 *  - Every acquire re-checks the header, even of an entry already pinned
 *    (Xen skips the check then): a revoked grant is refused at once.
 *  - Each mapping keeps its own frame and references; the per-entry pin
 *    counts only decide when GTF_reading/GTF_writing are cleared.
 * All checks come before any state the caller could observe changes; on
 * failure the flags are put back to what the remaining pins need
 * (Xen's reduce_status_for_pin).
 */
#include <shim/grant.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/mm.h>
#include "gnttab-priv.h"

#define SET_STATUS_TRIES 5

/* Is hdr a live access grant to the backend, writable if write? */
static bool hdr_ok(uint32_t hdr, bool write)
{
    uint16_t flags = GNTTAB_HDR_FLAGS(hdr);

    return (flags & GTF_type_mask) == GTF_permit_access &&
           GNTTAB_HDR_DOMID(hdr) == GNTTAB_BACKEND_DOMID &&
           !(write && (flags & GTF_readonly));
}

static uint16_t *status_word(const struct grant_table *gt, grant_ref_t ref)
{
    /* v1 keeps the status bits in the entry's flags (first u16). */
    return gt->version == 1 ? (uint16_t *)gnttab_entry(gt, ref) : gnttab_status(gt, ref);
}

/* Clear the status bits the pins of ref no longer need. */
static void reduce_status(const struct grant_table *gt, grant_ref_t ref, bool write)
{
    const struct gnttab_pin *p = &gt->pins[ref];
    uint16_t clear = 0;

    if (!p->readers && !p->writers)
        clear |= GTF_reading;
    if (write && !p->writers)
        clear |= GTF_writing;
    /*
     * Atomic: other guest vCPUs write the same word. Sequentially consistent,
     * so the backend's accesses to the page are ordered before the guest can
     * see the grant as free and reuse the page.
     */
    if (clear)
        __atomic_fetch_and(status_word(gt, ref), (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

static int set_status_v1(const struct grant_table *gt, grant_ref_t ref, bool write)
{
    uint32_t *word = (uint32_t *)gnttab_entry(gt, ref);
    uint32_t old = __atomic_load_n(word, __ATOMIC_RELAXED);
    uint32_t set = GTF_reading | (write ? GTF_writing : 0);

    for (unsigned int tries = 0; tries < SET_STATUS_TRIES; tries++) {
        if (!hdr_ok(old, write))
            return GNTST_general_error;
        /*
         * Seq-cst, a full barrier: the frame is read after the flags are set,
         * so it is the one the guest published before its flags (Linux: wmb
         * between them). On failure 'old' is what the guest wrote meanwhile.
         */
        if (__atomic_compare_exchange_n(word, &old, old | set, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return GNTST_okay;
    }
    return GNTST_general_error;     /* "Shared grant entry is unstable" */
}

static int set_status_v2(const struct grant_table *gt, grant_ref_t ref, bool write,
                         uint32_t *hdr_out)
{
    const uint8_t *e = gnttab_entry(gt, ref);
    uint32_t hdr = gnttab_read_hdr(e);

    if (!hdr_ok(hdr, write))
        return GNTST_general_error;
    /* Seq-cst RMW: the guest sees the status bits before we re-read the header. */
    __atomic_fetch_or(gnttab_status(gt, ref),
                      (uint16_t)(GTF_reading | (write ? GTF_writing : 0)), __ATOMIC_SEQ_CST);
    hdr = gnttab_read_hdr(e);
    if (!hdr_ok(hdr, write)) {
        reduce_status(gt, ref, write);  /* "Unstable flags": undo what pins don't need */
        return GNTST_general_error;
    }
    *hdr_out = hdr;
    return GNTST_okay;
}

/*
 * Read the frame (and v2 window) once, after the status bits are set, and
 * check it. 0 or a GNTST_* code; *out is filled on success.
 */
static int read_frame(const struct grant_table *gt, grant_ref_t ref, uint32_t hdr,
                      struct gnt_mapping *out)
{
    const uint8_t *e = gnttab_entry(gt, ref);
    uint64_t frame;

    out->offset = 0;
    out->len = PAGE_SIZE;
    if (gt->version == 1) {
        frame = READ_ONCE(((const struct grant_entry_v1 *)e)->frame);
    } else {
        const union grant_entry_v2 *e2 = (const union grant_entry_v2 *)e;

        frame = READ_ONCE(e2->full_page.frame);
        if (GNTTAB_HDR_FLAGS(hdr) & GTF_sub_page) {
            uint32_t win = READ_ONCE(*(const uint32_t *)&e2->sub_page.page_off);
            unsigned int off = (uint16_t)win, len = win >> 16;

            /* Xen leaves this to each copy; one check here covers every user. */
            if (off > PAGE_SIZE || len > PAGE_SIZE - off)
                return GNTST_general_error;
            out->offset = (uint16_t)off;
            out->len = (uint16_t)len;
        }
    }
    /* Xen's get_paged_frame: not the granting domain's page -> GNTST_bad_page. */
    if (!guest_mfn_valid(gt->domain, frame) || frame_get(frame) == NULL ||
        frame_get(frame)->owner != FRAME_OWNER_GUEST)
        return GNTST_bad_page;
    out->mfn = frame;
    return GNTST_okay;
}

int gnttab_acquire(struct domain *d, grant_ref_t ref, bool write, struct gnt_mapping *out)
{
    struct grant_table *gt = gnttab_of(d);
    unsigned int nr = gnttab_entries(gt);
    struct gnt_mapping m = { .ref = ref, .write = write };
    struct gnttab_pin *p;
    uint32_t hdr = 0;
    int rc;

    if (ref >= nr)
        return GNTST_bad_gntref;
    ref = gnttab_ref_nospec(ref, nr);
    p = &gt->pins[ref];
    /* "risk of counter overflow" */
    if ((write ? p->writers : p->readers) & GNTTAB_PIN_OVERFLOW)
        return GNTST_general_error;

    if (gt->version == 1)
        rc = set_status_v1(gt, ref, write);     /* v1 has no sub-page: hdr unused */
    else
        rc = set_status_v2(gt, ref, write, &hdr);
    if (rc != GNTST_okay)
        return rc;      /* nothing set (v1) or already backed out (v2) */

    rc = read_frame(gt, ref, hdr, &m);
    if (rc == GNTST_okay && mm_get_page(m.mfn))
        rc = GNTST_bad_page;
    if (rc == GNTST_okay && write && mm_get_page_type(m.mfn, FRAME_TYPE_WRITABLE)) {
        mm_put_page(m.mfn);
        rc = GNTST_general_error;       /* "Could not get writable frame" */
    }
    if (rc != GNTST_okay) {
        reduce_status(gt, ref, write);
        return rc;
    }

    if (!p->readers && !p->writers && ref >= GNTTAB_NR_RESERVED_ENTRIES)
        gt->nr_pinned++;
    if (write)
        p->writers++;
    else
        p->readers++;
    m.page = mfn_to_virt(m.mfn);
    *out = m;
    return GNTST_okay;
}

void gnttab_release(struct domain *d, struct gnt_mapping *m)
{
    struct grant_table *gt = gnttab_of(d);
    struct gnttab_pin *p;

    /* Pins keep refs >= 8 in range: set_version refuses to run under them. */
    ASSERT(m->page && m->ref < gnttab_entries(gt));
    p = &gt->pins[m->ref];
    ASSERT(m->write ? p->writers > 0 : p->readers > 0);

    if (m->write) {
        p->writers--;
        mm_put_page_type(m->mfn);
    } else {
        p->readers--;
    }
    mm_put_page(m->mfn);
    if (!p->readers && !p->writers && m->ref >= GNTTAB_NR_RESERVED_ENTRIES)
        gt->nr_pinned--;
    reduce_status(gt, m->ref, m->write);
    m->page = NULL;
}

/* Xen's gnttab_copy_buf bounds checks against the page and the window. */
static int window_check(const struct gnt_mapping *m, unsigned int offset, size_t len)
{
    if (offset > PAGE_SIZE || len > PAGE_SIZE - offset)
        return GNTST_bad_copy_arg;
    if (offset < m->offset || offset + len > (size_t)m->offset + m->len)
        return GNTST_general_error;
    return GNTST_okay;
}

int gnttab_copy_to(struct domain *d, grant_ref_t ref, unsigned int offset,
                   const void *src, size_t len)
{
    struct gnt_mapping m;
    int rc = gnttab_acquire(d, ref, true, &m);

    if (rc != GNTST_okay)
        return rc;
    rc = window_check(&m, offset, len);
    if (rc == GNTST_okay)
        memcpy(m.page + offset, src, len);
    gnttab_release(d, &m);
    return rc;
}

int gnttab_copy_from(struct domain *d, grant_ref_t ref, unsigned int offset,
                     void *dst, size_t len)
{
    struct gnt_mapping m;
    int rc = gnttab_acquire(d, ref, false, &m);

    if (rc == GNTST_okay) {
        rc = window_check(&m, offset, len);
        if (rc == GNTST_okay)
            memcpy(dst, m.page + offset, len);
        gnttab_release(d, &m);
    }
    /* Like copy_from_guest: callers never act on stale bytes. */
    if (rc != GNTST_okay)
        memset(dst, 0, len);
    return rc;
}
