// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-desc: descriptor tables and trap handlers a guest must not get
 * past the hypervisor (xen/arch/x86/pv/descriptor-tables.c, pv/callback.c;
 * contract 1.8, 2.7), and what the CPU does with what it accepted.
 *
 *  - set_gdt of a frame the guest still maps writable: get_page_type(
 *    PGT_seg_desc_page) fails: -EINVAL. With entries > 14 * 512
 *    (FIRST_RESERVED_GDT_ENTRY): -EINVAL before anything is read.
 *  - set_gdt of the frame mapped read-only: 0. Its descriptors were checked
 *    and fixed up in place (alloc_segdesc_page -> check_descriptor): a
 *    ring-0 code descriptor reads back with DPL 3 (__fixup_guest_selector,
 *    GUEST_KERNEL_RPL = 3 for a 64-bit guest). Making the frame writable
 *    while it is a GDT: -EBUSY (mm.c get_page_from_l1e, as for page tables).
 *  - update_descriptor into the live GDT: a DPL-0 code descriptor is
 *    accepted and stored with DPL 3; a TSS, an LDT descriptor and a call
 *    gate whose target is a hypervisor selector (0xe008, not
 *    guest_gate_selector_okay) are refused: -EINVAL; so is a misaligned
 *    address, and a page-table frame (PGT_writable_page fails): -EINVAL.
 *    (Xen would accept a call gate to a guest selector with its DPL forced
 *    to 0; the shim refuses all system descriptors, seg-desc.c, so no
 *    such case is tested.)
 *  - Loading selectors with `mov %ax, %ds` in the guest: the CPU checks
 *    them, the hypervisor only passes the fault on (traps.c
 *    do_general_protection: non-zero error code => "pass on GPF as is"):
 *    our DPL-3 data segment loads; an execute-only code segment, an empty
 *    slot, the hypervisor's ring-0 data (0xe010), its TSS (0xe040) and a
 *    selector past the GDT limit (0xf000) give #GP(selector); a not-present
 *    data segment gives #NP(selector). The shim must stay healthy.
 *  - set_trap_table with a non-canonical handler: -EINVAL (do_set_trap_table
 *    is_canonical_address); CALLBACKOP_register likewise.
 *    Shim policy, stricter than Xen: a handler inside the hypervisor area
 *    (0xffff800000000000-0xffff87ffffffffff) is refused with -EINVAL too
 *    (callback.c handler_ok); Xen only checks canonicality and returns 0.
 *    This is the one expectation that differs on real Xen.
 *  - Last: HYPERVISOR_iret to the hypervisor's own code selector 0xe008
 *    (RPL 0, flags 0 so the exit is an iretq, not sysret). Xen's do_iret
 *    (pv/iret.c) ORs RPL 3 into CS ("regs->cs = iret_saved.cs | 3"), so the
 *    CPU is asked for 0xe00b: a DPL-0 code segment with RPL 3, which iretq
 *    refuses with #GP; the faulting exit becomes a bounce to the failsafe
 *    callback (x86_64/entry.S, as in tests/guests/failsafe), whose frame
 *    shows the refused RIP and CS 0xe008 | RPL. The target RIP must never
 *    run. The failsafe handler checks the shim is healthy and reports.
 */
#include "guest.h"

TEST_DESC("hostile-desc", "GDT frames, descriptors, selectors and trap handlers", 0);

#define FIRST_RESERVED_GDT_ENTRY_ 7168

/* Descriptors (SDM vol. 3 3.4.5). */
#define CODE64_DPL0  0x00af9b000000ffffULL  /* P, S, code exec/read, L */
#define CODE64_DPL3  0x00affb000000ffffULL
#define CODE_XONLY   0x00af98000000ffffULL  /* code, execute-only */
#define DATA_DPL3    0x00cff3000000ffffULL  /* data read/write */
#define DATA_NP      0x00cf73000000ffffULL  /* data, DPL 3, not present */
#define TSS_DESC     0x0000890000000067ULL  /* available 64-bit TSS */
#define LDT_DESC     0x0000820000000fffULL  /* LDT */
#define DESC_DPL_MASK (3ULL << 45)

/* Slots in our GDT page. */
enum { SLOT_CODE = 1, SLOT_DATA, SLOT_XONLY, SLOT_EMPTY, SLOT_NP, SLOT_UPD };
#define SEL(slot) (((slot) << 3) | 3)

static uint64_t gdt[512] __page_aligned_bss;

static uint64_t gdt_maddr(unsigned int slot)
{
    return ((uint64_t)virt_to_mfn(gdt) << PAGE_SHIFT) + slot * 8;
}

/*
 * Load sel into %ds, then restore the old %ds. Returns the vector of the
 * trap taken (-1 if none); *ec gets the error code.
 */
static long load_ds(uint16_t sel, uint64_t *ec)
{
    uint16_t old;
    uint64_t at;

    asm volatile("mov %%ds, %0" : "=r"(old));
    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: mov %1, %%ds\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"((uint32_t)sel) : "memory");
    asm volatile("mov %0, %%ds" :: "r"((uint32_t)old));
    if (!last_trap.count)
        return -1;
    if (last_trap.count != 1 || last_trap.rip != at)
        test_fail("load of %#x: %u traps, last at %#lx, expected one at %#lx",
                  sel, last_trap.count, (unsigned long)last_trap.rip,
                  (unsigned long)at);
    *ec = last_trap.error_code;
    return (long)last_trap.vector;
}

static void expect_fault(const char *what, uint16_t sel, long vec)
{
    uint64_t ec = 0;
    long got = load_ds(sel, &ec);

    if (got != vec || ec != (sel & ~3u))
        test_fail("mov %s (%#x) to %%ds: vector %ld ec %#lx, expected vector %ld ec %#x",
                  what, sel, got, (unsigned long)ec, vec, sel & ~3u);
}

static bool test_set_gdt(void)
{
    unsigned long frame = virt_to_mfn(gdt);

    memset(gdt, 0, sizeof(gdt));
    gdt[SLOT_CODE] = CODE64_DPL0;
    gdt[SLOT_DATA] = DATA_DPL3;
    gdt[SLOT_XONLY] = CODE_XONLY;
    gdt[SLOT_NP] = DATA_NP;

    CHECK_RC("set_gdt of a frame mapped writable",
             hypervisor_set_gdt(&frame, 16), -XEN_EINVAL);
    CHECK_RC("set_gdt with 14*512+1 entries",
             hypervisor_set_gdt(&frame, FIRST_RESERVED_GDT_ENTRY_ + 1), -XEN_EINVAL);

    if (!CHECK_RC("make the GDT frame read-only", set_page_writable(gdt, false), 0))
        return false;
    if (!CHECK_RC("set_gdt", hypervisor_set_gdt(&frame, 16), 0))
        return false;
    if ((gdt[SLOT_CODE] & DESC_DPL_MASK) != DESC_DPL_MASK)
        test_fail("DPL-0 code descriptor in the new GDT reads %#lx, expected DPL 3",
                  (unsigned long)gdt[SLOT_CODE]);
    CHECK_RC("make the live GDT frame writable", set_page_writable(gdt, true),
             -XEN_EBUSY);
    return true;
}

static void test_update_descriptor(void)
{
    uint64_t cs_e008_gate = (0xe008ULL << 16) | (0x8cULL << 40);   /* call gate, P, DPL 0 */
    const struct { const char *what; uint64_t desc; } bad[] = {
        { "TSS descriptor", TSS_DESC },
        { "LDT descriptor", LDT_DESC },
        { "call gate to hypervisor selector 0xe008", cs_e008_gate },
    };
    uint64_t before;
    unsigned int i;
    char what[80];

    if (CHECK_RC("update_descriptor DPL-0 code",
                 hypervisor_update_descriptor(gdt_maddr(SLOT_UPD), CODE64_DPL0), 0) &&
        gdt[SLOT_UPD] != CODE64_DPL3)
        test_fail("updated descriptor reads %#lx, expected %#lx (DPL forced to 3)",
                  (unsigned long)gdt[SLOT_UPD], (unsigned long)CODE64_DPL3);

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        before = gdt[SLOT_UPD + 1];
        snprintf(what, sizeof(what), "update_descriptor %s", bad[i].what);
        CHECK_RC(what, hypervisor_update_descriptor(gdt_maddr(SLOT_UPD + 1),
                                                     bad[i].desc), -XEN_EINVAL);
        if (gdt[SLOT_UPD + 1] != before)
            test_fail("%s: slot changed to %#lx", what,
                      (unsigned long)gdt[SLOT_UPD + 1]);
    }
    CHECK_RC("update_descriptor misaligned",
             hypervisor_update_descriptor(gdt_maddr(SLOT_UPD) + 4, DATA_DPL3),
             -XEN_EINVAL);
    CHECK_RC("update_descriptor into the L4",
             hypervisor_update_descriptor(
                 (uint64_t)virt_to_mfn((void *)start_info->pt_base) << PAGE_SHIFT,
                 DATA_DPL3), -XEN_EINVAL);
}

static void test_selectors(void)
{
    uint64_t ec = 0;
    long vec;

    vec = load_ds(SEL(SLOT_DATA), &ec);
    if (vec != -1)
        test_fail("mov of our DPL-3 data selector to %%ds: vector %ld ec %#lx",
                  vec, (unsigned long)ec);
    expect_fault("execute-only code", SEL(SLOT_XONLY), X86_EXC_GP);
    expect_fault("empty slot", SEL(SLOT_EMPTY), X86_EXC_GP);
    expect_fault("not-present data", SEL(SLOT_NP), 11 /* #NP */);
    expect_fault("hypervisor ring-0 data", 0xe013, X86_EXC_GP);
    expect_fault("hypervisor TSS", 0xe043, X86_EXC_GP);
    expect_fault("past the GDT limit", 0xf003, X86_EXC_GP);
    CHECK_RC("xen_version after the faults",
             hypervisor_xen_version(XENVER_version, NULL) > 0, 1);
}

static void test_trap_handlers(void)
{
    static const struct { const char *what; unsigned long addr; } bad[] = {
        { "non-canonical", 0x0000800000000000UL },
        { "non-canonical (high)", 0xfff0000000000000UL },
        { "in the M2P (hypervisor area)", 0xffff800000000000UL },
        { "in the shim area", 0xffff830000001000UL },
    };
    struct callback_register cb = { .type = CALLBACKTYPE_failsafe };
    bool replaced = false;
    unsigned int i;
    char what[80];

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        snprintf(what, sizeof(what), "set_trap_table handler %s", bad[i].what);
        if (!CHECK_RC(what, trap_set(X86_EXC_UD, 0, (const void *)bad[i].addr),
                      -XEN_EINVAL))
            replaced = true;
        snprintf(what, sizeof(what), "CALLBACKOP_register failsafe %s", bad[i].what);
        cb.address = bad[i].addr;
        CHECK_RC(what, hypervisor_callback_op(CALLBACKOP_register, &cb),
                 -XEN_EINVAL);
    }

    /* The #UD handler is still ours (reinstalled if one got through). */
    if (replaced)
        CHECK_RC("reinstall the trap table", traps_init(), 0);
    trap_reset();
    asm volatile("1: ud2\n2:\n" ASM_EXTABLE(1b, 2b) ::: "memory");
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_UD)
        test_fail("ud2 after the refused handlers: %u traps, vector %lu",
                  last_trap.count, (unsigned long)last_trap.vector);
}

static void test_release(void)
{
    CHECK_RC("set_gdt with no entries", hypervisor_set_gdt(NULL, 0), 0);
    CHECK_RC("make the released GDT frame writable", set_page_writable(gdt, true), 0);
}

/* ---- iret naming the hypervisor's code selector ------------------------- */

#define HYPERVISOR_CS_ 0xe008       /* Xen's __HYPERVISOR_CS (and the shim's) */

static uint8_t iret_stack[4096] __aligned(16);
uint64_t hd_failsafe_stack_top = (uint64_t)(iret_stack + sizeof(iret_stack));
static struct iret_context iret_ctx __aligned(16);

void hd_failsafe_entry(void);
void hd_failsafe_c(const uint64_t *f);
void hd_never_run(void);
__asm__(".pushsection .text\n"
        ".globl hd_failsafe_entry\n"
        "hd_failsafe_entry:\n\t"
        "mov %rsp, %rdi\n\t"
        "mov hd_failsafe_stack_top(%rip), %rsp\n\t"
        "call hd_failsafe_c\n\t"
        "ud2\n"
        ".popsection");

/* Where the refused iret pointed: reaching it at all is the bug. */
void hd_never_run(void)
{
    uint16_t cs;

    asm volatile("mov %%cs, %0" : "=r"(cs));
    test_fail("iret to CS %#x ran the guest at %p with CS %#x (ring %u)",
              HYPERVISOR_CS_, (void *)hd_never_run, cs, cs & 3);
    test_exit();
}

void hd_failsafe_c(const uint64_t *f)
{
    /* Frame: RCX, R11, DS, ES, FS, GS, RIP, CS | mask << 32, RFLAGS, RSP, SS. */
    if (f[6] != (uint64_t)hd_never_run)
        test_fail("iret 0xe008: failsafe frame RIP %#lx, expected %p",
                  (unsigned long)f[6], (void *)hd_never_run);
    if ((f[7] & 0xfffc) != HYPERVISOR_CS_)
        test_fail("iret 0xe008: failsafe frame CS %#lx, expected %#x | RPL",
                  (unsigned long)(f[7] & 0xffff), HYPERVISOR_CS_);
    if (!vcpu_info->evtchn_upcall_mask)
        test_fail("iret 0xe008: events not masked in the failsafe callback");
    printk("iret to CS %#x refused: failsafe callback with rip %#lx cs %#lx\n",
           HYPERVISOR_CS_, (unsigned long)f[6], (unsigned long)(f[7] & 0xffff));
    /* Healthy: a hypercall, and a trap through our (unchanged) table. */
    CHECK_RC("xen_version after the iret bounce",
             hypervisor_xen_version(XENVER_version, NULL) >> 16, 4);
    trap_reset();
    asm volatile("1: ud2\n2:\n" ASM_EXTABLE(1b, 2b) ::: "memory");
    if (last_trap.count != 1 || last_trap.vector != X86_EXC_UD)
        test_fail("ud2 after the iret bounce: %u traps, vector %lu",
                  last_trap.count, (unsigned long)last_trap.vector);
    test_exit();
}

static __noreturn void test_iret_hypervisor_cs(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)hd_failsafe_entry,
    };

    if (!CHECK_RC("register failsafe callback",
                  hypervisor_callback_op(CALLBACKOP_register, &cb), 0))
        test_exit();
    iret_ctx.rax = 0;
    iret_ctx.flags = 0;             /* not VGCF_in_syscall: an iretq exit */
    iret_ctx.rip = (uint64_t)hd_never_run;
    iret_ctx.cs = HYPERVISOR_CS_;   /* RPL 0: "stay in kernel mode" */
    iret_ctx.rflags = 0x2;          /* IF clear: events stay masked */
    iret_ctx.rsp = hd_failsafe_stack_top - 512;
    iret_ctx.ss = FLAT_KERNEL_SS;
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "mov $23, %%eax\n\t"     /* __HYPERVISOR_iret */
                     "syscall\n\t"
                     "ud2"
                     :: "r"(&iret_ctx) : "memory");
    __builtin_unreachable();
}

void test_main(void)
{
    if (test_set_gdt()) {
        test_update_descriptor();
        test_selectors();
        test_release();
    }
    test_trap_handlers();
    test_iret_hypervisor_cs();
}
