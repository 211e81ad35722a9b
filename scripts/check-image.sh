#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Checks what the multiboot a.out kludge relies on: every PT_LOAD segment has
# the same (file offset - physical address), so loaders that copy the file
# from the header onwards put each byte at its physical address; and the
# multiboot header sits in the first 8 KiB of the file.
set -eu
img=$1
first=""
for pair in $(readelf -lW "$img" | awk '$1 == "LOAD" { print $2 "," $4 }'); do
    off=$(printf '%d' "${pair%,*}")
    pa=$(printf '%d' "${pair#*,}")
    d=$((off - pa))
    if [ -z "$first" ]; then
        first=$d
    elif [ "$d" -ne "$first" ]; then
        echo "check-image: $img: PT_LOAD at paddr ${pair#*,} breaks the offset rule" >&2
        exit 1
    fi
done
[ -n "$first" ] || { echo "check-image: $img: no PT_LOAD segment" >&2; exit 1; }
od -A n -t x4 -N 8192 -v "$img" | grep -q 1badb002 ||
    { echo "check-image: $img: no multiboot header in the first 8 KiB" >&2; exit 1; }
