// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel input of the host tool: read the file, unwrap a bzImage, validate
 * the ELF with the same parser the shim uses, and provide an ELF file path
 * for QEMU's multiboot module list (a temporary file for unwrapped images).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenshim.h"

/* Inputs larger than this are not kernels (and would not fit the guest). */
#define MAX_INPUT_SIZE (1024UL << 20)

/* The temporary ELF, removed at exit and on fatal signals. Written before
 * the handlers are installed; the handlers only read it. */
static char tmp_path[PATH_MAX];

void msg(const char *fmt, ...)
{
    va_list ap;

    fputs("xenshim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int read_whole_file(const char *path, uint8_t **buf, size_t *len,
                    char *err, size_t errlen)
{
    struct stat st;
    size_t done = 0;
    uint8_t *b;
    int fd;

    *buf = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        goto fail;
    }
    if ((uint64_t)st.st_size > MAX_INPUT_SIZE) {
        snprintf(err, errlen, "file too large (%lld bytes)", (long long)st.st_size);
        goto fail;
    }
    b = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, b + done, (size_t)st.st_size - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "%s", n ? strerror(errno) : "file shrank while reading");
            free(b);
            goto fail;
        }
        done += (size_t)n;
    }
    close(fd);
    *buf = b;
    *len = done;
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    return -1;
}

int file_size(const char *path, uint64_t *size)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) < 0) {
        msg("%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    if (!S_ISREG(st.st_mode)) {
        msg("%s: not a regular file", path);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

int kernel_load(const char *path, struct kernel *k)
{
    uint8_t *raw;
    size_t len;

    memset(k, 0, sizeof(*k));
    k->path = path;
    k->stage = KSTAGE_READ;
    if (read_whole_file(path, &raw, &len, k->err, sizeof(k->err)))
        return -1;

    k->stage = KSTAGE_UNWRAP;
    if (len >= 4 && memcmp(raw, "\177ELF", 4) == 0) {
        k->elf = raw;
        k->elf_size = len;
    } else if (bzimage_detect(raw, len)) {
        k->bzimage = true;
        if (bzimage_unwrap(raw, len, &k->elf, &k->elf_size, &k->bz, k->err,
                           sizeof(k->err))) {
            free(raw);
            return -1;
        }
        free(raw);
    } else {
        free(raw);
        snprintf(k->err, sizeof(k->err), "not an ELF file or an x86 bzImage");
        return -1;
    }

    k->stage = KSTAGE_PARSE;
    if (k->elf_size > 4 && memcmp(k->elf, "\177ELF", 4) == 0)
        k->elf_class = k->elf[4];
    if (xen_elf_parse(k->elf, k->elf_size, &k->info, k->err, sizeof(k->err)))
        return -1;
    k->stage = KSTAGE_OK;
    return 0;
}

void kernel_free(struct kernel *k)
{
    free(k->elf);
    k->elf = NULL;
}

static void remove_tmp(void)
{
    if (tmp_path[0])
        unlink(tmp_path);
    tmp_path[0] = '\0';
}

static void remove_tmp_on_signal(int sig)
{
    if (tmp_path[0])
        unlink(tmp_path); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Where the unwrapped kernel goes: TMPDIR, else /dev/shm, else /tmp. The
 * file lives only while xenshim runs, so a RAM-backed directory fits: on
 * a disk-backed /tmp each boot also wrote ~50 MB back to the disk, and the
 * file system's write path cost a tenth of a second more per boot (0.34 s
 * against 0.24 s for a Debian cloud kernel, measured with --dry-run).
 */
static const char *tmp_dir(void)
{
    const char *dir = getenv("TMPDIR");
    struct stat st;

    if (dir && *dir)
        return dir;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return "/tmp";
}

const char *kernel_elf_path(struct kernel *k)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    const char *dir = tmp_dir();
    bool bad;
    size_t i;
    int fd;

    if (!k->bzimage)
        return k->path;
    if (tmp_path[0])
        return tmp_path; /* one kernel per run */
    if (snprintf(tmp_path, sizeof(tmp_path), "%s/xenshim-vmlinux-XXXXXX", dir) >=
        (int)sizeof(tmp_path)) {
        tmp_path[0] = '\0';
        msg("TMPDIR %s: path too long", dir);
        return NULL;
    }
    fd = mkstemp(tmp_path);
    if (fd < 0) {
        msg("cannot create a temporary file in %s: %s", dir, strerror(errno));
        tmp_path[0] = '\0';
        return NULL;
    }
    atexit(remove_tmp);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], remove_tmp_on_signal);
    bad = write_all(fd, k->elf, k->elf_size) != 0;
    if (close(fd))
        bad = true;
    if (bad) {
        msg("cannot write %s: %s", tmp_path, strerror(errno));
        remove_tmp();
        return NULL;
    }
    return tmp_path;
}
