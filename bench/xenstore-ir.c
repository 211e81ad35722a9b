// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host program for the callgrind instruction counts of bench/run.sh: the
 * shim's xenstore server (xenbus/xs-*.c) answering the guest over its store
 * ring, the way the shim runs it when the guest notifies the store port.
 * One operation = the guest's request copied into req[], one
 * xs_ring_service() call, and the guest taking every reply and event out
 * of rsp[] (the guest-side copies are a few dozen bytes and are counted).
 * run.sh runs it under callgrind with two iteration counts and divides the
 * difference, so setup and one-time costs cancel out.
 *
 * Usage: xenstore-ir read|write ITERATIONS
 *   read   XS_READ /local/domain/1/name                 -> 1 reply
 *   write  XS_WRITE /local/domain/1/data/bench, with the guest watching
 *          /local/domain/1/data                         -> reply + 1 event
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shim/log.h>
#include <shim/xenstore.h>

#define DOMID 1

static struct xenstore_domain_interface ring;
static uint32_t next_req_id = 1;

/* The shim's log and panic, for a host build of xenbus/ alone. */
void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("xenstore-ir: shim panic: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    exit(1);
}

static void ring_put(const void *data, uint32_t len)
{
    const char *p = data;

    for (uint32_t i = 0; i < len; i++)
        ring.req[MASK_XENSTORE_IDX(ring.req_prod + i)] = p[i];
    __atomic_store_n(&ring.req_prod, ring.req_prod + len, __ATOMIC_RELEASE);
}

/* Send one request: the payload is len bytes (NULs included). */
static void send(uint32_t type, const char *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, next_req_id++, 0, len };
    uint32_t prod = ring.req_prod;

    for (uint32_t i = 0; i < sizeof(h); i++)
        ring.req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)&h)[i];
    ring.req_prod = prod + (uint32_t)sizeof(h);
    ring_put(payload, len);
}

/* Take every message from rsp[]; count replies of `type` and watch events. */
static void drain(uint32_t type, unsigned *replies, unsigned *events)
{
    uint32_t cons = ring.rsp_cons, prod = __atomic_load_n(&ring.rsp_prod, __ATOMIC_ACQUIRE);

    *replies = *events = 0;
    while (prod - cons >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg h;

        for (uint32_t i = 0; i < sizeof(h); i++)
            ((char *)&h)[i] = ring.rsp[MASK_XENSTORE_IDX(cons + i)];
        if (prod - cons < sizeof(h) + h.len)
            break;
        cons += (uint32_t)sizeof(h) + h.len;
        if (h.type == XS_WATCH_EVENT)
            ++*events;
        else if (h.type == type)
            ++*replies;
        else {
            fprintf(stderr, "xenstore-ir: unexpected reply type %u (wanted %u)\n", h.type, type);
            exit(1);
        }
    }
    __atomic_store_n(&ring.rsp_cons, cons, __ATOMIC_RELEASE);
}

static void op(struct xs_server *s, uint32_t type, const char *payload, uint32_t len,
               unsigned want_events)
{
    unsigned replies, events;

    send(type, payload, len);
    xs_ring_service(s, &ring);
    drain(type, &replies, &events);
    if (replies != 1 || events != want_events) {
        fprintf(stderr, "xenstore-ir: request type %u: %u replies, %u events; expected 1 and %u\n",
                type, replies, events, want_events);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static const char read_path[] = "/local/domain/1/name";
    static const char watch[] = "/local/domain/1/data\0tok";
    static const char write_msg[] = "/local/domain/1/data/bench\0value-1234";
    struct xs_server *s;
    unsigned long n;
    int writing;

    if (argc != 3 || (strcmp(argv[1], "read") && strcmp(argv[1], "write"))) {
        fprintf(stderr, "usage: xenstore-ir read|write ITERATIONS\n");
        return 2;
    }
    writing = !strcmp(argv[1], "write");
    n = strtoul(argv[2], NULL, 10);
    s = xs_server_init(DOMID);
    xs_populate_domu(s, DOMID, "bench", 512 * 1024, 1);
    if (writing)    /* the watch fires once when it is set */
        op(s, XS_WATCH, watch, sizeof(watch), 1);
    for (unsigned long i = 0; i < n; i++) {
        if (writing)    /* no trailing NUL: the value is the rest of the payload */
            op(s, XS_WRITE, write_msg, sizeof(write_msg) - 1, 1);
        else
            op(s, XS_READ, read_path, sizeof(read_path), 0);
    }
    return 0;
}
