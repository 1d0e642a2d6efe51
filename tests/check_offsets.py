#!/usr/bin/env python3
"""Every sentence stored in a baogao database points at its original bytes.

usage: check_offsets.py DB

For each sentence row, the bytes [start, end) of its source text (the file
as it lies on disk, or source.text when ingest stored the decoded or
extracted text of a GBK/Big5/UTF-16, HTML, docx, JSON or CSV file), with the
debris the normaliser cuts removed (pinyin readings after characters, CR of
CRLF, Unicode default-ignorable characters such as U+200B) and the text
repairs that ingest recorded in source.warnings applied, must equal the
stored `text`; and the document's [start, end) must contain the sentence.

This re-implements the cut rules independently, in Python's re, from their
description in pipeline/normalise.h. The repairs are taken from their record
(`repairs (KIND): S-E, S-E="with", ...` lines, ingest.h), and each is checked
on its own terms before it is applied: a wrap or page-number range holds
only blanks, a line end and (page-number) a 1-3 digit number; a repeat
equals the text just before it; an entity's replacement is what Python's
html.unescape makes of it; a mojibake run's replacement agrees with Python's
GBK codec decoding the run's GBK bytes one byte late, wherever the
replacement is not U+FFFD; a markup range is one HTML tag of a block element
(replaced by a line end) or an inline one (removed), by Python's
html.parser.HTMLParser. Prints 'N passed, N failed'.
"""
import html
import html.parser
import json
import re
import sqlite3
import sys

TONES = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ'
PINYIN = re.compile('(?:[(（]|(?<=\\?))[a-zü]{0,6}[%s][a-z%sü]{0,6}[)）]'
                    % (TONES, TONES))
IGNORABLE = re.compile('[\x00\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5'
                       '\u180b-\u180f\u200b-\u200f\u202a-\u202e'
                       '\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]')
REPAIRS = re.compile(r'^repairs \(([a-z-]+)\): (.*)$', re.M)
ENTRY = re.compile(r'(\d+)-(\d+)(?:=("(?:[^"\\]|\\.)*"))?')
BLANKS = '[ \t\u3000]*'
WRAP = re.compile('%s\r?\n$' % BLANKS)
PAGENO = re.compile('(?:%s[0-9]{1,3}%s\r?\n|%s\r?\n%s[-—]?%s[0-9]{1,3}%s[-—]?'
                    '%s\r?\n)$' % ((BLANKS,) * 7))


# an emoji and what UTS #51 lets follow it: VS16, skin tones, tags, and
# ZWJ + another emoji (pictographs taken as U+1F000-U+1FAFF and
# U+2600-U+27BF, enough for the tests' sequences)
PICT = '\U0001F000-\U0001FAFF\u2600-\u27BF'
EMOJI_SEQ = re.compile('[%s](?:[\ufe0f\U0001F3FB-\U0001F3FF'
                       '\U000E0020-\U000E007F]|\u200d[%s])+' % (PICT, PICT))


def clean(s, after_q=False):
    """The text minus debris; after_q: s follows a literal '?'."""
    if after_q:
        s = PINYIN.sub('', '?' + s)[1:]
    else:
        s = PINYIN.sub('', s)
    s = s.replace('\r\n', '\n')
    # an emoji sequence keeps its ZWJs and VS16 (normalise.c: one
    # character, as written); other ignorables go
    out, at = [], 0
    for m in EMOJI_SEQ.finditer(s):
        out += [IGNORABLE.sub('', s[at:m.start()]), m.group(0)]
        at = m.end()
    return ''.join(out) + IGNORABLE.sub('', s[at:])


def gbk_shifted(raw):
    """raw's GBK bytes decoded one byte late, unit by unit (None: failed)."""
    try:
        b = raw.encode('gbk')
    except UnicodeEncodeError:
        return None
    out, k = [], 1
    while k < len(b):
        n = 1 if b[k] < 0x80 else 2
        try:
            out.append(b[k:k + n].decode('gbk'))
        except UnicodeDecodeError:
            out.append('\ufffd')
        k += n
    return out


BLOCK = set('address article aside blockquote body br caption center dd div '
            'dl dt figure footer form h1 h2 h3 h4 h5 h6 head header hr html '
            'li main nav ol p pre section table tbody td tfoot th thead '
            'title tr ul'.split())


def one_tag(raw):
    """The element name of raw when it is exactly one HTML tag, else None."""
    seen = []

    class P(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append(tag)

        def handle_endtag(self, tag):
            seen.append(tag)

        def handle_startendtag(self, tag, attrs):
            seen.append(tag)

        def handle_data(self, data):
            seen.append(None)

    p = P()
    p.feed(raw)
    p.close()
    return seen[0] if len(seen) == 1 and raw.startswith('<') else None


def plausible(kind, data, start, end, with_):
    """Does the recorded repair fit its kind (see the module comment)?"""
    raw = data[start:end].decode('utf-8')
    if kind == 'wrap':
        return WRAP.match(raw) is not None and with_ in ('', ' ')
    if kind == 'page-number':
        return PAGENO.match(raw) is not None and with_ == ''
    if kind == 'repeat':
        return with_ == '' and data[start - (end - start):start] == data[start:end]
    if kind == 'entity':
        return html.unescape(raw) == with_
    if kind == 'markup':
        name = one_tag(raw)
        return name is not None and with_ == ('\n' if name in BLOCK else '')
    if kind == 'mojibake':
        if raw == '?':
            return with_ == '\ufffd'
        dec = gbk_shifted(raw)
        return (dec is not None and len(dec) == len(with_) and
                all(w == '\ufffd' or w == d for w, d in zip(with_, dec)))
    return False


def repairs_of(warnings):
    out = []
    for kind, entries in REPAIRS.findall(warnings or ''):
        for a, b, w in ENTRY.findall(entries):
            out.append((int(a), int(b), kind, json.loads(w) if w else ''))
    return sorted(out)


def expected(data, start, end, reps):
    """The display form of [start, end): pieces cleaned, repairs applied."""
    parts, at = [], start
    for a, b, _kind, w in reps:
        if b <= start or a >= end:
            continue
        if a > at:
            parts.append(clean(data[at:a].decode('utf-8'),
                               at > 0 and data[at - 1:at] == b'?'))
        if a >= start and b <= end:
            parts.append(w)
        at = max(at, min(b, end))
    if end > at:
        parts.append(clean(data[at:end].decode('utf-8'),
                           at > 0 and data[at - 1:at] == b'?'))
    return ''.join(parts)


def main(db):
    con = sqlite3.connect(db)
    passed = failed = 0
    files, repairs = {}, {}
    for path, stored, warnings in con.execute(
            'SELECT path, text, warnings FROM source'):
        if stored is not None:
            files[path] = stored.encode('utf-8')
        else:
            with open(path, 'rb') as f:
                files[path] = f.read()
        repairs[path] = repairs_of(warnings)
        for a, b, kind, w in repairs[path]:
            if plausible(kind, files[path], a, b, w):
                passed += 1
            else:
                failed += 1
                print(f'repair {kind} {path} [{a},{b}): '
                      f'{files[path][a:b]!r} -> {w!r} does not fit',
                      file=sys.stderr)
    rows = con.execute(
        'SELECT src.path, s.start, s.end, s.text, d.start, d.end, s.id '
        'FROM sentence s JOIN document d ON d.id = s.doc_id '
        'JOIN source src ON src.id = d.source_id ORDER BY s.id')
    for path, start, end, text, dstart, dend, sid in rows:
        want = expected(files[path], start, end, repairs[path])
        ok = want == text and dstart <= start < end <= dend
        if ok:
            passed += 1
        else:
            failed += 1
            if failed <= 5:
                print(f'sentence {sid} {path} [{start},{end}): expected '
                      f'{want[:60]!r}, stored {text[:60]!r}', file=sys.stderr)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
