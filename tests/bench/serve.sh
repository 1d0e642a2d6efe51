#!/bin/sh
# Load test of `baogao serve` on loopback (not a CTest test): 50 concurrent
# clients searching for 30 s with wrk (Debian package wrk). Requests go
# round 106 queries, so that no one query's pages stay in caches: the
# database's 100 most frequent words (baogao freq) and six fixed ones
# (贫困户, 貧困戶, 改革 创新, 經濟結構, 脱贫攻坚, and one found nowhere).
# Prints wrk's figures, then the median and 99th-percentile latency and
# the errors (a request unanswered after 10 s counts as a timeout).
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
{ "$BAOGAO" --db "$DB" --format csv freq --top 100 --drop-stopwords |
      sed 1d | cut -d, -f2
  printf '%s\n' 贫困户 貧困戶 '改革 创新' 經濟結構 脱贫攻坚 鑫鑫鑫鑫; } |
    python3 -c 'import sys, urllib.parse
for w in sys.stdin.read().split("\n"):
    if w: print("/api/search?size=20&q=" + urllib.parse.quote(w))' >"$TMP/paths"
NQ=$(wc -l <"$TMP/paths")
cat >"$TMP/search.lua" <<LUA
-- each request searches the next of the queries in $TMP/paths
local paths = {}
for line in io.lines("$TMP/paths") do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
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
echo "serve.sh: $CLIENTS clients for ${SECS}s, $NQ queries, http://127.0.0.1:$PORT/api/search ($(nproc) cores, $DB)"
wrk -t2 -c"$CLIENTS" -d"${SECS}s" --timeout 10s --latency -s "$TMP/search.lua" "http://127.0.0.1:$PORT"
kill -TERM $SERVER
wait $SERVER || true
SERVER=
