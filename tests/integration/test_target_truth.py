"""Checks of the test apparatus itself (no heapscope needed).

If these fail, heapscope verdicts in test_census.py mean nothing:
* the target's ground truth is stable: recording it again gives the same
  JSON (recording does not disturb what it records);
* the truth agrees with an independent reader: gdb walking the GC lists of
  the blocked target (DWARF on the pyenv builds, the documented raw offsets
  on Debian's stripped python3.11).
"""
import json
import os
import shutil
import subprocess

import pytest

from conftest import CHROOTED, INTERP, MODE_PARAMS, wait_not_stopped

PARAMS = [pytest.param(i, m, id="%s-%s" % (i, m)) for i, m in MODE_PARAMS]
GDB_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gdb_gc_lists.py")


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_truth_is_stable(pool, iid, mode):
    t = pool.get(iid, mode)
    first = t.record()
    second = t.record()
    assert first == second, "recording twice gave different truths"
    assert first["error"] is None
    assert first["threads"] >= 2, "the sleeper thread is missing"
    assert first["python"] == INTERP[iid][2]
    if mode == "collected":
        assert first["gen_objects"][0] == 0 and first["gen_objects"][1] == 0
    else:
        assert all(n > 0 for n in first["gen_objects"][:2]), first["gen_objects"]
    if mode == "frozen":
        assert first["permanent"] > 1000 and first["gen_objects"][2] == 0
    assert first["garbage"] > 0


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_truth_matches_gdb(pool, iid, mode):
    if not shutil.which("gdb"):
        pytest.skip("gdb not installed")
    t = pool.get(iid, mode)
    truth = t.record()
    pre = []
    if iid in CHROOTED:
        # the target's files and their DWARF (-dbg packages) are in its root
        root = CHROOTED[iid]
        pre = ["-iex", "set sysroot " + root,
               "-iex", "set debug-file-directory %s/usr/lib/debug:%s/opt/deb13/usr/lib/debug" % (root, root),
               os.readlink("/proc/%d/exe" % t.pid)]
    p = subprocess.run(["gdb", "-batch", "-nx"] + pre + ["-p", str(t.pid), "-x", GDB_SCRIPT],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    out = p.stdout.decode("utf-8", "replace")
    lines = [l for l in out.splitlines() if l.startswith("GCLISTS ")]
    assert lines, "gdb gave no answer:\n%s\n%s" % (out[-2000:], p.stderr.decode("utf-8", "replace")[-2000:])
    assert not wait_not_stopped(t.pid), "gdb left the target stopped"
    g = json.loads(lines[0][len("GCLISTS "):])
    seen = {
        "gen_objects": [x[0] for x in g["gens"]],
        "threshold": [x[1] for x in g["gens"]],
        "count": [x[2] for x in g["gens"]],
        "permanent": g["permanent"],
        "enabled": bool(g["enabled"]),
    }
    want = dict((k, truth[k]) for k in seen)
    assert seen == want, "gdb sees %r\ntruth says %r" % (seen, want)
    assert t.record() == truth, "target moved while gdb looked"
