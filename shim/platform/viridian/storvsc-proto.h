/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The storage VSP protocol of Hyper-V's synthetic SCSI controller, as
 * Linux's storvsc and the BSD hv_storvsc drivers speak it (facts only), and
 * the SCSI commands the storvsc provider sends (SBC-3/SPC-4 layouts). The
 * builders and parsers in storvsc-scsi.c are pure: no channel, no memory
 * but the caller's, so the host unit tests check every byte.
 *
 * A vstor packet is a 12-byte header and a union whose largest member is
 * the SCSI request block (vmscsi_request). Hosts before Windows 8 (protocol
 * 2.0 and 4.2) know a 16-byte shorter request block without the "Win8
 * extension" and a 0x12-byte sense buffer: packets to them are 48 bytes,
 * 64 from 5.1 on. All fields are little-endian; CDB fields are big-endian.
 */
#ifndef VIRIDIAN_STORVSC_PROTO_H
#define VIRIDIAN_STORVSC_PROTO_H

#include <plat/block.h>

/* Operations of a vstor packet. */
#define VSTOR_OP_COMPLETE_IO            1
#define VSTOR_OP_REMOVE_DEVICE          2
#define VSTOR_OP_EXECUTE_SRB            3
#define VSTOR_OP_BEGIN_INITIALIZATION   7
#define VSTOR_OP_END_INITIALIZATION     8
#define VSTOR_OP_QUERY_PROTOCOL_VERSION 9
#define VSTOR_OP_QUERY_PROPERTIES       10
#define VSTOR_OP_ENUMERATE_BUS          11
#define VSTOR_OP_FCHBA_DATA             12

#define VSTOR_FLAG_REQUEST_COMPLETION   0x1

/* Protocol versions: major << 8 | minor. */
#define VSTOR_PROTO(maj, min)   ((uint16_t)(((maj) & 0xff) << 8 | ((min) & 0xff)))
#define VSTOR_PROTO_WIN6        VSTOR_PROTO(2, 0)
#define VSTOR_PROTO_WIN7        VSTOR_PROTO(4, 2)
#define VSTOR_PROTO_WIN8        VSTOR_PROTO(5, 1)
#define VSTOR_PROTO_WIN8_1      VSTOR_PROTO(6, 0)
#define VSTOR_PROTO_WIN10       VSTOR_PROTO(6, 2)

#define VMSCSI_CDB_MAX          16
#define VMSCSI_SENSE_WIN8       0x14
#define VMSCSI_SENSE_PRE_WIN8   0x12

/* SCSI request block (SCSI_PASS_THROUGH-like), packed. */
struct vmscsi_request {
    uint16_t length;            /* of this structure, per protocol version */
    uint8_t srb_status;
    uint8_t scsi_status;
    uint8_t port_number;
    uint8_t path_id;
    uint8_t target_id;
    uint8_t lun;
    uint8_t cdb_length;
    uint8_t sense_info_length;
    uint8_t data_in;            /* VMSCSI_WRITE/READ/UNKNOWN */
    uint8_t reserved;
    uint32_t data_transfer_length;
    union {
        uint8_t cdb[VMSCSI_CDB_MAX];
        uint8_t sense_data[VMSCSI_SENSE_WIN8];
    };
    /* Win8 extension (protocol 5.1 and later) */
    uint16_t reserve;
    uint8_t queue_tag;
    uint8_t queue_action;
    uint32_t srb_flags;
    uint32_t time_out_value;    /* seconds */
    uint32_t queue_sort_key;
} __packed;

#define VMSCSI_WIN8_EXT_BYTES   16
_Static_assert(sizeof(struct vmscsi_request) == 52, "vmscsi_request with the Win8 extension");
_Static_assert(offsetof(struct vmscsi_request, data_transfer_length) == 12, "vmscsi_request");
_Static_assert(offsetof(struct vmscsi_request, cdb) == 16, "vmscsi_request");
_Static_assert(offsetof(struct vmscsi_request, srb_flags) == 40, "vmscsi_request");

#define VMSCSI_WRITE            0
#define VMSCSI_READ             1
#define VMSCSI_UNKNOWN          2

#define SRB_FLAGS_QUEUE_ACTION_ENABLE   0x00000002
#define SRB_FLAGS_DISABLE_SYNCH_TRANSFER 0x00000008
#define SRB_FLAGS_DATA_IN               0x00000040
#define SRB_FLAGS_DATA_OUT              0x00000080

/* srb_status: a 6-bit code and two flag bits. */
#define SRB_STATUS_SUCCESS          0x01
#define SRB_STATUS_ABORTED          0x02
#define SRB_STATUS_ERROR            0x04
#define SRB_STATUS_INVALID_REQUEST  0x06
#define SRB_STATUS_DATA_OVERRUN     0x12    /* also reports a short transfer */
#define SRB_STATUS_INVALID_LUN      0x20
#define SRB_STATUS_QUEUE_FROZEN     0x40
#define SRB_STATUS_AUTOSENSE_VALID  0x80
#define SRB_STATUS_CODE(s)          ((s) & 0x3f)

#define SCSI_STATUS_GOOD            0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02

struct vmstorage_channel_properties {
    uint32_t reserved;
    uint16_t max_channel_cnt;
    uint16_t reserved1;
    uint32_t flags;
    uint32_t max_transfer_bytes;
    uint64_t reserved2;
} __packed;
_Static_assert(sizeof(struct vmstorage_channel_properties) == 24, "channel properties");

struct vmstorage_protocol_version {
    uint16_t major_minor;
    uint16_t revision;          /* Windows-side build number: 0 */
} __packed;

struct vstor_packet {
    uint32_t operation;         /* VSTOR_OP_* */
    uint32_t flags;             /* VSTOR_FLAG_* */
    uint32_t status;            /* from the host: 0 is success */
    union {
        struct vmscsi_request srb;
        struct vmstorage_channel_properties props;
        struct vmstorage_protocol_version version;
        uint8_t buffer[0x34];
    };
} __packed;

#define VSTOR_HDR_BYTES         12
#define VSTOR_PKT_BYTES         64                      /* protocol 5.1 and later */
#define VSTOR_PKT_BYTES_PRE_WIN8 (VSTOR_PKT_BYTES - VMSCSI_WIN8_EXT_BYTES)
_Static_assert(sizeof(struct vstor_packet) == VSTOR_PKT_BYTES, "vstor_packet");
_Static_assert(offsetof(struct vstor_packet, srb) == VSTOR_HDR_BYTES, "vstor_packet");

/* What a negotiated protocol version implies for the packets. */
struct vstor_proto_info {
    uint16_t version;
    uint16_t pkt_bytes;         /* vstor packet length sent and expected back */
    uint16_t srb_length;        /* vmscsi_request.length */
    uint8_t sense_bytes;        /* vmscsi_request.sense_info_length */
    bool win8_ext;              /* srb_flags etc. are part of the request */
};

/*
 * The versions offered, newest first: Linux's current list (Windows 10,
 * 8.1, 8) followed by the two older ones its earlier releases still tried.
 */
extern const struct vstor_proto_info vstor_protocols[];
extern const unsigned int vstor_nr_protocols;

/* SCSI operation codes used here. */
#define SCSI_TEST_UNIT_READY    0x00
#define SCSI_INQUIRY            0x12
#define SCSI_MODE_SENSE_6       0x1a
#define SCSI_READ_CAPACITY_10   0x25
#define SCSI_READ_10            0x28
#define SCSI_WRITE_10           0x2a
#define SCSI_SYNCHRONIZE_CACHE_10 0x35
#define SCSI_UNMAP              0x42
#define SCSI_READ_16            0x88
#define SCSI_WRITE_16           0x8a
#define SCSI_SERVICE_ACTION_IN_16 0x9e
#define SCSI_SAI_READ_CAPACITY_16 0x10
#define SCSI_REPORT_LUNS        0xa0

#define SCSI_VPD_BLOCK_LIMITS   0xb0
#define SCSI_VPD_LB_PROVISIONING 0xb2

/* UNMAP parameter list with one block descriptor (SBC-3, 5.28.2). */
struct scsi_unmap_list {
    uint8_t data_len[2];        /* bytes after this field: 22 */
    uint8_t desc_len[2];        /* block descriptor bytes: 16 */
    uint8_t reserved[4];
    uint8_t lba[8];
    uint8_t nr_blocks[4];
    uint8_t reserved2[4];
} __packed;
_Static_assert(sizeof(struct scsi_unmap_list) == 24, "UNMAP parameter list, one descriptor");

/* Sense key ILLEGAL REQUEST with "invalid command operation code". */
#define SCSI_SENSE_ILLEGAL_REQUEST 0x5
#define SCSI_ASC_INVALID_OPCODE    0x20

/*
 * CDB of a READ or WRITE of nr_blocks logical blocks at lba: the 10-byte
 * form when lba fits 32 bits and nr_blocks 16 bits, else the 16-byte one.
 * Returns the CDB length (10 or 16), 0 if nr_blocks is 0.
 */
unsigned int scsi_build_rw(uint8_t cdb[VMSCSI_CDB_MAX], bool write, uint64_t lba,
                           uint32_t nr_blocks);
/* SYNCHRONIZE CACHE(10) of the whole medium; returns 10. */
unsigned int scsi_build_sync_cache(uint8_t cdb[VMSCSI_CDB_MAX]);
/* UNMAP CDB for a 24-byte list, and the list for [lba, lba + nr); 10. */
unsigned int scsi_build_unmap(uint8_t cdb[VMSCSI_CDB_MAX], struct scsi_unmap_list *list,
                              uint64_t lba, uint32_t nr_blocks);
/* INQUIRY (evpd with page, or the standard data when evpd is false); 6. */
unsigned int scsi_build_inquiry(uint8_t cdb[VMSCSI_CDB_MAX], bool evpd, uint8_t page,
                                uint16_t alloc);
unsigned int scsi_build_read_capacity16(uint8_t cdb[VMSCSI_CDB_MAX], uint32_t alloc);
unsigned int scsi_build_read_capacity10(uint8_t cdb[VMSCSI_CDB_MAX]);
/* MODE SENSE(6) of every page (0x3f), only the header is read back. */
unsigned int scsi_build_mode_sense6(uint8_t cdb[VMSCSI_CDB_MAX], uint8_t alloc);
unsigned int scsi_build_report_luns(uint8_t cdb[VMSCSI_CDB_MAX], uint32_t alloc);

/*
 * Fill the request block of pkt for a command to (path, target, lun):
 * operation EXECUTE_SRB, the CDB, direction and length, sizes and flags for
 * protocol p. data_in: VMSCSI_READ / WRITE / UNKNOWN (no data).
 */
void vstor_fill_srb(struct vstor_packet *pkt, const struct vstor_proto_info *p,
                    uint8_t path, uint8_t target, uint8_t lun, const uint8_t *cdb,
                    unsigned int cdb_len, uint8_t data_in, uint32_t data_len);

/*
 * Outcome of a completed SRB (the host's vstor packet, len bytes of it):
 * PLAT_BLK_OK when the request block says success (or a DATA_OVERRUN that
 * still moved want_len bytes), PLAT_BLK_UNSUPPORTED for ILLEGAL REQUEST /
 * invalid opcode sense, else PLAT_BLK_IOERR. *moved (may be NULL) gets the
 * bytes the host says it transferred, capped at want_len (0 on error).
 * A packet shorter than p->pkt_bytes, or not COMPLETE_IO, is an IOERR.
 */
enum plat_blk_status vstor_srb_result(const struct vstor_packet *pkt, uint32_t len,
                                      const struct vstor_proto_info *p, uint32_t want_len,
                                      uint32_t *moved);

/* Parsers of SCSI data-in, each over the len bytes the device returned. */
struct scsi_disk_geometry {
    uint64_t nr_blocks;
    uint32_t block_size;        /* logical */
    uint32_t phys_exp;          /* logical blocks per physical block: 1 << phys_exp */
    bool lbpme;                 /* thin provisioned: UNMAP may be offered */
};
/* Standard INQUIRY: a direct-access block device that is present? */
bool scsi_inquiry_is_disk(const uint8_t *d, uint32_t len);
/* READ CAPACITY(16) / (10) data. 0 or -XEN_EINVAL (short, zero or odd block size). */
int scsi_parse_read_capacity16(const uint8_t *d, uint32_t len, struct scsi_disk_geometry *g);
int scsi_parse_read_capacity10(const uint8_t *d, uint32_t len, struct scsi_disk_geometry *g);

struct scsi_block_limits {
    uint32_t max_xfer_blocks;       /* 0: not reported */
    uint32_t max_unmap_blocks;      /* 0: not reported */
    uint32_t max_unmap_descs;
    uint32_t unmap_granularity;     /* blocks; 0: not reported */
};
/* VPD page 0xb0. 0 or -XEN_EINVAL (wrong page or short). */
int scsi_parse_block_limits(const uint8_t *d, uint32_t len, struct scsi_block_limits *bl);
/* VPD page 0xb2: does the device take UNMAP (LBPU)? false on a malformed page. */
bool scsi_parse_lbp_unmap(const uint8_t *d, uint32_t len);
/* MODE SENSE(6) header: write protected (WP bit)? false when too short. */
bool scsi_mode_sense6_wp(const uint8_t *d, uint32_t len);
/*
 * REPORT LUNS data: up to max LUNs (single-level, < 256) into luns[].
 * Returns how many, or -XEN_EINVAL when the header is short.
 */
int scsi_parse_report_luns(const uint8_t *d, uint32_t len, uint8_t *luns, unsigned int max);

#endif
