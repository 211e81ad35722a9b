#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The main job: boot Debian's cloud kernel (an unmodified Xen PV domU
# kernel, fetched from Debian's archive) under the shim in QEMU, with a
# busybox initramfs that runs a few checks and powers off.
set -eu
cd "$(dirname "$0")/.."
vmlinuz=$(sh scripts/fetch-cloud-kernel.sh)
root=${vmlinuz%/boot/*}
mkdir -p build/e2e
sh tests/e2e/build-initramfs.sh "$root" build/e2e/initramfs.cpio.gz
exec build/xenshim run --kernel "$vmlinuz" --initrd build/e2e/initramfs.cpio.gz \
    --memory 512 --cmdline "console=hvc0 e2e=quick" --timeout 900
