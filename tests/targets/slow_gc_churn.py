# -*- coding: utf-8 -*-
"""slow_gc_churn.py - churn_target.py whose explicit collections take long.

    python slow_gc_churn.py MS [churn_target.py arguments...]

Runs tests/targets/churn_target.py (threads mutating dicts, lists and
objects; the main thread calling gc.collect() every 20-50 ms) with a
gc.callbacks entry that sleeps MS milliseconds at the start of each
collection the main thread makes.  While it sleeps the interpreter's
"collection running" flag is set (the GC lists are intact, but a snapshot
cannot tell), so a good share of snapshots catch the target "in the middle
of a collection": heapscope must retry on its own (tests/integration/
test_robust.py::test_retry_under_churn).
"""
import gc
import os
import runpy
import sys
import threading
import time

SLOW_S = float(sys.argv[1]) / 1000.0
MAIN = threading.main_thread() if hasattr(threading, "main_thread") else None


def slow_start(phase, info):
    if phase == "start" and threading.current_thread() is MAIN:
        time.sleep(SLOW_S)


gc.callbacks.append(slow_start)
sys.argv = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "churn_target.py")] + sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
