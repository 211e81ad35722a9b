// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/qemu-args.c: the shim command line format the
 * shim parses, QEMU's -m arithmetic, the argv (TCG vs KVM, module list,
 * extra arguments, paths QEMU's multiboot loader cannot carry, disks and
 * vifs with the shim's vbd=/vif= tokens), shell
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
    assert_null(arg_after(&c, "-smp"));     /* one vCPU: QEMU's default */
    qemu_cmd_free(&c);
    assert_null(c.argv);
}

static void test_build_smp(void **state)
{
    struct qemu_opts o;
    struct qemu_cmd c;

    base_opts(&o);
    o.vcpus = 4;
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), 0);
    assert_string_equal(arg_after(&c, "-smp"), "4");
    assert_string_equal(arg_after(&c, "-append"),
                        "mem=256 vcpus=4 -- console=hvc0 root=/dev/xvda");
    qemu_cmd_free(&c);
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

/* Disks and vifs: QEMU devices in index order, and the shim's tokens. */
static void test_build_devices(void **state)
{
    struct disk_spec disks[] = {
        { .target = "/srv/a,b.img", .format = DISK_FORMAT_RAW, .vdev = "xvda",
          .devnum = 51712 },
        { .target = "c:d.qcow2", .format = DISK_FORMAT_QCOW2, .vdev = "hdc",
          .devnum = 5632, .readonly = true, .cdrom = true },
        { .target = "/x.vhd", .format = DISK_FORMAT_VHD, .vdev = "xvdq",
          .devnum = 1 << 28 | 16 << 8 },
    };
    struct vif_spec vifs[] = {
        { .mac = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 }, .bridge = "xenbr0" },
        { .mac = { 0x00, 0x16, 0x3e, 0x0a, 0x0b, 0xfc } },
        { .mac = { 0x02, 0, 0, 0, 0, 1 }, .bridge = "user" },
    };
    char *fwd[] = { "tcp::2222-:22", "udp:127.0.0.1:5353-:53" };
    struct qemu_opts o;
    struct qemu_cmd c;
    size_t i = 0, j;

    base_opts(&o);
    o.disks = disks;
    o.nr_disks = 3;
    o.vifs = vifs;
    o.nr_vifs = 3;
    o.hostfwd = fwd;
    o.nr_hostfwd = 2;
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), 0);
    assert_string_equal(arg_after(&c, "-append"),
                        "mem=256 vbd=0:51712:w:xvda vbd=1:5632:r:hdc vbd=2:268439552:w:xvdq "
                        "vif=0:00:16:3e:01:02:03 vif=1:00:16:3e:0a:0b:fc "
                        "vif=2:02:00:00:00:00:01 -- console=hvc0 root=/dev/xvda");
    while (strcmp(c.argv[i], "-append"))
        i++;
    i += 2;
    {
        static const char *const want[] = {
            "-drive", "file=/srv/a,,b.img,if=none,format=raw,id=vbd0",
            "-device", "virtio-blk-pci,disable-legacy=on,drive=vbd0",
            "-drive", "file=./c:d.qcow2,if=none,format=qcow2,id=vbd1,readonly=on",
            "-device", "virtio-blk-pci,disable-legacy=on,drive=vbd1",
            "-drive", "file=/x.vhd,if=none,format=vpc,id=vbd2",
            "-device", "virtio-blk-pci,disable-legacy=on,drive=vbd2",
            "-netdev", "bridge,id=net0,br=xenbr0",
            "-device", "virtio-net-pci,disable-legacy=on,netdev=net0,mac=00:16:3e:01:02:03",
            "-netdev", "user,id=net1,hostfwd=tcp::2222-:22,hostfwd=udp:127.0.0.1:5353-:53",
            "-device", "virtio-net-pci,disable-legacy=on,netdev=net1,mac=00:16:3e:0a:0b:fc",
            "-netdev", "user,id=net2",
            "-device", "virtio-net-pci,disable-legacy=on,netdev=net2,mac=02:00:00:00:00:01",
        };

        for (j = 0; j < sizeof(want) / sizeof(want[0]); j++)
            assert_string_equal(c.argv[i + j], want[j]);
        assert_int_equal(i + j, c.argc);
    }
    qemu_cmd_free(&c);

    /* --hostfwd needs a user-networking vif, and one rule per option. */
    o.nr_vifs = 1;
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
    assert_string_equal(err, "--hostfwd needs a vif with user networking "
                        "(e.g. --vif '' or bridge=user)");
    o.nr_vifs = 2;
    fwd[1] = "tcp::1-:2,hostfwd=tcp::3-:4";
    assert_int_equal(qemu_build(&o, &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "--hostfwd 'tcp::1-:2,hostfwd=tcp::3-:4': expected"));
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
        cmocka_unit_test(test_build_smp),
        cmocka_unit_test(test_build_kvm_initrd_extra),
        cmocka_unit_test(test_build_bad_paths),
        cmocka_unit_test(test_build_devices),
        cmocka_unit_test(test_print_quoting),
        cmocka_unit_test(test_verdict),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
