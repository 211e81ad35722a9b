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

/* Virtual block devices the shim exports (vbd= tokens), at most this many. */
#define SHIM_MAX_VBDS       8
#define SHIM_VDEV_NAME_MAX  16      /* with the NUL */

/*
 * One vbd= token: "vbd=<disk>:<devnum>:<r|w>:<vdevname>". disk is the index
 * of the provider's disk (plat_blk, PCI order), devnum the Xen virtual
 * device number (51712 = xvda), vdevname the name for the backend's "dev"
 * node ([a-z0-9], 1-15 characters).
 */
struct shim_vbd {
    uint32_t disk;
    uint32_t devnum;
    bool readonly;
    char vdev[SHIM_VDEV_NAME_MAX];
};

/* Virtual NICs the shim exports (vif= tokens), at most this many. */
#define SHIM_MAX_VIFS       4

/*
 * One vif= token: "vif=<idx>:<mac>". idx is both the provider's NIC (PCI
 * order) and the vif's device id (handle); mac is aa:bb:cc:dd:ee:ff.
 */
struct shim_vif {
    uint32_t idx;
    uint8_t mac[6];
};

/*
 * Shim options from the command line:
 * "mem=<MiB> [vcpus=<n>] [trace=1] [blktest=1] [nettest=1] [vbd=...]... [vif=...]...
 *  -- <guest cmdline>". vcpus=n needs a machine with at least n CPUs.
 */
#define SHIM_MAX_VCPUS 8
struct shim_options {
    uint64_t guest_mib;
    unsigned int vcpus;         /* guest vCPUs, one machine CPU each (default 1) */
    bool trace_hypercalls;
    bool blktest;               /* run the block provider self-test at boot */
    bool nettest;               /* run the network provider self-test at boot */
    const char *guest_cmdline;  /* text after " -- ", or "" */
    struct shim_vbd vbds[SHIM_MAX_VBDS];
    unsigned int nr_vbds;       /* distinct disks and devnums */
    struct shim_vif vifs[SHIM_MAX_VIFS];
    unsigned int nr_vifs;       /* distinct NICs */
};
int shim_options_parse(const char *cmdline, struct shim_options *opt,
                       char *err, size_t errlen);

#endif
