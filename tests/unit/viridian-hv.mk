# SPDX-License-Identifier: GPL-2.0-only
# The Viridian (Hyper-V) partition core (shim/platform/viridian/hv-*.c) on a
# fake partition (hv-fake.c stands in for hv-arch-x86.c): detection, the
# hypercall layer, reference time and stimer, the SynIC.
HV_CORE_SRCS := tests/unit/hv-fake.c shim/platform/viridian/hv-detect.c \
                shim/platform/viridian/hv-hypercall.c shim/platform/viridian/hv-ipi.c \
                shim/platform/viridian/hv-time.c shim/platform/viridian/hv-stimer.c \
                shim/platform/viridian/hv-synic.c shim/platform/viridian/hv-init.c
UNIT_TESTS += hv-detect hv-hypercall hv-time hv-synic
hv-detect_SRCS := tests/unit/test-hv-detect.c $(HV_CORE_SRCS)
hv-hypercall_SRCS := tests/unit/test-hv-hypercall.c $(HV_CORE_SRCS)
hv-time_SRCS := tests/unit/test-hv-time.c $(HV_CORE_SRCS)
hv-synic_SRCS := tests/unit/test-hv-synic.c $(HV_CORE_SRCS)
$(patsubst %,$(B)/unit/%,hv-detect hv-hypercall hv-time hv-synic): \
    $(wildcard shim/platform/viridian/*.h) tests/unit/hv-fake.h
