/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Viridian (Hyper-V) partition interface as the rest of the shim sees
 * it (shim/platform/viridian/hv-*.c). Facts come from Microsoft's Hypervisor
 * Top-Level Functional Specification (TLFS).
 *
 * Detection is at boot: when CPUID 0x40000000 names "Microsoft Hv" and
 * leaf 0x40000003 grants the MSRs used here, hv_init() sets the guest OS
 * identity, enables the hypercall page and (when offered) the SynIC, the
 * reference TSC page and the synthetic timers. Everywhere else the pc
 * platform runs unchanged: every hv_* call below is only made after
 * hv_present() returned true.
 *
 * Context: boot CPU; interrupts off (the SINT handlers run from the shim's
 * interrupt entry with interrupts off). Not reentrant.
 */
#ifndef PLAT_HYPERV_H
#define PLAT_HYPERV_H

#include <shim/types.h>

/*
 * Probe CPUID and, when Hyper-V is there, set it up. Idempotent. Logs one
 * "platform: ..." line saying what was detected, and why not when not.
 */
bool hv_init(void);
/* hv_init() found Hyper-V and enabled the hypercall page. */
bool hv_present(void);
/* Features the partition was granted (TLFS "partition privileges"). */
bool hv_has_synic(void);
bool hv_has_ref_tsc_page(void);
bool hv_has_stimer(void);

/*
 * Bring up a CPU other than the boot CPU (SMP): read its VP index and give
 * it a hypercall input page. Runs on that CPU, before it sends IPIs or
 * flushes. 0, or -XEN_EOPNOTSUPP when Hyper-V is absent.
 */
int hv_cpu_online(void);

/*
 * Hypercalls. control is the TLFS hypercall input value (call code, fast
 * bit, rep count and start index); the return is the TLFS result value
 * (status in bits 15:0, reps completed in 43:32). hv_hypercall_rep repeats
 * a rep call from the returned start index until every element is done or
 * a status other than HV_STATUS_SUCCESS comes back, and returns that.
 */
uint64_t hv_hypercall(uint64_t control, paddr_t input, paddr_t output);
uint64_t hv_hypercall_fast(uint64_t control, uint64_t in1, uint64_t in2);
uint64_t hv_hypercall_rep(uint64_t control, paddr_t input, paddr_t output,
                          uint16_t rep_count);

/*
 * HvPostMessage to connection_id: payload of len bytes (<= 240), message
 * type msg_type. 0, -XEN_EINVAL for len > 240, -XEN_EAGAIN when the host's
 * buffers are full (retry), or -XEN_EIO for any other status.
 */
int hv_post_message(uint32_t connection_id, uint32_t msg_type,
                    const void *payload, uint32_t len);
/* HvSignalEvent (fast): 0 or -XEN_EIO. */
int hv_signal_event(uint32_t connection_id, uint16_t flag_number);

/*
 * SynIC. Each SINT (0..15) has a slot in the message page and a 2048-bit
 * event-flag array in the event page. A registered handler runs when its
 * SINT's interrupt arrives (and may be polled with hv_synic_poll at boot,
 * before interrupts are usable).
 */
#define HV_SINT_COUNT 16
#define HV_MESSAGE_PAYLOAD_BYTES 240

struct hv_message_view {
    uint32_t type;          /* 0: the slot is empty */
    uint32_t len;           /* payload bytes, <= HV_MESSAGE_PAYLOAD_BYTES */
    const void *payload;
};

void hv_synic_set_handler(unsigned int sint, void (*fn)(void *arg), void *arg);
/* The message waiting in sint's slot (type 0 when none). */
struct hv_message_view hv_synic_message(unsigned int sint);
/* Free sint's slot and tell the hypervisor when more messages are pending (EOM). */
void hv_synic_message_done(unsigned int sint);
/* sint's event flags: 2048 bits, set by the host, cleared by the consumer. */
volatile uint64_t *hv_synic_event_flags(unsigned int sint);
/* Run the handler of every SINT that has a message or a flag waiting. */
void hv_synic_poll(void);

/*
 * Time: the reference counter (100 ns units) from the TSC page when the
 * partition has one, from the reference-counter MSR otherwise.
 */
uint64_t hv_ref_time_100ns(void);
/*
 * The TSC frequency the hypervisor states (HV_X64_MSR_TSC_FREQUENCY), when
 * the partition has AccessFrequencyMsrs and the feature is offered: true
 * and *hz. False (and *hz untouched) otherwise: calibrate as on pc.
 */
bool hv_tsc_hz(uint64_t *hz);

/*
 * Synthetic timer 0 as an alternative to the LAPIC timer (docs/viridian.md):
 * one-shot in direct mode, raising vector at reference time deadline_100ns.
 * 0, or -XEN_EOPNOTSUPP without stimer access or direct mode, -XEN_EINVAL
 * for a vector below 16.
 */
bool hv_has_stimer_direct(void);
int hv_stimer_oneshot(unsigned int vector, uint64_t deadline_100ns);
void hv_stimer_stop(void);

/*
 * The SMP fast path: an IPI of vector to, or a TLB flush (every address
 * space, global entries too) on, every shim CPU in cpu_mask (bit n = CPU n).
 * 0; -XEN_EOPNOTSUPP when the partition is not offered the call (or a
 * target's VP index is unknown or beyond what the call can name): the
 * caller falls back to the LAPIC; -XEN_EINVAL for a vector below 16 or a
 * CPU the shim does not have; -XEN_EIO when the hypervisor refused.
 */
int hv_send_ipi(unsigned int vector, uint64_t cpu_mask);
int hv_flush_tlb(uint64_t cpu_mask);

#endif
