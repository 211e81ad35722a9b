/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by test-insn.c and test-insn-sweep.c: decoding with an exact-size
 * heap buffer (so ASan sees any read past `avail`) and the capstone oracle.
 */
#ifndef TEST_INSN_TEST_H
#define TEST_INSN_TEST_H

#include <arch/insn.h>
#include <capstone/capstone.h>

extern csh insn_cs;

int insn_test_setup(void **state);
int insn_test_teardown(void **state);
/* insn_decode on a copy of bytes[0..n) in a buffer of exactly n bytes. */
int decode_exact(const uint8_t *bytes, size_t n, struct insn *out);
/* Capstone must decode bytes[0..n) to i->len bytes of the same instruction. */
void check_against_capstone(const uint8_t *bytes, size_t n, const struct insn *i);
/* decode_exact, and check_against_capstone when the decoder says yes. */
int decode_and_compare(const uint8_t *bytes, size_t n, struct insn *out);

void test_sweep_one_byte(void **state);
void test_sweep_two_byte(void **state);
void test_sweep_group7(void **state);
void test_sweep_mov_cr_dr(void **state);
void test_random(void **state);

#define INSN_SWEEP_TESTS \
    cmocka_unit_test(test_sweep_one_byte), \
    cmocka_unit_test(test_sweep_two_byte), \
    cmocka_unit_test(test_sweep_group7), \
    cmocka_unit_test(test_sweep_mov_cr_dr), \
    cmocka_unit_test(test_random)

#endif
