// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-guest benchmark workloads for bench/run.sh, built static on the host.
 * Each one is timed here with clock_gettime(CLOCK_MONOTONIC) (the guest's
 * own clock: pvclock under the shim, kvmclock or the TSC natively) and
 * prints one "BENCH-<name>: <seconds>" line on stdout for the host to parse.
 *
 *   workload forkexec N   N x (fork, exec /bin/busybox true, waitpid)
 *   workload fork N       N x (fork, child _exit(0), waitpid)
 *   workload forkexec-par W N  W workers at once, each N x fork+exec;
 *                         timed from the first fork to the last exit
 *   workload pagefault M  mmap M MiB anonymous, write one byte per page
 *                         (one demand fault each); munmap is not timed
 *   workload diskread M DEV   read M MiB from the block device DEV, 1 MiB
 *                         per read(), O_DIRECT (page-aligned buffer)
 *   workload diskwrite M DEV  write M MiB of a pattern to DEV, 1 MiB per
 *                         write(), O_DIRECT, then fsync() (timed: the
 *                         data is on the host's disk image when it ends)
 * Exit status 0 on success; a failed step prints "BENCH-<name>: failed ...".
 */
#define _GNU_SOURCE     /* O_DIRECT */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int failed(const char *name, const char *what, unsigned long i)
{
    printf("BENCH-%s: failed: %s at iteration %lu\n", name, what, i);
    return 1;
}

/* One child: exec busybox true (exec_it) or exit at once; 0 if it exited 0. */
static int one_child(int exec_it)
{
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (exec_it) {
            char *const argv[] = { "busybox", "true", NULL };

            execv("/bin/busybox", argv);
            _exit(127);
        }
        _exit(0);
    }
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int children(const char *name, int exec_it, unsigned long n)
{
    double t0 = now();

    for (unsigned long i = 0; i < n; i++)
        if (one_child(exec_it))
            return failed(name, exec_it ? "fork+exec" : "fork", i);
    printf("BENCH-%s: %.6f\n", name, now() - t0);
    return 0;
}

/* W processes, each running N fork+exec in a loop, all at the same time. */
static int parallel_forkexec(unsigned long workers, unsigned long n)
{
    double t0 = now();
    unsigned long ok = 0;
    int status;

    for (unsigned long w = 0; w < workers; w++) {
        pid_t pid = fork();

        if (pid < 0)
            return failed("forkexec-par", "fork of a worker", w);
        if (pid == 0) {
            for (unsigned long i = 0; i < n; i++)
                if (one_child(1))
                    _exit(1);
            _exit(0);
        }
    }
    while (wait(&status) > 0)
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok != workers)
        return failed("forkexec-par", "a worker failed", ok);
    printf("BENCH-forkexec-par: %.6f\n", now() - t0);
    return 0;
}

static int pagefault(unsigned long mib)
{
    size_t len = mib << 20, page = (size_t)sysconf(_SC_PAGESIZE);
    volatile uint8_t *p;
    double t0, t1;

    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return failed("pagefault", "mmap", 0);
    t0 = now();
    for (size_t off = 0; off < len; off += page)
        p[off] = (uint8_t)(off >> 12);
    t1 = now();
    for (size_t off = 0; off < len; off += page)
        if (p[off] != (uint8_t)(off >> 12))
            return failed("pagefault", "page lost its contents", off / page);
    munmap((void *)p, len);
    printf("BENCH-pagefault: %.6f\n", t1 - t0);
    return 0;
}

#define DISK_CHUNK (1UL << 20)

/* Sequential O_DIRECT I/O on a block device, DISK_CHUNK bytes per call. */
static int disk(const char *name, int writing, unsigned long mib, const char *dev)
{
    unsigned long n = mib * ((1UL << 20) / DISK_CHUNK);
    uint8_t *buf;
    double t0;
    int fd;

    buf = mmap(NULL, DISK_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        return failed(name, "mmap", 0);
    for (size_t i = 0; i < DISK_CHUNK; i++)     /* also faults the buffer in */
        buf[i] = (uint8_t)(i * 7 + (i >> 12));
    fd = open(dev, (writing ? O_WRONLY : O_RDONLY) | O_DIRECT);
    if (fd < 0)
        return failed(name, "open", 0);
    t0 = now();
    for (unsigned long i = 0; i < n; i++) {
        ssize_t r = writing ? write(fd, buf, DISK_CHUNK) : read(fd, buf, DISK_CHUNK);

        if (r != (ssize_t)DISK_CHUNK)
            return failed(name, writing ? "short write" : "short read", i);
    }
    if (writing && fsync(fd))
        return failed(name, "fsync", n);
    printf("BENCH-%s: %.6f\n", name, now() - t0);
    close(fd);
    munmap(buf, DISK_CHUNK);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && !strcmp(argv[1], "forkexec-par"))
        return parallel_forkexec(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10));
    if (argc == 4 && (!strcmp(argv[1], "diskread") || !strcmp(argv[1], "diskwrite")))
        return disk(argv[1], argv[1][4] == 'w', strtoul(argv[2], NULL, 10), argv[3]);
    if (argc != 3) {
        fprintf(stderr, "usage: workload forkexec|fork|pagefault COUNT\n"
                        "       workload forkexec-par WORKERS COUNT\n"
                        "       workload diskread|diskwrite MIB DEVICE\n");
        return 2;
    }
    n = strtoul(argv[2], NULL, 10);
    if (!strcmp(argv[1], "forkexec"))
        return children("forkexec", 1, n);
    if (!strcmp(argv[1], "fork"))
        return children("fork", 0, n);
    if (!strcmp(argv[1], "pagefault"))
        return pagefault(n);
    fprintf(stderr, "workload: unknown workload '%s'\n", argv[1]);
    return 2;
}
