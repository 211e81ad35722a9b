// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xenshim inspect KERNEL`: print the image format, the Xen notes and the
 * load layout, and whether the shim can run the kernel (exit 0) or not
 * (exit 1: not a Xen kernel, PV32 not yet, or the reason it is rejected).
 * The last line, "verdict: ...", is the one-line answer.
 */
#include <stdio.h>
#include <string.h>

#include <shim/exit-status.h>
#include <xen-public/xen.h>

#include "elf-notes.h"
#include "xenshim.h"

#define ROW "%-16s "

static void print_features(const char *label, uint32_t bits)
{
    unsigned int i;
    const char *sep = "";

    printf(ROW, label);
    if (!bits)
        printf("(none)");
    for (i = 0; i < 32; i++) {
        const char *name = xen_elf_feature_name(i);

        if (!(bits & (1U << i)))
            continue;
        if (name)
            printf("%s%s", sep, name);
        else
            printf("%sbit%u", sep, i);
        sep = " ";
    }
    printf("\n");
}

static void print_opt(const char *label, bool present, uint64_t v)
{
    if (present)
        printf(ROW "0x%llx\n", label, (unsigned long long)v);
    else
        printf(ROW "(none)\n", label);
}

static void print_info(const struct xen_elf_info *x)
{
    static const char *const srcs[] = {
        [XEN_ELF_SRC_PHDR] = "PT_NOTE segments",
        [XEN_ELF_SRC_SHDR] = "SHT_NOTE sections",
        [XEN_ELF_SRC_LEGACY] = "legacy __xen_guest section",
    };
    static const char *const pae[] = {
        [XEN_ELF_PAE_NO] = "no", [XEN_ELF_PAE_YES] = "yes",
        [XEN_ELF_PAE_EXTCR3] = "yes (extended-cr3)", [XEN_ELF_PAE_BIMODAL] = "bimodal",
    };
    unsigned int i;

    printf(ROW "%s\n", "Xen notes from:", srcs[x->src]);
    printf(ROW "%s\n", "GUEST_OS", x->guest_os);
    printf(ROW "%s\n", "GUEST_VERSION", x->guest_version);
    printf(ROW "%s\n", "XEN_VERSION", x->xen_version);
    printf(ROW "%s\n", "LOADER", x->loader);
    printf(ROW "0x%llx\n", "ENTRY", (unsigned long long)x->entry);
    printf(ROW "0x%llx\n", "VIRT_BASE", (unsigned long long)x->virt_base);
    printf(ROW "0x%llx\n", "PADDR_OFFSET", (unsigned long long)x->paddr_offset);
    print_opt("HYPERCALL_PAGE", x->has_hypercall_page, x->hypercall_page);
    print_opt("INIT_P2M", x->has_init_p2m, x->init_p2m);
    printf(ROW "%s\n", "MOD_START_PFN", x->mod_start_pfn ? "yes" : "no");
    print_opt("HV_START_LOW", x->has_hv_start_low, x->hv_start_low);
    print_opt("PHYS32_ENTRY", x->has_phys32_entry, x->phys32_entry);
    printf(ROW "%s\n", "SUSPEND_CANCEL", x->suspend_cancel ? "yes" : "no");
    printf(ROW "%s\n", "PAE_MODE", pae[x->pae]);
    print_features("required feat.:", x->features_required);
    print_features("supported feat.:", x->features_supported);
    printf(ROW "paddr [0x%llx, 0x%llx) -> virt [0x%llx, 0x%llx), %llu KiB\n", "kernel:",
           (unsigned long long)x->pstart, (unsigned long long)x->pend,
           (unsigned long long)x->virt_kstart, (unsigned long long)x->virt_kend,
           (unsigned long long)((x->pend - x->pstart) >> 10));
    for (i = 0; i < x->nr_segs; i++)
        printf("  PT_LOAD %-7u paddr 0x%llx offset 0x%llx filesz 0x%llx memsz 0x%llx\n", i,
               (unsigned long long)x->segs[i].paddr, (unsigned long long)x->segs[i].offset,
               (unsigned long long)x->segs[i].filesz, (unsigned long long)x->segs[i].memsz);
}

int cmd_inspect(int argc, char **argv)
{
    struct kernel k;
    int rc;

    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: xenshim inspect KERNEL\n"
               "Print the Xen notes of KERNEL (ELF or bzImage) and whether the shim\n"
               "can run it. Exit status 0 if it can, 1 if not.\n");
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        msg("inspect: expected one KERNEL file argument (see xenshim --help)");
        return XENSHIM_RC_USAGE;
    }
    rc = kernel_load(argv[1], &k);
    if (k.stage == KSTAGE_READ) {
        msg("%s: %s", argv[1], k.err);
        return XENSHIM_RC_USAGE;
    }
    printf(ROW "%s\n", "file:", argv[1]);
    if (k.bzimage)
        printf(ROW "bzImage, boot protocol %u.%02u, %s payload of %zu bytes\n", "format:",
               k.bz.version >> 8, k.bz.version & 0xff,
               k.bz.compression ? k.bz.compression : "?", k.bz.payload_length);
    if (k.elf_class)
        printf(ROW "ELF%s, %zu bytes\n", k.bzimage ? "unwrapped:" : "format:",
               k.elf_class == 2 ? "64" : "32", k.elf_size);
    if (rc == 0) {
        print_info(&k.info);
        printf(ROW "PV64 kernel: runnable by the shim\n", "verdict:");
    } else if (k.stage == KSTAGE_PARSE && (strstr(k.err, "no Xen notes") ||
               (elf_xen_notes(k.elf, k.elf_size) == ELF_NOTES_NONE &&
                !strstr(k.err, "__xen_guest")))) {
        /* Whatever else is wrong with it, an ELF without Xen notes is simply
         * not a Xen kernel (a program, a bare-metal-only kernel). */
        printf(ROW "not a Xen PV kernel (no Xen notes)\n", "verdict:");
    } else if (k.stage == KSTAGE_PARSE && k.elf_class == 1) {
        printf(ROW "32-bit Xen PV kernel: PV32 kernels are not supported yet\n", "verdict:");
    } else {
        printf(ROW "not runnable: %s\n", "verdict:", k.err);
    }
    kernel_free(&k);
    return rc == 0 ? 0 : XENSHIM_RC_USAGE;
}
