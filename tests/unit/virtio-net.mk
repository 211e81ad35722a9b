# SPDX-License-Identifier: GPL-2.0-only
# The pure half of the virtio-net provider (shim/platform/pc/virtio-net-buf.c):
# transmit checks, headers, checksum splice; and its receive-buffer ring
# against a simulated device.
UNIT_TESTS += test-virtio-net test-virtio-net-rx
test-virtio-net_SRCS := tests/unit/test-virtio-net.c shim/platform/pc/virtio-net-buf.c \
	shim/platform/pc/virtqueue.c
test-virtio-net-rx_SRCS := tests/unit/test-virtio-net-rx.c shim/platform/pc/virtio-net-buf.c \
	shim/platform/pc/virtqueue.c
