"""heapscope's object graph against the interpreter's own gc module.

For each interpreter of the matrix, tests/targets/graph_target.py builds a
heap of many kinds of objects, records what gc.get_referents() /
gc.get_referrers() say about a sample of them (ids are addresses), and
waits.  Then:

* referents: for every sampled object, the edges heapscope marks
  "traverse" are exactly gc.get_referents(obj) (objects of types heapscope
  can only scan conservatively are counted apart, and must be few);
* referrers: the referrers heapscope lists, restricted to GC-tracked ones
  outside the permanent generation (gc.get_referrers() does not look
  there), holding the object through a traverse-visible edge, are exactly
  gc.get_referrers(obj) minus the recorder's own frame and lists;
* path: the object deep inside the module-level cache graphapp.cache and
  the object only a sleeping thread's local variable holds are reached
  from the right roots through the right edge labels;
* errors: an unknown address exits 12 and says how to find addresses.

The target records its truth twice (before and after heapscope ran);
objects whose truth changed in between are left out as volatile.
"""
import json
import os
import select
import subprocess
import time

import pytest

from conftest import (HEAPSCOPE_TIMEOUT, INTERP, READY_TIMEOUT, REPO, SUPPORTED_IDS, expect_rc,
                      interpreter_or_skip, run_heapscope)

GRAPH_TARGET = os.path.join(REPO, "tests", "targets", "graph_target.py")

MIN_COMPARED = 1000      # objects whose referents are compared exactly
MIN_TYPES = 20
MIN_REFERRERS = 250
MAX_CONSERVATIVE = 0.10  # share of the sample heapscope may only scan


class GraphTarget(object):
    """A graph_target.py process; record() re-records its truth."""

    def __init__(self, iid, python, workdir, mode="truth", extra=()):
        self.iid = iid
        self.workdir = workdir
        self.n = 0
        self.truth_path = os.path.join(workdir, "graph-%s-%s-0.json" % (iid, mode))
        self.stderr_path = os.path.join(workdir, "graph-%s-%s.err" % (iid, mode))
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([python, GRAPH_TARGET, mode] + list(extra) + [self.truth_path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._err, cwd=workdir)
        self.pid = self.proc.pid
        self._buf = b""

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.time()
            if left <= 0:
                pytest.fail("graph target: no READY within %.0f s\n%s" % (timeout, self.stderr_text()))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.proc.wait()
                    pytest.fail("graph target exited (rc %s) before READY\n%s"
                                % (self.proc.returncode, self.stderr_text()))
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        assert line.strip() == b"READY", line

    def truth(self):
        with open(self.truth_path) as f:
            return json.load(f)

    def record(self):
        self.n += 1
        path = os.path.join(self.workdir, "graph-%s-%d.json" % (self.iid, self.n))
        self.proc.stdin.write(("record %s\n" % path).encode())
        self.proc.stdin.flush()
        self.wait_ready()
        with open(path) as f:
            return json.load(f)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._err.close()


@pytest.fixture(scope="module")
def graph_targets(workdir):
    """One truth target per interpreter, started together on first use."""
    started = {}

    def get(iid):
        if iid not in started:
            python, _ = interpreter_or_skip(iid)
            t = GraphTarget(iid, python, workdir)
            t.wait_ready()
            started[iid] = t
        return started[iid]

    yield get
    for t in started.values():
        t.stop()


def addr_file(workdir, name, ids):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        for i in ids:
            f.write("%#x\n" % i)
    return path


def heapscope_json(args, pid, rc=0, env=None):
    run = run_heapscope(args + ["--json"], env=env, check_target=pid, timeout=HEAPSCOPE_TIMEOUT)
    expect_rc(run, rc)
    return run.json()


def stable_ids(t1, t2, section):
    """Sampled ids whose truth is the same in both recordings."""
    a, b = t1[section], t2[section]
    return set(int(k) for k in a if k in b and a[k] == b[k])


def result_by_addr(doc):
    return dict((int(r["addr"], 16), r) for r in doc["results"])


# ---------------------------------------------------------------------------


# "stripped": heapscope ignores the binary's .symtab (as on a distro build)
# and learns subtype_traverse / lookdict from the heap instead.
@pytest.mark.parametrize("symbols", ["symtab", "stripped"])
@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_referents_match_gc(iid, symbols, graph_targets, workdir):
    t = graph_targets(iid)
    truth = t.truth()
    ids = [int(k) for k in truth["referents"]]
    env = {"HEAPSCOPE_GRAPH_NO_SYMBOLS": "1"} if symbols == "stripped" else None
    # exit 12 when some address is not found; those show up as "error" below
    doc = heapscope_json(["referents", t.pid, "@" + addr_file(workdir, "ref-%s.txt" % iid, ids)],
                         t.pid, rc=(0, 12), env=env)
    after = t.record()
    stable = stable_ids(truth, after, "referents")
    results = result_by_addr(doc)
    compared, types, conservative, bad = 0, set(), 0, []
    cons_types = set()
    for i in ids:
        if i not in stable:
            continue
        r = results.get(i)
        assert r is not None, "no result for %#x" % i
        if "error" in r:
            bad.append("%#x %s: %s" % (i, truth["types"][str(i)], r["error"]))
            continue
        edges = r["referents"]
        if not r["object"]["exact"] or any(e["conservative"] for e in edges):
            conservative += 1
            cons_types.add(truth["types"][str(i)])
            continue
        got = set(int(e["addr"], 16) for e in edges if e["traverse"])
        want = set(truth["referents"][str(i)])
        if got != want:
            bad.append("%#x %s: missing %s, extra %s" % (
                i, truth["types"][str(i)],
                sorted(hex(x) for x in want - got)[:6],
                ["%s %s" % (e["label"], e["type"]) for e in edges
                 if e["traverse"] and int(e["addr"], 16) in got - want][:6]))
            continue
        compared += 1
        types.add(truth["types"][str(i)])
    print("\n%s (%s) referents: %d objects of %d types equal gc.get_referents(); %d scanned "
          "conservatively, %d volatile" % (iid, symbols, compared, len(types), conservative,
                                           len(ids) - len(stable)))
    if os.environ.get("HEAPSCOPE_TEST_VERBOSE"):
        print("  compared: %s\n  conservative: %s" % (sorted(types), sorted(cons_types)))
    assert not bad, "%d of %d objects differ from gc.get_referents():\n%s" % (
        len(bad), len(stable), "\n".join(bad[:40]))
    assert compared >= MIN_COMPARED, "only %d objects compared" % compared
    assert len(types) >= MIN_TYPES, "only %d types compared: %s" % (len(types), sorted(types))
    assert conservative <= MAX_CONSERVATIVE * len(stable), (
        "%d of %d sampled objects needed a conservative scan" % (conservative, len(stable)))


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_referrers_match_gc(iid, graph_targets, workdir):
    t = graph_targets(iid)
    truth = t.truth()
    ids = [int(k) for k in truth["referrers"]]
    doc = heapscope_json(["referrers", t.pid, "@" + addr_file(workdir, "rr-%s.txt" % iid, ids)],
                         t.pid, rc=(0, 12))
    after = t.record()
    stable = stable_ids(truth, after, "referrers")
    transient = set(truth["transient"]) | set(after["transient"])
    results = result_by_addr(doc)
    compared, bad = 0, []
    for i in ids:
        if i not in stable:
            continue
        r = results[i]
        if "error" in r:
            bad.append("%#x %s: %s" % (i, truth["types"][str(i)], r["error"]))
            continue
        assert not r["truncated"]
        seen = [x for x in r["referrers"] if x["tracked"] and x["gen"] != 3
                and int(x["addr"], 16) not in transient]
        got = set(int(x["addr"], 16) for x in seen if x["traverse"])
        unsure = set(int(x["addr"], 16) for x in seen if not x["traverse"])
        want = set(truth["referrers"][str(i)])
        missing, extra = want - got - unsure, got - want
        if missing or extra:
            bad.append("%#x %s: missing %s, extra %s" % (
                i, truth["types"][str(i)], sorted(hex(x) for x in missing)[:6],
                ["%s %s" % (x["type"], x["labels"]) for x in seen
                 if int(x["addr"], 16) in extra][:6]))
            continue
        compared += 1
    print("\n%s referrers: %d objects equal gc.get_referrers(), %d volatile" % (
        iid, compared, len(ids) - len(stable)))
    assert not bad, "%d of %d objects differ from gc.get_referrers():\n%s" % (
        len(bad), len(stable), "\n".join(bad[:40]))
    assert compared >= MIN_REFERRERS, "only %d objects compared" % compared


def path_doc(t, addr, extra=()):
    return heapscope_json(["path", t.pid, "%#x" % addr] + list(extra), t.pid)


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_path_from_module_cache(iid, graph_targets):
    t = graph_targets(iid)
    doc = path_doc(t, t.truth()["deep_target"], ["--max", "3"])
    assert doc["object"]["type"] == "list"
    paths = doc["paths"]
    assert paths, doc
    p = paths[0]
    assert p["root"]["kind"] == "module" and p["root"]["label"] == "module graphapp.cache", p
    labels = [h["label"] for h in p["hops"]]
    # ≤3.10 (and any materialised __dict__): Request → __dict__ → ['headers'];
    # 3.11+ managed values: Request → .headers directly.
    assert labels in (["['CACHE']", "['sessions']", "['/api/1']", ".headers", "['cookies']"],
                      ["['CACHE']", "['sessions']", "['/api/1']", "__dict__", "['headers']",
                       "['cookies']"]), labels
    assert p["hops"][2]["to_type"] == "__main__.Request"
    assert p["text"] == ("module graphapp.cache → .CACHE ['sessions'] ['/api/1'] → "
                         "Request.headers ['cookies'] → list"), p["text"]


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_path_from_thread_local(iid, graph_targets):
    t = graph_targets(iid)
    doc = path_doc(t, t.truth()["thread_target"])
    assert doc["object"]["type"] == "__main__.Payload"
    paths = doc["paths"]
    assert paths, doc
    p = paths[0]
    assert p["root"]["kind"] == "thread_frame", p
    assert "hold_payload()" in p["root"]["label"], p["root"]
    assert [h["label"] for h in p["hops"]] == ["f_locals['held']"], p["hops"]
    assert p["text"].endswith("→ f_locals['held'] → __main__.Payload"), p["text"]


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_path_from_exception_being_handled(iid, graph_targets):
    t = graph_targets(iid)
    doc = path_doc(t, t.truth()["exc_target"], ["--max", "4"])
    assert doc["object"]["type"] == "__main__.MyError"
    via = [p for p in doc["paths"] if [h["label"] for h in p["hops"]] == ["sys.exc_info()"]]
    assert via and via[0]["root"]["kind"] == "thread_state", doc["paths"]


@pytest.mark.parametrize("iid", SUPPORTED_IDS[:1] + SUPPORTED_IDS[-2:])
def test_big_structures(iid, workdir):
    """A 1M-item list, a 10,000-node linked list, --no-freeze."""
    python, _ = interpreter_or_skip(iid)
    t = GraphTarget(iid, python, workdir, mode="big", extra=["30000"])
    try:
        t.wait_ready(timeout=120)
        truth = t.truth()
        doc = heapscope_json(["path", t.pid, "%#x" % truth["chain_tail"]], t.pid)
        p = doc["paths"][0]
        # 9999 × .next, each one hop (managed values) or two (__dict__, ['next'])
        assert len(p["hops"]) in (2 + 9999, 2 + 2 * 9999), len(p["hops"])
        assert p["text"] == "module __main__ → .KEEP ['chain'] → Node.next ×9999 → __main__.Node", p["text"]
        doc = heapscope_json(["referents", t.pid, "%#x" % truth["million"], "--limit", "3"], t.pid)
        assert doc["count"] == 1000000 and doc["truncated"] and len(doc["referents"]) == 3
        assert doc["referents"][2]["label"] == "[2]" and doc["referents"][2]["type"] == "NoneType"
        doc = heapscope_json(["referrers", t.pid, "%#x" % truth["million"]], t.pid)
        assert [r["labels"] for r in doc["referrers"]] == [["['million']"]]
        doc = heapscope_json(["path", t.pid, "%#x" % truth["deep_target"], "--no-freeze"], t.pid)
        assert doc["paths"][0]["root"]["label"] == "module graphapp.cache"
    finally:
        t.stop()


@pytest.mark.parametrize("iid", SUPPORTED_IDS[:1] + SUPPORTED_IDS[-2:])
def test_objects_and_text_output(iid, graph_targets):
    t = graph_targets(iid)
    doc = heapscope_json(["objects", t.pid, "--type", "Request", "--sort", "addr"], t.pid)
    assert doc["count"] == 5
    addrs = [int(o["addr"], 16) for o in doc["objects"]]
    assert addrs == sorted(addrs)
    doc2 = heapscope_json(["objects", t.pid, "--type", "__main__.Request", "--limit", "2"], t.pid)
    assert doc2["count"] == 5 and len(doc2["objects"]) == 2
    for key in ("pid", "python", "pause_ms", "graph_ms", "query_ms"):
        assert key in doc2
    run = run_heapscope(["path", t.pid, "%#x" % t.truth()["deep_target"]], check_target=t.pid)
    expect_rc(run, 0)
    assert "module graphapp.cache → .CACHE ['sessions'] ['/api/1'] → Request.headers" in run.out
    run = run_heapscope(["referrers", t.pid, doc["objects"][0]["addr"]], check_target=t.pid)
    expect_rc(run, 0)
    assert "['/api/" in run.out


@pytest.mark.parametrize("iid", SUPPORTED_IDS[-1:])
def test_unknown_address(iid, graph_targets):
    t = graph_targets(iid)
    for cmd in ("referents", "referrers", "path"):
        run = run_heapscope([cmd, t.pid, "0x10"], check_target=t.pid)
        expect_rc(run, 12)
        assert "heapscope objects" in run.err
    run = run_heapscope(["objects", t.pid, "--type", "NoSuchClassAnywhere"], check_target=t.pid)
    expect_rc(run, 12)
    run = run_heapscope(["referents", t.pid, "nothex"], check_target=t.pid)
    expect_rc(run, 2, prefixed=False)


# ---------------------------------------------------------------------------
# 2.7 (graph_target.py is 3.x-only): every object gc.get_objects() lists,
# its traverse edges against gc.get_referents() (tests/targets/graph27_target.py)

TARGET27 = os.path.join(REPO, "tests", "targets", "graph27_target.py")


def ready27(p):
    """READY from the target within READY_TIMEOUT"""
    r, _, _ = select.select([p.stdout], [], [], READY_TIMEOUT)
    return bool(r) and p.stdout.readline().strip() == "READY"


@pytest.mark.parametrize("iid", [i for i in ("2.7",) if i in INTERP])
def test_referents_match_gc_27(iid, workdir):
    python, _ = interpreter_or_skip(iid)
    truth_path = os.path.join(workdir, "graph27.json")
    p = subprocess.Popen([python, TARGET27, truth_path], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, universal_newlines=True)
    try:
        assert ready27(p), "graph27 target did not start"
        with open(truth_path) as f:
            truth = json.load(f)
        ids = [int(k) for k in truth]
        doc = heapscope_json(["referents", str(p.pid), "@" + addr_file(workdir, "ref27.txt", ids)],
                             p.pid, rc=(0, 12))
        with open(truth_path + ".values") as f:
            values = json.load(f)
        shown = [(text, heapscope_json(["show", str(p.pid), "%#x" % i], p.pid)["value"])
                 for i, text in values]
        with open(truth_path + ".thread") as f:
            sleeper = json.load(f)
        with open(truth_path + ".referrers") as f:
            rtruth = json.load(f)
        rids = [int(k) for k in rtruth["referrers"]]
        rdoc = heapscope_json(["referrers", str(p.pid), "@" + addr_file(workdir, "rr27.txt", rids)],
                              p.pid, rc=(0, 12))
        threads = heapscope_json(["threads", str(p.pid)], p.pid)["threads"]
        path = heapscope_json(["path", str(p.pid), "%#x" % sleeper["path_target"]], p.pid)["paths"]
        again = os.path.join(workdir, "graph27-again.json")
        p.stdin.write("record %s\n" % again)
        p.stdin.flush()
        assert ready27(p), "graph27 target did not record"
        with open(again) as f:
            after = json.load(f)
    finally:
        p.kill()
        p.wait()
    results = result_by_addr(doc)
    compared, types, bad = 0, set(), []
    for i in ids:
        if truth[str(i)] != after.get(str(i)):
            continue                  # the recorder's own frame and lists
        r = results.get(i)
        name, want = truth[str(i)]
        if r is None or "error" in r:
            bad.append("%#x %s: %s" % (i, name, r and r["error"]))
            continue
        edges = r["referents"]
        if not r["object"]["exact"] or any(e["conservative"] for e in edges):
            continue
        got = set(int(e["addr"], 16) for e in edges if e["traverse"])
        if got != set(want):
            bad.append("%#x %s: missing %s, extra %s" % (
                i, name, sorted(hex(x) for x in set(want) - got)[:6],
                ["%s %s" % (e["label"], e["type"]) for e in edges
                 if e["traverse"] and int(e["addr"], 16) in got - set(want)][:6]))
            continue
        compared += 1
        types.add(name)
    print("\n%s referents: %d objects of %d types equal gc.get_referents()" % (iid, compared, len(types)))
    assert not bad, "%d objects differ from gc.get_referents():\n%s" % (len(bad), "\n".join(bad[:40]))
    wrong = ["heapscope %r, repr() %r" % (got, want) for want, got in shown if got != want]
    assert not wrong, "2.7 values differ from repr():\n" + "\n".join(wrong)
    rres = result_by_addr(rdoc)
    transient = set(rtruth["transient"])
    rbad = []
    for i in rids:
        r = rres[i]
        seen = [x for x in r.get("referrers", []) if x["tracked"] and int(x["addr"], 16) not in transient]
        got = set(int(x["addr"], 16) for x in seen if x["traverse"])
        unsure = set(int(x["addr"], 16) for x in seen if not x["traverse"])
        want = set(rtruth["referrers"][str(i)]) - transient
        if "error" in r or want - got - unsure or got - want:
            rbad.append("%#x: %s missing %s extra %s" % (i, r.get("error", ""),
                                                         sorted(hex(x) for x in want - got - unsure)[:6],
                                                         sorted(hex(x) for x in got - want)[:6]))
    assert not rbad, "2.7 referrers differ from gc.get_referrers():\n" + "\n".join(rbad[:20])
    assert len(rids) >= 50, len(rids)
    # KEEP["old"][15], held only there (REF_SAMPLE holds old[:10])
    text = path[0]["text"]
    assert text.startswith("module __main__") and "KEEP" in text and "['old']" in text and \
        "[15]" in text and text.endswith("instance"), text
    th = [t for t in threads if t["thread_id"] == sleeper["ident"]]
    assert len(threads) == 2 and len(th) == 1, threads
    stack = [[f["function"], f["line"]] for f in th[0]["frames"]]
    assert stack == sleeper["stack"], "sleeping thread: heapscope %s, sys._current_frames() %s" % (
        stack, sleeper["stack"])
    assert compared >= MIN_COMPARED, "only %d objects compared" % compared
    for name in ("instance", "classobj", "instancemethod", "dict", "set", "deque", "function", "cell",
                 "generator", "frame", "tuple", "list", "type"):
        assert name in types, "no %s compared: %s" % (name, sorted(types))
