"""Big heaps: what the 10M-object path needs, on a heap CI can afford.

bench/run.sh measures the 10M-object census (~1.7 GB copied) and its cost
per object; here, on a ~2M-object heap (bench/target.py, ~350 MB), the
same code paths are checked for what is not a timing:

* the census counts every GC-tracked object the target counts itself
  (len(gc.get_objects()) written by the target), and heapscope's peak RSS
  stays within the copy + 100 MB;
* a copy that would not fit in memory is refused before the target is
  stopped, with how much it needs (the test build's
  HEAPSCOPE_TEST_MEM_AVAILABLE stands in for /proc/meminfo), exit 10;
* --max-copy still refuses an over-budget copy with its own message.
"""
import json
import os
import re
import subprocess
import tempfile
import time

import pytest

from conftest import (REPO, SUPPORTED_IDS, expect_rc, heapscope_or_fail, interpreter_or_skip,
                      run_heapscope, wait_not_stopped)

TARGET = os.path.join(REPO, "bench", "target.py")
OBJECTS = 2000000


@pytest.fixture(scope="module")
def big(workdir):
    iid = "3.11-debian" if "3.11-debian" in SUPPORTED_IDS else SUPPORTED_IDS[-1]
    python, _ = interpreter_or_skip(iid)
    info = os.path.join(workdir, "scale-%s.json" % iid)
    p = subprocess.Popen([python, TARGET, str(OBJECTS), info], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        line = p.stdout.readline()
        if not line.startswith(b"READY"):
            pytest.fail("target did not start: %s" % p.stderr.read().decode("utf-8", "replace"))
        with open(info) as f:
            yield p.pid, json.load(f)
    finally:
        p.kill()
        p.wait()


def run_rusage(argv, env=None):
    """(rc, stdout, stderr, peak RSS in bytes) of one run."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        p = subprocess.Popen(argv, stdout=fo, stderr=fe, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        fo.seek(0)
        fe.seek(0)
        return (os.waitstatus_to_exitcode(status), fo.read().decode(), fe.read().decode(),
                ru.ru_maxrss * 1024)


def test_census_counts_all_and_rss_within_copy(big):
    pid, info = big
    rc, out, err, rss = run_rusage([heapscope_or_fail(), "types", "--tracked-only", str(pid), "--json"])
    assert rc == 0, err
    d = json.loads(out)
    # the target counted itself after building and collecting; it only
    # sleeps since
    assert abs(d["objects"] - info["tracked"]) <= 50, (d["objects"], info["tracked"])
    assert d["copied_bytes"] > 200e6, d["copied_bytes"]
    with open(heapscope_or_fail(), "rb") as f:
        if b"__asan_init" in f.read():
            return  # ASan's shadow and quarantine are not heapscope's RSS
    assert rss <= d["copied_bytes"] + 100e6, (
        "peak RSS %.0f MB > copied %.0f MB + 100 MB" % (rss / 1e6, d["copied_bytes"] / 1e6))
    assert not wait_not_stopped(pid)


def test_copy_that_does_not_fit_is_refused_with_its_size(big):
    pid, _ = big
    full = run_heapscope(["types", "--tracked-only", pid, "--json"], check_target=pid)
    expect_rc(full, 0)
    copied = full.json()["copied_bytes"]
    run = run_heapscope(["types", "--tracked-only", pid], env={"HEAPSCOPE_TEST_MEM_AVAILABLE": str(64 << 20)},
                        check_target=pid)
    expect_rc(run, 10)
    m = re.search(r"needs ([0-9.]+) MiB \((\d+) bytes\) of memory for its copy, but only "
                  r"([0-9.]+) MiB is available", run.err)
    assert m, run.describe()
    need = int(m.group(2))
    # what the pause would copy: the copy the full run made, give or take
    # the pages the idle target touched in between
    assert 0.9 * copied <= need <= 1.1 * copied, (need, copied)
    assert float(m.group(3)) == 64.0, run.err
    # enough memory: no refusal
    run = run_heapscope(["types", "--tracked-only", pid, "--json"],
                        env={"HEAPSCOPE_TEST_MEM_AVAILABLE": str(copied * 2)}, check_target=pid)
    expect_rc(run, 0)


def test_max_copy_still_refuses(big):
    pid, _ = big
    run = run_heapscope(["types", "--tracked-only", pid, "--max-copy", "64M"], check_target=pid)
    expect_rc(run, 10)
    assert "--max-copy" in run.err and "MiB" in run.err, run.describe()
