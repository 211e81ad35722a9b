// SPDX-License-Identifier: GPL-2.0-only
/*
 * Viridian reference time and synthetic timer (shim/platform/viridian/
 * hv-time.c, hv-stimer.c) against the fake partition and TLFS "Timers":
 * the reference TSC page formula ((tsc * scale) >> 64) + offset with its
 * full 64x64 multiply, the sequence-number retry, sequence 0 meaning
 * "fall back to the reference counter MSR", the stated TSC frequency only
 * with AccessFrequencyMsrs, and STIMER0's direct-mode one-shot encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv-fake.h"

static struct hv_ref_tsc_page *page;

static int setup(void **state)
{
    hv_fake_reset();
    hv_fake_full();
    assert_true(hv_init());
    page = hv_fake_page(hv_fake_msr_page(HV_MSR_REFERENCE_TSC));
    return 0;
}

static void test_page_enabled(void **state)
{
    uint64_t msr = fake.msr[HV_MSR_REFERENCE_TSC - HV_FAKE_MSR_BASE];

    assert_true(msr & HV_PAGE_MSR_ENABLE);
    assert_ptr_equal(page, hv.tsc_page);
}

static void test_scale_formula(void **state)
{
    /* scale = 2^63 halves the TSC. */
    assert_int_equal(hv_tsc_page_scale(1000, 1ULL << 63, 0), 500);
    /* The high half of a full 128-bit product: (2^64-1)^2 >> 64 = 2^64-2. */
    assert_int_equal(hv_tsc_page_scale(~0ULL, ~0ULL, 0), 0xfffffffffffffffeULL);
    /* A signed offset. */
    assert_int_equal(hv_tsc_page_scale(1000, 1ULL << 63, -100), 400);
    /* 2.5 GHz: scale = 2^64 * 1e7 / 2.5e9; one second of TSC is 1e7 units. */
    {
        uint64_t scale = (uint64_t)(((unsigned __int128)10000000 << 64) / 2500000000ULL);

        assert_int_equal(hv_tsc_page_scale(2500000000ULL, scale, 0), 9999999);
        assert_int_equal(hv_tsc_page_scale(2500000000ULL * 3600, scale, 5), 35999999999ULL + 5);
    }
}

static void test_read_valid_page(void **state)
{
    page->sequence = 7;
    page->scale = 1ULL << 62;
    page->offset = 1000;
    fake.tsc = 4000;
    assert_int_equal(hv_ref_time_100ns(), 2000);
    assert_int_equal(fake.nr_rdtsc, 1);
}

static void test_sequence_zero_falls_back_to_msr(void **state)
{
    unsigned int reads;

    page->sequence = HV_REF_TSC_SEQUENCE_INVALID;
    page->scale = 1ULL << 62;
    fake.tsc = 4000;
    fake.msr[HV_MSR_TIME_REF_COUNT - HV_FAKE_MSR_BASE] = 123456789;
    reads = fake.nr_reads;
    assert_int_equal(hv_ref_time_100ns(), 123456789);
    assert_int_equal(fake.nr_reads, reads + 1);
    assert_int_equal(fake.nr_rdtsc, 0);
}

/* The hypervisor updates the page while the shim reads it, once. */
static void update_once(struct hv_fake *f)
{
    if (f->nr_rdtsc == 1) {
        page->sequence++;
        page->scale = 1ULL << 63;
        page->offset = 0;
    }
}

static void test_sequence_change_retries(void **state)
{
    page->sequence = 3;
    page->scale = 1ULL << 62;
    page->offset = 77;
    fake.tsc = 4000;
    fake.on_rdtsc = update_once;
    /* The first read's values are stale; the second uses the new page. */
    assert_int_equal(hv_ref_time_100ns(), 2000);
    assert_int_equal(fake.nr_rdtsc, 2);
}

static void update_always(struct hv_fake *f)
{
    page->sequence = page->sequence == 0xffffffffu ? 1 : page->sequence + 1;
}

static void test_page_never_settles(void **state)
{
    page->sequence = 1;
    page->scale = 1ULL << 62;
    fake.on_rdtsc = update_always;
    fake.msr[HV_MSR_TIME_REF_COUNT - HV_FAKE_MSR_BASE] = 42;
    assert_int_equal(hv_ref_time_100ns(), 42);
    assert_true(fake.nr_rdtsc >= 2 && fake.nr_rdtsc <= 64);
}

static void test_no_page_uses_msr(void **state)
{
    hv_fake_reset();
    hv_fake_full();
    fake.priv_lo &= ~HV_PRIV_REF_TSC;
    assert_true(hv_init());
    assert_false(hv_has_ref_tsc_page());
    assert_int_equal(hv_fake_count_writes(HV_MSR_REFERENCE_TSC), 0);
    fake.msr[HV_MSR_TIME_REF_COUNT - HV_FAKE_MSR_BASE] = 99;
    assert_int_equal(hv_ref_time_100ns(), 99);
}

static void test_tsc_frequency(void **state)
{
    uint64_t hz = 1;

    assert_true(hv_tsc_hz(&hz));
    assert_int_equal(hz, 2500000000ULL);

    /* Privilege without the feature bit: not read (values may be zero). */
    hz = 1;
    hv.caps.features &= ~HV_FEAT_FREQUENCY_MSRS;
    assert_false(hv_tsc_hz(&hz));
    assert_int_equal(hz, 1);
    hv.caps.features |= HV_FEAT_FREQUENCY_MSRS;

    /* An absurd figure is not believed. */
    fake.msr[HV_MSR_TSC_FREQUENCY - HV_FAKE_MSR_BASE] = 1000;
    assert_false(hv_tsc_hz(&hz));
    assert_int_equal(hz, 1);

    /* Without the privilege the MSR would #GP: the fake fails the test if read. */
    hv_fake_reset();
    hv_fake_full();
    fake.priv_lo &= ~HV_PRIV_FREQUENCY_MSRS;
    assert_true(hv_init());
    assert_false(hv_tsc_hz(&hz));
    assert_non_null(strstr(fake.log, "(to calibrate)"));

    /* And with no Hyper-V at all. */
    hv_fake_reset();
    assert_false(hv_init());
    assert_false(hv_tsc_hz(&hz));
}

static void test_stimer_oneshot(void **state)
{
    int cfg, cnt;
    unsigned int from = fake.nr_writes;

    assert_int_equal(hv_stimer_oneshot(0xef, 5000000), 0);
    cfg = hv_fake_find_write(HV_MSR_STIMER0_CONFIG, from);
    cnt = hv_fake_find_write(HV_MSR_STIMER0_COUNT, from);
    /* Config first (AutoEnable, direct mode, vector in 11:4), then the count arms it. */
    assert_true(cfg >= 0 && cnt > cfg);
    assert_int_equal(fake.writes[cfg].val, HV_STIMER_AUTO_ENABLE | HV_STIMER_DIRECT_MODE | (0xefULL << 4));
    assert_int_equal(fake.writes[cfg].val & (HV_STIMER_PERIODIC | HV_STIMER_ENABLE), 0);
    assert_int_equal(fake.writes[cnt].val, 5000000);
    /* Count 0 would stop the timer: a deadline of 0 is "now". */
    assert_int_equal(hv_stimer_oneshot(0xef, 0), 0);
    assert_int_equal(fake.writes[fake.nr_writes - 1].val, 1);
    assert_int_equal(hv_stimer_oneshot(0x0f, 10), -XEN_EINVAL);

    from = fake.nr_writes;
    hv_stimer_stop();
    cnt = hv_fake_find_write(HV_MSR_STIMER0_COUNT, from);
    cfg = hv_fake_find_write(HV_MSR_STIMER0_CONFIG, from);
    assert_true(cnt >= 0 && cfg > cnt);
    assert_int_equal(fake.writes[cnt].val, 0);
    assert_int_equal(fake.writes[cfg].val, 0);

    /* No direct mode: not offered, no MSR touched. */
    from = fake.nr_writes;
    hv.caps.features &= ~HV_FEAT_STIMER_DIRECT;
    assert_false(hv_has_stimer_direct());
    assert_true(hv_has_stimer());
    assert_int_equal(hv_stimer_oneshot(0xef, 10), -XEN_EOPNOTSUPP);
    hv_stimer_stop();
    assert_int_equal(fake.nr_writes, from);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_page_enabled, setup),
        cmocka_unit_test_setup(test_scale_formula, setup),
        cmocka_unit_test_setup(test_read_valid_page, setup),
        cmocka_unit_test_setup(test_sequence_zero_falls_back_to_msr, setup),
        cmocka_unit_test_setup(test_sequence_change_retries, setup),
        cmocka_unit_test_setup(test_page_never_settles, setup),
        cmocka_unit_test_setup(test_no_page_uses_msr, setup),
        cmocka_unit_test_setup(test_tsc_frequency, setup),
        cmocka_unit_test_setup(test_stimer_oneshot, setup),
    };

    return cmocka_run_group_tests_name("viridian time", tests, NULL, NULL);
}
