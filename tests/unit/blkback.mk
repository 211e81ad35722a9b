# SPDX-License-Identifier: GPL-2.0-only
# blkback (pvdrivers/blkback-{io,ring,xenbus}.c) on the real grant tables,
# xenstore server and event channels, with a fake block provider and the
# frontend played by the test (blkback-test.c): the well-behaved protocol
# (blkback) and hostile frontends (blkback-hostile).
BLKBACK_UNIT_SRCS = tests/unit/blkback-test.c $(GRANT_COMMON) shim/evtchn.c tests/unit/smp-host.c \
                     pvdrivers/blkback-io.c pvdrivers/blkback-ring.c \
                     pvdrivers/blkback-xenbus.c \
                     xenbus/xs-arena.c xenbus/xs-tree.c xenbus/xs-ops.c \
                     xenbus/xs-transaction.c xenbus/xs-watch.c xenbus/xs-wire.c \
                     xenbus/xs-ring.c xenbus/xs-layout.c shim/lib.c
UNIT_TESTS += blkback blkback-hostile
blkback_SRCS = tests/unit/test-blkback.c $(BLKBACK_UNIT_SRCS)
blkback-hostile_SRCS = tests/unit/test-blkback-hostile.c $(BLKBACK_UNIT_SRCS)
$(patsubst %,$(B)/unit/%,blkback blkback-hostile): pvdrivers/blkback-priv.h \
    tests/unit/blkback-test.h xenbus/xs-internal.h
