// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of GPADLs (shim/platform/viridian/vmbus-gpadl.c): the split of
 * a frame list over one GPADL_HEADER (26 frames) and GPADL_BODY messages
 * (28 frames each) checked byte by byte at the protocol's offsets, for 1
 * frame, exactly a header's worth, one more, exactly header plus a body,
 * and many; then creation and teardown through the fake host, a refusal,
 * and bad arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <plat/hyperv.h>
#include "vmbus-fake-host.h"

static int setup(void **state)
{
    fh_reset();
    return 0;
}

static uint32_t u32_at(const uint8_t *b, unsigned int off)
{
    uint32_t v;

    memcpy(&v, b + off, 4);
    return v;
}

static uint16_t u16_at(const uint8_t *b, unsigned int off)
{
    uint16_t v;

    memcpy(&v, b + off, 2);
    return v;
}

static uint64_t u64_at(const uint8_t *b, unsigned int off)
{
    uint64_t v;

    memcpy(&v, b + off, 8);
    return v;
}

/* Build every message for n frames from pfn 0x1000 and check the whole list. */
static void check_split(uint32_t n, unsigned int want_msgs)
{
    uint8_t m[240];
    uint64_t next = 0x1000;
    unsigned int k;
    uint32_t len;

    assert_int_equal(vmbus_gpadl_nr_msgs(n), want_msgs);
    for (k = 0; (len = vmbus_gpadl_msg(m, 9, 0xabc, 0x1000, n, k)) != 0; k++) {
        unsigned int first, count;

        assert_true(len <= 240);
        if (k == 0) {
            assert_int_equal(u32_at(m, 0), CHANNELMSG_GPADL_HEADER);
            assert_int_equal(u32_at(m, 4), 0);
            assert_int_equal(u32_at(m, 8), 9);                  /* child_relid */
            assert_int_equal(u32_at(m, 12), 0xabc);             /* gpadl */
            assert_int_equal(u16_at(m, 16), 8 + 8 * n);         /* range_buflen: all frames */
            assert_int_equal(u16_at(m, 18), 1);                 /* range count */
            assert_int_equal(u32_at(m, 20), n * 4096);          /* byte_count */
            assert_int_equal(u32_at(m, 24), 0);                 /* byte_offset */
            first = 28;
            count = n < 26 ? n : 26;
        } else {
            assert_int_equal(u32_at(m, 0), CHANNELMSG_GPADL_BODY);
            assert_int_equal(u32_at(m, 8), 0);                  /* msgnumber, as Linux */
            assert_int_equal(u32_at(m, 12), 0xabc);
            first = 16;
            count = (n - 26 - (k - 1) * 28) < 28 ? (n - 26 - (k - 1) * 28) : 28;
        }
        assert_int_equal(len, first + 8 * count);
        for (unsigned int i = 0; i < count; i++)
            assert_int_equal(u64_at(m, first + 8 * i), next++);
    }
    assert_int_equal(k, want_msgs);
    assert_int_equal(next, 0x1000 + n);
}

static void test_split(void **state)
{
    check_split(1, 1);
    check_split(2, 1);
    check_split(26, 1);             /* exactly the header's capacity */
    check_split(27, 2);             /* header + 1 */
    check_split(26 + 28, 2);        /* header and one full body */
    check_split(26 + 28 + 1, 3);
    check_split(1000, 1 + 35);      /* (1000 - 26) / 28 = 34.8 */
    check_split(VMBUS_GPADL_MAX_PFNS, 1 + (VMBUS_GPADL_MAX_PFNS - 26 + 27) / 28);
    /* Nothing for no frames, for too many, or past the last message. */
    {
        uint8_t m[240];

        assert_int_equal(vmbus_gpadl_msg(m, 1, 1, 0, 0, 0), 0);
        assert_int_equal(vmbus_gpadl_msg(m, 1, 1, 0, VMBUS_GPADL_MAX_PFNS + 1, 0), 0);
        assert_int_equal(vmbus_gpadl_msg(m, 1, 1, 0, 27, 2), 0);
    }
}

static void create_and_check(struct vmbus_channel *ch, uint32_t pages)
{
    paddr_t pa;
    uint32_t handle;
    struct fh_gpadl *g = NULL;
    unsigned int headers = fh_count(CHANNELMSG_GPADL_HEADER);
    unsigned int bodies = fh_count(CHANNELMSG_GPADL_BODY);

    assert_non_null(vmbus_mem_alloc(pages, &pa));
    assert_int_equal(vmbus_gpadl_create(ch, pa, pages, &handle), 0);
    for (unsigned int i = 0; i < FH_MAX_GPADLS; i++)
        if (fh.gpadls[i].used && fh.gpadls[i].handle == handle)
            g = &fh.gpadls[i];
    assert_non_null(g);
    assert_true(g->created);
    assert_int_equal(g->relid, ch->relid);
    assert_int_equal(g->nr_pfns, pages);
    assert_int_equal(g->byte_count, pages * 4096);
    for (uint32_t i = 0; i < pages; i++)
        assert_int_equal(g->pfns[i], (pa >> 12) + i);
    assert_int_equal(fh_count(CHANNELMSG_GPADL_HEADER), headers + 1);
    assert_int_equal(fh_count(CHANNELMSG_GPADL_BODY), bodies + vmbus_gpadl_nr_msgs(pages) - 1);
    assert_int_equal(vmbus_gpadl_teardown(ch, handle), 0);
    assert_false(g->used);
    assert_int_equal(fh_last(CHANNELMSG_GPADL_TEARDOWN)->len, 16);
    assert_int_equal(fh_last(CHANNELMSG_GPADL_TEARDOWN)->conn_id, FH_MSG_CONN_ID);
}

static void test_create_teardown(void **state)
{
    struct vmbus_channel *ch;

    fh_connect();
    ch = vmbus_find(&fh_type_b, 0);
    assert_non_null(ch);
    create_and_check(ch, 1);
    create_and_check(ch, 26);
    create_and_check(ch, 27);
    create_and_check(ch, 300);
}

static void test_refused_and_bad(void **state)
{
    struct vmbus_channel *ch;
    uint32_t handle = 0x55;
    paddr_t pa;

    fh_connect();
    ch = vmbus_find(&fh_type_a, 0);
    assert_non_null(vmbus_mem_alloc(4, &pa));
    fh.gpadl_status = 0xc0000001;
    assert_int_equal(vmbus_gpadl_create(ch, pa, 4, &handle), -XEN_EIO);
    assert_int_equal(handle, 0x55);
    assert_non_null(strstr(fh.log, "host refused GPADL"));
    fh.gpadl_status = 0;
    assert_int_equal(vmbus_gpadl_create(ch, pa + 8, 4, &handle), -XEN_EINVAL);
    assert_int_equal(vmbus_gpadl_create(ch, pa, 0, &handle), -XEN_EINVAL);
    assert_int_equal(vmbus_gpadl_create(ch, pa, VMBUS_GPADL_MAX_PFNS + 1, &handle), -XEN_EINVAL);
    /* A host that stops answering: bounded wait. */
    fh.silent = true;
    assert_int_equal(vmbus_gpadl_create(ch, pa, 4, &handle), -XEN_ETIMEDOUT);
    assert_int_equal(vmbus_gpadl_teardown(ch, 0xe1e10), -XEN_ETIMEDOUT);
}

static void test_handles_unique(void **state)
{
    struct vmbus_channel *ch;
    uint32_t h1, h2;
    paddr_t pa;

    fh_connect();
    ch = vmbus_find(&fh_type_a, 0);
    assert_non_null(vmbus_mem_alloc(2, &pa));
    assert_int_equal(vmbus_gpadl_create(ch, pa, 1, &h1), 0);
    assert_int_equal(vmbus_gpadl_create(ch, pa + 4096, 1, &h2), 0);
    assert_int_not_equal(h1, h2);
    assert_int_not_equal(h1, 0);
}

/* A channel callback that runs while a request is outstanding and makes its own. */
static int nested_rc = 1;
static void nested_cb(void *arg)
{
    struct vmbus_channel *ch = arg;
    struct vmbus_pkt_info info;
    uint8_t buf[64];
    uint32_t handle;
    paddr_t pa;

    while (vmbus_recv(ch, buf, sizeof(buf), &info) == 0)
        ;
    if (vmbus_mem_alloc(1, &pa))
        nested_rc = vmbus_gpadl_create(ch, pa, 1, &handle);
}

static void test_one_request_at_a_time(void **state)
{
    struct vmbus_channel *a, *b;
    uint32_t handle;
    paddr_t pa;

    fh_connect();
    a = vmbus_find(&fh_type_a, 0);
    b = vmbus_find(&fh_type_b, 0);
    assert_int_equal(vmbus_open(a, 2 * 4096, 2 * 4096, nested_cb, a), 0);
    /* The host echoes this while the client waits for B's GPADL: A's callback runs then. */
    assert_int_equal(vmbus_send(a, "ping", 4, 1, false), 0);
    assert_non_null(vmbus_mem_alloc(2, &pa));
    assert_int_equal(vmbus_gpadl_create(b, pa, 2, &handle), 0);
    assert_int_equal(nested_rc, -XEN_EBUSY);
    /* The outer request was not disturbed, and the next one works. */
    assert_int_equal(vmbus_gpadl_teardown(b, handle), 0);
    /* A callback is refused even when nobody waits: waiting would re-enter it. */
    nested_rc = 1;
    assert_int_equal(vmbus_send(a, "ping", 4, 2, false), 0);
    hv_synic_poll();
    assert_int_equal(nested_rc, -XEN_EBUSY);
    assert_int_equal(vmbus_conn.in_callback, 0);
    assert_int_equal(vmbus_gpadl_create(b, pa, 2, &handle), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_split, setup),
        cmocka_unit_test_setup(test_create_teardown, setup),
        cmocka_unit_test_setup(test_refused_and_bad, setup),
        cmocka_unit_test_setup(test_handles_unique, setup),
        cmocka_unit_test_setup(test_one_request_at_a_time, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
