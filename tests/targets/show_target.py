"""Target for `heapscope show` and `heapscope threads` integration tests.

Usage: show_target.py TRUTH.json

Builds objects of every kind heapscope decodes, starts threads that block
in known places, records the ground truth (addresses via id(), repr()
text, attribute names/values, every thread's stack as the interpreter
itself reports it) to TRUTH.json, prints READY and blocks the main thread
on stdin until it is closed.

Rules that keep the truth exact:
  * GC is disabled from the start, so nothing moves or dies.
  * Objects whose attributes must stay in a 3.11+ managed values array or
    3.13 inline values are never asked for __dict__/vars(): their expected
    attributes come from how they were built.
  * Threads are recorded only after their stacks are seen to be stable.
Runs on CPython 2.7 and 3.6+ (on 2.7 the text type is unicode: the str_*
entries are unicode there and the bytes_* entries are str; features 2.7
lacks -- enum, coroutines, __qualname__, __traceback__ -- are left out).
"""
import collections
import gc
import json
import os
import sys
import threading
import time
import weakref

try:
    import enum
except ImportError:          # 2.7: no enum module
    enum = None
try:
    from threading import get_ident
except ImportError:          # 2.7
    from thread import get_ident

gc.disable()

PY2 = sys.version_info[0] == 2
MINOR = sys.version_info[1]
OBJS = {}      # name -> object (keeps everything alive)
TRUTH = {}     # name -> expectation record


def expect(name, obj, how="exact", text=None, attrs=None, order=None, slots=None):
    """Keep obj alive and record what `show` must say about it.
    how: exact (value == text, default repr(obj)), prefix (value starts
    with text and the cut is marked), contains (text is a substring)."""
    OBJS[name] = obj
    rec = {"id": id(obj), "type": type(obj).__name__, "how": how,
           "text": repr(obj) if text is None else text, "size": sys.getsizeof(obj)}
    if attrs is not None:
        rec["attrs"] = dict((k, {"id": id(v), "repr": repr(v)}) for k, v in attrs.items())
        if order is None and PY2 and hasattr(obj, "__dict__"):
            order = [k for k in obj.__dict__ if k in attrs]   # 2.7: hash order
        rec["order"] = list(order if order is not None else attrs.keys())
    if slots is not None:
        rec["slots"] = dict((k, {"id": id(v), "repr": repr(v)}) for k, v in slots.items())
    TRUTH[name] = rec


# ---------------------------------------------------------------------------
# Scalars and small containers: show must equal repr() exactly.

SCALARS = [
    ("str_empty", u""),
    ("str_ascii", u"hello world"),
    ("str_latin1", u"caf\xe9 na\xefve \xa0\xff\xe0 \xad"),
    ("str_controls", u"tab\there\nnl\r\x00\x1f\x7f\x80\x9f back\\slash"),
    ("str_squote", u"it's"),
    ("str_dquote", u'say "hi"'),
    ("str_both_quotes", u"it's \"both\""),
    ("str_bmp", u"\u20ac \u4e2d\u6587 \u2028 \ufeff \u0370 \ud7ff \ue000 \uffff \u0378"),
    ("str_astral", u"\U0001f600 \U0001d11e \U000e0001 \U0010ffff \U0001f92f"),
    ("str_single_astral", u"\U0001f600"),
    ("bytes_empty", b""),
    ("bytes_ascii", b"abc def"),
    ("bytes_squote", b"it's"),
    ("bytes_both", b"it's \"x\""),
    ("bytes_binary", b"\x00\x01\n\t\r\\\x7f\x80\xff"),
    ("int_0", 0),
    ("int_1", 1),
    ("int_m1", -1),
    ("int_m5", -5),
    ("int_256", 256),
    ("int_257", 257),
    ("int_2_30m1", 2 ** 30 - 1),
    ("int_2_30", 2 ** 30),
    ("int_2_60", 2 ** 60),
    ("int_2_63", 2 ** 63),
    ("int_m2_63", -2 ** 63),
    ("int_2_64", 2 ** 64),
    ("int_2_200", 2 ** 200),
    ("int_m2_200", -2 ** 200),
    ("int_10_50", 10 ** 50),
    ("int_3_500", 3 ** 500),
    ("float_0", 0.0),
    ("float_m0", -0.0),
    ("float_01", 0.1),
    ("float_1e300", 1e300),
    ("float_inf", float("inf")),
    ("float_minf", float("-inf")),
    ("float_nan", float("nan")),
    ("float_1", 1.0),
    ("float_123456", 123.456),
    ("float_1e16", 1e16),
    ("float_1e15", 1e15),
    ("float_1em5", 1e-05),
    ("float_1em4", 0.0001),
    ("float_third", 1.0 / 3),
    ("float_min", 5e-324),
    ("float_max", 1.7976931348623157e308),
    ("float_m15e_7", -1.5e-07),
    ("float_big_int", 123456789012345678.0),
    ("bool_true", True),
    ("bool_false", False),
    ("none", None),
    ("complex_1", 1 + 2j),
    ("complex_2", 2j),
    ("complex_3", complex(-1.5, -0.0)),
    ("list_empty", []),
    ("list_small", [1, "a", None, 2.5, True, b"x"]),
    ("tuple_empty", ()),
    ("tuple_1", (1,)),
    ("tuple_2", (1, "two")),
    ("dict_empty", {}),
    ("dict_small", {"a": 1, 2: [3], "c": None, (1, 2): "t"}),
    ("set_empty", set()),
    ("set_small", {1, 2, 3}),
    ("set_str", {"x"}),
    ("frozenset_empty", frozenset()),
    ("frozenset_small", frozenset({4, 5})),
    ("nested", [[1, [2, (3,)]], {"k": {"j": (1, None)}}]),
    ("bytearray", bytearray(b"abc\x00")),
    ("bytearray_empty", bytearray()),
    ("range_1", range(10)),
    ("range_2", range(0, 10, 2)),
    ("slice", slice(1, 2, None)),
    ("deque", collections.deque([1, "a", None], maxlen=5)),
    ("deque_long", collections.deque(range(3))),
]

for _name, _value in SCALARS:
    expect(_name, _value)

# Reference cycles render as repr() does.
_rec = []
_rec.append(_rec)
expect("list_recursive", _rec)
_drec = {}
_drec["self"] = _drec
expect("dict_recursive", _drec)

# Long values: a faithful prefix, marked as cut, with the length.
expect("str_long", u"x" * 5000 + u"\xe9", how="prefix")
expect("str_long_bmp", u"\u20ac" * 3000, how="prefix")
expect("str_long_astral", u"\U0001f600" * 3000, how="prefix")
expect("bytes_long", b"y" * 5000, how="prefix")
# the quote repr() picks depends on characters beyond the cut
expect("str_long_quote", u"q" * 3000 + u"'", how="prefix")
expect("bytes_long_quote", b"q" * 3000 + b"'", how="prefix")
BIG_LIST = list(range(1000000))
expect("list_1m", BIG_LIST, how="prefix", text=repr(BIG_LIST[:40])[:-1])
expect("dict_1000", dict(("k%d" % i, i) for i in range(1000)), how="contains",
       text="(1000 items)")
expect("int_huge", 10 ** 100000, how="contains", text="digits", )

# A str subclass instance is a non-compact str (data behind a pointer).


class MyStr(str):
    pass


_ms = MyStr("h\xe9llo w\xf6rld \u20ac")
expect("str_noncompact", _ms, text="MyStr(%s)" % str.__repr__(_ms))

# Reference counts (not immortal on <= 3.11; None immortal on 3.12+).
RC_PROBE = [1, 2, 3]
expect("rc_probe", RC_PROBE)

# ---------------------------------------------------------------------------
# Instances: attributes wherever CPython keeps them.


class Plain(object):
    def method(self):
        return self


class Many(object):
    pass


class Later(object):
    pass


class Slotted(object):
    __slots__ = ("a", "b", "c")


class SlottedChild(Slotted):
    __slots__ = ("d",)


class SlotDict(object):
    __slots__ = ("s", "__dict__")


class MyInt(int):
    pass


if enum is not None:
    class Color(enum.Enum):
        RED = 1
        GREEN = "g"


def build(cls, attrs):
    o = cls()
    for k, v in attrs.items():
        setattr(o, k, v)
    return o


_tag = "tag-\u20ac"
_attrs_plain = collections.OrderedDict([("x", 1), ("name", "abc"), ("lst", [1, 2]),
                                        ("none", None), ("f", 2.5), ("big", 2 ** 100)])
# never asks for __dict__: 3.11/3.12 managed values, 3.13 inline values
_p = build(Plain, _attrs_plain)
expect("inst_managed", _p, how="contains", text="Plain", attrs=_attrs_plain)
# same class, different insertion order: insertion-order bytes matter
_p2 = Plain()
_p2.name = "second"
_p2.x = 2
expect("inst_managed_order", _p2, how="contains", text="Plain",
       attrs=collections.OrderedDict([("name", "second"), ("x", 2)]))
# deleted attribute
_p3 = build(Plain, collections.OrderedDict([("x", 3), ("name", "third"), ("lst", [])]))
del _p3.name
_p3.f = 3.5
expect("inst_deleted", _p3, how="contains", text="Plain",
       attrs=collections.OrderedDict([("x", 3), ("lst", _p3.lst), ("f", _p3.f)]))
# the dict materialised by asking for it
_p4 = build(Plain, collections.OrderedDict([("x", 4), ("name", "fourth")]))
_p4.__dict__
expect("inst_materialised", _p4, how="contains", text="Plain", attrs=dict(vars(_p4)),
       order=list(vars(_p4)))
# too many attributes for shared keys: a real dict on every version
_many_attrs = collections.OrderedDict(("a%02d" % i, i * 11) for i in range(40))
_m = build(Many, _many_attrs)
expect("inst_many", _m, how="contains", text="Many", attrs=_many_attrs)
# attributes added to a class after instances exist
_l1 = build(Later, {"p": 1})
_l2 = build(Later, collections.OrderedDict([("p", 2), ("q", "two")]))
expect("inst_later", _l2, how="contains", text="Later", attrs=collections.OrderedDict([("p", 2), ("q", "two")]))
# no attributes at all
expect("inst_empty", Plain(), text="<Plain>")
# nested instance
_outer = build(Plain, collections.OrderedDict([("child", _p2), ("n", 5)]))
expect("inst_nested", _outer, how="contains", text="child=<Plain",
       attrs=collections.OrderedDict([("child", _p2), ("n", 5)]))
# __slots__
_s = Slotted()
_s.a = 1
_s.b = "two"
expect("inst_slots", _s, how="contains", text="Slotted", attrs={},
       slots={"a": 1, "b": "two"})
_sc = SlottedChild()
_sc.a = [1]
_sc.c = None
_sc.d = 4.5
expect("inst_slots_child", _sc, how="contains", text="SlottedChild", attrs={},
       slots={"a": _sc.a, "c": None, "d": 4.5})
_sd = SlotDict()
_sd.s = "slot"
_sd.extra = 7
expect("inst_slots_dict", _sd, how="contains", text="SlotDict",
       attrs={"extra": 7}, slots={"s": "slot"})
# a builtin subclass with a dict (negative tp_dictoffset on var-sized int)
_mi = MyInt(5)
_mi.label = "five"
expect("inst_myint", _mi, how="contains", text="MyInt(5)", attrs={"label": "five"})
# 2.7: int is a fixed-size C long; the var-sized case is a long subclass
_mi2 = (type("MyInt", (long,), {}) if PY2 else MyInt)(2 ** 100)  # noqa: F821
_mi2.label = "big"
expect("inst_myint_big", _mi2, how="contains", text="MyInt(%r)" % (2 ** 100),   # 2.7: ...L
       attrs={"label": "big"})
class AttrDict(dict):
    pass


_ad = AttrDict(a=1, b=[2])
_ad.note = "n"
expect("dict_subclass_attrs", _ad, how="contains", text="AttrDict({'a': 1, 'b': [2]})",
       attrs={"note": "n"})
if enum is not None:
    expect("enum_member", Color.RED)
    expect("enum_member_str", Color.GREEN)

# ---------------------------------------------------------------------------
# Functions, code, modules, classes and the rest: one-line descriptions.


def make_closure(n):
    captured = n * 2

    def inner(y):
        return captured + y
    return inner


def gen_fn(n):
    total = 0
    for i in range(n):
        total += i
        yield total


def fail(depth):
    if depth == 0:
        raise ValueError("boom", 42)
    fail(depth - 1)


def keep_frame():
    local_value = "in frame"
    other = [1, 2]
    return sys._getframe()


CORO_SRC = """
class Awaitable(object):
    def __await__(self):
        yield "suspended"

async def coro_fn(x):
    held = [x, x]
    await Awaitable()
    return held
"""

_closure = make_closure(21)
expect("function", make_closure, how="contains", text="make_closure at show_target.py:%d"
       % make_closure.__code__.co_firstlineno)
# 2.7 has no __qualname__: the name is the code's
expect("closure", _closure, how="contains",
       text="inner" if PY2 else "make_closure.<locals>.inner")
expect("cell", _closure.__closure__[0], how="exact", text="<cell: 42>")
expect("code", make_closure.__code__)
expect("module", json, how="contains", text="<module 'json'")
expect("class", Plain)
expect("class_builtin", int)
expect("bound_method", _p.method, how="contains", text="<bound method Plain.method of <Plain")
expect("builtin_function", len, text="<built-in function len>")
expect("builtin_method", RC_PROBE.append, how="contains", text="<built-in method append of list object")
_g_new = gen_fn(3)
expect("gen_created", _g_new, how="contains", text="created")
_g_susp = gen_fn(5)
next(_g_susp)
next(_g_susp)
GEN_LINE = gen_fn.__code__.co_firstlineno + 4   # the yield
expect("gen_suspended", _g_susp, how="contains", text="suspended at show_target.py:%d" % GEN_LINE)
_g_done = gen_fn(1)
for _ in _g_done:
    pass
expect("gen_closed", _g_done, how="contains", text="closed")
if not PY2:                  # 2.7 has no coroutines
    _ns = {}
    exec(compile(CORO_SRC, "<show-coro>", "exec"), _ns)
    _coro = _ns["coro_fn"](1)
    _coro.send(None)
    expect("coroutine", _coro, how="contains", text="suspended")
    OBJS["coro_ns"] = _ns
_frame = keep_frame()
expect("frame", _frame, how="contains", text="keep_frame at show_target.py:%d" % _frame.f_lineno)
_wr_target = Plain()
expect("weakref_alive", weakref.ref(_wr_target), how="contains", text="<weakref to <Plain")
OBJS["wr_target"] = _wr_target
expect("weakref_dead", weakref.ref(Plain()), text="<weakref dead>")
try:
    fail(2)
except ValueError as _e:
    EXC = _e
    TB = sys.exc_info()[2]      # EXC.__traceback__ (3.x); 2.7 has only exc_info
expect("exception", EXC)
_tb = TB
while _tb.tb_next:
    _tb = _tb.tb_next
RAISE_LINE = _tb.tb_lineno
expect("traceback", TB, how="contains", text="fail at show_target.py:%d" % RAISE_LINE)
expect("property", property(Plain.method), how="contains", text="<property")
expect("staticmethod", staticmethod(len), how="contains", text="<staticmethod(<built-in function len>)>")
expect("ordered_dict", collections.OrderedDict(a=1), how="contains", text="{'a': 1}")
expect("lock", threading.Lock(), how="contains", text="lock object")

# ---------------------------------------------------------------------------
# Threads blocked in known places.

EV = threading.Event()
LOCK = threading.Lock()
LOCK.acquire()
GEN_EV = threading.Event()
STARTED = []


def waiter_outer(tag):
    count = 42
    name = "waiter"
    items = [tag, count]

    def waiter_inner(x):
        mine = (x, tag)
        STARTED.append("waiter")
        EV.wait()
        return mine
    return waiter_inner(count + 1)


def sleeper_outer():
    def nap(seconds):
        STARTED.append("sleeper")
        time.sleep(seconds)
    nap(3600.5)


def blocked_gen(label):
    STARTED.append("gen")
    GEN_EV.wait()
    yield label


def gen_runner():
    g = blocked_gen("in-a-generator")
    return next(g)


def with_cells(arg):
    a = 1
    b = "bee"

    def uses():
        return a, b, arg
    STARTED.append("cells")
    LOCK.acquire()
    return uses


THREADS = [
    threading.Thread(target=waiter_outer, args=("w",), name="waiter"),
    threading.Thread(target=sleeper_outer, name="sleeper"),
    threading.Thread(target=gen_runner, name="gen"),
    threading.Thread(target=with_cells, args=(9.5,), name="cells"),
]
for _t in THREADS:
    _t.daemon = True            # 2.7's Thread() takes no daemon=

SIMPLE = (int, float, str, bytes, bool, type(None))


def simple(v, depth=0):
    if isinstance(v, SIMPLE) and type(v) in SIMPLE:
        return not (isinstance(v, (str, bytes)) and len(v) > 50)
    if type(v) in (list, tuple) and depth < 2 and len(v) <= 4:
        return all(simple(x, depth + 1) for x in v)
    return False


def frame_record(f):
    locs = {}
    if f.f_code.co_flags & 1:   # CO_OPTIMIZED: a function frame
        for k, v in f.f_locals.items():
            locs[k] = {"id": id(v), "repr": repr(v) if simple(v) else None}
    return {"function": f.f_code.co_name, "file": f.f_code.co_filename, "line": f.f_lineno,
            "locals": locs if f.f_code.co_flags & 1 else None}


def stack_record(f):
    out = []
    while f is not None and len(out) < 200:
        out.append(frame_record(f))
        f = f.f_back
    return out


def stable_stacks():
    """sys._current_frames() of the other threads, once two samples 50 ms
    apart agree on every (function, line)."""
    me = get_ident()
    prev = None
    for _ in range(200):
        frames = sys._current_frames()
        cur = dict((ident, [(r["function"], r["line"]) for r in stack_record(f)])
                   for ident, f in frames.items() if ident != me)
        frames = None
        if cur == prev and len(cur) == len(THREADS):
            return
        prev = cur
        time.sleep(0.05)
    raise RuntimeError("threads did not settle: %r" % (prev,))


def record_threads():
    me = get_ident()
    frames = sys._current_frames()
    out = []
    for t in THREADS:
        out.append({"name": t.name, "ident": t.ident,
                    "native_id": getattr(t, "native_id", None),
                    "frames": stack_record(frames[t.ident])})
    frames = None
    return out, me


def block_on_stdin(truth_path):
    here = sys._getframe().f_lineno
    block_line = here + 8
    stack = stack_record(sys._getframe())
    stack[0]["line"] = block_line
    stack[0]["locals"] = None     # still being assigned
    TRUTH_DOC["main"]["frames"] = stack
    write_truth(truth_path)
    os.write(1, b"READY\n")
    data = os.read(0, 1)          # here + 8: the main thread waits here
    return data


def write_truth(path):
    text = json.dumps(TRUTH_DOC, sort_keys=True)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


TRUTH_DOC = {}


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: show_target.py TRUTH.json\n")
        return 2
    for t in THREADS:
        t.start()
    for _ in range(400):
        if len(STARTED) == len(THREADS):
            break
        time.sleep(0.01)
    stable_stacks()
    threads, me = record_threads()
    TRUTH_DOC.update({
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "hexversion": sys.hexversion,
        "objects": TRUTH,
        "rc_probe_refcount": sys.getrefcount(RC_PROBE) - 1,
        # 2.7's dicts are not insertion-ordered: the first entries as iterated
        "dict_1000_first": list(OBJS["dict_1000"])[:3],
        "inline_values_flag": bool(Plain.__flags__ & (1 << 2)),
        "threads": threads,
        "main": {"ident": me, "native_id": getattr(threading, "get_native_id", lambda: None)()},
    })
    block_on_stdin(sys.argv[1])
    EV.set()
    GEN_EV.set()
    LOCK.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
