// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/certify-checks.c: a console transcript of a
 * good boot (lines as Debian's cloud kernel and the certify /init print
 * them) gives pass on every check but smp (skip); each way a check can
 * fail or be skipped is then taken by changing one line or one fact of
 * the run, so a verdict never comes from anything but its own evidence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <shim/exit-status.h>

#include "../../tools/xenshim/certify.h"

/* The host clock when E2E-DATE (line 22, fed at t = 22 s) arrives. */
#define HOST_DATE 1795324779.0

static const char *const good[] = {
    "(xenshim) xenshim starting on the pc platform",
    "(xenshim) blkback: xvda (vbd 51712) on disk 0, rw, 32768 sectors",
    "(xenshim) netback: vif0 on NIC 0, mac 00:16:3e:12:34:56, mtu 1500",
    "(xenshim) starting the guest",
    "[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP",
    "[    0.706494] printk: console [hvc0] enabled",
    "E2E-INIT: reached userspace, uptime 2.29",
    "E2E-XEN: xen 1",
    "E2E-CLOCKSOURCE: xen",
    "E2E-CPUS: 1",
    "(xenshim) blkback xvda: connected, 1-page ring (32 entries), port 9",
    "E2E-BLK-INSMOD: ok",
    "E2E-BLK-DEV: xvda 32768 ro=0",
    "E2E-BLK-READ: xenshim-certify 1234-5",
    "E2E-BLK-WRITE: ok",
    "(xenshim) netback vif0: connected, ports 9/10",
    "E2E-NET-INSMOD: ok",
    "E2E-NET-MAC: 00:16:3e:12:34:56",
    "E2E-NET-DHCP: 10.0.2.15",
    "E2E-NET-PING: ok",
    "E2E-FORKEXEC: 200 2.42 4.59",
    "E2E-UPTIME: 8.39 9.42",
    "E2E-DATE: 1795324779",
    "E2E-DONE",
    "(xenshim) guest shutdown: poweroff",
};
#define NR_GOOD (sizeof(good) / sizeof(good[0]))

static struct certify_evidence ev;
static struct certify_run run;
static struct certify_check c[CERTIFY_NR_CHECKS];

/* Feed the good transcript one second per line, with line `skip` left out
 * and `extra` (if any) fed just before it. */
static void feed(const char *skip, const char *extra)
{
    size_t i;

    certify_evidence_init(&ev);
    for (i = 0; i < NR_GOOD; i++) {
        if (skip && !strcmp(good[i], skip)) {
            if (extra)
                certify_feed(&ev, (double)i, extra);
            continue;
        }
        certify_feed(&ev, (double)i, good[i]);
    }
    memset(&run, 0, sizeof(run));
    run.exit_status = XENSHIM_RC_POWEROFF;
    run.elapsed = (double)NR_GOOD;
    run.host_epoch = HOST_DATE - 22;
    run.disk = run.net = run.disk_write_seen = true;
    run.disk_sectors = 32768;
    strcpy(run.disk_marker, "xenshim-certify 1234-5");
    strcpy(run.mac, "00:16:3e:12:34:56");
}

static unsigned int judge(void)
{
    return certify_judge(&ev, &run, c);
}

static void test_good(void **state)
{
    unsigned int i;

    (void)state;
    feed(NULL, NULL);
    assert_int_equal(judge(), 0);
    for (i = 0; i < CERTIFY_NR_CHECKS; i++)
        assert_int_equal(c[i].verdict, i == CERTIFY_SMP ? CERTIFY_SKIP : CERTIFY_PASS);
    assert_string_equal(c[CERTIFY_BOOT].name, "boot");
    assert_float_equal(c[CERTIFY_BOOT].time, 6.0, 1e-9);
    assert_float_equal(c[CERTIFY_BLKFRONT].time, 10.0, 1e-9);
    assert_float_equal(c[CERTIFY_POWEROFF].time, (double)NR_GOOD, 1e-9);
    assert_string_equal(ev.kernel_version, "6.1.0-56-cloud-amd64");
    assert_non_null(strstr(c[CERTIFY_SMP].detail, "1 CPU(s)"));
}

static void test_boot(void **state)
{
    (void)state;
    feed("E2E-INIT: reached userspace, uptime 2.29", NULL);
    assert_true(judge() > 0);
    assert_int_equal(c[CERTIFY_BOOT].verdict, CERTIFY_FAIL);
    assert_int_equal(c[CERTIFY_CONSOLE].verdict, CERTIFY_FAIL);
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
    feed("E2E-XEN: xen 1", "E2E-XEN: xen 0");
    judge();
    assert_int_equal(c[CERTIFY_BOOT].verdict, CERTIFY_FAIL);
    assert_non_null(strstr(c[CERTIFY_BOOT].detail, "xen 0"));
}

static void test_console(void **state)
{
    (void)state;
    feed("[    0.706494] printk: console [hvc0] enabled", NULL);
    judge();
    assert_int_equal(c[CERTIFY_CONSOLE].verdict, CERTIFY_FAIL);
    feed("[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP",
         NULL);
    judge();
    assert_int_equal(c[CERTIFY_CONSOLE].verdict, CERTIFY_FAIL);
    assert_int_equal(c[CERTIFY_KERNEL_LOG].verdict, CERTIFY_FAIL);
}

/* The patterns of tests/e2e/run.sh; the shim's own warnings do not count. */
static void test_kernel_log(void **state)
{
    static const char *const bad[] = {
        "[    5.1] BUG: unable to handle page fault for address: 0000",
        "[    5.1] WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:5534",
        "[    5.1] Oops: 0000 [#1] PREEMPT SMP NOPTI",
        "[    5.1] Kernel panic - not syncing: VFS: Unable to mount root fs",
        "[  250.0] INFO: task sh:1 blocked for more than 120 seconds.",
        "[   30.0] rcu: INFO: rcu_preempt self-detected stall on CPU",
        "[   30.0] xenbus_probe_frontend: Waiting for devices to initialise: 25s...",
        "[   30.0] xenbus: xenbus_dev_request_and_reply timed out",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        feed("E2E-CPUS: 1", bad[i]);
        judge();
        assert_int_equal(c[CERTIFY_KERNEL_LOG].verdict, CERTIFY_FAIL);
        assert_string_equal(c[CERTIFY_KERNEL_LOG].detail, bad[i]);
    }
    feed("E2E-CPUS: 1", "(xenshim) warning: BUG: guest asked for something odd");
    judge();
    assert_int_equal(c[CERTIFY_KERNEL_LOG].verdict, CERTIFY_PASS);
}

static void test_timers(void **state)
{
    (void)state;
    feed("E2E-CLOCKSOURCE: xen", "E2E-CLOCKSOURCE: tsc");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    feed("E2E-UPTIME: 8.39 9.42", "E2E-UPTIME: 9.42 9.42");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    feed("E2E-UPTIME: 8.39 9.42", NULL);
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    feed("E2E-DATE: 1795324779", NULL);
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    /* The host clock reads 1795324779 when the line arrives; 5 s is allowed. */
    feed("E2E-DATE: 1795324779", "E2E-DATE: 1795324784");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_PASS);
    feed("E2E-DATE: 1795324779", "E2E-DATE: 1795324785");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    feed("E2E-DATE: 1795324779", "E2E-DATE: 1795324773");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_FAIL);
    /* Kernel text interleaved on the same console line. */
    feed("E2E-DATE: 1795324779", "[    9.1] random: crng init done E2E-DATE: 1795324779");
    judge();
    assert_int_equal(c[CERTIFY_TIMERS].verdict, CERTIFY_PASS);
}

static void test_blkfront(void **state)
{
    (void)state;
    feed(NULL, NULL);
    run.disk = false;
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_SKIP);
    assert_non_null(strstr(c[CERTIFY_BLKFRONT].detail, "--no-disk"));
    feed("(xenshim) blkback: xvda (vbd 51712) on disk 0, rw, 32768 sectors", NULL);
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_SKIP);
    assert_non_null(strstr(c[CERTIFY_BLKFRONT].detail, "no blkback"));
    feed("E2E-BLK-INSMOD: ok", "E2E-BLK-INSMOD: absent");
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_SKIP);
    assert_non_null(strstr(c[CERTIFY_BLKFRONT].detail, "xen-blkfront.ko"));
    feed("E2E-BLK-INSMOD: ok", NULL);
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_SKIP);
    feed("E2E-BLK-INSMOD: ok", "E2E-BLK-INSMOD: failed");
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
    feed("(xenshim) blkback xvda: connected, 1-page ring (32 entries), port 9", NULL);
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
    feed("E2E-BLK-DEV: xvda 32768 ro=0", "E2E-BLK-DEV: xvda 32767 ro=0");
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
    feed("E2E-BLK-READ: xenshim-certify 1234-5", "E2E-BLK-READ: xenshim-certify 1234-6");
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
    feed(NULL, NULL);
    run.disk_write_seen = false;
    judge();
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_FAIL);
}

static void test_netfront(void **state)
{
    (void)state;
    feed(NULL, NULL);
    run.net = false;
    judge();
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_SKIP);
    feed("(xenshim) netback: vif0 on NIC 0, mac 00:16:3e:12:34:56, mtu 1500", NULL);
    judge();
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_SKIP);
    assert_non_null(strstr(c[CERTIFY_NETFRONT].detail, "no netback"));
    feed("E2E-NET-MAC: 00:16:3e:12:34:56", "E2E-NET-MAC: 00:16:3e:12:34:57");
    judge();
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_FAIL);
    feed("E2E-NET-DHCP: 10.0.2.15", "E2E-NET-DHCP: ");
    judge();
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_FAIL);
    feed("E2E-NET-PING: ok", "E2E-NET-PING: failed");
    judge();
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_FAIL);
}

static void test_poweroff(void **state)
{
    (void)state;
    feed("(xenshim) guest shutdown: poweroff", "(xenshim) guest shutdown: crash");
    run.exit_status = XENSHIM_RC_CRASH;
    assert_int_equal(judge(), 1);
    assert_int_equal(c[CERTIFY_POWEROFF].verdict, CERTIFY_FAIL);
    assert_non_null(strstr(c[CERTIFY_POWEROFF].detail, "exit status 2 (guest crashed)"));
    assert_non_null(strstr(c[CERTIFY_POWEROFF].detail, "crash"));
    run.exit_status = XENSHIM_RC_TIMEOUT;
    judge();
    assert_non_null(strstr(c[CERTIFY_POWEROFF].detail, "timeout"));
}

/* Nothing on the console at all (QEMU did not start): every check that
 * needs evidence fails; none passes by default. */
static void test_empty_console(void **state)
{
    unsigned int i;

    (void)state;
    certify_evidence_init(&ev);
    memset(&run, 0, sizeof(run));
    run.exit_status = XENSHIM_RC_QEMU;
    run.disk = run.net = true;
    assert_int_equal(judge(), 5);
    for (i = 0; i < CERTIFY_NR_CHECKS; i++)
        assert_int_not_equal(c[i].verdict, CERTIFY_PASS);
    /* No backend line from the shim either: the frontends are skipped. */
    assert_int_equal(c[CERTIFY_BLKFRONT].verdict, CERTIFY_SKIP);
    assert_int_equal(c[CERTIFY_NETFRONT].verdict, CERTIFY_SKIP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_boot),
        cmocka_unit_test(test_console),
        cmocka_unit_test(test_kernel_log),
        cmocka_unit_test(test_timers),
        cmocka_unit_test(test_blkfront),
        cmocka_unit_test(test_netfront),
        cmocka_unit_test(test_poweroff),
        cmocka_unit_test(test_empty_console),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
