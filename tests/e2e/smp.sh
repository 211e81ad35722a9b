#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# SMP: Debian's cloud kernel under the shim with 2 and with 4 vCPUs (QEMU
# -smp N under TCG), running the e2e=smp checks of the e2e initramfs: all
# vCPUs listed, a parallel stress (4 fork+exec loops, 4 page-fault loops,
# one worker pinned to each CPU with taskset) and CPU 1 taken offline and
# back online through sysfs. Ends with "smp: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
logdir=build/e2e-smp
mkdir -p "$logdir"

ok()   { passed=$((passed + 1)); echo "PASS: $*"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
has()   { grep -q -- "$1" "$log"; }
lacks() { ! grep -Eq -- "$1" "$log"; }
field() { sed -n "s/^$1: //p" "$log" | tail -n1; }

vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || { echo "smp: cannot fetch the cloud kernel"; echo "smp: 0 passed, 1 failed"; exit 1; }
root=${vmlinuz%/boot/*}
sh tests/e2e/build-initramfs.sh "$root" "$logdir/initramfs.cpio.gz" ||
    { echo "smp: cannot build the initramfs"; echo "smp: 0 passed, 1 failed"; exit 1; }

# The n CPUs "0-(n-1)" as sysfs prints them.
range() { [ "$1" -eq 1 ] && echo 0 || echo "0-$(($1 - 1))"; }

boot_smp() {
    n=$1
    log=$logdir/smp$n.log
    start=$(date +%s)
    build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
        --memory 512 --vcpus "$n" --cmdline "console=hvc0 e2e=smp" \
        --timeout "${SMP_TIMEOUT:-600}" > "$log" 2>&1
    rc=$?
    echo "smp: boot with $n vCPUs: exit $rc after $(($(date +%s) - start)) s"
    tr -d '\r' < "$log" > "$log.txt"
    log=$log.txt

    check "$n vCPUs: exit status 0 (poweroff)" [ "$rc" -eq 0 ]
    check "$n vCPUs: the shim started $n CPUs" has "smp: $n CPUs online"
    check "$n vCPUs: Linux brought up $n CPUs" has "smp: Brought up 1 node, $n CPUs"
    check "$n vCPUs: /proc/cpuinfo lists $n, all online" \
        [ "$(field E2E-SMP-CPUINFO)" = "$n $(range "$n")" ]
    check "$n vCPUs: no BUG/WARNING/Oops/panic/hung task/RCU stall" \
        lacks "BUG:|WARNING:|Oops|Kernel panic|blocked for more than|rcu_.*stall|RCU stall|soft lockup"
    check "$n vCPUs: parallel stress, every worker succeeded" \
        has "E2E-SMP-STRESS: 0 of $((8 + n)) workers failed"
    cpu=0
    while [ "$cpu" -lt "$n" ]; do
        check "$n vCPUs: worker pinned to CPU $cpu ran there" has "E2E-SMP-PINNED: $cpu ran on $cpu\$"
        cpu=$((cpu + 1))
    done
    if [ "$n" -gt 1 ]; then
        if [ "$n" -eq 2 ]; then left=0; else left="0,2-$((n - 1))"; fi
        [ "$n" -eq 3 ] && left="0,2"
        check "$n vCPUs: CPU 1 offline through sysfs" [ "$(field E2E-SMP-OFFLINE)" = "ok $left" ]
        check "$n vCPUs: fork+exec while CPU 1 is offline" has "E2E-SMP-WHILE-OFFLINE: ok"
        check "$n vCPUs: CPU 1 back online" [ "$(field E2E-SMP-ONLINE)" = "ok $(range "$n")" ]
        check "$n vCPUs: CPU 1 runs work again" has "E2E-SMP-AFTER-ONLINE: ran on 1\$"
    fi
}

boot_smp 2
boot_smp 4

echo "smp: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
