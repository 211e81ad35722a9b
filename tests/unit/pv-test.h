/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by test-pv-layout.c and test-pv-start-info.c: the two kernels the
 * layout is checked for, and the start_info/hypercall-page test list.
 */
#ifndef TEST_PV_TEST_H
#define TEST_PV_TEST_H

#include <shim/pv-build.h>
#include <shim/pv-layout.h>
#include <shim/xen-elf.h>

/* Debian 6.1 cloud kernel: VIRT_BASE 0xffffffff80000000, paddr 16 MiB,
 * ~30 MiB image, INIT_P2M 0x8000000000, MOD_START_PFN. */
static inline void pv_test_debian_elf(struct xen_elf_info *e)
{
    __builtin_memset(e, 0, sizeof(*e));
    e->virt_base = 0xffffffff80000000;
    e->pstart = 0x1000000;
    e->pend = 0x1000000 + 0x1e00123;
    e->virt_kstart = e->virt_base + e->pstart;
    e->virt_kend = e->virt_base + e->pend;
    e->entry = e->virt_kstart + 0x1000;
    e->has_init_p2m = true;
    e->init_p2m = 0x8000000000;
    e->mod_start_pfn = true;
}

/* tests/guests: linked at VIRT_BASE + 1 MiB, 64 KiB, no INIT_P2M/MOD_START_PFN. */
static inline void pv_test_small_elf(struct xen_elf_info *e)
{
    __builtin_memset(e, 0, sizeof(*e));
    e->virt_base = 0xffffffff80000000;
    e->pstart = 0x100000;
    e->pend = 0x110000;
    e->virt_kstart = e->virt_base + e->pstart;
    e->virt_kend = e->virt_base + e->pend;
    e->entry = e->virt_kstart;
}

void test_start_info_debian(void **state);
void test_start_info_mapped_initrd(void **state);
void test_start_info_no_initrd(void **state);
void test_start_info_cmdline(void **state);
void test_hypercall_page(void **state);

#define PV_START_INFO_TESTS \
    cmocka_unit_test(test_start_info_debian), \
    cmocka_unit_test(test_start_info_mapped_initrd), \
    cmocka_unit_test(test_start_info_no_initrd), \
    cmocka_unit_test(test_start_info_cmdline), \
    cmocka_unit_test(test_hypercall_page)

#endif
