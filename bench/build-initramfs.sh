#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the bench initramfs: Debian's busybox-static, bench/initramfs/init
# and the static workload helper (bench/initramfs/workload.c, libc.a from
# libc6-dev), the same way tests/e2e/build-initramfs.sh does. No modules:
# the workloads need no devices.
# Usage: bench/build-initramfs.sh OUT.cpio.gz
set -eu
out=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x /bin/busybox ] || { echo "build-initramfs: /bin/busybox missing (busybox-static, scripts/setup-deps.sh)" >&2; exit 1; }
mkdir -p "$work/bin" "$work/proc" "$work/sys" "$work/dev" "$work/tmp"
cp /bin/busybox "$work/bin/busybox"
cp "$here/initramfs/init" "$work/init"
chmod 755 "$work/init"
${CC:-cc} -O2 -static -Wall -Wextra -Werror -o "$work/bin/workload" "$here/initramfs/workload.c"
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
