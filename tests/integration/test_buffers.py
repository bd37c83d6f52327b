"""Owned buffers: objects whose sys.getsizeof counts a data buffer beside
their struct, against the interpreter's own numbers.

tests/targets/buffers_target.py records, for numpy arrays of many dtypes,
shapes and orders, views of them, arrays over a bytes object, an object
array, a list of 50 arrays and a pandas DataFrame (where numpy/pandas are
installed: Debian's python3-numpy 1.24 and python3-pandas for
/usr/bin/python3.11, sid's python3-numpy 2.x for sid's python3.14), and
for array.array, bytearray and deque everywhere: id(), sys.getsizeof(),
arr.nbytes, arr.flags.owndata, str(dtype), shape.  heapscope must say:
  * the size of every array == sys.getsizeof (numpy's __sizeof__: the
    struct, shape and strides, and the data when the array owns it);
  * owned bytes == arr.nbytes for an array that owns its data, 0 for a
    view, which holds its base as a graph edge ('base');
  * an object array's items are its referents;
  * a list of arrays (and a DataFrame) retains at least their nbytes;
  * array.array / bytearray / deque sizes == sys.getsizeof, and the owned
    buffer of an array.array == buffer_info()[1] * itemsize.
"""
import json
import os
import subprocess

import pytest

from conftest import INTERP, REPO, SUPPORTED_IDS, expect_rc, interpreter_or_skip, run_heapscope
from test_show import ShowTarget

TARGET = os.path.join(REPO, "tests", "targets", "buffers_target.py")
# Interpreters whose Python has numpy (scripts/setup-debian.sh installs
# python3-numpy and python3-pandas for Debian's python3.11,
# scripts/interpreters.sh sid's python3-numpy for its python3.14): there
# a missing numpy is a failure, not a skip.
NUMPY = {"3.11-debian": "1.", "3.14-sid": "2."}
PANDAS = ("3.11-debian",)


class BuffersTarget(ShowTarget):
    def __init__(self, python, workdir, tag):
        self.truth_path = os.path.join(workdir, "buffers-truth-%s.json" % tag)
        self.stderr_path = os.path.join(workdir, "buffers-stderr-%s.txt" % tag)
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([python, TARGET, self.truth_path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd=workdir)
        self.pid = self.proc.pid
        self.truth = None


def start(iid, workdir):
    python, _ = interpreter_or_skip(iid)
    t = BuffersTarget(python, workdir, iid)
    t.wait_ready()
    t.iid = iid
    return t


@pytest.fixture(scope="module", params=SUPPORTED_IDS)
def target(request, workdir):
    t = start(request.param, workdir)
    try:
        yield t
    finally:
        t.stop()


@pytest.fixture(scope="module", params=sorted(NUMPY))
def np_target(request, workdir):
    t = start(request.param, workdir)
    try:
        if not t.truth["numpy"]:
            pytest.fail("%s has no numpy: install python3-numpy (scripts/setup-debian.sh, "
                        "scripts/interpreters.sh)" % request.param)
        assert t.truth["numpy"].startswith(NUMPY[request.param]), t.truth["numpy"]
        yield t
    finally:
        t.stop()


def alive(t):
    """The target must still run: if it is gone, say how it ended."""
    if t.proc.poll() is not None:
        pytest.fail("buffers_target (%s) exited with %s; stderr:\n%s"
                    % (t.iid, t.proc.returncode, t.stderr_text()))


def show(t, addr):
    alive(t)
    run = run_heapscope(["show", t.pid, hex(addr), "--json"], check_target=t.pid)
    expect_rc(run, 0)
    return run.json()


def test_ndarray_sizes_dtype_shape_owned(np_target):
    bad = []
    for a in np_target.truth["arrays"]:
        d = show(np_target, a["id"])
        nd = d.get("ndarray")
        if d["size"] != a["size"]:
            bad.append("%s: size %d, sys.getsizeof %d" % (a["what"], d["size"], a["size"]))
        if nd is None:
            bad.append("%s: not decoded as an ndarray: %r" % (a["what"], d["type"]))
            continue
        want_owned = a["nbytes"] if a["owndata"] else 0
        if (nd["owndata"], nd["nbytes"], nd["dtype"], nd["shape"]) != \
                (a["owndata"], a["nbytes"], a["dtype"], a["shape"]):
            bad.append("%s: heapscope owndata %r nbytes %r dtype %r shape %r; truth %r %r %r %r"
                       % (a["what"], nd["owndata"], nd["nbytes"], nd["dtype"], nd["shape"],
                          a["owndata"], a["nbytes"], a["dtype"], a["shape"]))
        if d["owned_bytes"] != want_owned:
            bad.append("%s: owned %d, expected %d" % (a["what"], d["owned_bytes"], want_owned))
        want_base = hex(a["base"]) if a["base"] else None
        if nd["base"] != want_base:
            bad.append("%s: base %r, expected %r" % (a["what"], nd["base"], want_base))
    assert not bad, "\n".join(bad)


def test_view_holds_its_base(np_target):
    """A view owns nothing; its base is a referent (edge 'base'), so the
    base is what keeps the data alive."""
    views = [a for a in np_target.truth["arrays"] if not a["owndata"] and a["base"]]
    assert views
    for a in views:
        run = run_heapscope(["referents", np_target.pid, hex(a["id"]), "--json"],
                            check_target=np_target.pid)
        expect_rc(run, 0)
        edges = [(r.get("label"), int(r["addr"], 16)) for r in run.json()["referents"]]
        assert ("base", a["base"]) in edges, "%s: referents %r" % (a["what"], edges)


def test_object_array_items_are_referents(np_target):
    a = [x for x in np_target.truth["arrays"] if x["dtype"] == "object"][0]
    run = run_heapscope(["referents", np_target.pid, hex(a["id"]), "--json"],
                        check_target=np_target.pid)
    expect_rc(run, 0)
    labels = [r.get("label") for r in run.json()["referents"]]
    for i in range(a["shape"][0]):
        assert "[%d]" % i in labels, labels


def test_containers_retain_their_arrays(np_target):
    lists = np_target.truth["lists"]
    if np_target.iid in PANDAS:
        assert any(x["what"].startswith("DataFrame") for x in lists), \
            "%s has no pandas: install python3-pandas (scripts/setup-debian.sh)" % np_target.iid
    alive(np_target)
    run = run_heapscope(["top", np_target.pid] + [hex(x["id"]) for x in lists] + ["--json"],
                        check_target=np_target.pid)
    expect_rc(run, 0)
    got = dict((int(o["addr"], 16), o) for o in run.json()["objects"])
    for x in lists:
        o = got.get(x["id"])
        assert o is not None, "%s not in top's answer" % x["what"]
        assert o["retained"] >= x["nbytes"], "%s: retained %d < nbytes %d" % (
            x["what"], o["retained"], x["nbytes"])


def test_stdlib_buffers(target):
    bad = []
    for o in target.truth["others"]:
        d = show(target, o["id"])
        if d["size"] != o["size"]:
            bad.append("%s: size %d, sys.getsizeof %d" % (o["what"], d["size"], o["size"]))
        if o["owned"] is not None and d["owned_bytes"] != o["owned"]:
            bad.append("%s: owned %d, expected %d" % (o["what"], d["owned_bytes"], o["owned"]))
        if o["type"] in ("bytearray", "deque") and not d["owned_bytes"]:
            bad.append("%s: no owned buffer" % o["what"])
    assert not bad, "\n".join(bad)
