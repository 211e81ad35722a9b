# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += test-bzimage
test-bzimage_SRCS := tests/unit/test-bzimage.c tools/xenshim/bzimage.c
test-bzimage_LIBS := -llz4
