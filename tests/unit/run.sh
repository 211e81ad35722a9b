#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs each cmocka unit-test binary given on the command line and ends with
# one summary line over all of them: "N passed, N failed".
set -u
passed=0
failed=0
for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
    passed=$((passed + ${p:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        f=1     # crashed, or a sanitizer stopped it
        echo "unit: $t exited with status $rc"
    fi
    failed=$((failed + ${f:-0}))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
