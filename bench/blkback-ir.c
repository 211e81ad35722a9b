// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host program for the callgrind instruction counts of bench/run.sh: the
 * shim's blkif ring service (pvdrivers/blkback-{ring,io,xenbus}.c) on the
 * real grant tables and event channels, with the unit tests' fake block
 * provider and frontend (tests/unit/blkback-test.c, tests/unit/blkback.mk).
 * One operation = a batch of 64 requests: the frontend puts 64 one-segment
 * 4 KiB requests on a 64-entry (2-page) ring and notifies once; blkback
 * consumes them (32 in flight at most, BLKBACK_VBD_INFLIGHT), maps the
 * grants and submits them to the provider; the provider completes them
 * (the fake's 4 KiB memcpy per request is counted); blkback responds and
 * takes the rest; the frontend takes the 64 responses. run.sh runs it under
 * callgrind with two iteration counts and divides the difference, so setup
 * and one-time costs (the handshake) cancel out.
 *
 * Usage: blkback-ir read|write ITERATIONS
 */
#include <stdio.h>
#include <stdlib.h>
#include "blkback-test.h"

#define BATCH 64u

int main(int argc, char **argv)
{
    grant_ref_t g[BATCH];
    unsigned long n;
    uint8_t op;

    if (argc != 3 || (strcmp(argv[1], "read") && strcmp(argv[1], "write"))) {
        fprintf(stderr, "usage: blkback-ir read|write ITERATIONS\n");
        return 2;
    }
    op = strcmp(argv[1], "read") ? BLKIF_OP_WRITE : BLKIF_OP_READ;
    n = strtoul(argv[2], NULL, 10);
    bt_reset(false);
    bt_connect(1);
    if (bt_ring_size() != BATCH || !bt_vbd()->connected) {
        fprintf(stderr, "blkback-ir: ring of %u entries, connected %d\n",
                bt_ring_size(), bt_vbd()->connected);
        return 1;
    }
    for (unsigned int i = 0; i < BATCH; i++)
        g[i] = bt_grant_buf(i, op == BLKIF_OP_WRITE);
    for (unsigned long it = 0; it < n; it++) {
        unsigned int got = 0, rounds = 0;

        fake_nr_log = 0;        /* the fake's submit log holds 256 entries */
        for (unsigned int i = 0; i < BATCH; i++) {
            /* 8 sectors each, spread over the 256-sector disk */
            struct blkif_request r = bt_rw(op, it * BATCH + i, (i * 8) % BT_SECTORS, 1, &g[i]);

            bt_put(&r, sizeof(r));
        }
        bt_push();
        /* The shim's poll loop: completions, which let blkback take more. */
        while (got < BATCH && rounds++ < 16) {
            /* Newest first: the fake's oldest-first completion moves
             * its whole pending array each time (its cost, not blkback's). */
            while (fake_pending())
                fake_complete(fake_pending() - 1, PLAT_BLK_OK);
            while (bt_responses()) {
                struct blkif_response rsp = bt_take();

                if (rsp.status != BLKIF_RSP_OKAY || rsp.operation != op) {
                    fprintf(stderr, "blkback-ir: request %llu: status %d op %u\n",
                            (unsigned long long)rsp.id, rsp.status, rsp.operation);
                    return 1;
                }
                got++;
            }
        }
        if (got != BATCH) {
            fprintf(stderr, "blkback-ir: batch %lu: %u of %u responses\n", it, got, BATCH);
            return 1;
        }
    }
    return 0;
}
