// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xenshim run`: either the plain form (--kernel FILE and options) or an
 * xl domain config (`run guest.cfg [KEY=VALUE...]`, overrides appended to
 * the config as xl does). Both end in one struct xl_domain, then one QEMU
 * command line; the config's on_poweroff/on_reboot/on_crash/on_watchdog
 * decide whether a verdict ends the run or restarts QEMU (at most
 * MAX_RESTARTS times). The plain form never restarts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shim/exit-status.h>

#include "console.h"
#include "launch.h"
#include "xenshim.h"
#include "xl-config.h"

#define DEFAULT_MEMORY_MIB  256
#define DEFAULT_TIMEOUT_SEC 600
#define MAX_TIMEOUT_SEC     (7UL * 24 * 3600)
#define MAX_RESTARTS        10
#define MAX_CONFIG_SIZE     (1UL << 20)

struct run_args {
    const char *kernel, *initrd, *cmdline, *shim, *config;
    unsigned long memory, timeout, vcpus;
    bool memory_set, vcpus_set, trace, dry_run, no_progress;
    char **extra, **disks, **vifs, **hostfwd, **overrides;
    size_t nr_extra, nr_disks, nr_vifs, nr_hostfwd, nr_overrides;
};

/* A whole decimal number in [min, max]. */
static int parse_ulong(const char *s, unsigned long min, unsigned long max,
                       unsigned long *out)
{
    unsigned long v;
    char *end;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Messages are one line, even if a config string held a control character. */
static void error_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* As xl create: an argument with '=' is a config line, else the config. */
static int positional(struct run_args *a, char *arg)
{
    if (strchr(arg, '=')) {
        a->overrides[a->nr_overrides++] = arg;
    } else if (!a->config) {
        a->config = arg;
    } else {
        msg("run: unexpected argument '%s' (one config file; overrides are KEY=VALUE)",
            arg);
        return -1;
    }
    return 0;
}

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
    enum { O_KERNEL = 256, O_INITRD, O_CMDLINE, O_MEMORY, O_TRACE, O_TIMEOUT,
           O_DRY_RUN, O_SHIM, O_QEMU_ARG, O_DISK, O_VIF, O_HOSTFWD, O_NO_PROGRESS,
           O_VCPUS };
    static const struct option opts[] = {
        { "kernel", required_argument, NULL, O_KERNEL },
        { "initrd", required_argument, NULL, O_INITRD },
        { "cmdline", required_argument, NULL, O_CMDLINE },
        { "memory", required_argument, NULL, O_MEMORY },
        { "vcpus", required_argument, NULL, O_VCPUS },
        { "trace", no_argument, NULL, O_TRACE },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "dry-run", no_argument, NULL, O_DRY_RUN },
        { "shim", required_argument, NULL, O_SHIM },
        { "qemu-arg", required_argument, NULL, O_QEMU_ARG },
        { "disk", required_argument, NULL, O_DISK },
        { "vif", required_argument, NULL, O_VIF },
        { "hostfwd", required_argument, NULL, O_HOSTFWD },
        { "no-progress", no_argument, NULL, O_NO_PROGRESS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    a->timeout = DEFAULT_TIMEOUT_SEC;
    a->extra = calloc((size_t)argc, sizeof(*a->extra));
    a->disks = calloc((size_t)argc, sizeof(*a->disks));
    a->vifs = calloc((size_t)argc, sizeof(*a->vifs));
    a->hostfwd = calloc((size_t)argc, sizeof(*a->hostfwd));
    a->overrides = calloc((size_t)argc, sizeof(*a->overrides));
    if (!a->extra || !a->disks || !a->vifs || !a->hostfwd || !a->overrides) {
        msg("out of memory");
        return -1;
    }
    opterr = 0;
    optind = 1;
    /* "-" first: options and GUEST.cfg / KEY=VALUE may come in any order. */
    while ((c = getopt_long(argc, argv, "-:h", opts, NULL)) != -1) {
        switch (c) {
        case O_KERNEL:   a->kernel = optarg; break;
        case O_INITRD:   a->initrd = optarg; break;
        case O_CMDLINE:  a->cmdline = optarg; break;
        case O_SHIM:     a->shim = optarg; break;
        case O_TRACE:    a->trace = true; break;
        case O_DRY_RUN:  a->dry_run = true; break;
        case O_NO_PROGRESS: a->no_progress = true; break;
        case O_QEMU_ARG: a->extra[a->nr_extra++] = optarg; break;
        case O_DISK:     a->disks[a->nr_disks++] = optarg; break;
        case O_VIF:      a->vifs[a->nr_vifs++] = optarg; break;
        case O_HOSTFWD:  a->hostfwd[a->nr_hostfwd++] = optarg; break;
        case 1:
            if (positional(a, optarg))
                return -1;
            break;
        case O_MEMORY:
            if (parse_ulong(optarg, XL_MIN_MEMORY_MIB, XL_MAX_MEMORY_MIB, &a->memory)) {
                msg("run: --memory '%s': expected MiB between %lu and %lu", optarg,
                    XL_MIN_MEMORY_MIB, XL_MAX_MEMORY_MIB);
                return -1;
            }
            a->memory_set = true;
            break;
        case O_VCPUS:
            if (parse_ulong(optarg, 1, XL_MAX_VCPUS, &a->vcpus)) {
                msg("run: --vcpus '%s': expected 1 to %lu", optarg, XL_MAX_VCPUS);
                return -1;
            }
            a->vcpus_set = true;
            break;
        case O_TIMEOUT:
            if (parse_ulong(optarg, 0, MAX_TIMEOUT_SEC, &a->timeout)) {
                msg("run: --timeout '%s': expected seconds between 0 and %lu", optarg,
                    MAX_TIMEOUT_SEC);
                return -1;
            }
            break;
        case 'h':
            fputs(xenshim_usage, stdout);
            exit(0);
        case ':':
            msg("run: option '%s' needs a value", argv[optind - 1]);
            return -1;
        default:
            msg("run: unknown option '%s' (see xenshim --help)", argv[optind - 1]);
            return -1;
        }
    }
    for (; optind < argc; optind++) /* after "--" */
        if (positional(a, argv[optind]))
            return -1;
    if (a->nr_overrides && !a->config) {
        msg("run: '%s': KEY=VALUE overrides need a config file (xenshim run GUEST.cfg "
            "KEY=VALUE...)", a->overrides[0]);
        return -1;
    }
    if (!a->kernel && !a->config) {
        msg("run: --kernel FILE or a config file GUEST.cfg is required");
        return -1;
    }
    return 0;
}

/* Parse the config and the overrides into cfg, then into d. */
static int load_config(const struct run_args *a, struct xlcfg *cfg, struct xl_domain *d)
{
    char err[512], *joined = NULL;
    uint8_t *text;
    size_t len, i;
    int rc = -1;

    if (read_whole_file(a->config, &text, &len, err, sizeof(err))) {
        msg("%s: %s", a->config, err);
        return -1;
    }
    if (len > MAX_CONFIG_SIZE) {
        msg("%s: %zu bytes; expected a config of at most %lu", a->config, len,
            MAX_CONFIG_SIZE);
        goto out;
    }
    if (xlcfg_parse(cfg, a->config, (const char *)text, len, err, sizeof(err)))
        goto bad;
    /* Line N of "<command line>" is the N-th KEY=VALUE, as xl appends them. */
    for (i = 0; i < a->nr_overrides; i++) {
        char *n;

        if (asprintf(&n, "%s%s\n", joined ? joined : "", a->overrides[i]) < 0) {
            msg("out of memory");
            goto out;
        }
        free(joined);
        joined = n;
    }
    if (joined && xlcfg_parse(cfg, "<command line>", joined, strlen(joined), err,
                              sizeof(err)))
        goto bad;
    if (xl_domain_parse(cfg, a->config, d, stderr, err, sizeof(err)))
        goto bad;
    rc = 0;
    goto out;
bad:
    error_line(err);
    msg("%s", err);
out:
    free(joined);
    free(text);
    return rc;
}

/* *field = a copy of v, if v is not NULL. */
static int replace(char **field, const char *v)
{
    char *n;

    if (!v)
        return 0;
    n = strdup(v);
    if (!n)
        return -1;
    free(*field);
    *field = n;
    return 0;
}

/* The options of the plain form, or options overriding the config. */
static int apply_options(const struct run_args *a, struct xl_domain *d)
{
    char err[512];
    size_t i;

    if (!a->config) {
        d->memory_mib = DEFAULT_MEMORY_MIB;
        d->vcpus = 1;
        /* Without a config every verdict ends the run (on_* = destroy). */
    }
    if (a->memory_set)
        d->memory_mib = a->memory;
    if (a->vcpus_set)
        d->vcpus = a->vcpus;
    if (replace(&d->kernel, a->kernel) || replace(&d->ramdisk, a->initrd) ||
        replace(&d->cmdline, a->cmdline ? a->cmdline : d->cmdline ? NULL : "")) {
        msg("out of memory");
        return -1;
    }
    for (i = 0; i < a->nr_disks; i++)
        if (xl_domain_add_disk(d, a->disks[i], "--disk", stderr, err, sizeof(err)))
            goto bad;
    for (i = 0; i < a->nr_vifs; i++)
        if (xl_domain_add_vif(d, a->vifs[i], "--vif", stderr, err, sizeof(err)))
            goto bad;
    if (xl_domain_finish(d, err, sizeof(err)))
        goto bad;
    for (i = 0; i < d->nr_disks; i++)
        if (access(d->disks[i].target, d->disks[i].readonly ? R_OK : R_OK | W_OK)) {
            msg("disk %zu (vdev %s): %s: %s", i + 1, d->disks[i].vdev,
                d->disks[i].target, strerror(errno));
            return -1;
        }
    return 0;
bad:
    error_line(err);
    msg("%s", err);
    return -1;
}

int cmd_run(int argc, char **argv, const char *argv0)
{
    struct run_args a = { 0 };
    struct xl_domain d = { 0 };
    struct xlcfg cfg = { 0 };
    struct qemu_cmd cmd = { 0 };
    struct launch l = { 0 };
    struct console_sink sink = { .out_fd = STDOUT_FILENO, .timeline_fd = -1,
                                 .progress = true };
    const char *kernel_elf;
    int rc = XENSHIM_RC_USAGE;

    if (parse_run_args(argc, argv, &a) || (a.config && load_config(&a, &cfg, &d)) ||
        apply_options(&a, &d))
        goto out;
    l.d = &d;
    l.shim = a.shim;
    l.argv0 = argv0;
    l.trace = a.trace;
    l.dry_run = a.dry_run;
    l.extra = a.extra;
    l.nr_extra = a.nr_extra;
    l.hostfwd = a.hostfwd;
    l.nr_hostfwd = a.nr_hostfwd;
    if (launch_prepare(&l, &cmd, &kernel_elf))
        goto out;
    if (a.dry_run) {
        qemu_print(stdout, &cmd);
        if (kernel_elf != d.kernel)
            msg("note: %s is removed when xenshim exits", kernel_elf);
        rc = 0;
    } else {
        struct qemu_restart r = {
            .on_poweroff = d.on_poweroff == XL_ACTION_RESTART,
            .on_reboot = d.on_reboot == XL_ACTION_RESTART,
            .on_crash = d.on_crash == XL_ACTION_RESTART,
            .on_watchdog = d.on_watchdog == XL_ACTION_RESTART,
            .max = MAX_RESTARTS,
        };

        /* The relay only when the progress line is drawn: otherwise QEMU
         * writes the console to stdout itself, exactly as before. */
        sink.t0 = console_now();
        rc = qemu_run_guest(&cmd, a.timeout, &r,
                            !a.no_progress && console_progress_wanted() ? &sink : NULL);
    }
    qemu_cmd_free(&cmd);
out:
    xl_domain_free(&d);
    xlcfg_free(&cfg);
    free(a.extra);
    free(a.disks);
    free(a.vifs);
    free(a.hostfwd);
    free(a.overrides);
    return rc;
}
