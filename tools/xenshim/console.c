// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console relay (see console.h). Console bytes are forwarded as soon
 * as they are read, never held back for a whole line; only the timeline
 * and the progress work on lines. Lines longer than LINE_MAX_LEN are cut
 * for those two (the forwarded console keeps them whole).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "progress.h"
#include "xenshim.h"

#define LINE_MAX_LEN 1024
#define REDRAW_MS    1000 /* the elapsed time ticks even when the console is quiet */

double console_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool console_progress_wanted(void)
{
    struct stat o, e;

    if (!isatty(STDERR_FILENO))
        return false;
    if (!isatty(STDOUT_FILENO))
        return true;
    if (fstat(STDOUT_FILENO, &o) || fstat(STDERR_FILENO, &e))
        return false;
    return o.st_rdev != e.st_rdev;
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* a closed reader loses the console, as without the relay */
        p += n;
        len -= (size_t)n;
    }
}

struct relay {
    const struct console_sink *s;
    struct progress p;
    char line[LINE_MAX_LEN + 1];
    size_t len;
    bool drawn;
};

static void draw(struct relay *r)
{
    char buf[160], out[176];
    int n;

    progress_render(&r->p, console_now() - r->s->t0, buf, sizeof(buf));
    n = snprintf(out, sizeof(out), "\r\033[Kxenshim: %s", buf);
    if (n > 0)
        write_all(STDERR_FILENO, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
    r->drawn = true;
}

static void end_line(struct relay *r)
{
    char stamp[32];
    int n;

    r->line[r->len] = '\0';
    if (r->s->timeline_fd >= 0) {
        n = snprintf(stamp, sizeof(stamp), "%.3f ", console_now() - r->s->t0);
        write_all(r->s->timeline_fd, stamp, (size_t)n);
        write_all(r->s->timeline_fd, r->line, r->len);
        write_all(r->s->timeline_fd, "\n", 1);
    }
    if (r->s->progress && progress_feed(&r->p, r->line))
        draw(r);
    r->len = 0;
}

static void feed(struct relay *r, const char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (buf[i] == '\n')
            end_line(r);
        else if (buf[i] != '\r' && r->len < LINE_MAX_LEN)
            r->line[r->len++] = buf[i];
    }
}

static void relay_main(const struct console_sink *s, int in)
{
    static struct relay r; /* the line buffer does not belong on a small stack */
    struct pollfd pfd = { .fd = in, .events = POLLIN };
    char buf[4096];
    ssize_t n;

    r.s = s;
    if (s->progress)
        draw(&r);
    for (;;) {
        if (s->progress && poll(&pfd, 1, REDRAW_MS) == 0) {
            draw(&r);
            continue;
        }
        n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (s->out_fd >= 0)
            write_all(s->out_fd, buf, (size_t)n);
        feed(&r, buf, (size_t)n);
    }
    if (r.len)
        end_line(&r);
    if (s->progress) {
        draw(&r);
        write_all(STDERR_FILENO, "\n", 1);
    }
}

int console_relay_start(const struct console_sink *s, pid_t *pid, int *write_fd)
{
    int p[2];

    if (pipe2(p, O_CLOEXEC) < 0) {
        msg("pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    *pid = fork();
    if (*pid < 0) {
        msg("fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (*pid == 0) {
        close(p[1]);
        relay_main(s, p[0]);
        _exit(0);
    }
    close(p[0]);
    *write_fd = p[1];
    return 0;
}

void console_relay_wait(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}
