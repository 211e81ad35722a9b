// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulation of what the guest kernel, running in ring 3, cannot execute
 * itself (contract 3.7-3.8; Xen pv/emul-priv-op.c, emul-inv-op.c).
 *
 * The shim never trusts the #GP error code to say what faulted: QEMU 7.2
 * TCG reports a wrong one for `int $n` in 64-bit mode. It reads the
 * instruction bytes from the guest and decodes them (insn.c). Whatever it
 * does not emulate is reflected to the guest with the original fault.
 */
#include <arch/extable.h>
#include <arch/insn.h>
#include <arch/paging.h>
#include <arch/traps.h>
#include <arch/vpit.h>
#include <arch/x86.h>
#include <shim/guest-access.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/mm.h>

/* "ud2; .ascii 'xen'" then cpuid: Xen's forced-emulation prefix. */
static const uint8_t xen_emul_prefix[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

/* Read up to 15 instruction bytes; stops early at an unreadable byte. */
static size_t fetch_insn(uint64_t rip, uint8_t *buf)
{
    size_t n;

    if (!copy_from_guest(buf, rip, INSN_MAX_LEN))
        return INSN_MAX_LEN;
    for (n = 0; n < INSN_MAX_LEN; n++)
        if (copy_from_guest(&buf[n], rip + n, 1))
            break;
    return n;
}

static void do_cpuid(struct vcpu *v, struct cpu_regs *r)
{
    uint32_t res[4];

    guest_cpuid(v, (uint32_t)r->rax, (uint32_t)r->rcx, res);
    r->rax = res[0];
    r->rbx = res[1];
    r->rcx = res[2];
    r->rdx = res[3];
}

void emulate_ud(struct vcpu *v, struct cpu_regs *regs)
{
    uint8_t buf[INSN_MAX_LEN];
    size_t n = fetch_insn(regs->rip, buf);

    if (n >= sizeof(xen_emul_prefix) &&
        !memcmp(buf, xen_emul_prefix, sizeof(xen_emul_prefix))) {
        do_cpuid(v, regs);
        regs->rip += sizeof(xen_emul_prefix);
        return;
    }
    pv_inject_trap(v, regs, X86_EXC_UD, false, 0);
}

static bool io_permitted(const struct vcpu *v)
{
    /* The PV kernel counts as ring 1 for the IOPL check (Xen iopl_ok). */
    return v->iopl >= (v->kernel_mode ? 1u : 3u);
}

static void io_in(struct cpu_regs *r, uint16_t port, unsigned int size)
{
    /* No devices are passed through: reads float high, as on Xen. */
    uint64_t val = size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffff;
    uint64_t mask = val;
    uint8_t b;

    if (size == 1 && vpit_read(port, &b))
        val = b;
    if (size == 4)
        r->rax = val;
    else
        r->rax = (r->rax & ~mask) | val;
}

static void io_out(const struct cpu_regs *r, uint16_t port, unsigned int size)
{
    /* Only the virtual PIT listens; everything else goes nowhere. */
    if (size == 1)
        (void)vpit_write(port, (uint8_t)r->rax);
}

static unsigned int io_size(const struct insn *i)
{
    return (i->opcode & 1) ? (i->opsize16 ? 2 : 4) : 1;
}

static uint64_t read_cr(struct vcpu *v, unsigned int n, bool *ok)
{
    *ok = true;
    switch (n) {
    case 0:
        return (read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
    case 2:
        return v->vcpu_info->arch.cr2;
    case 3:
        return xen_pfn_to_cr3(v->kernel_mode ? v->guest_table : v->guest_table_user);
    case 4:
        return v->cr4_virtual;
    default:
        *ok = false;
        return 0;
    }
}

/* Bits of CR4 a PV guest may change (Xen pv_fixup_guest_cr4 keeps these). */
#define GUEST_CR4_WRITABLE (X86_CR4_TSD | X86_CR4_DE | X86_CR4_OSXSAVE | \
                            X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_PGE | \
                            X86_CR4_PSE)

static bool write_cr(struct vcpu *v, unsigned int n, uint64_t val)
{
    switch (n) {
    case 0:
        /* Only TS is the guest's to change; other bits are ignored. */
        v->fpu_ts = val & X86_CR0_TS;
        write_cr0((read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0));
        return true;
    case 2:
        v->vcpu_info->arch.cr2 = val;
        return true;
    case 4:
        /* Recorded as the guest's view; the real CR4 stays the shim's. */
        v->cr4_virtual = (v->cr4_virtual & ~GUEST_CR4_WRITABLE) |
                         (val & GUEST_CR4_WRITABLE);
        return true;
    default:
        return false;       /* CR3 writes go through MMUEXT_NEW_BASEPTR */
    }
}

/* Returns true if the instruction was handled (emulated or reflected). */
static bool emulate_priv(struct vcpu *v, struct cpu_regs *r, const struct insn *i)
{
    uint64_t val;
    bool ok;

    if (!i->twobyte) {
        switch (i->opcode) {
        case 0xcd:      /* int n through a DPL-0 gate: check the guest's DPL */
            if ((v->traps[i->imm8].flags & 3) >= (v->kernel_mode ? 1u : 3u)) {
                r->rip += i->len;
                pv_inject_trap(v, r, i->imm8, false, 0);
            } else {
                pv_inject_trap(v, r, X86_EXC_GP, true, ((uint64_t)i->imm8 << 3) | 2);
            }
            return true;
        case 0xfa: case 0xfb:   /* cli/sti: no-ops when IOPL allows */
            if (!io_permitted(v))
                return false;
            r->rip += i->len;
            return true;
        case 0xe4: case 0xe5: case 0xec: case 0xed:
            if (!io_permitted(v))
                return false;
            /* e4/e5 take the port as imm8, ec/ed from DX. */
            io_in(r, i->opcode < 0xe8 ? i->imm8 : (uint16_t)r->rdx, io_size(i));
            r->rip += i->len;
            return true;
        case 0xe6: case 0xe7: case 0xee: case 0xef:
            if (!io_permitted(v))
                return false;
            io_out(r, i->opcode < 0xe8 ? i->imm8 : (uint16_t)r->rdx, io_size(i));
            r->rip += i->len;
            return true;
        default:
            return false;
        }
    }

    /* Everything below is privileged: guest kernel mode only. */
    if (!v->kernel_mode)
        return false;
    switch (i->opcode) {
    case 0x06:          /* clts */
        v->fpu_ts = false;
        __asm__ volatile("clts");
        break;
    case 0x08: case 0x09:   /* invd, wbinvd: nothing to do for a domU */
        break;
    case 0x20:          /* mov %crN, reg */
        val = read_cr(v, insn_reg(i), &ok);
        if (!ok)
            return false;
        *regs_gpr(r, insn_rm(i)) = val;
        break;
    case 0x22:          /* mov reg, %crN */
        if (!write_cr(v, insn_reg(i), *regs_gpr(r, insn_rm(i))))
            return false;
        break;
    case 0x30:          /* wrmsr */
        if (guest_wrmsr(v, (uint32_t)r->rcx,
                        ((r->rdx & 0xffffffff) << 32) | (r->rax & 0xffffffff)))
            return false;
        break;
    case 0x32:          /* rdmsr */
        if (guest_rdmsr(v, (uint32_t)r->rcx, &val))
            return false;
        r->rax = (uint32_t)val;
        r->rdx = val >> 32;
        break;
    case 0x01:
        if (i->modrm == 0xd1) {     /* xsetbv */
            if ((uint32_t)r->rcx != 0 || !(r->rax & 1))
                return false;
            /* The shim keeps no XSAVE state of its own: let the CPU judge. */
            if (arch_xsetbv_safe(((r->rdx & 0xffffffff) << 32) | (r->rax & 0xffffffff)))
                return false;
            break;
        }
        return false;
    case 0xa2:          /* cpuid under CPUID faulting */
        do_cpuid(v, r);
        break;
    default:
        return false;
    }
    r->rip += i->len;
    return true;
}

void emulate_gp(struct vcpu *v, struct cpu_regs *regs)
{
    uint8_t buf[INSN_MAX_LEN];
    size_t n = fetch_insn(regs->rip, buf);
    struct insn i;

    /*
     * Privileged instructions fault with error code 0. `int $n` is decoded
     * whatever the error code says (QEMU 7.2 gets it wrong); any other
     * non-zero code is a segment problem for the guest to handle.
     */
    if (n && !insn_decode(buf, n, &i) &&
        ((!i.twobyte && i.opcode == 0xcd) || regs->error_code == 0) &&
        emulate_priv(v, regs, &i))
        return;
    pv_inject_trap(v, regs, X86_EXC_GP, true, regs->error_code);
}
