// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-guest workload: map N MiB of anonymous memory, touch every page (one
 * demand fault each, so the PV MMU validates one new PTE per page), then
 * read everything back. Prints nothing on success; exit status is the
 * verdict. Built static on the host (libc.a is part of Debian's libc6-dev).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
    size_t len = mib << 20, page = 4096;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED) {
        perror("pagefault: mmap");
        return 1;
    }
    for (size_t off = 0; off < len; off += page)
        p[off] = (uint8_t)(off >> 12);
    for (size_t off = 0; off < len; off += page) {
        if (p[off] != (uint8_t)(off >> 12)) {
            fprintf(stderr, "pagefault: page at %zu lost its contents\n", off);
            return 1;
        }
    }
    munmap(p, len);
    return 0;
}
