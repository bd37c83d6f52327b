"""heapscope show: one object's value and fields, against repr() and id().

For every interpreter of the matrix, tests/targets/show_target.py builds
objects of every kind, records the truth (id(), repr(), sys.getsizeof(),
attribute names/values/ids built without touching __dict__) and blocks.
heapscope must then say, from outside:
  * exactly repr() for str (all widths, non-ASCII, astral, str subclasses
    whose data is not compact), bytes, int (any size, negative), float
    (shortest round trip, inf/nan/-0.0), bool, None, complex and small
    containers; a faithful prefix marked "…" for long values;
  * every instance attribute, in vars() order, with the value's id() as
    its address — from a real __dict__, a 3.11/3.12 managed dict or values
    array, 3.13 inline values, or __slots__;
  * sensible one-liners for functions, generators, frames, exceptions…;
  * refcounts (immortal on 3.12+), sys.getsizeof sizes;
  * a clean error for an address that holds no object.
"""
import json
import os
import select
import subprocess
import time

import pytest

from conftest import INTERP, PY2_IDS, REPO, SUPPORTED_IDS, expect_rc, interpreter_or_skip, run_heapscope

SHOW_TARGET = os.path.join(REPO, "tests", "targets", "show_target.py")
ELLIPSIS = "\u2026"

# Objects whose sys.getsizeof heapscope does not reproduce yet (the size is
# computed by model/pyobj.c, not by the value decoder under test here).
#   name: (minor versions affected, reason)
SIZE_KNOWN_DIFF = {
}


class ShowTarget(object):
    """A running show_target.py; truth() is what it recorded."""

    def __init__(self, python, workdir, tag):
        self.truth_path = os.path.join(workdir, "show-truth-%s.json" % tag)
        self.stderr_path = os.path.join(workdir, "show-stderr-%s.txt" % tag)
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([python, SHOW_TARGET, self.truth_path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd=workdir)
        self.pid = self.proc.pid
        self.truth = None

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_ready(self, timeout=60.0):
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.time() + timeout
        while b"\n" not in buf:
            left = deadline - time.time()
            if left <= 0 or self.proc.poll() is not None:
                break
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                buf += chunk
        if buf.strip() != b"READY":
            self.proc.poll()
            pytest.fail("show_target did not get ready (rc %s, output %r); stderr:\n%s"
                        % (self.proc.returncode, buf, self.stderr_text()))
        with open(self.truth_path) as f:
            self.truth = json.load(f)

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
        for f in (self.proc.stdout, self._stderr):
            try:
                f.close()
            except OSError:
                pass


@pytest.fixture(scope="module", params=SUPPORTED_IDS + PY2_IDS)
def target(request, workdir):
    python, _ = interpreter_or_skip(request.param)
    t = ShowTarget(python, workdir, request.param)
    try:
        t.wait_ready()
        t.iid = request.param
        t.minor = t.truth["hexversion"] >> 16 & 0xFF
        t.cache = {}
        yield t
    finally:
        t.stop()


def show(t, addr, *extra):
    """heapscope show --json, cached per (address, options)."""
    key = (addr,) + extra
    if key not in t.cache:
        run = run_heapscope(["show", t.pid, addr, "--json"] + list(extra), check_target=t.pid)
        expect_rc(run, 0)
        t.cache[key] = run.json()
    return t.cache[key]


def show_all(t, names):
    """show every named object (one at a time: a process has one tracer)."""
    objs = t.truth["objects"]
    return dict((n, show(t, objs[n]["id"])) for n in names)


def names_by(t, how):
    return [n for n, r in sorted(t.truth["objects"].items()) if r["how"] == how]


def describe(name, rec, got):
    return "%s (%s): heapscope %r\n%s expected %r" % (name, rec["type"], got[:400],
                                                      " " * len(name), rec["text"][:400])


# ---------------------------------------------------------------------------


def test_values_equal_repr(target):
    """Scalars, small containers and the other exact cases equal repr()."""
    names = names_by(target, "exact")
    got = show_all(target, names)
    bad = []
    for n in names:
        rec = target.truth["objects"][n]
        if got[n]["value"] != rec["text"]:
            bad.append(describe(n, rec, got[n]["value"]))
    assert not bad, "%d of %d values differ from repr():\n%s" % (len(bad), len(names), "\n".join(bad))


# Not yet on 2.7 (PY2_IDS): a long astral unicode's escaped repr fills the
# output before its length is stated
@pytest.mark.parametrize("target", SUPPORTED_IDS, indirect=True)
def test_long_values_are_faithful_prefixes(target):
    """Long str/bytes/list: the text before '…' is a prefix of repr(), long
    enough to be useful, and the full length is stated."""
    names = names_by(target, "prefix")
    got = show_all(target, names)
    bad = []
    for n in names:
        rec = target.truth["objects"][n]
        v = got[n]["value"]
        if ELLIPSIS not in v:
            bad.append("%s: not marked as cut: %r" % (n, v[:200]))
            continue
        cut = v[:v.index(ELLIPSIS)]
        if not rec["text"].startswith(cut) or len(cut) < min(100, len(rec["text"])):
            bad.append(describe(n, rec, v))
        if not any(w in v for w in ("chars)", "bytes)", "items)")):
            bad.append("%s: the length is not stated: %r" % (n, v[-80:]))
    assert not bad, "\n".join(bad)


def test_descriptions(target):
    """Functions, code, generators, frames, exceptions, weakrefs… contain
    the facts that identify them (qualname, file:line, state, referent)."""
    names = names_by(target, "contains")
    got = show_all(target, names)
    bad = [describe(n, target.truth["objects"][n], got[n]["value"])
           for n in names if target.truth["objects"][n]["text"] not in got[n]["value"]]
    assert not bad, "\n".join(bad)


def test_attributes(target):
    """Instance attributes equal vars(o) (names, order, ids, values) and
    slot members equal the slots — whatever the storage: real dict,
    managed dict / values (3.11/3.12), inline values (3.13), __slots__."""
    objs = target.truth["objects"]
    names = [n for n in sorted(objs) if "attrs" in objs[n]]
    got = show_all(target, names)
    bad = []
    for n in names:
        rec = objs[n]
        fields = got[n]["fields"]
        attrs = [f for f in fields if f["kind"] == "attr"]
        slots = [f for f in fields if f["kind"] == "slot"]
        got_order = [f["name"] for f in attrs]
        if got_order != rec["order"]:
            bad.append("%s: attribute names/order %r, expected %r" % (n, got_order, rec["order"]))
        for f in attrs:
            e = rec["attrs"].get(f["name"])
            if e is None:
                continue
            if int(f["addr"], 16) != e["id"]:
                bad.append("%s.%s: address %s, id() %#x" % (n, f["name"], f["addr"], e["id"]))
            if not e["repr"].startswith("<") and f["value"] != e["repr"]:
                bad.append("%s.%s: value %r, repr %r" % (n, f["name"], f["value"], e["repr"]))
        exp_slots = rec.get("slots", {})
        got_slots = dict((f["name"], f) for f in slots)
        if sorted(got_slots) != sorted(exp_slots):
            bad.append("%s: slots %r, expected %r" % (n, sorted(got_slots), sorted(exp_slots)))
        for k, e in exp_slots.items():
            f = got_slots.get(k)
            if f and (int(f["addr"], 16) != e["id"] or f["value"] != e["repr"]):
                bad.append("%s.%s (slot): %s %r, expected %#x %r"
                           % (n, k, f["addr"], f["value"], e["id"], e["repr"]))
        if n == "inst_materialised" or n == "inst_many":
            if not any(f["kind"] == "field" and f["label"] == "__dict__" for f in fields):
                bad.append("%s: the materialised __dict__ is not listed as a field" % n)
    assert not bad, "\n".join(bad)


# Interpreters with managed dicts / inline values (3.11+): the test below
# applies to them only, so it is parametrized over them, not skipped.
def _minor_of(iid):
    """(3, minor) of a matrix entry: from its version, or from its id when
    the interpreter is not installed (version "?"; it then fails in CI)."""
    v = INTERP[iid][2] if INTERP[iid][2][:1].isdigit() else iid
    return tuple(int(x) for x in v.split("-")[0].split(".")[:2])


MANAGED_IDS = [i for i in SUPPORTED_IDS if _minor_of(i) >= (3, 11)]


@pytest.mark.parametrize("target", MANAGED_IDS, indirect=True)
def test_managed_storage_is_really_exercised(target):
    """The instances meant to keep their attributes outside a dict really
    do (3.11+): no __dict__ field is reported for them."""
    assert target.minor >= 11, "parametrized over 3.11+ only"
    if target.minor >= 13:
        assert target.truth["inline_values_flag"], "Plain should use inline values on 3.13"
    d = show(target, target.truth["objects"]["inst_managed"]["id"])
    assert not any(f["label"] == "__dict__" for f in d["fields"]), d["fields"]
    assert [f["name"] for f in d["fields"] if f["kind"] == "attr"]


def test_header_facts(target):
    """type, sys.getsizeof, refcount (immortal on 3.12+), GC tracking."""
    objs = target.truth["objects"]
    got = show_all(target, sorted(objs))
    bad = []
    for n, rec in sorted(objs.items()):
        d = got[n]
        if d["type"]["qualname"].split(".")[-1] != rec["type"]:
            bad.append("%s: type %r, expected %r" % (n, d["type"], rec["type"]))
        known = SIZE_KNOWN_DIFF.get(n)
        if d["size"] != rec["size"] and not (known and target.minor in known[0]):
            bad.append("%s: size %d, sys.getsizeof %d" % (n, d["size"], rec["size"]))
        if int(d["address"], 16) != rec["id"]:
            bad.append("%s: address %s" % (n, d["address"]))
        kinds = [f["kind"] for f in d["fields"]]
        first_item = min([i for i, k in enumerate(kinds) if k in ("item", "entry")] or [len(kinds)])
        if any(k not in ("item", "entry") for k in kinds[first_item:]):
            bad.append("%s: named fields after items: %r" % (n, kinds))
    assert not bad, "\n".join(bad)
    rc = got["rc_probe"]
    assert rc["refcount"] == target.truth["rc_probe_refcount"] and not rc["immortal"], rc
    assert rc["gc_tracked"] is True
    none = got["none"]
    if target.minor >= 12:
        assert none["immortal"] and none["refcount"] is None, none
    else:
        assert not none["immortal"] and none["refcount"] > 0, none
    assert got["int_2_200"]["gc_tracked"] is None        # ints are not GC objects


def test_walk_by_address(target):
    """Every field carries the address of the object it points to; showing
    that address gives the item's repr (a script can walk the heap)."""
    objs = target.truth["objects"]
    d = show(target, objs["list_small"]["id"])
    items = [f for f in d["fields"] if f["kind"] == "item"]
    assert [f["label"] for f in items] == ["[%d]" % i for i in range(6)]
    inner = eval(objs["list_small"]["text"])
    for f, value in zip(items, inner):
        sub = show(target, f["addr"])
        assert sub["value"] == repr(value), (f, sub["value"])
    d = show(target, objs["dict_small"]["id"])
    entries = [f for f in d["fields"] if f["kind"] == "entry"]
    assert len(entries) == 4 and all("key_addr" in f for f in entries), entries
    assert show(target, entries[0]["key_addr"])["value"] == "'a'"
    d = show(target, objs["deque"]["id"])
    assert [f["value"] for f in d["fields"] if f["kind"] == "item"] == ["1", "'a'", "None"]
    if target.truth["hexversion"] >> 24 == 2:
        return              # 2.7's exceptions have no __traceback__ (PEP 3134 is 3.0)
    # the exception's traceback, then the traceback's frame
    d = show(target, objs["exception"]["id"])
    tb = [f for f in d["fields"] if f["label"] == "__traceback__"]
    assert tb and int(tb[0]["addr"], 16) == objs["traceback"]["id"], d["fields"]


def test_big_containers_are_paged(target):
    """A 1M-item list costs only its first items; --limit bounds the rows
    and fields_total says how many there are."""
    objs = target.truth["objects"]
    d = show(target, objs["list_1m"]["id"], "--limit", "5")
    items = [f for f in d["fields"] if f["kind"] == "item"]
    assert [f["value"] for f in items] == ["0", "1", "2", "3", "4"]
    assert d["fields_total"] >= 1000000
    d = show(target, objs["dict_1000"]["id"], "--limit", "3")
    entries = [f for f in d["fields"] if f["kind"] == "entry"]
    first = target.truth["dict_1000_first"]      # k0 k1 k2, but hash order on 2.7
    assert [f["label"] for f in entries] == ["['%s']" % k for k in first]
    assert [f["value"] for f in entries] == [k[1:] for k in first]
    assert d["fields_total"] >= 1000


def test_text_output(target):
    objs = target.truth["objects"]
    run = run_heapscope(["show", target.pid, "%#x" % objs["inst_managed"]["id"]],
                        check_target=target.pid)
    expect_rc(run, 0)
    if target.truth["hexversion"] >> 24 == 2:     # vars() in hash order on 2.7
        assert "value     <Plain " in run.out and "x=1" in run.out, run.describe()
    else:
        assert "value     <Plain x=1, name='abc'" in run.out, run.describe()
    assert ".name" in run.out and "'abc'" in run.out, run.describe()
    run = run_heapscope(["show", target.pid, str(objs["none"]["id"])], check_target=target.pid)
    expect_rc(run, 0)
    assert ("refcount  immortal" in run.out) == (target.minor >= 12), run.describe()


def test_not_an_object(target):
    """Addresses with no object: a clear error (exit 12), the target left
    running; a malformed address is a usage error."""
    for addr in ("0x10", "0x7", hex(target.truth["objects"]["str_ascii"]["id"] + 8)):
        run = run_heapscope(["show", target.pid, addr], check_target=target.pid)
        expect_rc(run, 12)
        assert "no Python object" in run.err, run.describe()
    run = run_heapscope(["show", target.pid, "zzz"], check_target=target.pid)
    expect_rc(run, 2, prefixed=False)
    run = run_heapscope(["show", target.pid], check_target=target.pid)
    expect_rc(run, 2, prefixed=False)
    assert target.proc.poll() is None
