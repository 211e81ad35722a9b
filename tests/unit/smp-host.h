/* SPDX-License-Identifier: GPL-2.0-only */
/* What the host stand-ins of smp-host.c recorded. */
#ifndef TESTS_SMP_HOST_H
#define TESTS_SMP_HOST_H

#include <stdint.h>

extern uint64_t smp_host_kicks;         /* bit n: CPU n was kicked */
extern unsigned int smp_host_flushes;

#endif
