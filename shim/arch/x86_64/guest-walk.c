// SPDX-License-Identifier: GPL-2.0-only
/*
 * One walker of the guest's page tables, for the paths that must find a
 * translation themselves (writable-page-table emulation, lazy LDT mapping).
 * The tables are guest frames validated by the PV MMU, so superpages never
 * occur; each level is still checked to be a guest frame.
 */
#include <arch/guest-walk.h>
#include <arch/x86.h>
#include <shim/frame.h>

mfn_t guest_walk_l1e(mfn_t root, uint64_t va, uint64_t *l1e)
{
    mfn_t mfn = root;

    for (int shift = 39; shift >= 12; shift -= 9) {
        const struct frame_info *f = frame_get(mfn);
        uint64_t e;

        if (!f || f->owner != FRAME_OWNER_GUEST)
            return 0;
        e = ((const uint64_t *)mfn_to_virt(mfn))[(va >> shift) & 511];
        if (shift == 12) {
            *l1e = e;
            return mfn;
        }
        if (!(e & PTE_P))
            return 0;
        mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    return 0;
}
