#!/bin/sh
# Encoding detection on every file of ../shared/corpus/sighan2005-icwb2/
# testing/ and shuzhi-fanwen-java-study/ (research-only data, never copied
# into this repository): each file's detected encoding, and its decoded text
# against the UTF-8 twin where one exists. Skips (exit 0) when ../shared is
# absent. Not a CTest test. Prints "N passed, N failed".
#   usage: tests/ingest_corpus_check.sh BAOGAO [CORPUS_DIR]
set -u
bg=$1
corpus=${2:-$(dirname "$0")/../../shared/corpus}
if [ ! -d "$corpus/sighan2005-icwb2/testing" ]; then
    echo "skipped: $corpus/sighan2005-icwb2 is absent"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
t="$corpus/sighan2005-icwb2/testing"
for spec in "pku_test.txt GB18030 pku_test.utf8" \
    "msr_test.txt GB18030 msr_test.utf8" \
    "cityu_test.txt Big5-HKSCS cityu_test.utf8" \
    "pku_test.utf8 UTF-8 -" "msr_test.utf8 UTF-8 -" "cityu_test.utf8 UTF-8 -" \
    "../../shuzhi-fanwen-java-study/述职报告.txt GB18030 -"; do
    set -- $spec
    f="$t/$1"
    rm -f "$tmp/db"*
    "$bg" --db "$tmp/db" ingest "$f" 2>"$tmp/err" >/dev/null
    enc=$(sqlite3 "$tmp/db" "select encoding from source")
    if [ "$enc" = "$2" ]; then
        pass=$((pass + 1)); echo "ok: $1 detected as $enc"
    else
        fail=$((fail + 1)); echo "FAIL: $1 detected as '$enc', want $2"; cat "$tmp/err"
    fi
    if [ "$3" != - ]; then
        python3 - "$tmp/db" "$t/$3" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import sqlite3, sys
text = sqlite3.connect(sys.argv[1]).execute("select text from source").fetchone()[0]
twin = open(sys.argv[2], 'rb').read().decode('utf-8-sig')
if text == twin:
    print(f"ok: decoded text equals {sys.argv[2].rsplit('/', 1)[1]} ({len(text)} characters)")
    sys.exit(0)
d = [i for i, (a, b) in enumerate(zip(text, twin)) if a != b]
print(f"FAIL: decoded text differs from the twin at {len(d)} characters, first {d[:3]}")
sys.exit(1)
PY
    fi
done
echo "$pass passed, $fail failed"
test "$fail" -eq 0
