// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op (xen/common/domain.c common_vcpu_op, arch_do_vcpu_op): where a
 * vCPU's vcpu_info and runstate live, its timers, and whether it is up.
 * A vCPU id past the domain's vCPUs is -ENOENT, which is how Linux counts
 * them (xen_fill_possible_map probes VCPUOP_is_up). Bringing a vCPU up or
 * down only sets its state and kicks its CPU: that CPU starts it or parks
 * it (vcpu_start.c), so the caller never waits for another CPU.
 */
#include <arch/smp.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include <shim/mm.h>
#include <shim/time.h>
#include <shim/vcpu.h>

static long register_vcpu_info(struct vcpu *v, const struct vcpu_register_vcpu_info *r)
{
    struct vcpu_info *new;

    /* Xen map_vcpu_info: within the page and naturally aligned, else -ENXIO. */
    if (r->offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
        (r->offset & (_Alignof(struct vcpu_info) - 1)))
        return -XEN_ENXIO;
    if (v->vcpu_info_registered)
        return -XEN_EINVAL;
    /* Xen map_vcpu_info: only the caller itself or a vCPU that is down
       (a running one reads its vcpu_info without the shim lock). */
    if (v != current && !v->down)
        return -XEN_EINVAL;
    /* Keep the frame the guest's and never a page table while we write it. */
    if (mm_get_page(r->mfn))
        return -XEN_EINVAL;
    if (mm_get_page_type(r->mfn, FRAME_TYPE_WRITABLE)) {
        mm_put_page(r->mfn);
        return -XEN_EINVAL;
    }
    new = (struct vcpu_info *)((uint8_t *)mfn_to_virt(r->mfn) + r->offset);
    memcpy(new, v->vcpu_info, sizeof(*new));
    /* As Xen: mark every selector bit so nothing pending is lost in the move. */
    new->evtchn_pending_sel = ~(xen_ulong_t)0;
    new->evtchn_upcall_pending = 1;
    v->vcpu_info = new;
    v->vcpu_info_mfn = r->mfn;
    v->vcpu_info_registered = true;
    time_update_vcpu(v);
    return 0;
}

long do_vcpu_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    unsigned int cmd = a[0], id = a[1];
    guest_va_t arg = a[2];

    if (id >= d->nr_vcpus)
        return -XEN_ENOENT;

    switch (cmd) {
    case VCPUOP_is_up:
        return !d->vcpus[id].down;
    case VCPUOP_initialise:
        return vcpu_initialise(&d->vcpus[id], arg);
    case VCPUOP_up:
        return vcpu_up(&d->vcpus[id]);
    case VCPUOP_down:
        return vcpu_down(&d->vcpus[id]);
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area r;

        if (copy_from_guest(&r, arg, sizeof(r)))
            return -XEN_EFAULT;
        d->vcpus[id].runstate_gva = (guest_va_t)(uintptr_t)r.addr.v;
        runstate_publish(&d->vcpus[id]);
        return 0;
    }
    case VCPUOP_get_runstate_info:
        return copy_to_guest(arg, &d->vcpus[id].runstate, sizeof(struct vcpu_runstate_info));
    case VCPUOP_register_vcpu_time_memory_area: {
        struct vcpu_register_time_memory_area r;

        if (copy_from_guest(&r, arg, sizeof(r)))
            return -XEN_EFAULT;
        d->vcpus[id].time_area_gva = (guest_va_t)(uintptr_t)r.addr.v;
        time_update_vcpu(&d->vcpus[id]);
        return 0;
    }
    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info r;

        if (copy_from_guest(&r, arg, sizeof(r)))
            return -XEN_EFAULT;
        return register_vcpu_info(&d->vcpus[id], &r);
    }
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer t;

        if (id != v->id)
            return -XEN_EINVAL;     /* only the calling vCPU's own timer */
        if (copy_from_guest(&t, arg, sizeof(t)))
            return -XEN_EFAULT;
        time_set_singleshot(v, t.timeout_abs_ns ? t.timeout_abs_ns : 1);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (id != v->id)
            return -XEN_EINVAL;
        time_set_singleshot(v, 0);
        return 0;
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer t;

        if (copy_from_guest(&t, arg, sizeof(t)))
            return -XEN_EFAULT;
        if (t.period_ns < 1000000)  /* Xen's minimum: 1 ms */
            return -XEN_EINVAL;
        time_set_periodic(&d->vcpus[id], t.period_ns);
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        time_set_periodic(&d->vcpus[id], 0);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_set_timer_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    uint64_t deadline = a[0], now = time_now_ns();

    /* Xen: 0 cancels; absurd deadlines (negative, > 2^50 ns ahead) mean 100 ms. */
    if (deadline && ((int64_t)deadline < 0 || deadline > now + (1ULL << 50)))
        deadline = now + 100000000ULL;
    time_set_singleshot(v, deadline);
    return 0;
}
