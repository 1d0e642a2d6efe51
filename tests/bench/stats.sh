#!/bin/sh
# Timings of the statistics commands on the benchmark corpus (not a CTest
# test): the median wall time of RUNS runs of each command.
#   usage: tests/bench/stats.sh BAOGAO [DB] [RUNS]
# DB defaults to /tmp/baogao-bench.db; when it does not exist it is made
# from ../shared/bench/lawrefbook-laws.tar.xz (3,515 files, 58 MB; ingest
# takes a minute or two).
set -eu
bg=$1
db=${2:-/tmp/baogao-bench.db}
runs=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
tar=$here/../../../shared/bench/lawrefbook-laws.tar.xz
if [ ! -e "$db" ] && [ ! -f "$tar" ]; then
    echo "statistics benchmark skipped: no $db and no $tar to make it from"
    exit 0
fi
if [ ! -e "$db" ]; then
    dir=$(mktemp -d)
    tar -xJf "$tar" -C "$dir"
    echo "ingesting $tar into $db ..." >&2
    "$bg" --db "$db" ingest "$dir/lawrefbook-laws" 2>/dev/null || true
    rm -rf "$dir"
fi
half=$(sqlite3 "$db" "SELECT max(id) / 2 FROM document")
echo "database: $db ($(sqlite3 "$db" "SELECT count(*) FROM document") documents, $(sqlite3 "$db" "SELECT sum(tf) FROM doc_term") term tokens); median of $runs runs"
bench() { # label, then the baogao arguments
    label=$1
    shift
    times=""
    for i in $(seq "$runs"); do
        t0=$(date +%s.%N)
        "$bg" --db "$db" "$@" >/dev/null
        t1=$(date +%s.%N)
        times="$times $(echo "$t1 - $t0" | bc)"
    done
    med=$(echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n |
        awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    printf '%-58s %6.3f s\n' "$label" "$med"
}
bench "freq --top 100" freq --top 100
bench "freq --top 100 --drop-stopwords" freq --top 100 --drop-stopwords
bench "keyness --target doc<=$half --reference doc>$half" \
    keyness --target "doc<=$half" --reference "doc>$half"
# the index growth of every-occurrence search: the analysis forms' edits
# (sentence.norm_edit, schema 11; what search and kwic scan besides the
# sentence texts) against the rest of the database (issue 12's target: at
# most +50%)
size=$(stat -c %s "$db")
norm=$(sqlite3 "$db" "SELECT coalesce(sum(length(norm_edit)), 0) FROM sentence" 2>/dev/null || echo 0)
echo "size: $size bytes; sentence.norm_edit (the analysis forms as edits of the texts): $norm bytes = +$(echo "scale=1; 100 * $norm / ($size - $norm)" | bc)% on the rest of the database"
bench "search 规定 (2 characters, first 20)" search 规定
bench "search 规定 --count (every occurrence counted as text)" search 规定 --count
bench "search 规定 --word (whole words only)" search 规定 --word
bench "search 改革 (2 characters)" search 改革
bench "search 人民法院 (4 characters)" search 人民法院
bench "kwic 规定 (2 characters, first 20)" kwic 规定
bench "kwic 规定 --count (every occurrence counted as text)" kwic 规定 --count
bench "kwic 规定 --word (first 20 lines)" kwic 规定 --word
bench "kwic 改革 (2 characters)" kwic 改革
bench "kwic 规定 --sort right (every line sorted, first 20)" kwic 规定 --sort right
bench "collocates 规定" collocates 规定
bench "trend 规定 --by doc" trend 规定 --by doc
bench "keywords --top 10 (every document)" keywords --top 10
