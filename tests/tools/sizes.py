#!/usr/bin/env python3
"""File and function sizes of pipeline/ at two revisions, side by side, as
Markdown: every C file (.c and .h) with its lines at each revision (a file
that moved or was split shows up once on each side), then the functions'
lengths (lines from the line of the name to the closing brace, as Universal
Ctags gives them with --fields=+ne): how many, how many over 60 and over
120 lines, the median and the longest five. Reads the revisions with git
(no checkout); needs Universal Ctags (`ctags`), which baogao's build does
not: it says so and exits 2 when it is missing. Run it from the repository
root.

    usage: tests/tools/sizes.py BEFORE [AFTER]     (AFTER: HEAD)
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile


def git(*args):
    return subprocess.run(['git'] + list(args), check=True,
                          capture_output=True).stdout


def files(rev):
    """{path: bytes} of the C sources and headers below pipeline/ at rev."""
    names = git('ls-tree', '-r', '--name-only', rev, 'pipeline').decode()
    out = {}
    for n in names.split('\n'):
        if n.endswith('.c') or n.endswith('.h'):
            out[n] = git('show', '%s:%s' % (rev, n))
    return out


def functions(srcs):
    """[(lines, path, name)] of the functions defined in srcs."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, data in srcs.items():
            if not n.endswith('.c'):
                continue
            p = os.path.join(tmp, n)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'wb') as f:
                f.write(data)
            paths.append(p)
        tags = subprocess.run(
            ['ctags', '--c-kinds=f', '--fields=+ne', '-o', '-'] + sorted(paths),
            check=True, capture_output=True).stdout.decode()
    out = []
    for line in tags.split('\n'):
        cols = line.split('\t')
        if len(cols) < 4:
            continue
        start = end = None
        for c in cols[3:]:
            if c.startswith('line:'):
                start = int(c[5:])
            elif c.startswith('end:'):
                end = int(c[4:])
        if start and end:
            out.append((end - start + 1, os.path.relpath(cols[1], tmp),
                        cols[0]))
    return out


def nlines(data):
    return data.count(b'\n')


def main(argv):
    if len(argv) < 2 or argv[1].startswith('-'):
        sys.stderr.write(__doc__)
        return 2
    if not shutil.which('ctags'):
        sys.stderr.write('sizes.py: needs Universal Ctags (ctags)\n')
        return 2
    revs = [argv[1], argv[2] if len(argv) > 2 else 'HEAD']
    names = [git('rev-parse', '--short', r).decode().strip() for r in revs]
    src = [files(r) for r in revs]
    print('| file | lines at %s | lines at %s |' % tuple(names))
    print('| --- | ---: | ---: |')
    for n in sorted(set(src[0]) | set(src[1])):
        cells = [str(nlines(s[n])) if n in s else '-' for s in src]
        print('| %s | %s | %s |' % (n, cells[0], cells[1]))
    tot = [sum(nlines(d) for d in s.values()) for s in src]
    print('| all %d / %d files | %d | %d |' %
          (len(src[0]), len(src[1]), tot[0], tot[1]))
    print()
    fn = [functions(s) for s in src]
    print('| functions | %s | %s |' % tuple(names))
    print('| --- | ---: | ---: |')
    rows = [('defined', lambda f: len(f)),
            ('over 60 lines', lambda f: sum(1 for x in f if x[0] > 60)),
            ('over 120 lines', lambda f: sum(1 for x in f if x[0] > 120)),
            ('median lines', lambda f: '%g' % statistics.median(x[0] for x in f))]
    for what, g in rows:
        print('| %s | %s | %s |' % (what, g(fn[0]), g(fn[1])))
    print()
    for name, f in zip(names, fn):
        top = sorted(f, reverse=True)[:5]
        print('longest at %s: %s' % (name, ', '.join(
            '%s %d (%s)' % (x[2], x[0], x[1]) for x in top)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
