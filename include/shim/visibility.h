/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Forced into every shim translation unit (-include). The shim is linked at a
 * fixed address in the Xen-reserved area but compiled -fpie; hiding every
 * symbol makes the compiler use direct PC-relative references instead of GOT
 * loads, so no dynamic relocation processing is ever needed.
 */
#pragma GCC visibility push(hidden)
