# -*- coding: utf-8 -*-
"""demo_service.py - a small, leaky "web service" for `heapscope --demo`.

It gives every screen of the explorer something to show:

  CACHE      a module-level dict of Request objects that grows every second
             and is never evicted: the leak (Types -> Request -> an
             instance -> referrers leads back to CACHE).  It starts with a
             few thousand requests "replayed" at startup, so that it holds
             MBs: the biggest retainer in the dominator tree (D) and the
             first leak suspect (S)
  MODEL      one big bytes payload (1.5 MiB, its own malloc mapping): with
             `heapscope --demo --lazy-min 1M` its tail is read after the
             target resumes, and the inspector marks it with '~'
  SESSIONS   Session objects with __slots__
  HANDLER    a closure holding a list of rows (the data lives in a cell)
  worker     a thread sleeping inside process_batch() with locals

Prints READY when set up; from then on stdout/stderr go to /dev/null (the
explorer owns the terminal).  Stops on SIGTERM/SIGINT, or when heapscope
dies (it sets PR_SET_PDEATHSIG).

    python3 demo_service.py [--grow N]   # N new requests per second (25)
"""
import os
import sys
import threading
import time

GROW_PER_SECOND = 25
WARM_REQUESTS = 4000         # cached at startup: CACHE holds ~2.5 MiB from the start
CACHE_LIMIT = 50000          # a leak, but a bounded one
MODEL_BYTES = 1536 * 1024    # above glibc's mmap threshold: a mapping of its own


class Request(object):
    """One handled request, kept forever in CACHE by mistake."""

    def __init__(self, rid, path, user):
        self.rid = rid
        self.path = path
        self.user = user
        self.headers = {"user-agent": "curl/8.4.0", "x-request-id": "req-%06d" % rid,
                        "accept": "application/json"}
        self.body = b"{" + b"x" * (40 + rid % 200) + b"}"
        self.started = time.time()


class Session(object):
    """A logged-in user; __slots__ keeps it small."""
    __slots__ = ("user", "token", "last_seen")

    def __init__(self, user, token):
        self.user = user
        self.token = token
        self.last_seen = time.time()


USERS = ["alice", "bob", "zoë", "Jürgen", "李雷", "mallory"]
PATHS = ["/api/orders", "/api/users/42", "/health", "/api/search?q=caf%C3%A9",
         "/static/app.js"]

CACHE = {}
SESSIONS = [Session(USERS[i % len(USERS)], "tok-%08x" % (i * 2654435761 & 0xffffffff))
            for i in range(64)]
_next_rid = [0]


def make_request():
    _next_rid[0] += 1
    rid = _next_rid[0]
    return Request(rid, PATHS[rid % len(PATHS)], USERS[rid % len(USERS)])


def remember(req):
    """The bug: every request is cached under its id and never evicted."""
    if len(CACHE) < CACHE_LIMIT:
        CACHE["req-%06d" % req.rid] = req


def make_handler():
    """A closure: `rows` lives on in HANDLER.__closure__[0]."""
    rows = [("row", i, "payload-%d" % i) for i in range(500)]

    def handler(n):
        return rows[n % len(rows)]
    return handler


HANDLER = make_handler()

# "Weights" loaded once; not a leak, just big.  Built by repetition, so
# that its pages are written (never-touched pages are not copied at all).
MODEL = b"HSMODEL1" * (MODEL_BYTES // 8)


def process_batch(queue_name, batch_size):
    """The worker: sleeps here with a few locals worth looking at."""
    pending = [make_request() for _ in range(batch_size)]
    stats = {"queue": queue_name, "processed": 0, "errors": 0}
    deadline = time.time() + 3600
    while True:
        time.sleep(0.5)
        stats["processed"] += 1
        if time.time() > deadline:
            pending = pending[:1]


def main():
    grow = GROW_PER_SECOND
    if len(sys.argv) > 2 and sys.argv[1] == "--grow":
        grow = int(sys.argv[2])
    for _ in range(WARM_REQUESTS):
        remember(make_request())
    worker = threading.Thread(target=process_batch, args=("orders", 16),
                              name="worker", daemon=True)
    worker.start()
    sys.stdout.write("READY %d\n" % os.getpid())
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    while True:
        time.sleep(1)
        for _ in range(grow):
            remember(make_request())


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
