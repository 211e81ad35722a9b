// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl vdev names -> Xen virtual device numbers (see vbd_devnum in
 * xl-devices.h), the encoding of xen-vbd-interface(7) as libxl implements
 * it (libxl__device_disk_dev_number in tools/libs/light/libxl_device.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xl-devices.h"

/*
 * "<type><letters>[<partition>]": letters are a bijective base-26 disk
 * index (a=0, z=25, aa=26), the partition a decimal without leading zero.
 */
static bool vdev_letters(const char *s, const char *type, unsigned long max_disk,
                         unsigned long max_part, unsigned long *disk, unsigned long *part)
{
    size_t tl = strlen(type);
    unsigned long idx = 0;
    const char *p;
    char *end;

    if (strncmp(s, type, tl) || s[tl] < 'a' || s[tl] > 'z')
        return false;
    for (p = s + tl; *p >= 'a' && *p <= 'z'; p++) {
        idx = idx * 26 + (unsigned long)(*p - 'a') + (p == s + tl ? 0 : 26);
        if (idx > max_disk)
            return false;
    }
    *disk = idx;
    *part = 0;
    if (!*p)
        return true;
    if (*p < '1' || *p > '9')
        return false;
    errno = 0;
    *part = strtoul(p, &end, 10);
    return !errno && !*end && *part <= max_part;
}

/* "d<disk>p<partition>", both decimal. */
static bool vdev_dp(const char *s, unsigned long *disk, unsigned long *part)
{
    char *end;

    if (s[0] != 'd' || s[1] < '0' || s[1] > '9')
        return false;
    errno = 0;
    *disk = strtoul(s + 1, &end, 10);
    if (errno || *end != 'p' || end[1] < '0' || end[1] > '9')
        return false;
    *part = strtoul(end + 1, &end, 10);
    return !errno && !*end && *disk < (1UL << 20) && *part < 256;
}

int vbd_devnum(const char *vdev, uint32_t *devnum)
{
    unsigned long disk, part, n;
    char *end;

    if (vdev_dp(vdev, &disk, &part) ||
        vdev_letters(vdev, "xvd", (1UL << 20) - 1, 255, &disk, &part)) {
        if (disk <= 15 && part <= 15)
            *devnum = (uint32_t)(202 << 8 | disk << 4 | part);
        else
            *devnum = (uint32_t)(1UL << 28 | disk << 8 | part);
        return 0;
    }
    if (vdev[0] >= '0' && vdev[0] <= '9') {
        errno = 0;
        n = strtoul(vdev, &end, 0);
        if (errno || *end || n > INT_MAX)
            return -1;
        *devnum = (uint32_t)n;
        return 0;
    }
    if (vdev_letters(vdev, "hd", 3, 63, &disk, &part)) {
        *devnum = (uint32_t)((disk < 2 ? 3 : 22) << 8 | (disk & 1) << 6 | part);
        return 0;
    }
    if (vdev_letters(vdev, "sd", 15, 15, &disk, &part)) {
        *devnum = (uint32_t)(8 << 8 | disk << 4 | part);
        return 0;
    }
    return -1;
}
