# SPDX-License-Identifier: GPL-2.0-only
# The storvsc block provider (shim/platform/viridian/storvsc*.c) on the fake
# VMBus (fake-vmbus.c) against a model of the storage VSP (storvsp-model.c).
UNIT_TESTS += storvsc
storvsc_SRCS := tests/unit/test-storvsc.c tests/unit/fake-vmbus.c tests/unit/storvsp-model.c \
	shim/platform/viridian/storvsc.c shim/platform/viridian/storvsc-io.c \
	shim/platform/viridian/storvsc-scsi.c
$(B)/unit/storvsc: $(wildcard shim/platform/viridian/*.h)
