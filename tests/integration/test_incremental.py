"""Re-snapshots that copy only what changed (soft-dirty pages).

`watch`, `suspects --interval` and `r` in the explorer keep the previous
snapshot and read from the target only the pages written since (bit 55 of
/proc/PID/pagemap after "4" was written to /proc/PID/clear_refs in the
previous pause).  Checked:

* an incremental snapshot equals, on every page, a full copy taken in the
  same pause (the test build's HEAPSCOPE_TEST_INCR_VERIFY=1 makes every
  incremental snapshot take that second copy and fail with exit
  HS_ERR_INTERNAL on any difference), on a target that keeps mutating,
  allocating and freeing, for watch and suspects --interval; and that the
  unchanged pages were indeed taken from the previous snapshot;
* --no-soft-dirty turns it off (every snapshot reports nothing reused);
* on a kernel without soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY unset)
  every snapshot is a full one and watch --json says why.
The machinery itself (dirty pages read, clean ones reused, zero pages
after MADV_DONTNEED, remapped pieces, a missed write caught by the
comparison) is checked on any kernel by tests/unit/test_live.c with a
record of writes kept by the target itself.
"""
import os
import subprocess
import sys
import time

import pytest

from conftest import (READY_TIMEOUT, SUPPORTED_IDS, expect_rc, interpreter_or_skip,
                      run_heapscope)

# A heap of ~100k objects that keeps changing: a dict whose values are
# replaced, lists appended to and trimmed, some new strings each round.
TARGET = r"""
import sys, time
data = {i: [str(i)] * 3 for i in range(30000)}
keep = [object() for _ in range(20000)]
print("READY", flush=True)
n = 0
while True:
    n += 1
    for k in range(n % 1000, 30000, 997):
        data[k] = [str(k + n)] * 3
    keep.append(bytearray(64))
    if len(keep) > 30000:
        del keep[:5000]
    time.sleep(0.002)
"""


def soft_dirty_supported():
    """Does this kernel report soft-dirty pages?  A freshly mapped and
    written page of our own is soft-dirty where it does."""
    import ctypes
    import mmap
    import struct
    m = mmap.mmap(-1, mmap.PAGESIZE)
    m[0:1] = b"x"
    buf = (ctypes.c_char * 1).from_buffer(m)
    addr = ctypes.addressof(buf)
    try:
        with open("/proc/self/pagemap", "rb") as f:
            f.seek(addr // mmap.PAGESIZE * 8)
            ent = struct.unpack("<Q", f.read(8))[0]
    finally:
        del buf
        m.close()
    return bool(ent >> 63) and bool((ent >> 55) & 1)


@pytest.fixture(scope="module")
def target():
    iid = "3.11-debian" if "3.11-debian" in SUPPORTED_IDS else SUPPORTED_IDS[0]
    python, _ = interpreter_or_skip(iid)
    p = subprocess.Popen([python, "-c", TARGET], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + READY_TIMEOUT
        line = b""
        while not line.startswith(b"READY") and time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                pytest.fail("target exited: %s" % p.stderr.read().decode("utf-8", "replace"))
        yield p.pid
    finally:
        p.kill()
        p.wait()


VERIFY = {"HEAPSCOPE_TEST_INCR_VERIFY": "1"}


def test_watch_incremental_equals_full(target):
    if not soft_dirty_supported():
        pytest.skip("this kernel does not track soft-dirty pages (CONFIG_MEM_SOFT_DIRTY)")
    run = run_heapscope(["watch", target, "--interval", "0.3", "--count", "4", "--json"],
                        env=VERIFY, check_target=target)
    expect_rc(run, 0)
    d = run.json()
    assert d["incremental"] is True and d["incremental_note"] is None, d
    snaps = d["snapshots"]
    assert len(snaps) == 5, snaps
    assert snaps[0]["reused_bytes"] == 0, snaps[0]
    for s in snaps[1:]:
        # most of the heap did not change in 0.3 s; some did
        assert 0 < s["reused_bytes"] < s["copied_bytes"], s
        assert s["reused_bytes"] > s["copied_bytes"] // 4, s


def test_suspects_interval_incremental_equals_full(target):
    if not soft_dirty_supported():
        pytest.skip("this kernel does not track soft-dirty pages (CONFIG_MEM_SOFT_DIRTY)")
    run = run_heapscope(["suspects", target, "--interval", "0.3", "--json"], env=VERIFY,
                        check_target=target)
    expect_rc(run, 0)
    d = run.json()
    assert 0 < d["reused_bytes"] < d["copied_bytes"], d


def test_no_soft_dirty_and_fallback(target):
    """--no-soft-dirty: full copies, said so; without soft-dirty in the
    kernel: full copies too, and the reason."""
    run = run_heapscope(["watch", target, "--interval", "0.2", "--count", "2", "--json",
                         "--no-soft-dirty"], env=VERIFY, check_target=target)
    expect_rc(run, 0)
    d = run.json()
    assert d["incremental"] is False and d["incremental_note"] == "--no-soft-dirty", d
    assert all(s["reused_bytes"] == 0 and s["copied_bytes"] > 0 for s in d["snapshots"]), d
    if soft_dirty_supported():
        return
    run = run_heapscope(["watch", target, "--interval", "0.2", "--count", "2", "--json"],
                        env=VERIFY, check_target=target)
    expect_rc(run, 0)
    d = run.json()
    assert d["incremental"] is False, d
    assert "CONFIG_MEM_SOFT_DIRTY" in d["incremental_note"], d
    assert all(s["reused_bytes"] == 0 for s in d["snapshots"]), d
