#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `xenshim certify` on Debian's cloud kernel: the report's verdicts must
# agree with what the console and the exit status show (read here
# independently of the tool), the JUnit XML must be well-formed (xmllint)
# and its counts must match the Markdown. Three runs: everything attached,
# --no-disk --no-net (frontends skipped, still exit 0), and an initramfs
# whose /init exits (kernel panic: boot and poweroff fail, exit 2).
# Ends with "certify: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
work=build/e2e-certify
rm -rf "$work"
mkdir -p "$work"
timeout=${E2E_TIMEOUT:-600}

ok()  { passed=$((passed + 1)); echo "PASS: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
has() { grep -q -- "$1" "$out/console.log"; }

# verdict NAME: the check's verdict in the Markdown table.
verdict() { sed -n "s/^| $1 | \**\([a-zA-Z]*\)\** |.*/\1/p" "$out/report.md" | tr 'A-Z' 'a-z'; }
# junit NAME: pass, fail or skip from the XML testcase.
junit() {
    awk -v n="$1" '
        $0 ~ "<testcase .*name=\"" n "\"" { t = 1; v = "pass"; next }
        t && /<failure / { v = "fail" }
        t && /<skipped / { v = "skip" }
        t && /<\/testcase>/ { print v; exit }' "$out/report.xml"
}
expect_verdict() {
    name=$1 want=$2 why=$3
    md=$(verdict "$name")
    xml=$(junit "$name")
    if [ "$md" = "$want" ] && [ "$xml" = "$want" ]; then
        ok "$tag: $name $want ($why)"
    else
        bad "$tag: $name: report.md '$md', report.xml '$xml', expected '$want' ($why)"
    fi
}
well_formed() {
    [ -s "$out/report.xml" ] || return 1
    xmllint --noout "$out/report.xml"
}
counts_agree() {
    f=$(grep -c '^| [a-z-]* | \*\*FAIL\*\*' "$out/report.md")
    s=$(grep -c '^| [a-z-]* | skip' "$out/report.md")
    grep -q "<testsuite name=\"xenshim.certify\" tests=\"8\" failures=\"$f\" errors=\"0\" skipped=\"$s\"" \
        "$out/report.xml"
}

command -v xmllint >/dev/null || bad "xmllint missing (Debian package libxml2-utils)"
vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) ||
    { echo "certify: cannot fetch the cloud kernel"; echo "certify: 0 passed, 1 failed"; exit 1; }

# ---- 1: the full certification ----------------------------------------------
tag=full
out=$work/full
start=$(date +%s)
build/xenshim certify "$vmlinuz" --out "$out" --timeout "$timeout" > "$work/full.out" 2>&1
rc=$?
echo "certify: full run: exit $rc after $(( $(date +%s) - start )) s"
cat "$work/full.out"
check "$tag: exit status 0" [ "$rc" -eq 0 ]
check "$tag: report.xml is well-formed XML" well_formed
check "$tag: XML counts agree with the Markdown" counts_agree
check "$tag: summary line" grep -q '^certify: [0-9]* passed, 0 failed, [0-9]* skipped; report: ' "$work/full.out"

# Each verdict against the evidence, read here from the console.
has "E2E-INIT: reached userspace" && has "E2E-XEN: xen 1" && v=pass || v=fail
expect_verdict boot $v "E2E-INIT and E2E-XEN: xen 1 on the console"
has "Linux version 6\." && has "console \[hvc0\] enabled" && v=pass || v=fail
expect_verdict console $v "banner and hvc0 on the console"
grep -Eq "BUG:|WARNING:|Oops|Kernel panic|blocked for more than|rcu_.*stall|RCU stall" \
    "$out/console.log" && v=fail || v=pass
expect_verdict kernel-log $v "grep of the console"
has "E2E-CLOCKSOURCE: xen" && v=pass || v=fail
expect_verdict timers $v "E2E-CLOCKSOURCE: xen"
has "(xenshim) blkback xvda: connected" && has "E2E-BLK-WRITE: ok" && v=pass || v=skip
has "(xenshim) blkback: xvda (vbd" || v=skip
expect_verdict blkfront $v "blkback connected and the guest wrote"
check "$tag: the guest's write is in disk.img" \
    sh -c "dd if='$out/disk.img' bs=512 skip=8 count=1 2>/dev/null | grep -q '^xenshim-certify-guest '"
if has "(xenshim) netback: vif0 on"; then
    has "(xenshim) netback vif0: connected" && has "E2E-NET-DHCP: [0-9]" && v=pass || v=fail
else
    v=skip  # a shim without netback
fi
expect_verdict netfront $v "netback connected and DHCP"
expect_verdict smp skip "one vCPU"
[ "$rc" -eq 0 ] && has "(xenshim) guest shutdown: poweroff" && v=pass || v=fail
expect_verdict poweroff $v "exit status and the shim's shutdown line"
check "$tag: the Markdown names the kernel version" \
    grep -q "^| kernel version | 6\.1\.[0-9]*-[0-9]*-cloud-amd64 |" "$out/report.md"
check "$tag: no progress line in a non-terminal run" sh -c "! grep -q 'xenshim: \[' '$work/full.out'"

# ---- 2: no devices: both frontends skipped with a reason, still exit 0 -------
tag=nodev
out=$work/nodev
build/xenshim certify "$vmlinuz" --initrd "$work/full/initramfs.cpio.gz" --no-disk --no-net \
    --out "$out" --timeout "$timeout" > "$work/nodev.out" 2>&1
rc=$?
check "$tag: exit status 0" [ "$rc" -eq 0 ]
check "$tag: report.xml is well-formed XML" well_formed
expect_verdict blkfront skip "--no-disk"
expect_verdict netfront skip "--no-net"
check "$tag: the skip reasons name the options" \
    sh -c "grep -q 'no disk attached (--no-disk)' '$out/report.md' && grep -q 'no vif attached (--no-net)' '$out/report.md'"
check "$tag: no disk image written" [ ! -e "$out/disk.img" ]
expect_verdict boot pass "same kernel and initramfs"

# ---- 3: /init exits: the kernel panics, the report says so, exit 2 ------------
tag=panic
out=$work/panic
mkdir -p "$work/badinit/bin"
cp /bin/busybox "$work/badinit/bin/busybox"
printf '#!/bin/busybox sh\necho "this init gives up"\nexit 1\n' > "$work/badinit/init"
chmod 755 "$work/badinit/init"
(cd "$work/badinit" && find . | cpio -o -H newc --quiet) | gzip -1 > "$work/badinit.cpio.gz"
build/xenshim certify "$vmlinuz" --initrd "$work/badinit.cpio.gz" --out "$out" \
    --timeout "$timeout" > "$work/panic.out" 2>&1
rc=$?
check "$tag: exit status 2 (a check failed)" [ "$rc" -eq 2 ]
check "$tag: report.xml is well-formed XML" well_formed
check "$tag: XML counts agree with the Markdown" counts_agree
has "Kernel panic" && ok "$tag: the console shows the panic" || bad "$tag: no panic on the console"
expect_verdict boot fail "no E2E-INIT"
expect_verdict kernel-log fail "Kernel panic"
expect_verdict poweroff fail "crash, exit status 2"
check "$tag: poweroff detail names the crash" grep -q "exit status 2 (guest crashed)" "$out/report.md"

# ---- usage errors: nothing run, exit 1 ----------------------------------------
build/xenshim certify > /dev/null 2>&1; rc=$?
check "no KERNEL: exit 1" [ "$rc" -eq 1 ]
build/xenshim certify /bin/true --out "$work/notkernel" --no-disk --no-net \
    --initrd "$work/badinit.cpio.gz" > /dev/null 2>&1; rc=$?
check "not a Xen kernel: exit 1" [ "$rc" -eq 1 ]
build/xenshim certify "$vmlinuz" --timeout x > /dev/null 2>&1; rc=$?
check "bad --timeout: exit 1" [ "$rc" -eq 1 ]

echo "certify: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
