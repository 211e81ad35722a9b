// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bring-up of the Viridian (Hyper-V) partition core, called by the pc
 * platform's plat_time_init before it calibrates: detect (CPUID only), set
 * the guest OS identity and the hypercall page, then the boot CPU's VP
 * index and input page, the reference TSC page and the SynIC, as far as
 * the partition grants them. Anything short of a working hypercall page
 * leaves the machine a plain pc: nothing else is touched. Either way one
 * "platform:" line in the log says what was found.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "hv-arch.h"
#include "hv-priv.h"

struct hv_partition hv;

/* The vendor string for the log, with anything unprintable replaced. */
static void hv_vendor_printable(char *out, const char *vendor)
{
    for (unsigned int i = 0; i < 12; i++)
        out[i] = vendor[i] >= 0x20 && vendor[i] < 0x7f ? vendor[i] : '?';
    out[12] = '\0';
}

static int hv_cpu_setup(unsigned int cpu)
{
    struct hv_cpu *c;

    if (cpu >= PCPU_MAX_CPUS)
        return -XEN_EINVAL;
    c = &hv.cpu[cpu];
    c->vp_index = HV_VP_INDEX_UNKNOWN;
    if (hv.caps.priv_lo & HV_PRIV_VP_INDEX)
        c->vp_index = (uint32_t)hv_arch_rdmsr(HV_MSR_VP_INDEX);
    if (!c->input)
        c->input = hv_arch_alloc_page(&c->input_pa);
    return 0;
}

int hv_cpu_online(void)
{
    if (!hv.present)
        return -XEN_EOPNOTSUPP;
    return hv_cpu_setup(hv_arch_cpu());
}

/*
 * A call code the TLFS reserves: a working hypercall page answers
 * HV_STATUS_INVALID_HYPERCALL_CODE and changes nothing. The log line is the
 * evidence the KVM run (tests/e2e/viridian.sh) looks for.
 */
static void hv_hypercall_probe(void)
{
    uint16_t status = hv_result_status(hv_hypercall_fast(hv_control(0, true, 0, 0, 0), 0, 0));

    if (status == HV_STATUS_INVALID_HYPERCALL_CODE)
        log_info("viridian: hypercall page works (probe status %#x)\n", status);
    else
        log_warn("viridian: hypercall probe answered status %#x, not %#x\n",
                 status, HV_STATUS_INVALID_HYPERCALL_CODE);
}

static void hv_log_found(void)
{
    const struct hv_caps *c = &hv.caps;
    uint64_t tsc_hz = 0;
    uint32_t vp = hv.cpu[hv_arch_cpu()].vp_index;

    log_info("platform: viridian (Hyper-V %u.%u build %u; privileges %#x:%#x, "
             "features %#x, recommendations %#x, max VPs %u)\n",
             c->version >> 16, c->version & 0xffff, c->build, c->priv_lo, c->priv_hi,
             c->features, c->recommendations, c->max_vps);
    hv_tsc_hz(&tsc_hz);
    log_info("viridian: hypercall page %#lx, VP index %d, SynIC %s, reference TSC page %s, "
             "reference counter %s, TSC %lu Hz%s, stimer %s, IPI/flush hypercalls %s/%s\n",
             (unsigned long)hv.hypercall_pa, vp == HV_VP_INDEX_UNKNOWN ? -1 : (int)vp,
             hv.synic_on ? "on" : "off", hv.tsc_page ? "on" : "off",
             c->priv_lo & HV_PRIV_REF_COUNTER ? "yes" : "no",
             (unsigned long)tsc_hz, tsc_hz ? " (stated)" : " (to calibrate)",
             hv_has_stimer_direct() ? "direct" : hv_has_stimer() ? "message mode only" : "no",
             c->recommendations & HV_REC_CLUSTER_IPI ? "yes" : "no",
             c->recommendations & HV_REC_REMOTE_TLB_FLUSH ? "yes" : "no");
    if (!hv.tsc_page && !(c->priv_lo & HV_PRIV_REF_COUNTER))
        log_warn("viridian: no reference time source granted\n");
}

bool hv_init(void)
{
    char vendor[13];

    if (hv.initialised)
        return hv.present;
    hv.initialised = true;
    hv.detect = hv_detect(&hv.caps);
    if (hv.detect != HV_DETECT_FOUND) {
        if (hv.detect == HV_DETECT_NO_HYPERVISOR) {
            log_info("platform: pc (no hypervisor CPUID leaves)\n");
        } else {
            hv_vendor_printable(vendor, hv.caps.vendor);
            log_info("platform: pc (CPUID 0x40000000 \"%s\": %s)\n", vendor,
                     hv_detect_reason(hv.detect));
        }
        return false;
    }
    if (hv_hypercall_setup()) {
        log_info("platform: pc (Hyper-V, but its hypercall page would not enable)\n");
        return false;
    }
    hv.present = true;
    /* A CPU not yet online has no VP index: no IPI or flush may name it. */
    for (unsigned int cpu = 0; cpu < PCPU_MAX_CPUS; cpu++)
        hv.cpu[cpu].vp_index = HV_VP_INDEX_UNKNOWN;
    hv_cpu_setup(hv_arch_cpu());
    hv_time_setup();
    hv_synic_setup();
    hv_log_found();
    hv_hypercall_probe();
    return true;
}

bool hv_present(void)
{
    return hv.present;
}
