"""gdb -batch -p PID -x gdb_gc_lists.py

An independent reader used to validate the census target's ground truth (not
heapscope): counts the objects on each GC generation list and the permanent
generation, and reads each generation's threshold/count and gc.enabled.
Uses DWARF types where the interpreter has them (pyenv builds, and Debian's
builds in the sid root through their -dbg packages); otherwise the raw
offsets from shared/cpython-layouts.md (Debian 12's stripped python3.11).
2.7/3.6 (no _PyRuntime): the static variables of gcmodule.c, by DWARF.
Prints one line: GCLISTS {"gens": [[objects, threshold, count] x3], "permanent": n, "enabled": 0|1}
"""
import json

import gdb

# version -> (offset of interpreters.head in _PyRuntime or None, offset of gc state)
RAW = {
    (3, 8): (None, 344),       # 3.8: gc state lives in _PyRuntime itself
    (3, 9): (32, 616),
    (3, 10): (32, 616),
    (3, 11): (40, 648),
    (3, 12): (40, 112),
    (3, 13): (632, 7400),
}


def u64(addr):
    return int.from_bytes(bytes(gdb.selected_inferior().read_memory(addr, 8)), "little")


def i32(addr):
    return int.from_bytes(bytes(gdb.selected_inferior().read_memory(addr, 4)), "little", signed=True)


def walk(head_addr, limit=50000000):
    n = 0
    p = u64(head_addr) & ~3
    while p != head_addr:
        n += 1
        if n > limit:
            raise RuntimeError("list does not close")
        p = u64(p) & ~3
    return n


def gc_state():
    """The GC state as a gdb.Value of struct _gc_runtime_state (DWARF), or
    its raw address (int) when the interpreter has no DWARF."""
    for expr in ("_PyRuntime.gc", "_PyRuntime.interpreters.head->gc"):
        try:
            st = gdb.parse_and_eval(expr)
            st["generations"]       # the struct, not just a symbol
            return st
        except gdb.error:
            pass
    # no DWARF: raw offsets, version from the PY_VERSION_HEX in Py_Version (3.11+)
    rt = int(gdb.parse_and_eval("(long)&_PyRuntime"))
    ver = int(gdb.parse_and_eval("*(unsigned long *)&Py_Version"))
    key = (ver >> 24, (ver >> 16) & 0xff)
    head_off, gc_off = RAW[key]
    if head_off is None:
        return rt + gc_off
    return u64(rt + head_off) + gc_off


def legacy_gc():
    """2.7/3.6: no _PyRuntime; the GC state is static variables of
    gcmodule.c (pyenv builds have their DWARF).  None when not such a build."""
    try:
        gens = gdb.parse_and_eval("'gcmodule.c'::generations")
        enabled = int(gdb.parse_and_eval("'gcmodule.c'::enabled"))
    except gdb.error:
        return None
    out = []
    for i in range(3):
        g = gens[i]
        out.append([walk(int(g["head"].address)), int(g["threshold"]), int(g["count"])])
    return {"gens": out, "permanent": 0, "enabled": enabled}


def main():
    legacy = legacy_gc()
    if legacy is not None:
        print("GCLISTS " + json.dumps(legacy))
        return
    st = gc_state()
    gens = []
    if isinstance(st, int):
        gc = st
        for i in range(3):
            head = gc + 24 + 24 * i
            gens.append([walk(head), i32(head + 16), i32(head + 20)])
        perm = walk(gc + 104)
        enabled = i32(gc + 12)
    else:
        # DWARF knows where this build put each field (Debian's 3.13 packs
        # the generations 4 bytes earlier than upstream, 3.15 reordered it)
        for i in range(3):
            g = st["generations"][i]
            gens.append([walk(int(g["head"].address)), int(g["threshold"]), int(g["count"])])
        perm = walk(int(st["permanent_generation"]["head"].address))
        enabled = int(st["enabled"])
    print("GCLISTS " + json.dumps({"gens": gens, "permanent": perm, "enabled": enabled}))


main()
