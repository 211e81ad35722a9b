// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads the multiboot v1 information structure (layout from the Multiboot
 * Specification 0.6.96, section 3.3) into struct boot_info, and parses the
 * shim command line.
 */
#include <arch/layout.h>
#include <shim/boot-info.h>
#include <shim/lib.h>
#include <shim/log.h>

#define MB_BOOT_MAGIC   0x2badb002
#define MBI_CMDLINE     BIT(2)
#define MBI_MODS        BIT(3)
#define MBI_MMAP        BIT(6)

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __packed;

struct mb_mod {
    uint32_t mod_start, mod_end, string, reserved;
} __packed;

struct mb_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __packed;

#define MB_MEMORY_AVAILABLE 1

static void note_occupied(struct boot_info *bi, paddr_t end)
{
    if (end > bi->occupied_end)
        bi->occupied_end = end;
}

void boot_info_parse(uint32_t magic, paddr_t info_pa, struct boot_info *bi)
{
    extern char _end[];
    const struct mb_info *mbi = phys_to_virt(info_pa);

    if (magic != MB_BOOT_MAGIC)
        panic("not started by a multiboot loader (magic %#x)\n", magic);
    memset(bi, 0, sizeof(*bi));
    bi->cmdline = "";
    note_occupied(bi, virt_to_phys(_end));
    note_occupied(bi, info_pa + sizeof(*mbi));

    if (mbi->flags & MBI_CMDLINE) {
        bi->cmdline = phys_to_virt(mbi->cmdline);
        note_occupied(bi, mbi->cmdline + strlen(bi->cmdline) + 1);
    }
    if (!(mbi->flags & MBI_MMAP))
        panic("the loader passed no memory map\n");
    for (uint32_t off = 0; off + sizeof(struct mb_mmap) <= mbi->mmap_length;) {
        const struct mb_mmap *e = phys_to_virt(mbi->mmap_addr + off);
        paddr_t s = ALIGN_UP(e->addr, PAGE_SIZE);
        paddr_t t = ALIGN_DOWN(e->addr + e->len, PAGE_SIZE);

        off += e->size + sizeof(e->size);
        if (e->type != MB_MEMORY_AVAILABLE || t <= s)
            continue;
        if (bi->nr_ram == BOOT_MAX_RAM_RANGES) {
            log_warn("ignoring RAM above %#lx: too many ranges\n", (unsigned long)s);
            break;
        }
        bi->ram[bi->nr_ram++] = (struct ram_range){ s, t };
    }
    note_occupied(bi, mbi->mmap_addr + mbi->mmap_length);

    if (mbi->flags & MBI_MODS) {
        const struct mb_mod *m = phys_to_virt(mbi->mods_addr);

        if (mbi->mods_count > BOOT_MAX_MODULES)
            panic("%u boot modules; at most %u are understood\n",
                  mbi->mods_count, BOOT_MAX_MODULES);
        note_occupied(bi, mbi->mods_addr + mbi->mods_count * sizeof(*m));
        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            if (m[i].mod_end < m[i].mod_start)
                panic("boot module %u has a negative size\n", i);
            bi->mods[i].start = m[i].mod_start;
            bi->mods[i].end = m[i].mod_end;
            bi->mods[i].string = m[i].string ? phys_to_virt(m[i].string) : "";
            note_occupied(bi, m[i].mod_end);
            if (m[i].string)
                note_occupied(bi, m[i].string + strlen(bi->mods[i].string) + 1);
        }
        bi->nr_mods = mbi->mods_count;
    }
    bi->occupied_end = ALIGN_UP(bi->occupied_end, PAGE_SIZE);
}

/* Find "key=" as a whole word in [s, end); return the value start or NULL. */
static const char *find_opt(const char *s, const char *end, const char *key,
                            size_t *len)
{
    size_t klen = strlen(key);

    for (const char *p = s; p < end; p++) {
        if ((p == s || p[-1] == ' ') && (size_t)(end - p) > klen &&
            !strncmp(p, key, klen) && p[klen] == '=') {
            const char *v = p + klen + 1, *e = v;

            while (e < end && *e != ' ')
                e++;
            *len = e - v;
            return v;
        }
    }
    return NULL;
}

/* Next ':'-separated field of [*p, end): its start, length in *len. */
static const char *next_field(const char **p, const char *end, size_t *len)
{
    const char *f = *p, *e = f;

    while (e < end && *e != ':')
        e++;
    *len = (size_t)(e - f);
    *p = e < end ? e + 1 : e;
    return f;
}

/* One vbd= value "<disk>:<devnum>:<r|w>:<vdevname>" into vbd. */
static int parse_vbd(const char *v, size_t vlen, struct shim_vbd *vbd)
{
    const char *p = v, *end = v + vlen, *f;
    size_t len;
    uint64_t n;

    memset(vbd, 0, sizeof(*vbd));
    f = next_field(&p, end, &len);
    if (parse_u64(f, len, &n) || n > UINT32_MAX)
        return -1;
    vbd->disk = (uint32_t)n;
    f = next_field(&p, end, &len);
    if (parse_u64(f, len, &n) || n == 0 || n > INT32_MAX)
        return -1;
    vbd->devnum = (uint32_t)n;
    f = next_field(&p, end, &len);
    if (len != 1 || (f[0] != 'r' && f[0] != 'w'))
        return -1;
    vbd->readonly = f[0] == 'r';
    f = next_field(&p, end, &len);
    if (len == 0 || len >= sizeof(vbd->vdev) || f + len != end)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9')))
            return -1;
        vbd->vdev[i] = f[i];
    }
    return 0;
}

/* Every vbd= token in [s, end), in order. */
static int parse_vbds(const char *s, const char *end, struct shim_options *opt,
                      char *err, size_t errlen)
{
    for (const char *p = s; p + 4 <= end; p++) {
        const char *v, *e;
        struct shim_vbd *vbd;

        if ((p != s && p[-1] != ' ') || strncmp(p, "vbd=", 4))
            continue;
        v = e = p + 4;
        while (e < end && *e != ' ')
            e++;
        if (opt->nr_vbds == SHIM_MAX_VBDS) {
            snprintf(err, errlen, "more than %u vbd= tokens", SHIM_MAX_VBDS);
            return -1;
        }
        vbd = &opt->vbds[opt->nr_vbds];
        if (parse_vbd(v, (size_t)(e - v), vbd)) {
            snprintf(err, errlen, "vbd=%.*s: expected <disk>:<devnum>:<r|w>:<vdevname>",
                     (int)(e - v), v);
            return -1;
        }
        for (unsigned int i = 0; i < opt->nr_vbds; i++) {
            if (opt->vbds[i].disk == vbd->disk || opt->vbds[i].devnum == vbd->devnum) {
                snprintf(err, errlen, "vbd=%.*s: disk %u or devnum %u used twice",
                         (int)(e - v), v, vbd->disk, vbd->devnum);
                return -1;
            }
        }
        opt->nr_vbds++;
        p = e;
    }
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One vif= value "<idx>:<aa:bb:cc:dd:ee:ff>" into vif. */
static int parse_vif(const char *v, size_t vlen, struct shim_vif *vif)
{
    const char *p = v, *end = v + vlen, *f;
    size_t len;
    uint64_t n;

    memset(vif, 0, sizeof(*vif));
    f = next_field(&p, end, &len);
    if (parse_u64(f, len, &n) || n >= SHIM_MAX_VIFS)
        return -1;
    vif->idx = (uint32_t)n;
    for (unsigned int i = 0; i < 6; i++) {
        f = next_field(&p, end, &len);
        if (len != 2 || hex_digit(f[0]) < 0 || hex_digit(f[1]) < 0)
            return -1;
        vif->mac[i] = (uint8_t)(hex_digit(f[0]) << 4 | hex_digit(f[1]));
    }
    return p == end && end[-1] != ':' ? 0 : -1;
}

/* Every vif= token in [s, end), in order. */
static int parse_vifs(const char *s, const char *end, struct shim_options *opt,
                      char *err, size_t errlen)
{
    for (const char *p = s; p + 4 <= end; p++) {
        const char *v, *e;
        struct shim_vif *vif;

        if ((p != s && p[-1] != ' ') || strncmp(p, "vif=", 4))
            continue;
        v = e = p + 4;
        while (e < end && *e != ' ')
            e++;
        if (opt->nr_vifs == SHIM_MAX_VIFS) {
            snprintf(err, errlen, "more than %u vif= tokens", SHIM_MAX_VIFS);
            return -1;
        }
        vif = &opt->vifs[opt->nr_vifs];
        if (parse_vif(v, (size_t)(e - v), vif)) {
            snprintf(err, errlen, "vif=%.*s: expected <idx 0-%u>:<aa:bb:cc:dd:ee:ff>",
                     (int)(e - v), v, SHIM_MAX_VIFS - 1);
            return -1;
        }
        for (unsigned int i = 0; i < opt->nr_vifs; i++) {
            if (opt->vifs[i].idx == vif->idx) {
                snprintf(err, errlen, "vif=%.*s: NIC %u used twice", (int)(e - v), v, vif->idx);
                return -1;
            }
        }
        opt->nr_vifs++;
        p = e;
    }
    return 0;
}

int shim_options_parse(const char *cmdline, struct shim_options *opt,
                       char *err, size_t errlen)
{
    const char *sep = cmdline, *end, *v;
    size_t len;
    uint64_t n;

    opt->guest_mib = 0;
    opt->trace_hypercalls = false;
    opt->blktest = false;
    opt->nettest = false;
    opt->guest_cmdline = "";
    opt->nr_vbds = 0;
    opt->nr_vifs = 0;
    /* Everything after the first " -- " (or a leading "-- ") is the guest's. */
    for (; *sep; sep++) {
        if (!strncmp(sep, "--", 2) && (sep == cmdline || sep[-1] == ' ') &&
            (sep[2] == ' ' || sep[2] == '\0'))
            break;
    }
    end = sep;
    if (*sep)
        opt->guest_cmdline = sep[2] ? sep + 3 : sep + 2;

    v = find_opt(cmdline, end, "mem", &len);
    if (!v) {
        snprintf(err, errlen, "shim command line has no mem=<MiB>");
        return -1;
    }
    if (parse_u64(v, len, &n) || n < 4 || n > (1ULL << 20)) {
        snprintf(err, errlen, "mem=%.*s: expected a size in MiB from 4 to 1048576",
                 (int)len, v);
        return -1;
    }
    opt->guest_mib = n;
    opt->vcpus = 1;
    v = find_opt(cmdline, end, "vcpus", &len);
    if (v && (parse_u64(v, len, &n) || n < 1 || n > SHIM_MAX_VCPUS)) {
        snprintf(err, errlen, "vcpus=%.*s: expected 1 to %u", (int)len, v, SHIM_MAX_VCPUS);
        return -1;
    }
    if (v)
        opt->vcpus = (unsigned int)n;
    v = find_opt(cmdline, end, "trace", &len);
    if (v)
        opt->trace_hypercalls = !(len == 1 && v[0] == '0');
    v = find_opt(cmdline, end, "blktest", &len);
    if (v)
        opt->blktest = !(len == 1 && v[0] == '0');
    v = find_opt(cmdline, end, "nettest", &len);
    if (v)
        opt->nettest = !(len == 1 && v[0] == '0');
    if (parse_vbds(cmdline, end, opt, err, errlen))
        return -1;
    return parse_vifs(cmdline, end, opt, err, errlen);
}
