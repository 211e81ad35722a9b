// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the Xen PV ELF and note parser (shim/xen-elf.c), which
 * the shim runs on the guest kernel it is handed. The input is the image;
 * it is copied to an exact-size heap block so that ASan sees any read past
 * its end. On success the result must describe a load range inside the
 * image's promises: segments ordered inside [pstart, pend), file ranges
 * inside the image, strings NUL-terminated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shim/xen-elf.h>

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xen_elf_info info;
    char err[128];
    uint8_t *img = malloc(size ? size : 1);

    CHECK(img);
    memcpy(img, data, size);
    memset(err, 0x55, sizeof(err));
    if (xen_elf_parse(img, size, &info, err, sizeof(err)) == 0) {
        CHECK(info.nr_segs <= XEN_ELF_MAX_SEGS);
        CHECK(info.pstart <= info.pend);
        CHECK(memchr(info.guest_os, 0, sizeof(info.guest_os)));
        CHECK(memchr(info.loader, 0, sizeof(info.loader)));
        CHECK(!(info.features_required & ~info.features_supported));
        for (unsigned int i = 0; i < info.nr_segs; i++) {
            const struct xen_elf_seg *s = &info.segs[i];

            CHECK(s->offset <= size && s->filesz <= size - s->offset);
            CHECK(s->filesz <= s->memsz);
            CHECK(s->paddr >= info.pstart && s->paddr + s->memsz <= info.pend);
        }
    } else {
        CHECK(memchr(err, 0, sizeof(err)));
    }
    /* A truncated error buffer must still be terminated. */
    (void)xen_elf_parse(img, size, &info, err, 7);
    CHECK(memchr(err, 0, 7));
    free(img);
    return 0;
}
