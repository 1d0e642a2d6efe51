#!/bin/sh
# The seed inputs of each fuzz target, one path a line (files or
# directories): the real files of tests/data and the hand-made inputs of
# tests/fuzz/seeds/TARGET. Used by run.sh (libFuzzer's starting corpus)
# and regress.sh (every seed is also a regression input). seeds/docx and
# seeds/xlsx hold XML-mode inputs (fuzz_ingest.h, fuzz_zip): the parts of
# tests/data/ingest/2025年吉林省政府工作报告.docx (its first 12 paragraphs
# and heading styles) and of tipdm-messages.xlsx, NUL between them, and a
# hand-made docx (heading, tab, break, content control, table).
#   usage: seeds.sh SRCDIR TARGET
src=$1
t=$2
d="$src/tests/data"
own="$src/tests/fuzz/seeds/$t"
[ -d "$own" ] && echo "$own"
case $t in
decode)
    ls "$d"/ingest/*.txt "$d"/seed/* "$d/sentences.txt" ;;
html) ls "$d"/ingest/*.html ;;
docx) ls "$d"/ingest/*.docx ;;
json) ;;
jsonl) ls "$d"/ingest/*.jsonl ;;
csv) ls "$d"/ingest/*.csv ;;
tsv) ls "$d"/ingest/*.tsv ;;
xlsx) ls "$d"/ingest/*.xlsx ;;
normalise | sentence)
    ls "$d"/ingest/entities.txt "$d"/ingest/policy-wrapped.txt \
        "$d/sentences.txt" "$d/normalise.tsv" ;;
segment) ls "$d/segment.tsv" ;;
rules) ls "$src"/dict/rules/*.jsonl "$src/dict/taxonomy.jsonl" \
    "$d"/rules-*/*.jsonl ;;
where | query | snippet | api) ;;
esac 2>/dev/null
