// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op: the guest's view of its memory (xen/common/memory.c and
 * xen/arch/x86/mm.c arch_memory_op). The domain's RAM is one block of
 * nr_pages frames, so the memory map is a single RAM entry, and the M2P is
 * the shim's read-only table in slot 256.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include <shim/reservation.h>

#define E820_RAM 1

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __packed;

static bool self_domid(domid_t dom)
{
    return dom == DOMID_SELF || dom == current->domain->domid;
}

static long memory_map(guest_va_t arg)
{
    struct xen_memory_map map;
    struct e820_entry ram = {
        .addr = 0, .size = current->domain->nr_pages << PAGE_SHIFT, .type = E820_RAM,
    };

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    if (map.nr_entries < 1)
        return -XEN_EINVAL;
    if (copy_to_guest(guest_handle(map.buffer), &ram, sizeof(ram)))
        return -XEN_EFAULT;
    map.nr_entries = 1;
    return copy_to_guest(arg, &map, sizeof(map));
}

static long machphys_mfn_list(guest_va_t arg)
{
    struct xen_machphys_mfn_list l;
    const size_t chunk = 2UL << 20;     /* the M2P is mapped in 2 MiB pages */
    size_t chunks = ALIGN_UP(m2p_nr_entries * sizeof(uint64_t), chunk) / chunk;
    unsigned int i;

    if (copy_from_guest(&l, arg, sizeof(l)))
        return -XEN_EFAULT;
    for (i = 0; i < chunks && i < l.max_extents; i++) {
        xen_pfn_t mfn = (virt_to_phys(m2p_table) + i * chunk) >> PAGE_SHIFT;

        if (copy_to_guest(guest_handle(l.extent_start) + i * sizeof(mfn), &mfn, sizeof(mfn)))
            return -XEN_EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest(arg, &l, sizeof(l));
}

/*
 * decrease_reservation, populate_physmap, increase_reservation. Only
 * order-0 extents (what Linux's balloon uses). Returns the number of
 * extents done; the guest compares it with what it asked for.
 */
static long reservation_op(unsigned int cmd, guest_va_t arg)
{
    struct domain *d = current->domain;
    struct xen_memory_reservation r;
    guest_va_t list;
    xen_ulong_t i;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (!self_domid(r.domid))
        return -XEN_ESRCH;
    if (r.extent_order != 0)
        return 0;
    list = guest_handle(r.extent_start);
    for (i = 0; i < r.nr_extents; i++) {
        xen_pfn_t in = 0, mfn;

        if (cmd != XENMEM_increase_reservation && get_guest(in, list + i * sizeof(in)))
            return i ? (long)i : -XEN_EFAULT;
        if (cmd == XENMEM_decrease_reservation) {
            if (reservation_release(d, in))
                break;
            continue;
        }
        /* PV: populate takes a PFN and returns the MFN in its place. */
        if (cmd == XENMEM_populate_physmap && in >= d->nr_pages)
            break;
        mfn = reservation_take(d);
        if (!mfn)
            break;
        if (cmd == XENMEM_populate_physmap)
            m2p_set(mfn, in);
        if (list && put_guest(mfn, list + i * sizeof(mfn)))
            return i ? (long)i : -XEN_EFAULT;
    }
    return (long)i;
}

long do_memory_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    unsigned int cmd = a[0] & XEN_MEMOP_CMD_MASK;
    guest_va_t arg = a[1];

    switch (cmd) {
    case XENMEM_maximum_reservation:
    case XENMEM_current_reservation: {
        domid_t dom;

        if (get_guest(dom, arg))
            return -XEN_EFAULT;
        if (!self_domid(dom))
            return -XEN_ESRCH;
        return (long)(cmd == XENMEM_maximum_reservation ? current->domain->nr_pages :
                      current->domain->tot_pages);
    }
    case XENMEM_decrease_reservation:
    case XENMEM_increase_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(cmd, arg);
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = M2P_VIRT_START,
            .v_end = M2P_VIRT_START + m2p_nr_entries * sizeof(uint64_t),
            .max_mfn = m2p_nr_entries - 1,
        };

        return copy_to_guest(arg, &m, sizeof(m));
    }
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    default:
        return -XEN_ENOSYS;
    }
}
