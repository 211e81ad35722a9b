/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl device specifications of `xenshim run`: the disk spec
 * (xl-disk-configuration(5), disk-spec.c) and the vif spec
 * (xl-network-configuration(5), vif-spec.c), parsed into what the QEMU
 * command line and the shim need. Pure functions, unit-tested.
 *
 * Messages: errors are returned as one line without a prefix; warnings are
 * written to `warn` as "xenshim: <where>: <what> ignored: <reason>\n".
 */
#ifndef XENSHIM_XL_DEVICES_H
#define XENSHIM_XL_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum disk_format {
    DISK_FORMAT_RAW,
    DISK_FORMAT_QCOW,
    DISK_FORMAT_QCOW2,
    DISK_FORMAT_VHD,
    DISK_FORMAT_QED,
    DISK_FORMAT_EMPTY,  /* a cdrom without a target */
};

struct disk_spec {
    char *target;            /* image or device path, as written (owned) */
    enum disk_format format;
    char *vdev;              /* guest name as written: "xvda", "hdc", "51712" (owned) */
    uint32_t devnum;         /* Xen virtual device number (xen-vbd-interface(7)) */
    bool readonly;
    bool cdrom;
};

/*
 * Parse one xl disk spec: positional "target,format,vdev,access", key=value
 * parameters, flags and the deprecated "phy:", "file:", "raw:",
 * "<vdev>:cdrom" forms. `where` prefixes warnings. Returns 0, or -1 with a
 * one-line reason in err (and *d left empty).
 */
int disk_spec_parse(const char *spec, struct disk_spec *d, const char *where,
                    FILE *warn, char *err, size_t errlen);
void disk_spec_free(struct disk_spec *d);

/*
 * The Xen virtual device number of an xl vdev (libxl's encoding):
 * xvd<letters>[<part>] and d<disk>p<part>: 202<<8 | disk<<4 | part for
 * disk and part up to 15, else 1<<28 | disk<<8 | part (disk < 2^20,
 * part < 256); hd[a-d][<part>]: (3 or 22)<<8 | (disk&1)<<6 | part (part
 * < 64); sd[a-p][<part>]: 8<<8 | disk<<4 | part (part < 16); a plain number
 * (decimal, 0x hex, 0 octal) up to INT_MAX is taken verbatim.
 * Returns 0, or -1 if vdev is none of these.
 */
int vbd_devnum(const char *vdev, uint32_t *devnum);

/* QEMU's -drive format= name for a disk format ("raw", "qcow2", "vpc", ...). */
const char *disk_format_qemu(enum disk_format f);

/* The name xl uses for a disk format. */
const char *disk_format_name(enum disk_format f);

struct vif_spec {
    uint8_t mac[6];
    bool mac_set;            /* mac= given; else vif_default_mac() fills mac */
    char *bridge;            /* bridge= (owned), NULL or "user": QEMU user net */
};

/*
 * Parse one xl vif spec ("mac=..., bridge=..." or "" for defaults).
 * Returns 0, or -1 with a one-line reason in err.
 */
int vif_spec_parse(const char *spec, struct vif_spec *v, const char *where,
                   FILE *warn, char *err, size_t errlen);
void vif_spec_free(struct vif_spec *v);

/* True if the vif uses QEMU user networking (no bridge, or bridge=user). */
bool vif_is_user(const struct vif_spec *v);

/*
 * Parse "xx:xx:xx:xx:xx:xx" (one or two hex digits per byte, ':' or '-').
 * Refuses multicast and all-zero addresses. Returns 0 or -1.
 */
int vif_parse_mac(const char *s, uint8_t mac[6]);

/*
 * The default MAC of vif `index` of domain `name`: in Xen's 00:16:3e OUI,
 * the low 24 bits of FNV-1a over "<name>/<index>" plus `salt`, so a guest
 * keeps its MAC across runs and restarts (xl picks random bytes instead).
 */
void vif_default_mac(const char *name, unsigned int index, unsigned int salt,
                     uint8_t mac[6]);

#endif
