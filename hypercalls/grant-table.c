// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant_table_op (hypercall 20): copy the argument in, run the grant/ logic
 * on the copy, copy the results out (Xen 4.17 do_grant_table_op).
 *
 * Supported: setup_table, query_size, set_version, get_version,
 * get_status_frames, i.e. everything a domU frontend does with its own
 * table. map/unmap/unmap_and_replace/transfer/copy/dump_table/swap/
 * cache_flush answer -ENOSYS: a domU here has no foreign domain to map,
 * copy or transfer from (the backends are inside the shim), and Linux's
 * frontends never issue them (contract 6). Xen's own PV shim answers
 * -EOPNOTSUPP to everything but setup_table and query_size.
 */
#include <shim/grant.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>

/* xen/common/grant_table.c: the low 12 bits are the command, the rest a
 * continuation argument only cache_flush may carry. */
#define GNTTABOP_CMD_MASK  ((1u << 12) - 1)

/* Xen's guest_handle_okay(h, nr) for an array of nr elements of size sz. */
static bool handle_okay(guest_va_t va, uint64_t nr, size_t sz)
{
    return guest_range_ok(va, nr * sz);     /* nr < 2^32: no overflow */
}

/* Write the status field only (Xen's __copy_field_to_guest). */
#define put_status(op, uop, type) \
    copy_to_guest((uop) + offsetof(type, status), &(op).status, sizeof((op).status))

static long setup_table(guest_va_t uop, unsigned int count)
{
    struct gnttab_setup_table op;
    xen_pfn_t frames[GNTTAB_MAX_FRAMES];
    guest_va_t list;
    bool frames_ok;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    list = guest_handle(op.frame_list);
    if (!handle_okay(list, op.nr_frames, sizeof(xen_pfn_t)))
        return -XEN_EFAULT;
    gnttab_op_setup_table(current->domain, &op, frames);
    frames_ok = op.status == GNTST_okay;
    /* A frame that cannot be written does not stop the others (Xen). */
    for (unsigned int i = 0; frames_ok && i < op.nr_frames; i++)
        if (copy_to_guest(list + i * sizeof(xen_pfn_t), &frames[i], sizeof(xen_pfn_t)))
            op.status = GNTST_bad_virt_addr;
    return put_status(op, uop, struct gnttab_setup_table) ? -XEN_EFAULT : 0;
}

static long query_size(guest_va_t uop, unsigned int count)
{
    struct gnttab_query_size op;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    gnttab_op_query_size(current->domain, &op);
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long set_version(guest_va_t uop)
{
    struct gnttab_set_version op;
    long rc;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_op_set_version(current->domain, &op);
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

static long get_version(guest_va_t uop)
{
    struct gnttab_get_version op;
    long rc;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_op_get_version(current->domain, &op);
    if (rc)
        return rc;
    return copy_to_guest(uop + offsetof(struct gnttab_get_version, version),
                         &op.version, sizeof(op.version)) ? -XEN_EFAULT : 0;
}

static long get_status_frames(guest_va_t uop, unsigned int count)
{
    struct gnttab_get_status_frames op;
    uint64_t frames[GNTTAB_MAX_STATUS_FRAMES];
    guest_va_t list;
    bool frames_ok;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    list = guest_handle(op.frame_list);
    if (!handle_okay(list, op.nr_frames, sizeof(uint64_t)))
        return -XEN_EFAULT;
    gnttab_op_get_status_frames(current->domain, &op, frames);
    frames_ok = op.status == GNTST_okay;
    for (unsigned int i = 0; frames_ok && i < op.nr_frames; i++)
        if (copy_to_guest(list + i * sizeof(uint64_t), &frames[i], sizeof(uint64_t)))
            op.status = GNTST_bad_virt_addr;
    return put_status(op, uop, struct gnttab_get_status_frames) ? -XEN_EFAULT : 0;
}

long do_grant_table_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    unsigned int cmd = (unsigned int)a[0], count = (unsigned int)a[2];
    guest_va_t uop = a[1];

    if ((int)count < 0)
        return -XEN_EINVAL;
    if ((cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
        return -XEN_EINVAL;

    switch (cmd & GNTTABOP_CMD_MASK) {
    case GNTTABOP_setup_table:
        return setup_table(uop, count);
    case GNTTABOP_query_size:
        return query_size(uop, count);
    case GNTTABOP_set_version:
        return set_version(uop);
    case GNTTABOP_get_version:
        return get_version(uop);
    case GNTTABOP_get_status_frames:
        return get_status_frames(uop, count);
    default:
        /* map, unmap, unmap_and_replace, transfer, copy, dump_table,
         * swap_grant_ref, cache_flush: see the top of this file. */
        return -XEN_ENOSYS;
    }
}
