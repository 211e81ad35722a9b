/* SPDX-License-Identifier: GPL-2.0-only */
/* Building the PV domain from the boot modules (shim/pv-build.c). */
#ifndef SHIM_PV_BUILD_H
#define SHIM_PV_BUILD_H

#include <shim/domain.h>
#include <shim/pv-layout.h>

struct pv_build_input {
    unsigned int nr_vcpus;      /* 1..SHIM_MAX_VCPUS; 0 counts as 1 */
    const void *kernel;         /* the ELF image (boot module) */
    size_t kernel_size;
    const void *initrd;         /* NULL = none */
    size_t initrd_size;
    const char *cmdline;
};

/*
 * Build the_domain's memory image, page tables, start_info, shared_info and
 * initial vCPU state. Panics with a one-line reason on input the shim
 * cannot honour (it is the operator's input, not the guest's).
 */
void pv_build_domain(struct domain *d, const struct pv_build_input *in);

/* Fill start_info from a layout (pure; host-tested). */
void pv_fill_start_info(struct start_info *si, const struct pv_layout *l,
                        const struct domain *d, const struct xen_elf_info *elf,
                        uint64_t initrd_bytes, const char *cmdline);

/* Write the 64-bit hypercall page: one `syscall` stub per 32-byte slot. */
void pv_fill_hypercall_page(uint8_t *page);

#endif
