/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hyper-V's synthetic devices as block and network providers
 * (shim/platform/viridian/storvsc*.c, netvsc*.c), for the platform that
 * probes devices at boot (pc's plat_devices_init).
 */
#ifndef PLAT_VIRIDIAN_DEVICES_H
#define PLAT_VIRIDIAN_DEVICES_H

/*
 * When Hyper-V is present and VMBus connected (plat/hyperv.h,
 * plat/vmbus.h): bring up every synthetic SCSI controller's disks and
 * every synthetic NIC, and register them with the provider registry
 * (plat/provider.h) after the providers registered so far. Does nothing,
 * quietly, on any other machine. Boot only, interrupts off.
 */
void viridian_devices_probe(void);

#endif
