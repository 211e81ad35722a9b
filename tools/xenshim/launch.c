// SPDX-License-Identifier: GPL-2.0-only
/*
 * The common part of `xenshim run` and `xenshim certify` (see launch.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"
#include "xenshim.h"

char *launch_beside_tool(const char *argv0, const char *name)
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
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    return path;
}

int launch_prepare(const struct launch *l, struct qemu_cmd *cmd, const char **kernel_elf)
{
    const struct xl_domain *d = l->d;
    struct qemu_opts q = { 0 };
    struct kernel k = { 0 };
    char *shim_alloc = NULL, err[512];
    const char *shim = l->shim;
    uint64_t initrd_size = 0;
    int rc = -1, fd;

    if (kernel_load(d->kernel, &k)) {
        msg("%s: %s", d->kernel, k.err);
        goto out;
    }
    if (d->ramdisk && file_size(d->ramdisk, &initrd_size))
        goto out;
    if (!shim) {
        shim = shim_alloc = launch_beside_tool(l->argv0, "xenshim.elf");
        if (!shim) {
            msg("cannot locate the shim image; use --shim FILE");
            goto out;
        }
    }
    if (!l->dry_run && access(shim, R_OK) != 0) {
        msg("shim image %s: %s (build it with `make shim`, or use --shim FILE)",
            shim, strerror(errno));
        goto out;
    }

    q.qemu = getenv("XENSHIM_QEMU") && *getenv("XENSHIM_QEMU") ?
             getenv("XENSHIM_QEMU") : QEMU_DEFAULT_BINARY;
    q.shim = shim;
    q.kernel_elf = kernel_elf_path(&k);
    if (!q.kernel_elf)
        goto out;
    q.initrd = d->ramdisk;
    q.modules_bytes = k.elf_size + initrd_size;
    q.memory_mib = d->memory_mib;
    q.vcpus = d->vcpus;
    q.cmdline = d->cmdline;
    q.trace = l->trace;
    fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    q.kvm = fd >= 0;
    if (fd >= 0)
        close(fd);
    q.extra = l->extra;
    q.nr_extra = l->nr_extra;
    q.disks = d->disks;
    q.nr_disks = d->nr_disks;
    q.vifs = d->vifs;
    q.nr_vifs = d->nr_vifs;
    q.hostfwd = l->hostfwd;
    q.nr_hostfwd = l->nr_hostfwd;
    if (qemu_build(&q, cmd, err, sizeof(err))) {
        msg("%s", err);
        goto out;
    }
    *kernel_elf = q.kernel_elf;
    rc = 0;
out:
    kernel_free(&k); /* QEMU reads the file; the image is not needed */
    free(shim_alloc);
    return rc;
}
