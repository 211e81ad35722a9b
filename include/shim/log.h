/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shim logging to the platform console (the serial port on pc), and the
 * fail-stop paths. Escalation policy (see README): return an error to the
 * guest; else crash the guest with diagnostics (domain_crash); panic the shim
 * only when its own integrity is at stake.
 */
#ifndef SHIM_LOG_H
#define SHIM_LOG_H

#include <shim/types.h>

void log_printf(const char *fmt, ...) __printf(1, 2);
/* Print and stop the machine with the "shim panic" verdict. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define log_info(fmt, ...)  log_printf("(xenshim) " fmt, ##__VA_ARGS__)
#define log_warn(fmt, ...)  log_printf("(xenshim) warning: " fmt, ##__VA_ARGS__)

/* Debug checks only; never put side effects inside. */
#define ASSERT(cond) do { \
    if (unlikely(!(cond))) \
        panic("assertion '%s' failed at %s:%d\n", #cond, __FILE__, __LINE__); \
} while (0)

#endif
