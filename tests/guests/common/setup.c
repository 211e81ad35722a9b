// SPDX-License-Identifier: GPL-2.0-only
/*
 * C entry of every test guest (called from head.S with the start_info VA):
 * map shared_info, install the default trap table, run test_main(), report.
 */
#include "guest.h"

start_info_t *start_info;
int hypercall_page_broken;

/* Undefined weak => NULL unless the guest used GUEST_USE_HYPERCALL_PAGE(). */
extern char hypercall_page[] __attribute__((weak));
char *const hypercall_page_va = hypercall_page;
shared_info_t *shared_info;
struct vcpu_info *vcpu_info;

/* Spare page whose VA gets remapped onto the shared_info frame. */
static uint8_t shared_info_page[PAGE_SIZE] __page_aligned_bss;

__noreturn void guest_start(start_info_t *si);

__noreturn void guest_start(start_info_t *si)
{
    long rc;

    start_info = si;

    /*
     * A declared hypercall page must have been filled by the builder
     * before entry (Xen: hypercall_page_initialise at build time). Ours
     * is int3 filler; if it is still there, fall back to bare syscall so
     * that the FAILURE can at least be reported.
     */
    if (hypercall_page_declared() &&
        (unsigned char)hypercall_page_va[__HYPERVISOR_console_io *
                                         XEN_HYPERCALL_SLOT_SIZE] == 0xcc) {
        hypercall_page_broken = 1;
        test_fail("hypercall page at %p was not filled",
                  (void *)hypercall_page_va);
        test_exit();
    }
    printk("--- xenshim test guest: %s: %s\n", test_desc.name, test_desc.title);

    if (!(test_desc.flags & TEST_BARE)) {
        /*
         * start_info->shared_info is a machine address; the frame is not
         * guest RAM but a PV guest may map it (contract 1.6, Linux
         * xen_pv_init_platform does the same with update_va_mapping).
         */
        rc = hypervisor_update_va_mapping(shared_info_page,
                                          (si->shared_info & PTE_ADDR) |
                                          PTE_P | PTE_RW | PTE_A | PTE_D,
                                          UVMF_INVLPG);
        if (rc) {
            test_error("mapping shared_info (maddr %#lx): %ld",
                       (unsigned long)si->shared_info, rc);
            test_exit();
        }
        shared_info = (shared_info_t *)shared_info_page;
        vcpu_info = &shared_info->vcpu_info[0];

        rc = traps_init();
        if (rc) {
            test_error("set_trap_table: %ld", rc);
            test_exit();
        }
    }

    test_main();
    test_exit();
}
