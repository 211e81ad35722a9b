// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV boot layout (include/shim/pv-layout.h). Order, for a kernel like
 * Debian's 6.1 (INIT_P2M and MOD_START_PFN set), per Xen's
 * xg_dom_x86.c/xg_dom_core.c: kernel (the PFNs below it are ordinary mapped
 * RAM), [mapped initrd], [p2m if not at INIT_P2M], start_info, xenstore,
 * console, page tables, boot stack, padding to a 4 MiB boundary that leaves
 * at least 512 KiB free, [unmapped initrd], [p2m at INIT_P2M and its
 * tables].
 */
#include <shim/lib.h>
#include <shim/pv-layout.h>

#define MIB(x)          ((uint64_t)(x) << 20)
#define SLACK_PAGES     128         /* libxenguest's extra mapped pages */

static uint64_t tables_for(uint64_t from, uint64_t to, unsigned int shift)
{
    return ((to - 1) >> shift) - (from >> shift) + 1;
}

/* Page tables needed to map [from, to) with 4 KiB pages, one L4 apart. */
static void count_tables(uint64_t from, uint64_t to, unsigned int *l3,
                         unsigned int *l2, unsigned int *l1)
{
    *l3 = (unsigned int)tables_for(from, to, 39);
    *l2 = (unsigned int)tables_for(from, to, 30);
    *l1 = (unsigned int)tables_for(from, to, 21);
}

int pv_layout_compute(const struct xen_elf_info *elf, uint64_t nr_pages,
                      uint64_t initrd_bytes, struct pv_layout *l,
                      char *err, size_t errlen)
{
    uint64_t p2m_bytes = nr_pages * sizeof(uint64_t);
    pfn_t next;
    unsigned int l3, l2, l1;

    memset(l, 0, sizeof(*l));
    l->virt_base = elf->virt_base;
    if (elf->virt_kstart < elf->virt_base || (elf->virt_kstart & ~PAGE_MASK)) {
        snprintf(err, errlen, "kernel start %#lx is not page aligned above VIRT_BASE",
                 (unsigned long)elf->virt_kstart);
        return -1;
    }
    l->kernel_pfn = (elf->virt_kstart - elf->virt_base) >> PAGE_SHIFT;
    l->kernel_end_pfn = ALIGN_UP(elf->virt_kend - elf->virt_base, PAGE_SIZE) >> PAGE_SHIFT;
    next = l->kernel_end_pfn;

    l->initrd_pages = ALIGN_UP(initrd_bytes, PAGE_SIZE) >> PAGE_SHIFT;
    l->initrd_mapped = initrd_bytes && !elf->mod_start_pfn;
    if (l->initrd_mapped) {
        l->initrd_pfn = next;
        next += l->initrd_pages;
    }

    /* INIT_P2M is honoured only below VIRT_BASE and page aligned (Xen). */
    l->p2m_pages = ALIGN_UP(p2m_bytes, PAGE_SIZE) >> PAGE_SHIFT;
    l->p2m_at_init_p2m = elf->has_init_p2m && elf->init_p2m < elf->virt_base &&
                         !(elf->init_p2m & ~PAGE_MASK) && elf->init_p2m;
    if (!l->p2m_at_init_p2m) {
        l->p2m_pfn = next;
        l->p2m_va = pv_layout_va(l, next);
        next += l->p2m_pages;
    }

    l->start_info_pfn = next++;
    l->xenstore_pfn = next++;
    l->console_pfn = next++;

    /* Size the initial mapping until the table count stops changing. */
    l->nr_l4 = 1;
    l->nr_l3 = l->nr_l2 = l->nr_l1 = 0;
    for (unsigned int iter = 0; ; iter++) {
        uint64_t pages = pv_layout_nr_pt(l) + 1 + SLACK_PAGES;
        uint64_t end = ALIGN_UP(pv_layout_va(l, next) + pages * PAGE_SIZE, MIB(4));

        count_tables(l->virt_base, end, &l3, &l2, &l1);
        if (l3 == l->nr_l3 && l2 == l->nr_l2 && l1 == l->nr_l1) {
            l->virt_end = end;
            break;
        }
        l->nr_l3 = l3;
        l->nr_l2 = l2;
        l->nr_l1 = l1;
        if (iter > 16) {
            snprintf(err, errlen, "initial page-table size does not converge");
            return -1;
        }
    }
    if (l->virt_end - l->virt_base > MIB(1024)) {
        /* Linux copies only the L2 under the kernel's L3 slot (contract 1.3). */
        snprintf(err, errlen, "kernel and boot data need %lu MiB of initial mapping; "
                 "at most 1024 MiB fit", (unsigned long)((l->virt_end - l->virt_base) >> 20));
        return -1;
    }
    l->pt_pfn = next;
    next += pv_layout_nr_pt(l);
    l->stack_pfn = next++;
    next = (l->virt_end - l->virt_base) >> PAGE_SHIFT;

    if (initrd_bytes && !l->initrd_mapped) {
        l->initrd_pfn = next;
        next += l->initrd_pages;
    }
    if (l->p2m_at_init_p2m) {
        uint64_t from = elf->init_p2m, to = elf->init_p2m + (l->p2m_pages << PAGE_SHIFT);

        if ((from >> 39) == (elf->virt_base >> 39)) {
            snprintf(err, errlen, "INIT_P2M %#lx shares an L4 slot with the kernel",
                     (unsigned long)from);
            return -1;
        }
        l->p2m_va = from;
        l->p2m_pfn = next;
        next += l->p2m_pages;
        count_tables(from, to, &l->p2m_nr_l3, &l->p2m_nr_l2, &l->p2m_nr_l1);
        l->p2m_pt_pfn = next;
        l->p2m_pt_frames = l->p2m_nr_l3 + l->p2m_nr_l2 + l->p2m_nr_l1;
        next += l->p2m_pt_frames;
    }
    l->end_pfn = next;
    if (next > nr_pages) {
        snprintf(err, errlen, "the guest needs at least %lu MiB for its kernel, "
                 "initrd and boot data; it has %lu MiB",
                 (unsigned long)((next * PAGE_SIZE + MIB(1) - 1) >> 20),
                 (unsigned long)((nr_pages * PAGE_SIZE) >> 20));
        return -1;
    }
    return 0;
}
