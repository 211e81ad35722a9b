/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The verdict channel between the shim and the host tool.
 *
 * The shim writes one of SHIM_EXIT_* to the isa-debug-exit port; QEMU then
 * exits with status (value << 1) | 1. The host tool turns that into its own
 * exit status XENSHIM_RC_*, which tests read instead of scraping the log.
 */
#ifndef SHIM_EXIT_STATUS_H
#define SHIM_EXIT_STATUS_H

#define SHIM_DEBUG_EXIT_PORT  0xf4

/* Values written by the shim (SHUTDOWN_* reason + 0x10, or panic). */
#define SHIM_EXIT_POWEROFF    0x10
#define SHIM_EXIT_REBOOT      0x11
#define SHIM_EXIT_SUSPEND     0x12
#define SHIM_EXIT_CRASH       0x13
#define SHIM_EXIT_WATCHDOG    0x14
#define SHIM_EXIT_SOFT_RESET  0x15
#define SHIM_EXIT_PANIC       0x1f

/* QEMU's exit status for a given shim value. */
#define SHIM_EXIT_QEMU_STATUS(v) (((v) << 1) | 1)

/* Exit statuses of `xenshim run`. */
#define XENSHIM_RC_POWEROFF   0   /* guest powered off: success */
#define XENSHIM_RC_USAGE      1   /* bad arguments or unusable input */
#define XENSHIM_RC_CRASH      2   /* guest crashed (SHUTDOWN_crash or killed by the shim) */
#define XENSHIM_RC_PANIC      3   /* the shim itself panicked */
#define XENSHIM_RC_REBOOT     4   /* guest asked for a reboot */
#define XENSHIM_RC_OTHER      5   /* suspend, soft_reset: not supported yet */
#define XENSHIM_RC_WATCHDOG   6   /* guest watchdog fired */
#define XENSHIM_RC_QEMU       7   /* QEMU failed or exited without a verdict */
#define XENSHIM_RC_TIMEOUT    124 /* the run hit --timeout */

#endif
