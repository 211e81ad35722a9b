// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host backing of guest memory (see guest-memory-stub.h). The shim passes
 * guest addresses to arch_copy_guest as pointers; a pointer inside
 * [GM_BASE, GM_BASE + GM_SIZE) is guest memory, any other guest address is
 * unmapped, and the remaining side is a host buffer of the shim's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arch/extable.h>
#include "guest-memory-stub.h"

static uint8_t mem[GM_PAGES][PAGE_SIZE];
static enum gm_prot prot[GM_PAGES];

void gm_reset(void)
{
    memset(mem, 0, sizeof(mem));
    for (unsigned int i = 0; i < GM_PAGES; i++)
        prot[i] = GM_RW;
}

void gm_protect(guest_va_t gva, size_t len, enum gm_prot p)
{
    for (uint64_t a = ALIGN_DOWN(gva, PAGE_SIZE); a < gva + len; a += PAGE_SIZE) {
        if (a < GM_BASE || a - GM_BASE >= GM_SIZE) {
            fprintf(stderr, "gm_protect(%#llx): outside the window\n",
                    (unsigned long long)a);
            abort();
        }
        prot[(a - GM_BASE) >> PAGE_SHIFT] = p;
    }
}

void *gm_ptr(guest_va_t gva)
{
    if (gva < GM_BASE || gva - GM_BASE >= GM_SIZE) {
        fprintf(stderr, "gm_ptr(%#llx): outside the window\n", (unsigned long long)gva);
        abort();
    }
    return &mem[0][0] + (gva - GM_BASE);
}

static bool in_window(const void *p)
{
    uint64_t a = (uint64_t)(uintptr_t)p;

    return a >= GM_BASE && a - GM_BASE < GM_SIZE;
}

/* The guest byte at gva, or NULL if the access would fault. */
static uint8_t *guest_byte(uint64_t gva, bool write)
{
    enum gm_prot p;

    if (gva < GM_BASE || gva - GM_BASE >= GM_SIZE)
        return NULL;
    p = prot[(gva - GM_BASE) >> PAGE_SHIFT];
    if (p == GM_NONE || (write && p == GM_RO))
        return NULL;
    return &mem[0][0] + (gva - GM_BASE);
}

/* Like `rep movsb` with a fixup: copies up to the first faulting byte. */
size_t arch_copy_guest(void *dst, const void *src, size_t len)
{
    bool to_guest = in_window(dst) || !in_window(src);

    for (size_t i = 0; i < len; i++) {
        uint64_t g = (uint64_t)(uintptr_t)(to_guest ? dst : src) + i;
        uint8_t *b = guest_byte(g, to_guest);

        if (!b)
            return len - i;
        if (to_guest)
            *b = ((const uint8_t *)src)[i];
        else
            ((uint8_t *)dst)[i] = *b;
    }
    return 0;
}

size_t arch_clear_guest(void *dst, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t *b = guest_byte((uint64_t)(uintptr_t)dst + i, true);

        if (!b)
            return len - i;
        *b = 0;
    }
    return 0;
}
