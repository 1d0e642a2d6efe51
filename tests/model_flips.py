#!/usr/bin/env python3
"""How much the learned layer's labels move when it is refitted (issue 10).

usage: model_flips.py BAOGAO SRCDIR WORKDIR DOCDIR... [--draws N] [--seed S]
                      [--frac F] [--rules-from DIR]... [--reuse]

Fits the model as README's `baogao train` section says (every gold
document outside the lockbox) and again on perturbed gold:
  - leave out a seeded random fraction F (default 0.1) of those documents,
    N draws (default 5; draw i uses random.Random(S + i), S default 1000);
  - each --rules-from DIR: another rule set (its *.jsonl, e.g. an older
    main's dict/rules from `git archive`), fitted on the same documents;
then labels the documents of DOCDIR... (unseen text: no gold, train or
blind-sample document) with each fit (`baogao extract --rules`) and counts,
per kind, the labels that differ from the full fit's, and where the model's
probability of each differing label lies (read from --explain on the side
that labels it; `rules.force` marks a label the rules' score decided).

The unseen documents are ingested once into WORKDIR/unseen.db; each fit's
rule directory is WORKDIR/fit-NAME (with --reuse, a fit whose model.txt
exists is not trained again). Writes WORKDIR/flips.tsv (every differing
label: fit, kind, change, p, forced, file, start, text) and prints
the table. A measurement, not a test: the exit status is 0 whatever the
counts.
"""
import collections
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys

KINDS = ('theme', 'problem', 'commitment')
BINS = (0.3, 0.4, 0.45, 0.5, 0.6, 1.01)
P_RE = re.compile(r'model\.(\w+) p=([0-9.]+)')


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        sys.exit(f'{" ".join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}')
    return r.stdout


def gold_docs(data):
    """(dev+train document names outside the lockbox, lockbox names)."""
    lock, docs = [], []
    for line in open(os.path.join(data, 'split.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if len(f) >= 3:
            (lock if f[2] == 'lockbox' else docs).append(f[0])
    return sorted(docs), sorted(lock)


def train(bg, data, rules_src, out, exclude, reuse):
    if reuse and os.path.exists(os.path.join(out, 'model.txt')):
        return
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(out, '*')):
        os.remove(f)
    for f in glob.glob(os.path.join(rules_src, '*.jsonl')):
        shutil.copy(f, out)
    run([bg, 'train', '--rules', out, '--exclude', ','.join(exclude),
         os.path.join(data, 'gold-dev.jsonl'),
         os.path.join(data, 'train', 'gold-train.jsonl')])


def labels(bg, db, rules):
    """{(kind, file, start, end): (p, forced, text)} of the database
    relabelled with rule set rules."""
    run([bg, '--db', db, 'extract', '--rules', rules])
    out = {}
    for k in KINDS:
        txt = run([bg, '--db', db, '--format', 'jsonl', k + 's',
                   '--explain'])
        for line in txt.splitlines():
            if not line.strip():
                continue
            o = json.loads(line)
            m = P_RE.search(o.get('explain') or '')
            p = float(m.group(2)) if m else None
            forced = 'rules.force' in (o.get('explain') or '')
            out[(k, o['file'], o['start'], o['end'])] = (p, forced,
                                                         o['text'])
    return out


def binned(p):
    if p is None:
        return 'none'
    lo = 0.0
    for b in BINS:
        if p < b:
            return f'{lo:.2f}-{min(b, 1.0):.2f}'
        lo = b
    return 'none'


def main():
    a = sys.argv[1:]
    opts = {'--draws': '5', '--seed': '1000', '--frac': '0.1'}
    rules_from, pos, reuse = [], [], False
    i = 0
    while i < len(a):
        if a[i] in opts:
            opts[a[i]] = a[i + 1]
            i += 2
        elif a[i] == '--rules-from':
            rules_from.append(a[i + 1])
            i += 2
        elif a[i] == '--reuse':
            reuse = True
            i += 1
        else:
            pos.append(a[i])
            i += 1
    if len(pos) < 4:
        sys.exit(__doc__)
    bg, src, work, docdirs = os.path.abspath(pos[0]), pos[1], pos[2], pos[3:]
    data = os.path.join(src, 'tests', 'data', 'extraction')
    rules = os.path.join(src, 'dict', 'rules')
    os.makedirs(work, exist_ok=True)
    docs, lock = gold_docs(data)
    fits = [('full', rules, lock)]
    n_out = max(1, round(float(opts['--frac']) * len(docs)))
    for d in range(int(opts['--draws'])):
        rng = random.Random(int(opts['--seed']) + d)
        out = sorted(rng.sample(docs, n_out))
        fits.append((f'drop{d}', rules, lock + out))
    for j, r in enumerate(rules_from):
        fits.append((f'rules{j}', r, lock))
    db = os.path.join(work, 'unseen.db')
    if not (reuse and os.path.exists(db)):
        for f in glob.glob(db + '*'):
            os.remove(f)
        run([bg, '--db', db, 'ingest'] + docdirs)
    for name, rsrc, excl in fits:
        train(bg, data, rsrc, os.path.join(work, 'fit-' + name), excl, reuse)
    got = {}
    for name, _, _ in fits:
        d = os.path.join(work, 'fit-' + name)
        got[name] = labels(bg, db, d)
        head = [l.strip() for l in open(os.path.join(d, 'model.txt'),
                                        encoding='utf-8')
                if l.startswith(('threshold', '# per-kind'))]
        print(f'{name}: {len(got[name])} labels; {"; ".join(head)}',
              flush=True)
    with open(os.path.join(work, 'flips.tsv'), 'w', encoding='utf-8') as tsv:
        tsv.write('fit\tkind\tchange\tp\tforced\tfile\tstart\ttext\n')
        compare(fits, got, tsv)


def compare(fits, got, tsv):
    base = got['full']
    print('\nfit      kind        base   fit  added dropped  p of the changed '
          'labels (side that labels; f = rules.force)')
    total = collections.defaultdict(list)
    for name, _, _ in fits[1:]:
        other = got[name]
        for k in KINDS:
            b = {key: v for key, v in base.items() if key[0] == k}
            o = {key: v for key, v in other.items() if key[0] == k}
            add = [(key, o[key]) for key in o if key not in b]
            drop = [(key, b[key]) for key in b if key not in o]
            hist = collections.Counter()
            for change, rows in (('+', add), ('-', drop)):
                for key, (p, forced, text) in rows:
                    hist[binned(p) + ('f' if forced else '')] += 1
                    tsv.write(f'{name}\t{k}\t{change}\t{p}\t{int(forced)}\t'
                              f'{key[1]}\t{key[2]}\t{text[:80]}\n')
            total[(name[:4], k)].append(len(add) + len(drop))
            h = ' '.join(f'{x}:{hist[x]}' for x in sorted(hist))
            print(f'{name:8} {k:10} {len(b):5} {len(o):5} {len(add):6} '
                  f'{len(drop):7}  {h}')
    print('\nmean labels changed per refit (added + dropped):')
    for (grp, k), v in sorted(total.items()):
        print(f'  {grp:5} {k:10} {sum(v) / len(v):7.1f}  ({len(v)} fits: '
              f'{", ".join(map(str, v))})', flush=True)


if __name__ == '__main__':
    main()
