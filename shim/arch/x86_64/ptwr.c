// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writable page tables (contract 2.5): Linux writes PTEs of its pinned,
 * read-only L1 tables with ordinary stores (mov, xchg, cmpxchg, locked bit
 * and logic operations) and relies on the hypervisor to emulate them. This
 * mirrors Xen's pv/ro-page-fault.c conditions: a write fault on a present
 * read-only mapping, from guest kernel mode, whose target frame is an L1 in
 * use; the store must be naturally aligned. Sub-word stores are widened to
 * the 8-byte entry, and the new entry is validated by the PV MMU exactly as
 * an mmu_update would be.
 *
 * The effective address is CR2 (the CPU computed it), so only the operation,
 * operand size and source operand need decoding; ModRM addressing bytes are
 * merely skipped.
 */
#include <arch/paging.h>
#include <arch/guest-walk.h>
#include <arch/ptwr.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/lib.h>
#include <shim/mm.h>

enum ptwr_op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_OR, OP_AND, OP_XOR, OP_BTS, OP_BTR, OP_BTC };

struct ptwr_insn {
    unsigned int len, size;     /* bytes; operand size 1, 2, 4 or 8 */
    enum ptwr_op op;
    bool src_is_reg;
    unsigned int reg;           /* ModRM.reg with REX.R */
    uint64_t imm;
};

/* Skip ModRM (+SIB, displacement) at buf[p]; returns the new position or 0. */
static size_t skip_modrm(const uint8_t *buf, size_t p, size_t n)
{
    uint8_t modrm, mod, rm;

    if (p >= n)
        return 0;
    modrm = buf[p++];
    mod = modrm >> 6;
    rm = modrm & 7;
    if (mod == 3)
        return 0;               /* register operand: not a memory write */
    if (rm == 4) {              /* SIB */
        if (p >= n)
            return 0;
        if (mod == 0 && (buf[p] & 7) == 5)
            p += 4;             /* no base: disp32 */
        p++;
    }
    if (mod == 1)
        p += 1;
    else if (mod == 2 || (mod == 0 && rm == 5))
        p += 4;                 /* disp32, or RIP-relative disp32 */
    return p <= n ? p : 0;
}

static int decode(const uint8_t *buf, size_t n, struct ptwr_insn *in)
{
    size_t p = 0, q;
    bool opsize16 = false;
    uint8_t rex = 0, b;
    unsigned int imm_len = 0;

    memset(in, 0, sizeof(*in));
    for (; p < n; p++) {
        b = buf[p];
        if (b == 0x66)
            opsize16 = true;
        else if (b != 0xf0 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26 &&
                 b != 0x64 && b != 0x65)
            break;
    }
    if (p < n && (buf[p] & 0xf0) == 0x40)
        rex = buf[p++];
    if (p >= n)
        return -1;
    b = buf[p++];
    in->size = (rex & 8) ? 8 : opsize16 ? 2 : 4;
    if (b == 0x0f) {
        if (p >= n)
            return -1;
        b = buf[p++];
        switch (b) {
        case 0xb0: case 0xb1: in->op = OP_CMPXCHG; in->src_is_reg = true; break;
        case 0xab: in->op = OP_BTS; in->src_is_reg = true; break;
        case 0xb3: in->op = OP_BTR; in->src_is_reg = true; break;
        case 0xbb: in->op = OP_BTC; in->src_is_reg = true; break;
        case 0xba:              /* group 8 with imm8: /5 bts, /6 btr, /7 btc */
            if (p >= n)
                return -1;
            switch ((buf[p] >> 3) & 7) {
            case 5: in->op = OP_BTS; break;
            case 6: in->op = OP_BTR; break;
            case 7: in->op = OP_BTC; break;
            default: return -1;
            }
            imm_len = 1;
            break;
        default:
            return -1;
        }
        if (b == 0xb0)
            in->size = 1;
    } else {
        switch (b) {
        case 0x88: case 0x89: in->op = OP_MOV; in->src_is_reg = true; break;
        case 0x86: case 0x87: in->op = OP_XCHG; in->src_is_reg = true; break;
        case 0x08: case 0x09: in->op = OP_OR; in->src_is_reg = true; break;
        case 0x20: case 0x21: in->op = OP_AND; in->src_is_reg = true; break;
        case 0x30: case 0x31: in->op = OP_XOR; in->src_is_reg = true; break;
        case 0xc6: case 0xc7:
            if (p >= n || ((buf[p] >> 3) & 7) != 0)
                return -1;
            in->op = OP_MOV;
            imm_len = b == 0xc6 ? 1 : in->size == 2 ? 2 : 4;
            break;
        case 0x80: case 0x81: case 0x83:
            if (p >= n)
                return -1;
            switch ((buf[p] >> 3) & 7) {
            case 1: in->op = OP_OR; break;
            case 4: in->op = OP_AND; break;
            case 6: in->op = OP_XOR; break;
            default: return -1;
            }
            imm_len = b == 0x81 ? (in->size == 2 ? 2 : 4) : 1;
            break;
        default:
            return -1;
        }
        /* Byte forms: opcodes with bit 0 clear, and 0x80. */
        if (b == 0x88 || b == 0x86 || b == 0x08 || b == 0x20 || b == 0x30 ||
            b == 0xc6 || b == 0x80)
            in->size = 1;
    }
    in->reg = ((buf[p] >> 3) & 7) | ((rex & 4) ? 8 : 0);
    q = skip_modrm(buf, p, n);
    if (!q || q + imm_len > n)
        return -1;
    for (unsigned int i = 0; i < imm_len; i++)
        in->imm |= (uint64_t)buf[q + i] << (8 * i);
    /* Immediates are sign-extended to the operand size (bit offsets are not). */
    if (imm_len && imm_len < 8 && in->op != OP_BTS && in->op != OP_BTR &&
        in->op != OP_BTC && (in->imm >> (8 * imm_len - 1)) & 1)
        in->imm |= ~0ULL << (8 * imm_len);
    in->len = q + imm_len;
    return 0;
}

bool ptwr_emulate(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
    mfn_t root = v->kernel_mode ? v->guest_table : v->guest_table_user;
    uint64_t pte, old, part, src, res, mask, *slot;
    const struct frame_info *f;
    struct ptwr_insn in;
    uint8_t buf[15];
    unsigned int shift, bit;
    mfn_t l1, target;
    size_t n;

    if (!v->kernel_mode || !guest_walk_l1e(root, cr2, &pte) || !(pte & PTE_P) || (pte & PTE_RW))
        return false;
    target = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
    f = frame_get(target);
    if (!f || f->type != FRAME_TYPE_L1 || !f->type_count)
        return false;

    for (n = 0; n < sizeof(buf); n++)
        if (copy_from_guest(&buf[n], regs->rip + n, 1))
            break;
    if (decode(buf, n, &in) || (cr2 & (in.size - 1)))
        return false;

    l1 = target;
    slot = (uint64_t *)mfn_to_virt(l1) + ((cr2 & ~PAGE_MASK) >> 3);
    old = *slot;
    shift = (cr2 & 7) * 8;
    mask = in.size == 8 ? ~0ULL : ((1ULL << (in.size * 8)) - 1);
    part = (old >> shift) & mask;
    src = (in.src_is_reg ? *regs_gpr(regs, in.reg) : in.imm) & mask;
    bit = (unsigned int)(src & (in.size * 8 - 1));

    switch (in.op) {
    case OP_MOV: case OP_XCHG: res = src; break;
    case OP_OR:  res = part | src; break;
    case OP_AND: res = part & src; break;
    case OP_XOR: res = part ^ src; break;
    case OP_BTS: res = part | (1ULL << bit); break;
    case OP_BTR: res = part & ~(1ULL << bit); break;
    case OP_BTC: res = part ^ (1ULL << bit); break;
    case OP_CMPXCHG:
        res = ((regs->rax & mask) == part) ? src : part;
        break;
    default:
        return false;
    }
    if (res != part &&
        mm_ptwr_write(l1, (cr2 & ~PAGE_MASK) & ~7ULL, (old & ~(mask << shift)) | (res << shift)))
        return false;
    if (mm_take_tlb_flush_request())
        flush_tlb_local();      /* other CPUs were flushed at the type change */

    /* Architectural side effects the guest may rely on. */
    switch (in.op) {
    case OP_XCHG:
        *regs_gpr(regs, in.reg) = in.size >= 4 ? part : ((*regs_gpr(regs, in.reg) & ~mask) | part);
        break;
    case OP_CMPXCHG:
        regs->rflags &= ~0x8d5ULL;          /* arithmetic flags from cmp */
        if ((regs->rax & mask) == part)
            regs->rflags |= BIT(6);         /* ZF */
        else
            regs->rax = in.size >= 4 ? part : ((regs->rax & ~mask) | part);
        break;
    case OP_BTS: case OP_BTR: case OP_BTC:
        regs->rflags = (regs->rflags & ~1ULL) | ((part >> bit) & 1);    /* CF = old bit */
        break;
    case OP_OR: case OP_AND: case OP_XOR:
        regs->rflags &= ~0x8d5ULL;
        if (!res)
            regs->rflags |= BIT(6);
        if ((res >> (in.size * 8 - 1)) & 1)
            regs->rflags |= BIT(7);         /* SF */
        break;
    default:
        break;
    }
    regs->rip += in.len;
    return true;
}
