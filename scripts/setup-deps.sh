#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs every Debian package xenshim needs to build, test and run.
# Idempotent: packages already installed are not touched.
set -eu

PACKAGES="
    make gcc clang binutils
    libxen-dev libfdt-dev libcmocka-dev libcapstone-dev liblz4-dev
    qemu-system-x86
    busybox-static cpio gzip xz-utils e2fsprogs
    valgrind python3 libc6-dev
    libxml2-utils lowdown
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
