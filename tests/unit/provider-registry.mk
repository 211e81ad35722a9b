# SPDX-License-Identifier: GPL-2.0-only
# The device provider registry (shim/platform/common/*-registry.c): global
# disk/NIC indices over several fake providers, receive-callback index
# translation, bounds.
UNIT_TESTS += provider-registry
provider-registry_SRCS := tests/unit/test-provider-registry.c \
	shim/platform/common/blk-registry.c shim/platform/common/net-registry.c
