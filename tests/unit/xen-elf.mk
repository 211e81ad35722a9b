# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += test-xen-elf
test-xen-elf_SRCS := tests/unit/test-xen-elf.c shim/xen-elf.c
