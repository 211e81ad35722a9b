// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version: the shim presents itself as Xen 4.17 (the headers' version).
 * Sub-op results follow xen/common/kernel.c do_xen_version; unknown sub-ops
 * answer -ENOSYS. XENVER_version doubles as Linux's "deliver pending events
 * now" no-op (contract 3.3), which works because every hypercall return
 * checks for events.
 */
#include <arch/layout.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include <shim/xen-features.h>

#define SHIM_XEN_MAJOR 4
#define SHIM_XEN_MINOR 17

static long put_string(guest_va_t dst, size_t size, const char *s)
{
    char buf[1024];

    memset(buf, 0, size);
    memcpy(buf, s, MIN(strlen(s), size - 1));
    return copy_to_guest(dst, buf, size);
}

long do_xen_version(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    guest_va_t arg = a[1];

    switch (a[0]) {
    case XENVER_version:
        return (SHIM_XEN_MAJOR << 16) | SHIM_XEN_MINOR;
    case XENVER_extraversion:
        return put_string(arg, sizeof(xen_extraversion_t), "-xenshim");
    case XENVER_compile_info: {
        struct xen_compile_info info;

        memset(&info, 0, sizeof(info));
        memcpy(info.compiler, "xenshim", 7);
        memcpy(info.compile_by, "xenshim", 7);
        memcpy(info.compile_domain, "xenshim", 7);
        memcpy(info.compile_date, __DATE__, sizeof(__DATE__));
        return copy_to_guest(arg, &info, sizeof(info));
    }
    case XENVER_capabilities:
        return put_string(arg, sizeof(xen_capabilities_info_t), "xen-3.0-x86_64 ");
    case XENVER_changeset:
        return put_string(arg, sizeof(xen_changeset_info_t), "xenshim");
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { .virt_start = HYPERVISOR_VIRT_START };

        return copy_to_guest(arg, &p, sizeof(p));
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;

        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx != 0)
            return -XEN_EINVAL;
        fi.submap = SHIM_XENFEAT_SUBMAP0;
        return copy_to_guest(arg, &fi, sizeof(fi));
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle: {
        xen_domain_handle_t h;

        memset(h, 0, sizeof(h));
        return copy_to_guest(arg, h, sizeof(h));
    }
    case XENVER_commandline:
    case XENVER_build_id:
        return -XEN_EPERM;      /* Xen's XSM policy refuses these to a domU */
    default:
        return -XEN_ENOSYS;
    }
}
