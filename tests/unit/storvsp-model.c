// SPDX-License-Identifier: GPL-2.0-only
/*
 * The storage VSP model of storvsp-model.h. It checks what a real VSP
 * would reject (packet length for the negotiated version, the request
 * block's length field, the data direction) with cmocka asserts, so a
 * storvsc that builds a wrong packet fails the test that sent it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storvsp-model.h"

static uint16_t negotiated;

void storvsp_init(struct storvsp *s, uint32_t block_size, uint64_t nr_blocks)
{
    memset(s, 0, sizeof(*s));
    s->max_version = VSTOR_PROTO_WIN10;
    s->max_transfer = 512 * 1024;
    s->block_size = block_size;
    s->nr_blocks = nr_blocks;
    s->disk = calloc(nr_blocks, block_size);
    assert_non_null(s->disk);
    for (uint64_t i = 0; i < nr_blocks * block_size; i++)
        s->disk[i] = (uint8_t)(i * 7 + i / 4096);
    negotiated = 0;
}

void storvsp_fini(struct storvsp *s)
{
    free(s->disk);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Copy between buf and the packet's single GPA range, page by page. */
static void gpa_copy(const struct fake_sent *pkt, uint8_t *buf, uint32_t len, bool to_guest)
{
    uint32_t off, done = 0;

    assert_int_equal(pkt->nr_ranges, 1);
    assert_true(len <= pkt->ranges[0].len);
    off = pkt->ranges[0].offset;
    for (uint32_t i = 0; done < len; i++) {
        uint8_t *page = fake_pfn_ptr(pkt->ranges[0].pfns[i]);
        uint32_t n = (uint32_t)MIN((uint64_t)PAGE_SIZE - off, (uint64_t)len - done);

        assert_true(i < pkt->ranges[0].nr_pfns);
        if (to_guest)
            memcpy(page + off, buf + done, n);
        else
            memcpy(buf + done, page + off, n);
        done += n;
        off = 0;
    }
}

static void reply(struct storvsp *s, struct fake_channel *fc, uint64_t tid,
                  struct vstor_packet *p, uint32_t len, bool io)
{
    p->operation = VSTOR_OP_COMPLETE_IO;
    if (io && s->hold) {
        assert_true(s->nr_held < STORVSP_HELD_MAX);
        s->held[s->nr_held].tid = tid;
        s->held[s->nr_held].reply = *p;
        s->held[s->nr_held++].len = len;
        return;
    }
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, tid, p, len);
}

void storvsp_release(struct storvsp *s, struct fake_channel *fc, unsigned int i)
{
    assert_true(i < s->nr_held);
    fake_vmbus_push(fc, VMBUS_PKT_COMPLETION, s->held[i].tid, &s->held[i].reply,
                    s->held[i].len);
}

static void check_condition(struct vmscsi_request *srb, uint8_t key, uint8_t asc)
{
    srb->scsi_status = SCSI_STATUS_CHECK_CONDITION;
    srb->srb_status = SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID;
    memset(srb->sense_data, 0, sizeof(srb->sense_data));
    srb->sense_data[0] = 0x70;
    srb->sense_data[2] = key;
    srb->sense_data[7] = 10;
    srb->sense_data[12] = asc;
    srb->data_transfer_length = 0;
}

/* Answer one SCSI command in p (data through pkt's range). */
static void scsi(struct storvsp *s, const struct fake_sent *pkt, struct vstor_packet *p)
{
    struct vmscsi_request *srb = &p->srb;
    const uint8_t *c = srb->cdb;
    uint8_t d[512] = { 0 };
    uint32_t n = 0, alloc = srb->data_transfer_length;
    uint64_t lba = 0, blocks = 0;
    bool rw = false, write = false;

    srb->srb_status = SRB_STATUS_SUCCESS;
    srb->scsi_status = SCSI_STATUS_GOOD;
    if (srb->lun != s->lun && c[0] != SCSI_REPORT_LUNS && c[0] != SCSI_INQUIRY) {
        srb->srb_status = SRB_STATUS_INVALID_LUN;
        srb->data_transfer_length = 0;
        return;
    }
    switch (c[0]) {
    case SCSI_INQUIRY:
        if (c[1] & 1) {
            d[1] = c[2];
            if (c[2] == SCSI_VPD_BLOCK_LIMITS) {
                d[3] = 0x3c;
                put32(&d[8], s->max_transfer / s->block_size);
                put32(&d[20], s->max_unmap_blocks);
                put32(&d[24], 1);
                put32(&d[28], s->unmap_granularity);
                n = 64;
            } else if (c[2] == SCSI_VPD_LB_PROVISIONING) {
                d[3] = 4;
                d[5] = s->thin ? 0x80 : 0;
                n = 8;
            }
        } else {
            d[0] = srb->lun == s->lun ? 0x00 : 0x7f;    /* no device: qualifier 3 */
            d[4] = 31;
            memcpy(&d[8], "Msft    Virtual Disk    1.0 ", 28);
            n = 36;
        }
        break;
    case SCSI_SERVICE_ACTION_IN_16:
        assert_int_equal(c[1], SCSI_SAI_READ_CAPACITY_16);
        if (s->no_rc16) {
            check_condition(srb, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
            return;
        }
        put32(&d[0], (uint32_t)((s->nr_blocks - 1) >> 32));
        put32(&d[4], (uint32_t)(s->nr_blocks - 1));
        put32(&d[8], s->block_size);
        d[13] = s->phys_exp;
        d[14] = s->thin ? 0x80 : 0;
        n = 32;
        break;
    case SCSI_READ_CAPACITY_10:
        put32(&d[0], (uint32_t)(s->nr_blocks - 1));
        put32(&d[4], s->block_size);
        n = 8;
        break;
    case SCSI_MODE_SENSE_6:
        d[0] = 3;
        d[2] = s->write_protected ? 0x80 : 0;
        n = 4;
        break;
    case SCSI_REPORT_LUNS:
        if (s->no_report_luns) {
            check_condition(srb, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
            return;
        }
        put32(&d[0], 8);
        d[9] = s->lun;
        n = 16;
        break;
    case SCSI_SYNCHRONIZE_CACHE_10:
        assert_int_equal(srb->data_in, VMSCSI_UNKNOWN);
        assert_int_equal(pkt->type, VMBUS_PKT_DATA_INBAND);
        s->syncs++;
        break;
    case SCSI_UNMAP: {
        struct scsi_unmap_list l;

        assert_int_equal(srb->data_in, VMSCSI_WRITE);
        assert_int_equal(alloc, sizeof(l));
        gpa_copy(pkt, (uint8_t *)&l, sizeof(l), false);
        assert_int_equal((l.data_len[0] << 8) | l.data_len[1], 22);
        assert_int_equal((l.desc_len[0] << 8) | l.desc_len[1], 16);
        s->last_unmap_lba = be64(l.lba);
        s->last_unmap_blocks = be32(l.nr_blocks);
        assert_true(s->last_unmap_lba + s->last_unmap_blocks <= s->nr_blocks);
        memset(s->disk + s->last_unmap_lba * s->block_size, 0,
               (size_t)s->last_unmap_blocks * s->block_size);
        s->unmaps++;
        srb->data_transfer_length = sizeof(l);
        return;
    }
    case SCSI_READ_10:
    case SCSI_WRITE_10:
        lba = be32(&c[2]);
        blocks = (uint32_t)(c[7] << 8 | c[8]);
        assert_int_equal(srb->cdb_length, 10);
        rw = true;
        write = c[0] == SCSI_WRITE_10;
        break;
    case SCSI_READ_16:
    case SCSI_WRITE_16:
        lba = be64(&c[2]);
        blocks = be32(&c[10]);
        assert_int_equal(srb->cdb_length, 16);
        rw = true;
        write = c[0] == SCSI_WRITE_16;
        break;
    default:
        check_condition(srb, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
        return;
    }
    if (rw) {
        uint32_t bytes = (uint32_t)(blocks * s->block_size);

        assert_int_equal(srb->data_in, write ? VMSCSI_WRITE : VMSCSI_READ);
        assert_int_equal(pkt->type, VMBUS_PKT_DATA_GPA_DIRECT);
        assert_int_equal(bytes, alloc);
        assert_int_equal(bytes, pkt->ranges[0].len);
        assert_true(lba + blocks <= s->nr_blocks);
        if (s->fail_key) {
            check_condition(srb, s->fail_key, s->fail_asc);
            s->fail_key = 0;
            return;
        }
        gpa_copy(pkt, s->disk + lba * s->block_size, bytes, !write);
        srb->data_transfer_length = bytes;
        return;
    }
    n = MIN(n, alloc);
    if (n)
        gpa_copy(pkt, d, n, true);
    /* Windows reports less data than asked as DATA_OVERRUN with the real count. */
    if (n < alloc)
        srb->srb_status = SRB_STATUS_DATA_OVERRUN;
    srb->data_transfer_length = n;
}

void storvsp_host(struct fake_channel *fc, const struct fake_sent *pkt)
{
    struct storvsp *s = fc->host_ctx;
    struct vstor_packet p = { 0 };

    if (s->silent)
        return;
    assert_true(pkt->want_completion);
    assert_true(pkt->len >= VSTOR_PKT_BYTES_PRE_WIN8 && pkt->len <= sizeof(p));
    memcpy(&p, pkt->data, pkt->len);
    assert_int_equal(p.flags, VSTOR_FLAG_REQUEST_COMPLETION);
    switch (p.operation) {
    case VSTOR_OP_BEGIN_INITIALIZATION:
    case VSTOR_OP_END_INITIALIZATION:
        assert_int_equal(pkt->len, VSTOR_PKT_BYTES);
        p.status = 0;
        break;
    case VSTOR_OP_QUERY_PROTOCOL_VERSION:
        assert_true(s->nr_versions_asked < 8);
        s->versions_asked[s->nr_versions_asked++] = p.version.major_minor;
        assert_int_equal(p.version.revision, 0);
        p.status = p.version.major_minor <= s->max_version ? 0 : 0xc0000001u;
        if (!p.status)
            negotiated = p.version.major_minor;
        break;
    case VSTOR_OP_QUERY_PROPERTIES:
        memset(&p.props, 0, sizeof(p.props));
        p.props.max_channel_cnt = 1;
        p.props.max_transfer_bytes = s->max_transfer;
        p.status = 0;
        break;
    case VSTOR_OP_EXECUTE_SRB: {
        bool win8 = negotiated >= VSTOR_PROTO_WIN8;
        uint8_t op = p.srb.cdb[0];

        assert_int_equal(pkt->len, win8 ? VSTOR_PKT_BYTES : VSTOR_PKT_BYTES_PRE_WIN8);
        assert_int_equal(p.srb.length, win8 ? 52 : 36);
        assert_int_equal(p.srb.sense_info_length, win8 ? 0x14 : 0x12);
        s->srbs++;
        scsi(s, pkt, &p);
        p.status = 0;
        reply(s, fc, pkt->trans_id, &p, pkt->len,
              op == SCSI_READ_10 || op == SCSI_WRITE_10 || op == SCSI_READ_16 ||
              op == SCSI_WRITE_16 || op == SCSI_UNMAP || op == SCSI_SYNCHRONIZE_CACHE_10);
        return;
    }
    default:
        fail_msg("storvsp: unexpected operation %u", p.operation);
    }
    reply(s, fc, pkt->trans_id, &p, pkt->len, false);
}
