// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synthetic timer 0 (TLFS "Timers": "Synthetic Timers"), probed at boot and
 * offered as an alternative to the LAPIC timer (docs/viridian.md says when
 * to prefer it). Only direct mode is driven: the timer raises a vector of
 * the shim's choosing like the LAPIC timer does, with no SynIC message to
 * consume. The count is an absolute partition reference time in 100 ns
 * units; one-shot, with AutoEnable so that writing the count arms it again
 * after it fired (a fired one-shot timer clears its Enable bit).
 */
#include <xen/errno.h>
#include "hv-arch.h"
#include "hv-priv.h"

bool hv_has_stimer(void)
{
    /* Timers count reference time and signal through the SynIC. */
    return hv.present && (hv.caps.priv_lo & HV_PRIV_STIMER) &&
           (hv.caps.priv_lo & HV_PRIV_SYNIC) &&
           (hv.caps.priv_lo & (HV_PRIV_REF_COUNTER | HV_PRIV_REF_TSC));
}

bool hv_has_stimer_direct(void)
{
    return hv_has_stimer() && (hv.caps.features & HV_FEAT_STIMER_DIRECT);
}

int hv_stimer_oneshot(unsigned int vector, uint64_t deadline_100ns)
{
    uint64_t config;

    if (!hv_has_stimer_direct())
        return -XEN_EOPNOTSUPP;
    if (vector < HV_VECTOR_MIN || vector > 0xff)
        return -XEN_EINVAL;
    /* A count of 0 stops the timer; a deadline already past fires at once. */
    if (!deadline_100ns)
        deadline_100ns = 1;
    config = HV_STIMER_AUTO_ENABLE | HV_STIMER_DIRECT_MODE |
             ((uint64_t)vector << HV_STIMER_VECTOR_SHIFT);
    hv_arch_wrmsr(HV_MSR_STIMER0_CONFIG, config);
    hv_arch_wrmsr(HV_MSR_STIMER0_COUNT, deadline_100ns);
    return 0;
}

void hv_stimer_stop(void)
{
    if (!hv_has_stimer_direct())
        return;
    hv_arch_wrmsr(HV_MSR_STIMER0_COUNT, 0);
    hv_arch_wrmsr(HV_MSR_STIMER0_CONFIG, 0);
}
