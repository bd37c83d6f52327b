"""heapscope memory: the RSS split into parts that add up to it.

tests/targets/memory_target.py prints sys._debugmallocstats() as the last
thing before it sleeps; heapscope must then say:
  * pymalloc's figures exactly as the target's own sys._debugmallocstats()
    (arenas, bytes in allocated/available blocks, unused pools, pool
    headers, quantization, arena alignment), found without symbols;
  * parts (Python objects, buffers, pymalloc other/free, native, thread
    stacks, file-backed, other) that add up to the RSS, and an RSS within
    what the kernel reports before and after the snapshot;
  * a native leak (ctypes malloc, touched) under native, with flat Python
    objects; numpy arrays' data under the buffers they own.
"""
import os
import re
import select
import signal
import subprocess
import time

import pytest

from conftest import REPO, SUPPORTED_IDS, expect_rc, interpreter_or_skip, run_heapscope

TARGET = os.path.join(REPO, "tests", "targets", "memory_target.py")
NUMPY = ("3.11-debian", "3.14-sid")
MiB = 1 << 20

STATS = [
    ("arenas_allocated_current", r"# arenas allocated current\s*=\s*([\d,]+)"),
    ("bytes_in_allocated_blocks", r"# bytes in allocated blocks\s*=\s*([\d,]+)"),
    ("bytes_in_available_blocks", r"# bytes in available blocks\s*=\s*([\d,]+)"),
    ("unused_pools", r"([\d,]+) unused pools \*"),
    ("bytes_lost_to_pool_headers", r"# bytes lost to pool headers\s*=\s*([\d,]+)"),
    ("bytes_lost_to_quantization", r"# bytes lost to quantization\s*=\s*([\d,]+)"),
    ("bytes_lost_to_arena_alignment", r"# bytes lost to arena alignment\s*=\s*([\d,]+)"),
]


class Target(object):
    def __init__(self, iid, workdir, numpy=False, env=None):
        self.iid = iid
        python, _ = interpreter_or_skip(iid)
        self.err_path = os.path.join(workdir, "memory-stderr-%s%s.txt" % (iid, "-env" if env else ""))
        self.err = open(self.err_path, "wb")
        argv = [python, TARGET] + (["--numpy"] if numpy else [])
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self.err, cwd=workdir,
                                     env=dict(os.environ, **(env or {})))
        self.pid = self.proc.pid
        self.buf = b""
        self.wait_line(b"READY")
        if env and env.get("PYTHONMALLOC") == "malloc":
            time.sleep(0.5)    # statistics without arenas: nothing to wait for
        else:
            self.wait_stats(1)

    def leak_once(self):
        """SIGUSR1 and wait until its handler has finished.  The next
        signal must not come while the handler runs: 3.6 would leave it
        tripped but unhandled until the target's time.sleep(1000) ends
        (seen: the third LEAKED never came)."""
        before = len(re.findall(r"# bytes lost to arena alignment.*\n.*Total", self.stderr()))
        os.kill(self.pid, signal.SIGUSR1)
        self.wait_line(b"LEAKED")
        self.wait_stats(before + 1)   # (it then waits 0.2 s: the handler returns)

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_line(self, want, timeout=60):
        # select + os.read on the raw pipe, so that a line that never comes
        # fails the test after `timeout` instead of hanging the suite
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.time()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            self.buf += chunk
        line, sep, rest = self.buf.partition(b"\n")
        self.buf = rest if sep else b""
        if not line.startswith(want):
            pytest.fail("memory_target: expected %r, got %r; stderr:\n%s" % (want, line, self.stderr()))

    def wait_stats(self, n, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            # each report ends with the arena map's (or the pools') Total
            if len(re.findall(r"# bytes lost to arena alignment.*\n.*Total", self.stderr())) >= n:
                time.sleep(0.2)
                return
            time.sleep(0.05)
        pytest.fail("no sys._debugmallocstats() output; stderr:\n" + self.stderr())

    def last_stats(self):
        text = self.stderr()
        start = text.rfind("Small block threshold")
        text = text[start:]
        out = {}
        for key, rx in STATS:
            m = re.search(rx, text)
            assert m, "%s not in the target's statistics:\n%s" % (key, text)
            out[key] = int(m.group(1).replace(",", ""))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.err.close()


def memory(t):
    run = run_heapscope(["memory", t.pid, "--json"], check_target=t.pid)
    expect_rc(run, 0)
    return run.json()


def parts(d):
    return dict((p["key"], p["bytes"] * p["sign"]) for p in d["parts"])


@pytest.fixture(scope="module", params=SUPPORTED_IDS)
def target(request, workdir):
    t = Target(request.param, workdir)
    try:
        yield t
    finally:
        t.stop()


def test_pymalloc_equals_debugmallocstats(target, request):
    if target.iid == "3.10":
        # Known defect, not understood yet: on pyenv 3.10.13, in about half
        # of the runs, heapscope counts one 64-byte block fewer in use (and
        # one more available) than the target printed; the target's own
        # figures are stable over time, so the fault is on our side.
        request.applymarker(pytest.mark.xfail(
            reason="3.10: one 64-byte pymalloc block off in about half the runs", strict=False))
    d = memory(target)
    pm = d["pymalloc"]
    assert pm["found"], pm.get("why")
    truth = target.last_stats()
    got = dict((k, pm[k]) for k, _ in STATS)
    assert got == truth, "heapscope %r\ntarget    %r" % (got, truth)
    assert pm["total"] == pm["arenas_allocated_current"] * pm["arena_size"]


def test_parts_add_up_to_rss(target):
    d = memory(target)
    p = parts(d)
    assert sum(p.values()) == d["rss"], p
    lo, hi = min(d["rss_before"], d["rss_after"]), max(d["rss_before"], d["rss_after"])
    # smaps is read between the two smaps_rollup reads; a page or two may
    # come or go in between
    slack = 256 << 10
    assert lo - slack <= d["rss"] <= hi + slack, (d["rss_before"], d["rss"], d["rss_after"])
    assert all(v >= 0 for k, v in p.items() if k != "not_resident"), p
    assert p["python_objects"] > 1 * MiB and p["file_backed"] > 0 and p["thread_stacks"] > 0, p


def test_native_leak_shows_under_native(target):
    before = parts(memory(target))
    n = 3
    for i in range(n):
        target.leak_once()
    target.wait_stats(1 + n)
    after = parts(memory(target))
    leaked = n * 8 * MiB
    grew = after["native"] - before["native"]
    assert grew >= 0.9 * leaked, "native grew %d for a %d-byte leak: %r -> %r" % (grew, leaked, before, after)
    assert abs(after["python_objects"] - before["python_objects"]) < 1 * MiB, (before, after)


@pytest.mark.parametrize("iid", NUMPY)
def test_numpy_data_under_buffers(iid, workdir):
    t = Target(iid, workdir, numpy=True)
    try:
        d = memory(t)
        p = parts(d)
        nbytes = 20 * 100000 * 8
        assert d["detail"]["ndarray_data"] >= nbytes, d["detail"]
        assert p["buffers"] >= nbytes, p
        assert sum(p.values()) == d["rss"]
    finally:
        t.stop()


def leak_later(t, n, delay):
    """Leak n * 8 MiB in the target, from delay seconds on."""
    import threading

    def go():
        time.sleep(delay)
        for i in range(n):
            t.leak_once()
    th = threading.Thread(target=go)
    th.start()
    return th


def test_suspects_and_watch_flag_native_growth(target):
    """RSS grows by 16 MiB of native memory, Python objects stay flat: a
    finding of its own in suspects --interval and watch; none when the
    process is steady."""
    th = leak_later(target, 2, 0.5)
    run = run_heapscope(["suspects", target.pid, "--interval", "2", "--json"], check_target=target.pid)
    th.join()
    expect_rc(run, 0)
    msg = run.json()["native_growth"]
    assert msg and "look below Python" in msg and msg.startswith("RSS +"), msg
    th = leak_later(target, 2, 0.5)
    run = run_heapscope(["watch", target.pid, "--interval", "1", "--count", "2", "--json"],
                        check_target=target.pid)
    th.join()
    expect_rc(run, 0)
    assert "look below Python" in (run.json()["native_growth"] or ""), run.json()["native_growth"]
    run = run_heapscope(["suspects", target.pid, "--interval", "1", "--json"], check_target=target.pid)
    expect_rc(run, 0)
    assert run.json()["native_growth"] is None, run.json()["native_growth"]


def test_without_pymalloc_says_so(workdir):
    """PYTHONMALLOC=malloc: no arenas; the answer says why, and the parts
    (pymalloc's at 0) still add up."""
    iid = "3.12" if "3.12" in SUPPORTED_IDS else SUPPORTED_IDS[0]
    t = Target(iid, workdir, env={"PYTHONMALLOC": "malloc"})
    try:
        d = memory(t)
        assert not d["pymalloc"]["found"]
        assert "PYTHONMALLOC=malloc" in d["pymalloc"]["why"], d["pymalloc"]
        p = parts(d)
        assert p["pymalloc_free"] == 0 and p["pymalloc_other"] == 0, p
        assert sum(p.values()) == d["rss"]
        run = run_heapscope(["memory", t.pid], check_target=t.pid)
        expect_rc(run, 0)
        assert "pymalloc: no pymalloc pool" in run.out, run.out
    finally:
        t.stop()
