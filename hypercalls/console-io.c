// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io: the hypervisor console. CONSOLEIO_write goes straight to the
 * platform console (Linux uses it for its earliest messages and for
 * earlyprintk=xen); CONSOLEIO_read returns queued console input.
 */
#include <plat/platform.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>

#define CHUNK 256

long do_console_io(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    unsigned int cmd = a[0];
    uint64_t count = (uint32_t)a[1];
    guest_va_t buf = a[2];
    char tmp[CHUNK];

    switch (cmd) {
    case CONSOLEIO_write:
        for (uint64_t done = 0; done < count;) {
            size_t n = MIN(count - done, (uint64_t)CHUNK);

            if (copy_from_guest(tmp, buf + done, n))
                return -XEN_EFAULT;
            plat_console_write(tmp, n);
            done += n;
        }
        return 0;
    case CONSOLEIO_read: {
        uint64_t got = 0;
        int c;

        while (got < count && got < CHUNK && (c = plat_console_getc()) >= 0)
            tmp[got++] = (char)c;
        if (got && copy_to_guest(buf, tmp, got))
            return -XEN_EFAULT;
        return (long)got;
    }
    default:
        return -XEN_ENOSYS;
    }
}
