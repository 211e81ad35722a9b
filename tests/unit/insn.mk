# SPDX-License-Identifier: GPL-2.0-only
# Privileged-instruction decoder (shim/arch/x86_64/insn.c) against capstone.
UNIT_TESTS += insn
insn_SRCS := tests/unit/test-insn.c tests/unit/test-insn-sweep.c shim/arch/x86_64/insn.c
insn_LIBS := -lcapstone
