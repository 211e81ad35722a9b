// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the guest wants to be entered: set_trap_table, callback_op and the
 * legacy set_callbacks. Semantics follow xen/arch/x86/pv/callback.c: the
 * trap list ends at the first zero address, a NULL list clears the table,
 * handlers must be canonical guest addresses (never in the shim's area).
 */
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>

static bool handler_ok(uint64_t addr)
{
    return guest_range_ok(addr, 1);
}

long do_set_trap_table(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    guest_va_t list = a[0];
    struct trap_info ti;

    if (!list) {
        memset(v->traps, 0, sizeof(v->traps));
        return 0;
    }
    /* Xen applies entries as it reads them; a fault leaves earlier ones set. */
    for (unsigned int i = 0; ; i++) {
        if (copy_from_guest(&ti, list + i * sizeof(ti), sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!handler_ok(ti.address))
            return -XEN_EINVAL;
        v->traps[ti.vector] = (struct guest_trap){
            .address = ti.address, .cs = ti.cs | 3, .flags = ti.flags,
        };
    }
}

static long register_callback(struct vcpu *v, const struct callback_register *r)
{
    bool mask = r->flags & CALLBACKF_mask_events;

    if (!handler_ok(r->address))
        return -XEN_EINVAL;
    switch (r->type) {
    case CALLBACKTYPE_event:
        v->event_callback = r->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->failsafe_callback = r->address;
        v->failsafe_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->syscall_callback = r->address;
        v->syscall_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->syscall32_callback = r->address;
        v->syscall32_masks_events = mask;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->sysenter_callback = r->address;
        v->sysenter_masks_events = mask;
        return 0;
    case CALLBACKTYPE_nmi:
        v->nmi_callback = r->address;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_callback_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    switch (a[0]) {
    case CALLBACKOP_register: {
        struct callback_register r;

        if (copy_from_guest(&r, a[1], sizeof(r)))
            return -XEN_EFAULT;
        return register_callback(v, &r);
    }
    case CALLBACKOP_unregister: {
        struct callback_unregister u;

        if (copy_from_guest(&u, a[1], sizeof(u)))
            return -XEN_EFAULT;
        switch (u.type) {
        case CALLBACKTYPE_nmi:
            v->nmi_callback = 0;
            return 0;
        case CALLBACKTYPE_event: case CALLBACKTYPE_failsafe:
        case CALLBACKTYPE_syscall: case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            /* These cannot be removed on Xen; other types do not exist. */
            return -XEN_EINVAL;
        default:
            return -XEN_ENOSYS;
        }
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_set_callbacks(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;

    if (!handler_ok(a[0]) || !handler_ok(a[1]) || (a[2] && !handler_ok(a[2])))
        return -XEN_EINVAL;
    v->event_callback = a[0];
    v->failsafe_callback = a[1];
    v->syscall_callback = a[2];
    return 0;
}
