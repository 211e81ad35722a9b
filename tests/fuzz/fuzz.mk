# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer harnesses (`make fuzz`): one per parser or validator a hostile
# guest or a hostile input file reaches. Each tests/fuzz/fuzz-<name>.c is
# linked with the same sources as its unit test; its seeds are in
# tests/fuzz/corpus/<name>/ (regenerate with tests/fuzz/make-seeds.sh).
FUZZ_TARGETS += xenstore mm xen-elf xl-config bzimage grant

fuzz-xenstore_SRCS := tests/fuzz/fuzz-xenstore.c xenbus/xs-arena.c xenbus/xs-tree.c \
                      xenbus/xs-ops.c xenbus/xs-transaction.c xenbus/xs-watch.c \
                      xenbus/xs-wire.c xenbus/xs-ring.c xenbus/xs-layout.c shim/lib.c
fuzz-mm_SRCS := tests/fuzz/fuzz-mm.c tests/unit/mm-stub.c shim/frame.c \
                shim/mm-types.c shim/mm-pte.c shim/mm-ops.c
fuzz-xen-elf_SRCS := tests/fuzz/fuzz-xen-elf.c shim/xen-elf.c
fuzz-xl-config_SRCS := tests/fuzz/fuzz-xl-config.c $(XL_TOOL_SRCS)
fuzz-xl-config_CFLAGS := -Itools/xenshim
fuzz-bzimage_SRCS := tests/fuzz/fuzz-bzimage.c tools/xenshim/bzimage.c
fuzz-bzimage_CFLAGS := -Itools/xenshim
fuzz-bzimage_LIBS := -llz4
# grant-stub.c uses cmocka's asserts in its guest-side helpers.
fuzz-grant_SRCS := tests/fuzz/fuzz-grant.c $(GRANT_COMMON)
fuzz-grant_LIBS := -lcmocka
# blkback's request validation on the blkback unit-test helpers; needs the
# sources of tests/unit/blkback.mk (BLKBACK_UNIT_SRCS).
FUZZ_TARGETS += blkback
fuzz-blkback_SRCS = tests/fuzz/fuzz-blkback.c $(BLKBACK_UNIT_SRCS)
fuzz-blkback_LIBS := -lcmocka
# netback's TX/RX handling on the netback unit-test helpers (netback_SRCS
# minus its test file).
FUZZ_TARGETS += netback
fuzz-netback_SRCS = tests/fuzz/fuzz-netback.c $(filter-out tests/unit/test-netback.c,$(netback_SRCS))
fuzz-netback_LIBS := -lcmocka
# The Xen-note detector of `xenshim inspect` (any ELF32/ELF64 file).
FUZZ_TARGETS += elf-notes
fuzz-elf-notes_SRCS := tests/fuzz/fuzz-elf-notes.c tools/xenshim/elf-notes.c
fuzz-elf-notes_CFLAGS := -Itools/xenshim
# Event channels as a guest drives them (raw ports, the guest's bitmap
# writes, the shim's internal senders), on host guest memory.
FUZZ_TARGETS += evtchn
fuzz-evtchn_SRCS := tests/fuzz/fuzz-evtchn.c tests/unit/guest-memory-stub.c \
                    shim/guest-access.c shim/evtchn.c hypercalls/evtchn.c \
                    tests/unit/smp-host.c
