/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkback: the in-shim backend of the guest's xen-blkfront (pvdrivers/
 * blkback*.c). One vbd per vbd= token of the shim command line, each on one
 * disk of the block provider (plat/block.h). The xenstore handshake is the
 * one libxl + Linux blkback perform (contract 7.4, 7.5); the ring is blkif
 * in the x86_64 ABI (contract 9.1, 9.2), with indirect descriptors and
 * multi-page rings; data moves by DMA straight between the disk and the
 * granted guest frames. No persistent grants: the frontend would then
 * bounce every byte through them, and the shim maps grants for free.
 *
 * Context: everything runs on the guest's one CPU with interrupts off, from
 * the hypercall that notified a port (EVTCHNOP_send), from xenstore watch
 * callbacks, or from the provider's completion (device interrupt or
 * plat_blk_poll). These never nest, so blkback needs no lock.
 */
#ifndef SHIM_BLKBACK_H
#define SHIM_BLKBACK_H

#include <shim/boot-info.h>
#include <shim/domain.h>

#define BLKBACK_MAX_VBDS SHIM_MAX_VBDS

/*
 * Create one vbd per vbds[i] and publish its frontend and backend
 * directories in d's xenstore (backend in InitWait). Call once, after the
 * domain is built (d->xs exists) and before the guest runs. A token naming
 * a disk the provider does not have is a configuration error: panic with
 * its text. n == 0 attaches nothing.
 */
void blkback_init(struct domain *d, const struct shim_vbd *vbds, unsigned int n);

/* The guest notified the event channel of vbd `instance` (backend_notify). */
void blkback_notify(struct domain *d, unsigned int instance);

#endif
