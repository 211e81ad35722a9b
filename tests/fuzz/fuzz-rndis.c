// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the RNDIS receive parser of netvsc
 * (shim/platform/viridian/rndis.c), which reads messages the Hyper-V host
 * writes into the shared receive buffer. Input: 2 bytes of maximum frame
 * length, then the transfer-page range (one message), copied to an
 * exact-size heap block so ASan sees any read past it. On success every
 * offset and length handed back must lie inside the range, and the frame
 * or value they describe is read in full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../shim/platform/viridian/rndis.h"

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint32_t sink;

static void touch(const uint8_t *p, uint32_t n)
{
    uint32_t s = 0;

    for (uint32_t i = 0; i < n; i++)
        s += p[i];
    sink = s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rndis_rx rx;
    uint32_t max_frame, len;
    uint8_t *msg;

    if (size < 2 || size - 2 > 65536)
        return 0;
    max_frame = (uint32_t)(data[0] | data[1] << 8);
    len = (uint32_t)(size - 2);
    msg = malloc(len ? len : 1);
    CHECK(msg);
    memcpy(msg, data + 2, len);
    if (rndis_parse(msg, len, max_frame, &rx) == 0) {
        if (rx.type == RNDIS_MSG_PACKET) {
            CHECK(rx.data_len >= PLAT_NET_ETH_HLEN && rx.data_len <= max_frame);
            CHECK((uint64_t)rx.data_off + rx.data_len <= len);
            CHECK(rx.data_off >= sizeof(struct rndis_packet));
            CHECK(!(rx.meta.flags & ~PLAT_NET_RX_CSUM_VALID));
            touch(msg + rx.data_off, rx.data_len);
        }
        if (rx.info_len) {
            CHECK(rx.type == RNDIS_MSG_QUERY_C || rx.type == RNDIS_MSG_INDICATE);
            CHECK((uint64_t)rx.info_off + rx.info_len <= len);
            touch(msg + rx.info_off, rx.info_len);
        }
    } else {
        CHECK(rx.type == 0 || len >= RNDIS_HDR_BYTES);
    }
    free(msg);
    return 0;
}
