// SPDX-License-Identifier: GPL-2.0-only
/*
 * GDT, IDT and TSS of each CPU, and the SYSCALL MSRs.
 *
 * The reserved GDT page (selectors 0xe000-0xefff) follows Xen's 64-bit
 * layout: 0xe008 ring-0 code, 0xe010 ring-0 data, 0xe023 ring-3 compat code,
 * 0xe02b ring-3 data, 0xe033 ring-3 64-bit code, 0xe040 TSS, 0xe050 LDT. The
 * ring-3 trio is consecutive because SYSRET derives CS and SS from one base
 * (STAR[63:48] = 0xe023).
 *
 * IDT: every gate is an interrupt gate (the shim runs with interrupts off)
 * with DPL 0, except #BP, #OF and int $0x80, which guests raise with a
 * software interrupt and Xen lets through at DPL 3. Any other `int $n` from
 * the guest becomes #GP, which the shim decodes (traps.c).
 */
#include <arch/desc.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/x86.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>

#define IST_NMI  1
#define IST_DF   2
#define IST_MC   3

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type_attr;
    uint16_t off_mid;
    uint32_t off_hi, rsvd;
} __packed;

static struct idt_gate idt[256] __aligned(16);
static uint64_t *reserved_gdt_page[PCPU_MAX_CPUS];
static paddr_t zero_frame;
extern char idt_stubs[], syscall_entry64[], syscall_entry32[];

static void set_gate(unsigned int vec, unsigned int dpl, unsigned int ist)
{
    uint64_t addr = (uint64_t)(uintptr_t)idt_stubs + vec * 16;

    idt[vec] = (struct idt_gate){
        .off_lo = addr & 0xffff, .sel = SHIM_CS, .ist = ist,
        .type_attr = 0x8e | (dpl << 5),     /* present, 64-bit interrupt gate */
        .off_mid = (addr >> 16) & 0xffff, .off_hi = addr >> 32,
    };
}

static void set_system_desc(uint64_t *slot, uint64_t base, uint32_t limit,
                            unsigned int type)
{
    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
              ((uint64_t)type << 40) | (1ULL << 47) |
              ((uint64_t)((limit >> 16) & 0xf) << 48) |
              (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

void gdt_map_guest_page(unsigned int cpu, unsigned int n, mfn_t mfn)
{
    /*
     * Writable for the CPU, which sets accessed bits in descriptors it loads;
     * the guest itself only ever has read-only mappings of these frames.
     */
    if (mfn)
        desc_area_map(cpu, n, mfn << PAGE_SHIFT, true);
    else
        desc_area_map(cpu, n, zero_frame, false);
}

void gdt_set_ldt_desc(unsigned int cpu, uint64_t base, uint32_t limit)
{
    set_system_desc(&reserved_gdt_page[cpu][SHIM_LDT_SEL / 8 - 7168], base, limit, 0x2);
}

void desc_init_cpu(unsigned int cpu)
{
    struct percpu *pc = this_cpu();
    uint64_t *g;
    struct { uint16_t limit; uint64_t base; } __packed gdtr;

    if (!zero_frame)
        zero_frame = alloc_frames(1, 1);
    g = alloc_pages_virt(1);
    reserved_gdt_page[cpu] = g;
    g[0xe008 / 8 - 7168] = 0x00af9b000000ffffULL;  /* ring-0 code, L */
    g[0xe010 / 8 - 7168] = 0x00cf93000000ffffULL;  /* ring-0 data */
    g[0xe020 / 8 - 7168] = 0x00cffb000000ffffULL;  /* ring-3 code, 32-bit */
    g[0xe028 / 8 - 7168] = 0x00cff3000000ffffULL;  /* ring-3 data */
    g[0xe030 / 8 - 7168] = 0x00affb000000ffffULL;  /* ring-3 code, L */
    set_system_desc(&g[SHIM_TSS_SEL / 8 - 7168], (uint64_t)(uintptr_t)&pc->tss,
                    sizeof(pc->tss) - 1, 0x9);      /* available 64-bit TSS */
    for (unsigned int i = 0; i < GDT_GUEST_PAGES; i++)
        gdt_map_guest_page(cpu, i, 0);
    desc_area_map(cpu, GDT_GUEST_PAGES, virt_to_phys(g), true);

    gdtr.limit = GDT_LIMIT;
    gdtr.base = desc_area_gdt_base(cpu);
    __asm__ volatile("lgdt %0" :: "m"(gdtr));
    /* Reload CS through a far return, then the data segments. */
    __asm__ volatile(
        "pushq %0\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %1, %%ss\n\t"
        "xor %%eax, %%eax\n\t"
        "mov %%eax, %%ds\n\t"
        "mov %%eax, %%es\n\t"
        :: "i"(SHIM_CS), "r"((uint32_t)SHIM_DS) : "rax", "memory");
}

void traps_init_cpu(unsigned int cpu)
{
    struct percpu *pc = this_cpu();
    struct { uint16_t limit; uint64_t base; } __packed idtr;

    if (cpu == 0) {
        for (unsigned int v = 0; v < 256; v++)
            set_gate(v, 0, 0);
        set_gate(X86_EXC_BP, 3, 0);
        set_gate(X86_EXC_OF, 3, 0);
        set_gate(0x80, 3, 0);
        set_gate(X86_EXC_NMI, 0, IST_NMI);
        set_gate(X86_EXC_DF, 0, IST_DF);
        set_gate(X86_EXC_MC, 0, IST_MC);
    }
    pc->tss.rsp[0] = pc->stack_top;
    for (unsigned int i = IST_NMI; i <= IST_MC; i++)
        pc->tss.ist[i - 1] = (uint64_t)(uintptr_t)alloc_pages_virt(2) + 2 * PAGE_SIZE;
    pc->tss.iomap_base = sizeof(pc->tss);   /* no I/O bitmap: all guest port I/O traps */
    __asm__ volatile("ltr %w0" :: "r"((uint16_t)SHIM_TSS_SEL));

    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" :: "m"(idtr));

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, (0xe023ULL << 48) | ((uint64_t)SHIM_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry64);
    wrmsr(MSR_CSTAR, (uint64_t)(uintptr_t)syscall_entry32);
    /* Entry runs with interrupts off, DF clear and no single-stepping. */
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
                            X86_EFLAGS_AC | X86_EFLAGS_NT);
}

bool desc_read(uint16_t sel, uint64_t *desc)
{
    unsigned int cpu = this_cpu()->cpu_id;
    uint64_t *gdt = (uint64_t *)(uintptr_t)desc_area_gdt_base(cpu);
    unsigned int idx = sel >> 3;

    if (sel & 4)        /* LDT selectors are not supported yet */
        return false;
    if (idx == 0 || idx * 8 + 7 > GDT_LIMIT)
        return false;
    *desc = gdt[idx];
    return true;
}
