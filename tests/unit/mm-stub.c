// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host backing for the PV MMU unit tests: STUB_NR_FRAMES 4 KiB frames in a
 * host array, plus stubs of the shim hooks the MMU calls (see mm-stub.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shim/log.h>
#include "mm-stub.h"

static uint8_t frames[STUB_NR_FRAMES][PAGE_SIZE] __aligned(PAGE_SIZE);
static struct frame_info table[STUB_NR_FRAMES];

uint64_t stub_m2p[STUB_NR_FRAMES];
unsigned int stub_m2p_calls;
int stub_desc_rc;
unsigned int stub_desc_calls;

void stub_mm_reset(void)
{
    memset(frames, 0, sizeof(frames));
    memset(stub_m2p, 0xff, sizeof(stub_m2p));
    stub_m2p_calls = 0;
    stub_desc_rc = 0;
    stub_desc_calls = 0;
    frame_table_init(table, STUB_NR_FRAMES);
    frame_set_owner(STUB_MFN_SHIM, 2, FRAME_OWNER_SHIM);
    frame_set_owner(STUB_MFN_SHARED, 1, FRAME_OWNER_SHARED);
    frame_set_owner(STUB_MFN_GUEST, STUB_NR_FRAMES - STUB_MFN_GUEST,
                    FRAME_OWNER_GUEST);
    (void)mm_take_tlb_flush_request();
}

void *mfn_to_virt(mfn_t mfn)
{
    if (mfn >= STUB_NR_FRAMES) {
        fprintf(stderr, "mfn_to_virt(%#llx): beyond the stub frames\n",
                (unsigned long long)mfn);
        abort();
    }
    return frames[mfn];
}

uint64_t *stub_frame(mfn_t mfn)
{
    return mfn_to_virt(mfn);
}

void arch_init_shim_l4_slots(uint64_t *l4)
{
    for (unsigned int i = MM_SHIM_L4_FIRST; i <= MM_SHIM_L4_LAST; i++)
        l4[i] = STUB_SHIM_SLOT(i);
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
    if (mfn < STUB_NR_FRAMES)
        stub_m2p[mfn] = pfn;
    stub_m2p_calls++;
}

unsigned int stub_type_change_flushes;

void arch_flush_tlbs_for_type_change(mfn_t mfn)
{
    (void)mfn;
    stub_type_change_flushes++;
}

void arch_note_type_drop(mfn_t mfn)
{
    (void)mfn;
}

int arch_validate_desc_page(mfn_t mfn)
{
    (void)mfn;
    stub_desc_calls++;
    return stub_desc_rc;
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
