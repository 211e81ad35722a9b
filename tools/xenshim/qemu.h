/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The QEMU side of `xenshim run`: building the command line (pure, in
 * qemu-args.c, unit-tested) and supervising the QEMU child (qemu-run.c).
 */
#ifndef XENSHIM_QEMU_H
#define XENSHIM_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xl-devices.h"

#define QEMU_DEFAULT_BINARY "qemu-system-x86_64"
#define QEMU_EXTRA_MIB      64 /* shim, page tables, start info, slack */

struct qemu_opts {
    const char *qemu;        /* binary (PATH lookup) */
    const char *shim;        /* the shim multiboot image: -kernel */
    const char *kernel_elf;  /* boot module 0 */
    const char *initrd;      /* boot module 1, or NULL */
    uint64_t modules_bytes;  /* kernel ELF + initrd sizes */
    unsigned long memory_mib;/* guest memory: the shim's mem= */
    unsigned long vcpus;     /* guest vCPUs = QEMU -smp CPUs; 0 counts as 1 */
    const char *cmdline;     /* guest command line, verbatim ("" if none) */
    bool trace;
    bool kvm;                /* -accel kvm -cpu host, else TCG */
    char *const *extra;      /* --qemu-arg values, appended last */
    size_t nr_extra;
    const struct disk_spec *disks; /* vbd 0, 1, ...: one virtio-blk-pci each */
    size_t nr_disks;
    const struct vif_spec *vifs;   /* vif 0, 1, ...: one virtio-net-pci each */
    size_t nr_vifs;
    char *const *hostfwd;    /* --hostfwd rules, for the first user-net vif */
    size_t nr_hostfwd;
};

struct qemu_cmd {
    char **argv;             /* NULL-terminated; all strings owned */
    size_t argc;
};

/*
 * The shim command line: "mem=<MiB>[ trace=1] -- <guest cmdline>".
 * Returns a malloc'd string or NULL on allocation failure.
 */
char *qemu_shim_cmdline(unsigned long memory_mib, bool trace, const char *guest);

/*
 * The shim command line with the guest's devices (what qemu_build passes
 * as -append). Tokens are separated by one space; the guest's part is
 * everything after the first " -- ", verbatim:
 *
 *   mem=<MiB> [vcpus=<n>] [trace=1] {vbd=<i>:<devnum>:<r|w>:<vdev>} {vif=<i>:<mac>}
 *   -- <guest>
 *
 * vcpus=<n>    only when n > 1; QEMU then gets -smp n.
 *
 * vbd=<i>:...  disk i is the i-th virtio-blk-pci function on PCI bus 0 in
 *              slot order (QEMU assigns slots in command-line order, and
 *              qemu_build adds disks in index order); <devnum> is its Xen
 *              virtual device number in decimal (xenstore "virtual-device",
 *              never 0), r or w its access (r for cdroms too), <vdev> the
 *              name the config gave ("xvda", "hdc", "51712"; [a-z0-9] only).
 * vif=<i>:<mac> vif i is the i-th virtio-net-pci function, in the same
 *              order, and its Xen MAC is <mac>, "xx:xx:xx:xx:xx:xx" in
 *              lower-case hex (the virtio-net device has the same MAC).
 * Indexes start at 0 and are dense. Returns NULL on allocation failure.
 */
char *qemu_shim_append(const struct qemu_opts *o);

/* QEMU's -m in MiB: guest memory + the modules rounded up to MiB + 64. */
uint64_t qemu_machine_mib(unsigned long memory_mib, uint64_t modules_bytes);

/*
 * Build the QEMU argv. Each disk i adds
 *   -drive file=<target>,if=none,format=<fmt>,id=vbd<i>[,readonly=on]
 *   -device virtio-blk-pci,disable-legacy=on,drive=vbd<i>
 * and each vif i
 *   -netdev user,id=net<i>[,hostfwd=<rule>...]   (no bridge=, or bridge=user)
 *   -netdev bridge,id=net<i>,br=<bridge>         (needs qemu-bridge-helper, root)
 *   -device virtio-net-pci,disable-legacy=on,netdev=net<i>,mac=<mac>
 * Returns 0, or -1 with a one-line reason in err (e.g. a path QEMU's
 * multiboot module list cannot carry, --hostfwd without a user-net vif).
 */
int qemu_build(const struct qemu_opts *o, struct qemu_cmd *cmd, char *err, size_t errlen);
void qemu_cmd_free(struct qemu_cmd *cmd);

/* Print argv as one shell-quoted line. */
void qemu_print(FILE *f, const struct qemu_cmd *cmd);

/*
 * Map a waitpid() status of QEMU to a XENSHIM_RC_* exit status. When the
 * status carries no guest verdict, returns XENSHIM_RC_QEMU and writes a
 * one-line reason (without "xenshim: ") to msg; otherwise msg is "".
 */
int qemu_verdict(int wstatus, char *msg, size_t msglen);

struct console_sink;

/*
 * Run QEMU, inheriting stdout/stderr (stdin only if it is a terminal),
 * forwarding SIGINT/SIGTERM/SIGHUP, and killing it after timeout_sec
 * (0: no limit). With a sink (console.h), QEMU's stdout goes through the
 * console relay instead. Returns the XENSHIM_RC_* status for the tool to
 * exit with.
 */
int qemu_run(const struct qemu_cmd *cmd, unsigned long timeout_sec,
             const struct console_sink *sink);

/* Verdicts that restart QEMU instead of ending the run (xl's on_*=restart). */
struct qemu_restart {
    bool on_poweroff, on_reboot, on_crash, on_watchdog;
    unsigned int max;        /* restarts allowed; one more such verdict ends the run */
};

/*
 * qemu_run, again while the verdict is one r restarts, at most r->max
 * times; timeout_sec bounds the whole run. Returns the last XENSHIM_RC_*.
 */
int qemu_run_guest(const struct qemu_cmd *cmd, unsigned long timeout_sec,
                   const struct qemu_restart *r, const struct console_sink *sink);

#endif
