#!/bin/sh
# Regression mode of the fuzz targets (make test): every input kept in
# tests/fuzz/regress/TARGET (crashers the fuzzers found, now fixed) and
# every seed (seeds.sh) is run once through its target; the query targets
# read a database ingested from tests/data/seed. One line per target;
# ends with "N passed, N failed".
#   usage: regress.sh BINDIR BAOGAO SRCDIR
set -u
bin=$1
bg=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
"$bg" --db "$tmp/fuzz.db" ingest "$src/tests/data/seed" 2>/dev/null || {
    echo "FAIL: the fuzz database could not be made"
    exit 1
}
export BG_FUZZ_DB="$tmp/fuzz.db"
for t in decode html docx json jsonl csv tsv xlsx normalise sentence \
    segment rules where query snippet api; do
    inputs=$(sh "$src/tests/fuzz/seeds.sh" "$src" "$t")
    [ -d "$src/tests/fuzz/regress/$t" ] &&
        inputs="$inputs $src/tests/fuzz/regress/$t"
    if [ -z "$inputs" ]; then
        echo "FAIL: $t: no inputs"
        fail=$((fail + 1))
        continue
    fi
    # shellcheck disable=SC2086
    if "$bin/fuzz_$t" $inputs >"$tmp/out" 2>"$tmp/err"; then
        pass=$((pass + 1))
        echo "ok: $t: $(cat "$tmp/out")"
    else
        fail=$((fail + 1))
        echo "FAIL: $t"
        tail -n 30 "$tmp/err"
    fi
done
echo "$pass passed, $fail failed"
test "$fail" -eq 0
