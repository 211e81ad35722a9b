/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From a domain description to a QEMU command line, shared by `xenshim
 * run` and `xenshim certify`: load and check the kernel, find the shim,
 * probe KVM, build the command (launch.c).
 */
#ifndef XENSHIM_LAUNCH_H
#define XENSHIM_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

#include "qemu.h"
#include "xl-config.h"

struct launch {
    const struct xl_domain *d; /* kernel, ramdisk, cmdline, memory, devices */
    const char *shim;          /* shim image; NULL: xenshim.elf beside argv0 */
    const char *argv0;
    bool trace;
    bool dry_run;              /* the shim need not exist yet */
    char *const *extra;        /* --qemu-arg values */
    size_t nr_extra;
    char *const *hostfwd;      /* --hostfwd rules */
    size_t nr_hostfwd;
};

/*
 * Build the QEMU command for l into cmd (free it with qemu_cmd_free).
 * *kernel_elf is the ELF path QEMU reads: d->kernel itself, or a temporary
 * unwrapped copy removed when the tool exits. Returns 0, or -1 after
 * printing a one-line message.
 */
int launch_prepare(const struct launch *l, struct qemu_cmd *cmd, const char **kernel_elf);

/* dirname(argv0)/name, through /proc/self/exe when argv0 has no '/'.
 * Returns a malloc'd path or NULL. */
char *launch_beside_tool(const char *argv0, const char *name);

#endif
