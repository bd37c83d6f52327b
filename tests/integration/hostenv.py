"""Production-host situations for the integration tests: census targets run
as another user, in their own PID and mount namespaces, in a chroot whose
files exist nowhere on the host; heapscope run without root (setpriv /
capsh keeping only CAP_SYS_PTRACE, a setcap'ed copy), under no_new_privs
or a seccomp filter; a second tracer.  Everything here is real: real
interpreters, real namespaces, real capabilities.

The census target (tests/targets/census_target.py) records the ground
truth itself; `census_mismatches` compares heapscope's `types --json` with
it exactly as tests/integration/test_census.py does.
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
import time

import pytest

from conftest import READY_TIMEOUT, REPO, heapscope_or_fail
from test_census import SIZE_ALLOW_LIST, aggregate, mismatch_report, truth_by_type

TARGET = os.path.join(REPO, "tests", "targets", "census_target.py")
DEBIAN_PY = "/usr/bin/python3.11"   # readable by every user (pyenv's live under /root)
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# Only CAP_SYS_PTRACE, kept across the switch to nobody as an ambient capability.
PTRACE_ONLY = NOBODY + ["--inh-caps=-all,+sys_ptrace", "--ambient-caps=-all,+sys_ptrace",
                        "--bounding-set=-all,+sys_ptrace"]


def need_root():
    if os.geteuid() != 0:
        pytest.fail("these tests start targets as other users and in namespaces: run them as root "
                    "(CI does)")


def debian_python():
    if not os.access(DEBIAN_PY, os.X_OK):
        pytest.fail("%s is missing (apt-get install python3.11): the tests that run targets as "
                    "another user need an interpreter outside /root" % DEBIAN_PY)
    return DEBIAN_PY


def _tempdir(prefix, mode):
    """A temporary directory with mode, removed when the session ends."""
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, mode)
    atexit.register(shutil.rmtree, d, True)
    return d


def shared_dir(prefix):
    """A temporary directory every user may use (truth files of a target
    running as nobody)."""
    return _tempdir(prefix, 0o1777)


def private_bin_dir():
    """A 0755 directory for a copy of heapscope that other users can run."""
    return _tempdir("heapscope-hostbin-", 0o755)


def heapscope_copy(dirpath, name="heapscope", caps=None):
    """Copy the binary under test to dirpath/name; caps: a setcap string."""
    dst = os.path.join(dirpath, name)
    shutil.copy2(heapscope_or_fail(), dst)
    os.chmod(dst, 0o755)
    if caps:
        r = subprocess.run(["setcap", caps, dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        assert r.returncode == 0, "setcap %s %s failed: %s" % (caps, dst, r.stderr)
    return dst


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        if int(st[st.rindex(")") + 2:].split()[1]) == pid:
            out.append(int(d))
    return out


def python_descendant(pid, timeout=10.0):
    """The first descendant of pid (or pid itself) that runs Python."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        todo = [pid]
        while todo:
            p = todo.pop(0)
            try:
                with open("/proc/%d/comm" % p) as f:
                    if f.read().startswith("python"):
                        return p
            except OSError:
                pass
            todo += children(p)
        time.sleep(0.05)
    raise AssertionError("no python process below PID %d" % pid)


def status_field(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].split()
    return None


class CensusTarget(object):
    """census_target.py started through a wrapper (argv prefix), talking
    over stdin/stdout.  `inside` maps a host path to the path the target
    sees (a chroot), `pid` is the Python process's PID as the host sees it."""

    def __init__(self, python, prefix=(), mode="collected", workdir=None, script=TARGET,
                 inside=lambda p: p, env=None):
        self.workdir = workdir or shared_dir("heapscope-hostenv-")
        self.inside = inside
        self.n = 0
        self.stderr_path = os.path.join(self.workdir, "stderr.txt")
        self._stderr = open(self.stderr_path, "wb")
        truth0 = os.path.join(self.workdir, "truth-0.json")
        full_env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        full_env.update(env or {})
        self.proc = subprocess.Popen(list(prefix) + [python, inside(script), mode, inside(truth0)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd="/", env=full_env)
        self._buf = b""
        self.wait_ready()
        self.pid = python_descendant(self.proc.pid)

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("target: no READY within %.0f s; stderr:\n%s" % (timeout, self.stderr_text()))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.proc.wait()
                    raise AssertionError("target exited (rc %s) before READY; stderr:\n%s"
                                         % (self.proc.returncode, self.stderr_text()))
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        assert line.strip() == b"READY", "target said %r; stderr:\n%s" % (line, self.stderr_text())

    def record(self):
        self.n += 1
        path = os.path.join(self.workdir, "truth-%d.json" % self.n)
        self.proc.stdin.write(("record %s\n" % self.inside(path)).encode())
        self.proc.stdin.flush()
        self.wait_ready()
        with open(path) as f:
            truth = json.load(f)
        assert not truth.get("error"), "target recorded an error: %s" % truth["error"]
        return truth

    def stop(self):
        pid = getattr(self, "pid", None)
        try:
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        # PID 1 of a namespace ignores SIGTERM from outside: SIGKILL
        for p in (pid, self.proc.pid):
            if p:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._buf = b""
        for f in (self.proc.stdout, self._stderr):
            try:
                f.close()
            except (OSError, ValueError):
                pass


def census_mismatches(truth, out):
    """What differs between heapscope's `types --json` and the truth: per
    type count, generations and size (the documented approximate sizes
    aside), and the object total."""
    got = aggregate(out["types"])
    lines = mismatch_report("census", truth_by_type(truth), got,
                            [("count", lambda r: r["count"]), ("gen", lambda r: r["gen"]),
                             ("permanent", lambda r: r["permanent"]), ("size", lambda r: r["size"])],
                            skip=SIZE_ALLOW_LIST)
    if out.get("objects") != truth["objects"]:
        lines.append("objects: expected %s got %s" % (truth["objects"], out.get("objects")))
    return lines


def observe_census(target, argv, env=None, timeout=60):
    """Truth, a heapscope run (argv: the full command), truth again.
    Returns (truth, completed process).  Fails if the target moved."""
    t1 = target.record()
    full_env = dict(os.environ)
    full_env.update(env or {})
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       env=full_env, universal_newlines=True)
    t2 = target.record()
    assert t1 == t2, "the target changed while heapscope ran (not heapscope's fault); rerun"
    return t1, r


# ---------------------------------------------------------------------------
# A seccomp filter that answers ptrace and process_vm_readv with EPERM, as a
# container profile without SYS_PTRACE does; then exec argv.

SECCOMP_EXEC = r'''
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
def ins(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)
LD_ABS, JEQ, RET = 0x20, 0x15, 0x06
ALLOW, EPERM = 0x7fff0000, 0x00050000 | 1
prog = b"".join([
    ins(LD_ABS, 0, 0, 4),                 # arch
    ins(JEQ, 0, 5, 0xc000003e),           # not x86_64: allow
    ins(LD_ABS, 0, 0, 0),                 # syscall number
    ins(JEQ, 2, 0, 101),                  # ptrace
    ins(JEQ, 1, 0, 310),                  # process_vm_readv
    ins(RET, 0, 0, ALLOW),
    ins(RET, 0, 0, EPERM),
    ins(RET, 0, 0, ALLOW),
])
buf = ctypes.create_string_buffer(prog)
class FProg(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
fp = FProg(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(fp), 0, 0) != 0:
    sys.exit("seccomp_exec: prctl failed: errno %d" % ctypes.get_errno())
os.execv(sys.argv[1], sys.argv[1:])
'''


def seccomp_prefix():
    return [sys.executable, "-c", SECCOMP_EXEC]


# A second tracer: PTRACE_SEIZE (no stop) the PID in argv[1], say SEIZED,
# hold it until stdin closes.
TRACER = r'''
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
if libc.ptrace(0x4206, int(sys.argv[1]), None, None) != 0:
    sys.exit("tracer: PTRACE_SEIZE failed: errno %d" % ctypes.get_errno())
print("SEIZED", flush=True)
sys.stdin.read()
'''


class Tracer(object):
    def __init__(self, pid):
        self.proc = subprocess.Popen([sys.executable, "-c", TRACER, str(pid)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        assert line.strip() == b"SEIZED", "tracer failed: %r %r" % (line, self.proc.stderr.read())
        self.pid = self.proc.pid

    def stop(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# A target that makes itself not dumpable (as a setuid program would be),
# then waits.
UNDUMPABLE = r'''
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(4, 0, 0, 0, 0) == 0   # PR_SET_DUMPABLE 0
print("READY", flush=True)
sys.stdin.read()
'''
