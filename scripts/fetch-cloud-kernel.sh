#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's current cloud kernel (a pure Xen PV domU kernel, see
# ARCHITECTURE.md) for the end-to-end tests: resolve the meta package
# linux-image-cloud-amd64 to the real linux-image-<abi>-cloud-amd64 package,
# `apt-get download` it and unpack it under build/cloud-kernel/. Prints the
# vmlinuz path. Idempotent: an already unpacked kernel is reused.
#
# Usage: scripts/fetch-cloud-kernel.sh [DESTDIR]   (default build/cloud-kernel)
set -eu

meta=linux-image-cloud-amd64
dest=${1:-build/cloud-kernel}

die() { echo "fetch-cloud-kernel: $*" >&2; exit 1; }

find_vmlinuz() {
    # The newest unpacked vmlinuz-*-cloud-amd64, if any.
    ls -1 "$dest"/root/boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1
}

command -v apt-cache >/dev/null 2>&1 || die "apt-cache not found (Debian host needed)"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (Debian host needed)"

# Which real package the meta package points at now. apt needs package lists;
# refresh them once if the meta package is unknown.
resolve() {
    apt-cache depends "$meta" 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2; exit }'
}
pkg=$(resolve || true)
if [ -z "$pkg" ]; then
    apt-get update >/dev/null 2>&1 || true
    pkg=$(resolve || true)
fi

if [ -z "$pkg" ]; then
    # Offline: a previously unpacked kernel is still good enough.
    have=$(find_vmlinuz)
    [ -n "$have" ] || die "cannot resolve $meta to a linux-image package (apt-get update?)"
    echo "$have"
    exit 0
fi

abi=${pkg#linux-image-}
vmlinuz="$dest/root/boot/vmlinuz-$abi"
if [ -f "$vmlinuz" ]; then
    echo "$vmlinuz"
    exit 0
fi

mkdir -p "$dest/deb"
deb=$(ls -1 "$dest"/deb/"${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
    # apt-get download writes into the current directory.
    (cd "$dest/deb" && apt-get -o APT::Sandbox::User=root download "$pkg" >&2) ||
        die "apt-get download $pkg failed"
    deb=$(ls -1 "$dest"/deb/"${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$deb" ] || die "apt-get download $pkg produced no .deb"
fi

rm -rf "$dest/root.tmp"
dpkg-deb -x "$deb" "$dest/root.tmp" || die "dpkg-deb -x $deb failed"
[ -f "$dest/root.tmp/boot/vmlinuz-$abi" ] ||
    die "$deb has no boot/vmlinuz-$abi"
rm -rf "$dest/root"
mv "$dest/root.tmp" "$dest/root"
echo "$vmlinuz"
