#!/usr/bin/env python3
"""The HTTP side of `baogao serve` and the shared table writers (CTest
`serve_api`): the JSON API against the baogao command line on the same
database, the bounds and refusals a server facing untrusted requests must
have, the CSV (BOM) and xlsx downloads read back with openpyxl (the anchor
for xlsx) against `--format csv`, `--format xlsx` of the CLI, the bind
address and its warning, and a clean exit on SIGTERM and SIGINT.

usage: api_test.py BAOGAO SOURCE_DIR        ends with "N passed, N failed"
"""
import atexit
import csv
import http.client
import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import openpyxl

BAOGAO, SRC = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail else ""))


def cli(*args, binary=False):
    out = subprocess.run([BAOGAO, "--db", DB] + list(args), cwd=SRC,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True).stdout
    return out if binary else out.decode()


def start(*extra):
    """Starts a server on a free port; returns (process, port). A server
    still running when the script ends (a check raised) is killed."""
    p = subprocess.Popen([BAOGAO, "--db", DB, "serve", "--port", "0"] +
                         list(extra), cwd=SRC, stderr=subprocess.PIPE,
                         stdout=subprocess.DEVNULL)
    atexit.register(lambda: p.poll() is None and p.kill())
    line = b""
    while True:
        chunk = p.stderr.readline()
        if not chunk:
            break
        line += chunk
        m = re.search(rb"http://\[?[0-9a-f.:]+\]?:(\d+)/", chunk)
        if m:
            return p, int(m.group(1)), line.decode()
    raise SystemExit("serve did not start: " + line.decode())


def stop(p, sig=signal.SIGTERM):
    p.send_signal(sig)
    rest = p.stderr.read().decode()
    return p.wait(timeout=30), rest


def request(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


def api(name, **params):
    status, headers, data = request(
        "GET", "/api/" + name + "?" + urllib.parse.urlencode(params))
    return status, headers, data


def api_json(name, **params):
    status, _, data = api(name, **params)
    return status, json.loads(data)


tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "web.db")
subprocess.run([BAOGAO, "--db", DB, "ingest", "corpus",
                "tests/data/web/xss.txt"], cwd=SRC, check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

server, PORT, banner = start()
check("binds 127.0.0.1 by default", "http://127.0.0.1:" in banner and
      "warning" not in banner, banner)

# --- the API against the command line -------------------------------------
s1, a = api_json("search", q="贫困户", size=50)
s2, b = api_json("search", q="貧困戶", size=50)
want = json.loads(cli("--format", "json", "search", "贫困户", "--limit", "0"))
check("search: Simplified and Traditional give the same hits",
      s1 == s2 == 200 and [(r["doc"], r["start"]) for r in a["rows"]] ==
      [(r["doc"], r["start"]) for r in b["rows"]])
check("search: the hits of baogao search, with their text",
      [(r["doc"], r["start"], r["end"], r["text"]) for r in a["rows"]] ==
      [(r["doc"], r["start"], r["end"], r["text"]) for r in want] and
      a["total"] == len(want), (a["total"], len(want)))
_, f = api_json("search", q="贫困", kind="problem")
want = json.loads(cli("--format", "json", "search", "贫困", "--limit", "0",
                      "--where", "kind=problem"))
check("search: kind facet = --where kind=problem", f["total"] == len(want),
      (f["total"], len(want)))
_, p1 = api_json("search", q="发展", size=5, page=0)
_, p2 = api_json("search", q="发展", size=5, page=1)
_, p12 = api_json("search", q="发展", size=10, page=0)
check("search: pages follow each other",
      p1["rows"] + p2["rows"] == p12["rows"] and len(p12["rows"]) == 10)
years = dict(a["facets"]["year"])
check("search: facet counts add up to the hits",
      sum(n for _, n in a["facets"]["format"]) == a["total"], a["facets"])
# every hit is counted (facets once counted the best 500 alone): 发展 has
# more hits than that in corpus/
every = json.loads(cli("--format", "json", "search", "发展", "--limit", "0"))
year_of = {d["doc"]: d["year"] for d in
           json.loads(cli("--format", "json", "docs"))}
by_year = {}
for h in every:
    if year_of[h["doc"]] is not None:
        y = str(year_of[h["doc"]])
        by_year[y] = by_year.get(y, 0) + 1
check("search: total and year facet count every hit (%d)" % len(every),
      len(every) > 500 and p1["total"] == len(every) and not p1["capped"]
      and dict(p1["facets"]["year"]) == by_year,
      (p1["total"], len(every), p1["facets"]["year"], by_year))
# the document page's problem list (kind names the items; with doc, not a
# --where): the rows of `problems --doc N --explain` (file paths absolute
# in the workspace, relative to the directory on the command line)
docs_all = json.loads(cli("--format", "json", "docs"))
pdoc = max(docs_all, key=lambda d: len(json.loads(cli(
    "--format", "json", "problems", "--doc", str(d["doc"])))))["doc"]
st, _, data = api("items", kind="problem", doc=pdoc, explain=1,
                  download="csv")
want = json.loads(cli("--format", "json", "problems", "--doc", str(pdoc),
                      "--explain"))
got = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
check("items: a document's problem list downloads as problems --doc "
      "--explain (%d rows)" % len(want), st == 200 and len(want) > 0 and
      [(r["start"], r["clause"], r["explain"]) for r in got] ==
      [(str(w["start"]), w["clause"], w["explain"]) for w in want],
      (st, data[:200]))
st, j = api_json("items", kind="commitment", doc=pdoc, size=500)
want = json.loads(cli("--format", "json", "commitments", "--doc", str(pdoc)))
check("items: kind with doc lists that document's items", st == 200 and
      [r["start"] for r in j["rows"]] == [w["start"] for w in want][:500] and
      want, (st, j.get("error"), len(want)))
# genre (the extraction rules' genre of a document, `docs`' genre column)
docs_all = json.loads(cli("--format", "json", "docs"))
genre_of = {d["doc"]: d["genre"] for d in docs_all}
by_genre, docs_genre = {}, {}
for h in every:
    g = genre_of[h["doc"]]
    if g:
        by_genre[g] = by_genre.get(g, 0) + 1
for d in docs_all:
    if d["genre"]:
        docs_genre[d["genre"]] = docs_genre.get(d["genre"], 0) + 1
check("search: the genre facet counts every hit by its document's genre",
      len(by_genre) >= 2 and dict(p1["facets"]["genre"]) == by_genre,
      (p1["facets"]["genre"], by_genre))
_, info = api_json("info")
check("info: the genres of the documents, with their counts",
      dict(info["genres"]) == docs_genre, (info["genres"], docs_genre))
g = max(by_genre, key=by_genre.get)
_, f = api_json("search", q="发展", genre=g, size=500)
want = json.loads(cli("--format", "json", "search", "发展", "--limit", "0",
                      "--where", "genre=" + g))
check("search: genre=%s = --where genre=%s (%d hits)" % (g, g, len(want)),
      f["total"] == len(want) == by_genre[g] and
      all(r["genre"] == g for r in f["rows"]), (f["total"], len(want)))
_, fr = api_json("freq", genre=g, top=10)
want = json.loads(cli("--format", "json", "freq", "--drop-stopwords",
                      "--top", "10", "--where", "genre=" + g))
check("freq: genre=%s = freq --where genre=%s" % (g, g),
      [(r["term"], r["freq"]) for r in fr["rows"]] ==
      [(r["term"], r["freq"]) for r in want], (fr["rows"][:3], want[:3]))
_, py = api_json("search", q="发展", year="1998", size=5, page=3)
check("search: a facet chosen gives its count of hits, paged",
      py["total"] == by_year["1998"] and py["first"] == 15 and
      [(r["doc"], r["start"]) for r in py["rows"]] ==
      [(h["doc"], h["start"]) for h in every
       if year_of[h["doc"]] == 1998][15:20], py["total"])
# a 【 or 】 written in a document is text; the search's own 【】 marks are
# given apart as snippet_parts
_, br = api_json("search", q="台账")
row = [r for r in br["rows"] if r["text"].startswith("【台账】")]
parts = row[0].get("snippet_parts") or [] if row else []
plain = "".join(t for t, _ in parts)
check("search: brackets of the text are not read as marks",
      parts and [t for t, m in parts if m] and
      all(t == "台账" for t, m in parts if m) and
      len([t for t, m in parts if m]) == 2 and
      plain.strip("…") in row[0]["text"] and plain.startswith("【台账】"),
      parts)

all_docs = json.loads(cli("--format", "json", "docs"))
_, dp = api_json("docs", page=1, size=5)
_, da = api_json("docs")
check("docs: paged as asked, all of them without page or size",
      [d["doc"] for d in dp["rows"]] == [d["doc"] for d in all_docs][5:10]
      and dp["total"] == len(all_docs) and
      [d["doc"] for d in da["rows"]] == [d["doc"] for d in all_docs],
      (dp["total"], len(all_docs)))
seed = [d for d in json.loads(cli("--format", "json", "docs"))
        if d["file"].endswith("seed-compilation.txt") and not d["dup_of"]][0]
_, d = api_json("doc", id=seed["doc"])
shown = json.loads(cli("--format", "json", "show", str(seed["doc"])))
check("doc: the sentences of baogao show",
      [(s["start"], s["text"]) for s in d["sentences"]] ==
      [(s["start"], s["text"]) for s in shown])
probs = json.loads(cli("--format", "json", "problems", "--doc",
                       str(seed["doc"]), "--explain"))
check("doc: its problems with --explain",
      [(p["start"], p["clause"], p["explain"]) for p in d["items"]["problem"]]
      == [(p["start"], p["clause"], p["explain"]) for p in probs])

_, rec = api_json("recurring", threshold=0.5, top=30)
want = json.loads(cli("--format", "json", "problems", "--recurring",
                      "--threshold", "0.5", "--top", "30"))
strip = lambda rows: [{k: v for k, v in r.items() if k != "file"}
                      for r in rows]  # the CLI shows paths relative
check("recurring: the groups of problems --recurring",
      strip(rec["rows"]) == strip(want) and len(want) > 0, len(want))

cat = next(c for c, n in json.loads(api("info")[2])["categories"])
_, rc_ = api_json("recurring", threshold=0.5, top=30, category=cat)
cats_of = {(p["doc"], p["clause_start"]): p["category"] for p in
           json.loads(cli("--format", "json", "problems"))}
kept = {r["group"] for r in rc_["rows"]}
want = {r["group"] for r in rec["rows"]
        if cats_of.get((r["doc"], r["start"])) == cat}
check("recurring: category keeps the groups with an instance of it",
      kept == want and 0 < len(kept) <= len(set(r["group"] for r in
                                                rec["rows"])), (kept, want))
for by in ("year", "org"):
    _, rb = api_json("recurring", threshold=0.5, top=30, by=by)
    want = json.loads(cli("--format", "json", "problems", "--recurring",
                          "--threshold", "0.5", "--top", "30", "--by", by))
    check("recurring: by=%s is problems --recurring --by %s" % (by, by),
          rb["rows"] == want and len(want) > 0, (rb["rows"][:2], want[:2]))
    _, rbc = api_json("recurring", threshold=0.5, top=30, by=by,
                      category=cat)
    check("recurring: by=%s keeps the category's groups" % by,
          {r["group"] for r in rbc["rows"]} == kept, rbc["rows"][:2])
st, e = api_json("recurring", by="file")
check("recurring: by is org or year", st == 400 and "by" in e["error"], e)
_, cb = api_json("commitments_by")
items = json.loads(cli("--format", "json", "commitments"))
check("commitments_by: counts add up to the commitments",
      sum(r["commitments"] for r in cb["rows"]) == len(items))
pairs = {}
for it in items:
    pairs[(it["actor"], it["horizon"])] = pairs.get(
        (it["actor"], it["horizon"]), 0) + 1
check("commitments_by: each actor and horizon counted as in the list",
      {(r["actor"], r["horizon"]): r["commitments"] for r in cb["rows"]} ==
      pairs)
_, cats = api_json("categories")
probs = json.loads(cli("--format", "json", "problems"))
check("categories: counts add up to the problems",
      sum(r["problems"] for r in cats["rows"]) == len(probs))

# --- downloads: the shared CSV (BOM) and xlsx writers --------------------
st, h, csvb = api("freq", top=30, download="csv")
want = cli("--format", "csv", "freq", "--top", "30", "--drop-stopwords",
           binary=True)
check("download csv: BOM, then the bytes of --format csv",
      st == 200 and csvb == b"\xef\xbb\xbf" + want and
      "attachment" in h.get("Content-Disposition", ""))
check("--format csv-bom writes the same file",
      cli("--format", "csv-bom", "freq", "--top", "30", "--drop-stopwords",
          binary=True) == csvb)
st, h, xb = api("freq", top=30, download="xlsx")
wb = openpyxl.load_workbook(io.BytesIO(xb))
rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
import csv as csvmod
ref = list(csvmod.reader(io.StringIO(want.decode())))
check("download xlsx: openpyxl reads the rows of --format csv",
      st == 200 and len(rows) == len(ref) == 31 and
      all(str(x[1]) == y[1] and int(x[2]) == int(y[2]) and
          abs(float(x[3]) - float(y[3])) < 1e-9 * float(y[3])
          for x, y in zip(rows[1:], ref[1:])) and rows[0] == ref[0])
cxb = cli("--format", "xlsx", "freq", "--top", "30", "--drop-stopwords",
          binary=True)
crow = [list(r) for r in openpyxl.load_workbook(
    io.BytesIO(cxb)).active.iter_rows(values_only=True)]
check("--format xlsx: the same workbook rows as the download", crow == rows)
big = json.loads(cli("--format", "json", "problems", "--explain"))
cpx = [list(r) for r in openpyxl.load_workbook(io.BytesIO(
    cli("--format", "xlsx", "problems", "--explain", binary=True)))
    .active.iter_rows(values_only=True)]
check("--format xlsx: text, numbers and empty cells of problems --explain",
      len(cpx) == len(big) + 1 and all(
          r[cpx[0].index("clause")] == b["clause"] and
          r[cpx[0].index("start")] == b["start"] and
          r[cpx[0].index("org")] == b["org"] for r, b in zip(cpx[1:], big)))
st, h, g = api("cooc", top=20, download="graphml")
check("download graphml", st == 200 and g.startswith(b"<?xml") and
      b"<graphml" in g)

# --- markup in documents comes back as text, not markup ------------------
_, x = api_json("search", q="整改")
xs = [r for r in x["rows"] if r["file"].endswith("xss.txt")]
check("xss: the title comes back verbatim in JSON",
      xs and xs[0]["title"] == "关于<script>window.__xss=1</script>整改工作的报告")
st, h, body = api("search", q="整改")
check("API answers are JSON with nosniff and a CSP",
      h.get("Content-Type") == "application/json" and
      h.get("X-Content-Type-Options") == "nosniff" and
      "script-src 'self'" in h.get("Content-Security-Policy", ""))

# --- bounds and refusals --------------------------------------------------
st, _, _ = request("GET", "/assets/../../etc/passwd")
check("a path with .. is not a file", st == 404, st)
st, _, _ = request("GET", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd")
check("an encoded path with .. is not a file", st == 404, st)
st, _, _ = request("GET", "/etc/passwd")
check("an unknown path is 404", st == 404, st)
st, _, data = request("GET", "/assets/echarts.min.js")
check("the vendored ECharts is served from the binary",
      st == 200 and len(data) == os.path.getsize(os.path.join(
          SRC, "pipeline/web/vendor/echarts.min.js")))
st, h, _ = request("POST", "/api/search?q=a", body=b"x=1")
check("POST is refused", st in (405, 413), st)
st, _, data = request("GET", "/api/search?q=" + "a" * 2000)
check("an argument over 1024 bytes is refused, in JSON with an id",
      st == 400 and json.loads(data).get("id") == "request.arg", (st, data))
st, _, _ = request("GET", "/api/search?q=a&x=" + "b" * 5000)
check("a URL over 4096 bytes is refused", st in (400, 414), st)
st, _, _ = request("GET", "/api/search?q=%ff%fe")
check("an argument not UTF-8 is refused", st == 400, st)
st, e = api_json("search", where="file=/etc/passwd", q="a")
check("file=PATH is refused (no path resolved)", st == 400 and
      "file~" in e["error"], e)
st, e = api_json("search", q="发展", where="year=1) OR (1=1")
check("a facet value is a value, not SQL",
      st == 400 or (st == 200 and e["total"] == 0), (st, e))
st, e = api_json("freq", top=100000)
check("top is bounded", st == 400 and "500" in e["error"], e)
st, e = api_json("nothing")
check("an unknown endpoint is 404", st == 404, st)
st, e = api_json("doc", id=999999)
check("an unknown document is 404", st == 404, e)
st, e = api_json("search")
check("search without q is 400 with a message", st == 400 and "q" in
      e["error"], e)
# errors say what they are (id) and their values (args) apart from the
# English message, for the page to say them in its language (util.h
# bg_err_id); the values as the message gives them
st, e = api_json("search", q='贫困 OR "脱贫')
check("a query error has its id and values", st == 400 and
      e.get("id") == "query.quote-open" and e.get("args") == ["10"] and
      "byte 10" in e["error"], e)
st, e = api_json("search", q="发展", where="colour=red")
check("a facet error has its id and values", st == 400 and
      e.get("id") == "facet.unknown" and e["args"][0] == "colour", e)
# a filter no document matches: an error saying so, not empty charts (the
# years of the documents from the CLI's docs table)
years = {r["year"] for r in json.loads(cli("--format", "json", "docs"))
         if r["year"]}
none = max(years) + 1
st, e = api_json("freq", where=f"year={none}")
check("a filter matching no document is an error naming it", st == 404 and
      e.get("id") == "facet.none" and e["args"] == [f"year={none}"], e)
st, e = api_json("freq", where=f"year={max(years)}", top="1")
check("... a filter matching documents is not", st == 200 and e["rows"], e)
st, e = api_json("freq", top="x")
check("an argument error has its id and values", st == 400 and
      e.get("id") == "arg.number" and e["args"] == ["top", "500", "x"], e)
st, e = api_json("nothing")
check("an unknown endpoint has an id without values",
      e.get("id") == "api.endpoint" and e.get("args") == [], e)
# an argument the endpoint does not take is refused, named, not ignored
# (a misspelt facet would answer for every document)
st, e = api_json("search", q="发展", yaer="2019")
check("an argument an endpoint does not take is 400, named", st == 400 and
      e.get("id") == "arg.unknown" and e["args"][:2] == ["yaer", "search"]
      and "yaer" in e["error"], e)
st, e = api_json("trend", words="发展", page="2")
check("... page on trend (which has no pages) too", st == 400 and
      e.get("id") == "arg.unknown" and e["args"][:2] == ["page", "trend"], e)
st, e = api_json("info", q="x")
check("... any argument of info", st == 400 and
      e.get("id") == "arg.unknown", e)
# every argument api.c's banner lists for an endpoint is taken (values
# that answer 200 on this corpus; year: its first year)
year = str(min(years))
taken = {
    "docs": dict(page="0", size="5", download="csv"),
    "search": dict(q="发展", where="", year=year, org="x", genre="x",
                   kind="problem", format="txt", category="x", page="0",
                   size="5"),
    "doc": dict(id="1"),
    "items": dict(kind="problem", doc="1", where="", category="x",
                  explain="1", page="0", size="5", year=year),
    "recurring": dict(where="", threshold="0.5", min_docs="2", top="5",
                      category="x", by="year", year=year),
    "commitments_by": dict(where="", year=year),
    "categories": dict(where="", year=year),
    "freq": dict(where="", top="5", stopwords="1", boilerplate="0",
                 min_freq="1", year=year),
    "trend": dict(words="发展", where="", by="year", year=year),
    "keyness": dict(target="year=" + year, reference="", top="5"),
    "collocates": dict(word="发展", where="", window="3,3", top="5",
                       year=year),
    "cooc": dict(where="", top="5", min_freq="2", year=year),
}
refused = []
for name, params in taken.items():
    st, _, data = api(name, **params)
    if st == 400 and b"arg.unknown" in data:
        refused.append((name, data.decode()))
check("every argument the API's banner lists is taken", not refused,
      refused)

# --- concurrent requests on the fixed pool -------------------------------
results = []


def worker(q):
    for _ in range(5):
        results.append(api_json("search", q=q)[0])


threads = [threading.Thread(target=worker, args=(w,))
           for w in ["发展", "改革", "贫困户", "問題"] * 5]
for t in threads:
    t.start()
for t in threads:
    t.join()
check("100 requests from 20 threads all answered", len(results) == 100 and
      all(s == 200 for s in results), set(results))

rc, rest = stop(server)
check("SIGTERM: exits 0 after 'stopping'", rc == 0 and "stopping" in rest,
      (rc, rest))

server, PORT, banner = start("--host", "0.0.0.0")
check("--host 0.0.0.0 warns", "warning" in banner and "0.0.0.0" in banner,
      banner)
rc, rest = stop(server, signal.SIGINT)
check("SIGINT: exits 0", rc == 0, (rc, rest))
p = subprocess.run([BAOGAO, "--db", DB, "serve", "--host", "example.org"],
                   cwd=SRC, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
check("--host with a name is refused", p.returncode == 2 and
      b"address" in p.stderr, p.stderr)
p = subprocess.run([BAOGAO, "--db", os.path.join(tmp, "none.db"), "serve"],
                   cwd=SRC, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
check("a missing database is an error, not a server", p.returncode != 0,
      p.stderr)
before = os.path.getmtime(DB)

# --- report --------------------------------------------------------------
out = os.path.join(tmp, "r.html")
p = subprocess.run([BAOGAO, "--db", DB, "report", "--where", "year>=1990",
                    "--out", out], cwd=SRC, stderr=subprocess.PIPE)
html = open(out, encoding="utf-8").read() if p.returncode == 0 else ""
check("report: written", p.returncode == 0, p.stderr)
# script bodies never hold "</script" (report.c writes it <\/script), so
# each block ends at the first one
tags = re.findall(r"(<script[^>]*>).*?</script>", html, re.S)
outside = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
check("report: no external script, style, image or frame",
      len(tags) == 5 and not any("src" in t for t in tags) and
      not re.search(r"<(link|img|iframe|object)\b", outside), tags)
check("report: a CSP that forbids every request",
      "default-src 'none'" in html)
data = json.loads(re.search(r'id="report-data">(.*?)</script>', html,
                            re.S).group(1))
check("report: the where applies (no 1987 in the trend)",
      data["where"] == "year>=1990" and
      all(str(r["year"]) != "1987" for r in data["trend"]["rows"]))
check("report: keyness of the latest year",
      data["keyness"]["latest"] == 2025 and data["keyness"]["rows"])
check("report: document markup stays inside JSON strings",
      "<script>window.__xss" not in html.split('id="report-data">')[1]
      .split("</script>")[0])
check("the database was not written", os.path.getmtime(DB) == before)

# --- --lang en, and xlsx never onto a terminal ----------------------------
server, PORT, banner = start("--lang", "en")
_, inf = api_json("info")
check("--lang en: the page is told English", inf["lang"] == "en", inf["lang"])
rc, rest = stop(server)
check("--lang en: exits 0 on SIGTERM", rc == 0, rest)
p = subprocess.run([BAOGAO, "--db", DB, "report", "--lang", "en", "--out",
                    os.path.join(tmp, "en.html")], cwd=SRC,
                   stderr=subprocess.PIPE)
check("report --lang en", p.returncode == 0 and '<html lang="en">' in
      open(os.path.join(tmp, "en.html"), encoding="utf-8").read(), p.stderr)
p = subprocess.run([BAOGAO, "--db", DB, "freq", "--lang", "en"], cwd=SRC,
                   stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
check("--lang on another command is a usage error", p.returncode == 2 and
      b"serve and report" in p.stderr, p.stderr)


def run_tty(args):
    """Runs baogao with its standard output on a pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(SRC)
        os.execv(BAOGAO, [BAOGAO, "--db", DB] + args)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, st = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(st), out


rc, out = run_tty(["--format", "xlsx", "freq"])
check("--format xlsx onto a terminal is refused", rc == 2 and
      b"redirect" in out and b"PK" not in out, (rc, out[:200]))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
