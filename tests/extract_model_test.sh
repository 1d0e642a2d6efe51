#!/bin/sh
# The learned layer's fast checks (the cross-validated figures are make
# eval's: tests/extract_cv.py):
#   - training is deterministic: `baogao train` twice on a small fixture
#     (four development documents of tests/data/extraction) writes the same
#     bytes, and the model is not empty;
#   - the shipped model is small (under 2 MB) and was trained with the
#     shipped rules (ingest would refuse it otherwise: checked here by
#     loading it through `baogao extract` on a one-document database);
#   - the lockbox split follows its rule (tests/extract_split.py --check);
#   - the rule files name a cue family in every comment, every veto
#     (negative weight) is a .not- rule and every .not- rule is a veto.
#   usage: extract_model_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
data="$src/tests/data/extraction"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
# the fixture: four development documents and their units
mkdir -p "$tmp/fix/docs" "$tmp/r1" "$tmp/r2"
for d in seed-01 seed-02 shuzhi-kefu notice-新疆; do
    cp "$data/docs/$d.txt" "$tmp/fix/docs/"
    grep "\"doc\": \"$d\"" "$data/gold-dev.jsonl" >>"$tmp/fix/gold.jsonl"
done
cp "$src"/dict/rules/*.jsonl "$tmp/r1/"
cp "$src"/dict/rules/*.jsonl "$tmp/r2/"
check "train on the fixture" "$bg" train --rules "$tmp/r1" "$tmp/fix/gold.jsonl"
check "train again into another directory" \
    "$bg" train --rules "$tmp/r2" "$tmp/fix/gold.jsonl"
check "the same model bytes" cmp "$tmp/r1/model.txt" "$tmp/r2/model.txt"
check "the same training figures" cmp "$tmp/r1/model.json" "$tmp/r2/model.json"
check "the model has features" sh -c \
    "test \$(awk '/^features / {print \$2}' \"$tmp/r1/model.txt\") -gt 100"
check "four documents trained on" grep -q '"documents":	4,' "$tmp/r1/model.json"
# the shipped model
size=$(wc -c <"$src/dict/rules/model.txt")
check "the shipped model is under 2 MB ($size bytes)" test "$size" -lt 2000000
"$bg" --db "$tmp/x.db" ingest "$data/docs/seed-01.txt" >/dev/null 2>&1
check "the shipped model loads with the shipped rules" \
    "$bg" --db "$tmp/x.db" extract
cp "$src"/dict/rules/*.jsonl "$tmp/r2/"
echo '{"id": "problem.extra", "kind": "problem", "pattern": "问题", "comment": "family: test"}' >>"$tmp/r2/problem.jsonl"
check "a model trained on other rules is refused, naming train" sh -c \
    "! \"$bg\" --db \"$tmp/x.db\" extract --rules \"$tmp/r2\" 2>\"$tmp/err\" && grep -q 'baogao train' \"$tmp/err\""
rm "$tmp/r2/model.txt"
check "without a model the rules alone label (a user's own rule set)" \
    "$bg" --db "$tmp/x.db" extract --rules "$tmp/r2"
check "the lockbox split follows its rule" \
    python3 "$src/tests/extract_split.py" "$data" --check
check "every rule names its cue family; vetoes are the .not- rules" \
    python3 - "$src/dict/rules" <<'PY'
import json, os, sys
bad = []
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    if not f.endswith('.jsonl'):
        continue
    for n, line in enumerate(open(os.path.join(d, f), encoding='utf-8'), 1):
        line = line.strip()
        if not line or line.startswith('//'):
            continue
        r = json.loads(line)
        where = f'{f}:{n} {r["id"]}'
        if 'family:' not in r.get('comment', ''):
            bad.append(f'{where}: no "family:" in its comment')
        w = r.get('weight', 1)
        if r['kind'] in ('theme', 'problem', 'commitment'):
            if ('.not-' in r['id']) != (w < 0):
                bad.append(f'{where}: weight {w} (vetoes are .not- rules)')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
PY
check "the database extract wrote is sound (integrity, FTS5)" \
    sh "$src/tests/db_check.sh" "$tmp/x.db"
check_done
