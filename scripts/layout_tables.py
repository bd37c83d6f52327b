#!/usr/bin/env python3
"""Write the layout table of one CPython build as C, from its DWARF.

    build/tests/unit/test_layout_dwarf -p > dw.txt
    python3 scripts/layout_tables.py dw.txt "3.14 (Debian sid)" > block.c

The test's -p mode prints, for every build it checks, the value every row
of its spec table says the field must have ("  LABEL .field = N,").  This
script lays those values out in the order and line grouping of struct
py_layout in attach/layout.h, one initializer line per declaration line and
one comment per group, so that a new table starts out exactly as the DWARF
says and `diff` between two version blocks shows what moved.  Comments about
*why* a version differs are the author's to add.  The test then checks the
table on every run; this script is only a typing aid.
"""
import re
import sys

HERE = __file__.rsplit("/", 2)[0] if "/" in __file__ else "."


def struct_lines(path):
    """[(kind, payload)]: ('comment', text) or ('fields', [names])."""
    text = open(path).read()
    body = text[text.index("struct py_layout {"):]
    body = body[body.index("\n") + 1:body.index("\n};")]
    out = []
    pending = ""               # a declaration continued on the next line
    for line in body.splitlines():
        s = line.strip()
        if not s:
            continue
        if pending or (re.match(r"(?:off_t32|int32_t|int)\s", s) and ";" not in s):
            pending += " " + s
            if ";" not in s:
                continue
            s, pending = pending.strip(), ""
        m = re.match(r"(?:off_t32|int32_t|int)\s+([^;]+);", s)
        if m:
            names = [n.strip() for n in m.group(1).split(",")]
            out.append(("fields", names))
            continue
        if s.startswith("/*") and out is not None:
            c = s[2:].strip()
            if c.endswith("*/"):
                c = c[:-2].strip()
            elif ". " in c:       # a longer comment: its first sentence
                c = c[:c.index(". ") + 1]
            out.append(("comment", c))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dump, label = sys.argv[1], sys.argv[2]
    vals = {}
    for line in open(dump):
        m = re.match(r"  (.*?) \.(\w+) = (-?\d+),", line)
        if m and m.group(1) == label:
            vals[m.group(2)] = int(m.group(3))
    if not vals:
        sys.exit("no values for %r in %s" % (label, dump))
    vm = re.match(r"(\d+)\.(\d+)", label)
    major, minor = int(vm.group(1)), int(vm.group(2))
    lines = struct_lines(HERE + "/attach/layout.h")
    print("/* ==== %d.%d ==== (DWARF of %s) */" % (major, minor, label))
    print("static const struct py_layout L%d%d = {" % (major, minor))
    print("\t.major = %d, .minor = %d," % (major, minor))
    pending_comment = None
    for kind, payload in lines:
        if kind == "comment":
            if pending_comment is None:
                pending_comment = payload
            continue
        names = [n for n in payload if n not in ("major", "minor", "from_debug_offsets",
                                                  "debug_offsets_mismatch")]
        if not names:
            pending_comment = None
            continue
        if pending_comment:
            print("\t/* %s */" % pending_comment)
            pending_comment = None
        items = []
        for n in names:
            if n not in vals:
                sys.exit("field %s has no value for %s" % (n, label))
            items.append(".%s = %d," % (n, vals[n]))
        cur = "\t"
        for it in items:
            if len(cur) + len(it) + 1 > 96 and cur.strip():
                print(cur.rstrip())
                cur = "\t"
            cur += it + " "
        print(cur.rstrip())
    print("};")


if __name__ == "__main__":
    main()
