# SPDX-License-Identifier: GPL-2.0-only
# Event channels across vCPUs (shim/evtchn.c): who gets the upcall and whose
# CPU is kicked, with the cross-CPU calls recorded by smp-host.c.
UNIT_TESTS += smp-events
smp-events_SRCS := tests/unit/test-smp-events.c shim/evtchn.c tests/unit/smp-host.c
