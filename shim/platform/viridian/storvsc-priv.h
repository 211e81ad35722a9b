/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the two halves of the storvsc provider: storvsc.c (the
 * VSP handshake, LUN discovery, geometry, registration) and storvsc-io.c
 * (requests, completions, the channel callback).
 *
 * Concurrency: one CPU. Everything here is touched by the provider calls
 * (shim context, interrupts off) and by svs_on_event (the channel callback:
 * SynIC interrupt or vmbus_poll), which never nest inside each other.
 */
#ifndef VIRIDIAN_STORVSC_PRIV_H
#define VIRIDIAN_STORVSC_PRIV_H

#include <plat/vmbus.h>
#include "storvsc-proto.h"

#define SVS_MAX_CTRLS       2
#define SVS_MAX_DISKS       8
#define SVS_SCAN_LUNS       8           /* LUNs tried when REPORT LUNS fails */
#define SVS_QUEUE           64          /* SCSI commands in flight per controller */
/* Segments per request; at most SVS_QUEUE so that a request split into one
 * command per segment still fits an empty queue. */
#define SVS_MAX_SEGS        64
/* Linux's default; SVS_QUEUE packets of at most ~1.2 KiB always fit. */
#define SVS_RING_BYTES      (128 * 1024)
#define SVS_SYNC_TIMEOUT_NS (5ULL * 1000 * 1000 * 1000)
/* Transaction ids: I/O is gen << 32 | (slot + 1), never 0 (the host's
 * unsolicited packets carry 0); handshake and probe commands set bit 63. */
#define SVS_TID_SYNC        (1ULL << 63)

/* One SCSI command in flight; a request may need several (svs_rw). */
struct svs_cmd {
    struct plat_blk_req *req;           /* NULL: the slot is free */
    uint32_t gen;                       /* bumped at every free: stale ids miss */
    uint32_t want;                      /* data bytes the command moves */
    uint16_t lead;                      /* slot that completes the request */
    uint16_t pending;                   /* lead only: commands not completed */
    uint8_t status;                     /* lead only: enum plat_blk_status so far */
};

/* A run of segments one GPA range can carry. */
struct svs_run {
    uint32_t first_pfn, nr_pfns, offset, len;
};

struct svs_ctrl {
    struct vmbus_channel *ch;
    unsigned int index;
    const struct vstor_proto_info *proto;   /* NULL until negotiated */
    uint32_t max_transfer;              /* bytes per command */
    struct svs_cmd cmds[SVS_QUEUE];
    uint16_t free_cmd[SVS_QUEUE];
    unsigned int nr_free;
    struct scsi_unmap_list *unmap;      /* one per slot, host-readable */
    paddr_t unmap_pa;
    uint8_t *scratch;                   /* one page: probe data-in */
    paddr_t scratch_pa;
    /* The one synchronous command of the handshake and probes. */
    bool sync_pending, sync_done;
    uint64_t sync_tid, sync_seq;
    uint32_t sync_len;
    struct vstor_packet sync_reply;
    uint8_t rx[256];                    /* vmbus_recv buffer; packets are <= 64 */
    /* Scratch of svs_rw (never reentered: completions do not nest in submit). */
    uint64_t pfns[SVS_MAX_SEGS];
    struct svs_run runs[SVS_MAX_SEGS];
    uint16_t slots[SVS_MAX_SEGS];
    bool failed;
    uint64_t unknown_tid, unsolicited, bad_len;
};

struct svs_disk {
    struct svs_ctrl *c;
    uint8_t lun;
    uint32_t per_block;                 /* 512-byte sectors per logical block */
    struct plat_blk_info info;
};

extern struct svs_disk svs_disks[SVS_MAX_DISKS];
extern unsigned int svs_nr_disks;

/* Free list and id setup of a controller's slots. */
void svs_cmds_init(struct svs_ctrl *c);
/*
 * Drain c's receive ring (at most a queue's worth and a bit: a flooding
 * host cannot keep the shim here), completing commands. Returns how many
 * requests completed. svs_on_event is the same as the channel callback.
 */
unsigned int svs_drain(struct svs_ctrl *c);
void svs_on_event(void *arg);
/*
 * Send pkt (len bytes; with range when not NULL) and wait for the host's
 * completion by vmbus_poll, at most SVS_SYNC_TIMEOUT_NS. pkt gets the reply
 * (zero-filled past c->sync_len). 0, -XEN_ETIMEDOUT, -XEN_EIO or a send error.
 */
int svs_sync(struct svs_ctrl *c, struct vstor_packet *pkt, uint32_t len,
             const struct vmbus_gpa_range *range);
/* The channel broke: close it, fail every command in flight. */
void svs_fail(struct svs_ctrl *c, const char *why);

/* Provider ops (storvsc-io.c). */
int svs_submit(void *ctx, unsigned int idx, struct plat_blk_req *req);
unsigned int svs_poll(void *ctx);

#endif
