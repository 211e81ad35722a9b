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
#       diskread  256 MiB sequential, 1 MiB O_DIRECT reads  } MiB/s, on one
#       diskwrite 256 MiB sequential, 1 MiB O_DIRECT writes } raw image:
#                 + fsync     xvdb through xen-blkfront and the shim's blkback
#                 (--disk), natively vda on the same QEMU -drive/-device
#                 arguments the shim's run uses (virtio-blk, QEMU's default
#                 cache mode, writeback, both sides)
#     A third side, native_pti, boots the native kernel with pti=on: it
#     switches page tables on every kernel entry and exit, as every 64-bit
#     Xen PV guest must, and so shows the floor no PV implementation can
#     beat under TCG (each CR3 write flushes QEMU's soft TLB).
#     Network, in boots of their own (bench/initramfs/net-init), same
#     interleaving and runs: 64 MiB over TCP each way through QEMU user
#     networking (xen-netfront on the shim's netback vs virtio_net, the
#     same virtio-net-pci device), timed on the host by bench/net-server.py:
#       rx        host -> guest (guest busybox wget), MB/s
#       tx        guest -> host (guest busybox httpd, hostfwd), MB/s
#     SMP, in boots of their own with N CPUs each side (xenshim --vcpus N,
#     QEMU -smp N; N = host cores, 2 to 4, or BENCH_SMP_CPUS), same
#     interleaving and runs:
#       forkexec-par  4 workers at once, each 100 x fork+exec busybox true
#  2. Shim-only round trips, absolute: tests/guests/bench-hypercall
#     (xen_version hypercall, event-channel send + upcall), BENCH_RUNS runs.
#  3. The shim's memory: the boot log's allocation line plus the image.
#  4. Instructions per operation (callgrind) of host builds of hot paths:
#     bench/dispatch-ir.c, bench/xenstore-ir.c, bench/blkback-ir.c.
#  5. The targets and real Xen's figures next to the measured ratios.
#
# Environment: BENCH_RUNS (runs per side, default 3), BENCH_SMP_CPUS (CPUs of
# the SMP boots, default the host cores, 2 to 4), BENCH_TIMEOUT (s per
# QEMU run, default 300), HOSTCC (default cc), XENSHIM_QEMU (QEMU binary,
# as for `xenshim run`), BENCH_NET_BYTES (bytes per network transfer,
# default 67108864). Work files (logs, helpers): build/bench/.
set -u
cd "$(dirname "$0")/.." || exit 0
. bench/lib.sh

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-300}
HOSTCC=${HOSTCC:-cc}
MEM=512
DISK_MIB=256            # bench/initramfs/init reads and writes this much
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

# prepare: helpers, kernel, initramfs, disk image, QEMU settings. Sets
# vmlinuz, initrd, disk, qemu, accel, cpu, native_disk (the shim's -drive and
# -device arguments for the native side). Prints why and returns 1 if the
# runs cannot happen.
prepare() {
    rm -rf "$S"
    mkdir -p "$S" || { echo "not run: cannot create $S"; return 1; }
    $HOSTCC -O2 -Wall -Wextra -Werror -o "$W/line-clock" bench/line-clock.c >&2 || {
        echo "not run: cannot build bench/line-clock.c"; return 1; }
    vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || {
        echo "not run: cannot fetch the cloud kernel (scripts/fetch-cloud-kernel.sh)"; return 1; }
    initrd=$W/initramfs.cpio.gz
    sh bench/build-initramfs.sh "$initrd" "${vmlinuz%/boot/*}" >&2 || {
        echo "not run: cannot build the bench initramfs"; return 1; }
    # Written through once, so that both sides read allocated blocks.
    disk=$W/disk.img
    dd if=/dev/zero of="$disk" bs=1M count="$DISK_MIB" conv=fsync 2>/dev/null || {
        echo "not run: cannot write $disk"; return 1; }
    # The native side copies the accelerator, CPU model and disk from the shim's.
    dry=$(build/xenshim run --kernel "$vmlinuz" --initrd "$initrd" --memory "$MEM" \
          --cmdline console=hvc0 --disk "$disk,raw,xvdb,rw" --dry-run 2>/dev/null | head -n 1)
    qemu=${dry%% *}
    accel=$(echo "$dry" | sed -n 's/.* -accel \([^ ]*\) .*/\1/p')
    cpu=$(echo "$dry" | sed -n 's/.* -cpu \([^ ]*\) .*/\1/p')
    if [ -z "$qemu" ] || [ -z "$accel" ] || [ -z "$cpu" ]; then
        echo "not run: cannot read -accel/-cpu from 'xenshim run --dry-run' (got: $dry)"
        return 1
    fi
    native_disk=$(echo "$dry" | tr -d "'" | grep -o -e '-drive [^ ]*' -e '-device virtio-blk-pci[^ ]*' |
                  tr '\n' ' ')
    case $native_disk in
        *-drive*-device*) ;;
        *) echo "not run: cannot read the disk's -drive/-device from 'xenshim run --dry-run' (got: $dry)"
           return 1 ;;
    esac
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
    echo "  xenshim tree  $(git rev-parse --short HEAD 2>/dev/null)$(git status --porcelain -- . ':!bench/results' 2>/dev/null | grep -q . && echo ' + local changes')"
    echo "  disk          $DISK_MIB MiB raw image: $native_disk"
    echo "  runs          $RUNS per side, interleaved shim/native"
}

# ---- the Linux runs ------------------------------------------------------------

# boot_shim LOG / boot_native LOG: one boot, console in LOG, timings in
# LOG.time. Called as "boot_$side".
# shellcheck disable=SC2317
boot_shim() {
    "$W/line-clock" BENCH-INIT "$1.time" -- timeout $((TIMEOUT + 30)) \
        build/xenshim run --kernel "$vmlinuz" --initrd "$initrd" --memory "$MEM" \
        --cmdline "console=hvc0" --disk "$disk,raw,xvdb,rw" --timeout "$TIMEOUT" > "$1"
}

# shellcheck disable=SC2317,SC2086 # native_disk is a list of arguments
boot_native() {
    "$W/line-clock" BENCH-INIT "$1.time" -- timeout "$TIMEOUT" \
        "$qemu" -nodefaults -machine pc -display none -serial stdio -no-reboot \
        -accel "$accel" -cpu "$cpu" -m "$MEM" -kernel "$vmlinuz" -initrd "$initrd" \
        $native_disk -append "console=ttyS0 panic=-1 ${2:-}" > "$1"
}

# The PV floor: the native kernel with pti=on switches page tables on every
# kernel entry and exit, as a 64-bit PV guest must (its kernel and user
# space run on separate roots, Xen and the shim alike). Under TCG every
# CR3 write flushes QEMU's whole soft TLB, whatever PCID says, so no PV
# implementation can beat this side on this machine.
# shellcheck disable=SC2317
boot_native_pti() {
    boot_native "$1" pti=on
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
    dr=$(field "$log" BENCH-diskread)
    dw=$(field "$log" BENCH-diskwrite)
    add_sample "$S/$side.boot" "$boot"
    add_sample "$S/$side.uptime" "$up"
    add_sample "$S/$side.forkexec" "$fe"
    add_sample "$S/$side.fork" "$fo"
    add_sample "$S/$side.pagefault" "$pf"
    add_sample "$S/$side.diskread" "$dr"
    add_sample "$S/$side.diskwrite" "$dw"
    [ -s "$S/$side.clocksource" ] || field "$log" BENCH-CLOCKSOURCE > "$S/$side.clocksource"
    printf '  run %d %-6s  boot %s s, uptime at init %s s, forkexec %s s, fork %s s, pagefault %s s,\n' \
        "$2" "$side" "${boot:-?}" "${up:-?}" "${fe:-?}" "${fo:-?}" "${pf:-?}"
    printf '               disk read %s s, write %s s (%s); run %s s\n' \
        "${dr:-?}" "${dw:-?}" "$(field "$log" BENCH-DISK)" "${total:-?}"
}

# row LABEL METRIC [DECIMALS]: medians, shim/native and the samples of one
# workload.
row() {
    a=$(median "$S/shim.$2" "${3:-3}")
    b=$(median "$S/native.$2" "${3:-3}")
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
        run_linux native_pti "$i"
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
    for side in shim native; do
        rate "$S/$side.diskread" "$DISK_MIB" > "$S/$side.diskread_mibs"
        rate "$S/$side.diskwrite" "$DISK_MIB" > "$S/$side.diskwrite_mibs"
    done
    echo "  (disk: MiB/s, higher is better; ratio shim/native of the throughput)"
    row "disk read $DISK_MIB MiB, MiB/s" diskread_mibs 1
    row "disk write+fsync, MiB/s" diskwrite_mibs 1
    echo
    echo "  The PV floor: native with pti=on (2 CR3 writes per kernel entry, as under any"
    echo "  Xen PV hypervisor; each flushes QEMU's soft TLB), same runs, interleaved"
    printf '  %-26s %9s %9s %9s %9s\n' workload "pti=on" "pti/nat" "shim/pti" "pti samples"
    for m in "boot:boot to /init (host wall)" "forkexec:fork+exec x200" "fork:fork x200" \
             "pagefault:page faults 256 MiB"; do
        p=$(median "$S/native_pti.${m%%:*}" 3)
        printf '  %-26s %9s %9s %9s   %s\n' "${m#*:}" "$p" \
            "$(ratio "$p" "$(median "$S/native.${m%%:*}" 3)")" \
            "$(ratio "$(median "$S/shim.${m%%:*}" 3)" "$p")" "$(samples "$S/native_pti.${m%%:*}")"
    done
}

# ---- network throughput ------------------------------------------------------------

# TCP over QEMU user networking, loopback only, in boots of their own: the
# network initramfs (bench/initramfs/net-init with busybox and the NIC
# modules of the fetched kernel) under the shim (--vif: xen-netfront on the
# shim's netback over virtio-net) and natively (the same virtio-net-pci
# device and user netdev, the virtio_net driver), interleaved A B A B. The
# guest fetches NET_BYTES with busybox wget from bench/net-server.py on the
# host (rx, host -> guest), then serves NET_BYTES with busybox httpd, which
# bench/net-server.py fetches through a hostfwd port on 127.0.0.1 (tx,
# guest -> host); both timed on the host's clock, reported in MB/s (10^6
# bytes per second).
NET_BYTES=${BENCH_NET_BYTES:-67108864}
NET_MAC=00:16:3e:12:34:56
NET_MODS="xen-netfront virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net"

# net_prepare: builds $W/net-initramfs.cpio.gz and starts the host's server.
# Sets net_initrd, net_port, net_server. Prints why and returns 1 if not.
net_prepare() {
    command -v python3 >/dev/null 2>&1 || { echo "  not run: python3 not found"; return 1; }
    net_initrd=$W/net-initramfs.cpio.gz
    nwork=$W/net-initramfs
    rm -rf "$nwork"
    if ! { mkdir -p "$nwork/bin" "$nwork/proc" "$nwork/sys" "$nwork/dev" "$nwork/tmp" \
               "$nwork/lib/modules" && cp /bin/busybox "$nwork/bin/busybox" &&
           cp bench/initramfs/net-init "$nwork/init" && chmod 755 "$nwork/init"; }; then
        echo "  not run: cannot assemble $nwork"
        return 1
    fi
    for m in $NET_MODS; do
        f=$(find "${vmlinuz%/boot/*}/lib/modules" -name "$m.ko" | head -n 1)
        [ -n "$f" ] || { echo "  not run: module $m.ko not in the fetched kernel"; return 1; }
        cp "$f" "$nwork/lib/modules/"
    done
    (cd "$nwork" && find . | cpio -o -H newc --quiet) | gzip -1 > "$net_initrd" || {
        echo "  not run: cannot write $net_initrd"; return 1; }
    rm -f "$W/net.results" "$W/net-server.port"
    python3 bench/net-server.py serve "$NET_BYTES" "$W/net.results" > "$W/net-server.port" \
        2> "$W/net-server.log" &
    net_server=$!
    n=0
    while [ $n -lt 100 ] && ! [ -s "$W/net-server.port" ]; do sleep 0.1; n=$((n + 1)); done
    net_port=$(cat "$W/net-server.port")
    [ -n "$net_port" ] || { echo "  not run: bench/net-server.py did not start ($W/net-server.log)"; return 1; }
    return 0
}

# net_boot_shim LOG TAG FWDPORT / net_boot_native LOG TAG FWDPORT: one boot,
# guest port 80 forwarded from 127.0.0.1:FWDPORT. Called as "net_boot_$side".
# shellcheck disable=SC2317
net_boot_shim() {
    timeout $((TIMEOUT + 30)) build/xenshim run --kernel "$vmlinuz" --initrd "$net_initrd" \
        --memory "$MEM" --vif "mac=$NET_MAC" --hostfwd "tcp:127.0.0.1:$3-:80" --timeout "$TIMEOUT" \
        --cmdline "console=hvc0 bench_port=$net_port bench_tag=$2 bench_bytes=$NET_BYTES" > "$1" 2>&1
}

# shellcheck disable=SC2317
net_boot_native() {
    timeout "$TIMEOUT" "$qemu" -nodefaults -machine pc -display none -serial stdio -no-reboot \
        -accel "$accel" -cpu "$cpu" -m "$MEM" -kernel "$vmlinuz" -initrd "$net_initrd" \
        -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$3-:80" -device "virtio-net-pci,disable-legacy=on,netdev=net0,mac=$NET_MAC" \
        -append "console=ttyS0 panic=-1 bench_port=$net_port bench_tag=$2 bench_bytes=$NET_BYTES" \
        > "$1" 2>&1
}

# net_mbps TAG DIR: the server's MB/s for one transfer, or nothing.
net_mbps() {
    awk -v t="$1" -v d="$2" '$1 == t && $2 == d && $4 + 0 > 0 { printf "%.1f\n", $3 / $4 / 1e6 }' \
        "$W/net.results" 2>/dev/null | tail -n 1
}

# run_net SIDE N: one boot, its rx and tx samples.
run_net() {
    side=$1
    tag=$side-$2
    log=$W/net-$tag.log
    note "run $2/$RUNS: network, $side"
    net_t0=$(date +%s)
    fwd=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "net_boot_$side" "$log" "$tag" "$fwd" &
    net_pid=$!
    python3 bench/net-server.py fetch "$fwd" "$tag" "$NET_BYTES" "$W/net.results" "$net_pid" "$TIMEOUT"
    wait "$net_pid"
    rc=$?
    rx=$(net_mbps "$tag" rx)
    tx=$(net_mbps "$tag" tx)
    add_sample "$S/$side.netrx" "$rx"
    add_sample "$S/$side.nettx" "$tx"
    state=
    if [ "$rc" -ne 0 ] || ! tr -d '\r' < "$log" | grep -qx BENCH-DONE; then
        state=" (failed: exit $rc, no BENCH-DONE; log $log)"
    fi
    printf '  run %d %-6s  rx %s MB/s, tx %s MB/s; %s; run %s s%s\n' "$2" "$side" "${rx:-?}" \
        "${tx:-?}" "$(field "$log" BENCH-NET-ADDR)" "$(($(date +%s) - net_t0))" "$state"
}

net_runs() {
    echo
    echo "== Network, shim (A) vs native (B): TCP over QEMU user networking, MB/s"
    if net_prepare; then
        n=1
        while [ "$n" -le "$RUNS" ]; do
            run_net shim "$n"
            run_net native "$n"
            n=$((n + 1))
        done
        echo
        printf '  %-26s %9s %9s %8s   %s\n' "$((NET_BYTES / 1048576)) MiB, MB/s" shim native ratio \
            "samples (run order)"
        row "host -> guest (rx)" netrx 1
        row "guest -> host (tx)" nettx 1
        echo "  (higher is better; rx: guest busybox wget from the host, tx: the host fetches"
        echo "   from guest busybox httpd via hostfwd; timed by bench/net-server.py on the host;"
        echo "   the same virtio-net-pci device and user netdev on both sides)"
    fi
    [ -n "${net_server:-}" ] && kill "$net_server" 2>/dev/null
    net_server=
}

# ---- SMP ---------------------------------------------------------------------------

# As many CPUs as the host has cores, at most 4: under TCG each guest CPU is
# a host thread, and with more of them than cores the shim's lock holder is
# descheduled while the others spin (measured here with 4 on 2 cores: 4 x 100
# fork+exec took 54-74 s under the shim against 0.8 s natively, while 2 CPUs
# took 2.2 s). BENCH_SMP_CPUS overrides it.
SMP_CPUS=${BENCH_SMP_CPUS:-$(n=$(nproc); [ "$n" -gt 4 ] && n=4; [ "$n" -lt 2 ] && n=2; echo "$n")}

# shellcheck disable=SC2317
smp_boot_shim() {
    timeout $((TIMEOUT + 30)) build/xenshim run --kernel "$vmlinuz" --initrd "$initrd" \
        --memory "$MEM" --vcpus "$SMP_CPUS" --cmdline "console=hvc0 bench_smp" \
        --timeout "$TIMEOUT" > "$1" 2>&1
}

# shellcheck disable=SC2317
smp_boot_native() {
    timeout "$TIMEOUT" "$qemu" -nodefaults -machine pc -display none -serial stdio -no-reboot \
        -accel "$accel" -cpu "$cpu" -smp "$SMP_CPUS" -m "$MEM" -kernel "$vmlinuz" \
        -initrd "$initrd" -append "console=ttyS0 panic=-1 bench_smp" > "$1" 2>&1
}

run_smp() {
    side=$1
    log=$W/smp-$side-$2.log
    note "run $2/$RUNS: SMP, $side"
    t=$(date +%s)
    "smp_boot_$side" "$log"
    rc=$?
    v=$(field "$log" BENCH-forkexec-par)
    cpus=$(field "$log" BENCH-CPUS)
    if [ "$rc" -ne 0 ] || ! tr -d '\r' < "$log" | grep -qx BENCH-DONE || [ "$cpus" != "$SMP_CPUS" ]; then
        printf '  run %d %-6s  failed: exit %d, %s CPUs, no BENCH-DONE? (log %s)\n' \
            "$2" "$side" "$rc" "${cpus:-?}" "$log"
        return
    fi
    add_sample "$S/$side.forkexec-par" "$v"
    printf '  run %d %-6s  4 x 100 fork+exec %s s on %s CPUs; run %s s\n' "$2" "$side" "$v" \
        "$cpus" "$(($(date +%s) - t))"
}

smp_runs() {
    echo
    echo "== SMP: $SMP_CPUS CPUs each side, shim (A) vs native (B), seconds"
    i=1
    while [ "$i" -le "$RUNS" ]; do
        run_smp shim "$i"
        run_smp native "$i"
        i=$((i + 1))
    done
    echo
    printf '  %-26s %9s %9s %8s   %s\n' workload "shim" "native" "ratio" "samples (run order)"
    row "fork+exec 4 workers x100" forkexec-par
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
            for k in hypercall evtchn emulate; do
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
    printf '  %-44s %10s %10s   %s\n' "emulated cli or sti (#GP + decode + emulate)" \
        "$(median "$S/emulate.cycles" 0)" "$(median "$S/emulate.ns" 1)" "$(samples "$S/emulate.ns")"
    echo "  (guest TSC cycles; ns by the pvclock scale; 100,000 hypercalls, 10,000 round trips,"
    echo "   20,000 emulated instructions per run)"
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

# Sources of the blkback unit tests (tests/unit/blkback.mk, grant.mk).
netback_srcs() {
    [ -f tests/unit/netback.mk ] && [ -f tests/unit/grant.mk ] || return 1
    # shellcheck disable=SC2016 # $(NETBACK_UNIT_SRCS) is for make
    printf 'include tests/unit/grant.mk\ninclude tests/unit/netback.mk\nbench-srcs: ; @echo $(NETBACK_UNIT_SRCS)\n' |
        make -s --no-print-directory -f - bench-srcs
}

blkback_srcs() {
    [ -f tests/unit/blkback.mk ] && [ -f tests/unit/grant.mk ] || return 1
    # shellcheck disable=SC2016 # $(BLKBACK_UNIT_SRCS) is for make
    printf 'include tests/unit/grant.mk\ninclude tests/unit/blkback.mk\nbench-srcs: ; @echo $(BLKBACK_UNIT_SRCS)\n' |
        make -s --no-print-directory -f - bench-srcs
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
    # shellcheck disable=SC2086
    if srcs=$(blkback_srcs) && $HOSTCC $HOST_CFLAGS -fno-strict-aliasing -Itests/unit \
            -o "$W/blkback-ir" bench/blkback-ir.c $srcs -lcmocka -no-pie 2>"$W/blkback-ir.err"; then
        # Only blkback: bt_push (the frontend's notify -> blkback_service)
        # and req_done (provider completion -> response, next requests).
        export CALLGRIND_OPTS="--toggle-collect=bt_push --toggle-collect=req_done"
        printf '  %-52s %8s\n' "blkif ring: 64 x 4 KiB read requests (blkback)" \
            "$(per_op_ir "$W/blkback-ir" read 100 1100)"
        printf '  %-52s %8s\n' "  ... 64 x 4 KiB write requests" \
            "$(per_op_ir "$W/blkback-ir" write 100 1100)"
        unset CALLGRIND_OPTS
        echo "  (blkif: per batch of 64 one-segment requests on a 64-entry ring, 100 and 1100"
        echo "   batches; only blkback_service from the frontend's notify and req_done from"
        echo "   the provider's completion are counted: ring, grants, the unit tests' fake"
        echo "   provider's submit (tests/unit/blkback-test.c), responses, notification)"
    else
        echo "  blkif ring: cannot build bench/blkback-ir.c (see $W/blkback-ir.err)"
    fi
    # shellcheck disable=SC2086
    if srcs=$(netback_srcs) && $HOSTCC $HOST_CFLAGS -fno-strict-aliasing -Itests/unit \
            -o "$W/netback-ir" bench/netback-ir.c $srcs -lcmocka -no-pie 2>"$W/netback-ir.err"; then
        # Only netback: the frontend's notify (tx service), the provider's
        # transmit completion and its receive callback (copy + response).
        export CALLGRIND_OPTS="--toggle-collect=netback_notify --toggle-collect=tx_done \
--toggle-collect=netback_rx"
        printf '  %-52s %8s\n' "netif tx: one 1514-byte frame (netback)" \
            "$(per_op_ir "$W/netback-ir" tx)"
        printf '  %-52s %8s\n' "netif rx: one 1514-byte frame, copied (netback)" \
            "$(per_op_ir "$W/netback-ir" rx)"
        unset CALLGRIND_OPTS
        echo "  (netif: the slot or buffer, its grant, the provider hand-off (the unit tests'"
        echo "   fake provider, tests/unit/netback-test.c), the response and notification;"
        echo "   rx includes the copy into the granted buffer)"
    else
        echo "  netif: cannot build bench/netback-ir.c (see $W/netback-ir.err)"
    fi
}

# ---- against the targets -------------------------------------------------------------

summary() {
    echo
    echo "== Against the targets (ratios are shim/native medians; real Xen: the issue's figures)"
    printf '  %-22s %9s %9s %9s %8s %9s\n' metric measured target verdict "real Xen" "PV floor"
    for m in "boot:boot to userspace:1.3:1.53" "forkexec:fork+exec:2.5:2.9" \
             "fork:fork:-:3.1" "pagefault:page faults:1.3:1.35" \
             "forkexec-par:SMP fork+exec:-:-"; do
        key=${m%%:*}; rest=${m#*:}
        label=${rest%%:*}; rest=${rest#*:}
        target=${rest%%:*}; xen=${rest#*:}
        r=$(ratio "$(median "$S/shim.$key")" "$(median "$S/native.$key")")
        floor=$(ratio "$(median "$S/native_pti.$key")" "$(median "$S/native.$key")")
        t=$target; [ "$t" = - ] || t="<= $t"
        printf '  %-22s %9s %9s %9s %8s %9s\n' "$label" "$r" "$t" "$(verdict "$r" "$target")" \
            "$xen" "$floor"
    done
    echo "  (PV floor: native pti=on / native, the cost of the page-table switches alone)"
    for m in "diskread_mibs:disk read MiB/s" "diskwrite_mibs:disk write MiB/s"; do
        r=$(ratio "$(median "$S/shim.${m%%:*}" 1)" "$(median "$S/native.${m%%:*}" 1)")
        printf '  %-22s %9s %9s %9s %8s\n' "${m#*:}" "$r" ">= 0.8" "$(verdict_min "$r" 0.8)" -
    done
    for m in "netrx:net rx MB/s" "nettx:net tx MB/s"; do
        r=$(ratio "$(median "$S/shim.${m%%:*}" 1)" "$(median "$S/native.${m%%:*}" 1)")
        printf '  %-22s %9s %9s %9s %8s\n' "${m#*:}" "$r" ">= 0.8" "$(verdict_min "$r" 0.8)" -
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
    net_runs
    smp_runs
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
