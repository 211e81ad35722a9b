/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shim's virtual memory layout. The shim lives entirely inside the L4
 * slots Xen reserves for itself on x86-64 (256-271, from
 * HYPERVISOR_VIRT_START), so it can be present in every guest address space
 * without the guest being able to map or reach it (ARCHITECTURE.md #2).
 *
 *  slot 256  0xffff800000000000  read-only M2P, guest readable (as on Xen)
 *  slot 260  0xffff820000000000  per-CPU descriptor-table area: the hardware
 *                                GDT (guest frames 0-13 + the shim's reserved
 *                                page 14) and the guest LDT
 *  slot 262  0xffff830000000000  direct map of all machine RAM; the shim image
 *                                runs here too (virt = DIRECTMAP_BASE + phys)
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define L4_SLOT_SHIFT        39
#define SHIM_FIRST_L4_SLOT   256
#define SHIM_LAST_L4_SLOT    271   /* inclusive */

#define M2P_VIRT_START       0xffff800000000000
#define M2P_VIRT_END         0xffff804000000000  /* MACH2PHYS_VIRT_END */
#define PERCPU_DESC_BASE     0xffff820000000000
#define DIRECTMAP_BASE       0xffff830000000000

#define RESERVED_AREA_START  0xffff800000000000
#define RESERVED_AREA_END    0xffff880000000000

/* Inside the descriptor area of a CPU: 16 pages of GDT, then 16 of LDT. */
#define DESC_AREA_STRIDE     0x40000     /* 64 pages per CPU */
#define GDT_AREA_PAGES       16
#define LDT_AREA_OFFSET      0x10000
#define LDT_AREA_PAGES       16

#define SHIM_LOAD_PHYS       0x100000

#ifndef __ASSEMBLY__
#include <shim/types.h>
static inline void *phys_to_virt(paddr_t pa) { return (void *)(DIRECTMAP_BASE + pa); }
static inline paddr_t virt_to_phys(const void *va) { return (paddr_t)(uintptr_t)va - DIRECTMAP_BASE; }
#endif

#endif
