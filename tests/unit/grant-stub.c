// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host backing for the grant-table tests (see grant-stub.h): frames, the
 * frame table, alloc_frames, `current`, the PV MMU hooks, logging (guest
 * virtual memory is guest-memory-stub.c behind shim/guest-access.c), and the guest's half of the grant protocol written the
 * way Linux 6.1 writes it (drivers/xen/grant-table.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <arch/percpu.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/log.h>
#include <shim/memory.h>
#include "grant-stub.h"

static uint8_t frames[GS_NR_FRAMES][PAGE_SIZE] __aligned(PAGE_SIZE);
static struct frame_info table[GS_NR_FRAMES];
static mfn_t heap_next;
static mfn_t hook_mfn;
static unsigned int hook_left;
static void (*hook_fn)(void);

struct domain gs_dom;
struct percpu host_test_percpu;

/* ---- machine frames and the shim allocator ------------------------------- */

void *mfn_to_virt(mfn_t mfn)
{
    if (mfn >= GS_NR_FRAMES) {
        fprintf(stderr, "mfn_to_virt(%#llx): beyond the stub frames\n",
                (unsigned long long)mfn);
        abort();
    }
    if (hook_fn && mfn == hook_mfn && --hook_left == 0) {
        void (*fn)(void) = hook_fn;

        hook_fn = NULL;
        fn();
    }
    return frames[mfn];
}

void gs_on_map(mfn_t mfn, unsigned int nth, void (*fn)(void))
{
    hook_mfn = mfn;
    hook_left = nth;
    hook_fn = fn;
}

paddr_t alloc_frames(size_t nr, size_t align_frames)
{
    mfn_t first = ALIGN_UP(heap_next, (mfn_t)MAX(align_frames, (size_t)1));

    if (first + nr > GS_GUEST_FIRST)
        panic("stub: out of shim heap allocating %zu frames\n", nr);
    heap_next = first + nr;
    memset(frames[first], 0, nr * PAGE_SIZE);
    return first << PAGE_SHIFT;
}

void *alloc_pages_virt(size_t nr)
{
    return mfn_to_virt(alloc_frames(nr, 1) >> PAGE_SHIFT);
}

void arch_init_shim_l4_slots(uint64_t *l4)
{
    for (unsigned int i = MM_SHIM_L4_FIRST; i <= MM_SHIM_L4_LAST; i++)
        l4[i] = 0;
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
    (void)mfn;
    (void)pfn;
}

void arch_flush_tlbs_for_type_change(mfn_t mfn)
{
    (void)mfn;
}

void arch_note_type_drop(mfn_t mfn)
{
    (void)mfn;
}

int arch_validate_desc_page(mfn_t mfn)
{
    (void)mfn;
    return 0;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "PANIC: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

/* ---- the domain ------------------------------------------------------------------ */

void gs_reset(void)
{
    memset(frames, 0, sizeof(frames));
    gm_reset();
    frame_table_init(table, GS_NR_FRAMES);
    frame_set_owner(1, GS_GUEST_FIRST - 1, FRAME_OWNER_SHIM);
    frame_set_owner(GS_GUEST_FIRST, GS_GUEST_NR, FRAME_OWNER_GUEST);
    (void)mm_take_tlb_flush_request();
    heap_next = GS_HEAP_FIRST;
    hook_fn = NULL;

    memset(&gs_dom, 0, sizeof(gs_dom));
    gs_dom.domid = 1;
    gs_dom.first_mfn = GS_GUEST_FIRST;
    gs_dom.nr_pages = GS_GUEST_NR;
    gs_dom.console_mfn = GS_CONSOLE_MFN;
    gs_dom.store_mfn = GS_STORE_MFN;
    gs_dom.nr_vcpus = 1;
    gs_dom.vcpus[0].domain = &gs_dom;
    host_test_percpu.curr_vcpu = &gs_dom.vcpus[0];
    gnttab_domain_init(&gs_dom);
}

int gs_setup(void **state)
{
    (void)state;
    gs_reset();
    return 0;
}

void *gs_gva(guest_va_t gva)
{
    return gm_ptr(gva);
}

long gs_gnttab_op(unsigned int cmd, guest_va_t uop, unsigned int count)
{
    const uint64_t a[HYPERCALL_MAX_ARGS] = { cmd, uop, count };

    return do_grant_table_op(a);
}

/* ---- the guest's half of the protocol ---------------------------------------------- */

#define GS_OP_VA    GS_GVA_BASE             /* op struct */
#define GS_LIST_VA  (GS_GVA_BASE + 4096)    /* frame list */

mfn_t gs_shared_mfn(unsigned int i)
{
    struct gnttab_setup_table *op = gs_gva(GS_OP_VA);

    assert_true(i < gnttab_nr_frames(&gs_dom));
    memset(op, 0, sizeof(*op));
    op->dom = DOMID_SELF;
    op->nr_frames = gnttab_nr_frames(&gs_dom);     /* no growth */
    set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(uintptr_t)GS_LIST_VA);
    assert_int_equal(gs_gnttab_op(GNTTABOP_setup_table, GS_OP_VA, 1), 0);
    assert_int_equal(op->status, GNTST_okay);
    return ((xen_pfn_t *)gs_gva(GS_LIST_VA))[i];
}

mfn_t gs_status_mfn(unsigned int i)
{
    struct gnttab_get_status_frames *op = gs_gva(GS_OP_VA);

    memset(op, 0, sizeof(*op));
    op->dom = DOMID_SELF;
    op->nr_frames = i + 1;
    set_xen_guest_handle(op->frame_list, (uint64_t *)(uintptr_t)GS_LIST_VA);
    assert_int_equal(gs_gnttab_op(GNTTABOP_get_status_frames, GS_OP_VA, 1), 0);
    assert_int_equal(op->status, GNTST_okay);
    return ((uint64_t *)gs_gva(GS_LIST_VA))[i];
}

struct grant_entry_v1 *gs_v1(grant_ref_t ref)
{
    struct grant_entry_v1 *f = mfn_to_virt(gs_shared_mfn(ref / GNTTAB_V1_PER_FRAME));

    return &f[ref % GNTTAB_V1_PER_FRAME];
}

union grant_entry_v2 *gs_v2(grant_ref_t ref)
{
    union grant_entry_v2 *f = mfn_to_virt(gs_shared_mfn(ref / GNTTAB_V2_PER_FRAME));

    return &f[ref % GNTTAB_V2_PER_FRAME];
}

uint16_t gs_status(grant_ref_t ref)
{
    const unsigned int per = PAGE_SIZE / sizeof(grant_status_t);
    const uint16_t *s = mfn_to_virt(gs_status_mfn(ref / per));

    return __atomic_load_n(&s[ref % per], __ATOMIC_SEQ_CST);
}

/* gnttab_update_entry_v1: domid and frame, write barrier, then flags. */
void gs_grant_v1(grant_ref_t ref, domid_t domid, uint32_t frame, uint16_t flags)
{
    struct grant_entry_v1 *e = gs_v1(ref);

    e->domid = domid;
    e->frame = frame;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&e->flags, flags, __ATOMIC_RELAXED);
}

void gs_grant_v2(grant_ref_t ref, domid_t domid, uint64_t frame, uint16_t flags,
                 uint16_t off, uint16_t len)
{
    union grant_entry_v2 *e = gs_v2(ref);

    e->hdr.domid = domid;
    if (flags & GTF_sub_page) {
        e->sub_page.page_off = off;
        e->sub_page.length = len;
    }
    e->full_page.frame = frame;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&e->hdr.flags, flags, __ATOMIC_RELAXED);
}

/* gnttab_end_foreign_access_ref_v1: cmpxchg flags -> 0 unless in use. */
bool gs_revoke_v1(grant_ref_t ref)
{
    uint16_t *pflags = &gs_v1(ref)->flags;
    uint16_t flags = __atomic_load_n(pflags, __ATOMIC_RELAXED);

    do {
        if (flags & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(pflags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    return true;
}

/* gnttab_end_foreign_access_ref_v2: clear flags, full barrier, check status. */
bool gs_revoke_v2(grant_ref_t ref)
{
    __atomic_store_n(&gs_v2(ref)->hdr.flags, 0, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(gs_status(ref) & (GTF_reading | GTF_writing));
}
