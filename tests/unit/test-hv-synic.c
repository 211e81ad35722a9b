// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Viridian SynIC (shim/platform/viridian/hv-synic.c) against the fake
 * partition and TLFS "Virtual Interrupt Controller": SIMP/SIEFP/SCONTROL
 * set-up order, the SINTx encoding (vector, masked, auto-EOI off, reserved
 * bits kept), message slots (copy out, free the slot, EOM only when
 * MessagePending was set), oversized payloads from a hostile host, per-SINT
 * event flags, and the interrupt running the right handlers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv-fake.h"

static struct hv_message_page *simp;
static struct hv_event_flags_page *siefp;
static unsigned int calls[HV_SINT_COUNT];

static void count_handler(void *arg)
{
    calls[(uintptr_t)arg]++;
}

static int setup(void **state)
{
    hv_fake_reset();
    hv_fake_full();
    fake.msr[HV_MSR_SINT0 + 2 - HV_FAKE_MSR_BASE] = HV_SINT_MASKED | BIT(40);
    assert_true(hv_init());
    simp = hv_fake_page(hv_fake_msr_page(HV_MSR_SIMP));
    siefp = hv_fake_page(hv_fake_msr_page(HV_MSR_SIEFP));
    memset(calls, 0, sizeof(calls));
    return 0;
}

static void test_setup_order_and_encoding(void **state)
{
    int simp_w = hv_fake_find_write(HV_MSR_SIMP, 0);
    int siefp_w = hv_fake_find_write(HV_MSR_SIEFP, 0);
    int ctl_w = hv_fake_find_write(HV_MSR_SCONTROL, 0);

    assert_true(simp_w >= 0 && siefp_w >= 0 && ctl_w > simp_w && ctl_w > siefp_w);
    assert_true(fake.writes[simp_w].val & HV_PAGE_MSR_ENABLE);
    assert_true(fake.writes[siefp_w].val & HV_PAGE_MSR_ENABLE);
    assert_ptr_not_equal(simp, siefp);
    assert_true(fake.writes[ctl_w].val & HV_SCONTROL_ENABLE);
    assert_non_null(fake.irq_handler);
    for (unsigned int i = 0; i < HV_SINT_COUNT; i++) {
        int w = hv_fake_find_write(HV_MSR_SINT0 + i, 0);
        uint64_t v = fake.writes[w].val;

        /* Every SINT written before SCONTROL, masked, on the SynIC vector. */
        assert_true(w >= 0 && w < ctl_w);
        assert_int_equal(v & 0xff, 0x30);
        assert_true(v & HV_SINT_MASKED);
        assert_false(v & HV_SINT_AUTO_EOI);
    }
    /* Reserved bits of SINT2 survive. */
    assert_true(fake.msr[HV_MSR_SINT0 + 2 - HV_FAKE_MSR_BASE] & BIT(40));
}

static void test_set_handler_unmasks(void **state)
{
    uint64_t v;

    fake.msr[HV_MSR_SINT0 + 2 - HV_FAKE_MSR_BASE] |= HV_SINT_AUTO_EOI;
    hv_synic_set_handler(2, count_handler, (void *)2);
    v = fake.msr[HV_MSR_SINT0 + 2 - HV_FAKE_MSR_BASE];
    assert_int_equal(v & 0xff, 0x30);
    assert_false(v & HV_SINT_MASKED);
    assert_false(v & HV_SINT_AUTO_EOI);
    assert_true(v & BIT(40));
    hv_synic_set_handler(2, NULL, NULL);
    assert_true(fake.msr[HV_MSR_SINT0 + 2 - HV_FAKE_MSR_BASE] & HV_SINT_MASKED);
}

static void put_message(unsigned int sint, uint32_t type, uint8_t size, uint8_t flags)
{
    struct hv_message *m = &simp->slot[sint];

    for (unsigned int i = 0; i < 240; i++)
        ((uint8_t *)m->payload)[i] = (uint8_t)(i + sint);
    m->payload_size = size;
    m->flags = flags;
    m->type = type;
}

static void test_message_slot_handling(void **state)
{
    struct hv_message_view v;
    unsigned int eoms = hv_fake_count_writes(HV_MSR_EOM);
    uint8_t want[16];

    v = hv_synic_message(2);
    assert_int_equal(v.type, 0);
    assert_null(v.payload);

    put_message(2, 0x11, 16, 0);
    memcpy(want, simp->slot[2].payload, 16);
    v = hv_synic_message(2);
    assert_int_equal(v.type, 0x11);
    assert_int_equal(v.len, 16);
    assert_memory_equal(v.payload, want, 16);
    /* A copy: the host rewriting the slot does not change what was read. */
    assert_ptr_not_equal(v.payload, simp->slot[2].payload);
    memset(simp->slot[2].payload, 0xaa, 16);
    assert_memory_equal(v.payload, want, 16);

    assert_non_null(strstr(fake.log, "first SynIC message: SINT2 type 0x11, 16 bytes"));
    hv_synic_message_done(2);
    assert_int_equal(simp->slot[2].type, HV_MSG_TYPE_NONE);
    assert_int_equal(hv_fake_count_writes(HV_MSR_EOM), eoms);   /* nothing pending */

    put_message(2, 0x12, 240, HV_MESSAGE_FLAG_PENDING);
    v = hv_synic_message(2);
    assert_int_equal(v.len, 240);
    hv_synic_message_done(2);
    assert_int_equal(simp->slot[2].type, HV_MSG_TYPE_NONE);
    assert_int_equal(hv_fake_count_writes(HV_MSR_EOM), eoms + 1);
    assert_int_equal(fake.writes[fake.nr_writes - 1].msr, HV_MSR_EOM);
    assert_int_equal(fake.writes[fake.nr_writes - 1].val, 0);
}

static void test_oversized_message_dropped(void **state)
{
    struct hv_message_view v;

    put_message(5, 0x13, 241, HV_MESSAGE_FLAG_PENDING);
    v = hv_synic_message(5);
    assert_int_equal(v.type, 0);
    assert_int_equal(v.len, 0);
    assert_null(v.payload);
    /* The slot is freed (and the next message asked for) so the SINT is not stuck. */
    assert_int_equal(simp->slot[5].type, HV_MSG_TYPE_NONE);
    assert_int_equal(hv_fake_count_writes(HV_MSR_EOM), 1);
    assert_int_equal(hv.msgs_dropped, 1);
    assert_non_null(strstr(fake.log, "SINT5 message type 0x13 with 241 payload bytes dropped"));
}

static void test_bad_sint_numbers(void **state)
{
    assert_int_equal(hv_synic_message(16).type, 0);
    assert_null(hv_synic_event_flags(16));
    hv_synic_message_done(16);
    assert_int_equal(hv_fake_count_writes(HV_MSR_EOM), 0);
}

static void test_event_flags_per_sint(void **state)
{
    volatile uint64_t *f = hv_synic_event_flags(3);

    /* 2048 bits (256 bytes) per SINT, SINT 3 at byte 768. */
    assert_ptr_equal((const void *)f, (const uint8_t *)siefp + 3 * 256);
    assert_ptr_equal((const void *)hv_synic_event_flags(15), (const uint8_t *)siefp + 15 * 256);
}

static void test_interrupt_runs_handlers(void **state)
{
    hv_synic_set_handler(2, count_handler, (void *)2);
    hv_synic_set_handler(3, count_handler, (void *)3);
    hv_synic_set_handler(4, count_handler, (void *)4);

    fake.irq_handler(fake.irq_arg);             /* nothing waiting */
    assert_int_equal(calls[2] + calls[3] + calls[4], 0);

    put_message(2, 0x20, 8, 0);                  /* a message on SINT2 */
    siefp->sint[3][31] = BIT(63);                /* event flag 2047 on SINT3 */
    put_message(7, 0x21, 8, 0);                  /* SINT7 has no handler */
    fake.irq_handler(fake.irq_arg);
    assert_int_equal(calls[2], 1);
    assert_int_equal(calls[3], 1);
    assert_int_equal(calls[4], 0);
    hv_synic_poll();
    assert_int_equal(calls[2], 2);
}

static void test_without_synic(void **state)
{
    hv_fake_reset();
    hv_fake_full();
    fake.priv_lo &= ~(HV_PRIV_SYNIC | HV_PRIV_STIMER);
    assert_true(hv_init());
    assert_false(hv_has_synic());
    assert_null(fake.irq_handler);
    hv_synic_set_handler(2, count_handler, NULL);    /* no MSR: the fake would fail */
    assert_int_equal(hv_synic_message(2).type, 0);
    assert_null(hv_synic_event_flags(2));
    hv_synic_poll();
    assert_non_null(strstr(fake.log, "SINT2 handler without a SynIC"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_setup_order_and_encoding, setup),
        cmocka_unit_test_setup(test_set_handler_unmasks, setup),
        cmocka_unit_test_setup(test_message_slot_handling, setup),
        cmocka_unit_test_setup(test_oversized_message_dropped, setup),
        cmocka_unit_test_setup(test_bad_sint_numbers, setup),
        cmocka_unit_test_setup(test_event_flags_per_sint, setup),
        cmocka_unit_test_setup(test_interrupt_runs_handlers, setup),
        cmocka_unit_test_setup(test_without_synic, setup),
    };

    return cmocka_run_group_tests_name("viridian SynIC", tests, NULL, NULL);
}
