// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore server setup and the API of the shim-side backends: the single
 * static server instance, the skeleton tree, the standard domU layout that
 * libxl creates (tools/libs/light/libxl_create.c libxl__domain_make,
 * libxl_dom.c libxl__build_post, libxl_console.c), and node access for
 * backends, which run as dom0.
 */
#include <shim/log.h>
#include "xs-internal.h"

static struct xs_server xs_instance;

size_t xs_server_size(void)
{
    return sizeof(xs_instance);
}

/* ---- backend API ---------------------------------------------------------- */

/* Run op as dom0 on the canonical form of path (in s->path_a). */
#define AS_DOM0(s, path, special, expr) ({                                  \
    domid_t caller_ = (s)->caller;                                          \
    int err_;                                                               \
    (s)->caller = 0;                                                        \
    err_ = xs_canonical((s), (path), (special), (s)->path_a, NULL);         \
    if (!err_)                                                              \
        err_ = (expr);                                                      \
    (s)->caller = caller_;                                                  \
    xs_run_internal(s);                                                     \
    -err_;                                                                  \
})

static int write_acl(struct xs_server *s, const void *value, size_t len,
                     bool mkdir, const struct xs_acl *acl, unsigned nacl)
{
    int err = xs_op_write(s, 0, s->path_a, value, (unsigned)len, mkdir);

    if (!err && acl)
        err = xs_op_set_perms(s, 0, s->path_a, acl, nacl);
    return err;
}

int xs_write_node(struct xs_server *s, const char *path, const void *value,
                  size_t value_len, const struct xs_acl *acl, unsigned nacl)
{
    if (value_len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    if (acl && (nacl == 0 || nacl > XS_PERMS_MAX))
        return -XEN_EINVAL;
    return AS_DOM0(s, path, false, write_acl(s, value, value_len, false, acl, nacl));
}

int xs_mkdir_node(struct xs_server *s, const char *path,
                  const struct xs_acl *acl, unsigned nacl)
{
    if (acl && (nacl == 0 || nacl > XS_PERMS_MAX))
        return -XEN_EINVAL;
    return AS_DOM0(s, path, false, write_acl(s, NULL, 0, true, acl, nacl));
}

int xs_printf_node(struct xs_server *s, const char *path, const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(s->reply, sizeof(s->reply), fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof(s->reply))
        return -XEN_E2BIG;
    return xs_write_node(s, path, s->reply, (size_t)len, NULL, 0);
}

static int read_copy(struct xs_server *s, char *buf, size_t size)
{
    const char *val;
    unsigned len;
    int err = xs_op_read(s, 0, s->path_a, &val, &len);

    if (err)
        return err;
    if (size) {
        size_t n = MIN((size_t)len, size - 1);

        memcpy(buf, val, n);
        buf[n] = '\0';
    }
    return -(int)len;   /* negated back by AS_DOM0 */
}

int xs_read_node(struct xs_server *s, const char *path, char *buf, size_t size)
{
    return AS_DOM0(s, path, false, read_copy(s, buf, size));
}

int xs_read_uint(struct xs_server *s, const char *path, uint64_t *out)
{
    char buf[24];
    int len = xs_read_node(s, path, buf, sizeof(buf));

    if (len < 0)
        return len;
    if ((size_t)len >= sizeof(buf) || parse_u64(buf, (size_t)len, out))
        return -XEN_EINVAL;
    return 0;
}

int xs_rm(struct xs_server *s, const char *path)
{
    return AS_DOM0(s, path, false, xs_op_rm(s, 0, s->path_a));
}

void xs_get_stats(const struct xs_server *s, struct xs_stats *st)
{
    *st = s->stats;
    st->arena_used = s->arena.used;
    st->guest_nodes = s->guest_nodes;
}

/* ---- setup -------------------------------------------------------------------- */

static void must(int rc, const char *what)
{
    if (rc < 0)
        panic("xenstore: cannot create %s (%d)\n", what, rc);
}

static void special_node(struct xs_server *s, const char *name)
{
    int err;
    struct xs_node *n = xs_rec_new(s, 0, name, &err);

    must(n ? 0 : -err, name);
    n->nperms = 1;      /* "n0", as Xen creates them */
    n->gen = ++s->gen;
}

struct xs_server *xs_server_init(domid_t guest_domid)
{
    struct xs_server *s = &xs_instance;
    static const struct xs_acl dom0_only[] = { { 0, XS_PERM_NONE } };
    static const struct xs_acl dom0_read[] = { { 0, XS_PERM_READ } };

    ASSERT(guest_domid != 0);
    memset(s, 0, sizeof(*s));
    s->guest = guest_domid;
    xs_fifo_init(&s->out, s->out_mem, XS_OUT_SIZE);
    xs_fifo_init(&s->iev, s->iev_mem, XS_IEV_SIZE);
    xs_tree_init(s);
    must(xs_mkdir_node(s, "/local/domain/0", dom0_only, 1), "/local/domain/0");
    must(xs_write_node(s, "/local/domain/0/name", "Domain-0", 8, NULL, 0), "dom0 name");
    must(xs_write_node(s, "/local/domain/0/domid", "0", 1, NULL, 0), "dom0 domid");
    must(xs_mkdir_node(s, "/local/domain/0/backend", dom0_read, 1), "backend");
    must(xs_mkdir_node(s, "/tool", NULL, 0), "/tool");
    must(xs_mkdir_node(s, "/vm", NULL, 0), "/vm");
    special_node(s, "@introduceDomain");
    special_node(s, "@releaseDomain");
    return s;
}

/* ---- the domU layout ------------------------------------------------------- */

void xs_populate_domu(struct xs_server *s, domid_t domid, const char *name,
                      uint64_t mem_kib, unsigned vcpus)
{
    /* libxl: roperm (dom0 owns, guest reads), rwperm (guest owns). */
    const struct xs_acl ro[] = { { 0, XS_PERM_NONE }, { domid, XS_PERM_READ } };
    const struct xs_acl rw[] = { { domid, XS_PERM_NONE } };
    static const char *const guest_owned[] = {
        "control/shutdown", "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "control/sysrq", "data", "drivers",
        "feature", "attr", "error", "device/suspend/event-channel",
    };
    static const char *const ro_dirs[] = { "cpu", "memory", "device", "control" };
    char dom[32], vm[64], p[128], be[64];

    snprintf(dom, sizeof(dom), "/local/domain/%u", domid);
    /* A uuid derived from the domid: "Shim" in the first group. */
    snprintf(vm, sizeof(vm), "/vm/5368696d-0000-4000-8000-%012x", domid);
    snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", domid);

    must(xs_rm(s, dom), dom);
    must(xs_mkdir_node(s, dom, ro, 2), dom);
    must(xs_rm(s, vm), vm);
    must(xs_mkdir_node(s, vm, ro, 2), vm);
    snprintf(p, sizeof(p), "%s/uuid", vm);
    must(xs_printf_node(s, p, "%s", vm + 4), p);
    snprintf(p, sizeof(p), "%s/name", vm);
    must(xs_printf_node(s, p, "%s", name), p);

#define DOMP(fmt, ...) (snprintf(p, sizeof(p), "%s/" fmt, dom, ##__VA_ARGS__), p)
    must(xs_printf_node(s, DOMP("vm"), "%s", vm), p);
    must(xs_printf_node(s, DOMP("name"), "%s", name), p);
    must(xs_printf_node(s, DOMP("domid"), "%u", domid), p);
    for (unsigned i = 0; i < ARRAY_SIZE(ro_dirs); i++)
        must(xs_mkdir_node(s, DOMP("%s", ro_dirs[i]), ro, 2), p);
    for (unsigned i = 0; i < ARRAY_SIZE(guest_owned); i++)
        must(xs_mkdir_node(s, DOMP("%s", guest_owned[i]), rw, 1), p);
    must(xs_printf_node(s, DOMP("control/platform-feature-multiprocessor-suspend"), "1"), p);
    must(xs_printf_node(s, DOMP("control/platform-feature-xs_reset_watches"), "1"), p);
    must(xs_printf_node(s, DOMP("memory/static-max"), "%llu", (unsigned long long)mem_kib), p);
    must(xs_printf_node(s, DOMP("memory/target"), "%llu", (unsigned long long)mem_kib), p);
    must(xs_printf_node(s, DOMP("memory/videoram"), "0"), p);
    for (unsigned i = 0; i < vcpus; i++)
        must(xs_printf_node(s, DOMP("cpu/%u/availability", i), "online"), p);

    /* Console 0: a read-only frontend dir (libxl ro_frontend_perms). */
    must(xs_mkdir_node(s, DOMP("console"), ro, 2), p);
    must(xs_printf_node(s, DOMP("console/backend"), "%s", be), p);
    must(xs_printf_node(s, DOMP("console/backend-id"), "0"), p);
    must(xs_printf_node(s, DOMP("console/limit"), "1048576"), p);
    must(xs_printf_node(s, DOMP("console/type"), "xenconsoled"), p);
    must(xs_printf_node(s, DOMP("console/output"), "pty"), p);
    must(xs_printf_node(s, DOMP("console/tty"), "%s", ""), p);
#undef DOMP
    must(xs_mkdir_node(s, be, ro, 2), be);
    snprintf(p, sizeof(p), "%s/frontend", be);
    must(xs_printf_node(s, p, "%s/console", dom), p);
    snprintf(p, sizeof(p), "%s/frontend-id", be);
    must(xs_printf_node(s, p, "%u", domid), p);
    snprintf(p, sizeof(p), "%s/online", be);
    must(xs_printf_node(s, p, "1"), p);
    snprintf(p, sizeof(p), "%s/state", be);
    must(xs_printf_node(s, p, "1"), p);
    snprintf(p, sizeof(p), "%s/protocol", be);
    must(xs_printf_node(s, p, "vt100"), p);
    must(xs_set_domu_rings(s, domid, 0, 0, 0, 0), "rings");
    xs_fire_special(s, "@introduceDomain");
}

int xs_set_domu_rings(struct xs_server *s, domid_t domid,
                      evtchn_port_t store_port, uint64_t store_mfn,
                      evtchn_port_t console_port, uint64_t console_mfn)
{
    static const char *const key[] = {
        "store/port", "store/ring-ref", "console/port", "console/ring-ref",
    };
    const uint64_t val[] = { store_port, store_mfn, console_port, console_mfn };
    char p[64];
    int rc = 0;

    for (unsigned i = 0; i < ARRAY_SIZE(key) && rc == 0; i++) {
        snprintf(p, sizeof(p), "/local/domain/%u/%s", domid, key[i]);
        rc = xs_printf_node(s, p, "%llu", (unsigned long long)val[i]);
    }
    return rc;
}
