#!/bin/sh
# Every output format read back by a real reader (issue 16), on the demo
# corpus: for a long table (freq --by year) and one with text, empty cells
# and numbers (problems), --format csv is read by Python's csv module, json
# and jsonl by its json module, xlsx by openpyxl (Debian's python3-openpyxl)
# and all must give the same rows (numbers to 1e-15 relative: cJSON
# prints 15 significant digits when they read back within DBL_EPSILON);
# csv-bom (and --excel) is checked byte for
# byte: EF BB BF, then exactly the bytes of --format csv, which itself has
# no BOM (pandas and R read its first column's name as written).
# Prints "N passed, N failed".
#   usage: output_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && "$bg" --db "$tmp/d.db" ingest corpus 2>/dev/null >/dev/null)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - "$bg" "$tmp/d.db" <<'PY'
import csv, io, json, math, subprocess, sys
import openpyxl

bg, db = sys.argv[1:3]
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

def run(*args):
    r = subprocess.run([bg, "--db", db, *args], capture_output=True)
    check(r.returncode == 0, f"{' '.join(args)} exits 0 "
          f"({r.stderr.decode(errors='replace').strip()})")
    return r.stdout

def norm(v):
    """A cell: numbers (and text that is a number) as floats, None as ""."""
    if v is None:
        return ""
    if isinstance(v, (bool, int, float)):
        return float(v)
    try:
        return float(v) if v.strip() and not any(
            ch.isalpha() for ch in v if ch not in "eE") else v
    except ValueError:
        return v

def same(a, b):
    """Rows equal, numbers to 1e-15 relative: cJSON prints a double with 15
    significant digits when they read back within DBL_EPSILON of it."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if len(x) != len(y):
            return False
        for u, v in zip(x, y):
            if isinstance(u, float) and isinstance(v, float):
                if not math.isclose(u, v, rel_tol=1e-15, abs_tol=0.0):
                    return False
            elif u != v:
                return False
    return True

for cmd in (["freq", "--by", "year", "--top", "5", "--drop-stopwords"],
            ["problems", "--explain"]):
    name = " ".join(cmd)
    c = run("--format", "csv", *cmd)
    check(not c.startswith(b"\xef\xbb\xbf"), f"{name}: csv has no BOM")
    rows = list(csv.reader(io.StringIO(c.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    check(len(body) > 3, f"{name}: {len(body)} rows")
    want = [[norm(x) for x in r] for r in body]

    b = run("--format", "csv-bom", *cmd)
    check(b == b"\xef\xbb\xbf" + c, f"{name}: csv-bom is EF BB BF + the csv bytes")
    e = run("--excel", *cmd)
    check(e == b, f"{name}: --excel writes csv-bom")

    j = json.loads(run("--format", "json", *cmd))
    check([list(o.keys()) for o in j][:1] == [header],
          f"{name}: json keys are the csv header")
    check(same([[norm(o[k]) for k in header] for o in j], want),
          f"{name}: json rows equal the csv rows")
    jl = [json.loads(l) for l in run("--format", "jsonl", *cmd).splitlines()]
    check(jl == j, f"{name}: jsonl lines equal the json array")

    x = run("--format", "xlsx", *cmd)
    ws = openpyxl.load_workbook(io.BytesIO(x)).worksheets[0]
    xr = [list(r) for r in ws.iter_rows(values_only=True)]
    check(xr[0] == header, f"{name}: xlsx header is the csv header")
    check(same([[norm(v) for v in r] for r in xr[1:]], want),
          f"{name}: xlsx rows (openpyxl) equal the csv rows")

# a text cell over Excel's 32,767 characters (a record's 40,000-character
# title) is cut there, and the cut is recorded in a comment on the cell
# with the whole length (the figures: len() of the text written)
import os, tempfile
with tempfile.TemporaryDirectory() as d:
    src, ldb = os.path.join(d, "long.jsonl"), os.path.join(d, "l.db")
    with open(src, "w", encoding="utf-8") as f:
        f.write(json.dumps({"title": "长" * 40000, "text": "正文内容。" * 12000},
                           ensure_ascii=False) + "\n")
    subprocess.run([bg, "--db", ldb, "ingest", src], capture_output=True,
                   check=True)
    x = subprocess.run([bg, "--db", ldb, "--format", "xlsx", "docs"],
                       capture_output=True, check=True).stdout
    ws = openpyxl.load_workbook(io.BytesIO(x)).worksheets[0]
    head = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=head.index("title") + 1)
    check(cell.value == "长" * 32767, "xlsx: a 40,000-character title is cut "
          f"at 32,767 characters ({len(cell.value or '')})")
    note = cell.comment.text if cell.comment else ""
    check("32767" in note and "40000" in note,
          f"xlsx: the cut cell's comment records it ({note!r})")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
st=$?
# every database this test built: SQLite's and FTS5's integrity checks
for d in "$tmp"/*.db; do
    sh "$src/tests/db_check.sh" "$d" || st=1
done
exit "$st"
