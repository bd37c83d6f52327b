"""Scenario tests of the explorer (`heapscope PID`, `heapscope --demo`).

Each test drives the real binary inside its own tmux server, sends keys
and asserts on the captured screen text, tig-style.  Scenarios run on the
bundled demo service and on the integration suite's census target, with
a colour UTF-8 terminal and with `NO_COLOR=1 TERM=vt100` in the C locale.
After the explorer ends (q, or SIGKILL) the target must be running (not
in state 't') and the terminal sane (echo + icanon, alternate screen off).

    HEAPSCOPE=build/cli/heapscope python3 -m pytest -v tests/tui
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmuxdrive import Tmux  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CENSUS_TARGET = os.path.join(REPO, "tests", "targets", "census_target.py")


def find_heapscope():
    env = os.environ.get("HEAPSCOPE")
    if env:
        return env
    for cand in (os.path.join(REPO, "build", "cli", "heapscope"), "/tmp/build-tui/cli/heapscope"):
        if os.access(cand, os.X_OK):
            return cand
    return os.path.join(REPO, "build", "cli", "heapscope")


HEAPSCOPE = find_heapscope()

TERMINALS = {
    "xterm-256color": {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    "vt100-nocolor": {"TERM": "vt100", "NO_COLOR": "1", "LANG": "C", "LC_ALL": "C"},
}

# The shell line run in the pane: the explorer, then a report of how it
# ended and the terminal's state afterwards (read back by the tests).  The
# report waits a moment: after a SIGKILL the terminal guardian (tui/guard.c)
# restores the screen concurrently with the shell, and its leaving the
# alternate screen would hide anything printed before.
AFTER = ('; rc=$?; sleep 0.3; echo "HS-EXIT=$rc"; echo "HS-STTY=$(stty -a | tr \'\\n\' \' \')"; '
         'echo HS-DONE; sleep 600')


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def pane_command(args, env):
    envs = " ".join("%s=%s" % (k, shell_quote(v)) for k, v in sorted(env.items()))
    return "env %s %s %s%s" % (envs, shell_quote(HEAPSCOPE), " ".join(args), AFTER)


def proc_state(pid):
    """State letter from /proc/PID/stat, or None if the process is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except (IOError, OSError):
        return None
    return data[data.rindex(")") + 2]


def thread_states(pid):
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return []
    out = []
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                data = f.read()
            out.append(data[data.rindex(")") + 2])
        except (IOError, OSError):
            pass
    return out


def assert_running(pid):
    """No thread of the target is left stopped ('t' traced / 'T')."""
    states = thread_states(pid)
    assert states, "target %d is gone" % pid
    assert not [s for s in states if s in "tT"], "target %d left stopped: %s" % (pid, states)


def heapscope_pid(tmux):
    """The explorer process: the pane's child (or the pane itself) named heapscope."""
    root = tmux.pane_pid()
    todo = [root]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/comm" % p) as f:
                if f.read().strip() == "heapscope":
                    return p
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(x) for x in f.read().split()]
        except (IOError, OSError):
            pass
    raise AssertionError("no heapscope process under pane pid %d" % root)


def assert_terminal_sane(tmux):
    scr = tmux.wait_text("HS-DONE", timeout=15)
    stty = scr.find(r"HS-STTY=") or ""
    # the capture wraps the long stty line; join everything after the marker
    text = scr.text[scr.text.index("HS-STTY="):]
    text = text.replace("\n", "")
    assert re.search(r"(^|\s)icanon(\s|$)", text), "terminal left in raw mode: %s" % stty
    assert re.search(r"(^|\s)echo(\s|$)", text), "terminal left without echo: %s" % stty
    assert tmux.display("#{alternate_on}") == "0", "alternate screen still on"


SCROLL_GLYPHS = "\u2502\u2588|#"      # the scrollbar's track and thumb


def cells(ln):
    """Terminal cells a captured line takes (wide CJK characters take 2)."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in ln)


def has_scrollbar(scr):
    """A list longer than the screen has a scrollbar in its last column
    (rows are drawn one cell narrower then, so only the bar reaches it)."""
    rows = scr.lines[3:-1]
    return bool(rows) and any(cells(ln) >= scr.width and ln[-1] in "\u2588#" for ln in rows)


def strip_bar(scr, ln):
    return ln[:-1].rstrip() if has_scrollbar(scr) and cells(ln) >= scr.width else ln


def body_rows(scr):
    """The rows of the screen's table (between the column titles and the
    footer), without the scrollbar."""
    bar = has_scrollbar(scr)
    return [ln[:-1].rstrip() if bar and cells(ln) >= scr.width else ln
            for ln in scr.lines[3:-1] if ln.strip() and not TOTALS_RE.match(ln)]


# Types' totals line (a one-line panel under the rows)
TOTALS_RE = re.compile(r"^ [\d,]+ (GC-tracked )?objects, [\d.]+ (B|KiB|MiB|GiB)")


SIZE_RE = re.compile(r"^\s*([\d,]+)\s+([\d.]+) (B|KiB|MiB|GiB)\b")
UNITS = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}
# Instances with the retained column: address, size, retained
INST_RET_RE = re.compile(r"^0x[0-9a-f]+\s+[\d,]+\s+([\d.]+) (B|KiB|MiB|GiB)\s")
# Types with the retained column: count, size, retained
TYPE_RET_RE = re.compile(r"^\s*[\d,]+\s+[\d.]+ (?:B|KiB|MiB|GiB)\s+([\d.]+) (B|KiB|MiB|GiB)\s")
# Dominator tree rows: retained, shallow (blank for "all roots"), heap %, then
# the object column: two cells per level of depth, the fold mark, the text
DOM_RE = re.compile(r"^\s*([\d.]+) (B|KiB|MiB|GiB)\s+(?:[\d.]+ (?:B|KiB|MiB|GiB))?\s+"
                    r"([\d.]+)% ( *)(\u25be|\u25b8|-|\+| ) (.*)$")
OPEN, CLOSED = ("\u25be", "-"), ("\u25b8", "+")


def sizes_of(rows):
    out = []
    for ln in rows:
        m = SIZE_RE.match(ln)
        if m:
            out.append(float(m.group(2)) * UNITS[m.group(3)])
    return out


def retained_of(rows, regex):
    """The retained column of the rows regex matches (bytes)."""
    out = []
    for ln in rows:
        m = regex.match(ln)
        if m:
            out.append(float(m.group(1)) * UNITS[m.group(2)])
    return out


def dom_rows(scr):
    """Dominator tree rows as (retained bytes, depth, mark, text)."""
    out = []
    for ln in body_rows(scr):
        m = DOM_RE.match(ln)
        if m:
            out.append((float(m.group(1)) * UNITS[m.group(2)], len(m.group(4)) // 2,
                        m.group(5), m.group(6)))
    return out


POSITION_RE = re.compile(r"\s+(values from char [\d,]+  )?lines? [\d,]+(-[\d,]+)? of [\d,]+\s*$")


def crumb(scr):
    """The breadcrumb line without the position at its right end."""
    return POSITION_RE.sub("", scr.line(1))


def position(scr):
    m = POSITION_RE.search(scr.line(1))
    return m.group(0).strip() if m else ""


# ---------------------------------------------------------------------------
# Targets


class DemoTarget(object):
    """`heapscope --demo`: the explorer starts the demo itself."""
    args = ["--demo"]
    type_filter = "Request"
    type_name = "__main__.Request"
    value_prefix = "<Request"
    global_name = "CACHE"
    referrer_label = "['req-"
    thread_function = "process_batch()"
    thread_local = "pending"
    big_retainer = "['CACHE']"            # unfolded from the top of the dominator tree
    first_suspect = r"cache CACHE: [\d,]+ entries, [\d.]+ MiB, no size bound"
    new_pattern = "via __main__.CACHE[...]"
    pid = None

    def grow(self):
        time.sleep(2.5)      # it grows by itself, 25 requests a second

    def stop(self):
        pass


class CensusTarget(object):
    """tests/targets/census_target.py: grows when told to on stdin."""
    type_filter = "Grown"
    type_name = "__main__.Grown"
    value_prefix = "<Grown"
    global_name = "GROWN"
    referrer_label = "["
    thread_function = "main()"
    thread_local = "cmd"
    big_retainer = None                   # no planted one: generic checks only
    first_suspect = None
    new_pattern = "via __main__.GROWN[...]"

    def __init__(self, python, tmpdir):
        self.proc = subprocess.Popen([python, CENSUS_TARGET, "collected", str(tmpdir / "truth.json")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self._expect_ready()
        self.command("grow 40")
        self.pid = self.proc.pid
        self.args = [str(self.pid)]

    def _expect_ready(self):
        line = self.proc.stdout.readline()
        assert b"READY" in line, "census target did not start: %r %r" % (
            line, self.proc.stderr.read() if self.proc.poll() is not None else b"")

    def command(self, text):
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        self._expect_ready()

    def grow(self):
        self.command("grow 300")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def census_python():
    for p in ("/usr/bin/python3.11", "/usr/bin/python3"):
        if os.access(p, os.X_OK):
            return p
    pytest.skip("no python3 for the census target")


@pytest.fixture
def tmux():
    if not os.access(HEAPSCOPE, os.X_OK):
        pytest.fail("heapscope not built at %s (set HEAPSCOPE)" % HEAPSCOPE)
    t = Tmux(width=120, height=40)
    yield t
    t.kill()


@pytest.fixture(params=["demo", "census"])
def target(request, tmp_path):
    if request.param == "demo":
        t = DemoTarget()
    else:
        t = CensusTarget(census_python(), tmp_path)
    yield t
    t.stop()


def start(tmux, target, term):
    tmux.start(pane_command(target.args, TERMINALS[term]))
    scr = tmux.wait_text("Overview", "Top types by size", timeout=30)
    m = re.search(r"pid (\d+)", scr.line(0))
    assert m, "no pid in the status line:\n%s" % scr
    target.pid = int(m.group(1))
    assert re.search(r"Python [23]\.\d+\.\d+", scr.line(0)), scr.line(0)
    assert re.search(r"snapshot #1 \d+s ago", scr.line(0))
    assert re.search(r"pause [\d.]+ ms", scr.line(0))
    return scr


# ---------------------------------------------------------------------------
# Steps (each asserts on what the screen shows)


def step_types_sorted_by_size(tmux, target):
    tmux.keys("t")
    tmux.wait_text("Types", "count", "type")
    tmux.keys("a")          # by name first, so that `s` visibly re-sorts
    tmux.wait_for(lambda s: re.search(r"(\u25b4|\^)type", s.line(2)), what="sorted by name")
    tmux.keys("s")
    def sorted_by_size(s):
        sizes = sizes_of(body_rows(s))
        return (re.search(r"(\u25be|v)size", s.line(2)) and len(sizes) > 10
                and sizes == sorted(sizes, reverse=True))
    tmux.wait_for(sorted_by_size, what="rows sorted by size, biggest first")


def step_filter(tmux, target):
    tmux.keys("/")
    tmux.wait_for(lambda s: s.line(-1).startswith("filter:"), what="filter prompt")
    for ch in target.type_filter:       # filter as you type
        tmux.type(ch)
    scr = tmux.wait_for(lambda s: body_rows(s) and all(target.type_filter.lower() in r.lower()
                                                       for r in body_rows(s)),
                        what="only %s rows" % target.type_filter)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Types /" + target.type_filter in crumb(s)
                  and any(target.type_name in r for r in body_rows(s)), what="filtered types")


def step_open_type(tmux, target):
    # the cursor is on the first row; make sure it is the type we want
    scr = tmux.screen()
    rows = body_rows(scr)
    idx = [i for i, r in enumerate(rows) if r.rstrip().endswith(target.type_name)]
    assert idx, scr
    for _ in range(idx[0]):
        tmux.keys("j")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: re.search(re.escape(target.type_name) + r" \([\d,]+\)", crumb(s))
                  and body_rows(s) and all(r.startswith("0x") for r in body_rows(s))
                  and any(target.value_prefix in r for r in body_rows(s)),
                  what="instances of %s with their values" % target.type_name)


def step_retained_sort(tmux, target):
    """R on the instances: a retained column appears (computed once per
    snapshot), sorted biggest first; s puts the size order back."""
    tmux.keys("R")

    def by_retained(s):
        rows = body_rows(s)
        rets = retained_of(rows, INST_RET_RE)
        return (re.search(r"(\u25be|v)retained", s.line(2)) and rows and len(rets) == len(rows)
                and rets == sorted(rets, reverse=True))
    tmux.wait_for(by_retained, timeout=30, what="instances sorted by retained size")
    tmux.keys("s")
    tmux.wait_for(lambda s: re.search(r"(\u25be|v)size", s.line(2)) and "retained" in s.line(2),
                  what="sorted by size again, retained column kept")


def step_open_instance(tmux, target):
    tmux.keys("Enter")
    tmux.wait_text("type      " + target.type_name, "Fields (", "Referents (", "held by")
    # from the dominator tree: what only it keeps alive, and who alone holds it
    tmux.wait_for(lambda s: re.search(r"retained  [\d.]+ (B|KiB|MiB), [\d.]+% of the heap", s.text)
                  and "held alone by " in s.text, what="the retained size and the dominator")


def step_referrers_to_global(tmux, target):
    tmux.keys("b")
    # the container holding the instance, with the edge label saying how,
    # and the path from the module global that keeps it alive, by name
    tmux.wait_text("Referrers (", "How it is reached from a root: the ", target.referrer_label,
                   target.global_name, timeout=30)
    # follow the chain one level up: the container's own referrers
    tmux.keys("Enter")
    tmux.wait_for(lambda s: crumb(s).count("who holds") == 2
                  and "['%s']" % target.global_name in s.text, what="referrers of the referrer")


def step_back_three(tmux, target):
    for _ in range(3):
        tmux.keys("BSpace")
    # (the whole screen, not just the breadcrumb: a capture can land mid-draw)
    tmux.wait_for(lambda s: "who holds" not in crumb(s) and "@0x" not in crumb(s)
                  and re.search(re.escape(target.type_name) + r" \([\d,]+\)\s*$", crumb(s))
                  and body_rows(s) and all(r.startswith("0x") for r in body_rows(s)),
                  what="back at the instances")


def step_help(tmux, target):
    tmux.keys("?")
    tmux.wait_text("Moving around", "Jump to an object", "Sort by total size")
    tmux.keys("BSpace")
    tmux.wait_for(lambda s: "Help" not in crumb(s), what="help closed")


def step_threads(tmux, target):
    tmux.keys("T")
    tmux.wait_text("Thread ", target.thread_function, target.thread_local, timeout=20)


def settled(s):
    """The footer shows the key hints: no busy line ("Computing retained
    sizes...") or message.  (Captures can still land mid-redraw, so the
    predicates below also check each row they rely on.)"""
    return "q quit" in s.line(-1)


def step_dominators(tmux, target):
    """D: the dominator tree, unfolded at the top; unfold the biggest child
    (Enter), fold it (Left), go to the parent (Left), fold and unfold the
    top (Space), back (Backspace)."""
    tmux.keys("D")

    def top_unfolded(s):
        rows = dom_rows(s)
        if not (settled(s) and crumb(s).rstrip().endswith("Dominators") and len(rows) > 3):
            return False
        ret, depth, mark, text = rows[0]
        kids = rows[1:]
        return (depth == 0 and mark in OPEN and text == "all roots"
                and re.search(r"100\.0% ", body_rows(s)[0])
                and all(r[1] == 1 for r in kids)              # only the top is unfolded
                and [r[0] for r in kids] == sorted((r[0] for r in kids), reverse=True)
                and all(r[0] <= ret for r in kids))
    tmux.wait_for(top_unfolded, timeout=30, what="the dominator tree, top unfolded")
    tmux.keys("Down", "Enter")                        # unfold the biggest retainer

    def child_unfolded(s):
        rows = dom_rows(s)
        if not (settled(s) and len(rows) > 2 and rows[1][2] in OPEN and rows[2][1] == 2):
            return False
        grand = [r for r in rows[2:] if r[1] == 2]
        if not all(g[0] <= rows[1][0] for g in grand):
            return False
        if target.big_retainer:
            # the planted cache: MBs, the biggest thing in its module's namespace
            return target.big_retainer in grand[0][3] and grand[0][0] >= 1024 ** 2
        return True
    tmux.wait_for(child_unfolded, what="the biggest child unfolded")
    tmux.keys("Left")                                 # fold it again
    tmux.wait_for(lambda s: settled(s) and len(dom_rows(s)) > 1 and dom_rows(s)[1][2] in CLOSED
                  and all(r[1] <= 1 for r in dom_rows(s)), what="folded again")
    tmux.keys("Left", "Space")                        # to the parent, fold the top
    tmux.wait_for(lambda s: settled(s) and len(dom_rows(s)) == 1 and dom_rows(s)[0][2] in CLOSED,
                  what="the top folded")
    tmux.keys("Space")
    tmux.wait_for(lambda s: settled(s) and len(dom_rows(s)) > 3, what="the top unfolded")
    tmux.keys("BSpace")
    tmux.wait_for(lambda s: "Dominators" not in crumb(s), what="back from the dominator tree")


def step_suspects(tmux, target):
    """S: ranked findings; the selected one's evidence and path below."""
    tmux.keys("S")

    def shown(s):
        rows = body_rows(s)
        if not (settled(s) and re.search(r"Suspects \(\d+\)", crumb(s)) and rows):
            return False
        if not target.first_suspect:
            return "No suspects" in rows[0] or re.match(r"(HIGH|MEDIUM|LOW|INFO)\s", rows[0])
        # the first row, then the panel: title, evidence (wrapped), path
        return (re.match(r"HIGH\s+[\d.]+ MiB\s+unbounded_cache\s+" + target.first_suspect, rows[0])
                and re.search(r"#1 unbounded_cache: high, [\d.]+ MiB, [\d,]+ objects", s.text)
                and "A plain dict (no eviction)" in s.text
                and re.search(r"path: module __main__ (\u2192|->) \.CACHE", s.text))
    scr = tmux.wait_for(shown, timeout=30, what="the suspects screen")
    assert all(len(ln) <= scr.width for ln in scr.lines), scr
    if not target.first_suspect:
        tmux.keys("BSpace")
        return
    tmux.keys("Enter")                                # inspects the cache itself
    tmux.wait_text("type      dict", "held alone by ['CACHE'] in dict", "retained  ")
    tmux.keys("BSpace")
    tmux.wait_for(lambda s: crumb(s).rstrip().endswith(")") and "Suspects" in crumb(s),
                  what="back at the suspects")


def step_refresh_delta(tmux, target):
    tmux.keys("t")
    tmux.wait_text("Types /" + target.type_filter)
    target.grow()
    tmux.keys("r")
    tmux.wait_for(lambda s: "snapshot #2" in s.line(0) and re.search(r"(\u0394|d)count", s.line(2)),
                  timeout=30, what="second snapshot with delta columns")
    tmux.keys("d")

    def grown(s):
        row = [r for r in body_rows(s) if r.rstrip().endswith(target.type_name)]
        return (re.search(r"(\u25be|v)(\u0394|d)count", s.line(2)) and row
                and re.search(r"\+\d", row[0]))
    tmux.wait_for(grown, what="sorted by delta, %s grown" % target.type_name)
    # the panel under the rows: where the new ones are held
    tmux.wait_for(lambda s: re.search(r"[\d,]+ new " + re.escape(target.type_name) + r" since #1", s.text)
                  and re.search(r"\d+%  " + re.escape(target.new_pattern), s.text),
                  timeout=30, what="where the new %s are held" % target.type_name)


def check_layout(scr, width):
    assert scr.line(0).lstrip().startswith("pid "), scr
    assert all(len(ln) <= width for ln in scr.lines), scr


def step_resize(tmux, target):
    tmux.resize(80, 24)
    scr = tmux.wait_for(lambda s: len(s.lines) >= 24 and s.line(0).lstrip().startswith("pid ")
                        and "q quit" in s.line(23)
                        and any(target.type_name in r for r in body_rows(s)), what="80x24 layout")
    check_layout(scr, 80)
    tmux.resize(30, 8)
    tmux.wait_text("terminal too small")
    tmux.resize(250, 70)
    scr = tmux.wait_for(lambda s: "q quit" in s.line(69) and "heapscope" in s.line(0),
                        what="250x70 layout")
    check_layout(scr, 250)
    tmux.resize(120, 40)
    tmux.wait_for(lambda s: "q quit" in s.line(39), what="120x40 layout")


def step_quit(tmux, target):
    tmux.keys("q")
    scr = tmux.wait_text("HS-EXIT=", timeout=15)
    assert "HS-EXIT=0" in scr.text, scr
    assert_terminal_sane(tmux)


# ---------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("term", sorted(TERMINALS))
def test_scenario(tmux, target, term):
    start(tmux, target, term)
    step_types_sorted_by_size(tmux, target)
    step_filter(tmux, target)
    step_open_type(tmux, target)
    step_retained_sort(tmux, target)
    step_open_instance(tmux, target)
    step_referrers_to_global(tmux, target)
    step_back_three(tmux, target)
    step_help(tmux, target)
    step_threads(tmux, target)
    step_dominators(tmux, target)
    step_suspects(tmux, target)
    step_refresh_delta(tmux, target)
    step_resize(tmux, target)
    pid = target.pid
    step_quit(tmux, target)
    if isinstance(target, DemoTarget):
        # the demo is ours: stopped with the explorer
        deadline = time.time() + 5
        while proc_state(pid) not in (None, "Z") and time.time() < deadline:
            time.sleep(0.1)
        assert proc_state(pid) in (None, "Z"), "demo %d still running" % pid
    else:
        assert_running(pid)


PYENV = "/root/.pyenv/versions"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pythons  # noqa: E402  (tests/pythons.py: Debian's interpreters, chrooted)

OTHER_PYTHONS = [("2.7", PYENV + "/2.7.18/bin/python"), ("3.6", PYENV + "/3.6.15/bin/python"), ("3.7", PYENV + "/3.7.16/bin/python"), ("3.8", PYENV + "/3.8.18/bin/python"), ("3.10", PYENV + "/3.10.13/bin/python"),
                 ("3.12", PYENV + "/3.12.1/bin/python"), ("3.13", PYENV + "/3.13.0/bin/python")] + \
    [(i, p) for i, p, _ in pythons.debian_matrix() if i in ("3.13-deb13", "3.14-sid", "3.15-sid")]


@pytest.mark.parametrize("python", [p for _, p in OTHER_PYTHONS], ids=[i for i, _ in OTHER_PYTHONS])
def test_scenario_other_versions(tmux, tmp_path, python):
    """The same walk on the census target under other CPython versions
    (their frames, dict layouts and GC state differ)."""
    if not os.access(python, os.X_OK) or subprocess.run([python, "-c", "pass"]).returncode:
        if os.environ.get("CI"):
            pytest.fail("%s not installed: CI must have every interpreter" % python)
        pytest.skip("%s not installed" % python)
    target = CensusTarget(python, tmp_path)
    try:
        start(tmux, target, "xterm-256color")
        for step in (step_types_sorted_by_size, step_filter, step_open_type, step_retained_sort,
                     step_open_instance, step_referrers_to_global, step_back_three, step_threads,
                     step_dominators, step_suspects, step_refresh_delta):
            step(tmux, target)
        step_quit(tmux, target)
        assert_running(target.pid)
    finally:
        target.stop()


def test_sigkill_leaves_target_running_and_terminal_sane(tmux, tmp_path):
    t = CensusTarget(census_python(), tmp_path)
    try:
        start(tmux, t, "xterm-256color")
        tmux.keys("t")
        tmux.wait_text("Types")
        os.kill(heapscope_pid(tmux), signal.SIGKILL)
        scr = tmux.wait_text("HS-EXIT=137", timeout=15)
        assert_running(t.pid)
        assert_terminal_sane(tmux)
        del scr
    finally:
        t.stop()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_signals_restore_terminal(tmux, tmp_path, sig):
    t = CensusTarget(census_python(), tmp_path)
    try:
        start(tmux, t, "xterm-256color")
        os.kill(heapscope_pid(tmux), sig)
        tmux.wait_text("HS-EXIT=%d" % (128 + sig), timeout=15)
        assert_running(t.pid)
        assert_terminal_sane(tmux)
    finally:
        t.stop()


@pytest.mark.parametrize("term", ["screen", "tmux-256color", "tmux"])
def test_other_terminals(tmux, term):
    env = {"TERM": term, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    tmux.start(pane_command(["--demo"], env))
    tmux.wait_text("Overview", "Top types by size", timeout=30)
    tmux.keys("t")
    tmux.wait_text("Types", "__main__.Request")
    tmux.keys("G")
    tmux.keys("g")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")
    assert_terminal_sane(tmux)


def test_ascii_locale_has_no_utf8(tmux):
    """In the C locale nothing non-ASCII reaches the terminal: the demo's
    users 'zoë' and '李雷' come out as '?'."""
    tmux.start(pane_command(["--demo"], TERMINALS["vt100-nocolor"]))
    tmux.wait_text("Overview", timeout=30)
    tmux.keys("t")
    tmux.keys("/")
    tmux.type("Request")
    tmux.keys("Enter")
    tmux.wait_text("Types /Request")
    tmux.keys("Enter")
    scr = tmux.wait_for(lambda s: "<Request rid=" in s.text
                        and ("user='zo?'" in s.text or "user='??'" in s.text),
                        what="non-ASCII user names as '?'")
    assert all(ord(c) < 128 for c in scr.text), scr
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_jump_to_address(tmux):
    tmux.start(pane_command(["--demo"], TERMINALS["xterm-256color"]))
    tmux.wait_text("Overview", timeout=30)
    tmux.keys("t", "/")
    tmux.type("Session")
    tmux.keys("Enter", "Enter")
    scr = tmux.wait_for(lambda s: body_rows(s) and body_rows(s)[0].startswith("0x")
                        and "<Session" in s.text, what="Session instances")
    addr = body_rows(scr)[0].split()[0]
    tmux.keys("o")
    tmux.wait_for(lambda s: crumb(s).strip() == "Overview", what="back to the overview")
    tmux.keys(":")
    tmux.type(addr)
    tmux.keys("Enter")
    # __slots__ fields are listed
    tmux.wait_text("type      __main__.Session", "address   " + addr, ".user", ".token")
    tmux.keys(":")
    tmux.type("zz")
    tmux.keys("Enter")
    tmux.wait_text("is not an object id")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


@pytest.mark.parametrize("term", sorted(TERMINALS))
def test_leak_hunting(tmux, term):
    """The leak-hunting path on the demo: suspects -> the cache -> where it
    sits in the dominator tree (D from the inspector) -> its entries; Types
    sorted by retained size; every new screen at 80x24."""
    tmux.start(pane_command(["--demo"], TERMINALS[term]))
    tmux.wait_text("Overview", "Top types by size", timeout=30)
    tmux.keys("S")
    scr = tmux.wait_for(lambda s: body_rows(s) and "cache CACHE" in body_rows(s)[0],
                        timeout=30, what="the cache as first suspect")
    tmux.keys("D")                                     # D on a finding: its place in the tree
    tmux.wait_for(lambda s: re.search(r"Suspects \(\d+\) (\u203a|>) Dominators", crumb(s))
                  and settled(s) and any(DemoTarget.big_retainer in r[3] for r in dom_rows(s)),
                  timeout=30, what="the tree unfolded down to the cache")
    tmux.keys("Enter")                                 # the cursor is on it: unfold it
    scr = tmux.wait_for(lambda s: any("['req-" in r[3] and r[1] == 3 for r in dom_rows(s)),
                        what="the cache's entries, one level deeper")
    tmux.keys("Down", "i")                             # the first entry: a Request
    tmux.wait_text("type      __main__.Request", "held alone by ['req-", "in dict {'req-")
    tmux.keys("t")
    tmux.wait_text("Types", "retained")                # the tree exists: the column shows
    tmux.keys("R")

    def by_retained(s):
        rows = body_rows(s)
        rets = retained_of(rows, TYPE_RET_RE)
        return (re.search(r"(\u25be|v)retained", s.line(2)) and len(rets) > 10
                and rets == sorted(rets, reverse=True))
    tmux.wait_for(by_retained, what="types sorted by retained size")
    # the new screens at 80x24: nothing wider than the terminal, footer kept
    tmux.resize(80, 24)
    for key, what in (("S", "Suspects ("), ("D", "all roots")):
        tmux.keys(key)
        scr = tmux.wait_for(lambda s: what in s.text and "q quit" in s.line(23)
                            and s.line(0).lstrip().startswith("pid "), what="%s at 80x24" % what)
        check_layout(scr, 80)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")
    assert_terminal_sane(tmux)


def test_lazy_payload_marked(tmux):
    """With --lazy-min 1M the demo's 1.5 MiB MODEL is copied head-only and
    its tail read after the resume: marked '~' in the tree and explained in
    the inspector.  Without the option nothing is lazy: no mark."""
    def model_row(t, args):
        """The screen with MODEL's row drawn to its end (its value is cut:
        the row ends in an ellipsis, and then '~' if lazy), and its index."""
        t.start(pane_command(args, TERMINALS["xterm-256color"]))
        t.wait_text("Overview", timeout=30)
        t.keys("D", "Down", "Enter")                   # all roots > module __main__

        def drawn(s):
            rows = [r.rstrip() for r in body_rows(s) if "['MODEL']" in r]
            return settled(s) and rows and rows[0][-1] in "\u2026~"
        scr = t.wait_for(drawn, timeout=30, what="MODEL under __main__")
        return scr, [i for i, r in enumerate(body_rows(scr)) if "['MODEL']" in r][0]

    plain = Tmux(width=120, height=40)                 # a server of its own
    try:
        scr, i = model_row(plain, ["--demo"])
        assert not body_rows(scr)[i].rstrip().endswith("~"), scr
        plain.keys("q")
        plain.wait_text("HS-EXIT=0")
    finally:
        plain.kill()

    scr, i = model_row(tmux, ["--demo", "--lazy-min", "1M"])
    assert body_rows(scr)[i].rstrip().endswith("~"), scr
    for _ in range(i - 1):                             # the cursor is on __main__ (row 1)
        tmux.keys("j")
    tmux.keys("i")
    tmux.wait_for(lambda s: "~         read after the target resumed" in s.text
                  and strip_bar(s, s.find(r"^ value     b'HSMODEL1") or "").rstrip().endswith("~"),
                  what="the inspector marking MODEL's value")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_not_a_tty_is_refused():
    r = subprocess.run([HEAPSCOPE, str(os.getpid())], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    assert r.returncode == 2
    assert b"needs a terminal" in r.stderr


def test_script_hook_dumps_screens(tmux, tmp_path):
    """HEAPSCOPE_TUI_SCRIPT (tig's TIG_SCRIPT idea): keys from a file, screen
    dumps as text; here the types table relaid out at 80x24."""
    dump1, dump2 = tmp_path / "types.txt", tmp_path / "instances.txt"
    script = tmp_path / "steps.txt"
    script.write_text("key t\nresize 80x24\ndump %s\nkey /\ntype Session\nkey Enter Enter\n"
                      "dump %s\nkey q\n" % (dump1, dump2))
    env = dict(TERMINALS["xterm-256color"], HEAPSCOPE_TUI_SCRIPT=str(script))
    tmux.start(pane_command(["--demo"], env))
    tmux.wait_text("HS-EXIT=0", timeout=30)
    types = dump1.read_text().split("\n")
    assert len(types) >= 24 and all(len(ln) <= 80 for ln in types), types
    assert POSITION_RE.sub("", types[1]).strip() == "Overview \u203a Types", types
    assert re.search(r"count\s+\u25besize", types[2]), types
    inst = dump2.read_text()
    assert "__main__.Session (64)" in inst and "<Session " in inst, inst


def _is_test_build():
    p = subprocess.run([HEAPSCOPE, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return b"test build" in p.stdout


def test_ctrl_z_during_pause(tmux, tmp_path):
    """Ctrl-Z (cbreak mode sends SIGTSTP) while `r` holds the target
    frozen: the copy finishes and the target runs again before the
    explorer stops; `fg` brings the explorer back with the new snapshot.
    Ctrl-Z when idle stops it too, with the target running.  Runs in an
    interactive shell, so the stop and `fg` are real job control."""
    if not _is_test_build():
        pytest.fail("%s is not a test build (-Dtest_hooks=true): the pause hook is compiled out"
                    % HEAPSCOPE)
    t = CensusTarget(census_python(), tmp_path)
    try:
        tmux.start("env PS1='$ ' TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 "
                   "bash --norc --noprofile -i")
        tmux.wait_text("$")
        tmux.type("HEAPSCOPE_TEST_PAUSE_DELAY_MS=1500 %s %d" % (shell_quote(HEAPSCOPE), t.pid))
        tmux.keys("Enter")
        tmux.wait_text("Overview", "Top types by size", timeout=30)
        hs = heapscope_pid(tmux)
        tmux.keys("r")
        deadline = time.time() + 10
        while "t" not in thread_states(t.pid) and time.time() < deadline:
            time.sleep(0.005)
        assert "t" in thread_states(t.pid), "r never froze the target"
        tmux.keys("C-z")
        deadline = time.time() + 10
        while proc_state(hs) != "T" and time.time() < deadline:
            time.sleep(0.02)
        assert proc_state(hs) == "T", "Ctrl-Z did not stop the explorer (state %r)" % proc_state(hs)
        time.sleep(0.3)
        assert_running(t.pid)     # stopped explorer, running target
        t.command("grow 10")      # ... that answers
        tmux.wait_text("Stopped")
        tmux.type("fg")
        tmux.keys("Enter")
        scr = tmux.wait_for(lambda s: re.search(r"snapshot #2 \d+s ago", s.line(0)),
                            what="the explorer back with snapshot #2")
        # idle: ncurses' own Ctrl-Z handling
        tmux.keys("C-z")
        tmux.wait_for(lambda s: proc_state(hs) == "T", what="the idle explorer stopped")
        assert_running(t.pid)
        tmux.type("fg")
        tmux.keys("Enter")
        tmux.wait_for(lambda s: re.search(r"snapshot #2 \d+s ago", s.line(0)),
                      what="the explorer back again")
        tmux.keys("q")
        tmux.wait_for(lambda s: proc_state(hs) is None, what="the explorer to exit")
        tmux.type("echo HS-EXIT=$?")     # after fg, $? is the job's status
        tmux.keys("Enter")
        tmux.wait_text("HS-EXIT=0", timeout=15)
        assert_running(t.pid)
    finally:
        t.stop()


def test_status_line_shows_retried_copies(tmux, tmp_path):
    """A target that spends most of its time inside collections (a gc
    callback holds the collecting flag for 100 ms of each): snapshots need
    more than one copy, and the status line says so ("(copy N)")."""
    script = os.path.join(REPO, "tests", "targets", "slow_gc_churn.py")
    p = subprocess.Popen([census_python(), script, "100", "--lifetime", "120"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert p.stdout.readline().startswith(b"READY"), p.stderr.read()
        tmux.start(pane_command([str(p.pid)], TERMINALS["xterm-256color"]))
        tmux.wait_text("Overview", "Top types by size", timeout=30)
        seen = None
        for n in range(2, 12):
            scr = tmux.screen()
            if "(copy " in scr.line(0):
                seen = scr.line(0)
                break
            tmux.keys("r")
            tmux.wait_for(lambda s: "snapshot #%d " % n in s.line(0), what="snapshot #%d" % n)
        assert seen and re.search(r"pause [\d.]+ ms \(copy [2-8]\)", seen), (
            "no snapshot needed a second copy, or the status line does not say so:\n%s"
            % tmux.screen())
        tmux.keys("q")
        tmux.wait_text("HS-EXIT=0", timeout=15)
        assert_running(p.pid)
    finally:
        p.kill()
        p.wait()


# ---------------------------------------------------------------------------
# The explorer's second round (issue 16): each defect reproduced


def open_demo(tmux, term="xterm-256color", args=("--demo",)):
    tmux.start(pane_command(list(args), TERMINALS[term]))
    return tmux.wait_text("Overview", "Top types by size", timeout=30)


def header_sorted(scr, title, down=True):
    arrow = ("\u25be", "v") if down else ("\u25b4", "^")
    return re.search(r"(%s|%s)%s\b" % (re.escape(arrow[0]), arrow[1], title), scr.line(2))


def test_jump_to_decimal_id(tmux):
    """`:` takes what id() prints (decimal), as `show` does, and 0x hex."""
    open_demo(tmux)
    tmux.keys("t", "/")
    tmux.type("Session")
    tmux.keys("Enter", "Enter")
    scr = tmux.wait_for(lambda s: body_rows(s) and body_rows(s)[0].startswith("0x"),
                        what="Session instances")
    addr = body_rows(scr)[0].split()[0]
    tmux.keys("o", ":")
    tmux.type(str(int(addr, 16)))
    tmux.keys("Enter")
    tmux.wait_text("type      __main__.Session", "address   " + addr)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_escape_then_key_in_one_burst(tmux):
    """Esc and the next key arriving together are Esc, then that key (not
    Alt+key): the filter closes and the key sorts."""
    open_demo(tmux)
    tmux.keys("t")
    tmux.wait_text("Types", "count")
    tmux.keys("/")
    tmux.type("Req")
    tmux.wait_for(lambda s: s.line(-1).startswith("filter: Req"), what="the filter prompt")
    tmux.keys("Escape", "c")              # one send-keys: one write to the terminal
    scr = tmux.wait_for(lambda s: header_sorted(s, "count"), what="sorted by count after Esc")
    assert not scr.line(-1).startswith("filter:"), scr
    assert crumb(scr).split()[-4:-3] != ["/Req"] and "/Req" not in crumb(scr), scr
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_reverse_does_not_stick_and_position_shown(tmux):
    """I reverses the current key only; the next key starts biggest first.
    Every list says where the cursor is ("line N of M") and has a
    scrollbar when it is longer than the screen."""
    open_demo(tmux)
    tmux.keys("t")
    scr = tmux.wait_for(lambda s: header_sorted(s, "size") and "line 1 of " in position(s),
                        what="Types at line 1")
    total = int(re.search(r"line 1 of ([\d,]+)", position(scr)).group(1).replace(",", ""))
    assert total > 30 and has_scrollbar(scr), scr
    tmux.keys("I")
    tmux.wait_for(lambda s: header_sorted(s, "size", down=False), what="size reversed")
    tmux.keys("c")
    def by_count(s):
        counts = [int(r.split()[0].replace(",", "")) for r in body_rows(s)]
        return header_sorted(s, "count") and counts == sorted(counts, reverse=True)
    tmux.wait_for(by_count, what="count, biggest first (the reversal did not stick)")
    tmux.keys("G")
    scr = tmux.wait_for(lambda s: "line %s of %s" % (format(total, ","), format(total, ",")) == position(s),
                        what="the last line")
    # the thumb at the bottom of the bar
    last = [ln for ln in scr.lines[3:-1] if len(ln) >= scr.width][-1]
    assert last[scr.width - 1] in "\u2588#", scr
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_sort_menu(tmux):
    """O (or F6) lists the screen's sort keys with the column each sorts;
    Enter on a row, or the key itself, sorts and closes the menu; a screen
    without sort orders says so instead of opening an empty menu."""
    open_demo(tmux)
    tmux.keys("t")
    tmux.wait_for(lambda s: header_sorted(s, "size"), what="Types by size")
    tmux.keys("O")
    scr = tmux.wait_text("Sort Types by")
    for key, column in (("s", "size"), ("c", "count"), ("m", "avg"), ("a", "type"),
                        ("e", "gen0"), ("R", "retained"), ("I", "reverse")):
        assert any(ln.split()[:2] == [key, column] for ln in scr.lines), (key, column, scr)
    tmux.keys("j")                       # the second row: count
    tmux.keys("Enter")
    tmux.wait_for(lambda s: header_sorted(s, "count") and "Sort Types by" not in s.text,
                  what="count chosen in the menu")
    tmux.keys("F6")
    tmux.wait_text("Sort Types by")
    tmux.keys("a")                       # the key works inside the menu too
    tmux.wait_for(lambda s: header_sorted(s, "type", down=False) and "Sort Types by" not in s.text,
                  what="by name, from the menu's key")
    tmux.keys("Enter")                   # the instances of the selected type
    tmux.wait_text("refs")
    tmux.keys("O")
    scr = tmux.wait_text("Sort ")
    assert any(ln.split()[:2] == ["A", "address"] for ln in scr.lines), scr
    assert any(ln.split()[:2] == ["f", "refs"] for ln in scr.lines), scr
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "(Enter or the key picks" not in s.text and "refs" in s.text,
                  what="back in Instances")
    tmux.keys("o")                       # Overview: nothing to sort
    tmux.wait_text("Overview")
    tmux.keys("O")
    tmux.wait_text("no sort order to choose")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def right_cells(scr, row):
    """The right-aligned (number) cells of a table row, by column title
    (sort arrows removed): each cell ends where its title ends."""
    out, start = {}, 0
    for m in re.finditer(r"\S+", scr.line(2)):
        title = m.group(0).lstrip("\u25be\u25b4^v") if m.group(0)[1:2].isalpha() else m.group(0)
        out[title] = row[start:m.end()].strip()
        start = m.end()
    return out


def gen_columns(scr):
    titles = scr.line(2).split()
    return [t for t in ("gen0", "gen1", "gen2") if any(x.endswith(t) for x in titles)]


@pytest.mark.parametrize("term", sorted(TERMINALS))
def test_types_80_columns_keep_the_sorted_column(term):
    """At 80 columns with retained sizes, the generations are shown all or
    none (so they add up to the count), and the sorted one is never the
    column dropped."""
    tmux = Tmux(width=80, height=24)
    try:
        open_demo(tmux, term)
        tmux.keys("t", "R")
        scr = tmux.wait_for(lambda s: header_sorted(s, "retained"), timeout=30,
                            what="sorted by retained")
        assert len(gen_columns(scr)) in (0, 3), scr
        tmux.keys("e")                        # gen2
        scr = tmux.wait_for(lambda s: header_sorted(s, "gen2"), what="gen2 sort shown")
        assert gen_columns(scr) == ["gen0", "gen1", "gen2"], scr
        for r in body_rows(scr):
            cells = right_cells(scr, r)
            # the generations and the untracked instances add up to the count
            gens = [int(cells[k].replace(",", "")) for k in ("gen0", "gen1", "gen2", "no-gc")]
            assert sum(gens) == int(cells["count"].replace(",", "")), (r, scr)
        tmux.keys("e")                        # gen0: still shown
        tmux.wait_for(lambda s: header_sorted(s, "gen0") and len(gen_columns(s)) == 3,
                      what="gen0 sort shown")
        tmux.keys("q")
        tmux.wait_text("HS-EXIT=0")
    finally:
        tmux.kill()


def test_avg_same_in_cli_and_explorer(tmux, tmp_path):
    """The mean size is rounded the same way (to the nearest) by `types`
    and by the explorer, and the CLI's text has thousands separators."""
    target = CensusTarget(census_python(), tmp_path)
    try:
        tmux.start(pane_command(target.args, TERMINALS["xterm-256color"]))
        tmux.wait_text("Overview", timeout=30)
        tmux.keys("t")
        scr = tmux.wait_for(lambda s: header_sorted(s, "size") and len(body_rows(s)) > 20,
                            what="Types")
        tui = {}
        titles = scr.line(2).split()
        for r in body_rows(scr):
            cells = r.split()
            tui[cells[-1]] = (cells[0], cells[3])          # count, avg
        out = subprocess.run([HEAPSCOPE, "types", str(target.pid)], stdout=subprocess.PIPE,
                             universal_newlines=True, check=True).stdout
        js = subprocess.run([HEAPSCOPE, "types", str(target.pid), "--json"], stdout=subprocess.PIPE,
                            universal_newlines=True, check=True).stdout
        import json
        sizes = dict(((r["module"] + "." if r["module"] != "builtins" else "") + r["qualname"],
                      (r["count"], r["size"])) for r in json.loads(js)["types"])
        compared = 0
        assert re.search(r"objects \d{1,3}(,\d{3})+", out.split("\n")[0]), out[:300]
        for ln in out.split("\n")[2:]:
            cells = ln.split()
            if len(cells) < 8 or cells[-1] not in tui or ln.endswith("approx.)"):
                continue
            count, avg = cells[0], cells[3]
            if tui[cells[-1]][0] != count:
                continue
            n, size = sizes[cells[-1]]
            assert avg == tui[cells[-1]][1] == format(int(size / n + 0.5), ","), (ln, tui[cells[-1]])
            compared += 1
        assert compared > 10, (out, tui)
        assert any("," in ln.split()[0] for ln in out.split("\n")[2:] if ln.strip()), out
        tmux.keys("q")
        tmux.wait_text("HS-EXIT=0")
    finally:
        target.stop()


def test_b_on_a_type_shows_who_holds_its_instances(tmux):
    """b on a Types row: the instances grouped by what holds them (path
    pattern and holder type), not the holders of the class object."""
    open_demo(tmux)
    tmux.keys("t", "/")
    tmux.type("Request")
    tmux.keys("Enter", "b")
    scr = tmux.wait_for(lambda s: "who holds __main__.Request (" in crumb(s) and body_rows(s),
                        timeout=30, what="the holders of the Request instances")
    top = body_rows(scr)[0]
    assert re.match(r"^\s*\d+%\s+[\d,]+\s+dict\s+__main__\.CACHE\[\.\.\.\]", top), scr
    assert "e.g. module __main__" in scr.text, scr
    tmux.keys("Enter")                       # the referrers of an example instance
    tmux.wait_for(lambda s: "Referrers" in s.text or "referrers" in crumb(s).lower(),
                  what="referrers of an example")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_thread_names_same_order_as_cli(tmux):
    """Threads are named (threading's names) and listed in the order
    `heapscope threads` prints them: the main thread first."""
    open_demo(tmux)
    scr = tmux.screen()
    pid = int(re.search(r"pid (\d+)", scr.line(0)).group(1))
    tmux.keys("T")
    scr = tmux.wait_text('"MainThread" main', '"worker"', timeout=20)
    tui = re.findall(r"Thread (\d+) \(native \d+\) \"([^\"]*)\"", scr.text)
    out = subprocess.run([HEAPSCOPE, "threads", str(pid)], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    cli = re.findall(r"^Thread (\d+) \(native \d+\) \"([^\"]*)\"", out, re.M)
    assert tui == cli and tui[0][1] == "MainThread" and len(tui) == 2, (tui, cli)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_demo_from_a_copied_binary(tmux, tmp_path):
    """--demo carries its script: a copy of the binary alone runs it."""
    import shutil
    alone = tmp_path / "bin" / "heapscope"
    alone.parent.mkdir()
    shutil.copy(HEAPSCOPE, str(alone))
    env = dict(TERMINALS["xterm-256color"])
    tmux.start("cd / && env %s %s --demo%s" % (" ".join("%s=%s" % kv for kv in sorted(env.items())),
                                               alone, AFTER))
    scr = tmux.wait_text("Overview", "Top types by size", timeout=30)
    assert "heapscope-demo" in scr.text, scr
    tmux.keys("t")
    tmux.wait_text("__main__.Request")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_types_show_untracked_objects(tmux):
    """Types lists every object the graph finds: str, bytes, int and float
    (never GC-tracked) appear with their count in the no-gc column, and the
    totals line says how many are GC-tracked (the exact census, the status
    line's count) and how many were found by reachability."""
    open_demo(tmux)
    tmux.keys("t")
    scr = tmux.wait_for(lambda s: any(TOTALS_RE.match(ln) for ln in s.lines), what="Types totals")
    objects = int(re.search(r"([\d,]+) GC-tracked", scr.line(0)).group(1).replace(",", ""))
    totals = [ln for ln in scr.lines if TOTALS_RE.match(ln)][0]
    m = re.search(r"^ ([\d,]+) objects, [\d.]+ \w+: ([\d,]+) GC-tracked \(exact\) \+ ([\d,]+) no-gc", totals)
    assert m, totals
    allobj, tracked, untracked = (int(g.replace(",", "")) for g in m.groups())
    assert tracked == objects and allobj == tracked + untracked and untracked > 1000, totals
    for name in ("str", "bytes", "int", "float"):
        tmux.keys("/")
        tmux.type(name)
        tmux.keys("Enter")
        scr = tmux.wait_for(lambda s: any(r.endswith(" " + name) for r in body_rows(s)),
                            what="the %s row" % name)
        row = [r for r in body_rows(scr) if r.endswith(" " + name)][0]
        cells = right_cells(scr, row)
        assert int(cells["count"].replace(",", "")) == int(cells["no-gc"].replace(",", "")) > 0, row
        tmux.keys("/", "Escape")
    tmux.keys("/")
    tmux.type("str")
    tmux.keys("Enter", "Enter")                 # its instances: untracked ones, "no-gc"
    tmux.wait_for(lambda s: re.match(r"^0x[0-9a-f]+\s+[\d,]+\s+\S+\s+no-gc ", body_rows(s)[0]),
                  what="str instances")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_memory_screen_adds_up(tmux):
    """M: where the RSS goes.  The overview's line under the memory line
    names the parts; the Memory screen lists each with its size and share,
    the shares add up to 100%, and pymalloc's figures are there."""
    open_demo(tmux)
    scr = tmux.wait_text("= objects ", "(M)")
    tmux.keys("M")
    scr = tmux.wait_text("Where the RSS of pid", "# bytes in allocated blocks", timeout=30)
    # "  name  [-]size  share%": "not resident" (-) is subtracted
    shares = [(-1 if m.group(1) == "-" else 1) * float(m.group(2)) for m in
              re.finditer(r"^\s{2}\S.{15}\s([ -])\s*[\d.]+ \S+\s+([\d.]+)%", scr.text, re.M)]
    names = [n for n in ("Python objects", "buffers they own", "pymalloc free", "native",
                         "thread stacks", "file-backed") if n in scr.text]
    assert len(names) == 6, scr
    assert len(shares) >= 8 and abs(sum(shares) - 100.0) < 1.0, (shares, scr)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_search_in_every_list(tmux):
    """/ searches the lines shown in screens without a filter (the
    threads' locals, the dominator tree, an instance list), n and N go to
    the next and previous match; Esc puts the cursor back."""
    open_demo(tmux)
    tmux.keys("T")
    tmux.wait_text('"worker"', "process_batch()")
    tmux.keys("/")
    tmux.wait_for(lambda s: s.line(-1).startswith("search:"), what="the search prompt")
    tmux.type("pending")
    scr = tmux.wait_for(lambda s: position(s) != "line 2 of " and "pending" in selected_row(tmux),
                        what="the cursor on 'pending'")
    tmux.keys("Enter")
    tmux.wait_text("n: next match")
    # the instances of Request: search a value, next, previous
    tmux.keys("t", "/")
    tmux.type("Request")
    tmux.keys("Enter", "Enter")
    tmux.wait_for(lambda s: "__main__.Request (" in crumb(s) and body_rows(s), what="Requests")
    tmux.keys("/")
    tmux.type("user='zo")
    tmux.keys("Enter")
    tmux.wait_text("n: next match")             # the search is done: the cursor rests
    first = tmux.screen()
    assert "user='zo" in selected_row(tmux), first
    p1 = position(first)
    tmux.keys("n")
    second = tmux.wait_for(lambda s: position(s) != p1 and "user='zo" in selected_row(tmux),
                           what="the next match")
    tmux.keys("N")
    tmux.wait_for(lambda s: position(s) == p1, what="back to the first match")
    tmux.keys("/")
    tmux.type("no such text anywhere")
    tmux.keys("Enter")
    tmux.wait_text("no line matches")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def selected_row(tmux):
    """The row under the cursor, read from the colours (the cursor bar's
    background): the line whose cells carry reverse video or the cursor
    colour pair."""
    scr = tmux.screen(escapes=True)
    for ln in scr.lines[3:-1]:
        if "\x1b[7m" in ln or "\x1b[30;46m" in ln or "\x1b[30m\x1b[46m" in ln or "\x1b[46m" in ln:
            return re.sub(r"\x1b\[[0-9;]*m", "", ln)
    return ""


def test_retainers_pane(tmux):
    """w splits the screen: under the list, the selected object's
    referrers and its distance from the nearest root (DevTools'
    Retainers); it follows the cursor; w again closes it."""
    open_demo(tmux)
    tmux.keys("t", "/")
    tmux.type("Request")
    tmux.keys("Enter", "Enter")
    tmux.wait_for(lambda s: "__main__.Request (" in crumb(s) and body_rows(s), what="Requests")
    tmux.keys("w")
    scr = tmux.wait_for(lambda s: re.search(r"Retainers of __main__\.Request 0x[0-9a-f]+: 1; 2 steps "
                                            r"from the nearest root \(module __main__\)", s.text),
                        what="the retainers pane")
    assert re.search(r"\['req-\d+'\]  in dict \{'req-", scr.text), scr
    first = re.search(r"Retainers of __main__\.Request (0x[0-9a-f]+)", scr.text).group(1)
    tmux.keys("Down")
    tmux.wait_for(lambda s: "Retainers of __main__.Request 0x" in s.text and first not in
                  s.find(r"Retainers of") , what="the pane following the cursor")
    tmux.keys("D")                                # the dominator tree keeps the pane
    tmux.wait_for(lambda s: "Retainers of" in s.text and "Dominators" in crumb(s), timeout=30,
                  what="the pane under the dominator tree")
    tmux.keys("w")
    tmux.wait_for(lambda s: "Retainers of" not in s.text, what="the pane closed")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_sites_screen(tmux, tmp_path):
    """`L`: objects grouped by allocation site, read from the target's own
    tracemalloc (tests/targets/sites_target.py on pyenv's 3.13: 3000 Slot
    objects made at one line, through two call chains); Space groups by
    whole traceback, where that line is two rows of 1,500."""
    python = "/root/.pyenv/versions/3.13.0/bin/python"
    if not os.access(python, os.X_OK):
        pytest.skip("pyenv 3.13.0 is not installed")
    truth = tmp_path / "truth.json"
    p = subprocess.Popen([python, os.path.join(REPO, "tests", "targets", "sites_target.py"), "start",
                          str(truth)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline().strip() == b"READY"
        slot = [s for s in json.loads(truth.read_text())["sites"] if s["kind"] == "slot"][0]
        where = "sites_target.py:%d" % slot["line"]
        dump1, dump2 = tmp_path / "sites.txt", tmp_path / "tracebacks.txt"
        script = tmp_path / "steps.txt"
        script.write_text("resize 120x30\nkey L\ndump %s\nkey Space\ndump %s\nkey q\n" % (dump1, dump2))
        env = dict(TERMINALS["xterm-256color"], HEAPSCOPE_TUI_SCRIPT=str(script))
        tmux.start(pane_command([str(p.pid)], env))
        tmux.wait_text("HS-EXIT=0", timeout=60)
        lines = dump1.read_text().split("\n")
        assert re.search(r"Sites \(\d+\)", lines[1]), lines[:3]
        rows = [ln for ln in lines if re.search(re.escape(where) + r"\b", ln) and "allocated" not in ln]
        assert rows and re.match(r"\s*3,000\s", rows[0]), "\n".join(lines)
        # the panel: the first row's traceback, what its objects retain
        first = re.search(r"(\S+:\d+)\s*\S?\s*$", lines[3]).group(1)
        assert any("allocated at " + first in ln for ln in lines), "\n".join(lines)
        assert any("together they retain" in ln for ln in lines), "\n".join(lines)
        lines = dump2.read_text().split("\n")
        assert "tracebacks" in lines[1], lines[:3]
        rows = [ln for ln in lines if where in ln and re.match(r"\s*1,500\s", ln)]
        assert len(rows) == 2, "\n".join(lines)
    finally:
        p.kill()
        p.wait()


def test_horizontal_scroll(tmux):
    """> shows the part of long values past the screen's edge (more of
    the value than fits), < goes back; the position says how far."""
    open_demo(tmux)
    tmux.keys("t", "/")
    tmux.type("Request")
    tmux.keys("Enter", "Enter")
    scr = tmux.wait_for(lambda s: body_rows(s) and "<Request rid=" in body_rows(s)[0],
                        what="Requests")
    tmux.keys(">")
    scr = tmux.wait_for(lambda s: "values from char 61" in position(s), what="scrolled right")
    row = body_rows(scr)[0]
    assert "<Request rid=" not in row and row.split()[0].startswith("0x"), scr
    tmux.keys(">")
    scr = tmux.wait_for(lambda s: "values from char 121" in position(s), what="further right")
    # the end of the value: its last attribute
    assert "started=" in body_rows(scr)[0] and body_rows(scr)[0] != row, scr
    tmux.keys("<", "<")
    tmux.wait_for(lambda s: position(s).startswith("line ") and "<Request rid=" in body_rows(s)[0],
                  what="back at the start")
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_suspect_rows_name_the_holder(tmux):
    """A big object's finding names what holds it (the demo's MODEL), not
    only its type."""
    open_demo(tmux)
    tmux.keys("S")
    scr = tmux.wait_for(lambda s: any("large_object" in r for r in body_rows(s)), timeout=30,
                        what="the large object finding")
    row = [r for r in body_rows(scr) if "large_object" in r][0]
    assert re.search(r"bytes retains [\d.]+ MiB, held by module __main__ (\u2192|->) \.MODEL", row), scr
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")
