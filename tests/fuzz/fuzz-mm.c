// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the PV MMU's page-table validator (shim/frame.c,
 * shim/mm-*.c) on the 64 stub frames of tests/unit/mm-stub.c (0-1 none,
 * 2-3 shim, 4 shared, 5-7 none, 8-63 guest). The input is a program of
 * guest operations: mmu_update (any ptr/val/cmd), pin/unpin at any level,
 * kernel/user root changes, update_va_mapping, ptwr writes, and holding
 * descriptor-page / writable type references as set_gdt and grant mappings
 * do. MFNs range over 0..71, so frames beyond the table are asked for too.
 *
 * After every operation the whole frame table is recomputed from scratch
 * from the validated tables, the pins, the roots and the harness's own
 * holds, and must match exactly (see check_invariants); any violation
 * abort()s. That covers: no writable mapping of a frame typed L1-L4 or
 * SEG_DESC, every L2-L4 entry points at a table one level down, no
 * reference to shim/none frames or frames beyond the table, counts equal
 * to the references that exist, shim L4 slots intact, M2P only written for
 * guest frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include "mm-stub.h"
#include "fuzz-input.h"

#define MAX_OPS   64
#define NR_HOLDS  8
#define MFN_SPAN  (STUB_NR_FRAMES + 8)

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d) after op %u\n", \
            #c, __FILE__, __LINE__, cur_op); abort(); } } while (0)

static unsigned int cur_op;
static mfn_t roots[2];                 /* kernel, user */
static struct { mfn_t mfn; unsigned int type; } holds[NR_HOLDS];
static unsigned int nr_holds;

static bool is_pt(unsigned int type)
{
    return type >= FRAME_TYPE_L1 && type <= FRAME_TYPE_L4;
}

static void check_invariants(void)
{
    static uint32_t want_ref[STUB_NR_FRAMES], want_type[STUB_NR_FRAMES];

    memset(want_ref, 0, sizeof(want_ref));
    memset(want_type, 0, sizeof(want_type));

    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++) {
        const struct frame_info *f = &frame_table[m];
        const uint64_t *t = stub_frame(m);

        if (f->owner == FRAME_OWNER_NONE || f->owner == FRAME_OWNER_SHIM) {
            CHECK(f->ref_count == 0 && f->type_count == 0);
            CHECK(!(f->flags & FRAME_F_PINNED));
            /* MMU_MACHPHYS_UPDATE is for guest frames only. */
            CHECK(stub_m2p[m] == ~0ULL);
        }
        if (f->owner == FRAME_OWNER_SHARED)
            CHECK(f->type_count == 0 || f->type == FRAME_TYPE_WRITABLE);
        if (f->flags & FRAME_F_PINNED) {
            CHECK(f->owner == FRAME_OWNER_GUEST && is_pt(f->type));
            want_ref[m]++;
            want_type[m]++;
        }
        if (f->type_count == 0)
            continue;
        /* In use means validated: no half-promoted table between ops. */
        CHECK(f->flags & FRAME_F_VALIDATED);
        if (!is_pt(f->type))
            continue;
        for (unsigned int i = 0; i < 512; i++) {
            uint64_t e = t[i];
            mfn_t tm = mm_pte_mfn(e);
            const struct frame_info *tf;

            if (f->type == FRAME_TYPE_L4 && !mm_is_guest_l4_slot(i)) {
                CHECK(e == STUB_SHIM_SLOT(i));
                continue;
            }
            if (!(e & MM_PTE_P))
                continue;
            /* Frames beyond guest memory are never mapped. */
            CHECK(tm < STUB_NR_FRAMES);
            tf = &frame_table[tm];
            CHECK(tf->owner == FRAME_OWNER_GUEST || tf->owner == FRAME_OWNER_SHARED);
            want_ref[tm]++;
            if (f->type == FRAME_TYPE_L1) {
                CHECK(!(e & MM_PTE_GNTTAB));
                CHECK(e & MM_PTE_US);
                if (e & MM_PTE_RW) {
                    /* The central one: no writable mapping of a table or
                       descriptor page. */
                    CHECK(tf->type == FRAME_TYPE_WRITABLE && tf->type_count > 0);
                    want_type[tm]++;
                }
            } else {
                CHECK(!(e & MM_PTE_PSE));
                CHECK(tf->type == f->type - 1 && tf->type_count > 0);
                want_type[tm]++;
            }
        }
    }
    for (unsigned int r = 0; r < 2; r++) {
        if (!roots[r])
            continue;
        CHECK(frame_table[roots[r]].type == FRAME_TYPE_L4);
        want_ref[roots[r]]++;
        want_type[roots[r]]++;
    }
    for (unsigned int h = 0; h < nr_holds; h++) {
        CHECK(frame_table[holds[h].mfn].type == holds[h].type);
        want_ref[holds[h].mfn]++;
        want_type[holds[h].mfn]++;
    }
    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++) {
        if (frame_table[m].ref_count != want_ref[m] ||
            frame_table[m].type_count != want_type[m])
            fprintf(stderr, "mfn %llu: type %u ref %u (want %u) type_count %u (want %u)\n",
                    (unsigned long long)m, frame_table[m].type,
                    frame_table[m].ref_count, want_ref[m],
                    frame_table[m].type_count, want_type[m]);
        CHECK(frame_table[m].ref_count == want_ref[m]);
        CHECK(frame_table[m].type_count == want_type[m]);
    }
}

static mfn_t fuzz_mfn(struct fin *in)
{
    return fin_u8(in) % MFN_SPAN;
}

/* A PTE: mostly a frame plus flags that matter, sometimes 64 raw bits. */
static uint64_t fuzz_pte(struct fin *in)
{
    static const uint64_t bits[16] = {
        MM_PTE_P, MM_PTE_RW, MM_PTE_US, MM_PTE_A, MM_PTE_D, MM_PTE_PSE,
        MM_PTE_G, MM_PTE_NX, MM_PTE_GNTTAB, MM_PTE_PWT, MM_PTE_PCD,
        MM_PTE_GUEST_KERNEL, BIT(9), BIT(55), MM_PTE_P, MM_PTE_RW,
    };
    uint8_t mode = fin_u8(in);
    uint64_t pte;

    if (mode & 0x80)
        return fin_u64(in);
    pte = (uint64_t)fuzz_mfn(in) << PAGE_SHIFT;
    if (mode & 0x40)
        pte = MM_PTE_ADDR;     /* the all-ones frame (Xen's INVALID_MFN) */
    for (uint16_t f = fin_u16(in), i = 0; i < 16; i++)
        if (f & (1u << i))
            pte |= bits[i];
    return pte;
}

/* A tree written as plain memory (not yet pinned): L4 8 -> L3 9 -> L2 10
   -> L1 11 -> data 12..15 (12 RW), and the L1 also maps itself RO. */
static void prebuild(void)
{
    const uint64_t dir = MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A;

    stub_frame(8)[0] = (9ULL << PAGE_SHIFT) | dir;
    stub_frame(9)[0] = (10ULL << PAGE_SHIFT) | dir;
    stub_frame(10)[0] = (11ULL << PAGE_SHIFT) | dir;
    stub_frame(11)[0] = (12ULL << PAGE_SHIFT) | MM_PTE_P | MM_PTE_RW;
    for (unsigned int i = 1; i < 4; i++)
        stub_frame(11)[i] = ((12ULL + i) << PAGE_SHIFT) | MM_PTE_P;
    stub_frame(11)[4] = (11ULL << PAGE_SHIFT) | MM_PTE_P;
}

static void drop_hold(unsigned int h)
{
    mm_put_page_type(holds[h].mfn);
    mm_put_page(holds[h].mfn);
    holds[h] = holds[--nr_holds];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    uint8_t setup = fin_u8(&in);

    stub_mm_reset();
    roots[0] = roots[1] = 0;
    nr_holds = 0;
    cur_op = 0;
    if (setup & 1)
        prebuild();
    stub_desc_rc = (setup & 2) ? -XEN_EINVAL : 0;

    for (cur_op = 1; cur_op <= MAX_OPS && fin_more(&in); cur_op++) {
        uint8_t op = fin_u8(&in);

        switch (op % 10) {
        case 0: {      /* mmu_update: ptr = frame + entry, any cmd */
            mfn_t m = fuzz_mfn(&in);
            uint16_t off = fin_u16(&in);
            uint64_t ptr = (m << PAGE_SHIFT) | (off & (PAGE_SIZE - 1));

            (void)mm_mmu_update(ptr, fuzz_pte(&in), (op >> 4) & 7);
            break;
        }
        case 1:        /* mmu_update with a raw 64-bit ptr */
            (void)mm_mmu_update(fin_u64(&in), fuzz_pte(&in), (op >> 4) & 7);
            break;
        case 2:
            (void)mm_pin(fuzz_mfn(&in), (op >> 4) % 6);
            break;
        case 3:
            (void)mm_unpin(fuzz_mfn(&in));
            break;
        case 4: {
            mfn_t m = fuzz_mfn(&in);

            (void)mm_set_root(&roots[(op >> 4) & 1], (op & 0x20) ? 0 : m);
            break;
        }
        case 5: {      /* update_va_mapping under the kernel (or user) root */
            uint64_t va;

            if (op & 0x10) {
                va = fin_u64(&in);
            } else {
                va = (uint64_t)(fin_u16(&in) % 512) << 39 |
                     (uint64_t)(fin_u16(&in) % 512) << 30 |
                     (uint64_t)(fin_u16(&in) % 512) << 21 |
                     (uint64_t)(fin_u16(&in) % 512) << 12;
                if (va & (1ULL << 47))
                    va |= 0xffff000000000000ULL;
            }
            (void)mm_update_va_mapping(roots[(op >> 5) & 1], va, fuzz_pte(&in));
            break;
        }
        case 6: {      /* ptwr: one emulated store into an L1 */
            mfn_t m = fuzz_mfn(&in);
            unsigned int off = fin_u16(&in);

            (void)mm_ptwr_write(m, (op & 0x10) ? off : off % PAGE_SIZE & ~7u,
                                fuzz_pte(&in));
            break;
        }
        case 7: {      /* hold a descriptor page (set_gdt) or writable page
                          (grant map) as the other shim paths do */
            mfn_t m = fuzz_mfn(&in);
            unsigned int type = (op & 0x10) ? FRAME_TYPE_SEG_DESC : FRAME_TYPE_WRITABLE;

            if (nr_holds == NR_HOLDS || mm_get_page(m))
                break;
            if (mm_get_page_type(m, type)) {
                mm_put_page(m);
                break;
            }
            holds[nr_holds].mfn = m;
            holds[nr_holds].type = type;
            nr_holds++;
            break;
        }
        case 8: {
            uint8_t h = fin_u8(&in);

            if (nr_holds)
                drop_hold(h % nr_holds);
            break;
        }
        case 9:
            stub_desc_rc = (op & 0x10) ? -XEN_EINVAL : 0;
            (void)mm_take_tlb_flush_request();
            break;
        }
        check_invariants();
    }

    /* Tear everything down: every count must come back to zero. */
    while (nr_holds)
        drop_hold(0);
    (void)mm_set_root(&roots[0], 0);
    (void)mm_set_root(&roots[1], 0);
    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++)
        if (frame_table[m].flags & FRAME_F_PINNED)
            CHECK(mm_unpin(m) == 0);
    check_invariants();
    for (mfn_t m = 0; m < STUB_NR_FRAMES; m++)
        CHECK(frame_table[m].ref_count == 0 && frame_table[m].type_count == 0);
    return 0;
}
