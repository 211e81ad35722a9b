# SPDX-License-Identifier: GPL-2.0-only
# Event channels on their own (shim/evtchn.c, hypercalls/evtchn.c), with a
# host shared_info and guest memory behind the real shim/guest-access.c.
UNIT_TESTS += test-evtchn
test-evtchn_SRCS := tests/unit/test-evtchn.c tests/unit/guest-memory-stub.c \
                    shim/guest-access.c shim/evtchn.c hypercalls/evtchn.c \
                    tests/unit/smp-host.c
