// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest LDT support (include/arch/ldt.h). The LDT descriptor in the shim's
 * reserved GDT page (0xe050) always points at this CPU's LDT window; its
 * limit follows the guest's entry count. When the CPU reads an LDT page
 * that is not mapped yet, the #PF lands here (the access is the shim's
 * window, never guest memory): the guest's linear LDT page is translated
 * through its current tables, typed as a descriptor page (which validates
 * every descriptor) and mapped. Any failure is the guest's #PF at its own
 * LDT address, as Xen reports it.
 */
#include <arch/desc.h>
#include <arch/guest-walk.h>
#include <arch/layout.h>
#include <arch/ldt.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/mm.h>

static mfn_t mapped[LDT_AREA_PAGES];   /* per vCPU once SMP arrives */

void ldt_invalidate(struct vcpu *v)
{
    unsigned int cpu = this_cpu()->cpu_id;

    for (unsigned int i = 0; i < LDT_AREA_PAGES; i++) {
        if (!mapped[i])
            continue;
        desc_area_map(cpu, (LDT_AREA_OFFSET >> PAGE_SHIFT) + i, 0, false);
        mm_put_page_type(mapped[i]);
        mm_put_page(mapped[i]);
        mapped[i] = 0;
    }
    (void)v;
}

static void load_ldtr(unsigned int ents)
{
    unsigned int cpu = this_cpu()->cpu_id;
    uint64_t base = desc_area_ldt_base(cpu);
    uint16_t sel = 0;

    if (ents) {
        uint32_t limit = ents * 8 - 1;

        gdt_set_ldt_desc(cpu, base, limit);
        sel = SHIM_LDT_SEL;
    }
    __asm__ volatile("lldt %w0" :: "r"(sel));
}

int ldt_set(struct vcpu *v, uint64_t base, unsigned int ents)
{
    if (ents > LDT_MAX_ENTS || (base & ~PAGE_MASK) ||
        (ents && !guest_range_ok(base, (size_t)ents * 8)))
        return -XEN_EINVAL;
    ldt_invalidate(v);
    v->ldt_base = ents ? base : 0;
    v->ldt_ents = ents;
    load_ldtr(ents);
    return 0;
}

/* The frame mapping guest va in root (4 KiB mappings only), or 0. */
static mfn_t translate(mfn_t root, uint64_t va)
{
    uint64_t l1e;

    if (!guest_walk_l1e(root, va, &l1e) || !(l1e & PTE_P))
        return 0;
    return (l1e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

bool ldt_fault(struct vcpu *v, uint64_t cr2)
{
    unsigned int cpu = this_cpu()->cpu_id;
    uint64_t win = desc_area_ldt_base(cpu);
    unsigned int idx;
    mfn_t mfn;

    if (cr2 < win || cr2 >= win + LDT_AREA_PAGES * PAGE_SIZE)
        return false;
    idx = (cr2 - win) >> PAGE_SHIFT;
    if (!v->ldt_ents || idx * PAGE_SIZE >= v->ldt_ents * 8ULL)
        return false;
    mfn = translate(v->kernel_mode ? v->guest_table : v->guest_table_user,
                    v->ldt_base + idx * PAGE_SIZE);
    if (!mfn || mapped[idx] || mm_get_page(mfn))
        return false;
    if (mm_get_page_type(mfn, FRAME_TYPE_SEG_DESC)) {
        mm_put_page(mfn);
        return false;
    }
    if (mm_take_tlb_flush_request())
        flush_tlb_local();      /* other CPUs were flushed at the type change */
    mapped[idx] = mfn;
    desc_area_map(cpu, (LDT_AREA_OFFSET >> PAGE_SHIFT) + idx, mfn << PAGE_SHIFT, true);
    return true;
}
