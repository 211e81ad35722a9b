/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest time: the pvclock (vcpu_time_info) and wall clock published in
 * shared_info, and the per-vCPU timers that raise VIRQ_TIMER.
 */
#ifndef SHIM_TIME_H
#define SHIM_TIME_H

#include <shim/domain.h>

/* Compute the pvclock scale and publish time and wall clock for d. */
void time_init_domain(struct domain *d);
/* Refresh v's vcpu_time_info (version protocol: odd while writing). */
void time_update_vcpu(struct vcpu *v);
/* Xen system time: ns since boot, the same value the guest's pvclock computes. */
uint64_t time_now_ns(void);
/* Timer interrupt: fire this CPU's vCPU's expired timers and re-arm. */
void time_interrupt(void);
/* Re-arm this CPU's timer for its vCPU's deadlines (after a kick). */
void time_reprogram_local(void);

/* VCPUOP_set_singleshot_timer and set_timer_op; 0 stops it. */
void time_set_singleshot(struct vcpu *v, uint64_t deadline_ns);
/* VCPUOP_set_periodic_timer; 0 stops it. */
void time_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Make sure the CPU wakes by deadline_ns (SCHEDOP_poll timeouts). */
void time_arm_wakeup(struct vcpu *v, uint64_t deadline_ns);
bool time_vcpu_has_timer(const struct vcpu *v);

/* Account the time spent in the old state and enter new_state (RUNSTATE_*). */
void runstate_change(struct vcpu *v, int new_state);
/* Copy v's runstate to its registered guest area, if any. */
void runstate_publish(struct vcpu *v);

/* Pure pvclock helpers (host-testable). */
void pvclock_scale_from_hz(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);
uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);

#endif
