// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenshim host tool: runs one Xen PV kernel under the shim in QEMU
 * (`run`), or tells whether the shim can run a kernel (`inspect`).
 * Exit statuses are XENSHIM_RC_* (include/shim/exit-status.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shim/exit-status.h>

#include "qemu.h"
#include "xenshim.h"

#define DEFAULT_MEMORY_MIB  256
#define MIN_MEMORY_MIB      4UL /* the shim rejects less (shim/boot-info.c) */
#define MAX_MEMORY_MIB      (1UL << 20)
#define DEFAULT_TIMEOUT_SEC 600
#define MAX_TIMEOUT_SEC     (7UL * 24 * 3600)

static const char usage[] =
    "usage: xenshim run --kernel FILE [options]   boot a Xen PV kernel under the shim\n"
    "       xenshim inspect KERNEL              show its Xen notes; exit 0 if runnable\n"
    "       xenshim --help\n"
    "\n"
    "run options:\n"
    "  --kernel FILE     PV kernel: ELF (vmlinux) or bzImage (LZ4 payload)\n"
    "  --initrd FILE     initial ramdisk\n"
    "  --cmdline STR     guest kernel command line\n"
    "  --memory MIB      guest memory in MiB (default 256)\n"
    "  --trace           shim hypercall tracing (trace=1)\n"
    "  --timeout SEC     stop QEMU after SEC seconds, exit 124 (default 600, 0: none)\n"
    "  --dry-run         print the QEMU command line and exit\n"
    "  --shim FILE       shim image (default: xenshim.elf beside this tool)\n"
    "  --qemu-arg ARG    extra QEMU argument (repeatable)\n"
    "\n"
    "environment: XENSHIM_QEMU (QEMU binary, default qemu-system-x86_64), TMPDIR\n"
    "exit status: 0 guest powered off, 1 usage/bad input, 2 guest crashed,\n"
    "  3 shim panic, 4 guest reboot, 5 suspend/soft reset, 6 watchdog,\n"
    "  7 QEMU failed or no verdict, 124 timeout\n";

struct run_args {
    const char *kernel, *initrd, *cmdline, *shim;
    unsigned long memory, timeout;
    bool trace, dry_run;
    char **extra;
    size_t nr_extra;
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

/* dirname(argv0)/xenshim.elf; through /proc/self/exe when argv0 has no '/'. */
static char *default_shim(const char *argv0)
{
    char self[PATH_MAX], *dir, *path;
    ssize_t n;

    if (strchr(argv0, '/')) {
        snprintf(self, sizeof(self), "%s", argv0);
    } else {
        n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n < 0)
            return NULL;
        self[n] = '\0';
    }
    dir = dirname(self);
    if (asprintf(&path, "%s/xenshim.elf", dir) < 0)
        return NULL;
    return path;
}

static int file_size(const char *path, uint64_t *size)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) < 0) {
        msg("%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    if (!S_ISREG(st.st_mode)) {
        msg("%s: not a regular file", path);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
    enum { O_KERNEL = 256, O_INITRD, O_CMDLINE, O_MEMORY, O_TRACE, O_TIMEOUT,
           O_DRY_RUN, O_SHIM, O_QEMU_ARG };
    static const struct option opts[] = {
        { "kernel", required_argument, NULL, O_KERNEL },
        { "initrd", required_argument, NULL, O_INITRD },
        { "cmdline", required_argument, NULL, O_CMDLINE },
        { "memory", required_argument, NULL, O_MEMORY },
        { "trace", no_argument, NULL, O_TRACE },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "dry-run", no_argument, NULL, O_DRY_RUN },
        { "shim", required_argument, NULL, O_SHIM },
        { "qemu-arg", required_argument, NULL, O_QEMU_ARG },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    a->memory = DEFAULT_MEMORY_MIB;
    a->timeout = DEFAULT_TIMEOUT_SEC;
    a->cmdline = "";
    a->extra = calloc((size_t)argc, sizeof(*a->extra));
    if (!a->extra) {
        msg("out of memory");
        return -1;
    }
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        switch (c) {
        case O_KERNEL:   a->kernel = optarg; break;
        case O_INITRD:   a->initrd = optarg; break;
        case O_CMDLINE:  a->cmdline = optarg; break;
        case O_SHIM:     a->shim = optarg; break;
        case O_TRACE:    a->trace = true; break;
        case O_DRY_RUN:  a->dry_run = true; break;
        case O_QEMU_ARG: a->extra[a->nr_extra++] = optarg; break;
        case O_MEMORY:
            if (parse_ulong(optarg, MIN_MEMORY_MIB, MAX_MEMORY_MIB, &a->memory)) {
                msg("run: --memory '%s': expected MiB between %lu and %lu", optarg,
                    MIN_MEMORY_MIB, MAX_MEMORY_MIB);
                return -1;
            }
            break;
        case O_TIMEOUT:
            if (parse_ulong(optarg, 0, MAX_TIMEOUT_SEC, &a->timeout)) {
                msg("run: --timeout '%s': expected seconds between 0 and %lu", optarg,
                    MAX_TIMEOUT_SEC);
                return -1;
            }
            break;
        case 'h':
            fputs(usage, stdout);
            exit(0);
        case ':':
            msg("run: option '%s' needs a value", argv[optind - 1]);
            return -1;
        default:
            msg("run: unknown option '%s' (see xenshim --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        msg("run: unexpected argument '%s' (see xenshim --help)", argv[optind]);
        return -1;
    }
    if (!a->kernel) {
        msg("run: --kernel FILE is required");
        return -1;
    }
    return 0;
}

int cmd_run(int argc, char **argv, const char *argv0)
{
    struct run_args a = { 0 };
    struct qemu_opts q = { 0 };
    struct qemu_cmd cmd;
    struct kernel k;
    char *shim_alloc = NULL, err[256];
    uint64_t initrd_size = 0;
    int rc = XENSHIM_RC_USAGE, fd;

    if (parse_run_args(argc, argv, &a))
        goto out;
    if (kernel_load(a.kernel, &k)) {
        msg("%s: %s", a.kernel, k.err);
        kernel_free(&k);
        goto out;
    }
    if (a.initrd && file_size(a.initrd, &initrd_size))
        goto out_kernel;
    if (!a.shim) {
        a.shim = shim_alloc = default_shim(argv0);
        if (!a.shim) {
            msg("cannot locate the shim image; use --shim FILE");
            goto out_kernel;
        }
    }
    if (!a.dry_run && access(a.shim, R_OK) != 0) {
        msg("shim image %s: %s (build it with `make shim`, or use --shim FILE)",
            a.shim, strerror(errno));
        goto out_kernel;
    }

    q.qemu = getenv("XENSHIM_QEMU") && *getenv("XENSHIM_QEMU") ?
             getenv("XENSHIM_QEMU") : QEMU_DEFAULT_BINARY;
    q.shim = a.shim;
    q.kernel_elf = kernel_elf_path(&k);
    if (!q.kernel_elf)
        goto out_kernel;
    q.initrd = a.initrd;
    q.modules_bytes = k.elf_size + initrd_size;
    q.memory_mib = a.memory;
    q.cmdline = a.cmdline;
    q.trace = a.trace;
    fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    q.kvm = fd >= 0;
    if (fd >= 0)
        close(fd);
    q.extra = a.extra;
    q.nr_extra = a.nr_extra;
    if (qemu_build(&q, &cmd, err, sizeof(err))) {
        msg("%s", err);
        goto out_kernel;
    }
    kernel_free(&k); /* QEMU reads the file; free the image before it runs */
    if (a.dry_run) {
        qemu_print(stdout, &cmd);
        if (q.kernel_elf != a.kernel)
            msg("note: %s is removed when xenshim exits", q.kernel_elf);
        rc = 0;
    } else {
        rc = qemu_run(&cmd, a.timeout);
    }
    qemu_cmd_free(&cmd);
    goto out;
out_kernel:
    kernel_free(&k);
out:
    free(shim_alloc);
    free(a.extra);
    return rc;
}

int main(int argc, char **argv)
{
    const char *argv0 = argc > 0 ? argv[0] : "xenshim";

    if (argc < 2) {
        fputs(usage, stderr);
        return XENSHIM_RC_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1, argv0);
    if (!strcmp(argv[1], "inspect"))
        return cmd_inspect(argc - 1, argv + 1);
    msg("unknown command '%s' (see xenshim --help)", argv[1]);
    return XENSHIM_RC_USAGE;
}
