"""Shared machinery for heapscope's integration tests.

Targets are tests/targets/census_target.py running under each interpreter of
the matrix; they write the ground truth (what the interpreter's own gc module
says) to JSON and then block on stdin.  heapscope reads them from outside and
its JSON must match that truth exactly.

Environment:
  HEAPSCOPE        path of the binary (default <repo>/build/cli/heapscope)
  HEAPSCOPE_INTERPRETERS   comma-separated ids to restrict the matrix
                   (e.g. "3.11-debian,3.13"); default: all
"""
import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pythons  # noqa: E402  (tests/pythons.py: the Debian interpreters)
from pythons import CHROOTED, SID  # noqa: E402,F401

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(REPO, "tests", "targets", "census_target.py")
HEAPSCOPE = os.environ.get("HEAPSCOPE", os.path.join(REPO, "build", "cli", "heapscope"))

PYENV = "/root/.pyenv/versions"
IN_CI = bool(os.environ.get("CI"))

# id -> (interpreter path, expected version); the matrix.
SUPPORTED = [
    ("3.6", PYENV + "/3.6.15/bin/python", "3.6.15"),
    ("3.7", PYENV + "/3.7.16/bin/python", "3.7.16"),
    ("3.8", PYENV + "/3.8.18/bin/python", "3.8.18"),
    ("3.9", PYENV + "/3.9.18/bin/python", "3.9.18"),
    ("3.10", PYENV + "/3.10.13/bin/python", "3.10.13"),
    ("3.11", PYENV + "/3.11.7/bin/python", "3.11.7"),
    ("3.12", PYENV + "/3.12.1/bin/python", "3.12.1"),
    ("3.13", PYENV + "/3.13.0/bin/python", "3.13.0"),
    # Debian's stripped, non-PIE interpreter: the production case.
    ("3.11-debian", "/usr/bin/python3.11", "3.11.2"),
] + pythons.debian_matrix()
# Supported, but the 3.x targets of most suites do not run there: verified
# by the census suites (test_census, test_target_truth), test_graph's
# test_referents_match_gc_27, test_threads, test_leaks and test_show (PY2_IDS)
# and the explorer's scenario; README says so
CENSUS_ONLY = [
    ("2.7", PYENV + "/2.7.18/bin/python", "2.7.18"),
]
# Every CPython installed here is supported; test_errors fakes an old one
UNSUPPORTED = []
MODES = ["collected", "spread", "frozen"]
# Interpreters without gc.freeze() (3.7+): no "frozen" mode for them
NO_FREEZE = {"3.6", "2.7"}


def modes_for(iid):
    return [m for m in MODES if not (m == "frozen" and iid in NO_FREEZE)]

# How the "supported" list starts, in errors and --version (PY_SUPPORTED_TEXT)
SUPPORTED_TEXT = "CPython 2.7 and 3.6 to 3.15"

_only = os.environ.get("HEAPSCOPE_INTERPRETERS")
if _only:
    _keep = set(x.strip() for x in _only.split(","))
    SUPPORTED = [s for s in SUPPORTED if s[0] in _keep]
    CENSUS_ONLY = [s for s in CENSUS_ONLY if s[0] in _keep]
    UNSUPPORTED = [s for s in UNSUPPORTED if s[0] in _keep]

SUPPORTED_IDS = [s[0] for s in SUPPORTED]
# 2.7 ids, for the suites whose target runs there too (test_threads, test_leaks, test_show)
PY2_IDS = [s[0] for s in CENSUS_ONLY]
# (interpreter, mode) pairs of the census suites
MODE_PARAMS = [(i, m) for i in SUPPORTED_IDS + [s[0] for s in CENSUS_ONLY] for m in modes_for(i)]
INTERP = dict((s[0], s) for s in SUPPORTED + CENSUS_ONLY + UNSUPPORTED)

READY_TIMEOUT = 30.0
HEAPSCOPE_TIMEOUT = 60.0
CRASH_SIGNALS = (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE,
                 signal.SIGTRAP, signal.SIGSYS)


def interpreter_or_skip(iid):
    """(path, expected version) of interpreter iid.  A missing one is a
    skip when a developer runs a suite by hand, and a failure in CI (env CI
    set), where scripts/test.sh has installed every interpreter."""
    if iid not in INTERP:
        pytest.skip("interpreter %s is not in the selected matrix (HEAPSCOPE_INTERPRETERS)" % iid)
    _, path, version = INTERP[iid]
    if not (os.path.isfile(path) and os.access(path, os.X_OK)) or version == "?":
        why = "interpreter %s not installed (%s; run scripts/interpreters.sh)" % (iid, path)
        if IN_CI:
            pytest.fail(why + ": CI must have every interpreter of the matrix")
        pytest.skip(why)
    return path, version


_BIN = None


def heapscope_or_fail():
    """Path of the heapscope under test.  The binary is copied once per
    session into a private directory, so that a rebuild in the shared build
    tree during the run cannot swap or remove it mid-suite."""
    global _BIN
    if _BIN is not None:
        return _BIN
    deadline = time.time() + 60
    last = "not found"
    while time.time() < deadline:
        if os.path.isfile(HEAPSCOPE) and os.access(HEAPSCOPE, os.X_OK):
            d = tempfile.mkdtemp(prefix="heapscope-bin-")
            os.chmod(d, 0o755)
            copy = os.path.join(d, "heapscope")
            try:
                shutil.copy2(HEAPSCOPE, copy)
                os.chmod(copy, 0o755)
                p = subprocess.run([copy, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
                if p.returncode == 0:
                    atexit.register(shutil.rmtree, d, True)
                    _BIN = copy
                    return _BIN
                last = "--help exited %d" % p.returncode
            except (OSError, subprocess.SubprocessError) as e:
                last = str(e)
            shutil.rmtree(d, True)
        time.sleep(1)      # maybe being relinked right now
    pytest.fail("heapscope binary not usable at %s (%s): build it (meson setup build && ninja -C build) "
                "or set HEAPSCOPE" % (HEAPSCOPE, last))


_TEST_BUILD = None


def require_test_build():
    """Fail unless the binary under test obeys the HEAPSCOPE_TEST_* hooks
    (built with -Dtest_hooks=true, as scripts/test.sh and run_tests.sh do):
    in a shipped build they are compiled out and a test relying on one
    would silently test nothing."""
    global _TEST_BUILD
    if _TEST_BUILD is None:
        p = subprocess.run([heapscope_or_fail(), "--version"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=10)
        _TEST_BUILD = b"test build" in p.stdout
    if not _TEST_BUILD:
        pytest.fail("%s is not a test build: the HEAPSCOPE_TEST_* hooks this test needs are compiled "
                    "out (meson configure BUILD -Dtest_hooks=true && ninja -C BUILD)" % HEAPSCOPE)


# Environment variables only a test build obeys (attach/testhook.h).
TEST_HOOK_VARS = ("HEAPSCOPE_TEST_", "HEAPSCOPE_GRAPH_NO_SYMBOLS")


# ---------------------------------------------------------------------------
# /proc helpers


def proc_states(pid):
    """State letter of every thread of pid ({} if the process is gone)."""
    states = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return states
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                data = f.read()
        except OSError:
            continue
        states[int(tid)] = data[data.rindex(")") + 2]
    return states


def stopped_threads(pid):
    return dict((t, s) for t, s in proc_states(pid).items() if s in "tT")


def wait_not_stopped(pid, timeout=1.0):
    """Threads of pid still stopped ('t'/'T') after up to `timeout` s."""
    deadline = time.time() + timeout
    while True:
        st = stopped_threads(pid)
        if not st or time.time() >= deadline:
            return st
        time.sleep(0.02)


def wait_stopped(pid, timeout=5.0):
    """Wait until some thread of pid is in a (tracing) stop; True if seen."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if stopped_threads(pid):
            return True
        time.sleep(0.005)
    return False


# ---------------------------------------------------------------------------
# Targets


class TargetError(Exception):
    pass


class Target(object):
    """A census_target.py process; talk to it with record/grow/collect."""

    def __init__(self, iid, python, mode, workdir):
        self.iid = iid
        self.python = python
        self.mode = mode
        self.workdir = workdir
        self.nrecords = 0
        self.truth0_path = os.path.join(workdir, "truth-%s-%s-0.json" % (iid, mode))
        self.stderr_path = os.path.join(workdir, "stderr-%s-%s.txt" % (iid, mode))
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([python, TARGET, mode, self.truth0_path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd=workdir)
        self.pid = self.proc.pid
        self._buf = b""
        self.ready = False
        self.start_error = None

    def __repr__(self):
        return "<Target %s %s pid %d>" % (self.iid, self.mode, self.pid)

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.time()
            if left <= 0:
                raise TargetError("%r: no READY within %.0f s; stderr:\n%s" % (self, timeout, self.stderr_text()))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.proc.wait()
                    raise TargetError("%r exited (rc %s) before READY; stderr:\n%s"
                                      % (self, self.proc.returncode, self.stderr_text()))
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        if line.strip() != b"READY":
            raise TargetError("%r: expected READY, got %r" % (self, line))
        self.ready = True

    def command(self, text, timeout=READY_TIMEOUT):
        if self.proc.poll() is not None:
            raise TargetError("%r is not running (rc %s); stderr:\n%s"
                              % (self, self.proc.returncode, self.stderr_text()))
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        self.wait_ready(timeout)

    def truth0(self):
        with open(self.truth0_path) as f:
            return json.load(f)

    def record(self, timeout=READY_TIMEOUT):
        """Ask the target to re-record its ground truth; return it."""
        self.nrecords += 1
        path = os.path.join(self.workdir, "truth-%s-%s-%d.json" % (self.iid, self.mode, self.nrecords))
        self.command("record " + path, timeout)
        with open(path) as f:
            truth = json.load(f)
        if truth.get("error"):
            raise TargetError("%r recorded an error: %s" % (self, truth["error"]))
        return truth

    def grow(self, n):
        self.command("grow %d" % n)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except (OSError, ValueError):
                pass
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self._stderr):
            try:
                f.close()
            except (OSError, ValueError):
                pass


def start_targets(specs, workdir):
    """Start targets for [(iid, python, mode)] in parallel; wait for READY.
    Returns {(iid, mode): Target} (a Target whose start failed carries
    start_error)."""
    targets = {}
    for iid, python, mode in specs:
        targets[(iid, mode)] = Target(iid, python, mode, workdir)
    for t in targets.values():
        try:
            t.wait_ready()
        except TargetError as e:
            t.start_error = str(e)
    return targets


class TargetPool(object):
    """Lazily started targets, one per (interpreter, mode), shared by a
    session; the first request starts every census target at once."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.targets = None
        self.lock = threading.Lock()

    def _start_all(self):
        specs = []
        for iid, path, _ in SUPPORTED + CENSUS_ONLY:
            if os.path.isfile(path) and os.access(path, os.X_OK):
                for mode in modes_for(iid):
                    specs.append((iid, path, mode))
        self.targets = start_targets(specs, self.workdir)

    def get(self, iid, mode):
        interpreter_or_skip(iid)
        with self.lock:
            if self.targets is None:
                self._start_all()
        t = self.targets[(iid, mode)]
        if t.start_error:
            pytest.fail("target did not start: " + t.start_error)
        if t.proc.poll() is not None:
            pytest.fail("%r died; stderr:\n%s" % (t, t.stderr_text()))
        return t

    def close(self):
        if self.targets:
            for t in self.targets.values():
                t.stop()


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="heapscope-it-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def pool(workdir):
    p = TargetPool(workdir)
    yield p
    p.close()


@pytest.fixture
def spawn(workdir):
    """spawn(iid, mode='collected') -> a fresh Target, killed at teardown."""
    started = []

    def _spawn(iid, mode="collected"):
        path, _ = interpreter_or_skip(iid)
        t = Target(iid, path, mode, workdir)
        started.append(t)
        try:
            t.wait_ready()
        except TargetError as e:
            pytest.fail(str(e))
        return t

    yield _spawn
    for t in started:
        t.stop()


# ---------------------------------------------------------------------------
# Running heapscope


class Run(object):
    def __init__(self, argv, rc, out, err, elapsed, raw_out=None):
        self.argv = argv
        self.rc = rc
        self.out = out
        self.err = err
        self.elapsed = elapsed
        self.raw_out = raw_out     # stdout as bytes (run_heapscope)

    def describe(self):
        return ("$ %s\nexit %s after %.2f s\n--- stdout (first 2000 chars)\n%s\n--- stderr\n%s"
                % (" ".join(self.argv), self.rc, self.elapsed, self.out[:2000], self.err))

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as e:
            pytest.fail("heapscope output is not JSON (%s)\n%s" % (e, self.describe()))


def run_heapscope(args, env=None, timeout=HEAPSCOPE_TIMEOUT, prefix=None, check_target=None):
    """Run heapscope with args (list of str).  prefix: argv to put in front
    (setpriv/unshare...).  check_target: pid whose threads must not be left
    stopped afterwards (assertion (e))."""
    binary = heapscope_or_fail()
    argv = list(prefix or []) + [binary] + [str(a) for a in args]
    full_env = dict(os.environ)
    full_env.pop("HEAPSCOPE_TEST_PAUSE_DELAY_MS", None)
    if env:
        if any(k.startswith(TEST_HOOK_VARS) for k in env):
            require_test_build()
        full_env.update(env)
    t0 = time.time()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail("heapscope did not finish within %.0f s: %s\nstderr: %s"
                    % (timeout, " ".join(argv), (e.stderr or b"").decode("utf-8", "replace")))
    run = Run(argv, p.returncode, p.stdout.decode("utf-8", "replace"),
              p.stderr.decode("utf-8", "replace"), time.time() - t0, raw_out=p.stdout)
    if run.rc < 0 and -run.rc in CRASH_SIGNALS:
        pytest.fail("heapscope crashed with signal %d\n%s" % (-run.rc, run.describe()))
    if check_target is not None:
        left = wait_not_stopped(check_target, timeout=0.5)
        assert not left, ("heapscope left target %d stopped: thread states %r\n%s"
                          % (check_target, left, run.describe()))
    return run


def expect_rc(run, rc, prefixed=True):
    """Exit code must be rc (an int or a tuple of allowed codes); a failing
    run must explain itself on stderr, every line starting 'heapscope: '
    (prefixed=False for usage errors, whose usage text may follow)."""
    ok = run.rc in rc if isinstance(rc, (tuple, list, set)) else run.rc == rc
    assert ok, "expected exit %s\n%s" % (rc, run.describe())
    if run.rc != 0 and prefixed:
        lines = [l for l in run.err.splitlines() if l.strip()]
        assert lines, "non-zero exit without a message on stderr\n" + run.describe()
        bad = [l for l in lines if not l.startswith("heapscope: ")]
        assert not bad, ("stderr lines must start with 'heapscope: ': %r\n%s" % (bad, run.describe()))

