// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSR accesses of the guest kernel (contract 3.8, Xen pv/emul-priv-op.c
 * read_msr/write_msr). The guest's FS base is the hardware one (the shim
 * never uses FS); its active GS base sits in KERNEL_GS_BASE while the shim
 * runs (see entry.S), the inactive one in struct vcpu.
 */
#include <arch/traps.h>
#include <arch/x86.h>
#include <shim/guest-access.h>

#define APIC_BASE_BSP     BIT(8)
#define APIC_BASE_ENABLE  BIT(11)
#define MISC_ENABLE_FAST_STRING   BIT(0)
#define MISC_ENABLE_BTS_UNAVAIL   BIT(11)
#define MISC_ENABLE_PEBS_UNAVAIL  BIT(12)

int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return 0;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_KERNEL_GS_BASE);
        return 0;
    case MSR_KERNEL_GS_BASE:
        *val = v->gs_base_inactive;
        return 0;
    case MSR_EFER:
        *val = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
        return 0;
    case MSR_APIC_BASE:
        *val = 0xfee00000ULL | APIC_BASE_ENABLE | (v->id == 0 ? APIC_BASE_BSP : 0);
        return 0;
    case MSR_PAT:
        *val = XEN_MSR_PAT;
        return 0;
    case MSR_MISC_ENABLE:
        *val = MISC_ENABLE_FAST_STRING | MISC_ENABLE_BTS_UNAVAIL |
               MISC_ENABLE_PEBS_UNAVAIL;
        return 0;
    case MSR_TSC:
        *val = rdtsc();
        return 0;
    case MSR_TSC_AUX:
        *val = v->id;
        return 0;
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SYSCALL_MASK:
        *val = 0;
        return 0;
    default:
        /* Xen fakes 0 for reads while the guest cannot take a #GP yet. */
        if (!v->traps[X86_EXC_GP].address) {
            *val = 0;
            return 0;
        }
        return -1;
    }
}

int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case MSR_FS_BASE:
        if (val && !guest_range_ok(val, 1))
            return -1;
        wrmsr(MSR_FS_BASE, val);
        return 0;
    case MSR_GS_BASE:
        if (val && !guest_range_ok(val, 1))
            return -1;
        wrmsr(MSR_KERNEL_GS_BASE, val);
        return 0;
    case MSR_KERNEL_GS_BASE:
        if (val && !guest_range_ok(val, 1))
            return -1;
        v->gs_base_inactive = val;
        return 0;
    case MSR_PAT:
        /* The PAT is fixed by the PV ABI; only its own value may be written. */
        return val == XEN_MSR_PAT ? 0 : -1;
    case MSR_EFER:
        return val == (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE) ? 0 : -1;
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SYSCALL_MASK:
        return 0;   /* the shim owns SYSCALL; Linux drops these writes too */
    default:
        return -1;
    }
}
