/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A deliberately small x86-64 decoder for the instructions a PV guest
 * kernel may execute that the shim emulates or must recognise (contract
 * 3.8): port I/O, cli/sti/hlt, int n/int3, mov to/from CR and DR,
 * rdmsr/wrmsr, rdtsc(p), cpuid, wbinvd/invd, clts, xsetbv/xgetbv, ud2.
 * Anything else is "unknown" and the shim reflects the fault to the guest,
 * as are LOCK-prefixed forms and into (#UD in 64-bit mode).
 * tests/unit checks it against capstone.
 */
#ifndef ARCH_INSN_H
#define ARCH_INSN_H

#include <shim/types.h>

#define INSN_MAX_LEN 15

struct insn {
    uint8_t len;            /* total length in bytes */
    uint8_t rex;            /* REX byte, or 0 */
    bool opsize16;          /* 0x66 */
    bool rep;               /* 0xf3 (or 0xf2) */
    bool twobyte;           /* 0x0f escape */
    uint8_t opcode;         /* the (second, if twobyte) opcode byte */
    bool has_modrm;
    uint8_t modrm;
    uint8_t imm8;           /* int n, in/out imm8 */
};

/* Register number (0-15) of ModRM.reg / ModRM.rm, with REX extensions. */
static inline unsigned int insn_reg(const struct insn *i)
{
    return ((i->modrm >> 3) & 7) | ((i->rex & 4) ? 8 : 0);
}
static inline unsigned int insn_rm(const struct insn *i)
{
    return (i->modrm & 7) | ((i->rex & 1) ? 8 : 0);
}

/*
 * Decode the instruction at buf (avail bytes readable). Returns 0, or -1 if
 * it is not one of the instructions above or is cut short.
 */
int insn_decode(const uint8_t *buf, size_t avail, struct insn *out);

#endif
