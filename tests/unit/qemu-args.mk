# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += test-qemu-args
test-qemu-args_SRCS := tests/unit/test-qemu-args.c tools/xenshim/qemu-args.c \
	tools/xenshim/disk-spec.c tools/xenshim/vbd-devnum.c tools/xenshim/vif-spec.c
