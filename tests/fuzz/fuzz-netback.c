// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: netback's TX and RX request handling (pvdrivers/
 * netback-*.c) against a hostile netfront, on the helpers of the netback
 * unit tests (tests/unit/netback-test.c: grant stub, real xenstore and
 * event channels, a fake NIC). After the handshake the input is a program:
 * put TX slots (any gref/offset/flags/id/size, chains with more_data and
 * extra-info slots) and push; move either producer index anywhere; post RX
 * buffers; deliver received frames of any length and metadata; complete
 * transmits with success or an I/O error; flip a buffer's grant; consume
 * responses.
 *
 * Checked: ASan/UBSan on every access netback makes; no more transmits in
 * flight at the NIC than the TX ring holds; and after every transmit has
 * completed, no buffer grant is left in use (the backend leaks nothing,
 * even when it stopped the vif as broken).
 */
#include <stdio.h>
#include <stdlib.h>
#include "netback-test.h"
#include "fuzz-input.h"

#define MAX_OPS 48

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static grant_ref_t grefs[16];

static grant_ref_t fuzz_gref(struct fin *in)
{
    uint8_t b = fin_u8(in);

    return (b & 0x80) ? fin_u16(in) : grefs[b % 16];
}

/*
 * Consume at most one ring of responses each: the frontend may post its own
 * ring page as an RX buffer (it granted it writable), and then a received
 * frame legitimately overwrites the ring's indices with packet bytes.
 */
static void drain_responses(void)
{
    for (unsigned int n = 0; n < 256 && nt_tx_responses(); n++)
        (void)nt_tx_take();
    for (unsigned int n = 0; n < 256 && nt_rx_responses(); n++)
        (void)nt_rx_take();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[9100];
    struct fin in = { data, size };
    uint8_t setup = fin_u8(&in);

    nt_reset();
    for (unsigned int i = 0; i < 16; i++)
        grefs[i] = nt_grant_buf(i, i >= 12);
    nt_connect();
    fake_tx_max = 1 + setup % 64;

    for (unsigned int op = 0; op < MAX_OPS && fin_more(&in); op++) {
        uint8_t code = fin_u8(&in);

        switch (code % 9) {
        case 0: {      /* TX slots, then push */
            unsigned int n = 1 + (code >> 4) % 4;

            for (unsigned int i = 0; i < n; i++) {
                grant_ref_t g = fuzz_gref(&in);
                uint16_t off = fin_u16(&in) % 4200;
                uint16_t flags = fin_u8(&in) & 0xf;
                uint16_t id = fin_u8(&in);
                uint16_t sz = fin_u16(&in);

                if (!(sz & 0x8000))
                    sz %= 4200;
                nt_tx_put(g, off, flags, id, sz);
            }
            nt_tx_push();
            break;
        }
        case 1: {      /* an extra-info slot (GSO, multicast, ...) */
            struct netif_extra_info x;

            memset(&x, 0, sizeof(x));
            fin_bytes(&in, &x, sizeof(x));
            nt_tx_put_extra(&x);
            break;
        }
        case 2:
            nt_tx_push();
            break;
        case 3:        /* hostile TX producer */
            nt_tx()->req_prod = (code & 0x10) ? fin_u32(&in) : nt_tx()->req_prod + fin_u8(&in) % 300;
            netback_tx_service(nt_vif());
            break;
        case 4:        /* complete the oldest transmit */
            if (fake_nr_tx)
                fake_tx_complete((code & 0x10) ? -XEN_EIO : 0);
            break;
        case 5: {      /* post RX buffers */
            unsigned int n = 1 + (code >> 4) % 4;

            for (unsigned int i = 0; i < n; i++)
                nt_rx_post(fuzz_gref(&in), fin_u16(&in));
            nt_rx_push();
            break;
        }
        case 6: {      /* a frame arrives */
            uint32_t len = fin_u16(&in) % sizeof(frame);
            struct plat_net_rx_meta meta;

            memset(&meta, 0, sizeof(meta));
            meta.flags = fin_u8(&in);
            memset(frame, 0x5a, len);
            if (fake_rx_fn)
                fake_rx_fn(fake_rx_opaque, 0, frame, len, &meta);
            break;
        }
        case 7:        /* hostile RX producer */
            nt_rx()->req_prod = (code & 0x10) ? fin_u32(&in) : nt_rx()->req_prod + fin_u8(&in) % 300;
            break;
        default: {     /* consume responses, or flip a grant */
            if (code & 0x10) {
                unsigned int i = fin_u8(&in) % 16;

                if (!nt_gref_busy(grefs[i]))
                    gs_grant_v1(grefs[i], 0, NT_BUF_MFN + i,
                                (code & 0x20) ? 0 : GTF_permit_access | GTF_readonly);
            } else {
                drain_responses();
            }
            break;
        }
        }
        CHECK(fake_nr_tx <= 256);
        for (unsigned int i = 0; i < fake_nr_tx; i++) {
            const struct plat_net_tx_req *r = fake_txq[i].req;

            CHECK(r->nr_frags >= 1 && r->nr_frags <= fake_nic.max_frags);
        }
    }

    /* Everything in flight completes; nothing may stay granted. */
    while (fake_nr_tx)
        fake_tx_complete(0);
    drain_responses();
    /* A vif stopped as broken may keep what it held until the frontend
       closes (as Xen's netback until disconnect); after Closed, nothing. */
    nt_fe_write("state", "6");
    for (unsigned int i = 0; i < 16; i++) {
        if (nt_gref_busy(grefs[i]))
            fprintf(stderr, "gref %u (buffer %u) still busy; vif %s, %u tx in flight\n",
                    grefs[i], i, nt_vif()->broken ? "broken" : "running", fake_nr_tx);
        CHECK(!nt_gref_busy(grefs[i]));
    }
    return 0;
}
