# Grant tables: guest operations and the backend access API (grant/*.c,
# hypercalls/grant-table.c), on stub frames with the real PV MMU.
GRANT_COMMON := tests/unit/grant-stub.c tests/unit/guest-memory-stub.c \
                shim/guest-access.c grant/table.c grant/access.c \
                hypercalls/grant-table.c shim/frame.c shim/mm-types.c \
                shim/mm-pte.c shim/mm-ops.c

UNIT_TESTS += grant-table
grant-table_SRCS := tests/unit/test-grant-table.c $(GRANT_COMMON)

UNIT_TESTS += grant-access
grant-access_SRCS := tests/unit/test-grant-access.c $(GRANT_COMMON)

# v2 entries, and a guest rewriting its entries under the backend (threads).
UNIT_TESTS += grant-v2
grant-v2_SRCS := tests/unit/test-grant-v2.c $(GRANT_COMMON)
grant-v2_LIBS := -lpthread
