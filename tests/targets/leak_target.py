# -*- coding: utf-8 -*-
"""leak_target.py - a CPython process with one planted memory leak (or
several, or none) for heapscope's leak tests (tests/integration/test_leaks.py).

    python leak_target.py MODE TRUTH.json [SCALE]

MODE is a comma-separated list of leak patterns, or a keyword:

  cache        CACHE = {} module global, str keys -> Request objects, never evicted
  registry     class Session: _all = [] - every Session registers itself for good
  closure      HANDLERS = [handler]: a closure whose cell holds a big list
  method       SUBSCRIBERS = [holder.on_event]: a bound method keeps its instance
  lru          @functools.lru_cache(maxsize=None) on a function called with many keys
  list         EVENTS = [] module global list of event tuples, appended forever
  garbage      gc.set_debug(gc.DEBUG_SAVEALL): every collected cycle lands in gc.garbage
  gc_disabled  gc.disable() and reference cycles (some with __del__) dropped
  accum        10,000 Job objects held from two places at once (CACHE, a module
               dict, and the per-desk lists SESSIONS[i].jobs), so that no one
               container dominates them; plus a 300-item list BATCH, the decoy
               (not part of `all`)
  all          every pattern above at once (smaller each)
  healthy      the control: bounded caches, weak registries, steady data, GC on
  truth        structures whose retained sizes are known exactly (see below)
  grow         healthy, plus a thread adding Request objects to CACHE all the time
  steady       healthy, plus a thread churning Request objects (no net growth)

SCALE multiplies the size of each planted leak (default 1.0: about 8 MB each).

TRUTH.json gets
  {"mode": ..., "python": ..., "planted": [{"pattern", "kind", "path"}...],
   "retained": [{"what", "addr", "retained"}...],
   "groups": [{"type", "count", "retained", "points": [{"pattern", "share"}...]}...]}
where `kind` is the heapscope suspect kind expected for the pattern, `path`
a substring its path from a root must contain, and `retained` lists
objects whose retained size is known by construction (every object under
them is created at run time and held only there), computed with
sys.getsizeof.  `groups` (accum) gives the planted class's instance count,
the bytes freed if all of them went (every object under them is created
here and held only by them: sum of sys.getsizeof) and the share of them
each container pattern holds.  Then READY is printed and stdin lines are served:

  grow N        add N Requests to CACHE (the `cache` pattern), print READY
  record PATH   write the truth again into PATH, print READY
  quit / EOF    exit
"""
import functools
import gc
import json
import sys
import threading
import time
import weakref

PY2 = sys.version_info[0] == 2


def zeros(n):
    """bytes(n) on 3.x; on 2.7 bytes(n) is str(n), so spell it out."""
    return b"\0" * n


MODE = sys.argv[1] if len(sys.argv) > 1 else "healthy"
TRUTH = sys.argv[2] if len(sys.argv) > 2 else None
SCALE = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0

ALL = ["cache", "registry", "closure", "method", "lru", "list", "garbage", "gc_disabled"]
if PY2:
    ALL.remove("lru")              # 2.7 has no functools.lru_cache
if MODE == "all":
    PATTERNS = ALL
    SCALE *= 0.6
elif MODE in ("healthy", "truth", "grow", "steady"):
    PATTERNS = []
else:
    PATTERNS = MODE.split(",")


def n_items(base):
    return max(1, int(base * SCALE))


# ---------------------------------------------------------------------------
# The application's classes.


class Request(object):
    def __init__(self, path, n):
        self.path = path
        self.headers = {"accept": "text/html", "x-request-id": "%s-%d" % (path, n)}
        self.body = zeros(400 + n % 7)


class Session(object):
    _all = []                      # the strong registry

    def __init__(self, user):
        self.user = user
        self.buffer = bytearray(700 + len(user) % 5)
        Session._all.append(self)


class Holder(object):
    def __init__(self, n):
        self.rows = [zeros(100 + k % 9) for k in range(n)]

    def on_event(self, evt):
        return len(self.rows)


class Node(object):
    def __init__(self, n):
        self.other = None
        self.payload = bytearray(500 + n % 3)


class Finalized(Node):
    def __del__(self):
        pass


class Job(object):                 # accum: held by CACHE and by a Desk's jobs
    __slots__ = ("tag", "body", "ctx")

    def __init__(self, i, ctx):
        self.tag = "job-%d" % i
        self.body = zeros(300 + i % 5)
        self.ctx = ctx             # one bytearray shared by every Job, only by them


class Desk(object):
    __slots__ = ("name", "jobs")

    def __init__(self, name):
        self.name = name
        self.jobs = []


class Point(object):               # many instances with a __dict__ (healthy: few)
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


# ---------------------------------------------------------------------------
# Module globals: what the leaks hang off.

CACHE = {}
HANDLERS = []
SUBSCRIBERS = []
EVENTS = []
SESSIONS = []
BATCH = []
PLANTED = []
RETAINED = []
GROUPS = []
KEEP = {}


def _lru(maxsize):
    """functools.lru_cache; 2.7 has none: a plain call (the lru pattern is
    not planted there)."""
    if PY2:
        return lambda f: f
    return functools.lru_cache(maxsize=maxsize)


@_lru(maxsize=None)
def render(key):
    return "<html>%s</html>" % (key * 40)


@_lru(maxsize=128)
def bounded_render(key):
    return "<p>%s</p>" % key


def plant(pattern):
    if pattern == "cache":
        for i in range(n_items(8000)):
            CACHE["/api/item/%d" % i] = Request("/api/item/%d" % i, i)
        PLANTED.append({"pattern": pattern, "kind": "unbounded_cache", "path": ".CACHE"})
    elif pattern == "registry":
        for i in range(n_items(9000)):
            Session("user%d@example.com" % i)
        PLANTED.append({"pattern": pattern, "kind": "registry", "path": "._all"})
    elif pattern == "closure":
        def make_handler(n):
            big = [zeros(200 + k % 11) for k in range(n)]

            def handler(evt):
                return len(big)
            return handler
        HANDLERS.append(make_handler(n_items(36000)))
        PLANTED.append({"pattern": pattern, "kind": "closure", "path": ".HANDLERS"})
    elif pattern == "method":
        SUBSCRIBERS.append(Holder(n_items(60000)).on_event)
        PLANTED.append({"pattern": pattern, "kind": "closure", "path": ".SUBSCRIBERS"})
    elif pattern == "lru":
        for i in range(n_items(5000)):
            render("key-%d" % i)
        PLANTED.append({"pattern": pattern, "kind": "unbounded_cache", "path": ".render"})
    elif pattern == "list":
        for i in range(n_items(60000)):
            EVENTS.append((time.time() + i, "event-%d" % i))
        PLANTED.append({"pattern": pattern, "kind": "large_container", "path": ".EVENTS"})
    elif pattern == "garbage":
        gc.set_debug(gc.DEBUG_SAVEALL)
        for i in range(n_items(12000)):
            a = Node(i)
            a.other = a
        del a
        gc.collect()
        PLANTED.append({"pattern": pattern, "kind": "gc_garbage", "path": "gc.garbage"})
    elif pattern == "gc_disabled":
        gc.disable()
        for i in range(n_items(12000)):
            a = (Finalized if i % 10 == 0 else Node)(i)
            b = Node(i)
            a.other = b
            b.other = a
        del a, b
        PLANTED.append({"pattern": pattern, "kind": "gc_state", "path": ""})
    elif pattern == "accum":
        plant_accum()
        PLANTED.append({"pattern": pattern, "kind": "accumulation", "path": "module __main__"})
    else:
        raise SystemExit("unknown pattern %r" % pattern)


def plant_accum():
    ctx = bytearray(200000)
    desks = [Desk("desk-%d" % d) for d in range(200)]
    SESSIONS.extend(desks)
    for i in range(n_items(10000)):
        job = Job(i, ctx)
        CACHE["k%d" % i] = job
        desks[i % len(desks)].jobs.append(job)
    BATCH.extend(zeros(8000 + i) for i in range(300))
    size = sys.getsizeof
    jobs = [j for j in CACHE.values() if type(j) is Job]
    in_cache = set(id(j) for j in jobs)
    in_desks = set(id(j) for d in SESSIONS for j in d.jobs)
    GROUPS.append({"type": "__main__.Job", "count": len(jobs),
                   "retained": sum(size(j) + size(j.tag) + size(j.body) for j in jobs) + size(ctx),
                   "points": [
                       {"pattern": "__main__.CACHE[...]",
                        "share": sum(1 for j in jobs if id(j) in in_cache) / float(len(jobs))},
                       {"pattern": "__main__.SESSIONS[...].jobs[...]",
                        "share": sum(1 for j in jobs if id(j) in in_desks) / float(len(jobs))}]})


def healthy():
    """What a well-behaved service holds: bounded, weak, steady."""
    for i in range(1000):
        bounded_render("k%d" % (i % 300))
    KEEP["config"] = dict(("option_%d" % i, i * 3) for i in range(200))
    KEEP["registry"] = weakref.WeakValueDictionary()
    KEEP["sessions"] = [Request("/live/%d" % i, i) for i in range(50)]
    for r in KEEP["sessions"]:
        KEEP["registry"][r.path] = r
    KEEP["points"] = [Slotted(i, i + 1) for i in range(3000)]
    KEEP["few"] = [Point(i, -i) for i in range(100)]


def truth_structures():
    """Objects whose retained size is known: everything under them is
    created here, at run time, and held nowhere else."""
    size = sys.getsizeof
    lst = [zeros(100 + i % 50) for i in range(2000)]
    KEEP["truth_list"] = lst
    RETAINED.append({"what": "list of 2000 bytes", "addr": id(lst),
                     "retained": size(lst) + sum(size(b) for b in lst)})
    dct = dict(("key-%d" % i, bytearray(64 + i % 13)) for i in range(1000))
    KEEP["truth_dict"] = dct
    RETAINED.append({"what": "dict str -> bytearray", "addr": id(dct),
                     "retained": size(dct) + sum(size(k) + size(v) for k, v in dct.items())})
    nest = [[float(i) + 0.25, "s%dx" % i] for i in range(500)]
    KEEP["truth_nest"] = nest
    RETAINED.append({"what": "list of [float, str] lists", "addr": id(nest),
                     "retained": size(nest) + sum(size(x) + size(x[0]) + size(x[1]) for x in nest)})
    shared = zeros(50000)
    a = [shared] + [bytearray(10 + i) for i in range(100)]
    b = [shared] + ["b-%d" % i for i in range(100)]
    pair = (a, b)
    KEEP["truth_pair"] = pair
    own_a = size(a) + sum(size(x) for x in a[1:])
    own_b = size(b) + sum(size(x) for x in b[1:])
    RETAINED.append({"what": "list sharing a bytes with another", "addr": id(a), "retained": own_a})
    RETAINED.append({"what": "tuple of both lists", "addr": id(pair),
                     "retained": size(pair) + own_a + own_b + size(shared)})
    RETAINED.append({"what": "the shared bytes", "addr": id(shared), "retained": size(shared)})


def write_truth(path):
    with open(path + ".tmp", "w") as f:
        json.dump({"mode": MODE, "python": sys.version.split()[0], "pid": __import__("os").getpid(),
                   "planted": PLANTED, "retained": RETAINED, "groups": GROUPS,
                   "cache_len": len(CACHE)}, f)
    __import__("os").rename(path + ".tmp", path)


# ---------------------------------------------------------------------------
# Background activity for `watch`.

STOP = threading.Event()


def grower():
    i = 0
    while not STOP.is_set():
        for _ in range(100):
            CACHE["/grow/%d" % i] = Request("/grow/%d" % i, i)
            i += 1
        time.sleep(0.05)


def churner():
    recent = []
    i = 0
    while not STOP.is_set():
        for _ in range(100):
            recent.append(Request("/churn/%d" % i, i))
            i += 1
        del recent[:-500]          # bounded: keeps the last 500
        KEEP["recent"] = recent
        time.sleep(0.05)


def _daemon(t):
    t.daemon = True                # 2.7's Thread() takes no daemon=
    return t


def main():
    healthy()
    if MODE == "truth":
        truth_structures()
    for p in PATTERNS:
        plant(p)
    if MODE == "grow":
        _daemon(threading.Thread(target=grower)).start()
    elif MODE == "steady":
        _daemon(threading.Thread(target=churner)).start()
        time.sleep(0.3)            # reach the steady state first
    if "gc_disabled" not in PATTERNS and "garbage" not in PATTERNS:
        gc.collect()
    if TRUTH:
        write_truth(TRUTH)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    for line in iter(sys.stdin.readline, ""):   # 2.7's file iterator reads ahead
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "grow":
            n = int(words[1])
            start = len(CACHE)
            for i in range(start, start + n):
                CACHE["/more/%d" % i] = Request("/more/%d" % i, i)
        elif words[0] == "record":
            write_truth(words[1])
        sys.stdout.write("READY\n")
        sys.stdout.flush()
    STOP.set()


if __name__ == "__main__":
    main()
