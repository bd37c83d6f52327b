"""Tiny static executables that look like CPython to heapscope's discovery
(built with clang, no C library): an old, unsupported CPython and a
non-x86-64 one. Shared by test_errors, test_ps and tests/tui/test_picker."""

import shutil
import subprocess

import pytest


# Every CPython installed here is supported: an older one is faked by a
# tiny static executable with what pyfind looks at in CPython 3.5 (its C
# API symbols, PY_VERSION and the "python3.5" library name in .rodata)
TINY_OLD_PYTHON = r"""
__attribute__((used)) const char py_version[] = "3.5.10";
__attribute__((used)) const char lib_name[] = "python3.5";
__attribute__((used)) unsigned char PyUnicode_Type[400] = {1};
__attribute__((used)) void Py_Initialize(void) {}
void _start(void)
{
	for (;;)
		__asm__ volatile("syscall" : : "a"(34) : "rcx", "r11", "memory");   /* pause() */
}
"""


def test_unsupported_old_version(tmp_path):
    """CPython 3.5 (older than any heapscope reads): exit 6 for every
    command, naming the version and the supported list; never stopped."""
    exe = build_tiny_python(tmp_path, "python3.5", [], TINY_OLD_PYTHON)
    p = subprocess.Popen([exe])
    try:
        deadline = time.time() + 5
        while time.time() < deadline and not os.path.exists("/proc/%d/maps" % p.pid):
            time.sleep(0.01)
        time.sleep(0.1)
        for cmd in ("types", "gens", "threads"):
            run = run_heapscope([cmd, str(p.pid), "--json"], check_target=p.pid)
            check_unsupported(run, "3.5.10")
            assert "3.5.10" in run.err, run.describe()
        assert p.poll() is None, "the target died"
    finally:
        p.kill()
        p.wait()


# ---------------------------------------------------------------------------
# permissions and namespaces


def _as_nobody_prefixes():
    out = []
    if shutil.which("setpriv"):
        out.append(pytest.param(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], id="setpriv"))
    if shutil.which("runuser"):
        out.append(pytest.param(["runuser", "-u", "nobody", "--"], id="runuser"))
    return out


@pytest.mark.parametrize("prefix", _as_nobody_prefixes())
def test_permission_denied_unprivileged_user(spawn, prefix):
    if os.geteuid() != 0:
        pytest.skip("needs root to start a root-owned target and drop to nobody")
    t = spawn(error_iid())
    run = run_heapscope(["types", "--tracked-only", str(t.pid), "--json"], prefix=prefix, check_target=t.pid)
    expect_rc(run, 4)
    assert "CAP_SYS_PTRACE" in run.err, run.describe()
    # the exact cause: another user's process (each cause: test_access.py)
    assert "runs as uid 0" in run.err and "uid 65534" in run.err, run.describe()
    assert t.record()["error"] is None


def test_user_namespace_cannot_trace_outside(spawn):
    """Container root (a user namespace mapped to root, same PID namespace)
    can see the host's root-owned target but holds CAP_SYS_PTRACE only in its
    own namespace: permission denied (4)."""
    if not shutil.which("unshare"):
        pytest.skip("unshare not installed")
    t = spawn(error_iid())
    run = run_heapscope(["types", "--tracked-only", str(t.pid), "--json"], prefix=["unshare", "--user", "--map-root-user"],
                        check_target=t.pid)
    if run.rc == 1 and "unshare" in run.err:
        pytest.skip("user namespaces not available here: " + run.err.strip())
    expect_rc(run, 4)
    assert "CAP_SYS_PTRACE" in run.err, run.describe()
    # Holding CAP_SYS_PTRACE in a child user namespace does not reach the
    # target: the message must say so rather than suggest running as root.
    assert re.search(r"namespace", run.err, re.I), (
        "the message should explain that heapscope runs in another user namespace\n" + run.describe())


def test_pid_namespace_cannot_see_outside(spawn):
    """In a new user+PID namespace with its own /proc the outside PID does
    not exist: heapscope reports no such process (3).  (4 would also be a
    clear answer; the test prints which one it got.)"""
    if not shutil.which("unshare"):
        pytest.skip("unshare not installed")
    t = spawn(error_iid())
    prefix = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"]
    run = run_heapscope(["types", "--tracked-only", str(t.pid), "--json"], prefix=prefix, check_target=t.pid)
    if run.rc == 1 and "unshare" in run.err:
        pytest.skip("user/PID namespaces not available here: " + run.err.strip())
    print("pid namespace: heapscope exit %d: %s" % (run.rc, run.err.strip()))
    expect_rc(run, (3, 4))


# ---------------------------------------------------------------------------
# A "python" that is not x86-64: it defines _PyRuntime and Py_Version (3.11)
# as a real one does, then waits (built with clang, no C library needed).
TINY_PYTHON = r"""
unsigned char _PyRuntime[4096] = {1};
const unsigned long Py_Version = 0x030b04f0;
void _start(void)
{
#if defined(__i386__)
	for (;;)
		__asm__ volatile("int $0x80" : : "a"(29) : "memory");   /* pause() */
#else
	for (;;)
		;
#endif
}
"""


def build_tiny_python(tmp_path, name, target_args, source=None):
    clang = shutil.which("clang")
    if not clang:
        pytest.fail("clang is not installed (scripts/setup-debian.sh installs it)")
    src = tmp_path / "tiny.c"
    src.write_text(source or TINY_PYTHON)
    out = tmp_path / name
    cmd = [clang] + target_args + ["-nostdlib", "-static", "-ffreestanding", "-fno-pic", "-O1",
                                   "-o", str(out), str(src)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode == 0, "%s failed: %s" % (" ".join(cmd), p.stderr.decode())
    return str(out)
