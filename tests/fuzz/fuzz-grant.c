// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the grant-table backend access path (grant/table.c, grant/access.c) and
 * the guest's grant_table_op (hypercalls/grant-table.c), on the stub
 * domain of tests/unit/grant-stub.c with the real PV MMU. The input is a
 * program in which the guest writes arbitrary bytes into its grant entries
 * (v1 or v2, any flags/domid/frame/sub-page), arms a rewrite of an entry
 * that fires in the middle of the shim's next access to a frame (a second
 * vCPU racing the backend), issues grant_table_op with arbitrary arguments
 * (set_version, setup_table growth, ...), while a backend acquires,
 * releases and copies through refs (in range and out of range).
 *
 * Checked after every step: every held mapping points at a guest RAM frame
 * inside its page window and holds a general reference (plus a writable
 * type reference for write), so the frame cannot become a page table (a
 * pin attempt must fail); after everything is released no guest frame
 * keeps a reference or a type.
 */
#include <stdio.h>
#include <stdlib.h>
#include "grant-stub.h"
#include "fuzz-input.h"

#define MAX_OPS   64
#define NR_HELD   8

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static struct gnt_mapping held[NR_HELD];
static unsigned int nr_held;

/* The pending racing write: 16 bytes at a host address inside a frame. */
static uint8_t race_bytes[16];
static uint8_t *race_dst;
static size_t race_len;

static void race_fn(void)
{
    if (race_dst)
        memcpy(race_dst, race_bytes, race_len);
}

/* Where entry ref lives (ref < nr_entries), and its size. */
static uint8_t *entry_ptr(grant_ref_t ref, size_t *len)
{
    if (gnttab_version(&gs_dom) == 2) {
        *len = sizeof(union grant_entry_v2);
        return (uint8_t *)gs_v2(ref);
    }
    *len = sizeof(struct grant_entry_v1);
    return (uint8_t *)gs_v1(ref);
}

/* Entry bytes: mostly a plausible grant, sometimes raw. */
static void fuzz_entry(struct fin *in, uint8_t *e, size_t len)
{
    uint8_t mode = fin_u8(in);

    if (mode & 0x80) {
        memset(e, 0, len);
        fin_bytes(in, e, len);
        return;
    }
    {
        uint16_t flags = fin_u16(in);
        domid_t domid = (mode & 0x40) ? fin_u16(in) : 0;
        uint8_t fr = fin_u8(in);
        /* Guest RAM, the shim's frames, or beyond the machine. */
        uint64_t frame = (mode & 0x20) ? fr : (mode & 0x10) ? 0x100000u + fr
                                        : GS_GUEST_FIRST + fr;

        if (len == sizeof(struct grant_entry_v1)) {
            struct grant_entry_v1 v = { flags, domid, (uint32_t)frame };

            memcpy(e, &v, sizeof(v));
        } else {
            union grant_entry_v2 v;

            memset(&v, 0, sizeof(v));
            v.hdr.flags = flags;
            v.hdr.domid = domid;
            if (flags & GTF_sub_page) {
                v.sub_page.page_off = fin_u16(in) % (PAGE_SIZE + 8);
                v.sub_page.length = fin_u16(in) % (PAGE_SIZE + 8);
                v.sub_page.frame = frame;
            } else {
                v.full_page.frame = frame;
            }
            memcpy(e, &v, sizeof(v));
        }
    }
}

static void check_held(void)
{
    for (unsigned int i = 0; i < nr_held; i++) {
        const struct gnt_mapping *m = &held[i];
        unsigned int refs = 0, writes = 0;

        CHECK(m->mfn >= GS_GUEST_FIRST && m->mfn < GS_NR_FRAMES);
        CHECK(frame_table[m->mfn].owner == FRAME_OWNER_GUEST);
        CHECK(m->page == (uint8_t *)mfn_to_virt(m->mfn));
        /* A v2 sub-page window may be empty (Xen allows length 0). */
        CHECK((unsigned int)m->offset + m->len <= PAGE_SIZE);
        for (unsigned int j = 0; j < nr_held; j++) {
            if (held[j].mfn != m->mfn)
                continue;
            refs++;
            writes += held[j].write;
        }
        CHECK(frame_table[m->mfn].ref_count >= refs);
        if (writes) {
            CHECK(frame_table[m->mfn].type == FRAME_TYPE_WRITABLE);
            CHECK(frame_table[m->mfn].type_count >= writes);
            /* A frame a backend may write cannot become a page table. */
            CHECK(mm_pin(m->mfn, 1) != 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    static uint8_t buf[PAGE_SIZE + 64];

    gs_reset();
    nr_held = 0;
    race_dst = NULL;

    for (unsigned int op = 0; op < MAX_OPS && fin_more(&in); op++) {
        uint8_t code = fin_u8(&in);
        unsigned int nr = gnttab_nr_entries(&gs_dom);

        switch (code % 8) {
        case 0: {      /* the guest writes an entry */
            grant_ref_t ref = fin_u16(&in) % nr;
            size_t len;
            uint8_t *e = entry_ptr(ref, &len);

            fuzz_entry(&in, e, len);
            break;
        }
        case 1: {      /* arm a rewrite racing the shim's next access */
            grant_ref_t ref = fin_u16(&in) % nr;
            uint8_t nth = fin_u8(&in);
            size_t len;
            uint8_t *e = entry_ptr(ref, &len);
            mfn_t mfn = (mfn_t)(((uintptr_t)e - (uintptr_t)mfn_to_virt(0)) >> PAGE_SHIFT);

            fuzz_entry(&in, race_bytes, len);
            race_dst = e;
            race_len = len;
            gs_on_map(mfn, 1 + nth % 4, race_fn);
            break;
        }
        case 2: {      /* backend acquires */
            grant_ref_t ref = (code & 0x10) ? fin_u32(&in) : fin_u16(&in) % nr;
            struct gnt_mapping m;

            if (nr_held == NR_HELD)
                break;
            memset(&m, 0, sizeof(m));
            if (gnttab_acquire(&gs_dom, ref, (code & 0x20) != 0, &m) == GNTST_okay)
                held[nr_held++] = m;
            break;
        }
        case 3: {      /* backend releases */
            uint8_t i = fin_u8(&in);

            if (!nr_held)
                break;
            i %= nr_held;
            gnttab_release(&gs_dom, &held[i]);
            held[i] = held[--nr_held];
            break;
        }
        case 4: {      /* copy in or out at any offset/length */
            grant_ref_t ref = (code & 0x10) ? fin_u32(&in) : fin_u16(&in) % nr;
            unsigned int off = fin_u16(&in) % (PAGE_SIZE + 16);
            size_t len = fin_u16(&in) % (PAGE_SIZE + 16);
            uint8_t *b = malloc(len ? len : 1);

            CHECK(b);
            memset(b, 0xa5, len);
            if (code & 0x20) {
                (void)gnttab_copy_to(&gs_dom, ref, off, b, len);
            } else if (gnttab_copy_from(&gs_dom, ref, off, b, len) != GNTST_okay) {
                for (size_t i = 0; i < len; i++)
                    CHECK(b[i] == 0);   /* zero-filled on failure */
            }
            free(b);
            break;
        }
        case 5: {      /* grant_table_op with a fuzzed argument struct */
            unsigned int cmd = fin_u8(&in);
            unsigned int count = fin_u8(&in);
            size_t n = fin_u8(&in) % 64;

            memset(buf, 0, 64);
            fin_bytes(&in, buf, n);
            memcpy(gs_gva(GS_GVA_BASE), buf, 64);
            cmd = (code & 0x10) ? cmd | (unsigned int)fin_u32(&in) << 8 : cmd % 8;
            count = (code & 0x20) ? count : 1;
            (void)gs_gnttab_op(cmd, GS_GVA_BASE + ((code & 0x40) ? 4090 : 0), count);
            break;
        }
        case 6: {      /* typed operations on a frame while grants are held */
            mfn_t mfn = GS_GUEST_FIRST + fin_u8(&in);

            if (mm_pin(mfn, 1 + (code >> 4) % 4) == 0)
                CHECK(mm_unpin(mfn) == 0);
            break;
        }
        default: {     /* set_version directly */
            struct gnttab_set_version sv = { .version = fin_u8(&in) % 4 };

            (void)gnttab_op_set_version(&gs_dom, &sv);
            break;
        }
        }
        gs_on_map(0, 0, NULL);   /* an unfired race ends with the op */
        check_held();
        (void)mm_take_tlb_flush_request();
    }

    while (nr_held) {
        gnttab_release(&gs_dom, &held[nr_held - 1]);
        nr_held--;
    }
    for (mfn_t m = GS_GUEST_FIRST; m < GS_NR_FRAMES; m++)
        CHECK(frame_table[m].ref_count == 0 && frame_table[m].type_count == 0);
    return 0;
}
