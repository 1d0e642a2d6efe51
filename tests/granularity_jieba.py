#!/usr/bin/python3
"""Coarse word counts of the national work reports against jieba's (issue 12,
item 2), on ../shared/corpus (skips without it).

The 政府工作报告 records of gwr-wikisource-aldohemsn (1954-2025; the NPC
resolutions on them left out) are ingested into a scratch database; jieba
0.42.1 (Debian python3-jieba) then cuts the very sentences baogao stored (their
analysis forms, document_norm), once as a user runs it (jieba.cut, HMM on, its
own dictionary) and once as baogao's lattice is built (HMM off, dict/domain.txt
loaded). Printed: for the compounds the issue names and their parts, the count
of `baogao freq` (coarse, the default), of `freq --granularity fine`, and of
both jieba runs; then how many of the 50 most frequent words agree. Checked:
each compound is counted whole at the coarse granularity as often as jieba
(lattice settings) counts it, and is no fine word when it comes from jieba's
dictionary.
Ends with "N passed, N failed".
  usage: granularity_jieba.py BAOGAO SRCDIR [SHARED]
"""
import collections
import csv
import io
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bgterms  # noqa: E402  (bg_norm: a sentence's analysis form)

COMPOUNDS = ['体制改革', '国有企业', '宏观调控', '高质量发展', '小康社会']
PARTS = ['体制', '改革', '国有', '企业', '宏观', '调控', '高质量', '发展',
         '小康', '社会', '政策', '市场']


def freq(bg, db, *args):
    out = subprocess.run([bg, '--db', db, '--format', 'csv', 'freq', '--top',
                          '0', *args], capture_output=True, text=True,
                         check=True).stdout
    return {r['term']: int(r['freq']) for r in csv.DictReader(io.StringIO(out))}


def main():
    bg, src = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(src, '..',
                                                                 'shared')
    path = os.path.join(shared, 'corpus', 'gwr-wikisource-aldohemsn',
                        'government_work_reports.jsonl')
    try:
        import jieba
    except ImportError:
        print('skipped: python3-jieba missing\n0 passed, 0 failed, 1 skipped')
        return 0
    if not os.path.exists(path):
        print(f'skipped: {path} not found\n0 passed, 0 failed, 1 skipped')
        return 0
    jieba.setLogLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        recs = [r for r in map(json.loads, open(path, encoding='utf-8'))
                if '政府工作报告' in r.get('title', '')
                and '决议' not in r['title']]
        with open(os.path.join(tmp, 'gwr.jsonl'), 'w', encoding='utf-8') as f:
            for r in recs:
                f.write(json.dumps({'title': r['title'], 'year': r['year'],
                                    'text': r['content']},
                                   ensure_ascii=False) + '\n')
        db = os.path.join(tmp, 'gwr.db')
        subprocess.run([bg, '--db', db, 'ingest', os.path.join(tmp,
                                                               'gwr.jsonl')],
                       check=True, capture_output=True)
        coarse = freq(bg, db)
        fine = freq(bg, db, '--granularity', 'fine')
        # the analysis forms (bg_norm), in document order
        norms = [r[0] for r in bgterms.register(sqlite3.connect(db)).execute(
            'SELECT bg_norm(text, norm_edit) FROM sentence '
            'ORDER BY doc_id, seq')]
    plain = collections.Counter()
    for s in norms:
        plain.update(jieba.cut(s))
    lattice = collections.Counter()
    jieba.load_userdict(os.path.join(src, 'dict', 'domain.txt'))
    for s in norms:
        lattice.update(jieba.cut(s, HMM=False))
    print(f'{len(recs)} reports, {len(norms)} sentences')
    print(f'{"word":<8} {"coarse":>7} {"fine":>7} {"jieba":>7} '
          f'{"jieba-lattice":>13}')
    for w in COMPOUNDS + PARTS:
        print(f'{w:<8} {coarse.get(w, 0):7d} {fine.get(w, 0):7d} '
              f'{plain[w]:7d} {lattice[w]:13d}')
    word = re.compile(r'[\u4e00-\u9fff]')
    listed = coarse.keys() | fine.keys()

    def top(c, n=50):
        return [w for w, _ in sorted(((w, f) for w, f in c.items()
                                      if word.search(w) and w in listed),
                                     key=lambda x: (-x[1], x[0]))[:n]]
    # jieba's words limited to those baogao lists (numbers and punctuation
    # out), so that the two lists rank the same kind of words
    for name, mine in (('coarse', coarse), ('fine', fine)):
        for jname, j in (('jieba', plain), ('jieba-lattice', lattice)):
            a, b = set(top(mine)), set(top(j))
            print(f'top 50 words: {name} and {jname} share {len(a & b)}')
    passed = failed = 0
    # a compound of jieba's dictionary is no fine word (coarse-only, see
    # dict/README.md); one of dict/domain.txt (高质量发展: jieba's own
    # dictionary lacks it) is a word of both granularities
    for w in COMPOUNDS:
        ok = coarse.get(w, 0) == lattice[w] > 0 and (w not in fine or
                                                     plain[w] == 0)
        print(f'{"ok" if ok else "FAIL"}: {w} coarse {coarse.get(w, 0)}, '
              f'jieba (lattice settings) {lattice[w]}, fine word: '
              f'{w in fine}')
        passed += ok
        failed += not ok
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
