"""heapscope's own memory must not scale with payload it never looks at.

A target holds one huge object: a 1 GiB `bytes` (b'x' * 2**30), a 1 GiB
`bytearray` or a 300 MB `str`, made before anything else, then the census
heap of tests/targets/census_target.py (run as __main__ through a small
wrapper, so its ground-truth recording is the one the census tests trust).
The payload is one glibc malloc block with a mapping of its own; a census
needs the object headers, not that gigabyte.  heapscope copies the block's
first 64 KiB during the pause and leaves the rest lazy (attach/live.h), so:

* heapscope's peak RSS (ru_maxrss from wait4, what `/usr/bin/time -f %M`
  prints) stays under 300 MB, for `types` and `gens`, and for `show` of the
  huge object itself (its value preview reads a little of the lazy tail);
* the census is still exact: per-type counts, generations, permanent
  generation and the gc counters equal what the target's gc module reports
  (T1 == T2 around the runs proves the target held still);
* the pause is small and copied_bytes is a fraction of the payload;
* --lazy-min 0 brings the full copy back, and --max-copy refuses it (exit
  10, message naming the size needed and the flag) without using memory.
"""
import json
import os
import select
import stat
import subprocess
import time

import pytest

from conftest import (HEAPSCOPE_TIMEOUT, TARGET, Target, TargetError, heapscope_or_fail,
                      interpreter_or_skip)

LIMIT = 300 * 1000 * 1000
# The pause copies the census heap (a few tens of MB), not the payload: that
# is checked through copied_bytes (deterministic), not through pause_ms.
GIB = 2 ** 30

CASES = [
    pytest.param("3.11-debian", "bytes", GIB, id="3.11-debian-bytes-1GiB"),
    pytest.param("3.11-debian", "bytearray", GIB, id="3.11-debian-bytearray-1GiB"),
    pytest.param("3.11-debian", "str", 300 * 1000 * 1000, id="3.11-debian-str-300MB"),
    # 256 KiB arenas (3.8) and 1 MiB arenas with 16 KiB pools (3.13): the
    # arenas merge with the payload's mapping in other ways.
    pytest.param("3.8", "bytes", GIB, id="3.8-bytes-1GiB"),
    pytest.param("3.13", "bytes", GIB, id="3.13-bytes-1GiB"),
    pytest.param("3.15-sid", "bytes", GIB, id="3.15-sid-bytes-1GiB"),
]

# Runs as `python -c WRAPPER KIND SIZE INFO census_target.py MODE TRUTH`:
# makes the payload first (so the census heap's arenas come after it, some
# glued to its mapping), records its address and size, then runs the census
# target as __main__.
WRAPPER = r"""
import sys
kind, size, info = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "bytes":
    BIG = b"x" * size
elif kind == "bytearray":
    BIG = bytearray(b"y") * size
else:
    BIG = "z" * size
f = open(info, "w")
f.write("%d %d\n" % (id(BIG), sys.getsizeof(BIG)))
f.close()
del f, kind, size, info
sys.argv = sys.argv[4:]
exec(compile(open(sys.argv[0]).read(), sys.argv[0], "exec"))
"""


def start_big_target(workdir, iid, kind, size):
    """A census_target.py ('collected' mode) that also holds the payload.
    Returns (Target, payload address, payload sys.getsizeof)."""
    python, _ = interpreter_or_skip(iid)
    tag = "%s-%s" % (iid, kind)
    info = os.path.join(workdir, "big-%s.txt" % tag)
    wrapper = os.path.join(workdir, "big-%s.sh" % tag)
    with open(wrapper, "w") as f:
        # Target() runs `wrapper TARGET MODE TRUTH`; exec keeps the PID.
        f.write("#!/bin/sh\nexec '%s' -c '%s' %s %d '%s' \"$@\"\n"
                % (python, WRAPPER.replace("'", "'\\''"), kind, size, info))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    t = Target("%s-big-%s" % (iid, kind), wrapper, "collected", workdir)
    try:
        t.wait_ready(timeout=120)
    except TargetError as e:
        t.stop()
        pytest.fail(str(e))
    with open(info) as f:
        addr, getsizeof = (int(x) for x in f.read().split())
    return t, addr, getsizeof


def run_with_maxrss(argv, timeout=HEAPSCOPE_TIMEOUT):
    """(rc, stdout, stderr, peak RSS in bytes) of argv.  The peak is an upper
    bound: Linux keeps the forking (pytest) process's RSS in ru_maxrss across
    exec, ~30 MB here."""
    with open(os.devnull, "rb") as devnull:
        p = subprocess.Popen(argv, stdin=devnull, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # heapscope's output is small (a type table): reading it before wait4
    # cannot deadlock, and wait4 is what gives us the child's rusage.
    deadline = time.time() + timeout
    out, err = b"", b""
    open_fds = {p.stdout.fileno(): "out", p.stderr.fileno(): "err"}
    while open_fds:
        left = deadline - time.time()
        if left <= 0:
            p.kill()
            os.wait4(p.pid, 0)
            pytest.fail("heapscope did not finish within %d s" % timeout)
        r, _, _ = select.select(list(open_fds), [], [], left)
        for fd in r:
            chunk = os.read(fd, 65536)
            if not chunk:
                del open_fds[fd]
            elif open_fds[fd] == "out":
                out += chunk
            else:
                err += chunk
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    p.stderr.close()
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), ru.ru_maxrss * 1024


def heapscope_json(args, what):
    """Run heapscope, require exit 0 and JSON; return (json, peak RSS)."""
    argv = [heapscope_or_fail()] + [str(a) for a in args]
    rc, out, err, maxrss = run_with_maxrss(argv)
    assert rc == 0, "%s: heapscope exited %d: %s" % (what, rc, err)
    try:
        return json.loads(out), maxrss
    except ValueError:
        pytest.fail("%s: output is not JSON: %s" % (what, out[:500]))


def census_problems(truth, types, gens):
    """Differences between the target's truth and heapscope's types/gens."""
    problems = []
    exp = dict(((r["module"], r["qualname"]), r) for r in truth["types"])
    got = {}
    for r in types["types"]:
        a = got.setdefault((r["module"], r["qualname"]), {"count": 0, "gen": [0, 0, 0], "permanent": 0})
        a["count"] += r["count"]
        a["permanent"] += r["permanent"]
        for i in range(3):
            a["gen"][i] += r["gen"][i]
    zero = {"count": 0, "gen": [0, 0, 0], "permanent": 0}
    for k in sorted(set(exp) | set(got), key=str):
        e, g = exp.get(k, zero), got.get(k, zero)
        for f in ("count", "gen", "permanent"):
            if e[f] != g[f]:
                problems.append("%s.%s %s: expected %r got %r" % (k[0], k[1], f, e[f], g[f]))
    for out, what in ((types, "types"), (gens, "gens")):
        if out.get("objects") != truth["objects"]:
            problems.append("%s objects: expected %r got %r" % (what, truth["objects"], out.get("objects")))
    gl = gens.get("generations") or []
    for i in range(3):
        g = gl[i] if i < len(gl) else {}
        for f, want in (("objects", truth["gen_objects"][i]), ("count", truth["count"][i]),
                        ("threshold", truth["threshold"][i])):
            if g.get(f) != want:
                problems.append("generation %d %s: expected %r got %r" % (i, f, want, g.get(f)))
    return problems


@pytest.mark.parametrize("iid,kind,size", CASES)
def test_census_exact_and_small_with_huge_payload(workdir, iid, kind, size):
    target, addr, getsizeof = start_big_target(workdir, iid, kind, size)
    try:
        pid = target.pid
        t1 = target.record()
        types, rss_types = heapscope_json(["types", "--tracked-only", pid, "--json"], "types")
        gens, rss_gens = heapscope_json(["gens", pid, "--json"], "gens")
        t2 = target.record()
        assert t1 == t2, "the target moved around the heapscope runs (not a heapscope verdict)"

        print("%s %s: peak RSS types %.1f MB, gens %.1f MB; pause %.2f / %.2f ms; copied %.1f MB"
              % (iid, kind, rss_types / 1e6, rss_gens / 1e6, types["pause_ms"], gens["pause_ms"],
                 types["copied_bytes"] / 1e6))
        problems = census_problems(t1, types, gens)
        assert not problems, "%s %s: census differs from the target's gc:\n  %s" % (
            iid, kind, "\n  ".join(problems))
        for what, rss in (("types", rss_types), ("gens", rss_gens)):
            assert rss < LIMIT, ("heapscope %s peaked at %.0f MB RSS on a target holding a %.0f MB "
                                 "%s; limit %.0f MB" % (what, rss / 1e6, size / 1e6, kind, LIMIT / 1e6))
        for out in (types, gens):
            assert out["copied_bytes"] < size / 4, (
                "copied %d bytes during the pause: the %d-byte payload was copied"
                % (out["copied_bytes"], size))
            # how short the pause is, is measured by bench/, not asserted here
            assert out["pause_ms"] > 0, out["pause_ms"]

        # The huge object itself: its header was copied, its value preview
        # comes from the lazy tail (and the start of the payload).
        show, rss_show = heapscope_json(["show", pid, hex(addr), "--json"], "show")
        assert rss_show < LIMIT, "show peaked at %.0f MB RSS" % (rss_show / 1e6)
        assert show.get("size") == getsizeof, "size %r, sys.getsizeof says %d" % (show.get("size"), getsizeof)
        assert show.get("type", {}).get("name") == kind, show.get("type")
        fill = {"bytes": "x", "bytearray": "y", "str": "z"}[kind]
        assert fill * 32 in (show.get("value") or ""), "value preview: %r" % (show.get("value") or "")[:120]
    finally:
        target.stop()


def test_lazy_off_and_max_copy(workdir):
    """--lazy-min 0 copies the payload during the pause again; --max-copy
    measures what the pause copies, so it refuses that, cheaply, and lets
    the lazy default through."""
    target, _, _ = start_big_target(workdir, "3.11-debian", "bytes", GIB)
    try:
        hs = heapscope_or_fail()
        pid = str(target.pid)
        rc, out, err, maxrss = run_with_maxrss([hs, "types", "--tracked-only", pid, "--json", "--lazy-min", "0",
                                                "--max-copy", "256M"])
        assert rc == 10, "expected exit 10 (--max-copy), got %d: %s" % (rc, err)
        assert "--max-copy" in err and "needs 1" in err and "MiB" in err, err
        assert maxrss < LIMIT, "a refused copy peaked at %.0f MB RSS" % (maxrss / 1e6)

        lazy, rss = heapscope_json(["types", "--tracked-only", pid, "--json", "--max-copy", "256M"], "lazy, --max-copy 256M")
        assert rss < LIMIT

        full, rss_full = heapscope_json(["types", "--tracked-only", pid, "--json", "--lazy-min", "0"], "--lazy-min 0")
        assert full["copied_bytes"] > GIB, "--lazy-min 0 copied only %d bytes" % full["copied_bytes"]
        assert rss_full > GIB, "--lazy-min 0 peaked at only %.0f MB" % (rss_full / 1e6)
        assert full["objects"] == lazy["objects"]
        assert full["copied_bytes"] - lazy["copied_bytes"] > GIB - (8 << 20)
    finally:
        target.stop()
