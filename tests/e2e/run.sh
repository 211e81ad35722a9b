#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# End to end: Debian's current cloud kernel (fetched with apt-get download,
# never committed) boots unchanged under the shim in QEMU with a busybox
# initramfs whose /init prints E2E-* lines (tests/e2e/initramfs/init).
# Each boot is judged on the exit status and on those lines; the console
# must show no BUG/WARNING/Oops/panic/hung task/RCU stall. Ends with
# "e2e: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
logdir=build/e2e
mkdir -p "$logdir"

ok()   { passed=$((passed + 1)); echo "PASS: $*"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || { echo "e2e: cannot fetch the cloud kernel"; echo "e2e: 0 passed, 1 failed"; exit 1; }
root=${vmlinuz%/boot/*}
sh tests/e2e/build-initramfs.sh "$root" "$logdir/initramfs.cpio.gz" ||
    { echo "e2e: cannot build the initramfs"; echo "e2e: 0 passed, 1 failed"; exit 1; }

# boot NAME CMDLINE: run one boot, leave the log in $logdir/NAME.log
boot() {
    name=$1
    cmdline=$2
    log=$logdir/$name.log
    start=$(date +%s)
    build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
        --memory 512 --cmdline "$cmdline" --timeout "${E2E_TIMEOUT:-600}" > "$log" 2>&1
    rc=$?
    end=$(date +%s)
    echo "e2e: boot $name: exit $rc after $((end - start)) s"
    tr -d '\r' < "$log" > "$log.txt"
    log=$log.txt
}

has()   { grep -q -- "$1" "$log"; }
lacks() { ! grep -Eq -- "$1" "$log"; }
field() { sed -n "s/^$1: //p" "$log" | tail -n1; }

date_close() {
    [ -n "$1" ] || return 1
    # The guest prints E2E-DATE just before poweroff, i.e. when the run ends.
    diff=$(( $2 - $1 ))
    [ "$diff" -ge -5 ] && [ "$diff" -le 5 ]
}

judge_common() {
    n=$1
    check "$n: exit status 0 (poweroff)" [ "$rc" -eq 0 ]
    check "$n: the kernel's banner" has "Linux version 6.1"
    check "$n: /init reached" has "E2E-INIT: reached userspace"
    check "$n: no BUG/WARNING/Oops/panic/hung task/RCU stall" \
        lacks "BUG:|WARNING:|Oops|Kernel panic|blocked for more than|rcu_.*stall|RCU stall"
    check "$n: runs on Xen PV" has "E2E-XEN: xen 1"
    check "$n: clocksource xen" has "E2E-CLOCKSOURCE: xen"
    check "$n: xenbus without timeouts" lacks "xenbus.*(timeout|timed out)|Waiting for devices"
    check "$n: 200 fork+exec" has "E2E-FORKEXEC: 200 "
    # The guest printed its date shortly before powering off (at $end).
    check "$n: guest date within 5 s of the host" date_close "$(field E2E-DATE)" "$end"
    check "$n: /proc/uptime is monotonic" \
        awk -v u="$(field E2E-UPTIME)" 'BEGIN { split(u, a, " "); exit !(a[2] > a[1]) }'
}

boot hvc0 "console=hvc0"
judge_common hvc0
check "hvc0: 256 MiB page-fault workload" has "E2E-PAGEFAULT: ok"

boot earlyprintk "console=hvc0 earlyprintk=xen e2e=quick"
judge_common earlyprintk
check "earlyprintk: early console through console_io" has "bootconsole \[xenboot0\]"

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
