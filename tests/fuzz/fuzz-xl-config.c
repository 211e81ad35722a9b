// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the host tool's xl config parser and device specs
 * (tools/xenshim/xl-config*.c, xl-domain*.c, disk-spec.c, vif-spec.c,
 * vbd-devnum.c). Input byte 0 picks the entry: a whole config file through
 * xlcfg_parse + xl_domain_parse + xl_domain_finish (as `xenshim run
 * guest.cfg` does), or one --disk / --vif spec, a vdev name, a MAC. The
 * text is copied to an exact-size heap block (NUL-terminated only for the
 * spec entries, which take C strings) so ASan sees over-reads. Errors must
 * come back as a terminated message; everything is freed (LeakSanitizer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xl-config.h"
#include "xl-devices.h"

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    char *text;
    size_t len;
    int rc;

    if (size < 1)
        return 0;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    CHECK(devnull);
    len = size - 1;
    text = malloc(len + 1);
    CHECK(text);
    memcpy(text, data + 1, len);
    memset(err, 0x55, sizeof(err));

    switch (data[0] % 5) {
    case 0: {
        struct xlcfg cfg = { 0 };
        struct xl_domain d;

        memset(&d, 0, sizeof(d));
        /* Exactly len bytes, no terminator: the parser takes a length. */
        rc = xlcfg_parse(&cfg, "fuzz.cfg", text, len, err, sizeof(err));
        if (rc == 0)
            rc = xl_domain_parse(&cfg, "fuzz.cfg", &d, devnull, err, sizeof(err));
        if (rc == 0)
            rc = xl_domain_finish(&d, err, sizeof(err));
        if (rc == 0) {
            CHECK(d.nr_disks == 0 || d.disks);
            CHECK(d.nr_vifs == 0 || d.vifs);
        }
        xl_domain_free(&d);
        xlcfg_free(&cfg);
        break;
    }
    case 1: {
        struct disk_spec ds;

        text[len] = '\0';
        memset(&ds, 0, sizeof(ds));
        rc = disk_spec_parse(text, &ds, "--disk", devnull, err, sizeof(err));
        if (rc == 0) {
            uint32_t n;

            CHECK(ds.vdev);
            CHECK(vbd_devnum(ds.vdev, &n) == 0 && n == ds.devnum);
            (void)disk_format_qemu(ds.format);
            (void)disk_format_name(ds.format);
        }
        disk_spec_free(&ds);
        break;
    }
    case 2: {
        struct vif_spec vs;

        text[len] = '\0';
        memset(&vs, 0, sizeof(vs));
        rc = vif_spec_parse(text, &vs, "--vif", devnull, err, sizeof(err));
        if (rc == 0)
            (void)vif_is_user(&vs);
        vif_spec_free(&vs);
        break;
    }
    case 3: {
        uint32_t n;

        text[len] = '\0';
        rc = vbd_devnum(text, &n);
        break;
    }
    default: {
        uint8_t mac[6];

        text[len] = '\0';
        rc = vif_parse_mac(text, mac);
        vif_default_mac(text, len, (unsigned int)len * 7u, mac);
        break;
    }
    }
    if (rc != 0 && data[0] % 5 <= 2)
        CHECK(memchr(err, 0, sizeof(err)));
    free(text);
    return 0;
}
