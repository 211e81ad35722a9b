# SPDX-License-Identifier: GPL-2.0-only
# Helpers of bench/run.sh (sourced): sample files, medians, ratios, log
# fields and callgrind counts. A sample file holds one number per line;
# a missing or empty one means "not measured", printed as n/a.

# add_sample FILE VALUE: append VALUE if it is a number.
add_sample() {
    case $2 in
        ''|*[!0-9.]*) return 1 ;;
    esac
    echo "$2" >> "$1"
}

# median FILE [DECIMALS]: the median of its numbers (mean of the middle two
# when even), with DECIMALS (default 3) digits after the point.
median() {
    [ -s "$1" ] || { echo n/a; return; }
    sort -g "$1" | awk -v d="${2:-3}" '{ v[NR] = $1 }
        END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.*f\n", d, m }'
}

# samples FILE: its numbers on one line, in run order.
samples() {
    [ -s "$1" ] || { echo "-"; return; }
    tr '\n' ' ' < "$1" | sed 's/ $//'
}

# ratio A B: A / B to two decimals, n/a unless both are positive numbers.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 <= 0) print "n/a"
        else printf "%.2f\n", a / b }'
}

# verdict RATIO LIMIT: "meets" if RATIO <= LIMIT, "misses" if above, else "-".
verdict() {
    awk -v r="$1" -v l="$2" 'BEGIN {
        if (r !~ /^[0-9.]+$/ || l !~ /^[0-9.]+$/) print "-"
        else print (r + 0 <= l + 0) ? "meets" : "misses" }'
}

# verdict_min RATIO LIMIT: "meets" if RATIO >= LIMIT, "misses" if below, else "-".
verdict_min() {
    awk -v r="$1" -v l="$2" 'BEGIN {
        if (r !~ /^[0-9.]+$/ || l !~ /^[0-9.]+$/) print "-"
        else print (r + 0 >= l + 0) ? "meets" : "misses" }'
}

# rate FILE MIB: each number of FILE (seconds) as MIB / seconds, one a line.
rate() {
    [ -s "$1" ] || return 0
    awk -v m="$2" '$1 + 0 > 0 { printf "%.1f\n", m / $1 }' "$1"
}

# field LOG NAME: the text after "NAME: " on the last such line of LOG.
field() {
    tr -d '\r' < "$1" | sed -n "s/^$2: //p" | tail -n 1
}

# callgrind_ir PROG ARG...: the total instruction count (Ir) of one run
# under callgrind, or nothing if it failed. CALLGRIND_OPTS: more valgrind
# options (e.g. --toggle-collect=FUNC: count only inside FUNC).
callgrind_ir() {
    # shellcheck disable=SC2086 # CALLGRIND_OPTS is a list of options
    valgrind --tool=callgrind --callgrind-out-file=/dev/null ${CALLGRIND_OPTS:-} "$@" 2>&1 |
        sed -n 's/.*I[[:space:]]*refs:[[:space:]]*//p' | tr -d ,
}

# per_op_ir PROG OP [LOW HIGH]: instructions per operation, from two runs
# with LOW and HIGH (default IR_LOW and IR_HIGH) iterations (setup and
# first-call costs cancel out).
IR_LOW=1000
IR_HIGH=11000
per_op_ir() {
    lo_n=${3:-$IR_LOW}
    hi_n=${4:-$IR_HIGH}
    lo=$(callgrind_ir "$1" "$2" "$lo_n")
    hi=$(callgrind_ir "$1" "$2" "$hi_n")
    awk -v lo="$lo" -v hi="$hi" -v n=$((hi_n - lo_n)) 'BEGIN {
        if (lo !~ /^[0-9]+$/ || hi !~ /^[0-9]+$/) print "failed"
        else printf "%.0f\n", (hi - lo) / n }'
}
