# -*- coding: utf-8 -*-
"""graph_target.py - a CPython process whose object graph heapscope's
graph tests check against the interpreter's own gc module.

    python graph_target.py truth TRUTH.json
    python graph_target.py big N TRUTH.json     (N GC objects, for timing)

`truth` builds a heap with many kinds of objects (containers, instances
with __dict__ / managed values / __slots__, closures, generators,
coroutines, frames, tracebacks, weakrefs, descriptors, stdlib C types...),
a deep module-level cache (module `graphapp.cache`) and a thread that holds
an object only in a local variable while it sleeps, and one that sleeps
inside an `except` block.  It then collects once,
disables the GC for good (nothing moves or gets untracked afterwards), picks
a sample of objects spread over many types and writes what gc says about
them to TRUTH.json:

  referents[id]  = ids of gc.get_referents(obj)
  referrers[id]  = ids of gc.get_referrers(obj), minus the recorder's own
                   transient objects (its frame, its lists)
  types[id]      = "module.qualname", tracked[id] = gc.is_tracked(obj)
  deep_target    = the object deep inside graphapp.cache.CACHE
  thread_target  = the object only the sleeping thread's frame holds
  exc_target     = the exception another sleeping thread is handling

ids are addresses (CPython's id()).  The two sample lists hold their
objects (so nothing sampled can die between recordings); they are listed in
"transient" with the recorder's frame, and tests ignore them as referrers.
After writing it prints READY and serves stdin lines:

  record PATH   record the same sample again into PATH, print READY
  quit / EOF    exit
"""
import collections
import functools
import gc
import json
import os
import sys
import threading
import time
import types
import weakref

MODE = None
SAMPLE = []          # the referent sample (a referrer of each: excluded by id)
REFERRER_SAMPLE = [] # the referrer sample (a subset)
HELD_ID = [0]        # id of the object the sleeping thread holds
EXC_ID = [0]         # id of the exception a sleeping thread is handling
DEEP_ID = [0]
STOP = threading.Event()
HOLDING = threading.Event()
KEEP = {}            # the heap, by kind

# ---------------------------------------------------------------------------
# The heap.


class Request(object):
    def __init__(self, path, cookies):
        self.path = path
        self.headers = {"accept": "text/html", "cookies": cookies}


class Payload(object):
    def __init__(self, tag):
        self.tag = tag
        self.blob = [tag] * 3


class Plain(object):
    def __init__(self, i):
        self.i = i
        self.name = "plain-%d" % i
        self.items = [i, (i, "x")]

    def method(self):
        return self.i


class ManyAttrs(object):
    def __init__(self, i):
        for k in range(30):
            setattr(self, "a%02d" % k, [k, i])


class Slotted(object):
    __slots__ = ("a", "b", "c")

    def __init__(self, i):
        self.a = [i]
        self.b = "slot-%d" % i


class SlottedDict(object):
    __slots__ = ("a", "__dict__", "__weakref__")

    def __init__(self, i):
        self.a = (i, [i])
        self.extra = {"i": [i]}


class MyList(list):
    pass


class MyDict(dict):
    pass


class MyInt(int):
    pass


class MyTuple(tuple):
    pass


class MyStr(str):
    pass


class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    x = [1, 2]


class Node(object):
    def __init__(self, label):
        self.label = label
        self.next = None


class MyError(Exception):
    def __init__(self, msg, data):
        Exception.__init__(self, msg)
        self.data = data


class Prop(object):
    @property
    def value(self):
        """doc"""
        return 1

    @staticmethod
    def st():
        return 2

    @classmethod
    def cm(cls):
        return 3


def make_counter(start):
    box = [start]

    def inc(step=1):
        box[0] += step
        return box[0]
    return inc


def gen_fn(n):
    local = [n, "gen"]
    for i in range(n):
        yield i, local


async def coro_fn(x):
    held = [x]
    await Awaitable()
    return held


async def agen_fn(n):
    for i in range(n):
        yield [i]


class Awaitable(object):
    def __await__(self):
        yield "suspended"


def fail(depth):
    if depth == 0:
        raise MyError("bottom", [depth])
    fail(depth - 1)


def build_heap():
    k = KEEP
    k["plain"] = [Plain(i) for i in range(60)]
    k["dicts_of"] = [p.__dict__ for p in k["plain"][::4]]    # materialised
    k["many"] = [ManyAttrs(i) for i in range(10)]
    k["slotted"] = [Slotted(i) for i in range(40)]
    k["slotted_dict"] = [SlottedDict(i) for i in range(20)]
    k["sub"] = [MyList([i, [i]]) for i in range(20)] + [MyDict(a=[i]) for i in range(20)]
    k["subatom"] = [MyInt(i * 7) for i in range(10)] + [MyTuple((i, [i])) for i in range(10)] + \
        [MyStr("s%d" % i) for i in range(10)]
    for x in k["subatom"]:
        try:
            x.tag = [1]
        except AttributeError:
            pass
    k["meta"] = [WithMeta, WithMeta()]
    ring = [Node("ring-%d" % i) for i in range(50)]
    for i, n in enumerate(ring):
        n.next = ring[(i + 1) % len(ring)]
    k["ring"] = ring[0]
    selfref = []
    selfref.append(selfref)
    k["selfref"] = selfref
    k["nested"] = [[i, {"k": (i, [i]), i: [i]}] for i in range(40)]
    k["tuples"] = [(i, (i, [i]), "atomic") for i in range(40)]
    k["sets"] = [set([i, "x", (i, 1)]) for i in range(20)] + [frozenset([i, (i,)]) for i in range(20)]
    gk = {(i, "k"): [i] for i in range(20)}
    gk["strkey"] = [0]
    k["general"] = gk
    was_general = {1: 1}
    del was_general[1]
    was_general["only"] = [1]     # str keys, but a general (lookdict) table
    k["was_general"] = was_general
    k["intkeys"] = dict((i, [i]) for i in range(50))
    k["closures"] = [make_counter(i) for i in range(20)]
    k["lambdas"] = [(lambda x, i=i: x + i) for i in range(10)]
    k["partials"] = [functools.partial(max, i, key=abs) for i in range(10)]
    k["bound"] = [p.method for p in k["plain"][:20]]
    k["builtin_bound"] = [[].append for _ in range(10)] + [len, sorted]
    gens = [gen_fn(4) for _ in range(15)]
    for g in gens:
        next(g)
    gens.append(gen_fn(2))
    done = gen_fn(1)
    for _ in done:
        pass
    gens.append(done)
    k["gens"] = gens
    coros = []
    for i in range(5):
        c = coro_fn(i)
        c.send(None)
        coros.append(c)
    k["coros"] = coros
    agens = []
    for i in range(5):
        a = agen_fn(3)
        step = a.__anext__()
        try:
            step.send(None)
        except StopIteration:
            pass
        agens.append(a)
    k["agens"] = agens
    excs = []
    for i in range(5):
        try:
            fail(3)
        except MyError as e:
            excs.append(e)
    try:
        {}["missing"]
    except KeyError as e:
        excs.append(e)
    k["excs"] = excs
    k["weakrefs"] = [weakref.ref(s) for s in k["slotted_dict"][:10]] + \
        [weakref.ref(k["slotted_dict"][15], lambda r: None)]
    k["wvd"] = weakref.WeakValueDictionary((i, s) for i, s in enumerate(k["slotted_dict"][:5]))
    k["deques"] = [collections.deque([[i], i, "d"] * 30) for i in range(5)] + [collections.deque()]
    od = collections.OrderedDict(("k%d" % i, [i]) for i in range(30))
    for i in range(0, 30, 3):
        del od["k%d" % i]
    k["ordered"] = [od, collections.OrderedDict(a=[1])]
    dd = collections.defaultdict(list)
    for i in range(20):
        dd[i % 5].append(i)
    k["defaultdict"] = dd
    k["counter"] = collections.Counter("mississippi")
    k["namespaces"] = [types.SimpleNamespace(a=[i], b="two") for i in range(10)]
    k["props"] = [Prop.__dict__["value"], Prop.__dict__["st"], Prop.__dict__["cm"], Prop()]
    k["proxies"] = [Plain.__dict__, types.MappingProxyType({"a": [1]})]
    k["descr"] = [int.__dict__["real"], list.__dict__["append"], object.__dict__["__init__"],
                  dict.__dict__["fromkeys"], Slotted.__dict__["a"], object().__init__]
    k["supers"] = [super(Plain, k["plain"][0])]
    k["slices"] = [slice(i, [i], None) for i in range(5)]
    k["floats"] = [i / 7.0 for i in range(30)]
    k["bytes"] = [("b%d" % i).encode() * 2 for i in range(30)]
    k["strings"] = ["string-%d" % i for i in range(50)] + [u"\u20ac%d" % i for i in range(10)]
    k["bigints"] = [2 ** (40 + i) for i in range(20)]
    k["code"] = [f.__code__ for f in (make_counter, gen_fn, coro_fn, fail, Plain.method)]
    k["modules"] = [sys.modules["collections"], sys.modules["json"], sys]
    k["frames"] = [gens[0].gi_frame, excs[0].__traceback__.tb_next.tb_frame]
    k["cells"] = list(k["closures"][0].__closure__)


def build_cache():
    """graphapp.cache.CACHE['sessions']['/api/1'].headers['cookies'] is the
    deep target; nothing else refers to it."""
    mod = types.ModuleType("graphapp.cache")
    sys.modules["graphapp.cache"] = mod
    sessions = {}
    for i in range(5):
        path = "/api/%d" % i
        sessions[path] = Request(path, ["cookie-%d" % i, {"n": i}])
    mod.CACHE = {"sessions": sessions, "hits": [0]}
    DEEP_ID[0] = id(sessions["/api/1"].headers["cookies"])


def hold_payload():
    held = Payload("only-in-thread")
    HELD_ID[0] = id(held)
    HOLDING.set()
    STOP.wait()
    return held


def hold_exception():
    """Sleeps inside an except block: only sys.exc_info() holds the error."""
    try:
        raise MyError("handled while sleeping", [0])
    except MyError:
        EXC_ID[0] = id(sys.exc_info()[1])
        HANDLING.set()
        STOP.wait()


HANDLING = threading.Event()


def start_holder():
    t = threading.Thread(target=hold_payload, name="holder")
    t.daemon = True
    t.start()
    HOLDING.wait()
    t = threading.Thread(target=hold_exception, name="handler")
    t.daemon = True
    t.start()
    HANDLING.wait()
    # let both get into the lock acquire inside STOP.wait()
    for _ in range(500):
        if len(STOP._cond._waiters) >= 2:
            break
        time.sleep(0.01)
    time.sleep(0.05)


def build_big(n):
    """About n GC objects (instances with a dict, lists, dicts) in a
    module-level list, plus a 1M-element list and a long linked chain."""
    objs = []
    for i in range(n // 6):     # 6 GC objects each: Plain, its list and tuple, a dict, a list, the pair
        p = Plain(i)
        objs.append((p, {"i": i, "l": [i]}))
    KEEP["big"] = objs
    KEEP["million"] = [None] * 1000000
    head = None
    for i in range(10000):
        nd = Node(i)
        nd.next = head
        head = nd
    KEEP["chain"] = head


# ---------------------------------------------------------------------------
# Sampling and ground truth.


def type_key(o):
    t = type(o)
    mod = getattr(t, "__module__", "?")
    if not isinstance(mod, str):
        mod = "?"
    qual = getattr(t, "__qualname__", t.__name__)
    return qual if mod == "builtins" else mod + "." + qual


def main_stack_ids():
    ids = set()
    f = sys._getframe()
    while f is not None:
        ids.add(id(f))
        f = f.f_back
    return ids


PER_TYPE = 40


def choose_sample():
    """Up to PER_TYPE objects of each type among every GC object and
    their referents; then a referrer sample from it."""
    skip = main_stack_ids()
    skip.update((id(skip), DEEP_ID[0], HELD_ID[0], EXC_ID[0], id(SAMPLE), id(REFERRER_SAMPLE)))
    # the sample lists must not give the path tests a shorter chain
    todo = [sys.modules["graphapp.cache"].CACHE]
    while todo:
        o = todo.pop()
        if id(o) not in skip and type(o) in (dict, list, tuple, Request):
            skip.add(id(o))
            todo.extend(gc.get_referents(o))
    pool = gc.get_objects()
    skip.add(id(pool))
    by_type = {}
    seen = set()
    for o in pool:
        for x in [o] + gc.get_referents(o):
            i = id(x)
            if i in seen or i in skip:
                continue
            seen.add(i)
            key = type_key(x)
            lst = by_type.get(key)
            if lst is None:
                lst = by_type[key] = []
            lst.append(x)
    x = o = None
    # corner cases always in: a str-keyed dict that kept its general
    # (lookdict) table, materialised / managed instance dicts, slots...
    k = KEEP
    for o in (k["was_general"], k["general"], k["intkeys"], k["dicts_of"][0], k["plain"][1],
              k["many"][0], k["slotted"][0], k["slotted_dict"][0], k["frames"][0],
              k["frames"][1], k["gens"][0], k["gens"][-1], k["coros"][0], k["agens"][0],
              k["ordered"][0], k["deques"][0], k["subatom"][0], k["subatom"][10],
              k["subatom"][20], k["meta"][0], k["meta"][1], k["excs"][0]):
        if id(o) not in skip:
            skip.add(id(o))
            SAMPLE.append(o)
    o = None
    for key in sorted(by_type):
        objs = [x for x in by_type[key] if id(x) not in skip]
        step = max(1, len(objs) // PER_TYPE)
        SAMPLE.extend(objs[::step][:PER_TYPE])
    REFERRER_SAMPLE.extend(SAMPLE[::3])
    pool = by_type = seen = objs = skip = None


def record(path):
    gc.disable()
    me = sys._getframe()
    transient = set([id(me), id(SAMPLE), id(REFERRER_SAMPLE)])
    referents = {}
    types_ = {}
    tracked = {}
    for o in SAMPLE:
        i = id(o)
        referents[str(i)] = sorted(set(id(x) for x in gc.get_referents(o)))
        types_[str(i)] = type_key(o)
        tracked[str(i)] = gc.is_tracked(o)
    o = None
    referrers = {}
    for o in REFERRER_SAMPLE:
        i = id(o)
        rs = gc.get_referrers(o)
        transient.add(id(rs))
        ids = set(id(r) for r in rs)
        rs = None
        ids -= transient
        if len(ids) <= 1000:
            referrers[str(i)] = sorted(ids)
    o = None
    truth = {
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "hexversion": sys.hexversion,
        "executable": sys.executable,
        "referents": referents,
        "referrers": referrers,
        "types": types_,
        "tracked": tracked,
        "deep_target": DEEP_ID[0],
        "thread_target": HELD_ID[0],
        "exc_target": EXC_ID[0],
        "transient": sorted(transient),
    }
    text = json.dumps(truth, sort_keys=True)
    truth = referents = referrers = types_ = tracked = None
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


def record_big(path):
    text = json.dumps({"pid": os.getpid(), "python": sys.version.split()[0],
                       "objects": len(gc.get_objects()), "deep_target": DEEP_ID[0],
                       "exc_target": EXC_ID[0],
                       "thread_target": HELD_ID[0], "million": id(KEEP["million"]),
                       "chain_tail": id(tail_of(KEEP["chain"]))})
    with open(path, "w") as f:
        f.write(text)


def tail_of(node):
    while node.next is not None:
        node = node.next
    return node


def serve(rec):
    buf = b""
    while True:
        os.write(1, b"READY\n")
        while b"\n" not in buf:
            chunk = os.read(0, 4096)
            if not chunk:
                return 0
            buf += chunk
        line, _, buf = buf.partition(b"\n")
        words = line.split()
        cmd = words[0] if words else b""
        arg = words[1] if len(words) == 2 else None
        words = None
        if cmd == b"quit":
            return 0
        if cmd == b"record" and arg is not None:
            rec(arg.decode())
        elif cmd:
            os.write(2, b"graph_target: bad command: " + line + b"\n")
        line = cmd = arg = None


def main():
    global MODE
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    MODE = sys.argv[1]
    build_cache()
    start_holder()
    if MODE == "truth":
        build_heap()
        gc.collect()
        gc.disable()
        choose_sample()
        rec = record
        rec(os.devnull)          # warm up what recording allocates once
    elif MODE == "big":
        build_big(int(sys.argv[2]))
        gc.collect()
        gc.disable()
        rec = record_big
    else:
        sys.stderr.write("graph_target: unknown mode %r\n" % MODE)
        return 2
    rec(sys.argv[-1])
    return serve(rec)


if __name__ == "__main__":
    rc = main()
    STOP.set()
    sys.exit(rc)
