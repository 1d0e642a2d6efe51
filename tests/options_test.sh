#!/bin/sh
# The command line as a script sees it (issue 16):
#   - exit status: a file named on the command line that is refused (binary
#     data, a FIFO) or fails makes it 1, with a "refused" line naming the
#     file; the same files met by a directory walk are skipped with exit 0.
# Prints "N passed, N failed".
#   usage: options_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {
    if [ "$1" -eq 0 ]; then
        pass=$((pass + 1))
        echo "ok: $2"
    else
        fail=$((fail + 1))
        echo "FAIL: $2"
        [ -s "$tmp/err" ] && sed 's/^/    /' "$tmp/err"
    fi
}
cd "$tmp" || exit 1
mkdir dir
cp "$src/corpus/seed/seed-compilation.txt" dir/seed.txt
# a PDF's signature, and a .txt holding NUL bytes: binary, refused as text
printf '%%PDF-1.4\n%%\342\343\317\323\n' >dir/scan.pdf
printf 'abc\000def\n' >dir/nul.txt
mkfifo dir/pipe.txt

"$bg" --db a.db ingest dir >/dev/null 2>err
check "$([ $? -eq 0 ]; echo $?)" "a walk over a PDF, a file of NUL bytes and a FIFO exits 0"
grep -q 'dir/nul.txt: skipped: binary data' err
check $? "... the file of NUL bytes is skipped"
"$bg" --db a.db ingest dir/scan.pdf >/dev/null 2>err
check "$([ $? -eq 1 ]; echo $?)" "ingest scan.pdf (named) exits 1"
grep -q '^baogao: dir/scan.pdf: refused: binary data (a PDF file)' err
check $? "... with a line saying it is refused"
grep -q '1 failed' err
check $? "... counted as failed"
"$bg" --db a.db ingest dir/seed.txt dir/nul.txt >/dev/null 2>err
check "$([ $? -eq 1 ]; echo $?)" "a named file of NUL bytes beside a good one exits 1"
"$bg" --db a.db ingest dir/pipe.txt >/dev/null 2>err
check "$([ $? -eq 1 ]; echo $?)" "a named FIFO exits 1"
"$bg" --db a.db ingest dir/seed.txt >/dev/null 2>err
check "$([ $? -eq 0 ]; echo $?)" "a named file left unchanged exits 0"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
