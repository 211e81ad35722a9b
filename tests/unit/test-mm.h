/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared fixture for the PV MMU tests (test-mm.c, test-mm-ops.c): a small
 * 4-level tree in stub memory, built the way the domain builder does it.
 */
#ifndef TEST_MM_H
#define TEST_MM_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mm-stub.h"

/* The fixture tree. */
#define T_L4  8
#define T_L3  9
#define T_L2  10
#define T_L1  11
#define T_E   12   /* data, mapped RW at va 0x0000 */
#define T_F   13   /* data, mapped RO at va 0x1000 */
#define T_FREE 14  /* 14..63: untouched guest frames */

#define F_DATA (MM_PTE_P | MM_PTE_RW | MM_PTE_A)      /* builder L1 flags */
#define F_RO   (MM_PTE_P | MM_PTE_A)
#define F_DIR  (MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A | MM_PTE_D)

static inline uint64_t pte(mfn_t mfn, uint64_t flags)
{
    return (mfn << PAGE_SHIFT) | flags;
}

static inline struct frame_info *fi(mfn_t mfn)
{
    return &frame_table[mfn];
}

/* Machine address of entry idx of table mfn. */
static inline uint64_t ma(mfn_t mfn, unsigned int idx)
{
    return (mfn << PAGE_SHIFT) + idx * 8;
}

/*
 * L4[0] -> L3[0] -> L2[0] -> L1: L1[0] = E rw, L1[1] = F ro, L1[2] = the
 * L1 itself ro, L1[3] = L2 ro, L1[4] = L4 ro. Not pinned.
 */
static inline void build_tree(void)
{
    stub_frame(T_L4)[0] = pte(T_L3, F_DIR);
    stub_frame(T_L3)[0] = pte(T_L2, F_DIR);
    stub_frame(T_L2)[0] = pte(T_L1, F_DIR);
    stub_frame(T_L1)[0] = pte(T_E, F_DATA);
    stub_frame(T_L1)[1] = pte(T_F, F_RO);
    stub_frame(T_L1)[2] = pte(T_L1, F_RO);
    stub_frame(T_L1)[3] = pte(T_L2, F_RO);
    stub_frame(T_L1)[4] = pte(T_L4, F_RO);
}

static inline void assert_counts(mfn_t mfn, unsigned int type,
                                 uint32_t type_count, uint32_t ref_count)
{
    if (type_count)
        assert_int_equal(fi(mfn)->type, type);
    assert_int_equal(fi(mfn)->type_count, type_count);
    assert_int_equal(fi(mfn)->ref_count, ref_count);
}

/* Every frame back to no references at all. */
static inline void assert_all_released(void)
{
    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++) {
        assert_int_equal(fi(m)->type_count, 0);
        assert_int_equal(fi(m)->ref_count, 0);
        assert_false(fi(m)->flags & FRAME_F_PINNED);
    }
}

/* Snapshot for "nothing changed" checks. */
struct mm_snap {
    struct frame_info table[STUB_NR_FRAMES];
    uint64_t page[512];
    mfn_t page_mfn;
};

static inline void snap_take(struct mm_snap *s, mfn_t page_mfn)
{
    memcpy(s->table, frame_table, sizeof(s->table));
    memcpy(s->page, stub_frame(page_mfn), PAGE_SIZE);
    s->page_mfn = page_mfn;
}

/*
 * The type of a frame with count 0 is only a leftover (a data frame mapped
 * writable during a failed validation stays "writable, count 0"), so it is
 * compared only while the count is non-zero.
 */
static inline void snap_assert_same(const struct mm_snap *s)
{
    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++) {
        const struct frame_info *a = &s->table[m], *b = &frame_table[m];

        assert_int_equal(a->owner, b->owner);
        assert_int_equal(a->type_count, b->type_count);
        assert_int_equal(a->ref_count, b->ref_count);
        assert_int_equal(a->flags, b->flags);
        if (a->type_count)
            assert_int_equal(a->type, b->type);
    }
    assert_memory_equal(s->page, stub_frame(s->page_mfn), PAGE_SIZE);
}

int mm_setup(void **state);
int mm_setup_pinned(void **state);

#endif
