/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A model of Hyper-V's storage VSP for the storvsc unit tests
 * (storvsp-model.c): the handshake with a configurable newest protocol,
 * and one SCSI disk in host memory answering the commands storvsc sends.
 * Data moves through the GPA ranges of each packet, page by page, so a
 * wrong range shows up as wrong data.
 */
#ifndef STORVSP_MODEL_H
#define STORVSP_MODEL_H

#include "../../shim/platform/viridian/storvsc-proto.h"
#include "fake-vmbus.h"

#define STORVSP_HELD_MAX 128

struct storvsp {
    uint16_t max_version;           /* newer versions are refused */
    uint32_t max_transfer;
    uint32_t block_size;
    uint8_t phys_exp;
    uint64_t nr_blocks;
    uint8_t *disk;                  /* nr_blocks * block_size bytes */
    uint8_t lun;                    /* the one LUN with a disk */
    bool thin, write_protected, no_report_luns, no_rc16, silent;
    uint32_t max_unmap_blocks, unmap_granularity;
    /* Hold I/O completions until storvsp_release (to reorder them). */
    bool hold;
    unsigned int nr_held;
    struct {
        uint64_t tid;
        struct vstor_packet reply;
        uint32_t len;
    } held[STORVSP_HELD_MAX];
    /* Next READ/WRITE fails with CHECK CONDITION and this sense key/ASC. */
    uint8_t fail_key, fail_asc;
    /* Observed. */
    uint16_t versions_asked[8];
    unsigned int nr_versions_asked, srbs, unmaps, syncs;
    uint64_t last_unmap_lba;
    uint32_t last_unmap_blocks;
};

/* A storvsp with a disk of nr_blocks blocks of block_size; host fn for fake_vmbus_add. */
void storvsp_init(struct storvsp *s, uint32_t block_size, uint64_t nr_blocks);
void storvsp_fini(struct storvsp *s);
void storvsp_host(struct fake_channel *fc, const struct fake_sent *pkt);
/* Queue held completion i (in the order given) for the guest. */
void storvsp_release(struct storvsp *s, struct fake_channel *fc, unsigned int i);

#endif
