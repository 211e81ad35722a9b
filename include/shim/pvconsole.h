/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's PV console ring, served by the shim (pvdrivers/console.c). */
#ifndef SHIM_PVCONSOLE_H
#define SHIM_PVCONSOLE_H

#include <shim/domain.h>

/* Drain the guest's output ring to the platform console; notify if needed. */
void pvconsole_service(struct domain *d);
/* Move waiting console input into the guest's input ring. */
void pvconsole_poll_input(struct domain *d);
/* How often the shim looks for console input (no UART interrupt yet). */
#define PVCONSOLE_POLL_NS 20000000ULL
/* Same, for the last words before the machine stops. */
void pvconsole_flush(struct domain *d);

#endif
