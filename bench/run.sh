#!/usr/bin/env bash
# heapscope vs. the gdb-injection way: one command, one table.
#
#   bash bench/run.sh [--quick] [--no-dbg] [--no-profile] [--no-build]
#                     [--reps N] [--sizes 100000,1000000,3000000] [--out DIR]
#                     [--build-dir DIR] [--fresh-targets N] [--fresh-per-target N]
#                     [--scale-sizes LIST] [--scale-reps N] [--settle S]
#
# Measures DIR/cli/heapscope (default build/, built by scripts/build.sh; if
# that build fails the existing binary is used, with a warning); the bench's
# own helpers (copyfloor, parsebench) link DIR's libraries.  HEAPSCOPE=path
# measures another binary (the helpers still come from DIR).
#
# For targets of ~100k, ~1M and ~3M GC-tracked objects (bench/target.py) on
# Debian's /usr/bin/python3.11 and pyenv 3.12.1 / 3.13.0 it measures
#   - heapscope's census (`heapscope types --tracked-only PID --json`): wall time, the
#     target's pause, bytes copied, heapscope's peak RSS;
#   - the copy floor (bench/copyfloor.c): the bytes heapscope's pause copies
#     (live_pause_ranges() while the target is stopped, untouched anonymous
#     pages left out) read with plain 1 MiB process_vm_readv calls; also
#     the whole writable mappings, as the floor was measured before;
#   - the peer: gdb -p PID -batch injecting PyGILState_Ensure +
#     PyRun_SimpleString(Counter(type(o).__qualname__ for o in gc.get_objects()));
#   - the target's own in-process Counter over gc.get_objects();
#   - `heapscope referrers` / `heapscope path` and the graph build time
#     (printed as n/a while those commands do not exist);
#   - snapshots of a churning heap (tests/targets/churn_target.py and
#     slow_gc_churn.py, 100 each; --churn-runs N, --no-churn): how many
#     succeed, how many needed the automatic retry, the extra pause it cost;
#   - first try (--fresh-targets N x --fresh-per-target N, default 4 x 3,
#     --quick 2 x 3): every run a new heapscope process with no warm-up,
#     on a target started anew every few runs, each paired in the same
#     round with a gdb peer run and a copy-floor run: min / median / p90 /
#     max beside the goals (median <= peer/5, p90 <= peer/3, pause <= 1.5 x
#     the floor); these are the figures README and RESULTS.md quote.
#     Every timed run of the first try and of scale starts --settle S
#     seconds (default 3) after the one before: on a VM with free page
#     reporting (this machine), memory freed more than ~1.5 s earlier is
#     back with the host and costs ~1.3-2.2 ms per MiB to touch again, as
#     a user's first try finds it; back to back, runs reuse each other's
#     freshly freed memory and look faster than any user will see them;
#   - fresh memory (bench/faultin.c): 180 MiB faulted in cold and warm,
#     huge pages and 4 KiB pages: what the first try's fault-in costs
#     here, so that a reader can tell this machine's memory from theirs;
#   - re-snapshots: `watch` on a target that rewrites a small share of its
#     heap every 0.2 s (bench/target.py --dirty): the pause of snapshots
#     after the first (goal <= 10 ms; soft-dirty pages, see README), or why
#     they are full copies on this kernel, and then bench/incrbench.c's
#     simulation (the same path, a random 1 % of pages counted as written);
#   - scale (--scale-sizes, default 100k,1M,3M,10M; --scale-reps 3): the
#     census alone, fresh invocations, and the copy floor: cost per object,
#     RSS over the copy, the 10M goals (the 10M target needs ~4 GB free);
#   - the 3.14 peer: sys.remote_exec(pid, script) (PEP 768) running the same
#     Counter census inside a sid python3.14 target (chrooted as
#     tests/pythons.py runs it), on a busy target (Python code non-stop)
#     and an idle one (time.sleep), paired with heapscope's census;
# then, as separate steps: the peer once more with python3.11-dbg installed
# (gdb loads its DWARF; the package is ~37 MB, and apt upgrades python3.11
# to the package's Debian revision if it is older; skip with --no-dbg), a
# perf/callgrind profile of the 1M census and bench/parsebench.c's repeated
# census parse / graph build on one snapshot (--no-profile to skip), and the
# report: tables, ratios, PASS/FAIL goal lines.
#
# Every figure is the median of N runs (default 5) after a warm-up run.
# Runs as root on Debian 12; installs what it lacks with apt.  ~4-6 minutes
# on 2 cores (--quick: 100k and 1M only, no dbg, no profile: ~1 minute).
# Raw results: OUT/results.json (default /tmp/heapscope-bench); the report
# is printed and saved as OUT/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

reps=5
sizes=100000,1000000,3000000
dbg=1
profile=1
build=1
out=/tmp/heapscope-bench
bdir=build
churn_runs=100
fresh_targets=4
fresh_per=3
scale_sizes=100000,1000000,3000000,10000000
scale_reps=3
settle=3
while [ $# -gt 0 ]; do
	case $1 in
	--quick) sizes=100000,1000000; dbg=0; profile=0; churn_runs=30; fresh_targets=2
		scale_sizes=100000,1000000; scale_reps=2 ;;
	--scale-sizes) scale_sizes=$2; shift ;;
	--scale-reps) scale_reps=$2; shift ;;
	--fresh-targets) fresh_targets=$2; shift ;;
	--fresh-per-target) fresh_per=$2; shift ;;
	--settle) settle=$2; shift ;;
	--no-dbg) dbg=0 ;;
	--with-dbg) dbg=1 ;;
	--no-profile) profile=0 ;;
	--no-churn) churn_runs=0 ;;
	--churn-runs) churn_runs=$2; shift ;;
	--no-build) build=0 ;;
	--reps) reps=$2; shift ;;
	--sizes) sizes=$2; shift ;;
	--out) out=$2; shift ;;
	--build-dir) bdir=$2; shift ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

step() { printf '\n==== %s\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
	local missing=() p
	for p in "$@"; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "run.sh: missing packages: ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "run.sh: apt-get install ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "$(id -u)" != 0 ]; then
	echo "run.sh: needs root (ptrace of the targets, apt, perf)" >&2
	exit 1
fi

step "1. packages and build"
bash scripts/setup-debian.sh
tools=(gdb time binutils gcc libelf-dev)
[ $profile = 1 ] && tools+=(linux-perf valgrind)
apt_install "${tools[@]}"
case $bdir in /*) ;; *) bdir=$repo/$bdir ;; esac
hs=${HEAPSCOPE:-$bdir/cli/heapscope}
if [ $build = 1 ] && ! bash scripts/build.sh "$bdir"; then
	# The tree is shared and may be mid-change; an older binary still measures.
	[ -x "$hs" ] && [ -f "$bdir/attach/libhsattach.a" ] || { echo "run.sh: build failed" >&2; exit 1; }
	echo "run.sh: WARNING: build failed; measuring the existing $hs ($(date -r "$hs" '+%F %T'))" >&2
fi
mkdir -p "$out"
cc -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iattach bench/copyfloor.c \
	"$bdir/attach/libhsattach.a" -lelf -o "$out/copyfloor"
cc -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra bench/faultin.c -o "$out/faultin"
cc -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iattach bench/incrbench.c \
	"$bdir/attach/libhsattach.a" -lelf -o "$out/incrbench"
cc -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iattach -Imodel bench/parsebench.c \
	"$bdir/model/libhsmodel.a" "$bdir/attach/libhsattach.a" -lelf -lm -o "$out/parsebench"
rm -f "$out/results.json"
drv=(/usr/bin/python3 "$repo/bench/bench.py" --out "$out" --reps "$reps"
     --heapscope "$hs" --copyfloor "$out/copyfloor" --parsebench "$out/parsebench"
     --incrbench "$out/incrbench" --faultin "$out/faultin")

step "2. measure: heapscope, copy floor, gdb peer, in-process Counter, graph queries (sizes $sizes, $reps runs each)"
"${drv[@]}" --sizes "$sizes" measure

step "2a. first try: $fresh_targets fresh targets x $fresh_per fresh invocations, paired with the peer and the floor"
"${drv[@]}" --settle "$settle" --fresh-targets "$fresh_targets" --fresh-per-target "$fresh_per" fresh

step "2a'. fresh memory on this machine: bench/faultin.c, cold and warm"
"${drv[@]}" --settle "$settle" faultin

step "2b. scale: the census at $scale_sizes objects ($scale_reps fresh runs each), cost per object"
"${drv[@]}" --settle "$settle" --scale-sizes "$scale_sizes" --scale-reps "$scale_reps" scale

step "2c. re-snapshots: watch on a target that keeps writing a small share of its heap"
"${drv[@]}" incr

step "2d. the 3.14 peer: sys.remote_exec census vs heapscope on busy and idle targets (sid's python3.14)"
"${drv[@]}" --settle "$settle" peer314

if [ "$churn_runs" -gt 0 ]; then
	step "2e. snapshots of a churning heap: $churn_runs each, retries and their extra pause"
	"${drv[@]}" --churn-runs "$churn_runs" churn
fi

if [ $dbg = 1 ]; then
	step "3. the gdb peer with debug symbols: installing python3.11-dbg (~37 MB download, ~60 MB on disk)"
	if ! installed python3.11-dbg; then
		echo "run.sh: note: apt installs python3.11-dbg at the archive's current revision and" \
		     "upgrades python3.11 (now $(dpkg-query -W -f='${Version}' python3.11)) to match it" >&2
		apt_install python3.11-dbg
	fi
	"${drv[@]}" dbg
else
	step "3. (skipped: the gdb peer with python3.11-dbg; drop --no-dbg to run it)"
fi

if [ $profile = 1 ]; then
	step "4. profile: perf record + callgrind of heapscope's 1M census"
	"${drv[@]}" profile
else
	step "4. (skipped: profile)"
fi

step "5. report"
"${drv[@]}" report | tee "$out/report.md"
