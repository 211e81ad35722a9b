// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Viridian block provider (plat/block.h) on Hyper-V's synthetic SCSI
 * controller (storvsc): per controller offer, the VSP handshake
 * (BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION newest first,
 * QUERY_PROPERTIES, END_INITIALIZATION), then the disks: REPORT LUNS (or a
 * scan of the first LUNs), and per disk INQUIRY, READ CAPACITY(16) (or 10),
 * the block-limits and provisioning VPD pages and the MODE SENSE write
 * protect bit. Requests and completions are in storvsc-io.c.
 *
 * The handshake and probes run at boot with a synchronous helper
 * (svs_sync) that polls the channel; a host that does not answer within
 * SVS_SYNC_TIMEOUT_NS costs that controller, never the boot.
 */
#include <plat/provider.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "storvsc-priv.h"
#include "vdev.h"

/* Class of the synthetic SCSI controller {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}. */
static const struct vmbus_guid svs_scsi_class = { {
    0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d,
    0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f } };

static struct svs_ctrl svs_ctrls[SVS_MAX_CTRLS];

/* A handshake step: operation op with pkt's payload; 0, -XEN_EOPNOTSUPP (host said no). */
static int vstor_op(struct svs_ctrl *c, uint32_t op, struct vstor_packet *pkt,
                    uint32_t reply_min)
{
    int rc;

    pkt->operation = op;
    pkt->flags = VSTOR_FLAG_REQUEST_COMPLETION;
    pkt->status = 0;
    /* Full-size packets before the version is known, as Linux sends them. */
    rc = svs_sync(c, pkt, VSTOR_PKT_BYTES, NULL);
    if (rc)
        return rc;
    if (c->sync_len < reply_min || pkt->operation != VSTOR_OP_COMPLETE_IO)
        return -XEN_EIO;
    return pkt->status ? -XEN_EOPNOTSUPP : 0;
}

static int handshake(struct svs_ctrl *c)
{
    struct vstor_packet pkt = { 0 };
    int rc = vstor_op(c, VSTOR_OP_BEGIN_INITIALIZATION, &pkt, VSTOR_HDR_BYTES);

    if (rc)
        return rc;
    for (unsigned int i = 0; i < vstor_nr_protocols && !c->proto; i++) {
        memset(&pkt, 0, sizeof(pkt));
        pkt.version.major_minor = vstor_protocols[i].version;
        rc = vstor_op(c, VSTOR_OP_QUERY_PROTOCOL_VERSION, &pkt, VSTOR_HDR_BYTES);
        if (!rc)
            c->proto = &vstor_protocols[i];
        else if (rc != -XEN_EOPNOTSUPP)
            return rc;
    }
    if (!c->proto)
        return -XEN_EOPNOTSUPP;
    memset(&pkt, 0, sizeof(pkt));
    rc = vstor_op(c, VSTOR_OP_QUERY_PROPERTIES, &pkt,
                  VSTOR_HDR_BYTES + sizeof(struct vmstorage_channel_properties));
    if (rc)
        return rc;
    c->max_transfer = pkt.props.max_transfer_bytes;
    memset(&pkt, 0, sizeof(pkt));
    return vstor_op(c, VSTOR_OP_END_INITIALIZATION, &pkt, VSTOR_HDR_BYTES);
}

/*
 * A probe command to lun with alloc bytes of data-in into the scratch page
 * (alloc 0: none). 0 with *got bytes returned, -XEN_EIO if the device
 * failed it, or the channel's error.
 */
static int scsi_sync(struct svs_ctrl *c, uint8_t lun, const uint8_t *cdb, unsigned int cdb_len,
                     uint32_t alloc, uint32_t *got)
{
    uint64_t pfn = c->scratch_pa >> PAGE_SHIFT;
    struct vmbus_gpa_range r = { alloc, 0, 1, &pfn };
    struct vstor_packet pkt;
    int rc;

    memset(c->scratch, 0, PAGE_SIZE);
    vstor_fill_srb(&pkt, c->proto, 0, 0, lun, cdb, cdb_len,
                   alloc ? VMSCSI_READ : VMSCSI_UNKNOWN, alloc);
    rc = svs_sync(c, &pkt, c->proto->pkt_bytes, alloc ? &r : NULL);
    if (rc)
        return rc;
    return vstor_srb_result(&pkt, c->sync_len, c->proto, alloc, got) == PLAT_BLK_OK ?
           0 : -XEN_EIO;
}

static int read_geometry(struct svs_ctrl *c, uint8_t lun, struct scsi_disk_geometry *g)
{
    uint8_t cdb[VMSCSI_CDB_MAX];
    uint32_t got;
    unsigned int n = scsi_build_read_capacity16(cdb, 32);

    if (!scsi_sync(c, lun, cdb, n, 32, &got) &&
        !scsi_parse_read_capacity16(c->scratch, got, g))
        return 0;
    n = scsi_build_read_capacity10(cdb);
    if (!scsi_sync(c, lun, cdb, n, 8, &got) && !scsi_parse_read_capacity10(c->scratch, got, g))
        return 0;
    return -XEN_EIO;
}

/* Fill d->info from the device's answers; 0, or -XEN_ENODEV for no disk at lun. */
static int probe_lun(struct svs_ctrl *c, uint8_t lun, struct svs_disk *d)
{
    struct plat_blk_info *in = &d->info;
    struct scsi_block_limits bl = { 0 };
    struct scsi_disk_geometry g;
    uint8_t cdb[VMSCSI_CDB_MAX];
    uint32_t got, segs;
    bool unmap = false;
    unsigned int n = scsi_build_inquiry(cdb, false, 0, 96);

    if (scsi_sync(c, lun, cdb, n, 96, &got) || !scsi_inquiry_is_disk(c->scratch, got))
        return -XEN_ENODEV;
    if (read_geometry(c, lun, &g))
        return -XEN_ENODEV;
    *d = (struct svs_disk){ .c = c, .lun = lun,
                            .per_block = g.block_size >> PLAT_BLK_SECTOR_SHIFT };
    if (g.nr_blocks > UINT64_MAX / d->per_block)
        return -XEN_ENODEV;
    in->capacity = g.nr_blocks * d->per_block;
    in->sector_size = g.block_size;
    in->physical_sector_size = g.phys_exp <= 3 ? g.block_size << g.phys_exp : g.block_size;
    n = scsi_build_inquiry(cdb, true, SCSI_VPD_BLOCK_LIMITS, 64);
    if (!scsi_sync(c, lun, cdb, n, 64, &got))
        scsi_parse_block_limits(c->scratch, got, &bl);
    n = scsi_build_inquiry(cdb, true, SCSI_VPD_LB_PROVISIONING, 8);
    if (g.lbpme && !scsi_sync(c, lun, cdb, n, 8, &got))
        unmap = scsi_parse_lbp_unmap(c->scratch, got);
    n = scsi_build_mode_sense6(cdb, 4);
    in->read_only = !scsi_sync(c, lun, cdb, n, 4, &got) && scsi_mode_sense6_wp(c->scratch, got);

    /* Segments are pages: a request never exceeds what one command may move. */
    segs = c->max_transfer ? c->max_transfer / PAGE_SIZE : SVS_MAX_SEGS;
    if (bl.max_xfer_blocks && (uint64_t)bl.max_xfer_blocks * g.block_size / PAGE_SIZE < segs)
        segs = (uint32_t)((uint64_t)bl.max_xfer_blocks * g.block_size / PAGE_SIZE);
    in->max_segs = MAX(MIN(segs, (uint32_t)SVS_MAX_SEGS), 1u);
    in->flush = true;                   /* SYNCHRONIZE CACHE is always sent */
    in->discard = unmap && !in->read_only;
    if (in->discard) {
        /* 0 means "not reported": Linux's sd falls back to 0x7fffff blocks too. */
        uint64_t blocks = bl.max_unmap_blocks ? bl.max_unmap_blocks : 0x7fffff;

        in->max_discard_sectors = (uint32_t)MIN(blocks * d->per_block, (uint64_t)UINT32_MAX -
                                                UINT32_MAX % d->per_block);
        in->discard_granularity = bl.unmap_granularity ?
            (uint32_t)MIN((uint64_t)bl.unmap_granularity * g.block_size, (uint64_t)1 << 30) :
            g.block_size;
    }
    return 0;
}

/* Add the disks behind c: the LUNs REPORT LUNS names, or the first few. */
static void probe_disks(struct svs_ctrl *c)
{
    uint8_t cdb[VMSCSI_CDB_MAX], luns[SVS_MAX_DISKS];
    uint32_t got;
    unsigned int n = scsi_build_report_luns(cdb, 8 + 8 * 64);
    int nr = -1;

    if (!scsi_sync(c, 0, cdb, n, 8 + 8 * 64, &got))
        nr = scsi_parse_report_luns(c->scratch, got, luns, ARRAY_SIZE(luns));
    if (nr <= 0) {
        nr = SVS_SCAN_LUNS;
        for (unsigned int i = 0; i < SVS_SCAN_LUNS; i++)
            luns[i] = (uint8_t)i;
    }
    for (int i = 0; i < nr && svs_nr_disks < SVS_MAX_DISKS && !c->failed; i++) {
        struct svs_disk *d = &svs_disks[svs_nr_disks];

        if (probe_lun(c, luns[i], d))
            continue;
        log_info("storvsc %u: lun %u: %lu sectors, %s%s, %u/%u-byte sectors, %u segs\n",
                 c->index, luns[i], (unsigned long)d->info.capacity,
                 d->info.read_only ? "ro" : "rw", d->info.discard ? ", discard" : "",
                 d->info.sector_size, d->info.physical_sector_size, d->info.max_segs);
        svs_nr_disks++;
    }
}

static int ctrl_init(struct svs_ctrl *c, struct vmbus_channel *ch, unsigned int index)
{
    int rc;

    *c = (struct svs_ctrl){ .ch = ch, .index = index };
    svs_cmds_init(c);
    c->scratch = vdev_dma_alloc(1, &c->scratch_pa);
    c->unmap = vdev_dma_alloc(1, &c->unmap_pa);
    _Static_assert(SVS_QUEUE * sizeof(struct scsi_unmap_list) <= PAGE_SIZE, "UNMAP lists");
    rc = vmbus_open(ch, SVS_RING_BYTES, SVS_RING_BYTES, svs_on_event, c);
    if (rc)
        return rc;
    rc = handshake(c);
    if (rc) {
        vmbus_close(ch);
        c->proto = NULL;
        return rc;
    }
    log_info("storvsc %u: protocol %u.%u, max transfer %u bytes\n", index,
             c->proto->version >> 8, c->proto->version & 0xff, c->max_transfer);
    return 0;
}

static unsigned int svs_count(void *ctx)
{
    return svs_nr_disks;
}

static const struct plat_blk_info *svs_info(void *ctx, unsigned int idx)
{
    return idx < svs_nr_disks ? &svs_disks[idx].info : NULL;
}

static const struct plat_blk_provider svs_provider = {
    .name = "storvsc",
    .count = svs_count,
    .info = svs_info,
    .submit = svs_submit,
    .poll = svs_poll,
};

unsigned int storvsc_probe(void)
{
    for (unsigned int i = 0; i < SVS_MAX_CTRLS; i++) {
        struct vmbus_channel *ch = vmbus_find(&svs_scsi_class, i);
        int rc;

        if (!ch)
            break;
        rc = ctrl_init(&svs_ctrls[i], ch, i);
        if (rc) {
            log_warn("storvsc %u: handshake failed (%d); controller unused\n", i, rc);
            continue;
        }
        probe_disks(&svs_ctrls[i]);
    }
    if (svs_nr_disks && plat_blk_register(&svs_provider, svs_ctrls)) {
        log_warn("storvsc: block provider table full; %u disks unused\n", svs_nr_disks);
        return 0;
    }
    return svs_nr_disks;
}
