/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the files of the Viridian partition core (hv-*.c). One
 * instance, written by hv_init() on the boot CPU before interrupts are on
 * and read-only afterwards, except where a field says otherwise.
 */
#ifndef VIRIDIAN_HV_PRIV_H
#define VIRIDIAN_HV_PRIV_H

#include <arch/percpu.h>
#include <plat/hyperv.h>
#include "hv-tlfs.h"

/* What CPUID said (hv-detect.c). */
struct hv_caps {
    char vendor[13];            /* leaf 0x40000000 EBX:ECX:EDX, NUL-terminated */
    uint32_t max_leaf;
    uint32_t interface;         /* leaf 0x40000001 EAX */
    uint32_t build;             /* leaf 0x40000002 */
    uint32_t version;           /* major << 16 | minor */
    uint32_t priv_lo, priv_hi;  /* leaf 0x40000003 EAX, EBX */
    uint32_t features;          /* leaf 0x40000003 EDX */
    uint32_t recommendations;   /* leaf 0x40000004 EAX */
    uint32_t max_vps;           /* leaf 0x40000005 EAX */
};

enum hv_detect_result {
    HV_DETECT_NO_HYPERVISOR,    /* CPUID.1:ECX[31] clear */
    HV_DETECT_OTHER_VENDOR,     /* a hypervisor, but not "Microsoft Hv" */
    HV_DETECT_FEW_LEAVES,       /* "Microsoft Hv", max leaf outside 0x40000005..0x4000ffff */
    HV_DETECT_NOT_HV1,          /* "Microsoft Hv" without the Hv#1 interface */
    HV_DETECT_NO_HYPERCALL,     /* Hv#1 without AccessHypercallMsrs */
    HV_DETECT_FOUND,
};

#define HV_VP_INDEX_UNKNOWN 0xffffffffu

struct hv_cpu {
    uint32_t vp_index;          /* HV_VP_INDEX_UNKNOWN until hv_cpu_online */
    void *input;                /* this CPU's hypercall input page */
    paddr_t input_pa;
};

struct hv_partition {
    bool initialised, present;
    enum hv_detect_result detect;
    struct hv_caps caps;
    void *hypercall_page;
    paddr_t hypercall_pa;
    struct hv_cpu cpu[PCPU_MAX_CPUS];

    struct hv_ref_tsc_page *tsc_page;   /* NULL: not granted or not enabled */

    /* SynIC (boot CPU). */
    bool synic_on;
    int synic_vector;
    struct hv_message_page *simp;
    struct hv_event_flags_page *siefp;
    struct {
        void (*fn)(void *arg);
        void *arg;
        struct hv_message copy;     /* the message hv_synic_message last returned */
    } sint[HV_SINT_COUNT];
    /* Counters, for the log (interrupt context only): slots read, slots dropped. */
    uint64_t msgs_read, msgs_dropped;
};
extern struct hv_partition hv;

/* hv-detect.c: read CPUID into *caps and judge it. */
enum hv_detect_result hv_detect(struct hv_caps *caps);
const char *hv_detect_reason(enum hv_detect_result r);

/* hv-hypercall.c: enable the hypercall page (guest OS id first). 0 or -XEN_EIO. */
int hv_hypercall_setup(void);

/* hv-time.c, hv-synic.c: bring up what the partition granted (boot CPU). */
void hv_time_setup(void);
void hv_synic_setup(void);

/* The reference TSC page read, for tests: false when the page is invalid
 * (sequence 0) or kept changing; *t100ns otherwise. */
bool hv_tsc_page_read(const volatile struct hv_ref_tsc_page *p, uint64_t *t100ns);
/* ((tsc * scale) >> 64) + offset, the TLFS formula. */
uint64_t hv_tsc_page_scale(uint64_t tsc, uint64_t scale, int64_t offset);

#endif
