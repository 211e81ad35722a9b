// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV kernel image parser (include/shim/xen-elf.h): ELF64 validation,
 * Xen notes, load range and the address checks a domain builder relies on.
 *
 * Design: the image is hostile input (it is fuzzed). Every read goes through
 * rd16/rd32/rd64 at an offset that range_ok() has accepted first, and every
 * sum of file-supplied values is checked for overflow before use. Reads are
 * byte-wise, so the buffer needs no alignment. The flow follows Xen's libelf
 * (xen/common/libelf/libelf-dominfo.c elf_xen_parse): Xen notes from PT_NOTE
 * segments, else SHT_NOTE sections, else the legacy __xen_guest section; then
 * defaults and the checks of elf_xen_note_check / elf_xen_addr_calc_check,
 * plus what the shim itself cannot honour (auto-translate, HVM, ring-0
 * kernels, PV32) and what it needs (canonical ranges outside Xen's hole).
 */
#include <shim/lib.h>
#include <shim/xen-elf.h>
#include <xen-public/xen.h>

/* ELF64 layout (System V gABI); no system <elf.h> in the freestanding build. */
#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS32    1
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_NOTE       4
#define PF_X          1
#define PF_W          2
#define PF_R          4
#define PN_XNUM       0xffff
#define SHT_NOTE      7
#define SHN_XINDEX    0xffff
#define EHDR_SIZE     64
#define PHDR_SIZE     56
#define SHDR_SIZE     64
#define NOTE_HDR_SIZE 12

/* Bound on notes walked (Xen or not), against quadratic work on hostile
 * headers (many PT_NOTE entries describing the same bytes). */
#define MAX_NOTES     4096

struct ctx {
    const uint8_t *img;
    size_t size;
    struct xen_elf_info *out;
    char *err;
    size_t errlen;
    unsigned int notes_seen;
    bool has_virt_base, has_paddr_offset, has_entry, has_xen_version;
};

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables]       = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap]    = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel]     = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb]        = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad]  = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist]             = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits]      = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector]        = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock]           = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs]                  = "hvm_pirqs",
    [XENFEAT_dom0]                       = "dom0",
    [12 /* XENFEAT_grant_map_identity, deprecated */] = "grant_map_identity",
    [XENFEAT_memory_op_vnode_supported]  = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported]        = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted]    = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped]          = "not_direct_mapped",
    [XENFEAT_direct_mapped]              = "direct_mapped",
};

/*
 * Features a kernel may not *require* here: the shim runs one PV domU, so no
 * auto-translated (HVM/PVH) physmap, no HVM mechanisms, no ring-0 kernel
 * (supervisor_mode_kernel was never implemented by Xen either) and no dom0.
 */
#define REJECTED_REQUIRED \
    (BIT(XENFEAT_auto_translated_physmap) | BIT(XENFEAT_supervisor_mode_kernel) | \
     BIT(XENFEAT_hvm_callback_vector) | BIT(XENFEAT_hvm_safe_pvclock) | \
     BIT(XENFEAT_hvm_pirqs) | BIT(XENFEAT_dom0))

/* Xen note types (xen/elfnote.h): name for messages, and value kind. */
enum { NOTE_SKIP, NOTE_STR, NOTE_NUM, NOTE_BITS };
static const struct {
    const char *name;
    unsigned char kind;
} note_types[] = {
    [XEN_ELFNOTE_INFO]               = { "INFO", NOTE_SKIP },
    [XEN_ELFNOTE_ENTRY]              = { "ENTRY", NOTE_NUM },
    [XEN_ELFNOTE_HYPERCALL_PAGE]     = { "HYPERCALL_PAGE", NOTE_NUM },
    [XEN_ELFNOTE_VIRT_BASE]          = { "VIRT_BASE", NOTE_NUM },
    [XEN_ELFNOTE_PADDR_OFFSET]       = { "PADDR_OFFSET", NOTE_NUM },
    [XEN_ELFNOTE_XEN_VERSION]        = { "XEN_VERSION", NOTE_STR },
    [XEN_ELFNOTE_GUEST_OS]           = { "GUEST_OS", NOTE_STR },
    [XEN_ELFNOTE_GUEST_VERSION]      = { "GUEST_VERSION", NOTE_STR },
    [XEN_ELFNOTE_LOADER]             = { "LOADER", NOTE_STR },
    [XEN_ELFNOTE_PAE_MODE]           = { "PAE_MODE", NOTE_STR },
    [XEN_ELFNOTE_FEATURES]           = { "FEATURES", NOTE_STR },
    [XEN_ELFNOTE_BSD_SYMTAB]         = { "BSD_SYMTAB", NOTE_STR },
    [XEN_ELFNOTE_HV_START_LOW]       = { "HV_START_LOW", NOTE_NUM },
    [XEN_ELFNOTE_L1_MFN_VALID]       = { "L1_MFN_VALID", NOTE_SKIP }, /* save/restore */
    [XEN_ELFNOTE_SUSPEND_CANCEL]     = { "SUSPEND_CANCEL", NOTE_NUM },
    [XEN_ELFNOTE_INIT_P2M]           = { "INIT_P2M", NOTE_NUM },
    [XEN_ELFNOTE_MOD_START_PFN]      = { "MOD_START_PFN", NOTE_NUM },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_BITS },
    [XEN_ELFNOTE_PHYS32_ENTRY]       = { "PHYS32_ENTRY", NOTE_NUM },
};

const char *xen_elf_feature_name(unsigned int bit)
{
    return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

static int __printf(2, 3) fail(struct ctx *c, const char *fmt, ...)
{
    va_list ap;

    if (c->err && c->errlen) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Does [off, off + len) lie inside the image? Overflow-safe. */
static bool range_ok(const struct ctx *c, uint64_t off, uint64_t len)
{
    return off <= c->size && len <= c->size - off;
}

static uint16_t rd16(const struct ctx *c, uint64_t off)
{
    const uint8_t *p = c->img + off;

    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const struct ctx *c, uint64_t off)
{
    const uint8_t *p = c->img + off;

    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const struct ctx *c, uint64_t off)
{
    return rd32(c, off) | ((uint64_t)rd32(c, off + 4) << 32);
}

/* Copy a counted string into a fixed field, truncating, with unprintable
 * bytes replaced so logs and terminals stay safe. */
static void copy_str(char *dst, const char *src, size_t len)
{
    size_t i;

    if (len > XEN_ELF_STR_MAX - 1)
        len = XEN_ELF_STR_MAX - 1;
    for (i = 0; i < len; i++)
        dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
    dst[len] = '\0';
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool counted_eq(const char *s, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/*
 * Does the counted string [s, s + len) contain needle? Counted because a
 * note's descriptor need not be NUL-terminated: walking to a NUL ran past
 * the note and the image (found by tests/fuzz/fuzz-xen-elf.c).
 */
static bool contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

/* Decimal or 0x-hex; the whole counted string must be the number. */
static int parse_num(const char *s, size_t len, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;
    size_t i = 0;

    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return -1;
    for (; i < len; i++) {
        unsigned int d;

        if (s[i] >= '0' && s[i] <= '9')
            d = (unsigned int)(s[i] - '0');
        else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
            d = (unsigned int)(s[i] - 'a' + 10);
        else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
            d = (unsigned int)(s[i] - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / base)
            return -1;
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/*
 * FEATURES string "a|!b|c": "!" marks a feature the kernel requires
 * (libelf elf_xen_parse_features). Unknown optional names are ignored;
 * unknown or unsupportable required ones fail.
 */
static int parse_features(struct ctx *c, const char *s, size_t len)
{
    size_t pos = 0;

    while (pos < len) {
        size_t tok = pos, tlen, i;
        bool required;

        while (pos < len && s[pos] != '|')
            pos++;
        tlen = pos - tok;
        pos++; /* skip '|' (or step past the end) */
        if (tlen == 0)
            continue;
        required = s[tok] == '!';
        if (required) {
            tok++;
            tlen--;
        }
        for (i = 0; i < ARRAY_SIZE(feature_names); i++)
            if (feature_names[i] && counted_eq(s + tok, tlen, feature_names[i]))
                break;
        if (i == ARRAY_SIZE(feature_names)) {
            char name[XEN_ELF_STR_MAX];

            if (!required)
                continue;
            copy_str(name, s + tok, MIN(tlen, (size_t)40));
            return fail(c, "unsupported required feature '%s'", name);
        }
        if (required && (REJECTED_REQUIRED & BIT(i)))
            return fail(c, "unsupported required feature '%s' (the shim runs "
                        "one x86-64 PV domU)", feature_names[i]);
        c->out->features_supported |= (uint32_t)BIT(i);
        if (required)
            c->out->features_required |= (uint32_t)BIT(i);
    }
    return 0;
}

/* A numeric note: 1, 2, 4 or 8 little-endian bytes. */
static int note_num(struct ctx *c, uint32_t type, uint64_t off, uint32_t sz,
                    uint64_t *val)
{
    switch (sz) {
    case 1: *val = c->img[off]; return 0;
    case 2: *val = rd16(c, off); return 0;
    case 4: *val = rd32(c, off); return 0;
    case 8: *val = rd64(c, off); return 0;
    }
    return fail(c, "%s note has a %u-byte value (expected 1, 2, 4 or 8)",
                note_types[type].name, sz);
}

/*
 * A string note: up to the first NUL or the end of the descriptor. Linux
 * emits FEATURES with .ascii, without a terminator (libelf's elf_strval
 * reads on into the note padding); every other string ends in a NUL.
 */
static void note_str(const struct ctx *c, uint64_t off, uint32_t sz,
                     const char **s, size_t *len)
{
    *s = (const char *)c->img + off;
    *len = strnlen(*s, sz);
}

static int parse_note(struct ctx *c, uint32_t type, uint64_t off, uint32_t sz)
{
    struct xen_elf_info *o = c->out;
    const char *s = NULL;
    size_t len = 0;
    uint64_t v = 0;

    switch (type < ARRAY_SIZE(note_types) ? note_types[type].kind : NOTE_SKIP) {
    case NOTE_STR:
        note_str(c, off, sz, &s, &len);
        break;
    case NOTE_NUM:
        if (note_num(c, type, off, sz, &v))
            return -1;
        break;
    case NOTE_BITS:
        /* An array of 32-bit submaps; XENFEAT_NR_SUBMAPS is 1. */
        if (sz < 4)
            return fail(c, "SUPPORTED_FEATURES note is %u bytes (expected >= 4)", sz);
        o->features_supported |= rd32(c, off);
        return 0;
    default:
        return 0; /* INFO, L1_MFN_VALID, unknown types: not needed */
    }

    switch (type) {
    case XEN_ELFNOTE_XEN_VERSION:
        copy_str(o->xen_version, s, len);
        c->has_xen_version = true;
        break;
    case XEN_ELFNOTE_GUEST_OS:
        copy_str(o->guest_os, s, len);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        copy_str(o->guest_version, s, len);
        break;
    case XEN_ELFNOTE_LOADER:
        copy_str(o->loader, s, len);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        if (counted_eq(s, len, "yes"))
            o->pae = XEN_ELF_PAE_EXTCR3;
        if (contains(s, len, "bimodal"))
            o->pae = XEN_ELF_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_FEATURES:
        return parse_features(c, s, len);
    case XEN_ELFNOTE_BSD_SYMTAB:
        o->bsd_symtab = counted_eq(s, len, "yes");
        break;
    case XEN_ELFNOTE_ENTRY:
        o->entry = v;
        c->has_entry = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        o->hypercall_page = v;
        o->has_hypercall_page = true;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        o->virt_base = v;
        c->has_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        o->paddr_offset = v;
        c->has_paddr_offset = true;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        o->hv_start_low = v;
        o->has_hv_start_low = true;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        o->suspend_cancel = v != 0;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        o->init_p2m = v;
        o->has_init_p2m = true;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        o->mod_start_pfn = v != 0;
        break;
    case XEN_ELFNOTE_PHYS32_ENTRY:
        o->phys32_entry = v;
        o->has_phys32_entry = true;
        break;
    }
    return 0;
}

/*
 * Walk the notes in [off, off + len) ("what" names the container for
 * errors) and parse those named "Xen". Notes are 4-byte aligned (libelf
 * elf_note_next); the padding of the last note may be cut by the end.
 */
static int walk_notes(struct ctx *c, uint64_t off, uint64_t len,
                      const char *what, unsigned int idx, unsigned int *nr_xen)
{
    uint64_t pos = off, end;

    if (!range_ok(c, off, len))
        return fail(c, "%s %u extends past the end of the file", what, idx);
    end = off + len;
    while (pos < end) {
        uint64_t rem = end - pos, namepad, descpad, step;
        uint32_t namesz, descsz, type;

        if (rem < NOTE_HDR_SIZE)
            return fail(c, "truncated note header in %s %u", what, idx);
        if (++c->notes_seen > MAX_NOTES)
            return fail(c, "too many ELF notes (more than %u)", MAX_NOTES);
        namesz = rd32(c, pos);
        descsz = rd32(c, pos + 4);
        type = rd32(c, pos + 8);
        rem -= NOTE_HDR_SIZE;
        if (namesz > rem)
            return fail(c, "note name (%u bytes) runs past the end of %s %u",
                        namesz, what, idx);
        namepad = ALIGN_UP((uint64_t)namesz, 4);
        descpad = ALIGN_UP((uint64_t)descsz, 4);
        if (descsz && (namepad > rem || descsz > rem - namepad))
            return fail(c, "note descriptor (%u bytes) runs past the end of %s %u",
                        descsz, what, idx);
        step = NOTE_HDR_SIZE + namepad + descpad; /* < 2^35: no overflow */
        if (namesz >= 4 && memcmp(c->img + pos + NOTE_HDR_SIZE, "Xen", 4) == 0) {
            /* An empty descriptor may sit past the end: keep the offset in. */
            uint64_t desc = descsz ? pos + NOTE_HDR_SIZE + namepad : pos;

            if (parse_note(c, type, desc, descsz))
                return -1;
            (*nr_xen)++;
        }
        pos += MIN(step, end - pos);
    }
    return 0;
}

/* Validate the program headers; collect loadable PT_LOADs; walk PT_NOTEs. */
static int parse_phdrs(struct ctx *c, unsigned int *nr_xen)
{
    struct xen_elf_info *o = c->out;
    uint64_t phoff = rd64(c, 32);
    unsigned int phentsize = rd16(c, 54), phnum = rd16(c, 56), i, j;

    if (phnum == 0)
        return fail(c, "no program headers");
    if (phnum == PN_XNUM)
        return fail(c, "extended program header numbering is not supported");
    if (phentsize != PHDR_SIZE)
        return fail(c, "program header size %u (expected %u)", phentsize, PHDR_SIZE);
    if (!range_ok(c, phoff, (uint64_t)phnum * PHDR_SIZE))
        return fail(c, "truncated program header table");

    for (i = 0; i < phnum; i++) {
        uint64_t ph = phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t type = rd32(c, ph), flags = rd32(c, ph + 4);
        uint64_t offset = rd64(c, ph + 8), paddr = rd64(c, ph + 24);
        uint64_t filesz = rd64(c, ph + 32), memsz = rd64(c, ph + 40);
        struct xen_elf_seg *s;

        if (type == PT_NOTE) {
            /* Some binutils leave p_offset 0 on note segments (libelf). */
            if (offset && walk_notes(c, offset, filesz, "PT_NOTE segment", i, nr_xen))
                return -1;
            continue;
        }
        if (type != PT_LOAD)
            continue;
        if (filesz > memsz)
            return fail(c, "PT_LOAD segment %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
                        (unsigned long long)filesz, (unsigned long long)memsz);
        if (!range_ok(c, offset, filesz))
            return fail(c, "PT_LOAD segment %u extends past the end of the file", i);
        if (paddr + memsz < paddr)
            return fail(c, "PT_LOAD segment %u wraps around the address space", i);
        /* libelf elf_phdr_is_loadable: PT_LOAD with some access right. */
        if (!(flags & (PF_R | PF_W | PF_X)))
            continue;
        if (o->nr_segs == XEN_ELF_MAX_SEGS)
            return fail(c, "more than %u loadable segments", XEN_ELF_MAX_SEGS);
        s = &o->segs[o->nr_segs++];
        s->paddr = paddr;
        s->offset = offset;
        s->filesz = filesz;
        s->memsz = memsz;
    }
    if (o->nr_segs == 0)
        return fail(c, "no loadable PT_LOAD segment");

    o->pstart = UINT64_MAX;
    o->pend = 0;
    for (i = 0; i < o->nr_segs; i++) {
        const struct xen_elf_seg *a = &o->segs[i];

        o->pstart = MIN(o->pstart, a->paddr);
        o->pend = MAX(o->pend, a->paddr + a->memsz);
        for (j = 0; j < i; j++) {
            const struct xen_elf_seg *b = &o->segs[j];

            if (a->memsz && b->memsz && a->paddr < b->paddr + b->memsz &&
                b->paddr < a->paddr + a->memsz)
                return fail(c, "PT_LOAD segments overlap at physical address 0x%llx",
                            (unsigned long long)MAX(a->paddr, b->paddr));
        }
    }
    return 0;
}

/* Section header i, after check_shdrs() accepted the table. */
static uint64_t shdr_at(const struct ctx *c, unsigned int i)
{
    return rd64(c, 40) + (uint64_t)i * SHDR_SIZE;
}

/* Returns the number of sections (0: none), or -1 if the table is broken. */
static int check_shdrs(struct ctx *c, unsigned int *shnum)
{
    uint64_t shoff = rd64(c, 40);
    unsigned int entsize = rd16(c, 58);

    *shnum = rd16(c, 60);
    if (*shnum == 0)
        return 0; /* no sections (or extended numbering: not needed here) */
    if (entsize != SHDR_SIZE)
        return fail(c, "section header size %u (expected %u)", entsize, SHDR_SIZE);
    if (shoff == 0 || !range_ok(c, shoff, (uint64_t)*shnum * SHDR_SIZE))
        return fail(c, "truncated section header table");
    return 0;
}

static int parse_shdr_notes(struct ctx *c, unsigned int shnum, unsigned int *nr_xen)
{
    unsigned int i;

    for (i = 1; i < shnum; i++) {
        uint64_t sh = shdr_at(c, i);

        if (rd32(c, sh + 4) != SHT_NOTE)
            continue;
        if (walk_notes(c, rd64(c, sh + 24), rd64(c, sh + 32), "SHT_NOTE section",
                       i, nr_xen))
            return -1;
    }
    return 0;
}

/* Index of the section named "__xen_guest", 0 if none, -1 on a bad table. */
static int find_legacy_section(struct ctx *c, unsigned int shnum, unsigned int *idx)
{
    static const char name[] = "__xen_guest";
    unsigned int strndx = rd16(c, 62), i;
    uint64_t stroff, strsz;

    *idx = 0;
    if (strndx == 0 || strndx == SHN_XINDEX || strndx >= shnum)
        return 0; /* no section names */
    stroff = rd64(c, shdr_at(c, strndx) + 24);
    strsz = rd64(c, shdr_at(c, strndx) + 32);
    if (!range_ok(c, stroff, strsz))
        return fail(c, "section name table extends past the end of the file");
    for (i = 1; i < shnum; i++) {
        uint32_t n = rd32(c, shdr_at(c, i));

        if (n < strsz && sizeof(name) <= strsz - n &&
            memcmp(c->img + stroff + n, name, sizeof(name)) == 0) {
            *idx = i;
            return 0;
        }
    }
    return 0;
}

/* One KEY=VALUE of the legacy string (libelf elf_xen_parse_guest_info). */
static int legacy_entry(struct ctx *c, const char *k, size_t klen,
                        const char *v, size_t vlen, uint64_t *hc_page, bool *has_hc)
{
    struct xen_elf_info *o = c->out;
    uint64_t n = 0;
    bool numeric = counted_eq(k, klen, "VIRT_BASE") ||
                   counted_eq(k, klen, "VIRT_ENTRY") ||
                   counted_eq(k, klen, "ELF_PADDR_OFFSET") ||
                   counted_eq(k, klen, "HYPERCALL_PAGE");

    if (numeric && parse_num(v, vlen, &n)) {
        char val[XEN_ELF_STR_MAX];

        copy_str(val, v, MIN(vlen, (size_t)32));
        return fail(c, "__xen_guest: %.*s: bad number '%s'", (int)klen, k, val);
    }
    if (counted_eq(k, klen, "GUEST_OS"))
        copy_str(o->guest_os, v, vlen);
    else if (counted_eq(k, klen, "GUEST_VER"))
        copy_str(o->guest_version, v, vlen);
    else if (counted_eq(k, klen, "XEN_VER")) {
        copy_str(o->xen_version, v, vlen);
        c->has_xen_version = true;
    } else if (counted_eq(k, klen, "LOADER"))
        copy_str(o->loader, v, vlen);
    else if (counted_eq(k, klen, "PAE")) {
        if (counted_eq(v, vlen, "yes[extended-cr3]"))
            o->pae = XEN_ELF_PAE_EXTCR3;
        else if (vlen >= 3 && memcmp(v, "yes", 3) == 0)
            o->pae = XEN_ELF_PAE_YES;
    } else if (counted_eq(k, klen, "BSD_SYMTAB"))
        o->bsd_symtab = true;
    else if (counted_eq(k, klen, "VIRT_BASE")) {
        o->virt_base = n;
        c->has_virt_base = true;
    } else if (counted_eq(k, klen, "VIRT_ENTRY")) {
        o->entry = n;
        c->has_entry = true;
    } else if (counted_eq(k, klen, "ELF_PADDR_OFFSET")) {
        o->paddr_offset = n;
        c->has_paddr_offset = true;
    } else if (counted_eq(k, klen, "HYPERCALL_PAGE")) {
        *hc_page = n;
        *has_hc = true;
    } else if (counted_eq(k, klen, "FEATURES"))
        return parse_features(c, v, vlen);
    return 0;
}

/* The __xen_guest string "KEY=VALUE,KEY=VALUE,...", NUL- or end-terminated. */
static int parse_legacy(struct ctx *c, unsigned int idx)
{
    struct xen_elf_info *o = c->out;
    uint64_t off = rd64(c, shdr_at(c, idx) + 24), sz = rd64(c, shdr_at(c, idx) + 32);
    uint64_t hc_page = 0;
    bool has_hc = false;
    size_t len, pos = 0;
    const char *s;

    if (!range_ok(c, off, sz))
        return fail(c, "__xen_guest section extends past the end of the file");
    s = (const char *)c->img + off;
    len = strnlen(s, sz);
    while (pos < len) {
        size_t k = pos, klen, v, vlen;

        while (pos < len && s[pos] != ',' && s[pos] != '=')
            pos++;
        klen = pos - k;
        v = pos;
        if (pos < len && s[pos] == '=') {
            v = ++pos;
            while (pos < len && s[pos] != ',')
                pos++;
        }
        vlen = pos - v;
        pos++; /* skip ',' */
        if (legacy_entry(c, s + k, klen, s + v, vlen, &hc_page, &has_hc))
            return -1;
    }
    /* HYPERCALL_PAGE is a page number relative to VIRT_BASE. */
    if (has_hc) {
        if (hc_page > (UINT64_MAX >> PAGE_SHIFT) ||
            o->virt_base + (hc_page << PAGE_SHIFT) < o->virt_base)
            return fail(c, "__xen_guest: HYPERCALL_PAGE 0x%llx is out of range",
                        (unsigned long long)hc_page);
        o->hypercall_page = o->virt_base + (hc_page << PAGE_SHIFT);
        o->has_hypercall_page = true;
    }
    return 0;
}

static int find_notes(struct ctx *c)
{
    unsigned int nr_xen = 0, shnum, legacy;

    c->out->src = XEN_ELF_SRC_PHDR;
    if (parse_phdrs(c, &nr_xen))
        return -1;
    if (nr_xen)
        return 0;
    if (check_shdrs(c, &shnum))
        return -1;
    c->out->src = XEN_ELF_SRC_SHDR;
    if (parse_shdr_notes(c, shnum, &nr_xen))
        return -1;
    if (nr_xen)
        return 0;
    if (find_legacy_section(c, shnum, &legacy))
        return -1;
    if (!legacy)
        return fail(c, "no Xen notes (not a Xen PV kernel)");
    c->out->src = XEN_ELF_SRC_LEGACY;
    return parse_legacy(c, legacy);
}

static bool canonical(uint64_t va)
{
    return va < 0x0000800000000000ULL || va >= 0xffff800000000000ULL;
}

/* [start, end) is canonical, in one half, and clear of Xen's reserved hole. */
static bool va_range_ok(uint64_t start, uint64_t end)
{
    if (end <= start || !canonical(start) || !canonical(end - 1))
        return false;
    if ((start ^ (end - 1)) >> 63)
        return false;
    return end <= HYPERVISOR_VIRT_START || start >= HYPERVISOR_VIRT_END;
}

/* elf_xen_note_check + elf_xen_addr_calc_check, then the shim's own needs. */
static int check_addresses(struct ctx *c, uint64_t e_entry)
{
    struct xen_elf_info *o = c->out;
    bool legacy = o->src == XEN_ELF_SRC_LEGACY;
    uint64_t off;

    if (!has_prefix(o->loader, "generic") && !has_prefix(o->guest_os, "linux"))
        return fail(c, "GUEST_OS '%s' / LOADER '%s': only Linux or generic-loader "
                    "kernels can be loaded", o->guest_os, o->loader);
    if (!c->has_xen_version)
        return fail(c, legacy ? "__xen_guest has no XEN_VER" : "no XEN_VERSION note");
    if (!has_prefix(o->xen_version, "xen-3.0"))
        return fail(c, "%s '%s' is not xen-3.0",
                    legacy ? "__xen_guest XEN_VER" : "XEN_VERSION note", o->xen_version);
    if (c->has_paddr_offset && !c->has_virt_base)
        return fail(c, "PADDR_OFFSET set but VIRT_BASE unset");

    /* Old kernels with __xen_guest put virtual addresses in p_paddr. */
    if (!c->has_paddr_offset)
        o->paddr_offset = legacy ? o->virt_base : 0;
    if (!c->has_entry)
        o->entry = e_entry;

    off = o->virt_base - o->paddr_offset; /* modular, as in libelf */
    o->virt_kstart = o->pstart + off;
    o->virt_kend = o->pend + off;
    if (o->pend <= o->pstart)
        return fail(c, "empty load range");
    if (o->virt_kend - o->virt_kstart != o->pend - o->pstart ||
        o->virt_kend < o->virt_kstart)
        return fail(c, "kernel virtual range wraps around the address space");
    if (o->entry < o->virt_kstart || o->entry > o->virt_kend)
        return fail(c, "entry point 0x%llx is outside the kernel [0x%llx, 0x%llx)",
                    (unsigned long long)o->entry, (unsigned long long)o->virt_kstart,
                    (unsigned long long)o->virt_kend);
    if (o->virt_base > o->virt_kstart)
        return fail(c, "VIRT_BASE 0x%llx is above the kernel start 0x%llx",
                    (unsigned long long)o->virt_base,
                    (unsigned long long)o->virt_kstart);
    if (o->has_init_p2m && o->init_p2m >= o->virt_kstart && o->init_p2m < o->virt_kend)
        return fail(c, "INIT_P2M 0x%llx is inside the kernel",
                    (unsigned long long)o->init_p2m);

    /* Beyond libelf: what the shim's page-table builder relies on. */
    if (!va_range_ok(o->virt_kstart, o->virt_kend))
        return fail(c, "kernel range [0x%llx, 0x%llx) is not canonical or overlaps "
                    "the hypervisor hole", (unsigned long long)o->virt_kstart,
                    (unsigned long long)o->virt_kend);
    if (o->virt_base & ~PAGE_MASK)
        return fail(c, "VIRT_BASE 0x%llx is not page aligned",
                    (unsigned long long)o->virt_base);
    if (o->has_init_p2m &&
        ((o->init_p2m & ~PAGE_MASK) || !va_range_ok(o->init_p2m, o->init_p2m + PAGE_SIZE)))
        return fail(c, "INIT_P2M 0x%llx is not a usable page address",
                    (unsigned long long)o->init_p2m);
    if (o->has_hypercall_page &&
        ((o->hypercall_page & ~PAGE_MASK) || o->hypercall_page < o->virt_kstart ||
         o->hypercall_page >= o->virt_kend || o->virt_kend - o->hypercall_page < PAGE_SIZE))
        return fail(c, "HYPERCALL_PAGE 0x%llx is not a page inside the kernel",
                    (unsigned long long)o->hypercall_page);
    return 0;
}

int xen_elf_parse(const void *image, size_t size, struct xen_elf_info *out,
                  char *err, size_t errlen)
{
    struct ctx c = {
        .img = image, .size = size, .out = out, .err = err, .errlen = errlen,
    };
    const uint8_t *id = image;

    memset(out, 0, sizeof(*out));
    if (err && errlen)
        err[0] = '\0';
    if (!image || size < 4 || memcmp(id, "\177ELF", 4) != 0)
        return fail(&c, "not an ELF file");
    if (size < EI_NIDENT)
        return fail(&c, "truncated ELF header");
    if (id[EI_CLASS] == ELFCLASS32)
        return fail(&c, "32-bit ELF: PV32 guests are not supported yet");
    if (id[EI_CLASS] != ELFCLASS64)
        return fail(&c, "bad ELF class %u", id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(&c, "big-endian ELF: not an x86-64 kernel");
    if (id[EI_VERSION] != EV_CURRENT)
        return fail(&c, "bad ELF version %u", id[EI_VERSION]);
    if (size < EHDR_SIZE)
        return fail(&c, "truncated ELF header");
    if (rd16(&c, 18) != EM_X86_64)
        return fail(&c, "ELF machine %u is not x86-64", rd16(&c, 18));
    if (rd16(&c, 16) != ET_EXEC)
        return fail(&c, "ELF type %u is not ET_EXEC (an executable)", rd16(&c, 16));

    if (find_notes(&c))
        return -1;
    return check_addresses(&c, rd64(&c, 24));
}
