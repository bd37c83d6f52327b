"""Target for tests/integration/test_buffers.py: objects that own data
buffers beside their struct (numpy arrays when numpy is installed, pandas
frames when pandas is, array.array, bytearray, collections.deque), with
the truth recorded by the interpreter itself: id(), sys.getsizeof(),
arr.nbytes, whether an array owns its data, str(dtype), shape.

Usage: buffers_target.py TRUTH.json   (prints READY, blocks on stdin)
"""
import array
import collections
import json
import sys

truth = {"numpy": None, "pandas": None, "arrays": [], "others": [], "lists": []}
keep = []


def rec_array(what, a, held=False):
    if not held:            # held by a container of its own: only it keeps it alive
        keep.append(a)
    truth["arrays"].append({
        "what": what, "id": id(a), "size": sys.getsizeof(a), "nbytes": int(a.nbytes),
        "owndata": bool(a.flags.owndata), "dtype": str(a.dtype), "shape": list(a.shape),
        "base": id(a.base) if a.base is not None else None})


try:
    import numpy as np
except ImportError:
    np = None

if np is not None:
    truth["numpy"] = np.__version__
    base = np.arange(1000, dtype=np.float64)
    rec_array("float64 1-d", base)
    rec_array("view [::2]", base[::2])
    rec_array("view reshape", base.reshape(10, 100))
    rec_array("2-d int32", np.ones((30, 40), dtype=np.int32))
    rec_array("fortran order", np.zeros((7, 9), dtype=np.float32, order="F"))
    rec_array("0-d", np.array(3.5))
    rec_array("empty", np.zeros((0, 5)))
    rec_array("bool", np.zeros(33, dtype=bool))
    rec_array("complex128", np.zeros(5, dtype=np.complex128))
    rec_array("unicode", np.array(["a", "bcd", "xyzzy"]))
    rec_array("bytes", np.array([b"ab", b"c"]))
    rec_array("uint16", np.arange(17, dtype=np.uint16))
    rec_array("object", np.array(["s", 1, None, 2.5], dtype=object))
    rec_array("from bytes (not owned)", np.frombuffer(b"0123456789abcdef", dtype=np.uint8))
    rec_array("3-d", np.zeros((3, 4, 5), dtype=np.int64))
    many = [np.random.random(1000 + 10 * i) for i in range(50)]
    keep.append(many)
    truth["lists"].append({"what": "list of 50 arrays", "id": id(many),
                           "nbytes": sum(int(a.nbytes) for a in many)})
    for i, a in enumerate(many[:3]):
        rec_array("list item %d" % i, a, held=True)
    del a, i, base

try:
    import pandas as pd
except ImportError:
    pd = None

if pd is not None and np is not None:
    truth["pandas"] = pd.__version__
    df = pd.DataFrame({"a": np.arange(200000, dtype=np.float64),
                       "b": np.arange(200000, dtype=np.int64),
                       "c": np.ones(200000, dtype=np.float32)})
    keep.append(df)
    truth["lists"].append({"what": "DataFrame 200000 x 3", "id": id(df),
                           "nbytes": int(df.memory_usage(index=False, deep=False).sum())})


def rec_other(what, o, owned):
    keep.append(o)
    truth["others"].append({"what": what, "id": id(o), "size": sys.getsizeof(o),
                            "type": type(o).__name__, "owned": owned})


ad = array.array("d", range(1000))
# the buffer array.array allocated (over-allocated while it grew): what
# its __sizeof__ adds to an empty array's
rec_other("array.array('d')", ad, sys.getsizeof(ad) - sys.getsizeof(array.array("d")))
ab = array.array("b", b"x" * 100)
rec_other("array.array('b')", ab, None)
ba = bytearray(b"y" * 5000)
rec_other("bytearray", ba, None)
dq = collections.deque(range(1000))
rec_other("deque", dq, None)
rec_other("empty array.array('i')", array.array("i"), None)

with open(sys.argv[1], "w") as f:
    json.dump(truth, f)
sys.stdout.write("READY\n")
sys.stdout.flush()
sys.stdin.read()
