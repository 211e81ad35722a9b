/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables: the guest side (GNTTABOP_* through grant_table_op, see
 * hypercalls/grant-table.c) and the access API of the in-shim backends.
 *
 * The shim's backends (console, blkback, netback) play domain 0: a guest
 * frontend grants its pages to domid 0 (the backend-id in xenstore), and a
 * backend reaches a granted page through gnttab_acquire()/gnttab_release()
 * or the copy helpers below, never through a guest address. The semantics
 * are those of Xen 4.17 (xen/common/grant_table.c), with the backend in the
 * role of the mapping/copying domain (acquire_grant_for_copy).
 *
 * Memory: everything is reserved at build time by gnttab_domain_init():
 * GNTTAB_MAX_FRAMES shared frames, the v2 status frames and the per-entry
 * pin counts (shim memory, never guest-visible). Shared frames are handed
 * to the guest (made FRAME_OWNER_SHARED) as setup_table grows the table.
 *
 * Context: hypercall and backend-service context on the guest's CPU
 * (one vCPU). The grant entries themselves are guest memory that other
 * guest vCPUs may write at any time, so they are read once and updated with
 * atomic operations only; the pin counts are shim memory touched only from
 * that one CPU (SMP would need a per-entry lock, as Xen's active entries).
 */
#ifndef SHIM_GRANT_H
#define SHIM_GRANT_H

#include <shim/domain.h>
#include <xen-public/xen.h>

/* Xen 4.17's default limit (opt_max_grant_frames = 64) and first size. */
#define GNTTAB_MAX_FRAMES        64u
#define GNTTAB_INITIAL_FRAMES    1u
/* The domid the shim's backends act as (the guest grants to it). */
#define GNTTAB_BACKEND_DOMID     0

#define GNTTAB_V1_PER_FRAME      (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_V2_PER_FRAME      (PAGE_SIZE / sizeof(union grant_entry_v2))
#define GNTTAB_MAX_ENTRIES       (GNTTAB_MAX_FRAMES * GNTTAB_V1_PER_FRAME)
/* Xen's grant_to_status_frames(): one u16 per v2 entry. */
#define GNTTAB_STATUS_FRAMES(nr_frames) \
    (((nr_frames) * GNTTAB_V2_PER_FRAME * sizeof(grant_status_t) + PAGE_SIZE - 1) / PAGE_SIZE)
#define GNTTAB_MAX_STATUS_FRAMES GNTTAB_STATUS_FRAMES(GNTTAB_MAX_FRAMES)

/* ---- domain lifetime ------------------------------------------------------ */

/*
 * Called once by the domain builder, after d->console_mfn and d->store_mfn
 * are set. Reserves the whole pool with alloc_frames (panics if the shim is
 * out of memory, as any builder allocation), makes the first frame the
 * guest's (Xen creates tables with INITIAL_NR_GRANT_FRAMES = 1), version 1,
 * and seeds entries GNTTAB_RESERVED_CONSOLE and GNTTAB_RESERVED_XENSTORE
 * as permit_access to domid 0 for the console and xenstore pages, as
 * libxenguest's xc_dom_gnttab_seed does (contract 1.4).
 * Calling it again resets the table (host unit tests do).
 */
void gnttab_domain_init(struct domain *d);

/* Current version (1 or 2), frames and entries of d's table. */
unsigned int gnttab_version(const struct domain *d);
unsigned int gnttab_nr_frames(const struct domain *d);
unsigned int gnttab_nr_entries(const struct domain *d);

/* ---- guest operations (copied-in structs; hypercalls/grant-table.c) ------ */

/*
 * Each works on an argument struct already copied in and sets the OUT
 * fields; the hypercall layer copies them back out. Per-op failures are
 * GNTST_* in op->status (the hypercall still returns 0, as Xen);
 * set_version/get_version return 0 or -XEN_E* like Xen.
 *
 * setup_table: grows the table to op->nr_frames (never shrinks; 0 is fine)
 * and writes the MFNs of the first op->nr_frames frames into frames[].
 * get_status_frames: v2 only (nr_status_frames is 0 under v1), writes the
 * MFNs of the first op->nr_frames status frames into frames[].
 */
void gnttab_op_setup_table(struct domain *d, struct gnttab_setup_table *op,
                           xen_pfn_t frames[GNTTAB_MAX_FRAMES]);
void gnttab_op_query_size(struct domain *d, struct gnttab_query_size *op);
long gnttab_op_set_version(struct domain *d, struct gnttab_set_version *op);
long gnttab_op_get_version(struct domain *d, struct gnttab_get_version *op);
void gnttab_op_get_status_frames(struct domain *d, struct gnttab_get_status_frames *op,
                                 uint64_t frames[GNTTAB_MAX_STATUS_FRAMES]);

/* ---- backend access -------------------------------------------------------- */

/*
 * A granted page held by a backend. Filled by gnttab_acquire; the backend
 * may touch only bytes [offset, offset + len) of page (offset + len <=
 * PAGE_SIZE), and only read them unless 'write'. Opaque otherwise.
 */
struct gnt_mapping {
    uint8_t *page;        /* shim pointer to the start of the granted frame */
    mfn_t mfn;
    grant_ref_t ref;
    uint16_t offset;      /* v2 sub_page: page_off; else 0 */
    uint16_t len;         /* v2 sub_page: length; else PAGE_SIZE */
    bool write;
};

/*
 * Take access to grant 'ref' of d for the backend (domid 0), as Xen's
 * acquire_grant_for_copy: the entry's {flags, domid} are read and updated
 * with one bounded cmpxchg loop (v1; v2 sets the status word and re-reads
 * the entry), then the frame is read once and checked. While held, the
 * guest sees GTF_reading (and GTF_writing for write) and cannot revoke the
 * grant with Linux's cmpxchg; the frame stays the guest's (general
 * reference) and, for write, cannot become a page table (writable type
 * reference). Several holders may pin one entry; the flags clear when the
 * last holder (of that kind) releases.
 *
 * Returns GNTST_okay and fills *out, or (out untouched):
 *  GNTST_bad_gntref      ref >= gnttab_nr_entries(d)
 *  GNTST_general_error   not GTF_permit_access to domid 0 (transitive and
 *                        transfer entries included), write to a GTF_readonly
 *                        grant, entry changing under us (5 cmpxchg tries),
 *                        v2 sub-page beyond the page, pin count overflow
 *                        (128 of a kind), frame in use as a page table
 *                        (write)
 *  GNTST_bad_page        the frame is not a guest RAM frame
 * Lifetime: until gnttab_release(d, out); release before the domain dies.
 * A write acquire may change the frame's type (an old page table becoming
 * writable), which raises mm_take_tlb_flush_request(): the path that runs
 * backends must honour it (flush) before the guest runs again, as
 * hypercalls/mmu.c does after mmu_update.
 */
int gnttab_acquire(struct domain *d, grant_ref_t ref, bool write, struct gnt_mapping *out);

/* Drop what gnttab_acquire took; m must be the filled mapping, used once. */
void gnttab_release(struct domain *d, struct gnt_mapping *m);

/*
 * Copy into / out of grant 'ref' at byte 'offset' of the granted frame
 * (acquire, bounds-check, copy, release). Returns GNTST_okay, an error of
 * gnttab_acquire, GNTST_bad_copy_arg if [offset, offset + len) leaves the
 * page, or GNTST_general_error if it leaves the granted sub-page window
 * (the checks of Xen's gnttab_copy_buf). gnttab_copy_from zero-fills dst
 * on failure, as copy_from_guest does.
 */
int gnttab_copy_to(struct domain *d, grant_ref_t ref, unsigned int offset,
                   const void *src, size_t len);
int gnttab_copy_from(struct domain *d, grant_ref_t ref, unsigned int offset,
                     void *dst, size_t len);

#endif
