#!/usr/bin/env python3
"""Every sentence stored in a baogao database points at its original bytes.

usage: check_offsets.py DB

For each sentence row, the bytes [start, end) of its source text (the file
as it lies on disk, or source.text when ingest stored the decoded or
extracted text of a GBK/Big5/UTF-16, HTML, docx, JSON or CSV file), with the
debris the normaliser cuts removed (pinyin readings after characters, CR of
CRLF, Unicode default-ignorable characters such as U+200B), must equal the
stored `text`; and the document's [start, end) must contain the sentence.
This re-implements the cut rules independently, in Python's re, from their
description in pipeline/normalise.h. Prints 'N passed, N failed'.
"""
import re
import sqlite3
import sys
import unicodedata

TONES = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ'
PINYIN = re.compile('(?:[(（]|(?<=\\?))[a-zü]{0,6}[%s][a-z%sü]{0,6}[)）]'
                    % (TONES, TONES))
IGNORABLE = re.compile('[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5'
                       '\u180b-\u180f\u200b-\u200f\u202a-\u202e'
                       '\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]')


def clean(s):
    s = PINYIN.sub('', s)
    s = s.replace('\r\n', '\n')
    return IGNORABLE.sub('', s)


def main(db):
    con = sqlite3.connect(db)
    passed = failed = 0
    files = {}
    rows = con.execute(
        'SELECT src.path, s.start, s.end, s.text, d.start, d.end, s.id, '
        'src.text '
        'FROM sentence s JOIN document d ON d.id = s.doc_id '
        'JOIN source src ON src.id = d.source_id ORDER BY s.id')
    for path, start, end, text, dstart, dend, sid, stored in rows:
        if path not in files:
            if stored is not None:
                files[path] = stored.encode('utf-8')
            else:
                with open(path, 'rb') as f:
                    files[path] = f.read()
        raw = files[path][start:end].decode('utf-8')
        ok = clean(raw) == text and dstart <= start < end <= dend
        if ok:
            passed += 1
        else:
            failed += 1
            if failed <= 5:
                print(f'sentence {sid} {path} [{start},{end}): file has '
                      f'{raw[:60]!r}, stored {text[:60]!r}', file=sys.stderr)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
