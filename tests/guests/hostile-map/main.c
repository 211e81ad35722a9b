// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-map: a guest trying to reach memory that is not its own. Each
 * attempt must fail with Xen's error code (xen/arch/x86/mm.c unless noted)
 * and leave the hypervisor healthy:
 *
 *  - L1 entry mapping a RAM frame the guest does not own (MFN 0x100, the
 *    shim image at 1 MiB; in Xen a Xen-owned or free frame):
 *    get_page_from_l1e -> real owner != guest -> could_not_pin: -EBUSY,
 *    read-only or not.
 *  - L1 entry mapping a frame that is not RAM (the LAPIC at 0xfee00, and
 *    MFN 2^32, far beyond memory): not the guest's and no I/O rights ->
 *    "non-privileged attempt to map MMIO space": -EPERM.
 *  - mmu_update whose `ptr` lies in a frame the guest does not own
 *    (MFN 0x100): get_page_from_gfn fails: -EINVAL. Same for
 *    MMU_MACHPHYS_UPDATE on that frame (get_page_from_mfn): -EINVAL, and
 *    MMUEXT_PIN_L1_TABLE of it: -EINVAL.
 *  - Making a page table in use writable (the pinned initial L4, and the
 *    L1 that maps spare_page), by update_va_mapping and by mmu_update:
 *    get_page_type(PGT_writable_page) fails -> could_not_pin: -EBUSY.
 *  - mmu_update of L4 slots 256-271 (hypervisor-owned, is_guest_l4_slot):
 *    -EINVAL, whether installing an entry or clearing one.
 *  - update_va_mapping of an address in the hypervisor hole (the M2P at
 *    0xffff800000000000): map_guest_l1e rejects it (!__addr_ok): -EINVAL.
 *  - Mapping the frame behind L4 slot 256 (the M2P's L3, shown in the
 *    guest's L4 after pinning): owned by the hypervisor: -EBUSY.
 *  - A write to the M2P: it is mapped read-only -> #PF, error code P|W.
 *  - An L4 self-map (linear page table) in a free guest slot of the live
 *    L4, and MMUEXT_PIN_L4_TABLE of a fresh L4 whose slot maps itself:
 *    with write access Xen refuses it too (mm.c get_page_from_l4e ->
 *    get_l4_linear_pagetable: "Attempt to create linear p.t. with write
 *    perms" -> -EINVAL). Read-only, Xen accepts it while pv-linear-pt is
 *    on (opt_pv_linear_pt, default true); the shim refuses every linear
 *    entry (shim/mm-pte.c: an L4 entry must name an L3), so -EINVAL, a
 *    policy stricter than Xen's and the one expectation that differs on
 *    real Xen. After the refusals the slot is still empty and the fresh
 *    L4 page holds no type reference (it can be made writable again).
 * Finally the shim must still work: a hypercall and a valid update.
 */
#include "guest.h"

TEST_DESC("hostile-map", "mappings of memory that is not the guest's", 0);

#define SHIM_MFN      0x100UL          /* 1 MiB: the shim's load address */
#define LAPIC_MFN     0xfee00UL
#define HUGE_MFN      (1UL << 32)

static uint8_t spare_page[PAGE_SIZE] __page_aligned_bss;

static uint64_t spare_l1e_ma;          /* machine address of spare's PTE */

static void restore_spare(void)
{
    uint64_t pte = ((uint64_t)virt_to_mfn(spare_page) << PAGE_SHIFT) |
                   PTE_P | PTE_RW | PTE_A | PTE_D;

    hypervisor_update_va_mapping(spare_page, pte, UVMF_INVLPG);
}

/* Try to point spare's PTE at mfn; it must fail with want. */
static void try_map(const char *what, unsigned long mfn, uint64_t flags,
                    long want)
{
    uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | PTE_P | PTE_A | flags;
    char buf[96];

    snprintf(buf, sizeof(buf), "mmu_update %s", what);
    if (!CHECK_RC(buf, mmu_update_one(spare_l1e_ma, pte), want))
        restore_spare();
    snprintf(buf, sizeof(buf), "update_va_mapping %s", what);
    if (!CHECK_RC(buf, hypervisor_update_va_mapping(spare_page, pte,
                                                    UVMF_INVLPG), want))
        restore_spare();
}

static void test_foreign_frames(void)
{
    try_map("RW of shim frame 0x100", SHIM_MFN, PTE_RW, -XEN_EBUSY);
    try_map("RO of shim frame 0x100", SHIM_MFN, 0, -XEN_EBUSY);
    try_map("RW of LAPIC frame", LAPIC_MFN, PTE_RW, -XEN_EPERM);
    try_map("RO of MFN 2^32", HUGE_MFN, 0, -XEN_EPERM);

    CHECK_RC("mmu_update with ptr in shim frame 0x100",
             mmu_update_one((uint64_t)SHIM_MFN << PAGE_SHIFT, 0), -XEN_EINVAL);
    CHECK_RC("mmu_update with ptr beyond memory",
             mmu_update_one((uint64_t)HUGE_MFN << PAGE_SHIFT, 0), -XEN_EINVAL);
    CHECK_RC("MMU_MACHPHYS_UPDATE of shim frame 0x100",
             mmu_update_one(((uint64_t)SHIM_MFN << PAGE_SHIFT) |
                            MMU_MACHPHYS_UPDATE, 0), -XEN_EINVAL);
    CHECK_RC("PIN_L1 of shim frame 0x100",
             mmuext_one(MMUEXT_PIN_L1_TABLE, SHIM_MFN), -XEN_EINVAL);
}

static void test_pinned_tables(void)
{
    void *l4 = (void *)start_info->pt_base;
    uint64_t l4_ma, ma;
    const uint64_t *e;
    void *l1;

    /* The L4 itself, through its PTE in the initial mapping. */
    if (!l1e_of(l4, &l4_ma)) {
        test_error("no PTE for the L4 at %p", l4);
        return;
    }
    CHECK_RC("update_va_mapping L4 writable", set_page_writable(l4, true),
             -XEN_EBUSY);
    CHECK_RC("mmu_update L4 writable",
             mmu_update_one(l4_ma, ((uint64_t)virt_to_mfn(l4) << PAGE_SHIFT) |
                            PTE_P | PTE_RW | PTE_A | PTE_D), -XEN_EBUSY);

    /* The L1 that maps spare_page, mapped writable at spare_page's VA. */
    e = pt_walk(l4, (unsigned long)spare_page, 2, &ma);
    l1 = e ? mfn_to_virt((*e & PTE_ADDR) >> PAGE_SHIFT) : NULL;
    if (!l1) {
        test_error("cannot locate the L1 of %p", (void *)spare_page);
        return;
    }
    try_map("RW of a live L1", virt_to_mfn(l1), PTE_RW, -XEN_EBUSY);
}

static void test_reserved_slots(void)
{
    const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    uint64_t base = (uint64_t)virt_to_mfn(l4) << PAGE_SHIFT;
    static const unsigned int slots[] = { 256, 261, 262, 271 };
    uint64_t guest_l3 = l4[511];       /* a valid guest L4 entry to copy */
    char what[64];
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(slots); i++) {
        snprintf(what, sizeof(what), "mmu_update L4 slot %u install",
                 slots[i]);
        CHECK_RC(what, mmu_update_one(base + slots[i] * 8, guest_l3),
                 -XEN_EINVAL);
        snprintf(what, sizeof(what), "mmu_update L4 slot %u clear", slots[i]);
        CHECK_RC(what, mmu_update_one(base + slots[i] * 8, 0), -XEN_EINVAL);
    }

    CHECK_RC("update_va_mapping in the M2P",
             hypervisor_update_va_mapping((void *)MACH2PHYS_VIRT_START,
                 ((uint64_t)virt_to_mfn(spare_page) << PAGE_SHIFT) | PTE_P,
                 UVMF_INVLPG), -XEN_EINVAL);

    if (l4[256] & PTE_P)
        try_map("RO of the M2P's L3 (from L4 slot 256)",
                (l4[256] & PTE_ADDR) >> PAGE_SHIFT, 0, -XEN_EBUSY);
    else
        printk("L4 slot 256 not visible in the guest's L4: skipped that case\n");
}

static void test_m2p_write(void)
{
    volatile unsigned long *m2p = (volatile unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long mfn = virt_to_mfn(spare_page);
    uint64_t at;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq $0, (%1)\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"(&m2p[mfn]) : "memory");
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_PF ||
        last_trap.rip != at ||
        last_trap.error_code != (PFEC_PRESENT | PFEC_WRITE))
        test_fail("M2P write: %u traps, vec %lu ec %#lx (expected #PF, ec 3)",
                  last_trap.count, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.error_code);
    if (m2p[mfn] != virt_to_pfn(spare_page))
        test_fail("M2P entry of mfn %#lx changed to %#lx", mfn, m2p[mfn]);
}

static uint64_t self_l4[512] __page_aligned_bss;

static void test_l4_self_map(void)
{
    const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    unsigned long l4_mfn = virt_to_mfn(l4), new_mfn = virt_to_mfn(self_l4);
    uint64_t base = (uint64_t)l4_mfn << PAGE_SHIFT;
    unsigned int slot;

    /* A free guest slot above the hypervisor's 256-271. */
    for (slot = 272; slot < 511 && l4[slot]; slot++)
        ;
    if (slot == 511) {
        test_error("no free L4 slot for the self-map attempt");
        return;
    }
    CHECK_RC("L4 self-map RW in the live L4",
             mmu_update_one(base + slot * 8, base | PTE_P | PTE_RW | PTE_A | PTE_D),
             -XEN_EINVAL);
    CHECK_RC("L4 self-map RO in the live L4 (Xen: 0 with pv-linear-pt)",
             mmu_update_one(base + slot * 8, base | PTE_P | PTE_A), -XEN_EINVAL);
    CHECK_RC("L4 self-map RO, user, in the live L4",
             mmu_update_one(base + slot * 8, base | PTE_P | PTE_US | PTE_A),
             -XEN_EINVAL);
    if (l4[slot])
        test_fail("L4 slot %u holds %#lx after the refused self-maps", slot,
                  (unsigned long)l4[slot]);

    /* A fresh L4: the kernel's slot 511, and slot `slot` mapping itself. */
    memset(self_l4, 0, sizeof(self_l4));
    self_l4[511] = l4[511];
    self_l4[slot] = ((uint64_t)new_mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
    if (!CHECK_RC("make the fresh L4 read-only", set_page_writable(self_l4, false), 0))
        return;
    CHECK_RC("PIN_L4 of an L4 mapping itself RW", mmuext_one(MMUEXT_PIN_L4_TABLE, new_mfn),
             -XEN_EINVAL);
    /* Still read-only: write the RO variant through mmu_update (plain
     * writable-page frame, not yet a table: a normal write). */
    CHECK_RC("rewrite the self entry read-only",
             mmu_update_one(((uint64_t)new_mfn << PAGE_SHIFT) + slot * 8,
                            ((uint64_t)new_mfn << PAGE_SHIFT) | PTE_P | PTE_A), 0);
    CHECK_RC("PIN_L4 of an L4 mapping itself RO (Xen: 0 with pv-linear-pt)",
             mmuext_one(MMUEXT_PIN_L4_TABLE, new_mfn), -XEN_EINVAL);
    CHECK_RC("NEW_BASEPTR to the refused L4", mmuext_one(MMUEXT_NEW_BASEPTR, new_mfn),
             -XEN_EINVAL);
    /* The refused validations left no type behind: the page is plain again. */
    CHECK_RC("make the refused L4 writable again", set_page_writable(self_l4, true), 0);
    self_l4[slot] = 0;
}

static void test_still_healthy(void)
{
    volatile uint64_t *spare = (volatile uint64_t *)spare_page;

    if (hypervisor_xen_version(XENVER_version, NULL) <= 0)
        test_fail("xen_version fails after the hostile attempts");
    CHECK_RC("valid mmu_update afterwards",
             mmu_update_one(spare_l1e_ma,
                            ((uint64_t)virt_to_mfn(spare_page) << PAGE_SHIFT) |
                            PTE_P | PTE_RW | PTE_A | PTE_D), 0);
    spare[0] = 42;
    if (spare[0] != 42)
        test_fail("spare page no longer usable");
}

void test_main(void)
{
    if (!l1e_of(spare_page, &spare_l1e_ma)) {
        test_error("no PTE for %p", (void *)spare_page);
        return;
    }
    test_foreign_frames();
    test_pinned_tables();
    test_reserved_slots();
    test_m2p_write();
    test_l4_self_map();
    test_still_healthy();
}
