#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# End to end, storage: Debian's cloud kernel with xen-blkfront (a module of
# the e2e initramfs) on the shim's blkback, over four virtio-blk disks the
# host tool attaches with --disk (vbd= tokens on the shim command line):
#   xvda  8 MiB of random data whose sha256 the host knows
#   xvdb  8 MiB scratch disk the guest writes
#   xvdc  8 MiB, read-only (writes must fail)
#   xvdd  ext4 made with mkfs.ext4 -d, holding marker.txt
# Boot "storage" (e2e=storage in tests/e2e/initramfs/init) reads, writes,
# mounts, unbinds the frontends (disconnect) and powers off; the host then
# compares xvdb with xvda byte for byte and reads the file the guest wrote
# into the ext4 image. Boot "crash" (16-page rings, 128-segment indirect
# requests) reads xvda with O_DIRECT, writes a pattern, syncs and crashes the
# guest (sysrq c); the host finds the pattern on the disk. Boot "rootfs"
# (root=/dev/xvda, e2e=rootfs) mounts an ext4 image made with mkfs.ext4 -d
# as the root filesystem and switch_roots to its /sbin/init; the host finds
# the file that init wrote and fscks the image.
# Ends with "storage: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
logdir=build/e2e-storage
mkdir -p "$logdir"

ok()   { passed=$((passed + 1)); echo "PASS: $*"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
fatal() { echo "storage: $*"; echo "storage: $passed passed, $((failed + 1)) failed"; exit 1; }

for t in mkfs.ext4 debugfs sha256sum cmp; do
    command -v "$t" >/dev/null 2>&1 || fatal "$t not found (e2fsprogs, coreutils, diffutils: scripts/setup-deps.sh)"
done
vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || fatal "cannot fetch the cloud kernel"
root=${vmlinuz%/boot/*}
sh tests/e2e/build-initramfs.sh "$root" "$logdir/initramfs.cpio.gz" || fatal "cannot build the initramfs"

# ---- disk images ---------------------------------------------------------
img=$logdir/img
rm -rf "$img"
mkdir -p "$img/fs"
head -c 8388608 /dev/urandom > "$img/a.img" || fatal "cannot write $img/a.img"
truncate -s 8M "$img/b.img"
head -c 8388608 /dev/urandom > "$img/c.img"
echo "xenshim storage marker $$" > "$img/fs/marker.txt"
marker=$(cat "$img/fs/marker.txt")
mkfs.ext4 -q -F -d "$img/fs" "$img/d.img" 8M >/dev/null 2>&1 || fatal "mkfs.ext4 -d failed"
sha_a=$(sha256sum < "$img/a.img" | cut -d' ' -f1)
sha_c=$(sha256sum < "$img/c.img" | cut -d' ' -f1)

# boot NAME MODE: run one boot, leave the log in $logdir/NAME.log.txt
boot() {
    name=$1
    log=$logdir/$name.log
    start=$(date +%s)
    build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
        --memory 256 --cmdline "console=hvc0 e2e=$2" --timeout "${E2E_TIMEOUT:-600}" \
        --disk "$img/a.img,raw,xvda,rw" --disk "$img/b.img,raw,xvdb,rw" \
        --disk "$img/c.img,raw,xvdc,ro" --disk "$img/d.img,raw,xvdd,rw" > "$log" 2>&1
    rc=$?
    echo "storage: boot $name: exit $rc after $(($(date +%s) - start)) s"
    tr -d '\r' < "$log" > "$log.txt"
    log=$log.txt
}

has()   { grep -q -- "$1" "$log"; }
lacks() { ! grep -Eq -- "$1" "$log"; }
count() { [ "$(grep -c -- "$1" "$log")" -eq "$2" ]; }

judge_common() {
    n=$1
    check "$n: /init reached" has "E2E-INIT: reached userspace"
    check "$n: no BUG/WARNING/Oops/hung task/RCU stall" \
        lacks "BUG:|WARNING:|Oops|blocked for more than|rcu_.*stall|RCU stall"
    check "$n: no blkback warning" lacks "\(xenshim\) warning: blkback"
    check "$n: xen-blkfront loaded" has "E2E-BLK-INSMOD: ok"
    check "$n: 4 vbds connected" count "(xenshim) blkback xvd.: connected" 4
    check "$n: xvda has 16384 sectors" has "E2E-BLK-SIZE: xvda 16384 ro=0"
    check "$n: xvdc is read-only" has "E2E-BLK-SIZE: xvdc 16384 ro=1"
}

boot storage storage
judge_common storage
check "storage: exit status 0 (poweroff)" [ "$rc" -eq 0 ]
check "storage: blkfront without persistent grants" has "persistent grants: disabled"
check "storage: xvda reads back with the image's sha256" has "E2E-BLK-SHA: xvda $sha_a"
check "storage: guest wrote xvdb" has "E2E-BLK-WRITE: ok"
check "storage: xvdb reads back what was written" has "E2E-BLK-SHA: xvdb $sha_a"
check "storage: xvdb image equals xvda byte for byte (host)" cmp -s "$img/a.img" "$img/b.img"
check "storage: write to read-only xvdc refused" has "E2E-BLK-RO: write refused"
check "storage: xvdc image unchanged (host)" \
    [ "$(sha256sum < "$img/c.img" | cut -d' ' -f1)" = "$sha_c" ]
check "storage: ext4 marker read" has "E2E-BLK-MARKER: $marker"
check "storage: ext4 unmounted cleanly" has "E2E-BLK-UMOUNT: ok"
check "storage: the guest's ext4 file is in the image (host)" \
    [ "$(debugfs -R 'cat /guest.txt' "$img/d.img" 2>/dev/null)" = "written by the guest" ]
check "storage: ext4 image is consistent (host fsck)" \
    sh -c "e2fsck -fn '$img/d.img' >/dev/null 2>&1 || /sbin/e2fsck -fn '$img/d.img' >/dev/null 2>&1"
check "storage: frontends unbound, xen-blkfront unloaded" has "E2E-BLK-RMMOD: ok"
check "storage: 4 vbds disconnected" count "(xenshim) blkback xvd.: disconnected" 4
check "storage: blkfront found no grant still held" lacks "has not unmapped grant|leaking"

truncate -s 0 "$img/b.img"
truncate -s 8M "$img/b.img"
boot crash storagecrash
judge_common crash
check "crash: exit status 2 (guest crashed)" [ "$rc" -eq 2 ]
check "crash: 16-page rings" count "(xenshim) blkback xvd.: connected, 16-page ring (512 entries)" 4
check "crash: O_DIRECT 512 KiB reads (indirect) match" has "E2E-BLK-DIRECT: xvda $sha_a"
check "crash: pattern written and synced" has "E2E-BLK-CRASHWRITE: ok"
check "crash: the guest crashed" has "guest shutdown: crash"
check "crash: pattern on the disk after the crash (host)" \
    sh -c "yes xenshim-crash-pattern | head -c 1048576 | cmp -s -n 1048576 - '$img/b.img'"

# ---- root on a PV disk -----------------------------------------------------
# An ext4 root filesystem made on the host (busybox-static and an /sbin/init
# script), attached as xvda; the kernel command line says root=/dev/xvda and
# the initramfs (e2e=rootfs) mounts it and switch_roots to its /sbin/init,
# which reports, writes /written-by-guest, remounts / read-only and powers off.
rfs=$img/rootfs
mkdir -p "$rfs/bin" "$rfs/sbin" "$rfs/proc" "$rfs/sys" "$rfs/dev" "$rfs/tmp"
cp /bin/busybox "$rfs/bin/busybox"
cat > "$rfs/sbin/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "E2E-ROOTFS: running from $(awk '$2 == "/" { print $1 }' /proc/mounts), pid $$, root is $(awk '$2 == "/" { print $3 }' /proc/mounts)"
echo "E2E-ROOTFS-MOUNTS: $(grep ' / ' /proc/mounts)"
echo "E2E-ROOTFS-INITRAMFS: $([ -e /init ] && echo still there || echo gone)"
echo "root switched, pid $$, uptime $(cut -d' ' -f1 /proc/uptime)" > /written-by-guest
sync
mount -o remount,ro / && echo "E2E-ROOTFS-REMOUNT-RO: ok"
echo "E2E-DONE"
poweroff -f
INIT
chmod 755 "$rfs/sbin/init"
mkfs.ext4 -q -F -L xenshim-root -d "$rfs" "$img/root.img" 16M >/dev/null 2>&1 ||
    fatal "mkfs.ext4 -d of the root filesystem failed"

log=$logdir/rootfs.log
start=$(date +%s)
build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
    --memory 256 --cmdline "console=hvc0 root=/dev/xvda rw e2e=rootfs" \
    --timeout "${E2E_TIMEOUT:-600}" --disk "$img/root.img,raw,xvda,rw" > "$log" 2>&1
rc=$?
echo "storage: boot rootfs: exit $rc after $(($(date +%s) - start)) s"
tr -d '\r' < "$log" > "$log.txt"
log=$log.txt
check "rootfs: /init reached" has "E2E-INIT: reached userspace"
check "rootfs: no BUG/WARNING/Oops/hung task/RCU stall" \
    lacks "BUG:|WARNING:|Oops|blocked for more than|rcu_.*stall|RCU stall"
check "rootfs: no blkback warning" lacks "\(xenshim\) warning: blkback"
check "rootfs: root= read from the command line" has "E2E-ROOTFS-ROOT: /dev/xvda"
check "rootfs: 1 vbd connected" count "(xenshim) blkback xvd.: connected" 1
check "rootfs: /dev/xvda mounted read-write" has "E2E-ROOTFS-MOUNT: ok"
check "rootfs: the disk's /sbin/init runs as PID 1 on /dev/xvda (ext4)" \
    has "E2E-ROOTFS: running from /dev/xvda, pid 1, root is ext4"
check "rootfs: /proc/mounts: /dev/xvda on / ext4 rw" \
    grep -Eq "^E2E-ROOTFS-MOUNTS: /dev/xvda / ext4 rw[, ]" "$log"
check "rootfs: the initramfs is gone" has "E2E-ROOTFS-INITRAMFS: gone"
check "rootfs: / remounted read-only before poweroff" has "E2E-ROOTFS-REMOUNT-RO: ok"
check "rootfs: exit status 0 (poweroff)" [ "$rc" -eq 0 ]
check "rootfs: the guest's file is in the image (host)" \
    sh -c "debugfs -R 'cat /written-by-guest' '$img/root.img' 2>/dev/null | grep -q '^root switched, pid 1, '"
check "rootfs: ext4 image is consistent (host fsck)" \
    sh -c "e2fsck -fn '$img/root.img' >/dev/null 2>&1 || /sbin/e2fsck -fn '$img/root.img' >/dev/null 2>&1"

echo "storage: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
