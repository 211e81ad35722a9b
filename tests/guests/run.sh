#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every built PV test guest under the shim and checks its verdict.
#
# A guest passes when the host tool exits 0 (SCHEDOP_shutdown poweroff) and
# its console shows exactly one "Test result:" line saying SUCCESS or SKIP.
# selftest-fail is the inverse: it must say FAILURE and exit non-zero.
#
# A guest that needs devices has tests/guests/<name>/xenshim-args: extra
# `xenshim run` options on one line, where @DISK@ stands for a fresh 4 MiB
# zeroed image, $B/guest-logs/<name>.img (e.g. `--disk @DISK@,raw,xvda,rw`).
#
# Usage: tests/guests/run.sh [guest.elf...]
#   default: every $B/guests/*.elf (B defaults to "build")
# Environment: B, XENSHIM (host tool, default $B/xenshim; a clang tree has
# no tool of its own, so $B/../xenshim is tried next), TIMEOUT (s, 120).
set -u

B=${B:-build}
TIMEOUT=${TIMEOUT:-120}
LOGDIR=$B/guest-logs
SRCDIR=$(dirname "$0")

if [ -n "${XENSHIM:-}" ]; then
    tool=$XENSHIM
elif [ -x "$B/xenshim" ]; then
    tool=$B/xenshim
else
    tool=$B/../xenshim
fi
if [ ! -x "$tool" ]; then
    echo "run.sh: host tool $tool not found or not executable (make tool, or set XENSHIM)" >&2
    exit 1
fi

if [ $# -eq 0 ]; then
    set -- "$B"/guests/*.elf
    if [ ! -e "$1" ]; then
        echo "run.sh: no guests in $B/guests (make guests)" >&2
        exit 1
    fi
fi

mkdir -p "$LOGDIR" || exit 1
passed=0
failed=0

for elf in "$@"; do
    name=$(basename "$elf" .elf)
    log=$LOGDIR/$name.log

    # Extra options (word-split on purpose: one option per word, no spaces in $B).
    extra=
    if [ -f "$SRCDIR/$name/xenshim-args" ]; then
        img=$LOGDIR/$name.img
        rm -f "$img"
        if ! dd if=/dev/zero of="$img" bs=1048576 count=4 2>/dev/null; then
            echo "run.sh: cannot create $img" >&2
            exit 1
        fi
        extra=$(sed "s|@DISK@|$img|g" "$SRCDIR/$name/xenshim-args")
    fi
    # shellcheck disable=SC2086
    "$tool" run --kernel "$elf" --timeout "$TIMEOUT" $extra >"$log" 2>&1
    status=$?

    # Tolerate CRLF consoles and any per-line prefix the console adds.
    nresults=$(tr -d '\r' <"$log" | grep -c 'Test result:')
    result=$(tr -d '\r' <"$log" | sed -n 's/.*Test result: *\([A-Z]*\).*/\1/p' | head -n 1)

    if [ "$name" = selftest-fail ]; then
        want="FAILURE and a non-zero exit"
        if [ "$nresults" -eq 1 ] && [ "$result" = FAILURE ] && [ "$status" -ne 0 ]; then
            ok=1
        else
            ok=0
        fi
    else
        want="SUCCESS or SKIP and exit 0"
        if [ "$nresults" -eq 1 ] && [ "$status" -eq 0 ] &&
           { [ "$result" = SUCCESS ] || [ "$result" = SKIP ]; }; then
            ok=1
        else
            ok=0
        fi
    fi

    if [ "$ok" -eq 1 ]; then
        passed=$((passed + 1))
        echo "PASS $name (${result}, exit $status)"
    else
        failed=$((failed + 1))
        echo "FAIL $name (result '${result:-none}' x$nresults, exit $status; wanted $want; log $log)"
        tr -d '\r' <"$log" | grep -E 'Failure:|Error:|Skip:' | head -n 10 | sed 's/^/    /'
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
