# SPDX-License-Identifier: GPL-2.0-only
# netvsc's RNDIS receive parser (messages from the Hyper-V host).
FUZZ_TARGETS += rndis
fuzz-rndis_SRCS := tests/fuzz/fuzz-rndis.c shim/platform/viridian/rndis.c
