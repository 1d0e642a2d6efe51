#!/bin/sh
# Compares the golden run (tests/golden.sh) of the work tree's build with
# that of revision REV (built from `git archive REV` in a scratch
# directory): prints `diff -r` of the two and exits 0 when they are the
# same byte for byte, 1 when not. Not a CTest test (it builds a second
# copy); run it before landing a change meant to keep behaviour.
#   usage: tests/golden_compare.sh REV [BUILD]   (from the repository root)
set -eu
rev=$1
build=${2:-build}
root=$(pwd)
scratch=${TMPDIR:-/tmp}/baogao-golden-compare.$$
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src"
git archive "$rev" | tar -x -C "$scratch/src"
cmake -S "$scratch/src" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >/dev/null
cmake --build "$scratch/build" -j 2 >/dev/null
cmake --build "$build" -j 2 >/dev/null
sh "$root/tests/golden.sh" "$scratch/build/baogao" "$root" \
    "$scratch/before" "$scratch/work"
sh "$root/tests/golden.sh" "$build/baogao" "$root" "$scratch/after" \
    "$scratch/work"
if diff -r "$scratch/before" "$scratch/after"; then
    echo "golden run: the same as $rev ($(ls "$scratch/after" | wc -l) files)"
else
    echo "golden run: differs from $rev"
    exit 1
fi
