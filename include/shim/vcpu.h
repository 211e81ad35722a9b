/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Secondary vCPUs: their creation with the domain, VCPUOP_initialise/up/down,
 * and what their CPUs do while the vCPU is not running (shim/vcpu-start.c,
 * hypercalls/vcpu-context.c). All of it with the shim lock held.
 */
#ifndef SHIM_VCPU_H
#define SHIM_VCPU_H

#include <shim/domain.h>

/* Give d n vCPUs: 0 is the boot vCPU, the others start uninitialised and down. */
void domain_init_vcpus(struct domain *d, unsigned int n);

/* VCPUOP_initialise: 0, -EEXIST, -EFAULT or -EINVAL (nothing taken then). */
long vcpu_initialise(struct vcpu *v, guest_va_t ctxt);
/* VCPUOP_up: 0, or -EINVAL when v was never initialised. */
long vcpu_up(struct vcpu *v);
/* VCPUOP_down: 0; taking the last running vCPU down powers the domain off. */
long vcpu_down(struct vcpu *v);

/* On the way back to the guest: while v is down, its CPU waits here. */
void vcpu_park_while_down(struct vcpu *v);
/* A CPU with no running vCPU: wait until vCPU cpu is up, then run it. */
void vcpu_cpu_idle(unsigned int cpu) __noreturn;

#endif
