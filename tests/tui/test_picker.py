"""The process picker: `heapscope` without a PID, in a terminal (tmux).

Real processes are listed (each carries a unique token in its command
line, so a test finds its own among whatever else runs); / filters, Enter
attaches and the explorer follows on the same terminal; a process that
cannot be attached (an unsupported version, another tracer) shows why
under the list and the picker stays.  HEAPSCOPE_TUI_SCRIPT drives the
picker and then the explorer with one script.
"""
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmuxdrive import Tmux  # noqa: E402
from test_tui import AFTER, HEAPSCOPE, assert_running, assert_terminal_sane, shell_quote  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "integration"))     # test_errors' stand-in for an old CPython

# the token first: the COMMAND column shows the start of the command line

IDLE = "# %s\nimport sys, time; sys.stdout.write('READY\\n'); sys.stdout.flush(); time.sleep(600)"
DEBIAN = "/usr/bin/python3.11"
TERMS = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


class Idle(object):
    def __init__(self, python):
        self.token = "hs-" + uuid.uuid4().hex[:10]
        self.proc = subprocess.Popen([python, "-c", IDLE % self.token], stdout=subprocess.PIPE)
        assert self.proc.stdout.readline().strip() == b"READY"
        self.pid = self.proc.pid

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def idle():
    started = []

    def start(python=DEBIAN):
        if not os.access(python, os.X_OK):
            pytest.skip("%s not installed" % python)
        t = Idle(python)
        started.append(t)
        return t

    yield start
    for t in started:
        t.stop()


@pytest.fixture
def tmux():
    t = Tmux(width=120, height=30)
    yield t
    t.kill()


def start_picker(tmux, env=None, args=()):
    envs = dict(TERMS)
    envs.update(env or {})
    e = " ".join("%s=%s" % (k, shell_quote(v)) for k, v in sorted(envs.items()))
    tmux.start("env %s %s %s%s" % (e, shell_quote(HEAPSCOPE), " ".join(args), AFTER))
    return tmux.wait_text("Pick a Python process", timeout=20)


def flat(scr):
    """The screen as one line: panel text wraps."""
    return re.sub(r"\s+", " ", scr.text)


def row_of(scr, pid):
    """The picker's row of pid ('' when not shown)."""
    for ln in scr.lines[3:]:
        if re.match(r"^\s*%d\s" % pid, ln):
            return ln
    return ""


def filter_to(tmux, token):
    tmux.keys("/")
    tmux.type(token)
    tmux.keys("Enter")
    scr = tmux.wait_text("Processes /%s (1 of" % token)
    assert re.search(r"line 1 of 1$", scr.line(1).rstrip()), scr   # the position, as in every list
    return scr


def test_pick_and_explore(tmux, idle):
    t = idle()
    other = idle()
    scr = start_picker(tmux)
    assert re.search(r"PID\s+INNER\s+USER\s+PYTHON\s+RSS\s+CONTAINER\s+ATTACH\s+COMMAND", scr.line(2)), scr
    # (other tests' targets may fill the list: find ours with the filter)
    assert int(re.search(r"(\d+) found", scr.line(0)).group(1)) >= 2, scr
    filter_to(tmux, other.token)
    tmux.keys("Escape")
    tmux.wait_for(lambda s: re.sub(r"\s+line \d+ of \d+$", "", s.line(1).strip()) == "Processes",
                  what="the filter cleared")
    scr = filter_to(tmux, t.token)
    row = row_of(scr, t.pid)
    assert re.match(r"^\s*%d\s+-\s+root\s+3\.11\.2\s+[\d.]+ MiB\s+-\s+yes\s" % t.pid, row), scr
    assert other.token not in "\n".join(scr.lines[3:-6]), "the filter should hide the other one"
    assert "Enter attaches" in scr
    tmux.keys("Enter")
    scr = tmux.wait_text("pid %d  Python 3.11.2" % t.pid, "Overview")
    assert_running(t.pid)
    tmux.keys("q")
    scr = tmux.wait_text("HS-EXIT=0")
    assert_terminal_sane(tmux)
    assert_running(t.pid)


class OldPython(object):
    """An interpreter heapscope does not support. Every CPython installed
    here is supported, so this is test_errors' stand-in for CPython 3.5 (a
    tiny static executable with what pyfind looks at); the token rides in
    its command line like Idle's."""
    def __init__(self, tmp_path):
        from tinypython import TINY_OLD_PYTHON, build_tiny_python
        exe = build_tiny_python(tmp_path, "python3.5", [], TINY_OLD_PYTHON)
        self.token = "hs-" + uuid.uuid4().hex[:10]
        self.proc = subprocess.Popen([exe, self.token])
        self.pid = self.proc.pid
        deadline = time.time() + 5
        while time.time() < deadline and not os.path.exists("/proc/%d/maps" % self.pid):
            time.sleep(0.01)
        time.sleep(0.1)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def old_python(tmp_path):
    t = OldPython(tmp_path)
    yield t
    t.stop()


def test_unsupported_shows_why_and_stays(tmux, idle, old_python):
    version = "3.5.10"
    old = old_python
    good = idle()
    start_picker(tmux)
    scr = filter_to(tmux, old.token)
    row = row_of(scr, old.pid)
    assert re.search(r"\b%s\b.*\bno\b" % re.escape(version), row), row
    assert "which heapscope does not support" in flat(scr), "the reason should be under the list:\n%s" % scr
    tmux.keys("Enter")      # try anyway: refused, the picker stays
    scr = tmux.wait_text("cannot attach to PID %d" % old.pid)
    assert "Pick a Python process" in scr and "supported: CPython" in flat(scr), scr
    # Esc clears the filter; another process can be picked
    tmux.keys("Escape")
    tmux.wait_for(lambda scr: re.sub(r"\s+line \d+ of \d+$", "", scr.line(1).strip()) == "Processes",
                  what="the filter cleared")
    filter_to(tmux, good.token)
    tmux.keys("Enter")
    tmux.wait_text("pid %d  Python 3.11.2" % good.pid)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")
    assert_running(old.pid)
    assert_running(good.pid)


def test_traced_process_shows_the_tracer(tmux, idle):
    t = idle()
    tracer_src = ("import ctypes,sys; libc=ctypes.CDLL(None); "
                  "libc.ptrace.argtypes=[ctypes.c_long,ctypes.c_long,ctypes.c_void_p,ctypes.c_void_p]; "
                  "assert libc.ptrace(0x4206,%d,None,None)==0; print('SEIZED',flush=True); sys.stdin.read()"
                  % t.pid)
    tr = subprocess.Popen([sys.executable, "-c", tracer_src], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert tr.stdout.readline().strip() == b"SEIZED"
        start_picker(tmux)
        scr = filter_to(tmux, t.token)
        assert re.search(r"\bno\b", row_of(scr, t.pid)), scr
        assert "already traced by PID %d (python" % tr.pid in flat(scr), scr
        tmux.keys("q")
        tmux.wait_text("HS-EXIT=0")
    finally:
        tr.stdin.close()
        tr.wait()


def test_script_drives_picker_then_explorer(tmux, idle, tmp_path):
    t = idle()
    d1, d2 = str(tmp_path / "picker.txt"), str(tmp_path / "explorer.txt")
    script = tmp_path / "steps.txt"
    script.write_text("key /\ntype %s\nkey Enter\ndump %s\nkey Enter\nsleep 300\nkey t\ndump %s\nkey q\n"
                      % (t.token, d1, d2))
    tmux.start("env %s HEAPSCOPE_TUI_SCRIPT=%s %s%s" % (
        " ".join("%s=%s" % kv for kv in sorted(TERMS.items())), shell_quote(str(script)),
        shell_quote(HEAPSCOPE), AFTER))
    tmux.wait_text("HS-EXIT=0", timeout=30)
    picker = open(d1).read()
    explorer = open(d2).read()
    assert "Processes /%s (1 of" % t.token in picker and str(t.pid) in picker, picker
    assert "pid %d  Python 3.11.2" % t.pid in explorer and "Overview > Types" in explorer.replace(
        "\u203a", ">"), explorer
    assert_running(t.pid)


def test_unknown_term_falls_back_to_vt100(tmux, idle):
    t = idle()
    scr = start_picker(tmux, env={"TERM": "no-such-terminal-xyz"})
    assert "TERM=no-such-terminal-xyz has no terminfo entry here; using the built-in vt100" in flat(scr), scr
    filter_to(tmux, t.token)
    tmux.keys("Enter")
    tmux.wait_text("pid %d" % t.pid)
    tmux.keys("q")
    scr = tmux.wait_text("HS-EXIT=0")
    assert "heapscope: note: TERM=no-such-terminal-xyz" in scr, scr


def test_no_terminal_no_picker():
    """Without a terminal there is nothing to pick with: usage, exit 2."""
    r = subprocess.run([HEAPSCOPE], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
    assert r.returncode == 2 and "usage" in r.stderr, r.stderr
