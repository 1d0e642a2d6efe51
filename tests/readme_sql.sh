#!/bin/sh
# Runs every ```sql block of README.md's "The database" section in the
# plain sqlite3 shell on a database made like `make demo` makes it
# (baogao ingest corpus). Each block must run without error and print rows.
#   usage: readme_sql.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && "$bg" --db "$tmp/demo.db" ingest corpus 2>/dev/null) || {
    echo "ingest corpus failed"
    echo "0 passed, 1 failed"
    exit 1
}
awk -v dir="$tmp" '
    /^```sql/ { n++; f = dir "/q" n ".sql"; inb = 1; next }
    /^```/    { inb = 0; next }
    inb       { print > f }' "$src/README.md"
pass=0
fail=0
for q in "$tmp"/q*.sql; do
    [ -f "$q" ] || continue
    if out=$(sqlite3 -bail "$tmp/demo.db" <"$q" 2>&1) && [ -n "$out" ] &&
        ! printf '%s' "$out" | grep -q '^\(Parse \|Runtime \)\?[Ee]rror'; then
        pass=$((pass + 1))
        echo "ok: $(head -n 1 "$q")"
    else
        fail=$((fail + 1))
        echo "FAIL: $(head -n 1 "$q")"
        printf '%s\n' "$out"
    fi
done

# every database this test built: SQLite's and FTS5's integrity checks
for d in "$tmp"/*.db; do
    [ -f "$d" ] || continue
    if sh "$(dirname "$0")/db_check.sh" "$d"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done
[ "$pass" -gt 0 ] || fail=$((fail + 1))
echo "$pass passed, $fail failed"
test "$fail" -eq 0
