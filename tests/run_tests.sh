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

# 1. C unit tests
TESTLOG=$BUILD/meson-logs/testlog.json
rm -f "$TESTLOG"
meson test -C "$BUILD" --print-errorlogs
meson_rc=$?

# 2. integration tests
JUNIT=$BUILD/pytest.xml
rm -f "$JUNIT"
if [ -n "$PY" ]; then
	"$PY" -m pytest tests/integration -q -rs --junitxml="$JUNIT"
	py_rc=$?
else
	echo "run_tests.sh: no python3 with pytest (apt-get install python3-pytest)" >&2
	py_rc=127
fi

# 3. one summary line
SUMMARY_PY=${PY:-python3}
"$SUMMARY_PY" - "$TESTLOG" "$JUNIT" "$meson_rc" "$py_rc" <<'EOF'
import json
import os
import sys
import xml.etree.ElementTree as ET

testlog, junit, meson_rc, py_rc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
passed = failed = skipped = 0

# meson: one JSON object per line, "result" in OK/FAIL/SKIP/EXPECTEDFAIL/
# UNEXPECTEDPASS/TIMEOUT/ERROR
meson_seen = 0
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
elif meson_rc != 0 and failed == 0:
    failed += 1      # meson said failure although no test result says so

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

line = "%d passed, %d failed" % (passed, failed)
if skipped:
    line += ", %d skipped" % skipped
print(line)
sys.exit(1 if failed else 0)
EOF
