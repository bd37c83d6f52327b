"""bench/bench.py - the measurement driver behind bench/run.sh.

Phases (run.sh calls them in this order; each appends to OUT/results.json):

  measure  for every interpreter x size: start bench/target.py, then time
           heapscope's census, the copy floor, the gdb-injection peer, the
           target's own in-process Counter and the graph queries
  dbg      the gdb peer once more on the ~1M Debian 3.11 target, now with
           python3.11-dbg's DWARF loaded by gdb
  profile  perf record (cpu-clock) and callgrind of heapscope's census of the
           ~1M Debian 3.11 target
  report   print the tables, the ratios and the PASS/FAIL goal lines

Runs under Debian's /usr/bin/python3 with the standard library only.
Every figure is the median of --reps runs after one discarded warm-up run.
"""
import argparse
import json
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
TARGET = os.path.join(BENCH, "target.py")

INTERPRETERS = [
    ("3.11-debian", "/usr/bin/python3.11"),
    ("3.12", "/root/.pyenv/versions/3.12.1/bin/python"),
    ("3.13", "/root/.pyenv/versions/3.13.0/bin/python"),
]
GOAL_INTERP = "3.11-debian"
GOAL_SIZE = 1000000

# The peer: what people do today (pyrasite / pyheap style).  The injected
# code runs in the target's __main__, so it cleans up after itself; it
# writes "SECONDS COUNT" so that a run that silently did nothing is caught.
PEER_CODE = ("import gc, collections, time; "
             "_hs_t0 = time.perf_counter(); "
             "_hs_c = collections.Counter(type(o).__qualname__ for o in gc.get_objects()); "
             "_hs_dt = time.perf_counter() - _hs_t0; "
             "_hs_f = open('%s', 'w'); "
             "_hs_f.write('%%.6f %%d' %% (_hs_dt, sum(_hs_c.values()))); "
             "_hs_f.close(); "
             "del _hs_t0, _hs_c, _hs_dt, _hs_f")

TIMEOUT_HEAPSCOPE = 300

# A user's first try meets memory nobody touched for a while.  On a VM whose
# host takes freed guest memory back (virtio free page reporting: on this
# bench machine /sys/module/page_reporting says order 9, every free 2 MiB
# block), memory freed more than ~1.5 s ago costs a host-side fault on its
# next first touch: ~1.3-2.2 ms per MiB here, ~300 ms for the 180 MB a
# 1M-object census copies, against ~10 ms for memory freed a moment before
# (bench/faultin.c measures both; the "faultin" phase).  Back to
# back, each run reuses the memory the run before it (or the copy floor)
# just freed and looks several times faster than a user's.  So the first
# try and the scale rows wait SETTLE seconds before every timed run (the
# kernel's reporting delay is 2 s); --settle 0 measures the warm case.
SETTLE = 3.0
TIMEOUT_PEER = 300
TIMEOUT_READY = 600


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------------------
# Running a child with wall time and peak RSS


class Child(object):
    def __init__(self, rc, out, err, wall_ms, maxrss_kib, timed_out, cpu_ms=None):
        self.cpu_ms = cpu_ms
        self.rc = rc
        self.out = out
        self.err = err
        self.wall_ms = wall_ms
        self.maxrss_kib = maxrss_kib
        self.timed_out = timed_out


def run_child(argv, timeout, env=None):
    """Run argv; wall time from fork to reaping, peak RSS from wait4()'s
    rusage (ru_maxrss: the same number /usr/bin/time -f %M prints)."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, env=env)
        killed = []

        def on_timeout():
            killed.append(1)
            try:
                os.kill(p.pid, signal.SIGKILL)
            except OSError:
                pass
        timer = threading.Timer(timeout, on_timeout)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall_ms = (time.perf_counter() - t0) * 1e3
        p.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
        fo.seek(0)
        fe.seek(0)
        return Child(p.returncode, fo.read().decode("utf-8", "replace"),
                     fe.read().decode("utf-8", "replace"), wall_ms, ru.ru_maxrss, bool(killed),
                     (ru.ru_utime + ru.ru_stime) * 1e3)


# ---------------------------------------------------------------------------
# Targets


class Target(object):
    def __init__(self, iid, python, size, workdir, extra=()):
        self.iid = iid
        self.python = python
        self.size = size
        self.info_path = os.path.join(workdir, "target-%s-%d.json" % (iid, size))
        for p in (self.info_path, self.info_path + ".counter"):
            if os.path.exists(p):
                os.unlink(p)
        self.stderr = open(os.path.join(workdir, "target-%s-%d.stderr" % (iid, size)), "wb")
        self.proc = subprocess.Popen([python, TARGET, str(size), self.info_path] + list(extra),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        self.pid = self.proc.pid
        self.info = None

    def wait_ready(self):
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.time() + TIMEOUT_READY
        while b"READY" not in buf:
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError("target %s/%d: no READY in %d s" % (self.iid, self.size, TIMEOUT_READY))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise RuntimeError("target %s/%d exited (rc %s) before READY"
                                       % (self.iid, self.size, self.proc.wait()))
                buf += chunk
        with open(self.info_path) as f:
            self.info = json.load(f)
        return self.info

    def rss_kib(self):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.stderr.close()

    def inprocess_counter(self, timeout=300):
        """Ask the target (SIGUSR1) to time its own Counter census."""
        path = self.info_path + ".counter"
        if os.path.exists(path):
            os.unlink(path)
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.time() + timeout
        while not os.path.exists(path):
            if time.time() > deadline or not self.alive():
                return None
            time.sleep(0.01)
        with open(path) as f:
            secs, count = f.read().split()
        return {"ms": float(secs) * 1e3, "count": int(count)}


# ---------------------------------------------------------------------------
# The tools


def heapscope_census(hs, pid, every_object=False):
    """`heapscope types --tracked-only` (the GC census, what the peer
    counts), or with every_object plain `heapscope types`, the default,
    which also finds the untracked objects (str, int...: graph_ms)."""
    c = run_child([hs, "types"] + ([] if every_object else ["--tracked-only"]) + [str(pid), "--json"],
                  TIMEOUT_HEAPSCOPE)
    if c.rc != 0:
        return {"error": "exit %s: %s" % (c.rc, c.err.strip()[:300])}
    j = json.loads(c.out)
    return {"wall_ms": c.wall_ms, "cpu_ms": c.cpu_ms, "rss_kib": c.maxrss_kib, "pause_ms": j["pause_ms"],
            "copied": j["copied_bytes"], "snapshot_ms": j.get("snapshot_ms"),
            "parse_ms": j.get("parse_ms"), "objects": j["objects"], "threads": j.get("threads"),
            "prepare_ms": j.get("prepare_ms"), "prefault_ms": j.get("prefault_ms"),
            "attempts": j.get("attempts"), "graph_ms": j.get("graph_ms"),
            "objects_all": j.get("objects_all")}


def copy_floor(copyfloor, pid):
    c = run_child([copyfloor, str(pid), str(1 << 20)], 120)
    if c.rc != 0:
        return {"error": "exit %s: %s" % (c.rc, c.err.strip()[:300])}
    return json.loads(c.out)


def peer_gdb(pid, workdir, tracked, use_dbg):
    """gdb -p PID -batch: PyGILState_Ensure, PyRun_SimpleString(Counter...),
    PyGILState_Release.  Casts make it work without debug info.  Without
    use_dbg, gdb is kept away from separate debug files (/usr/lib/debug) so
    that the row means "stripped Debian python" even when python3.11-dbg
    is installed."""
    result = os.path.join(workdir, "peer-%d.txt" % pid)
    if os.path.exists(result):
        os.unlink(result)
    script = os.path.join(workdir, "peer-%d.gdb" % pid)
    code = PEER_CODE % result
    assert '"' not in code and "\\" not in code
    with open(script, "w") as f:
        # In a command file the first error stops the file, so PyRun is never
        # called without the GIL.
        f.write("set $hs_gil = (int)PyGILState_Ensure()\n")
        f.write('set $hs_rc = (int)PyRun_SimpleString("%s")\n' % code)
        f.write("call (void)PyGILState_Release($hs_gil)\n")
        f.write('printf "HEAPSCOPE_PEER_RC %d\\n", $hs_rc\n')
        if use_dbg:
            # only resolvable with CPython's DWARF loaded (last: may fail)
            f.write('printf "HEAPSCOPE_DWARF %d\\n", (int)sizeof(PyObject)\n')
    argv = ["gdb", "-nx", "-batch", "-p", str(pid),
            "-iex", "set debuginfod enabled off"]
    if not use_dbg:
        argv += ["-iex", "set debug-file-directory /nonexistent"]
    argv += ["-x", script]
    c = run_child(argv, TIMEOUT_PEER)
    text = c.out + c.err
    r = {"wall_ms": c.wall_ms, "gdb_rc": c.rc,
         "dwarf": bool(re.search(r"HEAPSCOPE_DWARF \d+", text))}
    m = re.search(r"HEAPSCOPE_PEER_RC (-?\d+)", text)
    if c.timed_out:
        r["error"] = "gdb timed out after %d s" % TIMEOUT_PEER
    elif not m or m.group(1) != "0":
        r["error"] = "injection failed (PyRun_SimpleString rc %s); gdb said: %s" % (
            m.group(1) if m else "never reached", text.strip()[-400:])
    elif not os.path.exists(result):
        r["error"] = "gdb ran but the injected code wrote no result: %s" % text.strip()[-400:]
    else:
        with open(result) as f:
            secs, count = f.read().split()
        r["inner_ms"] = float(secs) * 1e3
        r["count"] = int(count)
        if r["count"] < 0.5 * tracked:
            r["error"] = "injected census saw %d objects, expected ~%d" % (r["count"], tracked)
    return r


# Where the census's time goes, for the call-chain view of the profile.
PROFILE_PHASES = set("""cli_open snap_take py_find_runtime live_snapshot freeze copy_all
process_vm_readv _copy_to_iter asm_exc_page_fault do_huge_pmd_anonymous_page clear_page_erms
thaw heap_open walk_list tail_walk_run type_and_size py_type_of mem_u64 mem_u64_slow
py_getsizeof row_for fill_rows heap_types_sorted types_json cli_close memsrc_free heap_free
__munmap spares_prefault buf_prefault lazy_scan""".split())

GRAPH_PHASES = set("""session_attach cli_open snap_take heap_open graph_build pass_discover
trav_referents build_cb edge_now edge_pop resolve lookup discover map_put map_resize add_object
trav_is_conservative py_type_of mem_u64 py_dict py_values pass_fill clear_page_erms""".split())

GRAPH_QUERY_KEYS = ("query_ms", "referrers_ms", "path_ms", "paths_ms", "lookup_ms", "search_ms")


def heapscope_graph(hs, pid, cmd, addr):
    """`heapscope referrers|path PID ADDR --json`: graph build time and the
    query time, from the JSON.  {'na': reason} when the command or the
    timing fields do not exist."""
    c = run_child([hs, cmd, str(pid), "0x%x" % addr, "--json"], TIMEOUT_HEAPSCOPE)
    if c.rc == 2 and "unknown command" in c.err:
        return {"na": "not implemented"}
    if c.rc != 0:
        return {"error": "exit %s: %s" % (c.rc, c.err.strip()[:300])}
    try:
        j = json.loads(c.out)
    except ValueError:
        return {"error": "output is not JSON"}
    r = {"wall_ms": c.wall_ms, "rss_kib": c.maxrss_kib, "keys": sorted(j.keys())}
    if "graph_ms" in j:
        r["graph_ms"] = j["graph_ms"]
    for k in GRAPH_QUERY_KEYS:
        if k in j:
            r["query_ms"] = j[k]
            break
    if cmd == "path":
        paths = j.get("paths")
        if isinstance(paths, list) and paths and isinstance(paths[0], dict):
            edges = paths[0].get("edges") or paths[0].get("path") or paths[0].get("hops")
            if isinstance(edges, list):
                r["hops"] = len(edges)
    return r


# ---------------------------------------------------------------------------
# Phases


def load_results(out):
    path = os.path.join(out, "results.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"runs": {}, "dbg": None, "profile": None, "machine": None}


def save_results(out, res):
    path = os.path.join(out, "results.json")
    with open(path + ".tmp", "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    os.rename(path + ".tmp", path)


def machine():
    def read(path):
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ""
    cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", read("/proc/meminfo"), re.M)
    thp = read("/sys/kernel/mm/transparent_hugepage/enabled").strip()
    virt = ""
    try:
        virt = subprocess.run(["systemd-detect-virt"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL).stdout.decode().strip()
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu.group(1) if cpu else "?",
        "ram_gib": round(int(mem.group(1)) / 1048576.0, 1) if mem else None,
        "kernel": platform.release(),
        "debian": read("/etc/debian_version").strip(),
        "thp": thp,
        "virt": virt,
        # free page reporting (see SETTLE): order, KiB handed back so far
        "page_reporting_order": read("/sys/module/page_reporting/parameters/page_reporting_order").strip() or None,
        "page_reported_kib": read("/sys/module/page_reporting/parameters/reported_kib").strip() or None,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def reps_of(fn, reps, warmup=1):
    runs = []
    for i in range(warmup + reps):
        r = fn()
        if i >= warmup:
            runs.append(r)
        if r is not None and (r.get("error") or r.get("na")):
            # do not hammer a broken tool; keep the one failure
            if i < warmup:
                runs.append(r)
            break
    return runs


def measure_target(args, iid, python, size):
    t = Target(iid, python, size, args.out)
    rec = {"iid": iid, "python": python, "size": size}
    try:
        log("%s: building ~%d objects" % (iid, size))
        rec["load"] = [loadavg()]
        info = t.wait_ready()
        rec["target"] = info
        rec["target"]["rss_ready_kib"] = t.rss_kib()
        tracked = info["tracked"]
        log("%s/%d: %d tracked objects, RSS %d MiB, built in %.1f s"
            % (iid, size, tracked, info["rss_kib"] // 1024, info["build_s"]))

        rec["heapscope"] = reps_of(lambda: heapscope_census(args.heapscope, t.pid), args.reps)
        rec["floor"] = reps_of(lambda: copy_floor(args.copyfloor, t.pid), args.reps)
        rec["inproc"] = reps_of(lambda: t.inprocess_counter(), args.reps)
        rec["peer"] = reps_of(lambda: peer_gdb(t.pid, args.out, tracked, False), args.reps)
        if not t.alive():
            raise RuntimeError("target died during the peer runs")
        # each run builds the whole graph (seconds at 3M): at most 3 runs
        greps = min(args.reps, 3)
        rec["referrers"] = reps_of(lambda: heapscope_graph(args.heapscope, t.pid, "referrers",
                                                           info["shared"]), greps)
        rec["path"] = reps_of(lambda: heapscope_graph(args.heapscope, t.pid, "path",
                                                      info["deep"]), greps)
        rec["load"].append(loadavg())
        hs = median([r.get("wall_ms") for r in rec["heapscope"]])
        pe = median([r.get("wall_ms") for r in rec["peer"] if not r.get("error")])
        log("%s/%d: heapscope %.0f ms, peer %s ms" % (iid, size, hs or -1, "%.0f" % pe if pe else "n/a"))
    except Exception as e:  # keep going with the other targets
        rec["error"] = "%s: %s" % (type(e).__name__, e)
        log("%s/%d: ERROR %s" % (iid, size, rec["error"]))
    finally:
        t.stop()
    return rec


def tree_state(hs):
    """Which heapscope was measured: binary mtime, git HEAD, dirty files
    (read-only git commands)."""
    st = {"binary": hs}
    try:
        st["built"] = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(hs)))
    except OSError:
        pass
    try:
        git = lambda *a: subprocess.run(["git", "-C", REPO] + list(a), stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL).stdout.decode().strip()
        st["head"] = git("rev-parse", "--short", "HEAD")
        st["dirty"] = len([l for l in git("status", "--porcelain").splitlines() if l.strip()])
    except OSError:
        pass
    return st


def phase_measure(args):
    res = load_results(args.out)
    res["machine"] = machine()
    res["tree"] = tree_state(args.heapscope)
    res["config"] = {"reps": args.reps, "sizes": args.sizes}
    for iid, python in INTERPRETERS:
        if not (os.path.isfile(python) and os.access(python, os.X_OK)):
            log("%s: %s not installed, skipped" % (iid, python))
            res["runs"][iid] = {"skipped": "%s not installed" % python}
            continue
        for size in args.sizes:
            res["runs"]["%s/%d" % (iid, size)] = measure_target(args, iid, python, size)
            save_results(args.out, res)
    save_results(args.out, res)


# ---------------------------------------------------------------------------
# First try: what a user sees running heapscope once.  Every invocation is a
# new heapscope process (no warm-up), on a target started fresh every
# --fresh-per-target runs; each is paired in the same round with one gdb
# peer run and one copy-floor run on the same target, in that order.


def pct(xs, q):
    """Nearest-rank percentile (q in 0..100) of the non-None xs."""
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = max(0, min(len(xs) - 1, int(-(-q * len(xs) // 100)) - 1))
    return xs[k]


def settle(args):
    """Let the memory freed by the previous run go cold (see SETTLE)."""
    if args.settle > 0:
        time.sleep(args.settle)


def phase_fresh(args):
    res = load_results(args.out)
    res.setdefault("machine", machine())
    python = dict(INTERPRETERS)[GOAL_INTERP]
    rounds = []
    load = [loadavg()]
    for ti in range(args.fresh_targets):
        t = Target(GOAL_INTERP, python, GOAL_SIZE, args.out)
        try:
            info = t.wait_ready()
            log("fresh target %d/%d: %d tracked objects" % (ti + 1, args.fresh_targets, info["tracked"]))
            for k in range(args.fresh_per_target):
                # every timed run after a settle (see SETTLE), except
                # "warm": the same census again at once, reusing the
                # memory the first one just freed (the back-to-back case)
                r = {"target": ti, "nth": k, "load": loadavg(), "settle_s": args.settle}
                settle(args)
                r["heapscope"] = heapscope_census(args.heapscope, t.pid)
                r["warm"] = heapscope_census(args.heapscope, t.pid)
                settle(args)
                r["peer"] = peer_gdb(t.pid, args.out, info["tracked"], False)
                settle(args)
                r["floor"] = copy_floor(args.copyfloor, t.pid)
                settle(args)
                # plain `types` (every object)
                r["all"] = heapscope_census(args.heapscope, t.pid, every_object=True)
                rounds.append(r)
                h = r["heapscope"]
                log("  run %d: heapscope %s ms (snapshot %s, pause %s), peer %s ms" % (
                    k + 1, fmt(h.get("wall_ms")), fmt(h.get("snapshot_ms")), fmt(h.get("pause_ms"), "%.1f"),
                    fmt(r["peer"].get("wall_ms"))))
        except Exception as e:
            rounds.append({"target": ti, "error": "%s: %s" % (type(e).__name__, e)})
            log("fresh target %d: ERROR %s" % (ti, e))
        finally:
            t.stop()
        save_results(args.out, res)
    load.append(loadavg())
    res["fresh"] = {"rounds": rounds, "load": load, "targets": args.fresh_targets,
                    "per_target": args.fresh_per_target}
    save_results(args.out, res)


# Fresh memory on this machine (bench/faultin.c): 180 MiB, the size of the
# first try's copy, faulted in cold (after a settle) and warm (at once after
# a run that freed as much), in huge pages as heapscope asks for them, and
# cold in 4 KiB pages for comparison.

FAULTIN_MIB = 180


def phase_faultin(args):
    res = load_results(args.out)
    rows = []
    for _ in range(args.faultin_reps):
        r = {}
        for name, mode, wait in (("cold", "huge", True), ("warm", "huge", False), ("small", "small", True)):
            if wait:
                settle(args)
            c = run_child([args.faultin, str(FAULTIN_MIB), mode], 120)
            r[name] = json.loads(c.out) if c.rc == 0 else {"error": "exit %s: %s" % (c.rc, c.err.strip()[:200])}
        rows.append(r)
        log("faultin: cold %s ms, warm %s ms, 4 KiB pages %s ms" % tuple(
            fmt((r[k].get("populate_ms") or 0) + (r[k].get("touch_ms") or 0)) if not r[k].get("error") else "error"
            for k in ("cold", "warm", "small")))
    m = machine()
    res["faultin"] = {"rows": rows, "mib": FAULTIN_MIB, "settle_s": args.settle,
                      "page_reporting_order": m["page_reporting_order"],
                      "page_reported_kib": m["page_reported_kib"]}
    save_results(args.out, res)


def report_faultin(res, p):
    fi = res.get("faultin")
    if not fi:
        return
    p("## Fresh memory on this machine: %d MiB faulted in and written once (bench/faultin.c)\n" % fi["mib"])
    m = fi
    p("Kernel free page reporting: order %s, %s KiB handed back to the host since boot.  "
      "\"cold\": %s s after the last run freed its memory; \"warm\": at once after one that freed "
      "as much.\n" % (m.get("page_reporting_order") or "none", m.get("page_reported_kib") or "0",
                      fmt(fi.get("settle_s"), "%g")))
    rows = []
    for name, label in (("cold", "huge pages, cold (a first try)"), ("warm", "huge pages, warm (back to back)"),
                        ("small", "4 KiB pages, cold")):
        xs = [r[name] for r in fi["rows"] if not r[name].get("error")]
        tot = [x["populate_ms"] + x["touch_ms"] for x in xs]
        rows.append([label, fmt(median([x["populate_ms"] for x in xs])), fmt(median([x["touch_ms"] for x in xs])),
                     fmt(min(tot) if tot else None), fmt(median(tot)), fmt(max(tot) if tot else None),
                     fmt(median([x["ms_per_mib"] for x in xs]), "%.2f")])
    p(table(rows, ["ms", "fault in", "first write", "total min", "median", "max", "ms per MiB"]))
    p("")


# Scale: the census alone (fresh invocations, --scale-reps each) and the copy
# floor from ~100k to ~10M GC objects on Debian's 3.11: cost per object.

SCALE_SIZES = (100000, 1000000, 3000000, 10000000)


def phase_scale(args):
    res = load_results(args.out)
    python = dict(INTERPRETERS)[GOAL_INTERP]
    rows = {}
    for size in args.scale_sizes:
        t = Target(GOAL_INTERP, python, size, args.out)
        rec = {"size": size, "load": [loadavg()]}
        try:
            info = t.wait_ready()
            rec["tracked"] = info["tracked"]
            rec["target_rss_kib"] = info["rss_kib"]
            rec["settle_s"] = args.settle
            rec["heapscope"] = []
            for _ in range(args.scale_reps):
                settle(args)
                rec["heapscope"].append(heapscope_census(args.heapscope, t.pid))
            settle(args)
            rec["floor"] = copy_floor(args.copyfloor, t.pid)
            rec["load"].append(loadavg())
            log("scale %d: %s" % (size, ", ".join("%s ms" % fmt(h.get("wall_ms")) for h in rec["heapscope"])))
        except Exception as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
            log("scale %d: ERROR %s" % (size, rec["error"]))
        finally:
            t.stop()
        rows[str(size)] = rec
        res["scale"] = rows
        save_results(args.out, res)


def report_scale(res, p):
    sc = res.get("scale")
    if not sc:
        return
    p("## Scale: census from ~100k to ~10M GC objects, Debian 3.11 (fresh invocations)\n")
    st = [r.get("settle_s") for r in sc.values() if r.get("settle_s") is not None]
    if st:
        p("Each run %s s after the one before (cold memory, as in the first try above).\n" % fmt(st[0], "%g"))
    rows, per = [], {}
    for key in sorted(sc, key=int):
        r = sc[key]
        hs = [h for h in r.get("heapscope") or [] if not h.get("error")]
        if not hs:
            rows.append([key, "error: %s" % (r.get("error") or (r.get("heapscope") or [{}])[0].get("error"))]
                        + [""] * 10)
            continue
        n = r["tracked"]
        w = median([h["wall_ms"] for h in hs])
        fl = (r.get("floor") or {}).get("copy_ms")
        cp = median([h["copied"] for h in hs])
        rss = median([h["rss_kib"] * 1024 for h in hs])
        per[int(key)] = (w * 1e6 / n, median([h.get("parse_ms") for h in hs]) * 1e6 / n)
        rows.append([key, "%d" % n, "%.0f" % (cp / 1e6), "%.0f" % w, "%.0f" % max(h["wall_ms"] for h in hs),
                     "%.0f" % median([h["pause_ms"] for h in hs]), fmt(fl),
                     fmt(median([h.get("prefault_ms") for h in hs])),
                     "%.0f" % median([h.get("parse_ms") for h in hs]),
                     "%+.0f" % ((rss - cp) / 1e6), "%.0f / %.0f" % per[int(key)]])
    p(table(rows, ["size", "objects", "copied MB", "wall ms", "max", "pause", "floor", "prefault",
                   "parse", "RSS - copied MB", "ns/object wall / parse"]))
    p("")
    big = sc.get("10000000")
    hs = [h for h in (big or {}).get("heapscope") or [] if not h.get("error")]
    lines = []
    if hs:
        w = median([h["wall_ms"] for h in hs])
        pz = median([h["pause_ms"] for h in hs])
        fl = (big.get("floor") or {}).get("copy_ms")
        cp = median([h["copied"] for h in hs])
        rss = median([h["rss_kib"] * 1024 for h in hs])
        lines.append("%s  10M census wall <= 2 s: %.0f ms" % ("PASS" if w <= 2000 else "FAIL", w))
        lines.append("%s  10M pause <= 1.5 x copy floor: %.0f ms, floor %s ms" % (
            "N/A " if not fl else "PASS" if pz <= 1.5 * fl else "FAIL", pz, fmt(fl)))
        lines.append("%s  10M RSS <= copied + 100 MB: %+.0f MB" % ("PASS" if rss <= cp + 100e6 else "FAIL",
                                                                 (rss - cp) / 1e6))
    else:
        lines.append("N/A   10M: not measured (bench/run.sh --scale-10m or the full run)")
    if 10000000 in per and 100000 in per:
        r = per[10000000][0] / per[100000][0]
        lines.append("%s  cost per object flat (10M / 100k wall per object <= 1.25): %.2f x (1M: %s x)" % (
            "PASS" if r <= 1.25 else "FAIL", r,
            fmt(per[1000000][0] / per[100000][0] if 1000000 in per else None, "%.2f")))
    for l in lines:
        p(l)
    p("")


# The 3.14 peer: sys.remote_exec(pid, script) (PEP 768) runs a census script
# in the target at its next safe point.  Both the target and the caller are
# sid's python3.14, chrooted as tests/pythons.py runs them (same PIDs: only
# the mount namespace is private).  On a busy target (--busy: Python code
# non-stop) and an idle one (time.sleep): the peer's wall time from starting
# the caller to the result written, and how long the census held the target
# (measured inside it); heapscope's census of the same target, paired.

PEER314_IID = "3.14-sid"
PEER314_INNER = "/usr/bin/python3.14"
PEER314_WAIT_S = 10.0


def peer314_wrapper():
    """The target's interpreter, as tests/pythons.py runs it."""
    sys.path.insert(0, os.path.join(REPO, "tests"))
    import pythons
    root = pythons.SID
    if not os.path.isfile(root + PEER314_INNER):
        return None
    return pythons.chroot_wrapper(PEER314_IID, PEER314_INNER, {})


def peer314_caller(workdir):
    """The caller's: the same chroot with /proc mounted, which
    sys.remote_exec reads (/proc/PID/maps) to find the target's runtime,
    and the root reachable under its host path, the name the maps give
    the target's files."""
    sys.path.insert(0, os.path.join(REPO, "tests"))
    import pythons
    import shlex
    q = shlex.quote
    sid = pythons.SID
    inner = "\n".join([
        "set -e",
        "mkdir -p %s %s" % (q(sid + REPO), q(sid + "/tmp")),
        "mount --bind %s %s" % (q(REPO), q(sid + REPO)),
        "mount --bind /tmp %s" % q(sid + "/tmp"),
        "mount -t proc proc %s" % q(sid + "/proc"),
        # the target's files, as its maps name them from outside its
        # mount namespace (the host path of the root)
        "mkdir -p %s" % q(sid + sid),
        "mount --bind %s %s" % (q(sid), q(sid + sid)),
        'exec chroot %s %s "$@"' % (q(sid), q(PEER314_INNER)),
    ])
    path = os.path.join(workdir, "peer314-caller")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexec unshare -m --propagation private /bin/sh -c %s peer314 \"$@\"\n"
                % q(inner))
    os.chmod(path, 0o755)
    return path


def peer_remote_exec(caller, pid, workdir):
    result = os.path.join(workdir, "peer314-%d.txt" % pid)
    script = os.path.join(workdir, "peer314-%d.py" % pid)
    for f in (result, result + ".tmp"):
        if os.path.exists(f):
            os.unlink(f)
    with open(script, "w") as f:
        f.write(PEER_CODE.replace("'%s'" % "%s", repr(result + ".tmp")).replace("%%", "%")
                + "\nimport os; os.rename(%r, %r)\n" % (result + ".tmp", result))
    t0 = time.perf_counter()
    c = run_child([caller, "-c", "import sys; sys.remote_exec(%d, %r)" % (pid, script)], 60)
    r = {"call_rc": c.rc}
    if c.rc != 0:
        r["error"] = "remote_exec failed: %s" % c.err.strip()[-300:]
        return r
    deadline = t0 + PEER314_WAIT_S
    while not os.path.exists(result) and time.perf_counter() < deadline:
        time.sleep(0.002)
    if not os.path.exists(result):
        r["no_answer_s"] = PEER314_WAIT_S
        return r
    r["wall_ms"] = (time.perf_counter() - t0) * 1e3
    with open(result) as f:
        secs, count = f.read().split()
    r["inner_ms"] = float(secs) * 1e3
    r["count"] = int(count)
    return r


def phase_peer314(args):
    res = load_results(args.out)
    wrapper = peer314_wrapper()
    rec = {}
    if not wrapper:
        res["peer314"] = {"error": "sid's python3.14 is not prepared (scripts/interpreters.sh)"}
        save_results(args.out, res)
        return
    caller = peer314_caller(args.out)
    for mode in ("busy", "idle"):
        t = Target(PEER314_IID, wrapper, GOAL_SIZE, args.out, ["--busy"] if mode == "busy" else [])
        m = {"rounds": []}
        try:
            info = t.wait_ready()
            m["tracked"] = info["tracked"]
            m["python"] = info["python"]
            m["settle_s"] = args.settle
            for k in range(args.reps):
                settle(args)   # cold memory, as in the first try
                hs = heapscope_census(args.heapscope, t.pid)
                if mode == "busy" or k == 0:
                    settle(args)
                pe = peer_remote_exec(caller, t.pid, args.out) if (mode == "busy" or k == 0) else None
                m["rounds"].append({"heapscope": hs, "peer": pe})
                log("3.14 %s: heapscope %s ms (pause %s), remote_exec %s" % (
                    mode, fmt(hs.get("wall_ms")), fmt(hs.get("pause_ms"), "%.1f"),
                    "no answer in %.0f s" % pe["no_answer_s"] if pe and pe.get("no_answer_s")
                    else fmt(pe.get("wall_ms")) + " ms" if pe else "-"))
        except Exception as e:
            m["error"] = "%s: %s" % (type(e).__name__, e)
            log("3.14 %s: ERROR %s" % (mode, m["error"]))
        finally:
            t.stop()
        rec[mode] = m
    res["peer314"] = rec
    save_results(args.out, res)


def report_peer314(res, p):
    pr = res.get("peer314")
    if not pr:
        return
    p("## The 3.14 peer: sys.remote_exec census vs heapscope, sid's python3.14, ~1M objects\n")
    if pr.get("error"):
        p("N/A   %s\n" % pr["error"])
        return
    rows = []
    for mode in ("busy", "idle"):
        m = pr.get(mode) or {}
        if m.get("error"):
            rows.append([mode, "error: " + m["error"], "", "", "", ""])
            continue
        hs = [r["heapscope"] for r in m["rounds"] if not r["heapscope"].get("error")]
        pe = [r["peer"] for r in m["rounds"] if r.get("peer")]
        ans = [x for x in pe if x.get("wall_ms")]
        rows.append([mode, fmt(median([h["wall_ms"] for h in hs])), fmt(median([h["pause_ms"] for h in hs]), "%.1f"),
                     fmt(median([x["wall_ms"] for x in ans])) if ans else
                     ("no answer in %.0f s" % pe[0]["no_answer_s"] if pe and pe[0].get("no_answer_s")
                      else (pe[0].get("error", "n/a") if pe else "n/a")),
                     fmt(median([x["inner_ms"] for x in ans])) if ans else "-",
                     "%d / %d" % (len(ans), len(pe))])
    p(table(rows, ["target", "heapscope wall ms", "heapscope pause ms", "remote_exec wall ms",
                   "held the target ms", "answers"]))
    p("")
    busy = pr.get("busy") or {}
    hs = [r["heapscope"] for r in busy.get("rounds", []) if not r["heapscope"].get("error")]
    ans = [r["peer"] for r in busy.get("rounds", []) if r.get("peer") and r["peer"].get("wall_ms")]
    if hs and ans:
        hw, hp = median([h["wall_ms"] for h in hs]), median([h["pause_ms"] for h in hs])
        pw, pi = median([x["wall_ms"] for x in ans]), median([x["inner_ms"] for x in ans])
        p("%s  busy: heapscope wall <= remote_exec wall / 2: %.0f ms vs %.0f ms (%.1f x)"
          % ("PASS" if hw <= pw / 2 else "FAIL", hw, pw, pw / hw))
        p("%s  busy: heapscope pause <= 1/3 of the time remote_exec holds the target: %.1f ms vs %.0f ms"
          % ("PASS" if hp <= pi / 3 else "FAIL", hp, pi))
    idle = pr.get("idle") or {}
    ihs = [r["heapscope"] for r in idle.get("rounds", []) if not r["heapscope"].get("error")]
    ipe = [r["peer"] for r in idle.get("rounds", []) if r.get("peer")]
    if ihs and ipe:
        p("%s  idle: heapscope answers where remote_exec gives none: heapscope %d/%d, remote_exec %s"
          % ("PASS" if ihs and not ipe[0].get("wall_ms") else "INFO", len(ihs), len(idle["rounds"]),
             "no answer in %.0f s" % ipe[0]["no_answer_s"] if ipe[0].get("no_answer_s")
             else "%s ms" % fmt(ipe[0].get("wall_ms"))))
    p("")


# Incremental re-snapshots: `watch` on a target that rewrites a small share
# of its heap between snapshots.  The pause of every snapshot after the
# first is the figure; the share of bytes read = 1 - reused / copied.


def phase_incr(args):
    res = load_results(args.out)
    python = dict(INTERPRETERS)[GOAL_INTERP]
    t = Target(GOAL_INTERP, python, GOAL_SIZE, args.out, ["--dirty", str(args.dirty)])
    rec = {"dirty_units": args.dirty}
    try:
        info = t.wait_ready()
        rec["tracked"] = info["tracked"]
        c = run_child([args.heapscope, "watch", str(t.pid), "--interval", "1", "--count", "4", "--json"],
                      TIMEOUT_HEAPSCOPE)
        if c.rc != 0:
            rec["error"] = "exit %s: %s" % (c.rc, c.err.strip()[:300])
        else:
            j = json.loads(c.out)
            rec["incremental"] = j.get("incremental")
            rec["note"] = j.get("incremental_note")
            rec["snapshots"] = j.get("snapshots")
        if args.incrbench and not rec.get("incremental"):
            # no soft-dirty here: the same path with a stand-in for the
            # kernel's bits (bench/incrbench.c), 1 % of pages "written"
            c = run_child([args.incrbench, str(t.pid), "1", "7"], TIMEOUT_HEAPSCOPE)
            rec["simulated"] = json.loads(c.out) if c.rc == 0 else {"error": c.err.strip()[:300]}
    except Exception as e:
        rec["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        t.stop()
    res["incr"] = rec
    save_results(args.out, res)


def report_fresh(res, p):
    fr = res.get("fresh")
    if not fr:
        return
    ok = lambda r, k: r.get(k) and not r[k].get("error")
    rounds = [r for r in fr["rounds"] if not r.get("error")]
    hs = [r["heapscope"] for r in rounds if ok(r, "heapscope")]
    pe = [r["peer"] for r in rounds if ok(r, "peer")]
    fl = [r["floor"] for r in rounds if ok(r, "floor")]
    al = [r["all"] for r in rounds if ok(r, "all")]
    first = [r["heapscope"] for r in rounds if r["nth"] == 0 and ok(r, "heapscope")]
    wm = [r["warm"] for r in rounds if ok(r, "warm")]
    st = fr["rounds"][0].get("settle_s") if fr["rounds"] else None
    p("## First try: %d fresh invocations (%d new targets x %d), ~1M objects, Debian 3.11\n"
      % (len(fr["rounds"]), fr["targets"], fr["per_target"]))
    p("Every run a new heapscope process, no warm-up; each paired in the same round with "
      "one gdb peer run and one copy-floor run on the same target.  Load average %s -> %s.\n"
      % tuple(fmt(x, "%.2f") for x in fr["load"]))
    if st:
        p("Each timed run starts %s s after the one before, as a user's first try does: on this "
          "VM, memory freed more than ~1.5 s earlier has been handed back to the host (free page "
          "reporting), and touching it again costs ~1.3-2.2 ms per MiB (the \"faulting in\" row).  "
          "\"Run again at once\" is the same census repeated immediately, reusing the memory the "
          "first one just freed: what back-to-back runs (and a host without page reporting) see.\n"
          % fmt(st, "%g"))
    else:
        p("Runs back to back (--settle 0): each reuses memory the run before it just freed.\n")
    row = lambda name, xs, spec="%.0f": [name, fmt(min(xs) if xs else None, spec), fmt(median(xs), spec),
                                        fmt(pct(xs, 90), spec), fmt(max(xs) if xs else None, spec)]
    mib = lambda h: h["copied"] / 1048576.0 if h.get("copied") else None
    rows = [row("heapscope wall", [h["wall_ms"] for h in hs]),
            row("  first run on a fresh target", [h["wall_ms"] for h in first]),
            row("  snapshot (before + during the pause)", [h.get("snapshot_ms") for h in hs]),
            row("    before the freeze", [h.get("prepare_ms") for h in hs]),
            row("      of which faulting in the copy buffers", [h.get("prefault_ms") for h in hs]),
            row("        per MiB copied", [h["prefault_ms"] / mib(h) for h in hs
                                          if h.get("prefault_ms") is not None and mib(h)], "%.2f"),
            row("  pause", [h["pause_ms"] for h in hs], "%.1f"),
            row("  parse", [h.get("parse_ms") for h in hs]),
            row("heapscope run again at once, wall", [h["wall_ms"] for h in wm]),
            row("  of which faulting in the copy buffers", [h.get("prefault_ms") for h in wm]),
            row("plain `heapscope types` (every object), wall", [x["wall_ms"] for x in al]),
            row("  of which finding the untracked objects", [x.get("graph_ms") for x in al]),
            row("gdb peer wall (= its pause)", [x["wall_ms"] for x in pe]),
            row("copy floor", [x["copy_ms"] for x in fl], "%.1f")]
    p(table(rows, ["ms", "min", "median", "p90", "max"]))
    p("")
    hw = [h["wall_ms"] for h in hs]
    pm = median([x["wall_ms"] for x in pe])
    fm = median([x["copy_ms"] for x in fl])
    pz = median([h["pause_ms"] for h in hs])
    lines = []

    def check(name, ok_, detail):
        lines.append("%s  %s: %s" % ("N/A " if ok_ is None else "PASS" if ok_ else "FAIL", name, detail))
    hm, h90 = median(hw), pct(hw, 90)
    check("median <= peer / 5", hm <= pm / 5 if hm and pm else None,
          "heapscope median %s ms, peer median %s ms: peer/heapscope = %s x (goal 5 x)"
          % (fmt(hm), fmt(pm), fmt(ratio(pm, hm), "%.1f")))
    check("p90 <= peer / 3", h90 <= pm / 3 if h90 and pm else None,
          "heapscope p90 %s ms, peer median %s ms: %s x (goal 3 x)" % (fmt(h90), fmt(pm), fmt(ratio(pm, h90), "%.1f")))
    check("pause <= 1.5 x copy floor", pz <= 1.5 * fm if pz and fm else None,
          "pause median %s ms, floor median %s ms: %s x (goal 1.5 x)" % (fmt(pz, "%.1f"), fmt(fm, "%.1f"),
                                                                      fmt(ratio(pz, fm), "%.2f")))
    wmm = median([h["wall_ms"] for h in wm])
    if wmm and pm:
        lines.append("info  run again at once (warm memory): median %s ms, peer/heapscope = %s x"
                     % (fmt(wmm), fmt(ratio(pm, wmm), "%.1f")))
    am = median([x["wall_ms"] for x in al])
    if am and pm:
        objs = median([x.get("objects_all") for x in al if x.get("objects_all")])
        lines.append("info  plain `heapscope types` counts every object (%s, the untracked ones "
                     "found from the GC objects and the roots; the peer counts the GC objects only): "
                     "median %s ms, peer/heapscope = %s x" % (fmt(objs), fmt(am), fmt(ratio(pm, am), "%.1f")))
    for l in lines:
        p(l)
    errs = [r.get("error") or r.get("heapscope", {}).get("error") or r.get("peer", {}).get("error")
            or r.get("all", {}).get("error") for r in fr["rounds"]]
    errs = [e for e in errs if e]
    if errs:
        p("errors: " + "; ".join(errs[:5]))
    p("")


def report_incr(res, p):
    ir = res.get("incr")
    if not ir:
        return
    p("## Re-snapshots: watch on a ~1M-object target writing %s of its units every 0.2 s\n"
      % ir["dirty_units"])
    if ir.get("error"):
        p("FAIL  incremental pause <= 10 ms: %s\n" % ir["error"])
        return
    snaps = ir.get("snapshots") or []
    for i, sn in enumerate(snaps):
        c, r = sn.get("copied_bytes"), sn.get("reused_bytes")
        p("snapshot %d: pause %.1f ms, copied %.0f MB, reused %.0f MB, read in the pause %s"
          % (i, sn["pause_ms"], (c or 0) / 1e6, (r or 0) / 1e6,
             "%.1f %%" % (100.0 * (c - r) / c) if c else "n/a"))
    later = [sn["pause_ms"] for sn in snaps[1:]]
    if not ir.get("incremental"):
        p("\nN/A   incremental pause <= 10 ms: re-snapshots are full copies here: %s" % ir.get("note"))
        sim = ir.get("simulated")
        if sim and not sim.get("error"):
            p("\nSimulated (bench/incrbench.c: the same code, a random %.0f %% of pages counted as written "
              "in place of the kernel's soft-dirty bits; clear_refs walks the page tables but marks "
              "nothing on this kernel): full pause %.1f ms, incremental pauses %s ms, median %.1f ms; "
              "%.0f of %.0f MB taken from the previous copy."
              % (sim["dirty_percent"], sim["full_pause_ms"], ", ".join("%.1f" % x for x in sim["pause_ms"]),
                 sim["median_pause_ms"], sim["reused_bytes"] / 1e6, sim["copied_bytes"] / 1e6))
            p("%s  simulated incremental pause <= 10 ms: median %.1f ms\n"
              % ("PASS" if sim["median_pause_ms"] <= 10 else "FAIL", sim["median_pause_ms"]))
        elif sim:
            p("simulated: %s\n" % sim["error"])
        else:
            p("")
        return
    pz = median(later)
    p("\n%s  incremental pause <= 10 ms: median of snapshots 1-%d %s ms\n"
      % ("PASS" if pz is not None and pz <= 10 else "FAIL", len(later), fmt(pz, "%.1f")))


# ---------------------------------------------------------------------------
# Snapshots of a churning heap: how often a copy catches the interpreter in
# the middle of a collection or an update, and what heapscope's automatic
# retry (cli_open: thaw, let it run, copy again) costs the target.

CHURN_TARGETS = [
    # label, script and arguments (tests/targets/)
    ("churn", ["churn_target.py", "--lifetime", "600"]),
    ("churn, 20 ms in every collection", ["slow_gc_churn.py", "20", "--lifetime", "600"]),
]
CHURN_PYTHON = "/usr/bin/python3.11"


def phase_churn(args):
    res = load_results(args.out)
    out = []
    for label, argv in CHURN_TARGETS:
        script = os.path.join(REPO, "tests", "targets", argv[0])
        p = subprocess.Popen([CHURN_PYTHON, script] + argv[1:], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        rec = {"label": label, "python": CHURN_PYTHON, "runs": []}
        try:
            line = p.stdout.readline()
            if not line.startswith(b"READY"):
                rec["error"] = "target did not start: %r" % line
                out.append(rec)
                continue
            log("churn (%s): %d snapshots" % (label, args.churn_runs))
            for _ in range(args.churn_runs):
                c = run_child([args.heapscope, "types", "--tracked-only", str(p.pid), "--json", "--top", "1"],
                              TIMEOUT_HEAPSCOPE)
                r = {"rc": c.rc, "wall_ms": c.wall_ms}
                if c.rc == 0:
                    j = json.loads(c.out)
                    r.update(attempts=j.get("attempts", 1), pause_ms=j["pause_ms"],
                             retry_pause_ms=j.get("retry_pause_ms", 0.0))
                else:
                    r["error"] = c.err.strip()[:300]
                rec["runs"].append(r)
        finally:
            p.kill()
            p.wait()
        out.append(rec)
    res["churn"] = out
    save_results(args.out, res)


def report_churn(res, p):
    p("## Snapshots of a churning heap (automatic retry)\n")
    rows = []
    for rec in res.get("churn") or []:
        runs = rec.get("runs") or []
        if rec.get("error") or not runs:
            rows.append([rec["label"], "ERROR: %s" % rec.get("error", "no runs")] + [""] * 6)
            continue
        ok = [r for r in runs if r["rc"] == 0]
        retried = [r for r in ok if r["attempts"] > 1]
        extra = [r["retry_pause_ms"] for r in ok]
        rows.append([rec["label"], "%d" % len(runs), "%.1f%%" % (100.0 * len(ok) / len(runs)),
                     "%.1f%%" % (100.0 * len(retried) / len(ok) if ok else 0),
                     fmt(max([r["attempts"] for r in ok] or [None]), "%d"),
                     fmt(median([r["pause_ms"] for r in ok]), "%.1f"),
                     fmt(statistics.mean(extra) if extra else None, "%.2f"),
                     fmt(median([r["retry_pause_ms"] for r in retried]), "%.1f", "-")])
    if not rows:
        p("not run (bench/run.sh --no-churn)\n")
        return
    p(table(rows, ["target (Debian python3.11)", "snapshots", "succeeded", "retried",
                   "most copies", "pause", "extra pause / snapshot", "extra pause / retried one"]))
    p("")
    p("(`heapscope types PID --json` against tests/targets/churn_target.py, three threads "
      "mutating dicts, lists and objects while the main thread collects every 20-50 ms, and "
      "slow_gc_churn.py, the same with a gc callback that holds the collecting flag for 20 ms of "
      "each collection; pause: the pause_ms of the copy that was used; extra pause: "
      "retry_pause_ms, the target's stops for copies that were discarded, in ms)")
    p("")


def build_id(path):
    try:
        out = subprocess.run(["readelf", "-n", path], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode()
    except OSError:
        return None
    m = re.search(r"Build ID:\s*([0-9a-f]+)", out)
    return m.group(1) if m else None


def phase_dbg(args):
    res = load_results(args.out)
    iid, python = INTERPRETERS[0]
    bid = build_id(python)
    dbgfile = "/usr/lib/debug/.build-id/%s/%s.debug" % (bid[:2], bid[2:]) if bid else None
    rec = {"build_id": bid, "debug_file": dbgfile}
    if not dbgfile or not os.path.exists(dbgfile):
        rec["error"] = ("no debug symbols matching %s (build-id %s) under /usr/lib/debug: "
                        "is python3.11-dbg installed at the same Debian revision?" % (python, bid))
        log(rec["error"])
    else:
        t = Target(iid, python, GOAL_SIZE, args.out)
        try:
            info = t.wait_ready()
            rec["tracked"] = info["tracked"]
            rec["peer"] = reps_of(lambda: peer_gdb(t.pid, args.out, info["tracked"], True), args.reps)
            for r in rec["peer"]:
                if not r.get("error") and not r.get("dwarf"):
                    r["error"] = "gdb did not load %s" % dbgfile
            m = median([r.get("wall_ms") for r in rec["peer"] if not r.get("error")])
            log("peer with python3.11-dbg: %s ms" % ("%.0f" % m if m else "failed"))
        except Exception as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
        finally:
            t.stop()
    res["dbg"] = rec
    save_results(args.out, res)


def perf_children(data, phases):
    rep = subprocess.run(["perf", "report", "-i", data, "--children", "--stdio",
                          "--sort", "symbol", "-g", "none"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
    keep = []
    for l in rep.splitlines():
        l = re.sub(r"\s+-\s+-\s*$", "", l)
        f = l.split()
        if (len(f) >= 4 and not l.startswith("#") and f[-1] in phases
                and not any(k.split()[-1] == f[-1] for k in keep)):
            keep.append(l.rstrip())
    return keep


def phase_profile(args):
    res = load_results(args.out)
    iid, python = INTERPRETERS[0]
    prof = {}
    t = Target(iid, python, GOAL_SIZE, args.out)
    try:
        t.wait_ready()
        hs = args.heapscope
        run_child([hs, "types", "--tracked-only", str(t.pid), "--json"], TIMEOUT_HEAPSCOPE)  # warm-up
        if shutil.which("perf"):
            data = os.path.join(args.out, "perf.data")
            loop = "for i in 1 2 3 4 5; do %s types %d --json >/dev/null; done" % (hs, t.pid)
            c = run_child(["perf", "record", "-e", "cpu-clock", "-F", "4999", "-o", data,
                           "--", "sh", "-c", loop], 600)
            if c.rc == 0:
                rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio",
                                      "--sort", "dso,symbol", "--percent-limit", "0.4"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
                prof["perf_top"] = [l for l in rep.splitlines() if l.strip() and not l.startswith("#")][:30]
                # and with call chains, to tell where the kernel time comes from
                data2 = os.path.join(args.out, "perf-g.data")
                c2 = run_child(["perf", "record", "-e", "cpu-clock", "-F", "2999", "--call-graph",
                                "dwarf,16384", "-o", data2, "--", hs, "types", "--tracked-only", str(t.pid), "--json"], 600)
                if c2.rc == 0:
                    prof["perf_children"] = perf_children(data2, PROFILE_PHASES)
                # the graph build behind `referrers` / `path`
                data3 = os.path.join(args.out, "perf-graph.data")
                c3 = run_child(["perf", "record", "-e", "cpu-clock", "-F", "1999", "--call-graph",
                                "dwarf,16384", "-o", data3, "--", hs, "referrers", str(t.pid),
                                "0x%x" % t.info["shared"], "--json"], 600)
                if c3.rc == 0 and "unknown command" not in c3.err:
                    rep3 = subprocess.run(["perf", "report", "-i", data3, "--no-children", "--stdio",
                                           "--sort", "symbol", "-g", "none", "--percent-limit", "1.5"],
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
                    prof["graph_top"] = [l for l in rep3.splitlines() if l.strip() and not l.startswith("#")][:20]
                    prof["graph_children"] = perf_children(data3, GRAPH_PHASES)
            else:
                prof["perf_error"] = c.err.strip()[-400:]
        if args.parsebench:
            # the census parse and graph build repeated on one snapshot: the
            # first run is what a command pays, the minimum what the code
            # costs when the machine leaves it alone
            c = run_child([args.parsebench, str(t.pid), "15", "5"], 600)
            if c.rc == 0:
                prof["parsebench"] = json.loads(c.out)
            else:
                prof["parsebench_error"] = c.err.strip()[-400:]
        if shutil.which("valgrind"):
            cg = os.path.join(args.out, "callgrind.out")
            c = run_child(["valgrind", "--tool=callgrind", "--cache-sim=yes",
                           "--callgrind-out-file=" + cg, hs, "types", "--tracked-only", str(t.pid), "--json"], 900)
            if c.rc == 0:
                ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--auto=no",
                                      "--show=Ir,DLmr", "--sort=Ir", cg],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
                lines, on = [], False
                for l in ann.splitlines():
                    if "PROGRAM TOTALS" in l or "file:function" in l:
                        on = True
                    if on and l.strip() and not l.startswith("---"):
                        l = re.sub(r"(\S*/)?build/\.\./", "", l)
                        lines.append(re.sub(r" \[\S*/heapscope\]", "", l))
                prof["callgrind"] = lines[:16]
            else:
                prof["callgrind_error"] = c.err.strip()[-400:]
        prof["census"] = heapscope_census(hs, t.pid)
    finally:
        t.stop()
    res["profile"] = prof
    save_results(args.out, res)


# ---------------------------------------------------------------------------
# Report


def fmt(v, spec="%.0f", na="n/a"):
    return spec % v if v is not None else na


def ratio(a, b):
    return a / b if a is not None and b else None


def summarize(rec):
    """Medians of one target's runs."""
    s = {"tracked": rec.get("target", {}).get("tracked"), "error": rec.get("error")}
    ok = lambda runs: [r for r in (runs or []) if r and not r.get("error") and not r.get("na")]
    errs = lambda runs: [r.get("error") for r in (runs or []) if r and r.get("error")]
    hs = ok(rec.get("heapscope"))
    s["hs_wall"] = median([r["wall_ms"] for r in hs])
    s["hs_cpu"] = median([r.get("cpu_ms") for r in hs])
    s["load"] = rec.get("load")
    s["pause"] = median([r["pause_ms"] for r in hs])
    s["copied"] = median([r["copied"] for r in hs])
    s["rss"] = median([r["rss_kib"] * 1024 for r in hs])
    s["parse"] = median([r.get("parse_ms") for r in hs])
    s["snapshot"] = median([r.get("snapshot_ms") for r in hs])
    s["objects"] = median([r["objects"] for r in hs])
    fl = ok(rec.get("floor"))
    s["floor"] = median([r["copy_ms"] for r in fl])
    s["floor_cold"] = median([r.get("cold_ms") for r in fl])
    s["floor_whole"] = median([r.get("whole_ms") for r in fl])
    s["floor_bytes"] = median([r["bytes"] for r in fl])
    s["floor_whole_bytes"] = median([r.get("whole_bytes") for r in fl])
    ip = [r for r in (rec.get("inproc") or []) if r]
    s["inproc"] = median([r["ms"] for r in ip])
    pe = ok(rec.get("peer"))
    s["peer"] = median([r["wall_ms"] for r in pe])
    s["peer_inner"] = median([r["inner_ms"] for r in pe])
    s["peer_errors"] = errs(rec.get("peer"))
    s["hs_errors"] = errs(rec.get("heapscope"))
    for kind in ("referrers", "path"):
        runs = rec.get(kind) or []
        na = [r["na"] for r in runs if r and r.get("na")]
        good = ok(runs)
        s[kind + "_na"] = na[0] if na else (None if good else (errs(runs)[0] if errs(runs) else "not run"))
        s[kind] = median([r.get("query_ms") for r in good])
        if good and s[kind] is None:
            s[kind + "_na"] = "no query time in the JSON (keys: %s)" % ", ".join(good[0].get("keys", []))
        s[kind + "_graph"] = median([r.get("graph_ms") for r in good])
        s[kind + "_wall"] = median([r.get("wall_ms") for r in good])
        s[kind + "_rss"] = median([r.get("rss_kib", 0) * 1024 or None for r in good])
        if kind == "path":
            s["path_hops"] = median([r.get("hops") for r in good])
    s["graph"] = s["referrers_graph"] if s["referrers_graph"] is not None else s["path_graph"]
    return s


def table(rows, header):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).rjust(w[i]) if i else str(c).ljust(w[i])
                                       for i, c in enumerate(r)) + " |"
    out = [line(header), "|" + "|".join("-" * (x + 2) for x in w) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def mb(b):
    return b / 1e6 if b is not None else None


def phase_report(args):
    res = load_results(args.out)
    m = res.get("machine") or machine()
    p = print
    p("## Machine\n")
    p("%d cores, %s, %.1f GiB RAM, kernel %s, Debian %s%s; THP %s"
      % (m["nproc"], m["cpu"], m["ram_gib"] or 0, m["kernel"], m["debian"],
         (", virtualization: " + m["virt"]) if m.get("virt") else "", m.get("thp", "?")))
    tr = res.get("tree")
    if tr:
        p("heapscope: %s built %s from git %s + %s uncommitted/untracked paths"
          % (tr.get("binary"), tr.get("built", "?"), tr.get("head", "?"), tr.get("dirty", "?")))
    cfg = res.get("config", {})
    p("run %s, median of %s runs after 1 warm-up\n" % (m.get("date"), cfg.get("reps", "?")))

    loads = [x for rec in res["runs"].values() for x in (rec.get("load") or []) if x is not None]
    if loads:
        p("1-minute load average sampled around each target: %.2f .. %.2f%s\n"
          % (min(loads), max(loads), "  (WARNING: other work was running; on 2 cores the "
             "figures are noisy)" if max(loads) > 1.5 else ""))
    sums = {}
    for key, rec in sorted(res["runs"].items(), key=lambda kv: (kv[0].split("/")[0], int(kv[0].split("/")[1]) if "/" in kv[0] else 0)):
        if "/" not in key:
            p("- %s: %s" % (key, rec.get("skipped")))
            continue
        sums[key] = summarize(rec)

    rows1, rows2, rows3 = [], [], []
    for key, s in sums.items():
        iid, size = key.split("/")
        label = "%s %s" % (iid, "%gk" % (int(size) / 1e3) if int(size) < 1e6 else "%gM" % (int(size) / 1e6))
        if s["error"] and s["hs_wall"] is None:
            rows1.append([label, "ERROR: " + s["error"]] + [""] * 11)
            continue
        rows1.append([label, fmt(s["tracked"], "%d"), fmt(mb(s["copied"]), "%.0f"),
                      fmt(s["hs_wall"]), fmt(s["hs_cpu"]), fmt(s["pause"], "%.1f"), fmt(s["parse"]),
                      fmt(s["floor"], "%.1f"), fmt(s["floor_whole"], "%.1f"),
                      fmt(s["floor_cold"], "%.1f"),
                      fmt(mb(s["rss"]), "%.0f"),
                      fmt(s["peer"]) if s["peer"] is not None else "FAIL",
                      fmt(s["inproc"])])
        rows2.append([label, fmt(ratio(s["peer"], s["hs_wall"]), "%.2f"),
                      fmt(ratio(s["peer"], s["pause"]), "%.1f"),
                      fmt(ratio(s["inproc"], s["hs_wall"]), "%.2f"),
                      fmt(ratio(s["pause"], s["floor"]), "%.2f"),
                      fmt(ratio(s["pause"], s["floor_whole"]), "%.2f"),
                      fmt(ratio(s["rss"], s["copied"]), "%.2f"),
                      fmt(mb(s["rss"] - s["copied"]) if s["rss"] and s["copied"] else None, "%+.0f")])
        rows3.append([label,
                      fmt(s["graph"], "%.0f", s["referrers_na"] or "n/a"),
                      fmt(s["referrers"], "%.2f", s["referrers_na"] or "n/a"),
                      fmt(s["path"], "%.2f", s["path_na"] or "n/a")
                      + (" (%d hops)" % s["path_hops"] if s.get("path_hops") else ""),
                      fmt(s["referrers_wall"], "%.0f", "n/a"),
                      fmt(mb(s["referrers_rss"]), "%.0f", "n/a")])
    p("## Census (times in ms, sizes in MB = 10^6 bytes)\n")
    p(table(rows1, ["target", "objects", "copied", "hs wall", "hs cpu", "pause", "parse",
                    "floor", "floor whole", "floor cold", "hs RSS", "peer (gdb)", "in-process"]))
    p("")
    p("(hs = `heapscope types PID --json`; wall: fork to exit; cpu: its user+sys time; pause: its "
      "pause_ms; parse: its parse_ms; floor: bench/copyfloor, the bytes the pause copies "
      "(live_pause_ranges() while stopped, untouched anonymous pages left out) with 1 MiB "
      "process_vm_readv calls into pre-faulted buffers, by as many threads as heapscope's copy "
      "(two from 32 MiB on with two CPUs, each half of the bytes); floor whole: every writable "
      "mapping in full, one thread (the floor before big blocks were left lazy); floor cold: the "
      "pause's bytes into fresh buffers, threads as heapscope's; peer: `gdb -p -batch` "
      "injection, wall = the target's pause; in-process: the target timing its own Counter)")
    p("")
    for key, s in sums.items():
        if s.get("copied") and s.get("floor_bytes") and abs(s["copied"] - s["floor_bytes"]) > 0.01 * s["floor_bytes"]:
            p("note: %s: heapscope copied %.0f MB, the floor copied %.0f MB (the pause's ranges)"
              % (key, mb(s["copied"]), mb(s["floor_bytes"])))
    p("")
    p("## Ratios\n")
    p(table(rows2, ["target", "peer/hs wall", "peer/hs pause", "in-proc/hs wall",
                    "pause/floor", "pause/floor whole", "RSS/copied", "RSS-copied MB"]))
    p("")
    p("## Graph queries after the snapshot is loaded (ms)\n")
    p(table(rows3, ["target", "index build (graph_ms)", "referrers (in-degree 1000)",
                    "path (8 hops, shortest of up to 5)", "referrers cmd wall", "cmd RSS MB"]))
    p("")
    p("(median of up to 3 runs; each run of `heapscope referrers|path` takes its own snapshot and "
      "builds the graph; the query columns are the JSON's query_ms, the build its graph_ms)")
    p("")

    report_churn(res, p)

    d = res.get("dbg")
    p("## gdb peer with python3.11-dbg installed (gdb loads the DWARF)\n")
    goal = sums.get("%s/%d" % (GOAL_INTERP, GOAL_SIZE), {})
    if not d:
        p("not run (bench/run.sh --no-dbg)")
    elif d.get("error") and not d.get("peer"):
        p("n/a: " + d["error"])
    else:
        runs = [r for r in d.get("peer", []) if not r.get("error")]
        errs = [r["error"] for r in d.get("peer", []) if r.get("error")]
        dm = median([r["wall_ms"] for r in runs])
        p(table([["3.11-debian %s, with -dbg" % ("1M" if GOAL_SIZE == 1000000 else GOAL_SIZE),
                  fmt(d.get("tracked"), "%d"), fmt(dm), fmt(median([r["inner_ms"] for r in runs])),
                  fmt(ratio(dm, goal.get("hs_wall")), "%.1f"), fmt(ratio(dm, goal.get("pause")), "%.0f")]],
                ["target", "objects", "peer wall = pause", "of which Counter", "peer/hs wall", "peer/hs pause"]))
        if errs:
            p("errors: " + "; ".join(errs))
    p("")

    # Goals
    p("## Goals (~1M GC-tracked objects, Debian's /usr/bin/python3.11)\n")
    g = goal
    lines = []

    def check(name, ok, detail):
        if ok is None:
            lines.append("N/A   %s: %s" % (name, detail))
        else:
            lines.append("%s  %s: %s" % ("PASS" if ok else "FAIL", name, detail))
    if not g or g.get("hs_wall") is None:
        lines.append("FAIL  no 1M Debian 3.11 measurement (%s)" % (g.get("error") if g else "not run"))
    else:
        f = g["floor"]
        check("pause <= 1.5 x copy floor", g["pause"] <= 1.5 * f if f else None,
              "pause %.1f ms, floor %s ms (%s x)" % (g["pause"], fmt(f, "%.1f"), fmt(ratio(g["pause"], f), "%.2f")))
        pe = g["peer"]
        check("census wall <= peer / 5", g["hs_wall"] <= pe / 5 if pe else None,
              "heapscope %.0f ms, peer %s ms, peer/5 = %s ms" % (g["hs_wall"], fmt(pe), fmt(pe / 5 if pe else None)))
        ip = g["inproc"]
        check("census wall <= in-process Counter", g["hs_wall"] <= ip if ip else None,
              "heapscope %.0f ms, in-process %s ms" % (g["hs_wall"], fmt(ip)))
        check("referrers <= 10 ms", g["referrers"] <= 10 if g["referrers"] is not None else None,
              fmt(g["referrers"], "%.2f ms", g["referrers_na"] or "n/a"))
        check("path <= 100 ms", g["path"] <= 100 if g["path"] is not None else None,
              fmt(g["path"], "%.2f ms", g["path_na"] or "n/a"))
        check("index build <= 1 s", g["graph"] <= 1000 if g["graph"] is not None else None,
              fmt(g["graph"], "%.0f ms", g["referrers_na"] or "n/a"))
        check("peak RSS <= copied + 100 MB", g["rss"] <= g["copied"] + 100e6,
              "RSS %.0f MB, copied %.0f MB (%+.0f MB)" % (mb(g["rss"]), mb(g["copied"]), mb(g["rss"] - g["copied"])))
        g3 = sums.get("%s/%d" % (GOAL_INTERP, 3 * GOAL_SIZE))
        if g3 and g3.get("hs_wall") is not None:
            r = g3["hs_wall"] / g["hs_wall"]
            check("3M costs <= 3.5 x 1M", r <= 3.5,
                  "census wall %.0f ms vs %.0f ms (%.2f x; objects %.2f x, parse %.2f x, pause %.2f x)"
                  % (g3["hs_wall"], g["hs_wall"], r, g3["objects"] / g["objects"],
                     g3["parse"] / g["parse"], g3["pause"] / g["pause"]))
        else:
            check("3M costs <= 3.5 x 1M", None, "no 3M measurement")
        for iid, _ in INTERPRETERS:
            a = sums.get("%s/%d" % (iid, GOAL_SIZE))
            b = sums.get("%s/%d" % (iid, 3 * GOAL_SIZE))
            if iid != GOAL_INTERP and a and b and a.get("hs_wall") and b.get("hs_wall"):
                lines.append("info  3M/1M on %s: census wall %.2f x, parse %.2f x, pause %.2f x"
                             % (iid, b["hs_wall"] / a["hs_wall"], b["parse"] / a["parse"],
                                b["pause"] / a["pause"]))
    for l in lines:
        p(l)
    p("")

    problems = []
    for key, s in sums.items():
        for e in s["peer_errors"]:
            problems.append("%s peer: %s" % (key, e))
        for e in s["hs_errors"]:
            problems.append("%s heapscope: %s" % (key, e))
        if s["error"]:
            problems.append("%s: %s" % (key, s["error"]))
    if problems:
        p("## Problems\n")
        for x in problems:
            p("- " + x)
        p("")

    report_fresh(res, p)
    report_faultin(res, p)
    report_scale(res, p)
    report_incr(res, p)
    report_peer314(res, p)

    prof = res.get("profile")
    if prof:
        p("## Profile: heapscope types on the 1M Debian 3.11 target\n")
        c = prof.get("census") or {}
        if c.get("wall_ms"):
            p("one run: wall %.0f ms = snapshot %.0f ms (pause %.0f ms) + parse %.0f ms + rest %.0f ms\n"
              % (c["wall_ms"], c["snapshot_ms"], c["pause_ms"], c["parse_ms"],
                 c["wall_ms"] - c["snapshot_ms"] - c["parse_ms"]))
        if prof.get("perf_top"):
            p("perf record -e cpu-clock (5 runs), self time by symbol:\n")
            p("```")
            for l in prof["perf_top"][:25]:
                p(re.sub(r"\s+-\s+-\s*$", "", l.rstrip()))
            p("```\n")
        if prof.get("perf_children"):
            p("with call chains (one run, --call-graph dwarf; inclusive %, then self %):\n")
            p("```")
            for l in prof["perf_children"]:
                p(re.sub(r"\s+-\s+-\s*$", "", l.rstrip()))
            p("```\n")
        pb = prof.get("parsebench")
        if pb:
            p("bench/parsebench on one snapshot of the same target: census parse (heap_open) x15, "
              "graph build x5; first = the first run (what a command pays: fresh memory), then "
              "min / median of all (ms):\n")
            p("```")
            p("census parse  first %.1f  min %.1f  median %.1f   (%d objects, %d types)"
              % (pb["census_ms_first"], pb["census_ms_min"], pb["census_ms_med"], pb["objects"], pb["types"]))
            if "graph_ms_min" in pb:
                p("graph build   first %.1f  min %.1f  median %.1f   (%d objects, %d reverse entries)"
                  % (pb["graph_ms_first"], pb["graph_ms_min"], pb["graph_ms_med"], pb["graph_objects"],
                     pb["ref_entries"]))
            p("checksums: census %s, order %s, graph %s" % (pb.get("census_sum"), pb.get("order_sum"),
                                                          pb.get("graph_sum")))
            p("```\n")
        elif prof.get("parsebench_error"):
            p("parsebench: %s\n" % prof["parsebench_error"])
        if prof.get("callgrind"):
            p("callgrind --cache-sim=yes, one run (user space only; Ir = instructions, "
              "DLmr = simulated last-level data read misses):\n")
            p("```")
            for l in prof["callgrind"]:
                p(l)
            p("```\n")
        if prof.get("graph_top"):
            p("`heapscope referrers` (snapshot + census + graph build + query), one run, self time:\n")
            p("```")
            for l in prof["graph_top"]:
                p(re.sub(r"\s+-\s+-\s*$", "", l.rstrip()))
            p("```\n")
            p("and inclusive (--call-graph dwarf):\n")
            p("```")
            for l in prof.get("graph_children", []):
                p(l)
            p("```\n")
        for k in ("perf_error", "callgrind_error"):
            if prof.get(k):
                p("%s: %s" % (k, prof[k]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["measure", "fresh", "faultin", "scale", "incr", "peer314", "churn", "dbg",
                                      "profile", "report"])
    ap.add_argument("--scale-sizes", default=",".join(str(x) for x in SCALE_SIZES))
    ap.add_argument("--scale-reps", type=int, default=3)
    ap.add_argument("--fresh-targets", type=int, default=4)
    ap.add_argument("--fresh-per-target", type=int, default=3)
    ap.add_argument("--dirty", type=float, default=0.0025)
    ap.add_argument("--settle", type=float, default=SETTLE)
    ap.add_argument("--faultin")
    ap.add_argument("--faultin-reps", type=int, default=3)
    ap.add_argument("--churn-runs", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--heapscope", default=os.path.join(REPO, "build", "cli", "heapscope"))
    ap.add_argument("--copyfloor")
    ap.add_argument("--parsebench")
    ap.add_argument("--incrbench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--sizes", default="100000,1000000,3000000")
    args = ap.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",") if x]
    args.scale_sizes = [int(x) for x in args.scale_sizes.split(",") if x]
    os.makedirs(args.out, exist_ok=True)
    {"measure": phase_measure, "fresh": phase_fresh, "faultin": phase_faultin, "scale": phase_scale, "peer314": phase_peer314, "incr": phase_incr, "churn": phase_churn, "dbg": phase_dbg, "profile": phase_profile,
     "report": phase_report}[args.phase](args)


if __name__ == "__main__":
    main()
