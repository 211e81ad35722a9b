/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the xenshim host tool: messages, kernel loading
 * (ELF or bzImage, validated with the shim's own xen_elf_parse) and the
 * subcommands.
 */
#ifndef XENSHIM_TOOL_H
#define XENSHIM_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <shim/xen-elf.h>

#include "bzimage.h"

/* One line on stderr, prefixed "xenshim: ". */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole regular file. Returns 0, or -1 with "<reason>" in err. */
int read_whole_file(const char *path, uint8_t **buf, size_t *len,
                    char *err, size_t errlen);

/* Size of a regular file. Returns 0, or -1 after printing "path: reason". */
int file_size(const char *path, uint64_t *size);

enum kernel_stage {
    KSTAGE_READ,   /* the file could not be read */
    KSTAGE_UNWRAP, /* bzImage header or payload unusable */
    KSTAGE_PARSE,  /* ELF / Xen notes rejected by xen_elf_parse */
    KSTAGE_OK,
};

struct kernel {
    const char *path;        /* as given by the user */
    enum kernel_stage stage; /* how far loading got */
    bool bzimage;            /* input was a bzImage (then bz is valid) */
    struct bzimage_info bz;
    int elf_class;           /* EI_CLASS of the ELF (1, 2) or 0 if not ELF */
    uint8_t *elf;            /* the ELF image (owned) */
    size_t elf_size;
    struct xen_elf_info info;
    char err[256];           /* reason when stage != KSTAGE_OK */
};

/* Load, unwrap and validate a kernel. Returns 0 (stage OK) or -1. */
int kernel_load(const char *path, struct kernel *k);
void kernel_free(struct kernel *k);

/*
 * Path of a file holding the kernel ELF for QEMU: the input itself if it is
 * an ELF, else a temporary file (removed at exit, also on SIGINT/SIGTERM/
 * SIGHUP). Returns NULL after printing a message.
 */
const char *kernel_elf_path(struct kernel *k);

/* `xenshim --help` text. */
extern const char xenshim_usage[];

int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv, const char *argv0);

#endif
