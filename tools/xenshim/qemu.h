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

#define QEMU_DEFAULT_BINARY "qemu-system-x86_64"
#define QEMU_EXTRA_MIB      64 /* shim, page tables, start info, slack */

struct qemu_opts {
    const char *qemu;        /* binary (PATH lookup) */
    const char *shim;        /* the shim multiboot image: -kernel */
    const char *kernel_elf;  /* boot module 0 */
    const char *initrd;      /* boot module 1, or NULL */
    uint64_t modules_bytes;  /* kernel ELF + initrd sizes */
    unsigned long memory_mib;/* guest memory: the shim's mem= */
    const char *cmdline;     /* guest command line, verbatim ("" if none) */
    bool trace;
    bool kvm;                /* -accel kvm -cpu host, else TCG */
    char *const *extra;      /* --qemu-arg values, appended last */
    size_t nr_extra;
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

/* QEMU's -m in MiB: guest memory + the modules rounded up to MiB + 64. */
uint64_t qemu_machine_mib(unsigned long memory_mib, uint64_t modules_bytes);

/*
 * Build the QEMU argv. Returns 0, or -1 with a one-line reason in err
 * (e.g. a path QEMU's multiboot module list cannot carry).
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

/*
 * Run QEMU, inheriting stdout/stderr (stdin only if it is a terminal),
 * forwarding SIGINT/SIGTERM/SIGHUP, and killing it after timeout_sec
 * (0: no limit). Returns the XENSHIM_RC_* status for the tool to exit with.
 */
int qemu_run(const struct qemu_cmd *cmd, unsigned long timeout_sec);

#endif
