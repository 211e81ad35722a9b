/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot entry: 32-bit protected mode, paging off, EAX = magic, EBX =
 * physical address of the multiboot info. Builds a throw-away page table that
 * maps the first 4 GiB both at 0 (to survive the switch) and at
 * DIRECTMAP_BASE, enters long mode and jumps to the high-half C entry.
 * shim_main() replaces these tables with the real ones at once.
 */
#include <arch/layout.h>
#include <arch/percpu.h>

#define MB_MAGIC        0x1badb002
#define MB_FLAGS        ((1 << 1) | (1 << 16))  /* memory info, address fields */

#define PA(sym)         ((sym) - DIRECTMAP_BASE)

    .section .multiboot, "a"
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header             /* header_addr (the boot section is physical) */
    .long _image_start_phys     /* load_addr */
    .long PA(_edata)            /* load_end_addr */
    .long PA(_end)              /* bss_end_addr */
    .long _start32              /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    mov     %eax, boot_mb_magic
    mov     %ebx, boot_mb_info
    mov     $PA(boot_stack_top), %esp

    /* Long mode is required; say so on the serial line if it is missing. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode
    mov     %edx, boot_ext_edx

    /* Zero the shim's .bss, which holds these boot tables (loaders may not). */
    xor     %eax, %eax
    mov     $PA(_bss_start), %edi
    mov     $PA(_bss_end), %ecx
    sub     %edi, %ecx
    rep stosb

    /* L4[0] and L4[262] -> one L3 whose first 4 entries map 4 GiB in 2 MiB pages. */
    mov     $PA(boot_l3), %eax
    or      $0x3, %eax
    mov     %eax, PA(boot_l4)
    mov     %eax, PA(boot_l4) + 8 * ((DIRECTMAP_BASE >> 39) & 511)
    mov     $PA(boot_l2), %edi
    mov     $PA(boot_l3), %ebx
    xor     %ecx, %ecx
1:  mov     %edi, %eax
    or      $0x3, %eax
    mov     %eax, (%ebx, %ecx, 8)
    add     $4096, %edi
    inc     %ecx
    cmp     $4, %ecx
    jb      1b
    mov     $PA(boot_l2), %edi
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $21, %eax
    or      $0x83, %eax             /* present, writable, 2 MiB */
    mov     %eax, (%edi, %ecx, 8)
    inc     %ecx
    cmp     $2048, %ecx
    jb      2b

    mov     %cr4, %eax
    or      $(1 << 5), %eax         /* PAE */
    mov     %eax, %cr4
    mov     $PA(boot_l4), %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx       /* EFER */
    rdmsr
    or      $(1 << 8), %eax         /* LME */
    bt      $20, boot_ext_edx       /* NX supported: guests use bit 63 */
    jnc     3f
    or      $(1 << 11), %eax        /* NXE */
3:  wrmsr
    mov     %cr0, %eax
    or      $((1 << 31) | (1 << 16) | 1), %eax  /* PG, WP, PE */
    mov     %eax, %cr0
    lgdt    boot_gdt_ptr
    ljmp    $0x08, $long_mode_low

no_long_mode:
    mov     $no_lm_msg, %esi
    mov     $0x3f8, %dx
4:  lodsb
    test    %al, %al
    jz      5f
    out     %al, %dx
    jmp     4b
5:  hlt
    jmp     5b

    .code64
long_mode_low:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    movabs  $long_mode_high, %rax
    jmp     *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit ring-0 code */
    .quad 0x00cf92000000ffff        /* 0x10: ring-0 data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt
    .globl boot_mb_magic, boot_mb_info
boot_mb_magic:  .long 0
boot_mb_info:   .long 0
boot_ext_edx:   .long 0
no_lm_msg:      .asciz "xenshim: this CPU has no long mode\r\n"

    .section .bss.boot, "aw", @nobits
    .balign 4096
boot_l4:        .skip 4096
boot_l3:        .skip 4096
boot_l2:        .skip 4 * 4096
boot_stack:     .skip 4096
boot_stack_top:

    .text
long_mode_high:
    lea     cpu0_stack + SHIM_STACK_SIZE(%rip), %rsp
    xor     %ebp, %ebp
    movabs  $boot_mb_magic, %rax    /* still identity-mapped here */
    mov     (%rax), %edi
    movabs  $boot_mb_info, %rax
    mov     (%rax), %esi
    call    shim_main
6:  hlt
    jmp     6b
