#!/bin/sh
# Extraction quality on the development gold (tests/data/extraction, a copy
# of ../shared/eval/extraction): ingest the documents, export themes,
# problems and commitments as JSON Lines, score them with extract-score
# (a copy of ../shared/tools/extract-score) and require macro-F1 >= MIN.
#   usage: extract_eval.sh BAOGAO SRCDIR [MIN] [--show-errors]
set -eu
baogao=$1
src=$2
min=${3:-0.60}
show=${4:-}
data="$src/tests/data/extraction"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$baogao" --db "$tmp/x.db" ingest "$data/docs" 2>"$tmp/ingest.log" || {
    cat "$tmp/ingest.log" >&2
    exit 1
}
for k in themes problems commitments; do
    "$baogao" --db "$tmp/x.db" --format jsonl "$k" >>"$tmp/pred.jsonl"
done
python3 "$src/tests/tools/extract-score" "$data/gold-dev.jsonl" \
    "$tmp/pred.jsonl" $show | tee "$tmp/score.txt"
f1=$(sed -n 's/^macro-F1: //p' "$tmp/score.txt")
if awk -v f="$f1" -v m="$min" 'BEGIN { exit !(f >= m) }'; then
    echo "1 passed, 0 failed"
else
    echo "macro-F1 $f1 is below the required $min"
    echo "0 passed, 1 failed"
    exit 1
fi
