#!/bin/sh
# run.sh -- the exe_wrapper of `meson test --setup valgrind` (meson.build).
#
#   run.sh VALGRIND [VALGRIND OPTIONS...] PROGRAM [ARGS...]
#
# Criterion runs every test in a worker process it re-executes ("boxfort-
# worker"); valgrind follows it (--trace-children=yes) and finds the errors,
# but Criterion ignores the exit status a worker has after its test finished,
# so --error-exitcode alone would let every error pass. Each process therefore
# logs to its own file, and this script fails the test when any log has a
# nonzero ERROR SUMMARY (memory errors, and leaks of the kinds given with
# --errors-for-leak-kinds), printing that log.
set -u
logdir=$(mktemp -d "${TMPDIR:-/tmp}/gfin-valgrind.XXXXXX") || exit 1
vg=$1
shift
"$vg" --log-file="$logdir/vg.%p" "$@"
rc=$?
procs=0
bad=0
for f in "$logdir"/vg.*; do
    [ -e "$f" ] || continue
    procs=$((procs + 1))
    if grep -q 'ERROR SUMMARY: [1-9]' "$f"; then
        bad=$((bad + 1))
        cat "$f" >&2
    fi
done
rm -rf "$logdir"
echo "valgrind: $procs processes checked, $bad with errors" >&2
if [ "$bad" -ne 0 ] && [ "$rc" -eq 0 ]; then
    rc=1
fi
exit "$rc"
