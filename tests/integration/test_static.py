"""The static binary (scripts/static.sh) on a host that has nothing: a root
directory holding only the binary and a mounted /proc, no libc, no
terminfo database, no /etc/passwd.  The target runs in its own PID
namespace.  The census must equal the target's truth, every command must
work, and the explorer must run in tmux with each built-in terminal entry
(and fall back to vt100, with a note, for any other TERM).

The binary is $HEAPSCOPE_STATIC (scripts/test.sh builds it), else this
module builds it with scripts/static.sh into build-static/.
"""
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile

import pytest

from conftest import REPO
from hostenv import CensusTarget, census_mismatches, debian_python, need_root, observe_census

sys.path.insert(0, os.path.join(REPO, "tests", "tui"))
from tmuxdrive import Tmux  # noqa: E402

SIZE_GOAL = 4 * 1024 * 1024
BUILTIN_TERMS = ["xterm", "xterm-256color", "screen", "tmux", "tmux-256color", "linux", "vt100"]


@pytest.fixture(scope="module")
def static_binary():
    path = os.environ.get("HEAPSCOPE_STATIC")
    if not path:
        r = subprocess.run(["bash", os.path.join(REPO, "scripts", "static.sh"),
                            os.path.join(REPO, "build-static")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        assert r.returncode == 0, "scripts/static.sh failed:\n%s%s" % (r.stdout, r.stderr)
        path = r.stdout.strip().splitlines()[-1]
    assert os.path.isfile(path), "no static binary at %s" % path
    return path


@pytest.fixture
def empty_root(static_binary):
    """A directory with the binary and an empty proc/: nothing else."""
    need_root()
    root = tempfile.mkdtemp(prefix="heapscope-emptyroot-")
    os.chmod(root, 0o755)
    shutil.copy2(static_binary, os.path.join(root, "heapscope"))
    os.mkdir(os.path.join(root, "proc"))
    assert sorted(os.listdir(root)) == ["heapscope", "proc"]
    yield root
    shutil.rmtree(root, ignore_errors=True)


def in_root(root, *args):
    """argv that runs /heapscope ARGS inside root, /proc mounted there (in a
    private mount namespace, so the host keeps no mount)."""
    cmd = "mount -t proc proc %s/proc && exec chroot %s /heapscope \"$@\"" % (root, root)
    return ["unshare", "-m", "sh", "-c", cmd, "sh"] + [str(a) for a in args]


@pytest.fixture
def ns_target():
    """A census target in its own PID (and mount) namespace."""
    need_root()
    t = CensusTarget(debian_python(), prefix=["unshare", "-p", "-f", "-m", "--mount-proc"])
    yield t
    t.stop()


def elf_abi_tag(path):
    """(major, minor, sub) of the NT_GNU_ABI_TAG note: the oldest kernel
    the binary's libc supports."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 2, "not a 64-bit ELF"
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    interp = False
    tag = None
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 3:
            interp = True
        if p_type != 4:
            continue
        off, end = p_offset, p_offset + p_filesz
        while off + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            name = data[off + 12:off + 12 + namesz]
            desc = off + 12 + ((namesz + 3) & ~3)
            if ntype == 1 and name.rstrip(b"\0") == b"GNU" and descsz >= 16:
                tag = struct.unpack_from("<IIII", data, desc)[1:]
            off = desc + ((descsz + 3) & ~3)
    return interp, tag


def test_static_binary(static_binary, capsys):
    size = os.path.getsize(static_binary)
    with capsys.disabled():
        print("\nstatic heapscope: %s, %d bytes (%.2f MiB)" % (static_binary, size, size / 1048576.0))
    r = subprocess.run(["ldd", static_binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert "not a dynamic executable" in r.stdout, r.stdout
    interp, tag = elf_abi_tag(static_binary)
    assert not interp, "has a PT_INTERP: not static"
    assert tag is not None and tuple(tag[:2]) <= (3, 10), "needs kernel %r, goal <= 3.10" % (tag,)
    assert size <= SIZE_GOAL, "%d bytes, goal <= %d" % (size, SIZE_GOAL)
    v = subprocess.run([static_binary, "--version"], stdout=subprocess.PIPE, universal_newlines=True)
    assert v.returncode == 0 and re.search(r"^build: \S+, static, build-id [0-9a-f]{40}$", v.stdout, re.M), v.stdout


def test_census_in_empty_root(empty_root, ns_target):
    truth, r = observe_census(ns_target, in_root(empty_root, "types", "--tracked-only", ns_target.pid, "--json"))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    lines = census_mismatches(truth, out)
    assert not lines, "\n".join(lines)
    assert out["pid"] == ns_target.pid and out["ns_pid"] == 1, out


def run_in_root(root, *args):
    r = subprocess.run(in_root(root, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=120)
    assert r.returncode == 0, "heapscope %s: exit %d\n%s" % (" ".join(map(str, args)), r.returncode, r.stderr)
    return r.stdout


def test_every_command_in_empty_root(empty_root, ns_target):
    pid = ns_target.pid
    objs = json.loads(run_in_root(empty_root, "objects", pid, "--type", "dict", "--limit", "3", "--json"))
    addr = objs["objects"][0]["addr"]
    for args in (["gens", pid], ["threads", pid], ["show", pid, addr], ["referents", pid, addr],
                 ["referrers", pid, addr], ["path", pid, addr], ["top", pid, "--limit", "3"],
                 ["suspects", pid], ["watch", pid, "--interval", "0.2", "--count", "1"],
                 ["types", "--tracked-only", "--pid-of", re.escape(ns_target.workdir), "--top", "3"]):
        out = json.loads(run_in_root(empty_root, *(args + ["--json"])))
        assert out.get("pid", pid) == pid, (args, out)
    text = run_in_root(empty_root, "gens", pid)
    assert text.startswith("pid %d (pid 1 in pidns)" % pid), text
    ps = json.loads(run_in_root(empty_root, "ps", "--json"))
    row = [p for p in ps["processes"] if p["pid"] == pid][0]
    assert row["ns_pid"] == 1 and row["python"] == "3.11.2" and row["attach"]["ok"], row
    assert row["user"] == "uid 0", "no /etc/passwd in the root: the uid is shown"
    assert "static" in run_in_root(empty_root, "--version")
    assert "usage" in run_in_root(empty_root, "--help")


def explorer_session(root, pid, term):
    tmux = Tmux(width=100, height=30)
    cmd = "env -i TERM=%s %s; echo HS-EXIT=$?; sleep 600" % (
        term, " ".join(shlex.quote(a) for a in in_root(root, pid)))
    tmux.start(cmd)
    return tmux


@pytest.mark.parametrize("term", BUILTIN_TERMS + ["xterm-kitty"])
def test_explorer_in_empty_root(empty_root, ns_target, term):
    pid = ns_target.pid
    tmux = explorer_session(empty_root, pid, term)
    try:
        scr = tmux.wait_text("pid %d (1 in pidns)" % pid, "Overview", timeout=30)
        note = "TERM=%s has no terminfo entry here; using the built-in vt100" % term
        flat = re.sub(r"\s+", " ", scr.text)
        if term in BUILTIN_TERMS:
            assert "no terminfo entry" not in flat, scr
        else:
            assert note in flat, scr
        tmux.keys("t")
        scr = tmux.wait_text("Types", "dict")
        tmux.keys("/")
        tmux.type("Twin")
        tmux.keys("Enter")
        tmux.wait_text("Twin")
        tmux.keys("Enter")          # its instances
        tmux.wait_text("Twin (")
        tmux.keys("q")
        scr = tmux.wait_text("HS-EXIT=0")
        if term not in BUILTIN_TERMS:
            assert "heapscope: note: " + note in re.sub(r"\s+", " ", scr.text)
        assert not [s for s in os.listdir("/proc/%d/task" % pid)
                    if open("/proc/%d/task/%s/stat" % (pid, s)).read().split(")")[-1].split()[0] in "tT"]
    finally:
        tmux.kill()


def test_picker_in_empty_root(empty_root, ns_target):
    tmux = Tmux(width=120, height=30)
    cmd = "env -i TERM=tmux-256color %s; echo HS-EXIT=$?; sleep 600" % " ".join(
        shlex.quote(a) for a in in_root(empty_root))
    tmux.start(cmd)
    try:
        tmux.wait_text("Pick a Python process", timeout=30)
        tmux.keys("/")
        tmux.type(ns_target.workdir)
        tmux.keys("Enter")
        scr = tmux.wait_text("(1 of")
        assert re.search(r"^\s*%d\s+1\s+uid 0\s+3\.11\.2\s.*\bpidns\s+yes\s" % ns_target.pid, scr.text, re.M), scr
        tmux.keys("Enter")
        tmux.wait_text("pid %d (1 in pidns)" % ns_target.pid)
        tmux.keys("q")
        tmux.wait_text("HS-EXIT=0")
    finally:
        tmux.kill()
