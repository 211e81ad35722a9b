#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every test suite of `make check` and ends with one overall line
# "N passed, N failed". Each suite prints its own summary line too.
set -u
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
log=build/check.log
mkdir -p build
: > "$log"

run_suite() {
    name=$1
    shift
    echo "==== $name"
    out=build/check-$name.out
    "$@" 2>&1 | tee "$out"
    rc=$?
    line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$out" | tail -n1)
    p=$(printf '%s\n' "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
    if [ -z "$line" ]; then
        echo "check: suite $name printed no summary"
        p=0
        f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    echo "$name: $line" >> "$log"
}

run_suite unit make --no-print-directory unit
run_suite unit-clang make --no-print-directory CC=clang HOSTCC=clang B=build/clang unit
run_suite guests sh tests/guests/run.sh
run_suite virtio-blk sh tests/e2e/virtio-blk-selftest.sh
run_suite virtio-net sh tests/e2e/virtio-net-selftest.sh
run_suite e2e sh tests/e2e/run.sh
run_suite smp sh tests/e2e/smp.sh
run_suite storage sh tests/e2e/storage.sh
run_suite network sh tests/e2e/network.sh
run_suite viridian sh tests/e2e/viridian.sh
run_suite inspect sh tests/e2e/inspect.sh
run_suite certify sh tests/e2e/certify.sh
run_suite examples sh tests/e2e/examples.sh
run_suite manpage sh tests/e2e/manpage.sh

echo "==== summary"
cat "$log"
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
