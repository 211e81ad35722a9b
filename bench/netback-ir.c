// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host program for the callgrind instruction counts of bench/run.sh: the
 * shim's netif service (pvdrivers/netback-{tx,rx,xenbus}.c) on the real
 * grant tables and event channels, with the unit tests' fake network
 * provider and frontend (tests/unit/netback-test.c, tests/unit/netback.mk).
 *
 * One operation is one full-size (1514-byte) TCP frame:
 *  tx  the frontend puts one slot (checksum blank, as Linux netfront sends
 *      TCP) and notifies; netback reads and validates the slot, maps the
 *      grant and hands the frame to the provider; the provider completes
 *      it; netback releases the grant and responds.
 *  rx  the frontend posts one buffer; the provider delivers a frame;
 *      netback copies it into the granted buffer and responds.
 * run.sh counts only netback's entry points (the notify, the transmit
 * completion, the receive callback) with two iteration counts and divides
 * the difference, so setup and the handshake cancel out.
 *
 * Usage: netback-ir tx|rx ITERATIONS
 */
#include <stdio.h>
#include <stdlib.h>
#include "netback-test.h"

#define FRAME_LEN 1514u

static int bad(const char *what, unsigned long it, long got)
{
    fprintf(stderr, "netback-ir: %s at operation %lu (got %ld)\n", what, it, got);
    return 1;
}

static int run_tx(unsigned long n)
{
    grant_ref_t g = nt_grant_buf(0, true);

    nt_tcp4_frame(nt_buf(0), FRAME_LEN);
    for (unsigned long it = 0; it < n; it++) {
        struct netif_tx_response r;

        nt_tx_put(g, 0, NETTXF_csum_blank | NETTXF_data_validated, (uint16_t)it, FRAME_LEN);
        nt_tx_push();
        if (fake_nr_tx != 1)
            return bad("frames handed to the provider", it, fake_nr_tx);
        fake_tx_complete(0);
        if (nt_tx_responses() != 1)
            return bad("tx responses", it, nt_tx_responses());
        r = nt_tx_take();
        if (r.status != NETIF_RSP_OKAY || r.id != (uint16_t)it)
            return bad("tx response status", it, r.status);
    }
    return 0;
}

static int run_rx(unsigned long n)
{
    static uint8_t frame[FRAME_LEN];
    struct plat_net_rx_meta meta = { .flags = PLAT_NET_RX_CSUM_VALID };
    grant_ref_t g = nt_grant_buf(1, false);

    nt_tcp4_frame(frame, FRAME_LEN);
    for (unsigned long it = 0; it < n; it++) {
        struct netif_rx_response r;

        nt_rx_post(g, (uint16_t)it);
        nt_rx_push();
        fake_rx_fn(fake_rx_opaque, 0, frame, FRAME_LEN, &meta);
        if (nt_rx_responses() != 1)
            return bad("rx responses", it, nt_rx_responses());
        r = nt_rx_take();
        if (r.status != FRAME_LEN || r.id != (uint16_t)it)
            return bad("rx response status", it, r.status);
    }
    if (memcmp(nt_buf(1), frame, FRAME_LEN))
        return bad("received frame content", n, -1);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n;

    if (argc != 3 || (strcmp(argv[1], "tx") && strcmp(argv[1], "rx"))) {
        fprintf(stderr, "usage: netback-ir tx|rx ITERATIONS\n");
        return 2;
    }
    n = strtoul(argv[2], NULL, 10);
    nt_reset();
    nt_connect();
    if (!fake_rx_fn || nt_be_state() != XenbusStateConnected) {
        fprintf(stderr, "netback-ir: backend state %lu, receive callback %s\n",
                (unsigned long)nt_be_state(), fake_rx_fn ? "set" : "missing");
        return 1;
    }
    return strcmp(argv[1], "tx") ? run_rx(n) : run_tx(n);
}
