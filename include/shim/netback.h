/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netback: the in-shim backend of the guest's xen-netfront (pvdrivers/
 * netback*.c). One vif per vif= token of the shim command line, each on one
 * NIC of the network provider (plat/net.h). The xenstore handshake is the
 * one libxl + Linux netback perform (contract 7.4, 7.6); the rings are
 * netif (contract 9.1, 9.3), one queue, rx-copy only. Transmits go to the
 * provider straight from the granted guest frames (zero copy); received
 * frames are copied into the guest's rx grants.
 *
 * Context: everything runs on the guest's one CPU with interrupts off: the
 * hypercall that notified a port (EVTCHNOP_send), xenstore watch callbacks,
 * and the provider's callbacks (device interrupt or plat_net_poll). These
 * never nest, so netback needs no lock.
 */
#ifndef SHIM_NETBACK_H
#define SHIM_NETBACK_H

#include <shim/boot-info.h>
#include <shim/domain.h>

#define NETBACK_MAX_VIFS SHIM_MAX_VIFS

/*
 * Create one vif per vifs[i] and publish its frontend and backend
 * directories in d's xenstore (backend in InitWait). Call once, after the
 * domain is built (d->xs exists) and before the guest runs. A token naming
 * a NIC the provider does not have is a configuration error: panic with its
 * text. n == 0 attaches nothing.
 */
void netback_init(struct domain *d, const struct shim_vif *vifs, unsigned int n);

/* The guest notified an event channel of vif `instance` (backend_notify). */
void netback_notify(struct domain *d, unsigned int instance);

#endif
