/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual PIT channel 2 and port 0x61 for the guest (Xen emul-i8254.c
 * gives PV guests the same): Linux calibrates the TSC against PIT channel 2
 * at boot, and with ports that float high it spins ~100,000 trapping reads
 * before giving up. Counting comes from the shim's system time.
 */
#ifndef ARCH_VPIT_H
#define ARCH_VPIT_H

#include <shim/types.h>

/* True if port belongs to the virtual PIT; *val gets the byte read. */
bool vpit_read(uint16_t port, uint8_t *val);
/* True if port belongs to the virtual PIT (the write is applied). */
bool vpit_write(uint16_t port, uint8_t val);

/* The arithmetic, time passed in for host tests. */
uint16_t vpit_count_at(uint64_t now_ns);
bool vpit_out2_at(uint64_t now_ns);

#endif
