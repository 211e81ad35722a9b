// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl disk specs (xl-disk-configuration(5)) and vdev -> Xen virtual device
 * numbers (xen-vbd-interface(7)) for `xenshim run` (see xl-devices.h).
 *
 * Design: the spec is cut at commas into parameters, each classified the
 * way libxlu's disk lexer (tools/libs/util/libxlu_disk_l.l) does: "target="
 * eats the rest of the string; known "key=value" parameters and flags set
 * their field; a deprecated "<prefix>:" (phy:, file:, raw:, tap:aio:, ...)
 * is stripped; anything else fills the next unset positional parameter,
 * target, format, vdev, access. A field may be given once (an empty value
 * may be overridden). Parameters that only matter to a Xen backend are
 * accepted and reported as ignored, never dropped silently.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl-devices.h"

struct dpc {
    struct disk_spec *d;
    const char *spec, *where;
    FILE *warn;
    char *err;
    size_t errlen;
    bool format_set, had_prefix, access_set;
    int failed;
};

static const struct {
    const char *name, *qemu;
} formats[] = {
    [DISK_FORMAT_RAW] = { "raw", "raw" },
    [DISK_FORMAT_QCOW] = { "qcow", "qcow" },
    [DISK_FORMAT_QCOW2] = { "qcow2", "qcow2" },
    [DISK_FORMAT_VHD] = { "vhd", "vpc" },   /* QEMU calls VHD "vpc" */
    [DISK_FORMAT_QED] = { "qed", "qed" },
    [DISK_FORMAT_EMPTY] = { "empty", NULL },
};

const char *disk_format_qemu(enum disk_format f)
{
    return formats[f].qemu;
}

const char *disk_format_name(enum disk_format f)
{
    return formats[f].name;
}

static void fail(struct dpc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first error only: later ones are usually its consequences. */
static void fail(struct dpc *c, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (c->failed++)
        return;
    n = snprintf(c->err, c->errlen, "disk '%s': ", c->spec);
    if (n < 0 || (size_t)n >= c->errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static void ignored(struct dpc *c, const char *what, const char *why)
{
    if (c->warn)
        fprintf(c->warn, "xenshim: %s: disk '%s': %s ignored: %s\n", c->where, c->spec,
                what, why);
}

/* A field given twice is an error, unless its first value was empty. */
static void save(struct dpc *c, const char *what, char **field, const char *value)
{
    char *s;

    if (*field && **field) {
        fail(c, "%s respecified ('%s' after '%s')", what, value, *field);
        return;
    }
    s = strdup(value);
    if (!s) {
        fail(c, "out of memory");
        return;
    }
    free(*field);
    *field = s;
}

static void set_format(struct dpc *c, const char *s)
{
    size_t i;

    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcmp(s, formats[i].name) && !(i == DISK_FORMAT_RAW && !*s))
            continue;
        if (c->format_set && c->d->format != (enum disk_format)i)
            fail(c, "format respecified ('%s' after '%s')", formats[i].name,
                 formats[c->d->format].name);
        c->d->format = (enum disk_format)i;
        c->format_set = true;
        return;
    }
    fail(c, "unknown format '%s' (expected raw, qcow, qcow2, vhd or qed)", s);
}

static void set_access(struct dpc *c, const char *s)
{
    if (!strcmp(s, "r") || !strcmp(s, "ro"))
        c->d->readonly = true;
    else if (!strcmp(s, "w") || !strcmp(s, "rw") || !*s)
        c->d->readonly = false;
    else
        fail(c, "unknown access '%s' (expected ro, r, rw or w)", s);
}

/* The deprecated "<vdev>:<devtype>" positional; false if s has no ':'. */
static bool vdev_and_devtype(struct dpc *c, char *s)
{
    char *colon = strrchr(s, ':');

    if (!colon)
        return false;
    *colon++ = '\0';
    save(c, "vdev", &c->d->vdev, s);
    if (!strcmp(colon, "cdrom"))
        c->d->cdrom = true;
    else if (!strcmp(colon, "disk"))
        c->d->cdrom = false;
    else
        fail(c, "unknown device type '%s' after ':' (expected cdrom or disk)", colon);
    return true;
}

static void positional(struct dpc *c, char *s)
{
    if (!c->d->target) {
        save(c, "target", &c->d->target, s);
    } else if (!c->had_prefix && !c->format_set) {
        /* xend's empty cdrom: ",hdc:cdrom,r" */
        if (!*c->d->target && vdev_and_devtype(c, s)) {
            c->d->format = DISK_FORMAT_EMPTY;
            c->format_set = true;
        } else {
            set_format(c, s);
        }
    } else if (!c->d->vdev) {
        if (!vdev_and_devtype(c, s))
            save(c, "vdev", &c->d->vdev, s);
    } else if (!c->access_set) {
        c->access_set = true;
        set_access(c, s);
    } else {
        fail(c, "too many positional parameters at '%s' (target,format,vdev,access)", s);
    }
}

/* Parameters a Xen backend would use; meaningless under the shim. */
static const struct {
    const char *name, *why;
    bool flag;               /* a bare word, else "name=value" */
} backend_only[] = {
    { "script", "block scripts are not run; the target is opened as a file", false },
    { "backend", "there are no driver domains under the shim", false },
    { "backendtype", "the shim is the only backend", false },
    { "specification", "the guest always sees a Xen PV vbd", false },
    { "grant_usage", "the guest always sees a Xen PV vbd", false },
    { "colo-host", "COLO is not supported", false },
    { "colo-port", "COLO is not supported", false },
    { "colo-export", "COLO is not supported", false },
    { "active-disk", "COLO is not supported", false },
    { "hidden-disk", "COLO is not supported", false },
    { "colo", "COLO is not supported", true },
    { "no-colo", "COLO is not supported", true },
    { "direct-io-safe", "QEMU's default cache mode is used", true },
    { "discard", "discard is not offered to the guest", true },
    { "no-discard", "discard is not offered to the guest", true },
    { "trusted", "advisory only", true },
    { "untrusted", "advisory only", true },
};

static bool is_backend_only(struct dpc *c, const char *key, bool has_value)
{
    size_t i;
    char what[40];

    for (i = 0; i < sizeof(backend_only) / sizeof(backend_only[0]); i++) {
        if (strcmp(key, backend_only[i].name) || backend_only[i].flag == has_value)
            continue;
        snprintf(what, sizeof(what), "%s%s", key, has_value ? "=" : "");
        ignored(c, what, backend_only[i].why);
        return true;
    }
    return false;
}

static void keyword(struct dpc *c, char *param)
{
    char *value = strchr(param, '=');

    *value++ = '\0';
    if (!strcmp(param, "format"))
        set_format(c, value);
    else if (!strcmp(param, "access"))
        set_access(c, value);
    else if (!strcmp(param, "vdev"))
        save(c, "vdev", &c->d->vdev, value);
    else if (!strcmp(param, "devtype") && !strcmp(value, "cdrom"))
        c->d->cdrom = true;
    else if (!strcmp(param, "devtype") && !strcmp(value, "disk"))
        c->d->cdrom = false;
    else if (!strcmp(param, "devtype"))
        fail(c, "unknown devtype '%s' (expected disk or cdrom)", value);
    else if (!is_backend_only(c, param, true))
        fail(c, "unknown parameter '%s='", param);
}

/* "<prefix>:" at p: consume a deprecated prefix. Returns its length or 0. */
static size_t prefix(struct dpc *c, const char *p)
{
    static const char *const formats_p[] = { "raw", "qcow", "qcow2", "vhd" };
    static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
    static const char *const stripped[] = { "tapdisk", "tap", "tap2", "aio", "ioemu",
                                            "file", "phy" };
    size_t n = 0, i;
    char name[16];

    if (*p < 'a' || *p > 'z')
        return 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9'))
        n++;
    if (p[n] != ':' || n >= sizeof(name))
        return 0;
    memcpy(name, p, n);
    name[n] = '\0';
    for (i = 0; i < sizeof(formats_p) / sizeof(formats_p[0]); i++)
        if (!strcmp(name, formats_p[i])) {
            c->had_prefix = true;
            set_format(c, name);
            return n + 1;
        }
    for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
        if (!strcmp(name, scripts[i])) {
            c->had_prefix = true;
            ignored(c, "script prefix", "block scripts are not run; "
                    "the target is opened as a file");
            return n + 1;
        }
    for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++)
        if (!strcmp(name, stripped[i])) {
            c->had_prefix = true;
            return n + 1;
        }
    /* "foo:bar" is a positional value; "foo:/x" or "foo:" an unknown prefix. */
    if ((p[n + 1] >= 'a' && p[n + 1] <= 'z') || (p[n + 1] >= '0' && p[n + 1] <= '9'))
        return 0;
    fail(c, "unknown deprecated prefix '%s:'", name);
    return n + 1;
}

static bool is_key(const char *s, size_t n)
{
    size_t i;

    if (!n || *s < 'a' || *s > 'z')
        return false;
    for (i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static void parse_params(struct dpc *c, char *buf)
{
    char *p = buf, *comma, *eq;
    size_t n;

    while (*p && !c->failed) {
        p += strspn(p, " \t\n");
        if (!*p)
            break;
        if (!strncmp(p, "target=", 7)) {
            n = strlen(p);
            if (p[n - 1] == ',')
                p[n - 1] = '\0';
            save(c, "target", &c->d->target, p + 7);
            break;
        }
        n = prefix(c, p);
        if (n) {
            p += n;
            continue;
        }
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        eq = strchr(p, '=');
        if (eq && is_key(p, (size_t)(eq - p)))
            keyword(c, p);
        else if (eq)
            fail(c, "bad syntax at '%s' (a target with '=' must be given as "
                 "target=..., last)", p);
        else if (!strcmp(p, "cdrom"))
            c->d->cdrom = true;
        else if (!is_backend_only(c, p, false))
            positional(c, p);
        p = comma ? comma + 1 : p + strlen(p);
    }
}

int disk_spec_parse(const char *spec, struct disk_spec *d, const char *where,
                    FILE *warn, char *err, size_t errlen)
{
    struct dpc c = { .d = d, .spec = spec, .where = where, .warn = warn,
                     .err = err, .errlen = errlen };
    char *buf = strdup(spec);

    memset(d, 0, sizeof(*d));
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    parse_params(&c, buf);
    free(buf);
    if (c.failed)
        goto bad;
    if (d->cdrom) {
        d->readonly = true;
        if (!d->target || !*d->target)
            d->format = DISK_FORMAT_EMPTY;
    }
    if (!d->vdev || !*d->vdev)
        fail(&c, "no vdev given (expected e.g. '/path/disk.img,raw,xvda,rw')");
    else if (!d->target || !*d->target)
        fail(&c, d->cdrom ? "empty cdrom drives are not supported (give a target)"
                          : "no target given (expected e.g. '/path/disk.img,raw,xvda,rw')");
    else if (d->format == DISK_FORMAT_EMPTY)
        fail(&c, "format 'empty' is not supported (give an image format)");
    else if (vbd_devnum(d->vdev, &d->devnum) || !d->devnum)
        fail(&c, "unknown vdev '%s' (expected xvd<letters>[<partition>], hd[a-d], "
             "sd[a-p], d<disk>p<partition> or a device number other than 0)", d->vdev);
    if (c.failed)
        goto bad;
    if (d->vdev[0] >= '0' && d->vdev[0] <= '9') {
        /* Canonical decimal, as xl writes it to xenstore ("0xca00" -> "51712"). */
        free(d->vdev);
        if (asprintf(&d->vdev, "%u", d->devnum) < 0) {
            d->vdev = NULL;
            snprintf(err, errlen, "out of memory");
            goto bad;
        }
    }
    return 0;
bad:
    disk_spec_free(d);
    return -1;
}

void disk_spec_free(struct disk_spec *d)
{
    free(d->target);
    free(d->vdev);
    memset(d, 0, sizeof(*d));
}
