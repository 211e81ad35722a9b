// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ending the machine with a verdict: QEMU's isa-debug-exit device turns the
 * value written to its port into QEMU's exit status (see
 * include/shim/exit-status.h). On a machine without that device the write is
 * ignored, so the shim then halts for good.
 */
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/exit-status.h>

void plat_exit(unsigned int verdict)
{
    local_irq_disable();
    outl(SHIM_DEBUG_EXIT_PORT, verdict);
    for (;;)
        halt();
}
