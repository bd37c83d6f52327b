"""The explorer on a snapshot file: `heapscope FILE` opens it, shows the
file's process (its PID and command line as saved), and browses the types
and instances as it would live, after the target is gone."""
import os
import subprocess

import pytest

from test_tui import (HEAPSCOPE, TERMINALS, CensusTarget, census_python, pane_command,  # noqa: F401
                      tmux)


def test_explorer_on_a_file(tmux, tmp_path):
    t = CensusTarget(census_python(), tmp_path)
    f = str(tmp_path / "census.hsnap")
    try:
        r = subprocess.run([HEAPSCOPE, "save", str(t.pid), "-o", f], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert r.returncode == 0, r.stderr
        pid = t.pid
    finally:
        t.stop()          # the process is gone: only the file is left
    tmux.start(pane_command([f], TERMINALS["xterm-256color"]))
    scr = tmux.wait_text("Overview", "Top types by size", timeout=30)
    assert "pid %d" % pid in scr.line(0), scr
    assert "census_target.py" in scr.text, scr
    tmux.keys("t", "/")
    tmux.type("Grown")
    tmux.keys("Enter", "Enter")
    tmux.wait_text("<Grown", timeout=15)
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")


def test_explorer_baseline(tmux, tmp_path):
    """--baseline OLDER: the explorer's deltas and new objects are against
    the older snapshot file from the start."""
    t = CensusTarget(census_python(), tmp_path)
    a, b = str(tmp_path / "a.hsnap"), str(tmp_path / "b.hsnap")
    try:
        for f, grow in ((a, 25), (b, None)):
            r = subprocess.run([HEAPSCOPE, "save", str(t.pid), "-o", f], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
            assert r.returncode == 0, r.stderr
            if grow:
                t.command("grow %d" % grow)
    finally:
        t.stop()
    tmux.start(pane_command([b, "--baseline", a], TERMINALS["xterm-256color"]))
    tmux.wait_text("Overview", timeout=30)
    tmux.keys("t", "/")
    tmux.type("Grown")
    tmux.keys("Enter")
    scr = tmux.wait_text("__main__.Grown", timeout=15)
    row = scr.find(r"__main__\.Grown")
    assert row and "+25" in row, scr
    tmux.keys("q")
    tmux.wait_text("HS-EXIT=0")
