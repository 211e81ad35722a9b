// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/certify-report.c: the Markdown table and the
 * JUnit XML carry every check with its verdict and time, the counts agree,
 * and hostile text (from the console or a file name) cannot break either
 * format: XML metacharacters are escaped, control and non-ASCII bytes are
 * replaced, '|' cannot end a table cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/xenshim/certify.h"

static struct certify_check checks[3] = {
    { .name = "boot", .what = "reaches /init", .verdict = CERTIFY_PASS, .time = 3.5,
      .detail = "/init reached after 3.2 s" },
    { .name = "kernel-log", .what = "no BUG", .verdict = CERTIFY_FAIL, .time = -1,
      .detail = "[ 1.0] BUG: <&\"'> | \x01\x1b[31m caf\xc3\xa9" },
    { .name = "smp", .what = "more than one vCPU", .verdict = CERTIFY_SKIP, .time = -1,
      .detail = "one vCPU" },
};

static const struct certify_meta meta = {
    .kernel = "/boot/vmlinuz-6.1.0-56-cloud-amd64", .kernel_version = "6.1.0-56-cloud-amd64",
    .initrd = "out/initramfs.cpio.gz", .timestamp = "2026-11-22T05:00:00Z", .host = "vm",
    .accel = "tcg", .console_log = "out/console.log", .elapsed = 7.75, .exit_status = 0,
};

static char *render(int junit)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    if (junit)
        assert_int_equal(certify_write_junit(f, &meta, checks, 3), 0);
    else
        assert_int_equal(certify_write_markdown(f, &meta, checks, 3), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void test_markdown(void **state)
{
    char *md = render(0), *line;
    const char *p;
    int bars = 0;

    (void)state;
    assert_non_null(strstr(md, "# xenshim certification: FAILED\n"));
    assert_non_null(strstr(md, "1 passed, 1 failed, 1 skipped."));
    assert_non_null(strstr(md, "| boot | **pass** | 3.5 | reaches /init | /init reached after 3.2 s |\n"));
    assert_non_null(strstr(md, "| smp | skip | - | more than one vCPU | one vCPU |\n"));
    /* The hostile detail stays in one row of 5 cells (6 unescaped bars). */
    line = strstr(md, "| kernel-log |");
    assert_non_null(line);
    for (p = line; *p && *p != '\n'; p++)
        if (*p == '|' && p[-1] != '\\')
            bars++;
    assert_int_equal(bars, 6);
    assert_null(memchr(line, '\x1b', (size_t)(strchr(line, '\n') - line)));
    assert_non_null(strstr(md, "| kernel version | 6.1.0-56-cloud-amd64 |"));
    free(md);
}

static void test_junit(void **state)
{
    char *x = render(1);
    const char *p;

    (void)state;
    assert_true(!strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39));
    assert_non_null(strstr(x, "<testsuite name=\"xenshim.certify\" tests=\"3\" failures=\"1\" "
                              "errors=\"0\" skipped=\"1\" time=\"7.750\""));
    assert_non_null(strstr(x, "<testcase classname=\"xenshim.certify\" name=\"boot\" "
                              "time=\"3.500\">"));
    assert_non_null(strstr(x, "<failure message=\"[ 1.0] BUG: &lt;&amp;&quot;&apos;&gt; | "
                              "??[31m caf??\"/>"));
    assert_non_null(strstr(x, "<skipped message=\"one vCPU\"/>"));
    assert_non_null(strstr(x, "<property name=\"exit_status\" value=\"0\"/>"));
    /* Only ASCII, no control characters but newlines. */
    for (p = x; *p; p++)
        assert_true(*p == '\n' || (*p >= 0x20 && *p < 0x7f));
    assert_non_null(strstr(x, "</testsuites>\n"));
    free(x);
}

static void test_all_pass_title(void **state)
{
    struct certify_check one = { .name = "boot", .what = "w", .verdict = CERTIFY_PASS,
                                 .time = 1, .detail = "d" };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    assert_int_equal(certify_write_markdown(f, &meta, &one, 1), 0);
    fclose(f);
    assert_non_null(strstr(buf, "# xenshim certification: passed\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_all_pass_title),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
