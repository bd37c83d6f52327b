#!/bin/sh
# Run every test of heapscope against an already built tree:
#   1. the C unit tests (meson test),
#   2. the integration suite (pytest: tests/integration, targets are the
#      interpreters of the matrix, see tests/integration/conftest.py),
#   3. (HEAPSCOPE_ASAN_BUILD) the sanitizer build's unit tests and suites,
#   4. (HEAPSCOPE_FUZZ_BUILD) the fuzzer, scripts/fuzz.sh, for
#      HEAPSCOPE_FUZZ_SECONDS (default 60),
# then print exactly one final line "N passed, N failed" that sums them
# all, and exit non-zero if anything failed.  Builds must be test builds
# (-Dtest_hooks=true): one that is not is reconfigured and rebuilt first.
# With CI set, a skip is a failure unless tests/ci_allowed_skips.txt
# allows it (pytest: tests/conftest.py; meson's exit 77: below).
#
# usage: tests/run_tests.sh [BUILD]        BUILD defaults to "build"
# env:   PYTHON      interpreter that runs pytest (default: the first of
#                    /usr/bin/python3, python3 that can import pytest)
#        HEAPSCOPE   binary under test (default BUILD/cli/heapscope)
#        HEAPSCOPE_INTERPRETERS  restrict the interpreter matrix, e.g. "3.11-debian,3.13"
#        CI          set: skips fail (see above)
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
# The HEAPSCOPE_TEST_* hooks (pauses made long on purpose...) exist only
# in test builds; the tests that rely on them must not test nothing.
ensure_test_build() {   # build-dir
	if ! grep -q -- '-DHS_TEST_HOOKS=1' "$1/build.ninja" 2>/dev/null; then
		echo "run_tests.sh: $1 is not a test build; meson configure -Dtest_hooks=true" >&2
		meson configure "$1" -Dtest_hooks=true >/dev/null && ninja -C "$1" >/dev/null
	fi
}
ensure_test_build "$BUILD"
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
	ensure_test_build "$ASAN"
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
			tests/integration/test_graph.py tests/integration/test_show.py \
			tests/integration/test_snapfile.py tests/integration/test_corefile.py
	stage junit "$AJUNIT" $?
fi

# 4. the fuzzer over the parser of memory images, a bounded time
if [ -n "${HEAPSCOPE_FUZZ_BUILD:-}" ]; then
	bash scripts/fuzz.sh "${HEAPSCOPE_FUZZ_SECONDS:-60}" "$HEAPSCOPE_FUZZ_BUILD"
	stage cmd fuzz $?
fi

# 5. one summary line
SUMMARY_PY=${PY:-python3}
"$SUMMARY_PY" - $STAGES <<'EOF'
import json
import os
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
IN_CI = bool(os.environ.get("CI"))


def meson_skip_allowed(name):
    """tests/ci_allowed_skips.txt, meson:NAME lines (see tests/conftest.py)."""
    import fnmatch
    try:
        lines = open("tests/ci_allowed_skips.txt").read().splitlines()
    except OSError:
        return False
    pats = [l.strip().split(" #", 1)[0].strip()[len("meson:"):] for l in lines
            if l.strip().startswith("meson:")]
    return any(fnmatch.fnmatchcase(name, p) for p in pats)


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
                    rec = json.loads(line)
                    result, name = rec.get("result"), rec.get("name", "?")
                except ValueError:
                    failed += 1
                    continue
                meson_seen += 1
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP" and IN_CI and not meson_skip_allowed(name):
                    print("run_tests.sh: %s skipped (exit 77) in CI: a failure (install what it "
                          "needs, or list it in tests/ci_allowed_skips.txt)" % name)
                    failed += 1
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


def cmd_stage(name, rc):
    """A stage that is one check (the fuzzer): passed when it exited 0."""
    global passed, failed
    if rc == 0:
        passed += 1
    else:
        print("run_tests.sh: %s failed (exit %d)" % (name, rc))
        failed += 1


for spec in sys.argv[1:]:
    kind, path, rc = spec.split(":")
    {"meson": meson_stage, "junit": junit_stage, "cmd": cmd_stage}[kind](path, int(rc))

if skipped:
    print("%d skipped%s" % (skipped, " (allowed in CI: tests/ci_allowed_skips.txt)" if IN_CI else ""))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
