#!/bin/sh
# A record file's documents are built and stored in chunks (cmd_ingest.c
# CHUNK_DOCS), so ingest's memory does not grow with the number of its
# records. Measured: peak RSS (getrusage of the child, one thread) of a
# JSON Lines file of 48,000 records and of one of 96,000 (each record
# unique: six slots of eight words, no number, so the vocabulary is the
# same). When every record was held until the file was stored the second
# took 3.9 KB more a record (268 -> 452 MB at 44246a6); now what grows is
# the source's own text and spans, under 1 KB a record (179 -> 219 MB
# with chunks of 8,192 built by the writer, 164 -> 208 MB with at most 4
# chunks of 1,024 held and built by any thread).
# Bound: 2 KB a record. Both sizes fill SQLite's page cache (64 MB: the
# 48,000-record database is 71 MB), which would otherwise grow too.
# Under a sanitizer (which holds freed memory) the peak RSS checks and the
# 96,000-record file are left out.
# The chunked file (47 chunks of 1,024) stores what the same records split
# into files of 1,000 (one chunk each) store: the same term totals,
# sentence, token and label counts.
#   usage: records_memory_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/check.sh"
# a sanitizer build holds freed memory: no peak RSS then (nor the 96,000)
san=0
if ldd "$bg" 2>/dev/null | grep -q -E 'libasan|libtsan'; then
    echo "skip: peak RSS (a sanitizer build holds freed memory)"
    san=1
fi
python3 - "$tmp" <<'PY'
import os, sys
out = sys.argv[1]
slots = [
    ['小区', '村里', '街道', '学校', '医院', '市场', '公园', '车站'],
    ['道路', '路灯', '垃圾', '噪音', '停车', '供水', '供电', '物业'],
    ['问题', '情况', '现象', '困难', '隐患', '纠纷', '矛盾', '麻烦'],
    ['多次', '反复', '长期', '一直', '去年', '今年', '上月', '最近'],
    ['反映', '投诉', '举报', '咨询', '求助', '建议', '询问', '呼吁'],
    ['尽快', '及时', '认真', '切实', '依法', '妥善', '彻底', '抓紧'],
]
def record(i):
    w, k = [], i
    for s in slots:
        w.append(s[k % 8])
        k //= 8
    return ('{"title": "%s%s%s", "text": "%s%s%s已经%s%s，至今没有解决。'
            '希望有关部门%s处理，给居民一个答复。"}\n'
            % (w[0], w[1], w[2], w[0], w[1], w[2], w[3], w[4], w[5]))
os.makedirs(os.path.join(out, 'split'))
for n in (48000, 96000):
    with open(os.path.join(out, 'r%d.jsonl' % n), 'w', encoding='utf-8') as f:
        f.writelines(record(i) for i in range(n))
for k in range(48):
    with open(os.path.join(out, 'split', 's%02d.jsonl' % k), 'w',
              encoding='utf-8') as f:
        f.writelines(record(i) for i in range(k * 1000, (k + 1) * 1000))
PY
# peak RSS in KB of the command (its own child's getrusage)
peak() {
    python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL, check=True,
               env={"BAOGAO_THREADS": "1", "PATH": "/usr/bin:/bin"})
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
a=$(peak "$bg" --db "$tmp/a.db" ingest "$tmp/r48000.jsonl")
if [ "$san" = 0 ]; then
    b=$(peak "$bg" --db "$tmp/b.db" ingest "$tmp/r96000.jsonl")
    echo "peak RSS: 48,000 records $a KB, 96,000 records $b KB:" \
        "$(((b - a) * 1024 / 48000)) bytes a record more"
    check "records: peak RSS grows under 2 KB a record" \
        test $(((b - a) * 1024)) -lt $((2048 * 48000))
    check "all 96,000 records stored" \
        test "$(sqlite3 "$tmp/b.db" "select count(*) from document")" -eq 96000
fi
"$bg" --db "$tmp/s.db" ingest "$tmp/split" 2>/dev/null
sums() {
    sqlite3 "$1" "select term, freq, df from term_freq order by term;
        select sum(n_sentences), sum(n_tokens), count(*) from document;
        select kind, count(*) from extraction group by kind order by kind;
        select count(*) from sentence_fts where sentence_fts match '问题'"
}
sums "$tmp/a.db" >"$tmp/a.sums"
sums "$tmp/s.db" >"$tmp/s.sums"
check "a file of 47 chunks stores what 48 files of one chunk store" \
    cmp "$tmp/a.sums" "$tmp/s.sums"
# the chunks of one file are built by any thread (cmd_ingest.c RING): every
# table with its row ids as 1 thread stores it, at 2 and 4 threads (FTS5's
# own segment layout aside: its matches are compared; source.ingested_at is
# a clock)
full() {
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE
                   type = 'table' AND name NOT LIKE 'sentence_fts%'
                   AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
        echo "== $t"
        if [ "$t" = source ]; then
            sqlite3 "$1" "SELECT id, path, size, hash, format, encoding,
                confidence, text, warnings FROM source ORDER BY id"
        else
            sqlite3 "$1" "SELECT * FROM \"$t\" ORDER BY 1, 2"
        fi
    done
    sqlite3 "$1" "SELECT rowid FROM sentence_fts WHERE sentence_fts
        MATCH '问题' ORDER BY rowid"
}
full "$tmp/a.db" | md5sum >"$tmp/a.full"
for n in 2 4; do
    BAOGAO_THREADS=$n "$bg" --db "$tmp/t$n.db" ingest "$tmp/r48000.jsonl" \
        2>/dev/null
    full "$tmp/t$n.db" | md5sum >"$tmp/t$n.full"
    check "threads: $n store the 47-chunk file as 1 does, row ids included" \
        cmp "$tmp/a.full" "$tmp/t$n.full"
done
check_dbs "$tmp"
check_done
