// SPDX-License-Identifier: GPL-2.0-only
/*
 * start_info (shim/pv-start-info.c) against pv-guest-contract.md 1.6, for
 * the layouts test-pv-layout.c checks; and the 64-bit hypercall page,
 * disassembled slot by slot with capstone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <capstone/capstone.h>
#include <string.h>
#include "pv-test.h"

#define MIB(x) ((uint64_t)(x) << 20)

static struct domain test_dom = {
    .nr_pages = MIB(256) >> PAGE_SHIFT,
    .first_mfn = 0x40000,
    .shared_info_mfn = 0x3ffff,
    .store_port = 1,
    .console_port = 2,
};

static void layout(const struct xen_elf_info *elf, uint64_t initrd, struct pv_layout *l)
{
    char err[160] = "";

    assert_int_equal(pv_layout_compute(elf, test_dom.nr_pages, initrd, l,
                                       err, sizeof(err)), 0);
}

/* Fields that do not depend on the initrd or the p2m placement. */
static void check_fixed(const struct start_info *si, const struct pv_layout *l)
{
    char magic[32] = "xen-3.0-x86_64";

    assert_memory_equal(si->magic, magic, sizeof(magic));
    assert_int_equal(si->nr_pages, test_dom.nr_pages);
    /* A machine address, not a frame number. */
    assert_int_equal(si->shared_info, 0x3ffff000);
    assert_true(si->flags & SIF_VIRT_P2M_4TOOLS);
    assert_int_equal(si->flags & ~(SIF_VIRT_P2M_4TOOLS | SIF_MOD_START_PFN), 0);
    assert_int_equal(si->store_mfn, 0x40000 + l->xenstore_pfn);
    assert_int_equal(si->store_evtchn, 1);
    assert_int_equal(si->console.domU.mfn, 0x40000 + l->console_pfn);
    assert_int_equal(si->console.domU.evtchn, 2);
    assert_int_equal(si->pt_base, l->virt_base + (l->pt_pfn << PAGE_SHIFT));
    assert_int_equal(si->nr_pt_frames, pv_layout_nr_pt(l));
}

void test_start_info_debian(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    struct start_info si;

    pv_test_debian_elf(&elf);
    layout(&elf, MIB(20) + 100, &l);
    memset(&si, 0xa5, sizeof(si));
    pv_fill_start_info(&si, &l, &test_dom, &elf, MIB(20) + 100, "console=hvc0");
    check_fixed(&si, &l);
    assert_int_equal(si.pt_base, 0xffffffff82e04000);
    assert_int_equal(si.nr_pt_frames, 27);
    /* Unmapped initrd: a PFN and whole pages (contract 1.3.8). */
    assert_int_equal(si.flags, SIF_VIRT_P2M_4TOOLS | SIF_MOD_START_PFN);
    assert_int_equal(si.mod_start, 0x3000);
    assert_int_equal(si.mod_len, 5121 * PAGE_SIZE);
    /* p2m at INIT_P2M: the array plus its three tables (1.3.9). */
    assert_int_equal(si.mfn_list, 0x8000000000);
    assert_int_equal(si.first_p2m_pfn, l.p2m_pfn);
    assert_int_equal(si.nr_p2m_frames, 128 + 3);
    assert_string_equal((const char *)si.cmd_line, "console=hvc0");
    for (size_t i = strlen("console=hvc0"); i < sizeof(si.cmd_line); i++)
        assert_int_equal(si.cmd_line[i], 0);
}

void test_start_info_mapped_initrd(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    struct start_info si;

    pv_test_small_elf(&elf);
    layout(&elf, 3 * PAGE_SIZE + 1, &l);
    memset(&si, 0xa5, sizeof(si));
    pv_fill_start_info(&si, &l, &test_dom, &elf, 3 * PAGE_SIZE + 1, "");
    check_fixed(&si, &l);
    /* Mapped initrd: a VA and the exact byte count. */
    assert_int_equal(si.flags, SIF_VIRT_P2M_4TOOLS);
    assert_int_equal(si.mod_start, 0xffffffff80110000);
    assert_int_equal(si.mod_len, 3 * PAGE_SIZE + 1);
    /* p2m inside the initial mapping: no first_p2m_pfn range. */
    assert_int_equal(si.mfn_list, l.virt_base + (l.p2m_pfn << PAGE_SHIFT));
    assert_int_equal(si.first_p2m_pfn, 0);
    assert_int_equal(si.nr_p2m_frames, 0);
    for (size_t i = 0; i < sizeof(si.cmd_line); i++)
        assert_int_equal(si.cmd_line[i], 0);
}

void test_start_info_no_initrd(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    struct start_info si;

    /* MOD_START_PFN without an initrd must not set the flag. */
    pv_test_debian_elf(&elf);
    layout(&elf, 0, &l);
    memset(&si, 0xa5, sizeof(si));
    pv_fill_start_info(&si, &l, &test_dom, &elf, 0, "x");
    check_fixed(&si, &l);
    assert_int_equal(si.flags, SIF_VIRT_P2M_4TOOLS);
    assert_int_equal(si.mod_start, 0);
    assert_int_equal(si.mod_len, 0);
    assert_int_equal(si.mfn_list, 0x8000000000);
    assert_int_equal(si.first_p2m_pfn, (l.virt_end - l.virt_base) >> PAGE_SHIFT);
}

/* cmd_line holds at most MAX_GUEST_CMDLINE - 1 characters and a NUL. */
void test_start_info_cmdline(void **state)
{
    static const size_t lens[] = { 1022, 1023, 1024, 2000 };
    struct xen_elf_info elf;
    struct pv_layout l;
    struct start_info si;
    char cmd[2001];

    pv_test_small_elf(&elf);
    layout(&elf, 0, &l);
    for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
        size_t want = MIN(lens[k], (size_t)MAX_GUEST_CMDLINE - 1);

        for (size_t i = 0; i < lens[k]; i++)
            cmd[i] = (char)('a' + i % 26);
        cmd[lens[k]] = '\0';
        memset(&si, 0xa5, sizeof(si));
        pv_fill_start_info(&si, &l, &test_dom, &elf, 0, cmd);
        assert_memory_equal(si.cmd_line, cmd, want);
        for (size_t i = want; i < sizeof(si.cmd_line); i++)
            assert_int_equal(si.cmd_line[i], 0);
        /* Nothing after cmd_line was touched by the copy. */
        assert_int_equal(si.first_p2m_pfn, 0);
    }
}

/* One instruction of a stub: id, and its single register or reg+imm operands. */
static void expect_insn(const cs_insn *in, unsigned int id, x86_reg reg, int64_t imm,
                        unsigned int size)
{
    const cs_x86 *x = &in->detail->x86;

    assert_int_equal(in->id, id);
    assert_int_equal(in->size, size);
    if (reg == X86_REG_INVALID) {
        assert_int_equal(x->op_count, 0);
        return;
    }
    assert_int_equal(x->op_count, imm < 0 ? 1 : 2);
    assert_int_equal(x->operands[0].type, X86_OP_REG);
    assert_int_equal(x->operands[0].reg, reg);
    if (imm >= 0) {
        assert_int_equal(x->operands[1].type, X86_OP_IMM);
        assert_int_equal(x->operands[1].imm, imm);
    }
}

void test_hypercall_page(void **state)
{
    static uint8_t page[PAGE_SIZE];
    csh cs;

    assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    assert_int_equal(cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON), CS_ERR_OK);
    memset(page, 0x5a, sizeof(page));
    pv_fill_hypercall_page(page);

    for (unsigned int nr = 0; nr < PAGE_SIZE / 32; nr++) {
        const uint8_t *slot = page + nr * 32;
        bool iret = nr == __HYPERVISOR_iret;
        size_t want = iret ? 5 : 7, used = 0;
        cs_insn *in;
        size_t n = cs_disasm(cs, slot, 32, 0, want, &in);

        assert_int_equal(n, want);
        expect_insn(&in[0], X86_INS_PUSH, X86_REG_RCX, -1, 1);
        expect_insn(&in[1], X86_INS_PUSH, X86_REG_R11, -1, 2);
        if (iret)
            expect_insn(&in[2], X86_INS_PUSH, X86_REG_RAX, -1, 1);
        expect_insn(&in[iret ? 3 : 2], X86_INS_MOV, X86_REG_EAX, nr, 5);
        expect_insn(&in[iret ? 4 : 3], X86_INS_SYSCALL, X86_REG_INVALID, 0, 2);
        if (!iret) {
            expect_insn(&in[4], X86_INS_POP, X86_REG_R11, -1, 2);
            expect_insn(&in[5], X86_INS_POP, X86_REG_RCX, -1, 1);
            expect_insn(&in[6], X86_INS_RET, X86_REG_INVALID, 0, 1);
        }
        for (size_t i = 0; i < n; i++)
            used += in[i].size;
        assert_int_equal(used, iret ? 11 : 14);
        /* The rest of the slot is int3, so a stray jump into it traps. */
        for (size_t i = used; i < 32; i++)
            assert_int_equal(slot[i], 0xcc);
        cs_free(in, n);
    }
    cs_close(&cs);
}
