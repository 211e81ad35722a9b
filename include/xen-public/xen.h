/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The project's single entry point to the Xen public ABI.
 *
 * The headers themselves come from Debian's libxen-dev (installed, never
 * copied). This file pins the interface version the shim implements and
 * asserts the layouts the shim depends on, so a header change that would
 * silently move a field breaks the build instead of a guest.
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

/* Xen 4.14 interface: what Debian 12's Linux and libxen-dev 4.17 agree on. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <stdint.h>
#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xenoprof.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include <xen/arch-x86/cpuid.h>

/* What the headers lack. */

/* Software PTE bit Xen sets on guest-kernel L1 entries (xen/arch/x86/pv/mm.h). */
#define XEN_PTE_GUEST_KERNEL   (1ULL << 52)
/* Hardware PAT value while a PV guest runs; an ABI with PV guests. */
#define XEN_MSR_PAT            0x0000050100070406ULL
/* First GDT entry reserved to the hypervisor, and its byte offset. */
#define XEN_FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
/* memory_op: the sub-op is in the low bits, a continuation extent above
 * (MEMOP_EXTENT_SHIFT, visible in memory.h only to Xen and its tools). */
#define XEN_MEMOP_CMD_MASK     ((1u << 6) - 1)
/* Bytes per hypercall-page slot. */
#define XEN_HYPERCALL_SLOT_SIZE 32

/* Layout pins (x86-64, interface 0x00040e00). */
_Static_assert(sizeof(struct start_info) == 1168, "start_info layout");
_Static_assert(__builtin_offsetof(struct start_info, cmd_line) == 128, "start_info cmd_line");
_Static_assert(__builtin_offsetof(struct start_info, first_p2m_pfn) == 1152, "start_info p2m");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info layout");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 2048, "evtchn_pending");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 2560, "evtchn_mask");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 3072, "wc_version");
_Static_assert(__builtin_offsetof(struct shared_info, arch) == 3088, "shared_info arch");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info layout");
_Static_assert(__builtin_offsetof(struct vcpu_info, arch.cr2) == 16, "vcpu_info cr2");
_Static_assert(__builtin_offsetof(struct vcpu_info, time) == 32, "vcpu_info time");
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info layout");
_Static_assert(sizeof(struct trap_info) == 16, "trap_info layout");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry layout");
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update layout");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op layout");
_Static_assert(sizeof(struct iret_context) == 72, "iret_context layout");
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context layout");
_Static_assert(sizeof(struct xencons_interface) == 3088, "console ring layout");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076, "xenstore ring layout");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate layout");
_Static_assert(HYPERVISOR_VIRT_START == 0xffff800000000000ULL, "hypervisor hole");
_Static_assert(FLAT_KERNEL_CS == 0xe033 && FLAT_KERNEL_SS == 0xe02b, "flat selectors");

#endif
