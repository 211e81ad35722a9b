// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xenshim certify KERNEL`: boot KERNEL under the shim with the
 * certification initramfs (built by certify-initramfs.sh, installed beside
 * the tool, unless --initrd is given), a scratch disk as xvda and a
 * user-networking vif, keep the console in OUT/console.log (and with
 * timestamps in OUT/console-timed.log), then judge it (certify-checks.c)
 * and write OUT/report.md and OUT/report.xml (certify-report.c).
 * Exit status: 0 no check failed, 2 a check failed, 1 nothing could be run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <shim/exit-status.h>

#include "certify.h"
#include "console.h"
#include "launch.h"
#include "xenshim.h"

#define CERTIFY_RC_FAILED     2
#define DEFAULT_OUT           "build/certify"
#define DEFAULT_TIMEOUT_SEC   300
#define DEFAULT_MEMORY_MIB    256
#define DISK_BYTES            (16UL << 20)
#define DISK_WRITE_OFFSET     4096 /* where the guest writes back (sector 8) */

struct certify_args {
    const char *kernel, *initrd, *out, *shim, *modules;
    unsigned long timeout, memory;
    bool no_disk, no_net, no_progress;
};

static int parse_number(const char *opt, const char *s, unsigned long min, unsigned long max,
                        unsigned long *v)
{
    char *end;

    errno = 0;
    *v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || errno || *end || *v < min || *v > max) {
        msg("certify: %s '%s': expected a number from %lu to %lu", opt, s, min, max);
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct certify_args *a)
{
    enum { O_INITRD = 256, O_OUT, O_TIMEOUT, O_MEMORY, O_SHIM, O_MODULES, O_NO_DISK,
           O_NO_NET, O_NO_PROGRESS };
    static const struct option opts[] = {
        { "initrd", required_argument, NULL, O_INITRD },
        { "out", required_argument, NULL, O_OUT },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "memory", required_argument, NULL, O_MEMORY },
        { "shim", required_argument, NULL, O_SHIM },
        { "modules", required_argument, NULL, O_MODULES },
        { "no-disk", no_argument, NULL, O_NO_DISK },
        { "no-net", no_argument, NULL, O_NO_NET },
        { "no-progress", no_argument, NULL, O_NO_PROGRESS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    a->out = DEFAULT_OUT;
    a->timeout = DEFAULT_TIMEOUT_SEC;
    a->memory = DEFAULT_MEMORY_MIB;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "-:h", opts, NULL)) != -1) {
        switch (c) {
        case O_INITRD:      a->initrd = optarg; break;
        case O_OUT:         a->out = optarg; break;
        case O_SHIM:        a->shim = optarg; break;
        case O_MODULES:     a->modules = optarg; break;
        case O_NO_DISK:     a->no_disk = true; break;
        case O_NO_NET:      a->no_net = true; break;
        case O_NO_PROGRESS: a->no_progress = true; break;
        case O_TIMEOUT:
            if (parse_number("--timeout", optarg, 1, 7UL * 24 * 3600, &a->timeout))
                return -1;
            break;
        case O_MEMORY:
            if (parse_number("--memory", optarg, 64, 1UL << 20, &a->memory))
                return -1;
            break;
        case 1:
            if (a->kernel) {
                msg("certify: unexpected argument '%s' (one KERNEL)", optarg);
                return -1;
            }
            a->kernel = optarg;
            break;
        case 'h':
            fputs(xenshim_usage, stdout);
            exit(0);
        case ':':
            msg("certify: option '%s' needs a value", argv[optind - 1]);
            return -1;
        default:
            msg("certify: unknown option '%s' (see xenshim --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc && !a->kernel)
        a->kernel = argv[optind++];
    if (!a->kernel || optind < argc) {
        msg("certify: expected one KERNEL argument (see xenshim --help)");
        return -1;
    }
    return 0;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char *p = strdup(path), *s;
    int rc = 0;

    if (!p)
        return -1;
    for (s = p + 1; rc == 0; s++) {
        bool end = *s == '\0';

        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (mkdir(p, 0777) && errno != EEXIST)
            rc = -1;
        if (end)
            break;
        *s = '/';
    }
    free(p);
    if (rc)
        msg("certify: cannot create %s: %s", path, strerror(errno));
    return rc;
}

/* Run the initramfs builder; its messages go to stderr. */
static int build_initramfs(const struct certify_args *a, const char *argv0, const char *out)
{
    char *script = launch_beside_tool(argv0, "certify-initramfs.sh");
    int status = -1;
    pid_t pid;

    if (!script || access(script, R_OK)) {
        msg("certify: %s: %s (build it with `make`, or give --initrd FILE)",
            script ? script : "certify-initramfs.sh", script ? strerror(errno) : "not found");
        free(script);
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execlp("sh", "sh", script, a->kernel, out, a->modules, (char *)NULL);
        _exit(127);
    }
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    free(script);
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        msg("certify: building the initramfs failed (give --initrd FILE to use another)");
        return -1;
    }
    return 0;
}

/* A zeroed disk image with the marker line at offset 0. */
static int make_disk(const char *path, const char *marker)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), bad;

    bad = fd < 0 || ftruncate(fd, (off_t)DISK_BYTES) ||
          pwrite(fd, marker, strlen(marker), 0) != (ssize_t)strlen(marker) ||
          pwrite(fd, "\n", 1, (off_t)strlen(marker)) != 1;
    if (fd >= 0 && close(fd))
        bad = 1;
    if (bad)
        msg("certify: cannot write %s: %s", path, strerror(errno));
    return bad ? -1 : 0;
}

/* Did the guest write "xenshim-certify-guest <nonce>\n" at DISK_WRITE_OFFSET? */
static bool disk_write_seen(const char *path, const char *nonce)
{
    char want[96], got[96] = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int n = snprintf(want, sizeof(want), "xenshim-certify-guest %s\n", nonce);
    bool seen;

    if (fd < 0)
        return false;
    seen = pread(fd, got, (size_t)n, DISK_WRITE_OFFSET) == n && !memcmp(got, want, (size_t)n);
    close(fd);
    return seen;
}

/* Feed every "<seconds> <line>" of the timed console into ev. */
static void read_timeline(const char *path, struct certify_evidence *ev)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *rest;
    size_t cap = 0;
    ssize_t n;
    double t;

    if (!f)
        return;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        t = strtod(line, &rest);
        if (rest != line && *rest == ' ')
            certify_feed(ev, t, rest + 1);
    }
    free(line);
    fclose(f);
}

static int write_reports(const char *out, const struct certify_meta *m,
                         const struct certify_check *c)
{
    static const char *const names[] = { "report.md", "report.xml" };
    char path[4096];
    unsigned int i;
    FILE *f;
    int bad;

    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", out, names[i]);
        f = fopen(path, "w");
        if (!f) {
            msg("certify: cannot write %s: %s", path, strerror(errno));
            return -1;
        }
        bad = i ? certify_write_junit(f, m, c, CERTIFY_NR_CHECKS) :
                  certify_write_markdown(f, m, c, CERTIFY_NR_CHECKS);
        if (fclose(f) || bad) {
            msg("certify: cannot write %s", path);
            return -1;
        }
    }
    return 0;
}

static char *path_in(const char *dir, const char *name)
{
    char *p;

    return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

/* The guest: kernel, initramfs, 1 vCPU, the scratch disk, one user-net vif. */
static int make_domain(const struct certify_args *a, const char *initrd, const char *disk,
                       struct xl_domain *d)
{
    char err[512], *spec = NULL;
    int rc = -1;

    d->name = strdup("certify");
    d->kernel = strdup(a->kernel);
    d->ramdisk = strdup(initrd);
    d->cmdline = strdup("console=hvc0");
    d->memory_mib = a->memory;
    d->vcpus = 1;
    if (!d->name || !d->kernel || !d->ramdisk || !d->cmdline ||
        (disk && asprintf(&spec, "format=raw,vdev=xvda,access=rw,target=%s", disk) < 0)) {
        msg("out of memory");
        return -1;
    }
    if ((spec && xl_domain_add_disk(d, spec, "certify", stderr, err, sizeof(err))) ||
        (!a->no_net && xl_domain_add_vif(d, "", "certify", stderr, err, sizeof(err))) ||
        xl_domain_finish(d, err, sizeof(err)))
        msg("certify: %s", err);
    else
        rc = 0;
    free(spec);
    return rc;
}

int cmd_certify(int argc, char **argv, const char *argv0)
{
    struct certify_args a = { 0 };
    struct xl_domain d = { 0 };
    struct qemu_cmd cmd = { 0 };
    struct launch l = { .d = &d, .argv0 = argv0 };
    struct console_sink sink = { .out_fd = -1, .timeline_fd = -1 };
    struct certify_evidence ev;
    struct certify_run run = { 0 };
    struct certify_meta m = { 0 };
    struct certify_check checks[CERTIFY_NR_CHECKS];
    char *initrd = NULL, *disk = NULL, *log = NULL, *timed = NULL, *report = NULL;
    char nonce[32], stamp[32], host[256] = "";
    const char *kernel_elf;
    struct timespec wall;
    unsigned int failed, skipped = 0, i;
    int rc = XENSHIM_RC_USAGE;

    if (parse_args(argc, argv, &a) || make_dirs(a.out))
        goto out;
    initrd = a.initrd ? strdup(a.initrd) : path_in(a.out, "initramfs.cpio.gz");
    disk = path_in(a.out, "disk.img");
    log = path_in(a.out, "console.log");
    timed = path_in(a.out, "console-timed.log");
    report = path_in(a.out, "report.md");
    if (!initrd || !disk || !log || !timed || !report) {
        msg("out of memory");
        goto out;
    }
    if (!a.initrd && build_initramfs(&a, argv0, initrd))
        goto out;
    snprintf(nonce, sizeof(nonce), "%lx-%x", (unsigned long)time(NULL), (unsigned)getpid());
    snprintf(run.disk_marker, sizeof(run.disk_marker), "xenshim-certify %s", nonce);
    if (!a.no_disk && make_disk(disk, run.disk_marker))
        goto out;
    if (make_domain(&a, initrd, a.no_disk ? NULL : disk, &d))
        goto out;
    l.shim = a.shim;
    if (launch_prepare(&l, &cmd, &kernel_elf))
        goto out;
    sink.out_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    sink.timeline_fd = open(timed, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (sink.out_fd < 0 || sink.timeline_fd < 0) {
        msg("certify: cannot write %s: %s", sink.out_fd < 0 ? log : timed, strerror(errno));
        goto out;
    }
    sink.progress = !a.no_progress && isatty(STDERR_FILENO);

    clock_gettime(CLOCK_REALTIME, &wall);
    sink.t0 = console_now();
    run.host_epoch = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
    run.exit_status = qemu_run(&cmd, a.timeout, &sink);
    run.elapsed = console_now() - sink.t0;

    run.disk = !a.no_disk;
    run.disk_sectors = (long long)(DISK_BYTES / 512);
    run.disk_write_seen = run.disk && disk_write_seen(disk, nonce);
    run.net = d.nr_vifs > 0;
    if (run.net)
        snprintf(run.mac, sizeof(run.mac), "%02x:%02x:%02x:%02x:%02x:%02x",
                 d.vifs[0].mac[0], d.vifs[0].mac[1], d.vifs[0].mac[2], d.vifs[0].mac[3],
                 d.vifs[0].mac[4], d.vifs[0].mac[5]);
    certify_evidence_init(&ev);
    read_timeline(timed, &ev);
    failed = certify_judge(&ev, &run, checks);

    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&wall.tv_sec));
    gethostname(host, sizeof(host) - 1);
    m.kernel = a.kernel;
    m.kernel_version = ev.kernel_version;
    m.initrd = initrd;
    m.timestamp = stamp;
    m.host = host;
    m.accel = access("/dev/kvm", R_OK | W_OK) == 0 ? "kvm" : "tcg";
    m.console_log = log;
    m.elapsed = run.elapsed;
    m.exit_status = run.exit_status;
    if (write_reports(a.out, &m, checks))
        goto out;
    for (i = 0; i < CERTIFY_NR_CHECKS; i++) {
        printf("%-4s %-10s ", certify_verdict_name(checks[i].verdict), checks[i].name);
        if (checks[i].time >= 0)
            printf("%6.1f s  %s\n", checks[i].time, checks[i].detail);
        else
            printf("%8s  %s\n", "-", checks[i].detail);
        skipped += checks[i].verdict == CERTIFY_SKIP;
    }
    printf("certify: %u passed, %u failed, %u skipped; report: %s\n",
           CERTIFY_NR_CHECKS - failed - skipped, failed, skipped, report);
    rc = failed ? CERTIFY_RC_FAILED : 0;
out:
    if (sink.out_fd >= 0)
        close(sink.out_fd);
    if (sink.timeline_fd >= 0)
        close(sink.timeline_fd);
    qemu_cmd_free(&cmd);
    xl_domain_free(&d);
    free(initrd);
    free(disk);
    free(log);
    free(timed);
    free(report);
    return rc;
}
