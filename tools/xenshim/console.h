/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console relay: a child process between QEMU's stdout (the guest's
 * serial console) and where the console goes, that also keeps a
 * timestamped copy of each line and draws the one-line boot progress on
 * stderr. `xenshim run` uses it only for the progress display; `xenshim
 * certify` always (the console is its evidence).
 */
#ifndef XENSHIM_CONSOLE_H
#define XENSHIM_CONSOLE_H

#include <stdbool.h>
#include <sys/types.h>

struct console_sink {
    int out_fd;          /* every console byte, unchanged (-1: none) */
    int timeline_fd;     /* "<seconds> <line>\n" per line (-1: none) */
    bool progress;       /* draw the progress line on stderr */
    double t0;           /* CLOCK_MONOTONIC origin of the timestamps */
};

/*
 * Should the progress line be drawn? Only on a terminal stderr, and not
 * when stdout is that same terminal (the guest console is there: the two
 * must never mix).
 */
bool console_progress_wanted(void);

/* CLOCK_MONOTONIC in seconds. */
double console_now(void);

/*
 * Fork the relay. Returns 0 with *pid and *write_fd (close-on-exec, the
 * end to give QEMU as stdout; the caller closes it once QEMU has it), or
 * -1 after printing a message. The relay ends at end of file, i.e. once
 * every copy of write_fd is closed; reap it with console_relay_wait.
 */
int console_relay_start(const struct console_sink *s, pid_t *pid, int *write_fd);
void console_relay_wait(pid_t pid);

#endif
