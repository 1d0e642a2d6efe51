#!/bin/sh
# Tables in (issue 16): every record of the real tables of tests/data/ingest
# (sources in its README.md) ingested by baogao and compared with what an
# independent reader makes of the file: Python's openpyxl for the xlsx
# workbooks (its strings with ECMA-376's _xHHHH_ escapes decoded, which its
# reader leaves), Python's csv module for CSV and TSV. For each data row:
# the document's text (source.text at its offsets) equals the text column's
# cell, its title the title column's (trimmed), its date the date column's
# (openpyxl's datetime, or the text's Y/M/D) and its organisation the org
# column's; one document per row whose text is not empty; a workbook of
# several sheets names each record's sheet in its meta. The text column is
# found by its name for the policies ("Policy Content") and named with
# --text-field for the messages (whose replies are longer than the
# messages). A field named as text wins over a longer title field
# (records written here: the expected texts are the records' own values),
# and a text field guessed by length alone is warned of. JSON Lines with bad
# lines keep their good records and name the bad lines.
# Prints "N passed, N failed".
#   usage: tables_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
data="$src/tests/data/ingest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# openpyxl is Debian's python3-openpyxl (tests/deps.sh): the system Python
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - "$bg" "$data" "$tmp" <<'PY'
import csv, datetime, os, re, sqlite3, subprocess, sys
import openpyxl
from openpyxl.utils.escape import unescape

bg, data, tmp = sys.argv[1:4]
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

def iso(v):
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d")
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", str(v or ""))
    return "%s-%02d-%02d" % (m[1], int(m[2]), int(m[3])) if m else None

def sheets(path):
    """[(sheet name, header, rows)] as the independent reader sees them."""
    if path.endswith(".xlsx"):
        wb = openpyxl.load_workbook(path)
        out = []
        for ws in wb.worksheets:
            rows = [[unescape(c) if isinstance(c, str) else c for c in r]
                    for r in ws.iter_rows(values_only=True)
                    if any(c is not None and c != "" for c in r)]
            out.append((ws.title, rows[0], rows[1:]))
        return out
    delim = "\t" if path.endswith(".tsv") else ","
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=delim) if any(r)]
    return [(None, rows[0], rows[1:])]

# file: text column, title column, date column, org column (None: not in
# it), options
msg = ("留言详情", "留言主题", "留言时间", None, ["--text-field", "留言详情"])
cases = {
    "tipdm-messages.xlsx": msg,
    "policies.xlsx": ("Policy Content", "Policy Title", "Release Time",
                      ("Release Department", "Policy Release Department"), []),
    "tipdm-messages.tsv": msg,
    "tipdm-messages.csv": msg,
    "policies.csv": ("Policy Content", "Policy Title", "Release Time",
                     ("Release Department",), []),
}
for name, (tcol, ticol, dcol, ocols, opts) in cases.items():
    path = os.path.join(data, name)
    db = os.path.join(tmp, name + ".db")
    r = subprocess.run([bg, "--db", db, "ingest", *opts, path],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"{name}: ingest exits 0 ({r.stderr.strip()})")
    con = sqlite3.connect(db)
    text, = con.execute("select text from source").fetchone()
    text = text.encode("utf-8")
    docs = con.execute("""select start, end, title, date, org, meta
                          from document order by seq""").fetchall()
    want = []
    tables = sheets(path)
    for sheet, header, rows in tables:
        sheet = sheet if len(tables) > 1 else None
        col = {h: i for i, h in enumerate(header)}
        org = next((col[o] for o in (ocols or ()) if o in col), None)
        for row in rows:
            cell = lambda i: row[i] if i is not None and i < len(row) else None
            t = cell(col[tcol])
            if t in (None, ""):
                continue
            want.append((sheet, str(t), str(cell(col[ticol]) or "").strip(),
                         iso(cell(col[dcol])),
                         (str(cell(org)).strip() or None) if org is not None
                         else None))
    check(len(docs) == len(want),
          f"{name}: {len(docs)} documents, {len(want)} rows with text")
    for k, ((s, e, title, date, org, meta), w) in enumerate(zip(docs, want)):
        got = text[s:e].decode("utf-8")
        check(got == w[1], f"{name} row {k + 1}: text differs "
              f"({got[:30]!r} vs {w[1][:30]!r})")
        check(title == w[2], f"{name} row {k + 1}: title {title!r}, want {w[2]!r}")
        check(date == w[3], f"{name} row {k + 1}: date {date}, want {w[3]}")
        check(org == w[4], f"{name} row {k + 1}: org {org!r}, want {w[4]!r}")
        if w[0]:
            check(meta and f'"sheet":"{w[0]}"' in meta,
                  f"{name} row {k + 1}: meta {meta} lacks sheet {w[0]}")

# a field named text/content/正文 wins over a longer title; the ingest says
# which field it used; without such a name the longest is taken, warned of
import json
long_title = "关于进一步加强和改进新时代基层社会治理工作的若干意见及其配套实施细则的通知"
for key in ("text", "content", "正文", "Body Text"):
    recs = [{"title": long_title + str(i), key: t}
            for i, t in enumerate(["会议要求加强治理。", "推进乡村振兴。"])]
    path = os.path.join(tmp, "named.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    db = os.path.join(tmp, "named.db")
    if os.path.exists(db):
        os.remove(db)
    r = subprocess.run([bg, "--db", db, "ingest", path], capture_output=True,
                       text=True)
    con = sqlite3.connect(db)
    text, = con.execute("select text from source").fetchone()
    got = [text.encode()[s:e].decode() for s, e in
           con.execute("select start, end from document order by seq")]
    titles = [t for t, in con.execute("select title from document order by seq")]
    con.close()
    check(got == [rec[key] for rec in recs],
          f"field {key!r} is the text, not the longer title: {got}")
    check(titles == [rec["title"] for rec in recs], f"{key}: titles {titles}")
    check(f'fields: text "{key}" (by name), title "title"' in r.stderr
          and "warning" not in r.stderr, f"{key}: stderr {r.stderr!r}")
path = os.path.join(tmp, "unnamed.jsonl")
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps({"标题": "短", "abstract": "会议要求加强基层治理。"},
                       ensure_ascii=False) + "\n")
r = subprocess.run([bg, "--db", os.path.join(tmp, "unnamed.db"), "ingest",
                    path], capture_output=True, text=True)
check(r.returncode == 0 and 'warning: text field "abstract" guessed as the '
      'one with most text' in r.stderr and
      'fields: text "abstract" (the longest), title "标题"' in r.stderr,
      f"a text field guessed by length is warned of: {r.stderr!r}")

# a field named by an option that no record holds: --text-field refuses
# the file (every document would be empty), naming the fields it has;
# another option warns (the records' own field names, from the file)
path = os.path.join(tmp, "fields.jsonl")
recs = [{"title": "甲", "text": "会议要求加强治理。"},
        {"title": "乙", "text": "推进乡村振兴。"}]
with open(path, "w", encoding="utf-8") as f:
    for rec in recs:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
r = subprocess.run([bg, "--db", os.path.join(tmp, "f1.db"), "ingest",
                    "--text-field", "body", path], capture_output=True,
                   text=True)
check(r.returncode == 1 and 'no record holds the field "body" named by '
      '--text-field (its fields: %s)' % ", ".join(recs[0]) in r.stderr,
      f"--text-field absent from every record: {r.stderr!r}")
r = subprocess.run([bg, "--db", os.path.join(tmp, "f2.db"), "ingest",
                    "--title-field", "heading", path], capture_output=True,
                   text=True)
check(r.returncode == 0 and 'warning: no record holds the field "heading" '
      'named by --title-field' in r.stderr,
      f"--title-field absent from every record: {r.stderr!r}")

# --text-field F,G: a complaint record's letter and reply are one
# document: each listed field the row holds with text, in that order, the
# second after a blank line and a line of its name and a full-width colon
# (the expected texts are the workbook's cells as openpyxl reads them); a
# listed field no record holds is warned of, the others still read
path = os.path.join(data, "tipdm-messages.xlsx")
db = os.path.join(tmp, "letter-reply.db")
r = subprocess.run([bg, "--db", db, "ingest", "--text-field",
                    "留言详情,答复意见,附件", path], capture_output=True,
                   text=True)
(_, header, rows), = sheets(path)
col = {h: i for i, h in enumerate(header)}
want = []
for row in rows:
    parts = [(k, str(row[col[k]])) for k in ("留言详情", "答复意见")
             if row[col[k]] not in (None, "") and str(row[col[k]]).strip()]
    if parts:
        want.append("".join(v if i == 0 else "\n\n%s\uff1a\n%s" % (k, v)
                            for i, (k, v) in enumerate(parts)))
con = sqlite3.connect(db)
text, = con.execute("select text from source").fetchone()
got = [text.encode()[s:e].decode() for s, e in
       con.execute("select start, end from document order by seq")]
con.close()
check(r.returncode == 0 and got == want and
      all("\n\n答复意见\uff1a\n" in g for g in got),
      f"--text-field 留言详情,答复意见: letter then reply ({len(got)} docs, "
      f"{len(want)} rows; {r.stderr!r})")
check('warning: no record holds the field "附件" named by --text-field'
      in r.stderr, f"--text-field list: a missing field is warned of: "
      f"{r.stderr!r}")

# JSON Lines with bad lines: each is skipped and named by its line number,
# the good records all kept (their texts, in order); a file without one
# good line is refused naming its first line
lines = ['{"text": "第一条记录。"}', '{"text": "第二条', '',
         '{"text": "第三条记录。"}', '[1, 2]', '{"text": "第四条记录。"}',
         '{"text": "cut sh']
path = os.path.join(tmp, "bad-lines.jsonl")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
db = os.path.join(tmp, "bad-lines.db")
r = subprocess.run([bg, "--db", db, "ingest", path], capture_output=True,
                   text=True)
want = [json.loads(l)["text"] for l in lines if l.endswith("}")]
con = sqlite3.connect(db)
row = con.execute("select text from source").fetchone()
got = [row[0].encode()[s:e].decode() for s, e in
       con.execute("select start, end from document order by seq")] if row else []
con.close()
check(r.returncode == 0 and got == want,
      f"bad JSONL lines skipped, good records kept: {got} ({r.stderr!r})")
check("warning: 3 lines skipped, not a JSON object" in r.stderr and
      "lines 2, 5, 7; the 3 other records kept" in r.stderr,
      f"bad JSONL lines named: {r.stderr!r}")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n{oops\n[]\n")
r = subprocess.run([bg, "--db", db, "ingest", path], capture_output=True,
                   text=True)
check(r.returncode == 1 and "bad-lines.jsonl:2: not a JSON object" in r.stderr,
      f"JSONL without a good line refused: {r.stderr!r}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
st=$?
# every database this test built: SQLite's and FTS5's integrity checks
for d in "$tmp"/*.db; do
    sh "$src/tests/db_check.sh" "$d" || st=1
done
exit "$st"
