// SPDX-License-Identifier: GPL-2.0-only
/* The fake Hyper-V partition of the viridian host tests (see hv-fake.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <shim/log.h>
#include "hv-fake.h"

struct hv_fake fake;
struct percpu host_test_percpu;

static void free_pages(void)
{
    for (unsigned int i = 0; i < fake.nr_pages; i++)
        free(fake.pages[i]);
}

void hv_fake_reset(void)
{
    free_pages();
    memset(&fake, 0, sizeof(fake));
    memset(&hv, 0, sizeof(hv));
    fake.next_vector = 0x30;
}

void hv_fake_full(void)
{
    fake.hypervisor_bit = true;
    memcpy(fake.vendor, "Microsoft Hv", 12);
    fake.max_leaf = 0x4000000a;
    fake.interface = HV_INTERFACE_HV1;
    fake.build = 20348;
    fake.version = 10 << 16 | 0;
    fake.priv_lo = HV_PRIV_REF_COUNTER | HV_PRIV_SYNIC | HV_PRIV_STIMER |
                   HV_PRIV_HYPERCALL_MSRS | HV_PRIV_VP_INDEX | HV_PRIV_REF_TSC |
                   HV_PRIV_FREQUENCY_MSRS;
    fake.priv_hi = HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS;
    fake.features = HV_FEAT_FREQUENCY_MSRS | HV_FEAT_STIMER_DIRECT;
    fake.recommendations = HV_REC_REMOTE_TLB_FLUSH | HV_REC_CLUSTER_IPI |
                           HV_REC_EX_PROCESSOR_MASKS;
    fake.max_vps = 240;
    fake.msr[HV_MSR_TSC_FREQUENCY - HV_FAKE_MSR_BASE] = 2500000000ULL;
    fake.msr[HV_MSR_VP_INDEX - HV_FAKE_MSR_BASE] = 0;
    fake.msr[HV_MSR_SVERSION - HV_FAKE_MSR_BASE] = 1;
}

void *hv_fake_page(paddr_t pa)
{
    uint64_t i = (pa - HV_FAKE_PA_BASE) / PAGE_SIZE;

    if (pa < HV_FAKE_PA_BASE || (pa & (PAGE_SIZE - 1)) || i >= fake.nr_pages)
        fail_msg("%#llx is not a frame of the fake partition", (unsigned long long)pa);
    return fake.pages[i];
}

paddr_t hv_fake_msr_page(uint32_t msr)
{
    return fake.msr[msr - HV_FAKE_MSR_BASE] & PAGE_MASK;
}

int hv_fake_find_write(uint32_t msr, unsigned int from)
{
    for (unsigned int i = from; i < fake.nr_writes; i++)
        if (fake.writes[i].msr == msr)
            return (int)i;
    return -1;
}

unsigned int hv_fake_count_writes(uint32_t msr)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < fake.nr_writes; i++)
        n += fake.writes[i].msr == msr;
    return n;
}

/* ---- hv-arch.h ---------------------------------------------------------- */

struct hv_cpuid hv_arch_cpuid(uint32_t leaf)
{
    struct hv_cpuid r = { 0, 0, 0, 0 };

    switch (leaf) {
    case 1:
        r.c = fake.hypervisor_bit ? (uint32_t)CPUID1_ECX_HYPERVISOR : 0;
        break;
    case HV_CPUID_VENDOR:
        r.a = fake.max_leaf;
        memcpy(&r.b, &fake.vendor[0], 4);
        memcpy(&r.c, &fake.vendor[4], 4);
        memcpy(&r.d, &fake.vendor[8], 4);
        break;
    case HV_CPUID_INTERFACE:
        r.a = fake.interface;
        break;
    case HV_CPUID_VERSION:
        r.a = fake.build;
        r.b = fake.version;
        break;
    case HV_CPUID_FEATURES:
        r.a = fake.priv_lo;
        r.b = fake.priv_hi;
        r.d = fake.features;
        break;
    case HV_CPUID_RECOMMENDATIONS:
        r.a = fake.recommendations;
        break;
    case HV_CPUID_LIMITS:
        r.a = fake.max_vps;
        break;
    default:
        break;
    }
    /* A detector must not trust leaves beyond what 0x40000000 announced. */
    if (leaf > HV_CPUID_VENDOR && leaf < 0x40010000 && leaf > fake.max_leaf)
        fail_msg("CPUID %#x read beyond max leaf %#x", leaf, fake.max_leaf);
    return r;
}

/* The privilege that grants msr; 0 when no known privilege does. */
static uint32_t msr_privilege(uint32_t msr)
{
    if (msr == HV_MSR_GUEST_OS_ID || msr == HV_MSR_HYPERCALL)
        return HV_PRIV_HYPERCALL_MSRS;
    if (msr == HV_MSR_VP_INDEX)
        return HV_PRIV_VP_INDEX;
    if (msr == HV_MSR_TIME_REF_COUNT)
        return HV_PRIV_REF_COUNTER;
    if (msr == HV_MSR_REFERENCE_TSC)
        return HV_PRIV_REF_TSC;
    if (msr == HV_MSR_TSC_FREQUENCY || msr == HV_MSR_APIC_FREQUENCY)
        return HV_PRIV_FREQUENCY_MSRS;
    if (msr >= HV_MSR_SCONTROL && msr <= HV_MSR_SINT0 + 15)
        return HV_PRIV_SYNIC;
    if (msr >= HV_MSR_STIMER0_CONFIG && msr <= HV_MSR_STIMER0_CONFIG + 7)
        return HV_PRIV_STIMER;
    return 0;
}

static uint64_t *msr_slot(uint32_t msr, const char *op)
{
    uint32_t priv = msr_privilege(msr);

    if (!priv || !(fake.priv_lo & priv) || !fake.hypervisor_bit)
        fail_msg("#GP: %s of MSR %#x, which the partition does not grant", op, msr);
    return &fake.msr[msr - HV_FAKE_MSR_BASE];
}

uint64_t hv_arch_rdmsr(uint32_t msr)
{
    uint64_t *slot = msr_slot(msr, "rdmsr");

    fake.nr_reads++;
    return *slot;
}

void hv_arch_wrmsr(uint32_t msr, uint64_t val)
{
    uint64_t *slot = msr_slot(msr, "wrmsr");

    if (fake.nr_writes == HV_FAKE_MAX_LOG)
        fail_msg("too many MSR writes");
    fake.writes[fake.nr_writes].msr = msr;
    fake.writes[fake.nr_writes].val = val;
    fake.nr_writes++;
    if (msr == HV_MSR_HYPERCALL) {
        /* TLFS: the page cannot be enabled while the guest OS id is 0. */
        if ((val & HV_PAGE_MSR_ENABLE) &&
            (fake.hypercall_refuses || !fake.msr[HV_MSR_GUEST_OS_ID - HV_FAKE_MSR_BASE]))
            val &= ~HV_PAGE_MSR_ENABLE;
        if (*slot & HV_HYPERCALL_MSR_LOCKED)
            return;
    }
    if (msr == HV_MSR_VP_INDEX || msr == HV_MSR_TSC_FREQUENCY || msr == HV_MSR_SVERSION ||
        msr == HV_MSR_TIME_REF_COUNT)
        fail_msg("#GP: write to read-only MSR %#x", msr);
    *slot = val;
}

uint64_t hv_arch_rdtsc(void)
{
    uint64_t t = fake.tsc;

    fake.nr_rdtsc++;
    if (fake.on_rdtsc)
        fake.on_rdtsc(&fake);
    return t;
}

void *hv_arch_alloc_page(paddr_t *pa)
{
    void *p;

    if (fake.nr_pages == HV_FAKE_MAX_PAGES)
        fail_msg("fake partition out of frames");
    p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    assert_non_null(p);
    memset(p, 0, PAGE_SIZE);
    *pa = HV_FAKE_PA_BASE + (paddr_t)fake.nr_pages * PAGE_SIZE;
    fake.pages[fake.nr_pages++] = p;
    return p;
}

uint64_t hv_arch_hypercall(void *page, uint64_t control, uint64_t in1, uint64_t in2)
{
    uint64_t msr = fake.msr[HV_MSR_HYPERCALL - HV_FAKE_MSR_BASE];

    /* Without an enabled page, the call instruction would hit zeroes. */
    if (!(msr & HV_PAGE_MSR_ENABLE) || page != hv_fake_page(msr & PAGE_MASK))
        fail_msg("hypercall through %p, but the hypercall MSR is %#llx", page,
                 (unsigned long long)msr);
    if (fake.nr_calls == HV_FAKE_MAX_LOG)
        fail_msg("too many hypercalls");
    fake.calls[fake.nr_calls].control = control;
    fake.calls[fake.nr_calls].in1 = in1;
    fake.calls[fake.nr_calls].in2 = in2;
    fake.nr_calls++;
    if (fake.handler)
        return fake.handler(&fake, control, in1, in2);
    return HV_STATUS_INVALID_HYPERCALL_CODE;
}

int hv_arch_alloc_vector(void (*handler)(void *arg), void *arg)
{
    fake.irq_handler = handler;
    fake.irq_arg = arg;
    return fake.next_vector;
}

unsigned int hv_arch_cpu(void)
{
    return fake.cpu;
}

/* ---- shim/log.h --------------------------------------------------------- */

void log_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(fake.log + fake.log_len, sizeof(fake.log) - fake.log_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        fake.log_len = MIN(fake.log_len + (size_t)n, sizeof(fake.log) - 1);
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fail_msg("shim panic: %s", buf);
    abort();
}
