// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the xenstore server (xenbus/): the wire parser against
 * hostile requests, tree operations and arena reuse, permissions as C
 * xenstored applies them to a domU. Quotas, the domU layout and the backend
 * API: test-xenstore-quota.c; watches and transactions:
 * test-xenstore-watch.c; the ring: test-xenstore-ring.c. Every request's payload is an exact-size heap copy,
 * so ASan catches any read past hdr.len.
 */
#include <stdio.h>
#include "xs-test.h"

/* ---- parser ---------------------------------------------------------------- */

static void test_unknown_types_enosys(void **state)
{
    static const uint32_t types[] = { XS_WATCH_EVENT, XS_ERROR, 20, XS_TYPE_COUNT,
                                      100, 0xffff, 0xffffffffu };

    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        const struct msg *m = send_raw(types[i], 1000 + i, 0, "x\0", 2);

        assert_int_equal(m->h.type, XS_ERROR);
        assert_string_equal(err_of(m), "ENOSYS");
    }
}

static void test_privileged_types_eacces(void **state)
{
    static const uint32_t types[] = { XS_CONTROL, XS_INTRODUCE, XS_RELEASE,
                                      XS_IS_DOMAIN_INTRODUCED, XS_RESUME,
                                      XS_SET_TARGET };

    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        assert_string_equal(err_of(send_raw(types[i], 9, 0, "5\0", 2)), "EACCES");
}

static void test_missing_terminators(void **state)
{
    /* READ wants exactly one string ending at hdr.len. */
    assert_string_equal(err_of(send_raw(XS_READ, 1, 0, "name", 4)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_READ, 1, 0, "", 0)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_READ, 1, 0, "name\0x", 6)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_READ, 1, 0, "name\0x\0", 7)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_DIRECTORY, 1, 0, "data", 4)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_WRITE, 1, 0, "data/x", 6)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_WATCH, 1, 0, "data\0tok", 8)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_WATCH, 1, 0, "data\0", 5)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_WATCH, 1, 0, "a\0b\0c\0", 6)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_UNWATCH, 1, 0, "data", 4)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_TRANSACTION_END, 1, 0, "T", 1)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_SET_PERMS, 1, 0, "data\0", 5)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_SET_PERMS, 1, 0, "data\0n5", 7)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_GET_DOMAIN_PATH, 1, 0, "5", 1)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_DIRECTORY_PART, 1, 0, "data\0", 5)), "EINVAL");
    assert_string_equal(err_of(send_raw(XS_DIRECTORY_PART, 1, 0, "data\0x\0", 7)), "EINVAL");
    /* A value may hold anything, NULs included. */
    assert_string_equal(err_of(send_raw(XS_WRITE, 1, 0, "data/x\0a\0b", 10)), "");
    {
        const struct msg *m = send_str(XS_READ, 0, "data/x", NULL);

        assert_int_equal(m->h.len, 3);
        assert_memory_equal(m->d, "a\0b", 3);
    }
}

static void test_bad_paths(void **state)
{
    char longp[2200];
    size_t len;

    assert_string_equal(g_read(0, "data//x"), "!EINVAL");
    assert_string_equal(g_read(0, "data/"), "!EINVAL");
    assert_string_equal(g_read(0, "da ta"), "!EINVAL");
    assert_string_equal(g_read(0, "data/x.y"), "!EINVAL");
    assert_string_equal(g_read(0, "@introduceDomain"), "!EINVAL");
    assert_string_equal(g_read(0, ""), "!EINVAL");
    assert_string_equal(g_write(0, "/local/domain/5/data/", "v"), "EINVAL");
    /* Path length: XENSTORE_REL_PATH_MAX below the domain home (short
     * components, or the parents' node-size quota would stop it first). */
    strcpy(longp, "data");
    for (len = 4; len + 100 <= 2048; len += 100)
        strcat(longp, "/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    while (len < 2048) {
        strcat(longp, "/c");
        len += 2;
    }
    assert_int_equal(strlen(longp), 2048);
    assert_string_equal(g_write(0, longp, "v"), "");
    assert_string_equal(g_read(0, longp), "v");
    strcat(longp, "d");
    assert_string_equal(g_write(0, longp, "v"), "EINVAL");
    assert_string_equal(g_read(0, longp), "!EINVAL");
}

static void test_bad_tx_id(void **state)
{
    assert_string_equal(err_of(send_str(XS_READ, 77, "name", NULL)), "ENOENT");
    assert_string_equal(err_of(send_str(XS_TRANSACTION_END, 77, "T", NULL)), "ENOENT");
    assert_string_equal(err_of(send_str(XS_TRANSACTION_END, 0, "T", NULL)), "ENOENT");
    /* WATCH ignores the transaction id (Xen XS_FLAG_NOTID). */
    assert_string_equal(err_of(send_str(XS_WATCH, 77, "data", "t")), "");
}

static void test_get_domain_path(void **state)
{
    const struct msg *m = send_str(XS_GET_DOMAIN_PATH, 0, "7", NULL);

    assert_int_equal(m->h.type, XS_GET_DOMAIN_PATH);
    assert_int_equal(m->h.len, sizeof("/local/domain/7"));
    assert_string_equal(m->d, "/local/domain/7");
    assert_string_equal(err_of(send_str(XS_GET_DOMAIN_PATH, 0, "x7", NULL)), "EINVAL");
    assert_string_equal(err_of(send_str(XS_GET_DOMAIN_PATH, 0, "65536", NULL)), "EINVAL");
}

static void test_directory_and_parts(void **state)
{
    const struct msg *m;
    char path[64], big[XENSTORE_PAYLOAD_MAX + 64];
    size_t off = 0;
    unsigned parts = 0, names = 0;

    m = send_str(XS_DIRECTORY, 0, "console", NULL);
    assert_int_equal(m->h.type, XS_DIRECTORY);
    assert_memory_equal(m->d, "backend\0backend-id\0limit\0type\0output\0tty\0port\0ring-ref\0",
                        m->h.len);
    /* An empty directory: zero bytes. */
    assert_int_equal(send_str(XS_DIRECTORY, 0, "data", NULL)->h.len, 0);
    /* 300 long names: > 4096 bytes, DIRECTORY says E2BIG ... */
    /* (written by dom0: a guest's node could not hold that many names) */
    for (unsigned i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), HOME "/data/d/entry-with-a-long-name-%03u", i);
        assert_int_equal(xs_write_node(S, path, "", 0, NULL, 0), 0);
    }
    assert_string_equal(err_of(send_str(XS_DIRECTORY, 0, "data/d", NULL)), "E2BIG");
    /* ... and DIRECTORY_PART hands it out in pieces. */
    for (;;) {
        char offs[16];
        size_t glen;

        snprintf(offs, sizeof(offs), "%zu", off);
        m = send_str(XS_DIRECTORY_PART, 0, "data/d", offs);
        assert_int_equal(m->h.type, XS_DIRECTORY_PART);
        assert_true(m->h.len <= XENSTORE_PAYLOAD_MAX);
        parts++;
        glen = strlen(m->d) + 1;     /* generation */
        assert_true(glen > 1);
        for (size_t p = glen; p < m->h.len; p += strlen(m->d + p) + 1) {
            if (m->d[p] == '\0') {   /* the final empty string */
                assert_int_equal(p + 1, m->h.len);
                goto done;
            }
            memcpy(big, m->d + p, strlen(m->d + p) + 1);
            snprintf(path, sizeof(path), "entry-with-a-long-name-%03u", names);
            assert_string_equal(big, path);
            names++;
            off += strlen(m->d + p) + 1;
        }
    }
done:
    assert_int_equal(names, 300);
    assert_true(parts >= 2);
    /* Offset past the end: just the generation and an empty string. */
    m = send_str(XS_DIRECTORY_PART, 0, "data/d", "999999");
    assert_int_equal(m->d[m->h.len - 1], '\0');
    assert_int_equal(m->d[m->h.len - 2], '\0');
}

/* ---- tree ------------------------------------------------------------------- */

static void test_write_read_mkdir_rm(void **state)
{
    struct xs_stats before, after;

    xs_get_stats(S, &before);
    assert_string_equal(g_write(0, "data/a/b/c", "hello"), "");
    assert_string_equal(g_read(0, "data/a/b/c"), "hello");
    assert_string_equal(g_read(0, HOME "/data/a/b/c"), "hello");
    assert_string_equal(g_read(0, "data/a/b"), "");
    assert_string_equal(g_write(0, "data/a/b/c", "a longer value than before"), "");
    assert_string_equal(g_read(0, "data/a/b/c"), "a longer value than before");
    assert_string_equal(err_of(send_str(XS_MKDIR, 0, "data/a/b", NULL)), "");
    assert_string_equal(g_read(0, "data/a/b/c"), "a longer value than before");
    assert_string_equal(err_of(send_str(XS_MKDIR, 0, "data/m/n", NULL)), "");
    assert_string_equal(g_read(0, "data/m/n"), "");
    assert_string_equal(err_of(send_str(XS_RM, 0, "data/a", NULL)), "");
    assert_string_equal(g_read(0, "data/a/b/c"), "!ENOENT");
    assert_string_equal(g_read(0, "data/a"), "!ENOENT");
    /* Removing a missing node is fine if its parent exists (Xen). */
    assert_string_equal(err_of(send_str(XS_RM, 0, "data/a", NULL)), "");
    assert_string_equal(err_of(send_str(XS_RM, 0, "data/a/b", NULL)), "ENOENT");
    assert_string_equal(err_of(send_str(XS_RM, 0, "data/m", NULL)), "");
    assert_int_equal(send_str(XS_DIRECTORY, 0, "data", NULL)->h.len, 0);
    xs_get_stats(S, &after);
    assert_int_equal(after.nodes, before.nodes);
    assert_int_equal(after.arena_used, before.arena_used);
    assert_int_equal(after.guest_nodes, before.guest_nodes);
}

static void test_arena_reuse(void **state)
{
    struct xs_stats before, after;
    char path[64], val[3000];

    xs_get_stats(S, &before);
    memset(val, 'v', sizeof(val));
    for (unsigned round = 0; round < 200; round++) {
        for (unsigned i = 0; i < 20; i++) {
            size_t len = (round * 37 + i * 101) % 2000;

            val[len] = '\0';
            snprintf(path, sizeof(path), "data/r%u/n%u", i % 3, i);
            assert_string_equal(g_write(0, path, val), "");
            val[len] = 'v';
        }
        assert_string_equal(err_of(send_str(XS_RM, 0, "data/r0", NULL)), "");
        assert_string_equal(err_of(send_str(XS_RM, 0, "data/r1", NULL)), "");
        assert_string_equal(err_of(send_str(XS_RM, 0, "data/r2", NULL)), "");
    }
    xs_get_stats(S, &after);
    assert_int_equal(after.nodes, before.nodes);
    assert_int_equal(after.arena_used, before.arena_used);
}

static void test_arena_exhaustion_and_recovery(void **state)
{
    static char val[4096];
    char path[64];
    unsigned n = 0;
    int rc;

    memset(val, 'x', sizeof(val));
    /* The guest stops at its share (ENOMEM), short of the reserve. */
    for (;;) {
        snprintf(path, sizeof(path), "/local/domain/0/fill/n%u", n++);
        rc = xs_write_node(S, path, val, sizeof(val), NULL, 0);
        if (rc)
            break;
    }
    assert_int_equal(rc, -XEN_ENOMEM);
    assert_true(n > 100);
    assert_string_equal(g_write(0, "data/x", "y"), "ENOMEM");
    assert_int_equal(xs_rm(S, "/local/domain/0/fill"), 0);
    assert_string_equal(g_write(0, "data/x", "y"), "");
    assert_int_equal(xs_write_node(S, "/local/domain/0/fill/again", val, sizeof(val),
                                   NULL, 0), 0);
}

static void test_guest_cannot_eat_reserve(void **state)
{
    char path[64], val[1900];
    struct xs_stats st;
    unsigned i;

    memset(val, 'g', sizeof(val));
    val[sizeof(val) - 1] = '\0';
    for (i = 0; i < 2000; i++) {
        const char *e;

        snprintf(path, sizeof(path), "data/f%u/v", i);
        e = g_write(0, path, val);
        if (*e) {
            assert_true(!strcmp(e, "ENOMEM") || !strcmp(e, "ENOSPC"));
            break;
        }
    }
    assert_true(i < 2000);
    xs_get_stats(S, &st);
    /* Backends still have room. */
    assert_int_equal(xs_write_node(S, "/local/domain/0/backend/vbd/5/51712/state",
                                   "1", 1, NULL, 0), 0);
}

/* ---- permissions ---------------------------------------------------------- */

static void test_permissions(void **state)
{
    const struct msg *m;

    assert_string_equal(g_read(0, "name"), "guest");
    assert_string_equal(g_read(0, "/local/domain/0/name"), "!EACCES");
    assert_string_equal(g_read(0, "/local/domain/0/nothing"), "!EACCES");
    assert_string_equal(g_read(0, "nothing"), "!ENOENT");
    assert_string_equal(g_read(0, "/nothing"), "!EACCES");
    assert_string_equal(err_of(send_str(XS_DIRECTORY, 0, "/", NULL)), "EACCES");
    /* dom0-owned, guest-readable: no writes, no new children. */
    assert_string_equal(g_write(0, "name", "evil"), "EACCES");
    assert_string_equal(g_write(0, "newnode", "x"), "EACCES");
    assert_string_equal(g_write(0, "memory/target", "1"), "EACCES");
    assert_string_equal(err_of(send_str(XS_RM, 0, "name", NULL)), "EACCES");
    assert_string_equal(err_of(send_str(XS_RM, 0, "/local/domain/0", NULL)), "EACCES");
    assert_string_equal(err_of(send_str(XS_MKDIR, 0, "cpu/9", NULL)), "EACCES");
    /* guest-owned */
    assert_string_equal(g_write(0, "control/shutdown", ""), "");
    assert_string_equal(g_write(0, "control/feature-poweroff", "1"), "");
    assert_string_equal(g_write(0, "data/x", "1"), "");
    assert_string_equal(g_write(0, "/local/domain/6/data", "1"), "EACCES");
    /* get-perms strings */
    m = send_str(XS_GET_PERMS, 0, "name", NULL);
    assert_int_equal(m->h.type, XS_GET_PERMS);
    assert_int_equal(m->h.len, sizeof("n0\0r5"));
    assert_memory_equal(m->d, "n0\0r5", sizeof("n0\0r5"));
    m = send_str(XS_GET_PERMS, 0, "data/x", NULL);
    assert_memory_equal(m->d, "n5", sizeof("n5"));
    assert_string_equal(err_of(send_str(XS_GET_PERMS, 0, "@introduceDomain", NULL)),
                        "EACCES");
}

static const struct msg *set_perms(const char *path, const char *const *p, unsigned n)
{
    char buf[256];
    size_t len = strlen(path) + 1;

    memcpy(buf, path, len);
    for (unsigned i = 0; i < n; i++) {
        memcpy(buf + len, p[i], strlen(p[i]) + 1);
        len += strlen(p[i]) + 1;
    }
    return send_raw(XS_SET_PERMS, 3, 0, buf, (uint32_t)len);
}

static void test_set_perms(void **state)
{
    static const char *const share[] = { "n5", "r0", "b7" };
    static const char *const giveaway[] = { "n0" };
    static const char *const bad[] = { "x5" };
    static const char *const bad2[] = { "r" };
    static const char *const many[] = { "n5", "r1", "r2", "r3", "r4", "r6" };
    char val[64];
    const struct msg *m;

    assert_string_equal(g_write(0, "data/s", "v"), "");
    assert_string_equal(err_of(set_perms("data/s", share, 3)), "");
    m = send_str(XS_GET_PERMS, 0, "data/s", NULL);
    assert_memory_equal(m->d, "n5\0r0\0b7", sizeof("n5\0r0\0b7"));
    /* Children inherit the ACL; an unprivileged creator owns them. */
    assert_string_equal(g_write(0, "data/s/kid", "v"), "");
    m = send_str(XS_GET_PERMS, 0, "data/s/kid", NULL);
    assert_memory_equal(m->d, "n5\0r0\0b7", sizeof("n5\0r0\0b7"));
    assert_string_equal(err_of(set_perms("data/s", giveaway, 1)), "EPERM");
    assert_string_equal(err_of(set_perms("name", share, 3)), "EACCES");
    assert_string_equal(err_of(set_perms("data/s", bad, 1)), "EINVAL");
    assert_string_equal(err_of(set_perms("data/s", bad2, 1)), "EINVAL");
    assert_string_equal(err_of(set_perms("data/s", many, 6)), "ENOSPC");
    assert_string_equal(err_of(set_perms("data/nope", share, 3)), "ENOENT");
    /* dom0 may give a node away; the guest then only reads it. */
    {
        static const struct xs_acl acl[] = { { 0, XS_PERM_NONE }, { GUEST, XS_PERM_READ } };

        assert_int_equal(xs_write_node(S, HOME "/data/s", "dom0", 4, acl, 2), 0);
    }
    assert_string_equal(g_read(0, "data/s"), "dom0");
    assert_string_equal(g_write(0, "data/s", "x"), "EACCES");
    assert_int_equal(xs_read_node(S, HOME "/data/s", val, sizeof(val)), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unknown_types_enosys, xs_setup),
        cmocka_unit_test_setup(test_privileged_types_eacces, xs_setup),
        cmocka_unit_test_setup(test_missing_terminators, xs_setup),
        cmocka_unit_test_setup(test_bad_paths, xs_setup),
        cmocka_unit_test_setup(test_bad_tx_id, xs_setup),
        cmocka_unit_test_setup(test_get_domain_path, xs_setup),
        cmocka_unit_test_setup(test_directory_and_parts, xs_setup),
        cmocka_unit_test_setup(test_write_read_mkdir_rm, xs_setup),
        cmocka_unit_test_setup(test_arena_reuse, xs_setup),
        cmocka_unit_test_setup(test_arena_exhaustion_and_recovery, xs_setup),
        cmocka_unit_test_setup(test_guest_cannot_eat_reserve, xs_setup),
        cmocka_unit_test_setup(test_permissions, xs_setup),
        cmocka_unit_test_setup(test_set_perms, xs_setup),
    };

    return cmocka_run_group_tests_name("xenstore", tests, NULL, NULL);
}
