// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checking guest segment descriptors before the CPU may load them (Xen's
 * check_descriptor for 64-bit PV, contract 1.8). A guest kernel runs in
 * ring 3, so every code/data descriptor gets DPL 3; not-present ones are
 * harmless. System descriptors (LDT, TSS, gates) are refused outright:
 * Xen rewrites call gates to DPL 0 instead, but Linux never installs any,
 * and refusing them removes a whole class of privilege bugs.
 */
#include <arch/seg-desc.h>
#include <shim/frame.h>
#include <shim/mm.h>

#define DESC_P      (1ULL << 47)
#define DESC_S      (1ULL << 44)
#define DESC_DPL    (3ULL << 45)

bool check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    if (!(d & DESC_P))
        return true;
    if (!(d & DESC_S))
        return false;
    *desc = d | DESC_DPL;
    return true;
}

int arch_validate_desc_page(mfn_t mfn)
{
    uint64_t *descs = mfn_to_virt(mfn);

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
        uint64_t d = descs[i];

        if (!check_descriptor(&d))
            return -XEN_EINVAL;
    }
    /* All good: now apply the DPL fix-ups in place, as Xen does. */
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        check_descriptor(&descs[i]);
    return 0;
}
