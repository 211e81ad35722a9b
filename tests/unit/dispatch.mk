# SPDX-License-Identifier: GPL-2.0-only
# Hypercall dispatch (hypercalls/table.c) and the families that need no MMU,
# descriptor tables or event channels, over host guest memory
# (guest-memory-stub.c behind the real shim/guest-access.c).
UNIT_TESTS += dispatch
dispatch_SRCS := tests/unit/test-dispatch.c tests/unit/test-dispatch-version.c \
                 tests/unit/test-dispatch-cpu.c tests/unit/test-dispatch-mem.c \
                 tests/unit/dispatch-stub.c tests/unit/guest-memory-stub.c \
                 tests/unit/cpu-state-host.c shim/guest-access.c \
                 hypercalls/table.c hypercalls/xen-version.c hypercalls/multicall.c \
                 hypercalls/callback.c hypercalls/console-io.c hypercalls/sched.c \
                 hypercalls/memory.c hypercalls/physdev.c
# cpu-state.c carries an exception-table entry (absolute addresses in a
# read-only section); a non-PIE test binary links it without text relocations.
dispatch_LIBS := -no-pie
