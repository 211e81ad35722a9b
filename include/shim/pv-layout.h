/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a 64-bit PV domain's boot elements go, computed the way Xen's
 * libxenguest does it (contract 1.3): one bump pointer over PFNs, with
 * VA = virt_base + PFN * 4 KiB inside the initial mapping. Pure arithmetic,
 * so host unit tests can check it against the contract.
 */
#ifndef SHIM_PV_LAYOUT_H
#define SHIM_PV_LAYOUT_H

#include <shim/types.h>
#include <shim/xen-elf.h>

struct pv_layout {
    uint64_t virt_base;
    pfn_t kernel_pfn, kernel_end_pfn;   /* [pfn, end) */
    pfn_t initrd_pfn, initrd_pages;     /* 0 pages: no initrd */
    bool initrd_mapped;                 /* false with MOD_START_PFN */
    pfn_t p2m_pfn, p2m_pages;           /* the p2m array */
    uint64_t p2m_va;                    /* start_info.mfn_list */
    bool p2m_at_init_p2m;               /* placed at the INIT_P2M address */
    pfn_t p2m_pt_pfn, p2m_pt_frames;    /* tables mapping it there (L3, L2s, L1s) */
    unsigned int p2m_nr_l3, p2m_nr_l2, p2m_nr_l1;
    pfn_t start_info_pfn, xenstore_pfn, console_pfn;
    pfn_t pt_pfn;                       /* L4, then L3s, L2s, L1s */
    unsigned int nr_l4, nr_l3, nr_l2, nr_l1;
    pfn_t stack_pfn;
    uint64_t virt_end;                  /* end of the initial mapping (4 MiB aligned) */
    pfn_t end_pfn;                      /* first PFN not used by the builder */
};

static inline unsigned int pv_layout_nr_pt(const struct pv_layout *l)
{
    return l->nr_l4 + l->nr_l3 + l->nr_l2 + l->nr_l1;
}

static inline uint64_t pv_layout_va(const struct pv_layout *l, pfn_t pfn)
{
    return l->virt_base + (pfn << PAGE_SHIFT);
}

/*
 * Lay out a domain of nr_pages for the parsed kernel and an initrd of
 * initrd_bytes (0 = none). Returns 0, or -1 with a one-line reason.
 */
int pv_layout_compute(const struct xen_elf_info *elf, uint64_t nr_pages,
                      uint64_t initrd_bytes, struct pv_layout *l,
                      char *err, size_t errlen);

#endif
