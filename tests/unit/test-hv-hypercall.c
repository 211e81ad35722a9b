// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Viridian hypercall layer (shim/platform/viridian/hv-hypercall.c,
 * hv-ipi.c) against the fake partition and the TLFS "Hypercall Interface":
 * the input value encoding (call code, fast bit, variable header size, rep
 * count and start index), memory calls by physical address, rep calls that
 * resume from the completed count and stop on results that break the rules,
 * HvPostMessage's input page, HvSignalEvent's fast encoding, and the
 * IPI/flush calls with plain masks and sparse HV_VP_SETs.
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
    hv_fake_full();
    assert_true(hv_init());
    fake.nr_calls = 0;          /* forget hv_init's probe */
    fake.log_len = 0;
    fake.log[0] = '\0';
    return 0;
}

static void test_control_encoding(void **state)
{
    assert_int_equal(hv_control(0x5c, false, 0, 0, 0), 0x5c);
    assert_int_equal(hv_control(0x5d, true, 0, 0, 0), 0x1005d);
    assert_int_equal(hv_control(0x13, false, 3, 0, 0), 0x13 | (3ULL << 17));
    assert_int_equal(hv_control(0x3, false, 0, 5, 7), 0x3 | (5ULL << 32) | (7ULL << 48));
    /* Fields are masked to their width: 10-bit header, 12-bit reps. */
    assert_int_equal(hv_control(0, false, 0x7ff, 0x1fff, 0x1fff),
                     (0x3ffULL << 17) | (0xfffULL << 32) | (0xfffULL << 48));
    /* Reserved bits 31:27, 47:44, 63:60 stay clear. */
    assert_int_equal(hv_control(0xffff, true, 0x3ff, 0xfff, 0xfff) &
                     ((0x1fULL << 27) | (0xfULL << 44) | (0xfULL << 60)), 0);
    assert_int_equal(hv_result_status(0x0000000a00000013ULL), 0x13);
    assert_int_equal(hv_result_reps(0x0000000a00000013ULL), 10);
    assert_int_equal(hv_result_reps(0xfffff00000000000ULL), 0);
}

static void test_memory_and_fast_calls(void **state)
{
    uint64_t r;

    r = hv_hypercall(hv_control(0x46, true, 0, 0, 0), 0x7001000, 0x7002000);
    assert_int_equal(hv_result_status(r), HV_STATUS_INVALID_HYPERCALL_CODE);
    assert_int_equal(fake.nr_calls, 1);
    /* A memory call never carries the fast bit. */
    assert_int_equal(fake.calls[0].control, 0x46);
    assert_int_equal(fake.calls[0].in1, 0x7001000);
    assert_int_equal(fake.calls[0].in2, 0x7002000);

    hv_hypercall_fast(0x46, 0x1122, 0x3344);
    assert_int_equal(fake.calls[1].control, 0x46 | HV_CTL_FAST);
    assert_int_equal(fake.calls[1].in1, 0x1122);
    assert_int_equal(fake.calls[1].in2, 0x3344);

    /* TLFS: 8-byte aligned blocks; the hypervisor is never asked otherwise. */
    assert_int_equal(hv_hypercall(0x46, 0x7001004, 0), HV_STATUS_INVALID_ALIGNMENT);
    assert_int_equal(hv_hypercall(0x46, 0, 0x7001001), HV_STATUS_INVALID_ALIGNMENT);
    assert_int_equal(fake.nr_calls, 2);
}

/* A hypervisor that completes at most 3 reps per call (an interrupt was due). */
static uint64_t three_at_a_time(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    unsigned int count = (control >> 32) & 0xfff, start = (control >> 48) & 0xfff;

    return (uint64_t)MIN(start + 3, count) << 32;
}

static void test_rep_resumes_from_completed_count(void **state)
{
    uint64_t r;

    fake.handler = three_at_a_time;
    r = hv_hypercall_rep(hv_control(0x3, false, 0, 0, 0) | (9ULL << 48), 0x7001000, 0, 10);
    assert_int_equal(hv_result_status(r), HV_STATUS_SUCCESS);
    assert_int_equal(hv_result_reps(r), 10);
    assert_int_equal(fake.nr_calls, 4);
    for (unsigned int i = 0; i < 4; i++) {
        /* Same code, count and GPAs; start 0, 3, 6, 9 (the caller's 9 ignored). */
        assert_int_equal(fake.calls[i].control & 0xffff, 0x3);
        assert_int_equal((fake.calls[i].control >> 32) & 0xfff, 10);
        assert_int_equal((fake.calls[i].control >> 48) & 0xfff, i * 3);
        assert_false(fake.calls[i].control & HV_CTL_FAST);
        assert_int_equal(fake.calls[i].in1, 0x7001000);
    }
}

static uint64_t fail_second_call(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    if (f->nr_calls == 2)
        return (4ULL << 32) | HV_STATUS_INVALID_PARAMETER;
    return 4ULL << 32;
}

static void test_rep_stops_on_error(void **state)
{
    uint64_t r;

    fake.handler = fail_second_call;
    r = hv_hypercall_rep(0x3, 0x7001000, 0, 8);
    assert_int_equal(hv_result_status(r), HV_STATUS_INVALID_PARAMETER);
    assert_int_equal(hv_result_reps(r), 4);
    assert_int_equal(fake.nr_calls, 2);
}

static uint64_t too_many_reps(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    return 99ULL << 32;
}

static uint64_t backwards(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    return (f->nr_calls == 1 ? 5ULL : 2ULL) << 32;
}

static uint64_t no_progress(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    return 1ULL << 32;
}

static void test_rep_hostile_results(void **state)
{
    fake.handler = too_many_reps;
    assert_int_equal(hv_result_status(hv_hypercall_rep(0x3, 0, 0, 8)), HV_STATUS_SHIM_BAD_RESULT);
    assert_int_equal(fake.nr_calls, 1);

    fake.nr_calls = 0;
    fake.handler = backwards;
    assert_int_equal(hv_result_status(hv_hypercall_rep(0x3, 0, 0, 8)), HV_STATUS_SHIM_BAD_RESULT);
    assert_int_equal(fake.nr_calls, 2);

    /* Success without progress is allowed a few times, not forever. */
    fake.nr_calls = 0;
    fake.handler = no_progress;
    assert_int_equal(hv_result_status(hv_hypercall_rep(0x3, 0, 0, 8)), HV_STATUS_SHIM_BAD_RESULT);
    assert_true(fake.nr_calls > 2 && fake.nr_calls < 40);

    fake.nr_calls = 0;
    assert_int_equal(hv_hypercall_rep(0x3, 0, 0, 0x1000), HV_STATUS_INVALID_HYPERCALL_INPUT);
    assert_int_equal(fake.nr_calls, 0);
}

static uint64_t status_of_call;
static uint64_t answer_status(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2)
{
    return status_of_call;
}

static void test_post_message_layout(void **state)
{
    uint8_t payload[240];
    const uint8_t *page;

    for (unsigned int i = 0; i < sizeof(payload); i++)
        payload[i] = (uint8_t)(i * 7 + 1);
    fake.handler = answer_status;
    status_of_call = HV_STATUS_SUCCESS;
    /* Leftovers of an earlier call must not leak into this one. */
    memset(hv.cpu[0].input, 0xee, PAGE_SIZE);
    assert_int_equal(hv_post_message(0x4, 14, payload, 24), 0);
    assert_int_equal(fake.nr_calls, 1);
    assert_int_equal(fake.calls[0].control, HVCALL_POST_MESSAGE);  /* memory, no reps */
    page = hv_fake_page(fake.calls[0].in1);    /* the input block, by machine address */
    assert_int_equal(fake.calls[0].in2, 0);
    assert_int_equal(*(const uint32_t *)(page + 0), 0x4);       /* ConnectionId */
    assert_int_equal(*(const uint32_t *)(page + 4), 0);         /* Reserved */
    assert_int_equal(*(const uint32_t *)(page + 8), 14);        /* MessageType */
    assert_int_equal(*(const uint32_t *)(page + 12), 24);       /* PayloadSize */
    assert_memory_equal(page + 16, payload, 24);
    for (unsigned int i = 16 + 24; i < 256; i++)
        assert_int_equal(page[i], 0);

    assert_int_equal(hv_post_message(0x4, 14, payload, 240), 0);
    assert_memory_equal(page + 16, payload, 240);
    assert_int_equal(hv_post_message(0x4, 14, NULL, 0), 0);
    assert_int_equal(*(const uint32_t *)(page + 12), 0);
}

static void test_post_message_errors(void **state)
{
    uint8_t payload[241] = { 0 };

    fake.handler = answer_status;
    assert_int_equal(hv_post_message(0x4, 1, payload, 241), -XEN_EINVAL);
    assert_int_equal(hv_post_message(0x4, 0, payload, 8), -XEN_EINVAL);
    assert_int_equal(hv_post_message(0x4, 0x80000010u, payload, 8), -XEN_EINVAL);
    assert_int_equal(fake.nr_calls, 0);

    status_of_call = HV_STATUS_INSUFFICIENT_BUFFERS;
    assert_int_equal(hv_post_message(0x4, 1, payload, 8), -XEN_EAGAIN);
    status_of_call = HV_STATUS_INSUFFICIENT_MEMORY;
    assert_int_equal(hv_post_message(0x4, 1, payload, 8), -XEN_EAGAIN);
    status_of_call = HV_STATUS_INVALID_CONNECTION_ID;
    assert_int_equal(hv_post_message(0x4, 1, payload, 8), -XEN_EIO);
    assert_non_null(strstr(fake.log, "HvPostMessage to 0x4: status 0x12"));
}

static void test_signal_event_fast(void **state)
{
    fake.handler = answer_status;
    status_of_call = HV_STATUS_SUCCESS;
    assert_int_equal(hv_signal_event(0x10012, 0x7f), 0);
    assert_int_equal(fake.nr_calls, 1);
    assert_int_equal(fake.calls[0].control, 0x5d | HV_CTL_FAST);
    /* ConnectionId in bits 31:0, FlagNumber in 47:32, RsvdZ above. */
    assert_int_equal(fake.calls[0].in1, 0x7f00010012ULL);
    assert_int_equal(fake.calls[0].in2, 0);
    status_of_call = HV_STATUS_INVALID_CONNECTION_ID;
    assert_int_equal(hv_signal_event(0x10012, 0), -XEN_EIO);
}

static void test_send_ipi_plain(void **state)
{
    fake.handler = answer_status;
    status_of_call = HV_STATUS_SUCCESS;
    /* VP indices are the hypervisor's numbering, not the shim's CPUs. */
    hv.cpu[1].vp_index = 5;
    hv.cpu[2].vp_index = 63;
    assert_int_equal(hv_send_ipi(0xf1, BIT(0) | BIT(1) | BIT(2)), 0);
    assert_int_equal(fake.nr_calls, 1);
    assert_int_equal(fake.calls[0].control, HVCALL_SEND_SYNTHETIC_CLUSTER_IPI | HV_CTL_FAST);
    assert_int_equal(fake.calls[0].in1, 0xf1);
    assert_int_equal(fake.calls[0].in2, BIT(0) | BIT(5) | BIT(63));

    assert_int_equal(hv_send_ipi(0xf1, 0), 0);                  /* nothing to do */
    assert_int_equal(hv_send_ipi(0x0f, 1), -XEN_EINVAL);        /* below 16 */
    assert_int_equal(hv_send_ipi(0x100, 1), -XEN_EINVAL);
    assert_int_equal(hv_send_ipi(0xf1, BIT(PCPU_MAX_CPUS)), -XEN_EINVAL);
    assert_int_equal(hv_send_ipi(0xf1, BIT(3)), -XEN_EOPNOTSUPP);   /* VP unknown */
    assert_int_equal(fake.nr_calls, 1);
    status_of_call = HV_STATUS_INVALID_PARAMETER;
    assert_int_equal(hv_send_ipi(0xf1, 1), -XEN_EIO);
}

static void test_send_ipi_sparse_set(void **state)
{
    const uint64_t *page;

    fake.handler = answer_status;
    status_of_call = HV_STATUS_SUCCESS;
    hv.cpu[1].vp_index = 130;       /* bank 2, bit 2 */
    hv.cpu[2].vp_index = 64;        /* bank 1, bit 0 */
    assert_int_equal(hv_send_ipi(0x40, BIT(0) | BIT(1) | BIT(2)), 0);
    assert_int_equal(fake.nr_calls, 1);
    /* Memory call, variable header = the 3 valid banks. */
    assert_int_equal(fake.calls[0].control, HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX | (3ULL << 17));
    page = hv_fake_page(fake.calls[0].in1);
    assert_int_equal(page[0], 0x40);                    /* vector, VTL 0, reserved */
    assert_int_equal(page[1], HV_VP_SET_SPARSE_4K);
    assert_int_equal(page[2], BIT(0) | BIT(1) | BIT(2)); /* valid bank mask */
    assert_int_equal(page[3], BIT(0));                  /* bank 0: VP 0 */
    assert_int_equal(page[4], BIT(0));                  /* bank 1: VP 64 */
    assert_int_equal(page[5], BIT(2));                  /* bank 2: VP 130 */

    /* Without ExProcessorMasks, VPs beyond 63 cannot be named. */
    hv.caps.recommendations &= ~HV_REC_EX_PROCESSOR_MASKS;
    assert_int_equal(hv_send_ipi(0x40, BIT(1)), -XEN_EOPNOTSUPP);
    hv.caps.recommendations &= ~HV_REC_CLUSTER_IPI;
    assert_int_equal(hv_send_ipi(0x40, BIT(0)), -XEN_EOPNOTSUPP);
    assert_int_equal(fake.nr_calls, 1);
}

static void test_flush_tlb(void **state)
{
    const uint64_t *page;

    fake.handler = answer_status;
    status_of_call = HV_STATUS_SUCCESS;
    hv.cpu[1].vp_index = 7;
    assert_int_equal(hv_flush_tlb(BIT(0) | BIT(1)), 0);
    assert_int_equal(fake.calls[0].control, HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE);
    page = hv_fake_page(fake.calls[0].in1);
    assert_int_equal(page[0], 0);                                   /* AddressSpace */
    assert_int_equal(page[1], HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES); /* Flags */
    assert_int_equal(page[2], BIT(0) | BIT(7));                     /* ProcessorMask */

    hv.cpu[1].vp_index = 200;       /* bank 3, bit 8 */
    assert_int_equal(hv_flush_tlb(BIT(1)), 0);
    assert_int_equal(fake.calls[1].control, HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX | (1ULL << 17));
    page = hv_fake_page(fake.calls[1].in1);
    assert_int_equal(page[1], HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES);
    assert_int_equal(page[2], HV_VP_SET_SPARSE_4K);
    assert_int_equal(page[3], BIT(3));
    assert_int_equal(page[4], BIT(8));

    hv.caps.recommendations &= ~HV_REC_REMOTE_TLB_FLUSH;
    assert_int_equal(hv_flush_tlb(BIT(0)), -XEN_EOPNOTSUPP);
    assert_int_equal(fake.nr_calls, 2);
}

static void test_cpu_online(void **state)
{
    fake.cpu = 3;
    fake.msr[HV_MSR_VP_INDEX - HV_FAKE_MSR_BASE] = 11;
    assert_int_equal(hv_cpu_online(), 0);
    assert_int_equal(hv.cpu[3].vp_index, 11);
    assert_non_null(hv.cpu[3].input);
    assert_ptr_not_equal(hv.cpu[3].input, hv.cpu[0].input);
    fake.cpu = PCPU_MAX_CPUS;
    assert_int_equal(hv_cpu_online(), -XEN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_control_encoding, setup),
        cmocka_unit_test_setup(test_memory_and_fast_calls, setup),
        cmocka_unit_test_setup(test_rep_resumes_from_completed_count, setup),
        cmocka_unit_test_setup(test_rep_stops_on_error, setup),
        cmocka_unit_test_setup(test_rep_hostile_results, setup),
        cmocka_unit_test_setup(test_post_message_layout, setup),
        cmocka_unit_test_setup(test_post_message_errors, setup),
        cmocka_unit_test_setup(test_signal_event_fast, setup),
        cmocka_unit_test_setup(test_send_ipi_plain, setup),
        cmocka_unit_test_setup(test_send_ipi_sparse_set, setup),
        cmocka_unit_test_setup(test_flush_tlb, setup),
        cmocka_unit_test_setup(test_cpu_online, setup),
    };

    return cmocka_run_group_tests_name("viridian hypercalls", tests, NULL, NULL);
}
