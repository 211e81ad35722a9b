# SPDX-License-Identifier: GPL-2.0-only
"""The host end of the network benchmark (bench/run.sh, bench/initramfs/net-init).

net-server.py serve BYTES RESULTS
    Listens on 127.0.0.1 (a free port, printed on stdout), which a guest on
    QEMU user networking reaches as 10.0.2.2, one request at a time:
      GET /rx/TAG    sends BYTES of random data (host -> guest), then waits
                     for the guest to close; timed from the parsed request
                     to the guest's EOF, appended to RESULTS as "TAG rx N S"
      GET /done/TAG  "done" once RESULTS has TAG's tx line, else "wait"
net-server.py fetch PORT TAG BYTES RESULTS PID SECONDS
    The other direction (guest -> host): GET /tx from the guest's httpd
    through the --hostfwd port 127.0.0.1:PORT, retrying until the guest
    serves all BYTES (its httpd starts once the file is complete), while
    process PID (the guest's QEMU) lives, for at most SECONDS. Timed from the
    first byte of the reply to its last; appends "TAG tx N S" to RESULTS.
    Exit status 0 if it got them.
"""
import os
import socket
import sys
import time


def record(results, line):
    with open(results, "a") as f:
        f.write(line + "\n")


def done(results, tag):
    try:
        with open(results) as f:
            return any(line.split()[:2] == [tag, "tx"] for line in f)
    except OSError:
        return False


def handle(c, data, results):
    head = b""
    while b"\r\n\r\n" not in head:
        b = c.recv(65536)
        if not b:
            return
        head += b
    method, path = head.split(b"\r\n", 1)[0].decode("latin-1").split()[:2]
    parts = path.split("/")
    if method != "GET" or len(parts) != 3:
        return
    kind, tag = parts[1], parts[2]
    if kind == "rx":
        t0 = time.monotonic()
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(data))
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        while c.recv(65536):
            pass
        record(results, "%s rx %d %.6f" % (tag, len(data), time.monotonic() - t0))
    elif kind == "done":
        body = b"done" if done(results, tag) else b"wait"
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


def serve(size, results):
    data = os.urandom(size)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print(s.getsockname()[1], flush=True)
    while True:
        c, _ = s.accept()
        c.settimeout(600)
        try:
            handle(c, data, results)
        except (OSError, ValueError, IndexError):
            pass
        finally:
            c.close()


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def fetch_once(port, size):
    """(body bytes, seconds from the first reply byte to EOF) or None."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        c.settimeout(300)
        c.sendall(b"GET /tx HTTP/1.0\r\nHost: guest\r\n\r\n")
        b = c.recv(1 << 20)
        if not b:
            return None
        t0 = time.monotonic()
        got = len(b)
        head = b
        while b"\r\n\r\n" not in head:
            b = c.recv(1 << 20)
            if not b:
                return None
            head += b
            got += len(b)
        status = head.split(b"\r\n", 1)[0].split()
        if len(status) < 2 or status[1] != b"200":
            return None
        hlen = head.index(b"\r\n\r\n") + 4
        while True:
            b = c.recv(1 << 20)
            if not b:
                break
            got += len(b)
        return got - hlen, time.monotonic() - t0


def fetch(port, tag, size, results, pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive(pid):
        try:
            r = fetch_once(port, size)
        except (OSError, ValueError):
            r = None
        if r and r[0] == size:
            record(results, "%s tx %d %.6f" % (tag, r[0], r[1]))
            return 0
        time.sleep(0.5)
    return 1


if sys.argv[1] == "serve":
    serve(int(sys.argv[2]), sys.argv[3])
else:
    sys.exit(fetch(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5],
                   int(sys.argv[6]), float(sys.argv[7])))
