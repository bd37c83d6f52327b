"""Allocation sites read from the target's own tracemalloc (model/sites.h).

tests/targets/sites_target.py starts tracemalloc (tracemalloc.start(10),
or PYTHONTRACEMALLOC in the environment), makes objects at known lines
(each line allocating nothing else) and records what tracemalloc says:
get_object_traceback() of a sample of them, and take_snapshot()'s
statistics by line and by whole traceback.  Checked, on every interpreter
of the matrix:

* `top PID ADDR... --json` and `show PID ADDR --json` give each object's
  traceback exactly as tracemalloc.get_object_traceback(obj) (most recent
  call first).  On 3.11 that function answers None for instances with a
  managed __dict__ (it subtracts only the GC header, their block starts 16
  bytes earlier): there heapscope's site must be the line the target made
  them on;
* `top --by-site --json`: for every line (and with --traceback every
  whole traceback) where the target's objects are all that line allocated
  (its own count equals the snapshot's), heapscope's object count and
  traced bytes equal the snapshot statistics;
* `diff OLD NEW` and `watch` report growth by allocation site: objects
  made at one line between two snapshots are that many objects and exactly
  the bytes the snapshot statistics give for the line;
* a stripped build that hides the traces table (Debian's /usr/bin/python3.11:
  a static of Modules/_tracemalloc.c) says so: exit 6 naming the cause,
  "hidden" in the JSON; a target without tracemalloc: exit 6, "off".
"""
import json
import os
import select
import subprocess
import time

import pytest

from conftest import (READY_TIMEOUT, REPO, SUPPORTED_IDS, expect_rc, heapscope_or_fail,
                      interpreter_or_skip, run_heapscope)

TARGET = os.path.join(REPO, "tests", "targets", "sites_target.py")
# builds whose traces table has no symbol (3.7-3.11, stripped)
HIDDEN = {"3.11-debian"}
# before 3.7 heapscope does not read tracemalloc: it says so (test below)
NO_SITES = {"3.6"}
TRACED_IDS = [i for i in SUPPORTED_IDS if i not in NO_SITES]


class SitesTarget(object):
    def __init__(self, iid, python, mode, workdir, env=None):
        self.truth_path = os.path.join(workdir, "sites-%s-%s.json" % (iid, mode))
        self.err_path = self.truth_path + ".err"
        self._err = open(self.err_path, "wb")
        e = dict(os.environ)
        e.pop("PYTHONTRACEMALLOC", None)
        e.update(env or {})
        self.proc = subprocess.Popen([python, TARGET, mode, self.truth_path], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._err, cwd=workdir, env=e)
        self.pid = self.proc.pid
        r, _, _ = select.select([self.proc.stdout], [], [], READY_TIMEOUT)
        line = self.proc.stdout.readline() if r else b""
        if line.strip() != b"READY":
            self.stop()
            with open(self.err_path, "rb") as f:
                pytest.fail("sites target %s/%s not ready: %r\n%s" % (iid, mode, line,
                                                                      f.read().decode("utf-8", "replace")))
        with open(self.truth_path) as f:
            self.truth = json.load(f)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=3)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self._err):
            try:
                f.close()
            except (OSError, ValueError):
                pass


@pytest.fixture(params=TRACED_IDS)
def traced(request, workdir):
    iid = request.param
    python, _ = interpreter_or_skip(iid)
    t = SitesTarget(iid, python, "start", workdir)
    yield iid, t
    t.stop()


def allocations(t, addrs):
    """{addr: its "allocation" object} from `top PID ADDR... --json`, 7
    addresses a run (the command line's limit)."""
    got = {}
    for i in range(0, len(addrs), 7):
        run = run_heapscope(["top", t.pid] + [hex(a) for a in addrs[i:i + 7]] + ["--json"],
                            check_target=t.pid)
        expect_rc(run, 0)
        got.update((int(r["addr"], 16), r["allocation"]) for r in run.json()["objects"])
    return got


def frames(tb):
    return [[f["file"], f["line"]] for f in tb] if tb is not None else None


def test_object_tracebacks(traced):
    iid, t = traced
    truth = t.truth
    assert truth["tracing"] and truth["nframe"] == 10, truth
    objs = truth["objects"]
    got = allocations(t, [o["addr"] for o in objs])
    if iid in HIDDEN:
        for a in got.values():
            assert a["state"] == "hidden" and a["traceback"] is None, a
            assert "stripped" in a["why"] and "_tracemalloc" in a["why"], a
        return
    bad = []
    compared = 0
    for o in objs:
        a = got[o["addr"]]
        assert a["state"] == "on", a
        mine = frames(a["traceback"])
        if o["traceback"] is not None:
            compared += 1
            if mine != o["traceback"]:
                bad.append("%s at %#x: heapscope %s, tracemalloc %s" % (o["kind"], o["addr"], mine,
                                                                       o["traceback"]))
        elif o["kind"] == "plain" and truth["python"].startswith("3.11."):
            # 3.11's get_object_traceback() misses managed-dict instances
            if not mine or mine[0][1] != o["line"]:
                bad.append("plain at %#x: heapscope %s, made on line %d" % (o["addr"], mine, o["line"]))
        else:
            bad.append("%s at %#x: tracemalloc has no traceback for it" % (o["kind"], o["addr"]))
    assert not bad, "\n".join(bad)
    assert compared >= len(objs) * 2 // 3, (compared, len(objs))
    # show says the same, in JSON and in text
    o = objs[0]
    run = run_heapscope(["show", t.pid, hex(o["addr"]), "--json"], check_target=t.pid)
    expect_rc(run, 0)
    assert frames(run.json()["allocation"]["traceback"]) == o["traceback"], run.out
    run = run_heapscope(["show", t.pid, hex(o["addr"])], check_target=t.pid)
    expect_rc(run, 0)
    assert "allocated %s:%d" % tuple(o["traceback"][0]) in " ".join(run.out.split()), run.out


def by_site(t, *extra):
    run = run_heapscope(["top", t.pid, "--by-site", "--json", "--limit", "100000"] + list(extra),
                        check_target=t.pid)
    return run


def test_top_by_site_totals(traced):
    iid, t = traced
    truth = t.truth
    run = by_site(t)
    if iid in HIDDEN:
        expect_rc(run, 6)
        assert "stripped" in run.err and "_tracemalloc.c" in run.err, run.describe()
        return
    expect_rc(run, 0)
    d = run.json()
    assert d["sites"]["state"] == "on" and d["by"] == "lineno", d["sites"]
    rows = dict(((g["file"], g["line"]), g) for g in d["groups"])
    exact = [s for s in truth["sites"] if s["count"] == s["stat_count"]]
    assert set(s["kind"] for s in exact) >= {"slot", "bytes"}, truth["sites"]
    bad = []
    for s in exact:
        g = rows.get((s["file"], s["line"]))
        if not g or g["count"] != s["stat_count"] or g["traced"] != s["stat_size"]:
            bad.append("%s:%d (%s): heapscope %s, snapshot statistics %d blocks, %d bytes" % (
                s["file"], s["line"], s["kind"], g and (g["count"], g["traced"]), s["stat_count"],
                s["stat_size"]))
        elif g["retained"] < g["shallow"]:
            bad.append("%s:%d retains less than its objects' own size: %s" % (s["file"], s["line"], g))
    assert not bad, "\n".join(bad)
    # whole tracebacks: the Slot line is two tracebacks (two call chains)
    run = by_site(t, "--traceback")
    expect_rc(run, 0)
    d = run.json()
    assert d["by"] == "traceback"
    rows = dict((tuple((f["file"], f["line"]) for f in g["traceback"]), g) for g in d["groups"])
    exact = [x for x in truth["tracebacks"] if x["count"] == x["stat_count"]]
    assert len(exact) >= 3, truth["tracebacks"]
    for x in exact:
        g = rows.get(tuple(tuple(f) for f in x["frames"]))
        assert g and g["count"] == x["stat_count"] and g["traced"] == x["stat_size"], (x, g)
    # text mode
    run = run_heapscope(["top", t.pid, "--by-site", "--limit", "5"], check_target=t.pid)
    expect_rc(run, 0)
    assert "objects by allocation site" in run.out and "sites_target.py:" in run.out, run.describe()


def test_sites_env_and_off(workdir):
    """PYTHONTRACEMALLOC=3 (3 frames kept), and a target that never starts
    tracemalloc."""
    iid = next((i for i in TRACED_IDS if i not in HIDDEN), None)
    if iid is None:
        pytest.skip("no interpreter with readable traces in the selected matrix")
    python, _ = interpreter_or_skip(iid)
    t = SitesTarget(iid, python, "env", workdir, {"PYTHONTRACEMALLOC": "3"})
    try:
        assert t.truth["tracing"] and t.truth["nframe"] == 3, t.truth
        objs = [o for o in t.truth["objects"] if o["traceback"]]
        got = allocations(t, [o["addr"] for o in objs])
        for o in objs:
            assert frames(got[o["addr"]]["traceback"]) == o["traceback"], (o, got[o["addr"]])
            assert len(o["traceback"]) <= 3
    finally:
        t.stop()
    t = SitesTarget(iid, python, "off", workdir)
    try:
        run = by_site(t)
        expect_rc(run, 6)
        assert "does not run tracemalloc" in run.err and "PYTHONTRACEMALLOC" in run.err, run.describe()
        run = run_heapscope(["show", t.pid, hex(t.truth["objects"][0]["addr"]), "--json"],
                            check_target=t.pid)
        expect_rc(run, 0)
        assert run.json()["allocation"]["state"] == "off", run.out
    finally:
        t.stop()


def grow(t, n, workdir):
    path = os.path.join(workdir, "grow-%d.json" % t.pid)
    t.proc.stdin.write(("grow %d %s\n" % (n, path)).encode())
    t.proc.stdin.flush()
    r, _, _ = select.select([t.proc.stdout], [], [], READY_TIMEOUT)
    assert r and t.proc.stdout.readline().strip() == b"READY"
    with open(path) as f:
        return json.load(f)


def test_growth_by_site(workdir):
    """diff OLD NEW and watch report growth per allocation site: 700 Slot
    objects made at one line are +700 objects and exactly the bytes
    tracemalloc's snapshot counts for that line."""
    iid = next((i for i in reversed(SUPPORTED_IDS) if i not in HIDDEN), None)
    if iid is None:
        pytest.skip("no interpreter with readable traces in the selected matrix")
    python, _ = interpreter_or_skip(iid)
    t = SitesTarget(iid, python, "start", workdir)
    try:
        old = os.path.join(workdir, "sites-old-%d.hsnap" % t.pid)
        run = run_heapscope(["save", t.pid, "-o", old], check_target=t.pid)
        expect_rc(run, 0)
        g = grow(t, 700, workdir)
        assert g["count"] == g["stat_count"] == 700, g
        run = run_heapscope(["diff", old, t.pid, "--json"], check_target=t.pid)
        expect_rc(run, 0)
        sites = run.json()["sites"]
        assert sites["state"] == "on", sites
        key = "%s:%d" % (g["file"], g["line"])
        rows = dict((r["site"], r) for r in sites["growth"])
        assert key in rows and rows[key]["dcount"] == 700 and rows[key]["dbytes"] == g["stat_size"], (
            key, sites["growth"][:5])
        assert sites["growth"][0]["site"] == key, sites["growth"][:3]
        run = run_heapscope(["diff", old, t.pid], check_target=t.pid)
        expect_rc(run, 0)
        assert "growth by allocation site" in run.out and key in run.out, run.describe()
        # watch: the baseline, then 300 more between its two snapshots
        w = subprocess.Popen([heapscope_or_fail(), "watch", str(t.pid), "--interval", "2", "--count", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = w.stdout.readline()
            while line and not line.startswith(b"baseline"):
                line = w.stdout.readline()
            assert line.startswith(b"baseline"), line
            grow(t, 300, workdir)
            out, err = w.communicate(timeout=60)
        finally:
            if w.poll() is None:
                w.kill()
                w.wait()
        text = out.decode()
        assert w.returncode == 0, (text, err)
        grown = [ln for ln in text.splitlines() if ln.rstrip().endswith(key)]
        assert grown and grown[0].split()[0] == "+300", text
    finally:
        t.stop()


def test_by_site_usage():
    run = run_heapscope(["top", "1", "--traceback"])
    expect_rc(run, 2, prefixed=False)


@pytest.mark.parametrize("iid", sorted(NO_SITES & set(SUPPORTED_IDS)))
def test_sites_refused_before_3_7(iid, workdir):
    """3.6 runs tracemalloc too, but heapscope reads its traces only from
    3.7 on: --by-site is refused naming the version, show says
    "unsupported"."""
    python, _ = interpreter_or_skip(iid)
    t = SitesTarget(iid, python, "start", workdir)
    try:
        run = by_site(t)
        expect_rc(run, 6)
        assert "3.7 and later" in run.err and t.truth["python"] in run.err, run.describe()
        run = run_heapscope(["show", t.pid, hex(t.truth["objects"][0]["addr"]), "--json"],
                            check_target=t.pid)
        expect_rc(run, 0)
        assert run.json()["allocation"]["state"] == "unsupported", run.out
    finally:
        t.stop()
