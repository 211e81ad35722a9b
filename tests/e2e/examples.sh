#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The xl configs in examples/ run unchanged under `xenshim run` with
# Debian's cloud kernel, once the placeholders of examples/README.md are
# substituted: @KERNEL@ the cloud kernel, @INITRD@ the certify initramfs
# (build/certify-initramfs.sh: it loads xen-blkfront and xen-netfront,
# reports every xvd* disk and eth0's MAC, then powers off; a distribution
# initramfs would need a root file system on the disk, which no package
# provides here), @DISK@ a fresh 16 MiB raw image per run.
#
# Outcomes checked, as each example documents them:
#   minimal.cfg      no root device: "VFS: Unable to mount root fs", exit 2
#   debian-domu.cfg  the disk as xvda, the vif with mac 00:16:3e:5c:00:01,
#                    cmdline= verbatim, poweroff: exit 0
#   root-extra.cfg   cmdline "root=/dev/xvda2 ro console=hvc0 init=/bin/sh"
#                    from root= + extra=, the file: disk as xvda2, the vif
#                    with mac 00:16:3e:5c:00:02, one warning per ignored
#                    key, exit 0
# Ends with "examples: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
work=build/e2e-examples
rm -rf "$work"
mkdir -p "$work"

ok()  { passed=$((passed + 1)); echo "PASS: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
has() { grep -q -- "$1" "$log"; }
warned() { grep -q -- "$1" "$err"; }

vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) ||
    { echo "examples: cannot fetch the cloud kernel"; echo "examples: 0 passed, 1 failed"; exit 1; }
initrd=$work/initramfs.cpio.gz
sh build/certify-initramfs.sh "$vmlinuz" "$initrd" 2>/dev/null ||
    { echo "examples: cannot build the initramfs"; echo "examples: 0 passed, 1 failed"; exit 1; }

# run NAME: substitute the placeholders, run the example; sets rc, log, err.
run() {
    name=$1
    disk=$work/$name.img
    truncate -s 16M "$disk"
    sed -e "s|@KERNEL@|$vmlinuz|g" -e "s|@INITRD@|$initrd|g" -e "s|@DISK@|$disk|g" \
        "examples/$name.cfg" > "$work/$name.cfg"
    log=$work/$name.log
    err=$work/$name.err
    start=$(date +%s)
    build/xenshim run "$work/$name.cfg" --timeout "${E2E_TIMEOUT:-600}" > "$log.raw" 2> "$err"
    rc=$?
    tr -d '\r' < "$log.raw" > "$log"
    echo "examples: $name: exit $rc after $(( $(date +%s) - start )) s"
    grep -q '@[A-Z]*@' "$work/$name.cfg" && bad "$name: a placeholder is left"
}

# netback may be missing from the shim; the vif checks then say so and skip.
vif_check() {
    mac=$1
    if has "(xenshim) netback: vif0 on"; then
        check "$name: the vif is the guest's eth0 with mac $mac" has "E2E-NET-MAC: $mac"
        check "$name: the vif's shim token" has "vif=0:$mac"
    else
        echo "SKIP: $name: no netback in this shim: vif not checked in the guest"
        check "$name: the vif's shim token" has "vif=0:$mac"
    fi
}

run minimal
check "minimal: exit 2 (guest crashed)" [ "$rc" -eq 2 ]
check "minimal: VFS: Unable to mount root fs" has "VFS: Unable to mount root fs"
check "minimal: extra= is the command line" has "Kernel command line: console=hvc0\$"
check "minimal: memory = 256" has "mem=256 "

run debian-domu
check "debian-domu: exit 0 (poweroff)" [ "$rc" -eq 0 ]
check "debian-domu: cmdline= verbatim" has "Kernel command line: root=/dev/xvda1 ro console=hvc0\$"
check "debian-domu: memory = 512" has "mem=512 "
check "debian-domu: the disk is xvda" has "E2E-BLK-DEV: xvda 32768 ro=0"
check "debian-domu: vbd token" has "vbd=0:51712:w:xvda"
vif_check 00:16:3e:5c:00:01
check "debian-domu: no warnings" [ ! -s "$err" ]

run root-extra
check "root-extra: exit 0 (poweroff)" [ "$rc" -eq 0 ]
check "root-extra: root= + extra= make the command line" \
    has "Kernel command line: root=/dev/xvda2 ro console=hvc0 init=/bin/sh\$"
check "root-extra: memory = '384'" has "mem=384 "
check "root-extra: the file: disk is xvda2" has "E2E-BLK-DEV: xvda2 32768 ro=0"
check "root-extra: vbd token" has "vbd=0:51714:w:xvda2"
vif_check 00:16:3e:5c:00:02
check "root-extra: localtime reported as ignored" warned "key 'localtime' ignored"
check "root-extra: ip= reported as ignored" warned "ip="

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
