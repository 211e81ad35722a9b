// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the xenstore unit tests, and the shim hooks the server calls
 * (log_printf, panic).
 */
#include <stdio.h>
#include <shim/log.h>
#include "xs-test.h"

struct xs_server *S;
struct event events[256];
unsigned nevents;

static struct msg last_reply;
static unsigned replies;

void log_printf(const char *fmt, ...)
{
    (void)fmt;      /* the server's warnings are expected in these tests */
}

void panic(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "PANIC: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

void events_clear(void)
{
    nevents = 0;
}

bool has_event(const char *path, const char *token)
{
    for (unsigned i = 0; i < nevents; i++)
        if (!strcmp(events[i].path, path) && !strcmp(events[i].token, token))
            return true;
    return false;
}

void collect(const struct msg *m)
{
    if (m->h.type == XS_WATCH_EVENT) {
        size_t plen = strnlen(m->d, m->h.len);

        /* Events are "path\0token\0" with req_id = tx_id = 0. */
        assert_int_equal(m->h.req_id, 0);
        assert_int_equal(m->h.tx_id, 0);
        assert_true(plen + 1 < m->h.len);
        assert_int_equal(m->d[m->h.len - 1], '\0');
        assert_true(nevents < 256);
        memcpy(events[nevents].path, m->d, plen + 1);
        strcpy(events[nevents].token, m->d + plen + 1);
        assert_int_equal(plen + 1 + strlen(events[nevents].token) + 1, m->h.len);
        nevents++;
        return;
    }
    /* The reply comes before the watch's first event, as in Xen. */
    last_reply = *m;
    replies++;
}

void drain(void)
{
    struct msg m;
    int n;

    while ((n = xs_take_output(S, &m, sizeof(m.h) + XENSTORE_PAYLOAD_MAX)) > 0) {
        assert_int_equal((size_t)n, sizeof(m.h) + m.h.len);
        m.d[m.h.len] = '\0';
        collect(&m);
    }
    assert_int_equal(n, 0);
}

int xs_setup(void **state)
{
    (void)state;
    S = xs_server_init(GUEST);
    xs_populate_domu(S, GUEST, "guest", 524288, 2);
    drain();
    events_clear();
    replies = 0;
    return 0;
}

const struct msg *send_raw(uint32_t type, uint32_t req_id, uint32_t tx,
                           const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, req_id, tx, len };
    char *copy = malloc(len ? len : 1);

    assert_non_null(copy);
    memcpy(copy, payload, len);
    replies = 0;
    xs_process_msg(S, &h, copy);
    free(copy);
    drain();
    assert_int_equal(replies, 1);
    assert_int_equal(last_reply.h.req_id, req_id);
    assert_int_equal(last_reply.h.tx_id, tx);
    if (last_reply.h.type != XS_ERROR)
        assert_int_equal(last_reply.h.type, type);
    return &last_reply;
}

const struct msg *send_str(uint32_t type, uint32_t tx, const char *a, const char *b)
{
    char buf[2 * XENSTORE_PAYLOAD_MAX];
    size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

    assert_true(la + lb <= sizeof(buf));
    memcpy(buf, a, la);
    if (b)
        memcpy(buf + la, b, lb);
    return send_raw(type, 42, tx, buf, (uint32_t)(la + lb));
}

const struct msg *send_write(uint32_t tx, const char *path, const char *value)
{
    char buf[2 * XENSTORE_PAYLOAD_MAX];
    size_t lp = strlen(path) + 1, lv = strlen(value);

    assert_true(lp + lv <= sizeof(buf));
    memcpy(buf, path, lp);
    memcpy(buf + lp, value, lv);
    return send_raw(XS_WRITE, 7, tx, buf, (uint32_t)(lp + lv));
}

const char *err_of(const struct msg *m)
{
    if (m->h.type != XS_ERROR)
        return "";
    assert_int_equal(m->d[m->h.len - 1], '\0');
    return m->d;
}

const char *g_write(uint32_t tx, const char *path, const char *value)
{
    const struct msg *m = send_write(tx, path, value);

    if (m->h.type == XS_WRITE)
        assert_memory_equal(m->d, "OK", 3);
    return err_of(m);
}

const char *g_read(uint32_t tx, const char *path)
{
    static char out[XENSTORE_PAYLOAD_MAX + 2];
    const struct msg *m = send_str(XS_READ, tx, path, NULL);

    if (m->h.type == XS_ERROR)
        snprintf(out, sizeof(out), "!%s", m->d);
    else
        memcpy(out, m->d, m->h.len + 1);
    return out;
}

uint32_t g_tx_start(void)
{
    const struct msg *m = send_str(XS_TRANSACTION_START, 0, "", NULL);

    assert_int_equal(m->h.type, XS_TRANSACTION_START);
    return (uint32_t)strtoul(m->d, NULL, 10);
}

const char *g_tx_end(uint32_t tx, bool commit)
{
    return err_of(send_str(XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL));
}
