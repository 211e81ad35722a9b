// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checked guest-memory accessors (contract in include/shim/guest-access.h).
 * The range check keeps the guest from pointing the shim at its own area;
 * the exception table turns a fault on an unmapped or read-only guest page
 * into -EFAULT.
 */
#include <arch/extable.h>
#include <arch/layout.h>
#include <shim/guest-access.h>
#include <shim/lib.h>
#include <xen-public/xen.h>

bool guest_range_ok(guest_va_t va, size_t len)
{
    guest_va_t last;

    if (len == 0)
        return true;
    if (__builtin_add_overflow(va, len - 1, &last))
        return false;
    /* Both ends canonical and in the same half: no hole in between. */
    if ((va >> 47) != 0 && (va >> 47) != 0x1ffff)
        return false;
    if ((va >> 47) != (last >> 47))
        return false;
    /* No overlap with the reserved (shim) slots. */
    return last < RESERVED_AREA_START || va >= RESERVED_AREA_END;
}

int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
    if (!guest_range_ok(src, len) ||
        arch_copy_guest(dst, (const void *)(uintptr_t)src, len)) {
        memset(dst, 0, len);
        return -XEN_EFAULT;
    }
    return 0;
}

int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
    if (!guest_range_ok(dst, len) ||
        arch_copy_guest((void *)(uintptr_t)dst, src, len))
        return -XEN_EFAULT;
    return 0;
}

int clear_guest(guest_va_t dst, size_t len)
{
    if (!guest_range_ok(dst, len) || arch_clear_guest((void *)(uintptr_t)dst, len))
        return -XEN_EFAULT;
    return 0;
}
