// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptwr: writable page tables as Linux uses them. A PV kernel may write the
 * entries of its pinned, read-only-mapped L1 tables with ordinary stores;
 * the write faults and the hypervisor emulates it after validating the new
 * entry exactly as mmu_update would (xen/arch/x86/pv/ro-page-fault.c
 * ptwr_emulated_update / ptwr_emulated_cmpxchg, x86_emulate for the
 * instruction; contract 2.5). Linux depends on it: xen_set_pte_init writes
 * PTEs directly, ptep_get_and_clear is an xchg, ptep_set_wrprotect a
 * `lock btr $_PAGE_BIT_RW`, set_pte_atomic/cmpxchg a `lock cmpxchg`.
 *
 * Set-up: a private L1 (read-only, pinned) is hooked into an empty L2 slot
 * of the builder's tables, so that VA window W maps through it. Each store
 * goes to the L1 through its read-only mapping; afterwards the entry must
 * read back as stored (modulo the A/D/U/G bits the CPU and Xen may set) and
 * the mapping must behave (after MMUEXT_INVLPG_LOCAL: Xen does not flush
 * for the guest, mm.c):
 *  - mov (8 bytes): remap W to frame B, W shows B's content.
 *  - xchg: remap to A; the register gets the old entry.
 *  - lock cmpxchg that matches: ZF=1, RAX kept, entry replaced; one that
 *    does not: ZF=0, RAX = current entry, entry unchanged.
 *  - lock btr $1 (clear RW): CF = old bit (1); a write through W then
 *    faults: #PF, error code P|W = 3 (Xen clears the U bit for a guest
 *    kernel, pv/traps.c pv_inject_event), CR2 = W. Again: CF = 0.
 *  - lock bts $1: CF = 0; the write through W works.
 *  - lock andb $~2 on the entry's low byte (sub-word stores are merged
 *    into the 8-byte entry, ptwr_emulated_update): RW clear, rest kept.
 *  - lock orq with a register: RW set again.
 * Refused stores: an entry that maps a frame the guest does not own (MFN
 * 0x100, the shim image; Xen's own frames in Xen), or that maps the pinned
 * L1 itself writable, fails get_page_from_l1e; ptwr_emulated_update then
 * answers X86EMUL_UNHANDLEABLE and the original fault is injected: #PF with
 * error code 3 at the store, CR2 = the entry, and the entry is unchanged.
 */
#include "guest.h"

TEST_DESC("ptwr", "writable page-table emulation of mov/xchg/cmpxchg/bt*/and/or", 0);

#define SHIM_MFN   0x100UL
#define MAGIC_A    0xaaaa0000aaaa0001ULL
#define MAGIC_B    0xbbbb0000bbbb0002ULL
#define PTE_CMP    (PTE_ADDR | PTE_P | PTE_RW)  /* bits that must read back */
#define EFL_CF     0x001ULL
#define EFL_ZF     0x040ULL

static uint8_t l1_page[PAGE_SIZE] __page_aligned_bss;
static uint8_t page_a[PAGE_SIZE] __page_aligned_bss;
static uint8_t page_b[PAGE_SIZE] __page_aligned_bss;

static volatile uint64_t *l1;   /* the L1, through its read-only mapping */
static volatile uint64_t *win;  /* VA mapped by l1[0] */
static uint64_t l2e_ma;         /* machine address of the L2 slot we hook */

static uint64_t pte_of(const void *va, uint64_t flags)
{
    return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) | flags;
}

static void invlpg(const volatile void *va)
{
    mmuext_one(MMUEXT_INVLPG_LOCAL, (unsigned long)va);
}

static void check_entry(const char *what, unsigned int idx, uint64_t want)
{
    if ((l1[idx] & PTE_CMP) != (want & PTE_CMP))
        test_fail("%s: entry %u reads %#lx, expected %#lx", what, idx,
                  (unsigned long)l1[idx], (unsigned long)want);
}

/* Read through the window after a flush; expect the content of a page. */
static void check_window(const char *what, uint64_t want)
{
    invlpg(win);
    if (win[0] != want)
        test_fail("%s: window reads %#lx, expected %#lx", what,
                  (unsigned long)win[0], (unsigned long)want);
}

/* Write through the window; returns true if it faulted (and checks how). */
static bool window_write_faults(const char *what, uint64_t val)
{
    uint64_t at;

    invlpg(win);
    at = store_catching_fault(win, val);
    if (!last_trap.count)
        return false;
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_PF ||
        last_trap.rip != at || last_trap.error_code != (PFEC_PRESENT | PFEC_WRITE) ||
        last_trap.cr2 != (uint64_t)win)
        test_fail("%s: got %u traps, vec %lu rip %#lx ec %#lx cr2 %#lx; expected #PF ec 3 at %#lx cr2 %p",
                  what, last_trap.count, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.rip, (unsigned long)last_trap.error_code,
                  (unsigned long)last_trap.cr2, (unsigned long)at, (void *)win);
    return true;
}

/* Any trap during an emulated store is a failure. */
static void expect_no_trap(const char *what)
{
    if (last_trap.count)
        test_fail("%s: the store trapped (vec %lu ec %#lx at %#lx) instead of being emulated",
                  what, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.error_code, (unsigned long)last_trap.rip);
}

static bool setup(void)
{
    unsigned long l1_mfn = virt_to_mfn(l1_page);
    const uint64_t *l2e = NULL;
    unsigned long va;
    uint64_t *w = (uint64_t *)l1_page;

    ((volatile uint64_t *)page_a)[0] = MAGIC_A;
    ((volatile uint64_t *)page_b)[0] = MAGIC_B;

    /* An empty 2 MiB slot in the L2 that maps the kernel image. */
    for (va = GUEST_VIRT_BASE + (1UL << 21); va < GUEST_VIRT_BASE + (1UL << 30);
         va += 1UL << 21) {
        l2e = pt_walk((const void *)start_info->pt_base, va, 2, &l2e_ma);
        if (l2e && !(*l2e & PTE_P))
            break;
        l2e = NULL;
    }
    if (!l2e) {
        test_error("no free L2 slot above the initial mapping");
        return false;
    }
    win = (volatile uint64_t *)va;

    memset(l1_page, 0, PAGE_SIZE);
    w[0] = pte_of(page_a, PTE_P | PTE_RW | PTE_A | PTE_D);
    if (!CHECK_RC("make L1 read-only", set_page_writable(l1_page, false), 0))
        return false;
    if (!CHECK_RC("PIN_L1", mmuext_one(MMUEXT_PIN_L1_TABLE, l1_mfn), 0))
        return false;
    if (!CHECK_RC("hook L1 into L2",
                  mmu_update_one(l2e_ma, ((uint64_t)l1_mfn << PAGE_SHIFT) |
                                         PTE_P | PTE_RW | PTE_A), 0))
        return false;
    l1 = (volatile uint64_t *)l1_page;
    printk("L1 mfn %#lx hooked at %p\n", l1_mfn, (void *)win);
    check_window("initial mapping", MAGIC_A);
    return true;
}

static void teardown(void)
{
    CHECK_RC("unhook L1", mmu_update_one(l2e_ma, 0), 0);
    CHECK_RC("flush", mmuext_one(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    CHECK_RC("UNPIN L1", mmuext_one(MMUEXT_UNPIN_TABLE, virt_to_mfn(l1_page)), 0);
    CHECK_RC("make L1 writable again", set_page_writable(l1_page, true), 0);
}

static void test_mov_xchg(void)
{
    uint64_t b = pte_of(page_b, PTE_P | PTE_RW | PTE_A | PTE_D);
    uint64_t a = pte_of(page_a, PTE_P | PTE_RW | PTE_A | PTE_D);
    uint64_t r;

    trap_reset();
    asm volatile("movq %1, (%0)" :: "r"(l1), "r"(b) : "memory");
    expect_no_trap("mov");
    check_entry("mov", 0, b);
    check_window("mov to frame B", MAGIC_B);

    r = a;
    trap_reset();
    asm volatile("xchgq %0, (%1)" : "+r"(r) : "r"(l1) : "memory");
    expect_no_trap("xchg");
    if ((r & PTE_CMP) != (b & PTE_CMP))
        test_fail("xchg: register got %#lx, expected the old entry %#lx",
                  (unsigned long)r, (unsigned long)b);
    check_entry("xchg", 0, a);
    check_window("xchg to frame A", MAGIC_A);
}

static void test_cmpxchg(void)
{
    uint64_t b = pte_of(page_b, PTE_P | PTE_RW | PTE_A | PTE_D);
    uint64_t a = pte_of(page_a, PTE_P | PTE_RW | PTE_A | PTE_D);
    uint64_t cur = l1[0], rax = cur, wrong;
    uint8_t zf;

    trap_reset();
    asm volatile("lock cmpxchgq %2, (%3)\n"
                 "setz %1"
                 : "+a"(rax), "=q"(zf) : "r"(b), "r"(l1) : "memory", "cc");
    expect_no_trap("cmpxchg (match)");
    if (!zf || rax != cur)
        test_fail("cmpxchg (match): ZF %u RAX %#lx, expected ZF 1 RAX %#lx",
                  zf, (unsigned long)rax, (unsigned long)cur);
    check_entry("cmpxchg (match)", 0, b);
    check_window("cmpxchg to frame B", MAGIC_B);

    cur = l1[0];
    wrong = rax = cur ^ (1ULL << PAGE_SHIFT);
    trap_reset();
    asm volatile("lock cmpxchgq %2, (%3)\n"
                 "setz %1"
                 : "+a"(rax), "=q"(zf) : "r"(a), "r"(l1) : "memory", "cc");
    expect_no_trap("cmpxchg (mismatch)");
    if (zf || rax != cur)
        test_fail("cmpxchg (mismatch, RAX %#lx): ZF %u RAX %#lx, expected ZF 0 RAX %#lx",
                  (unsigned long)wrong, zf, (unsigned long)rax, (unsigned long)cur);
    check_entry("cmpxchg (mismatch)", 0, b);
    check_window("after failed cmpxchg", MAGIC_B);
}

static void test_bit_ops(void)
{
    uint64_t rw = pte_of(page_b, PTE_P | PTE_RW);
    uint64_t ro = pte_of(page_b, PTE_P);
    uint8_t cf;

    trap_reset();
    asm volatile("lock btrq $1, (%1)\n"
                 "setc %0" : "=q"(cf) : "r"(l1) : "memory", "cc");
    expect_no_trap("lock btr $1");
    if (cf != 1)
        test_fail("lock btr $1: CF %u, expected 1 (RW was set)", cf);
    check_entry("lock btr $1", 0, ro);
    if (!window_write_faults("write after btr", 1))
        test_fail("write through the window did not fault after btr cleared RW");
    check_window("read after btr", MAGIC_B);

    trap_reset();
    asm volatile("lock btrq $1, (%1)\n"
                 "setc %0" : "=q"(cf) : "r"(l1) : "memory", "cc");
    expect_no_trap("lock btr $1 again");
    if (cf != 0)
        test_fail("lock btr $1 again: CF %u, expected 0", cf);
    check_entry("lock btr $1 again", 0, ro);

    trap_reset();
    asm volatile("lock btsq $1, (%1)\n"
                 "setc %0" : "=q"(cf) : "r"(l1) : "memory", "cc");
    expect_no_trap("lock bts $1");
    if (cf != 0)
        test_fail("lock bts $1: CF %u, expected 0 (RW was clear)", cf);
    check_entry("lock bts $1", 0, rw);
    if (window_write_faults("write after bts", MAGIC_B + 0x10))
        test_fail("write through the window faulted after bts set RW");
    if (((volatile uint64_t *)page_b)[0] != MAGIC_B + 0x10)
        test_fail("write through the window did not reach frame B");
    ((volatile uint64_t *)page_b)[0] = MAGIC_B;
}

static void test_logic_ops(void)
{
    uint64_t rw = pte_of(page_b, PTE_P | PTE_RW);
    uint64_t ro = pte_of(page_b, PTE_P);
    uint64_t before = l1[0];

    trap_reset();
    asm volatile("lock andb $0xfd, (%0)" :: "r"(l1) : "memory", "cc");
    expect_no_trap("lock andb $~2");
    check_entry("lock andb $~2", 0, ro);
    if ((l1[0] & ~0xffULL) != (before & ~0xffULL))
        test_fail("lock andb $~2 changed bytes 1-7: %#lx -> %#lx",
                  (unsigned long)before, (unsigned long)l1[0]);
    if (!window_write_faults("write after andb", 1))
        test_fail("write through the window did not fault after andb cleared RW");

    trap_reset();
    asm volatile("lock orq %1, (%0)" :: "r"(l1), "r"(PTE_RW) : "memory", "cc");
    expect_no_trap("lock orq");
    check_entry("lock orq $RW", 0, rw);
    if (window_write_faults("write after orq", MAGIC_B))
        test_fail("write through the window faulted after orq set RW");
    check_window("read after orq", MAGIC_B);
}

/* A store the emulation must refuse: #PF ec 3 at the store, entry kept. */
static void refused_store(const char *what, unsigned int idx, uint64_t val)
{
    volatile uint64_t *slot = &l1[idx];
    uint64_t before = *slot, at;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq %1, (%2)\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"(val), "r"(slot) : "memory");
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_PF ||
        last_trap.rip != at ||
        last_trap.error_code != (PFEC_PRESENT | PFEC_WRITE) ||
        last_trap.cr2 != (uint64_t)slot)
        test_fail("%s: got %u traps (vec %lu rip %#lx ec %#lx cr2 %#lx), expected #PF ec 3 at %#lx cr2 %p",
                  what, last_trap.count, (unsigned long)last_trap.vector,
                  (unsigned long)last_trap.rip, (unsigned long)last_trap.error_code,
                  (unsigned long)last_trap.cr2, (unsigned long)at, (void *)slot);
    if (*slot != before)
        test_fail("%s: entry %u changed %#lx -> %#lx", what, idx,
                  (unsigned long)before, (unsigned long)*slot);
}

static void test_refused(void)
{
    refused_store("store of an entry mapping shim MFN 0x100 RW", 1,
                  ((uint64_t)SHIM_MFN << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A);
    refused_store("store of an entry mapping shim MFN 0x100 RO", 1,
                  ((uint64_t)SHIM_MFN << PAGE_SHIFT) | PTE_P | PTE_A);
    refused_store("store of an entry mapping the pinned L1 writable", 1,
                  pte_of(l1_page, PTE_P | PTE_RW | PTE_A));
    refused_store("store replacing a live entry with the shim MFN", 0,
                  ((uint64_t)SHIM_MFN << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A);
    check_window("live entry after the refused store", MAGIC_B);

    /* Still healthy: a valid store through the same path works. */
    trap_reset();
    asm volatile("movq %1, (%0)" :: "r"(&l1[1]),
                 "r"(pte_of(l1_page, PTE_P | PTE_A)) : "memory");
    expect_no_trap("read-only self-mapping store");
    check_entry("read-only self-mapping store", 1, pte_of(l1_page, PTE_P));
    trap_reset();
    asm volatile("movq %1, (%0)" :: "r"(&l1[1]), "r"(0UL) : "memory");
    expect_no_trap("clearing store");
    check_entry("clearing store", 1, 0);
}

void test_main(void)
{
    if (!setup())
        return;
    test_mov_xchg();
    test_cmpxchg();
    test_bit_ops();
    test_logic_ops();
    test_refused();
    teardown();
}
