"""heapscope threads: every thread's Python stack, against the interpreter.

tests/targets/show_target.py starts threads that block in known places
(Event.wait() under a nested function, time.sleep() in a closure, a wait
inside a running generator, a lock acquire in a function with cell
variables), waits until sys._current_frames() is stable, records every
thread's frames (function, line, locals with id() and repr()) and blocks
its main thread on stdin.  heapscope must report the same threads (ids,
native ids, which one is main) and, innermost first, the same function
names and line numbers, and the same locals with the same addresses.
"""
import os

import pytest

from conftest import PY2_IDS, SUPPORTED_IDS, expect_rc, interpreter_or_skip, run_heapscope
from test_show import ShowTarget


@pytest.fixture(scope="module", params=SUPPORTED_IDS + PY2_IDS)
def target(request, workdir):
    python, _ = interpreter_or_skip(request.param)
    t = ShowTarget(python, workdir, "threads-" + request.param)
    try:
        t.wait_ready()
        t.minor = t.truth["hexversion"] >> 16 & 0xFF
        run = run_heapscope(["threads", t.pid, "--json"], check_target=t.pid)
        expect_rc(run, 0)
        t.report = run.json()
        t.run = run
        yield t
    finally:
        t.stop()


def by_ident(report):
    return dict((th["thread_id"], th) for th in report["threads"])


def stack(frames):
    return [(f["function"], os.path.basename(f["file"]), f["line"]) for f in frames]


def test_every_thread_is_listed(target):
    truth = target.truth
    got = by_ident(target.report)
    want = set(t["ident"] for t in truth["threads"]) | {truth["main"]["ident"]}
    assert set(got) == want, "threads %r, expected %r" % (sorted(got), sorted(want))
    mains = [th["thread_id"] for th in target.report["threads"] if th["is_main"]]
    assert mains == [truth["main"]["ident"]], target.report["threads"]
    for t in truth["threads"]:
        if t["native_id"] is not None:
            assert got[t["ident"]]["native_thread_id"] == t["native_id"], (t["name"], got[t["ident"]])
    assert got[truth["main"]["ident"]]["native_thread_id"] == target.pid
    assert not any(th["truncated"] for th in target.report["threads"])


def test_thread_names_and_order(target):
    """Every thread named as threading names it; the main thread first,
    then the others oldest first (threading.enumerate()'s order), the same
    order the explorer shows."""
    truth = target.truth
    got = by_ident(target.report)
    for t in truth["threads"]:
        assert got[t["ident"]]["name"] == t["name"], (t, got[t["ident"]])
    assert got[truth["main"]["ident"]]["name"] == "MainThread"
    idents = [th["thread_id"] for th in target.report["threads"]]
    assert idents[0] == truth["main"]["ident"]
    order = [t["ident"] for t in truth["threads"]]        # started in this order
    assert [i for i in idents if i in order] == order, (idents, order)


def test_stacks_match_current_frames(target):
    """Function names and line numbers of every frame, innermost first,
    equal what sys._current_frames() reported for the blocked threads."""
    got = by_ident(target.report)
    bad = []
    for t in target.truth["threads"]:
        exp = stack(t["frames"])
        have = stack(got[t["ident"]]["frames"])
        if have != exp:
            bad.append("thread %s:\n  heapscope %r\n  expected  %r" % (t["name"], have, exp))
    assert not bad, "\n".join(bad)


def test_main_thread_stack(target):
    """The main thread blocks on os.read(0) in block_on_stdin(), called
    from main(), called from the module."""
    main = by_ident(target.report)[target.truth["main"]["ident"]]
    exp = stack(target.truth["main"]["frames"])
    assert stack(main["frames"]) == exp
    assert [f["function"] for f in main["frames"]][-1] == "<module>"


def test_locals(target):
    """Each function frame's locals (cells and free variables included,
    unbound ones excluded) have the names of frame.f_locals, the id() of
    each value as address, and repr() as value for simple values."""
    got = by_ident(target.report)
    bad = []
    checked = 0
    for t in target.truth["threads"]:
        frames = got[t["ident"]]["frames"]
        for ef, gf in zip(t["frames"], frames):
            if ef["locals"] is None:
                continue
            have = dict((l["name"], l) for l in gf["locals"]
                        if l["addr"] is not None and l["kind"] != "dict")
            where = "%s %s:%d" % (t["name"], ef["function"], ef["line"])
            if sorted(have) != sorted(ef["locals"]):
                bad.append("%s: locals %r, expected %r" % (where, sorted(have), sorted(ef["locals"])))
                continue
            for name, e in ef["locals"].items():
                checked += 1
                l = have[name]
                if int(l["addr"], 16) != e["id"]:
                    bad.append("%s: %s at %s, id() %#x" % (where, name, l["addr"], e["id"]))
                if e["repr"] is not None and l["value"] != e["repr"]:
                    bad.append("%s: %s = %r, repr %r" % (where, name, l["value"], e["repr"]))
    assert not bad, "\n".join(bad)
    assert checked >= 15


def test_cells_and_free_vars_are_marked(target):
    got = by_ident(target.report)
    threads = dict((t["name"], t["ident"]) for t in target.truth["threads"])
    cells = got[threads["cells"]]["frames"][0]
    assert cells["function"] == "with_cells"
    kinds = dict((l["name"], l["kind"]) for l in cells["locals"])
    assert kinds == {"arg": "cell", "a": "cell", "b": "cell", "uses": "local"}, kinds
    waiter = [f for f in got[threads["waiter"]]["frames"] if f["function"] == "waiter_inner"][0]
    kinds = dict((l["name"], l["kind"]) for l in waiter["locals"])
    assert kinds.get("tag") == "free" and kinds.get("x") == "local", kinds


def test_module_frame_has_globals(target):
    """A module-level frame's variables are its f_locals dict (the module
    globals)."""
    main = by_ident(target.report)[target.truth["main"]["ident"]]
    mod = main["frames"][-1]
    names = dict((l["name"], l) for l in mod["locals"] if l["kind"] == "dict")
    assert "THREADS" in names and "main" in names, sorted(names)
    assert names["__name__"]["value"] == "'__main__'"


def test_text_output(target):
    run = run_heapscope(["threads", target.pid], check_target=target.pid)
    expect_rc(run, 0)
    main = target.truth["main"]
    assert 'Thread %d (native %d) "MainThread" [main]' % (main["ident"], target.pid) in run.out, run.describe()
    for f in main["frames"][:2]:
        assert 'File "%s", line %d, in %s' % (f["file"], f["line"], f["function"]) in run.out, run.describe()
    assert "seconds = 3600.5" in run.out, run.describe()
