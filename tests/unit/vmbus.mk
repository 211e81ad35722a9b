# SPDX-License-Identifier: GPL-2.0-only
# The VMBus client (shim/platform/viridian/vmbus-*.c) against a fake
# Hyper-V host (vmbus-fake-host.c, vmbus-fake-synic.c) that plays the
# hypervisor calls of plat/hyperv.h and the host side of the protocol.
# vmbus-mem.c is replaced by the fake machine memory of the fake host.
VMBUS_UNIT_SRCS := tests/unit/vmbus-fake-host.c tests/unit/vmbus-fake-synic.c \
                   shim/platform/viridian/vmbus-ring.c shim/platform/viridian/vmbus-connect.c \
                   shim/platform/viridian/vmbus-message.c \
                   shim/platform/viridian/vmbus-gpadl.c shim/platform/viridian/vmbus-channel.c
UNIT_TESTS += vmbus-ring
vmbus-ring_SRCS := tests/unit/test-vmbus-ring.c $(VMBUS_UNIT_SRCS)
$(B)/unit/vmbus-ring: $(wildcard shim/platform/viridian/vmbus-*.h tests/unit/vmbus-fake-host.h)
UNIT_TESTS += vmbus-connect
vmbus-connect_SRCS := tests/unit/test-vmbus-connect.c $(VMBUS_UNIT_SRCS)
$(B)/unit/vmbus-connect: $(wildcard shim/platform/viridian/vmbus-*.h tests/unit/vmbus-fake-host.h)
UNIT_TESTS += vmbus-gpadl vmbus-channel
vmbus-gpadl_SRCS := tests/unit/test-vmbus-gpadl.c $(VMBUS_UNIT_SRCS)
vmbus-channel_SRCS := tests/unit/test-vmbus-channel.c $(VMBUS_UNIT_SRCS)
$(B)/unit/vmbus-gpadl $(B)/unit/vmbus-channel: $(wildcard shim/platform/viridian/vmbus-*.h tests/unit/vmbus-fake-host.h)
