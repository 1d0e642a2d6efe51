#!/usr/bin/env python3
"""Memorised rule literals: pattern words that only one gold document uses.

usage: rule_literals.py BAOGAO [SRCDIR] [CORPUS]

A rule is written from the guidelines and the language; a literal of its
pattern that occurs in exactly one gold document and in no other text of
the shared corpus was written from that document's wording (issue 10). This
script lists such literals, and comment phrases (8 or more Han characters)
copied from a gold document. It reads the analysis form (Simplified,
NFKC-folded, as the rules see it) of:
  - the gold documents: SRCDIR/tests/data/extraction (dev, train and the
    texts of the held-back development documents);
  - the corpus: CORPUS (default SRCDIR/../shared/corpus); skipped with a
    message, exit 0, when absent.
Both are ingested with BAOGAO into temporary databases.

Literals are the runs of two or more Han characters of a pattern outside
character classes (the words of its alternations, lookarounds included).
A corpus document counts as another text unless it is a copy of the gold
document (it holds one of the gold document's sentences of 20 or more
characters). Exit status 0 when nothing is found, 1 otherwise.
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bgterms  # noqa: E402  (bg_norm: a sentence's analysis form)

HAN = r'[\u3400-\u9fff\uf900-\ufaff]'


def literals(pattern):
    """Runs of 2+ Han characters outside [...] classes and escapes."""
    out, i, cur = [], 0, ''
    while i < len(pattern):
        c = pattern[i]
        if c == '\\':
            i += 2
            if cur:
                out.append(cur)
            cur = ''
            continue
        if c == '[':
            j = i + 1
            if j < len(pattern) and pattern[j] == '^':
                j += 1
            if j < len(pattern) and pattern[j] == ']':
                j += 1
            while j < len(pattern) and pattern[j] != ']':
                j += 2 if pattern[j] == '\\' else 1
            i = j + 1
            if cur:
                out.append(cur)
            cur = ''
            continue
        if re.match(HAN, c):
            cur += c
        else:
            if cur:
                out.append(cur)
            cur = ''
        i += 1
    if cur:
        out.append(cur)
    # a quantified last character is optional: 缺失? -> 缺 and 缺失
    return {w for w in out if len(w) >= 2}


def ingest(baogao, rules, paths, db):
    """The analysis form of every document ingested from paths (the rules
    alone: only the text is read)."""
    r = subprocess.run([baogao, '--db', db, 'ingest', '--rules', rules] +
                       paths, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode and 'ingested' not in r.stderr:
        sys.exit(f'rule_literals: ingest failed: {r.stderr[-500:]}')
    con = bgterms.register(sqlite3.connect(db))
    lines = {}
    # each document's analysis form: its sentences' (bg_norm), one a line
    for path, doc, text in con.execute(
            "SELECT s.path, d.id, bg_norm(x.text, x.norm_edit) "
            "FROM sentence x JOIN document d ON d.id = x.doc_id "
            "JOIN source s ON s.id = d.source_id ORDER BY d.id, x.seq"):
        lines.setdefault((path, doc), []).append(text or '')
    return {k: '\n'.join(v) for k, v in lines.items()}


def main(argv):
    if not argv:
        sys.exit(__doc__.split('\n\n')[1])
    baogao = os.path.abspath(argv[0])
    src = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..')
    corpus = argv[2] if len(argv) > 2 else os.path.join(src, '..', 'shared',
                                                        'corpus')
    if not os.path.isdir(corpus):
        print(f'rule_literals: skipped: no corpus at {corpus}')
        return 0
    data = os.path.join(src, 'tests', 'data', 'extraction')
    rules = []
    rdir = os.path.join(src, 'dict', 'rules')
    for f in sorted(os.listdir(rdir)):
        if f.endswith('.jsonl'):
            for line in open(os.path.join(rdir, f), encoding='utf-8'):
                line = line.strip()
                if line and not line.startswith('//'):
                    rules.append(json.loads(line))
    with tempfile.TemporaryDirectory() as tmp:
        rcopy = os.path.join(tmp, 'rules')
        os.mkdir(rcopy)
        for f in os.listdir(rdir):
            if f.endswith('.jsonl'):
                with open(os.path.join(rdir, f), 'rb') as a, \
                        open(os.path.join(rcopy, f), 'wb') as b:
                    b.write(a.read())
        gold = ingest(baogao, rcopy, [os.path.join(data, 'docs'),
                                      os.path.join(data, 'train', 'docs')],
                      os.path.join(tmp, 'gold.db'))
        corp = ingest(baogao, rcopy, [corpus], os.path.join(tmp, 'corpus.db'))
    gname = {k: os.path.basename(k[0])[:-4] for k in gold}
    words = set()
    for r in rules:
        words |= literals(r.get('pattern', ''))
    rx = re.compile('|'.join(sorted(map(re.escape, words), key=len,
                                    reverse=True)))

    def where(docs, w):
        return [k for k, t in docs.items() if w in t]
    # each gold document's long sentences, to know its copies in the corpus
    marks = {k: [s for s in t.split('\n') if len(s) >= 20][:5]
             for k, t in gold.items()}
    found = []
    for w in sorted(words):
        g = where(gold, w)
        if len(g) != 1:
            continue
        others = [c for c in where(corp, w)
                  if not any(m in corp[c] for m in marks[g[0]])]
        if not others:
            ids = [r['id'] for r in rules if w in literals(r.get('pattern', ''))]
            found.append(f'literal {w}: only in {gname[g[0]]} '
                         f'({", ".join(ids)})')
    # comment phrases copied from a gold document
    for r in rules:
        for run in re.findall(HAN + '{8,}', r.get('comment', '')):
            g = where(gold, run)
            if g:
                found.append(f'comment of {r["id"]}: "{run}" is text of '
                             f'{gname[g[0]]}')
    print(f'rule_literals: {len(words)} pattern literals of {len(rules)} '
          f'rules; {len(gold)} gold documents, {len(corp)} corpus documents')
    for f in found:
        print('  ' + f)
    print(f'rule_literals: {len(found)} found')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
