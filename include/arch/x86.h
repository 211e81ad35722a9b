/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 architectural definitions and thin wrappers around privileged
 * instructions. Numbers come from the Intel SDM vol. 3.
 */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <shim/types.h>

/* Control registers. */
#define X86_CR0_PE   BIT(0)
#define X86_CR0_MP   BIT(1)
#define X86_CR0_EM   BIT(2)
#define X86_CR0_TS   BIT(3)
#define X86_CR0_NE   BIT(5)
#define X86_CR0_WP   BIT(16)
#define X86_CR0_AM   BIT(18)
#define X86_CR0_PG   BIT(31)
#define X86_CR4_TSD  BIT(2)
#define X86_CR4_DE   BIT(3)
#define X86_CR4_PSE  BIT(4)
#define X86_CR4_PAE  BIT(5)
#define X86_CR4_PGE  BIT(7)
#define X86_CR4_OSFXSR BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)
#define X86_CR4_FSGSBASE BIT(16)
#define X86_CR4_OSXSAVE BIT(18)
#define X86_CR4_SMEP BIT(20)
#define X86_CR4_SMAP BIT(21)

/* RFLAGS. */
#define X86_EFLAGS_CF   BIT(0)
#define X86_EFLAGS_MBS  BIT(1)   /* always one */
#define X86_EFLAGS_TF   BIT(8)
#define X86_EFLAGS_IF   BIT(9)
#define X86_EFLAGS_DF   BIT(10)
#define X86_EFLAGS_IOPL (3ULL << 12)
#define X86_EFLAGS_NT   BIT(14)
#define X86_EFLAGS_RF   BIT(16)
#define X86_EFLAGS_VM   BIT(17)
#define X86_EFLAGS_AC   BIT(18)
#define X86_EFLAGS_VIF  BIT(19)
#define X86_EFLAGS_VIP  BIT(20)
#define X86_EFLAGS_ID   BIT(21)

/* MSRs. */
#define MSR_EFER            0xc0000080
#define MSR_STAR            0xc0000081
#define MSR_LSTAR           0xc0000082
#define MSR_CSTAR           0xc0000083
#define MSR_SYSCALL_MASK    0xc0000084
#define MSR_FS_BASE         0xc0000100
#define MSR_GS_BASE         0xc0000101
#define MSR_KERNEL_GS_BASE  0xc0000102
#define MSR_TSC_AUX         0xc0000103
#define MSR_APIC_BASE       0x0000001b
#define MSR_PAT             0x00000277
#define MSR_MISC_ENABLE     0x000001a0
#define MSR_TSC             0x00000010
#define EFER_SCE  BIT(0)
#define EFER_LME  BIT(8)
#define EFER_LMA  BIT(10)
#define EFER_NXE  BIT(11)

/* Exception vectors. */
#define X86_EXC_DE   0
#define X86_EXC_DB   1
#define X86_EXC_NMI  2
#define X86_EXC_BP   3
#define X86_EXC_OF   4
#define X86_EXC_BR   5
#define X86_EXC_UD   6
#define X86_EXC_NM   7
#define X86_EXC_DF   8
#define X86_EXC_TS   10
#define X86_EXC_NP   11
#define X86_EXC_SS   12
#define X86_EXC_GP   13
#define X86_EXC_PF   14
#define X86_EXC_MF   16
#define X86_EXC_AC   17
#define X86_EXC_MC   18
#define X86_EXC_XM   19
#define X86_EXC_VE   20
#define X86_EXC_CP   21
/* Vectors that push an error code. */
#define X86_EXC_HAVE_EC ((1u << X86_EXC_DF) | (1u << X86_EXC_TS) | \
    (1u << X86_EXC_NP) | (1u << X86_EXC_SS) | (1u << X86_EXC_GP) | \
    (1u << X86_EXC_PF) | (1u << X86_EXC_AC) | (1u << X86_EXC_CP))

/* Page-fault error code bits. */
#define PFEC_PRESENT  BIT(0)
#define PFEC_WRITE    BIT(1)
#define PFEC_USER     BIT(2)
#define PFEC_RSVD     BIT(3)
#define PFEC_INSN     BIT(4)

/* Page-table entry bits. */
#define PTE_P     BIT(0)
#define PTE_RW    BIT(1)
#define PTE_US    BIT(2)
#define PTE_PWT   BIT(3)
#define PTE_PCD   BIT(4)
#define PTE_A     BIT(5)
#define PTE_D     BIT(6)
#define PTE_PSE   BIT(7)
#define PTE_G     BIT(8)
#define PTE_NX    BIT(63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

#ifndef SHIM_HOST_BUILD
static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0,%0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2,%0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3,%0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4,%0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0,%%cr0" :: "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0,%%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0,%%cr4" :: "r"(v) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
                               uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                     : "a"(leaf), "c"(sub));
}
static inline uint32_t cpuid_eax(uint32_t leaf)
{
    uint32_t a, b, c, d;
    cpuid_count(leaf, 0, &a, &b, &c, &d);
    return a;
}
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0,%1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0,%1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1,%0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1,%0" : "=a"(v) : "Nd"(port)); return v; }
/*
 * MMIO of device registers through the (uncached) direct map: one access of
 * exactly the given width, never merged or split by the compiler.
 */
static inline uint8_t mmio_read8(const volatile void *p) { return *(const volatile uint8_t *)p; }
static inline uint16_t mmio_read16(const volatile void *p) { return *(const volatile uint16_t *)p; }
static inline uint32_t mmio_read32(const volatile void *p) { return *(const volatile uint32_t *)p; }
static inline void mmio_write8(volatile void *p, uint8_t v) { *(volatile uint8_t *)p = v; }
static inline void mmio_write16(volatile void *p, uint16_t v) { *(volatile uint16_t *)p = v; }
static inline void mmio_write32(volatile void *p, uint32_t v) { *(volatile uint32_t *)p = v; }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
/* Enable interrupts and wait for one; sti's one-instruction shadow makes this race free. */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* Open a one-instruction window for pending interrupts, then close it again. */
static inline void irq_window(void) { __asm__ volatile("sti; nop; cli" ::: "memory"); }
#endif

#endif
