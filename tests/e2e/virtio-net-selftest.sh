#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The pc network provider on real QEMU, before netback exists: boots the
# shim with nettest=1 and a modern-only virtio-net NIC on QEMU's user-mode
# network with restrict=on (slirp answers ARP for its gateway and DHCP; no
# packet leaves QEMU, no host network access), then checks from the log that
#  - the NIC was found with the MAC and MTU given on the QEMU command line,
#  - the gateway answered the ARP request with slirp's MAC,
#  - slirp answered the fragmented DHCP DISCOVER, whose UDP checksum the
#    provider computed (slirp drops UDP with a bad checksum), with an OFFER
#    of 10.0.2.15,
#  - the shim's self-test passed (it panics on any failure), the test guest
#    still ran to a clean poweroff, and the reply to the ARP request the
#    self-test left behind arrived by an interrupt taken while the guest ran.
# Ends with "N passed, N failed".
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
MAC=52:54:00:58:53:01
MTU=1400

passed=0
failed=0
ok()    { passed=$((passed + 1)); echo "PASS: $*"; }
bad()   { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
finish() { echo "virtio-net-selftest: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

for f in "$SHIM" "$GUEST"; do
    if [ ! -f "$f" ]; then
        echo "virtio-net-selftest: $f missing (make shim guests)" >&2
        bad "prerequisites"
        finish
    fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
log=$B/virtio-net-selftest.log

timeout "$TIMEOUT" "$QEMU" -machine pc -accel tcg -cpu max,-smap -m 256 \
    -display none -serial stdio -monitor none -nodefaults -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$SHIM" -append "mem=64 nettest=1 -- " -initrd "$GUEST" \
    -netdev user,id=n0,restrict=on \
    -device virtio-net-pci,disable-legacy=on,netdev=n0,mac=$MAC,host_mtu=$MTU \
    > "$tmp/raw.log" 2>&1
rc=$?
tr -d '\r' < "$tmp/raw.log" > "$log"
grep -E 'virtio-net|nettest|panic|PANIC|Test result' "$log" | sed 's/^/    /'

# shellcheck disable=SC2317 # called through check
has() { grep -q -- "$1" "$log"; }

# isa-debug-exit turns the shim's SHIM_EXIT_POWEROFF (0x10) into (0x10 << 1) | 1.
check "QEMU exit status 33 (guest poweroff), got $rc" [ "$rc" -eq 33 ]
check "NIC found with mac $MAC and mtu $MTU" has "virtio-net 0: mac $MAC, mtu $MTU,"
check "ARP reply from the gateway" has "nettest: ARP reply: 10.0.2.2 is at 52:55:0a:00:02:02"
check "DHCP OFFER of 10.0.2.15" has "nettest: DHCP OFFER from 10.0.2.2: yiaddr 10.0.2.15,"
check "self-test passed" has "nettest: all checks passed"
check "guest ran after the self-test" has "Test result: SUCCESS"
late=$(sed -n '/starting the guest/,$p' "$log" | grep -c 'nettest: late ARP reply received')
check "receive interrupt while the guest ran" [ "$late" -eq 1 ]
[ "$failed" -eq 0 ] || echo "log: $log"
finish
