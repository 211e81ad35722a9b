#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `xenshim inspect` acceptance: the one-line answer ("verdict: ...", the
# last line of stdout) and the exit status for Debian's cloud kernel
# (runnable), ELFs that are not Xen kernels (a static ELF64 without notes,
# /bin/true, a 32-bit program), a 32-bit Xen kernel (PV32: not yet), and
# garbage (random bytes, an empty file, truncated and corrupted bzImages,
# a missing file, a directory). Ends with "inspect: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
work=build/e2e-inspect
rm -rf "$work"
mkdir -p "$work"
x=build/xenshim

ok()  { passed=$((passed + 1)); echo "PASS: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect NAME FILE RC ANSWER: stdout's last line is "verdict:  ANSWER" (or
# nothing if ANSWER is empty) and the exit status is RC.
expect() {
    name=$1 file=$2 want_rc=$3 want=$4
    "$x" inspect "$file" > "$work/out" 2> "$work/err"
    rc=$?
    got=$(tail -n 1 "$work/out" | sed -n 's/^verdict: *//p')
    if [ "$rc" -eq "$want_rc" ] && [ "$got" = "$want" ]; then
        ok "$name: exit $rc, ${want:-no verdict}"
    else
        bad "$name: exit $rc (want $want_rc), verdict '$got' (want '$want'); stderr: $(cat "$work/err")"
    fi
}

vmlinuz=$(sh scripts/fetch-cloud-kernel.sh) || vmlinuz=
if [ -n "$vmlinuz" ]; then
    expect "Debian cloud kernel (bzImage)" "$vmlinuz" 0 "PV64 kernel: runnable by the shim"
    grep -q '^format: *bzImage, boot protocol 2\.[0-9]*, lz4 payload' "$work/out" &&
        ok "Debian cloud kernel: format line" || bad "Debian cloud kernel: format line"
    grep -q '^GUEST_OS *linux$' "$work/out" && ok "Debian cloud kernel: GUEST_OS linux" ||
        bad "Debian cloud kernel: GUEST_OS linux"
    head -c 65536 "$vmlinuz" > "$work/truncated.bz"
    # The payload's offset and length come from the header (setup_sects,
    # payload_offset, payload_length at 0x1f1, 0x248, 0x24c).
    setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$vmlinuz" | tr -d ' ')
    poff=$(od -An -tu4 -j $((0x248)) -N4 "$vmlinuz" | tr -d ' ')
    plen=$(od -An -tu4 -j $((0x24c)) -N4 "$vmlinuz" | tr -d ' ')
    expect "truncated bzImage" "$work/truncated.bz" 1 "$(printf 'not runnable: bzImage payload (offset %#x, length %#x) is outside the file' $(( (setup + 1) * 512 + poff )) "$plen")"
    cp "$vmlinuz" "$work/corrupt.bz"
    printf '\377\377\377\377\377\377\377\377' |
        dd of="$work/corrupt.bz" bs=1 seek=3000000 conv=notrunc 2>/dev/null
    "$x" inspect "$work/corrupt.bz" > "$work/out" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ] && tail -n 1 "$work/out" | grep -q '^verdict: *not runnable: LZ4'; then
        ok "corrupted bzImage payload: exit 1, LZ4 reason"
    else
        bad "corrupted bzImage payload: exit $rc, $(tail -n 1 "$work/out")"
    fi
else
    bad "cannot fetch the cloud kernel"
fi

# A static ELF64 executable without notes.
printf '.globl _start\n_start: hlt\n' > "$work/nonotes.S"
if ${CC:-cc} -nostdlib -static -o "$work/nonotes64.elf" "$work/nonotes.S" 2> "$work/cc.err"; then
    expect "static ELF64 without notes" "$work/nonotes64.elf" 1 "not a Xen PV kernel (no Xen notes)"
else
    bad "cannot build the ELF64 without notes: $(cat "$work/cc.err")"
fi
expect "/bin/true (PIE program)" /bin/true 1 "not a Xen PV kernel (no Xen notes)"

# 32-bit ELFs (binutils assembles them without a multilib compiler): one
# with the notes of a PV32 kernel (numbers from <xen/elfnote.h>), one without.
cat > "$work/pv32.S" <<'ASM'
#define ELFNOTE(type, desc) .pushsection .note.Xen, "a", @note; .balign 4; \
    .long 2f - 1f; .long 4f - 3f; .long type; 1: .asciz "Xen"; 2: .balign 4; \
    3: desc; 4: .balign 4; .popsection
ELFNOTE(6, .asciz "linux")          /* GUEST_OS */
ELFNOTE(5, .asciz "xen-3.0")        /* XEN_VERSION */
ELFNOTE(8, .asciz "generic")        /* LOADER */
ELFNOTE(3, .long 0xc0000000)        /* VIRT_BASE */
ELFNOTE(4, .long 0xc0000000)        /* PADDR_OFFSET */
ELFNOTE(1, .long _start)            /* ENTRY */
ELFNOTE(9, .asciz "yes")            /* PAE_MODE */
        .text
        .globl _start
_start: hlt
ASM
if ${CC:-cc} -E -x assembler-with-cpp "$work/pv32.S" -o "$work/pv32.s" &&
   as --32 -o "$work/pv32.o" "$work/pv32.s" &&
   ld -m elf_i386 -Ttext=0xc0100000 -o "$work/pv32.elf" "$work/pv32.o" &&
   printf '.globl _start\n_start: hlt\n' | as --32 -o "$work/prog32.o" - &&
   ld -m elf_i386 -o "$work/prog32.elf" "$work/prog32.o"; then
    expect "32-bit Xen PV kernel" "$work/pv32.elf" 1 \
        "32-bit Xen PV kernel: PV32 kernels are not supported yet"
    grep -q '^format: *ELF32' "$work/out" && ok "32-bit Xen PV kernel: format ELF32" ||
        bad "32-bit Xen PV kernel: format ELF32"
    expect "32-bit program without notes" "$work/prog32.elf" 1 "not a Xen PV kernel (no Xen notes)"
else
    bad "cannot assemble the 32-bit ELFs"
fi

# A PV64 test guest, if `make guests` built them.
[ -f build/guests/hello.elf ] &&
    expect "PV64 test guest ELF" build/guests/hello.elf 0 "PV64 kernel: runnable by the shim"

# Garbage.
head -c 4096 /dev/urandom | tr '\177' '\176' > "$work/random"
expect "random bytes" "$work/random" 1 "not runnable: not an ELF file or an x86 bzImage"
: > "$work/empty"
expect "empty file" "$work/empty" 1 "not runnable: not an ELF file or an x86 bzImage"
printf '\177ELF\002\001' > "$work/elfhead"
expect "ELF header cut after 6 bytes" "$work/elfhead" 1 "not runnable: truncated ELF header"
expect "missing file" "$work/does-not-exist" 1 ""
grep -q "^xenshim: $work/does-not-exist: No such file or directory\$" "$work/err" &&
    ok "missing file: one-line error" || bad "missing file: one-line error: $(cat "$work/err")"
expect "a directory" "$work" 1 ""
grep -q "not a regular file" "$work/err" && ok "a directory: one-line error" ||
    bad "a directory: one-line error"

# Usage errors.
"$x" inspect > /dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] && ok "no argument: exit 1" || bad "no argument: exit $rc"
"$x" inspect /bin/true /bin/true > /dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] && ok "two arguments: exit 1" || bad "two arguments: exit $rc"

echo "inspect: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
