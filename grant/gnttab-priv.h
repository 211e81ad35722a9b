/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by grant/table.c (guest operations) and grant/access.c
 * (backend access). Not for use outside grant/.
 *
 * Entries are guest-shared memory: they are addressed as raw bytes and
 * touched only with the atomic/volatile accessors below, never through
 * struct lvalues the compiler could re-read.
 */
#ifndef GRANT_GNTTAB_PRIV_H
#define GRANT_GNTTAB_PRIV_H

#include <shim/frame.h>
#include <shim/grant.h>

/* Backend pins of one entry (shim memory; Xen's active_grant_entry.pin). */
struct gnttab_pin {
    uint8_t readers;    /* read-only holders */
    uint8_t writers;    /* read-write holders (imply GTF_reading too) */
};

/* Xen refuses a pin whose counter has its top bit set (GNTPIN_incr2oflow_mask). */
#define GNTTAB_PIN_OVERFLOW 0x80u

/*
 * The one domain's table. Context: see include/shim/grant.h. Fields are
 * written by gnttab_domain_init and the guest operations; pins and
 * nr_pinned also by the backend access paths.
 */
struct grant_table {
    struct domain *domain;          /* NULL until gnttab_domain_init */
    unsigned int version;           /* 1 or 2 */
    unsigned int nr_frames;         /* shared frames handed to the guest */
    unsigned int nr_status_frames;  /* v2 only, else 0 */
    mfn_t shared_base;              /* GNTTAB_MAX_FRAMES contiguous frames */
    mfn_t status_base;              /* GNTTAB_MAX_STATUS_FRAMES contiguous frames */
    struct gnttab_pin *pins;        /* GNTTAB_MAX_ENTRIES */
    unsigned int nr_pinned;         /* pinned entries >= GNTTAB_NR_RESERVED_ENTRIES */
};

/* The table of d (there is one domain); panics if d has none (shim bug). */
struct grant_table *gnttab_of(const struct domain *d);

static inline unsigned int gnttab_entry_size(unsigned int version)
{
    return version == 1 ? sizeof(struct grant_entry_v1) : sizeof(union grant_entry_v2);
}

static inline unsigned int gnttab_entries(const struct grant_table *gt)
{
    return gt->nr_frames * (PAGE_SIZE / gnttab_entry_size(gt->version));
}

/*
 * ref clamped to 0 when ref >= nr, without a branch the CPU could predict
 * past (Xen's array_index_nospec): bounds-checked refs stay in bounds even
 * speculatively. Callers have already refused ref >= nr.
 */
static inline grant_ref_t gnttab_ref_nospec(grant_ref_t ref, unsigned int nr)
{
    uint64_t mask = (uint64_t)((int64_t)((uint64_t)ref - nr) >> 63);

    return ref & (grant_ref_t)mask;
}

/* Start of entry ref (ref < gnttab_entries) in the current version. */
static inline uint8_t *gnttab_entry(const struct grant_table *gt, grant_ref_t ref)
{
    unsigned int size = gnttab_entry_size(gt->version);
    unsigned int per = PAGE_SIZE / size;

    return (uint8_t *)mfn_to_virt(gt->shared_base + ref / per) + (ref % per) * size;
}

/* v2 status word of entry ref (ref < gnttab_entries, version 2). */
static inline uint16_t *gnttab_status(const struct grant_table *gt, grant_ref_t ref)
{
    unsigned int per = PAGE_SIZE / sizeof(grant_status_t);

    return (uint16_t *)mfn_to_virt(gt->status_base + ref / per) + ref % per;
}

/* The {flags, domid} header as one 32-bit word (flags low, x86 little-endian). */
#define GNTTAB_HDR_FLAGS(w)  ((uint16_t)(w))
#define GNTTAB_HDR_DOMID(w)  ((domid_t)((w) >> 16))

static inline uint32_t gnttab_read_hdr(const uint8_t *e)
{
    return __atomic_load_n((const uint32_t *)e, __ATOMIC_RELAXED);
}

#endif
