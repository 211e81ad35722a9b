// SPDX-License-Identifier: GPL-2.0-only
/*
 * The privileged-instruction decoder (shim/arch/x86_64/insn.c) checked
 * differentially against capstone: every form it accepts, under legacy
 * prefixes and REX, must have capstone's length and be the same instruction
 * (with the same ModRM register numbers); cut-short and unsupported bytes
 * must give -1. Generated sweeps and random bytes: test-insn-sweep.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "insn-test.h"

csh insn_cs;
static cs_insn *cs_out;     /* reused, so a failed assertion leaks nothing */
static const char *current_hex; /* the bytes under test, for failure messages */
static const uint8_t *current_bytes;
static size_t current_n;

int insn_test_setup(void **state)
{
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &insn_cs) != CS_ERR_OK ||
        cs_option(insn_cs, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK)
        return -1;
    cs_out = cs_malloc(insn_cs);
    return cs_out ? 0 : -1;
}

int insn_test_teardown(void **state)
{
    cs_free(cs_out, 1);
    cs_close(&insn_cs);
    return 0;
}

int decode_exact(const uint8_t *bytes, size_t n, struct insn *out)
{
    uint8_t *buf = malloc(n ? n : 1);
    int rc;

    assert_non_null(buf);
    memcpy(buf, bytes, n);
    rc = insn_decode(buf, n, out);
    free(buf);
    return rc;
}

static const x86_reg gpr64[16] = {
    X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
    X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
    X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
};

static bool has_67(const struct insn *i)
{
    for (size_t k = 0; k < current_n && current_bytes[k] != i->rex &&
         current_bytes[k] != i->opcode; k++)
        if (current_bytes[k] == 0x67)
            return true;
    return false;
}

/*
 * Two capstone 4 (LLVM decoder) width slips for in/out/ins/outs, where the
 * CPU applies 66 and ignores REX.W (SDM vol. 2 2.1.1, IN/OUT):
 *  - 66 before f2/f3 is dropped as if it were a mandatory prefix (32-bit);
 *  - 67 with REX.W is read as a 16-bit operand.
 * The one width the decoder implies is what must hold; capstone's alternative
 * is tolerated only under those prefix combinations.
 */
static bool width_quirk(const struct insn *i, bool capstone_says_16)
{
    if (capstone_says_16)
        return !i->opsize16 && (i->rex & 8) && has_67(i);
    return i->opsize16 && i->rep;
}

/* The operand register emulate.c uses for in/out: AL, AX or EAX. */
static void check_acc(const struct insn *i, x86_reg reg)
{
    x86_reg want = !(i->opcode & 1) ? X86_REG_AL : i->opsize16 ? X86_REG_AX : X86_REG_EAX;

    if (reg != want && !(want != X86_REG_AL && width_quirk(i, reg == X86_REG_AX)))
        fail_msg("%s: in/out register %d, decoder implies %d", current_hex, reg, want);
}

static void check_string(const struct insn *i, unsigned int id, unsigned int w16,
                         unsigned int w32)
{
    if (id != (i->opsize16 ? w16 : w32) && !width_quirk(i, id == w16))
        fail_msg("%s: ins/outs id %u, decoder implies %u", current_hex, id,
                 i->opsize16 ? w16 : w32);
}

static void check_operands(const cs_x86 *x, x86_reg r0, x86_reg r1)
{
    assert_int_equal(x->op_count, 2);
    assert_int_equal(x->operands[0].type, X86_OP_REG);
    assert_int_equal(x->operands[0].reg, r0);
    assert_int_equal(x->operands[1].type, X86_OP_REG);
    assert_int_equal(x->operands[1].reg, r1);
}

/* What the decoder says the instruction is, checked against capstone's view. */
static void check_class(const struct insn *i, const cs_insn *c)
{
    const cs_x86 *x = &c->detail->x86;
    x86_reg cr = X86_REG_CR0 + insn_reg(i), dr = X86_REG_DR0 + insn_reg(i);

    if (!i->twobyte) {
        switch (i->opcode) {
        case 0xcc: assert_int_equal(c->id, X86_INS_INT3); return;
        case 0xcd:
            assert_int_equal(c->id, X86_INS_INT);
            assert_int_equal(x->operands[0].imm, i->imm8);
            return;
        case 0xe4: case 0xe5: case 0xec: case 0xed:
            assert_int_equal(c->id, X86_INS_IN);
            assert_int_equal(x->op_count, 2);
            check_acc(i, x->operands[0].reg);
            if (i->opcode & 8)
                assert_int_equal(x->operands[1].reg, X86_REG_DX);
            else
                assert_int_equal(x->operands[1].imm, i->imm8);
            return;
        case 0xe6: case 0xe7: case 0xee: case 0xef:
            assert_int_equal(c->id, X86_INS_OUT);
            assert_int_equal(x->op_count, 2);
            check_acc(i, x->operands[1].reg);
            if (i->opcode & 8)
                assert_int_equal(x->operands[0].reg, X86_REG_DX);
            else
                assert_int_equal(x->operands[0].imm, i->imm8);
            return;
        case 0x6c: assert_int_equal(c->id, X86_INS_INSB); return;
        case 0x6d: check_string(i, c->id, X86_INS_INSW, X86_INS_INSD); return;
        case 0x6e: assert_int_equal(c->id, X86_INS_OUTSB); return;
        case 0x6f: check_string(i, c->id, X86_INS_OUTSW, X86_INS_OUTSD); return;
        case 0xf4: assert_int_equal(c->id, X86_INS_HLT); return;
        case 0xfa: assert_int_equal(c->id, X86_INS_CLI); return;
        case 0xfb: assert_int_equal(c->id, X86_INS_STI); return;
        default: fail_msg("decoder accepted one-byte opcode %#x", i->opcode);
        }
    }
    switch (i->opcode) {
    case 0x06: assert_int_equal(c->id, X86_INS_CLTS); return;
    case 0x08: assert_int_equal(c->id, X86_INS_INVD); return;
    case 0x09: assert_int_equal(c->id, X86_INS_WBINVD); return;
    case 0x0b: assert_int_equal(c->id, X86_INS_UD2); return;
    case 0x30: assert_int_equal(c->id, X86_INS_WRMSR); return;
    case 0x31: assert_int_equal(c->id, X86_INS_RDTSC); return;
    case 0x32: assert_int_equal(c->id, X86_INS_RDMSR); return;
    case 0x33: assert_int_equal(c->id, X86_INS_RDPMC); return;
    case 0xa2: assert_int_equal(c->id, X86_INS_CPUID); return;
    case 0x01:
        assert_true(i->has_modrm);
        assert_int_equal(c->id, i->modrm == 0xd0 ? X86_INS_XGETBV :
                                i->modrm == 0xd1 ? X86_INS_XSETBV : X86_INS_RDTSCP);
        return;
    case 0x20: case 0x21: case 0x22: case 0x23:
        /* emulate.c reads the control/debug register from reg, the GPR from rm. */
        assert_true(i->has_modrm);
        assert_int_equal(c->id, X86_INS_MOV);
        if (i->opcode == 0x20)
            check_operands(x, gpr64[insn_rm(i)], cr);
        else if (i->opcode == 0x22)
            check_operands(x, cr, gpr64[insn_rm(i)]);
        else if (i->opcode == 0x21)
            check_operands(x, gpr64[insn_rm(i)], dr);
        else
            check_operands(x, dr, gpr64[insn_rm(i)]);
        return;
    default: fail_msg("decoder accepted 0f %#x", i->opcode);
    }
}

void check_against_capstone(const uint8_t *bytes, size_t n, const struct insn *i)
{
    const uint8_t *code = bytes;
    size_t size = n;
    uint64_t addr = 0;
    bool ok = cs_disasm_iter(insn_cs, &code, &size, &addr, cs_out);
    const cs_insn *c = cs_out;
    char hex[3 * INSN_MAX_LEN + 1] = "";

    for (size_t k = 0; k < n && k < INSN_MAX_LEN; k++)
        snprintf(hex + 3 * k, 4, "%02x ", bytes[k]);
    if (!ok || c->size != i->len)
        fail_msg("%s: decoder len %u, capstone %s (%u bytes)", hex, i->len,
                 ok ? c->mnemonic : "invalid", ok ? c->size : 0);
    current_hex = hex;
    current_bytes = bytes;
    current_n = i->len;
    check_class(i, c);
    current_hex = NULL;     /* hex lives on this stack frame only */
    current_bytes = NULL;
}

int decode_and_compare(const uint8_t *bytes, size_t n, struct insn *out)
{
    int rc = decode_exact(bytes, n, out);

    if (rc == 0)
        check_against_capstone(bytes, n, out);
    else
        assert_int_equal(rc, -1);
    return rc;
}

struct form {
    uint8_t len;
    uint8_t b[4];
};

/* Every instruction the decoder is meant to accept (insn.h). */
static const struct form accepted[] = {
    { 1, { 0xcc } }, { 2, { 0xcd, 0x80 } }, { 2, { 0xcd, 0x00 } }, { 2, { 0xcd, 0xff } },
    { 2, { 0xe4, 0x61 } }, { 2, { 0xe5, 0x40 } }, { 2, { 0xe6, 0x80 } }, { 2, { 0xe7, 0x43 } },
    { 1, { 0xec } }, { 1, { 0xed } }, { 1, { 0xee } }, { 1, { 0xef } },
    { 1, { 0x6c } }, { 1, { 0x6d } }, { 1, { 0x6e } }, { 1, { 0x6f } },
    { 1, { 0xf4 } }, { 1, { 0xfa } }, { 1, { 0xfb } },
    { 2, { 0x0f, 0x06 } }, { 2, { 0x0f, 0x08 } }, { 2, { 0x0f, 0x09 } }, { 2, { 0x0f, 0x0b } },
    { 2, { 0x0f, 0x30 } }, { 2, { 0x0f, 0x31 } }, { 2, { 0x0f, 0x32 } }, { 2, { 0x0f, 0x33 } },
    { 2, { 0x0f, 0xa2 } },
    { 3, { 0x0f, 0x01, 0xd0 } }, { 3, { 0x0f, 0x01, 0xd1 } }, { 3, { 0x0f, 0x01, 0xf9 } },
    { 3, { 0x0f, 0x20, 0xc0 } }, { 3, { 0x0f, 0x20, 0xe3 } }, { 3, { 0x0f, 0x22, 0xd8 } },
    { 3, { 0x0f, 0x22, 0xe7 } }, { 3, { 0x0f, 0x21, 0xf8 } }, { 3, { 0x0f, 0x23, 0xc1 } },
    /* mod != 3 still names registers: MOV CR/DR ignore mod (SDM vol. 2). */
    { 3, { 0x0f, 0x20, 0x00 } }, { 3, { 0x0f, 0x22, 0x5d } },
};

static const struct { uint8_t len; uint8_t b[4]; bool o16, rep; } prefixes[] = {
    { 0, { 0 }, false, false }, { 1, { 0x66 }, true, false },
    { 1, { 0xf3 }, false, true }, { 1, { 0xf2 }, false, true },
    { 1, { 0x67 }, false, false }, { 1, { 0x2e }, false, false },
    { 1, { 0x3e }, false, false }, { 1, { 0x26 }, false, false },
    { 1, { 0x64 }, false, false }, { 1, { 0x65 }, false, false },
    { 1, { 0x36 }, false, false }, { 2, { 0x66, 0xf3 }, true, true },
    { 3, { 0x67, 0x66, 0x2e }, true, false }, { 4, { 0xf2, 0x65, 0x67, 0x66 }, true, true },
};

static const uint8_t rexes[] = { 0, 0x40, 0x41, 0x44, 0x45, 0x48, 0x4c, 0x4d, 0x4f };

static void test_accepted_forms(void **state)
{
    for (size_t f = 0; f < ARRAY_SIZE(accepted); f++)
        for (size_t p = 0; p < ARRAY_SIZE(prefixes); p++)
            for (size_t r = 0; r < ARRAY_SIZE(rexes); r++) {
                uint8_t buf[INSN_MAX_LEN];
                size_t n = 0;
                struct insn i;

                memcpy(buf, prefixes[p].b, prefixes[p].len);
                n += prefixes[p].len;
                if (rexes[r])
                    buf[n++] = rexes[r];
                memcpy(buf + n, accepted[f].b, accepted[f].len);
                n += accepted[f].len;
                /* Exactly the instruction, then with trailing bytes. */
                for (size_t extra = 0; extra <= 3 && n + extra <= sizeof(buf); extra += 3) {
                    memset(buf + n, 0x90, extra);
                    assert_int_equal(decode_and_compare(buf, n + extra, &i), 0);
                    assert_int_equal(i.len, n);
                    assert_int_equal(i.rex, rexes[r]);
                    assert_int_equal(i.opsize16, prefixes[p].o16);
                    assert_int_equal(i.rep, prefixes[p].rep);
                    assert_int_equal(i.twobyte, accepted[f].b[0] == 0x0f);
                }
            }
}

/* Cut short anywhere, an accepted form is -1 and nothing past avail is read. */
static void test_truncated(void **state)
{
    for (size_t f = 0; f < ARRAY_SIZE(accepted); f++) {
        uint8_t buf[8] = { 0x66, 0x48 };
        struct insn i;
        size_t n = 2 + accepted[f].len;

        memcpy(buf + 2, accepted[f].b, accepted[f].len);
        for (size_t cut = 0; cut < n; cut++)
            assert_int_equal(decode_exact(buf, cut, &i), -1);
        assert_int_equal(decode_exact(buf, n, &i), 0);
    }
}

/* Common instructions outside the set, including privileged ones. */
static const struct form rejected[] = {
    { 1, { 0x90 } }, { 3, { 0x48, 0x89, 0xd8 } }, { 1, { 0x50 } }, { 1, { 0xc3 } },
    { 2, { 0x48, 0xcf } },                          /* iretq */
    { 2, { 0x0f, 0x05 } }, { 2, { 0x0f, 0x07 } },   /* syscall, sysret */
    { 2, { 0x0f, 0x34 } }, { 2, { 0x0f, 0x35 } },   /* sysenter, sysexit */
    { 3, { 0x0f, 0x01, 0xf8 } },                    /* swapgs */
    { 3, { 0x0f, 0x01, 0xc1 } }, { 3, { 0x0f, 0x01, 0xd9 } },  /* vmcall, vmmcall */
    { 3, { 0x0f, 0x01, 0xc8 } }, { 3, { 0x0f, 0x01, 0xc9 } },  /* monitor, mwait */
    { 3, { 0x0f, 0x01, 0xca } }, { 3, { 0x0f, 0x01, 0xcb } },  /* clac, stac */
    { 3, { 0x0f, 0x01, 0x10 } }, { 3, { 0x0f, 0x01, 0x18 } },  /* lgdt, lidt [rax] */
    { 3, { 0x0f, 0x01, 0x38 } },                    /* invlpg [rax] */
    { 3, { 0x0f, 0x00, 0xd8 } }, { 3, { 0x0f, 0x00, 0xd0 } },  /* ltr, lldt */
    { 1, { 0x9c } }, { 1, { 0x9d } },               /* pushf, popf */
    { 2, { 0x8e, 0xd0 } },                          /* mov ss, ax */
    { 3, { 0xc5, 0xf8, 0x77 } }, { 4, { 0xc4, 0xe1, 0x7c, 0x77 } },  /* VEX */
    { 3, { 0x0f, 0xae, 0xf0 } },                    /* mfence-space: 0f ae */
    { 2, { 0x0f, 0x0e } },                          /* femms */
    { 2, { 0x0f, 0x00 } },                          /* group 6, cut */
    /* Regression: lock is #UD on all of these, and AMD reads `lock mov cr0`
     * as mov cr8; the decoder used to accept it as CR0. */
    { 4, { 0xf0, 0x0f, 0x20, 0xc0 } }, { 4, { 0xf0, 0x0f, 0x22, 0xc0 } },
    { 2, { 0xf0, 0xfa } }, { 3, { 0xf0, 0x0f, 0x30 } },
    /* Regression: into (ce) does not exist in 64-bit mode (#UD). */
    { 1, { 0xce } }, { 2, { 0x48, 0xce } },
};

static void test_rejected(void **state)
{
    for (size_t f = 0; f < ARRAY_SIZE(rejected); f++) {
        uint8_t buf[INSN_MAX_LEN];
        struct insn i;

        memset(buf, 0, sizeof(buf));
        memcpy(buf, rejected[f].b, rejected[f].len);
        assert_int_equal(decode_exact(buf, sizeof(buf), &i), -1);
    }
}

/* Prefixes count toward the 15-byte limit, as in capstone and the CPU. */
static void test_length_limit(void **state)
{
    uint8_t buf[INSN_MAX_LEN + 4];
    struct insn i;

    for (size_t np = 0; np <= 16; np++) {
        memset(buf, 0x2e, np);
        buf[np] = 0xf4;
        int rc = decode_and_compare(buf, MIN(np + 1, sizeof(buf)), &i);

        assert_int_equal(rc, np + 1 <= INSN_MAX_LEN ? 0 : -1);
    }
    /* A REX before a legacy prefix does not count as REX: refused. */
    buf[0] = 0x48; buf[1] = 0x66; buf[2] = 0xf4;
    assert_int_equal(decode_exact(buf, 3, &i), -1);
    /* Nothing at all. */
    assert_int_equal(decode_exact(buf, 0, &i), -1);
}

/* emulate.c's view of `mov %cr3, %r13` and `mov %rax, %cr8` style operands. */
static void test_register_numbers(void **state)
{
    static const uint8_t a[] = { 0x41, 0x0f, 0x20, 0xdd };  /* mov r13, cr3 */
    static const uint8_t b[] = { 0x44, 0x0f, 0x22, 0xc0 };  /* mov cr8, rax */
    static const uint8_t c[] = { 0x45, 0x0f, 0x23, 0xff };  /* mov dr15, r15 */
    struct insn i;

    assert_int_equal(decode_and_compare(a, sizeof(a), &i), 0);
    assert_int_equal(insn_reg(&i), 3);
    assert_int_equal(insn_rm(&i), 13);
    assert_int_equal(decode_and_compare(b, sizeof(b), &i), 0);
    assert_int_equal(insn_reg(&i), 8);
    assert_int_equal(insn_rm(&i), 0);
    assert_int_equal(decode_and_compare(c, sizeof(c), &i), 0);
    assert_int_equal(insn_reg(&i), 15);
    assert_int_equal(insn_rm(&i), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_forms),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_register_numbers),
        INSN_SWEEP_TESTS,
    };

    return cmocka_run_group_tests_name("insn", tests, insn_test_setup, insn_test_teardown);
}
