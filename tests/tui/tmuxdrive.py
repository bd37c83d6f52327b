"""tmuxdrive - drive a real terminal program inside tmux and read its screen.

Every test gets its own tmux server (`tmux -L heapscope-test-<n>`), so a
test can never see or kill the user's sessions, and teardown kills the
whole server.  The screen is read with `capture-pane -p` (text only; -e
adds the escape sequences for colour checks).
"""
import os
import re
import itertools
import subprocess
import time

SOCKET = "heapscope-test"
_serial = itertools.count()


class Screen(object):
    """One capture of the pane: a list of lines (trailing blanks kept)."""

    def __init__(self, text, width, height):
        self.text = text
        self.lines = text.split("\n")[:height]
        self.width = width
        self.height = height

    def __contains__(self, s):
        return s in self.text

    def line(self, i):
        return self.lines[i] if -len(self.lines) <= i < len(self.lines) else ""

    def find(self, pattern):
        """First line matching the regex, or None."""
        for ln in self.lines:
            if re.search(pattern, ln):
                return ln
        return None

    def __str__(self):
        ruler = "+" + "-" * self.width + "+"
        body = "\n".join("|" + ln.ljust(self.width) + "|" for ln in self.lines)
        return "%s\n%s\n%s" % (ruler, body, ruler)

    __repr__ = __str__


class Tmux(object):
    def __init__(self, name=SOCKET, width=120, height=40):
        # One server per test: a killed server may still be shutting down
        # when the next test starts, so never reuse a socket name.
        self.socket = "%s-%d-%d" % (name, os.getpid(), next(_serial))
        self.width, self.height = width, height
        self.started = False

    def tmux(self, *args, **kw):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if kw.get("check", True) and r.returncode != 0:
            raise AssertionError("tmux %s failed (%d): %s" % (args[0], r.returncode, r.stderr))
        return r

    def start(self, command, env=None):
        """Run `command` (a shell string) in a fresh session.  When it
        exits the pane stays (remain-on-exit) so its last screen and the
        shell's follow-up output can still be read."""
        envs = []
        for k, v in sorted((env or {}).items()):
            envs += ["-e", "%s=%s" % (k, v)]
        self.tmux("new-session", "-d", "-s", "t", "-x", str(self.width), "-y",
                  str(self.height), *(envs + [command]))
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        self.started = True

    def kill(self):
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False

    def keys(self, *keys, **kw):
        """send-keys; literal=True sends text as typed."""
        args = ["send-keys", "-t", "t"]
        if kw.get("literal"):
            args.append("-l")
        self.tmux(*(args + list(keys)))

    def type(self, text):
        self.keys(text, literal=True)

    def resize(self, width, height):
        self.width, self.height = width, height
        self.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def screen(self, escapes=False):
        args = ["capture-pane", "-p", "-t", "t"]
        if escapes:
            args.insert(2, "-e")
        return Screen(self.tmux(*args).stdout, self.width, self.height)

    def display(self, fmt):
        return self.tmux("display-message", "-p", "-t", "t", fmt).stdout.strip()

    def pane_pid(self):
        return int(self.display("#{pane_pid}"))

    def pane_dead(self):
        return self.display("#{pane_dead}") == "1"

    def wait_for(self, predicate, timeout=15.0, what="screen condition"):
        """Poll the screen until predicate(screen) is true; return it.
        On timeout raise AssertionError showing the last screen."""
        deadline = time.time() + timeout
        scr = self.screen()
        while time.time() < deadline:
            scr = self.screen()
            try:
                if predicate(scr):
                    return scr
            except (IndexError, ValueError):
                pass
            time.sleep(0.1)
        raise AssertionError("timed out waiting for %s; screen:\n%s" % (what, scr))

    def wait_text(self, *texts, **kw):
        return self.wait_for(lambda s: all(t in s for t in texts),
                             timeout=kw.get("timeout", 15.0),
                             what="text %r" % (texts,))
