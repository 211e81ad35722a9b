// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/disk-spec.c, vbd-devnum.c and vif-spec.c:
 * the xl disk spec forms of xl-disk-configuration(5) (positional,
 * key=value, deprecated prefixes and "vdev:cdrom"), the vdev encodings of
 * xen-vbd-interface(7) as libxl computes them, and vif specs with their
 * MAC rules and ignored-parameter warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/xenshim/xl-devices.h"
#include "../../tools/xenshim/xl-config.h"

static void test_devnum(void **state)
{
    static const struct {
        const char *vdev;
        uint32_t devnum;
    } good[] = {
        { "xvda", 202 << 8 },           { "xvdb", 202 << 8 | 1 << 4 },
        { "xvda1", 202 << 8 | 1 },      { "xvdp15", 202 << 8 | 15 << 4 | 15 },
        { "xvdq", 1 << 28 | 16 << 8 },  { "xvda16", 1 << 28 | 16 },
        { "xvdz", 1 << 28 | 25 << 8 },  { "xvdaa", 1 << 28 | 26 << 8 },
        { "xvdtq37", 1 << 28 | 536 << 8 | 37 },  /* the example of xen-vbd-interface(7) */
        { "d0p0", 202 << 8 },           { "d1p2", 202 << 8 | 1 << 4 | 2 },
        { "d536p37", 1 << 28 | 536 << 8 | 37 },
        { "hda", 3 << 8 },              { "hdb", 3 << 8 | 1 << 6 },
        { "hdc", 22 << 8 },             { "hdd63", 22 << 8 | 1 << 6 | 63 },
        { "sda", 8 << 8 },              { "sdb3", 8 << 8 | 1 << 4 | 3 },
        { "sdp15", 8 << 8 | 15 << 4 | 15 },
        { "51712", 51712 },             { "0xca01", 0xca01 }, { "0777", 0777 },
    };
    static const char *const bad[] = {
        "", "xvd", "xvdA", "xvda0", "xvda01", "xvda256", "xvdb-1", "hde", "hda64",
        "sdq", "sda16", "vda", "d1", "d1p", "dxp1", "d1048576p0", "d0p256", "4294967296",
        "2147483648", "12abc", "-1", " 1", "xvd a",
    };
    uint32_t n;
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        n = 0;
        if (vbd_devnum(good[i].vdev, &n) || n != good[i].devnum)
            fail_msg("%s: got %#x, expected %#x", good[i].vdev, n, good[i].devnum);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!vbd_devnum(bad[i], &n))
            fail_msg("'%s' accepted as %#x", bad[i], n);
}

static const struct {
    const char *spec, *target, *vdev;
    enum disk_format format;
    bool ro, cdrom;
} good_disks[] = {
    /* the equivalent forms of xl-disk-configuration(5) */
    { "/dev/vg/guest-volume,,hda", "/dev/vg/guest-volume", "hda", DISK_FORMAT_RAW, 0, 0 },
    { "/dev/vg/guest-volume,raw,hda,rw", "/dev/vg/guest-volume", "hda", DISK_FORMAT_RAW, 0, 0 },
    { "format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume", "/dev/vg/guest-volume",
      "hda", DISK_FORMAT_RAW, 0, 0 },
    { "raw:/dev/vg/guest-volume,hda,w", "/dev/vg/guest-volume", "hda", DISK_FORMAT_RAW, 0, 0 },
    { "/root/image.iso,,hdc,cdrom", "/root/image.iso", "hdc", DISK_FORMAT_RAW, 1, 1 },
    { "/root/image.iso,,hdc,,cdrom", "/root/image.iso", "hdc", DISK_FORMAT_RAW, 1, 1 },
    { "/root/image.iso,raw,hdc,devtype=cdrom", "/root/image.iso", "hdc", DISK_FORMAT_RAW, 1, 1 },
    { "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
      "/root/image.iso", "hdc", DISK_FORMAT_RAW, 1, 1 },
    { "raw:/root/image.iso,hdc:cdrom,ro", "/root/image.iso", "hdc", DISK_FORMAT_RAW, 1, 1 },
    /* what Debian configs say */
    { "phy:/dev/vg0/domu-disk,xvda2,w", "/dev/vg0/domu-disk", "xvda2", DISK_FORMAT_RAW, 0, 0 },
    { "file:/srv/xen/domains/x/disk.img,xvda2,w", "/srv/xen/domains/x/disk.img", "xvda2",
      DISK_FORMAT_RAW, 0, 0 },
    { "tap:aio:/srv/d.img,xvda,r", "/srv/d.img", "xvda", DISK_FORMAT_RAW, 1, 0 },
    { "tap:qcow2:/srv/d.qcow2,xvda,w", "/srv/d.qcow2", "xvda", DISK_FORMAT_QCOW2, 0, 0 },
    { "/srv/d.qcow2,qcow2,xvdb,ro", "/srv/d.qcow2", "xvdb", DISK_FORMAT_QCOW2, 1, 0 },
    { "vdev=xvdc,format=vhd,target=/a,b,c:d", "/a,b,c:d", "xvdc", DISK_FORMAT_VHD, 0, 0 },
    { "target=/x,", "/x", NULL, DISK_FORMAT_RAW, 0, 0 },  /* error: no vdev */
    { "img:a.raw,,xvda", "img:a.raw", "xvda", DISK_FORMAT_RAW, 0, 0 },
    { "/d,qed,0xca00", "/d", "51712", DISK_FORMAT_QED, 0, 0 },
};

static void test_disk_good(void **state)
{
    struct disk_spec d;
    char err[400];
    size_t i;

    for (i = 0; i < sizeof(good_disks) / sizeof(good_disks[0]); i++) {
        int rc = disk_spec_parse(good_disks[i].spec, &d, "t", NULL, err, sizeof(err));

        if (!good_disks[i].vdev) {
            assert_int_equal(rc, -1);
            continue;
        }
        if (rc)
            fail_msg("'%s': %s", good_disks[i].spec, err);
        assert_string_equal(d.target, good_disks[i].target);
        assert_string_equal(d.vdev, good_disks[i].vdev);
        assert_int_equal(d.format, good_disks[i].format);
        assert_int_equal(d.readonly, good_disks[i].ro);
        assert_int_equal(d.cdrom, good_disks[i].cdrom);
        disk_spec_free(&d);
    }
}

static const struct {
    const char *spec, *err;
} bad_disks[] = {
    { "/a,raw,xvda,rw,extra", "too many positional parameters at 'extra' "
      "(target,format,vdev,access)" },
    { "/a,raw,xvda,rx", "unknown access 'rx' (expected ro, r, rw or w)" },
    { "/a,raw", "no vdev given (expected e.g. '/path/disk.img,raw,xvda,rw')" },
    { ",,xvda", "no target given (expected e.g. '/path/disk.img,raw,xvda,rw')" },
    { ",hdc:cdrom,r", "empty cdrom drives are not supported (give a target)" },
    { "/a,raw,xvda,format=qcow2", "format respecified ('qcow2' after 'raw')" },
    { "/a,raw,xvda,vdev=xvdb", "vdev respecified ('xvdb' after 'xvda')" },
    { "/a,raw,xvda,target=/b", "target respecified ('/b' after '/a')" },
    { "/a,raw,xvda,devtype=floppy", "unknown devtype 'floppy' (expected disk or cdrom)" },
    { "/a,raw,xvda,cache=none", "unknown parameter 'cache='" },
    { "/a,raw,xvda:tape", "unknown device type 'tape' after ':' (expected cdrom or disk)" },
    { "/a=b,raw,xvda", "bad syntax at '/a=b' (a target with '=' must be given as "
      "target=..., last)" },
    { "foo:/a,xvda", "unknown deprecated prefix 'foo:'" },
    { "/a,raw,xvda0", "unknown vdev 'xvda0' (expected xvd<letters>[<partition>], hd[a-d], "
      "sd[a-p], d<disk>p<partition> or a device number other than 0)" },
    { "/a,raw,0", "unknown vdev '0' (expected xvd<letters>[<partition>], hd[a-d], "
      "sd[a-p], d<disk>p<partition> or a device number other than 0)" },
    { "/a,empty,xvda", "format 'empty' is not supported (give an image format)" },
    { "", "no vdev given (expected e.g. '/path/disk.img,raw,xvda,rw')" },
};

static void test_disk_bad(void **state)
{
    struct disk_spec d;
    char err[400], want[500];
    size_t i;

    for (i = 0; i < sizeof(bad_disks) / sizeof(bad_disks[0]); i++) {
        snprintf(want, sizeof(want), "disk '%s': %s", bad_disks[i].spec, bad_disks[i].err);
        if (disk_spec_parse(bad_disks[i].spec, &d, "t", NULL, err, sizeof(err)) != -1 ||
            strcmp(err, want))
            fail_msg("'%s'\n  got:      %s\n  expected: %s", bad_disks[i].spec, err, want);
        assert_null(d.target);
    }
}

static void test_disk_warnings(void **state)
{
    struct disk_spec d;
    char err[300], *text;
    size_t len;
    FILE *w = open_memstream(&text, &len);

    assert_int_equal(disk_spec_parse("nbd:host:1234,xvda,w", &d, "g.cfg:3", w, err,
                                     sizeof(err)), 0);
    assert_string_equal(d.target, "host:1234");
    disk_spec_free(&d);
    assert_int_equal(disk_spec_parse("/a,raw,xvda,w,script=block-dmmd,discard,backend=dd",
                                     &d, "g.cfg:4", w, err, sizeof(err)), 0);
    disk_spec_free(&d);
    fclose(w);
    assert_string_equal(text,
        "xenshim: g.cfg:3: disk 'nbd:host:1234,xvda,w': script prefix ignored: block scripts "
        "are not run; the target is opened as a file\n"
        "xenshim: g.cfg:4: disk '/a,raw,xvda,w,script=block-dmmd,discard,backend=dd': "
        "script= ignored: block scripts are not run; the target is opened as a file\n"
        "xenshim: g.cfg:4: disk '/a,raw,xvda,w,script=block-dmmd,discard,backend=dd': "
        "discard ignored: discard is not offered to the guest\n"
        "xenshim: g.cfg:4: disk '/a,raw,xvda,w,script=block-dmmd,discard,backend=dd': "
        "backend= ignored: there are no driver domains under the shim\n");
    free(text);
    assert_string_equal(disk_format_qemu(DISK_FORMAT_VHD), "vpc");
    assert_string_equal(disk_format_qemu(DISK_FORMAT_QCOW2), "qcow2");
}

static void test_mac(void **state)
{
    static const char *const bad[] = {
        "", "00:16:3e:00:00", "00:16:3e:00:00:01:02", "00:16:3e:00:00:0g", "00-16:3e:00:00:01",
        "001:16:3e:00:00:01", "01:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
        "00:16:3e:00:00:01 ", ":16:3e:00:00:01",
    };
    uint8_t mac[6], again[6];
    size_t i;

    assert_int_equal(vif_parse_mac("00:16:3e:0a:0B:c", mac), 0);
    assert_memory_equal(mac, ((uint8_t[]){ 0, 0x16, 0x3e, 0x0a, 0x0b, 0x0c }), 6);
    assert_int_equal(vif_parse_mac("02-00-00-00-00-01", mac), 0);
    assert_int_equal(mac[0], 2);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!vif_parse_mac(bad[i], mac))
            fail_msg("'%s' accepted", bad[i]);

    /* Xen's OUI, unicast, stable, different per index and per name. */
    vif_default_mac("debian", 0, 0, mac);
    vif_default_mac("debian", 0, 0, again);
    assert_memory_equal(mac, again, 6);
    assert_memory_equal(mac, ((uint8_t[]){ 0x00, 0x16, 0x3e }), 3);
    assert_int_equal(mac[3] & 0x80, 0);
    vif_default_mac("debian", 1, 0, again);
    assert_memory_not_equal(mac + 3, again + 3, 3);
    vif_default_mac("ubuntu", 0, 0, again);
    assert_memory_not_equal(mac + 3, again + 3, 3);
}

/*
 * Regression (found by tests/fuzz/fuzz-xl-config.c): with a domain name
 * longer than the old 300-byte key buffer, index and salt were cut off the
 * hashed key, so two vifs without mac= got the same MAC for every salt and
 * xl_domain_finish never returned.
 */
static void test_default_mac_long_name(void **state)
{
    struct xl_domain d;
    char name[400], err[256];
    uint8_t a[6], b[6];

    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    vif_default_mac(name, 0, 0, a);
    vif_default_mac(name, 0, 1, b);
    assert_memory_not_equal(a, b, 6);
    vif_default_mac(name, 1, 0, b);
    assert_memory_not_equal(a, b, 6);

    memset(&d, 0, sizeof(d));
    d.name = strdup(name);
    assert_int_equal(xl_domain_add_vif(&d, "bridge=br0", "t", stderr, err, sizeof(err)), 0);
    assert_int_equal(xl_domain_add_vif(&d, "bridge=br0", "t", stderr, err, sizeof(err)), 0);
    assert_int_equal(xl_domain_finish(&d, err, sizeof(err)), 0);
    assert_memory_not_equal(d.vifs[0].mac, d.vifs[1].mac, 6);
    xl_domain_free(&d);
}

static void test_vif(void **state)
{
    struct vif_spec v;
    char err[300], *text;
    size_t len;
    FILE *w = open_memstream(&text, &len);

    assert_int_equal(vif_spec_parse("", &v, "g", w, err, sizeof(err)), 0);
    assert_false(v.mac_set);
    assert_true(vif_is_user(&v));
    vif_spec_free(&v);
    assert_int_equal(vif_spec_parse(" mac=00:16:3e:01:02:03 , bridge=xenbr0 ,,type=vif",
                                    &v, "g", w, err, sizeof(err)), 0);
    assert_true(v.mac_set);
    assert_int_equal(v.mac[5], 3);
    assert_string_equal(v.bridge, "xenbr0");
    assert_false(vif_is_user(&v));
    vif_spec_free(&v);
    assert_int_equal(vif_spec_parse("bridge=user,type=ioemu,model=e1000,ip=10.0.0.9,"
                                    "script=vif-route,rate=10Mb/s,frob=1,trusted",
                                    &v, "g:7", w, err, sizeof(err)), 0);
    assert_true(vif_is_user(&v));
    vif_spec_free(&v);
    fclose(w);
#define P "xenshim: g:7: vif 'bridge=user,type=ioemu,model=e1000,ip=10.0.0.9," \
          "script=vif-route,rate=10Mb/s,frob=1,trusted': "
    assert_string_equal(text,
        P "type=ioemu ignored: PV guests have no emulated NIC; the guest sees a Xen PV vif\n"
        P "model= ignored: the guest sees a Xen PV vif (backed by virtio-net)\n"
        P "ip= ignored: addresses are configured inside the guest (QEMU user networking "
          "offers DHCP)\n"
        P "script= ignored: hotplug scripts are not run\n"
        P "rate= ignored: rate limiting is not supported\n"
        P "frob= ignored: not a vif parameter\n"
        P "trusted ignored: advisory only\n");
#undef P
    free(text);

    assert_int_equal(vif_spec_parse("bridge=", &v, "g", NULL, err, sizeof(err)), -1);
    assert_string_equal(err, "vif 'bridge=': bad bridge '' (expected an interface name of 1 "
                        "to 15 characters, or 'user')");
    assert_int_equal(vif_spec_parse("bridge=a-very-long-bridge", &v, "g", NULL, err,
                                    sizeof(err)), -1);
    assert_int_equal(vif_spec_parse("mac=00:16:3e:00:00:01,mac=zz", &v, "g", NULL, err,
                                    sizeof(err)), -1);
    assert_null(v.bridge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_devnum),
        cmocka_unit_test(test_disk_good),
        cmocka_unit_test(test_disk_bad),
        cmocka_unit_test(test_disk_warnings),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_vif),
        cmocka_unit_test(test_default_mac_long_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
