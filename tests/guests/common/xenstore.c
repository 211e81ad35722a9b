// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal xenstore client over the store ring of start_info (store_mfn,
 * store_evtchn; [H:io/xs_wire.h], Xen docs/misc/xenstore-ring.txt): one
 * request at a time, no watches, no transactions. The reply is awaited by
 * polling rsp_prod (bounded, yielding), as Linux's xenbus does before its
 * interrupt is up (xb_wait_for_data in drivers/xen/xenbus/xenbus_comms.c).
 *
 * Ring rules: indices are free-running u32s used modulo XENSTORE_RING_SIZE;
 * the producer writes the bytes, then (write barrier) moves its index; the
 * consumer reads the index, then (read barrier) the bytes, then frees them.
 * Paths without a leading '/' are relative to /local/domain/<domid>.
 */
#include "guest.h"
#include <xen/io/xs_wire.h>

#define XS_WAIT_MS 5000

static struct xenstore_domain_interface *xs_ring;
static uint32_t xs_req_id;

static void xs_notify(void)
{
    struct evtchn_send s = { .port = start_info->store_evtchn };

    hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

static bool xs_ring_has(void *want)
{
    uint32_t n = *(uint32_t *)want;

    return __atomic_load_n(&xs_ring->rsp_prod, __ATOMIC_ACQUIRE) - xs_ring->rsp_cons >= n;
}

static bool xs_req_room(void *want)
{
    uint32_t n = *(uint32_t *)want;

    return XENSTORE_RING_SIZE -
           (xs_ring->req_prod - __atomic_load_n(&xs_ring->req_cons, __ATOMIC_ACQUIRE)) >= n;
}

/* Copy len bytes into the request ring; the caller checked the room. */
static void xs_put(const void *data, uint32_t len)
{
    const char *p = data;
    uint32_t prod = xs_ring->req_prod;

    for (uint32_t i = 0; i < len; i++)
        xs_ring->req[MASK_XENSTORE_IDX(prod + i)] = p[i];
    /* Release: the bytes are in the ring before the index covers them. */
    __atomic_store_n(&xs_ring->req_prod, prod + len, __ATOMIC_RELEASE);
}

/* Take len bytes out of the reply ring (they are there: xs_ring_has). */
static void xs_get(void *data, uint32_t len)
{
    char *p = data;
    uint32_t cons = xs_ring->rsp_cons;

    for (uint32_t i = 0; i < len; i++)
        if (p)
            p[i] = xs_ring->rsp[MASK_XENSTORE_IDX(cons + i)];
    /* Release: the bytes are read before the server may reuse them. */
    __atomic_store_n(&xs_ring->rsp_cons, cons + len, __ATOMIC_RELEASE);
}

int xs_init(void)
{
    xs_ring = mfn_to_virt(start_info->store_mfn);
    return xs_ring ? 0 : -XEN_EINVAL;
}

/* Xen's xsd_errors[] names, for the few a test can meet. */
static long xs_errno(const char *name)
{
    static const struct { const char *name; long err; } names[] = {
        { "ENOENT", XEN_ENOENT }, { "EACCES", XEN_EACCES }, { "EINVAL", XEN_EINVAL },
        { "EEXIST", XEN_EEXIST }, { "E2BIG", XEN_E2BIG }, { "ENOSPC", XEN_ENOSPC },
        { "EAGAIN", XEN_EAGAIN }, { "EBUSY", XEN_EBUSY },
        { "ENOSYS", XEN_ENOSYS }, { "EPERM", XEN_EPERM },
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (!strcmp(name, names[i].name))
            return -names[i].err;
    return -XEN_EIO;
}

long xs_request(uint32_t type, const void *payload, uint32_t len, char *reply,
                uint32_t size)
{
    struct xsd_sockmsg h = { .type = type, .req_id = ++xs_req_id, .len = len };
    uint32_t need = sizeof(h) + len, got;
    char err[16];

    if (!xs_ring || len > XENSTORE_PAYLOAD_MAX)
        return -XEN_EINVAL;
    if (!guest_wait(xs_req_room, &need, XS_WAIT_MS))
        return -XEN_ETIMEDOUT;
    xs_put(&h, sizeof(h));
    xs_put(payload, len);
    xs_notify();
    for (;;) {
        need = sizeof(h);
        if (!guest_wait(xs_ring_has, &need, XS_WAIT_MS))
            return -XEN_ETIMEDOUT;
        xs_get(&h, sizeof(h));
        if (h.len > XENSTORE_PAYLOAD_MAX)
            return -XEN_EIO;        /* a broken server: the ring is lost */
        need = h.len;
        if (!guest_wait(xs_ring_has, &need, XS_WAIT_MS))
            return -XEN_ETIMEDOUT;
        if (h.type == XS_WATCH_EVENT) {
            xs_get(NULL, h.len);    /* we set no watches; skip */
            continue;
        }
        break;
    }
    if (h.type == XS_ERROR) {
        got = h.len < sizeof(err) ? h.len : sizeof(err) - 1;
        xs_get(err, got);
        xs_get(NULL, h.len - got);
        err[got] = '\0';
        return xs_errno(err);
    }
    if (h.type != type || h.len > size) {
        xs_get(NULL, h.len);
        return h.type != type ? -XEN_EIO : -XEN_E2BIG;
    }
    xs_get(reply, h.len);
    return h.len;
}

/* path\0 as the payload. */
static uint32_t xs_path_payload(char *buf, size_t size, const char *path)
{
    size_t n = strnlen(path, size - 1);

    memcpy(buf, path, n);
    buf[n] = '\0';
    return (uint32_t)n + 1;
}

long xs_read(const char *path, char *buf, size_t size)
{
    char req[256];
    long n;

    if (!size)
        return -XEN_EINVAL;
    n = xs_request(XS_READ, req, xs_path_payload(req, sizeof(req), path), buf,
                   (uint32_t)size - 1);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

long xs_write(const char *path, const char *value)
{
    char req[512];
    uint32_t n = xs_path_payload(req, sizeof(req), path);
    size_t vlen = strlen(value);
    char ok[8];

    if (n + vlen > sizeof(req))
        return -XEN_E2BIG;
    memcpy(req + n, value, vlen);       /* the value is not NUL-terminated */
    long rc = xs_request(XS_WRITE, req, n + (uint32_t)vlen, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}

long xs_directory(const char *path, char *buf, size_t size)
{
    char req[256];

    return xs_request(XS_DIRECTORY, req, xs_path_payload(req, sizeof(req), path), buf,
                      (uint32_t)size);
}

long xs_read_uint(const char *path, unsigned long *out)
{
    char buf[32];
    long n = xs_read(path, buf, sizeof(buf));
    unsigned long v = 0;

    if (n < 0)
        return n;
    if (n == 0)
        return -XEN_EINVAL;
    for (long i = 0; i < n; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return -XEN_EINVAL;
        v = v * 10 + (unsigned long)(buf[i] - '0');
    }
    *out = v;
    return 0;
}

long xs_printf(const char *path, const char *fmt, ...)
{
    char val[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return xs_write(path, val);
}
