/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI (contract section 5.1): pending and mask
 * bitmaps in shared_info, a selector word and upcall flag per vCPU.
 */
#ifndef SHIM_EVTCHN_H
#define SHIM_EVTCHN_H

#include <shim/domain.h>

/* Allocate a free port (> 0) in state ECS_FREE; -XEN_ENOSPC when full. */
int evtchn_alloc(struct domain *d);
/* Mark port pending and raise the upcall on its vCPU if unmasked. */
void evtchn_set_pending(struct domain *d, evtchn_port_t port);
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
bool evtchn_is_pending(const struct domain *d, evtchn_port_t port);
void evtchn_clear_pending(struct domain *d, evtchn_port_t port);
void evtchn_unmask(struct domain *d, evtchn_port_t port);
/* A port already connected to a shim backend (console, xenstore). */
int evtchn_alloc_backend_port(struct domain *d, enum evtchn_backend backend);

/* The guest notified a shim backend (EVTCHNOP_send on its port); instance
 * is the port's backend_idx. */
void backend_notify(struct domain *d, enum evtchn_backend backend, unsigned int instance);

#endif
