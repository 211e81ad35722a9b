# SPDX-License-Identifier: GPL-2.0-only
XL_TOOL_SRCS := tools/xenshim/xl-config.c tools/xenshim/xl-config-lex.c tools/xenshim/xl-domain.c \
	tools/xenshim/xl-domain-devices.c tools/xenshim/disk-spec.c \
	tools/xenshim/vbd-devnum.c tools/xenshim/vif-spec.c
UNIT_TESTS += test-xl-config test-xl-devices
test-xl-config_SRCS := tests/unit/test-xl-config.c $(XL_TOOL_SRCS)
test-xl-devices_SRCS := tests/unit/test-xl-devices.c $(XL_TOOL_SRCS)
# Counts the reallocs of the parser (test_many_devices).
test-xl-config_LIBS := -Wl,--wrap=realloc
