// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shim log output and panic. Messages are formatted into a bounded buffer
 * and written to the platform console; a panic prints, then stops the
 * machine with the "shim panic" verdict.
 */
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/exit-status.h>
#include <shim/lib.h>
#include <shim/log.h>

static void vlog(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n < 0)
        return;
    plat_console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    local_irq_disable();
    log_printf("\n(xenshim) PANIC: ");
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
    plat_exit(SHIM_EXIT_PANIC);
}
