// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op (shutdown, shutdown_code, block, poll) and memory_op
 * (reservation queries, memory_map, the M2P, ballooning) through
 * hypercall_call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <arch/layout.h>
#include "dispatch-stub.h"
#include "test-dispatch.h"

static guest_va_t put_shutdown(unsigned int reason)
{
    guest_va_t arg = gm_va(0x500);

    ((struct sched_shutdown *)gm_ptr(arg))->reason = reason;
    return arg;
}

void test_sched_op(void **state)
{
    guest_va_t arg;

    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
    assert_int_equal(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_yield, 0, 0), 0);

    /* block unmasks event delivery before waiting (Xen do_block). */
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    assert_int_equal(test_vcpu_info.evtchn_upcall_mask, 0);
    assert_int_equal(vcpu_block_calls, 1);
    test_vcpu_info.evtchn_upcall_mask = 1;
    assert_int_equal(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_block, 0, 0), 0);
    assert_int_equal(test_vcpu_info.evtchn_upcall_mask, 0);
    assert_int_equal(vcpu_block_calls, 2);

    /* shutdown_code only records the reason. */
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
                        put_shutdown(SHUTDOWN_crash), 0), 0);
    assert_int_equal(the_domain.shutdown_code, SHUTDOWN_crash);
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
                        put_shutdown(SHUTDOWN_MAX + 1), 0), -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
                        put_shutdown(~0u), 0), -XEN_EINVAL);
    assert_int_equal(the_domain.shutdown_code, SHUTDOWN_crash);
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code, 0x1000, 0), -XEN_EFAULT);

    /* poll gets the guest's struct, copied. */
    arg = gm_va(0x600);
    *(struct sched_poll *)gm_ptr(arg) = (struct sched_poll){ .nr_ports = 2, .timeout = 99 };
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, arg, 0), 0x77);
    assert_int_equal(sched_poll_calls, 1);
    assert_int_equal(sched_poll_last.nr_ports, 2);
    assert_int_equal(sched_poll_last.timeout, 99);
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, 0x1000, 0), -XEN_EFAULT);
    assert_int_equal(sched_poll_calls, 1);

    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, 0, 0), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_watchdog, 0, 0), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_sched_op, ~0ULL, 0, 0), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_poll, 0, 0), -XEN_ENOSYS);
}

/* Run one shutdown hypercall; returns the reason domain_shutdown got, or ~0. */
static unsigned int shutdown_via(uint64_t nr, uint64_t cmd, uint64_t arg, long *rc)
{
    shutdown_reason = ~0u;
    shutdown_armed = true;
    if (setjmp(shutdown_jmp) == 0) {
        *rc = hc(nr, cmd, arg, 0);
        shutdown_armed = false;
        return ~0u;
    }
    *rc = 0;
    return shutdown_reason;
}

void test_sched_shutdown(void **state)
{
    long rc;

    for (unsigned int r = 0; r <= SHUTDOWN_MAX; r++) {
        assert_int_equal(shutdown_via(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                                      put_shutdown(r), &rc), r);
        assert_int_equal(shutdown_via(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown,
                                      r, &rc), r);
    }
    assert_int_equal(shutdown_via(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                                  put_shutdown(SHUTDOWN_MAX + 1), &rc), ~0u);
    assert_int_equal(rc, -XEN_EINVAL);
    assert_int_equal(shutdown_via(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown,
                                  SHUTDOWN_MAX + 1, &rc), ~0u);
    assert_int_equal(rc, -XEN_EINVAL);
    assert_int_equal(shutdown_via(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x1000, &rc), ~0u);
    assert_int_equal(rc, -XEN_EFAULT);
    assert_int_equal(shutdown_via(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                                  RESERVED_AREA_START, &rc), ~0u);
    assert_int_equal(rc, -XEN_EFAULT);
}

void test_memory_reservation(void **state)
{
    guest_va_t arg = gm_va(0x700);
    domid_t *dom = gm_ptr(arg);

    *dom = DOMID_SELF;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, arg, 0),
                     TEST_NR_PAGES);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, arg, 0),
                     TEST_TOT_PAGES);
    *dom = TEST_DOMID;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, arg, 0),
                     TEST_TOT_PAGES);
    *dom = TEST_DOMID + 1;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, arg, 0),
                     -XEN_ESRCH);
    *dom = 0;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, arg, 0),
                     -XEN_ESRCH);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, 0x1000, 0),
                     -XEN_EFAULT);
    /* Bits above the command (continuation extent) are ignored. */
    *dom = DOMID_SELF;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_maximum_reservation | (5 << 6), arg, 0),
                     TEST_NR_PAGES);
    assert_int_equal(hc(__HYPERVISOR_memory_op, 63, arg, 0), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, arg, 0), -XEN_ENOSYS);
}

void test_memory_map(void **state)
{
    guest_va_t arg = gm_va(0x800), buf = gm_va(0x900);
    struct xen_memory_map *map = gm_ptr(arg);
    const uint8_t *e = gm_ptr(buf);
    uint64_t addr, size;
    uint32_t type;

    map->nr_entries = 4;
    set_xen_guest_handle(map->buffer, (void *)(uintptr_t)buf);
    memset(gm_ptr(buf), 0xaa, 64);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_memory_map, arg, 0), 0);
    assert_int_equal(map->nr_entries, 1);
    /* One packed e820 entry: addr, size, type (20 bytes). */
    memcpy(&addr, e, 8);
    memcpy(&size, e + 8, 8);
    memcpy(&type, e + 16, 4);
    assert_int_equal(addr, 0);
    assert_int_equal(size, (uint64_t)TEST_NR_PAGES << PAGE_SHIFT);
    assert_int_equal(type, 1);
    assert_int_equal(e[20], 0xaa);

    map->nr_entries = 0;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_memory_map, arg, 0), -XEN_EINVAL);
    map->nr_entries = 1;
    set_xen_guest_handle(map->buffer, (void *)(uintptr_t)0x1000);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_memory_map, arg, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_memory_map, 0x1000, 0), -XEN_EFAULT);
}

void test_machphys(void **state)
{
    guest_va_t arg = gm_va(0xa00), list = gm_va(0xb00);
    struct xen_machphys_mapping *m = gm_ptr(arg);
    struct xen_machphys_mfn_list *l = gm_ptr(arg);
    const xen_pfn_t *mfns = gm_ptr(list);

    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_machphys_mapping, arg, 0), 0);
    assert_int_equal(m->v_start, M2P_VIRT_START);
    assert_int_equal(m->v_end, M2P_VIRT_START + TEST_M2P_ENTRIES * 8);
    assert_int_equal(m->max_mfn, TEST_M2P_ENTRIES - 1);
    assert_true(m->v_end <= M2P_VIRT_END);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_machphys_mapping, 0x1000, 0),
                     -XEN_EFAULT);

    /* 4 MiB of M2P: two 2 MiB extents, clipped to max_extents. */
    memset(l, 0, sizeof(*l));
    l->max_extents = 8;
    set_xen_guest_handle(l->extent_start, (xen_pfn_t *)(uintptr_t)list);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, arg, 0), 0);
    assert_int_equal(l->nr_extents, 2);
    assert_int_equal(mfns[0], TEST_M2P_PHYS >> PAGE_SHIFT);
    assert_int_equal(mfns[1], (TEST_M2P_PHYS >> PAGE_SHIFT) + 512);
    l->max_extents = 1;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, arg, 0), 0);
    assert_int_equal(l->nr_extents, 1);
    set_xen_guest_handle(l->extent_start, (xen_pfn_t *)(uintptr_t)0x1000);
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, arg, 0), -XEN_EFAULT);
}

static guest_va_t put_reservation(uint64_t nr, unsigned int order, domid_t dom,
                                  guest_va_t extents)
{
    guest_va_t arg = gm_va(0xc00);
    struct xen_memory_reservation *r = gm_ptr(arg);

    memset(r, 0, sizeof(*r));
    r->nr_extents = nr;
    r->extent_order = order;
    r->domid = dom;
    set_xen_guest_handle(r->extent_start, (xen_pfn_t *)(uintptr_t)extents);
    return arg;
}

/* Partial completion: the count done, -EFAULT only if nothing was done. */
void test_balloon(void **state)
{
    guest_va_t ext = gm_va(PAGE_SIZE - 16);             /* two slots, then page 2 */
    xen_pfn_t *x = gm_ptr(ext);
    const uint64_t dec = XENMEM_decrease_reservation, pop = XENMEM_populate_physmap;

    x[0] = 0x10005;
    x[1] = 0x10006;
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, put_reservation(2, 0, DOMID_SELF, ext), 0),
                     2);
    assert_int_equal(pool_released_count, 2);
    assert_int_equal(pool_released[1], 0x10006);
    assert_int_equal(the_domain.tot_pages, TEST_TOT_PAGES - 2);
    /* A refused frame stops the batch there. */
    pool_refuse_mfn = x[1] = 0x10007;
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, put_reservation(2, 0, DOMID_SELF, ext), 0),
                     1);
    /* The list runs into an unmapped page: done so far, or -EFAULT at 0. */
    gm_protect(gm_va(PAGE_SIZE), PAGE_SIZE, GM_NONE);
    pool_refuse_mfn = 0;
    x[0] = 0x10008;
    x[1] = 0x10009;
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, put_reservation(3, 0, DOMID_SELF, ext), 0),
                     2);
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec,
                        put_reservation(1, 0, DOMID_SELF, gm_va(PAGE_SIZE)), 0), -XEN_EFAULT);

    /* populate: PFN in, MFN out, M2P updated; stops when the pool is empty. */
    pool_mfns[0] = 0x10005;
    pool_count = 1;
    x[0] = 0x42;
    x[1] = 0x43;
    assert_int_equal(hc(__HYPERVISOR_memory_op, pop, put_reservation(2, 0, DOMID_SELF, ext), 0),
                     1);
    assert_int_equal(x[0], 0x10005);
    assert_int_equal(x[1], 0x43);
    assert_int_equal(m2p_set_calls, 1);
    assert_int_equal(m2p_last_mfn, 0x10005);
    assert_int_equal(m2p_last_pfn, 0x42);
    /* A PFN beyond the domain is not populated. */
    pool_count = 1;
    x[0] = TEST_NR_PAGES;
    assert_int_equal(hc(__HYPERVISOR_memory_op, pop, put_reservation(1, 0, DOMID_SELF, ext), 0),
                     0);
    assert_int_equal(pool_count, 1);
    /* increase_reservation: MFNs written out, no input read. */
    x[0] = 0;
    assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_increase_reservation,
                        put_reservation(4, 0, DOMID_SELF, ext), 0), 1);
    assert_int_equal(x[0], 0x10005);
    /* Only order 0; only this domain; unreadable argument. */
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, put_reservation(1, 9, DOMID_SELF, ext), 0),
                     0);
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, put_reservation(1, 0, 7, ext), 0),
                     -XEN_ESRCH);
    assert_int_equal(hc(__HYPERVISOR_memory_op, dec, 0x1000, 0), -XEN_EFAULT);
}
