#!/usr/bin/env python3
"""sentence.terms of schema 9 for the test scripts: a decoder written from
the description in pipeline/util_sql.h (packed coarse term ids, v = 2 * id
+ cut; v = 1 an escape: id, n, n part ids), so that a test's SQL reads the
terms text as baogao's own function bg_terms gives it (and checks it).

As a module: register(con) adds bg_terms(value) to a sqlite3 connection
(a TEXT value, schema 8 and before, passes as it is), and bg_norm(text,
norm_edit), a sentence's analysis form (schema 11).
As a program: bgterms.py DB SQL... runs each statement of each SQL on DB with bg_terms and
prints its rows as the sqlite3 shell's list mode does ('|' between
values, NULL empty; a BLOB as X'hex'); --csv prints a header and CSV."""
import csv
import sqlite3
import sys


def register(con):
    terms = {}
    parts = {}

    def load():
        terms.clear()
        parts.clear()
        terms.update(con.execute("SELECT id, term FROM term"))
        for t, p in con.execute(
                "SELECT term_id, part_id FROM term_part ORDER BY term_id, seq"):
            parts.setdefault(t, []).append(p)

    def term(i):
        if i not in terms:
            load()
        return terms[i]

    def decode(b):
        if b is None or isinstance(b, str):
            return b
        out, i = [], 0

        def var():
            nonlocal i
            v, s = 0, 0
            while True:
                c = b[i]
                i += 1
                v |= (c & 0x7F) << s
                s += 7
                if c < 0x80:
                    return v

        while i < len(b):
            v = var()
            if v == 1:
                var()  # the coarse term's id
                n = var()
                out.append("\t".join(term(var()) for _ in range(n)))
            elif v & 1:
                if v >> 1 not in parts:
                    load()
                out.append("\t".join(term(p) for p in parts[v >> 1]))
            else:
                out.append(term(v >> 1))
        return " ".join(out)

    con.create_function("bg_terms", 1, decode)
    con.create_function("bg_norm", 2, norm)
    return con


def norm(text, edits):
    """bg_norm(text, norm_edit): the analysis form of a sentence (schema
    11), text with the edits applied as pipeline/util.h describes them:
    operations of three varints keep, del, ins and ins bytes; the rest of
    the text copied. NULL edits give the text."""
    if text is None or edits is None:
        return text
    src, out, at, i = text.encode(), bytearray(), 0, 0

    def var():
        nonlocal i
        v, s = 0, 0
        while True:
            c = edits[i]
            i += 1
            v |= (c & 0x7F) << s
            s += 7
            if c < 0x80:
                return v

    while i < len(edits):
        keep, dele, ins = var(), var(), var()
        if at + keep + dele > len(src) or i + ins > len(edits):
            raise ValueError("bg_norm: damaged edits")
        out += src[at:at + keep]
        at += keep + dele
        out += edits[i:i + ins]
        i += ins
    out += src[at:]
    return out.decode()


def show(v):
    if v is None:
        return ""
    if isinstance(v, bytes):
        return "X'" + v.hex().upper() + "'"
    return str(v)


def statements(sql):
    """The statements of sql, apart at each ';' outside quotes."""
    out, cur, quote = [], [], None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [x for x in out if x.strip()]


def main(argv):
    as_csv = argv[:1] == ["--csv"]
    if as_csv:
        argv = argv[1:]
    con = register(sqlite3.connect(argv[0]))
    w = csv.writer(sys.stdout, lineterminator="\n")
    for sql in [x for a in argv[1:] for x in statements(a)]:
        cur = con.execute(sql)
        if as_csv:
            w.writerow([d[0] for d in cur.description])
        for row in cur:
            if as_csv:
                w.writerow([show(v) for v in row])
            else:
                print("|".join(show(v) for v in row))


if __name__ == "__main__":
    main(sys.argv[1:])
