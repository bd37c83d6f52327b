# -*- coding: utf-8 -*-
"""churn_target.py - a CPython process whose heap never stands still, for
heapscope's robustness tests (tests/integration/test_robust.py).

    python churn_target.py [--big MB] [--lifetime S]

Worker threads mutate shared structures without pause:

  dicts     insert, pop, replace values (str / int / tuple keys), clear now
            and then, so key tables are resized and rebuilt all the time;
            an instance's __dict__ gains and loses attributes
  lists     append, pop, extend by thousands, truncate, slice-assign,
            so item arrays are reallocated all the time
  objects   instances (plain, __slots__, with a __dict__), reference cycles
            (some with __del__), closures, suspended generators, strings of
            every kind and big ints, created and dropped
  main      gc.collect() of every generation every few tens of ms,
            sometimes gc.freeze() / gc.unfreeze(), plus its own churn

--big MB keeps a bytes object and a list of about MB MiB each alive (so a
snapshot has big malloc blocks whose tails it reads lazily, after the
target runs again).  --lifetime S: exit after S seconds whatever happens
(default 600), so a forgotten target does not linger.

Once every thread runs it prints one line to stdout:

  READY <id of STABLE dict> <id of STABLE_LIST> <id of a Node> <id of a
        dropped object>

The first three objects live until exit (their contents churn); the last
one was freed before READY (its address may be reused by anything).  Then
it serves stdin: EOF or "quit" exits at once.
"""
import gc
import os
import random
import sys
import threading
import time

BIG_MB = 0
LIFETIME = 600.0
args = sys.argv[1:]
while args:
    a = args.pop(0)
    if a == "--big":
        BIG_MB = int(args.pop(0))
    elif a == "--lifetime":
        LIFETIME = float(args.pop(0))
    else:
        sys.stderr.write("churn_target.py: unknown argument %r\n" % a)
        sys.exit(2)


class Node(object):
    def __init__(self, i):
        self.i = i
        self.name = "node-%d" % i
        self.peer = None
        self.items = [i] * (i % 7)


class Slotted(object):
    __slots__ = ("a", "b", "c")

    def __init__(self, i):
        self.a = i
        self.b = str(i)
        self.c = (i, i + 1)


class WithDel(object):
    def __init__(self):
        self.me = self

    def __del__(self):
        pass


STABLE = {}                 # churned by the dict worker
STABLE_LIST = []            # churned by the list worker
ANCHOR = Node(-1)           # its attributes churn
BIG = []                    # --big payloads
STOP = threading.Event()
STARTED = threading.Semaphore(0)

# Operations between two 1 ms naps of each worker: the heap changes all
# the time, but the box keeps some CPU for the tool under test.
PACE = 100

STRINGS = ["ascii", u"lat\xe9n1", u"\u0416\u0436", u"\U0001f40d snake", u"\u20ac" * 40, "x" * 3000]


def some_key(rng):
    k = rng.randrange(6)
    if k == 0:
        return rng.randrange(2000)
    if k == 1:
        return (rng.randrange(50), "t")
    if k == 2:
        return rng.choice(STRINGS) + str(rng.randrange(500))
    return "k%d" % rng.randrange(3000)


def some_value(rng):
    k = rng.randrange(8)
    if k == 0:
        return [rng.randrange(100)] * rng.randrange(20)
    if k == 1:
        return Node(rng.randrange(1000))
    if k == 2:
        return rng.randrange(1 << 200) - (1 << 199)
    if k == 3:
        return rng.choice(STRINGS) * rng.randrange(1, 4)
    if k == 4:
        return {"n": rng.randrange(10), "l": [1, 2, 3]}
    if k == 5:
        return Slotted(rng.randrange(100))
    if k == 6:
        return frozenset(range(rng.randrange(12)))
    return rng.random()


def dict_worker():
    rng = random.Random(1)
    STARTED.release()
    n = 0
    while not STOP.is_set():
        n += 1
        op = rng.randrange(10)
        if op < 5:
            STABLE[some_key(rng)] = some_value(rng)
        elif op < 8:
            STABLE.pop(some_key(rng), None)
        elif op == 8:
            setattr(ANCHOR, "attr%d" % rng.randrange(40), some_value(rng))
            if rng.randrange(3) == 0:
                try:
                    delattr(ANCHOR, "attr%d" % rng.randrange(40))
                except AttributeError:
                    pass
        elif rng.randrange(200) == 0:
            STABLE.clear()
        if len(STABLE) > 4000:
            for k in list(STABLE)[:2000]:
                STABLE.pop(k, None)
        if n % PACE == 0:
            time.sleep(0.001)


def list_worker():
    rng = random.Random(2)
    STARTED.release()
    n = 0
    while not STOP.is_set():
        n += 1
        op = rng.randrange(12)
        if op < 5:
            STABLE_LIST.append(some_value(rng))
        elif op < 8:
            if STABLE_LIST:
                STABLE_LIST.pop(rng.randrange(len(STABLE_LIST)))
        elif op == 8:
            STABLE_LIST.extend(range(rng.randrange(5000)))
        elif op == 9:
            del STABLE_LIST[rng.randrange(len(STABLE_LIST) + 1):]
        elif op == 10 and STABLE_LIST:
            i = rng.randrange(len(STABLE_LIST))
            STABLE_LIST[i:i + 3] = [some_value(rng) for _ in range(rng.randrange(6))]
        else:
            STABLE_LIST[:] = STABLE_LIST[::2]
        if len(STABLE_LIST) > 20000:
            del STABLE_LIST[5000:]
        if n % PACE == 0:
            time.sleep(0.001)


def gen(n):
    acc = []
    for i in range(n):
        acc.append((yield i))


def object_worker():
    rng = random.Random(3)
    STARTED.release()
    keep = []
    n = 0
    while not STOP.is_set():
        n += 1
        op = rng.randrange(8)
        if op == 0:
            a, b = Node(n), Node(n + 1)
            a.peer, b.peer = b, a          # a cycle, dropped below
            keep.append(a)
        elif op == 1:
            keep.append(WithDel())
        elif op == 2:
            data = [n] * rng.randrange(50)

            def closure(k, data=data, n=n):
                return data[k % len(data)] if data else n
            keep.append(closure)
        elif op == 3:
            g = gen(10)
            next(g)
            keep.append(g)
        elif op == 4:
            keep.append(u"".join(rng.choice(STRINGS) for _ in range(rng.randrange(5))))
        elif op == 5:
            keep.append(some_value(rng))
        elif op == 6:
            keep.append(bytes(bytearray(rng.randrange(256) for _ in range(rng.randrange(64)))))
        else:
            keep.append(type("Dyn%d" % (n % 50), (Node,), {"x": n}))
        if len(keep) > 3000:
            rng.shuffle(keep)
            del keep[1000:]
        if n % PACE == 0:
            time.sleep(0.001)


def stdin_watcher():
    try:
        for line in sys.stdin:
            if line.strip() == "quit":
                break
    finally:
        os._exit(0)


def main():
    if BIG_MB:
        BIG.append(b"B" * (BIG_MB << 20))
        BIG.append(list(range((BIG_MB << 20) // 8)))
    workers = [threading.Thread(target=f, name=f.__name__) for f in (dict_worker, list_worker, object_worker)]
    for t in workers:
        t.daemon = True
        t.start()
    for _ in workers:
        STARTED.acquire()
    w = threading.Thread(target=stdin_watcher, name="stdin")
    w.daemon = True
    w.start()
    dropped = Node(12345)
    dropped_id = id(dropped)
    del dropped
    sys.stdout.write("READY %d %d %d %d\n" % (id(STABLE), id(STABLE_LIST), id(ANCHOR), dropped_id))
    sys.stdout.flush()
    rng = random.Random(4)
    deadline = time.time() + LIFETIME
    frozen = False
    mine = []
    while time.time() < deadline:
        time.sleep(0.02 + rng.random() * 0.03)
        gc.collect(rng.randrange(3))
        mine.append([Node(i) for i in range(rng.randrange(50))])
        if len(mine) > 20:
            del mine[:10]
        if hasattr(gc, "freeze") and rng.randrange(20) == 0:
            if frozen:
                gc.unfreeze()
            else:
                gc.freeze()
            frozen = not frozen
    os._exit(0)


if __name__ == "__main__":
    main()
