#!/usr/bin/python3
"""The peer of tests/bench/scale.py: a plain Python jieba + SQLite FTS5
pipeline, the way a report corpus is commonly indexed without baogao.

    usage: peer_fts5.py DB DIR...

Walks each DIR for .md and .txt files (names in byte order), cuts each
file's text into sentences after 。！？；!?; and at line ends, segments each
sentence with jieba.cut (jieba 0.42.1, Debian python3-jieba: accurate mode,
HMM on, the defaults), and stores one row per sentence: the document, the
sentence's character offsets and text, and its words joined by spaces
(punctuation dropped), indexed by FTS5 (external content, unicode61, as
baogao's sentence_fts). Files are committed 64 at a time in WAL mode with
synchronous=NORMAL, as baogao commits its batches. It does far less than
baogao (no normalisation, repairs, metadata, term counts or extraction):
it is the yardstick for ingest time and database size.
"""
import logging
import os
import re
import sqlite3
import sys

import jieba

SENTENCE = re.compile(r"[^\n。！？；!?;]+[。！？；!?;]*")
PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】〔〕—…·,.;:?!\"'()[]<>-/ \t\u3000")


def files(top):
    out = []
    for d, dirs, names in os.walk(top):
        dirs.sort()
        for n in names:
            if n.endswith((".md", ".txt")) and n != "README.md":
                out.append(os.path.join(d, n))
    return sorted(out, key=os.fsencode)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: peer_fts5.py DB DIR...")
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.executescript(
        """
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
        CREATE TABLE document(id INTEGER PRIMARY KEY, path TEXT UNIQUE,
                              title TEXT);
        CREATE TABLE sentence(id INTEGER PRIMARY KEY, doc_id INTEGER,
                              start INTEGER, end INTEGER, text TEXT,
                              terms TEXT);
        CREATE VIRTUAL TABLE sentence_fts USING fts5(
            terms, content='sentence', content_rowid='id');
        """
    )
    paths = [p for top in sys.argv[2:] for p in files(top)]
    db.execute("BEGIN")
    nsent = 0
    for i, path in enumerate(paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        title = text.lstrip().split("\n", 1)[0].strip("# ")
        doc = db.execute(
            "INSERT INTO document(path, title) VALUES (?, ?)", (path, title)
        ).lastrowid
        rows = []
        for m in SENTENCE.finditer(text):
            s = m.group().strip()
            if not s:
                continue
            words = [w for w in jieba.cut(s) if w not in PUNCT and not w.isspace()]
            rows.append((doc, m.start(), m.end(), s, " ".join(words)))
        first = nsent + 1
        db.executemany(
            "INSERT INTO sentence(doc_id, start, end, text, terms) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        db.execute(
            "INSERT INTO sentence_fts(rowid, terms) SELECT id, terms FROM "
            "sentence WHERE id >= ?",
            (first,),
        )
        nsent += len(rows)
        if i % 64 == 63:
            db.execute("COMMIT")
            db.execute("BEGIN")
    db.execute("COMMIT")
    db.close()
    print(f"peer: {len(paths)} files, {nsent} sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
