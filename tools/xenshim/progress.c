// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot progress from console lines (see progress.h). Only "(xenshim) "
 * lines at the start of a console line count, plus the guest kernel's
 * xenbus lines, so guest output cannot fake a backend.
 */
#include <stdio.h>
#include <string.h>

#include "progress.h"

#define SHIM "(xenshim) "

static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* "<name>: connected" after a prefix: "blkback xvda: connected, ...". */
static bool connected_line(const char *rest)
{
    const char *c = strstr(rest, ": connected");

    return c && !memchr(rest, ' ', (size_t)(c - rest));
}

static void reach(struct progress *p, enum progress_stage s)
{
    if (p->stage < s)
        p->stage = s;
}

bool progress_feed(struct progress *p, const char *line)
{
    struct progress old = *p;
    const char *r;

    if (strstr(line, "] xenbus_probe") || strstr(line, "] xenbus: "))
        reach(p, PROGRESS_XENBUS);
    if (!starts(line, SHIM))
        return memcmp(&old, p, sizeof(old)) != 0;
    r = line + strlen(SHIM);
    if (starts(r, "xenshim starting")) {
        reach(p, PROGRESS_SHIM_UP);
    } else if (starts(r, "starting the guest")) {
        reach(p, PROGRESS_GUEST);
    } else if (starts(r, "xenstore: guest connected")) {
        reach(p, PROGRESS_XENBUS);
    } else if (starts(r, "blkback: ") && strstr(r, " (vbd ")) {
        p->vbds++;
    } else if (starts(r, "netback: vif") && strstr(r, " on ")) {
        p->vifs++;
    } else if (starts(r, "blkback ") && connected_line(r + 8)) {
        p->vbds_connected++;
        reach(p, PROGRESS_XENBUS);
    } else if (starts(r, "netback ") && connected_line(r + 8)) {
        p->vifs_connected++;
        reach(p, PROGRESS_XENBUS);
    } else if (starts(r, "guest shutdown: ")) {
        snprintf(p->shutdown, sizeof(p->shutdown), "%s", r + strlen("guest shutdown: "));
        p->shutdown[strcspn(p->shutdown, " \r")] = '\0';
        reach(p, PROGRESS_SHUTDOWN);
    }
    return memcmp(&old, p, sizeof(old)) != 0;
}

void progress_render(const struct progress *p, double elapsed, char *buf, size_t len)
{
    static const char *const names[] = {
        [PROGRESS_QEMU] = "qemu started",
        [PROGRESS_SHIM_UP] = "shim up",
        [PROGRESS_GUEST] = "guest started",
        [PROGRESS_XENBUS] = "xenbus",
    };
    size_t n = 0;
    int r;

    if (!len)
        return;
    buf[0] = '\0';
#define PUT(...) do { \
        r = snprintf(buf + n, len - n, __VA_ARGS__); \
        if (r < 0 || (size_t)r >= len - n) \
            return; \
        n += (size_t)r; \
    } while (0)
    PUT("[%.0f s] ", elapsed < 0 ? 0 : elapsed);
    PUT("%s", names[p->stage > PROGRESS_SHIM_UP ? PROGRESS_SHIM_UP : p->stage]);
    if (p->stage >= PROGRESS_GUEST)
        PUT(" > %s", names[PROGRESS_GUEST]);
    if (p->stage >= PROGRESS_XENBUS)
        PUT(" > %s", names[PROGRESS_XENBUS]);
    if (p->vbds)
        PUT(" > vbd %u/%u", p->vbds_connected, p->vbds);
    if (p->vifs)
        PUT(" > vif %u/%u", p->vifs_connected, p->vifs);
    if (p->stage == PROGRESS_SHUTDOWN)
        PUT(" > %s", p->shutdown);
#undef PUT
}
