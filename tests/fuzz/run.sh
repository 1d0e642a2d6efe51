#!/bin/sh
# make fuzz: runs each fuzz target with libFuzzer for SECONDS (under ASan
# and UBSan: the BG_FUZZ build), at low priority, starting from its seeds
# (seeds.sh), the inputs kept in tests/fuzz/regress/TARGET and the corpus
# grown by earlier runs (BUILD/fuzz/corpus/TARGET, never committed). A
# crash, a sanitizer report, a failed FUZZ_CHECK, a timeout (20 s on one
# input) or memory over 2.5 GB is a finding: the input is saved under
# BUILD/fuzz/artifacts/TARGET/ and the run fails; fix the bug, then keep
# the input in tests/fuzz/regress/TARGET/ so that make test runs it.
# Prints one line per target: executions, rate, coverage (edges and
# features at the end), corpus, findings; appends
# them to BUILD/fuzz/stats.tsv.
#   usage: run.sh BUILD SRCDIR [SECONDS [TARGET...]]
set -u
build=$1
src=$2
secs=${3:-60}
[ $# -ge 3 ] && shift 3 || shift $#
targets=${*:-decode html docx json jsonl csv tsv xlsx normalise sentence \
    segment rules where query snippet api}
out="$build/fuzz"
mkdir -p "$out"
"$build/baogao" --db "$out/fuzz.db" ingest "$src/tests/data/seed" \
    2>/dev/null || [ -f "$out/fuzz.db" ] || {
    echo "fuzz: the query database could not be made"
    exit 1
}
export BG_FUZZ_DB="$out/fuzz.db"
failed=0
for t in $targets; do
    mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
    dirs="" files=""
    for s in $(sh "$src/tests/fuzz/seeds.sh" "$src" "$t") \
        "$src/tests/fuzz/regress/$t"; do
        if [ -d "$s" ]; then
            dirs="$dirs $s"
        elif [ -f "$s" ]; then
            files="$files${files:+,}$s"
        fi
    done
    # inputs a few KB long reach every branch of a parser and run 10-100
    # times faster than the 100 KB seeds; the zip formats keep their
    # seeds' size (a docx or xlsx is tens of KB)
    case $t in
    docx | xlsx) maxlen="" ;;
    where | query) maxlen=-max_len=1024 ;;
    api) maxlen=-max_len=4096 ;; # serve refuses longer URLs
    *) maxlen=-max_len=16384 ;;
    esac
    log="$out/$t.log"
    # shellcheck disable=SC2086
    nice -n 19 "$build/tests/fuzz_$t" "$out/corpus/$t" $dirs \
        ${files:+-seed_inputs=$files} $maxlen -max_total_time="$secs" \
        -timeout=20 \
        -rss_limit_mb=2560 -artifact_prefix="$out/artifacts/$t/" \
        -print_final_stats=1 >"$log" 2>&1
    st=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    # coverage at the end: edges (cov) and features (ft) libFuzzer counts
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
        sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
    corp=$(ls "$out/corpus/$t" | wc -l)
    found=$(ls "$out/artifacts/$t" | wc -l)
    printf '%s\t%s\t%s s\t%s runs\t%s/s\t%s\t%s corpus\t%s findings\n' \
        "$(date -u +%FT%T)" "$t" "$secs" "${runs:-?}" "${rate:-?}" \
        "${cov:-? edges}" "$corp" "$found" | tee -a "$out/stats.tsv"
    if [ "$st" -ne 0 ]; then
        failed=$((failed + 1))
        echo "fuzz: $t: FINDING (log $log):"
        grep -E "ERROR|SUMMARY|fuzz check failed|Test unit written" "$log" |
            head -n 8
    fi
done
[ "$failed" -eq 0 ] && echo "fuzz: no finding" || echo "fuzz: $failed target(s) with findings"
test "$failed" -eq 0
