#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Regenerate the seed corpora of the libFuzzer harnesses in
# tests/fuzz/corpus/<target>/ (the seeds are committed; run this only to
# change them). Deterministic; needs python3 and the lz4 CLI (legacy -l).
# Each seed is a small, well-formed program or file that reaches deep into
# its parser, so that the fuzzer starts from the interesting states.
set -eu
cd "$(dirname "$0")"
rm -rf corpus
mkdir -p corpus/evtchn corpus/elf-notes corpus/blkback corpus/netback corpus/xenstore corpus/mm corpus/xen-elf corpus/xl-config corpus/bzimage corpus/grant corpus/vmbus-ring corpus/rndis
python3 - <<'PY'
import base64, struct, os, zlib

def put(target, name, data):
    with open(f"corpus/{target}/{name}", "wb") as f:
        f.write(data)

# ---- xenstore: ops 0 request, 1 ring bytes, 2 index, 3 service, 4 drain, 5 backend
XS = dict(DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5, TX_START=6,
          TX_END=7, GET_DOMAIN_PATH=10, WRITE=11, MKDIR=12, RM=13, SET_PERMS=14,
          RESET_WATCHES=21, DIRECTORY_PART=22)
def req(t, payload, tx=0, rid=1):
    return bytes([0, XS[t], rid, tx]) + struct.pack("<H", len(payload)) + payload
def ringmsg(t, payload, tx=0, rid=1):
    m = struct.pack("<IIII", XS[t], rid, tx, len(payload)) + payload
    return bytes([1]) + struct.pack("<H", len(m)) + m
H = b"/local/domain/5/"
put("xenstore", "rw", req("WRITE", H + b"data/a\0hello") + req("READ", H + b"data/a\0")
    + req("DIRECTORY", H + b"\0") + req("GET_PERMS", H + b"data/a\0") + bytes([4]))
put("xenstore", "watch", req("WATCH", H + b"data\0tok\0") + req("WRITE", H + b"data/x\0v")
    + req("RM", H + b"data/x\0") + req("UNWATCH", H + b"data\0tok\0") + bytes([4]))
put("xenstore", "tx", req("TX_START", b"\0") + req("WRITE", H + b"data/t\0v", tx=1)
    + req("MKDIR", H + b"data/d\0", tx=1) + req("TX_END", b"T\0", tx=1)
    + req("TX_START", b"\0") + req("TX_END", b"F\0", tx=2) + bytes([4]))
put("xenstore", "perms", req("WRITE", H + b"data/p\0v")
    + req("SET_PERMS", H + b"data/p\0b5\0r0\0n7\0") + req("GET_PERMS", H + b"data/p\0")
    + req("SET_PERMS", b"/local/domain/0\0n5\0") + req("GET_DOMAIN_PATH", b"5\0")
    + req("DIRECTORY_PART", b"/local/domain\0" + b"0\0") + req("RESET_WATCHES", b"") + bytes([4]))
put("xenstore", "ring", ringmsg("WRITE", H + b"data/r\0ring") + bytes([3, 0, 4])
    + ringmsg("READ", H + b"data/r\0") + ringmsg("WATCH", H + b"\0w\0")
    + bytes([3, 0xff, 0xff]) + ringmsg("DIRECTORY", H + b"\0") + bytes([3, 0x10, 0]))
put("xenstore", "ring-hostile", ringmsg("READ", H + b"name\0")
    + bytes([2, 1]) + struct.pack("<I", 0x7fffffff) + bytes([3, 0, 0])
    + bytes([2, 1, 0, 0, 0, 0, 2, 3]) + struct.pack("<I", 0xfffff000) + bytes([3, 0, 0]))
put("xenstore", "backend", bytes([5, 0, 0, 4]) + b"a/b\0" + bytes([2]) + b"xy"
    + bytes([5, 1, 3, 0, 0, 5, 3]) + req("READ", H + b"data/a/b\0"))

# ---- mm: setup byte, then ops (op % 10; see fuzz-mm.c)
def pte(mfn, flags):       # structured pte: mode 0, mfn, flag bits u16
    return bytes([0, mfn]) + struct.pack("<H", flags)
P, RW, US, A, D, PSE = 1, 2, 4, 8, 16, 32
pin = lambda mfn, lvl: bytes([2 | (lvl << 4), mfn])
upd = lambda mfn, idx, p: bytes([0, mfn]) + struct.pack("<H", idx * 8) + p
root = lambda mfn: bytes([4, mfn])
uva = lambda i4, i3, i2, i1, p: bytes([5]) + struct.pack("<HHHH", i4, i3, i2, i1) + p
ptwr = lambda mfn, off, p: bytes([6, mfn]) + struct.pack("<H", off) + p
put("mm", "pin-tree", bytes([1]) + pin(8, 4) + root(8) + upd(11, 5, pte(13, P | RW))
    + upd(11, 6, pte(11, P | RW)) + uva(0, 0, 0, 7, pte(14, P)) + ptwr(11, 64, pte(15, P | RW))
    + bytes([3, 8]))
put("mm", "build-up", bytes([0]) + upd(20, 0, pte(21, P | RW)) + pin(20, 1)
    + upd(22, 0, pte(20, P | RW)) + pin(22, 2) + upd(23, 0, pte(22, P)) + pin(23, 3)
    + upd(24, 0, pte(23, P)) + pin(24, 4) + root(24) + upd(20, 1, pte(24, P | RW))
    + bytes([0x14, 24]) + bytes([3, 20, 3, 22, 3, 23, 3, 24]))
put("mm", "confusion", bytes([1]) + pin(8, 4) + pin(10, 1) + pin(11, 2)
    + upd(10, 1, pte(11, P)) + upd(9, 1, pte(11, P)) + bytes([0x17, 30, 7, 31])
    + upd(11, 7, pte(30, P | RW)) + bytes([8, 0]) + upd(11, 7, pte(30, P | RW))
    + upd(8, 300, pte(9, P)) + upd(8, 260, pte(9, P)) + upd(9, 2, pte(10, P | PSE))
    + bytes([0x30, 30, 0, 0]) + bytes([0x1a, 0]) + bytes([0x19, 0x17, 32]))
put("mm", "beyond", bytes([1]) + pin(8, 4) + upd(11, 9, pte(64, P)) + upd(11, 9, pte(70, P))
    + upd(11, 9, pte(2, P)) + upd(11, 9, pte(4, P | RW)) + upd(11, 9, bytes([0x40, 0, 1, 0]))
    + bytes([1]) + struct.pack("<Q", 0xfffffffffffff000) + pte(12, P) + bytes([0x33, 2, 0, 0]))

# ---- xen-elf: a minimal PV kernel (PT_LOAD + PT_NOTE), a section-note one,
# and a legacy __xen_guest one
def note(t, desc):
    n = b"Xen\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", 4, len(desc), t) + pad(n) + pad(desc)
VB = 0xffffffff80000000
notes = (note(6, b"linux\0") + note(7, b"2.6\0") + note(5, b"xen-3.0\0")
         + note(8, b"generic\0") + note(3, struct.pack("<Q", VB))
         + note(4, struct.pack("<Q", 0)) + note(1, struct.pack("<Q", VB + 0x100000))
         + note(2, struct.pack("<Q", VB + 0x101000))
         + note(10, b"writable_page_tables|!pae_pgdir_above_4gb|supervisor_mode_kernel\0")
         + note(9, b"yes\0") + note(12, struct.pack("<Q", 0xffff800000000000))
         + note(14, b"\0" * 8) + note(15, struct.pack("<Q", 0xffffffff90000000))
         + note(16, struct.pack("<I", 1)) + note(17, b"\0" * 4) + note(18, struct.pack("<I", 0x1000000)))
def elf(notes, use_phdr_note=True, legacy=None, shnote=False):
    text = b"\xf4" * 64
    ehsz, phsz, shsz = 64, 56, 64
    phnum = 2 if use_phdr_note else 1
    off_text = ehsz + phnum * phsz
    off_notes = off_text + len(text)
    body = text + notes
    shstr = b"\0.text\0.note.Xen\0__xen_guest\0.shstrtab\0"
    extra = legacy or b""
    off_extra = off_text + len(body)
    off_shstr = off_extra + len(extra)
    off_sh = off_shstr + len(shstr)
    off_sh += -off_sh % 8
    secs = [struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            struct.pack("<IIQQQQIIQQ", 1, 1, 6, VB + 0x100000, off_text, len(text), 0, 0, 16, 0)]
    if shnote:
        secs.append(struct.pack("<IIQQQQIIQQ", 7, 7, 2, 0, off_notes, len(notes), 0, 0, 4, 0))
    if legacy:
        secs.append(struct.pack("<IIQQQQIIQQ", 17, 1, 0, 0, off_extra, len(extra), 0, 0, 1, 0))
    secs.append(struct.pack("<IIQQQQIIQQ", 29, 3, 0, 0, off_shstr, len(shstr), 0, 0, 1, 0))
    eh = (b"\x7fELF\x02\x01\x01\0" + b"\0" * 8
          + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, VB + 0x100000, ehsz, off_sh, 0,
                        ehsz, phsz, phnum, shsz, len(secs), len(secs) - 1))
    ph = struct.pack("<IIQQQQQQ", 1, 7, off_text, VB + 0x100000, 0x100000,
                     len(body), len(body) + 0x4000, 0x1000)
    if use_phdr_note:
        ph += struct.pack("<IIQQQQQQ", 4, 4, off_notes, 0, 0, len(notes), len(notes), 4)
    img = eh + ph + body + extra + shstr
    img += b"\0" * (off_sh - len(img))
    return img + b"".join(secs)
put("xen-elf", "phdr-notes", elf(notes))
put("xen-elf", "shdr-notes", elf(notes, use_phdr_note=False, shnote=True))
put("xen-elf", "legacy", elf(b"", use_phdr_note=False,
    legacy=b"GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
           b"ELF_PADDR_OFFSET=0x0,HYPERCALL_PAGE=0x101,LOADER=generic,PAE=yes[extended-cr3],"
           b"FEATURES=writable_page_tables\0"))
put("xen-elf", "empty", b"")
# ---- evtchn: ops (code % 11; see fuzz-evtchn.c), ports as one byte
put("evtchn", "bind-send", bytes([0, 0, 0, 0]) + bytes([1, 0]) + bytes([2, 0]) + bytes([3, 2])
    + bytes([8, 2, 0]) + bytes([3, 2]) + bytes([5, 2]) + bytes([6, 1, 2]) + bytes([4, 2])
    + bytes([4, 2]) + bytes([1, 0]) + bytes([7, 3, 0]) + bytes([0, 0, 0, 0]))
put("evtchn", "hostile", bytes([3, 0xf2]) + bytes([4, 0xf6]) + bytes([5, 0xf0]) + bytes([6, 0, 7, 0, 1])
    + bytes([0, 0xf0, 0xff, 0xff, 0xff, 0xff, 0]) + bytes([0, 0, 0, 1]) + bytes([0xc3, 1])
    + bytes([10]) + bytes([4, 40]) + bytes([1, 0]))
put("evtchn", "shim-senders", bytes([0, 0, 0, 0]) + bytes([9, 0, 1]) + bytes([9, 0, 0])
    + bytes([8, 0, 3]) + bytes([8, 1, 0]) + bytes([9, 0, 1]) + bytes([3, 2]) + bytes([5, 1]))
# ---- elf-notes: the inspect detector takes any ELF file: the PV kernels
# above, a GNU note only, and an ELF32 with a Xen note in a PT_NOTE segment
put("elf-notes", "phdr-notes", elf(notes))
put("elf-notes", "shdr-notes", elf(notes, use_phdr_note=False, shnote=True))
gnu = struct.pack("<III", 4, 4, 3) + b"GNU\0" + b"\1\2\3\4"
put("elf-notes", "gnu-only", elf(gnu))
n32 = note(6, b"linux\0")
eh32 = (b"\x7fELF\x01\x01\x01\0" + b"\0" * 8
        + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0, 52, 0, 0, 52, 32, 1, 40, 0, 0))
put("elf-notes", "elf32", eh32 + struct.pack("<IIIIIIII", 4, 84, 0, 0, len(n32), len(n32), 4, 4) + n32)
with open("/tmp/xenshim-seed-vmlinux", "wb") as f:
    f.write(elf(notes))

# ---- xl-config: byte 0 picks config / disk / vif / vdev / mac
cfg = b"""# xenshim fuzz seed
name = "guest"
kernel = "/boot/vmlinuz"
ramdisk = "/boot/initrd.img"
memory = 512
vcpus = 2
extra = "console=hvc0 root=/dev/xvda1"
cmdline += " quiet"
uuid = "12345678-1234-5678-9abc-123456789abc"
on_poweroff = "destroy"
on_reboot = 'restart'
on_crash = "preserve"
disk = [ 'format=raw, vdev=xvda, access=rw, target=/srv/a.img',
         '/srv/b.qcow2,qcow2,xvdb,r', 'phy:/dev/vg/c,hdc:cdrom,r' ]
vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0', 'bridge=user' ]
builder = "generic"
pvh = 0
"""
put("xl-config", "config", b"\0" + cfg)
put("xl-config", "config-min", b"\0" + b'name="m"\nkernel="k"\nmemory=64\n')
put("xl-config", "config-odd", b"\0" + b'x = [ 1, "a", [ ], ]\ny = 0x10 ; z = 017\nw += "s"\nq = "\\n\\x41\\101"\n')
put("xl-config", "disk", b"\1format=qcow2,vdev=xvdz3,access=ro,devtype=cdrom,target=/a b")
put("xl-config", "disk-pos", b"\1/srv/d.img,raw,d3p7,w")
put("xl-config", "vif", b"\2mac=00:16:3e:aa:bb:cc,bridge=br0,type=vif,model=e1000")
put("xl-config", "vdev", b"\3xvdaa15")
put("xl-config", "vdev-hd", b"\3hdd63")
put("xl-config", "mac", b"\4ff:ff:ff:ff:ff:ff")
# A libFuzzer timeout, verbatim (zlib + base64): ~180 disks, most of them
# xvdb, the last one malformed; the disk array grew one element per disk
# (test_many_devices in tests/unit/test-xl-config.c).
put("xl-config", "config-disks", zlib.decompress(base64.b64decode(
    "eNpjUFaoSOHKS8xNVbBVUEovTS0uUeLKTi3KS80BCegn5eenKnGlZBZnA7nRCur6SXqFyfnlJjog"
    "0kinoiwlSadIXUdB3QhDpCCj0qq8LCMFiDDFkQUMsGrVT0nV0sdlA6q6DKgyUrWW6aNp1CPeThr4"
    "giTVGG6nRC8domjgPEdBahhNIqNJBDWJDMlkPJpiRwu1YVyouQ7mJDJaWoyWFqOlxWgSGcZJBI9G"
    "Qn1DsCBMGkwCkVX5TCQAFAVJWOlkpCQXqSvEcpVlppVlAHujBlwAlk545w==")))


# ---- blkback: setup byte (ro, ring order, queue depth), then ops (code % 6)
rq = lambda opi, nr, rid, sector, segs=b"": bytes([0, opi, nr, rid]) + struct.pack("<H", sector) + (segs or bytes(min(nr, 11)))
put("blkback", "rw", bytes([0x40]) + rq(0, 1, 1, 0) + rq(1, 2, 2, 8) + bytes([3, 0, 3, 0, 4])
    + rq(2, 0, 3, 0) + rq(4, 0, 4, 16) + bytes([3, 0, 0x13, 0, 4]))
put("blkback", "hostile", bytes([0x03]) + rq(0, 12, 1, 0) + rq(0, 3, 2, 250, bytes([0x41, 0xff, 0x80, 0, 9]))
    + rq(1, 1, 3, 0) + bytes([0x15, 12]) + rq(1, 1, 4, 0, bytes([0x80, 76, 0]))
    + bytes([2]) + bytes(range(24)) + rq(0, 1, 5, 0) + bytes([3, 0, 4, 1, 0x80]))
put("blkback", "far-ahead", bytes([0x00]) + rq(0, 1, 1, 0) + bytes([0x11]) + struct.pack("<I", 0xffffffff))

# ---- netback: setup byte (NIC queue depth), then ops (code % 9)
txs = lambda slots: bytes([0 | ((len(slots) - 1) << 4)]) + b"".join(
    bytes([g]) + struct.pack("<H", off) + bytes([fl, i]) + struct.pack("<H", sz) for g, off, fl, i, sz in slots)
# ---- rndis: u16 max frame, then one RNDIS message as the host writes it
def rndis_pkt(frame, ppis=b""):
    hdr = struct.pack("<IIIIIIIIIII", 1, 44 + len(ppis) + len(frame), 36 + len(ppis), len(frame),
                      0, 0, 0, 36 if ppis else 0, len(ppis), 0, 0)
    return hdr + ppis + frame
ETH = bytes(range(60))
put("rndis", "packet", struct.pack("<H", 1518) + rndis_pkt(ETH))
put("rndis", "csum-ppi", struct.pack("<H", 1518)
    + rndis_pkt(ETH, struct.pack("<IIII", 16, 0, 12, 0x18) + struct.pack("<IIII", 16, 6, 12, 5)))
put("rndis", "query-c", struct.pack("<H", 1518)
    + struct.pack("<IIIIII", 0x80000004, 30, 3, 0, 6, 16) + bytes([0, 0x15, 0x5d, 1, 2, 3]))
put("rndis", "init-c", struct.pack("<H", 1518)
    + struct.pack("<IIIIIIIIIIIII", 0x80000002, 52, 1, 0, 1, 0, 0, 0, 8, 0x4000, 0, 0, 0))
put("rndis", "indicate", struct.pack("<H", 1518)
    + struct.pack("<IIIII", 7, 28, 0x4001000b, 8, 12) + bytes(8))

put("netback", "tx", bytes([8]) + txs([(0, 0, 0, 1, 60)]) + bytes([4, 8])
    + txs([(1, 0, 4 | 1, 2, 1600), (2, 0, 0, 3, 600)]) + bytes([4, 8])
    + txs([(3, 100, 8 | 1, 4, 2000)]) + bytes([1, 1, 0]) + struct.pack("<HBBH", 1448, 1, 0, 0) + bytes([2, 0x14, 8]))
put("netback", "rx", bytes([8]) + bytes([0x15, 4]) + struct.pack("<H", 7) + bytes([5]) + struct.pack("<H", 8)
    + bytes([6]) + struct.pack("<H", 100) + bytes([0]) + bytes([6]) + struct.pack("<H", 1514) + bytes([3, 8])
    + bytes([5, 12]) + struct.pack("<H", 9) + bytes([6, 60, 0, 0, 8]))
put("netback", "hostile", bytes([1]) + txs([(0x80, 0, 0, 1, 60)]) + b"\xff\xff"
    + txs([(0, 4090, 0, 2, 100), (0, 0, 4, 3, 0x8000)]) + bytes([0x13]) + struct.pack("<I", 0x7fffffff)
    + bytes([7, 250, 0x18, 3, 0x38, 4, 4, 8]))

# ---- grant: ops (code % 8; see fuzz-grant.c)
def gent(ref, flags, frame_off, domid=None):
    mode = 0x40 if domid is not None else 0
    b = bytes([0]) + struct.pack("<H", ref) + bytes([mode]) + struct.pack("<H", flags)
    if domid is not None:
        b += struct.pack("<H", domid)
    return b + bytes([frame_off])
acq = lambda ref, w: bytes([2 | (0x20 if w else 0)]) + struct.pack("<H", ref)
rel = lambda i: bytes([3, i])
PERMIT, RO, SUB = 1, 4, 1 << 8
put("grant", "v1", gent(8, PERMIT, 16) + acq(8, True) + acq(8, False) + gent(9, PERMIT | RO, 17)
    + acq(9, True) + acq(9, False) + bytes([0x16, 16]) + rel(0) + rel(0) + rel(0)
    + bytes([4 | 0x20]) + struct.pack("<HHH", 8, 100, 200)
    + bytes([4]) + struct.pack("<HHH", 8, 4000, 200) + gent(10, PERMIT, 16, domid=3) + acq(10, False))
put("grant", "v2", bytes([7, 2]) + gent(8, PERMIT, 16) + acq(8, True)
    + bytes([0]) + struct.pack("<H", 9) + bytes([0]) + struct.pack("<H", PERMIT | SUB) + bytes([17])
    + struct.pack("<HH", 100, 300) + acq(9, False) + bytes([4]) + struct.pack("<HHH", 9, 100, 300)
    + rel(0) + rel(0) + bytes([7, 1]))
put("grant", "race", gent(8, PERMIT, 16) + bytes([1]) + struct.pack("<H", 8) + bytes([1])
    + bytes([0]) + struct.pack("<H", PERMIT | RO) + bytes([20]) + acq(8, True) + rel(0)
    + bytes([1]) + struct.pack("<H", 8) + bytes([0, 0]) + struct.pack("<H", 0) + bytes([16])
    + acq(8, False) + rel(0))
put("grant", "hypercall", bytes([5, 0, 1, 16]) + struct.pack("<HHIQ", 0x7ff0, 4, 0, 0xffff888000001000)
    + bytes([5, 1, 1, 16]) + struct.pack("<HHIQ", 0x7ff0, 0, 0, 0)
    + bytes([5, 2, 1, 4]) + struct.pack("<I", 2) + bytes([5, 6, 1, 16])
    + struct.pack("<HHIQ", 0x7ff0, 1, 0, 0xffff888000001000) + acq(3000, False)
    + bytes([0x12]) + struct.pack("<I", 0xffffffff) + gent(5, PERMIT, 1) + gent(6, PERMIT, 0x10))
# ---- vmbus-ring: header (pages, dedicated, priv/8, write_index, n, ring bytes), then
# ops 0 write_index, 1 scribble, 2/3 recv(buflen, cap; odd cap = with header),
# 4 pending_send_sz + features, 5 host rewrites read_index, 6 mask/unmask, 7 send,
# 8 host channel message
def vpkt(typ, tid, payload, hdr=b""):
    off8 = (16 + len(hdr)) // 8
    body = hdr + payload + bytes((-len(hdr + payload)) % 8)
    return struct.pack("<HHHHQ", typ, off8, (16 + len(body)) // 8, 0, tid) + body
def vring(pkts, start=0, size=4096):
    ring = bytearray(size); pos = start
    for p in pkts:
        p = p + struct.pack("<Q", pos << 32)
        for b in p:
            ring[pos] = b; pos = (pos + 1) % size
    return bytes(ring), pos
def vseed(name, pkts, ops, start=0, pages=0):
    ring, wr = vring(pkts, start)
    put("vmbus-ring", name, bytes([pages, 1]) + struct.pack("<HIH", start // 8, wr, len(ring)) + ring + ops)
RECV = bytes([2]) + struct.pack("<H", 256) + bytes([0])
RECVH = bytes([3]) + struct.pack("<H", 256) + bytes([17])
vseed("two", [vpkt(6, 1, b"abcdefgh"), vpkt(11, 2, b"done")], RECV * 3)
vseed("wrap", [vpkt(6, 3, b"wrapping across the end")], RECV * 2, start=4096 - 16)
vseed("xfer", [vpkt(7, 4, b"rndis", hdr=struct.pack("<HBBIII", 1, 0, 0, 1, 100, 0))], RECVH + RECV)
vseed("pending", [vpkt(6, i, bytes(100)) for i in range(8)],
      bytes([4]) + struct.pack("<IB", 200, 1) + RECV * 9)
def vmsg(m):        # op 8: a host channel message (type byte, then the rest)
    return bytes([8, len(m), m[0]]) + m[1:]
offer = bytearray(196); offer[0] = 1; offer[8:24] = bytes(range(16))
struct.pack_into("<IBBHI", offer, 184, 9, 3, 1, 0, 0x2009)
vseed("messages", [vpkt(6, 1, b"abcdefgh")], vmsg(bytes(offer)) + RECV
      + vmsg(struct.pack("<III", 2, 0, 5)) + RECV + vmsg(struct.pack("<II", 4, 0)))
vseed("send", [], bytes([7]) + struct.pack("<HB", 40, 0) + bytes([7]) + struct.pack("<HBI", 8, 1, 4000)
      + bytes([6]) + RECV)
PY
# bzimage: byte 0 = 0 unwrap, 1 lz4 alone. A bzImage with protocol 2.15,
# one setup sector, payload = legacy LZ4 of the seed vmlinux.
lz4 -q -l -9 -f /tmp/xenshim-seed-vmlinux /tmp/xenshim-seed-vmlinux.lz4
python3 - <<'PY'
import struct
pl = open("/tmp/xenshim-seed-vmlinux.lz4", "rb").read()
pl += struct.pack("<I", len(open("/tmp/xenshim-seed-vmlinux", "rb").read()))
setup = bytearray(1024)
setup[0x1f1] = 1
setup[0x202:0x206] = b"HdrS"
struct.pack_into("<H", setup, 0x206, 0x20f)
struct.pack_into("<II", setup, 0x248, 0, len(pl))
with open("corpus/bzimage/lz4", "wb") as f:
    f.write(b"\0" + bytes(setup) + pl)
raw = open("/tmp/xenshim-seed-vmlinux", "rb").read()
struct.pack_into("<II", setup, 0x248, 0, len(raw))
with open("corpus/bzimage/elf", "wb") as f:
    f.write(b"\0" + bytes(setup) + raw)
with open("corpus/bzimage/lz4-only", "wb") as f:
    f.write(b"\1" + pl)
struct.pack_into("<H", setup, 0x206, 0x204)
with open("corpus/bzimage/old-proto", "wb") as f:
    f.write(b"\0" + bytes(setup[:0x260]))

PY
rm -f /tmp/xenshim-seed-vmlinux /tmp/xenshim-seed-vmlinux.lz4
du -sh corpus
