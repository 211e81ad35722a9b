// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host program for the callgrind instruction counts of bench/run.sh:
 * hypercall dispatch (hypercalls/table.c hypercall_call) into xen_version,
 * linked with the unit tests' stand-ins (tests/unit/dispatch.mk: host guest
 * memory behind the real shim/guest-access.c). run.sh runs it under
 * callgrind with two iteration counts and divides the difference, so the
 * setup and one-time costs cancel out.
 *
 * Usage: dispatch-ir version|features ITERATIONS
 *   version   xen_version(XENVER_version, NULL): dispatch, no guest memory
 *   features  xen_version(XENVER_get_features, arg): dispatch plus a
 *             copy_from_guest and a copy_to_guest of xen_feature_info
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dispatch-stub.h"

int main(int argc, char **argv)
{
    guest_va_t arg = gm_va(0x40);
    struct xen_feature_info *fi;
    unsigned long n, i;
    int features;
    long want;

    if (argc != 3 || (strcmp(argv[1], "version") && strcmp(argv[1], "features"))) {
        fprintf(stderr, "usage: dispatch-ir version|features ITERATIONS\n");
        return 2;
    }
    features = !strcmp(argv[1], "features");
    n = strtoul(argv[2], NULL, 10);
    dispatch_reset();
    fi = gm_ptr(arg);
    fi->submap_idx = 0;
    want = features ? 0 : hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    for (i = 0; i < n; i++) {
        long rc = features ? hc(__HYPERVISOR_xen_version, XENVER_get_features, arg, 0)
                           : hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0);

        if (rc != want) {
            fprintf(stderr, "dispatch-ir: %s: call %lu returned %ld, expected %ld\n",
                    argv[1], i, rc, want);
            return 1;
        }
    }
    return 0;
}
