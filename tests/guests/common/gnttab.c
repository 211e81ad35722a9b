// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest side of grant table v1: GNTTABOP_setup_table for frame 0, the
 * frame mapped writable at a guest page (Linux gnttab_map, arch_gnttab_map
 * _shared), entries written frame/domid first and flags last behind a write
 * barrier ([H:grant_table.h]: "the domid and frame must be valid before
 * GTF_permit_access is set").
 */
#include "guest.h"
#include "gnttab.h"

static uint8_t table_page[PAGE_SIZE] __page_aligned_bss;
static volatile struct grant_entry_v1 *table;
static uint64_t table_mfn;

long gnt_init(void)
{
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    long rc;

    set_xen_guest_handle(op.frame_list, &frame);
    rc = HYPERCALL3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &op, 1);
    if (rc || op.status != GNTST_okay) {
        test_error("setup_table(1): rc %ld status %d", rc, op.status);
        return rc ? rc : -XEN_EINVAL;
    }
    rc = hypervisor_update_va_mapping(table_page, ((uint64_t)frame << PAGE_SHIFT) |
                                      PTE_P | PTE_RW | PTE_A | PTE_D,
                                      UVMF_INVLPG);
    if (rc) {
        test_error("mapping grant frame %#lx: %ld", (unsigned long)frame, rc);
        return rc;
    }
    table = (volatile struct grant_entry_v1 *)table_page;
    table_mfn = frame;
    return 0;
}

uint64_t gnt_table_mfn(void)
{
    return table_mfn;
}

void gnt_grant_raw(grant_ref_t ref, uint64_t mfn, domid_t domid, uint16_t flags)
{
    table[ref].frame = (uint32_t)mfn;
    table[ref].domid = domid;
    /* Release: frame and domid are visible before the flags publish them. */
    __atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}

void gnt_grant(grant_ref_t ref, uint64_t mfn, bool ro)
{
    gnt_grant_raw(ref, mfn, 0, GTF_permit_access | (ro ? GTF_readonly : 0));
}

uint16_t gnt_flags(grant_ref_t ref)
{
    return __atomic_load_n(&table[ref].flags, __ATOMIC_SEQ_CST);
}

bool gnt_end(grant_ref_t ref)
{
    uint16_t flags = gnt_flags(ref);

    /* Linux's cmpxchg loop: only an entry nobody reads or writes is freed. */
    do {
        if (flags & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return true;
}
