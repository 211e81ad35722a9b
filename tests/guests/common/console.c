// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write, len, buf)
 * ([H:xen.h] CONSOLEIO_write). Only this channel is used, never the PV
 * console ring as well, so the host sees each line exactly once.
 */
#include "guest.h"

void console_write(const char *s, size_t len)
{
    /* Results are ignored: there is nowhere else to report a failure. */
    while (len) {
        unsigned int chunk = len > 1024 ? 1024 : (unsigned int)len;

        hypervisor_console_io(CONSOLEIO_write, chunk, s);
        s += chunk;
        len -= chunk;
    }
}

void printk(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    console_write(buf, (size_t)n);
}
