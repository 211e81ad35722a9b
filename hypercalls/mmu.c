// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_update, mmuext_op and update_va_mapping: copy each request in, let
 * the PV MMU (shim/mm-*.c) validate and commit it, flush what the change
 * requires. Batches stop at the first failing request; *pdone then counts
 * the requests that took effect (Xen's partial-completion semantics).
 */
#include <arch/ldt.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/mm.h>

static bool foreign_ok(domid_t dom)
{
    return dom == DOMID_SELF || dom == current->domain->domid;
}

/*
 * A frame that changed type may still be cached by this CPU's TLB (other
 * CPUs were flushed before the change took effect, mm_get_page_type).
 * Upper-level changes need this CPU's paging-structure caches flushed;
 * the guest flushes its other vCPUs itself when its page tables are
 * shared (the MULTI ops).
 */
static void flush_after_update(bool always)
{
    if (mm_take_tlb_flush_request() || always)
        flush_tlb_local();
}

/* The CPUs of the vCPUs in a guest vcpumask (vCPU n runs on CPU n). */
static int read_vcpumask(guest_va_t mask_va, uint64_t *cpus)
{
    unsigned int n = current->domain->nr_vcpus;
    uint64_t mask;

    if (copy_from_guest(&mask, mask_va, sizeof(mask)))
        return -XEN_EFAULT;
    *cpus = mask & (BIT(n) - 1);
    return 0;
}

static uint64_t all_vcpus(void)
{
    return BIT(current->domain->nr_vcpus) - 1;
}

static long report_done(guest_va_t pdone, uint32_t done, long rc)
{
    if (pdone && put_guest(done, pdone))
        return -XEN_EFAULT;
    return rc;
}

long do_mmu_update(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    guest_va_t reqs = a[0];
    uint32_t count = (uint32_t)a[1], done = 0;
    struct mmu_update req;
    bool upper = false;
    long rc = 0;

    if (!foreign_ok((domid_t)a[3]))
        return -XEN_ESRCH;
    for (; done < count; done++) {
        const struct frame_info *f;

        if (copy_from_guest(&req, reqs + (uint64_t)done * sizeof(req), sizeof(req))) {
            rc = -XEN_EFAULT;
            break;
        }
        f = frame_get(req.ptr >> PAGE_SHIFT);
        rc = mm_mmu_update(req.ptr, req.val, req.ptr & 7);
        if (rc)
            break;
        if (f && f->type_count && f->type >= FRAME_TYPE_L2 && f->type <= FRAME_TYPE_L4)
            upper = true;
    }
    /*
     * Upper-level changes can leave stale paging-structure caches, so they
     * flush (as Xen does); L1 changes are the guest's to flush, as on
     * hardware. Flushing for every PTE write would cost a full TLB refill
     * per page fault.
     */
    flush_after_update(upper);
    return report_done(a[2], done, rc);
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    uint64_t cpus;
    long rc;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return mm_pin(op->arg1.mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
    case MMUEXT_UNPIN_TABLE:
        return mm_unpin(op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        if (!op->arg1.mfn)
            return -XEN_EINVAL;
        rc = mm_set_root(&v->guest_table, op->arg1.mfn);
        if (!rc)
            ldt_invalidate(v);      /* its linear pages may map elsewhere now */
        if (!rc && v->kernel_mode)
            arch_load_root(v->guest_table);
        return rc;
    case MMUEXT_NEW_USER_BASEPTR:
        rc = mm_set_root(&v->guest_table_user, op->arg1.mfn);
        if (!rc && !v->kernel_mode)
            arch_load_root(v->guest_table_user);
        return rc;
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        rc = read_vcpumask(guest_handle(op->arg2.vcpumask), &cpus);
        if (rc)
            return rc;
        smp_flush_tlb_mask(cpus, TLB_FLUSH_ALL);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
        smp_flush_tlb_mask(all_vcpus(), TLB_FLUSH_ALL);
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (guest_range_ok(op->arg1.linear_addr, 1))
            invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_INVLPG_ALL:
        if (!guest_range_ok(op->arg1.linear_addr, 1))
            return 0;           /* Xen ignores addresses it could never map */
        if (op->cmd == MMUEXT_INVLPG_ALL) {
            cpus = all_vcpus();
        } else {
            rc = read_vcpumask(guest_handle(op->arg2.vcpumask), &cpus);
            if (rc)
                return rc;
        }
        smp_flush_tlb_mask(cpus, op->arg1.linear_addr);
        return 0;
    case MMUEXT_SET_LDT:
        return ldt_set(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        return -XEN_EPERM;      /* needs cache-flush rights a domU lacks */
    default:
        return -XEN_ENOSYS;
    }
}

long do_mmuext_op(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    guest_va_t ops = a[0];
    uint32_t count = (uint32_t)a[1], done = 0;
    struct mmuext_op op;
    long rc = 0;

    if (!foreign_ok((domid_t)a[3]))
        return -XEN_ESRCH;
    for (; done < count; done++) {
        if (copy_from_guest(&op, ops + (uint64_t)done * sizeof(op), sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mmuext_one(v, &op);
        if (rc)
            break;
    }
    flush_after_update(false);
    return report_done(a[2], done, rc);
}

long do_update_va_mapping(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    struct vcpu *v = current;
    uint64_t va = a[0], flags = a[2];
    mfn_t root = v->kernel_mode ? v->guest_table : v->guest_table_user;
    long rc = mm_update_va_mapping(root, va, a[1]);

    if (rc) {
        flush_after_update(false);
        return rc;
    }
    /* Bits above the flush type: UVMF_LOCAL, UVMF_ALL, or a vcpumask pointer. */
    if ((flags & UVMF_FLUSHTYPE_MASK) != UVMF_NONE) {
        uint64_t which = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK, cpus = 0;

        if (which == UVMF_LOCAL)
            cpus = BIT(v->id);
        else if (which == UVMF_ALL)
            cpus = all_vcpus();
        else if (read_vcpumask(which, &cpus))
            rc = -XEN_EFAULT;
        if (!rc)
            smp_flush_tlb_mask(cpus, (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG ?
                               va : TLB_FLUSH_ALL);
    }
    flush_after_update(false);
    return rc;
}
