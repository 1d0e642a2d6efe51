#!/bin/sh
# Runs the command examples of README.md (`$ baogao ...` lines in indented
# blocks, the README's `baogao` being `build/baogao --db demo.db` on the
# database `make demo` makes) and compares their output, standard output
# and error together, with the lines the README shows under each: every
# line shown must come out, in order and next to the one before it; a line
# `…` stands for lines left out, and a line ending with ` …` for the rest
# of a line. Examples on data outside the repository (../shared, or a
# database of their own: --db) and `serve` (it runs until stopped) are not
# run. Ends with "N passed, N
# failed".
#   usage: readme_examples.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/check.sh"
(cd "$src" && "$bg" --db "$tmp/demo.db" ingest corpus >/dev/null 2>&1)
python3 - "$src/README.md" "$tmp" <<'PY' >"$tmp/cases"
import sys, json
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
cases, i = [], 0
while i < len(lines):
    if not lines[i].startswith('    $ '):
        i += 1
        continue
    cmd, want = lines[i][6:], []
    i += 1
    while i < len(lines) and lines[i].startswith('    ') and \
            not lines[i].startswith('    $ '):
        want.append(lines[i][4:])
        i += 1
    # examples on a database of their own (built from ../shared) and
    # serve (it runs until stopped) are not run
    if 'baogao' in cmd and '../shared' not in cmd and '--db ' not in cmd \
            and not cmd.endswith('baogao serve'):
        cases.append({'cmd': cmd, 'want': want})
for n, c in enumerate(cases):
    with open(f'{sys.argv[2]}/want{n}', 'w', encoding='utf-8') as f:
        f.write('\n'.join(c['want']))
    print(f'{n}\t{c["cmd"]}')
PY
while IFS="$(printf '\t')" read -r n cmd; do
    # the README's baogao: the build's binary on the demo database; an
    # ingest goes into a new database, as the demo made it
    db="$tmp/demo.db"
    case $cmd in *"baogao ingest"*) db="$tmp/new$n.db" ;; esac
    (cd "$src" && BG="$bg" DB="$db" sh -c \
        "baogao() { \"\$BG\" --db \"\$DB\" \"\$@\"; }; $cmd" >"$tmp/got$n" 2>&1)
    check "README: \$ $cmd" python3 - "$tmp/want$n" "$tmp/got$n" "$db" <<'PY'
import sys
want = open(sys.argv[1], encoding='utf-8').read().split('\n')
got = open(sys.argv[2], encoding='utf-8').read().replace(sys.argv[3], 'demo.db')
got = got.rstrip('\n').split('\n')
def same(w, g):
    if w.endswith(' …') and not g.endswith(' …'):
        return g.startswith(w[:-2].rstrip())
    return w.rstrip() == g.rstrip()
j, gap = 0, False
for w in want:
    if w.strip() == '…':
        gap = True
        continue
    while j < len(got) and not same(w, got[j]):
        if not gap:
            sys.exit(f'line shown:\n  {w}\nline out:\n  {got[j]}')
        j += 1
    if j == len(got):
        sys.exit(f'line shown but not out:\n  {w}')
    j, gap = j + 1, False
if not gap and j < len(got):
    sys.exit(f'more lines out than shown, from:\n  {got[j]}')
PY
done <"$tmp/cases"
check_done
