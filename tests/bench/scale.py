#!/usr/bin/python3
"""Ingest and query benchmark at 1x and 4x the benchmark corpus (issue 14).
Not a CTest test: it prints figures, it judges nothing.

    usage: tests/bench/scale.py BAOGAO [--vs BAOGAO_B] [--rounds R]
               [--query-runs N] [--scales 1,4] [--no-peer] [--no-queries]
               [--work DIR] [--tarball FILE] [--reuse]

Corpus: ../shared/bench/lawrefbook-laws.tar.xz (3,515 Markdown files,
58 MB). 1x is the corpus as unpacked; 4x is four copies of it under
different directory names ingested into one database, each file of copy k
ending with one more line naming the copy (副本k), so that no document is
an exact duplicate of another (baogao stores an exact duplicate once).

Ingest: in each of R rounds (default 3) every program runs once into a new
database, in turn (the order reversed every other round): BAOGAO with 1
and 2 threads (BAOGAO_THREADS: since issue 14's writer change every
thread, the writer included; before it, worker threads beside the writer,
so an older BAOGAO_B's "1 thread" ran two), BAOGAO_B likewise when given, and
the peer, tests/bench/peer_fts5.py (Python jieba + SQLite FTS5, one
thread). Each run's wall time, CPU time (user + system) and peak resident
memory come from the operating system's accounting of the finished process
(wait4 rusage); the database size is the file's (plus its WAL, if left)
after the run. Printed: medians over the rounds, and ratios taken round by
round (pairs run back to back) with their median. baogao runs with
BAOGAO_THREAD_TIMES=1 (cmd_ingest.c), which prints each thread's CPU
seconds: the 1-thread run's CPU over the 2-thread run's busiest thread is
the speed-up two free cores would allow, which the wall ratio of a shared
machine (others' load taking the cores) cannot show.

Queries, on the 2-thread databases of the last round, each run N times
(default 5) in turn with the others: freq --top 100, keyness of the first
half of the documents against the second, collocates 规定, search 规定 and
kwic 规定 (first page: 20 hits, the default), every query of every
program and scale in turn within a round. Wall and CPU time of the whole
process, medians; the 4x/1x ratio, and with --vs the ratio A / B run by
run.

With --reuse, no ingest: the queries run on the 2-thread databases a
previous run left in DIR (x{K}-A_2_threads.db, x{K}-B_2_threads.db), for
query figures without the hour the ingest rounds take.

The machine is shared: quote medians and ratios, and read the min-max
spread (printed) as the noise.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "peer_fts5.py")
WORD = "规定"
# Debian's python3 has python3-jieba; a python3 earlier on the PATH may not
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
THREAD_CPU = re.compile(r"thread times: (?:writer|worker \d+) ([0-9.]+) s CPU")


def run(argv, env=None, out=None):
    """Runs argv to completion; returns (wall s, cpu s, peak RSS MB, rc)."""
    t0 = time.monotonic()
    with open(out or os.devnull, "wb") as sink:
        p = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, p.returncode


def db_mb(path):
    n = 0
    for suffix in ("", "-wal"):
        if os.path.exists(path + suffix):
            n += os.path.getsize(path + suffix)
    return n / 1e6


def rm_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def prepare(work, tarball, scales):
    """Unpacks the corpus once; returns {scale: [directories]}."""
    base = os.path.join(work, "lawrefbook-laws")
    if not os.path.isdir(base):
        with tarfile.open(tarball) as t:
            t.extractall(work)
    dirs = {1: [base]}
    for k in scales:
        if k == 1:
            continue
        copies = []
        for c in range(1, k + 1):
            d = os.path.join(work, f"x{k}", f"copy{c}")
            copies.append(d)
            if os.path.isdir(d):
                continue
            tmp = d + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            for top, _, names in os.walk(base):
                rel = os.path.relpath(top, base)
                os.makedirs(os.path.join(tmp, rel), exist_ok=True)
                for n in names:
                    with open(os.path.join(top, n), "rb") as f:
                        data = f.read()
                    if not data.endswith(b"\n"):
                        data += b"\n"
                    data += f"\n副本{c}\n".encode()
                    with open(os.path.join(tmp, rel, n), "wb") as f:
                        f.write(data)
            os.rename(tmp, d)
        dirs[k] = copies
    return dirs


def corpus_size(dirs):
    n = b = 0
    for d in dirs:
        for top, _, names in os.walk(d):
            for x in names:
                if x.endswith(".md"):
                    n += 1
                    b += os.path.getsize(os.path.join(top, x))
    return n, b / 1e6


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    return f"{min(xs):.2f}-{max(xs):.2f}" if xs else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("baogao")
    ap.add_argument("--vs", help="a second baogao binary, run in the same rounds")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--query-runs", type=int, default=5)
    ap.add_argument("--scales", default="1,4")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-queries", action="store_true", help="ingest figures only")
    ap.add_argument("--reuse", action="store_true", help="queries only, on the databases in --work")
    ap.add_argument("--work", default=os.environ.get("BAOGAO_BENCH_DIR", "/tmp/baogao-scale"))
    ap.add_argument(
        "--tarball",
        default=os.path.join(HERE, "..", "..", "..", "shared", "bench", "lawrefbook-laws.tar.xz"),
    )
    a = ap.parse_args()
    if not os.path.isfile(a.tarball):
        print(f"scale benchmark skipped: no {a.tarball} (give it with --tarball)")
        return 0
    scales = [int(x) for x in a.scales.split(",")]
    os.makedirs(a.work, exist_ok=True)
    dirs = prepare(a.work, a.tarball, scales)
    progs = [("A", os.path.abspath(a.baogao))]
    if a.vs:
        progs.append(("B", os.path.abspath(a.vs)))
    print(f"A = {progs[0][1]}")
    if a.vs:
        print(f"B = {progs[1][1]}")
    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")
    for k in scales:
        n, mb = corpus_size(dirs[k])
        print(f"corpus {k}x: {n} files, {mb:.1f} MB")
    print()

    # ---- ingest -----------------------------------------------------------
    variants = []  # (label, argv builder, env)
    for name, exe in progs:
        for th in (1, 2):
            variants.append((f"{name} {th} thread{'s' if th > 1 else ''}", exe, th))
    if not a.no_peer:
        variants.append(("peer jieba+FTS5", None, 1))
    res = {}  # (scale, label) -> list of (wall, cpu, rss, db)
    qdb = {}  # (scale, prog name) -> database for the queries
    summary = {}
    busiest = {}  # (scale, label) -> the busiest thread's CPU s, per round
    if a.reuse:
        for k in scales:
            for name, _ in progs:
                qdb[(k, name)] = os.path.join(a.work, f"x{k}-{name}_2_threads.db")
                if not os.path.isfile(qdb[(k, name)]):
                    print(f"--reuse: no {qdb[(k, name)]}")
                    return 1
    for k in scales if not a.reuse else []:
        for rnd in range(a.rounds):
            order = variants if rnd % 2 == 0 else variants[::-1]
            for label, exe, th in order:
                db = os.path.join(a.work, f"x{k}-{label.replace(' ', '_').replace('+', '')}.db")
                rm_db(db)
                log = db + ".log"
                if exe is None:
                    argv = [PYTHON, PEER, db] + dirs[k]
                    env = None
                else:
                    argv = [exe, "--db", db, "ingest"] + dirs[k]
                    env = dict(os.environ, BAOGAO_THREADS=str(th), BAOGAO_THREAD_TIMES="1")
                wall, cpu, rss, rc = run(argv, env, log)
                if rc not in (0, 1):
                    print(f"{label} {k}x: exit status {rc} (log {log})")
                res.setdefault((k, label), []).append((wall, cpu, rss, db_mb(db)))
                with open(log, encoding="utf-8", errors="replace") as f:
                    lines = f.read().splitlines()
                last = [ln for ln in lines if "ingested" in ln or "peer:" in ln]
                if last:
                    summary[(k, label)] = last[-1]
                # the busiest thread's CPU seconds (BAOGAO_THREAD_TIMES; a
                # build before it prints none)
                tt = [float(m.group(1)) for m in (THREAD_CPU.search(ln) for ln in lines) if m]
                if tt:
                    busiest.setdefault((k, label), []).append(max(tt))
                if exe is not None and th == 2:
                    qdb[(k, label.split()[0])] = db
            print(f"  {k}x round {rnd + 1}/{a.rounds} done, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if not a.reuse:
        report_ingest(a, scales, progs, variants, res, summary, busiest)
    if a.no_queries:
        print(f"load average at end {os.getloadavg()[0]:.2f}")
        return 0

    # ---- queries ----------------------------------------------------------
    return queries(a, scales, progs, qdb)


def report_ingest(a, scales, progs, variants, res, summary, busiest):
    print(f"INGEST (medians of {a.rounds} interleaved rounds; wall and CPU = user+sys from wait4 rusage)")
    print(f"{'scale':<6}{'program':<20}{'wall s':>8}{'(min-max)':>14}{'CPU s':>8}{'peak RSS MB':>13}{'db MB':>8}")
    for k in scales:
        for label, _, _ in variants:
            rs = res[(k, label)]
            w = [r[0] for r in rs]
            print(
                f"{str(k) + 'x':<6}{label:<20}{med(w):8.2f}{spread(w):>14}"
                f"{med([r[1] for r in rs]):8.2f}{max(r[2] for r in rs):13.0f}{med([r[3] for r in rs]):8.1f}"
            )
    for k in scales:
        for label, _, _ in variants:
            if (k, label) in summary:
                print(f"  {k}x {label}: {summary[(k, label)]}")
    print()
    print("RATIOS (per round, median; targets of issue 14 in brackets)")

    def ratio(k, num, den, col=0):
        xs = [n[col] / d[col] for n, d in zip(res[(k, num)], res[(k, den)]) if d[col] > 0]
        return med(xs), xs

    for k in scales:
        for name, _ in progs:
            m, xs = ratio(k, f"{name} 1 thread", f"{name} 2 threads")
            print(f"{k}x {name}: wall 1 thread / 2 threads = {m:.2f} (rounds {', '.join(f'{x:.2f}' for x in xs)}) [>= 1.7]")
            b1, b2 = busiest.get((k, f"{name} 1 thread")), busiest.get((k, f"{name} 2 threads"))
            if b1 and b2:
                # what two free cores would allow: a run takes at least its
                # busiest thread's CPU time (the others' load stretches the
                # wall time of a shared machine, not this)
                xs = [x / y for x, y in zip(b1, b2) if y > 0]
                print(
                    f"{k}x {name}: CPU of the 1-thread run / busiest thread of the 2-thread run = {med(xs):.2f} "
                    f"(rounds {', '.join(f'{x:.2f}' for x in xs)}; busiest thread {med(b2):.2f} s of {med([r[1] for r in res[(k, f'{name} 2 threads')]]):.2f} s CPU)"
                )
            if not a.no_peer:
                m, xs = ratio(k, "peer jieba+FTS5", f"{name} 2 threads")
                print(f"{k}x {name}: wall peer / {name} 2 threads = {m:.2f} (rounds {', '.join(f'{x:.2f}' for x in xs)}) [>= 4]")
                m, xs = ratio(k, "peer jieba+FTS5", f"{name} 2 threads", 1)
                print(f"{k}x {name}: CPU peer / {name} 2 threads = {m:.2f}")
                b2 = busiest.get((k, f"{name} 2 threads"))
                if b2:
                    xs = [r[1] / y for r, y in zip(res[(k, "peer jieba+FTS5")], b2) if y > 0]
                    print(f"{k}x {name}: CPU peer (one thread) / busiest thread of {name} 2 threads = {med(xs):.2f}")
                m, _ = ratio(k, f"{name} 2 threads", "peer jieba+FTS5", 3)
                print(f"{k}x {name}: database {name} / peer = {m:.2f} [<= 1.2]")
            print(f"{k}x {name}: peak ingest RSS {max(r[2] for r in res[(k, f'{name} 2 threads')] + res[(k, f'{name} 1 thread')]):.0f} MB [< 300]")
        if a.vs:
            m, xs = ratio(k, "A 2 threads", "B 2 threads")
            print(f"{k}x: wall A / B at 2 threads = {m:.2f} (rounds {', '.join(f'{x:.2f}' for x in xs)})")
            m, xs = ratio(k, "A 2 threads", "B 2 threads", 1)
            print(f"{k}x: CPU A / B at 2 threads = {m:.2f}")
    if len(scales) > 1:
        lo, hi = scales[0], scales[-1]
        for label, _, _ in variants:
            w_lo = med([r[0] for r in res[(lo, label)]])
            w_hi = med([r[0] for r in res[(hi, label)]])
            print(f"{hi}x/{lo}x ingest wall, {label}: {w_hi / w_lo:.2f} (linear: {hi / lo:.1f})")
    print()


def queries(a, scales, progs, qdb):
    queries = [
        ("freq --top 100", ["freq", "--top", "100"]),
        ("keyness first half vs second", None),
        (f"collocates {WORD}", ["collocates", WORD]),
        (f"search {WORD} (first page)", ["search", WORD]),
        (f"kwic {WORD} (first page)", ["kwic", WORD]),
    ]
    qt = {}  # (scale, prog, label) -> [(wall, cpu)]
    half = {}
    for k in scales:
        for name, exe in progs:
            db = qdb[(k, name)]
            half[(k, name)] = subprocess.run(
                ["sqlite3", db, "SELECT max(id) / 2 FROM document"], capture_output=True, text=True
            ).stdout.strip()
            counts = subprocess.run(
                [
                    "sqlite3",
                    db,
                    "SELECT (SELECT count(*) FROM document WHERE dup_of IS NULL), "
                    "(SELECT count(*) FROM sentence), (SELECT sum(n_tokens) FROM document)",
                ],
                capture_output=True,
                text=True,
            ).stdout.strip()
            print(f"{k}x {name} database: documents|sentences|tokens = {counts}, {db_mb(db):.0f} MB")
            # what each table and index takes (SQLite's dbstat: pages x size)
            sizes = subprocess.run(
                [
                    "sqlite3",
                    db,
                    "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                    "ORDER BY 2 DESC",
                ],
                capture_output=True,
                text=True,
            ).stdout.split()
            big = [x.rsplit("|", 1) for x in sizes if "|" in x]
            print("   " + ", ".join(f"{n} {int(b) / 1e6:.0f}" for n, b in big if int(b) >= 5e6) + " (MB)")
    loads = []
    for rnd in range(a.query_runs + 1):  # the first is a warm-up
        # each query of each program and scale in turn, so that the load
        # of the moment falls on all of them alike
        for label, args in queries:
            for k in scales:
                for name, exe in progs:
                    argv = args or ["keyness", "--target", f"doc<={half[(k, name)]}",
                                    "--reference", f"doc>{half[(k, name)]}"]
                    wall, cpu, _, rc = run([exe, "--db", qdb[(k, name)]] + argv)
                    if rc != 0:
                        print(f"{label} {k}x {name}: exit status {rc}")
                    if rnd:
                        qt.setdefault((k, name, label), []).append((wall, cpu))
        loads.append(os.getloadavg()[0])
    print()
    print(
        f"QUERIES (the whole process: median wall s (min-max) and median CPU s, of {a.query_runs} "
        "interleaved runs after a warm-up)"
    )
    hdr = "".join(f"{str(k) + 'x wall':>20}{'CPU':>7}" for k in scales)
    for name, _ in progs:
        print(f"{name}: {'query':<32}{hdr}{'  ratio ' + str(scales[-1]) + 'x/' + str(scales[0]) + 'x' if len(scales) > 1 else ''}")
        for label, _ in queries:
            cells = ""
            for k in scales:
                xs = [x[0] for x in qt[(k, name, label)]]
                cells += f"{med(xs):7.3f} ({spread(xs)})".rjust(20)
                cells += f"{med([x[1] for x in qt[(k, name, label)]]):7.3f}"
            r = ""
            if len(scales) > 1:
                w = {k: med([x[0] for x in qt[(k, name, label)]]) for k in scales}
                r = f"  {w[scales[-1]] / w[scales[0]]:.2f}"
            print(f"   {label:<32}{cells}{r}")
    if len(progs) > 1:
        for k in scales:
            for label, _ in queries:
                xs = [x[0] / y[0] for x, y in zip(qt[(k, "A", label)], qt[(k, "B", label)]) if y[0] > 0]
                print(f"{k}x {label}: wall A / B per run, median {med(xs):.2f}")
    print()
    print("targets at 4x: freq --top 100, keyness, collocates < 0.5 s; search and kwic first page < 0.3 s")
    print(f"load average after each query round: {', '.join(f'{x:.1f}' for x in loads)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
