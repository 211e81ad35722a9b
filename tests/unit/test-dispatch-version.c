// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version (every sub-op, Xen's common/kernel.c semantics for a domU)
 * and console_io, through hypercall_call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <shim/xen-features.h>
#include "dispatch-stub.h"
#include "test-dispatch.h"

#define XV(op, arg) hc(__HYPERVISOR_xen_version, (op), (arg), 0)

/* A fixed-size string sub-op: the text, NUL padded over the whole buffer. */
static void check_string(unsigned int op, size_t size, const char *want)
{
    guest_va_t buf = gm_va(PAGE_SIZE);
    const char *p = gm_ptr(buf);

    memset(gm_ptr(buf), 0xaa, size + 1);
    assert_int_equal(XV(op, buf), 0);
    assert_string_equal(p, want);
    for (size_t i = strlen(want); i < size; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal((uint8_t)p[size], 0xaa);   /* nothing past the buffer */
}

void test_xen_version(void **state)
{
    guest_va_t arg = gm_va(0x80);

    assert_int_equal(XV(XENVER_version, 0), 0x40011);
    check_string(XENVER_extraversion, sizeof(xen_extraversion_t), "-xenshim");
    check_string(XENVER_capabilities, sizeof(xen_capabilities_info_t), "xen-3.0-x86_64 ");
    check_string(XENVER_changeset, sizeof(xen_changeset_info_t), "xenshim");

    {
        struct xen_compile_info *ci = gm_ptr(arg);

        memset(ci, 0xaa, sizeof(*ci));
        assert_int_equal(XV(XENVER_compile_info, arg), 0);
        assert_string_equal(ci->compiler, "xenshim");
        assert_string_equal(ci->compile_by, "xenshim");
        assert_string_equal(ci->compile_domain, "xenshim");
        assert_int_equal(strlen(ci->compile_date), strlen(__DATE__));
    }
    {
        struct xen_platform_parameters *pp = gm_ptr(arg);

        assert_int_equal(XV(XENVER_platform_parameters, arg), 0);
        assert_int_equal(pp->virt_start, HYPERVISOR_VIRT_START);
        assert_int_equal(pp->virt_start, 0xffff800000000000);
    }
    assert_int_equal(XV(XENVER_pagesize, 0), 4096);
    {
        uint8_t *h = gm_ptr(arg), zero[16] = { 0 };

        memset(h, 0xaa, 16);
        assert_int_equal(XV(XENVER_guest_handle, arg), 0);
        assert_memory_equal(h, zero, sizeof(zero));
    }
    /* Refused to a domU by Xen's XSM policy. */
    assert_int_equal(XV(XENVER_commandline, arg), -XEN_EPERM);
    assert_int_equal(XV(XENVER_build_id, arg), -XEN_EPERM);
    /* Unknown sub-ops. */
    assert_int_equal(XV(11, arg), -XEN_ENOSYS);
    assert_int_equal(XV(0x100, arg), -XEN_ENOSYS);
    assert_int_equal(XV(~0ULL, arg), -XEN_ENOSYS);
}

void test_xen_version_features(void **state)
{
    guest_va_t arg = gm_va(0x40);
    struct xen_feature_info *fi = gm_ptr(arg);

    fi->submap_idx = 0;
    fi->submap = 0xffffffff;
    assert_int_equal(XV(XENVER_get_features, arg), 0);
    assert_int_equal(fi->submap_idx, 0);
    assert_int_equal(fi->submap, SHIM_XENFEAT_SUBMAP0);
    /* What Linux 6.1 PV needs (contract 2.3), and what must stay clear. */
    assert_true(fi->submap & (1u << XENFEAT_mmu_pt_update_preserve_ad));
    assert_true(fi->submap & (1u << XENFEAT_gnttab_map_avail_bits));
    assert_false(fi->submap & (1u << XENFEAT_auto_translated_physmap));
    assert_false(fi->submap & (1u << XENFEAT_hvm_callback_vector));
    assert_false(fi->submap & (1u << XENFEAT_supervisor_mode_kernel));

    fi->submap_idx = 1;
    fi->submap = 0x1234;
    assert_int_equal(XV(XENVER_get_features, arg), -XEN_EINVAL);
    assert_int_equal(fi->submap, 0x1234);
    fi->submap_idx = ~0u;
    assert_int_equal(XV(XENVER_get_features, arg), -XEN_EINVAL);
}

void test_xen_version_faults(void **state)
{
    static const unsigned int ops[] = {
        XENVER_extraversion, XENVER_compile_info, XENVER_capabilities,
        XENVER_changeset, XENVER_platform_parameters, XENVER_get_features,
        XENVER_guest_handle,
    };
    guest_va_t ro = gm_va(3 * PAGE_SIZE);

    gm_protect(ro, PAGE_SIZE, GM_RO);
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        assert_int_equal(XV(ops[i], 0), -XEN_EFAULT);
        assert_int_equal(XV(ops[i], 0xffff800000000000), -XEN_EFAULT);
        assert_int_equal(XV(ops[i], 0x0000800000000000), -XEN_EFAULT);
        assert_int_equal(XV(ops[i], ro), -XEN_EFAULT);
        /* Running off the end of the mapped window. */
        assert_int_equal(XV(ops[i], gm_va(GM_SIZE - 4)), -XEN_EFAULT);
    }
}

void test_console_io(void **state)
{
    guest_va_t buf = gm_va(PAGE_SIZE - 100);
    char *p = gm_ptr(buf);

    memcpy(p, "hello", 5);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 5, buf), 0);
    assert_int_equal(console_out_len, 5);
    assert_memory_equal(console_out, "hello", 5);

    /* Longer than the 256-byte chunk and across a page: all of it, in order. */
    for (size_t i = 0; i < 700; i++)
        p[i] = (char)('!' + i % 90);
    console_out_len = 0;
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 700, buf), 0);
    assert_int_equal(console_out_len, 700);
    assert_memory_equal(console_out, p, 700);

    /* The count is 32 bits; zero writes nothing. */
    console_out_len = 0;
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, (1ULL << 32) | 3, buf), 0);
    assert_int_equal(console_out_len, 3);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 0, 0), 0);
    assert_int_equal(console_out_len, 3);

    /* Unreadable: -EFAULT; the chunks before the fault were already written. */
    console_out_len = 0;
    gm_protect(gm_va(2 * PAGE_SIZE), PAGE_SIZE, GM_NONE);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, PAGE_SIZE + 200, buf),
                     -XEN_EFAULT);
    assert_true(console_out_len < PAGE_SIZE + 100);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 1, 0x1000), -XEN_EFAULT);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 1, 0xffff830000000000),
                     -XEN_EFAULT);

    /* Read: what is queued, at most count bytes. */
    memset(p, 0, 16);
    console_queue_input("abc");
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 2, buf), 2);
    assert_memory_equal(p, "ab\0", 3);
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 16, buf), 1);
    assert_int_equal(p[0], 'c');
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 16, buf), 0);
    console_queue_input("x");
    assert_int_equal(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 16, 0x1000), -XEN_EFAULT);

    assert_int_equal(hc(__HYPERVISOR_console_io, 2, 1, buf), -XEN_ENOSYS);
    assert_int_equal(hc(__HYPERVISOR_console_io, ~0ULL, 1, buf), -XEN_ENOSYS);
}
