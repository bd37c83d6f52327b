"""Policy shared by every pytest suite (tests/integration, tests/tui).

CI cannot pass by skipping: when the CI environment variable is set (.ci/run
sets it), a skipped test is reported as failed, with the skip's reason,
unless tests/ci_allowed_skips.txt allows it (things the CI machine cannot
do, each with a comment).  Outside CI a skip stays a skip.
"""
import fnmatch
import os

import pytest

ALLOW_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ci_allowed_skips.txt")


def _allowed_patterns(kind):
    out = []
    try:
        with open(ALLOW_FILE) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                line = line.split(" #", 1)[0].strip()
                if (kind == "meson") == line.startswith("meson:"):
                    out.append(line[len("meson:"):] if kind == "meson" else line)
    except OSError:
        pass
    return out


IN_CI = bool(os.environ.get("CI"))
ALLOWED = _allowed_patterns("pytest")


def skip_allowed(nodeid):
    return any(fnmatch.fnmatchcase(nodeid, p) or fnmatch.fnmatchcase(nodeid, p + "[*]")
               for p in ALLOWED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not IN_CI or not rep.skipped or hasattr(rep, "wasxfail") or skip_allowed(item.nodeid):
        return
    reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) and len(rep.longrepr) == 3 \
        else str(rep.longrepr)
    # A stage that restricts the matrix on purpose (the sanitizer stage's
    # HEAPSCOPE_INTERPRETERS) leaves a one-interpreter test with no
    # parameters: pytest reports that as a skip, but nothing was left out
    # that the stage meant to run (the full stage runs it).
    if os.environ.get("HEAPSCOPE_INTERPRETERS") and "got empty parameter set" in reason:
        return
    rep.outcome = "failed"
    rep.longrepr = ("skipped in CI, which must run every test: %s\n(install what is missing in "
                    "scripts/setup-debian.sh; only what the CI machine cannot do may be listed, "
                    "with a reason, in tests/ci_allowed_skips.txt)" % reason)


def pytest_collectreport(report):
    if IN_CI and report.skipped and not skip_allowed(report.nodeid):
        report.outcome = "failed"
        report.longrepr = "module skipped in CI: %s" % (report.longrepr,)
