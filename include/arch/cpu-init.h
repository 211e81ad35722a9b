/* SPDX-License-Identifier: GPL-2.0-only */
/* Control-register features every CPU sets up the same way before a guest runs on it. */
#ifndef ARCH_CPU_INIT_H
#define ARCH_CPU_INIT_H

void cpu_features_init(void);

#endif
