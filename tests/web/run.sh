#!/bin/sh
# The web workspace and the report in a real browser (CTest `web`):
# builds a database from corpus/ and tests/data/web/xss.txt, starts
# `baogao serve` on a free loopback port, drives Debian's Chromium with
# playwright-core (web_test.mjs; no browser is downloaded), then stops the
# server with SIGTERM and checks it exits cleanly. Screenshots go to
# OUT/web-artifacts/ (the build directory; never committed).
# Skips (exit 77) only when Chromium or Node.js is not installed, and not
# even then when BG_REQUIRE_WEB=1 (.ci/run sets it: CI must run this test).
# usage: run.sh BAOGAO SOURCE_DIR OUT_DIR
set -u
BAOGAO=$1
SRC=$2
OUT=$3
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SKIP=77
[ "${BG_REQUIRE_WEB:-0}" = 1 ] && SKIP=1
if [ ! -x "$CHROMIUM" ]; then
    echo "web: skipped: Chromium is not installed ($CHROMIUM); apt-get install chromium (.ci/run does)"
    exit $SKIP
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "web: skipped: Node.js and npm are not installed; apt-get install nodejs npm (.ci/run does)"
    exit $SKIP
fi
if [ ! -f "$SRC/tests/web/node_modules/playwright-core/package.json" ]; then
    echo "web: installing playwright-core (npm ci in tests/web; no browser download)"
    (cd "$SRC/tests/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) || {
        echo "web: npm ci failed in tests/web"; exit 1; }
fi
ART="$OUT/web-artifacts"
TMP=$(mktemp -d)
SERVER=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$ART"
DB="$TMP/web.db"
cd "$SRC" || exit 1
"$BAOGAO" --db "$DB" ingest corpus tests/data/web/xss.txt >/dev/null 2>&1
[ -s "$DB" ] || { echo "web: ingest made no database"; exit 1; }
"$BAOGAO" --db "$DB" report --out "$ART/report.html" 2>"$TMP/report.err" || {
    cat "$TMP/report.err"; echo "web: baogao report failed"; exit 1; }
"$BAOGAO" --db "$DB" serve --port 0 2>"$TMP/serve.err" &
SERVER=$!
PORT=
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.err")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$TMP/serve.err"; echo "web: the server did not start"; exit 1; }
BAOGAO_URL="http://127.0.0.1:$PORT" BAOGAO="$BAOGAO" BAOGAO_DB="$DB" \
    ARTIFACTS="$ART" CHROMIUM="$CHROMIUM" node "$SRC/tests/web/web_test.mjs"
status=$?
kill -TERM "$SERVER"
wait "$SERVER"
rc=$?
SERVER=
if [ "$rc" != 0 ] || ! grep -q "stopping" "$TMP/serve.err"; then
    cat "$TMP/serve.err"
    echo "web: the server did not stop cleanly on SIGTERM (exit $rc)"
    status=1
fi
echo "web: screenshots in $ART"
exit $status
