// SPDX-License-Identifier: GPL-2.0-only
/*
 * Is this a Hyper-V partition the shim can drive? CPUID only: no MSR is
 * touched before the partition is known to grant it (an MSR it does not
 * grant raises #GP). TLFS "Feature and Interface Discovery": the hypervisor
 * bit of leaf 1, the vendor "Microsoft Hv" at 0x40000000 with a max leaf of
 * at least 0x40000005, the "Hv#1" interface at 0x40000001, and the
 * AccessHypercallMsrs privilege at 0x40000003. KVM with Hyper-V
 * enlightenments answers the same way; KVM without them says "KVMKVMKVM",
 * QEMU TCG says nothing or its own vendor, and all of those stay pc.
 */
#include <shim/lib.h>
#include "hv-arch.h"
#include "hv-priv.h"

static const char hv_vendor_microsoft[12] = { 'M', 'i', 'c', 'r', 'o', 's', 'o', 'f', 't', ' ', 'H', 'v' };

enum hv_detect_result hv_detect(struct hv_caps *caps)
{
    struct hv_cpuid r;

    memset(caps, 0, sizeof(*caps));
    if (!(hv_arch_cpuid(1).c & CPUID1_ECX_HYPERVISOR))
        return HV_DETECT_NO_HYPERVISOR;

    r = hv_arch_cpuid(HV_CPUID_VENDOR);
    caps->max_leaf = r.a;
    memcpy(&caps->vendor[0], &r.b, 4);
    memcpy(&caps->vendor[4], &r.c, 4);
    memcpy(&caps->vendor[8], &r.d, 4);
    caps->vendor[12] = '\0';
    if (memcmp(caps->vendor, hv_vendor_microsoft, sizeof(hv_vendor_microsoft)))
        return HV_DETECT_OTHER_VENDOR;
    /* Leaves past max_leaf hold another range's data: the TLFS promises
     * 0x40000005 at least, and the range ends at 0x4000ffff. */
    if (caps->max_leaf < HV_CPUID_MIN_MAX_LEAF || caps->max_leaf > 0x4000ffff)
        return HV_DETECT_FEW_LEAVES;

    caps->interface = hv_arch_cpuid(HV_CPUID_INTERFACE).a;
    if (caps->interface != HV_INTERFACE_HV1)
        return HV_DETECT_NOT_HV1;

    r = hv_arch_cpuid(HV_CPUID_VERSION);
    caps->build = r.a;
    caps->version = r.b;
    r = hv_arch_cpuid(HV_CPUID_FEATURES);
    caps->priv_lo = r.a;
    caps->priv_hi = r.b;
    caps->features = r.d;
    caps->recommendations = hv_arch_cpuid(HV_CPUID_RECOMMENDATIONS).a;
    caps->max_vps = hv_arch_cpuid(HV_CPUID_LIMITS).a;
    if (!(caps->priv_lo & HV_PRIV_HYPERCALL_MSRS))
        return HV_DETECT_NO_HYPERCALL;
    return HV_DETECT_FOUND;
}

const char *hv_detect_reason(enum hv_detect_result r)
{
    switch (r) {
    case HV_DETECT_NO_HYPERVISOR:
        return "no hypervisor";
    case HV_DETECT_OTHER_VENDOR:
        return "hypervisor is not Microsoft Hv";
    case HV_DETECT_FEW_LEAVES:
        return "Microsoft Hv with too few CPUID leaves";
    case HV_DETECT_NOT_HV1:
        return "Microsoft Hv without the Hv#1 interface";
    case HV_DETECT_NO_HYPERCALL:
        return "Hv#1 without AccessHypercallMsrs";
    case HV_DETECT_FOUND:
        return "Hyper-V";
    }
    return "?";
}
