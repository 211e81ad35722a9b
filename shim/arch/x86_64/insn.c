// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoder for the privileged-instruction subset (see include/arch/insn.h).
 * Opcode facts from the Intel SDM vol. 2, appendix A. Only legacy prefixes
 * and REX are accepted; VEX/EVEX forms are never privileged operations the
 * shim emulates.
 */
#include <arch/insn.h>
#include <shim/lib.h>

int insn_decode(const uint8_t *buf, size_t avail, struct insn *out)
{
    size_t p = 0;
    uint8_t b;

    memset(out, 0, sizeof(*out));
    avail = MIN(avail, (size_t)INSN_MAX_LEN);

    /*
     * Legacy prefixes, any order. LOCK (f0) is not one of them: it is #UD on
     * every instruction here, and AMD reads `lock mov cr0` as mov cr8.
     */
    for (;; p++) {
        if (p >= avail)
            return -1;
        b = buf[p];
        if (b == 0x66)
            out->opsize16 = true;
        else if (b == 0xf3 || b == 0xf2)
            out->rep = true;
        else if (b == 0x67 || b == 0x26 || b == 0x2e ||
                 b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65)
            continue;
        else
            break;
    }
    /* REX must come last, just before the opcode. */
    if ((b & 0xf0) == 0x40) {
        out->rex = b;
        if (++p >= avail)
            return -1;
        b = buf[p];
    }
    p++;
    if (b != 0x0f) {
        out->opcode = b;
        switch (b) {
        case 0xcd: case 0xe4: case 0xe5: case 0xe6: case 0xe7:   /* imm8 forms */
            if (p >= avail)
                return -1;
            out->imm8 = buf[p++];
            break;
        case 0xcc: case 0xec: case 0xed: case 0xee: case 0xef:
        case 0xf4: case 0xfa: case 0xfb: case 0x6c: case 0x6d: case 0x6e:
        case 0x6f:
            break;
        default:
            return -1;
        }
        out->len = p;
        return 0;
    }

    out->twobyte = true;
    if (p >= avail)
        return -1;
    b = buf[p++];
    out->opcode = b;
    switch (b) {
    case 0x06: case 0x08: case 0x09: case 0x0b:     /* clts invd wbinvd ud2 */
    case 0x30: case 0x31: case 0x32: case 0x33:     /* wrmsr rdtsc rdmsr rdpmc */
    case 0xa2:                                      /* cpuid */
        break;
    case 0x01:                                      /* group 7: register forms only */
        if (p >= avail)
            return -1;
        out->has_modrm = true;
        out->modrm = buf[p++];
        if (out->modrm != 0xd0 && out->modrm != 0xd1 && out->modrm != 0xf9)
            return -1;                              /* xgetbv xsetbv rdtscp */
        break;
    case 0x20: case 0x21: case 0x22: case 0x23:     /* mov cr/dr: always register */
        if (p >= avail)
            return -1;
        out->has_modrm = true;
        out->modrm = buf[p++];
        break;
    default:
        return -1;
    }
    out->len = p;
    return 0;
}
