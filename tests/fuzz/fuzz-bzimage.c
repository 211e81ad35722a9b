// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the host tool's bzImage unwrapper and legacy-LZ4
 * decoder (tools/xenshim/bzimage.c), which read a kernel file the user
 * names (possibly downloaded). Input byte 0 picks the entry point: the
 * whole unwrap path, or the LZ4 decoder alone on the rest. The rest is
 * copied to an exact-size heap block so ASan sees over-reads. On success
 * the output must be as long as reported and bounded by
 * BZIMAGE_MAX_OUTPUT; on failure the reason must be a terminated string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bzimage.h"

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bzimage_info info;
    uint8_t *buf, *out = NULL;
    size_t outlen = 0;
    char err[160];
    int rc;

    if (size < 1)
        return 0;
    buf = malloc(size - 1 ? size - 1 : 1);
    CHECK(buf);
    memcpy(buf, data + 1, size - 1);
    memset(err, 0x55, sizeof(err));
    if (data[0] & 1) {
        rc = lz4_legacy_decode(buf, size - 1, &out, &outlen, err, sizeof(err));
    } else {
        (void)bzimage_detect(buf, size - 1);
        memset(&info, 0, sizeof(info));
        rc = bzimage_unwrap(buf, size - 1, &out, &outlen, &info, err, sizeof(err));
    }
    if (rc == 0) {
        CHECK(out || outlen == 0);
        CHECK(outlen <= BZIMAGE_MAX_OUTPUT);
        /* Touch every output byte: ASan checks the reported length. */
        if (outlen) {
            volatile uint8_t x = out[0] ^ out[outlen - 1];
            (void)x;
        }
    } else {
        CHECK(rc == -1);
        CHECK(memchr(err, 0, sizeof(err)));
    }
    free(out);
    free(buf);
    return 0;
}
