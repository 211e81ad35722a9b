// SPDX-License-Identifier: GPL-2.0-only
/*
 * start_info and the hypercall page, filled as Xen's builder does
 * (xg_dom_x86.c start_info_x86_64; pv/hypercall.c hypercall page).
 */
#include <shim/lib.h>
#include <shim/pv-build.h>

void pv_fill_start_info(struct start_info *si, const struct pv_layout *l,
                        const struct domain *d, const struct xen_elf_info *elf,
                        uint64_t initrd_bytes, const char *cmdline)
{
    static const char magic[] = "xen-3.0-x86_64";

    memset(si, 0, sizeof(*si));
    memcpy(si->magic, magic, sizeof(magic));
    si->nr_pages = d->nr_pages;
    si->shared_info = d->shared_info_mfn << PAGE_SHIFT;
    si->flags = SIF_VIRT_P2M_4TOOLS;
    si->store_mfn = d->first_mfn + l->xenstore_pfn;
    si->store_evtchn = d->store_port;
    si->console.domU.mfn = d->first_mfn + l->console_pfn;
    si->console.domU.evtchn = d->console_port;
    si->pt_base = pv_layout_va(l, l->pt_pfn);
    si->nr_pt_frames = pv_layout_nr_pt(l);
    si->mfn_list = l->p2m_va;
    if (initrd_bytes) {
        if (l->initrd_mapped) {
            si->mod_start = pv_layout_va(l, l->initrd_pfn);
        } else {
            si->flags |= SIF_MOD_START_PFN;
            si->mod_start = l->initrd_pfn;
        }
        /* Whole pages, as libxenguest reports; Linux tolerates the tail. */
        si->mod_len = l->initrd_mapped ? initrd_bytes : l->initrd_pages << PAGE_SHIFT;
    }
    if (l->p2m_at_init_p2m) {
        si->first_p2m_pfn = l->p2m_pfn;
        si->nr_p2m_frames = l->p2m_pages + l->p2m_pt_frames;
    }
    (void)elf;
    for (size_t i = 0; i + 1 < sizeof(si->cmd_line) && cmdline[i]; i++)
        si->cmd_line[i] = (int8_t)cmdline[i];
}

void pv_fill_hypercall_page(uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);     /* int3 filler between stubs */
    for (unsigned int nr = 0; nr < PAGE_SIZE / XEN_HYPERCALL_SLOT_SIZE; nr++) {
        uint8_t *p = page + nr * XEN_HYPERCALL_SLOT_SIZE;

        *p++ = 0x51;                            /* push %rcx */
        *p++ = 0x41; *p++ = 0x53;               /* push %r11 */
        if (nr == __HYPERVISOR_iret)
            *p++ = 0x50;                        /* push %rax: iret frame */
        *p++ = 0xb8;                            /* mov $nr, %eax */
        *p++ = nr; *p++ = 0; *p++ = 0; *p++ = 0;
        *p++ = 0x0f; *p++ = 0x05;               /* syscall */
        if (nr == __HYPERVISOR_iret)
            continue;                           /* iret does not return here */
        *p++ = 0x41; *p++ = 0x5b;               /* pop %r11 */
        *p++ = 0x59;                            /* pop %rcx */
        *p++ = 0xc3;                            /* ret */
    }
}
