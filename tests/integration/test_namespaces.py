"""A target in its own PID (and mount) namespace, as a container runs it.

`unshare -p -f -m --mount-proc` starts the census target as PID 1 of a new
PID namespace (for a Debian interpreter also chrooted into the sid root, in
a private mount namespace: the container case twice over); heapscope runs on
the host with the host's PID, reads the target's ELF files through
/proc/PID/root, and its census must equal the truth the target recorded.
"""
import os
import stat
import time

import pytest

from conftest import (SUPPORTED_IDS, Target, TargetError, expect_rc, interpreter_or_skip,
                      run_heapscope)
from test_census import SIZE_ALLOW_LIST, aggregate, mismatch_report, truth_by_type

# pyenv's 3.13 (a plain PID namespace) and Debian's newest (PID namespace +
# chroot + private mount namespace)
CASES = [i for i in ("3.13", "3.15-sid") if i in SUPPORTED_IDS]


def child_pid(pid, timeout=10.0):
    """The one child of `pid` (unshare -f forks the target)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
        except OSError:
            kids = []
        if kids:
            return int(kids[0])
        time.sleep(0.02)
    pytest.fail("unshare (PID %d) started no child" % pid)


@pytest.mark.parametrize("iid", CASES)
def test_census_in_pid_namespace(iid, workdir):
    python, _ = interpreter_or_skip(iid)
    wrapper = os.path.join(workdir, "pidns-%s.sh" % iid)
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec unshare -p -f -m --mount-proc '%s' \"$@\"\n" % python)
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    t = Target("%s-pidns" % iid, wrapper, "collected", workdir)
    try:
        try:
            t.wait_ready()
        except TargetError as e:
            pytest.fail(str(e))
        host_pid = child_pid(t.pid)
        t1 = t.record()
        assert t1["pid"] != host_pid and t1["pid"] < 10, (
            "the target should see itself as a low PID of its own namespace, not %d" % t1["pid"])
        run = run_heapscope(["types", "--tracked-only", host_pid, "--json"], check_target=host_pid)
        t2 = t.record()
        assert t1 == t2, "target moved around the heapscope run"
        expect_rc(run, 0)
        out = run.json()
        assert out["python"] == t1["python"] and out["objects"] == t1["objects"], out
        got = aggregate(out["types"])
        lines = mismatch_report("%s in a PID namespace" % iid, truth_by_type(t1), got,
                                [("count", lambda r: r["count"]), ("gen", lambda r: r["gen"])])
        lines += mismatch_report("%s in a PID namespace, sizes" % iid, truth_by_type(t1), got,
                                 [("size", lambda r: r["size"])], skip=SIZE_ALLOW_LIST)
        assert not lines, "\n".join(lines)
    finally:
        t.stop()
