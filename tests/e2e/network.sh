#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# End to end, network: Debian's cloud kernel with xen-netfront (a module of
# the e2e initramfs) on the shim's netback, over QEMU user networking that
# the host tool attaches with --vif (a vif= token on the shim command line),
# loopback only. Boot "net" (e2e=net in tests/e2e/initramfs/init), one vif
# with a given MAC: loads netfront, checks eth0 has that MAC, gets an
# address from QEMU's DHCP server with udhcpc, pings the gateway, downloads
# 2 MiB of random data from a python3 HTTP server on the host's loopback
# (reached as 10.0.2.2) and uploads it back with a POST (by nc; the server
# answers the sha256 of what it got); then serves 64 MiB of random data
# with busybox httpd, which the host downloads with curl through a
# --hostfwd port on 127.0.0.1 and compares with the guest's sha256; unbinds
# the frontend (disconnect) and powers off. Boot "netdual" (e2e=netdual),
# two vifs at once, each on its own user network: both interfaces have
# their MAC and a lease, ping the gateway bound to each, and download the
# 2 MiB blob out of each. Ends with "network: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
logdir=build/e2e-network
mkdir -p "$logdir"

ok()   { passed=$((passed + 1)); echo "PASS: $*"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
fatal() { echo "network: $*"; echo "network: $passed passed, $((failed + 1)) failed"; exit 1; }

command -v python3 >/dev/null 2>&1 || fatal "python3 not found"
command -v curl >/dev/null 2>&1 || fatal "curl not found"
vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || fatal "cannot fetch the cloud kernel"
root=${vmlinuz%/boot/*}
sh tests/e2e/build-initramfs.sh "$root" "$logdir/initramfs.cpio.gz" || fatal "cannot build the initramfs"

head -c 2097152 /dev/urandom > "$logdir/blob" || fatal "cannot write $logdir/blob"
sha=$(sha256sum < "$logdir/blob" | cut -d' ' -f1)

# The host side: GET /blob, POST /up -> sha256 of the body, GET /fetched ->
# "done" once the file FLAG exists (the host has fetched the guest's /big).
# Loopback only.
cat > "$logdir/server.py" <<'PY'
import hashlib, http.server, os, sys
blob = open(sys.argv[1], "rb").read()
flag = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/fetched":
            self.reply(b"done" if os.path.exists(flag) else b"wait")
        else:
            self.reply(blob if self.path == "/blob" else b"")
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.reply(("%s %d" % (hashlib.sha256(self.rfile.read(n)).hexdigest(), n)).encode())
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
rm -f "$logdir/port"     # the child truncates it only after the shell looks
rm -f "$logdir/fetched" "$logdir/big"
python3 "$logdir/server.py" "$logdir/blob" "$logdir/fetched" > "$logdir/port" 2> "$logdir/server.log" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
i=0
while [ $i -lt 200 ] && ! [ -s "$logdir/port" ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$logdir/port")
[ -n "$port" ] || fatal "the HTTP server did not start"

# A free loopback port for --hostfwd (python3 picks it; QEMU binds it).
fwdport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
[ -n "$fwdport" ] || fatal "cannot pick a port for --hostfwd"

has()   { grep -q -- "$1" "$log"; }
hasx()  { grep -qx -- "$1" "$log"; }
lacks() { ! grep -Eq -- "$1" "$log"; }
# field NAME: the text after "NAME: " on the first such line of the log.
field() { sed -n "s/^$1: //p" "$log" | head -n 1; }
# same A B: A is not empty and equals B.
same()  { [ -n "$1" ] && [ "$1" = "$2" ]; }

# ---- boot "net": one vif, its MAC, DHCP, rx/tx, 64 MiB out via hostfwd ----
mac=00:16:3e:12:34:56
log=$logdir/net.log
start=$(date +%s)
build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
    --memory 512 --cmdline "console=hvc0 e2e=net e2e_port=$port" \
    --timeout "${E2E_TIMEOUT:-600}" --vif "mac=$mac,bridge=user" \
    --hostfwd "tcp:127.0.0.1:$fwdport-:80" > "$log" 2>&1 &
run=$!
# When the guest's httpd is up, fetch /big (bounded), then tell the guest.
fetch="not attempted: the guest's httpd never came up"
while kill -0 $run 2>/dev/null; do
    if tr -d '\r' < "$log" | grep -qx "E2E-NET-HTTPD: ready"; then
        t0=$(date +%s)
        if curl -sS --max-time 300 -o "$logdir/big" "http://127.0.0.1:$fwdport/big" 2> "$logdir/curl.err"; then
            fetch="$(sha256sum < "$logdir/big" | cut -d' ' -f1) $(wc -c < "$logdir/big")"
            echo "network: fetched $(wc -c < "$logdir/big") bytes from the guest in $(($(date +%s) - t0)) s"
        else
            fetch="curl failed: $(tail -n 1 "$logdir/curl.err")"
        fi
        touch "$logdir/fetched"
        break
    fi
    sleep 0.2
done
wait $run
rc=$?
echo "network: boot net: exit $rc after $(($(date +%s) - start)) s"
tr -d '\r' < "$log" > "$log.txt"
log=$log.txt
big=$(field E2E-NET-BIG)

check "/init reached" has "E2E-INIT: reached userspace"
check "no BUG/WARNING/Oops/hung task/RCU stall" \
    lacks "BUG:|WARNING:|Oops|blocked for more than|rcu_.*stall|RCU stall"
check "no netback warning" lacks "\(xenshim\) warning: netback"
check "xen-netfront loaded" has "E2E-NET-INSMOD: ok"
check "vif connected" has "(xenshim) netback vif0: connected"
check "eth0 has exactly the vif spec's MAC ($mac)" hasx "E2E-NET-MAC: $mac"
check "DHCP lease from QEMU user-net" has "E2E-NET-DHCP: 10.0.2."
check "ping the gateway" has "E2E-NET-PING: ok"
check "download: 2 MiB with the host's sha256 (rx)" has "E2E-NET-WGET: $sha"
check "upload: 2 MiB the host received intact (tx)" has "E2E-NET-POST: $sha 2097152"
check "guest httpd serves 64 MiB from a tmpfs" same "${big#* }" 67108864
check "hostfwd 127.0.0.1:$fwdport: the host fetched 64 MiB with the guest's sha256" \
    same "$fetch" "$big"
same "$fetch" "$big" || echo "  guest: ${big:-none}; host: $fetch"
check "the guest heard that the host was done" has "E2E-NET-FETCHED: after"
check "frontend unbound, xen-netfront unloaded" has "E2E-NET-RMMOD: ok"
check "vif disconnected" has "(xenshim) netback vif0: disconnected"
check "exit status 0 (poweroff)" [ "$rc" -eq 0 ]

# ---- boot "netdual": two vifs, a lease and traffic on each ----------------
mac1=00:16:3e:65:43:21
log=$logdir/netdual.log
start=$(date +%s)
build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
    --memory 256 --cmdline "console=hvc0 e2e=netdual e2e_port=$port" \
    --timeout "${E2E_TIMEOUT:-600}" --vif "mac=$mac,bridge=user" --vif "mac=$mac1" > "$log" 2>&1
rc=$?
echo "network: boot netdual: exit $rc after $(($(date +%s) - start)) s"
tr -d '\r' < "$log" > "$log.txt"
log=$log.txt

# both A B: the log has both lines.
both() { has "$1" && has "$2"; }
# got_blob IFC: the blob came through IFC with its sha256 and >= 2 MiB in on IFC.
got_blob() {
    n=$(sed -n "s/^E2E-NET2-WGET: $1 $sha, rx +\([0-9]*\) bytes$/\1/p" "$log")
    [ -n "$n" ] && [ "$n" -ge 2097152 ]
}
check "two vifs: /init reached" has "E2E-INIT: reached userspace"
check "two vifs: no BUG/WARNING/Oops/hung task/RCU stall" \
    lacks "BUG:|WARNING:|Oops|blocked for more than|rcu_.*stall|RCU stall"
check "two vifs: no netback warning" lacks "\(xenshim\) warning: netback"
check "two vifs: both connected" \
    both "(xenshim) netback vif0: connected" "(xenshim) netback vif1: connected"
check "two vifs: eth0 has $mac" hasx "E2E-NET2-MAC: eth0 $mac"
check "two vifs: eth1 has $mac1" hasx "E2E-NET2-MAC: eth1 $mac1"
check "two vifs: DHCP lease on eth0" has "E2E-NET2-DHCP: eth0 10.0.2."
check "two vifs: DHCP lease on eth1" has "E2E-NET2-DHCP: eth1 10.0.2."
check "two vifs: ping the gateway over eth0 (ping -I)" has "E2E-NET2-PING: eth0 ok, rx +[1-9]"
check "two vifs: ping the gateway over eth1 (ping -I)" has "E2E-NET2-PING: eth1 ok, rx +[1-9]"
check "two vifs: 2 MiB download over eth0 (sha256, eth0 rx bytes)" got_blob eth0
check "two vifs: 2 MiB download over eth1 (sha256, eth1 rx bytes)" got_blob eth1
check "two vifs: both disconnected" \
    both "(xenshim) netback vif0: disconnected" "(xenshim) netback vif1: disconnected"
check "two vifs: exit status 0 (poweroff)" [ "$rc" -eq 0 ]

echo "network: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
