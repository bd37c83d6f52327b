# -*- coding: utf-8 -*-
"""graph27_target.py - a Python 2.7 process for the 2.7 referents test
(tests/integration/test_graph.py): graph_target.py is 3.x-only (coroutines,
metaclass syntax...), this one builds what 2.7 has of its own (old-style
classes and instances, instancemethods, the old dict and set tables with
deleted slots, deques, closures, generators, OrderedDict) and records, for
every object gc.get_objects() lists, type(o).__name__ and the ids of
gc.get_referents(o):

    python2.7 graph27_target.py TRUTH.json

Writes TRUTH.json ({id: [type name, [referent ids]]}), TRUTH.json.values
([[id, repr()]] of some values) and TRUTH.json.thread (a sleeping thread's
ident and [[function, line]] stack, innermost first) and
TRUTH.json.referrers (gc.get_referrers() of a sample), prints READY and
serves stdin lines: `record PATH` (again, print READY), `quit` / EOF.
The GC is disabled after one collection, so nothing moves between
recordings; objects whose record differs between two recordings (the
recorder's own frame and lists) are left out by the test.
"""
import collections
import gc
import json
import os
import sys
import threading
import time


class Old:
    def __init__(self, i):
        self.i = [i]

    def m(self):
        return self.i


class OldSub(Old):
    pass


class OldWithHooks:
    def __getattr__(self, name):
        raise AttributeError(name)

    def __setattr__(self, name, value):
        self.__dict__[name] = value


class New(object):
    def __init__(self, i):
        self.i = [i]
        self.s = "x%d" % i

    def m(self):
        return self.i


def make_counter(start):
    box = [start]

    def inc():
        box[0] += 1
        return box[0]
    return inc


def gen_fn(n):
    local = [n]
    for i in range(n):
        yield i, local


KEEP = {}
STARTED = threading.Event()


def sleeper(held):
    STARTED.set()
    while True:
        time.sleep(3600)


def start_sleeper():
    t = threading.Thread(target=sleeper, args=([1, 2],))
    t.daemon = True
    t.start()
    STARTED.wait()
    time.sleep(0.1)           # into time.sleep
    return t.ident


def stack_of(ident):
    """[[function, line]] of a thread, innermost first"""
    out = []
    f = sys._current_frames()[ident]
    while f is not None:
        out.append([f.f_code.co_name, f.f_lineno])
        f = f.f_back
    return out


def build():
    k = KEEP
    k["old"] = [Old(i) for i in range(20)] + [OldSub(i) for i in range(5)] + [OldWithHooks()]
    k["new"] = [New(i) for i in range(20)]
    k["bound_old"] = [o.m for o in k["old"][:5]]
    k["bound_new"] = [o.m for o in k["new"][:5]]
    d = dict(("k%d" % i, [i]) for i in range(30))
    for i in range(0, 30, 3):
        del d["k%d" % i]
    k["dicts"] = [d, {(1, 2): [1], 3: u"\u20ac"}, {}]
    s = set(range(40))
    for i in range(0, 40, 4):
        s.discard(i)
    k["sets"] = [s, set([(1, 2), "a"]), frozenset([(3,), 4])]
    k["deques"] = [collections.deque([[i] for i in range(100)]), collections.deque()]
    k["tuples"] = [(i, [i], "t", 2 ** 70) for i in range(10)]
    k["closures"] = [make_counter(i) for i in range(5)]
    gens = [gen_fn(3) for _ in range(5)]
    for g in gens:
        next(g)
    k["gens"] = gens
    k["od"] = collections.OrderedDict(("o%d" % i, [i]) for i in range(10))
    k["dd"] = collections.defaultdict(list, a=[1])
    k["classes"] = [Old, OldSub, OldWithHooks, New]
    # values whose repr() heapscope must reproduce (TRUTH.json.values)
    k["values"] = ["abc", "it's", 'a"b', "tab\t\x00\xff", u"\u20ac caf\xe9", u"plain",
                   u"\U0001f600", 42, -7, 2 ** 70, -(2 ** 65), 1.5, 1e100, True, False, None,
                   (1, "a"), [1, u"b", 2 ** 64], {"k": 1}, (), []]


REF_SAMPLE = []


def record_referrers(path):
    """{id: ids of gc.get_referrers()} of REF_SAMPLE, and the recorder's
    own objects (its frame, the sample list, get_referrers' results)"""
    me = sys._getframe()
    transient = set([id(me), id(REF_SAMPLE)])
    out = {}
    for o in REF_SAMPLE:
        rs = gc.get_referrers(o)
        transient.add(id(rs))
        out[str(id(o))] = sorted(set(id(r) for r in rs))
        rs = None
    o = None
    with open(path, "w") as f:
        f.write(json.dumps({"referrers": out, "transient": sorted(transient)}))


def record(path):
    out = {}
    for o in gc.get_objects():
        out[str(id(o))] = [type(o).__name__, sorted(set(id(x) for x in gc.get_referents(o)))]
    o = None
    with open(path, "w") as f:
        f.write(json.dumps(out))
    out = None


def main():
    ident = start_sleeper()
    build()
    gc.collect()
    gc.disable()
    record(sys.argv[1])
    with open(sys.argv[1] + ".values", "w") as f:
        f.write(json.dumps([[id(v), repr(v)] for v in KEEP["values"]]))
    k = KEEP
    REF_SAMPLE.extend(k["old"][:10] + k["new"][:10] + k["dicts"] + k["sets"] + k["tuples"] +
                      k["closures"] + k["bound_old"] + k["deques"] + k["classes"] +
                      [o.__dict__ for o in k["old"][:5]] + [k["dicts"][0]["k1"]])
    record_referrers(sys.argv[1] + ".referrers")
    with open(sys.argv[1] + ".thread", "w") as f:
        f.write(json.dumps({"ident": ident, "stack": stack_of(ident),
                            "path_target": id(KEEP["old"][15])}))
    while True:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        line = sys.stdin.readline()
        words = line.split()
        if not words or words[0] == "quit":
            return 0
        if words[0] == "record" and len(words) == 2:
            record(words[1])


if __name__ == "__main__":
    sys.exit(main())
