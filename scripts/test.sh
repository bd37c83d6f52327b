#!/usr/bin/env bash
# Set up, build, and run the whole test suite (C unit tests + integration
# tests against real Python targets).  Ends with "N passed, N failed".
# A test build: -Dtest_hooks=true (HEAPSCOPE_TEST_* hooks, see HACKING.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
# Debian's production builds of 3.13/3.14/3.15 (a sid root in a cache dir)
bash scripts/interpreters.sh
bash scripts/build.sh build -Dtest_hooks=true
# The static binary for hosts with nothing installed; tests/integration/
# test_static.py runs it from an empty root.
HEAPSCOPE_STATIC=$(bash scripts/static.sh build-static | tail -n 1)
export HEAPSCOPE_STATIC
# A second build with AddressSanitizer + UBSan: its unit tests and a few
# integration suites run too (set HEAPSCOPE_NO_ASAN=1 to skip it).
if [ -z "${HEAPSCOPE_NO_ASAN:-}" ]; then
	bash scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dtest_hooks=true
	export HEAPSCOPE_ASAN_BUILD=build-asan
fi
# The fuzzer over the parser of memory images, 60 s (a clang build of its
# own; set HEAPSCOPE_NO_FUZZ=1 to skip it).
if [ -z "${HEAPSCOPE_NO_FUZZ:-}" ]; then
	export HEAPSCOPE_FUZZ_BUILD=build-fuzz
fi
exec bash tests/run_tests.sh build
