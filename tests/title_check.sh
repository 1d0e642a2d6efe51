#!/bin/sh
# Titles and metadata of the national government work reports of
# ../shared/corpus (issue 16), checked against what the files say:
#   - the 49 reports of gwr-ropensci-textworkshop17, one file each: the title
#     is the file's first non-blank line; the date is the dateline's
#     (——YYYY年M月D日 after NFKC, in Python); the speaker line (the line of the
#     head holding 总理/主任/委员) is not a sentence, the author ends it and
#     the organisation, when found, is in it; no title is a salutation, a
#     news dateline or a speaker line;
#   - the 52 reports of gwr-wikisource-aldohemsn written one file per year
#     (YEAR.txt, the record's text: how a user splits a year<TAB>text table),
#     whose texts mostly open with 各位代表： and have no title line: no title
#     is a salutation, a dateline or a speaker line, and every date lies in
#     the file's year (none from the body, such as 1984's 一九八三年六月).
# Prints the failures and "N passed, N failed"; skips (exit 0) without
# ../shared. Label eval (make eval).
#   usage: title_check.sh BAOGAO SRCDIR [SHARED]
set -u
bg=$1
src=$2
shared=${3:-$src/../shared}
corpus="$shared/corpus"
if [ ! -d "$corpus/gwr-ropensci-textworkshop17/govReports" ] ||
    [ ! -f "$corpus/gwr-wikisource-aldohemsn/government_work_reports.jsonl" ]; then
    echo "skipped: $corpus not found"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ws"
python3 - "$corpus/gwr-wikisource-aldohemsn/government_work_reports.jsonl" \
    "$tmp/ws" <<'PY' || exit 1
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["year"]:
        with open(f"{sys.argv[2]}/{r['year']}.txt", "w", encoding="utf-8") as f:
            f.write(r["content"])
PY
"$bg" --db "$tmp/r.db" ingest "$corpus/gwr-ropensci-textworkshop17/govReports" \
    >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
"$bg" --db "$tmp/w.db" ingest "$tmp/ws" >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err"; exit 1; }
python3 - "$tmp/r.db" "$tmp/w.db" <<'PY'
import os, re, sqlite3, sys, unicodedata

passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

SALUTE = re.compile(r"^(各位|同志们|代表们|尊敬的|亲爱的).{0,12}[：:！!，,]$")
NEWS = re.compile(r"^[（(]?据?\w{2,16}?(\d{4}年)?\d{1,2}月\d{1,2}日电")
def bad_title(t):
    t = unicodedata.normalize("NFKC", t).replace(" ", "")
    if SALUTE.match(t) or NEWS.match(t) or t.endswith(("：", ":")):
        return "a salutation, dateline or lead-in"
    if re.search(r"(总理|主任|委员)[\u4e00-\u9fff]{2,3}$", t) and len(t) < 30:
        return "a speaker line"
    return None

db = sqlite3.connect(sys.argv[1])
rows = db.execute("""select d.id, s.path, d.title, d.author, d.org, d.date
                     from document d join source s on s.id = d.source_id""")
n = with_org = 0
for doc, path, title, author, org, date in rows.fetchall():
    n += 1
    name = os.path.basename(path)
    lines = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
    check(title == lines[0], f"{name}: title {title!r}, first line {lines[0]!r}")
    why = bad_title(title or "")
    check(why is None, f"{name}: title {title!r} is {why}")
    head = [unicodedata.normalize("NFKC", l).replace(" ", "") for l in lines[:6]]
    dl = [l for l in head if re.match(r"^[—－-]+\d{4}年", l)]
    m = re.match(r"^[—－-]+(\d{4})年(\d{1,2})月(\d{1,2})日", dl[0]) if dl else None
    want = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None
    check(date == want, f"{name}: date {date}, dateline says {want}")
    sp = [l for l in head[1:] if re.search("总理|主任|委员", l) and len(l) < 30]
    if sp:
        check(author and sp[0].endswith(author),
              f"{name}: author {author!r}, speaker line {sp[0]!r}")
        check(not org or org in sp[0], f"{name}: org {org!r} not in {sp[0]!r}")
        with_org += bool(org)
        texts = {unicodedata.normalize("NFKC", t).replace(" ", "") for (t,) in
                 db.execute("select text from sentence where doc_id = ?", (doc,))}
        check(sp[0] not in texts, f"{name}: speaker line {sp[0]!r} is a sentence")
    else:
        check(False, f"{name}: no speaker line found in the head")
check(n == 49, f"gwr-ropensci: {n} documents, want 49")
print(f"gwr-ropensci: {n} reports, {with_org} with an organisation")

db = sqlite3.connect(sys.argv[2])
rows = db.execute("""select s.path, d.title, d.date, d.year
                     from document d join source s on s.id = d.source_id""")
n = 0
for path, title, date, year in rows.fetchall():
    n += 1
    name = os.path.basename(path)
    y = int(name[:4])
    why = bad_title(title or "")
    check(why is None, f"wikisource {name}: title {title!r} is {why}")
    check(year == y and (date or "").startswith(str(y)),
          f"wikisource {name}: date {date}, year {year}")
check(n == 52, f"gwr-wikisource: {n} documents, want 52")
print(f"gwr-wikisource, one file per year: {n} reports")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
