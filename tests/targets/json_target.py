# -*- coding: utf-8 -*-
"""json_target.py - a heap full of text that is hard to write as JSON, for
tests/integration/test_json_output.py.  Runs on CPython 3.7-3.13.

    python json_target.py

Strings with lone surrogates (as os.fsdecode makes of undecodable file
names) and astral characters, as dict keys and values, in a class's
__qualname__ and __module__, a function's __name__ and a code object's
co_name (a thread sleeps inside it, so `threads` shows it); bytes that
are not UTF-8; control characters, quotes and backslashes.  Prints

    READY <id of NASTY dict> <id of an Odd instance> <id of the bytes>

and blocks on stdin until it is closed.
"""
import gc
import sys
import threading
import time

gc.disable()

SURR = [u"\ud800", u"\udfff", u"lone \udc80 low", u"\ud83d\udc0d pair as two", u"x\udcff"]
TEXT = [u"snake \U0001f40d", u"quote \" backslash \\ tab \t nl \n nul \x00 del \x7f",
        u"\x01\x1f control", u"caf\xe9 \u20ac \u0416"]
NASTY = {}
for i, s in enumerate(SURR + TEXT):
    NASTY[s] = s * 3
    NASTY["k%d" % i] = [s, s.encode("utf-8", "surrogatepass")]
RAW = b"\xff\xfe\xc0\x80\xed\xa0\x80 not utf-8 \xf5\x80"
NASTY["raw"] = RAW


class Odd(object):
    def __init__(self, tag):
        self.tag = tag
        self.__dict__[u"attr_\udc00"] = tag


Odd.__qualname__ = u"Odd\ud800Name"
Odd.__module__ = u"mod\udcffule"
ODD = [Odd(s) for s in SURR + TEXT]


def sleeper():
    while True:
        time.sleep(3600)


sleeper.__name__ = u"sleep\ud800er"
if hasattr(sleeper.__code__, "replace"):
    sleeper.__code__ = sleeper.__code__.replace(co_name=u"sleep\ud800er")
else:  # before 3.8: no code.replace()
    _c = sleeper.__code__
    sleeper.__code__ = type(_c)(_c.co_argcount, _c.co_kwonlyargcount, _c.co_nlocals, _c.co_stacksize,
                                _c.co_flags, _c.co_code, _c.co_consts, _c.co_names, _c.co_varnames,
                                _c.co_filename, u"sleep\ud800er", _c.co_firstlineno, _c.co_lnotab,
                                _c.co_freevars, _c.co_cellvars)
    del _c
T = threading.Thread(target=sleeper, name=u"thread \udcff")
T.daemon = True
T.start()

sys.stdout.write("READY %d %d %d\n" % (id(NASTY), id(ODD[0]), id(RAW)))
sys.stdout.flush()
sys.stdin.read()
