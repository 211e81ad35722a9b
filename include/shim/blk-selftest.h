/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time self-test of the block provider (shim option blktest=1), used
 * by tests/e2e/virtio-blk-selftest.sh before blkback exists.
 */
#ifndef SHIM_BLK_SELFTEST_H
#define SHIM_BLK_SELFTEST_H

/*
 * On disk 0: read sectors 0-7 (polled) and log CRC-32s, check that bad
 * requests are refused, write a pattern to the last logical block, flush,
 * read it back, fill the queue until it reports busy (completions by
 * interrupt), discard if offered. Panics on any failure; returns on success
 * with one read still in flight, to complete once the guest runs.
 */
void blk_selftest(void);

#endif
