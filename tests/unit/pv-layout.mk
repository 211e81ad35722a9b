# SPDX-License-Identifier: GPL-2.0-only
# PV boot layout, start_info and hypercall page (shim/pv-layout.c, shim/pv-start-info.c).
UNIT_TESTS += pv-layout
pv-layout_SRCS := tests/unit/test-pv-layout.c tests/unit/test-pv-start-info.c \
                  shim/pv-layout.c shim/pv-start-info.c
pv-layout_LIBS := -lcapstone
