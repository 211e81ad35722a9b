// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 bzImage unwrapping (see bzimage.h). Facts from the Linux boot protocol
 * (Documentation/arch/x86/boot.rst) and Xen's xg_dom_bzimageloader.c: the
 * header "HdrS" sits at 0x202, protocol 2.08 added payload_offset/length,
 * and Debian's cloud kernel payload is legacy LZ4 with a trailing le32 size.
 * The input is untrusted: every offset and length is checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>

#include "bzimage.h"

#define SETUP_SECTS_OFF    0x1f1
#define HEADER_OFF         0x202
#define VERSION_OFF        0x206
#define PAYLOAD_OFFSET_OFF 0x248
#define PAYLOAD_LENGTH_OFF 0x24c
#define HEADER_END         0x250
#define MIN_VERSION        0x208

#define LZ4_LEGACY_MAGIC   0x184C2102u
#define LZ4_LEGACY_BLOCK   (8u << 20) /* each block decodes to <= 8 MiB */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int bzimage_detect(const uint8_t *buf, size_t len)
{
    return len >= HEADER_OFF + 4 && memcmp(buf + HEADER_OFF, "HdrS", 4) == 0;
}

static const char *compression_of(const uint8_t *p, size_t len)
{
    static const struct {
        const char *name;
        size_t len;
        const char *magic;
    } magics[] = {
        { "gzip", 2, "\x1f\x8b" },
        { "bzip2", 3, "BZh" },
        { "lzma", 3, "\x5d\x00\x00" },
        { "xz", 6, "\xfd" "7zXZ\x00" },
        { "lzo", 4, "\x89LZO" },
        { "lz4", 4, "\x02\x21\x4c\x18" },
        { "zstd", 4, "\x28\xb5\x2f\xfd" },
        { "none", 4, "\x7f" "ELF" },
    };
    size_t i;

    for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
        if (len >= magics[i].len && memcmp(p, magics[i].magic, magics[i].len) == 0)
            return magics[i].name;
    return "unknown";
}

int lz4_legacy_decode(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen,
                      char *err, size_t errlen)
{
    size_t insize, outsize, alloc, pos = 4, opos = 0;
    uint8_t *buf;

    *out = NULL;
    *outlen = 0;
    /* Magic, at least one block header, and the trailing size field. */
    if (len <= 8 || le32(in) != LZ4_LEGACY_MAGIC)
        return fail(err, errlen, "not a legacy LZ4 stream");
    insize = len - 4;
    outsize = le32(in + insize);
    if (outsize == 0 || outsize > BZIMAGE_MAX_OUTPUT)
        return fail(err, errlen, "LZ4 size field %zu is out of range (1..%lu)",
                    outsize, BZIMAGE_MAX_OUTPUT);
    /* Grown as blocks decode: a lying size field costs no huge allocation. */
    buf = NULL;
    alloc = 0;

    while (pos < insize) {
        uint32_t chunk;
        size_t cap;
        int r;

        if (insize - pos < 4) {
            fail(err, errlen, "truncated LZ4 block header at payload offset %#zx",
                 pos);
            goto bad;
        }
        chunk = le32(in + pos);
        pos += 4;
        if (chunk == LZ4_LEGACY_MAGIC)
            continue; /* concatenated streams */
        if (chunk == 0 || chunk > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK) ||
            chunk > insize - pos) {
            fail(err, errlen, "bad LZ4 block size %u at payload offset %#zx",
                 chunk, pos - 4);
            goto bad;
        }
        if (opos == outsize) {
            fail(err, errlen, "LZ4 data continues past its size field (%zu bytes)",
                 outsize);
            goto bad;
        }
        /* LZ4 expands at most ~255:1 (match lengths in 255-byte steps). */
        cap = outsize - opos < LZ4_LEGACY_BLOCK ? outsize - opos : LZ4_LEGACY_BLOCK;
        if (cap > (size_t)chunk * 255 + 64)
            cap = (size_t)chunk * 255 + 64;
        if (opos + cap > alloc) {
            size_t grow = alloc * 2 < outsize ? alloc * 2 : outsize;
            uint8_t *nbuf;

            if (grow < opos + cap)
                grow = opos + cap;
            nbuf = realloc(buf, grow);
            if (!nbuf) {
                fail(err, errlen, "out of memory for %zu bytes", grow);
                goto bad;
            }
            buf = nbuf;
            alloc = grow;
        }
        r = LZ4_decompress_safe((const char *)in + pos, (char *)buf + opos,
                                (int)chunk, (int)cap);
        if (r < 0) {
            fail(err, errlen, "corrupt LZ4 block at payload offset %#zx", pos - 4);
            goto bad;
        }
        opos += (size_t)r;
        pos += chunk;
    }
    if (opos != outsize) {
        fail(err, errlen, "LZ4 data decodes to %zu bytes but its size field says %zu",
             opos, outsize);
        goto bad;
    }
    *out = buf;
    *outlen = outsize;
    return 0;
bad:
    free(buf);
    return -1;
}

int bzimage_unwrap(const uint8_t *buf, size_t len, uint8_t **out, size_t *outlen,
                   struct bzimage_info *info, char *err, size_t errlen)
{
    size_t setup, off, plen;
    const uint8_t *payload;

    *out = NULL;
    *outlen = 0;
    memset(info, 0, sizeof(*info));
    if (!bzimage_detect(buf, len))
        return fail(err, errlen, "not a bzImage (no HdrS boot header)");
    if (len < HEADER_END)
        return fail(err, errlen, "truncated bzImage header");
    info->version = (unsigned int)(buf[VERSION_OFF] | (buf[VERSION_OFF + 1] << 8));
    if (info->version < MIN_VERSION)
        return fail(err, errlen, "bzImage boot protocol %x.%02x is older than 2.08",
                    info->version >> 8, info->version & 0xff);
    setup = buf[SETUP_SECTS_OFF] ? buf[SETUP_SECTS_OFF] : 4;
    off = (setup + 1) * 512;
    plen = le32(buf + PAYLOAD_LENGTH_OFF);
    /* size_t is 64-bit here: the sum of two 32-bit values cannot wrap. */
    off += le32(buf + PAYLOAD_OFFSET_OFF);
    info->payload_offset = off;
    info->payload_length = plen;
    if (off > len || plen > len - off || plen == 0)
        return fail(err, errlen, "bzImage payload (offset %#zx, length %#zx) is "
                    "outside the file", off, plen);
    payload = buf + off;
    info->compression = compression_of(payload, plen);

    if (strcmp(info->compression, "lz4") == 0)
        return lz4_legacy_decode(payload, plen, out, outlen, err, errlen);
    if (strcmp(info->compression, "none") == 0) {
        *out = malloc(plen);
        if (!*out)
            return fail(err, errlen, "out of memory for %zu bytes", plen);
        memcpy(*out, payload, plen);
        *outlen = plen;
        return 0;
    }
    snprintf(err, errlen, "bzImage compression %s not supported yet (only lz4)",
             info->compression);
    return -1;
}
