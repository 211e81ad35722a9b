/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one-line boot progress of `xenshim run` and `xenshim certify`:
 * console lines in, a short status line out (shim up > guest started >
 * xenbus > vbd n/N > vif n/N). Pure functions, unit-tested; the console
 * relay (console.c) draws the line on stderr.
 */
#ifndef XENSHIM_PROGRESS_H
#define XENSHIM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

enum progress_stage {
    PROGRESS_QEMU,      /* QEMU started, no shim output yet */
    PROGRESS_SHIM_UP,   /* "(xenshim) xenshim starting ..." */
    PROGRESS_GUEST,     /* "(xenshim) starting the guest" */
    PROGRESS_XENBUS,    /* the guest talks to xenstore */
    PROGRESS_SHUTDOWN,  /* "(xenshim) guest shutdown: <reason>" */
};

struct progress {
    enum progress_stage stage;
    unsigned int vbds, vbds_connected;  /* backends the shim attached / connected */
    unsigned int vifs, vifs_connected;
    char shutdown[24];                  /* the shutdown reason, "" before */
};

/*
 * Feed one console line (without the newline; '\r' ignored) to p.
 * Recognised shim lines (shim/, pvdrivers/ log_info):
 *   "(xenshim) xenshim starting"          shim up
 *   "(xenshim) starting the guest"        guest started
 *   "(xenshim) xenstore: guest connected" xenbus (also implied by the guest's
 *                                         "xenbus_probe" lines and by any
 *                                         backend reaching Connected)
 *   "(xenshim) blkback: <vdev> (vbd"      one more vbd attached
 *   "(xenshim) blkback <vdev>: connected" one more vbd connected
 *   "(xenshim) netback: vif<i> on"        one more vif attached
 *   "(xenshim) netback vif<i>: connected" one more vif connected
 *   "(xenshim) guest shutdown: <reason>"  the end
 * Returns true if the displayed state changed.
 */
bool progress_feed(struct progress *p, const char *line);

/*
 * The status line for p after `elapsed` seconds, e.g.
 * "[12 s] shim up > guest started > xenbus > vbd 1/1 > vif 0/1".
 * Always NUL-terminated; truncated to len.
 */
void progress_render(const struct progress *p, double elapsed, char *buf, size_t len);

#endif
