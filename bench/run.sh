#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make bench`: what running under the shim costs, printed and saved to
# bench/results/<date>-<host>.txt. A benchmark reports; it never fails the
# build (exit 0 whatever it measured, a failed run is reported as such).
#
#  1. Debian's cloud kernel with the bench initramfs (bench/build-initramfs.sh)
#     booted under the shim (A) and directly by QEMU (B, console on ttyS0,
#     ACPI poweroff), interleaved A B A B, BENCH_RUNS (3) of each, with the
#     accelerator and -cpu that `xenshim run` picks and the same guest
#     memory. Per workload: the median of each side and shim/native.
#       boot      host wall time from starting the run to the first line
#                 /init prints (bench/line-clock.c); and the guest's
#                 /proc/uptime at that moment
#       forkexec  200 x fork + exec busybox true     } timed in the guest,
#       fork      200 x fork + _exit + waitpid       } CLOCK_MONOTONIC
#       pagefault 256 MiB anonymous, one write per page } (workload.c)
#  2. Shim-only round trips, absolute: tests/guests/bench-hypercall
#     (xen_version hypercall, event-channel send + upcall), BENCH_RUNS runs.
#  3. The shim's memory: the boot log's allocation line plus the image.
#  4. Instructions per operation (callgrind) of host builds of hot paths:
#     bench/dispatch-ir.c, bench/xenstore-ir.c.
#  5. The targets and real Xen's figures next to the measured ratios.
#
# Environment: BENCH_RUNS (runs per side, default 3), BENCH_TIMEOUT (s per
# QEMU run, default 300), HOSTCC (default cc), XENSHIM_QEMU (QEMU binary,
# as for `xenshim run`). Work files (logs, helpers): build/bench/.
set -u
cd "$(dirname "$0")/.." || exit 0
. bench/lib.sh

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-300}
HOSTCC=${HOSTCC:-cc}
MEM=512
W=build/bench
S=$W/samples
host=$(uname -n | tr -cd 'A-Za-z0-9._-')
result=bench/results/$(date +%Y-%m-%d)-$host.txt

note() { echo "bench: $*" >&2; }

case $RUNS in
    ''|*[!0-9]*|0) note "BENCH_RUNS='$RUNS': expected a positive number of runs"; exit 0 ;;
esac
case $TIMEOUT in
    ''|*[!0-9]*|0) note "BENCH_TIMEOUT='$TIMEOUT': expected a positive number of seconds"; exit 0 ;;
esac

HOST_CFLAGS="-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
    -Iinclude -Ibuild/sysinc -DSHIM_HOST_BUILD=1 -D_GNU_SOURCE"

# ---- preparation -------------------------------------------------------------

# prepare: helpers, kernel, initramfs, QEMU settings. Sets vmlinuz, initrd,
# qemu, accel, cpu. Prints why and returns 1 if the runs cannot happen.
prepare() {
    rm -rf "$S"
    mkdir -p "$S" || { echo "not run: cannot create $S"; return 1; }
    $HOSTCC -O2 -Wall -Wextra -Werror -o "$W/line-clock" bench/line-clock.c >&2 || {
        echo "not run: cannot build bench/line-clock.c"; return 1; }
    vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || {
        echo "not run: cannot fetch the cloud kernel (scripts/fetch-cloud-kernel.sh)"; return 1; }
    initrd=$W/initramfs.cpio.gz
    sh bench/build-initramfs.sh "$initrd" >&2 || {
        echo "not run: cannot build the bench initramfs"; return 1; }
    # The native side copies the accelerator and CPU model from the shim's.
    dry=$(build/xenshim run --kernel "$vmlinuz" --initrd "$initrd" --memory "$MEM" \
          --cmdline console=hvc0 --dry-run 2>/dev/null | head -n 1)
    qemu=${dry%% *}
    accel=$(echo "$dry" | sed -n 's/.* -accel \([^ ]*\) .*/\1/p')
    cpu=$(echo "$dry" | sed -n 's/.* -cpu \([^ ]*\) .*/\1/p')
    if [ -z "$qemu" ] || [ -z "$accel" ] || [ -z "$cpu" ]; then
        echo "not run: cannot read -accel/-cpu from 'xenshim run --dry-run' (got: $dry)"
        return 1
    fi
    return 0
}

machine_info() {
    echo "xenshim benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "  host          $(uname -n)"
    echo "  cpus          $(nproc)"
    echo "  cpu model     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "  host kernel   $(uname -sr)"
    echo "  qemu          $($qemu --version 2>/dev/null | head -n 1)"
    echo "  accelerator   $accel, -cpu $cpu"
    echo "  guest kernel  $(basename "$vmlinuz")"
    echo "  guest memory  $MEM MiB both sides (shim: QEMU -m adds the modules and the shim)"
    echo "  xenshim tree  $(git rev-parse --short HEAD 2>/dev/null)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + local changes')"
    echo "  runs          $RUNS per side, interleaved shim/native"
}

# ---- the Linux runs ------------------------------------------------------------

# boot_shim LOG / boot_native LOG: one boot, console in LOG, timings in
# LOG.time. Called as "boot_$side".
# shellcheck disable=SC2317
boot_shim() {
    "$W/line-clock" BENCH-INIT "$1.time" -- timeout $((TIMEOUT + 30)) \
        build/xenshim run --kernel "$vmlinuz" --initrd "$initrd" --memory "$MEM" \
        --cmdline "console=hvc0" --timeout "$TIMEOUT" > "$1"
}

# shellcheck disable=SC2317
boot_native() {
    "$W/line-clock" BENCH-INIT "$1.time" -- timeout "$TIMEOUT" \
        "$qemu" -nodefaults -machine pc -display none -serial stdio -no-reboot \
        -accel "$accel" -cpu "$cpu" -m "$MEM" -kernel "$vmlinuz" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1" > "$1"
}

# run_linux SIDE N: boot, then keep the samples of a run that completed.
run_linux() {
    side=$1
    log=$W/$side-$2.log
    note "run $2/$RUNS: $side"
    "boot_$side" "$log"
    rc=$?
    total=$(sed -n 's/^total //p' "$log.time" 2>/dev/null)
    if [ "$side" = shim ]; then
        # Logged before the guest starts, so even a failed run has it.
        tr -d '\r' < "$log" | sed -n 's/.*shim memory: \([0-9]*\) KiB allocated, image \([0-9]*\) KiB.*/\1 \2/p' |
            head -n 1 > "$S/memline"
        if [ -s "$S/memline" ]; then
            read -r alloc image < "$S/memline"
            add_sample "$S/shim.mem_alloc" "$alloc"
            add_sample "$S/shim.mem_image" "$image"
        fi
    fi
    if [ "$rc" -ne 0 ] || ! tr -d '\r' < "$log" | grep -qx BENCH-DONE; then
        printf '  run %d %-6s  failed: exit %d after %s s, no BENCH-DONE (log %s)\n' \
            "$2" "$side" "$rc" "${total:-?}" "$log"
        return
    fi
    boot=$(sed -n 's/^first //p' "$log.time")
    up=$(field "$log" BENCH-INIT | sed 's/^uptime //')
    fe=$(field "$log" BENCH-forkexec)
    fo=$(field "$log" BENCH-fork)
    pf=$(field "$log" BENCH-pagefault)
    add_sample "$S/$side.boot" "$boot"
    add_sample "$S/$side.uptime" "$up"
    add_sample "$S/$side.forkexec" "$fe"
    add_sample "$S/$side.fork" "$fo"
    add_sample "$S/$side.pagefault" "$pf"
    [ -s "$S/$side.clocksource" ] || field "$log" BENCH-CLOCKSOURCE > "$S/$side.clocksource"
    printf '  run %d %-6s  boot %s s, uptime at init %s s, forkexec %s s, fork %s s, pagefault %s s; run %s s\n' \
        "$2" "$side" "${boot:-?}" "${up:-?}" "${fe:-?}" "${fo:-?}" "${pf:-?}" "${total:-?}"
}

# row LABEL METRIC: medians, shim/native and the samples of one workload.
row() {
    a=$(median "$S/shim.$2")
    b=$(median "$S/native.$2")
    printf '  %-26s %9s %9s %8s   shim: %s; native: %s\n' "$1" "$a" "$b" "$(ratio "$a" "$b")" \
        "$(samples "$S/shim.$2")" "$(samples "$S/native.$2")"
}

linux_runs() {
    echo
    echo "== Debian cloud kernel, shim (A) vs native (B), seconds"
    i=1
    while [ "$i" -le "$RUNS" ]; do
        run_linux shim "$i"
        run_linux native "$i"
        i=$((i + 1))
    done
    echo
    cs_shim=$(cat "$S/shim.clocksource" 2>/dev/null)
    cs_native=$(cat "$S/native.clocksource" 2>/dev/null)
    echo "  guest clocksource at /init: shim ${cs_shim:-?}, native ${cs_native:-?}"
    printf '  %-26s %9s %9s %8s   %s\n' workload "shim" "native" "ratio" "samples (run order)"
    row "boot to /init (host wall)" boot
    row "uptime at /init (guest)" uptime
    row "fork+exec x200" forkexec
    row "fork x200" fork
    row "page faults 256 MiB" pagefault
}

# ---- shim-only round trips -----------------------------------------------------

guest_runs() {
    echo
    echo "== Round trips under the shim (tests/guests/bench-hypercall, $RUNS runs)"
    elf=build/guests/bench-hypercall.elf
    if [ ! -f "$elf" ]; then
        echo "  $elf missing (make guests)"
        return
    fi
    i=1
    while [ "$i" -le "$RUNS" ]; do
        note "run $i/$RUNS: bench-hypercall guest"
        log=$W/bench-hypercall-$i.log
        timeout $((TIMEOUT + 30)) build/xenshim run --kernel "$elf" --timeout "$TIMEOUT" > "$log" 2>&1
        rc=$?
        if [ "$rc" -ne 0 ] || ! tr -d '\r' < "$log" | grep -q 'Test result: SUCCESS'; then
            echo "  run $i: failed: exit $rc (log $log)"
        else
            for k in hypercall evtchn; do
                v=$(field "$log" "BENCH-$k" |
                    sed -n 's/.*, \([0-9]*\) cycles\/[a-z ]*, \([0-9.]*\) ns\/.*/\1 \2/p')
                add_sample "$S/$k.cycles" "${v% *}"
                add_sample "$S/$k.ns" "${v#* }"
            done
        fi
        i=$((i + 1))
    done
    printf '  %-44s %10s %10s   %s\n' operation cycles ns "ns samples"
    printf '  %-44s %10s %10s   %s\n' "xen_version(0) hypercall (bare syscall)" \
        "$(median "$S/hypercall.cycles" 0)" "$(median "$S/hypercall.ns" 1)" "$(samples "$S/hypercall.ns")"
    printf '  %-44s %10s %10s   %s\n' "event channel: send to self + upcall + iret" \
        "$(median "$S/evtchn.cycles" 0)" "$(median "$S/evtchn.ns" 1)" "$(samples "$S/evtchn.ns")"
    echo "  (guest TSC cycles; ns by the pvclock scale; 100,000 hypercalls, 10,000 round trips per run)"
}

# ---- memory ----------------------------------------------------------------------

memory() {
    echo
    echo "== Shim memory (Linux boots above)"
    alloc=$(median "$S/shim.mem_alloc" 0)
    image=$(median "$S/shim.mem_image" 0)
    elf=$(size build/xenshim.elf 2>/dev/null | awk 'NR == 2 { printf "%d\n", ($4 + 1023) / 1024 }')
    echo "  boot log: shim memory: $alloc KiB allocated, image $image KiB (medians;"
    echo "    allocated = what the shim's frame allocator had handed out at guest start)"
    echo "    (the log's image span runs to the end of the multiboot modules: the"
    echo "     guest kernel ELF and the initrd are in it, it is not shim memory)"
    echo "  shim ELF text+data+bss: ${elf:-?} KiB"
    mem_total=$(awk -v a="$alloc" -v e="$elf" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || e !~ /^[0-9]+$/) print "n/a"; else printf "%.0f\n", a + e }')
    echo "  shim total (allocated + ELF): $mem_total KiB"
}

# ---- callgrind ---------------------------------------------------------------------

# Sources of the dispatch unit test without its test files (tests/unit/dispatch.mk).
dispatch_srcs() {
    [ -f tests/unit/dispatch.mk ] || return 1
    # shellcheck disable=SC2016 # $(dispatch_SRCS) is for make
    printf 'include tests/unit/dispatch.mk\nall: ; @echo $(dispatch_SRCS)\n' |
        make -s --no-print-directory -f - | tr ' ' '\n' | grep -v '^tests/unit/test-' | tr '\n' ' '
}

callgrind() {
    echo
    echo "== Instructions per operation (callgrind, host build, $HOSTCC -O2, no sanitizers)"
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "  valgrind not installed (scripts/setup-deps.sh): skipped"
        return
    fi
    echo "  ((Ir of $IR_HIGH ops - Ir of $IR_LOW ops) / $((IR_HIGH - IR_LOW)); valgrind $(valgrind --version | sed 's/^valgrind-//'))"
    note "callgrind"
    srcs=$(dispatch_srcs)
    # shellcheck disable=SC2086
    if [ -n "$srcs" ] && $HOSTCC $HOST_CFLAGS -Itests/unit -o "$W/dispatch-ir" bench/dispatch-ir.c \
            $srcs -lcmocka -no-pie 2>"$W/dispatch-ir.err"; then
        printf '  %-52s %8s\n' "hypercall_call -> xen_version(XENVER_version)" \
            "$(per_op_ir "$W/dispatch-ir" version)"
        printf '  %-52s %8s\n' "  ... XENVER_get_features (copy in + copy out)" \
            "$(per_op_ir "$W/dispatch-ir" features)"
    else
        echo "  hypercall dispatch: cannot build bench/dispatch-ir.c (see $W/dispatch-ir.err)"
    fi
    # shellcheck disable=SC2086
    if $HOSTCC $HOST_CFLAGS -o "$W/xenstore-ir" bench/xenstore-ir.c xenbus/*.c shim/lib.c \
            2>"$W/xenstore-ir.err"; then
        printf '  %-52s %8s\n' "xenstore read over the ring (1 reply)" \
            "$(per_op_ir "$W/xenstore-ir" read)"
        printf '  %-52s %8s\n' "xenstore write over the ring (reply + watch event)" \
            "$(per_op_ir "$W/xenstore-ir" write)"
    else
        echo "  xenstore: cannot build bench/xenstore-ir.c (see $W/xenstore-ir.err)"
    fi
    printf '  %-52s %8s\n' "blkif request (blkback)" "not yet"
    printf '  %-52s %8s\n' "netif packet (netback)" "not yet"
}

# ---- against the targets -------------------------------------------------------------

summary() {
    echo
    echo "== Against the targets (ratios are shim/native medians; real Xen: the issue's figures)"
    printf '  %-22s %9s %9s %9s %8s\n' metric measured target verdict "real Xen"
    for m in "boot:boot to userspace:1.3:1.53" "forkexec:fork+exec:2.5:2.9" \
             "fork:fork:-:3.1" "pagefault:page faults:1.3:1.35"; do
        key=${m%%:*}; rest=${m#*:}
        label=${rest%%:*}; rest=${rest#*:}
        target=${rest%%:*}; xen=${rest#*:}
        r=$(ratio "$(median "$S/shim.$key")" "$(median "$S/native.$key")")
        t=$target; [ "$t" = - ] || t="<= $t"
        printf '  %-22s %9s %9s %9s %8s\n' "$label" "$r" "$t" "$(verdict "$r" "$target")" "$xen"
    done
    mib=$(awk -v k="$mem_total" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.2f\n", k / 1024; else print "n/a" }')
    printf '  %-22s %9s %9s %9s %8s\n' "shim memory (MiB)" "$mib" "<= 8" "$(verdict "$mib" 8)" -
}

# ---- main -------------------------------------------------------------------------------

main() {
    t0=$(date +%s)
    mkdir -p "$W" bench/results
    prepare || return
    machine_info
    linux_runs
    guest_runs
    memory
    callgrind
    summary
    echo
    echo "bench: done in $(( $(date +%s) - t0 )) s; saved to $result"
}

main | tee "$result.tmp"
mv "$result.tmp" "$result"
exit 0
