// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console lines into evidence, evidence into verdicts (see certify.h).
 *
 * The rules are those of tests/e2e/run.sh, so that a kernel certified
 * here would pass there: "E2E-INIT: reached userspace", "E2E-XEN: xen 1",
 * "E2E-CLOCKSOURCE: xen", /proc/uptime increasing over a 1 s sleep, the
 * guest's date within CERTIFY_DATE_SLACK_SEC of the host's, no
 * BUG/WARNING/Oops/panic/hung task/RCU stall line, no xenbus timeout, and
 * exit status 0. E2E-* lines are found anywhere in a console line, since
 * kernel messages may interleave with /init's output.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shim/exit-status.h>

#include "certify.h"

void certify_evidence_init(struct certify_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->t_banner = ev->t_hvc0 = ev->t_init = ev->t_date = -1;
    ev->t_blk_connected = ev->t_net_connected = -1;
    ev->uptime[0] = ev->uptime[1] = -1;
    ev->guest_date = -1;
    ev->cpus = -1;
    ev->blk_sectors = -1;
}

/* Copy the rest of the line after "key" into dst, trimmed; true if found. */
static bool field(const char *line, const char *key, char *dst, size_t len)
{
    const char *p = strstr(line, key);
    size_t n;

    if (!p)
        return false;
    p += strlen(key);
    n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    snprintf(dst, len, "%.*s", (int)n, p);
    return true;
}

static bool matches(const char *pattern, const char *line)
{
    regex_t re;
    bool m;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
        return false;
    m = regexec(&re, line, 0, NULL, 0) == 0;
    regfree(&re);
    return m;
}

static void shim_line(struct certify_evidence *ev, double t, const char *r)
{
    if (!strncmp(r, "blkback: xvda (vbd ", 19))
        ev->shim_vbd = true;
    else if (!strncmp(r, "netback: vif0 on ", 17))
        ev->shim_vif = true;
    else if (!strncmp(r, "blkback xvda: connected", 23) && ev->t_blk_connected < 0)
        ev->t_blk_connected = t;
    else if (!strncmp(r, "netback vif0: connected", 23) && ev->t_net_connected < 0)
        ev->t_net_connected = t;
    else if (!strncmp(r, "guest shutdown: ", 16))
        snprintf(ev->shutdown, sizeof(ev->shutdown), "%s", r + 16);
}

void certify_feed(struct certify_evidence *ev, double t, const char *line)
{
    char v[CERTIFY_TEXT];
    const char *p;

    if (!strncmp(line, "(xenshim) ", 10)) {
        shim_line(ev, t, line + 10);
        return; /* the shim's lines are not the guest's kernel log */
    }
    if ((p = strstr(line, "Linux version ")) && ev->t_banner < 0) {
        ev->t_banner = t;
        sscanf(p, "Linux version %63s", ev->kernel_version);
    }
    if (strstr(line, "console [hvc0] enabled") && ev->t_hvc0 < 0)
        ev->t_hvc0 = t;
    if (!ev->bad_line[0] &&
        matches("BUG:|WARNING:|Oops|Kernel panic|blocked for more than|rcu_.*stall|RCU stall",
                line))
        snprintf(ev->bad_line, sizeof(ev->bad_line), "%s", line);
    if (!ev->xenbus_line[0] &&
        matches("xenbus.*(timeout|timed out)|Waiting for devices", line))
        snprintf(ev->xenbus_line, sizeof(ev->xenbus_line), "%s", line);

    if (field(line, "E2E-INIT: reached userspace", v, sizeof(v)) && ev->t_init < 0) {
        ev->t_init = t;
        p = strstr(v, "uptime ");
        ev->init_uptime = p ? atof(p + 7) : -1;
    }
    field(line, "E2E-XEN: ", ev->xen, sizeof(ev->xen));
    field(line, "E2E-CLOCKSOURCE: ", ev->clocksource, sizeof(ev->clocksource));
    if (field(line, "E2E-UPTIME: ", v, sizeof(v)) &&
        sscanf(v, "%lf %lf", &ev->uptime[0], &ev->uptime[1]) != 2)
        ev->uptime[0] = ev->uptime[1] = -1;
    if (field(line, "E2E-DATE: ", v, sizeof(v))) {
        ev->t_date = t;
        if (sscanf(v, "%lld", &ev->guest_date) != 1)
            ev->guest_date = -1;
    }
    if (field(line, "E2E-CPUS: ", v, sizeof(v)))
        ev->cpus = atoi(v);
    if (strstr(line, "E2E-DONE"))
        ev->done = true;

    field(line, "E2E-BLK-INSMOD: ", ev->blk_insmod, sizeof(ev->blk_insmod));
    if (field(line, "E2E-BLK-DEV: xvda ", v, sizeof(v)))
        ev->blk_sectors = strtoll(v, NULL, 10);
    field(line, "E2E-BLK-READ: ", ev->blk_read, sizeof(ev->blk_read));
    field(line, "E2E-BLK-WRITE: ", ev->blk_write, sizeof(ev->blk_write));
    field(line, "E2E-NET-INSMOD: ", ev->net_insmod, sizeof(ev->net_insmod));
    field(line, "E2E-NET-MAC: ", ev->net_mac, sizeof(ev->net_mac));
    field(line, "E2E-NET-DHCP: ", ev->net_dhcp, sizeof(ev->net_dhcp));
    field(line, "E2E-NET-PING: ", ev->net_ping, sizeof(ev->net_ping));
}

const char *certify_verdict_name(enum certify_verdict v)
{
    return v == CERTIFY_PASS ? "pass" : v == CERTIFY_FAIL ? "fail" : "skip";
}

/* Set a check's verdict and one-line detail. */
static void set(struct certify_check *c, enum certify_verdict v, double t, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static void set(struct certify_check *c, enum certify_verdict v, double t, const char *fmt,
                ...)
{
    va_list ap;

    c->verdict = v;
    c->time = t;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
}

static void judge_boot(const struct certify_evidence *ev, struct certify_check *c)
{
    if (ev->t_init < 0)
        set(c, CERTIFY_FAIL, -1, "no \"E2E-INIT: reached userspace\": /init was not reached");
    else if (strcmp(ev->xen, "xen 1"))
        set(c, CERTIFY_FAIL, ev->t_init, "/init reached, but not on the Xen PV path "
            "(E2E-XEN: \"%s\", expected \"xen 1\")", ev->xen);
    else
        set(c, CERTIFY_PASS, ev->t_init, "/init reached after %.1f s (guest uptime %.2f s), "
            "Xen PV", ev->t_init, ev->init_uptime);
}

static void judge_console(const struct certify_evidence *ev, struct certify_check *c)
{
    if (ev->t_banner < 0)
        set(c, CERTIFY_FAIL, -1, "no \"Linux version\" banner on the console");
    else if (ev->t_hvc0 < 0)
        set(c, CERTIFY_FAIL, ev->t_banner, "banner (Linux version %s) but no "
            "\"console [hvc0] enabled\"", ev->kernel_version);
    else if (ev->t_init < 0)
        set(c, CERTIFY_FAIL, ev->t_hvc0, "hvc0 enabled, but no output from /init on it");
    else
        set(c, CERTIFY_PASS, ev->t_hvc0, "Linux version %s; console [hvc0] enabled at "
            "%.1f s; /init's output arrived through it", ev->kernel_version, ev->t_hvc0);
}

static void judge_kernel_log(const struct certify_evidence *ev, struct certify_check *c)
{
    if (ev->t_banner < 0)
        set(c, CERTIFY_FAIL, -1, "no kernel output to judge");
    else if (ev->bad_line[0])
        set(c, CERTIFY_FAIL, -1, "%s", ev->bad_line);
    else if (ev->xenbus_line[0])
        set(c, CERTIFY_FAIL, -1, "%s", ev->xenbus_line);
    else
        set(c, CERTIFY_PASS, -1, "no BUG/WARNING/Oops/panic/hung task/RCU stall, "
            "no xenbus timeout");
}

static void judge_timers(const struct certify_evidence *ev, const struct certify_run *run,
                         struct certify_check *c)
{
    double host = run->host_epoch + ev->t_date, skew = (double)ev->guest_date - host;
    double gap = skew < 0 ? -skew : skew;

    if (strcmp(ev->clocksource, "xen"))
        set(c, CERTIFY_FAIL, -1, "clocksource \"%s\", expected \"xen\"", ev->clocksource);
    else if (ev->uptime[0] < 0 || !(ev->uptime[1] > ev->uptime[0]))
        set(c, CERTIFY_FAIL, -1, "/proc/uptime not increasing over a 1 s sleep (%.2f, %.2f)",
            ev->uptime[0], ev->uptime[1]);
    else if (ev->guest_date < 0 || ev->t_date < 0)
        set(c, CERTIFY_FAIL, -1, "no E2E-DATE line");
    else if (gap > CERTIFY_DATE_SLACK_SEC)
        set(c, CERTIFY_FAIL, ev->t_date, "guest date %lld is %.0f s from the host's",
            ev->guest_date, skew);
    else
        set(c, CERTIFY_PASS, ev->t_date, "clocksource xen; uptime %.2f -> %.2f over a 1 s "
            "sleep; guest date %+.1f s from the host's", ev->uptime[0], ev->uptime[1], skew);
}

/* Common skips of blkfront and netfront; true if c was set. */
static bool frontend_skip(const struct certify_evidence *ev, struct certify_check *c,
                          bool attached, bool backend, const char *insmod,
                          const char *module, const char *dev, const char *backend_name)
{
    if (!attached)
        set(c, CERTIFY_SKIP, -1, "no %s attached (--no-%s)", dev,
            !strcmp(dev, "disk") ? "disk" : "net");
    else if (!backend)
        set(c, CERTIFY_SKIP, -1, "the shim attached no %s (no %s in this shim)",
            !strcmp(dev, "disk") ? "vbd" : "vif", backend_name);
    else if (ev->t_init < 0)
        set(c, CERTIFY_FAIL, -1, "the guest did not reach /init");
    else if (!insmod[0])
        set(c, CERTIFY_SKIP, -1, "the initramfs does not test %s (no E2E lines)", module);
    else if (!strcmp(insmod, "absent"))
        set(c, CERTIFY_SKIP, -1, "%s.ko is not in the initramfs (the kernel's module tree "
            "was not found)", module);
    else if (strcmp(insmod, "ok"))
        set(c, CERTIFY_FAIL, -1, "insmod %s: %s", module, insmod);
    else
        return false;
    return true;
}

static void judge_blkfront(const struct certify_evidence *ev, const struct certify_run *run,
                           struct certify_check *c)
{
    if (frontend_skip(ev, c, run->disk, ev->shim_vbd, ev->blk_insmod, "xen-blkfront",
                      "disk", "blkback"))
        return;
    if (ev->t_blk_connected < 0)
        set(c, CERTIFY_FAIL, -1, "xen-blkfront loaded but xvda never connected");
    else if (ev->blk_sectors != run->disk_sectors)
        set(c, CERTIFY_FAIL, ev->t_blk_connected, "/dev/xvda has %lld sectors, the disk %lld",
            ev->blk_sectors, run->disk_sectors);
    else if (strcmp(ev->blk_read, run->disk_marker))
        set(c, CERTIFY_FAIL, ev->t_blk_connected, "read \"%s\" from xvda, expected \"%s\"",
            ev->blk_read, run->disk_marker);
    else if (strcmp(ev->blk_write, "ok") || !run->disk_write_seen)
        set(c, CERTIFY_FAIL, ev->t_blk_connected, "the guest's write (E2E-BLK-WRITE: %s) "
            "is %s the disk image", ev->blk_write[0] ? ev->blk_write : "none",
            run->disk_write_seen ? "on" : "not on");
    else
        set(c, CERTIFY_PASS, ev->t_blk_connected, "xvda connected at %.1f s: %lld sectors, "
            "host marker read, guest write found in the image", ev->t_blk_connected,
            ev->blk_sectors);
}

static void judge_netfront(const struct certify_evidence *ev, const struct certify_run *run,
                           struct certify_check *c)
{
    if (frontend_skip(ev, c, run->net, ev->shim_vif, ev->net_insmod, "xen-netfront",
                      "vif", "netback"))
        return;
    if (ev->t_net_connected < 0)
        set(c, CERTIFY_FAIL, -1, "xen-netfront loaded but vif0 never connected");
    else if (strcmp(ev->net_mac, run->mac))
        set(c, CERTIFY_FAIL, ev->t_net_connected, "eth0 has MAC \"%s\", the vif %s",
            ev->net_mac, run->mac);
    else if (!ev->net_dhcp[0])
        set(c, CERTIFY_FAIL, ev->t_net_connected, "eth0 got no DHCP address");
    else if (strcmp(ev->net_ping, "ok"))
        set(c, CERTIFY_FAIL, ev->t_net_connected, "DHCP gave %s, but the router did not "
            "answer pings", ev->net_dhcp);
    else
        set(c, CERTIFY_PASS, ev->t_net_connected, "vif0 connected at %.1f s: eth0 %s, DHCP "
            "address %s, router answers pings", ev->t_net_connected, ev->net_mac,
            ev->net_dhcp);
}

static const char *exit_meaning(int rc)
{
    switch (rc) {
    case XENSHIM_RC_POWEROFF: return "powered off";
    case XENSHIM_RC_CRASH:    return "guest crashed";
    case XENSHIM_RC_PANIC:    return "shim panic";
    case XENSHIM_RC_REBOOT:   return "guest rebooted";
    case XENSHIM_RC_OTHER:    return "suspend or soft reset";
    case XENSHIM_RC_WATCHDOG: return "watchdog";
    case XENSHIM_RC_QEMU:     return "QEMU failed or no verdict";
    case XENSHIM_RC_TIMEOUT:  return "timeout";
    default:                  return "unexpected";
    }
}

unsigned int certify_judge(const struct certify_evidence *ev, const struct certify_run *run,
                           struct certify_check out[CERTIFY_NR_CHECKS])
{
    static const struct { const char *name, *what; } checks[CERTIFY_NR_CHECKS] = {
        [CERTIFY_BOOT] = { "boot", "the kernel reaches /init on the Xen PV path" },
        [CERTIFY_CONSOLE] = { "console", "kernel banner and userspace output on hvc0" },
        [CERTIFY_KERNEL_LOG] = { "kernel-log", "no BUG/WARNING/Oops/panic/stall, no "
                                 "xenbus timeout" },
        [CERTIFY_TIMERS] = { "timers", "clocksource xen, monotonic uptime, date close to "
                             "the host" },
        [CERTIFY_BLKFRONT] = { "blkfront", "xen-blkfront reads and writes a vbd" },
        [CERTIFY_NETFRONT] = { "netfront", "xen-netfront gets an address over a vif" },
        [CERTIFY_SMP] = { "smp", "more than one vCPU" },
        [CERTIFY_POWEROFF] = { "poweroff", "the guest powers off cleanly (exit status 0)" },
    };
    unsigned int i, failed = 0;

    for (i = 0; i < CERTIFY_NR_CHECKS; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].name = checks[i].name;
        out[i].what = checks[i].what;
    }
    judge_boot(ev, &out[CERTIFY_BOOT]);
    judge_console(ev, &out[CERTIFY_CONSOLE]);
    judge_kernel_log(ev, &out[CERTIFY_KERNEL_LOG]);
    judge_timers(ev, run, &out[CERTIFY_TIMERS]);
    judge_blkfront(ev, run, &out[CERTIFY_BLKFRONT]);
    judge_netfront(ev, run, &out[CERTIFY_NETFRONT]);
    if (ev->cpus < 0)
        set(&out[CERTIFY_SMP], CERTIFY_SKIP, -1, "the shim runs one vCPU (SMP not "
            "supported yet)");
    else
        set(&out[CERTIFY_SMP], CERTIFY_SKIP, -1, "the shim runs one vCPU (SMP not "
            "supported yet); the guest saw %d CPU(s)", ev->cpus);
    if (run->exit_status == XENSHIM_RC_POWEROFF)
        set(&out[CERTIFY_POWEROFF], CERTIFY_PASS, run->elapsed, "powered off after %.1f s "
            "(exit status 0)", run->elapsed);
    else
        set(&out[CERTIFY_POWEROFF], CERTIFY_FAIL, run->elapsed, "exit status %d (%s) "
            "after %.1f s%s%s", run->exit_status, exit_meaning(run->exit_status),
            run->elapsed, ev->shutdown[0] ? "; shim: guest shutdown: " : "", ev->shutdown);
    for (i = 0; i < CERTIFY_NR_CHECKS; i++)
        failed += out[i].verdict == CERTIFY_FAIL;
    return failed;
}
