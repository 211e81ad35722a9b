# SPDX-License-Identifier: GPL-2.0-only
# The netvsc network provider (shim/platform/viridian/netvsc*.c, rndis.c) on
# the fake VMBus (fake-vmbus.c) against a model of the network VSP.
UNIT_TESTS += netvsc
netvsc_SRCS := tests/unit/test-netvsc.c tests/unit/fake-vmbus.c \
	shim/platform/viridian/netvsc.c shim/platform/viridian/netvsc-io.c \
	shim/platform/viridian/rndis.c
$(B)/unit/netvsc: $(wildcard shim/platform/viridian/*.h)
