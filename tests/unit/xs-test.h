/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the xenstore unit tests (xs-test.c): a fresh server with the
 * standard layout for guest GUEST, requests sent as the guest, and the
 * replies and watch events that come back.
 */
#ifndef XS_TEST_H
#define XS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <shim/xenstore.h>

#define GUEST 5
#define HOME  "/local/domain/5"

extern struct xs_server *S;

struct msg {
    struct xsd_sockmsg h;
    char d[XENSTORE_PAYLOAD_MAX + 1];   /* NUL added after len bytes */
};

struct event {
    char path[XENSTORE_PAYLOAD_MAX];
    char token[XENSTORE_PAYLOAD_MAX];
};

/* Events received since the last events_clear(), in order. */
extern struct event events[256];
extern unsigned nevents;

int xs_setup(void **state);
void events_clear(void);
bool has_event(const char *path, const char *token);

/* Send a request as the guest (payload copied to an exact-size heap
 * block), collect the events, and return the one reply. */
const struct msg *send_raw(uint32_t type, uint32_t req_id, uint32_t tx,
                           const void *payload, uint32_t len);
/* Payload "a\0" or "a\0b\0". */
const struct msg *send_str(uint32_t type, uint32_t tx, const char *a, const char *b);
/* WRITE "path\0value" (value without NUL). */
const struct msg *send_write(uint32_t tx, const char *path, const char *value);
/* Payload of an XS_ERROR reply, or "" for success. */
const char *err_of(const struct msg *m);

/* Shorthands returning "" on success or the error name. */
const char *g_write(uint32_t tx, const char *path, const char *value);
/* The value read (NUL-terminated) or "!ENAME". */
const char *g_read(uint32_t tx, const char *path);
uint32_t g_tx_start(void);
const char *g_tx_end(uint32_t tx, bool commit);

/* Drain queued output: everything goes through the same collector. */
void drain(void);
void collect(const struct msg *m);

#endif
