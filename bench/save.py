"""bench/save.py - `heapscope save`: time after the pause, file size,
compression ratio, per heap size and per zstd level x worker threads; and
the time to open the file again (`types FILE`).

    python3 bench/save.py [--sizes 100000,1000000] [--reps 3]
                          [--grid 1:0,1:2,3:2,...] [--python PATH] [--out FILE]

For each size, bench/target.py builds about N GC-tracked objects in
--python (default Debian's /usr/bin/python3.11); for each LEVEL:THREADS of
the grid, `heapscope save PID -o F --json --zstd-level L --zstd-threads T`
runs --reps times (median): write_ms (read-only data + lazy payloads +
compression + write, all after the target resumed), the pause, the bytes
copied, the file's size and the memory it holds (MEMORY section: the
copy plus read-only data and payloads), their ratio, and the file's size
against the bytes copied (the goal: <= 1/3 at ~1M objects, written in
<= 1 s).  Then `heapscope types F --json` on the default's file: the time
to open and census it.  Prints a Markdown report (and writes it to --out).
HEAPSCOPE=path measures that binary (default build/cli/heapscope).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
HEAPSCOPE = os.environ.get("HEAPSCOPE", os.path.join(REPO, "build", "cli", "heapscope"))
DEFAULT = (1, 2)      # SNAPFILE_LEVEL_DEFAULT, SNAPFILE_THREADS_DEFAULT


def start_target(python, size, tmp):
    info = os.path.join(tmp, "info-%d.json" % size)
    p = subprocess.Popen([python, os.path.join(BENCH, "target.py"), str(size), info],
                         stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    line = p.stdout.readline()
    if b"READY" not in line:
        p.kill()
        raise SystemExit("target %d did not start: %r" % (size, line))
    return p


def save(pid, path, level, threads):
    t0 = time.time()
    r = subprocess.run([HEAPSCOPE, "save", str(pid), "-o", path, "--json", "--zstd-level",
                        str(level), "--zstd-threads", str(threads)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    wall = (time.time() - t0) * 1e3
    if r.returncode != 0:
        raise SystemExit("save failed: %s" % r.stderr)
    j = json.loads(r.stdout)
    j["wall_ms"] = wall
    return j


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--grid", default="1:0,1:1,1:2,3:0,3:2,6:2,9:2")
    ap.add_argument("--python", default="/usr/bin/python3.11")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    grid = [tuple(int(x) for x in g.split(":")) for g in a.grid.split(",")]
    if DEFAULT not in grid:
        grid.insert(0, DEFAULT)
    tmp = tempfile.mkdtemp(prefix="heapscope-savebench-")
    lines = []

    def p(s=""):
        print(s)
        sys.stdout.flush()
        lines.append(s)

    p("## `heapscope save` (bench/save.py, %s, %d cores, median of %d)"
      % (os.path.basename(a.python), os.cpu_count(), a.reps))
    p()
    p("MB = 10^6 bytes.  write: after the pause (read-only data, lazy payloads, compression, "
      "the write).  memory: bytes in the file's MEMORY section (copy + read-only ELF data + "
      "payloads).  ratio: memory / file.  file/copied: the goal is <= 0.33 at ~1M objects, "
      "write <= 1000 ms.")
    p()
    p("| objects | zstd level:threads | pause ms | write ms | copied MB | memory MB | file MB "
      "| ratio | file/copied | open+census ms |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    try:
        for size in [int(s) for s in a.sizes.split(",")]:
            t = start_target(a.python, size, tmp)
            try:
                for level, threads in grid:
                    f = os.path.join(tmp, "s-%d-%d-%d.hsnap" % (size, level, threads))
                    runs = [save(t.pid, f, level, threads) for _ in range(a.reps)]
                    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
                    opened = ""
                    if (level, threads) == DEFAULT:
                        ts = []
                        for _ in range(a.reps):
                            t0 = time.time()
                            r = subprocess.run([HEAPSCOPE, "types", "--tracked-only", f, "--json"],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                            ts.append((time.time() - t0) * 1e3)
                            if r.returncode:
                                raise SystemExit("types FILE failed: %s" % r.stderr)
                        opened = "%.0f" % statistics.median(ts)
                    p("| %d | %d:%d%s | %.1f | %.0f | %.1f | %.1f | %.1f | %.2f | %.2f | %s |" % (
                        runs[0]["objects"], level, threads,
                        " (default)" if (level, threads) == DEFAULT else "",
                        med("pause_ms"), med("write_ms"), med("copied_bytes") / 1e6,
                        med("memory_bytes") / 1e6, med("file_bytes") / 1e6,
                        med("compression_ratio"), med("file_bytes") / med("copied_bytes"),
                        opened))
                    os.unlink(f)
            finally:
                t.terminate()
                t.wait()
    finally:
        for x in os.listdir(tmp):
            os.unlink(os.path.join(tmp, x))
        os.rmdir(tmp)
    if a.out:
        with open(a.out, "w") as fo:
            fo.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
