#!/bin/sh
# Installs the build into a temporary directory and builds the C example against
# it the way a user does: with `pkg-config --cflags --libs greenfin` only. Then
# checks that the library exports only gfin_ symbols.
# usage: check_install.sh MESON BUILD_DIR SOURCE_DIR LIBRARY plain|coverage
set -eu
meson=$1 build=$2 src=$3 lib=$4 build_kind=$5
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

"$meson" install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null
pc=$(find "$dest" -name greenfin.pc | head -n 1)
[ -n "$pc" ] || { echo "greenfin.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$(pkg-config --cflags --libs greenfin)
echo "pkg-config --cflags --libs greenfin: $flags"
${CC:-cc} -std=c11 -Wall -Werror "$src/examples/loan_schedule.c" $flags -o "$dest/loan_schedule"
libdir=$(dirname "$(find "$dest" -name 'libgreenfin.so.1' | head -n 1)")
out=$(LD_LIBRARY_PATH="$libdir" "$dest/loan_schedule")
echo "$out" | grep -q '^grant_element' || { echo "the installed example did not run: $out"; exit 1; }
# The installed header, the sample and the schema are where the docs say.
[ -f "$(dirname "$pc")/../../../include/greenfin.h" ] || find "$dest" -name greenfin.h | grep -q . ||
    { echo "greenfin.h not installed"; exit 1; }
find "$dest" -path '*share/greenfin/cambodia_pipeline.json' | grep -q . || { echo "sample not installed"; exit 1; }
find "$dest" -path '*share/greenfin/greenfin.schema.json' | grep -q . || { echo "schema not installed"; exit 1; }

# Exported symbols: gfin_ only (nm -D, defined symbols). A -Db_coverage=true
# build links gcc's gcov runtime into the library, which exports its own.
runtime='^$'
[ "$build_kind" != coverage ] || runtime='^__gcov_|^mangle_path$'
other=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep -v '^gfin_' | grep -Ev "$runtime" || true)
[ -z "$other" ] || { echo "symbols exported outside gfin_:"; echo "$other"; exit 1; }
count=$(nm -D --defined-only "$lib" | grep -c ' gfin_')
echo "installed, built and ran against pkg-config; $count gfin_ symbols exported, nothing else"
