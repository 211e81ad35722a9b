// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the xenstore server's quotas (the values of C xenstored's
 * defaults and its error names), the standard domU layout with libxl's
 * permissions, and the backend API.
 */
#include <stdio.h>
#include "xs-test.h"

/* ---- quotas -------------------------------------------------------------------- */

static void test_quota_node_size(void **state)
{
    static char val[4097];

    /* Xen's ACC_NODESZ: 16 + 8 per ACL entry + value + child names <= 2048. */
    memset(val, 'q', sizeof(val));
    val[2048 - 16 - 8] = '\0';
    assert_string_equal(g_write(0, "data/big", val), "");
    val[2048 - 16 - 8] = 'q';
    val[2048 - 16 - 7] = '\0';
    assert_string_equal(g_write(0, "data/big", val), "ENOSPC");
    assert_string_equal(g_write(0, "data/big2", val), "ENOSPC");
    /* dom0 has no node-size quota, only the payload limit. */
    assert_int_equal(xs_write_node(S, HOME "/data/big", val, 4096, NULL, 0), 0);
    assert_int_equal(xs_write_node(S, HOME "/data/big", val, 4097, NULL, 0), -XEN_E2BIG);
    /* A request of exactly XENSTORE_PAYLOAD_MAX bytes is fine. */
    val[4096 - sizeof("data/big")] = '\0';
    assert_string_equal(err_of(send_write(0, "data/big", val)), "ENOSPC");
}

static void test_quota_nodes(void **state)
{
    struct xs_stats st;
    char path[64];
    unsigned i, g0;

    xs_get_stats(S, &st);
    g0 = st.guest_nodes;
    assert_true(g0 > 5 && g0 < 20);
    for (i = 0; i < 1100; i++) {
        const char *e;

        /* 100 per directory, below the node-size quota of the parent */
        snprintf(path, sizeof(path), "data/g%u/n%u", i / 100, i);
        e = g_write(0, path, "1");
        if (*e) {
            assert_string_equal(e, "ENOSPC");
            break;
        }
    }
    xs_get_stats(S, &st);
    assert_int_equal(st.guest_nodes, 1000);
    /* (the g<n> directories count too) */
    assert_true(i > 1000 - g0 - 12 && i < 1000 - g0);
    /* Multi-level creation is refused as a whole. */
    assert_string_equal(err_of(send_str(XS_RM, 0, "data/g0/n0", NULL)), "");
    assert_string_equal(g_write(0, "data/deep/a/b", "1"), "ENOSPC");
    assert_string_equal(g_read(0, "data/deep"), "!ENOENT");
    assert_string_equal(g_write(0, "data/g0/n0", "1"), "");
    assert_string_equal(g_write(0, "data/g0/n00", "1"), "ENOSPC");
    /* dom0-owned nodes do not count. */
    assert_int_equal(xs_write_node(S, HOME "/data/byd0", "1", 1, NULL, 0), 0);
}

static void test_quota_watches_and_tx(void **state)
{
    char tok[16];
    unsigned i;

    for (i = 0; i < 128; i++) {
        snprintf(tok, sizeof(tok), "t%u", i);
        assert_string_equal(err_of(send_str(XS_WATCH, 0, "data", tok)), "");
    }
    assert_string_equal(err_of(send_str(XS_WATCH, 0, "data", "one-more")), "ENOSPC");
    /* Xen checks for a duplicate before the quota. */
    assert_string_equal(err_of(send_str(XS_WATCH, 0, "data", "t3")), "EEXIST");
    assert_string_equal(err_of(send_str(XS_UNWATCH, 0, "data", "t3")), "");
    assert_string_equal(err_of(send_str(XS_WATCH, 0, "data", "t0")), "EEXIST");
    for (i = 0; i < 10; i++)
        (void)g_tx_start();
    assert_string_equal(err_of(send_str(XS_TRANSACTION_START, 0, "", NULL)), "ENOSPC");
}

/* ---- layout and backend API ------------------------------------------------ */

static void test_domu_layout(void **state)
{
    char buf[128];
    uint64_t v;
    const struct msg *m;

    assert_string_equal(g_read(0, "domid"), "5");
    assert_string_equal(g_read(0, "memory/static-max"), "524288");
    assert_string_equal(g_read(0, "memory/target"), "524288");
    assert_string_equal(g_read(0, "cpu/0/availability"), "online");
    assert_string_equal(g_read(0, "cpu/1/availability"), "online");
    assert_string_equal(g_read(0, "cpu/2/availability"), "!ENOENT");
    assert_string_equal(g_read(0, "control/platform-feature-multiprocessor-suspend"), "1");
    assert_string_equal(g_read(0, "control/platform-feature-xs_reset_watches"), "1");
    assert_string_equal(g_read(0, "control/shutdown"), "");
    assert_string_equal(g_read(0, "console/type"), "xenconsoled");
    assert_string_equal(g_read(0, "console/limit"), "1048576");
    assert_string_equal(g_read(0, "console/tty"), "");
    assert_string_equal(g_read(0, "store/port"), "0");
    assert_int_equal(xs_set_domu_rings(S, GUEST, 1, 0x1234, 2, 0x1235), 0);
    assert_string_equal(g_read(0, "store/port"), "1");
    assert_string_equal(g_read(0, "store/ring-ref"), "4660");
    assert_string_equal(g_read(0, "console/port"), "2");
    assert_string_equal(g_read(0, "console/ring-ref"), "4661");
    snprintf(buf, sizeof(buf), "%s", g_read(0, "vm"));
    assert_memory_equal(buf, "/vm/", 4);
    strcat(buf, "/name");
    assert_string_equal(g_read(0, buf), "guest");
    assert_string_equal(g_read(0, "/local/domain/0/backend/console/5/0/state"), "1");
    assert_string_equal(g_read(0, "/local/domain/0/backend/console/5/0/frontend"),
                        HOME "/console");
    for (const char *const *p = (const char *const[]){ "data", "drivers", "feature",
             "attr", "error", "control/shutdown", "control/sysrq",
             "device/suspend/event-channel", NULL }; *p; p++) {
        m = send_str(XS_GET_PERMS, 0, *p, NULL);
        assert_memory_equal(m->d, "n5", 3);
    }
    for (const char *const *p = (const char *const[]){ "", "cpu", "memory", "device",
             "control", "console", "name", NULL }; *p; p++) {
        m = send_str(XS_GET_PERMS, 0, **p ? *p : HOME, NULL);
        assert_memory_equal(m->d, "n0\0r5", 6);
    }
    assert_int_equal(xs_read_uint(S, HOME "/memory/target", &v), 0);
    assert_int_equal(v, 524288);
    assert_int_equal(xs_read_uint(S, HOME "/name", &v), -XEN_EINVAL);
    assert_int_equal(xs_read_node(S, HOME "/name", buf, 3), 5);
    assert_string_equal(buf, "gu");
    assert_int_equal(xs_read_node(S, HOME "/nope", buf, sizeof(buf)), -XEN_ENOENT);
    assert_int_equal(xs_read_node(S, "bad//path", buf, sizeof(buf)), -XEN_EINVAL);
    assert_int_equal(xs_rm(S, "/"), -XEN_EINVAL);
    assert_int_equal(xs_printf_node(S, "/local/domain/0/x", "%d-%s", 3, "y"), 0);
    assert_int_equal(xs_read_node(S, "/local/domain/0/x", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "3-y");
    /* Re-populating replaces the old tree. */
    xs_populate_domu(S, GUEST, "again", 1024, 1);
    assert_string_equal(g_read(0, "name"), "again");
    assert_string_equal(g_read(0, "cpu/1/availability"), "!ENOENT");
    assert_string_equal(g_read(0, "store/port"), "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_quota_node_size, xs_setup),
        cmocka_unit_test_setup(test_quota_nodes, xs_setup),
        cmocka_unit_test_setup(test_quota_watches_and_tx, xs_setup),
        cmocka_unit_test_setup(test_domu_layout, xs_setup),
    };

    return cmocka_run_group_tests_name("xenstore-quota", tests, NULL, NULL);
}
