#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the initramfs of `xenshim certify`: Debian's busybox-static, the
# /init below, and the Xen frontend modules of the kernel being certified
# (xen-blkfront, xen-netfront and what they depend on), decompressed if the
# tree ships them as .ko.xz/.ko.zst/.ko.gz. `make` installs this script
# beside build/xenshim, where `xenshim certify` looks for it.
#
# Usage: certify-initramfs.sh KERNEL OUT.cpio.gz [MODULES_DIR]
#   MODULES_DIR defaults to the tree that belongs to KERNEL:
#   .../boot/vmlinuz-<release> -> .../lib/modules/<release>.
#   Without one the initramfs has no modules; certify then skips blkfront
#   and netfront with that reason.
#
# The /init prints the E2E-* lines that tests/e2e/run.sh judges (E2E-INIT,
# -XEN, -CLOCKSOURCE, -FORKEXEC, -UPTIME, -DATE, -DONE) plus E2E-CPUS and
# the E2E-BLK-*/E2E-NET-* lines certify judges, then powers off.
set -eu
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 KERNEL OUT.cpio.gz [MODULES_DIR]" >&2; exit 1; }
kernel=$1
out=$2
modules=${3:-}
die() { echo "certify-initramfs: $*" >&2; exit 1; }

[ -f "$kernel" ] || die "$kernel: no such file"
if [ -z "$modules" ]; then
    case $kernel in
    */boot/vmlinuz-*) modules=${kernel%/boot/vmlinuz-*}/lib/modules/${kernel##*/vmlinuz-} ;;
    esac
fi
busybox=$(command -v busybox || true)
for b in /bin/busybox /usr/bin/busybox; do [ -z "$busybox" ] && [ -x "$b" ] && busybox=$b; done
[ -n "$busybox" ] || die "busybox not found (Debian package busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q dynamic &&
    die "$busybox is dynamically linked; install busybox-static"
for t in cpio gzip; do command -v $t >/dev/null || die "$t not found"; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/proc" "$work/sys" "$work/dev" "$work/tmp" "$work/lib/modules"
cp "$busybox" "$work/bin/busybox"

# find_module NAME: the file of module NAME ('-' and '_' are one) in $modules.
find_module() {
    local n u
    n=$(printf '%s' "$1" | tr '_' '-')
    u=$(printf '%s' "$1" | tr '-' '_')
    find "$modules" \( -name "$n.ko*" -o -name "$u.ko*" \) 2>/dev/null | head -n 1
}

# add_module NAME: copy it (plain .ko) after its dependencies; appends to order.
# (dash and busybox sh have `local`, which the recursion needs.)
add_module() {
    local f name deps d
    f=$(find_module "$1")
    [ -n "$f" ] || return 1
    name=$(basename "$f"); name=${name%%.ko*}
    [ -f "$work/lib/modules/$name.ko" ] && return 0
    case $f in
    *.ko)     cp "$f" "$work/lib/modules/$name.ko" ;;
    *.ko.xz)  xz -dc "$f" > "$work/lib/modules/$name.ko" ;;
    *.ko.zst) zstd -qdc "$f" > "$work/lib/modules/$name.ko" ;;
    *.ko.gz)  gzip -dc "$f" > "$work/lib/modules/$name.ko" ;;
    *)        return 1 ;;
    esac
    deps=$(tr '\0' '\n' < "$work/lib/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do
        add_module "$d" || { echo "certify-initramfs: $name needs $d, not found" >&2; return 1; }
        echo "$d" >> "$work/lib/modules/$name.deps"
    done
}

if [ -n "$modules" ] && [ -d "$modules" ]; then
    for m in xen-blkfront xen-netfront; do
        if add_module $m; then
            echo "certify-initramfs: $m from $modules" >&2
        else
            rm -f "$work/lib/modules/$m.ko"
            echo "certify-initramfs: $m not found in $modules" >&2
        fi
    done
else
    echo "certify-initramfs: no module tree${modules:+ at $modules}: no frontend modules" >&2
fi

cat > "$work/init" <<'EOF'
#!/bin/busybox sh
# /init of the xenshim certify initramfs (tools/certify-initramfs.sh).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "E2E-INIT: reached userspace, uptime $(cut -d' ' -f1 /proc/uptime)"
echo "E2E-XEN: $(cat /sys/hypervisor/type 2>/dev/null) $(dmesg 2>&1 | grep -c "Hypervisor detected: Xen PV")"
echo "E2E-CLOCKSOURCE: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "E2E-CPUS: $(grep -c '^processor' /proc/cpuinfo)"

# load NAME: its dependencies, then itself; prints ok, failed or absent.
load() {
    [ -f /lib/modules/$1.ko ] || { echo absent; return; }
    for d in $(cat /lib/modules/$1.deps 2>/dev/null); do insmod /lib/modules/$d.ko 2>/dev/null; done
    insmod /lib/modules/$1.ko && echo ok || echo failed
}
wait_for() {
    i=0
    while [ $i -lt 100 ] && ! [ -e "$1" ]; do usleep 100000; i=$((i + 1)); done
}

# Block: every xvd* disk; xvda's first line is the host's marker. The guest
# writes back only to a disk carrying the certify marker, never another one.
echo "E2E-BLK-INSMOD: $(load xen-blkfront)"
vbds=$(ls /sys/bus/xen/devices 2>/dev/null | grep -c '^vbd-')
if [ "$vbds" -gt 0 ]; then
    # Until every vbd has its disk (the names depend on the vdevs).
    i=0
    while [ $i -lt 100 ] && [ "$(ls -d /sys/block/xvd* 2>/dev/null | wc -l)" -lt "$vbds" ]; do
        usleep 100000
        i=$((i + 1))
    done
    for d in /sys/block/xvd*; do
        [ -e "$d" ] && echo "E2E-BLK-DEV: ${d##*/} $(cat $d/size) ro=$(cat $d/ro)"
    done
    if [ -b /dev/xvda ]; then
        marker=$(head -c 512 /dev/xvda | head -n 1)
        echo "E2E-BLK-READ: $marker"
        case $marker in
        "xenshim-certify "*)
            printf 'xenshim-certify-guest %s\n' "${marker#xenshim-certify }" |
                dd of=/dev/xvda bs=512 seek=8 conv=fsync 2>/dev/null &&
                echo "E2E-BLK-WRITE: ok" || echo "E2E-BLK-WRITE: failed" ;;
        esac
    fi
fi

# Network: eth0 on the first vif, DHCP, then ping the router it names.
echo "E2E-NET-INSMOD: $(load xen-netfront)"
if ls /sys/bus/xen/devices 2>/dev/null | grep -q '^vif-'; then
    wait_for /sys/class/net/eth0
    echo "E2E-NET-MAC: $(cat /sys/class/net/eth0/address 2>/dev/null)"
    ip link set lo up
    ip link set eth0 up 2>/dev/null
    printf '#!/bin/sh\n[ "$1" = bound ] || exit 0\nip addr add $ip/${mask:-24} dev $interface\necho ${router%%%% *} > /tmp/router\n' > /tmp/dhcp.sh
    chmod 755 /tmp/dhcp.sh
    udhcpc -i eth0 -s /tmp/dhcp.sh -q -n -t 5 -T 2 >/dev/null 2>&1
    echo "E2E-NET-DHCP: $(ip -4 addr show eth0 2>/dev/null | sed -n 's/.*inet \([0-9.]*\).*/\1/p')"
    if [ -s /tmp/router ]; then
        ping -c 2 -W 5 "$(cat /tmp/router)" >/dev/null 2>&1 &&
            echo "E2E-NET-PING: ok" || echo "E2E-NET-PING: failed"
    fi
fi

t0=$(cut -d' ' -f1 /proc/uptime)
i=0
while [ $i -lt 200 ]; do
    /bin/busybox true || { echo "E2E-FORKEXEC: failed at $i"; break; }
    i=$((i + 1))
done
echo "E2E-FORKEXEC: $i $t0 $(cut -d' ' -f1 /proc/uptime)"
u1=$(cut -d' ' -f1 /proc/uptime)
sleep 1
u2=$(cut -d' ' -f1 /proc/uptime)
echo "E2E-UPTIME: $u1 $u2"
# Last, so the host compares it with its own clock at that moment.
echo "E2E-DATE: $(date +%s)"
echo "E2E-DONE"
sync
poweroff -f
EOF
chmod 755 "$work/init"
mkdir -p "$(dirname "$out")"
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
