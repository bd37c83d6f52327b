"""heapscope types / gens against the interpreter's own ground truth.

For every interpreter of the matrix and every target mode (collected: all in
gen 2; spread: objects in gens 0/1/2; frozen: spread + gc.freeze()'d core) the
target records its truth T1, heapscope reads it, the target records T2.
T1 == T2 proves the target held still, then heapscope must equal the truth
EXACTLY: per (module, qualname) counts, per-generation counts, sizes, and the
gc module's counters.
"""
import re

import pytest

from conftest import MODE_PARAMS, SUPPORTED_IDS, expect_rc, run_heapscope

# Types whose sys.getsizeof runs C code over memory outside the object's
# own layout (malloc'd format strings, ffi element arrays), which heapscope
# does not model.  heapscope must flag exactly these with "size_exact":
# false (listed in the README); every other type must match exactly.
#   (module, qualname): "reason"
CTYPES_REASON = ("ctypes' own __sizeof__ adds strlen(format)+1, ndim*8 and the ffi "
                 "element array, all malloc'd outside the object")
SIZE_ALLOW_LIST = {
    ("builtins", "StgDict"): CTYPES_REASON,                    # 3.8-3.12
    ("_ctypes", "PyCSimpleType"): CTYPES_REASON,               # 3.13 metatypes
    ("_ctypes", "PyCFuncPtrType"): CTYPES_REASON,
    ("_ctypes", "PyCPointerType"): CTYPES_REASON,
    ("_ctypes", "PyCArrayType"): CTYPES_REASON,
    ("_ctypes", "PyCStructType"): CTYPES_REASON,
    ("_ctypes", "UnionType"): CTYPES_REASON,
    ("ctypes._endian", "_swapped_struct_meta"): CTYPES_REASON,
    ("ctypes._endian", "_swapped_union_meta"): CTYPES_REASON,
}

PARAMS = [pytest.param(i, m, id="%s-%s" % (i, m)) for i, m in MODE_PARAMS]


# ---------------------------------------------------------------------------
# helpers


def key_str(k):
    return "%s.%s" % k


def truth_by_type(truth):
    return dict(((r["module"], r["qualname"]), r) for r in truth["types"])


def aggregate(rows):
    """heapscope rows (one per type object) -> {(module, qualname): sums}."""
    agg = {}
    for r in rows:
        k = (r["module"], r["qualname"])
        a = agg.get(k)
        if a is None:
            a = agg[k] = {"count": 0, "size": 0, "gen": [0, 0, 0], "permanent": 0, "rows": 0}
        a["count"] += r["count"]
        a["size"] += r["size"]
        for i in range(3):
            a["gen"][i] += r["gen"][i]
        a["permanent"] += r["permanent"]
        a["rows"] += 1
    return agg


def mismatch_report(title, exp, got, fields, skip=()):
    """exp/got: {key: row}; fields: list of (label, getter).  Returns the
    list of lines describing every key whose fields differ."""
    lines = []
    zero = {"count": 0, "size": 0, "gen": [0, 0, 0], "permanent": 0}
    for k in sorted(set(exp) | set(got), key=lambda k: (str(k[0]), str(k[1]))):
        if k in skip:
            continue
        e = exp.get(k, zero)
        g = got.get(k, zero)
        diffs = []
        for label, get in fields:
            ev, gv = get(e), get(g)
            if ev != gv:
                diffs.append("%s expected %s got %s" % (label, ev, gv))
        if diffs:
            where = "" if (k in exp and k in got) else (" [missing in heapscope]" if k in exp
                                                        else " [not in truth]")
            lines.append("  %-55s %s%s" % (key_str(k), "; ".join(diffs), where))
    if lines:
        lines.insert(0, "%s: %d type(s) differ" % (title, len(lines)))
    return lines


def truth_diff(t1, t2):
    lines = []
    for k in sorted(set(t1) | set(t2)):
        if k != "types" and t1.get(k) != t2.get(k):
            lines.append("  %s: %r -> %r" % (k, t1.get(k), t2.get(k)))
    lines += mismatch_report("types", truth_by_type(t1), truth_by_type(t2),
                             [("count", lambda r: r["count"]), ("gen", lambda r: r["gen"]),
                              ("permanent", lambda r: r["permanent"]), ("size", lambda r: r["size"])])
    return "\n".join(lines)


class Observation(object):
    """T1, one heapscope run, T2."""

    def __init__(self, target, args, env=None):
        self.target = target
        self.t1 = target.record()
        self.run = run_heapscope(args, env=env, check_target=target.pid)
        self.t2 = target.record()

    def truth(self):
        """The truth heapscope must match (fails if the target moved)."""
        if self.t1 != self.t2:
            pytest.fail("target %r did not hold still around the heapscope run (not a heapscope "
                        "verdict):\n%s" % (self.target, truth_diff(self.t1, self.t2)))
        return self.t1

    def ok_json(self):
        expect_rc(self.run, 0)
        return self.run.json()


_cache = {}


def observe(pool, iid, mode, *args):
    """Cached per (target, command): several tests check one run."""
    target = pool.get(iid, mode)
    key = (iid, mode, args)
    obs = _cache.get(key)
    if obs is None or obs.target is not target:
        full = [a if a != "PID" else str(target.pid) for a in args]
        obs = _cache[key] = Observation(target, full)
    return obs


def types_obs(pool, iid, mode):
    return observe(pool, iid, mode, "types", "--tracked-only", "PID", "--json")


# ---------------------------------------------------------------------------
# heapscope types --json


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_target_held_still(pool, iid, mode):
    obs = types_obs(pool, iid, mode)
    assert obs.t1 == obs.t2, "target moved around the heapscope run:\n" + truth_diff(obs.t1, obs.t2)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_header(pool, iid, mode):
    obs = types_obs(pool, iid, mode)
    truth = obs.truth()
    out = obs.ok_json()
    problems = []
    for field, want in (("pid", truth["pid"]), ("python", truth["python"]),
                        ("objects", truth["objects"]), ("threads", truth["threads"])):
        if out.get(field) != want:
            problems.append("%s: expected %r got %r" % (field, want, out.get(field)))
    if not (isinstance(out.get("pause_ms"), (int, float)) and out["pause_ms"] > 0):
        problems.append("pause_ms: expected a positive number, got %r" % (out.get("pause_ms"),))
    if not (isinstance(out.get("copied_bytes"), int) and out["copied_bytes"] > 0):
        problems.append("copied_bytes: expected a positive int, got %r" % (out.get("copied_bytes"),))
    rows = out.get("types")
    if not isinstance(rows, list) or not rows:
        problems.append("types: expected a non-empty list, got %r" % (rows,))
    else:
        for r in rows:
            bad = []
            if not (isinstance(r.get("addr"), str) and re.match(r"^0x[0-9a-f]+$", r["addr"])):
                bad.append("addr %r" % (r.get("addr"),))
            if not isinstance(r.get("gen"), list) or len(r["gen"]) != 3:
                bad.append("gen %r" % (r.get("gen"),))
            elif r.get("count") != sum(r["gen"]) + r.get("permanent", 0):
                bad.append("count %r != sum(gen) + permanent %r" % (r.get("count"), sum(r["gen"]) + r.get("permanent", 0)))
            if not isinstance(r.get("count"), int) or r["count"] <= 0:
                bad.append("count %r" % (r.get("count"),))
            if bad:
                problems.append("row %s.%s: %s" % (r.get("module"), r.get("qualname"), ", ".join(bad)))
        total = sum(r.get("count", 0) for r in rows)
        if total != out.get("objects"):
            problems.append("sum of row counts %d != objects %r" % (total, out.get("objects")))
        addrs = [r.get("addr") for r in rows]
        if len(set(addrs)) != len(addrs):
            problems.append("duplicate type addresses among rows")
    assert not problems, "%s %s (pid %d):\n  %s" % (iid, mode, truth["pid"], "\n  ".join(problems))


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_counts(pool, iid, mode):
    obs = types_obs(pool, iid, mode)
    truth = obs.truth()
    got = aggregate(obs.ok_json()["types"])
    lines = mismatch_report("%s %s per-type counts" % (iid, mode), truth_by_type(truth), got,
                            [("count", lambda r: r["count"])])
    assert not lines, "\n".join(lines)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_generations(pool, iid, mode):
    obs = types_obs(pool, iid, mode)
    truth = obs.truth()
    rows = obs.ok_json()["types"]
    got = aggregate(rows)
    lines = mismatch_report("%s %s per-type generations" % (iid, mode), truth_by_type(truth), got,
                            [("gen", lambda r: r["gen"]), ("permanent", lambda r: r["permanent"])])
    totals = [sum(r["gen"][i] for r in rows) for i in range(3)]
    perm = sum(r["permanent"] for r in rows)
    if totals != truth["gen_objects"]:
        lines.append("total per generation: expected %s got %s" % (truth["gen_objects"], totals))
    if perm != truth["permanent"]:
        lines.append("total permanent: expected %s got %s" % (truth["permanent"], perm))
    assert not lines, "\n".join(lines)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_sizes(pool, iid, mode):
    obs = types_obs(pool, iid, mode)
    truth = obs.truth()
    got = aggregate(obs.ok_json()["types"])
    exp = truth_by_type(truth)
    lines = mismatch_report("%s %s per-type total size (sum of sys.getsizeof)" % (iid, mode), exp, got,
                            [("size", lambda r: r["size"]), ("count", lambda r: r["count"])],
                            skip=SIZE_ALLOW_LIST)
    # heapscope must say which sizes are approximate: exactly the allow-listed
    # types (present in this target), and never any other.
    inexact = set((t["module"], t["qualname"]) for t in obs.ok_json()["types"]
                  if not t["size_exact"])
    for k in sorted(inexact - set(SIZE_ALLOW_LIST)):
        lines.append("  %s flagged size_exact=false but not in the allow-list" % key_str(k))
    for k in sorted((set(SIZE_ALLOW_LIST) & set(got) & set(exp)) - inexact):
        if got[k]["size"] != exp[k]["size"]:
            lines.append("  %s: size expected %s got %s, and heapscope claims it is exact"
                         % (key_str(k), exp[k]["size"], got[k]["size"]))
    assert not lines, "\n".join(lines)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_distinct_classes_are_distinct_rows(pool, iid, mode):
    """Two classes with the same module+qualname (Twin, make_dup.<locals>.Dup)
    are two type objects: two rows."""
    obs = types_obs(pool, iid, mode)
    truth = obs.truth()
    got = aggregate(obs.ok_json()["types"])
    lines = []
    for k, r in sorted(truth_by_type(truth).items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        rows = got.get(k, {}).get("rows", 0)
        if r["ntypes"] != rows:
            lines.append("  %s: %d distinct type objects, heapscope has %d rows" % (key_str(k), r["ntypes"], rows))
    assert ("__main__", "Twin") in truth_by_type(truth)
    assert not lines, "rows per (module, qualname) differ:\n" + "\n".join(lines)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_sort_size_top5(pool, iid, mode):
    full = types_obs(pool, iid, mode)
    full.truth()
    all_rows = full.ok_json()["types"]
    obs = observe(pool, iid, mode, "types", "--tracked-only", "PID", "--json", "--sort", "size", "--top", "5")
    obs.truth()
    rows = obs.ok_json()["types"]
    sizes = [r["size"] for r in rows]
    assert len(rows) == 5, "expected 5 rows, got %d: %r" % (len(rows), sizes)
    assert sizes == sorted(sizes, reverse=True), "not sorted by size desc: %r" % sizes
    best = sorted((r["size"] for r in all_rows), reverse=True)[:5]
    assert sizes == best, "top 5 sizes %r, but the full listing's 5 largest are %r" % (sizes, best)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_sort_count_top3(pool, iid, mode):
    full = types_obs(pool, iid, mode)
    full.truth()
    all_rows = full.ok_json()["types"]
    obs = observe(pool, iid, mode, "types", "--tracked-only", "PID", "--json", "--sort", "count", "--top", "3")
    obs.truth()
    rows = obs.ok_json()["types"]
    counts = [r["count"] for r in rows]
    assert len(rows) == 3, "expected 3 rows, got %r" % counts
    best = sorted((r["count"] for r in all_rows), reverse=True)[:3]
    assert counts == best, "top 3 counts %r, but the full listing's 3 largest are %r" % (counts, best)


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_types_text_header(pool, iid, mode):
    obs = observe(pool, iid, mode, "types", "--tracked-only", "PID")
    truth = obs.truth()
    expect_rc(obs.run, 0)
    lines = obs.run.out.splitlines()
    assert lines, "no text output\n" + obs.run.describe()
    head = lines[0]
    missing = [w for w in (str(truth["pid"]), truth["python"], "objects", "ms") if w not in head]
    if not re.search(r"MB|MiB", head):
        missing.append("MB")
    assert not missing, "header line %r lacks %r" % (head, missing)


# ---------------------------------------------------------------------------
# heapscope gens --json


@pytest.mark.parametrize("iid,mode", PARAMS)
def test_gens(pool, iid, mode):
    obs = observe(pool, iid, mode, "gens", "PID", "--json")
    truth = obs.truth()
    out = obs.ok_json()
    problems = []

    def check(label, want, got):
        if want != got:
            problems.append("%s: expected %r got %r" % (label, want, got))

    check("pid", truth["pid"], out.get("pid"))
    check("python", truth["python"], out.get("python"))
    check("objects", truth["objects"], out.get("objects"))
    check("enabled", truth["enabled"], out.get("enabled"))
    check("garbage", truth["garbage"], out.get("garbage"))
    check("frozen", truth["frozen"], out.get("frozen"))
    gens = out.get("generations")
    if not isinstance(gens, list) or len(gens) != 3:
        problems.append("generations: expected 3 entries, got %r" % (gens,))
    else:
        for i, g in enumerate(gens):
            # 2.7 has no gc.get_stats(): heapscope has no statistics either
            st = truth["stats"][i] if truth["stats"] else dict.fromkeys(
                ("collections", "collected", "uncollectable"))
            check("generations[%d].generation" % i, i, g.get("generation"))
            check("generations[%d].objects" % i, truth["gen_objects"][i], g.get("objects"))
            check("generations[%d].threshold" % i, truth["threshold"][i], g.get("threshold"))
            check("generations[%d].count" % i, truth["count"][i], g.get("count"))
            check("generations[%d].collections" % i, st["collections"], g.get("collections"))
            check("generations[%d].collected" % i, st["collected"], g.get("collected"))
            check("generations[%d].uncollectable" % i, st["uncollectable"], g.get("uncollectable"))
    for f in ("pause_ms", "copied_bytes"):
        if not (isinstance(out.get(f), (int, float)) and out[f] > 0):
            problems.append("%s: expected a positive number, got %r" % (f, out.get(f)))
    assert not problems, "%s %s (pid %d):\n  %s" % (iid, mode, truth["pid"], "\n  ".join(problems))


# ---------------------------------------------------------------------------
# other ways of reading: the /proc/PID/mem fallback, --no-freeze


VARIANTS = [
    pytest.param({"HEAPSCOPE_TEST_NO_VM_READV": "1"}, [], id="proc-pid-mem"),
    pytest.param(None, ["--no-freeze"], id="no-freeze"),
]


@pytest.mark.parametrize("env,extra", VARIANTS)
@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_read_variants(pool, iid, env, extra):
    """The same census through another reading path; the target is idle, so
    even --no-freeze must see it exactly.  Counts/generations against the
    truth, sizes against the ordinary read of the same state."""
    mode = "spread"
    normal = types_obs(pool, iid, mode)
    normal.truth()
    t = pool.get(iid, mode)
    obs = Observation(t, ["types", "--tracked-only", str(t.pid), "--json"] + extra, env=env)
    truth = obs.truth()
    assert truth == normal.t1, "target moved between the two reads"
    out = obs.ok_json()
    got = aggregate(out["types"])
    lines = mismatch_report("%s %s %s" % (iid, mode, env or extra), truth_by_type(truth), got,
                            [("count", lambda r: r["count"]), ("gen", lambda r: r["gen"]),
                             ("permanent", lambda r: r["permanent"])])
    lines += mismatch_report("sizes vs the ordinary read", aggregate(normal.ok_json()["types"]), got,
                             [("size", lambda r: r["size"])])
    if out["objects"] != truth["objects"]:
        lines.append("objects: expected %d got %d" % (truth["objects"], out["objects"]))
    assert not lines, "\n".join(lines)


# ---------------------------------------------------------------------------
# growth: a target that allocates between two reads


@pytest.mark.parametrize("iid", SUPPORTED_IDS)
def test_growth(spawn, iid):
    t = spawn(iid, "collected")
    before = Observation(t, ["types", "--tracked-only", str(t.pid), "--json"])
    b = aggregate(before.ok_json()["types"])
    assert ("__main__", "Grown") not in b, "Grown instances before any grow: %r" % b[("__main__", "Grown")]
    t.grow(5000)
    after = Observation(t, ["types", "--tracked-only", str(t.pid), "--json"])
    truth = after.truth()
    out = after.ok_json()
    got = aggregate(out["types"])
    want = truth_by_type(truth)[("__main__", "Grown")]
    assert want["count"] == 5000
    lines = mismatch_report("%s after grow 5000" % iid, truth_by_type(truth), got,
                            [("count", lambda r: r["count"]), ("gen", lambda r: r["gen"]),
                             ("permanent", lambda r: r["permanent"])])
    if out["objects"] != truth["objects"]:
        lines.append("objects: expected %d got %d" % (truth["objects"], out["objects"]))
    assert not lines, "\n".join(lines)
    assert out["objects"] >= before.t1["objects"] + 10000
