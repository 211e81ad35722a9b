# SPDX-License-Identifier: GPL-2.0-only
# Split virtqueue logic (shim/platform/pc/virtqueue.c) against a simulated device.
UNIT_TESTS += test-virtqueue
test-virtqueue_SRCS := tests/unit/test-virtqueue.c shim/platform/pc/virtqueue.c
