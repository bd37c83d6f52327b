#!/usr/bin/env python3
"""Write the seed inputs of tests/fuzz/corpus/ (see fuzz_heap.c for the
format): for each Python 2.7 and 3.6-3.13 a few small heaps of each shape, which
the fuzzer then mutates.  The committed corpus is these seeds plus what
fuzzing found (see scripts/fuzz.sh); rerun this only to add shapes.

    python3 tests/fuzz/make_seeds.py tests/fuzz/corpus
"""
import os
import struct
import sys

TYPES = ["type", "object", "Thing", "Slotted", "int", "bool", "float", "complex", "str", "bytes",
         "bytearray", "tuple", "list", "dict", "set", "frozenset", "deque", "OrderedDict", "module",
         "function", "code", "cell", "method", "builtin", "generator", "coroutine", "frame",
         "weakref", "property", "staticmethod", "BaseException", "traceback", "slice", "range",
         "NoneType", "BytesIO", "Struct", "CThing"]
T = dict((n, i) for i, n in enumerate(TYPES))


def INT(v):
    assert -16 <= v < 112
    return bytes([v + 16])


def OBJ(i):
    return bytes([0x80 | (i & 0x3f)])


def TYPE(name):
    return bytes([0xc0, T[name]])


def INSIDE(i, k):
    return bytes([0xc1, i, k])


def STR(i):
    return bytes([0xc2, i])


INTERP = b"\xc3"
RT = b"\xc4"


def HEAD(k):
    return bytes([0xc5, k])


def RAW(v):
    return b"\xc6" + struct.pack("<Q", v & 0xffffffffffffffff)


def SPECIAL(k):
    return bytes([0xc7 + k])


def obj(kind, gen, body, pre=(INT(0), INT(0))):
    return bytes([0, T[kind], gen, len(body)]) + b"".join(pre) + b"".join(body)


def patch(target, index, word, value):
    head = bytes([3, target]) + (bytes([index]) if target >= 2 else b"")
    return head + struct.pack("<H", word) + value


def ascii_str(text):
    """A body for a compact ASCII str: length, hash, state, then data
    (the offsets differ per version; the fuzzer sorts that out)."""
    data = text.encode() + b"\0"
    data += b"\0" * (-len(data) % 8)
    words = [INT(len(text)), RAW(-1), RAW(0x64)]
    words += [RAW(struct.unpack("<Q", data[i:i + 8])[0]) for i in range(0, len(data), 8)]
    return words


def seeds(minor, major=3):
    """minor of 3.x, or (major=2) 2.7"""
    v = bytes([0xf2 if major == 2 else minor - 8 if minor >= 8 else {7: 0xf0, 6: 0xf1}[minor]])
    out = {}
    # plain census: objects in every generation, some untracked
    out["census"] = v + b"\0" + b"".join([
        obj("Thing", 0, [INT(0)]), obj("Thing", 1, [INT(1)]), obj("tuple", 2, [INT(2), OBJ(3), OBJ(4)]),
        obj("int", 4, [INT(1), INT(5)]), obj("int", 4, [INT(1), INT(7)]),
        obj("list", 2, [INT(2), INSIDE(6, 4), INT(2)]), obj("bytes", 4, [OBJ(3), OBJ(4)]),
        obj("CThing", 3, [INT(9)])])
    # containers
    out["containers"] = v + b"\0" + b"".join([
        obj("dict", 0, [INT(2), INT(0), INSIDE(1, 4), INT(0)]),
        obj("bytes", 4, [RAW(0x0101000000000001), INT(2), INT(2), RAW(0xff00ff01ffffffff),
                         RAW(5), OBJ(2), OBJ(3), RAW(6), OBJ(4), OBJ(5)]),
        obj("str", 4, ascii_str("key")), obj("int", 4, [INT(1), INT(3)]),
        obj("str", 4, ascii_str("other")), obj("float", 4, [RAW(0x400921fb54442d18)]),
        obj("set", 1, [INT(2), INT(2), INT(7), INSIDE(7, 4), INT(0), RAW(0)]),
        obj("bytes", 4, [OBJ(2), RAW(5), OBJ(4), RAW(6)] + [INT(0)] * 12),
        obj("frozenset", 2, [INT(1), INT(1), INT(7), INSIDE(7, 4)]),
        obj("deque", 2, [INT(3), INSIDE(7, 4), INSIDE(7, 4), INT(0), INT(3)])])
    # instances: managed dicts (flags bit 1), __dict__ slots, __slots__
    out["instances"] = v + b"\x06" + b"".join([
        obj("Thing", 0, [OBJ(2), INT(0)], pre=(OBJ(2), INT(0))),
        obj("Slotted", 1, [OBJ(3), OBJ(4), OBJ(5)]),
        obj("dict", 1, [INT(1), INT(0), INSIDE(6, 4), INT(0)]),
        obj("str", 4, ascii_str("attr")), obj("int", 4, [INT(1), INT(42)]),
        obj("bytes", 4, [INT(3)] + ascii_str("xyz")),
        obj("bytes", 4, [RAW(0x0001000000000001), INT(1), INT(1), RAW(0), OBJ(3), OBJ(4)] + [INT(0)] * 6)])
    # functions, code, cells, methods, generators, exceptions
    out["callables"] = v + b"\0" + b"".join([
        obj("function", 0, [OBJ(1), OBJ(2), OBJ(3), INT(0), OBJ(4), OBJ(3), OBJ(3), INT(0)]),
        obj("code", 4, [INT(1), INT(2), INT(3), INT(0), OBJ(3), OBJ(3), OBJ(3), OBJ(3), OBJ(3)]),
        obj("dict", 2, [INT(0), INT(0), INT(0), INT(0)]),
        obj("str", 4, ascii_str("f")),
        obj("cell", 1, [OBJ(0)]),
        obj("method", 1, [OBJ(0), OBJ(4)]),
        obj("generator", 0, [OBJ(1), OBJ(3), OBJ(3), INT(0), INT(0), INT(0)]),
        obj("BaseException", 0, [OBJ(2), OBJ(8), INT(0), INT(0), INT(0)]),
        obj("tuple", 2, [INT(1), OBJ(3)]),
        obj("weakref", 2, [OBJ(0), INT(0), RAW(-1), INT(0), INT(0)])])
    # a thread: the interpreter's thread list points at a fake tstate
    tstate = [INT(0), INT(0), INTERP, OBJ(1), INT(0), INT(0), OBJ(1), INT(0)] + [OBJ(1)] * 8
    out["threads"] = v + b"\0" + b"".join([
        obj("bytes", 4, tstate),
        obj("frame", 0, [INT(0), OBJ(2), OBJ(3), OBJ(4), OBJ(4), INT(0), INT(10), INT(3)] + [OBJ(0)] * 6),
        obj("code", 4, [INT(0)] * 20),
        obj("dict", 1, [INT(0), INT(0), INT(0), INT(0)]),
        obj("dict", 1, [INT(0), INT(0), INT(0), INT(0)])]) + \
        patch(1, 0, 1, OBJ(0)) + patch(1, 0, 2, OBJ(0)) + patch(1, 0, 9, OBJ(0))
    # module roots: sys.modules-like dicts hanging off the interpreter
    out["modules"] = v + b"\0" + b"".join([
        obj("dict", 2, [INT(1), INT(0), INSIDE(2, 4), INT(0)]),
        obj("module", 2, [OBJ(0), STR(8), INT(0), INT(0)]),
        obj("bytes", 4, [RAW(0x0001000000000001), INT(1), INT(1), RAW(0), STR(8), OBJ(1)] + [INT(0)] * 6)]) + \
        b"".join(patch(1, 0, w, OBJ(0)) for w in range(7, 130, 11))
    # a type made by the input, with instances; a type that is its own base
    out["types"] = v + b"\0" + b"".join([
        obj("type", 2, [STR(0), INT(32), INT(0)] + [INT(0)] * 10 + [RAW(1 << 14 | 1 << 9)] + [TYPE("object")] * 10),
        obj("Thing", 0, [INT(0)]), obj("Thing", 0, [INT(0)])]) + \
        patch(3, 1, 5, OBJ(0)) + patch(3, 2, 5, OBJ(0)) + patch(2, T["CThing"], 30, TYPE("CThing"))
    # in the middle of a collection; a broken list
    out["collecting"] = v + b"\x01" + obj("Thing", 0, [INT(0)]) + obj("Thing", 1, [INT(0)])
    out["broken"] = v + b"\0" + obj("Thing", 0, [INT(0)]) + obj("Thing", 0, [INT(0)]) + \
        obj("Thing", 0, [INT(0)]) + patch(3, 1, 2, OBJ(0)) + patch(3, 2, 3, SPECIAL(20))
    # extremes in sizes and counts
    out["extremes"] = v + b"\0" + b"".join([
        obj("tuple", 0, [SPECIAL(2), OBJ(1)]), obj("list", 0, [SPECIAL(1), INSIDE(0, 4), SPECIAL(2)]),
        obj("dict", 0, [SPECIAL(2), INT(0), INSIDE(1, 4), INSIDE(1, 4)]),
        obj("str", 4, [SPECIAL(2), RAW(0), RAW(0xffffffff)]),
        obj("int", 4, [SPECIAL(3), INT(1)]), obj("bytes", 4, [SPECIAL(1)]),
        obj("set", 0, [SPECIAL(2), SPECIAL(2), SPECIAL(36), INSIDE(0, 0)])])
    return out


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out_dir, exist_ok=True)
    n = 0
    for major, minor in [(2, 7)] + [(3, m) for m in range(6, 14)]:
        for name, data in sorted(seeds(minor, major).items()):
            with open(os.path.join(out_dir, "seed-%d.%d-%s" % (major, minor, name)), "wb") as f:
                f.write(data)
            n += 1
    print("%d seeds in %s" % (n, out_dir))


if __name__ == "__main__":
    main()
