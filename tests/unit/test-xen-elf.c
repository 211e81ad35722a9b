// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shim/xen-elf.c: synthetic ELF images built in memory (valid
 * with PT_NOTE notes, SHT_NOTE only, legacy __xen_guest; then truncated and
 * corrupted ones). Every parse runs on an exact-size heap copy, so ASan
 * catches any read past the end of the image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <shim/xen-elf.h>
#include <xen-public/xen.h>

#define KBASE   0xffffffff80000000ULL
#define KPADDR  0x1000000ULL
#define KVIRT   (KBASE + KPADDR)
#define P2M     0x8000000000ULL

/* ---- note blob builder --------------------------------------------------- */

struct notes {
    uint8_t b[1 << 16];
    size_t len;
};

static void put(struct notes *n, const void *p, size_t len)
{
    assert_true(n->len + len <= sizeof(n->b));
    memcpy(n->b + n->len, p, len);
    n->len += len;
}

static void put32(struct notes *n, uint32_t v)
{
    put(n, &v, 4);
}

static void pad4(struct notes *n)
{
    while (n->len % 4)
        n->b[n->len++] = 0;
}

static void note_hdr(struct notes *n, uint32_t namesz, uint32_t descsz, uint32_t type)
{
    put32(n, namesz);
    put32(n, descsz);
    put32(n, type);
}

static void note_raw(struct notes *n, const char *name, uint32_t namesz,
                     uint32_t type, const void *desc, uint32_t descsz)
{
    note_hdr(n, namesz, descsz, type);
    put(n, name, namesz);
    pad4(n);
    put(n, desc, descsz);
    pad4(n);
}

static void note_s(struct notes *n, uint32_t type, const char *s)
{
    note_raw(n, "Xen", 4, type, s, (uint32_t)strlen(s) + 1);
}

static void note_64(struct notes *n, uint32_t type, uint64_t v)
{
    note_raw(n, "Xen", 4, type, &v, 8);
}

static void note_32(struct notes *n, uint32_t type, uint32_t v)
{
    note_raw(n, "Xen", 4, type, &v, 4);
}

/* What Debian's 6.1 kernel carries (contract §1.2), with a hypercall page. */
static void linux_notes(struct notes *n, const char *features)
{
    uint32_t l1[4] = { 1, 0, 1, 0 };

    n->len = 0;
    note_raw(n, "GNU", 4, 3, "\x01\x02\x03\x04", 4); /* a foreign note */
    note_s(n, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(n, XEN_ELFNOTE_GUEST_VERSION, "2.6");
    note_s(n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_64(n, XEN_ELFNOTE_VIRT_BASE, KBASE);
    note_64(n, XEN_ELFNOTE_INIT_P2M, P2M);
    note_64(n, XEN_ELFNOTE_ENTRY, KVIRT + 0x40);
    note_64(n, XEN_ELFNOTE_HYPERCALL_PAGE, KVIRT + 0x1000);
    note_s(n, XEN_ELFNOTE_FEATURES, features);
    note_32(n, XEN_ELFNOTE_SUPPORTED_FEATURES,
            (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_dom0));
    note_s(n, XEN_ELFNOTE_PAE_MODE, "yes");
    note_s(n, XEN_ELFNOTE_LOADER, "generic");
    note_raw(n, "Xen", 4, XEN_ELFNOTE_L1_MFN_VALID, l1, sizeof(l1));
    note_32(n, XEN_ELFNOTE_SUSPEND_CANCEL, 1);
    note_32(n, XEN_ELFNOTE_MOD_START_PFN, 1);
    note_64(n, XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000ULL);
    note_64(n, XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_32(n, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000100);
}

/* ---- ELF builder --------------------------------------------------------- */

enum { NOTES_PT = 1, NOTES_SH = 2 };

struct load {
    uint64_t paddr, filesz, memsz;
    uint32_t flags;
};

struct spec {
    const struct notes *notes;
    int where;              /* NOTES_PT | NOTES_SH */
    const char *legacy;     /* __xen_guest string, or NULL */
    uint64_t entry;         /* e_entry */
    unsigned int nloads;
    struct load loads[20];
};

struct layout {
    size_t phoff, seg0, notes, notes_end, legacy, shoff, total;
};

static uint8_t img[1 << 18];

static void w16(size_t off, uint16_t v) { memcpy(img + off, &v, 2); }
static void w32(size_t off, uint32_t v) { memcpy(img + off, &v, 4); }
static void w64(size_t off, uint64_t v) { memcpy(img + off, &v, 8); }

static size_t add_bytes(size_t *pos, const void *p, size_t len)
{
    size_t at = *pos;

    assert_true(at + len <= sizeof(img));
    if (p)
        memcpy(img + at, p, len);
    else
        memset(img + at, 0xcc, len);
    *pos += len;
    return at;
}

static void shdr(size_t at, uint32_t name, uint32_t type, uint64_t off, uint64_t size)
{
    w32(at, name);
    w32(at + 4, type);
    w64(at + 24, off);
    w64(at + 32, size);
}

static size_t build(const struct spec *s, struct layout *l)
{
    static const char shstr[] = "\0.notes\0__xen_guest\0.shstrtab";
    unsigned int nph = s->nloads + !!(s->where & NOTES_PT), i, nsh = 0;
    size_t pos = 64, ph, sh_notes = 0, sh_legacy = 0, sh_str;

    memset(img, 0, sizeof(img));
    memcpy(img, "\177ELF\2\1\1", 7);
    w16(16, 2);      /* ET_EXEC */
    w16(18, 62);     /* EM_X86_64 */
    w32(20, 1);
    w64(24, s->entry);
    w16(52, 64);
    w16(54, 56);
    w16(56, (uint16_t)nph);
    w16(58, 64);

    l->phoff = pos;
    w64(32, pos);
    pos += nph * 56;
    pos = (pos + 15) & ~(size_t)15;
    l->seg0 = pos;
    ph = l->phoff;
    for (i = 0; i < s->nloads; i++, ph += 56) {
        size_t off = add_bytes(&pos, NULL, s->loads[i].filesz);

        w32(ph, 1); /* PT_LOAD */
        w32(ph + 4, s->loads[i].flags);
        w64(ph + 8, off);
        w64(ph + 16, s->loads[i].paddr); /* p_vaddr: ignored */
        w64(ph + 24, s->loads[i].paddr);
        w64(ph + 32, s->loads[i].filesz);
        w64(ph + 40, s->loads[i].memsz);
    }
    l->notes = s->notes ? add_bytes(&pos, s->notes->b, s->notes->len) : 0;
    l->notes_end = pos;
    if (s->where & NOTES_PT) {
        w32(ph, 4); /* PT_NOTE */
        w32(ph + 4, 4);
        w64(ph + 8, l->notes);
        w64(ph + 32, s->notes->len);
    }
    l->legacy = s->legacy ? add_bytes(&pos, s->legacy, strlen(s->legacy) + 1) : 0;
    sh_str = add_bytes(&pos, shstr, sizeof(shstr));

    pos = (pos + 7) & ~(size_t)7;
    l->shoff = pos;
    w64(40, pos);
    pos += 64; /* section 0 */
    nsh = 1;
    if (s->notes) {
        sh_notes = pos;
        shdr(pos, 1, (s->where & NOTES_SH) ? 7 : 1, l->notes, s->notes->len);
        pos += 64, nsh++;
    }
    if (s->legacy) {
        sh_legacy = pos;
        shdr(pos, 8, 1, l->legacy, strlen(s->legacy) + 1);
        pos += 64, nsh++;
    }
    shdr(pos, 20, 3, sh_str, sizeof(shstr));
    w16(62, (uint16_t)nsh);
    pos += 64, nsh++;
    w16(60, (uint16_t)nsh);
    (void)sh_notes;
    (void)sh_legacy;
    l->total = pos;
    return pos;
}

static struct notes g_notes;

/* A Linux-like kernel: one 16 KiB segment at 16 MiB, notes in PT_NOTE. */
static void default_spec(struct spec *s)
{
    memset(s, 0, sizeof(*s));
    linux_notes(&g_notes, "!writable_page_tables|pae_pgdir_above_4gb");
    s->notes = &g_notes;
    s->where = NOTES_PT;
    s->entry = KVIRT + 0x80;
    s->nloads = 1;
    s->loads[0] = (struct load){ KPADDR, 0x200, 0x4000, 5 };
}

static struct xen_elf_info info;
static char err[160];

/* Parse the first len bytes of img from an exact-size heap copy. */
static int parse_len(size_t len)
{
    void *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, img, len);
    memset(err, 'X', sizeof(err));
    rc = xen_elf_parse(copy, len, &info, err, sizeof(err));
    free(copy);
    if (rc == 0)
        assert_string_equal(err, "");
    else
        assert_true(strlen(err) > 0 && !strchr(err, '\n'));
    return rc;
}

static void expect_ok(const struct spec *s)
{
    struct layout l;

    if (parse_len(build(s, &l)) != 0)
        fail_msg("unexpected error: %s", err);
}

static void expect_err(const struct spec *s, const char *msg)
{
    struct layout l;

    assert_int_equal(parse_len(build(s, &l)), -1);
    if (!strstr(err, msg))
        fail_msg("error '%s' does not contain '%s'", err, msg);
}

static void expect_err_len(size_t len, const char *msg)
{
    assert_int_equal(parse_len(len), -1);
    if (!strstr(err, msg))
        fail_msg("len %zu: error '%s' does not contain '%s'", len, err, msg);
}

/* ---- valid images -------------------------------------------------------- */

static void test_valid_pt_note(void **state)
{
    struct spec s;

    default_spec(&s);
    expect_ok(&s);
    assert_int_equal(info.src, XEN_ELF_SRC_PHDR);
    assert_int_equal(info.entry, KVIRT + 0x40);
    assert_int_equal(info.virt_base, KBASE);
    assert_int_equal(info.paddr_offset, 0);
    assert_true(info.has_hypercall_page);
    assert_int_equal(info.hypercall_page, KVIRT + 0x1000);
    assert_true(info.has_init_p2m);
    assert_int_equal(info.init_p2m, P2M);
    assert_true(info.mod_start_pfn);
    assert_true(info.suspend_cancel);
    assert_true(info.has_hv_start_low);
    assert_int_equal(info.hv_start_low, 0xffff800000000000ULL);
    assert_true(info.has_phys32_entry);
    assert_int_equal(info.features_required, 1U << XENFEAT_writable_page_tables);
    assert_int_equal(info.features_supported,
                     (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_dom0) |
                     (1U << XENFEAT_pae_pgdir_above_4gb));
    assert_string_equal(info.guest_os, "linux");
    assert_string_equal(info.guest_version, "2.6");
    assert_string_equal(info.xen_version, "xen-3.0");
    assert_string_equal(info.loader, "generic");
    assert_int_equal(info.pae, XEN_ELF_PAE_EXTCR3);
    assert_int_equal(info.pstart, KPADDR);
    assert_int_equal(info.pend, KPADDR + 0x4000);
    assert_int_equal(info.virt_kstart, KVIRT);
    assert_int_equal(info.virt_kend, KVIRT + 0x4000);
    assert_int_equal(info.nr_segs, 1);
    assert_int_equal(info.segs[0].paddr, KPADDR);
    assert_int_equal(info.segs[0].filesz, 0x200);
    assert_int_equal(info.segs[0].memsz, 0x4000);
    assert_string_equal(xen_elf_feature_name(XENFEAT_dom0), "dom0");
    assert_null(xen_elf_feature_name(99));
}

static void test_valid_sht_note_only(void **state)
{
    struct spec s;

    default_spec(&s);
    s.where = NOTES_SH;
    expect_ok(&s);
    assert_int_equal(info.src, XEN_ELF_SRC_SHDR);
    assert_int_equal(info.init_p2m, P2M);
    assert_string_equal(info.xen_version, "xen-3.0");
}

/* Several loadable segments placed by p_paddr (the per-CPU one of x86-64
 * vmlinux has p_vaddr 0), a non-loadable PT_LOAD ignored, no ENTRY note. */
static void test_segments_and_e_entry(void **state)
{
    struct spec s;

    default_spec(&s);
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KBASE);
    s.nloads = 3;
    s.loads[1] = (struct load){ KPADDR + 0x4000, 0x100, 0x2000, 6 };
    s.loads[2] = (struct load){ 0x0, 0x10, 0x10, 0 }; /* no access: not loaded */
    expect_ok(&s);
    assert_int_equal(info.entry, KVIRT + 0x80);
    assert_int_equal(info.nr_segs, 2);
    assert_int_equal(info.virt_kend, KVIRT + 0x6000);
    assert_false(info.has_hypercall_page);
    assert_false(info.has_init_p2m);
    assert_false(info.mod_start_pfn);
    assert_int_equal(info.pae, XEN_ELF_PAE_NO);
}

static void test_legacy_guest_section(void **state)
{
    struct spec s;

    default_spec(&s);
    s.notes = NULL;
    s.where = 0;
    /* Old kernels: p_paddr holds the virtual address. */
    s.loads[0].paddr = KVIRT;
    s.entry = KVIRT + 0x10;
    s.legacy = "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
               "HYPERCALL_PAGE=0x1001,LOADER=generic,PAE=yes[extended-cr3],"
               "FEATURES=writable_page_tables|!writable_descriptor_tables,UNKNOWN=1,BSD";
    expect_ok(&s);
    assert_int_equal(info.src, XEN_ELF_SRC_LEGACY);
    assert_int_equal(info.virt_base, KBASE);
    assert_int_equal(info.paddr_offset, KBASE); /* defaults to VIRT_BASE */
    assert_int_equal(info.virt_kstart, KVIRT);
    assert_int_equal(info.entry, KVIRT + 0x10);
    assert_true(info.has_hypercall_page);
    assert_int_equal(info.hypercall_page, KBASE + 0x1001000); /* page number */
    assert_int_equal(info.pae, XEN_ELF_PAE_EXTCR3);
    assert_int_equal(info.features_required, 1U << XENFEAT_writable_descriptor_tables);
    assert_string_equal(info.guest_version, "2.6");

    /* Explicit ELF_PADDR_OFFSET=0 with physical p_paddr. */
    s.loads[0].paddr = KPADDR;
    s.legacy = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
               "ELF_PADDR_OFFSET=0,VIRT_ENTRY=0xffffffff81000020,PAE=yes";
    expect_ok(&s);
    assert_int_equal(info.paddr_offset, 0);
    assert_int_equal(info.entry, KVIRT + 0x20);
    assert_int_equal(info.pae, XEN_ELF_PAE_YES);
    assert_false(info.has_hypercall_page);

    s.legacy = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xzz";
    expect_err(&s, "__xen_guest: VIRT_BASE: bad number '0xzz'");
    s.legacy = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
               "HYPERCALL_PAGE=0xfffffffffffff";
    expect_err(&s, "HYPERCALL_PAGE 0xfffffffffffff is out of range");
    s.legacy = "GUEST_OS=linux,XEN_VER=xen-2.0";
    expect_err(&s, "__xen_guest XEN_VER 'xen-2.0' is not xen-3.0");
    s.legacy = "GUEST_OS=linux";
    expect_err(&s, "__xen_guest has no XEN_VER");
}

/* ---- structural errors --------------------------------------------------- */

static void test_not_elf_and_header(void **state)
{
    struct spec s;
    struct layout l;
    size_t len;

    default_spec(&s);
    len = build(&s, &l);
    expect_err_len(0, "not an ELF file");
    expect_err_len(3, "not an ELF file");
    expect_err_len(10, "truncated ELF header");
    expect_err_len(63, "truncated ELF header");
    expect_err_len(64, "truncated program header table");
    expect_err_len(l.seg0 - 16, "truncated program header table");
    assert_int_equal(xen_elf_parse(NULL, 0, &info, NULL, 0), -1);

    img[0] = 'M';
    expect_err_len(len, "not an ELF file");
    build(&s, &l);
    img[4] = 1;
    expect_err_len(len, "32-bit ELF: PV32 guests are not supported yet");
    img[4] = 3;
    expect_err_len(len, "bad ELF class 3");
    img[4] = 2;
    img[5] = 2;
    expect_err_len(len, "big-endian ELF");
    img[5] = 1;
    img[6] = 0;
    expect_err_len(len, "bad ELF version 0");
    img[6] = 1;
    w16(18, 3);
    expect_err_len(len, "ELF machine 3 is not x86-64");
    w16(18, 62);
    w16(16, 3);
    expect_err_len(len, "ELF type 3 is not ET_EXEC");
    w16(16, 2);
    w16(54, 32);
    expect_err_len(len, "program header size 32");
    w16(54, 56);
    w16(56, 0);
    expect_err_len(len, "no program headers");
    w16(56, 0xffff);
    expect_err_len(len, "extended program header numbering");
    w16(56, 0xfffe);
    expect_err_len(len, "truncated program header table");
    w16(56, 2);
    w64(32, UINT64_MAX - 8); /* e_phoff + size wraps */
    expect_err_len(len, "truncated program header table");
    w64(32, 64);
    assert_int_equal(parse_len(len), 0);
}

/* Cut the image at every length: never a crash or an overread, and every
 * cut inside what the parser needs is an error. */
static void test_truncated_everywhere(void **state)
{
    struct spec s;
    struct layout l;
    size_t len, cut;

    default_spec(&s);
    len = build(&s, &l);
    for (cut = 0; cut < len; cut++) {
        int rc = parse_len(cut);

        if (cut < l.notes_end)
            assert_int_equal(rc, -1);
        build(&s, &l);
    }
    expect_err_len(l.notes + 20, "PT_NOTE segment 1 extends past the end of the file");
    expect_err_len(l.seg0 + 0x100, "PT_LOAD segment 0 extends past the end of the file");
    /* Section headers are not needed when PT_NOTE notes exist. */
    assert_int_equal(parse_len(l.shoff), 0);

    s.where = NOTES_SH;
    len = build(&s, &l);
    for (cut = 0; cut < len; cut++) {
        assert_int_equal(parse_len(cut), -1);
        build(&s, &l);
    }
    expect_err_len(l.shoff + 70, "truncated section header table");
}

static void test_segment_errors(void **state)
{
    struct spec s;
    unsigned int i;

    default_spec(&s);
    s.loads[0].filesz = 0x5000;
    expect_err(&s, "PT_LOAD segment 0: p_filesz 0x5000 > p_memsz 0x4000");

    default_spec(&s);
    s.nloads = 2;
    s.loads[1] = (struct load){ KPADDR + 0x3000, 0x10, 0x2000, 4 };
    expect_err(&s, "PT_LOAD segments overlap at physical address 0x1003000");

    default_spec(&s);
    s.nloads = 2;
    s.loads[1] = (struct load){ UINT64_MAX - 0x10, 0x10, 0x100, 4 };
    expect_err(&s, "PT_LOAD segment 1 wraps around the address space");

    default_spec(&s);
    s.nloads = 17;
    for (i = 0; i < 17; i++)
        s.loads[i] = (struct load){ KPADDR + i * 0x4000ULL, 0x10, 0x4000, 4 };
    expect_err(&s, "more than 16 loadable segments");
    s.nloads = 16;
    expect_ok(&s);
    assert_int_equal(info.nr_segs, 16);

    default_spec(&s);
    s.loads[0].flags = 0;
    expect_err(&s, "no loadable PT_LOAD segment");

    /* The virtual range would reach past 2^64. */
    default_spec(&s);
    s.loads[0].paddr = 0x7ff80000ULL;
    s.loads[0].memsz = 0x100000;
    s.entry = 0;
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KBASE);
    expect_err(&s, "kernel virtual range wraps around the address space");
}

/* ---- notes --------------------------------------------------------------- */

static void test_note_sizes(void **state)
{
    struct spec s;

    /* Descriptor size running past the segment (and 32-bit overflow bait). */
    default_spec(&s);
    note_hdr(&g_notes, 4, 0xfffffffc, XEN_ELFNOTE_ENTRY);
    put(&g_notes, "Xen", 4);
    expect_err(&s, "note descriptor (4294967292 bytes) runs past the end of PT_NOTE segment 1");

    default_spec(&s);
    note_hdr(&g_notes, 0xfffffff0, 0, 1);
    expect_err(&s, "note name (4294967280 bytes) runs past the end of PT_NOTE segment 1");

    default_spec(&s);
    note_hdr(&g_notes, 0xffffffff, 0xffffffff, 1);
    expect_err(&s, "runs past the end");

    default_spec(&s);
    put32(&g_notes, 0); /* 4 stray bytes: a partial note header */
    expect_err(&s, "truncated note header in PT_NOTE segment 1");

    /* namesz 0 is a legal, nameless (so non-Xen) note. */
    default_spec(&s);
    note_raw(&g_notes, "", 0, XEN_ELFNOTE_ENTRY, "\0\0\0\0\0\0\0\0", 8);
    expect_ok(&s);
    assert_int_equal(info.entry, KVIRT + 0x40);

    /* Only nameless or foreign notes: not Xen. */
    g_notes.len = 0;
    note_raw(&g_notes, "", 0, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    note_raw(&g_notes, "Xe", 3, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    expect_err(&s, "no Xen notes (not a Xen PV kernel)");

    /* The last note's padding may be cut by the end of the segment. */
    default_spec(&s);
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KBASE);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_MOD_START_PFN, "\1", 1);
    g_notes.len -= 3;
    expect_ok(&s);
    assert_true(info.mod_start_pfn);

    default_spec(&s);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_INIT_P2M, "\0\0\0", 3);
    expect_err(&s, "INIT_P2M note has a 3-byte value");

    /* Linux writes FEATURES with .ascii: no NUL inside the descriptor (the
     * first version of this parser rejected Debian's kernel for it). */
    default_spec(&s);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_FEATURES, "!writable_page_tables|dom0", 26);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 5);
    expect_ok(&s);
    assert_int_equal(info.features_required, 1U << XENFEAT_writable_page_tables);
    assert_true(info.features_supported & (1U << XENFEAT_dom0));
    assert_string_equal(info.guest_os, "linux");
    /* ... and an empty descriptor is an empty string. */
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "", 0);
    expect_ok(&s);
    assert_string_equal(info.guest_os, "");

    default_spec(&s);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_SUPPORTED_FEATURES, "\1", 1);
    expect_err(&s, "SUPPORTED_FEATURES note is 1 bytes");

    /* Too many notes (hostile input: bounded work). */
    default_spec(&s);
    g_notes.len = 0;
    while (g_notes.len + 12 <= sizeof(g_notes.b))
        note_hdr(&g_notes, 0, 0, 0);
    expect_err(&s, "too many ELF notes (more than 4096)");
}

static void test_long_and_odd_strings(void **state)
{
    struct spec s;
    char longos[200];

    default_spec(&s);
    memset(longos, 'a', sizeof(longos) - 1);
    memcpy(longos, "linux", 5);
    longos[sizeof(longos) - 1] = '\0';
    longos[10] = '\x1b'; /* escape: must not reach a terminal */
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, longos);
    expect_ok(&s);
    assert_int_equal(strlen(info.guest_os), XEN_ELF_STR_MAX - 1);
    assert_int_equal(info.guest_os[10], '?');

    default_spec(&s);
    note_s(&g_notes, XEN_ELFNOTE_PAE_MODE, "bimodal");
    expect_ok(&s);
    assert_int_equal(info.pae, XEN_ELF_PAE_BIMODAL);
}

/*
 * Regression (found by tests/fuzz/fuzz-xen-elf.c): a PAE_MODE note whose
 * descriptor is not NUL-terminated. The "bimodal" search walked to a NUL
 * instead of stopping at the descriptor's end, reading past the note (and,
 * for a note at the end of the file, past the image: an out-of-bounds read
 * of whatever follows the kernel in shim memory). Here the note "bimo" is
 * followed by the bytes "dal": the old code saw "bimodal".
 */
static void test_unterminated_pae_note(void **state)
{
    struct spec s;

    default_spec(&s);
    note_raw(&g_notes, "Xen", 4, XEN_ELFNOTE_PAE_MODE, "bimo", 4);
    s.legacy = "dal";           /* placed right after the notes */
    expect_ok(&s);
    assert_int_equal(info.src, XEN_ELF_SRC_PHDR);
    assert_int_equal(info.pae, XEN_ELF_PAE_EXTCR3);    /* from the "yes" note */
}

static void test_version_and_loader(void **state)
{
    struct spec s;

    default_spec(&s);
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-4.0");
    expect_err(&s, "XEN_VERSION note 'xen-4.0' is not xen-3.0");

    default_spec(&s);
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    expect_err(&s, "no XEN_VERSION note");

    default_spec(&s);
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "netbsd");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    expect_err(&s, "GUEST_OS 'netbsd' / LOADER '': only Linux or generic-loader");
    note_s(&g_notes, XEN_ELFNOTE_LOADER, "generic");
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KBASE);
    expect_ok(&s);
    assert_string_equal(info.guest_os, "netbsd");
}

static void test_address_checks(void **state)
{
    struct spec s;

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_ENTRY, KVIRT + 0x5000);
    expect_err(&s, "entry point 0xffffffff81005000 is outside the kernel");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_ENTRY, KVIRT - 1);
    expect_err(&s, "is outside the kernel");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_INIT_P2M, KVIRT + 0x2000);
    expect_err(&s, "INIT_P2M 0xffffffff81002000 is inside the kernel");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_INIT_P2M, 0xffff800000000000ULL);
    expect_err(&s, "INIT_P2M 0xffff800000000000 is not a usable page address");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_INIT_P2M, P2M + 8);
    expect_err(&s, "is not a usable page address");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KVIRT + 0x1000);
    note_64(&g_notes, XEN_ELFNOTE_PADDR_OFFSET, KPADDR);
    note_64(&g_notes, XEN_ELFNOTE_ENTRY, KVIRT + 0x1040);
    note_64(&g_notes, XEN_ELFNOTE_HYPERCALL_PAGE, KVIRT + 0x2000);
    expect_ok(&s);
    assert_int_equal(info.virt_kstart, KVIRT + 0x1000);
    note_64(&g_notes, XEN_ELFNOTE_PADDR_OFFSET, KPADDR - 0x1000);
    note_64(&g_notes, XEN_ELFNOTE_ENTRY, KVIRT + 0x2040);
    expect_ok(&s);
    assert_int_equal(info.virt_kstart, KVIRT + 0x2000);

    /* PADDR_OFFSET above pstart puts the kernel below VIRT_BASE. */
    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_PADDR_OFFSET, KPADDR + 0x1000);
    note_64(&g_notes, XEN_ELFNOTE_ENTRY, KBASE - 0x1000 + 0x40);
    expect_err(&s, "VIRT_BASE 0xffffffff80000000 is above the kernel start 0xffffffff7ffff000");

    default_spec(&s);
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_64(&g_notes, XEN_ELFNOTE_PADDR_OFFSET, 0);
    expect_err(&s, "PADDR_OFFSET set but VIRT_BASE unset");

    /* VIRT_BASE defaults to 0: a kernel in the low half is fine ... */
    g_notes.len = 0;
    note_s(&g_notes, XEN_ELFNOTE_GUEST_OS, "linux");
    note_s(&g_notes, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    s.entry = KPADDR;
    expect_ok(&s);
    assert_int_equal(info.virt_kstart, KPADDR);
    /* ... but not one in the hypervisor hole or non-canonical. */
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, 0xffff800000000000ULL);
    s.entry = 0xffff800000000000ULL + KPADDR;
    expect_err(&s, "is not canonical or overlaps the hypervisor hole");
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, 0x0000800000000000ULL);
    s.entry = 0x0000800000000000ULL + KPADDR;
    expect_err(&s, "is not canonical");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_HYPERCALL_PAGE, KVIRT + 0x1008);
    expect_err(&s, "HYPERCALL_PAGE 0xffffffff81001008 is not a page inside the kernel");
    note_64(&g_notes, XEN_ELFNOTE_HYPERCALL_PAGE, KVIRT + 0x4000);
    expect_err(&s, "is not a page inside the kernel");

    default_spec(&s);
    note_64(&g_notes, XEN_ELFNOTE_VIRT_BASE, KBASE + 8);
    note_64(&g_notes, XEN_ELFNOTE_PADDR_OFFSET, 8);
    expect_err(&s, "VIRT_BASE 0xffffffff80000008 is not page aligned");
}

static void test_features(void **state)
{
    static const struct {
        const char *features, *msg;
    } bad[] = {
        { "!auto_translated_physmap", "unsupported required feature 'auto_translated_physmap'" },
        { "writable_page_tables|!supervisor_mode_kernel",
          "unsupported required feature 'supervisor_mode_kernel'" },
        { "!hvm_callback_vector", "unsupported required feature 'hvm_callback_vector'" },
        { "!hvm_pirqs", "unsupported required feature 'hvm_pirqs'" },
        { "!dom0", "unsupported required feature 'dom0'" },
        { "!frobnicate", "unsupported required feature 'frobnicate'" },
        { "!hvm_future_thing", "unsupported required feature 'hvm_future_thing'" },
        { "!", "unsupported required feature ''" },
        { "!bad\nname", "unsupported required feature 'bad?name'" },
    };
    struct spec s;
    unsigned int i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        default_spec(&s);
        linux_notes(&g_notes, bad[i].features);
        expect_err(&s, bad[i].msg);
    }

    /* Optional ones are fine; unknown optional names are ignored. */
    default_spec(&s);
    linux_notes(&g_notes, "auto_translated_physmap|hvm_callback_vector||frobnicate|"
                          "!writable_descriptor_tables|!direct_mapped");
    expect_ok(&s);
    assert_int_equal(info.features_required,
                     (1U << XENFEAT_writable_descriptor_tables) |
                     (1U << XENFEAT_direct_mapped));
    assert_true(info.features_supported & (1U << XENFEAT_auto_translated_physmap));
    assert_true(info.features_supported & (1U << XENFEAT_hvm_callback_vector));
}

/* Random corruption of a valid image: only checks that nothing crashes,
 * overreads or hangs (the fuzzer goes further). */
static void test_corruption(void **state)
{
    struct spec s;
    struct layout l;
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    size_t len;
    int i, j;

    for (i = 0; i < 4000; i++) {
        default_spec(&s);
        s.where = (i & 1) ? NOTES_PT : NOTES_SH;
        len = build(&s, &l);
        for (j = 0; j < 4; j++) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            if (j == 0 || (rng & 3))
                img[(rng >> 8) % len] = (uint8_t)(rng >> 40);
        }
        (void)parse_len(len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_pt_note),
        cmocka_unit_test(test_valid_sht_note_only),
        cmocka_unit_test(test_segments_and_e_entry),
        cmocka_unit_test(test_legacy_guest_section),
        cmocka_unit_test(test_not_elf_and_header),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_segment_errors),
        cmocka_unit_test(test_note_sizes),
        cmocka_unit_test(test_long_and_odd_strings),
        cmocka_unit_test(test_unterminated_pae_note),
        cmocka_unit_test(test_version_and_loader),
        cmocka_unit_test(test_address_checks),
        cmocka_unit_test(test_features),
        cmocka_unit_test(test_corruption),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
