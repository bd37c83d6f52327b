#!/usr/bin/env bash
# Fuzz the parser of memory images (tests/fuzz/fuzz_heap.c: census, value
# decoding, threads, graph, dominators, suspects over a synthetic heap made
# from the fuzzer's bytes) with libFuzzer, ASan and UBSan for SECONDS
# (default 60), starting from the committed corpus (tests/fuzz/corpus and
# tests/fuzz/crashes; neither is modified).
#
#   bash scripts/fuzz.sh [SECONDS] [BUILD]          BUILD: default build-fuzz
#
# Needs clang and libclang-rt-14-dev (scripts/setup-debian.sh).  Exit 0 when
# nothing was found.  Otherwise the input that crashed, leaked or hung is
# in BUILD/fuzz-artifacts/: copy it into tests/fuzz/crashes/ (from then on
# the unit test fuzz_corpus replays it in every build) and fix the bug.
# To grow the committed corpus after a long run:
#   mkdir M && BUILD/tests/fuzz/fuzz_heap -set_cover_merge=1 -use_counters=0 M \
#       tests/fuzz/corpus NEW_CORPUS_DIR   # then copy M/* into tests/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
build=${2:-build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null
fi
ninja -C "$build" tests/fuzz/fuzz_heap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-artifacts"
cp tests/fuzz/corpus/* "$work/"
log=$build/fuzz.log
set +e
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$build/tests/fuzz/fuzz_heap" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=4096 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/" \
	"$work" tests/fuzz/crashes >"$log" 2>&1
rc=$?
set -e
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
if [ "$rc" -ne 0 ]; then
	tail -n 60 "$log" >&2
	echo "fuzz: FAILED after ${runs:-?} runs (exit $rc); the input is in $build/fuzz-artifacts/:" >&2
	ls -t "$build/fuzz-artifacts" | head -3 >&2
	echo "fuzz: copy it into tests/fuzz/crashes/ and fix the bug (see the top of scripts/fuzz.sh)" >&2
	exit 1
fi
echo "fuzz: ${runs:-?} inputs in ${secs} s, $(ls "$work" | wc -l) in the corpus, nothing found"
