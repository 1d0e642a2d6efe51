#!/bin/sh
# Extraction quality on the development gold (tests/data/extraction, a copy
# of ../shared/eval/extraction): ingest the documents, export themes,
# problems and commitments as JSON Lines, score them with extract-score
# (a copy of ../shared/tools/extract-score) and require, for each kind,
# F1 >= MIN, and theme phrases exact on >= PHRASE_MIN of the themes found
# (issue 6's targets: 0.85 and 0.80). One check per figure.
#   usage: extract_eval.sh BAOGAO SRCDIR [MIN] [--show-errors]
#   PHRASE_MIN in the environment overrides 0.80.
set -eu
baogao=$1
src=$2
min=${3:-0.85}
show=${4:-}
phrase_min=${PHRASE_MIN:-0.80}
data="$src/tests/data/extraction"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$baogao" --db "$tmp/x.db" ingest "$data/docs" 2>"$tmp/ingest.log" || {
    cat "$tmp/ingest.log" >&2
    exit 1
}
sh "$src/tests/db_check.sh" "$tmp/x.db" # SQLite's and FTS5's checks
for k in themes problems commitments; do
    "$baogao" --db "$tmp/x.db" --format jsonl "$k" >>"$tmp/pred.jsonl"
done
python3 "$src/tests/tools/extract-score" "$data/gold-dev.jsonl" \
    "$tmp/pred.jsonl" $show | tee "$tmp/score.txt"
awk -v min="$min" -v pmin="$phrase_min" '
    function check(ok, what) {
        if (ok) passed++; else { failed++; print "FAIL: " what }
    }
    $1 == "theme" || $1 == "problem" || $1 == "commitment" {
        kinds++
        check($7 + 0 >= min, $1 " F1 " $7 " is below " min)
        if ($1 == "theme") {
            split($13, pe, "/")
            check(pe[2] > 0 && pe[1] / pe[2] >= pmin,
                  "theme phrases exact on " $13 " of found themes, below " pmin)
        }
    }
    END {
        check(kinds == 3, "extract-score printed " kinds + 0 " of 3 kinds")
        printf "%d passed, %d failed\n", passed, failed
        exit failed > 0
    }' "$tmp/score.txt"
