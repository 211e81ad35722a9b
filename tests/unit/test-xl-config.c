// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/xl-config.c and xl-domain.c: xl config
 * files as `xenshim run guest.cfg` reads them. A table of malformed
 * configs, each with the exact one-line error the user sees (syntax as in
 * Xen's libxlu_cfg_y.y, then the keys' values), and well-formed configs
 * checked field by field, warnings included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/xenshim/xl-config.h"

static const char base[] = "name = 'g'\nkernel = '/boot/vmlinuz'\n";

struct result {
    int rc;
    char err[600];
    char *warnings;
    struct xlcfg cfg;
    struct xl_domain d;
};

/* base.cfg, then `text` as t.cfg, then each override as "<command line>". */
static void load(struct result *r, const char *text, const char *override)
{
    size_t len;
    FILE *w;

    memset(r, 0, sizeof(*r));
    w = open_memstream(&r->warnings, &len);
    assert_non_null(w);
    r->rc = xlcfg_parse(&r->cfg, "base.cfg", base, strlen(base), r->err, sizeof(r->err));
    assert_int_equal(r->rc, 0);
    r->rc = xlcfg_parse(&r->cfg, "t.cfg", text, strlen(text), r->err, sizeof(r->err));
    if (!r->rc && override)
        r->rc = xlcfg_parse(&r->cfg, "<command line>", override, strlen(override), r->err,
                            sizeof(r->err));
    if (!r->rc)
        r->rc = xl_domain_parse(&r->cfg, "t.cfg", &r->d, w, r->err, sizeof(r->err));
    if (!r->rc)
        r->rc = xl_domain_finish(&r->d, r->err, sizeof(r->err));
    fclose(w);
}

static void unload(struct result *r)
{
    xl_domain_free(&r->d);
    xlcfg_free(&r->cfg);
    free(r->warnings);
}

#define VALUE_ERR(line, key, found) \
    "t.cfg:" line ": expected a value for '" key "': \"string\", 'string', number " \
    "or [list]; found " found
#define VDEV_HELP \
    "(expected xvd<letters>[<partition>], hd[a-d], sd[a-p], d<disk>p<partition> or " \
    "a device number other than 0)"

static const struct {
    const char *text, *err;
} bad[] = {
    /* syntax */
    { "name = \"abc\n", "t.cfg:1: unterminated string (expected a closing \" on the same line)" },
    { "extra = 'a\\'\n", "t.cfg:1: unterminated string (expected a closing ' on the same line)" },
    { "memory 512\n", "t.cfg:1: expected '=' or '+=' after 'memory'; found '512'" },
    { "\n\nmemory =\n", VALUE_ERR("3", "memory", "end of line") },
    { "type = pv\n", VALUE_ERR("1", "type", "'pv' (strings must be quoted)") },
    { "disk = [ , ]\n", VALUE_ERR("1", "disk", "','") },
    { "disk = [ 'a' 'b' ]\n",
      "t.cfg:1: expected ',' or ']' in the list of 'disk'; found string \"b\"" },
    { "disk = [ 'a',\n  'b',\n",
      "t.cfg:3: expected ']' to close the list of 'disk' opened on line 1; found end of file" },
    { "disk = [ 'a' ] ]\n",
      "t.cfg:1: expected end of line or ';' after the value of 'disk'; found ']'" },
    { "memory = 5 6\n", "t.cfg:1: expected end of line or ';' after the value of 'memory'; "
      "found '6'" },
    { "Memory = 5\n", "t.cfg:1: unexpected 'M' (keys are lower case)" },
    { "= 5\n", "t.cfg:1: expected a key (lower case letters, digits, '.', '_') at the start "
      "of a statement; found '='" },
    { "'name' = 5\n", "t.cfg:1: expected a key (lower case letters, digits, '.', '_') at the "
      "start of a statement; found string \"name\"" },
    { "memory = -5\n", "t.cfg:1: unexpected '-' (xl configs are key = value lines, not Python)" },
    { "kernel = os.path.join('a')\n",
      VALUE_ERR("1", "kernel", "'os.path.join' (strings must be quoted)") },
    { "kernel = '/k' + 'v'\n", "t.cfg:1: unexpected '+' (xl configs are key = value lines, "
      "not Python)" },
    { "extra = 'a\\q'\n", "t.cfg:1: invalid escape '\\q' in a string (expected one of \\\" "
      "\\' \\\\ \\a \\b \\f \\n \\r \\t \\v)" },
    { "extra = 'a\\x41'\n", "t.cfg:1: numeric escape '\\x' in a string is not supported "
      "(xl mis-parses it)" },
    { "memory = 5\r\n", "t.cfg:1: carriage return: DOS line endings are not accepted (xl "
      "refuses them too)" },
    { "memory = 5 @\n", "t.cfg:1: unexpected '@'" },
    { "disk = 'a'\ndisk += [ 'b' ]\n", "t.cfg:2: 'disk += ...' cannot add a list to a string" },
    { "x = [[[[[[[[[[[[[[[[[ ]]]]]]]]]]]]]]]]]\n", "t.cfg:1: lists nested more than 16 deep" },
    /* values of the keys xenshim reads */
    { "type = 'hvm'\n", "t.cfg:1: type: 'hvm': xenshim runs PV guests only (expected \"pv\")" },
    { "type = 'pvh'\n", "t.cfg:1: type: 'pvh': xenshim runs PV guests only (expected \"pv\")" },
    { "type = ''\n", "t.cfg:1: type: '': xenshim runs PV guests only (expected \"pv\")" },
    { "type = 'linux'\n", "t.cfg:1: type: 'linux': unknown domain type (expected \"pv\")" },
    { "builder = 'hvm'\n",
      "t.cfg:1: builder: 'hvm': xenshim runs PV guests only (expected \"generic\")" },
    { "bootloader = 'pygrub'\n", "t.cfg:1: bootloader: 'pygrub': bootloader not supported; "
      "give kernel= (and ramdisk=) instead" },
    { "memory = 12x\n", "t.cfg:1: memory: '12x': expected a number from 4 to 1048576" },
    { "memory = 08\n", "t.cfg:1: memory: '08': expected a number from 4 to 1048576" },
    { "memory = 2\n", "t.cfg:1: memory: '2': expected a number from 4 to 1048576" },
    { "memory = 'lots'\n", "t.cfg:1: memory: 'lots': expected a number from 4 to 1048576" },
    { "memory = 5\nmemory += 1\n", "t.cfg:2: memory: '+=' cannot be used with numbers" },
    { "memory = 512\nmaxmem = 256\n", "t.cfg:2: maxmem: 256 is less than memory=512" },
    { "vcpus = 4\nmaxvcpus = 2\n", "t.cfg:2: maxvcpus: 2 is less than vcpus=4" },
    { "kernel = [ '/k' ]\n", "t.cfg:1: kernel: expected a single value, not a list" },
    { "kernel = ''\n", "t.cfg: kernel: missing (expected kernel = \"/path/vmlinuz\"; xenshim "
      "boots the PV kernel directly)" },
    { "name = ''\n", "t.cfg: name: missing (xl requires name = \"...\")" },
    { "uuid = '1234'\n", "t.cfg:1: uuid: '1234': expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx "
      "(hex digits)" },
    { "on_reboot = 'reboot'\n", "t.cfg:1: on_reboot: unknown action 'reboot' (expected destroy, "
      "restart, rename-restart, preserve, coredump-destroy, coredump-restart or soft-reset)" },
    { "disk = '/a,raw,xvda'\n",
      "t.cfg:1: disk: expected a list [ '...', ... ], not a single value" },
    { "disk = [ '/a,raw,xvda', [ '/b' ] ]\n",
      "t.cfg:1: disk: item 2 is a list; expected a disk spec string" },
    { "disk = [\n  '/a,raw,xvda',\n  '/b,raw,foo',\n]\n",
      "t.cfg:3: disk '/b,raw,foo': unknown vdev 'foo' " VDEV_HELP },
    { "disk = [ '/a,raw,xvda', '/b,raw,51712' ]\n",
      "disk 2 (vdev 51712) has the device number 51712 of disk 1 (vdev xvda)" },
    { "disk = [ '/a,vmdk,xvda' ]\n", "t.cfg:1: disk '/a,vmdk,xvda': unknown format 'vmdk' "
      "(expected raw, qcow, qcow2, vhd or qed)" },
    { "vif = [ 'mac=00:16:3e:zz:00:01' ]\n", "t.cfg:1: vif 'mac=00:16:3e:zz:00:01': bad mac "
      "'00:16:3e:zz:00:01' (expected six hex bytes like 00:16:3e:12:34:56, not multicast, "
      "not zero)" },
    { "vif = [ 'mac=01:16:3e:00:00:01' ]\n", "t.cfg:1: vif 'mac=01:16:3e:00:00:01': bad mac "
      "'01:16:3e:00:00:01' (expected six hex bytes like 00:16:3e:12:34:56, not multicast, "
      "not zero)" },
    { "vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' ]\n",
      "vif 2 has the mac of vif 1" },
    { "vif = [ 'bridge=br/0' ]\n", "t.cfg:1: vif 'bridge=br/0': bad bridge 'br/0' (expected an "
      "interface name of 1 to 15 characters, or 'user')" },
    { "vif = [ 'type=netfront' ]\n",
      "t.cfg:1: vif 'type=netfront': unknown type 'netfront' (expected vif or ioemu)" },
};

static void test_malformed(void **state)
{
    struct result r;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        load(&r, bad[i].text, NULL);
        if (r.rc != -1 || strcmp(r.err, bad[i].err))
            fail_msg("config %zu <<%s>>\n  got:      %s\n  expected: %s", i, bad[i].text,
                     r.rc ? r.err : "(accepted)", bad[i].err);
        assert_null(strchr(r.err, '\n'));
        unload(&r);
    }
}

static void test_override_errors(void **state)
{
    struct result r;

    load(&r, "memory = 64\n", "vcpus=1\nmemory=abc\n");
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "<command line>:2: expected a value for 'memory': \"string\", "
                        "'string', number or [list]; found 'abc' (strings must be quoted)");
    unload(&r);
}

static const char full[] =
    "# A Debian domU, as xen-tools writes it\n"
    "name    = \"debian\"   # trailing comment\n"
    "type = 'p'; builder = 'linux'\n"
    "kernel  = \"/boot/vmlinuz\"\n"
    "ramdisk = '/boot/initrd.img'\n"
    "memory  = 0x200\n"
    "vcpus = 1\n"
    "root    = '/dev/xvda2 ro'\n"
    "extra   = 'console=hvc0 \\\"q\\\" \\t'\n"
    "disk    = [\n"
    "    # the root file system\n"
    "    'phy:/dev/vg/root,xvda2,w',\n"
    "\n"
    "    'format=qcow2, vdev=xvdb, access=ro, target=/srv/a,b.qcow2',\n"
    "]\n"
    "disk += [ '/srv/cd.iso,,hdc,cdrom' ]\n"
    "vif = [ 'mac=00:16:3E:0A:0B:0C,bridge=xenbr0', '', ]\n"
    "on_poweroff = 'destroy'\n"
    "on_reboot = 'destroy'\n"
    "on_crash = 'coredump-restart'\n"
    "uuid = '5f0a0d6e-2b0c-4c1a-9f3e-0123456789AB'\n"
    "extra += ' quiet'\n"
    "localtime = 1\n"
    "name = 'debian-12'\n"
    "# a comment without a newline at the end";

static void test_full(void **state)
{
    struct result r;
    struct xl_domain *d = &r.d;

    load(&r, full, NULL);
    if (r.rc)
        fail_msg("%s", r.err);
    assert_string_equal(d->name, "debian-12");        /* the last one wins */
    assert_string_equal(d->kernel, "/boot/vmlinuz");
    assert_string_equal(d->ramdisk, "/boot/initrd.img");
    assert_string_equal(d->cmdline, "root=/dev/xvda2 ro console=hvc0 \"q\" \t quiet");
    assert_int_equal(d->memory_mib, 512);
    assert_int_equal(d->vcpus, 1);
    assert_string_equal(d->uuid, "5f0a0d6e-2b0c-4c1a-9f3e-0123456789AB");
    assert_int_equal(d->on_poweroff, XL_ACTION_DESTROY);
    assert_int_equal(d->on_reboot, XL_ACTION_DESTROY);
    assert_int_equal(d->on_crash, XL_ACTION_RESTART);
    assert_int_equal(d->on_watchdog, XL_ACTION_DESTROY);

    assert_int_equal(d->nr_disks, 3);
    assert_string_equal(d->disks[0].target, "/dev/vg/root");
    assert_string_equal(d->disks[0].vdev, "xvda2");
    assert_int_equal(d->disks[0].devnum, 202 << 8 | 2);
    assert_false(d->disks[0].readonly);
    assert_int_equal(d->disks[0].format, DISK_FORMAT_RAW);
    assert_string_equal(d->disks[1].target, "/srv/a,b.qcow2");
    assert_int_equal(d->disks[1].format, DISK_FORMAT_QCOW2);
    assert_int_equal(d->disks[1].devnum, 202 << 8 | 1 << 4);
    assert_true(d->disks[1].readonly);
    assert_true(d->disks[2].cdrom);
    assert_true(d->disks[2].readonly);
    assert_int_equal(d->disks[2].devnum, 22 << 8);

    assert_int_equal(d->nr_vifs, 2);
    assert_memory_equal(d->vifs[0].mac, ((uint8_t[]){ 0, 0x16, 0x3e, 0x0a, 0x0b, 0x0c }), 6);
    assert_string_equal(d->vifs[0].bridge, "xenbr0");
    assert_false(vif_is_user(&d->vifs[0]));
    assert_true(vif_is_user(&d->vifs[1]));
    assert_memory_equal(d->vifs[1].mac, ((uint8_t[]){ 0, 0x16, 0x3e }), 3);

    assert_string_equal(r.warnings,
        "xenshim: t.cfg:20: on_crash=coredump-restart: no core dump is written; restart\n"
        "xenshim: t.cfg: key 'localtime' ignored: the guest clock follows the host's\n");
    unload(&r);
}

/* xl's defaults, cmdline= over root=/extra=, overrides, SMP warning. */
static void test_defaults_and_overrides(void **state)
{
    struct result r;

    load(&r, "", NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.d.memory_mib, XL_DEFAULT_MEMORY_MIB);
    assert_string_equal(r.d.cmdline, "");
    assert_int_equal(r.d.on_poweroff, XL_ACTION_DESTROY);
    assert_int_equal(r.d.on_reboot, XL_ACTION_RESTART);
    assert_int_equal(r.d.on_crash, XL_ACTION_DESTROY);
    assert_null(r.d.ramdisk);
    assert_string_equal(r.warnings, "");
    unload(&r);

    load(&r, "maxmem = 300\nroot = '/dev/xvda'\n", NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.d.memory_mib, 300);
    assert_string_equal(r.d.cmdline, "root=/dev/xvda");
    unload(&r);

    load(&r, "cmdline = 'ro'\nroot = 'x'\nextra = 'y'\nvcpus = 4\nfoo.bar = [ ]\n",
         "memory=0100\ndisk=['/d,,xvdc']\nvif+=['']\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.d.cmdline, "ro");
    assert_int_equal(r.d.memory_mib, 64); /* strtol base 0, as xl: octal */
    assert_int_equal(r.d.nr_disks, 1);
    assert_int_equal(r.d.nr_vifs, 1);
    assert_string_equal(r.warnings,
        "xenshim: t.cfg: key 'root' ignored: cmdline= is given (as in xl)\n"
        "xenshim: t.cfg: key 'extra' ignored: cmdline= is given (as in xl)\n"
        "xenshim: t.cfg: key 'foo.bar' ignored: not supported by xenshim\n");
    assert_int_equal(r.d.vcpus, 4);
    unload(&r);

    /* More vCPUs than the shim runs is an error; maxvcpus above vcpus a warning. */
    load(&r, "vcpus = 9\n", NULL);
    assert_int_not_equal(r.rc, 0);
    unload(&r);
    load(&r, "vcpus = 2\nmaxvcpus = 4\n", NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.d.vcpus, 2);
    assert_string_equal(r.warnings,
        "xenshim: t.cfg:2: maxvcpus=4: adding vCPUs at run time is not supported; "
        "the guest has vcpus=2\n");
    unload(&r);

    load(&r, "memory = 64\nmaxmem = 128\non_soft_reset = 'soft-reset'\n", "memory=96");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.d.memory_mib, 96);
    assert_string_equal(r.warnings,
        "xenshim: t.cfg: key 'maxmem' ignored: starting pre-ballooned is not supported; "
        "the guest gets memory= MiB\n"
        "xenshim: t.cfg: key 'on_soft_reset' ignored: soft reset is not supported\n");
    unload(&r);
}

/* Strings and lists of the generic syntax, through the parse tree. */
static void test_syntax_tree(void **state)
{
    static const char text[] = "a = 'x' ; b = \"y\";c=[]\nd = [ 1, [ '2', 0x3 ], ]\n"
                               "a += \"z\"\ne = [\n]\nf = 'it\\'s \\\\ \\a'";
    struct xlcfg cfg = { 0 };
    struct xlcfg_setting *s;
    char err[300];

    assert_int_equal(xlcfg_parse(&cfg, "s", text, strlen(text), err, sizeof(err)), 0);
    assert_int_equal(cfg.nr, 6);
    s = xlcfg_find(&cfg, "a");
    assert_string_equal(s->value->str, "xz");
    assert_true(s->added);
    assert_int_equal(s->line, 3);
    assert_true(xlcfg_find(&cfg, "c")->value->is_list);
    assert_int_equal(xlcfg_find(&cfg, "c")->value->nr_items, 0);
    s = xlcfg_find(&cfg, "d");
    assert_int_equal(s->value->nr_items, 2);
    assert_string_equal(s->value->items[0]->str, "1");
    assert_true(s->value->items[1]->is_list);
    assert_string_equal(s->value->items[1]->items[1]->str, "0x3");
    assert_int_equal(xlcfg_find(&cfg, "e")->value->nr_items, 0);
    assert_string_equal(xlcfg_find(&cfg, "f")->value->str, "it's \\ \a");
    assert_null(xlcfg_find(&cfg, "g"));
    xlcfg_free(&cfg);
}

/*
 * realloc calls made by the code under test: the test binary is linked
 * with -Wl,--wrap=realloc (tests/unit/xl-config.mk), so every call from
 * tools/xenshim/ lands here first.
 */
void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);
static unsigned long nr_reallocs;

void *__wrap_realloc(void *p, size_t size)
{
    nr_reallocs++;
    return __real_realloc(p, size);
}

/* "key = [ 'item', 'item', ... ]" with n copies of the items, cycling. */
static char *device_list(const char *key, const char *const *items, size_t nr_items,
                         size_t n)
{
    size_t len, i;
    char *text;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    fprintf(f, "%s = [", key);
    for (i = 0; i < n; i++)
        fprintf(f, "%s '%s'", i ? "," : "", items[i % nr_items]);
    fprintf(f, " ]\n");
    assert_int_equal(fclose(f), 0);
    return text;
}

/*
 * Regression (a libFuzzer timeout in tests/fuzz/fuzz-xl-config.c, input in
 * tests/fuzz/corpus/xl-config/config-disks): the disk and vif arrays grew by
 * one element per device, so a config of n devices made n reallocs copying
 * O(n^2) bytes; a 3.7 KB config of ~180 disks took 10 s under ASan on a
 * loaded machine. Doubling keeps the reallocs logarithmic: the whole parse
 * of 1024 disks or 1024 vifs (lists and settings included) stays under
 * MAX_REALLOCS, where growing by one made at least 1024.
 */
#define MANY_DEVICES 1024
#define MAX_REALLOCS 40

static void test_many_devices(void **state)
{
    /* The fuzzer's shape: deprecated prefixes, formats, the same vdev. */
    static const char *const disks[] = {
        "phy:/dev/vg/a,xvdb,r", "2,qcow2,xvdb,r", "file:/srv/b.img,xvdb,w",
    };
    static const char *const vifs[] = { "", "bridge=user" };
    struct result r;
    char *text;
    unsigned long before;

    text = device_list("disk", disks, 3, MANY_DEVICES);
    before = nr_reallocs;
    load(&r, text, NULL);
    if (nr_reallocs - before > MAX_REALLOCS)
        fail_msg("%lu reallocs for %d disks", nr_reallocs - before, MANY_DEVICES);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.d.nr_disks, MANY_DEVICES);
    assert_string_equal(r.err, "disk 2 (vdev xvdb) has the device number 51728 of "
                        "disk 1 (vdev xvdb)");
    unload(&r);
    free(text);

    text = device_list("vif", vifs, 2, MANY_DEVICES);
    before = nr_reallocs;
    load(&r, text, NULL);
    if (nr_reallocs - before > MAX_REALLOCS)
        fail_msg("%lu reallocs for %d vifs", nr_reallocs - before, MANY_DEVICES);
    if (r.rc)
        fail_msg("%s", r.err);
    assert_int_equal(r.d.nr_vifs, MANY_DEVICES);
    assert_memory_not_equal(r.d.vifs[0].mac, r.d.vifs[MANY_DEVICES - 1].mac, 6);
    unload(&r);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_defaults_and_overrides),
        cmocka_unit_test(test_syntax_tree),
        cmocka_unit_test(test_many_devices),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
