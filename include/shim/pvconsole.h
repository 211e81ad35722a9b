/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's PV console ring, served by the shim (pvdrivers/console.c). */
#ifndef SHIM_PVCONSOLE_H
#define SHIM_PVCONSOLE_H

#include <shim/domain.h>

/* Drain the guest's output ring to the platform console; notify if needed. */
void pvconsole_service(struct domain *d);
/* Same, for the last words before the machine stops. */
void pvconsole_flush(struct domain *d);

#endif
