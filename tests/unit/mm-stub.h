/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for what the PV MMU needs from the rest of the shim:
 * machine frames (a host array behind mfn_to_virt), the shim's L4 slots,
 * the M2P, the descriptor-page check, and logging.
 */
#ifndef TEST_MM_STUB_H
#define TEST_MM_STUB_H

#include <shim/mm.h>

#define STUB_NR_FRAMES 64

/* Frame layout after stub_mm_reset(). */
#define STUB_MFN_NONE    0   /* 0-1: FRAME_OWNER_NONE */
#define STUB_MFN_SHIM    2   /* 2-3: FRAME_OWNER_SHIM */
#define STUB_MFN_SHARED  4   /* 4: FRAME_OWNER_SHARED */
#define STUB_MFN_GUEST   8   /* 8..63: FRAME_OWNER_GUEST (5-7 NONE) */

/* What arch_init_shim_l4_slots writes into slot i. */
#define STUB_SHIM_SLOT(i) (0x5348494d00000000ULL | (uint64_t)(i))

extern uint64_t stub_m2p[STUB_NR_FRAMES];
extern unsigned int stub_m2p_calls;
extern int stub_desc_rc;              /* arch_validate_desc_page result */
extern unsigned int stub_desc_calls;
extern unsigned int stub_type_change_flushes;   /* arch_flush_tlbs_for_type_change */

/* Fresh frame table and zeroed memory, owners as above. */
void stub_mm_reset(void);
uint64_t *stub_frame(mfn_t mfn);

#endif
