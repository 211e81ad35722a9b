# SPDX-License-Identifier: GPL-2.0-only
# netback (pvdrivers/netback-{tx,rx,xenbus}.c) on the real grant tables,
# xenstore server and event channels, with a fake network provider and the
# frontend played by the test (netback-test.c), well-behaved and hostile.
NETBACK_UNIT_SRCS = tests/unit/netback-test.c $(GRANT_COMMON) \
               shim/evtchn.c tests/unit/smp-host.c pvdrivers/netback-tx.c pvdrivers/netback-rx.c \
               pvdrivers/netback-xenbus.c \
               xenbus/xs-arena.c xenbus/xs-tree.c xenbus/xs-ops.c \
               xenbus/xs-transaction.c xenbus/xs-watch.c xenbus/xs-wire.c \
               xenbus/xs-ring.c xenbus/xs-layout.c shim/lib.c
UNIT_TESTS += netback
netback_SRCS = tests/unit/test-netback.c $(NETBACK_UNIT_SRCS)
$(B)/unit/netback: pvdrivers/netback-priv.h tests/unit/netback-test.h xenbus/xs-internal.h \
    pvdrivers/netback-tx.c pvdrivers/netback-rx.c pvdrivers/netback-xenbus.c
