// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entry-point and CPU-state hypercalls through hypercall_call:
 * set_trap_table, callback_op, set_callbacks (Xen pv/callback.c
 * semantics), vm_assist, the pure parts of cpu-state.c, physdev set_iopl.
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

#define V0 (&the_domain.vcpus[0])
#define NONCANON 0x0000800000000000ULL

static void put_trap(guest_va_t list, unsigned int i, uint8_t vec, uint8_t flags,
                     uint16_t cs, uint64_t addr)
{
    struct trap_info *t = gm_ptr(list + i * sizeof(*t));

    *t = (struct trap_info){ .vector = vec, .flags = flags, .cs = cs, .address = addr };
}

void test_set_trap_table(void **state)
{
    guest_va_t list = gm_va(0x100);

    put_trap(list, 0, 14, 0, 0xe033, 0xffffffff81001000);
    put_trap(list, 1, 0x80, 3, 0xe030, 0xffffffff81002000);
    put_trap(list, 2, 3, 7, 0xe033, 0x00007fffffffffff);     /* last low-half byte */
    put_trap(list, 3, 6, 0, 0xe033, 0);                      /* terminator */
    put_trap(list, 4, 7, 0, 0xe033, 0xffffffff81009000);     /* beyond it */
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, list, 0, 0), 0);
    assert_int_equal(V0->traps[14].address, 0xffffffff81001000);
    assert_int_equal(V0->traps[14].cs, 0xe033);
    assert_int_equal(V0->traps[14].flags, 0);
    assert_int_equal(V0->traps[0x80].address, 0xffffffff81002000);
    assert_int_equal(V0->traps[0x80].cs, 0xe033);            /* RPL forced to 3 */
    assert_int_equal(V0->traps[0x80].flags, 3);
    assert_int_equal(V0->traps[3].address, 0x00007fffffffffff);
    assert_int_equal(V0->traps[3].flags, 7);
    assert_int_equal(V0->traps[6].address, 0);
    assert_int_equal(V0->traps[7].address, 0);

    /* A second table adds to the first; NULL clears everything. */
    put_trap(list, 0, 13, 0, 0xe033, 0xffffffff81003000);
    put_trap(list, 1, 0, 0, 0, 0);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, list, 0, 0), 0);
    assert_int_equal(V0->traps[13].address, 0xffffffff81003000);
    assert_int_equal(V0->traps[14].address, 0xffffffff81001000);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, 0, 0, 0), 0);
    for (unsigned int i = 0; i < 256; i++)
        assert_int_equal(V0->traps[i].address, 0);
}

void test_set_trap_table_errors(void **state)
{
    static const uint64_t bad[] = {
        NONCANON, 0xffff7fffffffffff, RESERVED_AREA_START, 0xffff830000001000,
        RESERVED_AREA_END - 1,
    };
    guest_va_t list = gm_va(0x100);

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        dispatch_reset();
        put_trap(list, 0, 14, 0, 0xe033, 0xffffffff81001000);
        put_trap(list, 1, 13, 0, 0xe033, bad[i]);
        put_trap(list, 2, 0, 0, 0, 0);
        assert_int_equal(hc(__HYPERVISOR_set_trap_table, list, 0, 0), -XEN_EINVAL);
        /* As in Xen, entries before the bad one stay applied. */
        assert_int_equal(V0->traps[14].address, 0xffffffff81001000);
        assert_int_equal(V0->traps[13].address, 0);
    }
    /* The first address past the reserved area is the guest's. */
    put_trap(list, 1, 13, 0, 0xe033, RESERVED_AREA_END);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, list, 0, 0), 0);

    /* No terminator before the end of mapped memory: -EFAULT. */
    list = gm_va(GM_SIZE - 2 * sizeof(struct trap_info));
    put_trap(list, 0, 1, 0, 0xe033, 0xffffffff81004000);
    put_trap(list, 1, 2, 0, 0xe033, 0xffffffff81005000);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, list, 0, 0), -XEN_EFAULT);
    assert_int_equal(V0->traps[2].address, 0xffffffff81005000);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, 0x1000, 0, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_set_trap_table, RESERVED_AREA_START, 0, 0), -XEN_EFAULT);
}

static long cb_register(uint16_t type, uint16_t flags, uint64_t addr)
{
    guest_va_t arg = gm_va(0x300);
    struct callback_register *r = gm_ptr(arg);

    *r = (struct callback_register){ .type = type, .flags = flags, .address = addr };
    return hc(__HYPERVISOR_callback_op, CALLBACKOP_register, arg, 0);
}

static long cb_unregister(uint16_t type)
{
    guest_va_t arg = gm_va(0x340);
    struct callback_unregister *u = gm_ptr(arg);

    *u = (struct callback_unregister){ .type = type };
    return hc(__HYPERVISOR_callback_op, CALLBACKOP_unregister, arg, 0);
}

void test_callback_op(void **state)
{
    const uint16_t mask = CALLBACKF_mask_events;

    assert_int_equal(cb_register(CALLBACKTYPE_event, 0, 0xffffffff81000100), 0);
    assert_int_equal(V0->event_callback, 0xffffffff81000100);
    assert_int_equal(cb_register(CALLBACKTYPE_failsafe, mask, 0xffffffff81000200), 0);
    assert_int_equal(V0->failsafe_callback, 0xffffffff81000200);
    assert_true(V0->failsafe_masks_events);
    assert_int_equal(cb_register(CALLBACKTYPE_failsafe, 0, 0xffffffff81000200), 0);
    assert_false(V0->failsafe_masks_events);
    assert_int_equal(cb_register(CALLBACKTYPE_syscall, mask, 0xffffffff81000300), 0);
    assert_int_equal(V0->syscall_callback, 0xffffffff81000300);
    assert_true(V0->syscall_masks_events);
    assert_int_equal(cb_register(CALLBACKTYPE_syscall32, mask, 0xffffffff81000400), 0);
    assert_int_equal(V0->syscall32_callback, 0xffffffff81000400);
    assert_true(V0->syscall32_masks_events);
    assert_int_equal(cb_register(CALLBACKTYPE_sysenter, mask, 0xffffffff81000500), 0);
    assert_int_equal(V0->sysenter_callback, 0xffffffff81000500);
    assert_true(V0->sysenter_masks_events);
    assert_int_equal(cb_register(CALLBACKTYPE_nmi, 0, 0xffffffff81000600), 0);
    assert_int_equal(V0->nmi_callback, 0xffffffff81000600);

    /* Bad address first (-EINVAL), then unknown types (-ENOSYS), as in Xen. */
    assert_int_equal(cb_register(CALLBACKTYPE_event, 0, NONCANON), -XEN_EINVAL);
    assert_int_equal(cb_register(CALLBACKTYPE_event, 0, RESERVED_AREA_START + 0x10),
                     -XEN_EINVAL);
    assert_int_equal(V0->event_callback, 0xffffffff81000100);
    assert_int_equal(cb_register(CALLBACKTYPE_sysenter_deprecated, 0, 0xffffffff81000700),
                     -XEN_ENOSYS);
    assert_int_equal(cb_register(6, 0, 0xffffffff81000700), -XEN_ENOSYS);
    assert_int_equal(cb_register(0xffff, 0, 0xffffffff81000700), -XEN_ENOSYS);
    assert_int_equal(cb_register(0xffff, 0, NONCANON), -XEN_EINVAL);

    assert_int_equal(hc(__HYPERVISOR_callback_op, CALLBACKOP_register, 0x1000, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_callback_op, 2, gm_va(0x300), 0), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_callback_op, ~0ULL, gm_va(0x300), 0), -XEN_ENOSYS);
}

/*
 * Regression: unregister answered -EINVAL for every type up to syscall32,
 * so also for 3 (sysenter_deprecated) and 6, which no one can register.
 * Xen answers -EINVAL exactly for event, failsafe, syscall, syscall32 and
 * sysenter, 0 for nmi, and -ENOSYS for any other type
 * (xen/arch/x86/pv/callback.c unregister_guest_callback).
 */
void test_callback_unregister(void **state)
{
    assert_int_equal(cb_register(CALLBACKTYPE_nmi, 0, 0xffffffff81000600), 0);
    assert_int_equal(cb_unregister(CALLBACKTYPE_nmi), 0);
    assert_int_equal(V0->nmi_callback, 0);
    assert_int_equal(cb_unregister(CALLBACKTYPE_nmi), 0);

    assert_int_equal(cb_unregister(CALLBACKTYPE_event), -XEN_EINVAL);
    assert_int_equal(cb_unregister(CALLBACKTYPE_failsafe), -XEN_EINVAL);
    assert_int_equal(cb_unregister(CALLBACKTYPE_syscall), -XEN_EINVAL);
    assert_int_equal(cb_unregister(CALLBACKTYPE_syscall32), -XEN_EINVAL);
    assert_int_equal(cb_unregister(CALLBACKTYPE_sysenter), -XEN_EINVAL);
    assert_int_equal(cb_unregister(CALLBACKTYPE_sysenter_deprecated), -XEN_ENOSYS);
    assert_int_equal(cb_unregister(6), -XEN_ENOSYS);
    assert_int_equal(cb_unregister(8), -XEN_ENOSYS);
    assert_int_equal(cb_unregister(0xffff), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_callback_op, CALLBACKOP_unregister, 0x1000, 0),
                     -XEN_EFAULT);
}

void test_set_callbacks(void **state)
{
    assert_int_equal(hc(__HYPERVISOR_set_callbacks, 0xffffffff81000100,
                        0xffffffff81000200, 0xffffffff81000300), 0);
    assert_int_equal(V0->event_callback, 0xffffffff81000100);
    assert_int_equal(V0->failsafe_callback, 0xffffffff81000200);
    assert_int_equal(V0->syscall_callback, 0xffffffff81000300);
    /* syscall may be 0 (none); the others must be valid; nothing changes on error. */
    assert_int_equal(hc(__HYPERVISOR_set_callbacks, 0xffffffff81000110,
                        0xffffffff81000210, 0), 0);
    assert_int_equal(V0->syscall_callback, 0);
    assert_int_equal(hc(__HYPERVISOR_set_callbacks, NONCANON, 0xffffffff81000200, 0),
                     -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_set_callbacks, 0xffffffff81000100,
                        0xffffffff81000200, RESERVED_AREA_START), -XEN_EINVAL);
    assert_int_equal(V0->event_callback, 0xffffffff81000110);
}

void test_vm_assist(void **state)
{
    static const unsigned int ok[] = {
        VMASST_TYPE_4gb_segments, VMASST_TYPE_4gb_segments_notify,
        VMASST_TYPE_writable_pagetables, VMASST_TYPE_pae_extended_cr3,
        VMASST_TYPE_architectural_iopl, VMASST_TYPE_runstate_update_flag,
        VMASST_TYPE_m2p_strict,
    };
    static const uint64_t bad[] = { 6, 7, 31, 33, 63, 64, 1000, ~0ULL };
    uint64_t all = 0;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        assert_int_equal(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, ok[i], 0), 0);
        all |= 1ULL << ok[i];
        assert_int_equal(the_domain.vm_assist, all);
    }
    assert_int_equal(hc(__HYPERVISOR_vm_assist, VMASST_CMD_disable,
                        VMASST_TYPE_writable_pagetables, 0), 0);
    assert_int_equal(the_domain.vm_assist, all & ~(1ULL << VMASST_TYPE_writable_pagetables));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, bad[i], 0), -XEN_EINVAL);
        assert_int_equal(hc(__HYPERVISOR_vm_assist, 7, bad[i], 0), -XEN_EINVAL);
    }
    /* A valid type with an unknown command. */
    assert_int_equal(hc(__HYPERVISOR_vm_assist, 2, VMASST_TYPE_m2p_strict, 0), -XEN_ENOSYS);
    assert_int_equal(the_domain.vm_assist, all & ~(1ULL << VMASST_TYPE_writable_pagetables));
}

void test_cpu_state(void **state)
{
    assert_int_equal(hc(__HYPERVISOR_stack_switch, 0xe02b, 0xffffc90000004000, 0), 0);
    assert_int_equal(V0->kernel_ss, 0xe02b);
    assert_int_equal(V0->kernel_sp, 0xffffc90000004000);
    assert_int_equal(hc(__HYPERVISOR_stack_switch, 0xe028, 0x1000, 0), 0);
    assert_int_equal(V0->kernel_ss, 0xe02b);             /* RPL 3 */

    assert_int_equal(hc(__HYPERVISOR_fpu_taskswitch, 1, 0, 0), 0);
    assert_true(V0->fpu_ts);
    assert_true(stub_cr0 & (1u << 3));

    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0x7f0000001000, 0), 0);
    assert_int_equal(stub_msr_fs_base, 0x7f0000001000);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0, 0), 0);
    assert_int_equal(stub_msr_fs_base, 0);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_FS, NONCANON, 0), -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL,
                        0xffff888000100000, 0), 0);
    assert_int_equal(stub_msr_kernel_gs_base, 0xffff888000100000);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL,
                        RESERVED_AREA_START, 0), -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER, 0x7f0000002000, 0), 0);
    assert_int_equal(V0->gs_base_inactive, 0x7f0000002000);
    assert_int_equal(hc(__HYPERVISOR_set_segment_base, 9, 0, 0), -XEN_EINVAL);

    assert_int_equal(hc(__HYPERVISOR_set_debugreg, 0, 0x7f0000003000, 0), 0);
    assert_int_equal(hc(__HYPERVISOR_get_debugreg, 0, 0, 0), 0x7f0000003000);
    assert_int_equal(hc(__HYPERVISOR_set_debugreg, 1, RESERVED_AREA_START, 0), -XEN_EPERM);
    assert_int_equal(hc(__HYPERVISOR_set_debugreg, 7, 0x400, 0), 0);
    assert_int_equal(hc(__HYPERVISOR_get_debugreg, 7, 0, 0), 0x400);
    assert_int_equal(hc(__HYPERVISOR_set_debugreg, 7, 0x401, 0), -XEN_EPERM);
    assert_int_equal(hc(__HYPERVISOR_set_debugreg, 4, 0, 0), -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_get_debugreg, 5, 0, 0), -XEN_EINVAL);
    assert_int_equal(hc(__HYPERVISOR_get_debugreg, 8, 0, 0), -XEN_EINVAL);
}

void test_physdev(void **state)
{
    guest_va_t arg = gm_va(0x400);
    struct physdev_set_iopl *op = gm_ptr(arg);

    op->iopl = 1;
    assert_int_equal(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, arg, 0), 0);
    assert_int_equal(V0->iopl, 1);
    op->iopl = 4;
    assert_int_equal(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, arg, 0), -XEN_EINVAL);
    assert_int_equal(V0->iopl, 1);
    assert_int_equal(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, 0x1000, 0), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi, arg, 0), -XEN_ENOSYS);
}
