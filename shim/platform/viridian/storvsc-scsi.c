// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pure halves of the storvsc provider: the protocol-version table, the
 * SCSI CDBs it sends (SBC-3, SPC-4), the request block of a vstor packet,
 * the verdict of a completed one and the parsers of the data-in pages that
 * give a disk's geometry. Everything read here came from the host and is
 * checked against the length the host claims and the length we asked for.
 */
#include <shim/lib.h>
#include <xen/errno.h>
#include "storvsc-proto.h"

const struct vstor_proto_info vstor_protocols[] = {
    { VSTOR_PROTO_WIN10, VSTOR_PKT_BYTES, sizeof(struct vmscsi_request),
      VMSCSI_SENSE_WIN8, true },
    { VSTOR_PROTO_WIN8_1, VSTOR_PKT_BYTES, sizeof(struct vmscsi_request),
      VMSCSI_SENSE_WIN8, true },
    { VSTOR_PROTO_WIN8, VSTOR_PKT_BYTES, sizeof(struct vmscsi_request),
      VMSCSI_SENSE_WIN8, true },
    { VSTOR_PROTO_WIN7, VSTOR_PKT_BYTES_PRE_WIN8,
      sizeof(struct vmscsi_request) - VMSCSI_WIN8_EXT_BYTES, VMSCSI_SENSE_PRE_WIN8, false },
    { VSTOR_PROTO_WIN6, VSTOR_PKT_BYTES_PRE_WIN8,
      sizeof(struct vmscsi_request) - VMSCSI_WIN8_EXT_BYTES, VMSCSI_SENSE_PRE_WIN8, false },
};
const unsigned int vstor_nr_protocols = ARRAY_SIZE(vstor_protocols);

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, (uint16_t)(v >> 16));
    put_be16(p + 2, (uint16_t)v);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

unsigned int scsi_build_rw(uint8_t cdb[VMSCSI_CDB_MAX], bool write, uint64_t lba,
                           uint32_t nr_blocks)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    if (!nr_blocks)
        return 0;
    if (lba <= UINT32_MAX && nr_blocks <= UINT16_MAX) {
        cdb[0] = write ? SCSI_WRITE_10 : SCSI_READ_10;
        put_be32(&cdb[2], (uint32_t)lba);
        put_be16(&cdb[7], (uint16_t)nr_blocks);
        return 10;
    }
    cdb[0] = write ? SCSI_WRITE_16 : SCSI_READ_16;
    put_be64(&cdb[2], lba);
    put_be32(&cdb[10], nr_blocks);
    return 16;
}

unsigned int scsi_build_sync_cache(uint8_t cdb[VMSCSI_CDB_MAX])
{
    /* LBA 0 and 0 blocks: the whole medium (SBC-3, 5.22). */
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_SYNCHRONIZE_CACHE_10;
    return 10;
}

unsigned int scsi_build_unmap(uint8_t cdb[VMSCSI_CDB_MAX], struct scsi_unmap_list *list,
                              uint64_t lba, uint32_t nr_blocks)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    memset(list, 0, sizeof(*list));
    cdb[0] = SCSI_UNMAP;
    put_be16(&cdb[7], sizeof(*list));       /* parameter list length */
    put_be16(list->data_len, sizeof(*list) - 2);
    put_be16(list->desc_len, 16);
    put_be64(list->lba, lba);
    put_be32(list->nr_blocks, nr_blocks);
    return 10;
}

unsigned int scsi_build_inquiry(uint8_t cdb[VMSCSI_CDB_MAX], bool evpd, uint8_t page,
                                uint16_t alloc)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_INQUIRY;
    if (evpd) {
        cdb[1] = 1;
        cdb[2] = page;
    }
    put_be16(&cdb[3], alloc);
    return 6;
}

unsigned int scsi_build_read_capacity16(uint8_t cdb[VMSCSI_CDB_MAX], uint32_t alloc)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_SERVICE_ACTION_IN_16;
    cdb[1] = SCSI_SAI_READ_CAPACITY_16;
    put_be32(&cdb[10], alloc);
    return 16;
}

unsigned int scsi_build_read_capacity10(uint8_t cdb[VMSCSI_CDB_MAX])
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_READ_CAPACITY_10;
    return 10;
}

unsigned int scsi_build_mode_sense6(uint8_t cdb[VMSCSI_CDB_MAX], uint8_t alloc)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_MODE_SENSE_6;
    cdb[1] = 0x08;                          /* DBD: no block descriptors */
    cdb[2] = 0x3f;                          /* current values, all pages */
    cdb[4] = alloc;
    return 6;
}

unsigned int scsi_build_report_luns(uint8_t cdb[VMSCSI_CDB_MAX], uint32_t alloc)
{
    memset(cdb, 0, VMSCSI_CDB_MAX);
    cdb[0] = SCSI_REPORT_LUNS;
    put_be32(&cdb[6], alloc);
    return 12;
}

void vstor_fill_srb(struct vstor_packet *pkt, const struct vstor_proto_info *p,
                    uint8_t path, uint8_t target, uint8_t lun, const uint8_t *cdb,
                    unsigned int cdb_len, uint8_t data_in, uint32_t data_len)
{
    struct vmscsi_request *srb = &pkt->srb;

    memset(pkt, 0, sizeof(*pkt));
    pkt->operation = VSTOR_OP_EXECUTE_SRB;
    pkt->flags = VSTOR_FLAG_REQUEST_COMPLETION;
    srb->length = p->srb_length;
    srb->path_id = path;
    srb->target_id = target;
    srb->lun = lun;
    srb->cdb_length = (uint8_t)MIN(cdb_len, (unsigned int)VMSCSI_CDB_MAX);
    memcpy(srb->cdb, cdb, srb->cdb_length);
    srb->sense_info_length = p->sense_bytes;
    srb->data_in = data_in;
    srb->data_transfer_length = data_len;
    if (p->win8_ext) {
        srb->srb_flags = SRB_FLAGS_QUEUE_ACTION_ENABLE | SRB_FLAGS_DISABLE_SYNCH_TRANSFER |
                         (data_in == VMSCSI_READ ? SRB_FLAGS_DATA_IN :
                          data_in == VMSCSI_WRITE ? SRB_FLAGS_DATA_OUT : 0);
        srb->time_out_value = 60;
    }
}

enum plat_blk_status vstor_srb_result(const struct vstor_packet *pkt, uint32_t len,
                                      const struct vstor_proto_info *p, uint32_t want_len,
                                      uint32_t *moved)
{
    const struct vmscsi_request *srb = &pkt->srb;
    uint8_t code;

    if (moved)
        *moved = 0;
    if (len < p->pkt_bytes || pkt->operation != VSTOR_OP_COMPLETE_IO)
        return PLAT_BLK_IOERR;
    code = SRB_STATUS_CODE(srb->srb_status);
    if (srb->scsi_status == SCSI_STATUS_CHECK_CONDITION &&
        (srb->srb_status & SRB_STATUS_AUTOSENSE_VALID)) {
        /* Fixed-format sense (0x70/0x71): key in byte 2, ASC in byte 12. */
        const uint8_t *s = srb->sense_data;
        uint8_t n = MIN(srb->sense_info_length, p->sense_bytes);

        if (n > 12 && (s[0] & 0x7e) == 0x70 && (s[2] & 0xf) == SCSI_SENSE_ILLEGAL_REQUEST &&
            s[12] == SCSI_ASC_INVALID_OPCODE)
            return PLAT_BLK_UNSUPPORTED;
        return PLAT_BLK_IOERR;
    }
    if (srb->scsi_status != SCSI_STATUS_GOOD)
        return PLAT_BLK_IOERR;
    if (code == SRB_STATUS_SUCCESS) {
        if (moved)
            *moved = MIN(srb->data_transfer_length, want_len);
        return PLAT_BLK_OK;
    }
    /* Windows reports a short transfer as DATA_OVERRUN with the real length. */
    if (code == SRB_STATUS_DATA_OVERRUN && srb->data_transfer_length <= want_len) {
        if (moved)
            *moved = srb->data_transfer_length;
        return PLAT_BLK_OK;
    }
    return PLAT_BLK_IOERR;
}

bool scsi_inquiry_is_disk(const uint8_t *d, uint32_t len)
{
    /* Peripheral qualifier 0 (connected), device type 0 (direct access). */
    return len >= 1 && d[0] == 0x00;
}

static bool block_size_ok(uint32_t bs)
{
    return bs >= 512 && bs <= PAGE_SIZE && !(bs & (bs - 1));
}

int scsi_parse_read_capacity16(const uint8_t *d, uint32_t len, struct scsi_disk_geometry *g)
{
    uint64_t last;

    if (len < 32)
        return -XEN_EINVAL;
    last = get_be64(d);
    g->block_size = get_be32(d + 8);
    if (!block_size_ok(g->block_size) || last == UINT64_MAX)
        return -XEN_EINVAL;
    g->nr_blocks = last + 1;
    g->phys_exp = d[13] & 0xf;
    g->lbpme = d[14] & 0x80;
    return 0;
}

int scsi_parse_read_capacity10(const uint8_t *d, uint32_t len, struct scsi_disk_geometry *g)
{
    if (len < 8)
        return -XEN_EINVAL;
    g->block_size = get_be32(d + 4);
    if (!block_size_ok(g->block_size))
        return -XEN_EINVAL;
    g->nr_blocks = (uint64_t)get_be32(d) + 1;
    g->phys_exp = 0;
    g->lbpme = false;
    return 0;
}

int scsi_parse_block_limits(const uint8_t *d, uint32_t len, struct scsi_block_limits *bl)
{
    memset(bl, 0, sizeof(*bl));
    /* Page length (bytes 2-3) 0x3c: the SBC-3 page is 64 bytes. */
    if (len < 32 || d[1] != SCSI_VPD_BLOCK_LIMITS)
        return -XEN_EINVAL;
    bl->max_xfer_blocks = get_be32(d + 8);
    bl->max_unmap_blocks = get_be32(d + 20);
    bl->max_unmap_descs = get_be32(d + 24);
    bl->unmap_granularity = get_be32(d + 28) & 0x7fffffff;
    return 0;
}

bool scsi_parse_lbp_unmap(const uint8_t *d, uint32_t len)
{
    return len >= 6 && d[1] == SCSI_VPD_LB_PROVISIONING && (d[5] & 0x80);
}

bool scsi_mode_sense6_wp(const uint8_t *d, uint32_t len)
{
    /* Header: mode data length, medium type, device-specific (WP = bit 7). */
    return len >= 4 && (d[2] & 0x80);
}

int scsi_parse_report_luns(const uint8_t *d, uint32_t len, uint8_t *luns, unsigned int max)
{
    uint32_t list, n = 0;

    if (len < 8)
        return -XEN_EINVAL;
    list = get_be32(d);
    /* Entries the host claims, cut to what it returned. */
    list = MIN(list, len - 8) / 8;
    for (uint32_t i = 0; i < list && n < max; i++) {
        const uint8_t *e = d + 8 + 8 * i;
        bool rest_zero = !(e[2] | e[3] | e[4] | e[5] | e[6] | e[7]);

        /* Peripheral (00b) or flat (01b) single-level addressing, below 256. */
        if (!rest_zero || (e[0] >> 6) > 1 || (e[0] & 0x3f))
            continue;
        luns[n++] = e[1];
    }
    return (int)n;
}
