/* SPDX-License-Identifier: GPL-2.0-only */
/* Blocking a vCPU until an event arrives (one vCPU per machine CPU). */
#ifndef SHIM_SCHED_H
#define SHIM_SCHED_H

#include <shim/domain.h>

/* Wait with interrupts enabled until an upcall is pending for v. */
void vcpu_block(struct vcpu *v);
/* SCHEDOP_poll: wait for one of the ports to be pending, or the timeout. */
long sched_poll(struct vcpu *v, const struct sched_poll *p);

#endif
