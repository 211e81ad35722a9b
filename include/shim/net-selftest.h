/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time self-test of the network provider (shim option nettest=1), used
 * by tests/e2e/virtio-net-selftest.sh before netback exists.
 */
#ifndef SHIM_NET_SELFTEST_H
#define SHIM_NET_SELFTEST_H

/*
 * On NIC 0, attached to QEMU's user-mode network: check that malformed
 * transmits are refused, ARP for the gateway 10.0.2.2 (polled), send a
 * fragmented DHCP DISCOVER with the UDP checksum left to the provider and
 * check the OFFER (by interrupts). Each wait is bounded by 2 s. Panics on
 * any failure; returns on success with one ARP request sent whose reply
 * arrives once the guest runs.
 */
void net_selftest(void);

#endif
