/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake Hyper-V partition behind shim/platform/viridian/hv-arch.h, for the
 * host tests of the partition core: CPUID answers from a description of the
 * partition, MSRs that raise a test failure (the #GP of real hardware) when
 * the partition does not grant them, a log of every MSR write and
 * hypercall, frames with fake machine addresses, and a TSC the test steers.
 */
#ifndef TESTS_UNIT_HV_FAKE_H
#define TESTS_UNIT_HV_FAKE_H

#include <shim/types.h>
#include <xen/errno.h>
#include "../../shim/platform/viridian/hv-arch.h"
#include "../../shim/platform/viridian/hv-priv.h"

#define HV_FAKE_MSR_BASE   0x40000000u
#define HV_FAKE_NR_MSRS    0x100
#define HV_FAKE_MAX_LOG    512
#define HV_FAKE_MAX_PAGES  64
#define HV_FAKE_PA_BASE    0x7000000ULL     /* fake machine address of frame 0 */

struct hv_fake_write {
    uint32_t msr;
    uint64_t val;
};

struct hv_fake_call {
    uint64_t control, in1, in2;
};

struct hv_fake;
typedef uint64_t hv_fake_handler(struct hv_fake *f, uint64_t control, uint64_t in1, uint64_t in2);

struct hv_fake {
    /* The partition's CPUID. */
    bool hypervisor_bit;
    char vendor[12];
    uint32_t max_leaf, interface, build, version;
    uint32_t priv_lo, priv_hi, features, recommendations, max_vps;

    /* Hyper-V MSRs 0x40000000..0x400000ff. */
    uint64_t msr[HV_FAKE_NR_MSRS];
    bool hypercall_refuses;         /* the enable bit does not stick */
    struct hv_fake_write writes[HV_FAKE_MAX_LOG];
    unsigned int nr_writes;
    unsigned int nr_reads;

    /* Frames handed out by hv_arch_alloc_page. */
    void *pages[HV_FAKE_MAX_PAGES];
    unsigned int nr_pages;

    /* Hypercalls: the handler answers (default: invalid call code). */
    hv_fake_handler *handler;
    struct hv_fake_call calls[HV_FAKE_MAX_LOG];
    unsigned int nr_calls;

    /* The TSC: rdtsc returns tsc, then runs on_rdtsc (may change the page). */
    uint64_t tsc;
    void (*on_rdtsc)(struct hv_fake *f);
    unsigned int nr_rdtsc;

    /* The device vector the SynIC asked for. */
    int next_vector;
    void (*irq_handler)(void *arg);
    void *irq_arg;

    unsigned int cpu;
    char log[16384];
    size_t log_len;
};
extern struct hv_fake fake;

/* Forget everything (the fake and the core's state): no hypervisor at all. */
void hv_fake_reset(void);
/* A partition with every privilege, feature and recommendation the core uses. */
void hv_fake_full(void);
/* The shim mapping of a frame the fake handed out; fails the test otherwise. */
void *hv_fake_page(paddr_t pa);
/* Machine address of the page an MSR (hypercall, SIMP, ...) points at. */
paddr_t hv_fake_msr_page(uint32_t msr);
/* Index in fake.writes of the first write to msr at or after from; -1 if none. */
int hv_fake_find_write(uint32_t msr, unsigned int from);
/* How many writes went to msr. */
unsigned int hv_fake_count_writes(uint32_t msr);

#endif
