#!/bin/sh
# Load test of `baogao serve` on loopback (not a CTest test): 50 concurrent
# clients searching for 30 s with wrk (Debian package wrk), each request one
# of a few queries (Simplified, Traditional, two-part, rare). Prints wrk's
# figures, then the median and 99th-percentile latency and the error count.
# usage: tests/bench/serve.sh BAOGAO [DB] [SECONDS] [CLIENTS]
#   DB defaults to a database of corpus/ built in a temporary directory.
set -eu
BAOGAO=$(realpath "$1")
DB=${2:-}
SECS=${3:-30}
CLIENTS=${4:-50}
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null 2>&1 || { echo "serve.sh: wrk is not installed (apt-get install wrk); skipped"; exit 0; }
TMP=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
if [ -z "$DB" ]; then
    DB=$TMP/bench.db
    "$BAOGAO" --db "$DB" ingest corpus >/dev/null 2>&1
fi
"$BAOGAO" --db "$DB" serve --port 0 2>"$TMP/serve.err" &
SERVER=$!
PORT=
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.err")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$TMP/serve.err"; exit 1; }
cat >"$TMP/search.lua" <<'LUA'
-- each request searches one of these (URL-encoded UTF-8), in turn
local q = {"%E8%B4%AB%E5%9B%B0%E6%88%B7", "%E8%B2%A7%E5%9B%B0%E6%88%B6",
           "%E5%8F%91%E5%B1%95", "%E6%94%B9%E9%9D%A9%20%E5%88%9B%E6%96%B0",
           "%E7%BB%8F%E6%B5%8E%E7%BB%93%E6%9E%84"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?size=20&q=" .. q[i % #q + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("median %.2f ms, p99 %.2f ms, max %.2f ms, %.0f requests/s\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
LUA
echo "serve.sh: $CLIENTS clients for ${SECS}s on http://127.0.0.1:$PORT/api/search ($(nproc) cores, $DB)"
wrk -t2 -c"$CLIENTS" -d"${SECS}s" --latency -s "$TMP/search.lua" "http://127.0.0.1:$PORT"
kill -TERM $SERVER
wait $SERVER || true
SERVER=
