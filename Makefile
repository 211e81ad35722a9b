# SPDX-License-Identifier: GPL-2.0-only
# xenshim build. Targets: all (shim image + host tool), unit, guests, check.
#
# Layout conventions that let parts of the tree grow without editing this file:
#  - shim sources: every .c/.S under shim/, hypercalls/, grant/, xenbus/,
#    pvdrivers/ and the platform's directories, PLATFORM_DIRS (pc: pc and
#    viridian; other platforms are not linked).
#  - host tool: tools/xenshim/*.c plus the shared parsers in SHARED_SRCS.
#  - unit tests: tests/unit/<name>.mk adds <name> to UNIT_TESTS and sets
#    <name>_SRCS (host-built with cmocka, ASan and UBSan).
#  - test guests: every tests/guests/<name>/main.c is one guest, linked with
#    tests/guests/common/*.{c,S}.

CC        ?= gcc
HOSTCC    ?= $(CC)
LD        := ld
OBJCOPY   := objcopy
PLATFORM  ?= pc
B         := build

# The Xen public headers come from Debian's libxen-dev, installed in
# /usr/include/xen. Freestanding code must not see the rest of /usr/include,
# so only that directory is exposed, through a one-entry include root.
XEN_INC_ROOT := $(B)/sysinc
XEN_INC_LINK := $(XEN_INC_ROOT)/xen

CC_INC    := $(shell $(CC) -print-file-name=include)
CC_EXTRA  :=
ifeq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n1)),clang)
CC_INC    := $(shell $(CC) -print-resource-dir)/include
else
# Keep gcc from turning the shim's own memcpy/memset loops into calls to them.
CC_EXTRA  := -fno-tree-loop-distribute-patterns
endif

WARN      := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
             -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2

FREESTANDING := -std=gnu11 -ffreestanding -nostdinc -isystem $(CC_INC) \
             -I$(XEN_INC_ROOT) -Iinclude -fno-stack-protector -fno-builtin \
             -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
             -fno-strict-aliasing -fcf-protection=none -mno-red-zone \
             -mno-mmx -mno-sse -mno-sse2 -mno-3dnow -mno-avx -msoft-float \
             -O2 -g $(WARN) $(CC_EXTRA)

# The shim runs in the Xen-reserved L4 slots, far from any code model that
# assumes the low or high 2 GiB, so it is position independent and every
# symbol is hidden (direct PC-relative references, no GOT).
SHIM_CFLAGS := $(FREESTANDING) -fpie -include include/shim/visibility.h \
             -DSHIM_PLATFORM_$(PLATFORM)=1
SHIM_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack \
             --no-warn-rwx-segments -T shim/arch/x86_64/shim.lds

# A platform may carry others it detects at boot: pc links the Viridian
# (Hyper-V) partition support, which falls back to plain pc when CPUID
# does not report Hyper-V. shim/platform/common: the device provider
# registry (plat/provider.h) every platform uses.
PLATFORM_DIRS_pc := shim/platform/pc shim/platform/viridian
PLATFORM_DIRS := $(or $(PLATFORM_DIRS_$(PLATFORM)),shim/platform/$(PLATFORM))
SHIM_DIRS := shim shim/arch/x86_64 $(PLATFORM_DIRS) shim/platform/common hypercalls \
             grant xenbus pvdrivers
SHIM_SRCS := $(foreach d,$(SHIM_DIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S))
SHIM_OBJS := $(patsubst %,$(B)/shim-obj/%.o,$(SHIM_SRCS))

# Parsers shared by the shim and the host tool.
SHARED_SRCS := shim/xen-elf.c

HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude -I$(XEN_INC_ROOT) \
             -DSHIM_HOST_BUILD=1 -D_GNU_SOURCE
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer

TOOL_SRCS := $(wildcard tools/xenshim/*.c) $(SHARED_SRCS)
TOOL_LIBS := -llz4

GUEST_CFLAGS := $(FREESTANDING) -fno-pie -mcmodel=kernel -Itests/guests/common
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 \
             -z noexecstack --no-warn-rwx-segments -T tests/guests/common/guest.lds
GUEST_COMMON := $(wildcard tests/guests/common/*.c tests/guests/common/*.S)
GUESTS := $(sort $(patsubst tests/guests/%/main.c,%,$(wildcard tests/guests/*/main.c)))
GUEST_ELFS := $(patsubst %,$(B)/guests/%.elf,$(GUESTS))

# The .mk files below may add rules; `make` alone must still mean `all`.
.DEFAULT_GOAL := all
UNIT_TESTS :=
-include $(wildcard tests/unit/*.mk)

.PHONY: all shim tool unit guests test-guests e2e check clean deps bench fuzz demo
all: shim tool

$(XEN_INC_LINK):
	@mkdir -p $(XEN_INC_ROOT)
	@test -d /usr/include/xen || { echo "error: /usr/include/xen missing: install libxen-dev (scripts/setup-deps.sh)" >&2; exit 1; }
	@ln -sfn /usr/include/xen $@

# ---- shim image ----------------------------------------------------------
shim: $(B)/xenshim.elf

$(B)/shim-obj/%.c.o: %.c | $(XEN_INC_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -MMD -MP -c $< -o $@

$(B)/shim-obj/%.S.o: %.S | $(XEN_INC_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# The image is an ELF64 with a multiboot header using the address fields
# (a.out kludge), so QEMU's -kernel and GRUB load it from its file offsets.
$(B)/xenshim.elf: $(SHIM_OBJS) shim/arch/x86_64/shim.lds scripts/check-image.sh
	$(LD) $(SHIM_LDFLAGS) -o $@ $(SHIM_OBJS)
	@sh scripts/check-image.sh $@ || { rm -f $@; exit 1; }

# ---- host tool -----------------------------------------------------------
tool: $(B)/xenshim

$(B)/xenshim: $(TOOL_SRCS) $(wildcard tools/xenshim/*.h include/shim/*.h) | $(XEN_INC_LINK)
	@mkdir -p $(B)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(TOOL_SRCS) $(TOOL_LIBS)

# ---- unit tests ----------------------------------------------------------
UNIT_BINS := $(patsubst %,$(B)/unit/%,$(UNIT_TESTS))

define unit_rule
$(B)/unit/$(1): $$($(1)_SRCS) $$(wildcard include/*/*.h tests/unit/*.h) | $(XEN_INC_LINK)
	@mkdir -p $(B)/unit
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $$@ $$($(1)_SRCS) -lcmocka $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(UNIT_BINS)
	@sh tests/unit/run.sh $(UNIT_BINS)

# ---- PV test guests ------------------------------------------------------
guests: $(GUEST_ELFS)

$(B)/guest-obj/%.c.o: %.c | $(XEN_INC_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guest-obj/%.S.o: %.S | $(XEN_INC_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

GUEST_COMMON_OBJS := $(patsubst %,$(B)/guest-obj/%.o,$(GUEST_COMMON))
# A guest's own objects; a function so that '%' is not taken as the stem.
guest_objs = $(patsubst %,$(B)/guest-obj/%.o,$(wildcard tests/guests/$(1)/*.c))
.SECONDEXPANSION:
$(B)/guests/%.elf: $(GUEST_COMMON_OBJS) $$(call guest_objs,$$*) tests/guests/common/guest.lds
	@mkdir -p $(dir $@)
	$(LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

test-guests: all guests
	@sh tests/guests/run.sh

e2e: all
	@sh tests/e2e/run.sh

# ---- everything ----------------------------------------------------------
deps:
	@sh scripts/setup-deps.sh

check: deps
	@$(MAKE) --no-print-directory all guests
	@$(MAKE) --no-print-directory CC=clang HOSTCC=clang B=$(B)/clang shim guests tool
	@sh scripts/check-all.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

bench: all guests
	@sh bench/run.sh

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- xenshim certify: its initramfs builder, installed beside the tool ---
all tool: $(B)/certify-initramfs.sh

$(B)/certify-initramfs.sh: tools/certify-initramfs.sh
	@mkdir -p $(B)
	cp $< $@

# ---- man page (docs/xenshim.1 from docs/xenshim.1.md, with lowdown) ------
.PHONY: man
man: docs/xenshim.1

docs/xenshim.1: docs/xenshim.1.md
	@command -v lowdown >/dev/null 2>&1 || { echo "error: lowdown missing: install it (scripts/setup-deps.sh)" >&2; exit 1; }
	lowdown -s -Tman --out-no-smarty -o $@ $<

# ---- fuzzing (clang + libFuzzer) -----------------------------------------
# `make fuzz`: build every harness of tests/fuzz/*.mk into $(B)/fuzz/ and run
# each for FUZZ_TIME seconds on a copy of its seed corpus, then print one
# line per target (executions, cov/ft, crashes) and "N passed, N failed".
# FUZZ_ONLY="mm grant" restricts the run to some targets.
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 60
FUZZ_TARGETS :=
-include $(wildcard tests/fuzz/*.mk)
FUZZ_ONLY  ?= $(FUZZ_TARGETS)
FUZZ_CFLAGS := $(HOST_CFLAGS) -fsanitize=fuzzer,address,undefined \
             -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS  := $(patsubst %,$(B)/fuzz/fuzz-%,$(FUZZ_TARGETS))

define fuzz_rule
$(B)/fuzz/fuzz-$(1): $$(fuzz-$(1)_SRCS) $$(wildcard include/*/*.h tests/unit/*.h tests/fuzz/*.h xenbus/*.h tools/xenshim/*.h) | $(XEN_INC_LINK)
	@mkdir -p $(B)/fuzz
	@$(FUZZ_CC) --version | head -n1 | grep -q clang || { echo "error: make fuzz needs clang (FUZZ_CC=$(FUZZ_CC))" >&2; exit 1; }
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/unit -Itests/fuzz $$(fuzz-$(1)_CFLAGS) -o $$@ $$(fuzz-$(1)_SRCS) $$(fuzz-$(1)_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(patsubst %,$(B)/fuzz/fuzz-%,$(FUZZ_ONLY))
	@FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh $(B)/fuzz $(FUZZ_ONLY)
