#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The pc block provider on real QEMU, before blkback exists: boots the shim
# with blktest=1 and a modern-only virtio-blk disk holding random data, then
# checks from the host that
#  - the disk was found with the right size,
#  - the CRC-32s the shim logged for sector 0 and sectors 0-7 match the image
#    (the CRC-32 of gzip's trailer, so no extra tools are needed),
#  - the shim's self-test passed (it panics on any failure), the test guest
#    still ran to a clean poweroff afterwards, and the read the self-test
#    left in flight completed by an interrupt taken while the guest ran,
#  - the pattern the shim wrote is in the last sector and nothing else moved.
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
SECTORS=16384                                       # 8 MiB

passed=0
failed=0
ok()    { passed=$((passed + 1)); echo "PASS: $*"; }
bad()   { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
finish() { echo "virtio-blk-selftest: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

for f in "$SHIM" "$GUEST"; do
    if [ ! -f "$f" ]; then
        echo "virtio-blk-selftest: $f missing (make shim guests)" >&2
        bad "prerequisites"
        finish
    fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
img=$tmp/disk.img
log=$B/virtio-blk-selftest.log

# crc32 FILE COUNT: CRC-32 of the first COUNT bytes, as 8 hex digits.
crc32() {
    head -c "$2" "$1" | gzip -c | tail -c 8 | od -An -tx4 -N4 | tr -d ' \n'
}

# The 512-byte pattern blk_selftest writes: byte i is (i * 7 + 3) mod 256.
pattern() {
    i=0
    fmt=
    while [ $i -lt 512 ]; do
        fmt="$fmt\\$(printf '%03o' $(((i * 7 + 3) % 256)))"
        i=$((i + 1))
    done
    # shellcheck disable=SC2059 # the format is the octal escapes built above
    printf "$fmt"
}

head -c $((SECTORS * 512)) /dev/urandom > "$img" || exit 1
cp "$img" "$tmp/orig.img"
pattern > "$tmp/pattern"
want0=$(crc32 "$img" 512)
want8=$(crc32 "$img" 4096)

timeout "$TIMEOUT" "$QEMU" -machine pc -accel tcg -cpu max,-smap -m 256 \
    -display none -serial stdio -monitor none -nodefaults -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$SHIM" -append "mem=64 blktest=1 -- " -initrd "$GUEST" \
    -drive file="$img",if=none,format=raw,id=d0 \
    -device virtio-blk-pci,disable-legacy=on,drive=d0 > "$tmp/raw.log" 2>&1
rc=$?
tr -d '\r' < "$tmp/raw.log" > "$log"
grep -E 'virtio-blk|blktest|panic|Test result' "$log" | sed 's/^/    /'

# shellcheck disable=SC2317 # called through check
has() { grep -q -- "$1" "$log"; }
logged() { sed -n "s/.*blktest: sector 0 crc32 \([0-9a-f]*\), sectors 0-7 crc32 \([0-9a-f]*\).*/\\$1/p" "$log"; }

# isa-debug-exit turns the shim's SHIM_EXIT_POWEROFF (0x10) into (0x10 << 1) | 1.
check "QEMU exit status 33 (guest poweroff), got $rc" [ "$rc" -eq 33 ]
check "disk found with $SECTORS sectors" has "virtio-blk 0: $SECTORS sectors, rw"
check "sector 0 crc32 $want0 (shim: $(logged 1))" [ "$(logged 1)" = "$want0" ]
check "sectors 0-7 crc32 $want8 (shim: $(logged 2))" [ "$(logged 2)" = "$want8" ]
check "self-test passed" has "blktest: all checks passed"
check "guest ran after the self-test" has "Test result: SUCCESS"
# The read left in flight completes by an interrupt taken from the guest.
late=$(sed -n '/starting the guest/,$p' "$log" | grep -c 'read left in flight at boot completed, status 0')
check "completion interrupt while the guest ran" [ "$late" -eq 1 ]
tail -c 512 "$img" > "$tmp/last"
check "pattern in the last sector" cmp -s "$tmp/last" "$tmp/pattern"
check "the rest of the image unchanged" cmp -s -n $(((SECTORS - 1) * 512)) "$img" "$tmp/orig.img"
[ "$failed" -eq 0 ] || echo "log: $log"
finish
