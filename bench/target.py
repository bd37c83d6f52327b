"""bench/target.py - a CPython process with a realistic heap for bench/run.sh.

    python target.py N INFO.json

Builds about N GC-tracked objects (what gc.get_objects() lists), writes
INFO.json, prints READY and then sleeps in time.sleep() (the GIL released,
so a debugger can take it with PyGILState_Ensure).

The heap is a mix repeated per "unit": an instance with inline/managed
attributes (a str name, an int, a list, a dict), the list and the dict
themselves, a __slots__ object, two instances that point at each other (a
cycle) one of which has a materialized __dict__, and untracked payload
(str, int, bytes) hanging off them.

Special objects for the graph benchmarks (their addresses are in INFO.json):
  shared  SHARED, an instance referenced from the first 1000 units' dicts
          (a referrers query with in-degree 1000)
  deep    a Holder exactly eight references away from the module's globals:
          globals['DEEP'] -> list[0] -> dict['k'] -> Holder.attr -> tuple[1]
          -> Slotted.a -> list[0] -> Holder.leaf -> the leaf
          (and referenced from nowhere else: only its id() is kept)

Signals:
  SIGUSR1  time the in-process census
           collections.Counter(type(o).__qualname__ for o in gc.get_objects())
           once and write "SECONDS COUNT" to INFO.json + ".counter"
           (the file is written to a temporary name, then renamed)
  SIGTERM  exit
"""
import collections
import gc
import json
import os
import signal
import sys
import time


class Record(object):
    """Plain instance: managed dict / inline values on 3.11+."""

    def __init__(self, i, tags, attrs):
        self.id = i
        self.name = "record-%07d" % i
        self.tags = tags
        self.attrs = attrs
        self.blob = b"%07d;" % i * 24  # ~200 bytes of untracked payload


class Point(object):
    __slots__ = ("x", "y", "label")

    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.label = None


class Node(object):
    def __init__(self, payload):
        self.payload = payload
        self.peer = None


class Holder(object):
    pass


class Slotted(object):
    __slots__ = ("a", "b")


class Shared(object):
    pass


SHARED = Shared()
UNITS = []
DEEP = None
LEAF_ID = 0  # id() of the leaf; the leaf itself must not be a global


def unit(i):
    tags = ["t%d" % (i % 50), i]
    attrs = {"k": i, "tags": tags}
    if i < 1000:
        attrs["shared"] = SHARED
    r = Record(i, tags, attrs)
    p = Point(i, i + 1)
    p.label = b"pt-%d" % i
    a = Node("a" * (i % 32))
    b = Node(i * 1.5)
    a.peer = b
    b.peer = a
    a.__dict__  # materialize one instance dict (a tracked dict on 3.11+)
    return (r, p, a)


def build_deep():
    global DEEP, LEAF_ID
    leaf = Holder()
    leaf.name = "the leaf"
    LEAF_ID = id(leaf)
    h2 = Holder()
    h2.leaf = leaf
    s = Slotted()
    s.a = [h2]
    s.b = None
    h1 = Holder()
    h1.attr = ("pad", s)
    DEEP = [{"k": h1}]


def build(n):
    gc.disable()
    base = len(gc.get_objects())
    build_deep()
    # Calibrate how many tracked objects one unit adds on this version.
    calib = 1000
    for i in range(calib):
        UNITS.append(unit(i))
    per = (len(gc.get_objects()) - base) / float(calib)
    want = max(0, int((n - base) / per) - calib)
    for i in range(calib, calib + want):
        UNITS.append(unit(i))
    gc.collect()
    gc.enable()


def counter_once(path):
    t0 = time.perf_counter()
    c = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
    dt = time.perf_counter() - t0
    total = sum(c.values())
    del c
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%.6f %d\n" % (dt, total))
    os.rename(tmp, path)


def main():
    n = int(sys.argv[1])
    info = sys.argv[2]
    t0 = time.perf_counter()
    build(n)
    build_s = time.perf_counter() - t0
    tracked = len(gc.get_objects())
    try:
        with open("/proc/self/status") as f:
            rss = [l.split()[1] for l in f if l.startswith("VmRSS:")][0]
    except OSError:  # no /proc (a chroot): the peak instead
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = {
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "requested": n,
        "tracked": tracked,
        "units": len(UNITS),
        "build_s": build_s,
        "rss_kib": int(rss),
        "shared": id(SHARED),
        "deep": LEAF_ID,
        "deep_hops": 8,
    }
    with open(info + ".tmp", "w") as f:
        json.dump(data, f)
    os.rename(info + ".tmp", info)

    signal.signal(signal.SIGUSR1, lambda s, f: counter_once(info + ".counter"))
    signal.signal(signal.SIGTERM, lambda s, f: os._exit(0))
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    if "--busy" in sys.argv:
        # --busy: run Python code non-stop, holding the GIL (what a
        # request-serving process looks like to sys.remote_exec)
        while True:
            sum(range(1000))
    dirty = float(sys.argv[sys.argv.index("--dirty") + 1]) if "--dirty" in sys.argv else 0
    if not dirty:
        while True:
            time.sleep(3600)
    # --dirty FRACTION: every 0.2 s, give FRACTION of the units (spread at
    # random over the heap) a new id: the pages those Records live on are
    # written (plus the new ints'), the rest of the heap is not.  The
    # share of pages written shows in watch's reused_bytes.
    import random
    rnd = random.Random(7)
    k = max(1, int(len(UNITS) * dirty))
    n = 0
    while True:
        time.sleep(0.2)
        n += 1
        for u in rnd.sample(UNITS, k):
            u[0].id = n


if __name__ == "__main__":
    main()
