// SPDX-License-Identifier: GPL-2.0-only
/*
 * Viridian detection and bring-up (shim/platform/viridian/hv-detect.c,
 * hv-init.c, hv-hypercall.c setup) against the fake partition: the
 * detection matrix of TLFS "Feature and Interface Discovery" (no
 * hypervisor, another vendor, Microsoft without Hv#1 or without
 * AccessHypercallMsrs, the full partition), the guest OS identity written
 * before the hypercall page is enabled, and a pc fallback that touches no
 * MSR at all (the fake fails the test on any MSR access it does not grant).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv-fake.h"

static int setup(void **state)
{
    hv_fake_reset();
    return 0;
}

static void assert_pc_untouched(void)
{
    assert_false(hv_init());
    assert_false(hv_present());
    assert_int_equal(fake.nr_writes, 0);
    assert_int_equal(fake.nr_reads, 0);
    assert_int_equal(fake.nr_pages, 0);
    assert_int_equal(fake.nr_calls, 0);
    assert_null(fake.irq_handler);
    assert_non_null(strstr(fake.log, "platform: pc ("));
    assert_null(strstr(fake.log, "platform: viridian"));
}

static void test_no_hypervisor(void **state)
{
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_NO_HYPERVISOR);
    assert_pc_untouched();
    assert_non_null(strstr(fake.log, "no hypervisor"));
}

static void test_kvm_without_enlightenments(void **state)
{
    fake.hypervisor_bit = true;
    memcpy(fake.vendor, "KVMKVMKVM\0\0\0", 12);
    fake.max_leaf = 0x40000001;
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_OTHER_VENDOR);
    assert_pc_untouched();
    assert_non_null(strstr(fake.log, "\"KVMKVMKVM???\": hypervisor is not Microsoft Hv"));
}

static void test_qemu_tcg(void **state)
{
    fake.hypervisor_bit = true;
    memcpy(fake.vendor, "TCGTCGTCGTCG", 12);
    fake.max_leaf = 0x40000001;
    assert_pc_untouched();
    assert_non_null(strstr(fake.log, "TCGTCGTCGTCG"));
}

static void test_microsoft_too_few_leaves(void **state)
{
    hv_fake_full();
    fake.max_leaf = 0x40000004;
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_FEW_LEAVES);
    hv_fake_reset();
    hv_fake_full();
    fake.max_leaf = 0x40000004;
    assert_pc_untouched();
}

static void test_microsoft_not_hv1(void **state)
{
    hv_fake_full();
    fake.interface = 0x30237648;    /* "Hv#0" */
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_NOT_HV1);
    memset(&hv, 0, sizeof(hv));
    assert_pc_untouched();
}

static void test_microsoft_without_hypercall_msrs(void **state)
{
    hv_fake_full();
    fake.priv_lo &= ~HV_PRIV_HYPERCALL_MSRS;
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_NO_HYPERCALL);
    memset(&hv, 0, sizeof(hv));
    assert_pc_untouched();
    assert_non_null(strstr(fake.log, "without AccessHypercallMsrs"));
}

static void test_full_partition(void **state)
{
    int os_id, hc;
    uint64_t os_val, hc_val;
    paddr_t page_pa;

    hv_fake_full();
    assert_int_equal(hv_detect(&hv.caps), HV_DETECT_FOUND);
    assert_int_equal(hv.caps.priv_lo, fake.priv_lo);
    assert_int_equal(hv.caps.recommendations, fake.recommendations);
    assert_string_equal(hv.caps.vendor, "Microsoft Hv");
    memset(&hv, 0, sizeof(hv));

    assert_true(hv_init());
    assert_true(hv_present());
    /* TLFS: the guest OS identity is set before the hypercall page is. */
    os_id = hv_fake_find_write(HV_MSR_GUEST_OS_ID, 0);
    hc = hv_fake_find_write(HV_MSR_HYPERCALL, 0);
    assert_true(os_id >= 0 && hc > os_id);
    os_val = fake.writes[os_id].val;
    assert_true(os_val & BIT(63));                  /* open source */
    assert_int_equal((os_val >> 56) & 0x7f, 3);      /* OS type: Xen */
    assert_int_equal((os_val >> 16) & 0xffffffff, 0x00040011);
    hc_val = fake.writes[hc].val;
    page_pa = hc_val & PAGE_MASK;
    assert_true(hc_val & HV_PAGE_MSR_ENABLE);
    assert_ptr_equal(hv_fake_page(page_pa), hv.hypercall_page);
    assert_int_equal(hv.hypercall_pa, page_pa);
    /* The probe: a reserved call code through the page, fast. */
    assert_int_equal(fake.nr_calls, 1);
    assert_int_equal(fake.calls[0].control, HV_CTL_FAST);
    assert_non_null(strstr(fake.log, "hypercall page works (probe status 0x2)"));
    assert_non_null(strstr(fake.log, "platform: viridian (Hyper-V 10.0 build 20348"));
    assert_non_null(strstr(fake.log, "TSC 2500000000 Hz (stated)"));
    assert_true(hv_has_synic());
    assert_true(hv_has_ref_tsc_page());
    assert_true(hv_has_stimer());
    assert_true(hv_has_stimer_direct());
    assert_int_equal(hv.cpu[0].vp_index, 0);
    assert_non_null(hv.cpu[0].input);
}

static void test_init_is_idempotent(void **state)
{
    unsigned int writes;

    hv_fake_full();
    assert_true(hv_init());
    writes = fake.nr_writes;
    assert_true(hv_init());
    assert_int_equal(fake.nr_writes, writes);
}

static void test_preserves_reserved_bits(void **state)
{
    int hc;

    hv_fake_full();
    fake.msr[HV_MSR_HYPERCALL - HV_FAKE_MSR_BASE] = 0x10;   /* a reserved bit set */
    assert_true(hv_init());
    hc = hv_fake_find_write(HV_MSR_HYPERCALL, 0);
    assert_int_equal(fake.writes[hc].val & 0xfff, 0x11);
}

static void test_locked_hypercall_msr_falls_back(void **state)
{
    hv_fake_full();
    fake.msr[HV_MSR_HYPERCALL - HV_FAKE_MSR_BASE] = 0x5000 | HV_HYPERCALL_MSR_LOCKED | 1;
    assert_false(hv_init());
    assert_false(hv_present());
    /* The identity is withdrawn again, nothing else set up. */
    assert_int_equal(fake.msr[HV_MSR_GUEST_OS_ID - HV_FAKE_MSR_BASE], 0);
    assert_int_equal(hv_fake_count_writes(HV_MSR_SIMP), 0);
    assert_int_equal(fake.nr_calls, 0);
    assert_non_null(strstr(fake.log, "platform: pc (Hyper-V, but its hypercall page would not enable)"));
}

static void test_hypercall_page_refused_falls_back(void **state)
{
    hv_fake_full();
    fake.hypercall_refuses = true;
    assert_false(hv_init());
    assert_int_equal(fake.msr[HV_MSR_GUEST_OS_ID - HV_FAKE_MSR_BASE], 0);
    assert_int_equal(fake.nr_calls, 0);
    assert_null(fake.irq_handler);
}

/* Hypercall MSRs only: no SynIC, timer, TSC page or VP index MSR is touched. */
static void test_minimal_partition(void **state)
{
    hv_fake_full();
    fake.priv_lo = HV_PRIV_HYPERCALL_MSRS;
    fake.features = 0;
    fake.recommendations = 0;
    assert_true(hv_init());
    assert_false(hv_has_synic());
    assert_false(hv_has_ref_tsc_page());
    assert_false(hv_has_stimer());
    assert_int_equal(hv.cpu[0].vp_index, HV_VP_INDEX_UNKNOWN);
    assert_null(fake.irq_handler);
    assert_int_equal(hv_ref_time_100ns(), 0);
    assert_non_null(strstr(fake.log, "no reference time source granted"));
    assert_int_equal(hv_send_ipi(0x40, 1), -XEN_EOPNOTSUPP);
    assert_int_equal(hv_flush_tlb(1), -XEN_EOPNOTSUPP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_hypervisor, setup),
        cmocka_unit_test_setup(test_kvm_without_enlightenments, setup),
        cmocka_unit_test_setup(test_qemu_tcg, setup),
        cmocka_unit_test_setup(test_microsoft_too_few_leaves, setup),
        cmocka_unit_test_setup(test_microsoft_not_hv1, setup),
        cmocka_unit_test_setup(test_microsoft_without_hypercall_msrs, setup),
        cmocka_unit_test_setup(test_full_partition, setup),
        cmocka_unit_test_setup(test_init_is_idempotent, setup),
        cmocka_unit_test_setup(test_preserves_reserved_bits, setup),
        cmocka_unit_test_setup(test_locked_hypercall_msr_falls_back, setup),
        cmocka_unit_test_setup(test_hypercall_page_refused_falls_back, setup),
        cmocka_unit_test_setup(test_minimal_partition, setup),
    };

    return cmocka_run_group_tests_name("viridian detection", tests, NULL, NULL);
}
