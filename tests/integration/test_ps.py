"""`heapscope ps` and `--pid-of PATTERN` against real processes: every
interpreter of the matrix (with its version, as the target itself reports
it), an unsupported one, a process that is not Python, and processes whose
command lines match a pattern once, several times, or not at all.
"""
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from conftest import CHROOTED, SUPPORTED, UNSUPPORTED, expect_rc, run_heapscope

IDLE = "import sys, time; sys.stdout.write('READY\\n'); sys.stdout.flush(); time.sleep(600)  # %s"


class Idle(object):
    """An idle interpreter whose command line carries a unique token."""

    def __init__(self, python, token):
        self.token = token
        self.proc = subprocess.Popen([python, "-c", IDLE % token], stdout=subprocess.PIPE)
        assert self.proc.stdout.readline().strip() == b"READY"
        self.pid = self.proc.pid

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def idle():
    started = []

    def start(python, token=None):
        t = Idle(python, token or "hs-" + uuid.uuid4().hex[:12])
        started.append(t)
        return t

    yield start
    for t in started:
        t.stop()


def any_python():
    return "/usr/bin/python3.11" if os.access("/usr/bin/python3.11", os.X_OK) else sys.executable


def rows_by_pid():
    run = run_heapscope(["ps", "--json"])
    expect_rc(run, 0)
    data = run.json()
    assert data["count"] == len(data["processes"])
    return dict((p["pid"], p) for p in data["processes"])


def installed(entries):
    return [e for e in entries if os.access(e[1], os.X_OK)]


def test_ps_lists_every_interpreter(idle):
    sup = installed(SUPPORTED)
    uns = installed(UNSUPPORTED)
    assert sup, "no supported interpreter installed"
    # Debian's builds run chrooted in a private mount namespace: a container
    targets = [(idle(path), version, True, "mntns" if iid in CHROOTED else "-")
               for iid, path, version in sup]
    targets += [(idle(path), version, False, "-") for _, path, version in uns]
    sleeper = subprocess.Popen(["sleep", "600"])
    try:
        time.sleep(0.05)
        rows = rows_by_pid()
        assert sleeper.pid not in rows, "sleep is not Python"
        assert os.getpid() in rows, "pytest's own interpreter is Python too"
        for t, version, supported, label in targets:
            r = rows.get(t.pid)
            assert r, "PID %d (%s) missing from ps" % (t.pid, version)
            assert r["python"] == version and r["supported"] is supported, r
            assert r["user"] == "root" and r["uid"] == 0 and r["rss_bytes"] > 1 << 20, r
            assert t.token in r["cmdline"] and r["found_by"] == "files", r
            assert r["ns_pid"] == t.pid and r["container"]["label"] == label, r
            if supported:
                assert r["attach"] == dict(r["attach"], ok=True, cause="ok", message=""), r
            else:
                assert not r["attach"]["ok"] and r["attach"]["cause"] == "unsupported_version", r
                assert version in r["attach"]["why"] and "supported: CPython" in r["attach"]["message"], r
    finally:
        sleeper.kill()
        sleeper.wait()


def test_ps_text(idle):
    t = idle(any_python())
    run = run_heapscope(["ps"])
    expect_rc(run, 0)
    lines = run.out.splitlines()
    assert re.match(r"^\s+PID\s+INNER\s+USER\s+PYTHON\s+RSS\s+CONTAINER\s+ATTACH\s+COMMAND$", lines[0]), lines[0]
    mine = [l for l in lines if t.token in l]
    assert len(mine) == 1, run.out
    f = mine[0].split()
    assert f[0] == str(t.pid) and f[1] == "-" and f[2] == "root" and f[6] == "-" and f[7] == "yes", mine[0]


def test_ps_rejects_arguments():
    run = run_heapscope(["ps", "123"])
    expect_rc(run, 2, prefixed=False)


def test_pid_of_picks_one(idle):
    t = idle(any_python())
    run = run_heapscope(["gens", "--pid-of", t.token, "--json"], check_target=t.pid)
    expect_rc(run, 0)
    assert run.json()["pid"] == t.pid
    # an extended regex, as pgrep -f
    run = run_heapscope(["types", "--tracked-only", "--json", "--top", "1", "--pid-of", "time\\.sleep.*" + t.token + "$"])
    expect_rc(run, 0)
    assert run.json()["pid"] == t.pid
    # with a command taking more arguments: --pid-of stands for the PID
    run = run_heapscope(["objects", "--pid-of", t.token, "--type", "dict", "--limit", "1", "--json"])
    expect_rc(run, 0)
    assert run.json()["pid"] == t.pid


def test_pid_of_several(idle):
    token = "hs-twin-" + uuid.uuid4().hex[:8]
    a = idle(any_python(), token)
    b = idle(sys.executable, token)
    run = run_heapscope(["types", "--tracked-only", "--pid-of", token])
    expect_rc(run, 2, prefixed=False)
    first = run.err.splitlines()[0]
    assert first.startswith("heapscope: --pid-of: 2 Python processes match"), run.err
    assert "PID %d" % a.pid in first and "PID %d" % b.pid in first, first
    assert "give the PID" in first


def test_pid_of_none():
    run = run_heapscope(["types", "--tracked-only", "--pid-of", "no-such-process-" + uuid.uuid4().hex])
    expect_rc(run, 3)
    assert "no Python process's command line matches" in run.err and "heapscope ps" in run.err


def test_pid_of_bad_pattern():
    run = run_heapscope(["types", "--tracked-only", "--pid-of", "(unclosed"])
    expect_rc(run, 2, prefixed=False)
    assert "not a valid (extended) regular expression" in run.err.splitlines()[0]


def test_pid_of_not_python():
    token = uuid.uuid4().hex
    sh = subprocess.Popen(["sh", "-c", "sleep 600 # " + token])
    try:
        time.sleep(0.05)
        run = run_heapscope(["types", "--tracked-only", "--pid-of", token])
        expect_rc(run, 3)   # only Python processes are candidates
    finally:
        sh.kill()
        sh.wait()


def test_ps_unsupported_old_version(tmp_path):
    """Every CPython installed here is supported: an older one (a tiny
    stand-in for 3.5, see test_errors) is listed with its version and why
    heapscope cannot attach."""
    from tinypython import TINY_OLD_PYTHON, build_tiny_python
    exe = build_tiny_python(tmp_path, "python3.5", [], TINY_OLD_PYTHON)
    p = subprocess.Popen([exe])
    try:
        deadline = time.time() + 5
        while time.time() < deadline and not os.path.exists("/proc/%d/maps" % p.pid):
            time.sleep(0.01)
        time.sleep(0.1)
        r = rows_by_pid().get(p.pid)
        assert r, "the 3.5 stand-in (PID %d) is missing from ps" % p.pid
        assert r["python"] == "3.5.10" and r["supported"] is False, r
        assert not r["attach"]["ok"] and r["attach"]["cause"] == "unsupported_version", r
        assert "3.5.10" in r["attach"]["why"] and "supported: CPython" in r["attach"]["message"], r
    finally:
        p.kill()
        p.wait()
