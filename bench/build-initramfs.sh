#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the bench initramfs: Debian's busybox-static, bench/initramfs/init
# and the static workload helper (bench/initramfs/workload.c, libc.a from
# libc6-dev), the same way tests/e2e/build-initramfs.sh does, and the block
# driver modules of the disk workload from the fetched cloud kernel:
# xen-blkfront (shim) and virtio_blk with its virtio PCI transport (native).
# Usage: bench/build-initramfs.sh OUT.cpio.gz [KERNEL_ROOT]
set -eu
out=$1
root=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x /bin/busybox ] || { echo "build-initramfs: /bin/busybox missing (busybox-static, scripts/setup-deps.sh)" >&2; exit 1; }
mkdir -p "$work/bin" "$work/proc" "$work/sys" "$work/dev" "$work/tmp"
cp /bin/busybox "$work/bin/busybox"
cp "$here/initramfs/init" "$work/init"
chmod 755 "$work/init"
${CC:-cc} -O2 -static -Wall -Wextra -Werror -o "$work/bin/workload" "$here/initramfs/workload.c"
mkdir -p "$work/lib/modules"
if [ -n "$root" ]; then
    for m in xen-blkfront virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
             virtio_pci virtio_blk; do
        f=$(find "$root"/lib/modules -name "$m.ko" | head -n1)
        [ -n "$f" ] && cp "$f" "$work/lib/modules/"
    done
fi
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
