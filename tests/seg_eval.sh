#!/bin/sh
# Segmentation quality on the SIGHAN 2005 bakeoff test sets (PKU, MSR,
# CityU), scored by ../shared/tools/segscore.py, in two settings:
#   open    baogao's shipped dictionaries
#   closed  only the bakeoff's training word list (--only-dict --dict ...)
# Prints P, R, F1 and OOV recall per set, checks the targets of issue 4
# (open F1 >= 0.86 on PKU and MSR; closed >= 0.91 PKU, >= 0.94 MSR) and ends
# with "N passed, N failed". The bakeoff data is for research use and is
# never copied into this repository: without ../shared the script skips.
#   usage: seg_eval.sh BAOGAO SRCDIR [SHARED]
set -u
bg=$1
src=$2
shared=${3:-$src/../shared}
ev="$shared/eval/sighan2005"
score="$shared/tools/segscore.py"
if [ ! -d "$ev" ] || [ ! -f "$score" ]; then
    echo "skipped: $ev not found (the SIGHAN data stays outside the repo)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
printf '%-6s %-6s %6s %6s %6s %8s %8s\n' set mode P R F1 OOV-R target
for set in pku msr cityu; do
    for mode in open closed; do
        if [ $mode = open ]; then
            "$bg" segment --granularity fine <"$ev/testing/${set}_test.utf8" \
                >"$tmp/out" || exit 1
        else
            "$bg" segment --granularity fine --only-dict \
                --dict "$ev/gold/${set}_training_words.utf8" \
                <"$ev/testing/${set}_test.utf8" >"$tmp/out" || exit 1
        fi
        python3 "$score" "$ev/gold/${set}_test_gold.utf8" "$tmp/out" \
            --words "$ev/gold/${set}_training_words.utf8" --json \
            >"$tmp/s.json" 2>/dev/null
        line=$(python3 - "$tmp/s.json" "$set" "$mode" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
target = {('pku', 'open'): 0.86, ('msr', 'open'): 0.86,
          ('pku', 'closed'): 0.91, ('msr', 'closed'): 0.94}.get(
              (sys.argv[2], sys.argv[3]))
f = d['f1']
ok = target is None or f >= target
print(f"{sys.argv[2]:<6} {sys.argv[3]:<6} {d['precision']:6.3f} "
      f"{d['recall']:6.3f} {f:6.3f} {d.get('oov_recall', 0):8.3f} "
      f"{('>= %.2f' % target) if target else '-':>8} "
      f"{'' if ok else 'MISSED'}")
PY
)
        echo "$line"
        case "$line" in
        *MISSED*) fail=$((fail + 1)) ;;
        *) pass=$((pass + 1)) ;;
        esac
    done
done
echo "$pass passed, $fail failed"
test "$fail" -eq 0
