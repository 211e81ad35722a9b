#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Viridian platform on KVM's Hyper-V emulation: boots the shim with the
# hello test guest under QEMU -accel kvm with hv-relaxed, hv-vpindex,
# hv-synic, hv-time, hv-stimer and a vmbus-bridge, and checks from the
# shim's log that
#  - the platform was detected ("platform: viridian (");
#  - the hypercall page works (a reserved call code answered
#    HV_STATUS_INVALID_HYPERCALL_CODE: "viridian: hypercall page works");
#  - SynIC messages arrive ("viridian: first SynIC message");
#  - the VMBus handshake completed ("vmbus: version", logged by vmbus_init);
#  - the guest still ran to a clean poweroff.
# TCG has no Hyper-V emulation, so without /dev/kvm the suite is skipped
# with the reason and "0 passed, 0 failed". Needs a real Hyper-V host for
# storvsc/netvsc: QEMU has no VSPs for them (docs/viridian.md).
#
# Environment: B (build dir, default build), QEMU (default
# qemu-system-x86_64), TIMEOUT (s, default 120).
set -u
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${TIMEOUT:-120}
SHIM=$B/xenshim.elf
GUEST=$B/guests/hello.elf
[ -f "$GUEST" ] || GUEST=$B/../guests/hello.elf     # a clang tree has no guests
log=$B/viridian.log

passed=0
failed=0
ok()    { passed=$((passed + 1)); echo "PASS: $*"; }
bad()   { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
finish() { echo "viridian: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "SKIP: viridian: no usable /dev/kvm; QEMU TCG has no Hyper-V emulation" \
         "(the host unit tests hv-* cover the partition core; docs/viridian.md)"
    finish
fi

for f in "$SHIM" "$GUEST"; do
    if [ ! -f "$f" ]; then
        echo "viridian: $f missing (make shim guests)" >&2
        bad "prerequisites"
        finish
    fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

timeout "$TIMEOUT" "$QEMU" -machine pc -accel kvm \
    -cpu host,hv-relaxed,hv-vpindex,hv-synic,hv-time,hv-stimer -m 256 \
    -display none -serial stdio -monitor none -nodefaults -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -device vmbus-bridge \
    -kernel "$SHIM" -append "mem=64 -- " -initrd "$GUEST" > "$tmp/raw.log" 2>&1
rc=$?
tr -d '\r' < "$tmp/raw.log" > "$log"
grep -E 'platform:|viridian:|vmbus:|panic|Test result' "$log" | sed 's/^/    /'

# shellcheck disable=SC2317 # called through check
has() { grep -q -- "$1" "$log"; }

# isa-debug-exit turns the shim's SHIM_EXIT_POWEROFF (0x10) into (0x10 << 1) | 1.
check "QEMU exit status 33 (guest poweroff), got $rc" [ "$rc" -eq 33 ]
check "platform detected as viridian" has "platform: viridian ("
check "hypercall page works" has "viridian: hypercall page works"
check "SynIC messages arrive" has "viridian: first SynIC message"
check "VMBus handshake completed" has "vmbus: version "
check "guest ran" has "Test result: SUCCESS"
[ "$failed" -eq 0 ] || echo "log: $log"
finish
