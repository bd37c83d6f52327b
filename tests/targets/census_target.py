# -*- coding: utf-8 -*-
"""census_target.py - a CPython process with a known heap, for heapscope's
integration tests.

    python census_target.py MODE TRUTH.json

MODE
  collected  build the heap, gc.collect(): everything survives into gen 2
  spread     build, gc.collect(), allocate more (automatic collections run),
             gc.collect(0) (survivors -> gen 1), allocate a few more that stay
             in gen 0
  frozen     like spread, but gc.freeze() right after the first collect, so
             the permanent generation holds the core heap
  idle       build nothing (used for the unsupported-version tests; this is
             the only mode that works on 2.7/3.6 - the file keeps 2.7
             syntax so it at least starts there)

The target writes the ground truth (what gc itself says: per type
(module, qualname) count, sum of sys.getsizeof, count per generation and in
the permanent generation, gc.get_count/get_threshold/get_stats/isenabled,
len(gc.garbage), gc.get_freeze_count(), thread count) to TRUTH.json, prints
READY and then blocks reading stdin lines:

  record PATH   write the ground truth again into PATH, print READY
  grow N        allocate N more `Grown` instances (kept alive), print READY
  collect       gc.collect(), print READY
  quit / EOF    exit

Recording must not disturb what it records.  Rules followed below:
* every module the recorder needs is imported before the heap is built;
* the generation lists are copied first thing (gc.get_objects(i) skips its
  own result list), with GC disabled so that no collection moves anything;
* every other object the recorder creates is a temporary that is gone before
  gc.get_count() is read, which is the last measurement taken; the text that
  goes to the file is built as (untracked) str/bytes and written with os.write;
* a couple of warm-up recordings run before the first real one so that the
  interpreter's free lists reach a steady state (objects taken from / returned
  to a free list do not move gc.get_count()).
The main loop between recordings only uses os.write/os.read on bytes, so the
state the target blocks in is the state that was recorded.  "record twice ->
identical" is checked by the tests (T1 == T2 around every heapscope run), and
tests/integration/test_target_truth.py checks the recorded generation sizes,
counts and thresholds against gdb walking the blocked target's GC lists.

The heap includes io buffers, struct.Struct, re patterns and ctypes types on
every version (production heaps have them; their sys.getsizeof counts private
buffers).

On 3.12 the interpreter starts with objects already in the permanent
generation (immortal tuples, gc.get_freeze_count() == 375 on 3.12.1), which
gc.get_objects() cannot list.  The target identifies them in a forked child
(gc.unfreeze() + diff against gc.get_objects(), reported back as addresses)
and turns the addresses back into references with ctypes, so the parent's
heap keeps its natural shape.
"""
from __future__ import print_function

import gc
import io
import os
import sys

PY38 = sys.version_info >= (3, 8)
# 2.7, 3.6 and 3.7 have everything the heap below needs but
# gc.get_objects(generation) (and 2.7/3.6 gc.freeze(): no "frozen" mode
# there); 2.7 also lacks coroutines, SimpleNamespace, non-ASCII str
PY2 = sys.version_info[0] == 2
FULL = PY2 or sys.version_info >= (3, 6)


def freeze_count():
    return gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else 0

if FULL:
    import collections
    import ctypes
    import functools
    import json
    import re
    import struct
    import threading
    import time
    import types
    import weakref

# Objects that sit in the permanent generation: found at startup (3.12) and
# the list taken just before gc.freeze() in frozen mode.  Both lists are
# module globals created here so that assigning them later only updates an
# existing key of the module dict.
STARTUP_PERM = []
FROZEN = None
READINTO = RBUF = READLINE = None
MODE = None

# ---------------------------------------------------------------------------
# The heap.


class Alpha(object):
    """Plain instance with a __dict__ (managed dict / inline values 3.11+)."""

    def __init__(self, i):
        self.i = i
        self.name = "alpha-%d" % i
        self.payload = [i, i + 1]

    def method(self):
        return self.i


class Beta(object):
    def __init__(self, i):
        self.i = i
        self.peer = None
        self.tags = ("beta", i, [i])


class Gamma(object):
    """Many attributes: the instance dict outgrows inline values / split keys."""

    def __init__(self, i):
        for k in range(40):
            setattr(self, "attr_%02d" % k, k * i)
        del self.attr_07


class Slotted(object):
    __slots__ = ("a", "b", "c")

    def __init__(self, i):
        self.a = i
        self.b = [i]
        # c left unset on purpose


class SlottedWeak(object):
    __slots__ = ("a", "__weakref__")

    def __init__(self, i):
        self.a = i


class SlottedDict(object):
    __slots__ = ("a", "__dict__")

    def __init__(self, i):
        self.a = i
        self.extra = {"i": i, "l": [i]}


class MyList(list):
    pass


class MyDict(dict):
    pass


class MyInt(int):
    pass


class MyStr(str):
    pass


class MyTuple(tuple):
    pass


class MyBytes(bytes):
    pass


class MyFloat(float):
    pass


class MySet(set):
    pass


class Node(object):
    def __init__(self, label):
        self.label = label
        self.next = None
        self.children = []


class Finalized(object):
    """Has __del__ and lives in a cycle that a global keeps alive."""

    def __init__(self, i):
        self.i = i
        self.other = None

    def __del__(self):
        pass


class Outer(object):
    class Inner(object):
        class Deep(object):
            pass


class Renamed(object):
    __module__ = "fake.module"
    __qualname__ = "Custom.Name"


class Twin(object):
    pass


TwinFirst = Twin


class Twin(object):  # noqa: F811 - a second class with the same qualname
    pass


TwinSecond = Twin


def make_dup():
    class Dup(object):
        def __init__(self, i):
            self.i = i
    return Dup


class Meta(type):
    pass


WithMeta = Meta("WithMeta", (object,), {"x": 1})
WithMeta2 = Meta("WithMeta2", (WithMeta,), {})


class Grown(object):
    def __init__(self, i):
        self.i = i
        self.data = [i]


class Garbage(object):
    def __init__(self):
        self.me = self


def make_counter(start):
    box = [start]
    total = {"n": 0}

    def inc(step=1):
        box[0] += step
        total["n"] += 1
        return box[0]
    return inc


def gen_fn(n):
    local_list = [n, "x"]
    for i in range(n):
        yield i, local_list


def fail(depth):
    if depth == 0:
        raise ValueError("boom at the bottom")
    fail(depth - 1)


CORO_SRC = '''
class Awaitable(object):
    def __await__(self):
        yield "suspended"

async def coro_fn(x):
    held = [x, x]
    await Awaitable()
    return held

async def agen_fn(n):
    for i in range(n):
        yield [i]
'''

CORE = {}        # the core heap, by kind
BATCHES = []     # later allocations (spread/frozen)
GROWN = []       # `grow N`
CACHE = {}       # module-level cache dict
EXC = None
EVENT = None
STARTED = None
SLEEPER = None


def start_sleeper():
    global EVENT, STARTED, SLEEPER
    EVENT = threading.Event()
    STARTED = threading.Event()

    def sleeper():
        STARTED.set()
        EVENT.wait()

    SLEEPER = threading.Thread(target=sleeper, name="sleeper")
    SLEEPER.daemon = True
    SLEEPER.start()
    STARTED.wait()


def wait_sleeper_blocked():
    # The sleeper is blocked once its waiter lock sits in the Condition's
    # deque; give it a moment more to get into the lock acquire.
    for _ in range(500):
        cond = getattr(EVENT, "_cond", None) or getattr(EVENT, "_Event__cond")  # 2.7: private
        if getattr(cond, "_waiters", None) or getattr(cond, "_Condition__waiters", None):
            break
        time.sleep(0.01)
    time.sleep(0.05)


def build_core():
    global EXC
    c = CORE
    c["alpha"] = [Alpha(i) for i in range(300)]
    # materialize some instance dicts (3.11+ keep them lazily)
    c["alpha_dicts"] = [a.__dict__ for a in c["alpha"][::3]]
    c["beta"] = [Beta(i) for i in range(200)]
    for i in range(0, 200, 2):
        c["beta"][i].peer = c["beta"][i + 1]
        c["beta"][i + 1].peer = c["beta"][i]     # 2-cycles
    c["gamma"] = [Gamma(i) for i in range(25)]
    c["slotted"] = [Slotted(i) for i in range(150)]
    c["slotted_weak"] = [SlottedWeak(i) for i in range(60)]
    c["slotted_dict"] = [SlottedDict(i) for i in range(40)]
    c["subclasses"] = {
        "list": [MyList(range(i)) for i in range(30)],
        "dict": [MyDict(a=i, b=[i]) for i in range(30)],
        "int": [MyInt(i * 7919) for i in range(20)] + ([MyInt(0)] if PY2 else
                                                       [MyInt(2 ** 200), MyInt(-(2 ** 65)), MyInt(0)]),
        "str": [MyStr("s" * i) for i in range(20)] + ([] if PY2 else
                                                      [MyStr(u"\u20ac" * 9), MyStr(u"\U0001d11e x")]),
        "tuple": [MyTuple((i, "t", None)) for i in range(20)] + [MyTuple()],
        "bytes": [MyBytes(b"b" * i) for i in range(10)],
        "float": [MyFloat(i / 3.0) for i in range(10)],
        "set": [MySet(range(i)) for i in range(12)],
    }
    # a ring of nodes and a tree with parent back-links: reference cycles
    ring = [Node("ring-%d" % i) for i in range(100)]
    for i, n in enumerate(ring):
        n.next = ring[(i + 1) % len(ring)]
    c["ring_head"] = ring[0]
    root = Node("root")
    for i in range(20):
        child = Node("child-%d" % i)
        child.next = root
        root.children.append(child)
        for j in range(3):
            leaf = Node("leaf")
            leaf.next = child
            child.children.append(leaf)
    c["tree"] = root
    selfref = []
    selfref.append(selfref)
    c["selfref"] = selfref
    # nested containers
    c["nested"] = {
        "lists": [[i, [i, (i, [i])]] for i in range(60)],
        "dicts": [{"k": i, "inner": {"v": [i], i: (i, [])}} for i in range(60)],
        "tuples": [(i, (i, [i]), ("atomic", i)) for i in range(60)],
        "sets": [set(range(i)) for i in range(0, 40, 3)] + [set([(1, 2), (3, 4)])],
        "frozensets": [frozenset(range(i)) for i in range(0, 40, 4)] + [frozenset([frozenset([1]), (2, 3)])],
        "general_keys": {(i, "key"): [i] for i in range(50)},
        "int_keys": dict((i, [i]) for i in range(300)),
        "shrunk": dict(("k%d" % i, [i]) for i in range(100)),
        "big_list": [[] for _ in range(5)] + [None] * 1000,
        "empty": ([], {}, set(), (), frozenset()),
    }
    for i in range(90):
        del c["nested"]["shrunk"]["k%d" % i]
    grow_list = []
    for i in range(17):
        grow_list.append([i])   # over-allocated list
    c["overallocated"] = grow_list
    # closures (cells) and functions
    c["closures"] = [make_counter(i) for i in range(30)]
    c["lambdas"] = [(lambda x, i=i: x + i) for i in range(10)]
    c["partials"] = [functools.partial(max, i) for i in range(10)]
    # suspended generators, one unstarted, one exhausted
    gens = [gen_fn(5) for _ in range(20)]
    for g in gens:
        next(g)
    gens.append(gen_fn(3))
    done = gen_fn(1)
    for _ in done:
        pass
    gens.append(done)
    c["generators"] = gens
    # a suspended coroutine and a suspended async generator (3.x)
    if not PY2:
        build_coroutines(c)
    # strings and bytes (not GC-tracked, but held by tracked containers)
    c["strings"] = ["str-%d" % i for i in range(500)] + [u"\u00e9t\u00e9 %d" % i for i in range(50)] + [u"\u20ac%d" % i for i in range(20)]
    c["bytes"] = [("b%d" % i).encode() * 3 for i in range(200)]
    c["bytearrays"] = [bytearray(b"x" * i) for i in range(10)]
    c["floats"] = [i * 0.5 for i in range(100)]
    # __del__ objects in a cycle, kept alive from a global
    f1, f2 = Finalized(1), Finalized(2)
    f1.other, f2.other = f2, f1
    c["finalized"] = f1
    # bound methods
    c["bound"] = [a.method for a in c["alpha"][:50]]
    # weakrefs
    c["weakrefs"] = [weakref.ref(o) for o in c["slotted_weak"][:30]]
    c["weakref_cb"] = weakref.ref(c["slotted_weak"][40], lambda r: None)
    c["wvd"] = weakref.WeakValueDictionary((i, o) for i, o in enumerate(c["slotted_weak"][:10]))
    # deque / OrderedDict / defaultdict / Counter / namedtuple
    c["deques"] = [collections.deque(range(200)), collections.deque([[1], [2]], maxlen=5),
                   collections.deque()]
    od = collections.OrderedDict(("k%d" % i, [i]) for i in range(60))
    for i in range(0, 60, 4):
        del od["k%d" % i]
    c["ordered"] = [od, collections.OrderedDict(), collections.OrderedDict(a=[1])]
    dd = collections.defaultdict(list)
    for i in range(30):
        dd[i % 7].append(i)
    c["defaultdict"] = dd
    c["counter"] = collections.Counter("abracadabra" * 3)
    Point = collections.namedtuple("Point", "x y")
    c["points"] = [Point(i, [i]) for i in range(10)]
    # an exception with a traceback (holds frames)
    try:
        fail(3)
    except ValueError as e:
        EXC = e
    c["exc"] = EXC
    # class objects of all kinds
    Dup1, Dup2 = make_dup(), make_dup()
    c["dups"] = [Dup1(1), Dup1(2), Dup2(3)]
    c["classes"] = [Outer.Inner(), Outer.Inner.Deep(), Renamed(), Renamed(), TwinFirst(), TwinSecond(),
                    TwinSecond(), WithMeta(), WithMeta2()]
    c["misc"] = [property(lambda self: 1), staticmethod(len), classmethod(len), memoryview(b"abc"),
                 range(10), slice(1, 2), iter([1, 2, 3]), enumerate([1]), zip([1], [2]),
                 types_simple_namespace(), object(), super(Alpha, c["alpha"][0])]
    # stdlib objects whose sys.getsizeof counts private buffers
    devnull_w = io.open(os.devnull, "wb")          # BufferedWriter + FileIO
    devnull_w.write(b"pending")                    # unflushed bytes in its buffer
    c["io"] = [devnull_w, io.open(os.devnull, "rb"), io.BytesIO(b"x" * 1000), io.BytesIO(),
               io.StringIO(u"text " * 100), io.StringIO()]
    c["struct"] = [struct.Struct("<iiq%ds" % i) for i in range(5)]
    c["regex"] = [re.compile(r"(?P<w>\w+)-%d+" % i) for i in range(5)]

    class CPoint(ctypes.Structure):
        _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_double), ("name", ctypes.c_char * 8)]

    c["ctypes"] = [CPoint(1, 2.0, b"p"), (ctypes.c_int * 10)(), ctypes.c_long(5), CPoint,
                   ctypes.POINTER(CPoint)]
    # the module-level cache dict
    for i in range(80):
        CACHE["entry-%d" % i] = {"value": [i], "expires": float(i)}
    CACHE[("tuple", "key")] = Alpha(-1)


def types_simple_namespace():
    if PY2:
        return {"a": [1], "b": "two"}
    return types.SimpleNamespace(a=[1], b="two")


def build_coroutines(c):
    ns = {}
    exec(compile(CORO_SRC, "<census-coro>", "exec"), ns)
    coro = ns["coro_fn"](1)
    coro.send(None)
    c["coroutine"] = coro
    agen = ns["agen_fn"](3)
    step = agen.__anext__()
    try:
        step.send(None)
    except StopIteration:
        pass
    c["async_generator"] = agen
    c["coro_ns"] = ns


def make_garbage():
    # gc.garbage holds what a DEBUG_SAVEALL collection found unreachable
    for _ in range(3):
        Garbage()
    x = []
    x.append(x)
    del x
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    gc.set_debug(0)


def allocate_batch(n):
    batch = []
    for i in range(n):
        a = Alpha(i)
        b = Beta(i)
        b.peer = a
        batch.append((a, b, {"i": [i]}, [i, a]))
    BATCHES.append(batch)


# ---------------------------------------------------------------------------
# Startup permanent generation (3.12).


def find_startup_permanent():
    """Return references to the objects in the permanent generation."""
    if freeze_count() == 0:
        return []
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: unfreeze and diff, report addresses
        try:
            os.close(r)
            before = set(id(o) for o in gc.get_objects())
            before.add(id(before))
            gc.unfreeze()
            addrs = [id(o) for o in gc.get_objects() if id(o) not in before]
            os.write(w, (" ".join("%d" % a for a in addrs)).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return [ctypes.cast(int(a), ctypes.py_object).value for a in data.split()]


# ---------------------------------------------------------------------------
# Ground truth.


def _type_key(t):
    mod = getattr(t, "__module__", None)
    # 2.7 has no __qualname__ (a class attribute of that name is just an
    # attribute): the name
    qual = t.__name__ if PY2 else getattr(t, "__qualname__", None)
    if not isinstance(mod, str):
        mod = None if mod is None else repr(mod)
    return mod, qual


def _json_str(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or o > 0x7e:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json27(x):
    """JSON of the truth on 2.7, whose json encoder is Python code made of
    closures that refer to each other: every dumps() left a reference
    cycle behind, garbage in generation 0 until the next collection."""
    if x is None:
        return "null"
    if x is True:
        return "true"
    if x is False:
        return "false"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, (int, long)):  # noqa: F821 (2.7 only)
        return "%d" % x
    if isinstance(x, basestring):  # noqa: F821 (2.7 only)
        if isinstance(x, str):
            x = x.decode("latin-1")
        return _json_str(x)
    if isinstance(x, dict):
        parts = []
        for k in sorted(x):
            parts.append(_json_str(k) + ": " + _json27(x[k]))
        return "{" + ", ".join(parts) + "}"
    parts = []
    for v in x:
        parts.append(_json27(v))
    return "[" + ", ".join(parts) + "]"


def _dumps(truth):
    if PY2:
        return _json27(truth)
    return json.dumps(truth, sort_keys=True)


def _gc_links(fd, a):
    """(gc_next, gc_prev) of the PyGC_Head at address a (no closure: its
    cells would be objects of their own)."""
    os.lseek(fd, a, 0)
    return struct.unpack("<QQ", os.read(fd, 16))


def _walk_generations():
    """Before 3.8 gc.get_objects() has no generation argument: it returns
    the lists of generations 0, 1 and 2 one after the other.  Which list
    each object is on is read here from the interpreter's own PyGC_Head
    links (/proc/self/mem), independently of heapscope:
    * sizeof(PyGC_Head) is what sys.getsizeof adds to a GC object's
      __sizeof__ (32 before 3.8: the head holds a long double);
    * only objects of the list are ever dereferenced (they are alive, held
      by it); objects created after it (this function's) sit at generation
      0's tail and are never followed;
    * the members of each generation are contiguous on its circular list:
      walking gc_prev from any member to the first one gives the list head
      (a static struct gc_generation), walking gc_next collects them;
    * the heads sit in the `generations` array, one struct gc_generation
      (head + int threshold + int count, 16-aligned) apart; a fresh object,
      created last, is on generation 0's list.
    No closures or generator expressions here: their cells and frames
    would be tracked objects of their own in the list.
    Returns [g0, g1, g2] or raises RuntimeError."""
    gch = sys.getsizeof([]) - [].__sizeof__()
    # 3.x: the head holds a long double, 16-aligned; 2.7's generations
    # array is 3 x 40 bytes (its symbol size in libpython2.7)
    stride = gch + 8 if PY2 else (gch + 8 + 15) // 16 * 16
    marker = []
    objs = gc.get_objects()
    node_of = {}
    for o in objs:
        node_of[id(o) - gch] = o
    mark_node = id(marker) - gch
    if mark_node not in node_of:
        raise RuntimeError("marker not on a GC list")
    fd = os.open("/proc/self/mem", os.O_RDONLY)
    limit = len(objs) + 1
    rings = {}        # head address -> members in list order
    done = set()
    try:
        for o in objs:
            a = id(o) - gch
            if a in done:
                continue
            steps = 0
            while True:           # back to the first member
                prev = _gc_links(fd, a)[1] & ~3
                if prev not in node_of or steps > limit:
                    break
                a = prev
                steps += 1
            head = prev
            members = []
            while a in node_of and a not in done and len(members) <= limit:
                done.add(a)
                members.append(node_of[a])
                a = _gc_links(fd, a)[0] & ~3
            if head in rings:
                raise RuntimeError("two runs of members on one GC list")
            rings[head] = members
    finally:
        os.close(fd)
    head0 = None
    for h, members in rings.items():
        for m in members:
            if m is marker:
                head0 = h
    # Before 3.8 the frames of running functions are tracked: this one's
    # and record()'s are gone once the recording is over.
    me = sys._getframe()
    caller = me.f_back
    out = [[], [], []]
    for h, members in rings.items():
        g, rem = divmod(h - head0, stride)
        if rem or not 0 <= g <= 2:
            raise RuntimeError("GC list head %#x is not a generation (generation 0 at %#x)"
                               % (h, head0))
        for m in members:
            if m is not marker and m is not me and m is not caller:
                out[g].append(m)
    # objs holds this frame: drop the cycle before returning
    objs = node_of = rings = members = done = o = m = me = caller = None
    return out


def record(path):
    was_enabled = gc.isenabled()
    gc.disable()
    # First thing: the generation lists.  Each result list skips itself and
    # lands in gen 0 after gen 0 was copied.
    if PY38:
        g0 = gc.get_objects(0)
        g1 = gc.get_objects(1)
        g2 = gc.get_objects(2)
    else:
        g0, g1, g2 = _walk_generations()
    perm = list(STARTUP_PERM)
    if FROZEN is not None:
        perm.extend(FROZEN)
        perm.append(FROZEN)
    frozen = freeze_count()
    error = None
    if len(perm) != frozen:
        error = "permanent generation not known: %d listed, gc.get_freeze_count() = %d" % (
            len(perm), frozen)
    per_type = {}
    lists = (g0, g1, g2, perm)
    for gi in range(4):
        for o in lists[gi]:
            t = type(o)
            a = per_type.get(t)
            if a is None:
                a = per_type[t] = [0, 0, 0, 0, 0]
            a[gi] += 1
            a[4] += sys.getsizeof(o)
    o = None
    agg = {}
    for t, a in per_type.items():
        key = _type_key(t)
        row = agg.get(key)
        if row is None:
            row = agg[key] = {"module": key[0], "qualname": key[1], "count": 0, "size": 0,
                              "gen": [0, 0, 0], "permanent": 0, "ntypes": 0}
        row["count"] += a[0] + a[1] + a[2] + a[3]
        row["size"] += a[4]
        row["gen"][0] += a[0]
        row["gen"][1] += a[1]
        row["gen"][2] += a[2]
        row["permanent"] += a[3]
        row["ntypes"] += 1
    t = a = row = key = None
    truth = {
        "pid": os.getpid(),
        "mode": MODE,
        "python": sys.version.split()[0],
        "hexversion": sys.hexversion,
        "executable": sys.executable,
        "threads": threading.active_count(),
        "gen_objects": [len(g0), len(g1), len(g2)],
        "permanent": len(perm),
        "objects": len(g0) + len(g1) + len(g2) + len(perm),
        "threshold": list(gc.get_threshold()),
        "stats": gc.get_stats() if hasattr(gc, "get_stats") else [],
        "enabled": was_enabled,
        "garbage": len(gc.garbage),
        "frozen": frozen,
        "error": error,
        "types": sorted(agg.values(), key=lambda r: (str(r["module"]), str(r["qualname"]))),
    }
    text = _dumps(truth)
    truth = agg = per_type = lists = g0 = g1 = g2 = perm = None
    if was_enabled:
        gc.enable()
    # Last measurement: every temporary above is gone.
    c0, c1, c2 = gc.get_count()
    text = text[:-1] + ', "count": [%d, %d, %d]}\n' % (c0, c1, c2)
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


def record_minimal(path):
    """Pre-3.8: no generation argument to gc.get_objects; record little."""
    text = '{"python": "%s", "hexversion": %d, "pid": %d, "mode": "%s", "error": null}\n' % (
        sys.version.split()[0], sys.hexversion, os.getpid(), MODE)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------


def main():
    global MODE, FROZEN, STARTUP_PERM, READINTO, RBUF, READLINE
    if len(sys.argv) != 3:
        sys.stderr.write("usage: census_target.py collected|spread|frozen|idle TRUTH.json\n")
        return 2
    MODE = sys.argv[1]
    truth_path = sys.argv[2]
    # What the command loop calls, once before the heap is built: 3.7
    # creates bytes.split's keyword tuple ('sep', 'maxsplit') on first use,
    # a new object in generation 0 at the first command otherwise.
    b"record x\n".partition(b"\n")[0].split()[1].decode()
    # Blocked reading stdin, the target must hold no extra object: 3.6's
    # os.read(fd, n) keeps its argument tuple alive during the call, so
    # there it reads with a method bound beforehand that takes one argument.
    if PY2:
        # 2.7: every one-argument read is METH_VARARGS; a call without
        # arguments passes the shared empty tuple
        READLINE = sys.stdin.readline
    elif sys.version_info < (3, 7):
        READINTO = io.FileIO(0, "r", closefd=False).readinto
        RBUF = bytearray(4096)
    if not FULL or MODE == "idle":
        rec = record_minimal
        MODE = "idle"
    else:
        rec = record
        STARTUP_PERM = find_startup_permanent()
        start_sleeper()
        make_garbage()
        build_core()
        if PY2:
            # 2.7 readies a static type on first use (sys.getsizeof of
            # its first instance makes its __dict__ and slot wrappers) and
            # the recorder's first run imports and caches (the latin-1
            # codec): all of it before the first collection
            rec(os.devnull)
        # A full collection empties the free lists, and the first recording
        # after it refills them, which leaves gc.get_count()[0] some hundred
        # higher; so each full collection is followed by a warm-up recording
        # and a gen-0 collection, which keeps generation 0's count far from
        # its threshold in the state that is recorded.
        if MODE == "collected":
            gc.collect()
            rec(os.devnull)
            gc.collect(0)
        elif MODE in ("spread", "frozen"):
            gc.collect()
            if MODE == "frozen":
                FROZEN = gc.get_objects()
                gc.freeze()
            rec(os.devnull)
            allocate_batch(400)      # automatic gen-0 collections happen here
            gc.collect(0)            # survivors of gen 0 -> gen 1
            allocate_batch(15)       # stays in gen 0
        else:
            sys.stderr.write("census_target: unknown mode %r\n" % MODE)
            return 2
        wait_sleeper_blocked()
        rec(os.devnull)              # warm the free lists up
        rec(os.devnull)
    rec(truth_path)
    buf = b""
    while True:
        os.write(1, b"READY\n")
        while b"\n" not in buf:
            if READLINE is not None:
                chunk = READLINE()
            elif READINTO is None:
                chunk = os.read(0, 4096)
            else:
                chunk = bytes(RBUF[:READINTO(RBUF)])
            if not chunk:
                return 0
            buf += chunk
        line, _, buf = buf.partition(b"\n")
        words = line.split()
        # No tracked temporary may be alive while recording: keep only
        # bytes (untracked) and drop the list from split().
        cmd = words[0] if words else b""
        arg = words[1] if len(words) == 2 else None
        nwords = len(words)
        words = None
        if cmd == b"quit":
            return 0
        elif cmd == b"record" and nwords == 2:
            rec(arg.decode())
        elif cmd == b"grow" and nwords == 2:
            for i in range(int(arg)):
                GROWN.append(Grown(i))
        elif cmd == b"collect":
            gc.collect()
        elif nwords:
            os.write(2, b"census_target: bad command: " + line + b"\n")
        line = cmd = arg = None


if __name__ == "__main__":
    rc = main()
    if EVENT is not None:
        EVENT.set()
    sys.exit(rc)
