"""Target for tests/integration/test_memory.py.

Usage: memory_target.py [--numpy]
Prints READY on stdout, then sys._debugmallocstats() on stderr as the
last thing before it sleeps (nothing allocates in between, so pymalloc's
figures stay as printed), and waits for SIGUSR1: on each, it mallocs and
touches 8 MiB with ctypes (a native leak: no Python object holds it but
an int), prints the statistics again and "LEAKED n" on stdout.
"""
import ctypes
import ctypes.util
import os
import signal
import sys
import time

keep = [dict(a=i, b=str(i)) for i in range(20000)]
keep.append([b"x" * 100 for i in range(2000)])
if "--numpy" in sys.argv:
    import numpy as np
    keep.append([np.ones(100000) for i in range(20)])

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
leaked = []
state = {"n": 0}
CHUNK = 1 << 20


def leak(signum, frame):
    for i in range(8):
        p = libc.malloc(CHUNK)
        libc.memset(p, 1, CHUNK)
        leaked.append(p)
    state["n"] += 1
    os.write(1, ("LEAKED %d\n" % state["n"]).encode())
    sys._debugmallocstats()


signal.signal(signal.SIGUSR1, leak)
sys.stdout.write("READY\n")
sys.stdout.flush()
sys._debugmallocstats()
while True:
    time.sleep(1000)
