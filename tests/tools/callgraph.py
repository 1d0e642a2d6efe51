#!/usr/bin/env python3
"""The file-level call graph of baogao's objects, from nm: file A calls file
B when an undefined symbol of A's object is a global B's object defines.
Prints the circles (files that call back into a file that calls them: the
strongly connected components of more than one file) and exits 1 when there
is one; --edges prints every edge. Reads the objects CMake made under BUILD
(default build), for pipeline/ and pipeline/*/ sources only; run it from
the repository root.

    usage: tests/tools/callgraph.py [--edges] [BUILD]
"""
import os
import subprocess
import sys


def objects(build):
    """{source path below pipeline/: object path} of the library and CLI."""
    out = {}
    for root, _, files in os.walk(build):
        for f in files:
            if not f.endswith('.c.o'):
                continue
            path = os.path.join(root, f)
            rel = path.split('/pipeline/', 1)
            src = 'pipeline/' + rel[-1][:-2]
            # objects of sources since deleted stay in the build
            if len(rel) == 2 and '/tests/' not in path and os.path.exists(src):
                out[src] = path
    return out


def symbols(obj):
    """(defined globals, undefined) of one object."""
    res = subprocess.run(['nm', '-P', obj], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for line in res.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == 'U':
            undefined.add(name)
        elif kind in 'TDBRC':  # global text, data, bss, read-only, common
            defined.add(name)
    return defined, undefined


def circles(edges, nodes):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    build = args[0] if args else 'build'
    objs = objects(build)
    if not objs:
        print(f'no objects under {build}: build first')
        return 2
    syms = {src: symbols(o) for src, o in objs.items()}
    owner = {}
    for src, (defined, _) in syms.items():
        for s in defined:
            owner.setdefault(s, src)
    edges, why = {}, {}
    for src, (_, undefined) in syms.items():
        for s in undefined:
            dst = owner.get(s)
            if dst and dst != src:
                edges.setdefault(src, set()).add(dst)
                why.setdefault((src, dst), []).append(s)
    if '--edges' in sys.argv:
        for src in sorted(edges):
            for dst in sorted(edges[src]):
                print(f'{src} -> {dst}: {", ".join(sorted(why[(src, dst)]))}')
    found = circles(edges, syms)
    for comp in found:
        print('circle: ' + ' <-> '.join(comp))
        for a in comp:
            for b in comp:
                if b in edges.get(a, ()):
                    print(f'  {a} -> {b}: {", ".join(sorted(why[(a, b)]))}')
    print(f'{len(objs)} files, {sum(len(v) for v in edges.values())} '
          f'calls between files, {len(found)} circles')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
