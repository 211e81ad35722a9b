#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The documentation of the host tool keeps up with the code: `xenshim
# --help` names every command main.c dispatches, every option the help
# lists (and every option run.c and certify.c accept) is in the man page
# docs/xenshim.1.md, the page builds with lowdown (`make man`), the built
# docs/xenshim.1 matches its source, and groff renders it without
# warnings. Ends with "manpage: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
work=build/e2e-manpage
mkdir -p "$work"
md=docs/xenshim.1.md

ok()  { passed=$((passed + 1)); echo "PASS: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

build/xenshim --help > "$work/help" 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok "--help: exit 0" || bad "--help: exit $rc"
for c in $(sed -n 's/.*strcmp(argv\[1\], "\([a-z]*\)").*/\1/p' tools/xenshim/main.c | grep -v '^help$'); do
    grep -q "xenshim $c " "$work/help" && ok "--help lists the command '$c'" ||
        bad "--help does not list the command '$c'"
    grep -q "^\*\*xenshim $c\*\*" "$md" && ok "man page: SYNOPSIS has '$c'" ||
        bad "man page: no SYNOPSIS line for '$c'"
    grep -q "^## $c\$" "$md" && ok "man page: a section for '$c'" || bad "man page: no section for '$c'"
done

# Options: those in --help and those in the getopt tables.
opts=$( { grep -o -- '--[a-z][a-z-]*' "$work/help"
          sed -n 's/^ *{ "\([a-z-]*\)", .*/--\1/p' tools/xenshim/run.c tools/xenshim/certify.c
        } | sort -u | grep -v '^--help$')
for o in $opts; do
    grep -q -- "\*\*$o\*\*" "$md" && ok "man page documents $o" || bad "man page lacks $o"
    grep -q -- "$o" "$work/help" || bad "--help lacks $o"
done

# Exit statuses in include/shim/exit-status.h appear in the page.
for n in $(sed -n 's/^#define XENSHIM_RC_[A-Z]* *\([0-9]*\).*/\1/p' include/shim/exit-status.h); do
    grep -q "^\*\*$n\*\*\$" "$md" && ok "man page: exit status $n" || bad "man page: exit status $n missing"
done

if command -v lowdown >/dev/null; then
    lowdown -s -Tman --out-no-smarty -o "$work/xenshim.1" "$md"
    cmp -s "$work/xenshim.1" docs/xenshim.1 && ok "docs/xenshim.1 is built from $md (make man)" ||
        bad "docs/xenshim.1 is stale: run make man"
    LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$work/xenshim.1" > "$work/groff.err" 2>&1
    [ ! -s "$work/groff.err" ] && ok "groff renders the page without warnings" ||
        bad "groff: $(head -n 3 "$work/groff.err")"
else
    bad "lowdown missing (scripts/setup-deps.sh installs it)"
fi

echo "manpage: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
