// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls through the hypercall page (TLFS "Hypercall Interface"): the
 * guest OS identity and the page itself, memory-based, fast and rep calls,
 * and the two message-passing calls the VMBus client needs, HvPostMessage
 * and HvSignalEvent (TLFS "Inter-Partition Communication").
 *
 * Rep calls: the hypervisor may return HV_STATUS_SUCCESS with fewer reps
 * completed than asked (it stopped to let an interrupt in); the caller
 * reissues the call with the rep start index set to the completed count.
 * A result that breaks that rule (more reps than asked, a count going
 * backwards, or no progress again and again) ends the loop with
 * HV_STATUS_SHIM_BAD_RESULT rather than spinning.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "hv-arch.h"
#include "hv-priv.h"

/* Successive successful answers without progress before giving up. */
#define HV_REP_MAX_STALLS 16

int hv_hypercall_setup(void)
{
    uint64_t msr;

    /* The hypercall page cannot be enabled while the guest OS id is 0. */
    hv_arch_wrmsr(HV_MSR_GUEST_OS_ID, HV_GUEST_OS_ID_XENSHIM);
    msr = hv_arch_rdmsr(HV_MSR_HYPERCALL);
    if (msr & HV_HYPERCALL_MSR_LOCKED) {
        /* Someone before the shim locked it to a page the shim does not own. */
        log_warn("viridian: hypercall MSR locked (%#lx)\n", (unsigned long)msr);
        goto fail;
    }
    hv.hypercall_page = hv_arch_alloc_page(&hv.hypercall_pa);
    hv_arch_wrmsr(HV_MSR_HYPERCALL, (msr & HV_PAGE_MSR_KEEP) | hv.hypercall_pa | HV_PAGE_MSR_ENABLE);
    msr = hv_arch_rdmsr(HV_MSR_HYPERCALL);
    if (!(msr & HV_PAGE_MSR_ENABLE) || (msr & PAGE_MASK) != hv.hypercall_pa) {
        log_warn("viridian: hypercall page did not enable (MSR %#lx)\n", (unsigned long)msr);
        goto fail;
    }
    return 0;

fail:
    hv.hypercall_page = NULL;
    hv_arch_wrmsr(HV_MSR_GUEST_OS_ID, 0);
    return -XEN_EIO;
}

uint64_t hv_hypercall(uint64_t control, paddr_t input, paddr_t output)
{
    ASSERT(hv.present);
    /* TLFS: input and output blocks are 8-byte aligned GPAs. */
    if (!IS_ALIGNED(input, 8) || !IS_ALIGNED(output, 8))
        return HV_STATUS_INVALID_ALIGNMENT;
    return hv_arch_hypercall(hv.hypercall_page, control & ~HV_CTL_FAST, input, output);
}

uint64_t hv_hypercall_fast(uint64_t control, uint64_t in1, uint64_t in2)
{
    ASSERT(hv.present);
    return hv_arch_hypercall(hv.hypercall_page, control | HV_CTL_FAST, in1, in2);
}

uint64_t hv_hypercall_rep(uint64_t control, paddr_t input, paddr_t output,
                          uint16_t rep_count)
{
    unsigned int start = 0, done, stalls = 0;
    uint64_t r;

    if (rep_count > HV_CTL_REP_MAX)
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    control &= ~(HV_CTL_REP_COUNT_MASK | HV_CTL_REP_START_MASK);
    control |= (uint64_t)rep_count << HV_CTL_REP_COUNT_SHIFT;
    for (;;) {
        r = hv_hypercall(control | ((uint64_t)start << HV_CTL_REP_START_SHIFT), input, output);
        if (hv_result_status(r) != HV_STATUS_SUCCESS)
            return r;
        done = hv_result_reps(r);
        if (done == rep_count)
            return r;
        if (done > rep_count || done < start)
            break;
        stalls = done == start ? stalls + 1 : 0;
        if (stalls > HV_REP_MAX_STALLS)
            break;
        start = done;
    }
    log_warn("viridian: rep call %#x: %u of %u reps done after start %u\n",
             (unsigned int)(control & 0xffff), done, rep_count, start);
    return (r & ~0xffffULL) | HV_STATUS_SHIM_BAD_RESULT;
}

/* The calling CPU's hypercall input page (hv_init or hv_cpu_online made it). */
static struct hv_cpu *hv_this_cpu(void)
{
    unsigned int cpu = hv_arch_cpu();

    ASSERT(cpu < PCPU_MAX_CPUS && hv.cpu[cpu].input);
    return &hv.cpu[cpu];
}

int hv_post_message(uint32_t connection_id, uint32_t msg_type,
                    const void *payload, uint32_t len)
{
    struct hv_cpu *c;
    struct hv_post_message_input *in;
    uint16_t status;

    ASSERT(hv.present);
    /* TLFS: a message type is non-zero; the high bit is the hypervisor's. */
    if (len > HV_MESSAGE_PAYLOAD_BYTES || !msg_type || (msg_type & BIT(31)))
        return -XEN_EINVAL;
    c = hv_this_cpu();
    in = c->input;
    memset(in, 0, sizeof(*in));
    in->connection_id = connection_id;
    in->message_type = msg_type;
    in->payload_size = len;
    if (len)
        memcpy(in->payload, payload, len);
    status = hv_result_status(hv_hypercall(hv_control(HVCALL_POST_MESSAGE, false, 0, 0, 0),
                                           c->input_pa, 0));
    switch (status) {
    case HV_STATUS_SUCCESS:
        return 0;
    case HV_STATUS_INSUFFICIENT_MEMORY:
    case HV_STATUS_INSUFFICIENT_BUFFERS:
        return -XEN_EAGAIN;     /* the host's message buffers are full for now */
    default:
        log_warn("viridian: HvPostMessage to %#x: status %#x\n", connection_id, status);
        return -XEN_EIO;
    }
}

int hv_signal_event(uint32_t connection_id, uint16_t flag_number)
{
    uint16_t status;

    ASSERT(hv.present);
    status = hv_result_status(hv_hypercall_fast(hv_control(HVCALL_SIGNAL_EVENT, true, 0, 0, 0),
                                                hv_signal_event_input(connection_id, flag_number), 0));
    if (status == HV_STATUS_SUCCESS)
        return 0;
    log_warn("viridian: HvSignalEvent %#x flag %u: status %#x\n", connection_id, flag_number, status);
    return -XEN_EIO;
}
