// SPDX-License-Identifier: GPL-2.0-only
/*
 * Supervision of the QEMU child of `xenshim run` (see qemu.h).
 *
 * Design: SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked before the fork
 * and taken synchronously with sigtimedwait(), so the timeout, the
 * forwarding of a stop request and the reaping of QEMU happen in one loop
 * with no handler races. A close-on-exec pipe reports a failed exec as one
 * clear message instead of a mysterious status 127. With a console sink,
 * QEMU's stdout goes through the console relay (console.c), forked before
 * that pipe exists so it holds no copy of it. qemu_run_guest adds xl's
 * on_*=restart on top: a fresh QEMU for each restart, bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <shim/exit-status.h>

#include "console.h"
#include "qemu.h"
#include "xenshim.h"

#define KILL_GRACE_SEC 5 /* between SIGTERM and SIGKILL */

/* Wait for one of the blocked signals for at most `sec` seconds. */
static int wait_signal(const sigset_t *set, double sec)
{
    struct timespec ts;

    if (sec < 0)
        sec = 0;
    ts.tv_sec = (time_t)sec;
    ts.tv_nsec = (long)((sec - (double)ts.tv_sec) * 1e9);
    return sigtimedwait(set, NULL, &ts);
}

/* Reap the child if it has exited. Returns 1 and *status, 0, or -1. */
static int reap(pid_t pid, int *status)
{
    pid_t r = waitpid(pid, status, WNOHANG);

    if (r == pid)
        return 1;
    return r < 0 && errno != EINTR ? -1 : 0;
}

static void child(const struct qemu_cmd *cmd, const sigset_t *old, int errfd, int out_fd)
{
    int e;

    sigprocmask(SIG_SETMASK, old, NULL);
    if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    /* A console on a terminal is interactive; otherwise QEMU must not eat
     * the caller's standard input (pipes in test harnesses). */
    if (!isatty(STDIN_FILENO)) {
        int fd = open("/dev/null", O_RDONLY);

        if (fd >= 0 && fd != STDIN_FILENO) {
            dup2(fd, STDIN_FILENO);
            close(fd);
        }
    }
    execvp(cmd->argv[0], cmd->argv);
    e = errno;
    if (write(errfd, &e, sizeof(e)) < 0)
        _exit(127);
    _exit(127);
}

int qemu_run(const struct qemu_cmd *cmd, unsigned long timeout_sec,
             const struct console_sink *sink)
{
    double deadline = timeout_sec ? console_now() + (double)timeout_sec : 0;
    int status = 0, errpipe[2], exec_errno, stop_sig = 0, rc, r;
    bool timed_out = false, killed = false;
    double kill_at = 0;
    char why[160];
    sigset_t set, old;
    ssize_t n;
    pid_t pid, relay = -1;
    int out_fd = -1;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, &old);
    /* The relay keeps these signals blocked: it drains until QEMU is gone. */
    if (sink && console_relay_start(sink, &relay, &out_fd)) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return XENSHIM_RC_QEMU;
    }
    if (pipe2(errpipe, O_CLOEXEC) < 0) {
        msg("pipe: %s", strerror(errno));
        rc = XENSHIM_RC_QEMU;
        goto out_relay;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        msg("fork: %s", strerror(errno));
        close(errpipe[0]);
        close(errpipe[1]);
        rc = XENSHIM_RC_QEMU;
        goto out_relay;
    }
    if (pid == 0)
        child(cmd, &old, errpipe[1], out_fd);

    close(errpipe[1]);
    if (out_fd >= 0)
        close(out_fd); /* QEMU holds the only write end: its exit is the relay's EOF */
    out_fd = -1;
    do
        n = read(errpipe[0], &exec_errno, sizeof(exec_errno));
    while (n < 0 && errno == EINTR);
    close(errpipe[0]);
    if (n == sizeof(exec_errno)) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        msg("cannot run %s: %s", cmd->argv[0], strerror(exec_errno));
        rc = XENSHIM_RC_QEMU;
        goto out_relay;
    }

    for (;;) {
        double t, wait = 3600;
        int sig;

        r = reap(pid, &status);
        if (r)
            break;
        t = console_now();
        if (timeout_sec && !timed_out && t >= deadline) {
            if (sink && sink->progress)
                fputs("\r\033[K", stderr); /* over the progress line, not after it */
            msg("timeout: no guest verdict after %lu s, stopping qemu", timeout_sec);
            timed_out = true;
            kill(pid, SIGTERM);
            kill_at = t + KILL_GRACE_SEC;
        }
        if (timed_out && !killed && t >= kill_at) {
            kill(pid, SIGKILL);
            killed = true;
        }
        if (timeout_sec && !timed_out)
            wait = deadline - t;
        else if (timed_out && !killed)
            wait = kill_at - t;
        sig = wait_signal(&set, wait);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            /* On a terminal QEMU got SIGINT too; resending is harmless. */
            stop_sig = sig;
            kill(pid, sig);
        }
    }
    /* The relay's last output (the final progress line) before ours. */
    if (relay > 0)
        console_relay_wait(relay);
    relay = -1;
    if (r < 0) {
        msg("waitpid: %s", strerror(errno));
        rc = XENSHIM_RC_QEMU;
    } else if (timed_out) {
        rc = XENSHIM_RC_TIMEOUT;
    } else {
        rc = qemu_verdict(status, why, sizeof(why));
        if (rc == XENSHIM_RC_QEMU && stop_sig)
            msg("stopped by signal %d (%s): %s", stop_sig, strsignal(stop_sig), why);
        else if (rc == XENSHIM_RC_QEMU)
            msg("%s", why);
    }
out_relay:
    if (out_fd >= 0)
        close(out_fd);
    if (relay > 0)
        console_relay_wait(relay);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* Why verdict rc restarts the guest under r, or NULL. */
static const char *restart_reason(const struct qemu_restart *r, int rc)
{
    if (rc == XENSHIM_RC_POWEROFF && r->on_poweroff)
        return "powered off (on_poweroff=restart)";
    if (rc == XENSHIM_RC_REBOOT && r->on_reboot)
        return "rebooted (on_reboot=restart)";
    if (rc == XENSHIM_RC_CRASH && r->on_crash)
        return "crashed (on_crash=restart)";
    if (rc == XENSHIM_RC_WATCHDOG && r->on_watchdog)
        return "watchdog fired (on_watchdog=restart)";
    return NULL;
}

int qemu_run_guest(const struct qemu_cmd *cmd, unsigned long timeout_sec,
                   const struct qemu_restart *r, const struct console_sink *sink)
{
    double start = console_now();
    unsigned int restarts = 0;
    const char *why;
    int rc;

    for (;;) {
        unsigned long left = timeout_sec;

        if (timeout_sec) {
            double spent = console_now() - start;

            if (spent >= (double)timeout_sec) {
                msg("timeout: %lu s spent, over %u restarts", timeout_sec, restarts);
                return XENSHIM_RC_TIMEOUT;
            }
            left = timeout_sec - (unsigned long)spent;
        }
        rc = qemu_run(cmd, left, sink);
        why = restart_reason(r, rc);
        if (!why)
            return rc;
        if (restarts == r->max) {
            msg("guest %s again after %u restarts; giving up", why, r->max);
            return rc;
        }
        restarts++;
        msg("guest %s: restarting (%u of at most %u)", why, restarts, r->max);
    }
}
