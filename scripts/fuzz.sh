#!/usr/bin/env bash
# Fuzz the parser of memory images (tests/fuzz/fuzz_heap.c: census, value
# decoding, threads, graph, dominators, suspects over a synthetic heap made
# from the fuzzer's bytes) with libFuzzer, ASan and UBSan for SECONDS
# (default 60), starting from the committed corpus (tests/fuzz/corpus and
# tests/fuzz/crashes; neither is modified); then the snapshot file reader
# (tests/fuzz/fuzz_snapfile.c, corpus tests/fuzz/snap_corpus and
# snap_crashes) and the core reader (fuzz_corefile.c, core_corpus and
# core_crashes) for a third of that each (at least 10 s).
#
#   bash scripts/fuzz.sh [SECONDS] [BUILD]          BUILD: default build-fuzz
#
# Needs clang and libclang-rt-14-dev (scripts/setup-debian.sh).  Exit 0 when
# nothing was found.  Otherwise the input that crashed, leaked or hung is
# in BUILD/fuzz-artifacts/: copy it into tests/fuzz/crashes/ (snap_crashes/
# for fuzz_snapfile; from then on the unit tests fuzz_corpus and
# fuzz_snapfile_corpus replay it in every build) and fix the bug.
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
ninja -C "$build" tests/fuzz/fuzz_heap tests/fuzz/fuzz_snapfile tests/fuzz/fuzz_corefile >/dev/null
mkdir -p "$build/fuzz-artifacts"

# fuzz NAME SECONDS MAX_LEN CORPUS CRASHES
fuzz() {
	local name=$1 t=$2 maxlen=$3 corpus=$4 crashes=$5
	local work rc runs log=$build/fuzz-$name.log
	work=$(mktemp -d)
	cp "$corpus"/* "$work/"
	set +e
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/tests/fuzz/$name" -max_total_time="$t" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/" \
		"$work" "$crashes" >"$log" 2>&1
	rc=$?
	set -e
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		tail -n 60 "$log" >&2
		echo "fuzz: $name FAILED after ${runs:-?} runs (exit $rc); the input is in $build/fuzz-artifacts/:" >&2
		ls -t "$build/fuzz-artifacts" | head -3 >&2
		echo "fuzz: copy it into $crashes/ and fix the bug (see the top of scripts/fuzz.sh)" >&2
		rm -rf "$work"
		return 1
	fi
	echo "fuzz: $name: ${runs:-?} inputs in ${t} s, $(ls "$work" | wc -l) in the corpus, nothing found"
	rm -rf "$work"
}

# The memory images for SECONDS; the snapshot file and core readers for a
# third of that each, at least 10 s.
snap_secs=$((secs / 3 > 10 ? secs / 3 : 10))
rc=0
fuzz fuzz_heap "$secs" 4096 tests/fuzz/corpus tests/fuzz/crashes || rc=1
fuzz fuzz_snapfile "$snap_secs" 65536 tests/fuzz/snap_corpus tests/fuzz/snap_crashes || rc=1
fuzz fuzz_corefile "$snap_secs" 65536 tests/fuzz/core_corpus tests/fuzz/core_crashes || rc=1
exit $rc
