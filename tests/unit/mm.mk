# PV MMU: page types, validation, pinning (shim/frame.c, shim/mm-*.c).
UNIT_TESTS += mm
mm_SRCS := tests/unit/test-mm.c tests/unit/test-mm-ops.c tests/unit/mm-stub.c shim/frame.c \
           shim/mm-types.c shim/mm-pte.c shim/mm-ops.c
