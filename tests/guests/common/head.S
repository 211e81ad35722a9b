/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry point and Xen ELF notes shared by all test guests.
 *
 * Notes are read from PT_NOTE segments named "Xen"
 * (xen/common/libelf/libelf-dominfo.c elf_xen_parse); numbers from
 * <xen/elfnote.h>. Deliberately absent: FEATURES (nothing required),
 * INIT_P2M (the p2m stays inside the initial mapping), MOD_START_PFN, and
 * HYPERCALL_PAGE, which only guests that test that path add
 * (GUEST_USE_HYPERCALL_PAGE() in hypercall.h).
 *
 * Entry state (contract 1.5): RSI = start_info VA, RSP = top of the
 * builder's boot stack, CS = FLAT_KERNEL_CS, guest kernel mode, events
 * masked through vcpu_info[0].evtchn_upcall_mask.
 */
#include <xen/elfnote.h>

#define ELFNOTE(type, desc)                                 \
        .pushsection .note.Xen, "a", @note;                 \
        .balign 4;                                          \
        .long 2f - 1f;          /* namesz */                \
        .long 4f - 3f;          /* descsz */                \
        .long type;                                         \
1:      .asciz "Xen";                                       \
2:      .balign 4;                                          \
3:      desc;                                               \
4:      .balign 4;                                          \
        .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS,     .asciz "xenshim-test")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION,  .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER,       .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE,    .quad 0xffffffff80000000)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
ELFNOTE(XEN_ELFNOTE_ENTRY,        .quad _start)

        .section .text.head, "ax", @progbits
        .code64
        .globl _start
_start:
        cld
        /* Our own stack: the builder's page is only guaranteed until here. */
        lea     boot_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        mov     %rsi, %rdi
        call    guest_start             /* does not return */
        ud2

        .section .bss.page_aligned, "aw", @nobits
        .balign 4096
        .globl boot_stack, boot_stack_top
boot_stack:
        .skip   4 * 4096
boot_stack_top:
