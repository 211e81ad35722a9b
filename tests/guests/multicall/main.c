// SPDX-License-Identifier: GPL-2.0-only
/*
 * multicall: a batch of three calls - xen_version(XENVER_version), an
 * unknown hypercall number, xen_version(XENVER_version) again.
 *
 * Xen (xen/common/multicall.c do_multicall, xen/arch/x86/pv/hypercall.c
 * pv_do_multicall_call; contract 2.6): every entry runs, each result goes
 * to its own `result` field, a failing entry does not stop the batch, and
 * the multicall itself returns 0. The unknown number gets -ENOSYS (the
 * call_handlers_pv64 default). Only `result` is defined after the call:
 * debug Xen scribbles over the rest of each entry, so nothing else is
 * checked. Also: an empty batch returns 0.
 */
#include "guest.h"

TEST_DESC("multicall", "batch with a failing entry in the middle", 0);

#define UNKNOWN_HYPERCALL 60

void test_main(void)
{
    struct multicall_entry mc[3];
    long version, rc;
    unsigned int i;

    version = hypervisor_xen_version(XENVER_version, NULL);
    if (version <= 0) {
        test_error("xen_version: %ld", version);
        return;
    }

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = UNKNOWN_HYPERCALL;
    mc[2].op = __HYPERVISOR_xen_version;
    mc[2].args[0] = XENVER_version;
    for (i = 0; i < 3; i++)
        mc[i].result = 0xdeadbeef;

    rc = hypervisor_multicall(mc, 3);
    CHECK_RC("multicall of 3", rc, 0);
    CHECK_RC("entry 0 (xen_version)", (long)mc[0].result, version);
    CHECK_RC("entry 1 (unknown op)", (long)mc[1].result, -XEN_ENOSYS);
    CHECK_RC("entry 2 (xen_version)", (long)mc[2].result, version);

    CHECK_RC("empty multicall", hypervisor_multicall(mc, 0), 0);

    /* Still healthy afterwards. */
    CHECK_RC("xen_version after multicall",
             hypervisor_xen_version(XENVER_version, NULL), version);
}
