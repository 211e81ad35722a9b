// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the xenstore server (xenbus/xs-*.c) against a hostile
 * guest. The input is a program of operations on one fresh server with the
 * standard domU layout:
 *   0 request  type, req_id, tx_id, len, payload -> xs_process_msg
 *   1 ring     n bytes written at req_prod, req_prod += n (honest producer)
 *   2 indices  arbitrary req_cons/req_prod/rsp_cons/rsp_prod (hostile)
 *   3 service  xs_ring_service, then the guest consumes k response bytes
 *   4 drain    xs_take_output of everything queued (until the ring is used)
 *   5 backend  xs_write_node / xs_rm / xs_read_node as dom0 on a guest path
 * Checked after every step: the server never moves the guest's own indices
 * (req_prod, rsp_cons), never consumes more than was produced, never
 * produces more than the ring holds past rsp_cons, and queued messages are
 * well formed (header + len bytes, len <= XENSTORE_PAYLOAD_MAX).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <shim/log.h>
#include <shim/xenstore.h>
#include "fuzz-input.h"

#define GUEST 5
#define MAX_OPS 256

void log_printf(const char *fmt, ...)
{
    (void)fmt;      /* the server warns about every hostile request */
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

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static unsigned int watch_calls;
/* Once xs_ring_service has run, the queue head may be inside a message it
   sent in part: xs_take_output must not be mixed in (xenstore.h). */
static bool ring_used;

static void on_watch(void *opaque, const char *path)
{
    (void)opaque;
    CHECK(path && path[0]);
    watch_calls++;
}

static void drain(struct xs_server *s)
{
    static uint8_t buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    int n;

    if (ring_used)
        return;
    while ((n = xs_take_output(s, buf, sizeof(buf))) > 0) {
        const struct xsd_sockmsg *h = (const void *)buf;

        CHECK(h->len <= XENSTORE_PAYLOAD_MAX);
        CHECK((size_t)n == sizeof(*h) + h->len);
    }
    CHECK(n == 0);
}

/* A guest path from the input: mostly under the guest's home, NUL-free. */
static void fuzz_path(struct fin *in, char *buf, size_t size)
{
    static const char *const prefix[] = {
        "/local/domain/5/", "/local/domain/0/", "/", "/local/domain/5/data/",
    };
    uint8_t sel = fin_u8(in);
    size_t plen = strlen(prefix[sel & 3]), n = fin_u8(in) % 48;

    memcpy(buf, prefix[sel & 3], plen);
    n = fin_bytes(in, buf + plen, MIN(n, size - plen - 1));
    buf[plen + n] = '\0';
    for (size_t i = plen; i < plen + n; i++)
        if (!buf[i])
            buf[i] = 'x';
}

static void service(struct xs_server *s, struct xenstore_domain_interface *r)
{
    uint32_t req_prod = r->req_prod, req_cons = r->req_cons;
    uint32_t rsp_cons = r->rsp_cons, rsp_prod = r->rsp_prod;
    bool sane_req = req_prod - req_cons <= XENSTORE_RING_SIZE;
    bool sane_rsp = rsp_prod - rsp_cons <= XENSTORE_RING_SIZE;

    ring_used = true;
    (void)xs_ring_service(s, r);
    /* The guest's indices are the guest's. */
    CHECK(r->req_prod == req_prod);
    CHECK(r->rsp_cons == rsp_cons);
    if (sane_req)
        CHECK(r->req_cons - req_cons <= req_prod - req_cons);
    if (sane_rsp)
        CHECK(r->rsp_prod - rsp_cons <= XENSTORE_RING_SIZE);
    if (!sane_rsp)
        CHECK(r->rsp_prod == rsp_prod);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct xenstore_domain_interface ring;
    struct fin in = { data, size };
    struct xs_server *s = xs_server_init(GUEST);
    char path[128];
    char *payload;

    xs_populate_domu(s, GUEST, "fuzz", 524288, 1);
    (void)xs_set_domu_rings(s, GUEST, 1, 0x1000, 2, 0x1001);
    watch_calls = 0;
    ring_used = false;
    CHECK(xs_watch_internal(s, "/local/domain/5/data", on_watch, NULL) >= 0);
    drain(s);
    memset(&ring, 0, sizeof(ring));

    for (unsigned int op = 0; op < MAX_OPS && fin_more(&in); op++) {
        switch (fin_u8(&in) % 6) {
        case 0: {
            struct xsd_sockmsg h;

            h.type = fin_u8(&in);
            if (h.type >= 0x80)   /* mostly valid types, sometimes any */
                h.type = fin_u32(&in);
            else
                h.type %= XS_TYPE_COUNT + 2;
            h.req_id = fin_u8(&in);
            h.tx_id = fin_u8(&in);
            if (h.tx_id >= 0xf0)
                h.tx_id = fin_u32(&in);
            h.len = fin_u16(&in) % (XENSTORE_PAYLOAD_MAX + 1);
            h.len = (uint32_t)MIN((size_t)h.len, in.left);
            /* Exact-size heap copy, so ASan sees any over-read. */
            payload = malloc(h.len ? h.len : 1);
            CHECK(payload);
            fin_bytes(&in, payload, h.len);
            xs_process_msg(s, &h, payload);
            free(payload);
            break;
        }
        case 1: {
            size_t n = fin_u16(&in) % (XENSTORE_RING_SIZE + 1);

            n = MIN(n, in.left);
            for (size_t i = 0; i < n; i++)
                ring.req[MASK_XENSTORE_IDX(ring.req_prod + i)] = (char)fin_u8(&in);
            ring.req_prod += (uint32_t)n;
            break;
        }
        case 2: {
            uint8_t which = fin_u8(&in);
            uint32_t v = fin_u32(&in);

            switch (which & 3) {
            case 0: ring.req_cons = v; break;
            case 1: ring.req_prod = v; break;
            case 2: ring.rsp_cons = v; break;
            default: ring.rsp_prod = v; break;
            }
            break;
        }
        case 3: {
            uint16_t k = fin_u16(&in);

            service(s, &ring);
            if (ring.rsp_prod - ring.rsp_cons <= XENSTORE_RING_SIZE)
                ring.rsp_cons += MIN((uint32_t)k, ring.rsp_prod - ring.rsp_cons);
            break;
        }
        case 4:
            drain(s);
            break;
        case 5: {
            uint8_t what = fin_u8(&in);
            char val[64];
            size_t vlen;

            fuzz_path(&in, path, sizeof(path));
            vlen = fin_bytes(&in, val, fin_u8(&in) % sizeof(val));
            if ((what & 3) == 0)
                (void)xs_write_node(s, path, val, vlen, NULL, 0);
            else if ((what & 3) == 1)
                (void)xs_rm(s, path);
            else if ((what & 3) == 2)
                (void)xs_read_node(s, path, val, sizeof(val));
            else
                xs_fire_special(s, (what & 4) ? "@releaseDomain" : "@introduceDomain");
            break;
        }
        }
    }

    /* The guest must always be able to get everything out eventually. */
    ring.req_cons = ring.req_prod = 0;
    ring.rsp_cons = ring.rsp_prod;
    for (unsigned int i = 0; i < 64 && xs_output_pending(s); i++) {
        service(s, &ring);
        ring.rsp_cons = ring.rsp_prod;
    }
    /* 16 KiB of queued output leaves in 16 passes of a 1 KiB ring. */
    CHECK(!xs_output_pending(s));
    drain(s);
    {
        struct xs_stats st;

        xs_get_stats(s, &st);
        CHECK(st.nodes <= 4096);
        CHECK(st.guest_nodes <= 1000 + MAX_OPS);   /* + dom0 writes */
        CHECK(st.watches <= 128);
        CHECK(st.transactions <= 10);
    }
    return 0;
}
