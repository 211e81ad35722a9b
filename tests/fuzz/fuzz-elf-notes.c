// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the Xen-note detector of `xenshim inspect`
 * (tools/xenshim/elf-notes.c), which reads any file a user points it at.
 * The input is the file, copied to an exact-size heap block so that ASan
 * sees a read past its end. Invariants beyond "no crash":
 *  - the answer is one of ELF_NOTES_* and the same on a second call (pure);
 *  - ELF_NOTES_XEN needs the bytes "Xen\0" somewhere in the file;
 *  - a well-formed answer (XEN or NONE) looks only inside the file, so the
 *    same file with bytes appended answers the same: every table and note
 *    area it read is still there, unchanged, in the same order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf-notes.h"

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

#define PAD 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contains_xen_name(const uint8_t *b, size_t len)
{
    for (size_t i = 0; i + 4 <= len; i++)
        if (!memcmp(b + i, "Xen", 4))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *img = malloc(size ? size : 1);
    uint8_t *longer = malloc(size + PAD);
    int r;

    CHECK(img && longer);
    memcpy(img, data, size);
    r = elf_xen_notes(img, size);
    CHECK(r == ELF_NOTES_MALFORMED || r == ELF_NOTES_NONE || r == ELF_NOTES_XEN);
    CHECK(elf_xen_notes(img, size) == r);
    if (r == ELF_NOTES_XEN)
        CHECK(contains_xen_name(img, size));
    if (r != ELF_NOTES_MALFORMED) {
        /* Bytes that could complete a note, to tempt a parser that peeks past the end. */
        memcpy(longer, data, size);
        for (size_t i = 0; i < PAD; i++)
            longer[size + i] = (uint8_t)"Xen\0\4\0\0\0"[i % 8];
        CHECK(elf_xen_notes(longer, size + PAD) == r);
    }
    free(longer);
    free(img);
    return 0;
}
