/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small C library the freestanding shim carries (shim/lib.c). Host builds
 * of shim files get the same names from the C library instead.
 */
#ifndef SHIM_LIB_H
#define SHIM_LIB_H

#include <shim/types.h>
#include <stdarg.h>

#ifdef SHIM_HOST_BUILD
#include <stdio.h>
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

/*
 * Parse an unsigned number (decimal, or hex with 0x) from [s, s+len).
 * Returns 0 and stores the value, or -1 on an empty, malformed or
 * overflowing number.
 */
int parse_u64(const char *s, size_t len, uint64_t *out);

#endif
