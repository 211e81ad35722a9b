// SPDX-License-Identifier: GPL-2.0-only
/*
 * ldt: MMUEXT_SET_LDT and selectors with TI=1 (contract 2.5; Xen mm.c
 * MMUEXT_SET_LDT, pv/descriptor-tables.c, shadow-LDT faults in
 * traps.c/pv/mm.c). Checks:
 *  - SET_LDT with a misaligned base or more than 8192 entries: -EINVAL;
 *  - with the LDT page still mapped writable, loading an LDT selector is
 *    the guest's #PF at its own LDT address (the page cannot be typed as a
 *    descriptor page while writable);
 *  - once the page is read-only, an LDT data selector loads (the shim maps
 *    the page on the CPU's first access), a not-present entry gives #NP
 *    with the selector as error code, and a descriptor with DPL 0 was
 *    forced to DPL 3 so it loads too;
 *  - after SET_LDT(0, 0) the same selector gives #GP(selector).
 */
#include "guest.h"
#include "traps.h"

TEST_DESC("ldt", "MMUEXT_SET_LDT and lazily mapped LDT pages", 0);

static uint64_t ldt[512] __page_aligned_bss;

#define SEL_DATA     0x07   /* index 0, TI, RPL 3 */
#define SEL_NP       0x0f   /* index 1: not present */
#define SEL_DPL0     0x17   /* index 2: written with DPL 0 */

static long set_ldt(const void *base, unsigned int ents)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_SET_LDT,
        .arg1.linear_addr = (unsigned long)base,
        .arg2.nr_ents = ents,
    };

    return hypervisor_mmuext_op(&op, 1, NULL);
}

/* Load sel into %fs; returns the trap vector (-1 if none), *ec its code. */
static long load_fs(uint16_t sel, uint64_t *ec)
{
    uint64_t at;

    trap_reset();
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: mov %1, %%fs\n"
                 "2:\n" ASM_EXTABLE(1b, 2b)
                 : "=&r"(at) : "r"((uint32_t)sel) : "memory");
    asm volatile("mov %0, %%fs" :: "r"(0));
    if (!last_trap.count)
        return -1;
    *ec = last_trap.error_code;
    if (last_trap.rip != at)
        test_fail("trap for %#x at %#lx, expected %#lx", sel,
                  (unsigned long)last_trap.rip, (unsigned long)at);
    return (long)last_trap.vector;
}

void test_main(void)
{
    uint64_t ec = 0;
    long vec;

    ldt[0] = 0x00cff3000000ffffULL;     /* flat data, DPL 3 */
    ldt[1] = 0x00cf73000000ffffULL;     /* not present */
    ldt[2] = 0x00cf93000000ffffULL;     /* data, DPL 0 */

    CHECK_RC("SET_LDT misaligned", set_ldt((char *)ldt + 8, 3), -XEN_EINVAL);
    CHECK_RC("SET_LDT 8193 entries", set_ldt(ldt, 8193), -XEN_EINVAL);

    /* Still writable: the shim cannot take it as a descriptor page. */
    if (!CHECK_RC("SET_LDT (page writable)", set_ldt(ldt, 3), 0))
        return;
    vec = load_fs(SEL_DATA, &ec);
    if (vec != 14 || last_trap.cr2 != (uint64_t)(unsigned long)ldt)
        test_fail("LDT load with a writable LDT page: vector %ld cr2 %#lx, "
                  "expected #PF at %p", vec, (unsigned long)last_trap.cr2, (void *)ldt);

    if (!CHECK_RC("make the LDT page read-only", set_page_writable(ldt, false), 0))
        return;
    vec = load_fs(SEL_DATA, &ec);
    if (vec != -1)
        test_fail("LDT data selector: vector %ld ec %#lx, expected no trap", vec,
                  (unsigned long)ec);
    vec = load_fs(SEL_NP, &ec);
    if (vec != 11 || ec != (SEL_NP & ~3u))
        test_fail("not-present LDT entry: vector %ld ec %#lx, expected #NP(%#x)",
                  vec, (unsigned long)ec, SEL_NP & ~3u);
    vec = load_fs(SEL_DPL0, &ec);
    if (vec != -1)
        test_fail("DPL-0 LDT entry (forced to DPL 3): vector %ld ec %#lx", vec,
                  (unsigned long)ec);
    if (((ldt[2] >> 45) & 3) != 3)
        test_fail("DPL of LDT entry 2 is %lu, expected 3",
                  (unsigned long)((ldt[2] >> 45) & 3));

    CHECK_RC("SET_LDT(0, 0)", set_ldt(NULL, 0), 0);
    vec = load_fs(SEL_DATA, &ec);
    if (vec != 13 || ec != (SEL_DATA & ~3u))
        test_fail("LDT selector without an LDT: vector %ld ec %#lx, expected #GP(%#x)",
                  vec, (unsigned long)ec, SEL_DATA & ~3u);
    CHECK_RC("the LDT page writable again", set_page_writable(ldt, true), 0);
}
