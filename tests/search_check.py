#!/usr/bin/env python3
"""Every-occurrence search and kwic, and the query syntax, checked through the
command line against Python on the database itself (tests/search_test.sh).

The right answers come from Python, not from baogao's C code:
  - occurrences as text: str.count over each sentence's stored analysis form
    (its text with its edits: bg_norm of tests/bgterms.py), which is what
    "every occurrence" means;
  - whole-word occurrences: the query's fine terms (from `baogao segment`) as
    a run of the stored fine terms (sentence.terms split at spaces and TABs);
  - NEAR: the stored terms laid over the analysis form, words between counted;
  - the query syntax: each sentence evaluated by a Python reading of the
    grammar in query.h.
Prints ok/FAIL lines and "N passed, N failed"; exit status 1 on a failure.
    usage: search_check.py BAOGAO DB
"""
import json
import random
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import bgterms  # noqa: E402  (sentence.terms' text, schema 9)

BG, DB = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(desc, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok:", desc)
    else:
        failed += 1
        print("FAIL:", desc, detail)


def run(*args, fmt="json"):
    p = subprocess.run([BG, "--db", DB, "--format", fmt, *args],
                       capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def rows(*args):
    rc, out, err = run(*args)
    if rc != 0:
        raise SystemExit(f"{args}: exit {rc}: {err}")
    return json.loads(out)


con = bgterms.register(sqlite3.connect(DB))
# a sentence's analysis form: its text with its edits (bg_norm, schema 11)
SENT = list(con.execute(
    "SELECT id, doc_id, seq, start, bg_norm(text, norm_edit), bg_terms(terms) "
    "FROM sentence ORDER BY doc_id, seq"))


def fine_terms(terms):
    return [t for t in re.split(r"[ \t]", terms) if t]


def query_terms(q):
    """The query's fine terms as `baogao segment` cuts it (punctuation out)."""
    p = subprocess.run([BG, "segment", "--granularity", "fine"], input=q.encode(),
                       capture_output=True)
    toks = p.stdout.decode().strip().split("  ")
    return [t for t in toks if re.search(r"\w", t)]


def word_runs(terms, qt):
    n = len(qt)
    return sum(1 for i in range(len(terms) - n + 1) if terms[i:i + n] == qt)


def spans(norm, terms):
    """Each stored term's [start, end) in the analysis form (characters)."""
    out, at = [], 0
    for t in terms:
        i = norm.find(t.replace("\u00a0", " "), at)
        if i < 0:
            return None
        out.append((i, i + len(t)))
        at = i + len(t)
    return out


# ---- every occurrence, as text and as whole words --------------------------
NOTE = re.compile(r"(\d+) occurrences in (\d+) sentences \((\d+) rows? shown\); "
                  r"as whole words: (\d+) in (\d+) sentences \(--word\)")
# the line when the page was found without reading every document: the
# whole-word figures only, the others said to be not counted
SHORT = re.compile(r"(\d+) rows? shown; as whole words: (\d+) occurrences in "
                   r"(\d+) sentences \(--word\); occurrences as text, inside "
                   r"longer words too, not counted \(--count\)")
short_seen = set()
for q in ["改革", "改革开放", "小微企业", "中小微企业", "脱贫攻坚", "脱贫攻坚战",
          "扶贫", "创新", "就业", "发展", "国", "革开", "业发展",
          "贫困户"]:
    occ = sum(s[4].count(q) for s in SENT)
    sents = [s for s in SENT if q in s[4]]
    qt = query_terms(q)
    wocc = sum(word_runs(fine_terms(s[5]), qt) for s in SENT)
    wsent = sum(1 for s in SENT if word_runs(fine_terms(s[5]), qt))
    k = rows("kwic", q, "--limit", "0")
    check(f"kwic {q}: {occ} lines, one per str.count occurrence", len(k) == occ,
          f"got {len(k)}")
    per = {}
    for r in k:
        per[(r["doc"], r["sentence"])] = per.get((r["doc"], r["sentence"]), 0) + 1
    want = {(s[1], s[2]): s[4].count(q) for s in sents}
    check(f"kwic {q}: the lines of each sentence as counted", per == want)
    check(f"kwic {q}: {wocc} lines are whole words (the stored terms)",
          sum(r["word"] for r in k) == wocc,
          f"got {sum(r['word'] for r in k)}")
    kw = rows("kwic", q, "--word", "--limit", "0")
    check(f"kwic --word {q}: the {wocc} whole-word occurrences", len(kw) == wocc,
          f"got {len(kw)}")
    s = rows("search", q, "--limit", "0")
    got = {(r["doc"], r["start"]) for r in s}
    check(f"search {q}: the {len(sents)} sentences str.count finds",
          got == {(x[1], x[3]) for x in sents} and len(s) == len(sents),
          f"got {len(s)}")
    scored = [r for r in s if r["match"] == "word"]
    rest = [r for r in s if r["match"] == "text"]
    check(f"search {q}: whole-word hits first by BM25, then the rest",
          s == scored + rest and all(r["score"] is not None for r in scored)
          and all(r["score"] is None for r in rest)
          and [r["score"] for r in scored] == sorted(r["score"] for r in scored))
    check(f"search {q}: {wsent} hits match as whole words", len(scored) == wsent,
          f"got {len(scored)}")
    sw = rows("search", q, "--word", "--limit", "0")
    check(f"search --word {q}: the {wsent} whole-word sentences", len(sw) == wsent,
          f"got {len(sw)}")
    rc, out, err = run("search", q, "--limit", "3", "--count", fmt="table")
    m = NOTE.search(out)
    check(f"search {q} --count: the line under the table counts them",
          m and [int(x) for x in m.groups()] ==
          [occ, len(sents), min(3, len(sents)), wocc, wsent], out[-200:])
    # a page without --count: the same rows as the first of every hit, and
    # under them the exact figures that were counted
    for cmd, every in (("search", s), ("kwic", k)):
        rc, out, err = run(cmd, q, "--limit", "3", fmt="table")
        m, ms = NOTE.search(out), SHORT.search(out)
        if ms:
            short_seen.add(cmd)
        check(f"{cmd} {q} --limit 3: exact figures under the table",
              (m and [int(x) for x in m.groups()] ==
               [occ, len(sents), min(3, len(sents)), wocc, wsent]) or
              (ms and [int(x) for x in ms.groups()] ==
               [min(3, len(sents) if cmd == "search" else occ), wocc, wsent]),
              out[-300:])
        check(f"{cmd} {q} --limit 3: the first 3 rows of --limit 0",
              rows(cmd, q, "--limit", "3") == every[:3])

check("search and kwic found a common word's page without counting every "
      "occurrence", short_seen == {"search", "kwic"}, str(short_seen))

# the cases, stated on their own
k = rows("kwic", "改革", "--limit", "0")
inside = [r for r in k if r["right"].startswith("开放")]
check("kwic 改革 lists the 改革 of every 改革开放",
      len(inside) == sum(s[4].count("改革开放") for s in SENT) and inside)
for q, longer in (("小微企业", "中小微企业"), ("脱贫攻坚", "脱贫攻坚战")):
    got = {(r["doc"], r["start"]) for r in rows("search", q, "--limit", "0")}
    need = {(s[1], s[3]) for s in SENT if longer in s[4]}
    check(f"search {q} finds the {len(need)} sentences of {longer}",
          need and need <= got)

# snippets: every occurrence inside a snippet is marked
for q in ("改革", "发展"):
    ok = True
    for r in rows("search", q, "--limit", "0"):
        if "seed" in r["file"]:  # Traditional: marks hold 發展, 改革
            ok &= "【" in r["snippet"]
            continue
        plain = r["snippet"].replace("【", "").replace("】", "").strip("…")
        marks = re.findall(r"【(.*?)】", r["snippet"])
        ok &= plain in r["text"] and plain.count(q) == len(marks) \
            and all(m == q for m in marks)
    check(f"search {q}: every occurrence in a snippet is marked, no other", ok)

# a query of several words: each word is marked in every snippet (stretches
# around each word's first occurrence, joined by …), each stretch a piece of
# the sentence in order, every mark one of the words
for words in (("改革", "发展"), ("经济", "社会", "创新")):
    ok, n = True, 0
    for r in rows("search", *words, "--limit", "0"):
        if "seed" in r["file"]:
            continue
        n += 1
        marks = re.findall(r"【(.*?)】", r["snippet"])
        at = 0
        for piece in r["snippet"].replace("【", "").replace("】", "").split("…"):
            i = r["text"].find(piece, at)
            ok &= i >= 0
            at = i + len(piece) if i >= 0 else at
        ok &= set(marks) == set(words)
    check(f"search {' '.join(words)}: each word marked in each of the {n} "
          "snippets, pieces of the text in order", ok and n > 0)

# ---- the query syntax, evaluated in Python ----------------------------------


def has(s, w):
    return w in s[4]


def near(s, a, b, n):
    terms = fine_terms(s[5])
    sp = spans(s[4], terms)
    if sp is None:
        return None
    occ = lambda w: [(m.start(), m.start() + len(w))
                     for m in re.finditer(re.escape(w), s[4])]
    for x in occ(a):
        for y in occ(b):
            p, q = (x, y) if x[0] <= y[0] else (y, x)
            gap = 0 if p[1] > q[0] else sum(
                1 for t in sp if t[0] >= p[1] and t[1] <= q[0])
            if gap <= n:
                return True
    return False


cases = [
    ("改革 -开放", lambda s: has(s, "改革") and not has(s, "开放")),
    ("改革 NOT 开放", lambda s: has(s, "改革") and not has(s, "开放")),
    ("脱贫 OR 扶贫", lambda s: has(s, "脱贫") or has(s, "扶贫")),
    ("就业 创业 OR 创新", lambda s: has(s, "就业") and (has(s, "创业") or has(s, "创新"))),
    ("(就业 创业) OR 创新", lambda s: (has(s, "就业") and has(s, "创业")) or has(s, "创新")),
    ('"改革开放" 创新', lambda s: has(s, "改革开放") and has(s, "创新")),
    ("企业 -(小微 OR 国有)", lambda s: has(s, "企业") and not (has(s, "小微") or has(s, "国有"))),
    ("改革 NEAR/3 开放", lambda s: near(s, "改革", "开放", 3)),
    ("改革 NEAR/0 开放", lambda s: near(s, "改革", "开放", 0)),
    ("就业 NEAR 收入", lambda s: near(s, "就业", "收入", 10)),
]
for q, f in cases:
    want = {(s[1], s[3]) for s in SENT if f(s)}
    got = {(r["doc"], r["start"]) for r in rows("search", q, "--limit", "0")}
    check(f"search '{q}': the {len(want)} sentences Python's reading finds",
          got == want, f"got {len(got)}")
    # kwic: the occurrences of the words not under NOT, in those sentences
    pos = [w for w in re.findall(r'"([^"]*)"|([^\s()"]+)', q)]
    words = [a or b for a, b in pos if (a or b) not in ("OR", "NOT", "NEAR")
             and not (a or b).startswith("NEAR/")]
    neg = set(re.findall(r"-\(?([^\s()]+)", q)) | set(re.findall(r"NOT (\S+)", q))
    inner = re.findall(r"-\(([^)]*)\)", q)
    for grp in inner:
        neg |= set(w for w in grp.split() if w != "OR")
    keep = [w for w in words if w not in neg and not w.startswith("-")]
    wantocc = 0
    for s in SENT:
        if f(s):
            # leftmost non-overlapping per word, overlaps across words kept
            wantocc += sum(s[4].count(w) for w in keep)
    k = rows("kwic", q, "--limit", "0")
    check(f"kwic '{q}': {wantocc} lines", len(k) == wantocc, f"got {len(k)}")

# ---- numbers: a query number finds the other written forms of its value ----
# (2035年 and 二〇三五年 are the year 2035, worked by hand; the bare 2035 is
# that year too; a longer form wins where two overlap)
forms = ["二〇三五年", "2035年", "2035"]
def value_occ(s):
    n, at, norm = 0, 0, s[4]
    while at < len(norm):
        hits = [(norm.find(f, at), -len(f)) for f in forms if norm.find(f, at) >= 0]
        if not hits:
            break
        i, neg = min(hits)
        n, at = n + 1, i - neg
    return n
want = sum(value_occ(s) for s in SENT)
wsent = {(s[1], s[3]) for s in SENT if value_occ(s)}
for q in forms:
    k = rows("kwic", q, "--limit", "0")
    check(f"kwic {q}: the {want} occurrences of the year 2035, in any form",
          len(k) == want and {r["node"] for r in k} <= set(forms[:2]),
          [r["node"] for r in k])
    got = {(r["doc"], r["start"]) for r in rows("search", q, "--limit", "0")}
    check(f"search {q}: the {len(wsent)} sentences writing 2035 either way",
          got == wsent and len(wsent) >= 2, got)
k = rows("kwic", "二〇三五年", "--word", "--limit", "0")
check("kwic --word 二〇三五年: both forms are whole words", len(k) == want)
# 30% is 百分之三十 (worked by hand), not the 百分之三十 that begins 百分之三十五
NUM = "〇零一二两三四五六七八九十百千万亿点0123456789."
def pct30(s):
    n = s[4].count("30%")
    for m in re.finditer("百分之三十", s[4]):
        e = m.end()
        n += not (e < len(s[4]) and s[4][e] in NUM) and \
            not (m.start() and s[4][m.start() - 1] in NUM)
    return n
want = sum(pct30(s) for s in SENT)
k = rows("kwic", "30%", "--limit", "0")
check(f"kwic 30%: the {want} occurrences of 30% as 百分之三十, none inside "
      "百分之三十五", len(k) == want and want >= 1 and
      all(r["node"] in ("30%", "百分之三十") for r in k), [r["node"] for r in k])

# the year 2023 in its written forms, on four sentences worked by hand: a
# year alone (二〇二三年, full-width ２０２３年) and the year that begins a
# longer date (二〇二三年四月十五日, 2023年4月15日); 30% is 百分之三十 but
# not the start of 百分之三十五
import os, tempfile
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "num.txt"), "w", encoding="utf-8") as f:
        f.write("二〇二三年经济增长百分之三十。\n２０２３年预算增长30%。\n"
                "二〇二三年四月十五日召开会议，百分之三十五的企业参加。\n"
                "2023年4月15日开会。\n")
    ndb = os.path.join(d, "n.db")
    subprocess.run([BG, "--db", ndb, "ingest", os.path.join(d, "num.txt")],
                   capture_output=True, check=True)
    def nodes(q):
        p = subprocess.run([BG, "--db", ndb, "--format", "json", "kwic", q,
                            "--limit", "0"], capture_output=True, check=True)
        return [(r["sentence"], r["node"]) for r in json.loads(p.stdout)]
    year = [(1, "二〇二三年"), (2, "２０２３年"), (3, "二〇二三年"), (4, "2023年")]
    for q in ("2023", "2023年", "二〇二三年"):
        check(f"kwic {q}: the year 2023 alone and at the start of a date, "
              "in each form", nodes(q) == year, nodes(q))
    check("kwic 30%: 百分之三十 and 30%, not the start of 百分之三十五",
          nodes("30%") == [(1, "百分之三十"), (2, "30%")], nodes("30%"))

# 3.5 x 10^8 written three ways (worked by hand), once before the unit
# 千瓦 (its 千 is no magnitude of the number); the 三千 of 3000 alone, not
# the start of 三千万
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "num.txt"), "w", encoding="utf-8") as f:
        f.write("新增装机3.5亿千瓦。\n人口三亿五千万。\n投资350000000元。\n"
                "投资三千万元。\n招聘三千人。\n")
    ndb = os.path.join(d, "n.db")
    subprocess.run([BG, "--db", ndb, "ingest", os.path.join(d, "num.txt")],
                   capture_output=True, check=True)
    want = [(1, "3.5亿"), (2, "三亿五千万")]
    for q in ("3.5亿", "三亿五千万"):
        check(f"kwic {q}: 3.5亿 before 千瓦 and 三亿五千万 (the same value "
              "without a unit)", nodes(q) == want, nodes(q))
    check("kwic 350000000: those, and itself as written before 元",
          nodes("350000000") == want + [(3, "350000000")],
          nodes("350000000"))
    check("kwic 3000: 三千 alone, not the 三千 of 三千万",
          nodes("3000") == [(5, "三千")], nodes("3000"))

# the financial forms are numerals too (segment.h bg_han_digit,
# bg_han_magnitude): 叁仟 is 3000 (worked by hand) before 名, but the 叁仟
# that begins 叁仟伍佰 (3500) is no 3000
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "num.txt"), "w", encoding="utf-8") as f:
        f.write("招聘叁仟名。\n另捐叁仟伍佰元。\n")
    ndb = os.path.join(d, "n.db")
    subprocess.run([BG, "--db", ndb, "ingest", os.path.join(d, "num.txt")],
                   capture_output=True, check=True)
    check("kwic 3000: 叁仟 alone, not the 叁仟 of 叁仟伍佰",
          nodes("3000") == [(1, "叁仟")], nodes("3000"))

# ---- usage errors and hostile strings ----------------------------------------
for q, want in (("", "the query is empty"), ("，。！", "has nothing to search for"),
                ("   ", "the query is empty"), ('""', "hold nothing"),
                ("改革 OR", "needs a word or phrase after it"),
                ("NOT 改革", "the query only excludes")):
    for cmd in ("search", "kwic"):
        rc, out, err = run(cmd, q)
        check(f"{cmd} {q!r}: exit 2, says why", rc == 2 and want in err, err)
for q in ("★", "👍", "©"):
    rc, out, err = run("search", q, fmt="table")
    check(f"search {q}: searched (a symbol), exit 0", rc == 0 and err == "", err)

hostile = ['"', '"""', "*", "^", "NEAR(", "NEAR(改革 开放, 3)", "terms:改革",
           "{terms}:改革", "^改革", "改革*", "(((", ")))", "AND", "OR OR",
           "- -", "--", "改革 NOT", "改革 NEAR/x 开放", "改革 + 开放",
           "\"改革\" \"开放", "改革)(开放", "'; DROP TABLE sentence; --",
           "sentence_fts MATCH '改革'", "x\u200b", "\u3000\u3000改革\u3000",
           "a\\b", "%_", "改革 NEAR/1000 开放", "改革 NEAR/1001 开放"]
rnd = random.Random(12)
alphabet = list('"()-*^:+{} ORANDNOTNEAR/0123456789') + list("改革开放创新就业“”　")
for _ in range(40):
    hostile.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24))))
for _ in range(20):
    hostile.append(bytes(rnd.randint(1, 255) for _ in range(rnd.randint(1, 30))))
bad = []
for q in hostile:
    for cmd in ("search", "kwic"):
        arg = q if isinstance(q, str) else q.decode("latin-1")
        argv = [BG, "--db", DB, cmd,
                q if isinstance(q, bytes) else q.encode(), "--limit", "3"]
        p = subprocess.run(argv, capture_output=True)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode not in (0, 2) or "SQLite" in err or "fts5" in err \
                or "sqlite" in err.lower():
            bad.append((cmd, arg, p.returncode, err[:200]))
check(f"{2 * len(hostile)} hostile queries: exit 0 or 2, never an SQLite error",
      not bad, bad[:3])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
