// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time probe of Hyper-V's synthetic devices (plat/viridian-devices.h):
 * storvsc's disks, then netvsc's NICs, each registered as a provider.
 */
#include <plat/hyperv.h>
#include <plat/viridian-devices.h>
#include <plat/vmbus.h>
#include <shim/log.h>
#include "vdev.h"

void viridian_devices_probe(void)
{
    unsigned int disks, nics;

    /* vmbus_init is idempotent: the platform hook may have connected already. */
    if (!hv_present() || vmbus_init())
        return;
    disks = storvsc_probe();
    nics = netvsc_probe();
    log_info("viridian: %u synthetic disk(s), %u synthetic NIC(s)\n", disks, nics);
}
