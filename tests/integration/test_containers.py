"""Targets in containers, as Docker/Kubernetes run them: their own PID and
mount namespaces and a root of their own (chroot) whose files are not on
the host.  heapscope on the host reads their ELF files through
/proc/PID/root and shows both PIDs; heapscope inside a container (with
only CAP_SYS_PTRACE) attaches to a sibling process.  Built with `unshare
-p -f -m` and chroot (both work as root here); the census must equal the
target's own truth in every case.
"""
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import TARGET, heapscope_or_fail, run_heapscope, expect_rc
from hostenv import (PTRACE_ONLY, CensusTarget, census_mismatches, debian_python, heapscope_copy,
                     need_root, observe_census, private_bin_dir, status_field)

INNER_PY = "/opt/py/bin/python3.11"   # where the container has its python; not on the host


def check_types(target, extra=()):
    truth, r = observe_census(target, [heapscope_or_fail(), "types", "--tracked-only", str(target.pid), "--json"]
                              + list(extra))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    lines = census_mismatches(truth, out)
    assert not lines, "\n".join(lines)
    return truth, out


@pytest.fixture
def container_root():
    """A root for a container: /usr bound read-only from the host (libc,
    the standard library), python copied to /opt/py/bin, a writable /work
    holding the target script.  Returns (root, wrapper) where wrapper
    prefixes a command with the namespaces, the mounts and the chroot."""
    need_root()
    py = debian_python()
    assert not os.path.exists(INNER_PY), "%s exists on the host: the test needs a path only " \
                                         "the container has" % INNER_PY
    root = tempfile.mkdtemp(prefix="heapscope-ctr-")
    os.chmod(root, 0o755)
    for d in ("usr", "proc", "opt/py/bin", "work", "tmp", "dev"):
        os.makedirs(os.path.join(root, d))
    os.chmod(os.path.join(root, "work"), 0o1777)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    for link in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink("/" + link):
            os.symlink(os.readlink("/" + link), os.path.join(root, link))
    shutil.copy2(py, os.path.join(root, INNER_PY.lstrip("/")))
    shutil.copy2(TARGET, os.path.join(root, "work", "census_target.py"))
    os.makedirs(os.path.join(root, ".oldroot"))
    open(os.path.join(root, "dev", "null"), "w").close()
    # Like Docker: the container's root becomes the root of its mount
    # namespace (pivot_root) and the host's tree is unmounted, so the host
    # sees the target's files by their in-container paths (/opt/py/...),
    # which exist only under /proc/PID/root.
    setup = ("set -e; R=%s; mount --bind $R $R; mount --bind /usr $R/usr; "
             "mount -o remount,bind,ro $R/usr; mount --bind /dev/null $R/dev/null; "
             "mount -t proc proc $R/proc; cd $R; "
             "pivot_root . .oldroot; umount -l /.oldroot; exec \"$@\"" % root)

    def wrapper(pid_ns=True):
        ns = ["unshare", "-p", "-f", "-m"] if pid_ns else ["unshare", "-m"]
        return ns + ["sh", "-c", setup, "sh"]

    yield root, wrapper
    shutil.rmtree(root, ignore_errors=True)


def container_target(root, wrapper, pid_ns=True):
    inside = lambda p: "/" + os.path.relpath(p, root)   # noqa: E731
    return CensusTarget(INNER_PY, prefix=wrapper(pid_ns), workdir=os.path.join(root, "work"),
                        script=os.path.join(root, "work", "census_target.py"), inside=inside)


def test_target_in_its_own_pid_namespace():
    need_root()
    t = CensusTarget(debian_python(), prefix=["unshare", "-p", "-f", "-m", "--mount-proc"])
    try:
        assert status_field(t.pid, "NSpid") == [str(t.pid), "1"]
        truth, out = check_types(t)
        assert out["pid"] == t.pid and out["ns_pid"] == 1 and out["container"] == "pidns", out
        assert truth["pid"] == 1   # what the target itself believes
        run = run_heapscope(["gens", str(t.pid)], check_target=t.pid)
        expect_rc(run, 0)
        assert run.out.startswith("pid %d (pid 1 in pidns)  Python 3.11.2" % t.pid), run.out
        ps = run_heapscope(["ps", "--json"])
        row = [p for p in ps.json()["processes"] if p["pid"] == t.pid][0]
        assert row["ns_pid"] == 1 and row["container"]["label"] == "pidns", row
        assert row["container"]["other_pid_namespace"] is True and row["attach"]["ok"], row
    finally:
        t.stop()


def test_target_in_container_root(container_root):
    """PID + mount namespace + its own root, python at a path the host does
    not have: the ELF files are read through /proc/PID/root.  Also as nobody
    holding only CAP_SYS_PTRACE, where /proc/PID/map_files (the other way to
    the files) is closed: it needs CAP_SYS_ADMIN."""
    root, wrapper = container_root
    t = container_target(root, wrapper)
    try:
        with open("/proc/%d/maps" % t.pid) as f:
            assert " " + INNER_PY + "\n" in f.read(), "the host should see the container's path"
        truth, out = check_types(t)
        assert out["python"] == "3.11.2" and out["binary"] == INNER_PY, out
        assert out["ns_pid"] == 1 and out["container"] == "pidns", out
        run = run_heapscope(["ps", "--json"])
        row = [p for p in run.json()["processes"] if p["pid"] == t.pid][0]
        assert row["python"] == "3.11.2" and row["cmdline"].startswith(INNER_PY), row
        assert row["container"]["other_root"] is True and row["container"]["other_mount_namespace"]
        bindir = private_bin_dir()
        hs = heapscope_copy(bindir)
        truth, r = observe_census(t, PTRACE_ONLY + [hs, "types", "--tracked-only", str(t.pid), "--json"])
        assert r.returncode == 0, r.stderr
        lines = census_mismatches(truth, json.loads(r.stdout))
        assert not lines, "\n".join(lines)
    finally:
        t.stop()


def test_target_in_own_root_same_pid_namespace(container_root):
    """Only a mount namespace and a root of its own: one PID for both sides."""
    root, wrapper = container_root
    t = container_target(root, wrapper, pid_ns=False)
    try:
        truth, out = check_types(t)
        assert out["ns_pid"] == t.pid and out["container"] == "mntns", out
        assert truth["pid"] == t.pid
    finally:
        t.stop()


DRIVER = r'''
import json, subprocess, sys, select, os
t = subprocess.Popen([sys.executable, "/work/census_target.py", "collected", "/work/t0.json"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def ready():
    assert t.stdout.readline().strip() == b"READY"
def record(n):
    t.stdin.write(b"record /work/t%d.json\n" % n); t.stdin.flush(); ready()
ready()
record(1)
# heapscope as nobody holding only CAP_SYS_PTRACE, the target is root's
cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
       "--inh-caps=-all,+sys_ptrace", "--ambient-caps=-all,+sys_ptrace",
       "--bounding-set=-all,+sys_ptrace", "/heapscope", "types", "--tracked-only", str(t.pid), "--json"]
r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
record(2)
ps = subprocess.run(["/heapscope", "ps", "--json"], stdout=subprocess.PIPE, universal_newlines=True)
print(json.dumps({"pid": t.pid, "me": os.getpid(), "rc": r.returncode, "out": r.stdout,
                  "err": r.stderr, "ps": ps.stdout}))
t.stdin.close(); t.wait()
'''


def test_heapscope_in_container_attaches_to_sibling(container_root):
    """Inside the container (its own PID namespace and root), heapscope with
    only CAP_SYS_PTRACE attaches to a sibling by its in-container PID."""
    root, wrapper = container_root
    shutil.copy2(heapscope_or_fail(), os.path.join(root, "heapscope"))
    with open(os.path.join(root, "work", "driver.py"), "w") as f:
        f.write(DRIVER)
    r = subprocess.run(wrapper() + [INNER_PY, "/work/driver.py"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["me"] == 1, res    # the driver is the container's PID 1
    assert res["rc"] == 0, res["err"]
    with open(os.path.join(root, "work", "t1.json")) as f:
        t1 = json.load(f)
    with open(os.path.join(root, "work", "t2.json")) as f:
        t2 = json.load(f)
    assert t1 == t2, "the target moved"
    out = json.loads(res["out"])
    lines = census_mismatches(t1, out)
    assert not lines, "\n".join(lines)
    # seen from inside, the sibling is in heapscope's own namespace
    assert out["pid"] == res["pid"] and out["ns_pid"] == res["pid"] and out["container"] is None, out
    ps = dict((p["pid"], p) for p in json.loads(res["ps"])["processes"])
    assert ps[res["pid"]]["attach"]["ok"] and ps[res["pid"]]["python"] == "3.11.2", ps
