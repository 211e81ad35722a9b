// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPUID the guest kernel sees through the forced-emulation prefix
 * (contract 3.9): the machine's leaves minus what a PV guest cannot use,
 * plus the Xen leaves at 0x40000000 and no other hypervisor's signature.
 * Linux only detects Xen (and maps shared_info) if the signature is there.
 */
#include <arch/traps.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/lib.h>

#define XEN_LEAF_BASE      0x40000000u
#define XEN_LEAF_MAX       0x40000005u
#define XEN_SIG_EBX        0x566e6558u  /* "XenV" */
#define XEN_SIG_ECX        0x65584d4du  /* "MMXe" */
#define XEN_SIG_EDX        0x4d4d566eu  /* "nVMM" */

/* Leaf 1 ECX/EDX bits hidden from a PV guest ('S'/'H' in Xen's featureset). */
#define L1_ECX_HIDE  (BIT(3) /*monitor*/ | BIT(5) /*vmx*/ | BIT(6) /*smx*/ | \
                      BIT(7) /*est*/ | BIT(8) /*tm2*/ | BIT(15) /*pdcm*/ | \
                      BIT(17) /*pcid*/ | BIT(18) /*dca*/ | BIT(21) /*x2apic*/ | \
                      BIT(24) /*tsc_deadline*/ | BIT(27) /*osxsave*/)
#define L1_EDX_HIDE  (BIT(1) /*vme*/ | BIT(3) /*pse*/ | BIT(12) /*mtrr*/ | \
                      BIT(13) /*pge*/ | BIT(17) /*pse36*/ | BIT(21) /*ds*/ | \
                      BIT(22) /*acpi*/ | BIT(29) /*tm*/ | BIT(31) /*pbe*/)
/* Leaf 7.0 EBX/ECX: fsgsbase (bases must not change behind the shim), smep,
 * invpcid, smap, pku/ospke, umip, la57 and the rest of what PV cannot use. */
#define L7_EBX_HIDE  (BIT(0) /*fsgsbase*/ | BIT(1) /*tsc_adjust*/ | BIT(7) /*smep*/ | \
                      BIT(10) /*invpcid*/ | BIT(12) /*rdt-m*/ | BIT(15) /*rdt-a*/ | \
                      BIT(20) /*smap*/ | BIT(25) /*pt*/)
#define L7_ECX_HIDE  (BIT(2) /*umip*/ | BIT(3) /*pku*/ | BIT(4) /*ospke*/ | \
                      BIT(16) /*la57*/ | BIT(22) /*rdpid*/)
#define X1_ECX_HIDE  (BIT(2) /*svm*/ | BIT(3) /*extapic*/ | BIT(9) /*osvw*/ | \
                      BIT(10) /*ibs*/ | BIT(19) /*nodeid*/ | BIT(22) /*topoext*/)
#define X1_EDX_HIDE  (BIT(26) /*page1gb*/)

static void xen_leaves(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    uint32_t a, b, c, d;

    memset(r, 0, 4 * sizeof(uint32_t));
    switch (leaf) {
    case 0x40000000:
        r[0] = XEN_LEAF_MAX;
        r[1] = XEN_SIG_EBX;
        r[2] = XEN_SIG_ECX;
        r[3] = XEN_SIG_EDX;
        break;
    case 0x40000001:
        r[0] = (4 << 16) | 17;      /* Xen 4.17, as xen_version reports */
        break;
    case 0x40000002:
        r[0] = 1;                   /* one hypercall page */
        r[1] = 0x40000000;          /* hypercall-page MSR (not offered to PV) */
        r[2] = 1;                   /* XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD */
        break;
    case 0x40000003:
        if (sub == 0) {
            r[2] = (uint32_t)(plat_tsc_hz() / 1000);   /* TSC kHz, native mode */
        } else if (sub == 2) {
            r[0] = (uint32_t)(plat_tsc_hz() / 1000);
        }
        break;
    case 0x40000005:
        /* Machine address width; <= 44 keeps Linux on grant tables v1. */
        cpuid_count(0x80000008, 0, &a, &b, &c, &d);
        r[1] = MIN(a & 0xff, 44u);
        break;
    }
}

void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    if ((leaf & 0xf0000000u) == 0x40000000u) {
        /* Only Xen's base; no other hypervisor's leaves are visible. */
        if (leaf <= XEN_LEAF_MAX)
            xen_leaves(leaf, sub, r);
        else
            memset(r, 0, 4 * sizeof(uint32_t));
        return;
    }
    cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
    switch (leaf) {
    case 1:
        r[2] &= ~(uint32_t)L1_ECX_HIDE;
        r[2] |= BIT(31);                        /* hypervisor present */
        /* XSAVE is usable only if the shim turned OSXSAVE on (it does when present). */
        if (read_cr4() & X86_CR4_OSXSAVE)
            r[2] |= BIT(27);
        else
            r[2] &= ~(uint32_t)BIT(26);
        r[3] &= ~(uint32_t)L1_EDX_HIDE;
        r[1] &= 0x0000ffffu;                    /* one logical CPU, APIC ID 0 */
        r[1] |= 1u << 16;
        break;
    case 5: case 6: case 0xa:                   /* mwait, power, PMU: none */
        memset(r, 0, 4 * sizeof(uint32_t));
        break;
    case 7:
        if (sub == 0) {
            r[1] &= ~(uint32_t)L7_EBX_HIDE;
            r[2] &= ~(uint32_t)L7_ECX_HIDE;
        }
        break;
    case 0x80000001:
        r[2] &= ~(uint32_t)X1_ECX_HIDE;
        r[3] &= ~(uint32_t)X1_EDX_HIDE;
        break;
    }
}
