// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the storvsc provider (shim/platform/viridian/storvsc*.c)
 * against the fake VMBus and the storage VSP model: the layouts of every
 * structure on the wire, the CDBs, the request block per protocol version,
 * the handshake with version fallback, LUN discovery and geometry, reads
 * and writes whose GPA ranges must match the segments (checked by the data
 * that arrives), request splitting, flush, UNMAP and its parameter list,
 * sense data to IOERR, completions out of order and with unknown or stale
 * transaction ids, a corrupt ring, and a host that never answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <plat/provider.h>
#include <xen/errno.h>
#include "../../shim/platform/viridian/storvsc-priv.h"
#include "../../shim/platform/viridian/vdev.h"
#include "storvsp-model.h"

static const struct vmbus_guid scsi_class = { {
    0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d,
    0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f } };

/* The registry is replaced by a recorder: each test probes afresh. */
static const struct plat_blk_provider *reg_ops;
static void *reg_ctx;
static unsigned int reg_calls;

int plat_blk_register(const struct plat_blk_provider *ops, void *ctx)
{
    reg_ops = ops;
    reg_ctx = ctx;
    reg_calls++;
    return 0;
}

static struct storvsp vsp;
static struct fake_channel *fc;

static void fresh(uint32_t bs, uint64_t blocks)
{
    fake_vmbus_reset();
    memset(svs_disks, 0, sizeof(svs_disks));
    svs_nr_disks = 0;
    reg_ops = NULL;
    reg_calls = 0;
    storvsp_init(&vsp, bs, blocks);
    fc = fake_vmbus_add(&scsi_class, storvsp_host, &vsp);
}

static int teardown(void **state)
{
    storvsp_fini(&vsp);
    fake_vmbus_reset();
    return 0;
}

/* ---- requests and their completions ------------------------------------ */

static unsigned int done_calls;
static enum plat_blk_status done_st;

static void on_done(struct plat_blk_req *r, enum plat_blk_status st)
{
    done_calls++;
    done_st = st;
}

static uint8_t *pages;                  /* 16 page-aligned frames for data */

static paddr_t pg(unsigned int i, uint32_t off)
{
    return (paddr_t)(uintptr_t)(pages + (size_t)i * PAGE_SIZE) + off;
}

static int submit(unsigned int idx, enum plat_blk_op op, uint64_t sector,
                  const struct plat_blk_seg *segs, uint32_t nr, uint32_t nr_sectors,
                  struct plat_blk_req *r)
{
    *r = (struct plat_blk_req){ .op = op, .sector = sector, .nr_segs = nr, .segs = segs,
                                .nr_sectors = nr_sectors, .done = on_done };
    return reg_ops->submit(reg_ctx, idx, r);
}

static void probe_ok(void)
{
    assert_int_equal(storvsc_probe(), 1);
    assert_int_equal(reg_calls, 1);
    assert_int_equal(reg_ops->count(reg_ctx), 1);
}

static int setup_pages(void **state)
{
    pages = aligned_alloc(PAGE_SIZE, 16 * PAGE_SIZE);
    return pages ? 0 : -1;
}

static int teardown_pages(void **state)
{
    free(pages);
    return 0;
}

/* ---- layouts ------------------------------------------------------------ */

static void test_layouts(void **state)
{
    assert_int_equal(sizeof(struct vstor_packet), 64);
    assert_int_equal(offsetof(struct vstor_packet, srb), 12);
    assert_int_equal(sizeof(struct vmscsi_request), 52);
    assert_int_equal(offsetof(struct vmscsi_request, srb_status), 2);
    assert_int_equal(offsetof(struct vmscsi_request, lun), 7);
    assert_int_equal(offsetof(struct vmscsi_request, cdb_length), 8);
    assert_int_equal(offsetof(struct vmscsi_request, data_in), 10);
    assert_int_equal(offsetof(struct vmscsi_request, data_transfer_length), 12);
    assert_int_equal(offsetof(struct vmscsi_request, cdb), 16);
    assert_int_equal(offsetof(struct vmscsi_request, reserve), 36);
    assert_int_equal(offsetof(struct vmscsi_request, srb_flags), 40);
    assert_int_equal(offsetof(struct vmscsi_request, time_out_value), 44);
    assert_int_equal(sizeof(struct vmstorage_channel_properties), 24);
    assert_int_equal(offsetof(struct vmstorage_channel_properties, max_channel_cnt), 4);
    assert_int_equal(offsetof(struct vmstorage_channel_properties, flags), 8);
    assert_int_equal(offsetof(struct vmstorage_channel_properties, max_transfer_bytes), 12);
    assert_int_equal(sizeof(struct scsi_unmap_list), 24);

    /* The version table: newest first, sizes per version. */
    assert_int_equal(vstor_nr_protocols, 5);
    assert_int_equal(vstor_protocols[0].version, 0x0602);
    assert_int_equal(vstor_protocols[1].version, 0x0600);
    assert_int_equal(vstor_protocols[2].version, 0x0501);
    assert_int_equal(vstor_protocols[3].version, 0x0402);
    assert_int_equal(vstor_protocols[4].version, 0x0200);
    for (unsigned int i = 0; i < 3; i++) {
        assert_int_equal(vstor_protocols[i].pkt_bytes, 64);
        assert_int_equal(vstor_protocols[i].srb_length, 52);
        assert_int_equal(vstor_protocols[i].sense_bytes, 0x14);
    }
    for (unsigned int i = 3; i < 5; i++) {
        assert_int_equal(vstor_protocols[i].pkt_bytes, 48);
        assert_int_equal(vstor_protocols[i].srb_length, 36);
        assert_int_equal(vstor_protocols[i].sense_bytes, 0x12);
    }
}

static void test_cdbs(void **state)
{
    uint8_t c[16];
    struct scsi_unmap_list l;
    static const uint8_t r10[16] = { 0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0x00, 0x08 };
    static const uint8_t w16[16] = { 0x8a, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
    static const uint8_t r16[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0, 0x01, 0, 0 };
    static const uint8_t unmap[16] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24 };
    static const uint8_t ulist[24] = { 0, 22, 0, 16, 0, 0, 0, 0,
                                       0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05,
                                       0, 0x10, 0, 0, 0, 0, 0, 0 };
    static const uint8_t rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32 };
    static const uint8_t vpd[16] = { 0x12, 1, 0xb0, 0, 64 };
    static const uint8_t rl[16] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x08 };
    static const uint8_t ms[16] = { 0x1a, 0x08, 0x3f, 0, 4 };

    assert_int_equal(scsi_build_rw(c, false, 0x12345678, 8), 10);
    assert_memory_equal(c, r10, 16);
    /* LBA past 32 bits: the 16-byte form. */
    assert_int_equal(scsi_build_rw(c, true, 1ULL << 40, 16), 16);
    assert_memory_equal(c, w16, 16);
    /* More than 65535 blocks: the 16-byte form too. */
    assert_int_equal(scsi_build_rw(c, false, 5, 0x10000), 16);
    assert_memory_equal(c, r16, 16);
    assert_int_equal(scsi_build_rw(c, false, 5, 0), 0);
    assert_int_equal(scsi_build_sync_cache(c), 10);
    assert_int_equal(c[0], 0x35);
    for (unsigned int i = 1; i < 16; i++)
        assert_int_equal(c[i], 0);
    assert_int_equal(scsi_build_unmap(c, &l, 0x0102030405ULL, 0x100000), 10);
    assert_memory_equal(c, unmap, 16);
    assert_memory_equal(&l, ulist, 24);
    assert_int_equal(scsi_build_read_capacity16(c, 32), 16);
    assert_memory_equal(c, rc16, 16);
    assert_int_equal(scsi_build_inquiry(c, true, 0xb0, 64), 6);
    assert_memory_equal(c, vpd, 16);
    assert_int_equal(scsi_build_report_luns(c, 520), 12);
    assert_memory_equal(c, rl, 16);
    assert_int_equal(scsi_build_mode_sense6(c, 4), 6);
    assert_memory_equal(c, ms, 16);
}

static void test_srb_fields(void **state)
{
    struct vstor_packet p;
    uint8_t cdb[16];
    unsigned int n = scsi_build_rw(cdb, false, 9, 1);

    vstor_fill_srb(&p, &vstor_protocols[0], 0, 0, 3, cdb, n, VMSCSI_READ, 4096);
    assert_int_equal(p.operation, VSTOR_OP_EXECUTE_SRB);
    assert_int_equal(p.flags, VSTOR_FLAG_REQUEST_COMPLETION);
    assert_int_equal(p.srb.length, 52);
    assert_int_equal(p.srb.lun, 3);
    assert_int_equal(p.srb.cdb_length, 10);
    assert_int_equal(p.srb.sense_info_length, 0x14);
    assert_int_equal(p.srb.data_in, VMSCSI_READ);
    assert_int_equal(p.srb.data_transfer_length, 4096);
    assert_memory_equal(p.srb.cdb, cdb, 10);
    assert_int_equal(p.srb.srb_flags, SRB_FLAGS_QUEUE_ACTION_ENABLE |
                     SRB_FLAGS_DISABLE_SYNCH_TRANSFER | SRB_FLAGS_DATA_IN);
    assert_int_equal(p.srb.time_out_value, 60);
    vstor_fill_srb(&p, &vstor_protocols[0], 0, 0, 0, cdb, n, VMSCSI_WRITE, 512);
    assert_int_equal(p.srb.srb_flags & (SRB_FLAGS_DATA_IN | SRB_FLAGS_DATA_OUT),
                     SRB_FLAGS_DATA_OUT);
    /* Before Windows 8 the extension is not part of the request. */
    vstor_fill_srb(&p, &vstor_protocols[3], 0, 0, 0, cdb, n, VMSCSI_READ, 512);
    assert_int_equal(p.srb.length, 36);
    assert_int_equal(p.srb.sense_info_length, 0x12);
    assert_int_equal(p.srb.srb_flags, 0);
    assert_int_equal(p.srb.time_out_value, 0);
}

static void test_srb_result(void **state)
{
    const struct vstor_proto_info *w10 = &vstor_protocols[0];
    struct vstor_packet p = { .operation = VSTOR_OP_COMPLETE_IO };
    uint32_t moved;

    p.srb.srb_status = SRB_STATUS_SUCCESS;
    p.srb.data_transfer_length = 8192;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 4096, &moved), PLAT_BLK_OK);
    assert_int_equal(moved, 4096);                  /* capped at what was asked */
    /* A reply shorter than the version's packet, or not a completion. */
    assert_int_equal(vstor_srb_result(&p, 48, w10, 4096, &moved), PLAT_BLK_IOERR);
    assert_int_equal(moved, 0);
    assert_int_equal(vstor_srb_result(&p, 48, &vstor_protocols[3], 4096, NULL), PLAT_BLK_OK);
    p.operation = VSTOR_OP_REMOVE_DEVICE;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 4096, NULL), PLAT_BLK_IOERR);
    p.operation = VSTOR_OP_COMPLETE_IO;
    /* Short transfer reported as DATA_OVERRUN. */
    p.srb.srb_status = SRB_STATUS_DATA_OVERRUN;
    p.srb.data_transfer_length = 36;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, &moved), PLAT_BLK_OK);
    assert_int_equal(moved, 36);
    p.srb.data_transfer_length = 97;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, &moved), PLAT_BLK_IOERR);
    /* Sense data: MEDIUM ERROR is an I/O error, an unknown opcode unsupported. */
    p.srb.srb_status = SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID;
    p.srb.scsi_status = SCSI_STATUS_CHECK_CONDITION;
    p.srb.sense_info_length = 18;
    p.srb.sense_data[0] = 0x70;
    p.srb.sense_data[2] = 0x3;
    p.srb.sense_data[12] = 0x11;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, NULL), PLAT_BLK_IOERR);
    p.srb.sense_data[2] = SCSI_SENSE_ILLEGAL_REQUEST;
    p.srb.sense_data[12] = SCSI_ASC_INVALID_OPCODE;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, NULL), PLAT_BLK_UNSUPPORTED);
    /* Sense not marked valid, or too short to hold the ASC: plain error. */
    p.srb.srb_status = SRB_STATUS_ERROR;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, NULL), PLAT_BLK_IOERR);
    p.srb.srb_status = SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID;
    p.srb.sense_info_length = 8;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, NULL), PLAT_BLK_IOERR);
    /* GOOD SCSI status but SRB says error. */
    p.srb.scsi_status = SCSI_STATUS_GOOD;
    p.srb.srb_status = SRB_STATUS_INVALID_LUN;
    assert_int_equal(vstor_srb_result(&p, 64, w10, 96, NULL), PLAT_BLK_IOERR);
}

static void test_parsers(void **state)
{
    uint8_t d[64] = { 0 }, luns[4];
    struct scsi_disk_geometry g;
    struct scsi_block_limits bl;

    assert_int_equal(scsi_parse_read_capacity16(d, 31, &g), -XEN_EINVAL);
    assert_int_equal(scsi_parse_read_capacity16(d, 32, &g), -XEN_EINVAL);     /* bs 0 */
    d[7] = 0xff;
    d[10] = 0x02;                                   /* 512 */
    d[13] = 3;
    d[14] = 0x80;
    assert_int_equal(scsi_parse_read_capacity16(d, 32, &g), 0);
    assert_int_equal(g.nr_blocks, 256);
    assert_int_equal(g.block_size, 512);
    assert_int_equal(g.phys_exp, 3);
    assert_true(g.lbpme);
    d[10] = 0x03;                                   /* 768: not a power of two */
    assert_int_equal(scsi_parse_read_capacity16(d, 32, &g), -XEN_EINVAL);
    memset(d, 0xff, 8);
    d[10] = 0x02;
    assert_int_equal(scsi_parse_read_capacity16(d, 32, &g), -XEN_EINVAL);     /* +1 wraps */
    memset(d, 0, sizeof(d));
    assert_int_equal(scsi_parse_read_capacity10(d, 7, &g), -XEN_EINVAL);
    d[3] = 9;
    d[6] = 0x10;                                    /* 4096 */
    assert_int_equal(scsi_parse_read_capacity10(d, 8, &g), 0);
    assert_int_equal(g.nr_blocks, 10);
    assert_int_equal(g.block_size, 4096);

    memset(d, 0, sizeof(d));
    d[1] = 0xb2;
    assert_int_equal(scsi_parse_block_limits(d, 64, &bl), -XEN_EINVAL);       /* wrong page */
    d[1] = 0xb0;
    d[11] = 0x80;
    d[23] = 0x40;
    d[28] = 0x80;                                   /* UGAVALID bit is not part of it */
    d[31] = 8;
    assert_int_equal(scsi_parse_block_limits(d, 31, &bl), -XEN_EINVAL);
    assert_int_equal(scsi_parse_block_limits(d, 32, &bl), 0);
    assert_int_equal(bl.max_xfer_blocks, 0x80);
    assert_int_equal(bl.max_unmap_blocks, 0x40);
    assert_int_equal(bl.unmap_granularity, 8);
    memset(d, 0, sizeof(d));
    d[1] = 0xb2;
    d[5] = 0x80;
    assert_true(scsi_parse_lbp_unmap(d, 6));
    assert_false(scsi_parse_lbp_unmap(d, 5));
    d[1] = 0xb0;
    assert_false(scsi_parse_lbp_unmap(d, 6));
    d[2] = 0x80;
    assert_true(scsi_mode_sense6_wp(d, 4));
    assert_false(scsi_mode_sense6_wp(d, 3));
    assert_true(scsi_inquiry_is_disk((const uint8_t[]){ 0x00 }, 1));
    assert_false(scsi_inquiry_is_disk((const uint8_t[]){ 0x7f }, 1));
    assert_false(scsi_inquiry_is_disk((const uint8_t[]){ 0x05 }, 1));   /* CD-ROM */
    assert_false(scsi_inquiry_is_disk(d, 0));

    /* REPORT LUNS: a list longer than the data, odd entries skipped. */
    memset(d, 0, sizeof(d));
    d[0] = 0xff;                                    /* claims 4 GiB of entries */
    d[8 + 1] = 2;                                   /* LUN 2, peripheral */
    d[16] = 0x40;
    d[16 + 1] = 5;                                  /* LUN 5, flat */
    d[24] = 0x41;                                   /* flat LUN 256+: beyond u8 */
    d[32 + 1] = 7;
    d[32 + 3] = 1;                                  /* second level: skipped */
    d[40] = 0x80;                                   /* LUN addressing method: skipped */
    d[48 + 1] = 9;
    d[56] = 0xc0;                                   /* extended addressing: skipped */
    assert_int_equal(scsi_parse_report_luns(d, 7, luns, 4), -XEN_EINVAL);
    assert_int_equal(scsi_parse_report_luns(d, 64, luns, 4), 3);
    assert_int_equal(luns[0], 2);
    assert_int_equal(luns[1], 5);
    assert_int_equal(luns[2], 9);
    assert_int_equal(scsi_parse_report_luns(d, 64, luns, 1), 1);
    d[0] = 0;
    d[3] = 8;                                       /* one entry only */
    assert_int_equal(scsi_parse_report_luns(d, 64, luns, 4), 1);
}

/* ---- handshake and probe ------------------------------------------------ */

static void test_handshake_newest(void **state)
{
    const struct plat_blk_info *in;

    fresh(512, 2048);
    vsp.lun = 1;
    vsp.phys_exp = 3;
    probe_ok();
    assert_int_equal(vsp.nr_versions_asked, 1);
    assert_int_equal(vsp.versions_asked[0], VSTOR_PROTO_WIN10);
    /* The handshake packets, in order, full size, completion requested. */
    for (unsigned int i = 0; i < 4; i++) {
        static const uint32_t ops[] = { 7, 9, 10, 8 };
        const struct fake_sent *s = fake_vmbus_sent(fc, i);

        assert_int_equal(s->type, VMBUS_PKT_DATA_INBAND);
        assert_int_equal(s->len, 64);
        assert_true(s->want_completion);
        assert_int_equal(((const struct vstor_packet *)s->data)->operation, ops[i]);
        assert_true(s->trans_id != 0);
    }
    assert_true(fc->open);
    assert_int_equal(fc->send_bytes, SVS_RING_BYTES);
    in = reg_ops->info(reg_ctx, 0);
    assert_non_null(in);
    assert_null(reg_ops->info(reg_ctx, 1));
    assert_int_equal(svs_disks[0].lun, 1);
    assert_int_equal(in->capacity, 2048);
    assert_int_equal(in->sector_size, 512);
    assert_int_equal(in->physical_sector_size, 4096);
    assert_int_equal(in->max_segs, SVS_MAX_SEGS);
    assert_true(in->flush);
    assert_false(in->read_only);
    assert_false(in->discard);
}

static void test_handshake_fallback(void **state)
{
    struct plat_blk_req r;
    struct plat_blk_seg seg = { pg(0, 0), 512 };

    fresh(512, 64);
    vsp.max_version = VSTOR_PROTO_WIN7;
    probe_ok();
    assert_int_equal(vsp.nr_versions_asked, 4);
    assert_int_equal(vsp.versions_asked[0], 0x0602);
    assert_int_equal(vsp.versions_asked[1], 0x0600);
    assert_int_equal(vsp.versions_asked[2], 0x0501);
    assert_int_equal(vsp.versions_asked[3], 0x0402);
    /* Later requests are 48-byte packets (the model asserts the sizes). */
    assert_int_equal(submit(0, PLAT_BLK_READ, 8, &seg, 1, 0, &r), 0);
    vmbus_poll();
    assert_int_equal(done_st, PLAT_BLK_OK);
    assert_int_equal(fake_vmbus_sent(fc, fc->nr_sent - 1)->len, 48);
}

static void test_handshake_refused(void **state)
{
    fresh(512, 64);
    vsp.max_version = 0x0100;                       /* older than anything we speak */
    assert_int_equal(storvsc_probe(), 0);
    assert_int_equal(reg_calls, 0);
    assert_int_equal(vsp.nr_versions_asked, 5);
    assert_false(fc->open);
    assert_int_equal(fc->closes, 1);
}

static void test_host_silent(void **state)
{
    fresh(512, 64);
    vsp.silent = true;
    assert_int_equal(storvsc_probe(), 0);
    assert_int_equal(reg_calls, 0);
    assert_true(fake_now_ns >= SVS_SYNC_TIMEOUT_NS);
    assert_int_equal(fc->closes, 1);
}

static void test_probe_4k_thin_ro(void **state)
{
    const struct plat_blk_info *in;

    fresh(4096, 1000);
    vsp.thin = true;
    vsp.max_unmap_blocks = 256;
    vsp.unmap_granularity = 2;
    vsp.max_transfer = 64 * 1024;
    vsp.no_rc16 = true;                             /* falls back to READ CAPACITY(10) */
    vsp.no_report_luns = true;                      /* falls back to scanning LUNs */
    vsp.lun = 3;
    probe_ok();
    in = reg_ops->info(reg_ctx, 0);
    assert_int_equal(svs_disks[0].lun, 3);
    assert_int_equal(in->capacity, 8000);
    assert_int_equal(in->sector_size, 4096);
    assert_int_equal(in->max_segs, 16);             /* 64 KiB per command */
    /* RC10 carries no LBPME: no discard despite the VPD page. */
    assert_false(in->discard);

    teardown(NULL);
    fresh(4096, 1000);
    vsp.thin = true;
    vsp.max_unmap_blocks = 256;
    vsp.unmap_granularity = 2;
    probe_ok();
    in = reg_ops->info(reg_ctx, 0);
    assert_true(in->discard);
    assert_int_equal(in->max_discard_sectors, 256 * 8);
    assert_int_equal(in->discard_granularity, 8192);

    teardown(NULL);
    fresh(512, 100);
    vsp.thin = true;
    vsp.write_protected = true;
    probe_ok();
    in = reg_ops->info(reg_ctx, 0);
    assert_true(in->read_only);
    assert_false(in->discard);
}

/* ---- I/O ----------------------------------------------------------------- */

static void test_read_gpa_matches_segments(void **state)
{
    struct plat_blk_seg segs[3] = { { pg(2, 3584), 512 }, { pg(5, 0), 4096 },
                                    { pg(1, 0), 1024 } };
    const struct fake_sent *s;
    const struct vstor_packet *p;
    struct plat_blk_req r;

    fresh(512, 256);
    probe_ok();
    memset(pages, 0xee, 16 * PAGE_SIZE);
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_READ, 17, segs, 3, 0, &r), 0);
    assert_int_equal(done_calls, 0);                /* never from inside submit */
    s = fake_vmbus_sent(fc, fc->nr_sent - 1);
    p = (const void *)s->data;
    assert_int_equal(s->type, VMBUS_PKT_DATA_GPA_DIRECT);
    assert_int_equal(s->nr_ranges, 1);
    assert_int_equal(s->ranges[0].offset, 3584);
    assert_int_equal(s->ranges[0].len, 512 + 4096 + 1024);
    assert_int_equal(s->ranges[0].nr_pfns, 3);
    assert_int_equal(s->ranges[0].pfns[0], pg(2, 0) >> PAGE_SHIFT);
    assert_int_equal(s->ranges[0].pfns[1], pg(5, 0) >> PAGE_SHIFT);
    assert_int_equal(s->ranges[0].pfns[2], pg(1, 0) >> PAGE_SHIFT);
    assert_int_equal(p->srb.cdb[0], SCSI_READ_10);
    assert_int_equal(p->srb.cdb[5], 17);            /* LBA */
    assert_int_equal(p->srb.cdb[8], 11);            /* blocks */
    assert_int_equal(p->srb.data_transfer_length, 5632);
    vmbus_poll();
    assert_int_equal(done_calls, 1);
    assert_int_equal(done_st, PLAT_BLK_OK);
    assert_memory_equal(pages + 2 * PAGE_SIZE + 3584, vsp.disk + 17 * 512, 512);
    assert_memory_equal(pages + 5 * PAGE_SIZE, vsp.disk + 18 * 512, 4096);
    assert_memory_equal(pages + 1 * PAGE_SIZE, vsp.disk + 26 * 512, 1024);
    assert_int_equal(pages[1 * PAGE_SIZE + 1024], 0xee);    /* nothing past the segment */
}

static void test_write_split_at_gaps(void **state)
{
    /* Page 3 ends at 2048, so page 4 cannot follow it in one range. */
    struct plat_blk_seg segs[4] = { { pg(3, 0), 1024 }, { pg(3, 1024), 1024 },
                                    { pg(4, 0), 4096 }, { pg(6, 512), 512 } };
    struct plat_blk_req r;

    fresh(512, 256);
    probe_ok();
    for (unsigned int i = 0; i < 16 * PAGE_SIZE; i++)
        pages[i] = (uint8_t)(i * 13);
    vsp.hold = true;
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_WRITE, 40, segs, 4, 0, &r), 0);
    assert_int_equal(vsp.nr_held, 3);
    /* Run 1: both pieces of page 3 in one pfn; run 2: page 4; run 3: page 6. */
    assert_int_equal(fake_vmbus_sent(fc, fc->nr_sent - 3)->ranges[0].len, 2048);
    assert_int_equal(fake_vmbus_sent(fc, fc->nr_sent - 3)->ranges[0].nr_pfns, 1);
    assert_int_equal(fake_vmbus_sent(fc, fc->nr_sent - 2)->ranges[0].len, 4096);
    assert_int_equal(fake_vmbus_sent(fc, fc->nr_sent - 1)->ranges[0].offset, 512);
    assert_int_equal(((const struct vstor_packet *)fake_vmbus_sent(fc, fc->nr_sent - 1)->data)
                     ->srb.cdb[5], 40 + 4 + 8);
    /* Completions out of order: the request ends with its last command. */
    storvsp_release(&vsp, fc, 2);
    storvsp_release(&vsp, fc, 0);
    vmbus_poll();
    assert_int_equal(done_calls, 0);
    storvsp_release(&vsp, fc, 1);
    vmbus_poll();
    assert_int_equal(done_calls, 1);
    assert_int_equal(done_st, PLAT_BLK_OK);
    assert_memory_equal(vsp.disk + 40 * 512, pages + 3 * PAGE_SIZE, 2048);
    assert_memory_equal(vsp.disk + 44 * 512, pages + 4 * PAGE_SIZE, 4096);
    assert_memory_equal(vsp.disk + 52 * 512, pages + 6 * PAGE_SIZE + 512, 512);
    assert_int_equal(svs_disks[0].c->nr_free, SVS_QUEUE);
}

static void test_sense_is_ioerr(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 4096 };
    struct plat_blk_req r;

    fresh(512, 256);
    probe_ok();
    vsp.fail_key = 0x3;                             /* MEDIUM ERROR */
    vsp.fail_asc = 0x11;
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), 0);
    vmbus_poll();
    assert_int_equal(done_calls, 1);
    assert_int_equal(done_st, PLAT_BLK_IOERR);
    /* A split request with one failed command fails as a whole. */
    {
        struct plat_blk_seg two[2] = { { pg(0, 0), 512 }, { pg(1, 512), 512 } };

        vsp.fail_key = 0x4;
        assert_int_equal(submit(0, PLAT_BLK_READ, 0, two, 2, 0, &r), 0);
        vmbus_poll();
        assert_int_equal(done_calls, 2);
        assert_int_equal(done_st, PLAT_BLK_IOERR);
    }
}

static void test_flush_and_unmap(void **state)
{
    struct plat_blk_req r;
    const struct fake_sent *s;
    const struct vstor_packet *p;

    fresh(4096, 512);
    vsp.thin = true;
    vsp.max_unmap_blocks = 16;
    probe_ok();
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_FLUSH, 0, NULL, 0, 0, &r), 0);
    vmbus_poll();
    assert_int_equal(vsp.syncs, 1);
    assert_int_equal(done_st, PLAT_BLK_OK);
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 64, NULL, 0, 32, &r), 0);
    s = fake_vmbus_sent(fc, fc->nr_sent - 1);
    p = (const void *)s->data;
    assert_int_equal(p->srb.cdb[0], SCSI_UNMAP);
    assert_int_equal(s->ranges[0].len, 24);
    vmbus_poll();
    assert_int_equal(done_calls, 2);
    assert_int_equal(done_st, PLAT_BLK_OK);
    assert_int_equal(vsp.last_unmap_lba, 8);
    assert_int_equal(vsp.last_unmap_blocks, 4);
    /* Limits: beyond max_discard_sectors, unaligned, past the end. */
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 0, NULL, 0, 16 * 8 + 8, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 4, NULL, 0, 8, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 4096 - 8, NULL, 0, 16, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_FLUSH, 0, (struct plat_blk_seg[]){ { 0, 0 } }, 1, 0,
                            &r), -XEN_EINVAL);
    assert_int_equal(done_calls, 2);
}

static void test_invalid_requests(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 4096 };
    struct plat_blk_req r;

    fresh(4096, 16);
    probe_ok();
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 0, 0, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, NULL, 1, 0, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_READ, 4, &seg, 1, 0, &r), -XEN_EINVAL);   /* unaligned */
    assert_int_equal(submit(0, PLAT_BLK_READ, 128, &seg, 1, 0, &r), -XEN_EINVAL); /* end */
    assert_int_equal(submit(0, PLAT_BLK_READ, 120, &seg, 1, 0, &r), 0);
    seg = (struct plat_blk_seg){ pg(0, 512), 4096 };                               /* crosses */
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), -XEN_EINVAL);
    seg = (struct plat_blk_seg){ pg(0, 100), 512 };                                /* odd */
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), -XEN_EINVAL);
    seg = (struct plat_blk_seg){ pg(0, 0), 1024 };                     /* not a 4K block */
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), -XEN_EINVAL);
    assert_int_equal(submit(1, PLAT_BLK_READ, 0, &seg, 1, 0, &r), -XEN_ENODEV);
    r.op = 77;
    assert_int_equal(reg_ops->submit(reg_ctx, 0, &r), -XEN_EINVAL);
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 0, NULL, 0, 8, &r), -XEN_EOPNOTSUPP);
}

static void test_read_only_refuses_writes(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 512 };
    struct plat_blk_req r;

    fresh(512, 64);
    vsp.write_protected = true;
    probe_ok();
    assert_int_equal(submit(0, PLAT_BLK_WRITE, 0, &seg, 1, 0, &r), -XEN_EROFS);
    assert_int_equal(submit(0, PLAT_BLK_DISCARD, 0, NULL, 0, 8, &r), -XEN_EROFS);
}

static void test_unknown_and_stale_ids(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 512 };
    struct plat_blk_req r;
    struct vstor_packet fake = { .operation = VSTOR_OP_COMPLETE_IO };
    struct svs_ctrl *c;
    uint64_t tid;

    fresh(512, 64);
    probe_ok();
    c = svs_disks[0].c;
    vsp.hold = true;
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), 0);
    tid = fake_vmbus_sent(fc, fc->nr_sent - 1)->trans_id;
    fake.srb.srb_status = SRB_STATUS_SUCCESS;
    fake.srb.data_transfer_length = 512;
    /* Ids no command has: slot out of range, free slot, wrong generation, 0, sync bit. */
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, 0xffff, &fake, 64);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, tid + 1, &fake, 64);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, tid + (1ULL << 32), &fake, 64);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, 0, &fake, 64);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, tid | SVS_TID_SYNC, &fake, 64);
    /* An unsolicited host message (ENUMERATE_BUS) is not a completion. */
    fake.operation = VSTOR_OP_ENUMERATE_BUS;
    fake_vmbus_push(fc, VMBUS_PKT_DATA_INBAND, 0, &fake, 64);
    vmbus_poll();
    assert_int_equal(done_calls, 0);
    assert_int_equal(c->unknown_tid, 5);
    assert_int_equal(c->unsolicited, 1);
    storvsp_release(&vsp, fc, 0);
    vmbus_poll();
    assert_int_equal(done_calls, 1);
    assert_int_equal(done_st, PLAT_BLK_OK);
    /* The same id again after the slot was freed: stale. */
    storvsp_release(&vsp, fc, 0);
    vmbus_poll();
    assert_int_equal(done_calls, 1);
    assert_int_equal(c->unknown_tid, 6);
    /* A completion cut short is an error, not a read past it. */
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r), 0);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, fake_vmbus_sent(fc, fc->nr_sent - 1)->trans_id,
                    &vsp.held[1].reply, 20);
    vmbus_poll();
    assert_int_equal(done_calls, 2);
    assert_int_equal(done_st, PLAT_BLK_IOERR);
}

static void test_queue_full_and_ring_full(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 512 };
    struct plat_blk_req r[SVS_QUEUE + 1];

    fresh(512, 64);
    probe_ok();
    vsp.hold = true;
    for (unsigned int i = 0; i < SVS_QUEUE; i++)
        assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[i]), 0);
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[SVS_QUEUE]), -XEN_EBUSY);
    storvsp_release(&vsp, fc, 0);
    reg_ops->poll(reg_ctx);
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[SVS_QUEUE]), 0);
    /* The host's ring full: refused as busy, no slot lost. */
    fc->send_rc = -XEN_EAGAIN;
    storvsp_release(&vsp, fc, 1);
    reg_ops->poll(reg_ctx);
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[0]), -XEN_EBUSY);
    assert_int_equal(svs_disks[0].c->nr_free, 1);
}

static void test_corrupt_ring_fails_all(void **state)
{
    struct plat_blk_seg seg = { pg(0, 0), 512 };
    struct plat_blk_seg two[2] = { { pg(0, 0), 512 }, { pg(1, 512), 512 } };
    struct plat_blk_req r[3];

    fresh(512, 64);
    probe_ok();
    vsp.hold = true;
    done_calls = 0;
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[0]), 0);
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, two, 2, 0, &r[1]), 0);
    fc->corrupt = true;
    vmbus_poll();
    assert_int_equal(done_calls, 2);                /* each request exactly once */
    assert_int_equal(done_st, PLAT_BLK_IOERR);
    assert_int_equal(fc->closes, 0);                /* never from the callback */
    assert_int_equal(submit(0, PLAT_BLK_READ, 0, &seg, 1, 0, &r[2]), -XEN_ENODEV);
}

static void test_oversized_packet_fails_controller(void **state)
{
    uint8_t big[300] = { 0 };

    fresh(512, 64);
    probe_ok();
    fake_vmbus_push(fc, VMBUS_PKT_DATA_INBAND, 0, big, sizeof(big));
    vmbus_poll();
    assert_true(svs_disks[0].c->failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_cdbs),
        cmocka_unit_test(test_srb_fields),
        cmocka_unit_test(test_srb_result),
        cmocka_unit_test(test_parsers),
        cmocka_unit_test_teardown(test_handshake_newest, teardown),
        cmocka_unit_test_teardown(test_handshake_fallback, teardown),
        cmocka_unit_test_teardown(test_handshake_refused, teardown),
        cmocka_unit_test_teardown(test_host_silent, teardown),
        cmocka_unit_test_teardown(test_probe_4k_thin_ro, teardown),
        cmocka_unit_test_teardown(test_read_gpa_matches_segments, teardown),
        cmocka_unit_test_teardown(test_write_split_at_gaps, teardown),
        cmocka_unit_test_teardown(test_sense_is_ioerr, teardown),
        cmocka_unit_test_teardown(test_flush_and_unmap, teardown),
        cmocka_unit_test_teardown(test_invalid_requests, teardown),
        cmocka_unit_test_teardown(test_read_only_refuses_writes, teardown),
        cmocka_unit_test_teardown(test_unknown_and_stale_ids, teardown),
        cmocka_unit_test_teardown(test_queue_full_and_ring_full, teardown),
        cmocka_unit_test_teardown(test_corrupt_ring_fails_all, teardown),
        cmocka_unit_test_teardown(test_oversized_packet_fails_controller, teardown),
    };

    return cmocka_run_group_tests(tests, setup_pages, teardown_pages);
}
