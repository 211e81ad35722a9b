# SPDX-License-Identifier: GPL-2.0-only
# Xen note detection of `xenshim inspect` (tools/xenshim/elf-notes.c).
UNIT_TESTS += test-elf-notes
test-elf-notes_SRCS := tests/unit/test-elf-notes.c tools/xenshim/elf-notes.c
