/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cursor over a libFuzzer input, shared by the harnesses that read the
 * input as a sequence of operations: every read past the end yields zeros,
 * so any byte string is a valid (if short) program.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fin {
    const uint8_t *p;
    size_t left;
};

static inline int fin_more(const struct fin *in)
{
    return in->left > 0;
}

static inline uint8_t fin_u8(struct fin *in)
{
    if (!in->left)
        return 0;
    in->left--;
    return *in->p++;
}

static inline uint16_t fin_u16(struct fin *in)
{
    return (uint16_t)(fin_u8(in) | fin_u8(in) << 8);
}

static inline uint32_t fin_u32(struct fin *in)
{
    return (uint32_t)fin_u16(in) | (uint32_t)fin_u16(in) << 16;
}

static inline uint64_t fin_u64(struct fin *in)
{
    return (uint64_t)fin_u32(in) | (uint64_t)fin_u32(in) << 32;
}

/* Up to n bytes (fewer at the end of the input); returns how many. */
static inline size_t fin_bytes(struct fin *in, void *dst, size_t n)
{
    if (n > in->left)
        n = in->left;
    memcpy(dst, in->p, n);
    in->p += n;
    in->left -= n;
    return n;
}

#endif
