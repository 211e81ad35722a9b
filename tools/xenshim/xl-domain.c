// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xl config keys `xenshim run guest.cfg` honours (see xl-config.h),
 * read the way xl's parse_config_data (tools/xl/xl_parse.c) reads them:
 * numbers with strtol base 0, "type" and "builder" by prefix, the command
 * line from cmdline= or "root=<root> <extra>", memory defaulting to maxmem
 * and then to libxl's 32 MiB, on_reboot defaulting to restart.
 *
 * Where xl only warns about a bad value and falls back to a default, this
 * is an error: a guest never runs with a setting its owner did not write.
 * Every key not read here is reported in one warning line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xl-config.h"

struct ctx {
    struct xlcfg *cfg;
    FILE *warn;
    char *err;
    size_t errlen;
};

static int kfail(struct ctx *c, const struct xlcfg_setting *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "source:line: key: <what was expected>" */
static int kfail(struct ctx *c, const struct xlcfg_setting *s, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(c->err, c->errlen, "%s:%d: %s: ", s->source, s->line, s->name);

    if (n >= 0 && (size_t)n < c->errlen) {
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void key_ignored(struct ctx *c, const struct xlcfg_setting *s, const char *why)
{
    if (c->warn)
        fprintf(c->warn, "xenshim: %s: key '%s' ignored: %s\n", s->source, s->name, why);
}

/* A single value; *out NULL if the key is absent. */
static int get_string(struct ctx *c, const char *key, const char **out,
                      struct xlcfg_setting **where)
{
    struct xlcfg_setting *s = xlcfg_find(c->cfg, key);

    *out = NULL;
    if (where)
        *where = s;
    if (!s)
        return 0;
    s->used = true;
    if (s->value->is_list)
        return kfail(c, s, "expected a single value, not a list");
    *out = s->value->str;
    return 0;
}

static int dup_string(struct ctx *c, const char *key, char **out)
{
    const char *v;

    if (get_string(c, key, &v, NULL))
        return -1;
    if (v && !(*out = strdup(v)))
        return kfail(c, xlcfg_find(c->cfg, key), "out of memory");
    return 0;
}

/* A number in [min, max], as xl reads it (strtol, base 0); *present. */
static int get_number(struct ctx *c, const char *key, long min, long max, long *out,
                      bool *present)
{
    struct xlcfg_setting *s;
    const char *v;
    char *end;
    long n;

    *present = false;
    if (get_string(c, key, &v, &s) || !v)
        return s ? -1 : 0;
    if (s->added)
        return kfail(c, s, "'+=' cannot be used with numbers");
    errno = 0;
    n = strtol(v, &end, 0);
    if (errno || end == v || *end || n < min || n > max)
        return kfail(c, s, "'%s': expected a number from %ld to %ld", v, min, max);
    *out = n;
    *present = true;
    return 0;
}

/* xl's name matching for type= and builder=: v is a prefix of word. */
static bool prefix_of(const char *v, const char *word)
{
    return !strncmp(v, word, strlen(v));
}

static int parse_type(struct ctx *c)
{
    struct xlcfg_setting *s;
    const char *v;

    if (get_string(c, "type", &v, &s))
        return -1;
    /* The order of xl's checks: "" and "h" mean hvm, "p" means pv. */
    if (v && (prefix_of(v, "hvm") || (!prefix_of(v, "pv") && prefix_of(v, "pvh"))))
        return kfail(c, s, "'%s': xenshim runs PV guests only (expected \"pv\")", v);
    if (v && !prefix_of(v, "pv"))
        return kfail(c, s, "'%s': unknown domain type (expected \"pv\")", v);
    if (get_string(c, "builder", &v, &s))
        return -1;
    /* "linux" is xm's name, which xl refuses; both mean a PV build. */
    if (v && prefix_of(v, "hvm"))
        return kfail(c, s, "'%s': xenshim runs PV guests only (expected \"generic\")", v);
    if (v && !prefix_of(v, "generic") && strcmp(v, "linux"))
        return kfail(c, s, "'%s': unknown builder (expected \"generic\")", v);
    if (get_string(c, "bootloader", &v, &s))
        return -1;
    if (v && *v)
        return kfail(c, s, "'%s': bootloader not supported; give kernel= (and "
                     "ramdisk=) instead", v);
    return 0;
}

/* cmdline=, or "root=<root> <extra>", as xl's parse_cmdline. */
static int parse_cmdline(struct ctx *c, struct xl_domain *d)
{
    struct xlcfg_setting *sr, *se, *sc;
    const char *root, *extra, *cmdline;
    int r = 0;

    if (get_string(c, "cmdline", &cmdline, &sc) || get_string(c, "root", &root, &sr) ||
        get_string(c, "extra", &extra, &se))
        return -1;
    if (cmdline) {
        if (root)
            key_ignored(c, sr, "cmdline= is given (as in xl)");
        if (extra)
            key_ignored(c, se, "cmdline= is given (as in xl)");
        d->cmdline = strdup(cmdline);
    } else if (root) {
        r = asprintf(&d->cmdline, "root=%s%s%s", root, extra ? " " : "",
                     extra ? extra : "");
    } else {
        d->cmdline = strdup(extra ? extra : "");
    }
    if (r < 0 || !d->cmdline) {
        d->cmdline = NULL;
        snprintf(c->err, c->errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int parse_sizes(struct ctx *c, struct xl_domain *d)
{
    long mem = 0, max = 0, vcpus = 1, maxv = 0;
    bool has_mem, has_max, has_vcpus, has_maxv;
    struct xlcfg_setting *s;

    if (get_number(c, "memory", XL_MIN_MEMORY_MIB, XL_MAX_MEMORY_MIB, &mem, &has_mem) ||
        get_number(c, "maxmem", XL_MIN_MEMORY_MIB, XL_MAX_MEMORY_MIB, &max, &has_max) ||
        get_number(c, "vcpus", 0, 4096, &vcpus, &has_vcpus) ||
        get_number(c, "maxvcpus", 1, 4096, &maxv, &has_maxv))
        return -1;
    d->memory_mib = has_mem ? (unsigned long)mem :
                    has_max ? (unsigned long)max : XL_DEFAULT_MEMORY_MIB;
    if (has_mem && has_max && max < mem)
        return kfail(c, xlcfg_find(c->cfg, "maxmem"), "%ld is less than memory=%ld", max,
                     mem);
    if (has_mem && has_max && max > mem)
        key_ignored(c, xlcfg_find(c->cfg, "maxmem"), "starting pre-ballooned is not "
                    "supported; the guest gets memory= MiB");
    if (vcpus < 1)
        vcpus = 1; /* as xl */
    if (has_maxv && maxv < vcpus)
        return kfail(c, xlcfg_find(c->cfg, "maxvcpus"), "%ld is less than vcpus=%ld",
                     maxv, vcpus);
    if (vcpus > (long)XL_MAX_VCPUS)
        return kfail(c, xlcfg_find(c->cfg, "vcpus"), "%ld vCPUs: the shim runs at most %lu",
                     vcpus, XL_MAX_VCPUS);
    s = xlcfg_find(c->cfg, "maxvcpus");
    if (has_maxv && maxv > vcpus && c->warn)
        fprintf(c->warn, "xenshim: %s:%d: maxvcpus=%ld: adding vCPUs at run time is not "
                "supported; the guest has vcpus=%ld\n", s->source, s->line, maxv, vcpus);
    d->vcpus = (unsigned long)vcpus;
    return 0;
}

static int parse_action(struct ctx *c, const char *key, enum xl_action def,
                        enum xl_action *out)
{
    static const struct {
        const char *name;
        enum xl_action action;
        const char *caveat;
    } actions[] = {
        { "destroy", XL_ACTION_DESTROY, NULL },
        { "restart", XL_ACTION_RESTART, NULL },
        { "rename-restart", XL_ACTION_RESTART, NULL },
        { "preserve", XL_ACTION_DESTROY, "a stopped guest cannot be kept; destroy" },
        { "coredump-destroy", XL_ACTION_DESTROY, "no core dump is written; destroy" },
        { "coredump-restart", XL_ACTION_RESTART, "no core dump is written; restart" },
        { "soft-reset", XL_ACTION_DESTROY, "soft reset is not supported; destroy" },
    };
    struct xlcfg_setting *s;
    const char *v;
    size_t i;

    *out = def;
    if (get_string(c, key, &v, &s))
        return -1;
    if (!v)
        return 0;
    for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(v, actions[i].name))
            continue;
        *out = actions[i].action;
        if (actions[i].caveat && c->warn)
            fprintf(c->warn, "xenshim: %s:%d: %s=%s: %s\n", s->source, s->line, key, v,
                    actions[i].caveat);
        return 0;
    }
    return kfail(c, s, "unknown action '%s' (expected destroy, restart, rename-restart, "
                 "preserve, coredump-destroy, coredump-restart or soft-reset)", v);
}

static bool uuid_ok(const char *u)
{
    size_t i;

    if (strlen(u) != 36)
        return false;
    for (i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? u[i] != '-' : !strchr("0123456789abcdefABCDEF", u[i]) || !u[i])
            return false;
    }
    return true;
}

/* disk = [ ... ] or vif = [ ... ]: a list of spec strings. */
static int parse_devices(struct ctx *c, struct xl_domain *d, const char *key)
{
    struct xlcfg_setting *s = xlcfg_find(c->cfg, key);
    char where[300], err[400];
    size_t i;
    int r;

    if (!s)
        return 0;
    s->used = true;
    if (!s->value->is_list)
        return kfail(c, s, "expected a list [ '...', ... ], not a single value");
    for (i = 0; i < s->value->nr_items; i++) {
        struct xlcfg_value *item = s->value->items[i];

        snprintf(where, sizeof(where), "%s:%d", s->source, item->line);
        if (item->is_list) {
            snprintf(c->err, c->errlen, "%s: %s: item %zu is a list; expected a %s "
                     "spec string", where, key, i + 1, key);
            return -1;
        }
        if (!strcmp(key, "disk"))
            r = xl_domain_add_disk(d, item->str, where, c->warn, err, sizeof(err));
        else
            r = xl_domain_add_vif(d, item->str, where, c->warn, err, sizeof(err));
        if (r) {
            snprintf(c->err, c->errlen, "%s: %s", where, err);
            return -1;
        }
    }
    return 0;
}

/* Reasons for common xl keys xenshim does not honour. */
static const struct {
    const char *key, *why;
} unsupported[] = {
    { "on_soft_reset", "soft reset is not supported" },
    { "pci", "PCI passthrough is not supported" },
    { "cpus", "one vCPU, scheduled by the host" },
    { "cpus_soft", "one vCPU, scheduled by the host" },
    { "cpu_weight", "one vCPU, scheduled by the host" },
    { "cap", "one vCPU, scheduled by the host" },
    { "vfb", "there is no display" },
    { "vkb", "there is no display" },
    { "localtime", "the guest clock follows the host's" },
    { "rtc_timeoffset", "the guest clock follows the host's" },
    { "max_grant_frames", "the shim sizes the grant table itself" },
    { "max_maptrack_frames", "the shim sizes the grant table itself" },
};

int xl_domain_parse(struct xlcfg *cfg, const char *file, struct xl_domain *d, FILE *warn,
                    char *err, size_t errlen)
{
    struct ctx c = { .cfg = cfg, .warn = warn, .err = err, .errlen = errlen };
    struct xlcfg_setting *s;
    const char *why;
    size_t i, j;

    memset(d, 0, sizeof(*d));
    if (parse_type(&c) || dup_string(&c, "name", &d->name) ||
        dup_string(&c, "kernel", &d->kernel) || dup_string(&c, "ramdisk", &d->ramdisk) ||
        dup_string(&c, "uuid", &d->uuid) || parse_cmdline(&c, d) || parse_sizes(&c, d) ||
        parse_action(&c, "on_poweroff", XL_ACTION_DESTROY, &d->on_poweroff) ||
        parse_action(&c, "on_reboot", XL_ACTION_RESTART, &d->on_reboot) ||
        parse_action(&c, "on_watchdog", XL_ACTION_DESTROY, &d->on_watchdog) ||
        parse_action(&c, "on_crash", XL_ACTION_DESTROY, &d->on_crash))
        return -1;
    if (!d->name || !*d->name) {
        snprintf(err, errlen, "%s: name: missing (xl requires name = \"...\")", file);
        return -1;
    }
    if (!d->kernel || !*d->kernel) {
        snprintf(err, errlen, "%s: kernel: missing (expected kernel = \"/path/vmlinuz\"; "
                 "xenshim boots the PV kernel directly)", file);
        return -1;
    }
    if (d->uuid && !uuid_ok(d->uuid))
        return kfail(&c, xlcfg_find(cfg, "uuid"), "'%s': expected "
                     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits)", d->uuid);
    if (parse_devices(&c, d, "disk") || parse_devices(&c, d, "vif"))
        return -1;
    for (i = 0; i < cfg->nr; i++) {
        s = &cfg->settings[i];
        if (s->used)
            continue;
        why = "not supported by xenshim";
        for (j = 0; j < sizeof(unsupported) / sizeof(unsupported[0]); j++)
            if (!strcmp(s->name, unsupported[j].key))
                why = unsupported[j].why;
        key_ignored(&c, s, why);
    }
    return 0;
}
