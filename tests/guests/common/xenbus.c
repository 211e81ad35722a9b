// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frontend's side of the xenbus state machine for test frontends
 * ([H:io/xenbus.h]; Linux drivers/xen/xenbus/xenbus_probe_frontend.c): find
 * a device and its backend, switch our state, wait for the backend's, and
 * the Closing/Closed/Initialising cycle after which a backend that follows
 * the protocol is back in InitWait, ready for a new connection.
 */
#include "guest.h"
#include <xen/io/xenbus.h>

#define XB_WAIT_MS 5000

long xb_state(const char *dir)
{
    char path[128];
    unsigned long st;

    snprintf(path, sizeof(path), "%s/state", dir);
    return xs_read_uint(path, &st) ? -1 : (long)st;
}

long xb_switch(const char *dir, unsigned int state)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/state", dir);
    return xs_printf(path, "%u", state);
}

struct xb_wait {
    const char *dir;
    long a, b;
};

static bool xb_in_state(void *arg)
{
    const struct xb_wait *w = arg;
    long st = xb_state(w->dir);

    return st == w->a || st == w->b;
}

long xb_wait_state2(const char *dir, unsigned int a, unsigned int b)
{
    struct xb_wait w = { dir, (long)a, (long)b };

    guest_wait(xb_in_state, &w, XB_WAIT_MS);
    return xb_state(dir);
}

bool xb_wait_state(const char *dir, unsigned int state)
{
    return xb_wait_state2(dir, state, state) == (long)state;
}

long xb_probe(const char *class, char *fe, size_t fe_size, char *be, size_t be_size)
{
    char list[64], path[128];
    long n;

    snprintf(path, sizeof(path), "device/%s", class);
    n = xs_directory(path, list, sizeof(list) - 1);
    if (n <= 0)
        return n ? n : -XEN_ENOENT;
    list[n] = '\0';
    snprintf(fe, fe_size, "device/%s/%s", class, list);        /* the first name */
    snprintf(path, sizeof(path), "%s/backend", fe);
    n = xs_read(path, be, be_size);
    if (n <= 0)
        return n ? n : -XEN_ENOENT;
    return xb_wait_state(be, XenbusStateInitWait) ? 0 : -XEN_ETIMEDOUT;
}

bool xb_reset(const char *fe, const char *be)
{
    bool ok = true;

    xb_switch(fe, XenbusStateClosing);
    ok &= xb_wait_state(be, XenbusStateClosing);
    xb_switch(fe, XenbusStateClosed);
    ok &= xb_wait_state(be, XenbusStateClosed);
    xb_switch(fe, XenbusStateInitialising);
    ok &= xb_wait_state(be, XenbusStateInitWait);
    return ok;
}
