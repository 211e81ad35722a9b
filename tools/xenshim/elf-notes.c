// SPDX-License-Identifier: GPL-2.0-only
/*
 * Does an ELF file (32- or 64-bit, little-endian) carry any note named
 * "Xen"? `xenshim inspect` asks this when the shim's parser rejects a
 * file, to tell "not a Xen kernel at all" (a PIE binary, a 32-bit
 * program) from "a Xen kernel the shim cannot run" (PV32, bad notes).
 * Every offset and size is checked against the file; a header, table or
 * note area outside it makes the answer "malformed", never "no notes".
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "elf-notes.h"

#define PT_NOTE_TYPE  4
#define SHT_NOTE_TYPE 7

static uint64_t rd(const uint8_t *b, size_t len, uint64_t off, unsigned int n)
{
    uint64_t v = 0;
    unsigned int i;

    if (off > len || len - off < n)
        return 0;
    for (i = 0; i < n; i++)
        v |= (uint64_t)b[off + i] << (8 * i);
    return v;
}

/* A note area [off, off+size): ELF_NOTES_XEN, _NONE or _MALFORMED. */
static int area_notes(const uint8_t *b, size_t len, uint64_t off, uint64_t size)
{
    uint64_t end, namesz, descsz;

    if (off > len || size > len - off)
        return ELF_NOTES_MALFORMED;
    end = off + size;
    /* Notes are 4-aligned; the last one's padding may be cut off. */
    while (off < end && end - off >= 12) {
        namesz = rd(b, len, off, 4);
        descsz = rd(b, len, off + 4, 4);
        off += 12;
        if (namesz > end - off)
            return ELF_NOTES_MALFORMED;
        if (namesz == 4 && !memcmp(b + off, "Xen", 4))
            return ELF_NOTES_XEN;
        off += (namesz + 3) & ~3ULL;
        if (off > end || descsz > end - off)
            return ELF_NOTES_MALFORMED;
        off += (descsz + 3) & ~3ULL;
    }
    return ELF_NOTES_NONE;
}

/* The headers of one table: all inside the file? */
static bool table_ok(size_t len, uint64_t off, uint64_t entsize, uint64_t num,
                     uint64_t minsize)
{
    return num == 0 || (entsize >= minsize && off <= len && num <= (len - off) / entsize);
}

int elf_xen_notes(const uint8_t *b, size_t len)
{
    uint64_t phoff, shoff, i, ent, off, size, type;
    unsigned int phentsize, phnum, shentsize, shnum, w;
    int r;
    bool is64;

    if (len < 6 || memcmp(b, "\177ELF", 4) || b[5] != 1 || (b[4] != 1 && b[4] != 2))
        return ELF_NOTES_MALFORMED;
    is64 = b[4] == 2;
    if (len < (is64 ? 64U : 52U))
        return ELF_NOTES_MALFORMED;
    w = is64 ? 8 : 4;
    phoff = rd(b, len, is64 ? 32 : 28, w);
    shoff = rd(b, len, is64 ? 40 : 32, w);
    phentsize = (unsigned int)rd(b, len, is64 ? 54 : 42, 2);
    phnum = (unsigned int)rd(b, len, is64 ? 56 : 44, 2);
    shentsize = (unsigned int)rd(b, len, is64 ? 58 : 46, 2);
    shnum = (unsigned int)rd(b, len, is64 ? 60 : 48, 2);
    if (!table_ok(len, phoff, phentsize, phnum, is64 ? 56 : 32) ||
        !table_ok(len, shoff, shentsize, shoff ? shnum : 0, is64 ? 64 : 40))
        return ELF_NOTES_MALFORMED;
    for (i = 0; i < phnum; i++) {
        ent = phoff + i * phentsize;
        type = rd(b, len, ent, 4);
        off = rd(b, len, ent + (is64 ? 8 : 4), w);
        size = rd(b, len, ent + (is64 ? 32 : 16), w);
        if (type == PT_NOTE_TYPE && (r = area_notes(b, len, off, size)) != ELF_NOTES_NONE)
            return r;
    }
    for (i = 0; shoff && i < shnum; i++) {
        ent = shoff + i * shentsize;
        type = rd(b, len, ent + 4, 4);
        off = rd(b, len, ent + (is64 ? 24 : 16), w);
        size = rd(b, len, ent + (is64 ? 32 : 20), w);
        if (type == SHT_NOTE_TYPE && (r = area_notes(b, len, off, size)) != ELF_NOTES_NONE)
            return r;
    }
    return ELF_NOTES_NONE;
}
