// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the provider registry (shim/platform/common/): two fake
 * block providers and two fake network providers registered in turn; the
 * generic plat_blk_* / plat_net_* calls must reach the right provider with
 * the right local index, run every provider's poll, translate the local
 * index of a receive callback back to the global one, and refuse indices
 * past the last device. One test binary per process: the registry is
 * static state, so the tests share one registration done in setup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <plat/provider.h>
#include <xen/errno.h>

struct fake_prov {
    unsigned int count;
    struct plat_blk_info binfo[4];
    struct plat_net_info ninfo[4];
    unsigned int last_idx, submits, polls;
    plat_net_rx_fn rx_fn[4];
    void *rx_opaque[4];
};

static struct fake_prov pa = { .count = 2 }, pb = { .count = 3 };
static struct fake_prov na = { .count = 1 }, nb = { .count = 2 };

static unsigned int f_count(void *ctx) { return ((struct fake_prov *)ctx)->count; }

static const struct plat_blk_info *f_binfo(void *ctx, unsigned int idx)
{
    struct fake_prov *p = ctx;

    assert_true(idx < p->count);
    return &p->binfo[idx];
}

static int f_submit(void *ctx, unsigned int idx, struct plat_blk_req *req)
{
    struct fake_prov *p = ctx;

    assert_true(idx < p->count);
    p->last_idx = idx;
    p->submits++;
    return 0;
}

static unsigned int f_poll(void *ctx)
{
    ((struct fake_prov *)ctx)->polls++;
    return 1;
}

static const struct plat_net_info *f_ninfo(void *ctx, unsigned int idx)
{
    struct fake_prov *p = ctx;

    assert_true(idx < p->count);
    return &p->ninfo[idx];
}

static int f_tx(void *ctx, unsigned int idx, struct plat_net_tx_req *req)
{
    return f_submit(ctx, idx, NULL);
}

static int f_set_rx(void *ctx, unsigned int idx, plat_net_rx_fn fn, void *opaque)
{
    struct fake_prov *p = ctx;

    assert_true(idx < p->count);
    p->rx_fn[idx] = fn;
    p->rx_opaque[idx] = opaque;
    return 0;
}

static const struct plat_blk_provider fake_blk = {
    .name = "fake", .count = f_count, .info = f_binfo, .submit = f_submit, .poll = f_poll,
};
static const struct plat_net_provider fake_net = {
    .name = "fake", .count = f_count, .info = f_ninfo, .tx = f_tx, .set_rx = f_set_rx,
    .poll = f_poll,
};

static int setup(void **state)
{
    assert_int_equal(plat_blk_register(&fake_blk, &pa), 0);
    assert_int_equal(plat_blk_register(&fake_blk, &pb), 0);
    assert_int_equal(plat_net_register(&fake_net, &na), 0);
    assert_int_equal(plat_net_register(&fake_net, &nb), 0);
    return 0;
}

static void test_blk_global_to_local(void **state)
{
    struct plat_blk_req r = { 0 };

    assert_int_equal(plat_blk_count(), 5);
    assert_ptr_equal(plat_blk_info(0), &pa.binfo[0]);
    assert_ptr_equal(plat_blk_info(1), &pa.binfo[1]);
    assert_ptr_equal(plat_blk_info(2), &pb.binfo[0]);
    assert_ptr_equal(plat_blk_info(4), &pb.binfo[2]);
    assert_null(plat_blk_info(5));
    assert_null(plat_blk_info(UINT32_MAX));

    assert_int_equal(plat_blk_submit(3, &r), 0);
    assert_int_equal(pb.submits, 1);
    assert_int_equal(pb.last_idx, 1);
    assert_int_equal(pa.submits, 0);
    assert_int_equal(plat_blk_submit(1, &r), 0);
    assert_int_equal(pa.last_idx, 1);
    assert_int_equal(plat_blk_submit(5, &r), -XEN_ENODEV);
    assert_int_equal(pa.submits + pb.submits, 2);
}

static void test_blk_poll_runs_every_provider(void **state)
{
    unsigned int a = pa.polls, b = pb.polls;

    assert_int_equal(plat_blk_poll(), 2);
    assert_int_equal(pa.polls, a + 1);
    assert_int_equal(pb.polls, b + 1);
}

static unsigned int rx_seen_idx;
static void *rx_seen_opaque;
static uint32_t rx_seen_len;

static void netback_like_rx(void *opaque, unsigned int idx, const void *data, uint32_t len,
                            const struct plat_net_rx_meta *m)
{
    rx_seen_idx = idx;
    rx_seen_opaque = opaque;
    rx_seen_len = len;
}

static void test_net_global_to_local(void **state)
{
    struct plat_net_tx_req r = { 0 };
    int cookie;

    assert_int_equal(plat_net_count(), 3);
    assert_ptr_equal(plat_net_info(0), &na.ninfo[0]);
    assert_ptr_equal(plat_net_info(2), &nb.ninfo[1]);
    assert_null(plat_net_info(3));
    assert_int_equal(plat_net_tx(2, &r), 0);
    assert_int_equal(nb.last_idx, 1);
    assert_int_equal(plat_net_tx(3, &r), -XEN_ENODEV);
    assert_int_equal(plat_net_set_rx(3, netback_like_rx, &cookie), -XEN_ENODEV);

    /* The provider calls back with its local index 1; netback sees 2. */
    assert_int_equal(plat_net_set_rx(2, netback_like_rx, &cookie), 0);
    assert_non_null(nb.rx_fn[1]);
    nb.rx_fn[1](nb.rx_opaque[1], 1, "abc", 3, NULL);
    assert_int_equal(rx_seen_idx, 2);
    assert_ptr_equal(rx_seen_opaque, &cookie);
    assert_int_equal(rx_seen_len, 3);

    /* Unregistering reaches the provider as NULL: it drops frames itself. */
    assert_int_equal(plat_net_set_rx(2, NULL, NULL), 0);
    assert_null(nb.rx_fn[1]);
    assert_int_equal(plat_net_poll(), 2);
}

static void test_table_full(void **state)
{
    /* Two of four slots are taken by setup. */
    assert_int_equal(plat_blk_register(&fake_blk, &pb), 0);
    assert_int_equal(plat_blk_register(&fake_blk, &pb), 0);
    assert_int_equal(plat_blk_register(&fake_blk, &pb), -XEN_ENOSPC);
    assert_int_equal(plat_blk_count(), 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blk_global_to_local),
        cmocka_unit_test(test_blk_poll_runs_every_provider),
        cmocka_unit_test(test_net_global_to_local),
        cmocka_unit_test(test_table_full),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
