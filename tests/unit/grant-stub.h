/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for the grant-table tests: machine frames in a host array
 * with a frame table and a bump allocator (alloc_frames), one domain with vCPU 0 as
 * `current`, and the hooks the real PV MMU (linked too) calls.
 */
#ifndef TEST_GRANT_STUB_H
#define TEST_GRANT_STUB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <shim/domain.h>
#include <shim/grant.h>
#include <shim/mm.h>
#include "guest-memory-stub.h"

#define GS_NR_FRAMES    512
/* Frame layout after gs_reset(). */
#define GS_MFN_SHIM     2       /* 1-3: FRAME_OWNER_SHIM */
#define GS_HEAP_FIRST   4       /* 4-255: alloc_frames heap (SHIM) */
#define GS_GUEST_FIRST  256     /* 256-511: guest RAM */
#define GS_GUEST_NR     (GS_NR_FRAMES - GS_GUEST_FIRST)
#define GS_CONSOLE_MFN  (GS_GUEST_FIRST + 1)
#define GS_STORE_MFN    (GS_GUEST_FIRST + 2)
#define GS_DATA_MFN     (GS_GUEST_FIRST + 16)   /* free guest frames from here */

/* Guest virtual memory the tests pass to hypercalls (guest-memory-stub.h). */
#define GS_GVA_BASE     GM_BASE
#define GS_GVA_SIZE     GM_SIZE

extern struct domain gs_dom;

/* Fresh frames, frame table, guest memory and domain; gnttab_domain_init. */
void gs_reset(void);
/* Host pointer to guest virtual address gva (inside the window). */
void *gs_gva(guest_va_t gva);
/* grant_table_op(cmd, uop, count) as the guest makes it. */
long gs_gnttab_op(unsigned int cmd, guest_va_t uop, unsigned int count);
/*
 * Run fn (once) inside the nth next mfn_to_virt(mfn) call. The shim locates
 * an entry or status word through mfn_to_virt before each access phase, so
 * this lets a test play a guest vCPU that rewrites its entry exactly
 * between two of the shim's steps.
 */
void gs_on_map(mfn_t mfn, unsigned int nth, void (*fn)(void));
/* cmocka setup hook: gs_reset(). */
int gs_setup(void **state);

/* The guest's side of the protocol (Linux drivers/xen/grant-table.c). */
void gs_grant_v1(grant_ref_t ref, domid_t domid, uint32_t frame, uint16_t flags);
void gs_grant_v2(grant_ref_t ref, domid_t domid, uint64_t frame, uint16_t flags,
                 uint16_t off, uint16_t len);
/* Linux gnttab_end_foreign_access_ref_v1/_v2: true if revoked. */
bool gs_revoke_v1(grant_ref_t ref);
bool gs_revoke_v2(grant_ref_t ref);
struct grant_entry_v1 *gs_v1(grant_ref_t ref);
union grant_entry_v2 *gs_v2(grant_ref_t ref);
uint16_t gs_status(grant_ref_t ref);    /* v2 status word */
/* MFN of shared grant frame i / status frame i (via the hypercalls). */
mfn_t gs_shared_mfn(unsigned int i);
mfn_t gs_status_mfn(unsigned int i);

static inline struct frame_info *gs_fi(mfn_t mfn)
{
    return &frame_table[mfn];
}

#endif
