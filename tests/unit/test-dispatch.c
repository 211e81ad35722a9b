// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall dispatch (hypercalls/table.c) and the families that work on
 * shim memory only, called through hypercall_call as the guest would:
 * the table itself, -ENOSYS and the counters, tracing, multicall,
 * xen_version and console_io. More families: test-dispatch-cpu.c,
 * test-dispatch-mem.c. Guest memory: guest-memory-stub.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <arch/layout.h>
#include <shim/xen-features.h>
#include "dispatch-stub.h"
#include "test-dispatch.h"

/* What the shim implements: number -> handler. Everything else is -ENOSYS. */
static const struct { uint64_t nr; hypercall_fn_t *fn; } expected[] = {
    { __HYPERVISOR_set_trap_table, do_set_trap_table },
    { __HYPERVISOR_stack_switch, do_stack_switch },
    { __HYPERVISOR_set_callbacks, do_set_callbacks },
    { __HYPERVISOR_fpu_taskswitch, do_fpu_taskswitch },
    { __HYPERVISOR_sched_op_compat, do_sched_op_compat },
    { __HYPERVISOR_set_debugreg, do_set_debugreg },
    { __HYPERVISOR_get_debugreg, do_get_debugreg },
    { __HYPERVISOR_memory_op, do_memory_op },
    { __HYPERVISOR_multicall, do_multicall },
    { __HYPERVISOR_xen_version, do_xen_version },
    { __HYPERVISOR_console_io, do_console_io },
    { __HYPERVISOR_vm_assist, do_vm_assist },
    { __HYPERVISOR_set_segment_base, do_set_segment_base },
    { __HYPERVISOR_sched_op, do_sched_op },
    { __HYPERVISOR_callback_op, do_callback_op },
    { __HYPERVISOR_physdev_op, do_physdev_op },
    /* Not linked here: recording stubs (dispatch-stub.c). */
    { __HYPERVISOR_mmu_update, do_mmu_update },
    { __HYPERVISOR_set_gdt, do_set_gdt },
    { __HYPERVISOR_update_descriptor, do_update_descriptor },
    { __HYPERVISOR_update_va_mapping, do_update_va_mapping },
    { __HYPERVISOR_set_timer_op, do_set_timer_op },
    { __HYPERVISOR_event_channel_op_compat, do_event_channel_op_compat },
    { __HYPERVISOR_iret, do_iret },
    { __HYPERVISOR_vcpu_op, do_vcpu_op },
    { __HYPERVISOR_mmuext_op, do_mmuext_op },
    { __HYPERVISOR_event_channel_op, do_event_channel_op },
    { __HYPERVISOR_grant_table_op, do_grant_table_op },
};

static hypercall_fn_t *expected_fn(uint64_t nr)
{
    for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
        if (expected[i].nr == nr)
            return expected[i].fn;
    return NULL;
}

static void test_table(void **state)
{
    for (uint64_t nr = 0; nr < NR_HYPERCALLS; nr++) {
        assert_ptr_equal(hypercall_table[nr].fn, expected_fn(nr));
        if (hypercall_table[nr].fn) {
            assert_non_null(hypercall_table[nr].name);
            assert_true(hypercall_table[nr].nargs <= HYPERCALL_MAX_ARGS);
        }
    }
}

static void test_unknown(void **state)
{
    static const uint64_t bad[] = {
        11, 27, 28, 40, 63, 64, 65, 1000, 1ULL << 32, ~0ULL,
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(hc(bad[i], 1, 2, 3), -XEN_ENOSYS);
        assert_int_equal(hypercall_stats.unknown, i + 1);
    }
    for (uint64_t nr = 0; nr < NR_HYPERCALLS; nr++)
        assert_int_equal(hypercall_stats.calls[nr], 0);
    assert_int_equal(stub_last.count, 0);
}

/* Every stubbed slot gets its arguments unchanged and is counted. */
static void test_known_reach_handler(void **state)
{
    for (uint64_t nr = 0; nr < NR_HYPERCALLS; nr++) {
        const uint64_t a[HYPERCALL_MAX_ARGS] = { nr, 2, 3, 4, 5, ~nr };
        unsigned int before = stub_last.count;

        if (!stub_handler(nr))
            continue;
        assert_int_equal(hypercall_call(nr, a), STUB_RC(nr));
        assert_int_equal(stub_last.count, before + 1);
        assert_int_equal(stub_last.nr, nr);
        assert_memory_equal(stub_last.args, a, sizeof(a));
        assert_int_equal(hypercall_stats.calls[nr], 1);
    }
    /* A linked family is counted too. */
    assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0), (4 << 16) | 17);
    assert_int_equal(hypercall_stats.calls[__HYPERVISOR_xen_version], 1);
    assert_int_equal(hypercall_stats.unknown, 0);
}

/* 64-bit PV ABI: RAX = number, arguments in RDI, RSI, RDX, R10, R8, R9. */
static void test_entry_registers(void **state)
{
    struct cpu_regs r;

    memset(&r, 0, sizeof(r));
    r.rax = __HYPERVISOR_mmu_update;
    r.rdi = 1; r.rsi = 2; r.rdx = 3; r.r10 = 4; r.r8 = 5; r.r9 = 6;
    r.rcx = 0xbad; r.r11 = 0xbad;           /* clobbered by syscall: not arguments */
    hypercall_entry(&the_domain.vcpus[0], &r);
    assert_int_equal(r.rax, STUB_RC(__HYPERVISOR_mmu_update));
    for (unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++)
        assert_int_equal(stub_last.args[i], i + 1);
    r.rax = 1000;
    hypercall_entry(&the_domain.vcpus[0], &r);
    assert_int_equal(r.rax, (uint64_t)-XEN_ENOSYS);
}

static void test_trace(void **state)
{
    the_domain.trace_hypercalls = true;
    assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
    assert_non_null(strstr(log_out, "hc xen_version(17) 0x7, 0 = 4096"));
    assert_int_equal(hc(64, 0, 0, 0), -XEN_ENOSYS);
    assert_non_null(strstr(log_out, "hc ?(64) = -38"));
    assert_int_equal(hc(11, 0, 0, 0), -XEN_ENOSYS);
    assert_non_null(strstr(log_out, "hc ?(11) = -38"));
}

/* ---- multicall ---------------------------------------------------------- */

static void put_entry(guest_va_t list, unsigned int i, uint64_t op, uint64_t a0, uint64_t a1)
{
    struct multicall_entry *e = gm_ptr(list + i * sizeof(*e));

    memset(e, 0, sizeof(*e));
    e->op = op;
    e->result = 0xdeadbeef;
    e->args[0] = a0;
    e->args[1] = a1;
}

static long result_of(guest_va_t list, unsigned int i)
{
    return (long)((struct multicall_entry *)gm_ptr(list + i * sizeof(struct multicall_entry)))->result;
}

static void test_multicall(void **state)
{
    guest_va_t list = gm_va(0x100);

    put_entry(list, 0, __HYPERVISOR_xen_version, XENVER_version, 0);
    put_entry(list, 1, 11, 0, 0);                       /* no such hypercall */
    put_entry(list, 2, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 3, 0), 0);
    assert_int_equal(result_of(list, 0), (4 << 16) | 17);
    assert_int_equal(result_of(list, 1), -XEN_ENOSYS);
    assert_int_equal(result_of(list, 2), 4096);
    assert_int_equal(hypercall_stats.calls[__HYPERVISOR_xen_version], 2);
    assert_int_equal(hypercall_stats.unknown, 1);
    assert_false(in_multicall);

    /* Zero entries: nothing to do. */
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 0, 0), 0);
    /* The count is 32 bits (the upper half of the register is ignored). */
    put_entry(list, 0, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 1ULL << 32, 0), 0);
    assert_int_equal(result_of(list, 0), 0xdeadbeef);
}

static void test_multicall_nested(void **state)
{
    guest_va_t list = gm_va(0x200), inner = gm_va(0x800);

    put_entry(inner, 0, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    put_entry(list, 0, __HYPERVISOR_multicall, inner, 1);
    put_entry(list, 1, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 2, 0), 0);
    assert_int_equal(result_of(list, 0), -XEN_EINVAL);
    assert_int_equal(result_of(inner, 0), 0xdeadbeef);  /* never ran */
    assert_int_equal(result_of(list, 1), 4096);
    assert_false(in_multicall);
}

static void test_multicall_faults(void **state)
{
    /* Entry 0 on a readable page, entry 1 across into an unmapped one. */
    guest_va_t list = gm_va(2 * PAGE_SIZE - sizeof(struct multicall_entry) - 8);

    put_entry(list, 0, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    gm_protect(gm_va(2 * PAGE_SIZE), PAGE_SIZE, GM_NONE);
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 3, 0), -XEN_EFAULT);
    assert_int_equal(result_of(list, 0), 4096);         /* earlier result stays */
    assert_int_equal(hypercall_stats.calls[__HYPERVISOR_xen_version], 1);
    assert_false(in_multicall);

    /* A list the guest cannot write: the call runs, the batch reports -EFAULT. */
    list = gm_va(4 * PAGE_SIZE);
    put_entry(list, 0, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    gm_protect(list, PAGE_SIZE, GM_RO);
    assert_int_equal(hc(__HYPERVISOR_multicall, list, 1, 0), -XEN_EFAULT);
    assert_int_equal(hypercall_stats.calls[__HYPERVISOR_xen_version], 2);
    assert_false(in_multicall);

    /* Unmapped, reserved-area and non-canonical lists. */
    assert_int_equal(hc(__HYPERVISOR_multicall, 0x1000, 1, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_multicall, RESERVED_AREA_START, 1, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_multicall, 0x0000800000000000, 1, 0), -XEN_EFAULT);
    assert_false(in_multicall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_table, dispatch_setup),
        cmocka_unit_test_setup(test_unknown, dispatch_setup),
        cmocka_unit_test_setup(test_known_reach_handler, dispatch_setup),
        cmocka_unit_test_setup(test_entry_registers, dispatch_setup),
        cmocka_unit_test_setup(test_trace, dispatch_setup),
        cmocka_unit_test_setup(test_multicall, dispatch_setup),
        cmocka_unit_test_setup(test_multicall_nested, dispatch_setup),
        cmocka_unit_test_setup(test_multicall_faults, dispatch_setup),
        DISPATCH_VERSION_TESTS,
        DISPATCH_CPU_TESTS,
        DISPATCH_MEM_TESTS,
    };

    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
