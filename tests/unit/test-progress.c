// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/progress.c: the boot progress line follows
 * the shim's "(xenshim) " lines in order, counts vbds and vifs attached and
 * connected, ignores guest text that merely contains shim-like words, and
 * renders within any buffer size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/xenshim/progress.h"

static void test_full_boot(void **state)
{
    struct progress p = { 0 };
    char buf[160];

    (void)state;
    progress_render(&p, 0.2, buf, sizeof(buf));
    assert_string_equal(buf, "[0 s] qemu started");
    assert_true(progress_feed(&p, "(xenshim) xenshim starting on the pc platform"));
    assert_false(progress_feed(&p, "(xenshim) command line: build/xenshim.elf mem=256"));
    assert_true(progress_feed(&p, "(xenshim) blkback: xvda (vbd 51712) on disk 0, rw, 32768 sectors"));
    assert_true(progress_feed(&p, "(xenshim) netback: vif0 on NIC 0, mac 00:16:3e:00:00:01, mtu 1500"));
    assert_true(progress_feed(&p, "(xenshim) starting the guest"));
    progress_render(&p, 1.6, buf, sizeof(buf));
    assert_string_equal(buf, "[2 s] shim up > guest started > vbd 0/1 > vif 0/1");
    assert_true(progress_feed(&p, "(xenshim) xenstore: guest connected"));
    assert_true(progress_feed(&p, "(xenshim) blkback xvda: connected, 1-page ring (32 entries), port 9"));
    assert_true(progress_feed(&p, "(xenshim) netback vif0: connected, ports 9/10"));
    progress_render(&p, 5, buf, sizeof(buf));
    assert_string_equal(buf, "[5 s] shim up > guest started > xenbus > vbd 1/1 > vif 1/1");
    assert_false(progress_feed(&p, "(xenshim) blkback xvda: disconnected (132 requests, 0 errors)"));
    assert_true(progress_feed(&p, "(xenshim) guest shutdown: poweroff\r"));
    progress_render(&p, 9, buf, sizeof(buf));
    assert_string_equal(buf, "[9 s] shim up > guest started > xenbus > vbd 1/1 > vif 1/1 > poweroff");
}

/* The guest kernel's own xenbus lines also show that xenbus is up. */
static void test_guest_xenbus_line(void **state)
{
    struct progress p = { 0 };

    (void)state;
    progress_feed(&p, "(xenshim) starting the guest");
    assert_true(progress_feed(&p, "[    2.195757] xenbus_probe_frontend: Device with no driver: device/vif/0"));
    assert_int_equal(p.stage, PROGRESS_XENBUS);
}

/* Guest output quoting shim lines mid-line does not move the progress. */
static void test_not_at_line_start(void **state)
{
    struct progress p = { 0 };

    (void)state;
    assert_false(progress_feed(&p, "echo (xenshim) starting the guest"));
    assert_false(progress_feed(&p, " (xenshim) blkback: xvda (vbd 51712) on disk 0"));
    assert_false(progress_feed(&p, "(xenshim) blkback: 2 disk(s) but no vbd= token: none attached"));
    assert_false(progress_feed(&p, "(xenshim) blkback xvda oops: connected"));
    assert_int_equal(p.stage, PROGRESS_QEMU);
    assert_int_equal(p.vbds, 0);
}

/* Stages never go back; a later "xenshim starting" (a restart in the same
 * relay cannot happen, but a guest could print it) does not reset. */
static void test_monotonic(void **state)
{
    struct progress p = { 0 };

    (void)state;
    progress_feed(&p, "(xenshim) starting the guest");
    assert_false(progress_feed(&p, "(xenshim) xenshim starting on the pc platform"));
    assert_int_equal(p.stage, PROGRESS_GUEST);
}

static void test_render_small_buffers(void **state)
{
    struct progress p = { .stage = PROGRESS_SHUTDOWN, .vbds = 12, .vifs = 3 };
    char buf[200];
    size_t len;

    (void)state;
    strcpy(p.shutdown, "crash");
    for (len = 0; len < sizeof(buf); len++) {
        memset(buf, 'x', sizeof(buf));
        progress_render(&p, 123456, buf, len);
        if (len) {
            assert_true(strlen(buf) < len);
        } else {
            assert_int_equal(buf[0], 'x'); /* nothing written */
        }
    }
    progress_render(&p, -3, buf, sizeof(buf));
    assert_string_equal(buf, "[0 s] shim up > guest started > xenbus > vbd 0/12 > vif 0/3 > crash");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_boot),
        cmocka_unit_test(test_guest_xenbus_line),
        cmocka_unit_test(test_not_at_line_start),
        cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_render_small_buffers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
