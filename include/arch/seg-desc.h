/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest segment descriptor checks (shim/arch/x86_64/seg-desc.c). */
#ifndef ARCH_SEG_DESC_H
#define ARCH_SEG_DESC_H

#include <shim/types.h>

/* True if *desc is safe for a 64-bit PV guest; fixes its DPL up in place. */
bool check_descriptor(uint64_t *desc);

#endif
