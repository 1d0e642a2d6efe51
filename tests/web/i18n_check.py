#!/usr/bin/env python3
"""Every message the web workspace may show has a Chinese text (CTest
`web_i18n`): each id given to bg_err_id, api.c's reply_error or serve.c's
send_api_error in pipeline/ (util.h: a message's stable name) has an entry 'err.ID' in the
zh table of pipeline/web/assets/app.js, and that text puts in no value
the message does not give ({N} with N below the number of values the
format converts). An English page shows the server's own message, so
the en table needs none.

usage: i18n_check.py SOURCE_DIR       ends with "N passed, N failed"
"""
import glob
import os
import re
import sys

SRC = sys.argv[1]
ID = re.compile(r'^(oom|[a-z]+(\.[a-z0-9-]+)+)$')
LIT = re.compile(r'"((?:[^"\\]|\\.)*)"')
CONV = re.compile(r'%(?!%)[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t|L)?'
                  r'[diuxXocspfegEG]')


def calls(text, name):
    """The text of each call of name(...) in C source text."""
    for m in re.finditer(r'\b' + name + r'\(', text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            c = text[i]
            if c == '"':
                i = LIT.match(text, i).end()
                continue
            depth += c == '(' or -(c == ')')
            i += 1
        yield text[m.end():i - 1]


def used_ids():
    """{id: the fewest values a message of that id gives}: the format of a
    bg_err_id call is the run of adjacent literals after its id."""
    ids = {}
    for path in glob.glob(os.path.join(SRC, 'pipeline', '**', '*.c'),
                          recursive=True):
        text = open(path, encoding='utf-8').read()
        for name in ('bg_err_id', 'reply_error', 'send_api_error'):
            for call in calls(text, name):
                if call.startswith('bg_err *err'):
                    continue  # the definition in util.c
                found = [m for m in LIT.finditer(call) if ID.match(m.group(1))]
                n = 0
                if name == 'bg_err_id' and found:
                    run = re.compile(r'\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
                    m = run.match(call, found[-1].end())
                    fmt = ''.join(x.group(1) for x in LIT.finditer(m.group(1)))
                    n = len(CONV.findall(fmt))
                for m in found:
                    i = m.group(1)
                    ids[i] = min(ids.get(i, n), n)
    return ids


def zh_table():
    js = open(os.path.join(SRC, 'pipeline', 'web', 'assets', 'app.js'),
              encoding='utf-8').read()
    zh = js[js.index('zh: {'):js.index('en: {')]
    return {m.group(1): m.group(2) for m in
            re.finditer(r"'err\.([^']+)':\s*'((?:[^'\\]|\\.)*)'", zh)}


passed = failed = 0


def check(name, ok, detail=''):
    global passed, failed
    passed += bool(ok)
    failed += not ok
    print(('ok   ' if ok else 'FAIL ') + name + ('' if ok else ': ' + detail))


ids, zh = used_ids(), zh_table()
check('ids found in pipeline/', len(ids) >= 40, str(sorted(ids)))
check('zh texts found in app.js', len(zh) >= 40, str(len(zh)))
for i, n in sorted(ids.items()):
    text = zh.get(i)
    if text is None:
        check(i, False, 'no zh text err.%s in app.js' % i)
        continue
    holes = [int(k) for k in re.findall(r'\{(\d+)\}', text)]
    check(i, all(k < n for k in holes),
          'the text %r uses {%d} but the message gives %d values' %
          (text, max(holes + [0]), n))
for i in sorted(set(zh) - set(ids)):
    check('err.' + i + ' is used', False, 'no message has the id ' + i)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
