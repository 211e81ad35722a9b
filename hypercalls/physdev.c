// SPDX-License-Identifier: GPL-2.0-only
/*
 * physdev_op: a domU without devices needs only the virtual IOPL (Linux
 * asks for IOPL 1 at boot). Everything about physical IRQs and PCI answers
 * -ENOSYS, which Linux treats as "no passthrough".
 */
#include <shim/guest-access.h>
#include <shim/hypercall.h>

long do_physdev_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    switch (a[0]) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl op;

        if (copy_from_guest(&op, a[1], sizeof(op)))
            return -XEN_EFAULT;
        if (op.iopl > 3)
            return -XEN_EINVAL;
        current->iopl = op.iopl;
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
