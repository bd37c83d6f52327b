"""heapscope's failure modes: exit codes, messages, and never leaving a
target stopped, whatever happens while it is attached.

Exit codes (attach/err.h): 0 ok, 2 usage, 3 no such process, 4 permission
denied, 5 not a Python process, 6 unsupported Python version, 7 target
exited/changed during the copy, 10 --max-copy, 11 interrupted.
"""
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from tinypython import TINY_OLD_PYTHON, build_tiny_python
from conftest import (CRASH_SIGNALS, INTERP, SUPPORTED_IDS, SUPPORTED_TEXT, expect_rc,
                      heapscope_or_fail, interpreter_or_skip, require_test_build, run_heapscope, stopped_threads,
                      wait_not_stopped, wait_stopped)


def error_iid():
    """The interpreter for single-interpreter error tests: Debian's (the
    production case) when installed, else the first available."""
    order = ["3.11-debian"] + [i for i in SUPPORTED_IDS if i != "3.11-debian"]
    for iid in order:
        if iid in INTERP and os.path.exists(INTERP[iid][1]):
            return iid
    pytest.skip("no supported interpreter installed")


def reaped_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    assert not os.path.exists("/proc/%d" % p.pid)
    return p.pid


# ---------------------------------------------------------------------------
# usage


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate", "1"],
    ["types", "abc"],
    ["types"],
    ["gens", "12x"],
    ["types", "1", "--sort", "bogus"],
    ["types", "1", "--top", "many"],
    ["gens", "1", "--no-such-option"],
], ids=["no-args", "bad-subcommand", "non-numeric-pid", "missing-pid", "trailing-junk-pid",
        "bad-sort-key", "bad-top", "unknown-option"])
def test_usage_errors(args):
    run = run_heapscope(args)
    expect_rc(run, 2, prefixed=False)
    assert re.search(r"usage", run.err, re.I), "no usage line on stderr\n" + run.describe()
    assert run.out == "", "usage errors must not print to stdout\n" + run.describe()
    if args:
        # what was wrong, then where the usage is: never the whole usage
        # burying the one line that matters (issue 16)
        lines = run.err.strip().split("\n")
        assert len(lines) == 2 and "heapscope --help" in lines[1], run.describe()
        assert "heapscope types PID" not in run.err, run.describe()


def test_help():
    run = run_heapscope(["--help"])
    expect_rc(run, 0)
    assert re.search(r"usage", run.out + run.err, re.I)


# ---------------------------------------------------------------------------
# no such process / not Python / unsupported


@pytest.mark.parametrize("cmd", ["types", "gens"])
def test_dead_pid(cmd):
    pid = reaped_pid()
    run = run_heapscope([cmd, str(pid)])
    expect_rc(run, 3)
    assert str(pid) in run.err, "the message should name the PID\n" + run.describe()


def test_not_python():
    sleeper = subprocess.Popen(["sleep", "600"])
    try:
        time.sleep(0.05)
        run = run_heapscope(["types", "--tracked-only", str(sleeper.pid), "--json"], check_target=sleeper.pid)
        expect_rc(run, 5)
        assert sleeper.poll() is None, "the non-Python target died"
        assert not stopped_threads(sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()


def check_unsupported(run, version):
    expect_rc(run, 6)
    minor = ".".join(version.split(".")[:2])
    assert re.search(r"(?<![\d.])%s(?![\d])" % re.escape(minor), run.err), (
        "the message must name the target's version %s\n%s" % (version, run.describe()))
    assert "supported: " + SUPPORTED_TEXT in run.err, (
        "the message must give the supported list\n" + run.describe())


# unsupported architecture: the interpreter file's ELF class and machine
# are checked before anything is stopped.

def test_unsupported_architecture_i386(tmp_path):
    """A 32-bit process whose executable looks like Python 3.11: refused
    with exit 6 and "unsupported architecture", never frozen or parsed."""
    exe = build_tiny_python(tmp_path, "python3.11", ["-m32"])
    try:
        p = subprocess.Popen([exe])
    except OSError as e:
        # A kernel booted with ia32_emulation=off (or built without it)
        # refuses every 32-bit program: there is no such process to refuse.
        # test_unsupported_architecture_foreign_interpreter still checks
        # the ELF class/machine test on a mapped file.
        if e.errno == errno.ENOEXEC:
            pytest.skip("this kernel does not run 32-bit programs (ia32 emulation is off)")
        raise
    try:
        deadline = time.time() + 5
        while time.time() < deadline and not os.path.exists("/proc/%d/maps" % p.pid):
            time.sleep(0.01)
        time.sleep(0.1)
        run = run_heapscope(["types", "--tracked-only", str(p.pid), "--json"], check_target=p.pid)
        expect_rc(run, 6)
        assert "unsupported architecture" in run.err and "32-bit i386" in run.err, run.describe()
        assert exe in run.err, run.describe()
        assert p.poll() is None, "the target died"
    finally:
        p.kill()
        p.wait()


def test_unsupported_architecture_foreign_interpreter(spawn_file_mapper, tmp_path):
    """An aarch64 interpreter file (as a process under qemu-user maps it):
    its ELF machine is checked, exit 6, the machine is named."""
    lib = build_tiny_python(tmp_path, "libpython3.11.so.1.0",
                            ["--target=aarch64-linux-gnu", "-fuse-ld=lld"])
    t = spawn_file_mapper(lib)
    run = run_heapscope(["types", "--tracked-only", str(t.pid), "--json"], check_target=t.pid)
    expect_rc(run, 6)
    assert "unsupported architecture" in run.err and "64-bit aarch64" in run.err, run.describe()


MAPPER = r"""
import mmap, sys
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ | mmap.PROT_EXEC)
sys.stdout.write("READY\n")
sys.stdout.flush()
sys.stdin.read()
"""


@pytest.fixture
def spawn_file_mapper():
    """spawn_file_mapper(path): an x86-64 Python that maps `path`
    executable, the way a loader would."""
    procs = []

    def _spawn(path):
        python, _ = interpreter_or_skip(error_iid())
        p = subprocess.Popen([python, "-c", MAPPER, path], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(p)
        line = p.stdout.readline()
        assert line == b"READY\n", "mapper did not start: %r %r" % (line, p.stderr.read())
        return p

    yield _spawn
    for p in procs:
        p.kill()
        p.wait()


# ---------------------------------------------------------------------------
# things happening during the pause


PAUSE_MS = 1500


def _own_group_default_signals():
    """heapscope's own process group, with the asynchronous signals at their
    default action: the tests are about the defaults, and a runner started
    under nohup (or a shell that ignores SIGINT for background jobs) would
    hand down SIG_IGN, which exec keeps."""
    os.setpgrp()
    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)


def start_paused(target, *extra, **kw):
    """Start heapscope with the test pause; return it once the target is
    seen stopped.  heapscope leads its own process group: the kernel
    discards job-control stops (SIGTSTP...) sent to an orphaned one."""
    binary = heapscope_or_fail()
    require_test_build()
    env = dict(os.environ, HEAPSCOPE_TEST_PAUSE_DELAY_MS=str(PAUSE_MS))
    argv = kw.get("argv") or ["types", "--tracked-only", str(target.pid), "--json"]
    p = subprocess.Popen([binary] + argv + list(extra),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         preexec_fn=_own_group_default_signals)
    if not wait_stopped(target.pid, timeout=5.0):
        p.kill()
        out, err = p.communicate()
        pytest.fail("the target was never seen stopped while heapscope attached (rc %s)\n%s"
                    % (p.returncode, err.decode("utf-8", "replace")))
    return p


def finish(p, timeout=30):
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stack = ""
        try:
            with open("/proc/%d/wchan" % p.pid) as f:
                stack = "blocked in " + f.read()
        except OSError:
            pass
        p.kill()
        out, err = p.communicate()
        pytest.fail("heapscope did not exit within %d s of the event (%s); killed it\nstderr: %s"
                    % (timeout, stack, err.decode("utf-8", "replace")))
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def not_a_crash(rc, err):
    assert not (rc < 0 and -rc in CRASH_SIGNALS), "heapscope crashed with signal %d\n%s" % (-rc, err)


def test_target_killed_during_pause(spawn):
    t = spawn(error_iid())
    p = start_paused(t)
    time.sleep(0.3)
    t.proc.kill()
    # Do not wait for the target first: while heapscope traces it, its exit
    # is reported to heapscope, not to us.
    rc, out, err = finish(p, timeout=15)
    try:
        t.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("the killed target was never reaped (heapscope rc %s)" % rc)
    not_a_crash(rc, err)
    assert rc >= 0, "heapscope died of signal %d\n%s" % (-rc, err)
    assert rc in (7, 3), "expected exit 7 (or 3), got %d\nstdout: %s\nstderr: %s" % (rc, out[:500], err)
    assert err.strip() and all(l.startswith("heapscope: ") for l in err.splitlines() if l.strip()), err


# Every asynchronous and job-control signal, sent to heapscope while the
# target is frozen: blocked until the target runs again, then what the
# user expects.  The stop signals stop heapscope (Ctrl-Z) after the thaw;
# the others end it with exit 11, "interrupted", the target resumed.
ASYNC_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGPIPE,
                 signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU]
STOP_SIGNALS = (signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU)


def process_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2]


@pytest.mark.parametrize("sig", ASYNC_SIGNALS, ids=[s.name for s in ASYNC_SIGNALS])
def test_signal_to_heapscope_during_pause(spawn, sig):
    t = spawn(error_iid())
    before = t.record()
    p = start_paused(t)
    time.sleep(0.3)
    p.send_signal(sig)
    if sig in STOP_SIGNALS:
        # heapscope finishes the copy, thaws, and only then stops.
        deadline = time.time() + PAUSE_MS / 1000.0 + 10
        while process_state(p.pid) != "T" and p.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        state = process_state(p.pid)
        try:
            assert state == "T", "heapscope did not stop after %s (state %r)" % (sig.name, state)
            left = wait_not_stopped(t.pid, timeout=1.0)
            assert not left, "target stopped while heapscope is stopped by %s: %r" % (sig.name, left)
            # the target serves requests while heapscope sits stopped
            assert t.record(timeout=10) == before
        finally:
            os.kill(p.pid, signal.SIGCONT)
        rc, out, err = finish(p)
        not_a_crash(rc, err)
        assert rc == 0, "heapscope continued after %s ended %d\n%s" % (sig.name, rc, err)
        assert json.loads(out)["objects"] > 0
    else:
        rc, out, err = finish(p)
        not_a_crash(rc, err)
        assert rc == 11, ("expected exit 11 (interrupted) after %s during the pause, got %d\n"
                          "stderr: %s" % (sig.name, rc, err))
        assert re.search(r"^heapscope: interrupted by %s while PID %d was frozen; it was resumed"
                         % (sig.name, t.pid), err, re.M), err
        assert out == "", "an interrupted command printed a result:\n" + out[:500]
        left = wait_not_stopped(t.pid, timeout=1.0)
        assert not left, "target left stopped after %s to heapscope: %r" % (sig.name, left)
        assert t.record(timeout=10) == before, "the target's heap changed across the interrupted attach"


def test_watch_ctrl_c_during_pause_prints_verdict(spawn):
    """Ctrl-C while watch's second snapshot holds the target frozen: the
    snapshot completes, the target runs on, and watch ends as documented:
    summary and --fail-if-grows verdict (exit 20: Grown grew by 300)."""
    t = spawn(error_iid())
    p = start_paused(t, argv=["watch", str(t.pid), "--interval", "3", "--json",
                              "--fail-if-grows", "Grown:10"])
    assert not wait_not_stopped(t.pid, timeout=PAUSE_MS / 1000.0 + 5), "first pause never ended"
    t.grow(300)
    assert wait_stopped(t.pid, timeout=10.0), "the second snapshot never froze the target"
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    rc, out, err = finish(p)
    not_a_crash(rc, err)
    assert rc == 20, "watch after Ctrl-C: exit %d, want 20 (Grown grew)\n%s" % (rc, err)
    doc = json.loads(out)
    assert len(doc["snapshots"]) == 2, doc["snapshots"]
    check = doc["checks"][0]
    assert check["type"] == "Grown" and check["grew"] == 300 and not check["passed"], check
    assert "Grown grew by 300 objects" in err, err
    assert not wait_not_stopped(t.pid, timeout=1.0)


def test_sigkill_heapscope_during_pause(spawn):
    t = spawn(error_iid())
    before = t.record()
    p = start_paused(t)
    time.sleep(0.3)
    p.kill()
    rc, out, err = finish(p)
    assert rc == -signal.SIGKILL
    left = wait_not_stopped(t.pid, timeout=1.0)
    assert not left, "target left stopped after heapscope was SIGKILLed: %r" % (left,)
    assert t.record(timeout=10) == before


def test_target_signal_during_pause_is_not_lost(spawn):
    """A signal sent to the target while heapscope holds it must be delivered
    afterwards (SIGTERM kills an idle Python target)."""
    t = spawn(error_iid())
    p = start_paused(t)
    time.sleep(0.2)
    os.kill(t.pid, signal.SIGTERM)
    rc, out, err = finish(p)
    not_a_crash(rc, err)
    try:
        t.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("SIGTERM sent during the pause was lost: the target still runs (state %r)"
                    % (stopped_threads(t.pid),))
    assert t.proc.returncode == -signal.SIGTERM


# ---------------------------------------------------------------------------
# resource limit


def test_max_copy(spawn):
    t = spawn(error_iid())
    run = run_heapscope(["types", "--tracked-only", str(t.pid), "--json", "--max-copy", "1M"], check_target=t.pid)
    expect_rc(run, 10)
    assert "max-copy" in run.err, run.describe()
