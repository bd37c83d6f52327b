# -*- coding: utf-8 -*-
"""sites_target.py - a CPython process that runs tracemalloc and records
what tracemalloc says about its objects, for heapscope's allocation-site
tests (tests/integration/test_sites.py).

    python sites_target.py MODE TRUTH.json

MODE: `start` calls tracemalloc.start(10) first thing; `env` expects
PYTHONTRACEMALLOC in the environment; `off` never starts it.

Objects are made at known lines, each line allocating nothing but its
object (no list growth, no __init__ frame, no int above 256):

  Slot()        a __slots__ instance (GC object: block = object - GC header),
                made through two different call chains (one line, two
                tracebacks)
  Plain()       an instance with a __dict__ (3.11+: managed dict pre-header)
  bytes(n)      a non-GC object (block = the object itself)

TRUTH.json gets
  {"python", "pid", "tracing", "nframe",
   "objects": [{"addr", "kind", "line", "traceback"}...],
   "sites": [{"file", "line", "kind", "count", "size", "stat_count", "stat_size"}...],
   "tracebacks": [{"frames", "count", "size", "stat_count", "stat_size"}...]}
`traceback` is tracemalloc.get_object_traceback(obj) as [[file, line]...]
most recent call first (None when it has none), `line` the line the object
was made on, as the target saw it.  `sites` groups the kept objects by the
most recent frame: their count and sizes (sys.getsizeof, which is the block
size tracemalloc records for these kinds), and what
tracemalloc.take_snapshot().statistics("lineno") says for that line;
`tracebacks` the same by whole traceback (statistics("traceback")).  Then
READY is printed and stdin lines are served:

  grow N PATH   make N more Slot objects at one line (make_more), write to
                PATH {"file", "line", "count", "stat_count", "stat_size"}
                (how many objects that line made, and the snapshot
                statistics for it), print READY
  EOF           exit
"""
import gc
import json
import os
import sys
import tracemalloc

MODE = sys.argv[1]
TRUTH = sys.argv[2]
if MODE == "start":
    tracemalloc.start(10)

N_SLOT = 3000
N_PLAIN = 1500
N_BYTES = 2000
LINES = {}


class Slot(object):
    __slots__ = ("x",)


class Plain(object):
    pass


def here():
    return sys._getframe(1).f_lineno


def make_slots(out, start, n):
    LINES["slot"] = here() + 2
    for i in range(start, start + n):
        o = Slot()
        o.x = i
        out[i] = o


def chain_a(out):
    make_slots(out, 0, N_SLOT // 2)


def chain_b(out):
    make_slots(out, N_SLOT // 2, N_SLOT - N_SLOT // 2)


def make_plain(out):
    LINES["plain"] = here() + 2
    for i in range(len(out)):
        o = Plain()
        o.x = i
        out[i] = o


def make_bytes(out):
    LINES["bytes"] = here() + 2
    for i in range(len(out)):
        out[i] = bytes(300 + i % 50)


def make_more(out, n):
    LINES["more"] = here() + 2
    for i in range(n):
        o = Slot()
        o.x = i
        out.append(o)


def serve():
    more = []
    KEEP.append(more)
    total = 0
    for line in sys.stdin:
        words = line.split()
        if len(words) == 3 and words[0] == "grow":
            n = int(words[1])
            batch = []
            make_more(batch, n)
            more.extend(batch)
            total += n
            snap = tracemalloc.take_snapshot()
            fname = os.path.abspath(__file__) if not tracemalloc.get_object_traceback(more[0]) \
                else tracemalloc.get_object_traceback(more[0])[-1].filename
            st = [s for s in snap.statistics("lineno")
                  if s.traceback[0].lineno == LINES["more"] and s.traceback[0].filename == fname]
            with open(words[2] + ".tmp", "w") as f:
                json.dump({"file": fname, "line": LINES["more"], "count": total,
                           "stat_count": st[0].count if st else 0,
                           "stat_size": st[0].size if st else 0}, f)
            os.rename(words[2] + ".tmp", words[2])
            del snap, st
            sys.stdout.write("READY\n")
            sys.stdout.flush()


def main():
    slots = [None] * N_SLOT
    plains = [None] * N_PLAIN
    blobs = [None] * N_BYTES
    chain_a(slots)
    chain_b(slots)
    make_plain(plains)
    make_bytes(blobs)
    KEEP.extend([slots, plains, blobs])
    gc.collect()
    tracing = tracemalloc.is_tracing()
    snap = tracemalloc.take_snapshot() if tracing else None
    objects, by_line, by_tb = [], {}, {}
    for kind, objs in (("slot", slots), ("plain", plains), ("bytes", blobs)):
        for k, o in enumerate(objs):
            tb = tracemalloc.get_object_traceback(o) if tracing else None
            frames = [[f.filename, f.lineno] for f in reversed(tb)] if tb else None
            if k % 300 == 0:
                objects.append({"addr": id(o), "kind": kind, "line": LINES[kind],
                                "traceback": frames})
            if frames:
                key = (frames[0][0], frames[0][1])
                e = by_line.setdefault(key, {"file": key[0], "line": key[1], "kind": kind,
                                             "count": 0, "size": 0})
                e["count"] += 1
                e["size"] += sys.getsizeof(o)
                t = by_tb.setdefault(tuple(map(tuple, frames)),
                                     {"frames": frames, "count": 0, "size": 0})
                t["count"] += 1
                t["size"] += sys.getsizeof(o)
    if snap is not None:
        stats = dict(((s.traceback[0].filename, s.traceback[0].lineno), s)
                     for s in snap.statistics("lineno"))
        for key, e in by_line.items():
            s = stats.get(key)
            e["stat_count"] = s.count if s else 0
            e["stat_size"] = s.size if s else 0
        tstats = {}
        for s in snap.statistics("traceback"):
            tstats[tuple((f.filename, f.lineno) for f in reversed(s.traceback))] = s
        for key, t in by_tb.items():
            s = tstats.get(key)
            t["stat_count"] = s.count if s else 0
            t["stat_size"] = s.size if s else 0
    with open(TRUTH + ".tmp", "w") as f:
        json.dump({"python": sys.version.split()[0], "pid": os.getpid(), "tracing": tracing,
                   "nframe": tracemalloc.get_traceback_limit(), "objects": objects,
                   "sites": list(by_line.values()), "tracebacks": list(by_tb.values())}, f)
    os.rename(TRUTH + ".tmp", TRUTH)
    del snap
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    serve()


KEEP = []

if __name__ == "__main__":
    main()
