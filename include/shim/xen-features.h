/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENFEAT bits the shim reports in submap 0 (xen_version get_features).
 * Linux 6.1 PV panics without mmu_pt_update_preserve_ad and
 * gnttab_map_avail_bits (drivers/xen/features.c); auto_translated_physmap
 * must stay clear so it takes the PV paths (contract 2.3).
 */
#ifndef SHIM_XEN_FEATURES_H
#define SHIM_XEN_FEATURES_H

#include <xen-public/xen.h>

#define SHIM_XENFEAT_SUBMAP0 \
    ((1u << XENFEAT_mmu_pt_update_preserve_ad) | \
     (1u << XENFEAT_gnttab_map_avail_bits) | \
     (1u << XENFEAT_direct_mapped))

#endif
