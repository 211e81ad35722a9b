/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen PV kernel image parser: the ELF64 checks and the Xen notes
 * (PT_NOTE, SHT_NOTE or legacy __xen_guest) a domain builder needs.
 * Shared by the shim (freestanding, parses the kernel boot module) and the
 * host tool. See pv-guest-contract.md §1.1-1.2.
 */
#ifndef SHIM_XEN_ELF_H
#define SHIM_XEN_ELF_H

#include <shim/types.h>

#define XEN_ELF_MAX_SEGS 16
#define XEN_ELF_STR_MAX  64 /* string notes longer than this are truncated */

/* One loadable PT_LOAD segment, placed by its physical address (libelf). */
struct xen_elf_seg {
    uint64_t paddr;  /* p_paddr; guest VA = paddr + virt_base - paddr_offset */
    uint64_t offset; /* p_offset: file bytes [offset, offset + filesz) */
    uint64_t filesz;
    uint64_t memsz;  /* >= filesz; the tail is zero-filled */
};

enum xen_elf_note_src {
    XEN_ELF_SRC_PHDR,   /* PT_NOTE segments */
    XEN_ELF_SRC_SHDR,   /* SHT_NOTE sections */
    XEN_ELF_SRC_LEGACY, /* the __xen_guest "KEY=VALUE,..." string */
};

enum xen_elf_pae {
    XEN_ELF_PAE_NO,
    XEN_ELF_PAE_YES,     /* legacy "yes..." */
    XEN_ELF_PAE_EXTCR3,  /* "yes" note, or legacy "yes[extended-cr3]" */
    XEN_ELF_PAE_BIMODAL, /* note containing "bimodal" */
};

struct xen_elf_info {
    enum xen_elf_note_src src;

    uint64_t entry;          /* ENTRY / VIRT_ENTRY, else e_entry */
    uint64_t virt_base;      /* VIRT_BASE, default 0 */
    uint64_t paddr_offset;   /* PADDR_OFFSET; default 0, VIRT_BASE if legacy */
    uint64_t hypercall_page; /* virtual address (legacy page number resolved) */
    bool has_hypercall_page;
    uint64_t init_p2m;       /* VA where the builder must put the p2m list */
    bool has_init_p2m;
    bool mod_start_pfn;      /* initrd may be unmapped; mod_start is a PFN */
    uint64_t hv_start_low;
    bool has_hv_start_low;
    uint64_t phys32_entry;   /* PVH entry (ignored for PV) */
    bool has_phys32_entry;
    bool suspend_cancel;
    bool bsd_symtab;

    /* Bitmaps indexed by XENFEAT_* (xen/features.h). required ⊆ supported. */
    uint32_t features_required;
    uint32_t features_supported;

    char guest_os[XEN_ELF_STR_MAX];
    char guest_version[XEN_ELF_STR_MAX];
    char xen_version[XEN_ELF_STR_MAX];
    char loader[XEN_ELF_STR_MAX];
    enum xen_elf_pae pae;

    /* Load range in ELF physical addresses and in guest virtual addresses. */
    uint64_t pstart, pend;            /* [pstart, pend) over loadable PT_LOADs */
    uint64_t virt_kstart, virt_kend;  /* the same range shifted to VAs */

    unsigned int nr_segs;
    struct xen_elf_seg segs[XEN_ELF_MAX_SEGS];
};

/*
 * Parse and validate a Xen PV x86-64 kernel image in [image, image+size).
 * The buffer is treated as hostile: every offset and size is bounds- and
 * overflow-checked, it needs no alignment and is only read.
 *
 * Returns 0 and fills *out, or -1 with a one-line reason (no trailing
 * newline) in err (truncated to errlen; err may be NULL when errlen is 0).
 * *out holds no pointers into the image. On failure *out is unspecified.
 */
int xen_elf_parse(const void *image, size_t size, struct xen_elf_info *out,
                  char *err, size_t errlen);

/* The note name of XENFEAT_<bit> as written in FEATURES strings, or NULL. */
const char *xen_elf_feature_name(unsigned int bit);

#endif
