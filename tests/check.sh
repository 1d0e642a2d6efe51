# check.sh - the shell tests' shared harness (sourced: . tests/check.sh).
#   ok DESCRIPTION, no DESCRIPTION      count a check passed or failed
#   check DESCRIPTION COMMAND [ARG]...  runs COMMAND; counts it passed when
#                                       it succeeds, else prints its output
#   check_status STATUS DESCRIPTION     counts it passed when STATUS is 0,
#                                       else prints $tmp/err (indented)
#                                       when that is not empty
#   check_same DESCRIPTION GOT WANT     counts it passed when GOT is WANT,
#                                       else prints both
#   check_dbs DIR                       one check per *.db in DIR: SQLite's
#                                       and FTS5's integrity checks
#                                       (tests/db_check.sh)
#   check_done                          prints "N passed, N failed" (the
#                                       line CTest logs) and sets the
#                                       status: 0 only when none failed
# Needs $tmp, a scratch directory the test made. Standard input of COMMAND
# is the test's own (a here-document after check reaches it).
pass=0
fail=0
# this file's directory, absolute: a test may cd elsewhere after sourcing it
check_dir=$(cd "$(dirname "$0")" && pwd)
ok() {
    pass=$((pass + 1))
    echo "ok: $1"
}
no() {
    fail=$((fail + 1))
    echo "FAIL: $1"
}
check() {
    d=$1
    shift
    if "$@" >"$tmp/check.out" 2>&1; then
        ok "$d"
    else
        no "$d"
        cat "$tmp/check.out"
    fi
}
check_status() {
    if [ "$1" -eq 0 ]; then
        ok "$2"
    else
        no "$2"
        if [ -s "$tmp/err" ]; then
            sed 's/^/    /' "$tmp/err"
        fi
    fi
}
check_same() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        no "$1"
        printf '  got  [%s]\n  want [%s]\n' "$2" "$3"
    fi
}
check_dbs() {
    for check_db in "$1"/*.db; do
        [ -f "$check_db" ] || continue
        check "database $(basename "$check_db") is sound (integrity, FTS5)" \
            sh "$check_dir/db_check.sh" "$check_db"
    done
}
check_done() {
    echo "$pass passed, $fail failed"
    test "$fail" -eq 0
}
