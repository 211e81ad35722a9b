// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV domain builder: copies the kernel (and initrd) into guest frames
 * according to the layout (pv-layout.c), writes the p2m, the M2P and the
 * initial page tables, pins the root through the PV MMU (which validates
 * everything, exactly as it will validate the guest's own updates), and
 * prepares start_info, shared_info and the first vCPU's registers
 * (contract 1.3-1.6).
 *
 * Before the guest runs, the shim writes guest frames through its direct
 * map (mfn_to_virt); the guest's own addresses are not mapped yet.
 */
#include <arch/x86.h>
#include <shim/evtchn.h>
#include <shim/grant.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/mm.h>
#include <shim/pv-build.h>
#include <shim/vcpu.h>
#include <shim/reservation.h>
#include <shim/time.h>
#include <shim/xenstore.h>
#include <arch/paging.h>

#define L1_FLAGS    (PTE_P | PTE_RW | PTE_A)
#define UPPER_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US)

static mfn_t pfn_to_mfn(const struct domain *d, pfn_t pfn)
{
    return d->first_mfn + pfn;
}

static void *pfn_virt(const struct domain *d, pfn_t pfn)
{
    return mfn_to_virt(pfn_to_mfn(d, pfn));
}

static void copy_to_pfns(const struct domain *d, uint64_t pa, const uint8_t *src,
                         uint64_t filesz, uint64_t memsz)
{
    for (uint64_t off = 0; off < memsz;) {
        uint64_t at = pa + off;
        size_t in_page = PAGE_SIZE - (at & ~PAGE_MASK);
        size_t n = MIN((uint64_t)in_page, memsz - off);
        uint8_t *dst = (uint8_t *)pfn_virt(d, at >> PAGE_SHIFT) + (at & ~PAGE_MASK);

        if (off >= filesz)
            memset(dst, 0, n);
        else if (off + n <= filesz)
            memcpy(dst, src + off, n);
        else {
            memcpy(dst, src + off, filesz - off);
            memset(dst + (filesz - off), 0, n - (filesz - off));
        }
        off += n;
    }
}

/* Whether one segment's [paddr, paddr + memsz) covers the page at pa. */
static bool segment_fills_page(const struct xen_elf_info *elf, uint64_t pa)
{
    for (unsigned int i = 0; i < elf->nr_segs; i++) {
        uint64_t start = elf->segs[i].paddr - elf->paddr_offset;

        if (start <= pa && pa + PAGE_SIZE - start <= elf->segs[i].memsz)
            return true;
    }
    return false;
}

/*
 * Map [va_start, va_end) -> pfn (va - va_base) in 4 KiB pages, using the
 * tables in [*next_table, ...) top-down (L3s, L2s, L1s) under l4. Frames in
 * [ro_first, ro_end) are page tables and are mapped read-only.
 */
struct table_alloc {
    pfn_t next_l3, next_l2, next_l1;
};

static uint64_t *table_at(const struct domain *d, uint64_t *entry, pfn_t *next,
                          uint64_t flags)
{
    if (!(*entry & PTE_P)) {
        memset(pfn_virt(d, *next), 0, PAGE_SIZE);
        *entry = (pfn_to_mfn(d, *next) << PAGE_SHIFT) | flags;
        (*next)++;
    }
    return mfn_to_virt((*entry & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

static void map_range(const struct domain *d, uint64_t *l4, struct table_alloc *ta,
                      uint64_t va_start, uint64_t va_end, pfn_t first_pfn,
                      pfn_t ro_first, pfn_t ro_end)
{
    for (uint64_t va = va_start; va < va_end; va += PAGE_SIZE) {
        pfn_t pfn = first_pfn + ((va - va_start) >> PAGE_SHIFT);
        uint64_t *l3 = table_at(d, &l4[(va >> 39) & 511], &ta->next_l3, UPPER_FLAGS);
        uint64_t *l2 = table_at(d, &l3[(va >> 30) & 511], &ta->next_l2, UPPER_FLAGS);
        uint64_t *l1 = table_at(d, &l2[(va >> 21) & 511], &ta->next_l1, UPPER_FLAGS);
        uint64_t flags = L1_FLAGS;

        if (pfn >= ro_first && pfn < ro_end)
            flags &= ~PTE_RW;       /* page tables are never writable */
        l1[(va >> 12) & 511] = (pfn_to_mfn(d, pfn) << PAGE_SHIFT) | flags;
    }
}

static void build_page_tables(const struct domain *d, const struct pv_layout *l)
{
    uint64_t *l4 = pfn_virt(d, l->pt_pfn);
    struct table_alloc ta = {
        .next_l3 = l->pt_pfn + l->nr_l4,
        .next_l2 = l->pt_pfn + l->nr_l4 + l->nr_l3,
        .next_l1 = l->pt_pfn + l->nr_l4 + l->nr_l3 + l->nr_l2,
    };
    pfn_t pt_end = l->pt_pfn + pv_layout_nr_pt(l);

    memset(l4, 0, PAGE_SIZE);
    map_range(d, l4, &ta, l->virt_base, l->virt_end, 0, l->pt_pfn, pt_end);
    if (ta.next_l1 != pt_end)
        panic("builder: initial mapping used %lu of %u tables\n",
              (unsigned long)(ta.next_l1 - l->pt_pfn), pv_layout_nr_pt(l));

    if (l->p2m_at_init_p2m) {
        struct table_alloc p = {
            .next_l3 = l->p2m_pt_pfn,
            .next_l2 = l->p2m_pt_pfn + l->p2m_nr_l3,
            .next_l1 = l->p2m_pt_pfn + l->p2m_nr_l3 + l->p2m_nr_l2,
        };

        map_range(d, l4, &p, l->p2m_va, l->p2m_va + (l->p2m_pages << PAGE_SHIFT),
                  l->p2m_pfn, l->pt_pfn, pt_end);
    }
}

static void fill_p2m(const struct domain *d, const struct pv_layout *l)
{
    for (pfn_t i = 0; i < l->p2m_pages; i++) {
        uint64_t *page = pfn_virt(d, l->p2m_pfn + i);

        for (unsigned int j = 0; j < PAGE_SIZE / 8; j++) {
            pfn_t pfn = i * (PAGE_SIZE / 8) + j;

            page[j] = pfn < d->nr_pages ? pfn_to_mfn(d, pfn) : ~0ULL;
        }
    }
}

static void setup_shared_info(struct domain *d)
{
    paddr_t pa = alloc_frames(1, 1);

    d->shared_info_mfn = pa >> PAGE_SHIFT;
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    frame_set_owner(d->shared_info_mfn, 1, FRAME_OWNER_SHARED);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    d->shared_info->arch.max_pfn = d->nr_pages;
}

void pv_build_domain(struct domain *d, const struct pv_build_input *in)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    struct vcpu *v = &d->vcpus[0];
    char err[160];
    int rc;

    if (xen_elf_parse(in->kernel, in->kernel_size, &elf, err, sizeof(err)))
        panic("guest kernel: %s\n", err);
    if (pv_layout_compute(&elf, d->nr_pages, in->initrd ? in->initrd_size : 0,
                          &l, err, sizeof(err)))
        panic("guest layout: %s\n", err);
    log_info("guest: %s %s, entry %#lx, kernel pfn %#lx-%#lx, %u initial tables, "
             "p2m at %#lx%s\n", elf.guest_os, elf.guest_version,
             (unsigned long)elf.entry, (unsigned long)l.kernel_pfn,
             (unsigned long)l.kernel_end_pfn, pv_layout_nr_pt(&l),
             (unsigned long)l.p2m_va, elf.has_hypercall_page ? ", hypercall page" : "");

    /* Guest RAM: owned by the guest, M2P entries pointing back. */
    frame_set_owner(d->first_mfn, d->nr_pages, FRAME_OWNER_GUEST);
    for (pfn_t pfn = 0; pfn < d->nr_pages; pfn++)
        m2p_set(pfn_to_mfn(d, pfn), pfn);

    /*
     * Kernel segments are placed by physical address (libelf). The pages
     * between and around them start zeroed; the pages a segment fills
     * completely are not zeroed first (under TCG that doubled the time
     * spent writing the ~45 MiB image).
     */
    for (pfn_t pfn = l.kernel_pfn; pfn < l.kernel_end_pfn; pfn++)
        if (!segment_fills_page(&elf, (uint64_t)pfn << PAGE_SHIFT))
            memset(pfn_virt(d, pfn), 0, PAGE_SIZE);
    for (unsigned int i = 0; i < elf.nr_segs; i++) {
        const struct xen_elf_seg *s = &elf.segs[i];

        copy_to_pfns(d, s->paddr - elf.paddr_offset,
                     (const uint8_t *)in->kernel + s->offset, s->filesz, s->memsz);
    }
    if (in->initrd)
        copy_to_pfns(d, l.initrd_pfn << PAGE_SHIFT, in->initrd, in->initrd_size,
                     l.initrd_pages << PAGE_SHIFT);
    if (elf.has_hypercall_page) {
        pfn_t pfn = (elf.hypercall_page - elf.virt_base) >> PAGE_SHIFT;

        if (elf.hypercall_page < elf.virt_kstart || elf.hypercall_page >= elf.virt_kend)
            panic("guest kernel: HYPERCALL_PAGE %#lx is outside the kernel\n",
                  (unsigned long)elf.hypercall_page);
        pv_fill_hypercall_page(pfn_virt(d, pfn));
    }

    fill_p2m(d, &l);
    for (pfn_t pfn = l.start_info_pfn; pfn <= l.console_pfn; pfn++)
        memset(pfn_virt(d, pfn), 0, PAGE_SIZE);
    memset(pfn_virt(d, l.stack_pfn), 0, PAGE_SIZE);
    d->store_mfn = pfn_to_mfn(d, l.xenstore_pfn);
    d->console_mfn = pfn_to_mfn(d, l.console_pfn);

    setup_shared_info(d);
    gnttab_domain_init(d);
    d->console_port = evtchn_alloc_backend_port(d, EVTCHN_BACKEND_CONSOLE);
    d->store_port = evtchn_alloc_backend_port(d, EVTCHN_BACKEND_XENSTORE);
    d->xs = xs_server_init(d->domid);
    xs_populate_domu(d->xs, d->domid, "guest", d->nr_pages * (PAGE_SIZE / 1024),
                     in->nr_vcpus ? in->nr_vcpus : 1);
    if (xs_set_domu_rings(d->xs, d->domid, d->store_port, d->store_mfn,
                          d->console_port, d->console_mfn))
        panic("builder: cannot publish the store and console rings in xenstore\n");

    build_page_tables(d, &l);
    rc = mm_pin(pfn_to_mfn(d, l.pt_pfn), 4);
    if (rc)
        panic("builder: the initial page tables do not validate (%d)\n", rc);
    v->guest_table = 0;
    rc = mm_set_root(&v->guest_table, pfn_to_mfn(d, l.pt_pfn));
    if (rc)
        panic("builder: cannot install the initial root (%d)\n", rc);
    (void)mm_take_tlb_flush_request();

    d->start_info = pfn_virt(d, l.start_info_pfn);
    pv_fill_start_info(d->start_info, &l, d, &elf,
                       in->initrd ? in->initrd_size : 0, in->cmdline);

    /* vCPU 0 at the entry point (contract 1.5). */
    v->domain = d;
    v->id = 0;
    v->kernel_mode = true;
    v->vcpu_info = &d->shared_info->vcpu_info[0];
    v->runstate.state = RUNSTATE_running;
    v->cr4_virtual = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR |
                                   X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE);
    v->kernel_ss = FLAT_KERNEL_SS;
    v->kernel_sp = pv_layout_va(&l, l.stack_pfn + 1);
    memset(&v->boot_regs, 0, sizeof(v->boot_regs));
    v->boot_regs.rip = elf.entry;
    v->boot_regs.rsp = v->kernel_sp;
    v->boot_regs.rsi = pv_layout_va(&l, l.start_info_pfn);
    v->boot_regs.cs = FLAT_KERNEL_CS;
    v->boot_regs.ss = FLAT_KERNEL_SS;
    v->boot_regs.rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
    v->initialised = true;
    domain_init_vcpus(d, in->nr_vcpus ? in->nr_vcpus : 1);
    reservation_init(d);
    time_init_domain(d);
    /* Xen starts every PV vCPU with a 10 ms periodic timer (pv/domain.c);
     * old guests tick on it, Linux 6.1 stops it. */
    time_set_periodic(v, 10000000ULL);
}
