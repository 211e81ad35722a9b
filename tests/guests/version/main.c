// SPDX-License-Identifier: GPL-2.0-only
/*
 * version: xen_version sub-ops, unknown hypercalls and the Xen CPUID
 * leaves, made through the hypercall page (this guest declares the
 * HYPERCALL_PAGE note) and, for comparison, through a bare `syscall`.
 *
 * Expected values (xen/common/kernel.c do_xen_version; contract 2.3):
 *  - XENVER_version: (major << 16) | minor, major >= 3.
 *  - XENVER_extraversion: 0, a NUL-terminated string in 16 bytes.
 *  - XENVER_capabilities: 0, contains "xen-3.0-x86_64".
 *  - XENVER_platform_parameters: 0, virt_start = HYPERVISOR_VIRT_START
 *    (release builds; 4.17 always; a debug master build reports 0).
 *  - XENVER_get_features submap 0: 0, has mmu_pt_update_preserve_ad (5)
 *    and gnttab_map_avail_bits (7) (Linux panics without them), lacks
 *    auto_translated_physmap (2); submap 1: -EINVAL.
 *  - unknown sub-op: -ENOSYS (the switch's fall-through).
 *  - unknown hypercall number: -ENOSYS (call_handlers_pv64 default).
 *  - forced-emulation CPUID (xen/arch/x86/pv/emul-inv-op.c): leaf
 *    0x40000000 = "XenVMMXenVMM" with eax >= 0x40000002, leaf 0x40000001
 *    eax = XENVER_version (xen/arch/x86/cpuid.c cpuid_hypervisor_leaves).
 */
#include "guest.h"

TEST_DESC("version", "xen_version, unknown hypercalls, Xen CPUID leaves", 0);
GUEST_USE_HYPERCALL_PAGE();

struct cpuid_res {
    uint32_t a, b, c, d;
};

/* `ud2; .ascii "xen"; cpuid`: the 5-byte XEN_EMULATE_PREFIX, then CPUID. */
static struct cpuid_res xen_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_res r;

    asm volatile("ud2; .ascii \"xen\"; cpuid"
                 : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
                 : "0"(leaf), "2"(subleaf));
    return r;
}

static long version_via_syscall(void)
{
    return hypercall_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
                             0, 0);
}

static void test_version(long *version)
{
    static xen_extraversion_t extra;
    static xen_capabilities_info_t caps;
    xen_platform_parameters_t params = { 0 };
    long v, rc;

    v = hypervisor_xen_version(XENVER_version, NULL);
    printk("XENVER_version: %ld.%ld\n", v >> 16, v & 0xffff);
    if (v < (3L << 16))
        test_fail("XENVER_version %#lx: major below 3", (unsigned long)v);
    CHECK_RC("XENVER_version via bare syscall", version_via_syscall(), v);
    *version = v;

    memset(extra, 0x55, sizeof(extra));
    rc = hypervisor_xen_version(XENVER_extraversion, extra);
    if (CHECK_RC("XENVER_extraversion", rc, 0)) {
        if (strnlen(extra, sizeof(extra)) == sizeof(extra))
            test_fail("extraversion is not NUL-terminated");
        else
            printk("XENVER_extraversion: \"%s\"\n", extra);
    }

    rc = hypervisor_xen_version(XENVER_capabilities, caps);
    if (CHECK_RC("XENVER_capabilities", rc, 0)) {
        caps[sizeof(caps) - 1] = '\0';
        printk("XENVER_capabilities: \"%s\"\n", caps);
        if (!strstr(caps, "xen-3.0-x86_64"))
            test_fail("capabilities lack \"xen-3.0-x86_64\"");
    }

    rc = hypervisor_xen_version(XENVER_platform_parameters, &params);
    if (CHECK_RC("XENVER_platform_parameters", rc, 0) &&
        params.virt_start != HYPERVISOR_VIRT_START)
        test_fail("platform_parameters.virt_start %#lx, expected %#lx",
                  (unsigned long)params.virt_start,
                  (unsigned long)HYPERVISOR_VIRT_START);
}

static void test_features(void)
{
    xen_feature_info_t fi = { .submap_idx = 0 };
    long rc;

    rc = hypervisor_xen_version(XENVER_get_features, &fi);
    if (CHECK_RC("XENVER_get_features submap 0", rc, 0)) {
        printk("features submap 0: %#x\n", fi.submap);
        if (!(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad)))
            test_fail("XENFEAT_mmu_pt_update_preserve_ad missing");
        if (!(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits)))
            test_fail("XENFEAT_gnttab_map_avail_bits missing");
        if (fi.submap & (1u << XENFEAT_auto_translated_physmap))
            test_fail("XENFEAT_auto_translated_physmap set for a PV guest");
    }

    fi.submap_idx = 1;
    rc = hypervisor_xen_version(XENVER_get_features, &fi);
    CHECK_RC("XENVER_get_features submap 1", rc, -XEN_EINVAL);
}

static void test_unknown(void)
{
    /* 64 is past XENVER_commandline2 (14), the highest sub-op so far. */
    CHECK_RC("xen_version unknown sub-op 64",
             hypervisor_xen_version(64, NULL), -XEN_ENOSYS);
    /* 60: inside the table's range but never assigned ([H:xen.h]). */
    CHECK_RC("hypercall 60 via page", HYPERCALL0(60), -XEN_ENOSYS);
    CHECK_RC("hypercall 60 via syscall",
             hypercall_syscall(60, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    /* Far out of range: only reachable with a bare syscall. */
    CHECK_RC("hypercall 0x1000 via syscall",
             hypercall_syscall(0x1000, 0, 0, 0, 0, 0), -XEN_ENOSYS);
}

static void test_cpuid(long version)
{
    struct cpuid_res r = xen_cpuid(0x40000000, 0);
    char sig[13];

    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    sig[12] = '\0';
    printk("CPUID 0x40000000: eax %#x \"%s\"\n", r.a, sig);
    if (strcmp(sig, "XenVMMXenVMM"))
        test_fail("CPUID 0x40000000 signature \"%s\"", sig);
    if (r.a < 0x40000002)
        test_fail("CPUID 0x40000000 max leaf %#x < 0x40000002", r.a);

    r = xen_cpuid(0x40000001, 0);
    if (r.a != (uint32_t)version)
        test_fail("CPUID 0x40000001 eax %#x, XENVER_version %#lx", r.a,
                  (unsigned long)version);
}

void test_main(void)
{
    long version = 0;

    /* setup.c already failed the test if the page was left unfilled. */
    printk("hypercall page at %p\n", (void *)hypercall_page_va);
    test_version(&version);
    test_features();
    test_unknown();
    test_cpuid(version);
}
