// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/bzimage.c: tiny bzImages made in memory with
 * a legacy-LZ4 payload (compressed by liblz4 as Linux's `lz4 -l` does, with
 * the le32 size Linux appends), then truncated and corrupted variants. Each
 * input is an exact-size heap copy so ASan sees any overread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lz4.h>

#include "../../tools/xenshim/bzimage.h"

#define BLOCK (8u << 20)

struct buf {
    uint8_t *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, p, len);
    b->len += len;
}

static void put32(struct buf *b, uint32_t v)
{
    put(b, &v, 4);
}

/* Deterministic, compressible "kernel" of len bytes starting like an ELF. */
static uint8_t *make_data(size_t len)
{
    uint8_t *d = malloc(len);
    uint32_t x = 12345;
    size_t i;

    assert_non_null(d);
    for (i = 0; i < len; i++) {
        x = x * 1103515245 + 12345;
        d[i] = (i % 64 < 48) ? (uint8_t)(i / 97) : (uint8_t)(x >> 24);
    }
    memcpy(d, "\177ELF", 4);
    return d;
}

/* Legacy LZ4: magic, blocks of <= 8 MiB input, optional extra magic in the
 * middle (concatenated streams), then the le32 uncompressed size. */
static void lz4_legacy(struct buf *out, const uint8_t *d, size_t len, bool remagic)
{
    size_t pos = 0;
    int bound = LZ4_compressBound(BLOCK);
    char *tmp = malloc((size_t)bound);

    assert_non_null(tmp);
    put32(out, 0x184C2102);
    while (pos < len) {
        size_t n = len - pos < BLOCK ? len - pos : BLOCK;
        int c = LZ4_compress_default((const char *)d + pos, tmp, (int)n, bound);

        assert_true(c > 0);
        put32(out, (uint32_t)c);
        put(out, tmp, (size_t)c);
        pos += n;
        if (remagic && pos < len)
            put32(out, 0x184C2102);
    }
    put32(out, (uint32_t)len);
    free(tmp);
}

/* A bzImage: boot sector + setup_sects sectors, header at 0x1f1, payload
 * at (setup_sects + 1) * 512 + payload_offset. */
static void make_bzimage(struct buf *img, uint8_t setup_sects, uint16_t version,
                         uint32_t payload_off, const struct buf *payload)
{
    size_t setup = (size_t)((setup_sects ? setup_sects : 4) + 1) * 512;
    uint32_t plen = (uint32_t)payload->len;
    uint8_t *z = calloc(1, setup + payload_off);

    assert_non_null(z);
    img->len = 0;
    put(img, z, setup + payload_off);
    free(z);
    put(img, payload->p, payload->len);
    img->p[0x1f1] = setup_sects;
    memcpy(img->p + 0x202, "HdrS", 4);
    memcpy(img->p + 0x206, &version, 2);
    memcpy(img->p + 0x248, &payload_off, 4);
    memcpy(img->p + 0x24c, &plen, 4);
}

static uint8_t *out;
static size_t outlen;
static struct bzimage_info info;
static char err[200];

static int unwrap(const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, p, len);
    free(out);
    out = NULL;
    err[0] = '\0';
    rc = bzimage_unwrap(copy, len, &out, &outlen, &info, err, sizeof(err));
    free(copy);
    if (rc)
        assert_null(out);
    return rc;
}

static int decode(const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, p, len);
    free(out);
    out = NULL;
    err[0] = '\0';
    rc = lz4_legacy_decode(copy, len, &out, &outlen, err, sizeof(err));
    free(copy);
    return rc;
}

static void expect_err(int rc, const char *msg)
{
    assert_int_equal(rc, -1);
    if (!strstr(err, msg))
        fail_msg("error '%s' does not contain '%s'", err, msg);
}

static void test_lz4_small(void **state)
{
    struct buf pl = { 0 }, img = { 0 };
    uint8_t *d = make_data(20000);

    lz4_legacy(&pl, d, 20000, false);
    make_bzimage(&img, 1, 0x20f, 0x40, &pl);
    assert_true(bzimage_detect(img.p, img.len));
    assert_int_equal(unwrap(img.p, img.len), 0);
    assert_int_equal(outlen, 20000);
    assert_memory_equal(out, d, 20000);
    assert_int_equal(info.version, 0x20f);
    assert_int_equal(info.payload_offset, 2 * 512 + 0x40);
    assert_int_equal(info.payload_length, pl.len);
    assert_string_equal(info.compression, "lz4");

    /* setup_sects 0 means 4. */
    make_bzimage(&img, 0, 0x208, 0, &pl);
    assert_int_equal(unwrap(img.p, img.len), 0);
    assert_int_equal(info.payload_offset, 5 * 512);
    assert_memory_equal(out, d, 20000);

    free(d);
    free(pl.p);
    free(img.p);
}

/* More than one 8 MiB block, and a repeated magic between blocks. */
static void test_lz4_multi_block(void **state)
{
    size_t len = BLOCK + 300000;
    struct buf pl = { 0 }, img = { 0 };
    uint8_t *d = make_data(len);
    int remagic;

    for (remagic = 0; remagic < 2; remagic++) {
        pl.len = 0;
        lz4_legacy(&pl, d, len, remagic);
        make_bzimage(&img, 30, 0x20f, 0, &pl);
        assert_int_equal(unwrap(img.p, img.len), 0);
        assert_int_equal(outlen, len);
        assert_memory_equal(out, d, len);
    }
    free(d);
    free(pl.p);
    free(img.p);
}

/* Maximal compression ratio (all zeros): the decoder's per-block output
 * bound must still hold. */
static void test_lz4_zeros(void **state)
{
    size_t len = 2 * BLOCK + 12345;
    struct buf pl = { 0 };
    uint8_t *d = calloc(1, len);

    assert_non_null(d);
    lz4_legacy(&pl, d, len, false);
    assert_true(pl.len < len / 200);
    assert_int_equal(decode(pl.p, pl.len), 0);
    assert_int_equal(outlen, len);
    assert_memory_equal(out, d, len);
    free(d);
    free(pl.p);
}

static void test_header_errors(void **state)
{
    struct buf pl = { 0 }, img = { 0 };
    uint8_t *d = make_data(4096);
    uint32_t v;

    lz4_legacy(&pl, d, 4096, false);
    make_bzimage(&img, 1, 0x20f, 0, &pl);

    expect_err(unwrap(img.p, 0x205), "not a bzImage");
    expect_err(unwrap(img.p, 0x240), "truncated bzImage header");
    expect_err(unwrap(img.p, img.len - 1), "is outside the file");
    expect_err(unwrap(img.p, 1024), "is outside the file");

    img.p[0x207] = 0x02;
    img.p[0x206] = 0x06;
    expect_err(unwrap(img.p, img.len), "bzImage boot protocol 2.06 is older than 2.08");
    img.p[0x206] = 0x0f;

    v = 0xfffffff0; /* payload_offset: far past the end, no wrap */
    memcpy(img.p + 0x248, &v, 4);
    expect_err(unwrap(img.p, img.len), "is outside the file");
    v = 0;
    memcpy(img.p + 0x248, &v, 4);
    memcpy(img.p + 0x24c, &v, 4);
    expect_err(unwrap(img.p, img.len), "is outside the file");
    v = (uint32_t)pl.len;
    memcpy(img.p + 0x24c, &v, 4);
    assert_int_equal(unwrap(img.p, img.len), 0);

    memcpy(img.p + 0x202, "HdrX", 4);
    assert_false(bzimage_detect(img.p, img.len));
    expect_err(unwrap(img.p, img.len), "not a bzImage");

    free(d);
    free(pl.p);
    free(img.p);
}

static void test_other_compressions(void **state)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } m[] = {
        { "\x1f\x8b\x08\x00", 4, "gzip" }, { "BZh9", 4, "bzip2" },
        { "\x5d\x00\x00\x80", 4, "lzma" }, { "\xfd" "7zXZ\x00", 6, "xz" },
        { "\x89LZO", 4, "lzo" }, { "\x28\xb5\x2f\xfd", 4, "zstd" },
        { "junkjunk", 8, "unknown" },
    };
    struct buf pl = { 0 }, img = { 0 };
    char want[100];
    size_t i;

    for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        pl.len = 0;
        put(&pl, m[i].magic, m[i].len);
        put(&pl, "payload-payload", 15);
        make_bzimage(&img, 2, 0x20f, 0, &pl);
        snprintf(want, sizeof(want), "bzImage compression %s not supported yet", m[i].name);
        expect_err(unwrap(img.p, img.len), want);
        assert_string_equal(info.compression, m[i].name);
    }

    /* An uncompressed ELF payload is taken as is. */
    pl.len = 0;
    put(&pl, "\177ELF-rest-of-it", 16);
    make_bzimage(&img, 2, 0x20f, 0, &pl);
    assert_int_equal(unwrap(img.p, img.len), 0);
    assert_int_equal(outlen, 16);
    assert_memory_equal(out, "\177ELF-rest-of-it", 16);

    free(pl.p);
    free(img.p);
}

static void test_lz4_errors(void **state)
{
    struct buf pl = { 0 }, bad = { 0 };
    uint8_t *d = make_data(50000);
    size_t cut;
    uint32_t v;

    lz4_legacy(&pl, d, 50000, false);
    assert_int_equal(decode(pl.p, pl.len), 0);

    /* Every truncation fails: the size field moves, blocks get cut. */
    for (cut = 0; cut < pl.len; cut++)
        assert_int_equal(decode(pl.p, cut), -1);
    expect_err(decode(pl.p, 8), "not a legacy LZ4 stream");

    /* Size field wrong either way. */
    bad.len = 0;
    put(&bad, pl.p, pl.len);
    v = 49999;
    memcpy(bad.p + bad.len - 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "corrupt LZ4 block");
    v = 50001;
    memcpy(bad.p + bad.len - 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "decodes to 50000 bytes but its size field says 50001");
    v = 0;
    memcpy(bad.p + bad.len - 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "LZ4 size field 0 is out of range");
    v = 0xffffffff;
    memcpy(bad.p + bad.len - 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "LZ4 size field 4294967295 is out of range");

    /* Block sizes: zero, past the end, beyond any 8 MiB block. */
    bad.len = 0;
    put(&bad, pl.p, pl.len);
    v = 0;
    memcpy(bad.p + 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "bad LZ4 block size 0 at payload offset 0x4");
    v = (uint32_t)pl.len;
    memcpy(bad.p + 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "bad LZ4 block size");
    v = 0x7fffffff;
    memcpy(bad.p + 4, &v, 4);
    expect_err(decode(bad.p, bad.len), "bad LZ4 block size");

    /* A stray partial block header before the size field. */
    bad.len = 0;
    put(&bad, pl.p, pl.len - 4);
    put(&bad, "\1\2", 2);
    put32(&bad, 50000);
    expect_err(decode(bad.p, bad.len), "truncated LZ4 block header");

    /* Data after the output is complete. */
    bad.len = 0;
    put(&bad, pl.p, pl.len - 4);
    put(&bad, pl.p + 4, pl.len - 8);
    put32(&bad, 50000);
    expect_err(decode(bad.p, bad.len), "LZ4 data continues past its size field");

    /* Garbage in the compressed data. */
    bad.len = 0;
    put(&bad, pl.p, pl.len);
    memset(bad.p + 8, 0xff, 64);
    expect_err(decode(bad.p, bad.len), "corrupt LZ4 block at payload offset 0x4");

    free(d);
    free(pl.p);
    free(bad.p);
}

/* Random corruption: no crash, overread or leak (the fuzzer goes further). */
static void test_corruption(void **state)
{
    struct buf pl = { 0 }, img = { 0 };
    uint8_t *d = make_data(30000), *work;
    uint64_t rng = 88172645463325252ULL;
    int i, j;

    lz4_legacy(&pl, d, 30000, true);
    make_bzimage(&img, 1, 0x20f, 16, &pl);
    work = malloc(img.len);
    assert_non_null(work);
    for (i = 0; i < 3000; i++) {
        memcpy(work, img.p, img.len);
        for (j = 0; j < 3; j++) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            /* Bias towards the header and the block framing. */
            work[(j == 0 ? (0x1f0 + (rng >> 8) % 0x70) : (rng >> 8) % img.len)] =
                (uint8_t)(rng >> 40);
        }
        (void)unwrap(work, img.len);
    }
    free(work);
    free(d);
    free(pl.p);
    free(img.p);
}

static int teardown(void **state)
{
    free(out);
    out = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_lz4_small, teardown),
        cmocka_unit_test_teardown(test_lz4_multi_block, teardown),
        cmocka_unit_test_teardown(test_lz4_zeros, teardown),
        cmocka_unit_test_teardown(test_header_errors, teardown),
        cmocka_unit_test_teardown(test_other_compressions, teardown),
        cmocka_unit_test_teardown(test_lz4_errors, teardown),
        cmocka_unit_test_teardown(test_corruption, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
