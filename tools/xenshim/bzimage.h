/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unwrapping an x86 bzImage into the ELF vmlinux inside it, so the shim gets
 * a plain ELF boot module (decompressing on the host is far cheaper than in
 * a TCG guest). Pure functions over byte buffers; unit-tested.
 */
#ifndef XENSHIM_BZIMAGE_H
#define XENSHIM_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

struct bzimage_info {
    unsigned int version;    /* boot protocol, e.g. 0x20f */
    size_t payload_offset;   /* file offset of the compressed payload */
    size_t payload_length;
    const char *compression; /* "lz4", "gzip", ... or "none" */
};

/* Largest payload output accepted (a hostile size field must not make the
 * tool allocate gigabytes). */
#define BZIMAGE_MAX_OUTPUT (1024UL << 20)

/*
 * Is buf an x86 boot-protocol image ("HdrS" at 0x202)? Pure check, no
 * validation of the rest.
 */
int bzimage_detect(const uint8_t *buf, size_t len);

/*
 * Unwrap the bzImage in [buf, buf+len): check the header (protocol >= 2.08),
 * locate the payload ((setup_sects + 1) * 512 + payload_offset), decompress
 * it (legacy LZ4; an uncompressed ELF payload is copied).
 * Returns 0 with *out (malloc'd; the caller frees it), *outlen and *info
 * filled; or -1 with a one-line reason in err. *info is filled as far as the
 * header could be read even on failure.
 */
int bzimage_unwrap(const uint8_t *buf, size_t len, uint8_t **out, size_t *outlen,
                   struct bzimage_info *info, char *err, size_t errlen);

/*
 * Decode a Linux legacy-LZ4 payload: magic 0x184C2102, then blocks of
 * <le32 compressed size><data> (each decoding to at most 8 MiB; a repeated
 * magic starts a new stream), then the le32 total uncompressed size that
 * Linux's build appends. Same conventions as bzimage_unwrap.
 */
int lz4_legacy_decode(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen,
                      char *err, size_t errlen);

#endif
