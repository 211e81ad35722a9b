/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the loader handed the shim, read once from the multiboot (v1) info at
 * boot: RAM ranges, boot modules (guest kernel, optional initrd, optional
 * config) and the shim command line.
 */
#ifndef SHIM_BOOT_INFO_H
#define SHIM_BOOT_INFO_H

#include <shim/types.h>

#define BOOT_MAX_RAM_RANGES 32
#define BOOT_MAX_MODULES    4

struct ram_range {
    paddr_t start, end;         /* [start, end), page aligned inwards */
};

struct boot_module {
    paddr_t start, end;
    const char *string;         /* the module's command line, may be "" */
};

struct boot_info {
    struct ram_range ram[BOOT_MAX_RAM_RANGES];
    unsigned int nr_ram;
    struct boot_module mods[BOOT_MAX_MODULES];
    unsigned int nr_mods;
    const char *cmdline;        /* never NULL */
    paddr_t occupied_end;       /* end of the image, modules and loader data */
};

/* Parse the multiboot info at physical address info_pa; panics on nonsense. */
void boot_info_parse(uint32_t magic, paddr_t info_pa, struct boot_info *bi);

/*
 * Shim options from the command line:
 * "mem=<MiB> [trace=1] [blktest=1] -- <guest cmdline>".
 */
struct shim_options {
    uint64_t guest_mib;
    bool trace_hypercalls;
    bool blktest;               /* run the block provider self-test at boot */
    const char *guest_cmdline;  /* text after " -- ", or "" */
};
int shim_options_parse(const char *cmdline, struct shim_options *opt,
                       char *err, size_t errlen);

#endif
