// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU command line of `xenshim run` and the meaning of QEMU's exit status
 * (pure functions, see qemu.h). The machine: plain PC, no default devices,
 * the first serial port on stdio, isa-debug-exit at SHIM_DEBUG_EXIT_PORT for
 * the shim's verdict, the shim as multiboot -kernel with the guest kernel
 * and initrd as multiboot modules.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <shim/exit-status.h>

#include "qemu.h"

#define MIB (1024ULL * 1024)

char *qemu_shim_cmdline(unsigned long memory_mib, bool trace, const char *guest)
{
    struct qemu_opts o = { .memory_mib = memory_mib, .trace = trace, .cmdline = guest };

    return qemu_shim_append(&o);
}

/* Append printf output to a malloc'd string; frees it and NULLs on failure. */
static char *cat(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *cat(char *s, const char *fmt, ...)
{
    va_list ap;
    char *more, *n;
    int r;

    if (!s)
        return NULL;
    va_start(ap, fmt);
    r = vasprintf(&more, fmt, ap);
    va_end(ap);
    if (r < 0 || asprintf(&n, "%s%s", s, more) < 0)
        n = NULL;
    if (r >= 0)
        free(more);
    free(s);
    return n;
}

static void mac_text(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

char *qemu_shim_append(const struct qemu_opts *o)
{
    char *s, mac[18];
    size_t i;

    if (asprintf(&s, "mem=%lu%s", o->memory_mib, o->trace ? " trace=1" : "") < 0)
        return NULL;
    if (o->vcpus > 1)
        s = cat(s, " vcpus=%lu", o->vcpus);
    for (i = 0; i < o->nr_disks; i++)
        s = cat(s, " vbd=%zu:%u:%c:%s", i, o->disks[i].devnum,
                o->disks[i].readonly ? 'r' : 'w', o->disks[i].vdev);
    for (i = 0; i < o->nr_vifs; i++) {
        mac_text(o->vifs[i].mac, mac);
        s = cat(s, " vif=%zu:%s", i, mac);
    }
    return cat(s, " -- %s", o->cmdline ? o->cmdline : "");
}

uint64_t qemu_machine_mib(unsigned long memory_mib, uint64_t modules_bytes)
{
    return memory_mib + (modules_bytes + MIB - 1) / MIB + QEMU_EXTRA_MIB;
}

static int add(struct qemu_cmd *cmd, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int add(struct qemu_cmd *cmd, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int r;

    if (cmd->argc + 1 >= cap)
        return -1;
    va_start(ap, fmt);
    r = vasprintf(&cmd->argv[cmd->argc], fmt, ap);
    va_end(ap);
    if (r < 0) {
        cmd->argv[cmd->argc] = NULL;
        return -1;
    }
    cmd->argc++;
    cmd->argv[cmd->argc] = NULL;
    return 0;
}

/*
 * QEMU's multiboot loader splits -initrd at ',' into modules and each module
 * string at the first ' ' into file name and module command line; and it
 * passes "<kernel path> <append>" as the multiboot command line, which the
 * shim splits at the first ' '. Such paths cannot be carried.
 */
static int check_path(const char *what, const char *path, char *err, size_t errlen)
{
    if (!path[0] || strpbrk(path, ", \t\n")) {
        snprintf(err, errlen, "%s path '%s' contains a comma or white space, which "
                 "QEMU's multiboot loader cannot pass (rename it or set TMPDIR)",
                 what, path);
        return -1;
    }
    return 0;
}

/*
 * A -drive file= value: QEMU's option syntax doubles commas, and a path
 * with ':' before any '/' would be read as a protocol ("nbd:...").
 */
static char *drive_file(const char *path)
{
    const char *colon = strchr(path, ':'), *slash = strchr(path, '/'), *p;
    char *s, *q;

    s = malloc(2 * strlen(path) + 3);
    if (!s)
        return NULL;
    q = s;
    if (colon && (!slash || colon < slash)) {
        *q++ = '.';
        *q++ = '/';
    }
    for (p = path; *p; p++) {
        if (*p == ',')
            *q++ = ',';
        *q++ = *p;
    }
    *q = '\0';
    return s;
}

static int add_disks(const struct qemu_opts *o, struct qemu_cmd *cmd, size_t cap)
{
    int bad = 0;
    size_t i;
    char *f;

    for (i = 0; i < o->nr_disks; i++) {
        const struct disk_spec *d = &o->disks[i];

        f = drive_file(d->target);
        if (!f)
            return -1;
        bad |= add(cmd, cap, "-drive");
        bad |= add(cmd, cap, "file=%s,if=none,format=%s,id=vbd%zu%s", f,
                   disk_format_qemu(d->format), i, d->readonly ? ",readonly=on" : "");
        bad |= add(cmd, cap, "-device");
        bad |= add(cmd, cap, "virtio-blk-pci,disable-legacy=on,drive=vbd%zu", i);
        free(f);
    }
    return bad;
}

/* The first user-networking vif, which gets the --hostfwd rules. */
static size_t hostfwd_vif(const struct qemu_opts *o)
{
    size_t i;

    for (i = 0; i < o->nr_vifs; i++)
        if (vif_is_user(&o->vifs[i]))
            break;
    return i;
}

static int add_vifs(const struct qemu_opts *o, struct qemu_cmd *cmd, size_t cap)
{
    size_t i, j, fwd = hostfwd_vif(o);
    char *net, mac[18];
    int bad = 0;

    for (i = 0; i < o->nr_vifs; i++) {
        const struct vif_spec *v = &o->vifs[i];

        if (vif_is_user(v) && asprintf(&net, "user,id=net%zu", i) < 0)
            return -1;
        if (!vif_is_user(v) && asprintf(&net, "bridge,id=net%zu,br=%s", i, v->bridge) < 0)
            return -1;
        for (j = 0; i == fwd && j < o->nr_hostfwd; j++)
            net = cat(net, ",hostfwd=%s", o->hostfwd[j]);
        if (!net)
            return -1;
        mac_text(v->mac, mac);
        bad |= add(cmd, cap, "-netdev");
        bad |= add(cmd, cap, "%s", net);
        bad |= add(cmd, cap, "-device");
        bad |= add(cmd, cap, "virtio-net-pci,disable-legacy=on,netdev=net%zu,mac=%s", i, mac);
        free(net);
    }
    return bad;
}

int qemu_build(const struct qemu_opts *o, struct qemu_cmd *cmd, char *err, size_t errlen)
{
    size_t cap = 32 + o->nr_extra + 4 * (o->nr_disks + o->nr_vifs), i;
    char *append;
    int bad = 0;

    cmd->argc = 0;
    cmd->argv = NULL;
    if (check_path("shim", o->shim, err, errlen) ||
        check_path("kernel", o->kernel_elf, err, errlen) ||
        (o->initrd && check_path("initrd", o->initrd, err, errlen)))
        return -1;
    if (o->nr_hostfwd && hostfwd_vif(o) == o->nr_vifs) {
        snprintf(err, errlen, "--hostfwd needs a vif with user networking "
                 "(e.g. --vif '' or bridge=user)");
        return -1;
    }
    for (i = 0; i < o->nr_hostfwd; i++)
        if (strchr(o->hostfwd[i], ',') || !strchr(o->hostfwd[i], '-')) {
            snprintf(err, errlen, "--hostfwd '%s': expected QEMU's "
                     "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport", o->hostfwd[i]);
            return -1;
        }
    append = qemu_shim_append(o);
    cmd->argv = calloc(cap, sizeof(*cmd->argv));
    if (!append || !cmd->argv)
        goto oom;

    bad |= add(cmd, cap, "%s", o->qemu);
    bad |= add(cmd, cap, "-nodefaults");
    bad |= add(cmd, cap, "-machine");
    bad |= add(cmd, cap, "pc");
    bad |= add(cmd, cap, "-display");
    bad |= add(cmd, cap, "none");
    bad |= add(cmd, cap, "-serial");
    bad |= add(cmd, cap, "stdio");
    bad |= add(cmd, cap, "-no-reboot");
    bad |= add(cmd, cap, "-device");
    bad |= add(cmd, cap, "isa-debug-exit,iobase=%#x,iosize=0x04", SHIM_DEBUG_EXIT_PORT);
    bad |= add(cmd, cap, "-accel");
    bad |= add(cmd, cap, "%s", o->kvm ? "kvm" : "tcg");
    bad |= add(cmd, cap, "-cpu");
    /* QEMU 7.2 TCG: iretq to a user page under SMAP faults (ARCHITECTURE.md). */
    bad |= add(cmd, cap, "%s", o->kvm ? "host" : "max,-smap");
    if (o->vcpus > 1) {
        bad |= add(cmd, cap, "-smp");
        bad |= add(cmd, cap, "%lu", o->vcpus);
    }
    bad |= add(cmd, cap, "-m");
    bad |= add(cmd, cap, "%llu",
               (unsigned long long)qemu_machine_mib(o->memory_mib, o->modules_bytes));
    bad |= add(cmd, cap, "-kernel");
    bad |= add(cmd, cap, "%s", o->shim);
    bad |= add(cmd, cap, "-initrd");
    if (o->initrd)
        bad |= add(cmd, cap, "%s,%s", o->kernel_elf, o->initrd);
    else
        bad |= add(cmd, cap, "%s", o->kernel_elf);
    bad |= add(cmd, cap, "-append");
    bad |= add(cmd, cap, "%s", append);
    bad |= add_disks(o, cmd, cap);
    bad |= add_vifs(o, cmd, cap);
    for (i = 0; i < o->nr_extra; i++)
        bad |= add(cmd, cap, "%s", o->extra[i]);
    free(append);
    if (bad)
        goto oom_cmd;
    return 0;
oom:
    free(append);
oom_cmd:
    qemu_cmd_free(cmd);
    snprintf(err, errlen, "out of memory");
    return -1;
}

void qemu_cmd_free(struct qemu_cmd *cmd)
{
    size_t i;

    if (cmd->argv)
        for (i = 0; i < cmd->argc; i++)
            free(cmd->argv[i]);
    free(cmd->argv);
    cmd->argv = NULL;
    cmd->argc = 0;
}

static void print_quoted(FILE *f, const char *s)
{
    const char *p;

    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_./=:,+-@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (p = s; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", f);
        else
            fputc(*p, f);
    }
    fputc('\'', f);
}

void qemu_print(FILE *f, const struct qemu_cmd *cmd)
{
    size_t i;

    for (i = 0; i < cmd->argc; i++) {
        if (i)
            fputc(' ', f);
        print_quoted(f, cmd->argv[i]);
    }
    fputc('\n', f);
}

int qemu_verdict(int wstatus, char *msg, size_t msglen)
{
    static const struct {
        int shim_value, rc;
    } map[] = {
        { SHIM_EXIT_POWEROFF, XENSHIM_RC_POWEROFF },
        { SHIM_EXIT_REBOOT, XENSHIM_RC_REBOOT },
        { SHIM_EXIT_SUSPEND, XENSHIM_RC_OTHER },
        { SHIM_EXIT_CRASH, XENSHIM_RC_CRASH },
        { SHIM_EXIT_WATCHDOG, XENSHIM_RC_WATCHDOG },
        { SHIM_EXIT_SOFT_RESET, XENSHIM_RC_OTHER },
        { SHIM_EXIT_PANIC, XENSHIM_RC_PANIC },
    };
    size_t i;

    msg[0] = '\0';
    if (WIFEXITED(wstatus)) {
        for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
            if (WEXITSTATUS(wstatus) == SHIM_EXIT_QEMU_STATUS(map[i].shim_value))
                return map[i].rc;
        snprintf(msg, msglen, "qemu exited with status %d without a guest verdict",
                 WEXITSTATUS(wstatus));
    } else if (WIFSIGNALED(wstatus)) {
        snprintf(msg, msglen, "qemu was killed by signal %d (%s) without a guest verdict",
                 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
    } else {
        snprintf(msg, msglen, "qemu stopped with wait status %#x without a guest verdict",
                 (unsigned int)wstatus);
    }
    return XENSHIM_RC_QEMU;
}
