// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host helper of bench/run.sh: run a command with its stdout and stderr on
 * a pipe, copy everything to our stdout (the run's log), and note the wall
 * time (CLOCK_MONOTONIC) from just before the fork to the first output line
 * that starts with PREFIX (ignoring a leading CR). Used to time boot to
 * userspace from the host: the prefix is the first line /init prints.
 *
 * Usage: line-clock PREFIX RESULT_FILE -- COMMAND [ARG...]
 * RESULT_FILE gets "first <seconds|none>" and "total <seconds>" lines.
 * Exit status: the command's (128 + signal if it was killed), 125 on a
 * setup error. The command's stdin is /dev/null so that QEMU's
 * "-serial stdio" never takes the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what)
{
    fprintf(stderr, "line-clock: %s: %s\n", what, strerror(errno));
    return 125;
}

int main(int argc, char **argv)
{
    const char *prefix, *result;
    size_t plen, col = 0, matched = 0;
    int fds[2], status, bol_ok = 1, devnull;
    double t0, first = -1;
    char buf[4096];
    ssize_t n;
    FILE *out;
    pid_t pid;

    if (argc < 5 || strcmp(argv[3], "--")) {
        fprintf(stderr, "usage: line-clock PREFIX RESULT_FILE -- COMMAND [ARG...]\n");
        return 125;
    }
    prefix = argv[1];
    plen = strlen(prefix);
    result = argv[2];
    if (pipe(fds))
        return die("pipe");
    t0 = now();
    pid = fork();
    if (pid < 0)
        return die("fork");
    if (pid == 0) {
        devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(fds[1], 1) < 0 ||
            dup2(fds[1], 2) < 0)
            _exit(125);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[4], argv + 4);
        fprintf(stderr, "line-clock: exec %s: %s\n", argv[4], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return die("read");
        }
        /* Match PREFIX at the start of a line, byte by byte across reads. */
        for (ssize_t i = 0; i < n && first < 0; i++) {
            char c = buf[i];

            if (c == '\n') {
                col = matched = 0;
                bol_ok = 1;
                continue;
            }
            if (c == '\r' && col == 0)
                continue;
            if (bol_ok && matched == col && col < plen && c == prefix[col])
                matched++;
            else
                bol_ok = 0;
            col++;
            if (bol_ok && matched == plen)
                first = now() - t0;
        }
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            return die("write");
    }
    fflush(stdout);
    if (waitpid(pid, &status, 0) != pid)
        return die("waitpid");
    out = fopen(result, "w");
    if (!out)
        return die(result);
    if (first < 0)
        fprintf(out, "first none\n");
    else
        fprintf(out, "first %.3f\n", first);
    fprintf(out, "total %.3f\n", now() - t0);
    fclose(out);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
