/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory reservation (ballooning): frames the guest gives back with
 * decrease_reservation go to a pool and come back, scrubbed, through
 * populate_physmap / increase_reservation. The domain never grows beyond
 * the frames it was built with.
 */
#ifndef SHIM_RESERVATION_H
#define SHIM_RESERVATION_H

#include <shim/domain.h>

void reservation_init(struct domain *d);
/* Take a guest frame back; -XEN_EINVAL if not the guest's or still in use. */
int reservation_release(struct domain *d, mfn_t mfn);
/* Hand a pooled frame to the guest (scrubbed); 0 when the pool is empty. */
mfn_t reservation_take(struct domain *d);

#endif
