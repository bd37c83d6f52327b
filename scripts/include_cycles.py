#!/usr/bin/env python3
"""Check that no two modules include each other's headers in a loop.

A module is one stem in one source folder (attach/, model/, tui/, cli/): its .c
and .h are one node.  a.c or a.h including "b.h" gives the edge a -> b.  Headers
are found by name in the folders the build puts on the include path
(meson.build: include_directories('attach', 'model', 'tui', 'cli')), so a
quoted name resolves to the one file of that name there; system headers (<...>)
are ignored.  Prints every cycle (one per strongly connected component, with
its members) and exits 1 if there is one, 0 otherwise.

Usage: scripts/include_cycles.py [--expect N] [SOURCE_ROOT]
  --expect N  exit 0 only when exactly N cycles are found (the test of the
              checker itself, on tests/data/include_cycle)
Exit codes: 0 no cycle (or N as expected), 1 cycles, 2 usage/input error.
"""
import os
import re
import sys

DIRS = ("attach", "model", "tui", "cli")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(root):
    """{node: [files]} and {header basename: node}"""
    files, headers = {}, {}
    for d in DIRS:
        p = os.path.join(root, d)
        if not os.path.isdir(p):
            continue
        for name in sorted(os.listdir(p)):
            stem, ext = os.path.splitext(name)
            if ext not in (".c", ".h"):
                continue
            node = d + "/" + stem
            files.setdefault(node, []).append(os.path.join(p, name))
            if ext == ".h":
                if name in headers:
                    fail("header %s is in two folders (%s, %s); quoted "
                         "includes are ambiguous" % (name, headers[name], node))
                headers[name] = node
    return files, headers


def graph(root):
    files, headers = modules(root)
    edges = {n: set() for n in files}
    for node, paths in files.items():
        for path in paths:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                target = headers.get(os.path.basename(inc))
                if target is not None and target != node:
                    edges[node].add(target)
    return edges


def components(edges):
    """Tarjan's strongly connected components, iteratively."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
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
    return out


def cycle_in(comp, edges):
    """One concrete loop through the component, for the message."""
    members = set(comp)
    start = comp[0]
    path, seen = [start], {start: 0}
    v = start
    while True:
        nxt = sorted(w for w in edges[v] if w in members)
        # prefer closing the loop, else a node not yet on the path
        if start in nxt and len(path) > 1:
            return path + [start]
        fresh = [w for w in nxt if w not in seen]
        w = fresh[0] if fresh else nxt[0]
        if w in seen:
            return path[seen[w]:] + [w]
        seen[w] = len(path)
        path.append(w)
        v = w


def fail(msg):
    print("include_cycles: " + msg, file=sys.stderr)
    sys.exit(2)


def main(argv):
    args = argv[1:]
    expect = None
    if args[:1] == ["--expect"]:
        if len(args) < 2 or not args[1].isdigit():
            fail("--expect needs a number")
        expect = int(args[1])
        args = args[2:]
    if len(args) > 1:
        fail("usage: include_cycles.py [--expect N] [SOURCE_ROOT]")
    root = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    edges = graph(root)
    if not edges:
        fail("no sources under %s" % root)
    comps = components(edges)
    for comp in comps:
        print("include cycle: " + " -> ".join(cycle_in(comp, edges))
              + "   (modules in the loop: " + ", ".join(comp) + ")")
    if expect is not None:
        print("%d include cycle(s), %d expected" % (len(comps), expect))
        return 0 if len(comps) == expect else 1
    if comps:
        print("%d include cycle(s): move the shared declarations to the lower "
              "module or a small header of their own" % len(comps))
        return 1
    print("no include cycles among %d modules" % len(edges))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
