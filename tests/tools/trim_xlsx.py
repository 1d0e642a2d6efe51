"""Writes a copy of an xlsx workbook keeping the first K rows of each sheet
and the rows listed for it (SHEET:ROW,ROW... with SHEET the N of
xl/worksheets/sheetN.xml), without the sheets' hyperlinks, and with
xl/sharedStrings.xml reduced to the strings the rows kept use (renumbered);
every other part is copied byte for byte. Made the test workbooks of
tests/data/ingest (see its README.md).
    usage: trim_xlsx.py IN.xlsx OUT.xlsx K [SHEET:ROW,ROW...]..."""
import re, sys, zipfile
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
extra = {}
for spec in sys.argv[4:]:
    sheet, rows = spec.split(':')
    extra['xl/worksheets/sheet%s.xml' % sheet] = {int(r) for r in rows.split(',')}
zin = zipfile.ZipFile(src)
sst = zin.read('xl/sharedStrings.xml').decode('utf-8')
head = sst[:sst.index('<si>')]
sis = re.findall(r'<si>.*?</si>|<si/>', sst, re.S)
sheets = {n: zin.read(n).decode('utf-8') for n in zin.namelist()
          if re.match(r'xl/worksheets/sheet\d+\.xml$', n)}
used, kept = [], {}
for n, x in sheets.items():
    a = x.index('<sheetData>') + len('<sheetData>')
    b = x.index('</sheetData>')
    rows = re.findall(r'<row [^>]*?(?:/>|>.*?</row>)', x[a:b], re.S)
    keep = [r for r in rows
            if int(re.search(r' r="(\d+)"', r).group(1)) <= k
            or int(re.search(r' r="(\d+)"', r).group(1)) in extra.get(n, ())]
    for r in keep:
        for c in re.finditer(r'<c ([^>]*?)t="s"([^>]*)><v>(\d+)</v>', r):
            i = int(c.group(3))
            if i not in used:
                used.append(i)
    # hyperlinks of the rows left out would point at cells that are gone
    post = re.sub(r'<hyperlinks>.*?</hyperlinks>', '', x[b:], flags=re.S)
    kept[n] = (x[:a], keep, post)
remap = {old: new for new, old in enumerate(used)}
def fix(r):
    return re.sub(r'(<c [^>]*?t="s"[^>]*><v>)(\d+)(</v>)',
                  lambda m: m.group(1) + str(remap[int(m.group(2))]) + m.group(3), r)
head = re.sub(r'count="\d+"', 'count="%d"' % len(used), head)
head = re.sub(r'uniqueCount="\d+"', 'uniqueCount="%d"' % len(used), head)
new_sst = head + ''.join(sis[i] for i in used) + '</sst>'
zout = zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED)
for info in zin.infolist():
    data = zin.read(info.filename)
    if info.filename == 'xl/sharedStrings.xml':
        data = new_sst.encode('utf-8')
    elif info.filename in kept:
        pre, rows, post = kept[info.filename]
        data = (pre + ''.join(fix(r) for r in rows) + post).encode('utf-8')
    zout.writestr(info, data)
zout.close()
