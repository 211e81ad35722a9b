// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's entry points in the running shim: creating the vifs from the
 * command line at boot, the guest's notifications, and the two pieces that
 * reach the CPU and the xenstore ring (the host unit tests link their own).
 */
#include <arch/x86.h>
#include <shim/evtchn.h>
#include <shim/frame.h>
#include <shim/log.h>
#include <shim/mm.h>
#include <shim/xenstore.h>
#include "netback-priv.h"

void netback_init(struct domain *d, const struct shim_vif *vifs, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        const struct plat_net_info *info = plat_net_info(vifs[i].idx);
        const uint8_t *m = vifs[i].mac;

        if (!info)
            panic("vif=%u:%02x:%02x:%02x:%02x:%02x:%02x: the machine has no NIC %u (%u found)\n",
                  vifs[i].idx, m[0], m[1], m[2], m[3], m[4], m[5], vifs[i].idx,
                  plat_net_count());
        if (!netback_vif_create(d, &vifs[i], info))
            panic("netback: more than %u vifs\n", NETBACK_MAX_VIFS);
        log_info("netback: vif%u on NIC %u, mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u%s%s\n",
                 vifs[i].idx, vifs[i].idx, m[0], m[1], m[2], m[3], m[4], m[5], info->mtu,
                 info->tx_csum ? ", tx-csum" : "", info->tso4 ? ", tso4" : "");
    }
    if (!n && plat_net_count())
        log_info("netback: %u NIC(s) but no vif= token: none attached\n", plat_net_count());
}

void netback_tlb_sync(void)
{
    if (mm_take_tlb_flush_request())
        flush_tlb_local();      /* other CPUs were flushed at the type change */
}

void netback_xs_kick(struct domain *d)
{
    if (xs_output_pending(d->xs) && xs_ring_service(d->xs, mfn_to_virt(d->store_mfn)))
        evtchn_set_pending(d, d->store_port);
}
