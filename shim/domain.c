// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one domain, and how it ends. A guest shutdown ends the machine with a
 * verdict the host tool turns into its exit status; a guest the shim must
 * stop (domain_crash) ends with the crash verdict after a diagnostic.
 */
#include <arch/smp.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/blkback.h>
#include <shim/netback.h>
#include <shim/domain.h>
#include <shim/evtchn.h>
#include <shim/exit-status.h>
#include <shim/hypercall.h>
#include <arch/traps.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/pvconsole.h>
#include <shim/frame.h>
#include <shim/xenstore.h>

struct domain the_domain;

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

static void log_stats(void)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
        total += hypercall_stats.calls[i];
    log_info("hypercalls: %lu handled, %lu unknown\n", (unsigned long)total,
             (unsigned long)hypercall_stats.unknown);
    /* Where the guest's time in the shim went: for benchmarks and traces. */
    log_printf("(xenshim) busiest:");
    for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
        if (hypercall_stats.calls[i] * 100 >= total && hypercall_stats.calls[i])
            log_printf(" %s=%lu", hypercall_table[i].name + sizeof("__HYPERVISOR_") - 1,
                       (unsigned long)hypercall_stats.calls[i]);
    for (unsigned int v = 0; v < ARRAY_SIZE(trap_stats.count); v++)
        if (trap_stats.count[v])
            log_printf(" vec%u=%lu", v, (unsigned long)trap_stats.count[v]);
    log_printf(" ptwr=%lu\n", (unsigned long)trap_stats.ptwr);
}

void domain_shutdown(unsigned int reason)
{
    /* Whatever the guest left in its console ring is part of its output. */
    pvconsole_flush(&the_domain);
    log_info("guest shutdown: %s\n",
             reason < ARRAY_SIZE(reason_names) ? reason_names[reason] : "?");
    log_stats();
    plat_exit(SHIM_EXIT_POWEROFF + reason);
}

void domain_crash(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    shim_lock();            /* a lock-free fast path may crash the guest too */
    pvconsole_flush(&the_domain);
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_printf("(xenshim) domain crashed: %s", buf);
    log_stats();
    plat_exit(SHIM_EXIT_CRASH);
}

void backend_notify(struct domain *d, enum evtchn_backend backend, unsigned int instance)
{
    switch (backend) {
    case EVTCHN_BACKEND_CONSOLE:
        pvconsole_service(d);
        break;
    case EVTCHN_BACKEND_XENSTORE:
        if (xs_ring_service(d->xs, mfn_to_virt(d->store_mfn)))
            evtchn_set_pending(d, d->store_port);
        break;
    case EVTCHN_BACKEND_BLKBACK:
        blkback_notify(d, instance);
        break;
    case EVTCHN_BACKEND_NETBACK:
        netback_notify(d, instance);
        break;
    default:
        break;
    }
}
