#!/bin/sh
# check_abi.sh -- the ABI of the just-built library against the release's.
#
#   check_abi.sh LIBRARY HEADERS_DIR STORED_ABI [OUT_ABI]
#
# Dumps LIBRARY's ABI with abidw (types reachable from HEADERS_DIR only, which
# is what callers see), writes it to OUT_ABI (default: a temporary file) and
# compares it with STORED_ABI (tests/abi/libgreenfin.so.1.abi, the dump of the
# last release of this major version) with abidiff.
#
# Decision, from abidiff's exit status (a bit field: 1 error, 2 usage error,
# 4 ABI change, 8 incompatible ABI change):
#   - bit 1 or 2: the check itself failed                          -> FAIL
#   - bit 8: a function or variable was removed or its symbol
#     changed incompatibly                                          -> FAIL
#   - bit 4: some change. Additions are compatible (new functions,
#     new variables, new enumerators such as new keys and metrics:
#     libabigail files enumerator insertions as harmless), so the
#     comparison is run again with --no-added-syms; if bit 4 is
#     still set, an existing interface changed (a parameter or
#     return type, a struct's size or layout, an enumerator's
#     value) -- the header promises all of these stable            -> FAIL
#   - otherwise (no change, or additions only)                     -> PASS
# The full report (additions included) is printed either way.
#
# Exit status: 0 pass, 1 fail, 77 skip (meson's SKIP: the tools are missing or
# the library has no debug information, as in -Dbuildtype=release builds:
# abidw then sees symbols only).
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 LIBRARY HEADERS_DIR STORED_ABI [OUT_ABI]" >&2
    exit 2
fi
lib=$1
headers=$2
stored=$3
out=${4:-}

for tool in abidw abidiff readelf; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check_abi: $tool not found (install abigail-tools and binutils): skipped"
        exit 77
    fi
done
if ! readelf -S "$lib" 2>/dev/null | grep -q '\.debug_info'; then
    echo "check_abi: $lib has no debug information (build with -g, e.g. buildtype debugoptimized): skipped"
    exit 77
fi
if [ ! -f "$stored" ]; then
    echo "check_abi: no stored ABI $stored (see tests/abi/README.md)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gfin-abi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] || out=$tmp/current.abi

# The same options as the stored dump (tests/abi/README.md), so only the ABI
# differs: no paths of the build machine, public headers only.
if ! abidw --headers-dir "$headers" --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed --out-file "$out" "$lib"; then
    echo "check_abi: abidw failed on $lib" >&2
    exit 1
fi

# The experimental tier (header section 13) may change in any minor version.
supp=$(dirname "$0")/experimental.supp

echo "check_abi: $stored (release) -> $lib (this build)"
abidiff --headers-dir1 "$headers" --headers-dir2 "$headers" --suppressions "$supp" "$stored" "$out"
full=$?
abidiff --headers-dir1 "$headers" --headers-dir2 "$headers" --suppressions "$supp" --no-added-syms "$stored" "$out" >"$tmp/changes" 2>&1
existing=$?

if [ $((full & 3)) -ne 0 ] || [ $((existing & 3)) -ne 0 ]; then
    echo "check_abi: FAIL: abidiff could not compare (status $full / $existing)"
    exit 1
fi
if [ $((full & 8)) -ne 0 ]; then
    echo "check_abi: FAIL: incompatible change (abidiff status $full): a public function or variable was removed or changed"
    exit 1
fi
if [ $((existing & 4)) -ne 0 ]; then
    echo "check_abi: FAIL: an existing interface changed (abidiff --no-added-syms status $existing):"
    cat "$tmp/changes"
    exit 1
fi
if [ $((full & 4)) -ne 0 ]; then
    echo "check_abi: PASS: additions only (compatible within major version 1)"
else
    echo "check_abi: PASS: no ABI change"
fi
exit 0
