// SPDX-License-Identifier: GPL-2.0-only
/*
 * multicall: run a batch of hypercalls, storing each result in its entry.
 * Partial completion: entries run in order; if an entry cannot be read or
 * its result cannot be written back, the batch stops there with -EFAULT and
 * the earlier entries stay done (as on Xen). A nested multicall is refused
 * per entry with -EINVAL (do_multicall's re-entry check). An iret entry is
 * executed and ends the batch: the multicall returns the iret's result and
 * the guest resumes from the iret frame (Xen pv_do_multicall_call: mc_exit).
 */
#include <shim/guest-access.h>
#include <shim/hypercall.h>

long do_multicall(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    guest_va_t list = a[0];
    uint32_t nr = (uint32_t)a[1];
    struct multicall_entry e;

    if (in_multicall)
        return -XEN_EINVAL;
    in_multicall = true;
    for (uint32_t i = 0; i < nr; i++) {
        guest_va_t ent = list + (uint64_t)i * sizeof(e);

        if (copy_from_guest(&e, ent, sizeof(e))) {
            in_multicall = false;
            return -XEN_EFAULT;
        }
        if (e.op == __HYPERVISOR_iret) {
            /* Result written back best effort only, as in Xen. */
            in_multicall = false;
            e.result = (xen_ulong_t)hypercall_call(e.op, (const uint64_t *)e.args);
            (void)copy_to_guest(ent + offsetof(struct multicall_entry, result),
                                &e.result, sizeof(e.result));
            return (long)e.result;
        }
        if (e.op == __HYPERVISOR_multicall)
            e.result = (xen_ulong_t)-XEN_EINVAL;
        else
            e.result = (xen_ulong_t)hypercall_call(e.op, (const uint64_t *)e.args);
        if (copy_to_guest(ent + offsetof(struct multicall_entry, result),
                          &e.result, sizeof(e.result))) {
            in_multicall = false;
            return -XEN_EFAULT;
        }
    }
    in_multicall = false;
    return 0;
}
