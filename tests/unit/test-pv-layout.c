// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV boot layout (shim/pv-layout.c) against pv-guest-contract.md 1.3:
 * libxenguest's bump-pointer order, the 4 MiB / 512 KiB sizing rule of the
 * initial mapping, the table counts, the INIT_P2M and MOD_START_PFN cases,
 * and the refusals. start_info and the hypercall page: test-pv-start-info.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "pv-test.h"

#define MIB(x) ((uint64_t)(x) << 20)

/* Tables needed to map [from, to) with 4 KiB pages, computed the slow way. */
static unsigned int count_slow(uint64_t from, uint64_t to, uint64_t span)
{
    unsigned int n = 0;

    /* Stops at the top of the address space instead of wrapping. */
    for (uint64_t a = ALIGN_DOWN(from, span); a < to; a += span) {
        n++;
        if (a > UINT64_MAX - span)
            break;
    }
    return n;
}

/* Rules every layout must satisfy, whatever the kernel. */
static void check_common(const struct xen_elf_info *elf, uint64_t nr_pages,
                         const struct pv_layout *l)
{
    pfn_t magic = l->start_info_pfn;
    uint64_t map = l->virt_end - l->virt_base;
    uint64_t alloc_end = pv_layout_va(l, l->console_pfn + 1);

    /* 1: PFN == (VA - VIRT_BASE) >> 12 for the kernel (Linux __pa_symbol). */
    assert_int_equal(l->kernel_pfn, (elf->virt_kstart - elf->virt_base) >> PAGE_SHIFT);
    assert_int_equal(l->kernel_end_pfn,
                     ALIGN_UP(elf->virt_kend - elf->virt_base, PAGE_SIZE) >> PAGE_SHIFT);
    /* 4: start_info, xenstore, console back to back. */
    assert_int_equal(l->xenstore_pfn, magic + 1);
    assert_int_equal(l->console_pfn, magic + 2);
    /* 5, 6: page tables right after, then one stack page. */
    assert_int_equal(l->pt_pfn, magic + 3);
    assert_int_equal(l->nr_l4, 1);
    assert_int_equal(l->stack_pfn, l->pt_pfn + pv_layout_nr_pt(l));
    /* 7: 4 MiB aligned, >= 512 KiB after the stack, at most 1 GiB (Linux). */
    assert_true(IS_ALIGNED(l->virt_end, MIB(4)));
    assert_true(pv_layout_va(l, l->stack_pfn + 1) + 512 * 1024 <= l->virt_end);
    assert_true(map <= MIB(1024));
    /* The sizing rule's fixed point: roundup(alloc_end + (pt + 1 + 128) pages). */
    assert_int_equal(l->virt_end,
                     ALIGN_UP(alloc_end + (pv_layout_nr_pt(l) + 1 + 128) * PAGE_SIZE, MIB(4)));
    /* The tables map exactly [virt_base, virt_end). */
    assert_int_equal(l->nr_l3, count_slow(l->virt_base, l->virt_end, 1ULL << 39));
    assert_int_equal(l->nr_l2, count_slow(l->virt_base, l->virt_end, 1ULL << 30));
    assert_int_equal(l->nr_l1, count_slow(l->virt_base, l->virt_end, 1ULL << 21));
    assert_true(l->end_pfn <= nr_pages);
    assert_true(l->end_pfn >= map >> PAGE_SHIFT);
}

/* Debian 6.1: INIT_P2M and MOD_START_PFN, 20 MiB initrd, 256 MiB of RAM. */
static void test_debian_layout(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    char err[160] = "";
    uint64_t nr_pages = MIB(256) >> PAGE_SHIFT, initrd = MIB(20) + 100;

    pv_test_debian_elf(&elf);
    assert_int_equal(pv_layout_compute(&elf, nr_pages, initrd, &l, err, sizeof(err)), 0);
    check_common(&elf, nr_pages, &l);

    assert_int_equal(l.kernel_pfn, 0x1000);             /* paddr 0x1000000 */
    assert_int_equal(l.kernel_end_pfn, 0x2e01);
    assert_false(l.initrd_mapped);
    assert_true(l.p2m_at_init_p2m);
    /* Nothing between the kernel and start_info. */
    assert_int_equal(l.start_info_pfn, l.kernel_end_pfn);
    /* 48 MiB mapped: one L4, one L3, one L2, 24 L1s. */
    assert_int_equal(l.virt_end, 0xffffffff83000000);
    assert_int_equal(l.nr_l3, 1);
    assert_int_equal(l.nr_l2, 1);
    assert_int_equal(l.nr_l1, 24);
    assert_int_equal(l.stack_pfn, 0x2e04 + 27);
    /* 8: the unmapped initrd starts at the first PFN past the mapping. */
    assert_int_equal(l.initrd_pfn, 0x3000);
    assert_int_equal(l.initrd_pages, 5121);
    /* 9: p2m array (256 MiB -> 64 Ki entries -> 128 pages) then its tables. */
    assert_int_equal(l.p2m_va, 0x8000000000);
    assert_int_equal(l.p2m_pages, 128);
    assert_int_equal(l.p2m_pfn, 0x3000 + 5121);
    assert_int_equal(l.p2m_nr_l3, 1);
    assert_int_equal(l.p2m_nr_l2, 1);
    assert_int_equal(l.p2m_nr_l1, 1);
    assert_int_equal(l.p2m_pt_pfn, l.p2m_pfn + 128);
    assert_int_equal(l.p2m_pt_frames, 3);
    assert_int_equal(l.end_pfn, l.p2m_pt_pfn + 3);
}

/* A p2m larger than 2 MiB at INIT_P2M needs one L1 per 2 MiB. */
static void test_init_p2m_big(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    char err[160] = "";
    uint64_t nr_pages = MIB(4096) >> PAGE_SHIFT;   /* 8 MiB p2m */

    pv_test_debian_elf(&elf);
    assert_int_equal(pv_layout_compute(&elf, nr_pages, 0, &l, err, sizeof(err)), 0);
    check_common(&elf, nr_pages, &l);
    assert_int_equal(l.initrd_pages, 0);
    assert_int_equal(l.p2m_pfn, (l.virt_end - l.virt_base) >> PAGE_SHIFT);
    assert_int_equal(l.p2m_pages, 2048);
    assert_int_equal(l.p2m_nr_l3, 1);
    assert_int_equal(l.p2m_nr_l2, 1);
    assert_int_equal(l.p2m_nr_l1, 4);
    assert_int_equal(l.p2m_pt_frames, 6);
}

/* Without MOD_START_PFN the initrd is mapped right after the kernel. */
static void test_debian_mapped_initrd(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    char err[160] = "";
    uint64_t nr_pages = MIB(256) >> PAGE_SHIFT;

    pv_test_debian_elf(&elf);
    elf.mod_start_pfn = false;
    assert_int_equal(pv_layout_compute(&elf, nr_pages, MIB(20), &l, err, sizeof(err)), 0);
    check_common(&elf, nr_pages, &l);
    assert_true(l.initrd_mapped);
    assert_int_equal(l.initrd_pfn, l.kernel_end_pfn);
    assert_int_equal(l.start_info_pfn, l.initrd_pfn + l.initrd_pages);
    assert_true(l.p2m_at_init_p2m);
}

/* INIT_P2M at or above VIRT_BASE, or unaligned, is ignored (contract 1.3.3). */
static void test_init_p2m_ignored(void **state)
{
    static const uint64_t bad[] = { 0xffffffffc0000000, 0x8000000800 + 8, 0 };
    uint64_t nr_pages = MIB(256) >> PAGE_SHIFT;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct xen_elf_info elf;
        struct pv_layout l;
        char err[160] = "";

        pv_test_debian_elf(&elf);
        elf.init_p2m = bad[i];
        assert_int_equal(pv_layout_compute(&elf, nr_pages, MIB(20), &l, err, sizeof(err)), 0);
        check_common(&elf, nr_pages, &l);
        assert_false(l.p2m_at_init_p2m);
        assert_int_equal(l.p2m_pfn, l.kernel_end_pfn);
        assert_int_equal(l.p2m_va, pv_layout_va(&l, l.p2m_pfn));
        assert_int_equal(l.start_info_pfn, l.p2m_pfn + 128);
        assert_int_equal(l.p2m_pt_frames, 0);
        /* The unmapped initrd still goes past the mapping. */
        assert_int_equal(l.initrd_pfn, (l.virt_end - l.virt_base) >> PAGE_SHIFT);
        assert_int_equal(l.end_pfn, l.initrd_pfn + l.initrd_pages);
    }
}

/* The test guests: kernel at 1 MiB, neither INIT_P2M nor MOD_START_PFN. */
static void test_small_guest(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    char err[160] = "";
    uint64_t nr_pages = MIB(32) >> PAGE_SHIFT;

    pv_test_small_elf(&elf);
    assert_int_equal(pv_layout_compute(&elf, nr_pages, 0, &l, err, sizeof(err)), 0);
    check_common(&elf, nr_pages, &l);
    assert_int_equal(l.kernel_pfn, 0x100);
    assert_int_equal(l.kernel_end_pfn, 0x110);
    assert_false(l.p2m_at_init_p2m);
    assert_int_equal(l.p2m_pfn, 0x110);                 /* 8192 * 8 = 16 pages */
    assert_int_equal(l.p2m_pages, 16);
    assert_int_equal(l.p2m_va, 0xffffffff80110000);
    assert_int_equal(l.start_info_pfn, 0x120);
    assert_int_equal(l.pt_pfn, 0x123);
    assert_int_equal(pv_layout_nr_pt(&l), 1 + 1 + 1 + 2);
    assert_int_equal(l.stack_pfn, 0x128);
    assert_int_equal(l.virt_end, 0xffffffff80400000);
    assert_int_equal(l.end_pfn, 0x400);
    assert_int_equal(l.initrd_pages, 0);

    /* With an initrd: mapped after the kernel, p2m after it. */
    assert_int_equal(pv_layout_compute(&elf, nr_pages, 3 * PAGE_SIZE + 1, &l,
                                       err, sizeof(err)), 0);
    check_common(&elf, nr_pages, &l);
    assert_true(l.initrd_mapped);
    assert_int_equal(l.initrd_pfn, 0x110);
    assert_int_equal(l.initrd_pages, 4);
    assert_int_equal(l.p2m_pfn, 0x114);
    assert_int_equal(l.start_info_pfn, 0x124);
}

/* Boot data that crosses a 4 MiB boundary pushes virt_end to the next one. */
static void test_sizing_boundary(void **state)
{
    struct xen_elf_info elf;
    char err[160] = "";

    pv_test_small_elf(&elf);
    /* Walk the kernel end across the 4 MiB line in page steps. */
    for (uint64_t end = MIB(3); end <= MIB(5); end += PAGE_SIZE) {
        struct pv_layout l;

        elf.virt_kend = elf.virt_base + end;
        assert_int_equal(pv_layout_compute(&elf, MIB(64) >> PAGE_SHIFT, 0, &l,
                                           err, sizeof(err)), 0);
        check_common(&elf, MIB(64) >> PAGE_SHIFT, &l);
    }
}

static void expect_error(const struct xen_elf_info *elf, uint64_t nr_pages,
                         uint64_t initrd, const char *what)
{
    struct pv_layout l;
    char err[160] = "";

    assert_int_equal(pv_layout_compute(elf, nr_pages, initrd, &l, err, sizeof(err)), -1);
    assert_non_null(strstr(err, what));
}

static void test_errors(void **state)
{
    struct xen_elf_info elf;

    /* 16 MiB cannot even hold a kernel that starts at 16 MiB. */
    pv_test_debian_elf(&elf);
    expect_error(&elf, MIB(16) >> PAGE_SHIFT, 0, "needs at least");
    /* Enough for the mapping but not for the unmapped initrd and p2m. */
    expect_error(&elf, MIB(52) >> PAGE_SHIFT, MIB(20), "needs at least");
    /* A kernel whose mapping would exceed 1 GiB. */
    pv_test_debian_elf(&elf);
    elf.virt_kend = elf.virt_kstart + MIB(1020);
    expect_error(&elf, MIB(4096) >> PAGE_SHIFT, 0, "at most 1024 MiB");
    /* ... or a mapped initrd that does. */
    pv_test_debian_elf(&elf);
    elf.mod_start_pfn = false;
    expect_error(&elf, MIB(4096) >> PAGE_SHIFT, MIB(1000), "at most 1024 MiB");
    /* INIT_P2M in the kernel's L4 slot (511), below VIRT_BASE. */
    pv_test_debian_elf(&elf);
    elf.init_p2m = 0xffffff8000000000;
    expect_error(&elf, MIB(256) >> PAGE_SHIFT, 0, "shares an L4 slot");
    /* A kernel below VIRT_BASE, or not page aligned. */
    pv_test_debian_elf(&elf);
    elf.virt_kstart = elf.virt_base - PAGE_SIZE;
    expect_error(&elf, MIB(256) >> PAGE_SHIFT, 0, "page aligned");
    pv_test_debian_elf(&elf);
    elf.virt_kstart += 0x10;
    expect_error(&elf, MIB(256) >> PAGE_SHIFT, 0, "page aligned");
}

/* A mapping that would run past the top of the address space is refused. */
static void test_wraparound(void **state)
{
    struct xen_elf_info elf;
    struct pv_layout l;
    char err[160] = "";

    pv_test_debian_elf(&elf);
    elf.virt_kend = 0xfffffffffffff000;
    assert_int_equal(pv_layout_compute(&elf, 1ULL << 22, 0, &l, err, sizeof(err)), -1);
    assert_true(err[0] != '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debian_layout),
        cmocka_unit_test(test_init_p2m_big),
        cmocka_unit_test(test_debian_mapped_initrd),
        cmocka_unit_test(test_init_p2m_ignored),
        cmocka_unit_test(test_small_guest),
        cmocka_unit_test(test_sizing_boundary),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_wraparound),
        PV_START_INFO_TESTS,
    };

    return cmocka_run_group_tests_name("pv-layout", tests, NULL, NULL);
}
