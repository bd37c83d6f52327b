"""Snapshot files: `heapscope save`, and every command on the FILE.

For each interpreter of the matrix, each command runs live on a census
target with HEAPSCOPE_TEST_SAVE=F (a test build writes the snapshot that
command took to F after answering): the same command on F must give the
same --json, keys that time heapscope itself (*_ms, read_after_resume_bytes)
and the file's own keys (snapshot_file, hostname, taken_at) aside.  So the
file answers exactly as the live process did in the same pause.

Then `save PID -o F`: the command's own file opens and the explorer starts
on it; a file whose bytes are cut or flipped fails with exit 13, a newer
format with 14; the golden file tests/data/golden-3.11.hsnap (format 1.0)
still opens with the answers recorded when it was written.
"""
import json
import os
import shutil
import subprocess

import pytest

from conftest import REPO, SUPPORTED_IDS, require_test_build, run_heapscope
from hostenv import need_root
from test_static import in_root

# Keys whose value measures heapscope's own run, not the snapshot.
VOLATILE = {"read_after_resume_bytes", "snapshot_file", "hostname", "taken_at"}
GOLDEN = os.path.join(REPO, "tests", "data", "golden-3.11.hsnap")
GOLDEN_ANSWERS = os.path.join(REPO, "tests", "data", "golden-3.11.json")


def strip(v):
    if isinstance(v, dict):
        return dict((k, strip(x)) for k, x in v.items()
                    if k not in VOLATILE and not k.endswith("_ms"))
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def first_diff(a, b, path="$"):
    if type(a) is not type(b):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s only in %s" % (path, k, "live" if k in a else "file")
            d = first_diff(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items live, %d in the file" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else "%s: live %r, file %r" % (path, a, b)


def live_and_file(target, args, tmp, name):
    """--json of `heapscope ARGS` on the target and on the snapshot it took."""
    f = os.path.join(tmp, name + ".hsnap")
    live = run_heapscope([args[0], target.pid] + args[1:] + ["--json"],
                         env={"HEAPSCOPE_TEST_SAVE": f}, check_target=target.pid)
    assert live.rc == 0, live.describe()
    assert os.path.isfile(f), "HEAPSCOPE_TEST_SAVE wrote no file\n" + live.describe()
    off = run_heapscope([args[0], f] + args[1:] + ["--json"])
    assert off.rc == 0, off.describe()
    return live.json(), off.json(), f


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_every_command_same_on_file(pool, iid, tmp_path):
    require_test_build()
    t = pool.get(iid, "collected")
    tmp = str(tmp_path)
    # Addresses to ask about: the largest retainer, and an instance.
    top_live, top_file, _ = live_and_file(t, ["top", "--limit", "5"], tmp, "top")
    assert first_diff(strip(top_live), strip(top_file)) is None, first_diff(
        strip(top_live), strip(top_file))
    addrs = [o["addr"] for o in top_file["objects"]]
    types = run_heapscope(["types", "--tracked-only", t.pid, "--json"]).json()
    tname = next(r["qualname"] for r in types["types"]
                 if r["count"] >= 3 and r["module"] not in ("builtins",))
    cmds = [["types"], ["gens"], ["threads"], ["objects", "--type", tname, "--limit", "50"],
            ["show", addrs[0]], ["referents", addrs[1]], ["referrers", addrs[1]],
            ["path", addrs[1]], ["top", "--sort", "shallow"], ["suspects"]]
    for i, args in enumerate(cmds):
        live, off, f = live_and_file(t, args, tmp, "c%d" % i)
        d = first_diff(strip(live), strip(off))
        assert d is None, "%s: the file answers differently: %s" % (" ".join(args), d)
        assert off["snapshot_file"] == f and off["pid"] == t.pid
        assert off["python"] == live["python"]


@pytest.mark.parametrize("iid", SUPPORTED_IDS[:1] + ["3.13"] if "3.13" in SUPPORTED_IDS[1:]
                         else SUPPORTED_IDS[:1])
def test_save_command(pool, iid, tmp_path):
    t = pool.get(iid, "collected")
    f = str(tmp_path / "s.hsnap")
    r = run_heapscope(["save", t.pid, "-o", f, "--json"], check_target=t.pid)
    assert r.rc == 0, r.describe()
    j = r.json()
    assert j["file"] == f and os.path.getsize(f) == j["file_bytes"]
    assert j["compression_ratio"] > 1.5, j
    assert not os.path.exists(f + ".tmp")
    live = run_heapscope(["types", "--tracked-only", t.pid, "--json"]).json()
    off = run_heapscope(["types", "--tracked-only", f, "--json"]).json()
    # the target waits on stdin: its census does not change
    assert strip(off)["types"] == strip(live)["types"]
    assert off["objects"] == live["objects"] == j["objects"]
    # text: a header naming the file
    txt = run_heapscope(["types", "--tracked-only", f])
    assert txt.rc == 0 and txt.out.startswith("snapshot %s  taken " % f), txt.describe()
    # default name in the current directory
    cwd = str(tmp_path / "cwd")
    os.mkdir(cwd)
    p = subprocess.run([r.argv[0], "save", str(t.pid)], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert p.returncode == 0, p.stderr
    names = os.listdir(cwd)
    assert len(names) == 1 and names[0].startswith("heapscope-%d-" % t.pid) and \
        names[0].endswith(".hsnap"), names


def test_file_only_commands_refuse_files(pool, tmp_path):
    t = pool.get(SUPPORTED_IDS[0], "collected")
    f = str(tmp_path / "s.hsnap")
    assert run_heapscope(["save", t.pid, "-o", f]).rc == 0
    for args in (["watch", f, "--interval", "1"], ["suspects", f, "--interval", "1"]):
        r = run_heapscope(args)
        assert r.rc == 2 and "running process" in r.err, r.describe()
    r = run_heapscope(["types", "--tracked-only", str(tmp_path / "nonexistent")])
    assert r.rc == 2 and "not a process ID or a snapshot file" in r.err, r.describe()


def test_corrupt_files(pool, tmp_path):
    t = pool.get(SUPPORTED_IDS[0], "collected")
    f = str(tmp_path / "s.hsnap")
    assert run_heapscope(["save", t.pid, "-o", f]).rc == 0
    data = open(f, "rb").read()
    cases = {
        "empty": b"",
        "not-a-snapshot": b"hello world, not a snapshot at all\n" * 10,
        "header-only": data[:32],
        "cut-in-half": data[:len(data) // 2],
        "cut-before-end": data[:-24],
        "flipped-memory": data[:len(data) - 4000] + bytes([data[-4000] ^ 0xff]) +
        data[len(data) - 3999:],
    }
    for name, blob in cases.items():
        p = str(tmp_path / (name + ".hsnap"))
        with open(p, "wb") as out:
            out.write(blob)
        r = run_heapscope(["types", "--tracked-only", p])
        if name in ("not-a-snapshot", "empty"):
            assert r.rc == 13 and "neither a heapscope snapshot nor an ELF core" in r.err, \
                r.describe()
            continue
        assert r.rc == 13, "%s: %s" % (name, r.describe())
        assert "truncated or corrupt" in r.err, r.describe()
    newer = bytearray(data)
    newer[8] = 2
    p = str(tmp_path / "newer.hsnap")
    with open(p, "wb") as out:
        out.write(newer)
    r = run_heapscope(["types", "--tracked-only", p])
    assert r.rc == 14 and "newer heapscope" in r.err, r.describe()


def test_golden_file_opens():
    """A file written by an earlier heapscope (format 1.0) keeps opening
    with the same answers."""
    with open(GOLDEN_ANSWERS) as f:
        want = json.load(f)
    t = run_heapscope(["types", "--tracked-only", GOLDEN, "--json"])
    assert t.rc == 0, t.describe()
    t = t.json()
    assert (t["python"], t["pid"], t["objects"]) == (want["python"], want["pid"], want["objects"])
    got = [[r["module"], r["qualname"], r["count"], r["size"]] for r in t["types"]]
    assert got == want["types"]
    o = run_heapscope(["objects", GOLDEN, "--type", "Order", "--limit", "1", "--json"]).json()
    assert o["count"] == want["order_count"]
    s = run_heapscope(["show", GOLDEN, want["order_addr"], "--json"]).json()
    assert s["value"] == want["order_value"]
    assert [f.get("name") for f in s["fields"]] == want["order_fields"]
    p = run_heapscope(["path", GOLDEN, want["order_addr"], "--json"]).json()
    assert p["paths"][0]["text"] == want["path"]


def static_binary_path():
    """$HEAPSCOPE_STATIC (scripts/test.sh builds it), else build-static/."""
    path = os.environ.get("HEAPSCOPE_STATIC")
    if not path:
        r = subprocess.run(["bash", os.path.join(REPO, "scripts", "static.sh"),
                            os.path.join(REPO, "build-static")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        assert r.returncode == 0, "scripts/static.sh failed:\n" + r.stderr
        path = r.stdout.strip().splitlines()[-1]
    return path


def test_file_opens_in_a_root_without_python(pool, tmp_path):
    """Saved here, read in a root that holds only the static binary and
    the file (no Python, no libc, no ELF file of the target): the same
    answers as live."""
    need_root()
    t = pool.get(SUPPORTED_IDS[0], "collected")
    root = str(tmp_path / "root")
    os.mkdir(root)
    os.mkdir(os.path.join(root, "proc"))
    shutil.copy2(static_binary_path(), os.path.join(root, "heapscope"))
    f = os.path.join(root, "s.hsnap")
    r = run_heapscope(["save", t.pid, "-o", f, "--json"])
    assert r.rc == 0, r.describe()
    assert sorted(os.listdir(root)) == ["heapscope", "proc", "s.hsnap"]
    for args in (["types"], ["top", "--limit", "5"], ["threads"], ["suspects"]):
        live = run_heapscope([args[0], t.pid] + args[1:] + ["--json"]).json()
        p = subprocess.run(in_root(root, args[0], "/s.hsnap", *(args[1:] + ["--json"])),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=120)
        assert p.returncode == 0, p.stderr
        d = first_diff(strip(live), strip(json.loads(p.stdout)))
        assert d is None, "%s in the empty root: %s" % (args[0], d)


@pytest.mark.parametrize("iid", SUPPORTED_IDS[:1] + SUPPORTED_IDS[-1:])
def test_diff_files_and_pid(spawn, iid, tmp_path):
    """diff OLD NEW: exact per-type growth between two files (the target
    grew 300 Grown objects, each holding a new list, in between), where the
    new ones are held; then a file against the PID (a snapshot taken now)."""
    t = spawn(iid)
    a, b = str(tmp_path / "a.hsnap"), str(tmp_path / "b.hsnap")
    assert run_heapscope(["save", t.pid, "-o", a]).rc == 0
    t.grow(300)
    assert run_heapscope(["save", t.pid, "-o", b]).rc == 0
    r = run_heapscope(["diff", a, b, "--json"])
    assert r.rc == 0, r.describe()
    j = r.json()
    rows = dict((x["type"], x) for x in j["types"])
    assert rows["__main__.Grown"]["dcount"] == 300, rows.get("__main__.Grown")
    assert rows["__main__.Grown"]["count0"] + 300 == rows["__main__.Grown"]["count1"]
    assert j["same_process"] is True and j["old"]["source"] == a and j["new_source"] == b
    assert j["elapsed_s"] > 0
    grown = [n for n in j["new"] if n["type"] == "__main__.Grown"]
    assert grown and grown[0]["count"] == 300, j["new"]
    assert grown[0]["patterns"][0]["pattern"] == "__main__.GROWN[...]", grown[0]["patterns"]
    assert grown[0]["patterns"][0]["share"] == 1.0
    txt = run_heapscope(["diff", a, b])
    assert txt.rc == 0 and "+300" in txt.out and "via __main__.GROWN[...]" in txt.out, \
        txt.describe()
    # a file and the live process: the growth since the file
    t.grow(50)
    r = run_heapscope(["diff", b, t.pid, "--json"], check_target=t.pid)
    assert r.rc == 0, r.describe()
    rows = dict((x["type"], x) for x in r.json()["types"])
    assert rows["__main__.Grown"]["dcount"] == 50
    # NEW against OLD: shrinkage, and a note
    r = run_heapscope(["diff", b, a])
    assert r.rc == 0 and "-300" in r.out and "NEW was taken before OLD" in r.out, r.describe()
    r = run_heapscope(["diff", a])
    assert r.rc == 2 and "OLD and NEW" in r.err, r.describe()
