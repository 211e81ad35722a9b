#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run libFuzzer harnesses for a bounded time: run.sh <bindir> <target>...
# Each target runs FUZZ_TIME seconds (default 60) on a fresh copy of
# tests/fuzz/corpus/<target>/ (the committed seeds stay untouched; new
# inputs land in <bindir>/work/<target>/corpus). Prints per target the
# executions, the final cov/ft and the crashes (artifacts are kept in
# <bindir>/work/<target>/), then "N passed, N failed". A target fails if
# libFuzzer found a crash, leak, timeout or OOM, or did not run at all.
set -u
bindir=$1
shift
time=${FUZZ_TIME:-60}
pass=0
fail=0
for t in "$@"; do
    bin=$bindir/fuzz-$t
    work=$bindir/work/$t
    rm -rf "$work"
    mkdir -p "$work/corpus"
    if [ -d "tests/fuzz/corpus/$t" ]; then
        cp tests/fuzz/corpus/"$t"/* "$work/corpus/" 2>/dev/null
    fi
    log=$work/log
    start=$(date +%s)
    "$bin" -max_total_time="$time" -print_final_stats=1 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="$work/" "$work/corpus" >"$log" 2>&1
    rc=$?
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    covline=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n1)
    cov=$(echo "$covline" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$covline" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    crashes=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    corpus=$(ls "$work/corpus" | wc -l)
    if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] && [ -n "$execs" ]; then
        status=PASS
        pass=$((pass + 1))
    else
        status=FAIL
        fail=$((fail + 1))
    fi
    printf '%-10s %s  %ss  execs %s  cov %s  ft %s  corpus %s  crashes %s\n' \
        "$t" "$status" "$((end - start))" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
        "$corpus" "$crashes"
    if [ "$status" = FAIL ]; then
        grep -E 'ERROR: |invariant violated|PANIC|SUMMARY' "$log" | head -n5 | sed 's/^/    /'
        find "$work" -maxdepth 1 -type f -name '*-*' ! -name log | sed 's/^/    artifact: /'
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
