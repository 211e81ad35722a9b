// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-ring: a guest that plays a hostile xen-blkfront against the
 * shim's blkback (pvdrivers/blkback-*.c) and abuses its own grant table,
 * from inside a real guest, on a 4 MiB scratch disk (xenshim-args).
 *
 * Grant-table hypercalls (xen/common/grant_table.c, 4.17):
 *  - setup_table: count != 1 -> -EINVAL; dom 0 (exists, not ours) ->
 *    GNTST_permission_denied; dom 7 -> GNTST_bad_domain; nr_frames 65
 *    (over max_grant_frames = 64) -> GNTST_general_error, table unchanged;
 *    nr_frames 0xffffffff with the list at a kernel address -> -EFAULT
 *    (shim: the whole array must be a guest range; Xen's guest_handle_okay
 *    checks the start only and then answers GNTST_general_error).
 *  - query_size: dom 0 / 7 as above; DOMID_SELF: nr_frames, max 64.
 *  - set_version 3 -> -EINVAL; 2 while blkback holds the ring grant ->
 *    -EBUSY ("tried to change grant table version ... while grant is in
 *    use"); after the backend let go: 2 then 1 -> 0, and v1 entries are
 *    cleared by the switch (gnttab_set_version), so they are granted anew.
 *  - get_status_frames under v1 -> GNTST_general_error.
 * Per-request blkif attacks, each answered BLKIF_RSP_ERROR (or
 * BLKIF_RSP_EOPNOTSUPP for an unknown op) with the request's id and op
 * (Linux drivers/block/xen-blkback/blkback.c dispatch_rw_block_io /
 * xen_blkbk_parse_indirect / make_response; for indirect requests the
 * response names indirect_op), the ring staying Connected, every grant
 * the backend touched released (no GTF_reading/GTF_writing left), a
 * refused read leaving the buffer untouched and a refused write leaving
 * the disk untouched (checked at the end):
 *  - nr_segments 0, 12 and 255 (BLKIF_MAX_SEGMENTS_PER_REQUEST is 11);
 *  - grefs 600 (past the 512 entries of one frame) and 0xffffffff, a ref
 *    never granted, a grant to domain 5, a read-only grant for a disk read,
 *    grants of the shim's frame 0x100, of the first MFN past the guest's
 *    memory, of MFN 0xffffffff and of the pinned L4 (a page table cannot
 *    become writable for the device); and, shim policy (only guest RAM
 *    reaches a device: grant/access.c read_frame), grants of the grant
 *    table's own frame and of shared_info;
 *  - a bad third segment after two good ones (the first two are released);
 *  - first_sect > last_sect, last_sect 8 (past the page);
 *  - sectors at and past the end of the disk, sector 2^64-1; the last page
 *    of the disk is fine;
 *  - indirect requests: 129 segments (over feature-max-indirect-segments,
 *    128), 0 segments, indirect_op FLUSH, an indirect page never granted or
 *    of the shim's frame, an indirect page listing a ref out of range or a
 *    segment with first_sect > last_sect; a good two-segment one works;
 *  - discard of 0 sectors, past the end, of 2^64-1 sectors;
 *  - operation 0x77 -> BLKIF_RSP_EOPNOTSUPP.
 * Ring and handshake attacks, each ending with the backend in Closing and
 * nothing answered (blkback_fatal, the shim's xenbus_dev_fatal; Linux
 * blkback fails a bad handshake with xenbus_dev_fatal in connect_ring and
 * halts the ring on a bogus producer, "Frontend provided bogus ring
 * requests", without a state change); the frontend then goes Closing,
 * Closed and Initialising and the backend follows to InitWait (reconnect):
 *  - req_prod 1000 ahead of the backend, and one behind it (wrap);
 *  - ring-page-order 5 (max-ring-page-order is 4);
 *  - ring-ref0: out of range, never granted, read-only, the shim's frame,
 *    the pinned L4;
 *  - event-channel: the xenstore port (not unbound) and port 4096.
 * Ballooning out the ring page while blkback maps it (the guest having
 * dropped its own mapping first): XENMEM_decrease_reservation does 0
 * extents and the ring keeps working; after the backend let go, 1, and
 * populate_physmap brings a scrubbed frame back. (Xen would take the page
 * out of the guest at once and free it when the backend's reference goes,
 * common/memory.c guest_remove_page; the shim refuses any frame still
 * referenced, shim/reservation.c. Either way the backend never writes a
 * frame that someone else owns.)
 * Health: after all that, a fresh ring on a fresh page connects, the data
 * written first reads back, an indirect read works, and the guest still
 * gets hypercalls and powers off cleanly.
 */
#include "frontend.h"

TEST_DESC("hostile-ring", "hostile blkif frontend and grant-table abuse", 0);

#define SHIM_MFN        0x100UL         /* the shim image at 1 MiB */
#define PATTERN_SECTOR  8ULL

enum {
    REF_RING = GREF_FIRST, REF_DATA0, REF_DATA1, REF_DATA2, REF_DATA3,
    REF_RO, REF_UNGRANTED, REF_SHIM, REF_BEYOND, REF_HUGE, REF_PT,
    REF_OTHER_DOM, REF_INDIRECT, REF_RING_RO, REF_RING2, REF_RING3, REF_GNT_FRAME,
    REF_SHARED_INFO,
};
#define REF_OUT_OF_RANGE 600u           /* one v1 frame holds 512 entries */

static uint8_t ring_a[PAGE_SIZE] __page_aligned_bss;
static uint8_t ring_b[PAGE_SIZE] __page_aligned_bss;
static uint8_t ring_c[PAGE_SIZE] __page_aligned_bss;
static uint8_t data[4][PAGE_SIZE] __page_aligned_bss;
static uint8_t indirect[PAGE_SIZE] __page_aligned_bss;
static struct blkfront bf;
static uint64_t next_id = 0x1000;
static unsigned long beyond_mfn;

/* ---- grant table ---------------------------------------------------------- */

static long gnttab_op(unsigned int cmd, void *op, unsigned int count)
{
    return HYPERCALL3(__HYPERVISOR_grant_table_op, cmd, op, count);
}

static void grant_everything(void)
{
    for (unsigned int i = 0; i < 4; i++)
        gnt_grant(REF_DATA0 + i, virt_to_mfn(data[i]), false);
    gnt_grant(REF_RO, virt_to_mfn(data[0]), true);
    gnt_grant(REF_SHIM, SHIM_MFN, false);
    gnt_grant(REF_BEYOND, beyond_mfn, false);
    gnt_grant(REF_HUGE, 0xffffffffUL, false);
    gnt_grant(REF_PT, virt_to_mfn((void *)start_info->pt_base), false);
    gnt_grant_raw(REF_OTHER_DOM, virt_to_mfn(data[0]), 5, GTF_permit_access);
    gnt_grant(REF_INDIRECT, virt_to_mfn(indirect), true);
    gnt_grant(REF_GNT_FRAME, gnt_table_mfn(), false);
    gnt_grant(REF_SHARED_INFO, start_info->shared_info >> PAGE_SHIFT, false);
}

static void test_grant_hypercalls(void)
{
    struct gnttab_setup_table st;
    struct gnttab_query_size q;
    struct gnttab_get_status_frames gs;
    xen_pfn_t frames[4];
    uint64_t sframes[1];

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 1;
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_RC("setup_table count 2", gnttab_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
    st.dom = 0;
    CHECK_RC("setup_table dom 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC("setup_table dom 0 status", st.status, GNTST_permission_denied);
    st.dom = 7;
    CHECK_RC("setup_table dom 7", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC("setup_table dom 7 status", st.status, GNTST_bad_domain);
    st.dom = DOMID_SELF;
    st.nr_frames = 65;
    CHECK_RC("setup_table 65 frames", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC("setup_table 65 frames status", st.status, GNTST_general_error);
    st.nr_frames = 0xffffffff;
    CHECK_RC("setup_table 2^32-1 frames", gnttab_op(GNTTABOP_setup_table, &st, 1),
             -XEN_EFAULT);

    memset(&q, 0, sizeof(q));
    q.dom = 0;
    CHECK_RC("query_size dom 0", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_RC("query_size dom 0 status", q.status, GNTST_permission_denied);
    q.dom = 7;
    CHECK_RC("query_size dom 7", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_RC("query_size dom 7 status", q.status, GNTST_bad_domain);
    q.dom = DOMID_SELF;
    CHECK_RC("query_size count 2", gnttab_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
    CHECK_RC("query_size", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_RC("query_size status", q.status, GNTST_okay);
    CHECK_RC("query_size nr_frames (the refused growths changed nothing)", q.nr_frames, 1);
    CHECK_RC("query_size max_nr_frames", q.max_nr_frames, 64);

    memset(&gs, 0, sizeof(gs));
    gs.dom = DOMID_SELF;
    gs.nr_frames = 1;
    set_xen_guest_handle(gs.frame_list, sframes);
    CHECK_RC("get_status_frames under v1", gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_RC("get_status_frames under v1 status", gs.status, GNTST_general_error);
}

static long set_version(uint32_t v)
{
    struct gnttab_set_version op = { .version = v };

    return gnttab_op(GNTTABOP_set_version, &op, 1);
}

static long get_version(void)
{
    struct gnttab_get_version op = { .dom = DOMID_SELF };
    long rc = gnttab_op(GNTTABOP_get_version, &op, 1);

    return rc ? rc : (long)op.version;
}

/* ---- requests ------------------------------------------------------------- */

static struct blkif_request rw(uint8_t op, uint64_t sector, unsigned int nseg,
                               const grant_ref_t *grefs, uint8_t first, uint8_t last)
{
    struct blkif_request r;

    memset(&r, 0, sizeof(r));
    r.operation = op;
    r.nr_segments = (uint8_t)nseg;
    r.handle = 0;
    r.id = next_id++;
    r.sector_number = sector;
    for (unsigned int i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
        r.seg[i].gref = grefs[i];
        r.seg[i].first_sect = first;
        r.seg[i].last_sect = last;
    }
    return r;
}

static bool grants_idle(const char *what)
{
    static const grant_ref_t refs[] = { REF_DATA0, REF_DATA1, REF_DATA2, REF_DATA3,
                                        REF_RO, REF_INDIRECT, REF_PT };

    for (size_t i = 0; i < ARRAY_SIZE(refs); i++)
        if (gnt_flags(refs[i]) & (GTF_reading | GTF_writing)) {
            test_fail("%s: grant %u still held (flags %#x)", what, refs[i],
                      gnt_flags(refs[i]));
            return false;
        }
    return true;
}

/* Submit one request (raw bytes) and check the one response it gets. */
static bool expect(const char *what, const void *req, size_t len, uint8_t want_op,
                   int16_t want_status)
{
    uint64_t id;
    struct blkif_response rsp;

    memcpy(&id, (const uint8_t *)req + offsetof(struct blkif_request, id), sizeof(id));
    bf_put(&bf, req, len);
    bf_push(&bf);
    if (!bf_take(&bf, &rsp)) {
        test_fail("%s: no response (backend state %ld)", what, bf_be_state(&bf));
        return false;
    }
    if (rsp.id != id || rsp.operation != want_op || rsp.status != want_status) {
        test_fail("%s: response id %#lx op %u status %d, expected id %#lx op %u status %d",
                  what, (unsigned long)rsp.id, rsp.operation, rsp.status,
                  (unsigned long)id, want_op, want_status);
        return false;
    }
    if (bf_pending(&bf))
        test_fail("%s: %u extra responses", what, bf_pending(&bf));
    return grants_idle(what);
}

static bool expect_rw(const char *what, struct blkif_request r, int16_t want)
{
    return expect(what, &r, sizeof(r), r.operation, want);
}

static void fill(uint8_t *p, uint8_t seed)
{
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        p[i] = (uint8_t)(seed + i * 7 + (i >> 9));
}

static bool same_as_pattern(const uint8_t *p)
{
    uint8_t want[PAGE_SIZE];

    fill(want, 0x3c);
    return !memcmp(p, want, PAGE_SIZE);
}

/* Read one page at sector into data[slot] through REF_DATA0 + slot. */
static bool read_page(const char *what, uint64_t sector, unsigned int slot)
{
    grant_ref_t g = REF_DATA0 + slot;

    memset(data[slot], 0xcc, PAGE_SIZE);
    return expect_rw(what, rw(BLKIF_OP_READ, sector, 1, &g, 0, 7), BLKIF_RSP_OKAY);
}

/* ---- the attacks ------------------------------------------------------------ */

static void test_segment_counts(void)
{
    grant_ref_t g[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    struct blkif_request r;

    for (unsigned int i = 0; i < ARRAY_SIZE(g); i++)
        g[i] = REF_DATA2;
    expect_rw("read with 0 segments", rw(BLKIF_OP_READ, 0, 0, g, 0, 7), BLKIF_RSP_ERROR);
    r = rw(BLKIF_OP_READ, 0, 11, g, 0, 0);
    r.nr_segments = 12;
    expect_rw("read with 12 segments (max 11)", r, BLKIF_RSP_ERROR);
    r = rw(BLKIF_OP_WRITE, 0, 11, g, 0, 0);
    r.nr_segments = 255;
    r.id = next_id++;
    expect_rw("write with 255 segments", r, BLKIF_RSP_ERROR);
}

static void test_bad_grants(void)
{
    static const struct { const char *what; grant_ref_t ref; } bad[] = {
        { "gref 600 (out of range)", REF_OUT_OF_RANGE },
        { "gref 0xffffffff", 0xffffffffu },
        { "gref never granted", REF_UNGRANTED },
        { "grant to domain 5", REF_OTHER_DOM },
        { "read-only grant for a disk read", REF_RO },
        { "grant of the shim's frame 0x100", REF_SHIM },
        { "grant of the first MFN past guest memory", REF_BEYOND },
        { "grant of MFN 0xffffffff", REF_HUGE },
        { "grant of the pinned L4 for a disk read", REF_PT },
        /* Shim policy: only guest RAM is ever granted to a device. */
        { "grant of the grant table's own frame", REF_GNT_FRAME },
        { "grant of the shared_info frame", REF_SHARED_INFO },
    };
    grant_ref_t three[3] = { REF_DATA2, REF_DATA3, REF_SHIM };
    char what[96];

    memset(data[2], 0xcc, PAGE_SIZE);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        snprintf(what, sizeof(what), "read into %s", bad[i].what);
        expect_rw(what, rw(BLKIF_OP_READ, PATTERN_SECTOR, 1, &bad[i].ref, 0, 7),
                  BLKIF_RSP_ERROR);
    }
    expect_rw("write from gref 600", rw(BLKIF_OP_WRITE, PATTERN_SECTOR, 1,
                                        &bad[0].ref, 0, 7), BLKIF_RSP_ERROR);
    expect_rw("read, third segment the shim's frame",
              rw(BLKIF_OP_READ, PATTERN_SECTOR, 3, three, 0, 7), BLKIF_RSP_ERROR);
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        if (data[2][i] != 0xcc || data[3][i] != 0 ) {
            test_fail("refused reads wrote guest memory (byte %u)", i);
            break;
        }
}

static void test_bad_sectors(void)
{
    grant_ref_t g = REF_DATA2, w = REF_DATA3;
    uint64_t end = bf.sectors;

    expect_rw("read first_sect 3 > last_sect 2",
              rw(BLKIF_OP_READ, 0, 1, &g, 3, 2), BLKIF_RSP_ERROR);
    expect_rw("read last_sect 8 (past the page)",
              rw(BLKIF_OP_READ, 0, 1, &g, 0, 8), BLKIF_RSP_ERROR);
    expect_rw("read last_sect 255", rw(BLKIF_OP_READ, 0, 1, &g, 0, 255), BLKIF_RSP_ERROR);
    /* A refused write at the pattern's place: checked at the end. */
    memset(data[3], 0xee, PAGE_SIZE);
    expect_rw("write first_sect 7 > last_sect 0",
              rw(BLKIF_OP_WRITE, PATTERN_SECTOR, 1, &w, 7, 0), BLKIF_RSP_ERROR);
    expect_rw("read at the end of the disk", rw(BLKIF_OP_READ, end, 1, &g, 0, 7),
              BLKIF_RSP_ERROR);
    expect_rw("read across the end of the disk", rw(BLKIF_OP_READ, end - 4, 1, &g, 0, 7),
              BLKIF_RSP_ERROR);
    expect_rw("write across the end of the disk", rw(BLKIF_OP_WRITE, end - 4, 1, &w, 0, 7),
              BLKIF_RSP_ERROR);
    expect_rw("read at sector 2^64-1", rw(BLKIF_OP_READ, ~0ULL, 1, &g, 0, 0),
              BLKIF_RSP_ERROR);
    expect_rw("read of the last page of the disk", rw(BLKIF_OP_READ, end - 8, 1, &g, 0, 7),
              BLKIF_RSP_OKAY);
}

static struct blkif_request_indirect ind(uint8_t op, unsigned int nseg, grant_ref_t page)
{
    struct blkif_request_indirect r;

    memset(&r, 0, sizeof(r));
    r.operation = BLKIF_OP_INDIRECT;
    r.indirect_op = op;
    r.nr_segments = (uint16_t)nseg;
    r.id = next_id++;
    r.sector_number = PATTERN_SECTOR;
    r.indirect_grefs[0] = page;
    return r;
}

static void set_indirect_segs(unsigned int n, grant_ref_t bad_ref, unsigned int bad_at,
                              uint8_t bad_first)
{
    struct blkif_request_segment *s = (struct blkif_request_segment *)indirect;

    memset(indirect, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < n; i++) {
        s[i].gref = REF_DATA2 + (i & 1);
        s[i].first_sect = 0;
        s[i].last_sect = 7;
    }
    if (bad_at < n) {
        if (bad_ref)
            s[bad_at].gref = bad_ref;
        s[bad_at].first_sect = bad_first;
        s[bad_at].last_sect = bad_first ? 1 : 7;
    }
}

static void test_indirect(void)
{
    struct blkif_request_indirect r;

    set_indirect_segs(2, 0, ~0u, 0);
    r = ind(BLKIF_OP_READ, 129, REF_INDIRECT);
    expect("indirect read of 129 segments (max 128)", &r, sizeof(r), BLKIF_OP_READ,
           BLKIF_RSP_ERROR);
    r = ind(BLKIF_OP_READ, 0, REF_INDIRECT);
    expect("indirect read of 0 segments", &r, sizeof(r), BLKIF_OP_READ, BLKIF_RSP_ERROR);
    r = ind(BLKIF_OP_FLUSH_DISKCACHE, 2, REF_INDIRECT);
    expect("indirect flush", &r, sizeof(r), BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_ERROR);
    r = ind(BLKIF_OP_READ, 2, REF_UNGRANTED);
    expect("indirect page never granted", &r, sizeof(r), BLKIF_OP_READ, BLKIF_RSP_ERROR);
    r = ind(BLKIF_OP_READ, 2, REF_SHIM);
    expect("indirect page the shim's frame", &r, sizeof(r), BLKIF_OP_READ, BLKIF_RSP_ERROR);
    set_indirect_segs(4, REF_OUT_OF_RANGE, 1, 0);
    r = ind(BLKIF_OP_READ, 4, REF_INDIRECT);
    expect("indirect segment gref 600", &r, sizeof(r), BLKIF_OP_READ, BLKIF_RSP_ERROR);
    set_indirect_segs(4, 0, 3, 5);
    r = ind(BLKIF_OP_WRITE, 4, REF_INDIRECT);
    expect("indirect segment first_sect 5 > last_sect 1", &r, sizeof(r), BLKIF_OP_WRITE,
           BLKIF_RSP_ERROR);
}

static void test_discard_and_unknown(void)
{
    struct blkif_request_discard d;
    struct blkif_request r;

    memset(&d, 0, sizeof(d));
    d.operation = BLKIF_OP_DISCARD;
    d.id = next_id++;
    d.sector_number = 0;
    d.nr_sectors = 0;
    expect("discard of 0 sectors", &d, sizeof(d), BLKIF_OP_DISCARD, BLKIF_RSP_ERROR);
    d.id = next_id++;
    d.sector_number = bf.sectors;
    d.nr_sectors = 8;
    expect("discard past the end", &d, sizeof(d), BLKIF_OP_DISCARD, BLKIF_RSP_ERROR);
    d.id = next_id++;
    d.sector_number = PATTERN_SECTOR;
    d.nr_sectors = ~0ULL;
    expect("discard of 2^64-1 sectors", &d, sizeof(d), BLKIF_OP_DISCARD, BLKIF_RSP_ERROR);

    memset(&r, 0, sizeof(r));
    r.operation = 0x77;
    r.id = next_id++;
    expect("operation 0x77", &r, sizeof(r), 0x77, BLKIF_RSP_EOPNOTSUPP);
}

/* ---- ring and handshake attacks: the backend must give up on the device -- */

static void reconnect_after(const char *what)
{
    if (!bf_reset(&bf))
        test_fail("%s: the backend did not follow Closing/Closed/InitWait (state %ld)",
                  what, bf_be_state(&bf));
}

static void expect_closing(const char *what)
{
    long st;

    bf_wait_be(&bf, XenbusStateClosing);
    st = bf_be_state(&bf);
    if (st != XenbusStateClosing)
        test_fail("%s: backend state %ld, expected Closing (5)", what, st);
}

static void test_producer(const char *what, uint32_t offset)
{
    struct evtchn_send s;
    uint32_t rsp_before;

    if (bf_connect(&bf, (struct blkif_sring *)ring_a, REF_RING, 0, 0) !=
        XenbusStateConnected) {
        test_fail("%s: no connection to attack", what);
        return;
    }
    rsp_before = bf.sring->rsp_prod;
    bf.sring->req_prod = bf.req_prod_pvt + offset;
    s.port = bf.port;
    hypervisor_event_channel_op(EVTCHNOP_send, &s);
    expect_closing(what);
    if (bf.sring->rsp_prod != rsp_before)
        test_fail("%s: the backend answered %u garbage slots", what,
                  bf.sring->rsp_prod - rsp_before);
    reconnect_after(what);
}

static void test_handshake(const char *what, unsigned int order, grant_ref_t ref,
                           evtchn_port_t port)
{
    long st = bf_connect(&bf, (struct blkif_sring *)ring_a, ref, order, port);

    if (st != XenbusStateClosing)
        test_fail("%s: backend state %ld, expected Closing (5)", what, st);
    reconnect_after(what);
}

static void test_ring_attacks(void)
{
    test_producer("req_prod 1000 ahead", 1000);
    test_producer("req_prod one behind (wraps to 2^32-1 ahead)", 0xffffffffu);
    test_handshake("ring-page-order 5", 5, REF_RING, 0);
    test_handshake("ring-ref0 600", 0, REF_OUT_OF_RANGE, 0);
    test_handshake("ring-ref0 never granted", 0, REF_UNGRANTED, 0);
    gnt_grant(REF_RING_RO, virt_to_mfn(ring_a), true);
    test_handshake("ring-ref0 read-only", 0, REF_RING_RO, 0);
    test_handshake("ring-ref0 the shim's frame", 0, REF_SHIM, 0);
    test_handshake("ring-ref0 the pinned L4", 0, REF_PT, 0);
    test_handshake("event-channel the xenstore port", 0, REF_RING,
                   start_info->store_evtchn);
    test_handshake("event-channel 4096", 0, REF_RING, 4096);
}

/* ---- ballooning the ring out from under the backend ---------------------- */

static long reservation(unsigned int cmd, xen_pfn_t *list)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERCALL2(__HYPERVISOR_memory_op, cmd, &r);
}

static void test_balloon_ring(void)
{
    unsigned long pfn = virt_to_pfn(ring_c), mfn = virt_to_mfn(ring_c);
    uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
    xen_pfn_t ext;

    gnt_grant(REF_RING3, mfn, false);
    if (bf_connect(&bf, (struct blkif_sring *)ring_c, REF_RING3, 0, 0) !=
        XenbusStateConnected) {
        test_fail("balloon: no connection on ring_c");
        return;
    }
    if (!CHECK_RC("unmap our own view of the ring",
                  hypervisor_update_va_mapping(ring_c, 0, UVMF_INVLPG), 0))
        return;
    ext = mfn;
    CHECK_RC("decrease_reservation of the ring blkback maps",
             reservation(XENMEM_decrease_reservation, &ext), 0);
    CHECK_RC("map the ring again", hypervisor_update_va_mapping(ring_c, pte, UVMF_INVLPG), 0);
    if (read_page("read on the ring the guest tried to balloon", PATTERN_SECTOR, 1) &&
        !same_as_pattern(data[1]))
        test_fail("balloon: wrong data on the surviving ring");
    if (!bf_reset(&bf))
        test_fail("balloon: disconnect, backend state %ld", bf_be_state(&bf));
    /* The backend let go: now the frame may leave, and come back. */
    CHECK_RC("unmap the ring again", hypervisor_update_va_mapping(ring_c, 0, UVMF_INVLPG), 0);
    ext = mfn;
    CHECK_RC("decrease_reservation after the disconnect",
             reservation(XENMEM_decrease_reservation, &ext), 1);
    ext = pfn;
    if (CHECK_RC("populate_physmap of its pfn", reservation(XENMEM_populate_physmap, &ext), 1)) {
        ((unsigned long *)start_info->mfn_list)[pfn] = ext;
        pte = ((uint64_t)ext << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
        CHECK_RC("map the new frame", hypervisor_update_va_mapping(ring_c, pte, UVMF_INVLPG), 0);
        if (ring_c[0] || ring_c[PAGE_SIZE - 1])
            test_fail("balloon: the frame came back unscrubbed");
    }
}

/* ---- health ------------------------------------------------------------------ */

static void test_fresh_ring(void)
{
    struct blkif_request_indirect r;
    long st;

    gnt_grant(REF_RING2, virt_to_mfn(ring_b), false);
    st = bf_connect(&bf, (struct blkif_sring *)ring_b, REF_RING2, 0, 0);
    if (st != XenbusStateConnected) {
        test_fail("fresh ring after the attacks: backend state %ld", st);
        return;
    }
    if (read_page("read back on the fresh ring", PATTERN_SECTOR, 1) &&
        !same_as_pattern(data[1]))
        test_fail("sector %llu no longer holds what was written (a refused write landed?)",
                  PATTERN_SECTOR);
    set_indirect_segs(2, 0, ~0u, 0);
    memset(data[2], 0, PAGE_SIZE);
    r = ind(BLKIF_OP_READ, 2, REF_INDIRECT);
    if (expect("indirect read of 2 segments", &r, sizeof(r), BLKIF_OP_READ, BLKIF_RSP_OKAY) &&
        !same_as_pattern(data[2]))
        test_fail("indirect read: wrong data in its first segment");
    if (hypervisor_xen_version(XENVER_version, NULL) >> 16 != 4)
        test_fail("xen_version after the attacks");
    /* Leave the device as Linux does at poweroff. */
    if (!bf_reset(&bf))
        test_fail("final disconnect: backend state %ld", bf_be_state(&bf));
}

void test_main(void)
{
    grant_ref_t g0 = REF_DATA0;

    beyond_mfn = pfn_to_mfn(start_info->nr_pages - 1) + 1;
    if (xs_init() || gnt_init())
        return;
    test_grant_hypercalls();
    grant_everything();
    gnt_grant(REF_RING, virt_to_mfn(ring_a), false);
    if (bf_probe(&bf)) {
        test_error("no vbd in xenstore (run with xenshim-args' --disk)");
        return;
    }
    printk("vbd %s, backend %s\n", bf.fe, bf.be);
    if (bf_connect(&bf, (struct blkif_sring *)ring_a, REF_RING, 0, 0) != XenbusStateConnected ||
        bf.sectors < 64) {
        test_error("connect: backend state %ld, %lu sectors", bf_be_state(&bf), bf.sectors);
        return;
    }
    printk("connected: %lu sectors, port %u\n", bf.sectors, bf.port);

    /* Baseline: a page written and read back. */
    fill(data[0], 0x3c);
    expect_rw("write the pattern", rw(BLKIF_OP_WRITE, PATTERN_SECTOR, 1, &g0, 0, 7),
              BLKIF_RSP_OKAY);
    /* Version games while the backend holds the ring grant. */
    CHECK_RC("set_version 3", set_version(3), -XEN_EINVAL);
    CHECK_RC("set_version 2 while the ring is mapped", set_version(2), -XEN_EBUSY);
    CHECK_RC("get_version", get_version(), 1);
    if (read_page("read the pattern back", PATTERN_SECTOR, 1) && !same_as_pattern(data[1]))
        test_fail("the pattern did not read back");

    test_segment_counts();
    test_bad_grants();
    test_bad_sectors();
    test_indirect();
    test_discard_and_unknown();
    if (bf_be_state(&bf) != XenbusStateConnected)
        test_fail("per-request errors disconnected the vbd (state %ld)", bf_be_state(&bf));
    reconnect_after("orderly close");

    test_ring_attacks();
    test_balloon_ring();

    /* Nothing held now: the version can change, and v1 comes back empty. */
    CHECK_RC("set_version 2 with nothing mapped", set_version(2), 0);
    CHECK_RC("get_version after the switch", get_version(), 2);
    CHECK_RC("set_version 1", set_version(1), 0);
    if (gnt_flags(REF_DATA0) != 0)
        test_fail("set_version left entry %u with flags %#x", REF_DATA0, gnt_flags(REF_DATA0));
    grant_everything();

    test_fresh_ring();
}
