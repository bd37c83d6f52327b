"""The Debian-built interpreters of the test matrix (shared by the
integration and the explorer tests).

scripts/interpreters.sh prepares them in a cache root: sid's python3.13,
3.14 and 3.15 and Debian 13's 3.13.5 (stripped, as production runs them).
Each gets a wrapper executable that runs it chrooted into that root in a
private mount namespace: the container case, where heapscope on the host
reads the target's files through /proc/PID/root.  The repository and /tmp
are bound at the same paths inside, so target scripts and truth files keep
their host paths, and every step execs: the process a test starts *is* the
Python target (same PID).
"""
import atexit
import os
import shlex
import shutil
import subprocess
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("HEAPSCOPE_CACHE", "/var/cache/heapscope")
SID = os.path.join(CACHE, "sid")

# (id, path inside the root, environment).  Debian 13's 3.13.5 needs a
# newer glibc than this Debian 12 host has, so it too runs in the sid root.
DEBIAN_CHROOTED = [
    ("3.13-deb13", "/opt/deb13/usr/bin/python3.13", {"PYTHONHOME": "/opt/deb13/usr"}),
    ("3.13-sid", "/usr/bin/python3.13", {}),
    ("3.14-sid", "/usr/bin/python3.14", {}),
    ("3.15-sid", "/usr/bin/python3.15", {}),
]

CHROOTED = {}       # id -> the root its target runs in

_WRAPDIR = tempfile.mkdtemp(prefix="heapscope-interp-")
os.chmod(_WRAPDIR, 0o755)
atexit.register(shutil.rmtree, _WRAPDIR, True)


def chroot_wrapper(iid, inner, env):
    """Path of an executable that runs `inner` chrooted into the sid root."""
    q = shlex.quote
    envs = " ".join(q("%s=%s" % kv) for kv in sorted(env.items()))
    inner_script = "\n".join([
        "set -e",
        "mkdir -p %s %s" % (q(SID + REPO), q(SID + "/tmp")),
        "mount --bind %s %s" % (q(REPO), q(SID + REPO)),
        "mount --bind /tmp %s" % q(SID + "/tmp"),
        'exec chroot %s /usr/bin/env %s %s "$@"' % (q(SID), envs, q(inner)),
    ])
    path = os.path.join(_WRAPDIR, iid)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n# %s: Debian's %s in %s\nexec unshare -m --propagation private "
                "/bin/sh -c %s heapscope-chroot \"$@\"\n" % (iid, inner, SID, q(inner_script)))
    os.chmod(path, 0o755)
    return path


def debian_matrix():
    """[(id, wrapper path, version)] for every Debian interpreter; version
    "?" when it is not installed (the wrapper then fails to start)."""
    out = []
    for iid, inner, env in DEBIAN_CHROOTED:
        CHROOTED[iid] = SID
        path = chroot_wrapper(iid, inner, env)
        version = "?"
        if os.path.isfile(SID + inner):
            try:
                version = subprocess.run(
                    [path, "-c", "import sys; print(sys.version.split()[0])"], stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, timeout=30).stdout.decode().strip() or "?"
            except (OSError, subprocess.SubprocessError):
                version = "?"
        out.append((iid, path, version))
    return out
