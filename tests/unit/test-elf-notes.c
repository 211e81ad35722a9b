// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of tools/xenshim/elf-notes.c: Xen notes found in a PT_NOTE
 * segment or an SHT_NOTE section of ELF64 and ELF32 images; other notes
 * are "none"; and every truncation and every single-byte corruption of a
 * valid image gives one of the three answers without reading outside the
 * buffer (ASan), since `xenshim inspect` runs it on any file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/xenshim/elf-notes.h"

static void put(uint8_t *b, size_t off, uint64_t v, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}

/* An ELF (class 1 or 2) with one note named `name` at 0x100, in a PT_NOTE
 * segment (phdr) or an SHT_NOTE section (shdr at 0x200). Returns its size. */
static size_t make_elf(uint8_t *b, int is64, const char *name, int in_section)
{
    size_t nlen = strlen(name) + 1, note = 0x100, nsz = 12 + ((nlen + 3) & ~3UL) + 8;

    memset(b, 0, 0x300);
    memcpy(b, "\177ELF", 4);
    b[4] = is64 ? 2 : 1;
    b[5] = 1;
    b[6] = 1;
    put(b, note, nlen, 4);
    put(b, note + 4, 8, 4);
    put(b, note + 8, 6, 4);
    memcpy(b + note + 12, name, nlen);
    if (!in_section) {
        size_t ph = is64 ? 64 : 52;

        put(b, is64 ? 32 : 28, ph, is64 ? 8 : 4);
        put(b, is64 ? 54 : 42, is64 ? 56 : 32, 2);
        put(b, is64 ? 56 : 44, 1, 2);
        put(b, ph, 4, 4);
        put(b, ph + (is64 ? 8 : 4), note, is64 ? 8 : 4);
        put(b, ph + (is64 ? 32 : 16), nsz, is64 ? 8 : 4);
    } else {
        size_t sh = 0x200;

        put(b, is64 ? 40 : 32, sh, is64 ? 8 : 4);
        put(b, is64 ? 58 : 46, is64 ? 64 : 40, 2);
        put(b, is64 ? 60 : 48, 2, 2);
        sh += is64 ? 64 : 40; /* section 0 is null */
        put(b, sh + 4, 7, 4);
        put(b, sh + (is64 ? 24 : 16), note, is64 ? 8 : 4);
        put(b, sh + (is64 ? 32 : 20), nsz, is64 ? 8 : 4);
    }
    return 0x300;
}

static void test_found(void **state)
{
    uint8_t b[0x300];
    int is64, sect;

    (void)state;
    for (is64 = 0; is64 < 2; is64++)
        for (sect = 0; sect < 2; sect++) {
            make_elf(b, is64, "Xen", sect);
            assert_int_equal(elf_xen_notes(b, sizeof(b)), ELF_NOTES_XEN);
            make_elf(b, is64, "GNU", sect);
            assert_int_equal(elf_xen_notes(b, sizeof(b)), ELF_NOTES_NONE);
            make_elf(b, is64, "Xenx", sect);
            assert_int_equal(elf_xen_notes(b, sizeof(b)), ELF_NOTES_NONE);
        }
}

static void test_malformed(void **state)
{
    uint8_t b[0x300];

    (void)state;
    make_elf(b, 1, "Xen", 0);
    assert_int_equal(elf_xen_notes(b, 6), ELF_NOTES_MALFORMED);
    assert_int_equal(elf_xen_notes(b, 63), ELF_NOTES_MALFORMED);
    /* The phdr table ends past the file. */
    assert_int_equal(elf_xen_notes(b, 100), ELF_NOTES_MALFORMED);
    /* The note area ends past the file. */
    assert_int_equal(elf_xen_notes(b, 0x110), ELF_NOTES_MALFORMED);
    b[4] = 3;
    assert_int_equal(elf_xen_notes(b, sizeof(b)), ELF_NOTES_MALFORMED);
}

/* Every prefix and every byte set to 0x00, 0x7f, 0x80, 0xff: an answer,
 * no out-of-bounds read (the buffer is exactly the image, on the heap). */
static void test_hostile(void **state)
{
    static const uint8_t vals[] = { 0x00, 0x7f, 0x80, 0xff };
    uint8_t ref[0x300];
    size_t len, i, v;
    int is64, sect, r;

    (void)state;
    for (is64 = 0; is64 < 2; is64++)
        for (sect = 0; sect < 2; sect++) {
            make_elf(ref, is64, "Xen", sect);
            for (len = 0; len <= sizeof(ref); len++) {
                uint8_t *b = malloc(len ? len : 1);

                memcpy(b, ref, len);
                r = elf_xen_notes(b, len);
                assert_true(r >= ELF_NOTES_MALFORMED && r <= ELF_NOTES_XEN);
                free(b);
            }
            for (i = 0; i < sizeof(ref); i++)
                for (v = 0; v < sizeof(vals); v++) {
                    uint8_t *b = malloc(sizeof(ref));

                    memcpy(b, ref, sizeof(ref));
                    b[i] = vals[v];
                    r = elf_xen_notes(b, sizeof(ref));
                    assert_true(r >= ELF_NOTES_MALFORMED && r <= ELF_NOTES_XEN);
                    free(b);
                }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_hostile),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
