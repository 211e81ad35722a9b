# SPDX-License-Identifier: GPL-2.0-only
# The VMBus client's receive path against a hostile ring, on the fake host
# of the VMBus unit tests (VMBUS_UNIT_SRCS of tests/unit/vmbus.mk).
FUZZ_TARGETS += vmbus-ring
fuzz-vmbus-ring_SRCS = tests/fuzz/fuzz-vmbus-ring.c $(VMBUS_UNIT_SRCS)
