#!/usr/bin/env python3
"""Measures the storage candidates of issue 14 on COPIES of a baogao
database (schema 8), without changing it: what each would save, and what
the reads that would change cost.

  tests/bench/schema9_proto.py DB --work DIR [--peer PEER.db] [--word W]
                               [--baogao BIN]

Variants, each a copy of DB VACUUMed (so that only the change differs):
  base      DB as it is, VACUUMed (pages filled: the fair baseline)
  packed    sentence.terms replaced by sentence.tids, a BLOB of the
            sentence's coarse term ids in text order (unsigned LEB128
            varints, the encoding of doc_vector); sentence_fts contentless
            (content=''), fed the same terms text, so bm25 and MATCH give
            what they give today
  packed-cs packed, and sentence_fts with columnsize=0 (no _docsize table)
  no-dtt    base without the index doc_term_term
Prints each file's size (and its ratio to PEER.db, the Python jieba + FTS5
peer's database, when given), the sentence tables by dbstat, and for base
and packed the time to read the terms of every sentence holding W
(collocates' read: FTS5 MATCH joined to sentence by rowid; median of 5,
mmap as baogao's query connection), and whether the sum of bm25 of W's
best 20 rows is the same in every variant; whether the ids give back each
sentence's terms text through term and term_part (what a contentless
FTS5 table's 'delete' would be fed); with --baogao, the CPU time of
`BIN freq --top 100` on base and no-dtt (median of 3, the same output
checked). Nothing in DB is written.
"""
import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

FTS_TOKENIZE = "tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\""


def varint(v, out):
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def vacuumed_copy(src, dst):
    if os.path.exists(dst):
        os.remove(dst)
    db = sqlite3.connect(src)
    db.execute("VACUUM INTO ?", (dst,))
    db.close()


def term_id(ids, tok):
    """The id of a token of sentence.terms: a compound's parts apart by
    tabs, space inside a term written U+00A0 (README, The database); a
    term may hold U+00A0 itself (from the text)."""
    key = tok.replace("\t", "")
    i = ids.get(key)
    return i if i is not None else ids.get(key.replace("\u00a0", " "))


def roundtrip(path):
    """How many sentences' terms text the ids rebuild through term and
    term_part (what a contentless sentence_fts's 'delete' would be fed),
    and how many of the others index other FTS5 tokens."""
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    term = dict(db.execute("SELECT id, term FROM term"))
    ids = {t: i for i, t in term.items()}
    parts = {}
    for t, p in db.execute(
            "SELECT term_id, part_id FROM term_part ORDER BY term_id, seq"):
        parts.setdefault(t, []).append(term[p])

    def text(i):
        return "\t".join(p.replace(" ", "\u00a0")
                         for p in parts.get(i, [term[i]]))

    n, bad = 0, []
    for sid, terms in db.execute("SELECT id, terms FROM sentence"):
        n += 1
        got = [term_id(ids, t) for t in (terms.split(" ") if terms else [])]
        back = None if None in got else " ".join(text(i) for i in got)
        if back != terms:
            bad.append((sid, terms, back or ""))
    db.close()
    m = sqlite3.connect(":memory:")
    m.execute("CREATE VIRTUAL TABLE f USING fts5(t, %s)" % FTS_TOKENIZE)
    m.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    other = []
    for sid, a, b in bad:
        m.execute("DELETE FROM f")
        m.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)",
                      ((1, a), (2, b)))
        toks = [m.execute("SELECT term, offset FROM v WHERE doc = ? ORDER "
                          "BY offset", (d,)).fetchall() for d in (1, 2)]
        if toks[0] != toks[1]:
            other.append((sid, a, b))
    return n, bad, other


def make_packed(base, dst, columnsize):
    shutil.copy(base, dst)
    db = sqlite3.connect(dst)
    ids = {t: i for i, t in db.execute("SELECT id, term FROM term")}
    rows, texts, missing = [], [], 0
    for sid, terms in db.execute("SELECT id, terms FROM sentence"):
        b = bytearray()
        for tok in terms.split(" ") if terms else []:
            i = term_id(ids, tok)
            if i is None:
                missing += 1
                i = 0
            varint(i, b)
        rows.append((bytes(b), sid))
        texts.append((sid, terms))
    db.executescript(
        "DROP TRIGGER IF EXISTS sentence_au; DROP TRIGGER IF EXISTS "
        "sentence_ad; DROP TABLE sentence_fts; ALTER TABLE sentence ADD "
        "COLUMN tids BLOB;")
    db.executemany("UPDATE sentence SET tids = ? WHERE id = ?", rows)
    db.execute("ALTER TABLE sentence DROP COLUMN terms")
    db.execute("CREATE VIRTUAL TABLE sentence_fts USING fts5(terms, "
               "content=''%s, %s)" %
               (", columnsize=0" if columnsize else "", FTS_TOKENIZE))
    db.executemany("INSERT INTO sentence_fts(rowid, terms) VALUES (?, ?)",
                   texts)
    db.commit()
    db.execute("VACUUM")
    db.close()
    return missing


def make_no_dtt(base, dst):
    shutil.copy(base, dst)
    db = sqlite3.connect(dst)
    db.execute("DROP INDEX doc_term_term")
    db.commit()
    db.execute("VACUUM")
    db.close()


def read_cost(path, column, word, runs=5):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    db.execute("PRAGMA mmap_size = 8589934592")
    sql = ("SELECT count(*), sum(length(s.%s)) FROM sentence_fts JOIN "
           "sentence s ON s.id = sentence_fts.rowid WHERE sentence_fts "
           "MATCH ?" % column)
    times, res = [], None
    db.execute(sql, ('"%s"' % word,)).fetchone()  # warm-up
    for _ in range(runs):
        t = time.process_time()
        res = db.execute(sql, ('"%s"' % word,)).fetchone()
        times.append(time.process_time() - t)
    db.close()
    return statistics.median(times), res


def bm25_sum(path, word):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    r = db.execute(
        "SELECT round(sum(r), 9) FROM (SELECT bm25(sentence_fts) r FROM "
        "sentence_fts WHERE sentence_fts MATCH ? ORDER BY r LIMIT 20)",
        ('"%s"' % word,)).fetchone()[0]
    db.close()
    return r


def command_cpu(argv, runs=3):
    """Median CPU seconds (user + sys, from the kernel) of argv and its
    output."""
    times, out = [], None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(argv, check=True, capture_output=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime -
                     before.ru_stime)
    return statistics.median(times), out


def sizes(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    rows = db.execute(
        "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'sentence%' "
        "OR name LIKE 'doc_term%' GROUP BY name ORDER BY 2 DESC").fetchall()
    db.close()
    return ", ".join("%s %.1f" % (n, s / 1e6) for n, s in rows if s > 1e5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db")
    ap.add_argument("--work", required=True)
    ap.add_argument("--peer")
    ap.add_argument("--word", default="规定")
    ap.add_argument("--baogao")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    base = os.path.join(a.work, "base.db")
    t = time.time()
    vacuumed_copy(a.db, base)
    print("base: VACUUMed copy of %s (%.0f s)" % (a.db, time.time() - t))
    made = {"base": base}
    for name, cs in (("packed", False), ("packed-cs", True)):
        p = os.path.join(a.work, name + ".db")
        t = time.time()
        missing = make_packed(base, p, cs)
        print("%s: built in %.0f s (%d tokens without a term row)" %
              (name, time.time() - t, missing))
        made[name] = p
    p = os.path.join(a.work, "no-dtt.db")
    make_no_dtt(base, p)
    made["no-dtt"] = p
    peer = os.path.getsize(a.peer) if a.peer else None
    print("\nas ingested: %.1f MB%s" %
          (os.path.getsize(a.db) / 1e6,
           " = %.2fx the peer (%.1f MB)" %
           (os.path.getsize(a.db) / peer, peer / 1e6) if peer else ""))
    for name, p in made.items():
        size = os.path.getsize(p)
        print("%-10s %7.1f MB%s  [%s]" %
              (name, size / 1e6, " = %.2fx the peer" % (size / peer)
               if peer else "", sizes(p)))
    print("\nreading the terms of the sentences holding %s "
          "(CPU s, median of 5):" % a.word)
    for name, col in (("base", "terms"), ("packed", "tids")):
        cost, res = read_cost(made[name], col, a.word)
        print("  %-8s %.3f s  (%d sentences, %d bytes of %s)" %
              (name, cost, res[0], res[1], col))
    print("\nbm25 of the best 20 rows of %s:" % a.word)
    for name, p in made.items():
        print("  %-10s %s" % (name, bm25_sum(p, a.word)))
    n, bad, other = roundtrip(made["base"])
    print("\nterm ids -> terms text through term and term_part: %d of %d "
          "sentences exactly, %d with other FTS5 tokens" %
          (n - len(bad), n, len(other)))
    for sid, was, back in other[:5]:
        print("  sentence %d: %r rebuilt %r" % (sid, was[:60], back[:60]))
    if a.baogao:
        print("\n%s freq --top 100 (CPU s, median of 3):" % a.baogao)
        outs = set()
        for name in ("base", "no-dtt"):
            cost, out = command_cpu(
                [a.baogao, "--db", made[name], "freq", "--top", "100"])
            outs.add(out)
            print("  %-10s %.3f s" % (name, cost))
        print("  output %s" % ("the same" if len(outs) == 1 else "DIFFERS"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
