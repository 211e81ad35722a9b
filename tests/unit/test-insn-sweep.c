// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generated inputs for the decoder (see test-insn.c): every one-byte and
 * 0f-escaped opcode followed by several filler patterns, every ModRM of
 * group 7 and of mov CR/DR under every REX, and random byte strings. The
 * decoder may refuse what capstone accepts, never the reverse, and the set
 * of opcodes it accepts is pinned so that additions are deliberate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "insn-test.h"

static const uint8_t fillers[] = { 0x00, 0xc0, 0xd0, 0xff, 0x90, 0x0f, 0x25 };

/* Sweep buf[at] over 0..255 with each filler behind it; returns the opcodes
 * accepted with every filler that is itself no accepted opcode (0x00, 0xc0). */
static void sweep(uint8_t *buf, size_t at, bool accepted_out[256])
{
    for (unsigned int op = 0; op < 256; op++) {
        accepted_out[op] = true;
        for (size_t f = 0; f < ARRAY_SIZE(fillers); f++) {
            struct insn i;
            int rc;

            buf[at] = (uint8_t)op;
            memset(buf + at + 1, fillers[f], INSN_MAX_LEN - at - 1);
            rc = decode_and_compare(buf, INSN_MAX_LEN, &i);
            if (fillers[f] == 0x00 || fillers[f] == 0xc0)
                accepted_out[op] &= rc == 0;
        }
    }
}

void test_sweep_one_byte(void **state)
{
    static const uint8_t want[] = {
        0x6c, 0x6d, 0x6e, 0x6f, 0xcc, 0xcd, 0xe4, 0xe5, 0xe6, 0xe7,
        0xec, 0xed, 0xee, 0xef, 0xf4, 0xfa, 0xfb,
    };
    static const uint8_t lead[][2] = { { 0 }, { 0x66 }, { 0x48 }, { 0xf3 }, { 0x2e } };
    uint8_t buf[INSN_MAX_LEN];
    bool acc[256];

    for (size_t l = 0; l < ARRAY_SIZE(lead); l++) {
        size_t at = lead[l][0] ? 1 : 0;

        buf[0] = lead[l][0];
        sweep(buf, at, acc);
        for (unsigned int op = 0; op < 256; op++)
            assert_int_equal(acc[op], memchr(want, op, sizeof(want)) != NULL);
    }
}

void test_sweep_two_byte(void **state)
{
    static const uint8_t want[] = {
        0x06, 0x08, 0x09, 0x0b, 0x20, 0x21, 0x22, 0x23, 0x30, 0x31, 0x32, 0x33, 0xa2,
    };
    static const uint8_t lead[][2] = { { 0 }, { 0x66 }, { 0x41 }, { 0xf2 }, { 0x67 } };
    uint8_t buf[INSN_MAX_LEN];
    bool acc[256];

    for (size_t l = 0; l < ARRAY_SIZE(lead); l++) {
        size_t at = lead[l][0] ? 2 : 1;

        buf[0] = lead[l][0];
        buf[at - 1] = 0x0f;
        sweep(buf, at, acc);
        /* 0f 01 is accepted only with d0/d1/f9 behind it (test_sweep_group7). */
        for (unsigned int op = 0; op < 256; op++)
            assert_int_equal(acc[op], memchr(want, op, sizeof(want)) != NULL);
    }
}

void test_sweep_group7(void **state)
{
    uint8_t buf[INSN_MAX_LEN];

    for (unsigned int rex = 0x3f; rex <= 0x4f; rex++) {
        size_t at = rex >= 0x40 ? 1 : 0;

        buf[0] = (uint8_t)rex;
        buf[at] = 0x0f;
        buf[at + 1] = 0x01;
        for (unsigned int m = 0; m < 256; m++) {
            struct insn i;
            int rc;

            buf[at + 2] = (uint8_t)m;
            memset(buf + at + 3, 0, INSN_MAX_LEN - at - 3);
            rc = decode_and_compare(buf, INSN_MAX_LEN, &i);
            assert_int_equal(rc == 0, m == 0xd0 || m == 0xd1 || m == 0xf9);
            /* Cut right after 0f 01: never success. */
            assert_int_equal(decode_exact(buf, at + 2, &i), -1);
        }
    }
}

void test_sweep_mov_cr_dr(void **state)
{
    uint8_t buf[5];

    for (unsigned int op = 0x20; op <= 0x23; op++)
        for (unsigned int rex = 0x3f; rex <= 0x4f; rex++)
            for (unsigned int m = 0; m < 256; m++) {
                size_t at = rex >= 0x40 ? 1 : 0;
                struct insn i;

                buf[0] = (uint8_t)rex;
                buf[at] = 0x0f;
                buf[at + 1] = (uint8_t)op;
                buf[at + 2] = (uint8_t)m;
                /* check_against_capstone compares reg/rm with the operands. */
                assert_int_equal(decode_and_compare(buf, at + 3, &i), 0);
                assert_int_equal(i.len, at + 3);
                assert_int_equal(insn_reg(&i), ((m >> 3) & 7) | (at && (rex & 4) ? 8 : 0));
                assert_int_equal(insn_rm(&i), (m & 7) | (at && (rex & 1) ? 8 : 0));
            }
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545f4914f6cdd1dULL;
}

void test_random(void **state)
{
    static const uint8_t pfx[] = {
        0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
        0x40, 0x41, 0x44, 0x48, 0x4f,
    };
    static const uint8_t ops[] = {
        0xcc, 0xcd, 0xce, 0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef, 0x6c,
        0x6d, 0x6e, 0x6f, 0xf4, 0xfa, 0xfb, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
    };
    unsigned int accepted = 0;

    for (unsigned int n = 0; n < 200000; n++) {
        uint8_t buf[INSN_MAX_LEN];
        size_t len = 1 + rnd() % INSN_MAX_LEN, p = 0;
        struct insn i;

        for (size_t k = 0; k < sizeof(buf); k++)
            buf[k] = (uint8_t)rnd();
        /* Half of the inputs: prefixes and an interesting opcode first. */
        if (n & 1) {
            for (unsigned int np = rnd() % 4; np && p < len; np--)
                buf[p++] = pfx[rnd() % sizeof(pfx)];
            if (p < len)
                buf[p++] = ops[rnd() % sizeof(ops)];
            if (p < len && buf[p - 1] == 0x0f && (rnd() & 1))
                buf[p++] = (uint8_t)(0x20 + rnd() % 4);
        }
        if (decode_and_compare(buf, len, &i) == 0)
            accepted++;
    }
    /* The biased half must hit the decoder often, or this tests nothing. */
    assert_true(accepted > 10000);
}
