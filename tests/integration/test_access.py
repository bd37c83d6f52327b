"""No root: heapscope with only CAP_SYS_PTRACE (ambient via setpriv or
capsh, or a setcap'ed copy), as the same user as the target, and every
refusal this machine can produce, each with its exact cause and fix.

Produced for real here: another user's process without the capability,
root that dropped CAP_SYS_PTRACE (bounding set), a setcap'ed binary under
no_new_privs, a seccomp filter refusing ptrace, another tracer, a target
that is not dumpable, root of a child user namespace (the issue-16
message).  Not producible on this machine, so tested only on simulated
facts in tests/unit/test_access.c: kernel.yama.ptrace_scope 1/2/3 (this
kernel has no Yama) and an LSM refusal (no AppArmor/SELinux here).
"""
import json
import os
import shutil
import subprocess

import pytest

from conftest import expect_rc, run_heapscope, wait_not_stopped
from hostenv import (NOBODY, PTRACE_ONLY, UNDUMPABLE, CensusTarget, Tracer, census_mismatches,
                     debian_python, heapscope_copy, need_root, observe_census, private_bin_dir,
                     seccomp_prefix, shared_dir, status_field)


@pytest.fixture
def root_target():
    """A census target running as root."""
    need_root()
    t = CensusTarget(debian_python())
    yield t
    t.stop()


@pytest.fixture
def nobody_target():
    need_root()
    t = CensusTarget(debian_python(), prefix=NOBODY)
    assert status_field(t.pid, "Uid")[1] == "65534"
    yield t
    t.stop()


@pytest.fixture
def bindir():
    d = private_bin_dir()
    yield d
    shutil.rmtree(d, True)


def check_census(target, argv, env=None):
    truth, r = observe_census(target, argv, env=env)
    assert r.returncode == 0, "exit %d\n%s" % (r.returncode, r.stderr)
    out = json.loads(r.stdout)
    lines = census_mismatches(truth, out)
    assert not lines, "\n".join(lines)
    assert not wait_not_stopped(target.pid, 0.5), "target left stopped"
    return out


def refused(target, argv):
    """Run argv (heapscope on target); it must exit 4 with one message."""
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       universal_newlines=True)
    assert r.returncode == 4, "expected exit 4 (permission), got %d\n%s%s" % (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("heapscope: ") and r.stdout == "", r.stderr
    assert not wait_not_stopped(target.pid, 0.5), "target left stopped"
    print(r.stderr)
    return r.stderr


# ---------------------------------------------------------------------------
# attaching without root


def test_same_user_without_capabilities(nobody_target, bindir):
    """nobody traces nobody's process: no capability needed (no Yama here)."""
    hs = heapscope_copy(bindir)
    out = check_census(nobody_target, NOBODY + [hs, "types", "--tracked-only", str(nobody_target.pid), "--json"])
    assert out["pid"] == nobody_target.pid


def test_only_cap_sys_ptrace_ambient(root_target, bindir):
    """nobody holding only CAP_SYS_PTRACE (setpriv: ambient, inheritable and
    bounding set reduced to it) reads root's process exactly."""
    hs = heapscope_copy(bindir)
    check_census(root_target, PTRACE_ONLY + [hs, "types", "--tracked-only", str(root_target.pid), "--json"])


def test_only_cap_sys_ptrace_capsh(root_target, bindir):
    if not shutil.which("capsh"):
        pytest.fail("capsh missing: apt-get install libcap2-bin (scripts/setup-debian.sh does)")
    hs = heapscope_copy(bindir)
    cmd = "%s types --tracked-only %d --json" % (hs, root_target.pid)
    argv = ["capsh", "--keep=1", "--user=nobody", "--inh=cap_sys_ptrace", "--addamb=cap_sys_ptrace",
            "--", "-c", cmd]
    check_census(root_target, argv)


def test_setcap_binary(root_target, bindir):
    """`setcap cap_sys_ptrace+ep heapscope`, run by nobody."""
    hs = heapscope_copy(bindir, caps="cap_sys_ptrace+ep")
    check_census(root_target, NOBODY + [hs, "types", "--tracked-only", str(root_target.pid), "--json"])


def test_ps_without_root(root_target, nobody_target, bindir):
    """nobody's `ps` lists both: its own process attachable, root's not,
    with the reason (and the version unknown: root's files are closed)."""
    hs = heapscope_copy(bindir)
    r = subprocess.run(NOBODY + [hs, "ps", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = dict((p["pid"], p) for p in json.loads(r.stdout)["processes"])
    mine, roots = rows.get(nobody_target.pid), rows.get(root_target.pid)
    assert mine and mine["attach"]["ok"] and mine["python"] == "3.11.2" and mine["user"] == "nobody", mine
    assert roots and not roots["attach"]["ok"], roots
    assert roots["attach"]["cause"] == "no_capability" and roots["found_by"] == "name", roots
    assert "CAP_SYS_PTRACE" in roots["attach"]["message"], roots


# ---------------------------------------------------------------------------
# refusals, each with its cause and fix


def test_refusal_other_user(root_target, bindir):
    hs = heapscope_copy(bindir)
    err = refused(root_target, NOBODY + [hs, "types", "--tracked-only", str(root_target.pid)])
    assert "runs as uid 0 (root) and heapscope as uid 65534 (nobody)" in err
    assert "CAP_SYS_PTRACE" in err and "sudo heapscope" in err
    assert "setcap cap_sys_ptrace+ep %s" % hs in err
    assert "ptrace_scope" not in err, "no Yama here: it is not the cause"


def test_refusal_root_without_cap_sys_ptrace(nobody_target):
    """root under `capsh --drop=cap_sys_ptrace`: not told to use sudo."""
    if not shutil.which("capsh"):
        pytest.fail("capsh missing: apt-get install libcap2-bin")
    hs = heapscope_copy(private_bin_dir())
    err = refused(nobody_target, ["capsh", "--drop=cap_sys_ptrace", "--", "-c",
                                  "%s types %d" % (hs, nobody_target.pid)])
    assert "bounding set" in err and "capsh --drop=cap_sys_ptrace" in err, err
    assert "--cap-add=SYS_PTRACE" in err
    assert "`sudo" not in err, "root must not be told to use sudo"


def test_refusal_root_traces_root_without_the_capability(root_target):
    """root without CAP_SYS_PTRACE cannot trace root either: the target
    holds capabilities heapscope does not."""
    if not shutil.which("capsh"):
        pytest.fail("capsh missing: apt-get install libcap2-bin")
    hs = heapscope_copy(private_bin_dir())
    err = refused(root_target, ["capsh", "--drop=cap_sys_ptrace", "--", "-c",
                                "%s types %d" % (hs, root_target.pid)])
    assert "holds capabilities heapscope does not (cap_sys_ptrace" in err, err
    assert "`sudo" not in err


def test_refusal_no_new_privs(root_target, bindir):
    """A setcap'ed heapscope started under no_new_privs gets no capability."""
    hs = heapscope_copy(bindir, caps="cap_sys_ptrace+ep")
    # nobody first, then no_new_privs: the exec of the setcap'ed file must
    # not raise privileges
    err = refused(root_target, NOBODY + ["setpriv", "--no-new-privs", hs, "types", "--tracked-only", str(root_target.pid)])
    assert "no_new_privs" in err and "NoNewPrivs: 1" in err and "file capability" in err, err
    assert hs in err


def test_refusal_seccomp(root_target):
    """A seccomp filter refusing ptrace (a container profile): root, every
    capability, and still refused; the message names the filter."""
    hs = heapscope_copy(private_bin_dir())
    err = refused(root_target, seccomp_prefix() + [hs, "types", "--tracked-only", str(root_target.pid)])
    assert "seccomp filter" in err and "Seccomp: 2" in err and "refuses ptrace" in err, err
    assert "seccomp=unconfined" in err
    assert "`sudo" not in err


def test_refusal_another_tracer(root_target):
    tr = Tracer(root_target.pid)
    try:
        run = run_heapscope(["types", "--tracked-only", str(root_target.pid)], check_target=root_target.pid)
        expect_rc(run, 4)
        assert "PID %d" % tr.pid in run.err and "python" in run.err, run.describe()
        assert "already traced" in run.err
        ps = run_heapscope(["ps", "--json"])
        expect_rc(ps, 0)
        row = [p for p in ps.json()["processes"] if p["pid"] == root_target.pid][0]
        assert row["attach"]["cause"] == "traced" and str(tr.pid) in row["attach"]["why"], row
        # --no-freeze does not trace: it still works
        ok = run_heapscope(["types", "--tracked-only", str(root_target.pid), "--no-freeze", "--json"])
        expect_rc(ok, 0)
    finally:
        tr.stop()


def test_refusal_not_dumpable(bindir):
    """A process that is not dumpable (as after a setuid exec) cannot be
    traced by its own user without the capability."""
    need_root()
    p = subprocess.Popen(NOBODY + [debian_python(), "-c", UNDUMPABLE], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline().strip() == b"READY"
        hs = heapscope_copy(bindir)
        r = subprocess.run(NOBODY + [hs, "types", "--tracked-only", str(p.pid)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert r.returncode == 4, r.stderr
        assert "not dumpable" in r.stderr and "PR_SET_DUMPABLE" in r.stderr, r.stderr
        assert "sudo heapscope" in r.stderr and "setcap" in r.stderr
    finally:
        p.kill()
        p.wait()


def test_refusal_user_namespace(root_target):
    """Root of a child user namespace holds CAP_SYS_PTRACE only there: the
    message says so, and does not tell root to use sudo (issue 16)."""
    hs = heapscope_copy(private_bin_dir())
    err = refused(root_target, ["unshare", "--user", "--map-root-user", hs, "types",
                                str(root_target.pid)])
    assert "user namespace" in err and "where it is root" in err, err
    assert "never reaches outside the user namespace" in err
    assert "`sudo" not in err and "we have" not in err, err
