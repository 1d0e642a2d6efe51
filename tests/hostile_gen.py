#!/usr/bin/env python3
"""Writes the hostile and damaged inputs of tests/hostile_test.sh into DIR.

Each file is the reproduction of a finding of issue 13 (the field catalogue
of failure kinds and the attack run), made here rather than stored: some
are large once inflated, and the recipe says what each one is.
    usage: hostile_gen.py DIR
"""
import json
import os
import sys
import zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def put(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(name, document, extra=None):
    with zipfile.ZipFile(os.path.join(out, name), 'w',
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"/>')
        z.writestr('word/document.xml', document)
        for k, v in (extra or {}).items():
            z.writestr(k, v)


def para(text):
    return '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % text


def body(inner):
    return ('<?xml version="1.0"?><w:document %s><w:body>%s</w:body>'
            '</w:document>' % (W, inner))


# R4: 150,000 nested <w:sdt> in 3.5 KB (the stack overflow)
n = 150000
docx('r4-nested.docx', body('<w:sdt>' * n + para('深处的文字。') + '</w:sdt>' * n))
# R9: billion laughs in word/document.xml
lol = ''.join('<!ENTITY lol%d "%s">' % (i, ('&lol%d;' % (i - 1)) * 10)
              for i in range(1, 10))
docx('r9-laughs.docx', '<?xml version="1.0"?><!DOCTYPE w:document '
     '[<!ENTITY lol0 "lol">%s]><w:document %s><w:body>%s</w:body>'
     '</w:document>' % (lol, W, para('&lol9;')))
# R10: a zip bomb: 1 GiB of blanks in one w:t, about 1 MB compressed
with zipfile.ZipFile(os.path.join(out, 'r10-bomb.docx'), 'w',
                     zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open('word/document.xml', 'w', force_zip64=True) as f:
        f.write(('<?xml version="1.0"?><w:document %s><w:body><w:p><w:r>'
                 '<w:t>' % W).encode())
        chunk = b' ' * (1 << 20)
        for _ in range(1024):
            f.write(chunk)
        f.write(b'</w:t></w:r></w:p></w:body></w:document>')
# docProps/core.xml: title and creation date (the creator, an account
# name, is not the author)
docx('props.docx', body(para('正文的第一段文字。')), {
    'docProps/core.xml': '<?xml version="1.0"?><cp:coreProperties '
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>关于测试的报告'
    '</dc:title><dc:creator>dell</dc:creator><dcterms:created>'
    '2021-03-09T01:02:03Z</dcterms:created></cp:coreProperties>'})
# a good file beside them: the batch goes on
put('good.txt', '第一篇:测试报告\n我们要加强学习。\n')

# R8: HTML nested 300 deep by unclosed <font>, text after the depth
put('r8-deep.html', '<html><body><p>开头的文字。</p>' + '<font>字' * 300 +
    '<p>结尾的文字。</p></body></html>')

# R6: empty CSV cells stay empty; an empty CSV file
put('r6.csv', 'id,text,region,note\n1,正文内容很长的一段文字。,福建,\n'
    '2,第二条正文的内容。,,备注\n')
put('r6-empty.csv', '')
# R13: 20,000 columns, 2.1 MB
cols = 20000
rows = [','.join('c%d' % i for i in range(cols))]
rows += [','.join('单元格内容%d' % i for i in range(cols)) for _ in range(5)]
put('r13-wide.csv', '\n'.join(rows) + '\n')
# partial: JSONL numbers beyond long long (1e309 is infinity)
put('big-number.jsonl', '{"text":"正文一。","n":1e309}\n'
    '{"text":"正文二。","n":-1e400}\n{"text":"正文三。","n":1e19}\n')

# decoding: UTF-8 text with one stray byte at 52 (between characters)
t = '今年我们的工作取得了很大的成绩，各项工作都有新的进展。'.encode()
assert t[51:52] != b'' and len(t[:51].decode()) == 17
put('bad-byte-52.txt', t[:51] + b'\x80' + t[51:] + b'\n')
# R7: GB18030 text whose last 4-byte character is cut after 3 bytes
g = '我们今年的工作取得了很大的成绩，各项工作都有新的进展。下一步要继续加强学习，做好宣传工作。'
put('r7-truncated.txt', g.encode('gb18030') + '𠀀'.encode('gb18030')[:3])

# file names that would forge a log line or drive a terminal
put('forged\nbaogao: ingested 0 files.txt', b'\x89PNG\r\n\x1a\nnot text')
put('esc\x1b[31mred.txt', b'\x89PNG\r\n\x1a\nnot text')

# user dictionaries whose only line normalises to nothing
put('dict-zwsp.txt', '\u200b\n')
put('dict-shy.txt', '\u00ad\n')
# ---- the field catalogue's findings ---------------------------------
# HTML tags left in a .txt (a page saved as text)
put('tags.txt', '<p>关于加强学习的通知</p>\n<div class=note>各单位：<br/>'
    '请认真学习<span style="color:red">重要讲话</span>精神，增速<5%的地区要说明。'
    '</div>\n<<人民日报>>报道了<b>这件事</b>。\n')
# a word broken by a CRLF hard wrap in a short file
put('wrap-short.txt', '今年以来，我们坚持稳中求进工作总基调，深入推进供给侧结构性改\r\n'
    '革，着力推动高质量发展，经济运行总体平稳，发展质量稳步提升。\r\n')
# the first line repeated right after it
put('repeat-first.txt', 'alpha beta.\nalpha beta.\nalpha beta.\n'
    'gamma delta epsilon.\n')
# a punctuation-only first line
put('punct-title.txt', '——————\n\n一、加强组织领导\n我们要加强学习，提高认识。\n')
# a ZWJ emoji sequence
put('zwj.txt', '我们一家\U0001F468\u200d\U0001F469\u200d\U0001F467很幸福。\n')
# user dictionaries: a word list and a jieba file with frequencies, each
# holding codes followed by a number
put('dict-list.txt', '云计算\nISO 9001\nGB/T 19001\n大数据\n')
put('dict-freq.txt', '云计算 5\nISO 9001\n大数据 3 n\n')
# a NUL past the first 8 KB, inside a sentence
put('nul-late.txt', ('我们要加强学习，提高认识。\n' * 300 +
                     '这是一句有\x00空字符的话，后面还有文字。\n').encode())
# \u0000 in a JSON string (cJSON ends the string there)
put('nul.jsonl', '{"text":"前面的文字\\u0000后面的文字"}\n')
# a line of 2 MB with no sentence end (a 50 MB one hit a rule's match
# limit and was refused without the file's name)
words = ['我们', '要', '加强', '学习', '提高', '认识', '深化', '改革', '开放']
put('long-line.txt', ''.join(words[(i * 7) % 9] for i in range(400000)) +
    '\n')
# nesting past cJSON's limit of 1000, and within it
put('deep.json', '[' * 2000 + ']' * 2000)
put('deep.jsonl', '{"text":"正文。","x":' + '[' * 1500 + ']' * 1500 + '}\n')
put('deep-ok.json', '[{"text":"正文。","x":' + '[' * 900 + ']' * 900 + '}]')

# Damaged workbooks and documents (a new user's trial): a minimal xlsx
# (ECMA-376 part 1: workbook, its relationships, two shared strings, one
# sheet) whole, then with a cell naming shared string 2 (there are two:
# 0 and 1), without xl/sharedStrings.xml, and with a cell in column XFE (one
# past XFD, the last); a zip cut in half; a docx whose document.xml's
# deflated bytes are flipped (a CRC error).
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def xlsx(name, text_cell='<c r="B2" t="s"><v>1</v></c>', sst=True):
    with zipfile.ZipFile(os.path.join(out, name), 'w',
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr('xl/workbook.xml', '<workbook %s %s><sheets><sheet '
                   'name="报告" sheetId="1" r:id="rId1"/></sheets></workbook>'
                   % (S, R))
        z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="'
                   'http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Target='
                   '"worksheets/sheet1.xml"/></Relationships>')
        if sst:
            z.writestr('xl/sharedStrings.xml', '<sst %s><si><t>text</t></si>'
                       '<si><t>我们要加强学习，提高认识。</t></si></sst>' % S)
        z.writestr('xl/worksheets/sheet1.xml', '<worksheet %s><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is>'
                   '</c><c r="B1" t="s"><v>0</v></c></row><row r="2"><c r='
                   '"A2"><v>2021</v></c>%s</row></sheetData></worksheet>'
                   % (S, text_cell))


xlsx('sheet-ok.xlsx')
xlsx('sheet-sst-index.xlsx', '<c r="B2" t="s"><v>2</v></c>')
xlsx('sheet-no-sst.xlsx', sst=False)
xlsx('sheet-column.xlsx', '<c r="XFE2" t="s"><v>1</v></c>')
with open(os.path.join(out, 'props.docx'), 'rb') as f:
    whole = f.read()
put('cut.docx', whole[:len(whole) // 2])
with zipfile.ZipFile(os.path.join(out, 'props.docx')) as z:
    info = z.getinfo('word/document.xml')
# the local header is 30 bytes + name + extra; flip the data's middle bytes
at = info.header_offset + 30 + len(info.filename) + len(info.extra) + \
    info.compress_size // 2
put('crc.docx', whole[:at] + bytes(b ^ 0xFF for b in whole[at:at + 4]) +
    whole[at + 4:])
# a Word 97-2003 file named .docx: the OLE2 compound file signature
# (MS-CFB 2.2: D0 CF 11 E0 A1 B1 1A E1) and an empty header sector
put('old-word.docx', bytes.fromhex('d0cf11e0a1b11ae1') + bytes(504))
print(json.dumps(sorted(os.listdir(out))))
