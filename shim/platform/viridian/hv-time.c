// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partition reference time (TLFS "Timers": "Partition Reference Counter"
 * and "Partition Reference TSC Mechanism"), in 100 ns units. The reference
 * TSC page gives scale and offset so that
 *     time = ((tsc * scale) >> 64) + offset
 * is read without a VM exit; the hypervisor bumps the page's sequence
 * number around every update, and a sequence of 0 means the page cannot
 * be used now (e.g. after a migration to a host with another TSC rate):
 * then the reference counter MSR answers, at the cost of an exit.
 * The TSC frequency comes from HV_X64_MSR_TSC_FREQUENCY where the partition
 * may read it; otherwise pc calibrates against the PIT as always.
 */
#include <shim/log.h>
#include "hv-arch.h"
#include "hv-priv.h"

/* Reads that see the sequence change before falling back to the MSR. */
#define HV_TSC_PAGE_TRIES 64
/* A stated TSC frequency outside this range is not believed. */
#define HV_TSC_HZ_MIN 1000000ULL            /* 1 MHz */
#define HV_TSC_HZ_MAX 100000000000ULL       /* 100 GHz */

uint64_t hv_tsc_page_scale(uint64_t tsc, uint64_t scale, int64_t offset)
{
    /* The 64x64 -> 128 multiply keeps the high half, as the TLFS defines. */
    return (uint64_t)(((unsigned __int128)tsc * scale) >> 64) + (uint64_t)offset;
}

bool hv_tsc_page_read(const volatile struct hv_ref_tsc_page *p, uint64_t *t100ns)
{
    for (unsigned int i = 0; i < HV_TSC_PAGE_TRIES; i++) {
        uint32_t seq = p->sequence;
        uint64_t scale, tsc;
        int64_t offset;

        if (seq == HV_REF_TSC_SEQUENCE_INVALID)
            return false;
        /* x86 keeps loads in order; barrier() keeps the compiler from
         * moving scale and offset before the sequence load. */
        barrier();
        scale = p->scale;
        offset = p->offset;
        tsc = hv_arch_rdtsc();      /* ordered after the loads above */
        barrier();
        if (p->sequence == seq) {
            *t100ns = hv_tsc_page_scale(tsc, scale, offset);
            return true;
        }
    }
    return false;
}

uint64_t hv_ref_time_100ns(void)
{
    uint64_t t;

    if (hv.tsc_page && hv_tsc_page_read(hv.tsc_page, &t))
        return t;
    if (hv.caps.priv_lo & HV_PRIV_REF_COUNTER)
        return hv_arch_rdmsr(HV_MSR_TIME_REF_COUNT);
    return 0;       /* neither granted: hv_init logged it */
}

bool hv_tsc_hz(uint64_t *hz)
{
    uint64_t f;

    if (!hv.present || !(hv.caps.priv_lo & HV_PRIV_FREQUENCY_MSRS) ||
        !(hv.caps.features & HV_FEAT_FREQUENCY_MSRS))
        return false;
    f = hv_arch_rdmsr(HV_MSR_TSC_FREQUENCY);
    if (f < HV_TSC_HZ_MIN || f > HV_TSC_HZ_MAX) {
        log_warn("viridian: TSC frequency MSR says %lu Hz; calibrating instead\n",
                 (unsigned long)f);
        return false;
    }
    *hz = f;
    return true;
}

void hv_time_setup(void)
{
    paddr_t pa;
    void *page;
    uint64_t msr;

    if (!(hv.caps.priv_lo & HV_PRIV_REF_TSC))
        return;
    page = hv_arch_alloc_page(&pa);
    msr = hv_arch_rdmsr(HV_MSR_REFERENCE_TSC);
    hv_arch_wrmsr(HV_MSR_REFERENCE_TSC, (msr & HV_PAGE_MSR_KEEP) | pa | HV_PAGE_MSR_ENABLE);
    hv.tsc_page = page;
}

bool hv_has_ref_tsc_page(void)
{
    return hv.tsc_page != NULL;
}
