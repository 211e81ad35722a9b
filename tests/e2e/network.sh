#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# End to end, network: Debian's cloud kernel with xen-netfront (a module of
# the e2e initramfs) on the shim's netback, over one virtio-net NIC with
# QEMU user networking that the host tool attaches with --vif (a vif= token
# on the shim command line). Boot "net" (e2e=net in tests/e2e/initramfs/init)
# loads netfront, gets an address from QEMU's DHCP server with udhcpc, pings
# the gateway, downloads 2 MiB of random data from a python3 HTTP server on
# the host's loopback (reached as 10.0.2.2) and uploads it back with a POST
# (by nc; the server answers the sha256 of what it got), unbinds the frontend
# (disconnect) and powers off. Ends with "network: N passed, N failed".
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
vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || fatal "cannot fetch the cloud kernel"
root=${vmlinuz%/boot/*}
sh tests/e2e/build-initramfs.sh "$root" "$logdir/initramfs.cpio.gz" || fatal "cannot build the initramfs"

head -c 2097152 /dev/urandom > "$logdir/blob" || fatal "cannot write $logdir/blob"
sha=$(sha256sum < "$logdir/blob" | cut -d' ' -f1)

# The host side: GET /blob, POST /up -> sha256 of the body. Loopback only.
cat > "$logdir/server.py" <<'PY'
import hashlib, http.server, sys
blob = open(sys.argv[1], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.reply(blob if self.path == "/blob" else b"")
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.reply(("%s %d" % (hashlib.sha256(self.rfile.read(n)).hexdigest(), n)).encode())
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
rm -f "$logdir/port"     # the child truncates it only after the shell looks
python3 "$logdir/server.py" "$logdir/blob" > "$logdir/port" 2> "$logdir/server.log" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
i=0
while [ $i -lt 200 ] && ! [ -s "$logdir/port" ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$logdir/port")
[ -n "$port" ] || fatal "the HTTP server did not start"

log=$logdir/net.log
start=$(date +%s)
build/xenshim run --kernel "$vmlinuz" --initrd "$logdir/initramfs.cpio.gz" \
    --memory 256 --cmdline "console=hvc0 e2e=net e2e_port=$port" \
    --timeout "${E2E_TIMEOUT:-600}" --vif 'mac=00:16:3e:12:34:56' > "$log" 2>&1
rc=$?
echo "network: boot: exit $rc after $(($(date +%s) - start)) s"
tr -d '\r' < "$log" > "$log.txt"
log=$log.txt

has()   { grep -q -- "$1" "$log"; }
lacks() { ! grep -Eq -- "$1" "$log"; }

check "/init reached" has "E2E-INIT: reached userspace"
check "no BUG/WARNING/Oops/hung task/RCU stall" \
    lacks "BUG:|WARNING:|Oops|blocked for more than|rcu_.*stall|RCU stall"
check "no netback warning" lacks "\(xenshim\) warning: netback"
check "xen-netfront loaded" has "E2E-NET-INSMOD: ok"
check "vif connected" has "(xenshim) netback vif0: connected"
check "eth0 has the vif's MAC" has "E2E-NET-MAC: 00:16:3e:12:34:56"
check "DHCP lease from QEMU user-net" has "E2E-NET-DHCP: 10.0.2."
check "ping the gateway" has "E2E-NET-PING: ok"
check "download: 2 MiB with the host's sha256 (rx)" has "E2E-NET-WGET: $sha"
check "upload: 2 MiB the host received intact (tx)" has "E2E-NET-POST: $sha 2097152"
check "frontend unbound, xen-netfront unloaded" has "E2E-NET-RMMOD: ok"
check "vif disconnected" has "(xenshim) netback vif0: disconnected"
check "exit status 0 (poweroff)" [ "$rc" -eq 0 ]

echo "network: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
