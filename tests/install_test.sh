#!/bin/sh
# `make install` with PREFIX and DESTDIR, as a packager runs it:
#   - the layout: PREFIX/bin/baogao, PREFIX/share/baogao/dict/ (the source's
#     dict/ file for file), PREFIX/share/baogao/main.bgd (the build's, byte
#     for byte), PREFIX/share/man/man1/baogao.1;
#   - the tree is moved elsewhere (so nothing can be found through the
#     compiled-in build paths by accident of location), and the installed
#     binary, run from another directory, ingests the seed compilation (5
#     documents) and segments text;
#   - it reads the installed data: with the installed main.bgd taken away,
#     segment fails naming that file; BAOGAO_MAIN_DICT still overrides;
#   - `baogao help freq` prints what `baogao freq --help` prints, and the
#     manual page renders through groff without a warning (when groff is
#     installed) and holds every command's usage line.
# Prints "N passed, N failed".
#   usage: install_test.sh SRCDIR BUILDDIR
set -u
# a make of its own, not a child of the make that may run this test
unset MAKEFLAGS MFLAGS MAKELEVEL
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
make --no-print-directory -C "$src" install BUILD="$build" PREFIX=/opt/bg \
    DESTDIR="$tmp/stage" >"$tmp/install.log" 2>&1
check_status $? "make install PREFIX=/opt/bg DESTDIR=..."
[ "$fail" -eq 0 ] || cat "$tmp/install.log"
p="$tmp/stage/opt/bg"
test -x "$p/bin/baogao"
check_status $? "PREFIX/bin/baogao"
diff -r "$src/dict" "$p/share/baogao/dict" >/dev/null
check_status $? "PREFIX/share/baogao/dict is the source's dict/"
cmp -s "$build/main.bgd" "$p/share/baogao/main.bgd"
check_status $? "PREFIX/share/baogao/main.bgd is the build's"
test -f "$p/share/man/man1/baogao.1"
check_status $? "PREFIX/share/man/man1/baogao.1"
idf=$(sed -n 's/^BG_JIEBA_IDF:FILEPATH=//p' "$build/CMakeCache.txt")
cmp -s "$idf" "$p/share/baogao/idf.txt"
check_status $? "PREFIX/share/baogao/idf.txt is jieba's ($idf)"

mv "$p" "$tmp/moved"
bg="$tmp/moved/bin/baogao"
mkdir "$tmp/work" && cp "$src/corpus/seed/seed-compilation.txt" "$tmp/work/"
cd "$tmp/work" || exit 1
"$bg" --db x.db ingest seed-compilation.txt 2>/dev/null
check_status $? "the moved install ingests"
n=$(sqlite3 x.db "select count(*) from document")
check_status "$([ "$n" = 5 ]; echo $?)" "5 documents from the seed compilation (got $n)"
out=$(echo '我联系西坡村1名贫困户' | "$bg" segment 2>&1)
check_status "$([ "$out" = '我  联系  西坡  村  1  名  贫困户' ]; echo $?)" "segment: $out"
mv "$tmp/moved/share/baogao/main.bgd" "$tmp/main.bgd"
err=$(echo 贫困户 | "$bg" segment 2>&1 >/dev/null)
printf '%s' "$err" | grep -qF "$tmp/moved/share/baogao/main.bgd"
check_status $? "without the installed main.bgd, segment names it: $err"
out=$(echo 贫困户 | BAOGAO_MAIN_DICT="$tmp/main.bgd" "$bg" segment 2>&1)
check_status "$([ "$out" = 贫困户 ]; echo $?)" "BAOGAO_MAIN_DICT overrides ($out)"
mv "$tmp/main.bgd" "$tmp/moved/share/baogao/main.bgd"
# keywords of five documents read the installed background idf table
mv "$tmp/moved/share/baogao/idf.txt" "$tmp/idf.txt"
err=$("$bg" --db x.db keywords 2>&1 >/dev/null)
printf '%s' "$err" | grep -qF "$tmp/moved/share/baogao/idf.txt"
check_status $? "without the installed idf.txt, keywords names it: $err"
BAOGAO_IDF="$tmp/idf.txt" "$bg" --db x.db keywords --top 1 | grep -qF "idf:jieba"
check_status $? "BAOGAO_IDF overrides"

"$bg" help freq >"$tmp/h1" && "$bg" freq --help >"$tmp/h2"
cmp -s "$tmp/h1" "$tmp/h2" && [ -s "$tmp/h1" ]
check_status $? "baogao help freq prints baogao freq --help"
man1="$tmp/moved/share/man/man1/baogao.1"
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -k -man -Tutf8 -ww -z "$man1" 2>&1)
    check_status "$([ -z "$warn" ]; echo $?)" "groff renders the manual page without warnings $warn"
    groff -k -man -Tutf8 "$man1" 2>/dev/null | sed 's/.\x08//g' >"$tmp/man.txt"
    missing=0
    "$bg" --help | sed -n 's/^  \([a-z]\)/\1/p' | sed -n '/^[a-z]/p' |
        while IFS= read -r u; do
            grep -qF "baogao $u" "$tmp/man.txt" || { echo "  not in the page: $u"; exit 1; }
        done
    check_status $? "the manual page holds every command's usage line"
else
    echo "skipped: groff is not installed (the manual page is not rendered)"
fi
# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"/work
check_done
