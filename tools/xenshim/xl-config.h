/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl domain configuration files for `xenshim run guest.cfg [KEY=VALUE...]`:
 * the syntax (xl-config.c, the grammar of Xen's libxlu_cfg_y.y and
 * libxlu_cfg_l.l) and the keys xenshim honours (xl-domain.c). Pure
 * functions, unit-tested in tests/unit/test-xl-config.c.
 */
#ifndef XENSHIM_XL_CONFIG_H
#define XENSHIM_XL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "xl-devices.h"

/* Guest memory the shim accepts (shim/boot-info.c), in MiB. */
#define XL_MIN_MEMORY_MIB 4UL
#define XL_MAX_MEMORY_MIB (1UL << 20)
/* The shim runs each vCPU on its own machine CPU (shim/boot-info.h SHIM_MAX_VCPUS). */
#define XL_MAX_VCPUS      8UL
/* libxl's default when neither memory= nor maxmem= is given. */
#define XL_DEFAULT_MEMORY_MIB 32UL

struct xlcfg_value {
    bool is_list;
    int line;                    /* where the value starts */
    char *str;                   /* a string or number, as text (owned) */
    struct xlcfg_value **items;  /* a list (owned) */
    size_t nr_items, cap;
};

struct xlcfg_setting {
    char *name;                  /* owned */
    struct xlcfg_value *value;   /* owned */
    const char *source;          /* file name or "<command line>" (borrowed) */
    int line;                    /* of the last assignment */
    bool added;                  /* the last assignment was "+=" */
    bool used;                   /* consumed by xl_domain_parse */
};

struct xlcfg {
    struct xlcfg_setting *settings;
    size_t nr, cap;
};

/*
 * Parse xl config text and merge it into cfg: "k = v" replaces an earlier
 * k (the last one wins, as in xl), "k += v" concatenates strings and
 * appends to lists. `source` (borrowed for the lifetime of cfg) names the
 * text in messages. Returns 0, or -1 with "source:line: <what was
 * expected>" in err; on error cfg keeps what was merged before the error.
 */
int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *text, size_t len,
                char *err, size_t errlen);
struct xlcfg_setting *xlcfg_find(struct xlcfg *cfg, const char *name);
void xlcfg_free(struct xlcfg *cfg);

/* What to do when the guest stops for a reason (xl's on_* actions). */
enum xl_action {
    XL_ACTION_DESTROY,
    XL_ACTION_RESTART,
};

struct xl_domain {
    char *name, *kernel, *ramdisk, *cmdline, *uuid;  /* owned, NULL if unset */
    unsigned long memory_mib, vcpus;
    enum xl_action on_poweroff, on_reboot, on_crash, on_watchdog;
    struct disk_spec *disks;
    size_t nr_disks, disks_cap;  /* cap: allocated elements (grown by doubling) */
    struct vif_spec *vifs;
    size_t nr_vifs, vifs_cap;
};

/*
 * Read the keys xenshim honours from cfg into d (defaults as xl's), and
 * write one warning line per other key to `warn`. `file` names the config
 * in messages about missing keys. Returns 0, or -1 with a one-line
 * "source:line: key: what was expected" in err. Call xl_domain_free() in
 * both cases.
 */
int xl_domain_parse(struct xlcfg *cfg, const char *file, struct xl_domain *d, FILE *warn,
                    char *err, size_t errlen);

/* Append one disk / vif spec (--disk, --vif, or a config list item). */
int xl_domain_add_disk(struct xl_domain *d, const char *spec, const char *where,
                       FILE *warn, char *err, size_t errlen);
int xl_domain_add_vif(struct xl_domain *d, const char *spec, const char *where,
                      FILE *warn, char *err, size_t errlen);

/*
 * After all devices are added: refuse two disks with one device number and
 * two vifs with one MAC, and give vifs without mac= their default MAC
 * (vif_default_mac of d->name, or "xenshim" if unnamed).
 */
int xl_domain_finish(struct xl_domain *d, char *err, size_t errlen);
void xl_domain_free(struct xl_domain *d);

#endif
