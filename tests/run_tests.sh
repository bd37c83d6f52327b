#!/bin/sh
# Run every test of heapscope against an already built tree:
#   1. the C unit tests (meson test),
#   2. the integration suite (pytest: tests/integration, targets are the
#      interpreters of the matrix, see tests/integration/conftest.py),
# then print exactly one final line "N passed, N failed[, N skipped]" that
# sums both, and exit non-zero if anything failed.
#
# usage: tests/run_tests.sh [BUILD]        BUILD defaults to "build"
# env:   PYTHON      interpreter that runs pytest (default: the first of
#                    /usr/bin/python3, python3 that can import pytest)
#        HEAPSCOPE   binary under test (default BUILD/cli/heapscope)
#        HEAPSCOPE_INTERPRETERS  restrict the interpreter matrix, e.g. "3.11-debian,3.13"
set -u

cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
case $BUILD in
/*) ;;
*) BUILD=$(pwd)/$BUILD ;;
esac

if [ ! -d "$BUILD" ]; then
	echo "run_tests.sh: no build directory $BUILD (meson setup $BUILD && ninja -C $BUILD)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
: "${HEAPSCOPE:=$BUILD/cli/heapscope}"
export HEAPSCOPE

PY=
for cand in ${PYTHON:-} /usr/bin/python3 python3; do
	if "$cand" -c 'import pytest' >/dev/null 2>&1; then
		PY=$cand
		break
	fi
done

# Each stage leaves a meson testlog or a pytest junit file; the summary
# adds them all up.
STAGES=""
stage() { STAGES="$STAGES $1:$2:$3"; }   # kind:file:rc

# 1. C unit tests
TESTLOG=$BUILD/meson-logs/testlog.json
rm -f "$TESTLOG"
meson test -C "$BUILD" --print-errorlogs
stage meson "$TESTLOG" $?

# 2. integration tests against real targets, and the TUI driven in tmux
JUNIT=$BUILD/pytest.xml
rm -f "$JUNIT"
run_pytest() {   # junit-file rc-var args...
	if [ -z "$PY" ]; then
		echo "run_tests.sh: no python3 with pytest (apt-get install python3-pytest)" >&2
		return 127
	fi
	j=$1
	shift
	"$PY" -m pytest -q -rs --junitxml="$j" "$@"
}
run_pytest "$JUNIT" tests/integration tests/tui
stage junit "$JUNIT" $?

# 3. the sanitizer build (ASan + UBSan), when given: its unit tests, and the
#    census/graph/show suites on a few interpreters with the ASan binary, so
#    memory errors on real heaps fail the run.
ASAN=${HEAPSCOPE_ASAN_BUILD:-}
if [ -n "$ASAN" ]; then
	case $ASAN in /*) ;; *) ASAN=$(pwd)/$ASAN ;; esac
	ATESTLOG=$ASAN/meson-logs/testlog.json
	rm -f "$ATESTLOG"
	HEAPSCOPE_TEST_TARGET=$BUILD/tests/unit/test_live \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C "$ASAN" --print-errorlogs
	stage meson "$ATESTLOG" $?
	AJUNIT=$ASAN/pytest.xml
	rm -f "$AJUNIT"
	HEAPSCOPE=$ASAN/cli/heapscope \
		HEAPSCOPE_INTERPRETERS=${HEAPSCOPE_ASAN_INTERPRETERS:-3.8,3.11-debian,3.13,3.15-sid} \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_pytest "$AJUNIT" tests/integration/test_census.py \
			tests/integration/test_graph.py tests/integration/test_show.py
	stage junit "$AJUNIT" $?
fi

# 4. one summary line
SUMMARY_PY=${PY:-python3}
"$SUMMARY_PY" - $STAGES <<'EOF'
import json
import os
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0


def meson_stage(testlog, meson_rc):
    global passed, failed, skipped

    # meson: one JSON object per line, "result" in OK/FAIL/SKIP/EXPECTEDFAIL/
    # UNEXPECTEDPASS/TIMEOUT/ERROR
    meson_seen = 0
    failed_before = failed
    if os.path.exists(testlog):
        with open(testlog) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    result = json.loads(line).get("result")
                except ValueError:
                    failed += 1
                    continue
                meson_seen += 1
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    if meson_rc != 0 and meson_seen == 0:
        failed += 1      # meson test itself failed (no build, build error...)
    elif meson_rc != 0 and failed == failed_before:
        failed += 1      # meson said failure although no test result says so


def junit_stage(junit, py_rc):
    global passed, failed, skipped
    # pytest junit: <testsuites><testsuite tests= failures= errors= skipped=>
    pytest_seen = False
    if os.path.exists(junit):
        try:
            root = ET.parse(junit).getroot()
            suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
            pf = 0
            for s in suites:
                tests = int(s.get("tests", 0))
                fails = int(s.get("failures", 0)) + int(s.get("errors", 0))
                skips = int(s.get("skipped", 0))
                passed += tests - fails - skips
                failed += fails
                pf += fails
                skipped += skips
            pytest_seen = True
            if py_rc not in (0, 5) and pf == 0:
                failed += 1  # interrupted / internal error / usage error
        except ET.ParseError:
            pass
    if not pytest_seen and py_rc not in (0, 5):
        failed += 1


for spec in sys.argv[1:]:
    kind, path, rc = spec.split(":")
    (meson_stage if kind == "meson" else junit_stage)(path, int(rc))

line = "%d passed, %d failed" % (passed, failed)
if skipped:
    line += ", %d skipped" % skipped
print(line)
sys.exit(1 if failed else 0)
EOF
