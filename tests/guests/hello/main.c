// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the smallest possible PV guest. Checks that the guest starts at
 * its ENTRY note with RSI = start_info (magic "xen-3.0-x86_64", contract
 * 1.6), that CONSOLEIO_write reaches the console and that
 * SCHEDOP_shutdown(poweroff) ends the run with a zero exit status. No trap
 * table, no shared_info mapping (TEST_BARE): nothing else has to work.
 */
#include "guest.h"

TEST_DESC("hello", "console write and clean shutdown", TEST_BARE);

void test_main(void)
{
    char magic[sizeof(start_info->magic) + 1] = { 0 };

    memcpy(magic, start_info->magic, sizeof(start_info->magic));
    if (strcmp(magic, "xen-3.0-x86_64"))
        test_fail("start_info magic is \"%s\"", magic);

    printk("Hello from a PV guest: %lu pages, start_info at %p\n",
           (unsigned long)start_info->nr_pages, (void *)start_info);
}
