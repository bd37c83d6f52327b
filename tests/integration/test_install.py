"""Installed like a tool: `meson install` puts the binary, heapscope(1) and
the bash completion in place; the man page renders with `man -l` without
warnings and documents every command of `heapscope --help`, every exit
code, and exactly the keys the explorer's own help screen lists;
`--version` prints the version and the build.
"""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import HEAPSCOPE, REPO, SUPPORTED_TEXT, heapscope_or_fail

sys.path.insert(0, os.path.join(REPO, "tests", "tui"))
from tmuxdrive import Tmux  # noqa: E402

MAN = os.path.join(REPO, "doc", "heapscope.1")
COMPLETION = os.path.join(REPO, "doc", "heapscope.bash")


def build_dir():
    d = os.path.dirname(os.path.dirname(os.path.abspath(HEAPSCOPE)))
    if not os.path.isfile(os.path.join(d, "build.ninja")):
        pytest.fail("%s is not in a meson build directory; set HEAPSCOPE=BUILD/cli/heapscope" % HEAPSCOPE)
    return d


@pytest.fixture(scope="module")
def installed():
    dest = tempfile.mkdtemp(prefix="heapscope-destdir-")
    atexit.register(shutil.rmtree, dest, True)
    r = subprocess.run(["meson", "install", "-C", build_dir(), "--quiet", "--destdir", dest],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0, r.stdout + r.stderr
    found = {}
    for top, _, files in os.walk(dest):
        for f in files:
            found[os.path.relpath(os.path.join(top, f), dest)] = os.path.join(top, f)
    return found


def one(installed, pattern):
    hits = [p for rel, p in installed.items() if re.search(pattern, rel)]
    assert len(hits) == 1, "expected one installed file matching %s, got %r" % (pattern, sorted(installed))
    return hits[0]


def man_text(path, width=100):
    env = dict(os.environ, MANWIDTH=str(width), MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "--warnings", "-l", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == "", "groff warnings:\n" + r.stderr
    return re.sub(r".\x08", "", r.stdout)


def section(text, name):
    m = re.search(r"^%s\n(.*?)(?=^[A-Z][A-Z ]+\n)" % re.escape(name), text, re.M | re.S)
    assert m, "no %s section" % name
    return m.group(1)


def test_install_layout(installed):
    binary = one(installed, r"(^|/)bin/heapscope$")
    man = one(installed, r"share/man/man1/heapscope\.1$")
    comp = one(installed, r"share/bash-completion/completions/heapscope$")
    assert os.access(binary, os.X_OK)
    r = subprocess.run([binary, "--version"], stdout=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0 and r.stdout.startswith("heapscope "), r.stdout
    assert open(man).read() == open(MAN).read()
    assert open(comp).read() == open(COMPLETION).read()
    assert "HEAPSCOPE(1)" in man_text(man)


def test_version():
    r = subprocess.run([heapscope_or_fail(), "--version"], stdout=subprocess.PIPE,
                       universal_newlines=True)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and re.match(r"^heapscope \d+\.\d+\.\d+( \(test build: obeys HEAPSCOPE_TEST_\* hooks\))?$", lines[0]), r.stdout
    m = re.match(r"^build: (\S+), (static|dynamic), build-id ([0-9a-f]{40})$", lines[1])
    assert m, lines[1]
    if os.path.exists(os.path.join(REPO, ".git")):
        # a checkout: the build names a commit of it (git describe: TAG-N-gHASH or HASH)
        commit = m.group(1).replace("-dirty", "").split("-")[-1]
        commit = commit[1:] if re.match(r"^g[0-9a-f]{7,}$", commit) else commit
        r = subprocess.run(["git", "-C", REPO, "cat-file", "-e", commit + "^{commit}"],
                           stderr=subprocess.PIPE, universal_newlines=True)
        assert r.returncode == 0, "build %s names no commit of %s: %s" % (m.group(1), REPO, r.stderr)
    assert lines[2].startswith("supports: " + SUPPORTED_TEXT)


def test_man_documents_every_command():
    help_text = subprocess.run([heapscope_or_fail(), "--help"], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout
    usage = help_text.split("\n\n")[0]
    commands = set()
    for m in re.finditer(r"heapscope ([a-z][a-z|]+)", usage):
        commands.update(m.group(1).split("|"))
    assert {"types", "ps", "watch", "suspects"} <= commands, commands
    text = man_text(MAN)
    cmds = section(text, "COMMANDS")
    missing = [c for c in sorted(commands) if not re.search(r"^       %s\b" % c, cmds, re.M)]
    assert not missing, "commands not in heapscope(1) COMMANDS: %s" % missing
    syn = section(text, "SYNOPSIS")
    missing = [c for c in sorted(commands) if not re.search(r"\b%s\b" % c, syn)]
    assert not missing, "commands not in the SYNOPSIS: %s" % missing
    for opt in re.findall(r"^  (--[a-z-]+)", help_text, re.M) + ["--pid-of", "--help", "--version"]:
        assert opt in text, "option %s not in heapscope(1)" % opt


def test_man_documents_every_exit_code():
    help_text = subprocess.run([heapscope_or_fail(), "--help"], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout
    para = help_text[help_text.index("Exit codes:"):].split("\n\n")[0]
    codes = sorted(set(int(c) for c in re.findall(r"(?<![\d.])(\d+) [a-z]", para)))
    assert 0 in codes and 4 in codes and 20 in codes, codes
    status = section(man_text(MAN), "EXIT STATUS")
    have = sorted(int(c) for c in re.findall(r"^       (\d+)(?:\s|$)", status, re.M))
    assert have == codes, "heapscope(1) exit codes %s, --help says %s" % (have, codes)


def help_screen_keys():
    """The keys the explorer's ? screen lists (a real session in tmux)."""
    target = subprocess.Popen([sys.executable, "-c", "import sys; print('READY', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    tmux = Tmux(width=120, height=70)
    try:
        assert target.stdout.readline().strip() == b"READY"
        tmux.start("env TERM=xterm-256color LANG=C.UTF-8 %s %d; sleep 60" % (heapscope_or_fail(), target.pid))
        tmux.wait_text("Overview")
        tmux.keys("?")
        scr = tmux.wait_text("Quit")
    finally:
        tmux.kill()
        target.kill()
        target.wait()
    keys = set()
    for ln in scr.lines[3:]:
        if ln.rstrip(" \u2588\u2502").strip() == "Notes":    # prose follows the key table (a scroll bar may end the line)
            break
        m = re.match(r"^  (\S.{21}) \S", ln)   # keys_help_lines(): "  %-22s %s"
        if m:
            keys.update(m.group(1).split())
    assert {"q", "?", "Enter", "Up", "/"} <= keys, "could not read the help screen:\n%s" % scr
    return keys


def test_man_documents_exactly_the_keys():
    src = open(MAN).read()
    keys_sec = src[src.index(".SH KEYS"):src.index("In the process picker")]
    documented = set()
    for m in re.finditer(r"^\.TP\n\.B (.+)$", keys_sec, re.M):
        documented.update(k.strip() for k in m.group(1).split(","))
    shown = help_screen_keys()
    assert shown - documented == set(), "keys the explorer has and heapscope(1) lacks: %s" % sorted(shown - documented)
    assert documented - shown == set(), "keys heapscope(1) lists that the explorer lacks: %s" % sorted(documented - shown)


def complete(words, cword):
    script = ('source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _heapscope; printf "%%s\\n" "${COMPREPLY[@]}"'
              % (COMPLETION, " ".join("'%s'" % w for w in words), cword))
    r = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def test_bash_completion():
    hs = heapscope_or_fail()
    assert complete([hs, "ty"], 1) == {"types"}
    assert {"top", "threads"} <= complete([hs, "t"], 1)
    assert complete([hs, "types", "1", "--sort", "c"], 4) == {"count"}
    assert "--pid-of" in complete([hs, "types", "--pi"], 2)
    target = subprocess.Popen([sys.executable, "-c", "import sys; print('READY', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert target.stdout.readline().strip() == b"READY"
        assert str(target.pid) in complete([hs, "types", ""], 2), "PIDs of Python processes"
        assert str(target.pid) in complete([hs, ""], 1)
        assert complete([hs, "types", str(target.pid), ""], 3) == set(), "no PID after the PID"
    finally:
        target.kill()
        target.wait()
