// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/qemu-args.c: the shim command line format the
 * shim parses, QEMU's -m arithmetic, the argv (TCG vs KVM, module list,
 * extra arguments, paths QEMU's multiboot loader cannot carry), shell
 * quoting of --dry-run, and the QEMU exit status -> XENSHIM_RC_* mapping.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <shim/exit-status.h>

#include "../../tools/xenshim/qemu.h"

static char err[300];

static void base_opts(struct qemu_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->qemu = "qemu-system-x86_64";
    o->shim = "build/xenshim.elf";
    o->kernel_elf = "/tmp/xenshim-vmlinux-abc";
    o->memory_mib = 256;
    o->modules_bytes = 50 * 1024 * 1024 + 1;
    o->cmdline = "console=hvc0 root=/dev/xvda";
}

/* Index of the argument after `flag`, or -1. */
static const char *arg_after(const struct qemu_cmd *c, const char *flag)
{
    size_t i;

    for (i = 0; i + 1 < c->argc; i++)
        if (!strcmp(c->argv[i], flag))
            return c->argv[i + 1];
    return NULL;
}

static void test_shim_cmdline(void **state)
{
    char *s;

    s = qemu_shim_cmdline(256, false, "console=hvc0 quiet");
    assert_string_equal(s, "mem=256 -- console=hvc0 quiet");
    free(s);
    s = qemu_shim_cmdline(1024, true, "");
    assert_string_equal(s, "mem=1024 trace=1 -- ");
    free(s);
    /* The guest part is verbatim, even if it contains " -- " itself. */
    s = qemu_shim_cmdline(64, true, "init=/bin/sh -- -x 'a b'");
    assert_string_equal(s, "mem=64 trace=1 -- init=/bin/sh -- -x 'a b'");
    free(s);
}

static void test_machine_mib(void **state)
{
    assert_int_equal(qemu_machine_mib(256, 0), 256 + 64);
    assert_int_equal(qemu_machine_mib(256, 1), 256 + 1 + 64);
    assert_int_equal(qemu_machine_mib(256, 1024 * 1024), 256 + 1 + 64);
    assert_int_equal(qemu_machine_mib(256, 1024 * 1024 + 1), 256 + 2 + 64);
    assert_int_equal(qemu_machine_mib(100, 53243444), 100 + 51 + 64);
}

static void test_build_tcg(void **state)
{
    struct qemu_opts o;
    struct qemu_cmd c;

    base_opts(&o);
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), 0);
    assert_string_equal(c.argv[0], "qemu-system-x86_64");
    assert_null(c.argv[c.argc]);
    assert_string_equal(arg_after(&c, "-machine"), "pc");
    assert_string_equal(arg_after(&c, "-serial"), "stdio");
    assert_string_equal(arg_after(&c, "-display"), "none");
    assert_string_equal(arg_after(&c, "-device"), "isa-debug-exit,iobase=0xf4,iosize=0x04");
    assert_string_equal(arg_after(&c, "-accel"), "tcg");
    assert_string_equal(arg_after(&c, "-cpu"), "max,-smap");
    assert_string_equal(arg_after(&c, "-m"), "371"); /* 256 + 51 + 64 */
    assert_string_equal(arg_after(&c, "-kernel"), "build/xenshim.elf");
    assert_string_equal(arg_after(&c, "-initrd"), "/tmp/xenshim-vmlinux-abc");
    assert_string_equal(arg_after(&c, "-append"), "mem=256 -- console=hvc0 root=/dev/xvda");
    assert_string_equal(c.argv[1], "-nodefaults");
    assert_true(arg_after(&c, "-no-reboot") != NULL);
    assert_string_equal(c.argv[c.argc - 1], "mem=256 -- console=hvc0 root=/dev/xvda");
    qemu_cmd_free(&c);
    assert_null(c.argv);
}

static void test_build_kvm_initrd_extra(void **state)
{
    char *extra[] = { "-d", "int,cpu_reset", "-s" };
    struct qemu_opts o;
    struct qemu_cmd c;

    base_opts(&o);
    o.kvm = true;
    o.trace = true;
    o.initrd = "/srv/initrd.img";
    o.extra = extra;
    o.nr_extra = 3;
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), 0);
    assert_string_equal(arg_after(&c, "-accel"), "kvm");
    assert_string_equal(arg_after(&c, "-cpu"), "host");
    assert_string_equal(arg_after(&c, "-initrd"), "/tmp/xenshim-vmlinux-abc,/srv/initrd.img");
    assert_string_equal(arg_after(&c, "-append"),
                        "mem=256 trace=1 -- console=hvc0 root=/dev/xvda");
    assert_string_equal(c.argv[c.argc - 3], "-d");
    assert_string_equal(c.argv[c.argc - 2], "int,cpu_reset");
    assert_string_equal(c.argv[c.argc - 1], "-s");
    qemu_cmd_free(&c);
}

static void test_build_bad_paths(void **state)
{
    struct qemu_opts o;
    struct qemu_cmd c;

    base_opts(&o);
    o.initrd = "/srv/a,b.img";
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "initrd path '/srv/a,b.img' contains a comma"));
    assert_null(c.argv);

    base_opts(&o);
    o.kernel_elf = "/tmp/my kernel";
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "kernel path '/tmp/my kernel'"));

    base_opts(&o);
    o.shim = "/opt/x shim.elf";
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "shim path"));

    base_opts(&o);
    o.kernel_elf = "";
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
}

static void test_print_quoting(void **state)
{
    char *extra[] = { "it's", "" };
    struct qemu_opts o;
    struct qemu_cmd c;
    char *text;
    size_t len;
    FILE *f;

    base_opts(&o);
    o.extra = extra;
    o.nr_extra = 2;
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), 0);
    f = open_memstream(&text, &len);
    assert_non_null(f);
    qemu_print(f, &c);
    fclose(f);
    assert_non_null(strstr(text, " -m 371 -kernel build/xenshim.elf "));
    assert_non_null(strstr(text, " -append 'mem=256 -- console=hvc0 root=/dev/xvda' "));
    assert_non_null(strstr(text, " 'it'\\''s' ''\n"));
    assert_int_equal(strncmp(text, "qemu-system-x86_64 -nodefaults ", 31), 0);
    free(text);
    qemu_cmd_free(&c);
}

/* Wait statuses as waitpid() encodes them on Linux. */
#define EXITED(code)  (((code) & 0xff) << 8)
#define SIGNALED(sig) ((sig) & 0x7f)

static void test_verdict(void **state)
{
    static const struct {
        int value, rc;
    } map[] = {
        { SHIM_EXIT_POWEROFF, XENSHIM_RC_POWEROFF }, { SHIM_EXIT_REBOOT, XENSHIM_RC_REBOOT },
        { SHIM_EXIT_SUSPEND, XENSHIM_RC_OTHER },     { SHIM_EXIT_CRASH, XENSHIM_RC_CRASH },
        { SHIM_EXIT_WATCHDOG, XENSHIM_RC_WATCHDOG }, { SHIM_EXIT_SOFT_RESET, XENSHIM_RC_OTHER },
        { SHIM_EXIT_PANIC, XENSHIM_RC_PANIC },
    };
    char m[200];
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        assert_int_equal(qemu_verdict(EXITED(SHIM_EXIT_QEMU_STATUS(map[i].value)), m,
                                      sizeof(m)), map[i].rc);
        assert_string_equal(m, "");
    }
    assert_int_equal(qemu_verdict(EXITED(0), m, sizeof(m)), XENSHIM_RC_QEMU);
    assert_string_equal(m, "qemu exited with status 0 without a guest verdict");
    assert_int_equal(qemu_verdict(EXITED(1), m, sizeof(m)), XENSHIM_RC_QEMU);
    assert_string_equal(m, "qemu exited with status 1 without a guest verdict");
    /* An even status or an unknown odd one is not a verdict. */
    assert_int_equal(qemu_verdict(EXITED(0x20), m, sizeof(m)), XENSHIM_RC_QEMU);
    assert_int_equal(qemu_verdict(EXITED(SHIM_EXIT_QEMU_STATUS(0x16)), m, sizeof(m)),
                     XENSHIM_RC_QEMU);
    assert_int_equal(qemu_verdict(SIGNALED(SIGKILL), m, sizeof(m)), XENSHIM_RC_QEMU);
    assert_non_null(strstr(m, "qemu was killed by signal 9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shim_cmdline),
        cmocka_unit_test(test_machine_mib),
        cmocka_unit_test(test_build_tcg),
        cmocka_unit_test(test_build_kvm_initrd_extra),
        cmocka_unit_test(test_build_bad_paths),
        cmocka_unit_test(test_print_quoting),
        cmocka_unit_test(test_verdict),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
