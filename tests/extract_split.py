#!/usr/bin/env python3
"""The extraction gold's documents, their genres and the lockbox split.

usage: extract_split.py [DATA] [--check]

DATA is tests/data/extraction (default: next to this script). Reads
DATA/gold-dev.jsonl and DATA/train/gold-train.jsonl (the document names)
and DATA/train/docs.json (the train documents' genres), and prints one line
per document, sorted by name:

    doc<TAB>genre<TAB>set

genre: docs.json's genre for a train document; for a development document
the genre its name's prefix names (GUIDELINES.md, "Genres": notice-* is a
policy, shuzhi-* a first-person report (xinde), the rest their prefix).
set: "dev" (the 13 development documents: the rules shipped before issue 10
were written on them, so they are never unseen), "lockbox" or "train".

The lockbox is the test split that is never looked at or scored while
rules or the model are tuned; it is scored once at the end. Rule: for each
genre, k = floor(n / 5 + 0.5) with n the genre's documents in dev + train
(20% of the genre, rounded), and the lockbox takes the k train documents of
that genre whose SHA-256 of the UTF-8 name (hex) sorts first. The dev-only
genre (seed) gets none. With --check, compares the result with DATA/split.tsv
and exits 1 when they differ (the file is written by redirecting stdout).
"""
import hashlib
import json
import math
import os
import sys

PREFIX_GENRE = {'notice': 'policy', 'shuzhi': 'xinde'}


def docs_of(path):
    with open(path, encoding='utf-8') as f:
        return {json.loads(l)['doc'] for l in f if l.strip()}


def split(data):
    dev = docs_of(os.path.join(data, 'gold-dev.jsonl'))
    train = docs_of(os.path.join(data, 'train', 'gold-train.jsonl'))
    with open(os.path.join(data, 'train', 'docs.json'), encoding='utf-8') as f:
        genre = {d['doc']: d['genre'] for d in json.load(f)}
    for d in dev:
        p = d.split('-')[0]
        genre[d] = PREFIX_GENRE.get(p, p)
    missing = sorted(train - set(genre))
    if missing:
        sys.exit('extract_split: no genre for ' + ', '.join(missing))
    rows = {d: [genre[d], 'dev' if d in dev else 'train'] for d in dev | train}
    for g in sorted({genre[d] for d in rows}):
        n = sum(1 for d in rows if genre[d] == g)
        k = int(math.floor(n / 5 + 0.5))
        cand = sorted((hashlib.sha256(d.encode('utf-8')).hexdigest(), d)
                      for d in train if genre[d] == g)
        for _, d in cand[:k]:
            rows[d][1] = 'lockbox'
    return ''.join(f'{d}\t{g}\t{s}\n' for d, (g, s) in sorted(rows.items()))


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    data = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'data', 'extraction')
    out = split(data)
    if '--check' in argv:
        with open(os.path.join(data, 'split.tsv'), encoding='utf-8') as f:
            if f.read() != out:
                print('extract_split: split.tsv differs from the rule; '
                      'regenerate it with tests/extract_split.py', file=sys.stderr)
                return 1
        print('extract_split: split.tsv follows the rule')
        return 0
    sys.stdout.write(out)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
