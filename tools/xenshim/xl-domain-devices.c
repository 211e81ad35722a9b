// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device lists of a domain (see xl-config.h): disks and vifs from the
 * config's lists and from --disk/--vif, checked together once complete
 * (xl_domain_finish) so that a device number or MAC is never used twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xl-config.h"

/*
 * Room for element nr of an array of *cap elements of `size` bytes: the
 * array itself if it has room, else a copy twice as large (or NULL, the
 * array untouched). Doubling keeps adding n devices O(n): growing by one
 * element per device copied the whole array each time, O(n^2) bytes, which
 * under ASan (every realloc a fresh, filled block) took a config with a few
 * hundred disks to libFuzzer's timeout (tests/fuzz/fuzz-xl-config.c).
 */
static void *grow(void *array, size_t *cap, size_t nr, size_t size)
{
    size_t ncap;
    void *n;

    if (nr < *cap)
        return array;
    if (*cap > SIZE_MAX / 2 / size)
        return NULL;
    ncap = *cap ? *cap * 2 : 4;
    n = realloc(array, ncap * size);
    if (n)
        *cap = ncap;
    return n;
}

int xl_domain_add_disk(struct xl_domain *d, const char *spec, const char *where,
                       FILE *warn, char *err, size_t errlen)
{
    struct disk_spec *n = grow(d->disks, &d->disks_cap, d->nr_disks, sizeof(*n));

    if (!n) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->disks = n;
    if (disk_spec_parse(spec, &d->disks[d->nr_disks], where, warn, err, errlen))
        return -1;
    d->nr_disks++;
    return 0;
}

int xl_domain_add_vif(struct xl_domain *d, const char *spec, const char *where,
                      FILE *warn, char *err, size_t errlen)
{
    struct vif_spec *n = grow(d->vifs, &d->vifs_cap, d->nr_vifs, sizeof(*n));

    if (!n) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->vifs = n;
    if (vif_spec_parse(spec, &d->vifs[d->nr_vifs], where, warn, err, errlen))
        return -1;
    d->nr_vifs++;
    return 0;
}

/* Another vif has vif i's MAC (vifs not yet given one hold zeros). */
static bool mac_taken(const struct xl_domain *d, size_t i)
{
    size_t j;

    for (j = 0; j < d->nr_vifs; j++)
        if (j != i && !memcmp(d->vifs[j].mac, d->vifs[i].mac, 6))
            return true;
    return false;
}

int xl_domain_finish(struct xl_domain *d, char *err, size_t errlen)
{
    const char *name = d->name && *d->name ? d->name : "xenshim";
    unsigned int salt;
    size_t i, j;

    for (i = 0; i < d->nr_disks; i++)
        for (j = 0; j < i; j++)
            if (d->disks[i].devnum == d->disks[j].devnum) {
                snprintf(err, errlen, "disk %zu (vdev %s) has the device number %u of "
                         "disk %zu (vdev %s)", i + 1, d->disks[i].vdev, d->disks[i].devnum,
                         j + 1, d->disks[j].vdev);
                return -1;
            }
    /* Explicit MACs first, so a generated one never takes a configured one. */
    for (i = 0; i < d->nr_vifs; i++)
        if (d->vifs[i].mac_set)
            for (j = 0; j < i; j++)
                if (d->vifs[j].mac_set && !memcmp(d->vifs[i].mac, d->vifs[j].mac, 6)) {
                    snprintf(err, errlen, "vif %zu has the mac of vif %zu", i + 1, j + 1);
                    return -1;
                }
    for (i = 0; i < d->nr_vifs; i++) {
        if (d->vifs[i].mac_set)
            continue;
        salt = 0;
        do
            vif_default_mac(name, (unsigned int)i, salt++, d->vifs[i].mac);
        while (mac_taken(d, i));
    }
    return 0;
}

void xl_domain_free(struct xl_domain *d)
{
    size_t i;

    for (i = 0; i < d->nr_disks; i++)
        disk_spec_free(&d->disks[i]);
    for (i = 0; i < d->nr_vifs; i++)
        vif_spec_free(&d->vifs[i]);
    free(d->disks);
    free(d->vifs);
    free(d->name);
    free(d->kernel);
    free(d->ramdisk);
    free(d->cmdline);
    free(d->uuid);
    memset(d, 0, sizeof(*d));
}
