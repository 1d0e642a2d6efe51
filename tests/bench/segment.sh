#!/bin/sh
# Segmentation speed: baogao's segmenter against the raw ICU word break
# iterator, friso (C, mmseg, complex mode), Python jieba (HMM off) and the
# Rust jieba port (npm @node-rs/jieba), on the same slice of the benchmark
# corpus (../shared/bench/lawrefbook-laws.tar.xz), in one invocation.
# Prints MB/s (median of RUNS runs), start-up time (median, empty input) and
# peak resident memory. Not a test: figures depend on the machine.
#   usage: tests/bench/segment.sh [BUILD_DIR] [MB] [RUNS]
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
mb=${2:-10}
runs=${3:-3}
work=${BAOGAO_BENCH_DIR:-/tmp/baogao-bench}
tarball=$src/../shared/bench/lawrefbook-laws.tar.xz
mkdir -p "$work"
if [ ! -d "$work/lawrefbook-laws" ]; then
    [ -f "$tarball" ] || {
        echo "segmentation benchmark skipped: no $tarball"
        exit 0
    }
    tar -C "$work" -xJf "$tarball"
fi
in="$work/slice-$mb.txt"
if [ ! -f "$in" ]; then
    find "$work/lawrefbook-laws" -name '*.md' -print0 | sort -z |
        xargs -0 cat | head -c $((mb * 1000 * 1000)) >"$in.tmp"
    # cut at the last full line so no character is split
    python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d[:d.rfind(b'\n')+1])" "$in.tmp" "$in"
    rm -f "$in.tmp"
fi
size=$(wc -c <"$in")
empty="$work/empty.txt"
: >"$empty"

# peers that need installing, each once
command -v friso >/dev/null 2>&1 || echo "note: friso missing (apt-get install friso)"
# Debian's python3 has python3-jieba; a python3 earlier on the PATH may not
py=/usr/bin/python3
[ -x "$py" ] || py=python3
$py -c 'import jieba' 2>/dev/null || echo "note: python3-jieba missing (apt-get install python3-jieba)"
if [ ! -d "$work/node/node_modules/@node-rs/jieba" ] && command -v npm >/dev/null; then
    mkdir -p "$work/node"
    (cd "$work/node" && npm install --silent --no-audit --no-fund @node-rs/jieba >/dev/null 2>&1) ||
        echo "note: npm install @node-rs/jieba failed"
fi
cat >"$work/jieba_cut.py" <<'PY'
import sys, jieba
jieba.initialize()
out = sys.stdout
for line in sys.stdin:
    out.write('  '.join(jieba.cut(line.rstrip('\n'), HMM=False)) + '\n')
PY
cat >"$work/node/cut.js" <<'JS'
const { Jieba } = require('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict');
const jieba = Jieba.withDict(dict);
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const l of lines) out.push(jieba.cut(l, false).join('  '));
process.stdout.write(out.join('\n'));
JS

# friso's command-line front end reads until a line "quit" (at end of
# input it loops), so it gets copies of the inputs that end with one
printf 'quit\n' >"$work/empty.friso"
cat "$in" "$work/empty.friso" >"$in.friso"

# run NAME INPUT EMPTY CMD...: median wall seconds over $runs runs on INPUT,
# start-up as the median on EMPTY
run() {
    name=$1
    input=$2
    empty=$3
    shift 3
    times=""
    rss=0
    for i in $(seq "$runs"); do
        /usr/bin/time -f '%e %M' -o "$work/t" "$@" <"$input" >"$work/out.$name" 2>/dev/null || {
            echo "$name: failed"
            return 0
        }
        read -r t m <"$work/t"
        times="$times $t"
        [ "$m" -gt "$rss" ] && rss=$m
    done
    starts=""
    for i in $(seq "$runs"); do
        /usr/bin/time -f '%e' -o "$work/t" "$@" <"$empty" >/dev/null 2>&1 || true
        starts="$starts $(cat "$work/t")"
    done
    python3 - "$name" "$size" "$rss" "$times" "$starts" <<'PY'
import statistics, sys
name, size, rss, times, starts = sys.argv[1:]
t = statistics.median(float(x) for x in times.split())
s = statistics.median(float(x) for x in starts.split())
print(f"{name:<14} {int(size) / 1e6 / t:8.2f} MB/s  {t:7.2f} s  start-up {s:5.2f} s  peak {int(rss) / 1024:7.1f} MB")
PY
}

echo "input: $in ($size bytes), median of $runs runs"
run baogao "$in" "$empty" "$build/baogao" segment
run icu-raw "$in" "$empty" "$build/tests/bench_icu_wordbreak"
command -v friso >/dev/null &&
    run friso "$in.friso" "$work/empty.friso" friso -init /etc/friso/friso.ini
$py -c 'import jieba' 2>/dev/null && run jieba-py "$in" "$empty" $py "$work/jieba_cut.py"
[ -d "$work/node/node_modules/@node-rs/jieba" ] &&
    run jieba-rs "$in" "$empty" node "$work/node/cut.js"
exit 0
