#!/bin/sh
# The command line as a script sees it (issue 16):
#   - exit status: a file named on the command line that is refused (binary
#     data, a FIFO) or fails makes it 1, with a "refused" line naming the
#     file; the same files met by a directory walk are skipped with exit 0;
#   - an option a command does not take (unknown, or another command's) is
#     an error naming the command's own help; each option a command's help
#     names is taken;
#   - kwic: --context N is the context, --width the table's cell width.
# Prints "N passed, N failed".
#   usage: options_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
cd "$tmp" || exit 1
mkdir dir
cp "$src/corpus/seed/seed-compilation.txt" dir/seed.txt
# a PDF's signature, and a .txt holding NUL bytes: binary, refused as text
printf '%%PDF-1.4\n%%\342\343\317\323\n' >dir/scan.pdf
printf 'abc\000def\n' >dir/nul.txt
mkfifo dir/pipe.txt

"$bg" --db a.db ingest dir >/dev/null 2>err
check_status "$([ $? -eq 0 ]; echo $?)" "a walk over a PDF, a file of NUL bytes and a FIFO exits 0"
grep -q 'dir/nul.txt: skipped: binary data' err
check_status $? "... the file of NUL bytes is skipped"
"$bg" --db a.db ingest dir/scan.pdf >/dev/null 2>err
check_status "$([ $? -eq 1 ]; echo $?)" "ingest scan.pdf (named) exits 1"
grep -q '^baogao: dir/scan.pdf: refused: binary data (a PDF file)' err
check_status $? "... with a line saying it is refused"
grep -q '1 failed' err
check_status $? "... counted as failed"
"$bg" --db a.db ingest dir/seed.txt dir/nul.txt >/dev/null 2>err
check_status "$([ $? -eq 1 ]; echo $?)" "a named file of NUL bytes beside a good one exits 1"
"$bg" --db a.db ingest dir/pipe.txt >/dev/null 2>err
check_status "$([ $? -eq 1 ]; echo $?)" "a named FIFO exits 1"
"$bg" --db a.db ingest dir/seed.txt >/dev/null 2>err
check_status "$([ $? -eq 0 ]; echo $?)" "a named file left unchanged exits 0"

# ---- options a command does not take -----------------------------------------
# an option unknown to every command names the command's own help; one that
# another command takes but this one would ignore is refused the same way
"$bg" --db a.db freq --bogus >/dev/null 2>err
check_status "$([ $? -eq 2 ] && grep -q '^baogao freq: unknown option --bogus (see baogao freq --help)$' err; echo $?)" \
    "freq --bogus: exit 2 naming baogao freq --help"
"$bg" --bogus >/dev/null 2>err
check_status "$([ $? -eq 2 ] && grep -q 'see baogao --help' err; echo $?)" \
    "baogao --bogus (no command): exit 2 naming baogao --help"
for c in "freq --context 3" "kwic seed --wide" "search seed --min-len 2" \
    "trend seed --top 3" "keyness --target doc=1 --where doc=1" \
    "docs --by year" "ingest dir/seed.txt --by year"; do
    cmd=${c%% *}
    "$bg" --db a.db $c >/dev/null 2>err
    check_status "$([ $? -eq 2 ] && grep -q "^baogao $cmd: --[a-z-]* does not apply to $cmd (see baogao $cmd --help)" err; echo $?)" \
        "$c: refused (exit 2), naming baogao $cmd --help"
done
# every option a command's help names is taken (not refused) by it
for cmd in freq kwic trend keywords collocates ngrams cooc keyness search; do
    "$bg" "$cmd" --help >help.txt 2>err
    for opt in $(grep -o -- '--[a-z][a-z0-9-]*' help.txt | sort -u); do
        "$bg" --db a.db "$cmd" "$opt" >/dev/null 2>err
        if grep -q 'does not apply\|unknown option' err; then
            echo "$cmd $opt" >>refused
        fi
    done
done
[ ! -s refused ] || cp refused err
check_status "$([ ! -s refused ]; echo $?)" "every option named in a command's help is taken by it"
"$bg" --db a.db trend 人民 --wide >/dev/null 2>err
check_status $? "trend --wide is taken"

# ---- kwic: --context N characters of context, --width the cell width --------
"$bg" --db a.db kwic 为民 --context 4 --limit 0 --format csv >kw.csv 2>err
check_status $? "kwic --context 4"
/usr/bin/python3 - kw.csv dir/seed.txt >err 2>&1 <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
if not rows:
    sys.exit("no lines")
for r in rows:
    if len(r["left"]) > 4 or len(r["right"]) > 4:
        sys.exit("context %r %r longer than 4" % (r["left"], r["right"]))
if not any(len(r["left"]) == 4 and len(r["right"]) == 4 for r in rows):
    sys.exit("no line with 4 characters each side")
# each node is the text at its byte offsets in the file
text = open(sys.argv[2], "rb").read()
for r in rows:
    node = text[int(r["start"]):int(r["end"])].decode()
    if node != r["node"]:
        sys.exit("node %r at %s, file has %r" % (r["node"], r["start"], node))
EOF
check_status $? "... at most 4 characters each side, nodes at their byte offsets"
# a file name longer than the default cell width (60)
long=dir/a-file-name-longer-than-sixty-characters-for-the-cell-width.txt
cp dir/seed.txt "$long"
"$bg" --db k.db ingest "$long" >/dev/null 2>err &&
    "$bg" --db k.db kwic 为民 --context 4 --limit 1 >kw.txt 2>err &&
    grep -q "$long" kw.txt
check_status $? "kwic without --width: table cells not cut (the whole file name)"
"$bg" --db k.db kwic 为民 --context 4 --limit 1 --width 8 >kw.txt 2>err
check_status "$(! grep -q "dir/a-file" kw.txt && grep -q 'dir/a-f…' kw.txt; echo $?)" \
    "kwic --width 8: cells cut at 8 columns, not the context"
"$bg" --db k.db kwic 为民 --context 10 --limit 0 --format csv >kw.csv 2>err &&
    "$bg" --db k.db kwic 为民 --context 10 --limit 0 --width 8 >kw.txt 2>err
check_status $? "kwic --context 10 --width 8"
/usr/bin/python3 - kw.csv kw.txt >err 2>&1 <<'EOF'
import csv, re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1
               for c in s)
rows = list(csv.DictReader(open(sys.argv[1])))
lines = open(sys.argv[2]).read().splitlines()[1:]
# under the table, kwic's line of counts (cmd_query.c count_note)
if lines and re.match(r"\d+ (whole-word )?occurrences in ", lines[-1]):
    lines.pop()
if len(rows) != len(lines) or not rows:
    sys.exit("%d lines in the table, %d in the CSV" % (len(lines), len(rows)))
cut = 0
for r, line in zip(rows, lines):
    left = r["left"]
    if width(left) > 8:
        # the end of the context, as much as fits in 7 columns, after a "…"
        k = len(left)
        while k > 0 and width(left[k - 1:]) <= 7:
            k -= 1
        want = "…" + left[k:]
        cut += 1
    else:
        want = left
    if want + "  " not in line:
        sys.exit("left context %r: the table line %r lacks %r" % (left, line, want))
if not cut:
    sys.exit("no left context was wider than 8 columns")
EOF
check_status $? "... the left context keeps its end (the words next to the node) after a …"

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"
check_done
