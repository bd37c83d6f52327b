"""Every --json command writes strict JSON in strict UTF-8, on every
interpreter of the matrix, from a heap full of text that is hard to write
(tests/targets/json_target.py): lone surrogates in str values and keys, in
a class's __qualname__/__module__, a function's and a code object's name
(in a running thread's stack), astral characters, bytes that are not
UTF-8, control characters.

Strict means: the bytes decode with Python's strict UTF-8 codec (which
refuses encoded surrogates, overlong forms and stray bytes); json.loads
accepts them with no NaN/Infinity, no control characters in strings and
no duplicate keys; and the text the target holds comes back exactly
(a surrogate as \\udXXX, as Python's json writes it).
"""
import json
import os
import select
import subprocess
import time

import pytest

from conftest import REPO, SUPPORTED_IDS, expect_rc, interpreter_or_skip, run_heapscope

TARGET = os.path.join(REPO, "tests", "targets", "json_target.py")


class JsonTarget(object):
    def __init__(self, python):
        self.proc = subprocess.Popen([python, TARGET], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.time() + 30
        while b"\n" not in buf and time.time() < deadline:
            if select.select([fd], [], [], 1)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                buf += chunk
        words = buf.split()
        if len(words) != 4 or words[0] != b"READY":
            self.stop()
            pytest.fail("json target did not start: %r %r" % (buf, self.proc.stderr.read()))
        self.pid = self.proc.pid
        self.nasty, self.odd, self.raw = [hex(int(w)) for w in words[1:]]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module", params=SUPPORTED_IDS)
def jtarget(request):
    python, _ = interpreter_or_skip(request.param)
    t = JsonTarget(python)
    yield t
    t.stop()


def commands(t):
    p = str(t.pid)
    return {
        "types": ["types", "--tracked-only", p],
        "gens": ["gens", p],
        "threads": ["threads", p],
        "objects-str": ["objects", p, "--type", "str", "--limit", "3000"],
        "objects-dict": ["objects", p, "--type", "dict"],
        "show-dict": ["show", p, t.nasty, "--limit", "100"],
        "show-instance": ["show", p, t.odd],
        "show-bytes": ["show", p, t.raw],
        "referents": ["referents", p, t.nasty, t.odd],
        "referrers": ["referrers", p, t.odd, t.raw],
        "path": ["path", p, t.odd],
        "top": ["top", p, "--limit", "50"],
        "top-addr": ["top", p, t.nasty, t.odd],
        "suspects": ["suspects", p, "--min-bytes", "0", "--limit", "50"],
        "watch": ["watch", p, "--interval", "0.2", "--count", "1"],
        "memory": ["memory", p],
    }


def no_constants(name):
    raise ValueError("%s is not JSON" % name)


def unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate keys in an object: %r" % sorted(keys))
    return dict(pairs)


def strict_json(run):
    """The document, after the strict checks (pytest.fail otherwise)."""
    try:
        text = run.raw_out.decode("utf-8", "strict")
    except UnicodeDecodeError as e:
        bad = run.raw_out[max(e.start - 40, 0):e.end + 40]
        pytest.fail("not valid UTF-8 (%s) around %r\n%s" % (e, bad, run.describe()[:500]))
    try:
        return json.loads(text, parse_constant=no_constants, object_pairs_hook=unique_keys)
    except ValueError as e:
        pytest.fail("not strict JSON: %s\n%s" % (e, run.describe()[:2000]))


def walk_strings(doc):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            for s in walk_strings(v):
                yield s
    elif isinstance(doc, list):
        for v in doc:
            for s in walk_strings(v):
                yield s
    elif isinstance(doc, str):
        yield doc


# What the target's text must come back as, per command (a str in the
# parsed document that contains it).
MUST_CONTAIN = {
    "types": [u"Odd\ud800Name", u"mod\udcffule"],
    "threads": [u"sleep\ud800er"],
    "show-instance": [u"Odd\ud800Name", u"attr_\udc00"],
    "objects-dict": [],
    "top-addr": [u"Odd\ud800Name"],
}


@pytest.mark.parametrize("name", sorted(commands(type("T", (), {"pid": 0, "nasty": "", "odd": "",
                                                                  "raw": ""})())))
def test_json_is_strict_utf8(jtarget, name):
    argv = commands(jtarget)[name] + ["--json"]
    run = run_heapscope(argv, check_target=jtarget.pid)
    expect_rc(run, 0)
    doc = strict_json(run)
    assert doc.get("pid") == jtarget.pid, doc.get("pid")
    strings = list(walk_strings(doc))
    for want in MUST_CONTAIN.get(name, []):
        assert any(want in s for s in strings), "%r not in the output of %s" % (want, name)
