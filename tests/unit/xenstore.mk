# SPDX-License-Identifier: GPL-2.0-only
# The xenstore server (xenbus/): wire parser, tree and permissions
# (xenstore); quotas, domU layout, backend API (xenstore-quota); watches and
# transactions (xenstore-watch); the store ring (xenstore-ring).
XS_UNIT_SRCS := tests/unit/xs-test.c xenbus/xs-arena.c xenbus/xs-tree.c \
                xenbus/xs-ops.c xenbus/xs-transaction.c xenbus/xs-watch.c \
                xenbus/xs-wire.c xenbus/xs-ring.c xenbus/xs-layout.c shim/lib.c
UNIT_TESTS += xenstore xenstore-quota xenstore-watch xenstore-ring
xenstore_SRCS := tests/unit/test-xenstore.c $(XS_UNIT_SRCS)
xenstore-quota_SRCS := tests/unit/test-xenstore-quota.c $(XS_UNIT_SRCS)
xenstore-watch_SRCS := tests/unit/test-xenstore-watch.c $(XS_UNIT_SRCS)
xenstore-ring_SRCS := tests/unit/test-xenstore-ring.c $(XS_UNIT_SRCS)
# The server's private header is not under include/: rebuild on its changes.
$(patsubst %,$(B)/unit/%,xenstore xenstore-quota xenstore-watch xenstore-ring): \
    xenbus/xs-internal.h
