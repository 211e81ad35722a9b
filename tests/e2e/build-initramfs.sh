#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the e2e initramfs: Debian's busybox-static, the /init script, the
# static page-fault workload, and the Xen frontend modules of the fetched
# cloud kernel. Usage: build-initramfs.sh KERNEL_ROOT OUT.cpio.gz
set -eu
root=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/proc" "$work/sys" "$work/dev" "$work/tmp" "$work/lib/modules"
cp /bin/busybox "$work/bin/busybox"
cp "$here/initramfs/init" "$work/init"
chmod 755 "$work/init"
${CC:-cc} -O2 -static -o "$work/bin/pagefault" "$here/initramfs/pagefault.c"
for m in drivers/block/xen-blkfront.ko drivers/net/xen-netfront.ko; do
    f=$(find "$root"/lib/modules -path "*/$m" | head -n1)
    [ -n "$f" ] && cp "$f" "$work/lib/modules/"
done
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
