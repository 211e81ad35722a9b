/* SPDX-License-Identifier: GPL-2.0-only */
/* Xen note detection for any ELF class (elf-notes.c). */
#ifndef XENSHIM_ELF_NOTES_H
#define XENSHIM_ELF_NOTES_H

#include <stddef.h>
#include <stdint.h>

enum {
    ELF_NOTES_MALFORMED = -1, /* header, table or note area outside the file */
    ELF_NOTES_NONE = 0,       /* well-formed, no note named "Xen" */
    ELF_NOTES_XEN = 1,        /* a "Xen" note in a PT_NOTE segment or SHT_NOTE section */
};

/*
 * Look for Xen notes in the little-endian ELF32 or ELF64 image [b, b+len).
 * Pure. The legacy __xen_guest section is not a note: xen_elf_parse reads
 * it. Returns one of ELF_NOTES_*.
 */
int elf_xen_notes(const uint8_t *b, size_t len);

#endif
