/* test_corrupt — model/ against deliberately corrupted snapshots of a real
 * CPython process.
 *
 * The brief's promise for bad input: "a clear error and a non-zero exit,
 * never a crash or a hang", including garbage pointers in a corrupted heap.
 * This test starts a real target (python3 running the script below: dicts
 * of every key kind, lists, tuples, sets, instances with managed dicts,
 * split tables and __slots__, str of every kind, big ints, closures,
 * generators, a coroutine, an exception with its traceback, weakrefs,
 * lru_cache, deque, OrderedDict, a sleeping thread with locals, cycles),
 * takes one real snapshot with snap_take(), and then, for many
 * deterministic seeds, corrupts the snapshot's private copy in place (the
 * writable mmap'd regions behind mem_ptr) and runs everything a command
 * would run on it: heap_open, graph_build (+ referents, referrers, paths,
 * labels, values), value_repr / value_fields / value_iter_attrs on a sample
 * that always includes the corrupted objects, frames_threads with locals,
 * leaks_build (+ top objects, types, garbage, suspects) and a diff against
 * the pristine snapshot.  After each seed every byte written is restored
 * from the saved original.  Before the random seeds, directed cases put
 * every bound at its extreme (dict nentries 2^36-1, sizes 2^40, INT64_MAX
 * and INT64_MIN lengths, set masks 2^34-1, types that are their own base
 * and mro, frame chains and thread lists that loop, objects that hold
 * themselves) on a few objects each.
 *
 * Corruptions focus on what parsers dereference: ob_type, ob_refcnt,
 * ob_size, GC links, per-kind fields from struct py_layout (dict keys and
 * values pointers, keys header bytes, list ob_item/allocated, str
 * length/state/data, int digits and lv_tag, set tables, type slots, code,
 * function, frame, generator, thread-state and interpreter-frame fields),
 * words one pointer away (a dict's keys table, a list's item array, a
 * type's mro tuple…), random words and whole smashed blocks.  Values:
 * bit flips, 0, -1, huge and small numbers, off-by-a-few, random words,
 * pointers to other objects (of another kind: type confusion), into the
 * middle of objects, to the word itself, to the last bytes of a region,
 * non-canonical and low addresses.
 *
 * Pass: no crash, no sanitizer report (the sanitizer options below make
 * any report fatal), no hang (alarm per seed), and every failure is a
 * documented status with a message.  A failing seed is printed with its
 * corruptions; rerun just that one with HEAPSCOPE_FUZZ_SEED=N.  Seeds are
 * reproducible: the target runs with a fixed environment (PYTHONHASHSEED=0,
 * cwd /, no address randomisation) and is snapshotted once it is blocked,
 * so the heap, and what a seed picks in it, is the same on every run with
 * the same interpreter.
 * Finally the target is killed and a few seeds run again, so lazily read
 * ranges (memsrc_add_lazy, read-only file mappings) fail mid-parse.
 *
 * An ASan build cannot be a snapshot *target* (its shadow mappings), but
 * it can be the reader: the target here is always python.
 *
 * Environment:
 *   HEAPSCOPE_FUZZ_ITERS    seeds to run (default 300)
 *   HEAPSCOPE_FUZZ_FIRST    first seed (default 1)
 *   HEAPSCOPE_FUZZ_SEED     run only this seed (reproduction); dN: only
 *                           directed case N
 *   HEAPSCOPE_FUZZ_PYTHON   target interpreter (default /usr/bin/python3)
 *   HEAPSCOPE_FUZZ_TIMEOUT  seconds per seed before it counts as a hang (10)
 *   HEAPSCOPE_FUZZ_VERBOSE  print every seed's corruptions and outcome
 *
 * Exit 0 = pass, 1 = a check failed, 77 = skip (no python3, no ptrace).
 */
#include <execinfo.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "frames.h"
#include "graph.h"
#include "heap.h"
#include "leaks.h"
#include "pyobj.h"
#include "snapshot.h"
#include "value.h"

/* Any sanitizer report is fatal, however the test is started (meson sets
 * similar options; a bare run would otherwise let UBSan continue). */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__asan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=1:detect_leaks=1";
}
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}
/* Present only in sanitizer builds: run on a sanitizer's fatal report. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static const char TARGET_SCRIPT[] =
	"import sys, gc, threading, collections, functools, weakref, array, io\n"
	"KEEP = []\n"
	"class Plain(object):\n"
	"    def __init__(self, i):\n"
	"        self.a = i; self.b = str(i); self.c = [i] * 3\n"
	"class Slotted(object):\n"
	"    __slots__ = ('x', 'y', '__weakref__')\n"
	"    def __init__(self, i):\n"
	"        self.x = i; self.y = (i, -i)\n"
	"class Sub(Plain):\n"
	"    def meth(self):\n"
	"        return self.a\n"
	"class Cycle(object):\n"
	"    pass\n"
	"def make_closure(n):\n"
	"    data = list(range(n))\n"
	"    def inner(k):\n"
	"        return data[k] + n\n"
	"    return inner\n"
	"def gen(n):\n"
	"    acc = {}\n"
	"    for i in range(n):\n"
	"        acc[i] = yield i\n"
	"async def coro():\n"
	"    return 1\n"
	"for i in range(40):\n"
	"    KEEP.append(Plain(i)); KEEP.append(Slotted(i)); KEEP.append(Sub(i))\n"
	"    KEEP.append(make_closure(i % 5 + 1))\n"
	"    g = gen(10); next(g); KEEP.append(g)\n"
	"split = [Plain(i) for i in range(8)]\n"
	"for p in split[:4]:\n"
	"    p.extra = p\n"
	"d = {}\n"
	"for i in range(300):\n"
	"    d['k%d' % i] = i * 7\n"
	"    d[i] = [i, str(i)]\n"
	"    d[(i, 't')] = frozenset([i, i + 1])\n"
	"KEEP.append(d)\n"
	"KEEP.append({1.5: 'float key', None: b'bytes', '\\u20ac': '\\U0001f600' * 3})\n"
	"KEEP.append(['ascii', 'lat\\xe9n1', '\\u0416\\u0436ucs2', '\\U0001f40dpy', '', 'x' * 5000,\n"
	"             b'raw\\x00bytes' * 10, bytearray(b'mutable' * 20), 2 ** 200, -(3 ** 150), 0, -1,\n"
	"             10 ** 18, 1.0 / 3, float('inf'), complex(1, -2), True, None, Ellipsis,\n"
	"             range(5, 100, 3), slice(1, None, 2), memoryview(b'abcd'), array.array('d', [1.0, 2.0])])\n"
	"KEEP.append(tuple(range(100)))\n"
	"KEEP.append(set(range(500)))\n"
	"KEEP.append(set('abcdef'))\n"
	"KEEP.append(collections.deque(range(200), maxlen=150))\n"
	"KEEP.append(collections.OrderedDict((str(i), i) for i in range(30)))\n"
	"KEEP.append(collections.defaultdict(list, a=[1], b=[2]))\n"
	"KEEP.append(functools.partial(make_closure, 3))\n"
	"@functools.lru_cache(maxsize=None)\n"
	"def cached(x):\n"
	"    return [x] * 2\n"
	"for i in range(20):\n"
	"    cached(i)\n"
	"KEEP.append(cached)\n"
	"KEEP.append(weakref.ref(KEEP[1]))\n"
	"KEEP.append(weakref.WeakValueDictionary({1: KEEP[4]}))\n"
	"KEEP.append(Sub(1).meth)\n"
	"KEEP.append(io.BytesIO(b'data' * 100))\n"
	"c = coro(); KEEP.append(c)\n"
	"try:\n"
	"    raise ValueError('boom', {'detail': [1, 2]})\n"
	"except ValueError as e:\n"
	"    KEEP.append(e)\n"
	"    KEEP.append(e.__traceback__)\n"
	"KEEP.append(sys._getframe())\n"
	"for i in range(30):\n"
	"    a = Cycle(); b = Cycle(); a.other = b; b.other = a; a.big = list(range(i))\n"
	"    if i % 2:\n"
	"        KEEP.append(a)\n"
	"KEEP.append(property(lambda self: 1))\n"
	"KEEP.append(staticmethod(len)); KEEP.append(classmethod(len))\n"
	"KEEP.append(type('Dyn', (object,), {'x': 1, 'f': lambda self: 2}))\n"
	"ev = threading.Event()\n"
	"def worker(tag, depth):\n"
	"    local_list = [tag] * 10\n"
	"    local_dict = {'tag': tag, 'depth': depth}\n"
	"    if depth > 0:\n"
	"        return worker(tag, depth - 1)\n"
	"    while True:\n"
	"        ev.wait(1000)\n"
	"t = threading.Thread(target=worker, args=('worker\\u2603', 5), daemon=True)\n"
	"t.start()\n"
	"import time\n"
	"while not ev._cond._waiters:\n"
	"    time.sleep(0.01)\n"
	"time.sleep(0.05)\n"
	"def main_wait():\n"
	"    mine = {'held': split, 'n': len(KEEP)}\n"
	"    gc.collect()\n"
	"    sys.stdout.write('READY\\n'); sys.stdout.flush()\n"
	"    sys.stdin.read()\n"
	"    return mine\n"
	"main_wait()\n"
	"c.close()\n";

static int g_failures;
static pid_t g_child = -1;
static int g_verbose;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			g_failures++;                                      \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,      \
				__LINE__, #cond);                          \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

/* ==== What the current seed did (printed on a crash, hang or failure) ==== */

static char g_desc[16384];
static char g_repro[1200] = "(the pristine snapshot)";
static size_t g_desc_len;
static volatile sig_atomic_t g_phase_id;
static const char *const g_phases[] = {
	"-", "heap_open", "census tables", "frames_threads", "values",
	"graph_build", "graph queries", "graph paths", "leaks_build",
	"leaks queries", "leaks_suspects", "diff", "free",
};
enum { PH_NONE, PH_HEAP, PH_CENSUS, PH_FRAMES, PH_VALUES, PH_GRAPH,
       PH_GRAPHQ, PH_PATHS, PH_LEAKS, PH_LEAKSQ, PH_SUSPECTS, PH_DIFF,
       PH_FREE };

static void desc_reset(void)
{
	g_desc_len = 0;
	g_desc[0] = 0;
}

__attribute__((format(printf, 1, 2)))
static void desc_add(const char *fmt, ...)
{
	if (g_desc_len >= sizeof g_desc - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(g_desc + g_desc_len, sizeof g_desc - g_desc_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		g_desc_len += (size_t)n < sizeof g_desc - g_desc_len
			? (size_t)n : sizeof g_desc - g_desc_len - 1;
}

static void write_str(const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Async-signal-safe enough: only write(2) of prepared text. */
static volatile sig_atomic_t g_dumped;
static void dump_current(const char *why)
{
	if (g_dumped)
		return;
	g_dumped = 1;
	write_str("\n==== test_corrupt: ");
	write_str(why);
	write_str(" during ");
	write_str(g_phases[g_phase_id]);
	write_str(" ====\n");
	write_str(g_desc);
	write_str("==== reproduce: ");
	write_str(g_repro);
	write_str(" ====\n");
}

static void on_death(void)
{
	dump_current("sanitizer report");
	if (g_child > 0)
		kill(g_child, SIGKILL);
}

static void on_alarm(int sig)
{
	(void)sig;
	dump_current("HANG (no progress within the per-seed timeout)");
	void *bt[64];
	int n = backtrace(bt, 64);
	write_str("where it was:\n");
	backtrace_symbols_fd(bt, n, 2);
	if (g_child > 0)
		kill(g_child, SIGKILL);
	_exit(1);
}

static void on_crash(int sig)
{
	dump_current(sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS"
		     : sig == SIGFPE ? "SIGFPE" : sig == SIGABRT ? "SIGABRT" : "signal");
	if (g_child > 0)
		kill(g_child, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ==== The target ==== */

static int g_to_child = -1;

static void stop_child(void)
{
	if (g_child <= 0)
		return;
	if (g_to_child >= 0)
		close(g_to_child);
	g_to_child = -1;
	kill(g_child, SIGKILL);
	waitpid(g_child, NULL, 0);
	g_child = -1;
}

/* After READY the main thread enters sys.stdin.read(), which allocates
 * (a GC-tracked list) on the way: snapshot only once it is blocked in
 * read(2), so every run sees the same heap.  Best effort (2 s). */
static void wait_blocked_in_read(pid_t pid)
{
	char path[64], line[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		int nr = -1;
		if (f) {
			if (fgets(line, sizeof line, f))
				nr = atoi(line);
			fclose(f);
		}
		if (nr == 0)   /* SYS_read */
			break;
		usleep(10000);
	}
	usleep(20000);
}

/* Start python on TARGET_SCRIPT; 0 once it printed READY, -1 otherwise. */
static int start_target(const char *python)
{
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* The same heap at the same addresses on every run, so a seed
		 * reproduces: fixed str hashes, no address randomisation, a fixed
		 * cwd and environment (os.environ is in the heap). */
		personality(ADDR_NO_RANDOMIZE);
		/* sys.path[0] is the cwd: its listing ends up in the heap */
		if (chdir("/") != 0)
			_exit(126);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		char *const env[] = {"PYTHONHASHSEED=0", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", NULL};
		execle(python, python, "-c", TARGET_SCRIPT, (char *)NULL, env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	g_child = pid;
	g_to_child = in[1];
	char buf[64];
	size_t len = 0;
	for (;;) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (poll(&p, 1, 30000) <= 0)
			break;
		ssize_t r = read(out[0], buf + len, sizeof buf - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = 0;
		if (strstr(buf, "READY\n")) {
			close(out[0]);
			wait_blocked_in_read(pid);
			return 0;
		}
		if (len >= sizeof buf - 1)
			break;
	}
	close(out[0]);
	stop_child();
	return -1;
}

/* ==== Deterministic randomness ==== */

static uint64_t g_rng;

static uint64_t rnd(void)
{
	uint64_t z = (g_rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* ==== What the pristine snapshot holds ==== */

struct obj {
	raddr_t addr;
	uint8_t kind;      /* enum py_kind */
	uint8_t tracked;
	uint32_t size;     /* getsizeof, capped */
};

static struct obj *g_objs;
static size_t g_nobjs;
static uint64_t g_nobjs_tracked;
static size_t *g_by_kind[PYK__COUNT];
static size_t g_nby_kind[PYK__COUNT];
static raddr_t *g_types;
static size_t g_ntypes;
/* Thread states, interpreter frames, frame objects, code objects of the
 * threads' stacks, the interpreter, the GC generation heads. */
static raddr_t g_tstates[16], g_iframes[256], g_codes[256];
static size_t g_ntstates, g_niframes, g_ncodes;
static raddr_t g_interp, g_gcstate;
static struct diff_base *g_base0;

static void add_uniq(raddr_t *arr, size_t *n, size_t cap, raddr_t v)
{
	if (!v)
		return;
	for (size_t i = 0; i < *n; i++)
		if (arr[i] == v)
			return;
	if (*n < cap)
		arr[(*n)++] = v;
}

/* ==== Corrupting the copy, and undoing it ==== */

struct undo {
	unsigned char *p;
	size_t len;
	unsigned char saved[4096];
};

#define MAX_UNDO 64
static struct undo g_undo[MAX_UNDO];
static size_t g_nundo;
/* Objects touched by this seed: the value/graph sample always has them. */
static raddr_t g_subjects[2 * MAX_UNDO];
static size_t g_nsubjects;

static void undo_all(void)
{
	while (g_nundo) {
		struct undo *u = &g_undo[--g_nundo];
		memcpy(u->p, u->saved, u->len);
	}
}

/* Writable host pointer to [addr, addr+len) of the private copy, or NULL. */
static unsigned char *copy_ptr(memsrc *m, raddr_t addr, size_t len)
{
	if (!mem_in_copy(m, addr, len))
		return NULL;
	return (unsigned char *)(uintptr_t)mem_ptr(m, addr, len);
}

static int write_bytes(memsrc *m, raddr_t addr, const void *v, size_t len)
{
	if (g_nundo == MAX_UNDO || len > sizeof g_undo[0].saved)
		return -1;
	unsigned char *p = copy_ptr(m, addr, len);
	if (!p)
		return -1;
	struct undo *u = &g_undo[g_nundo++];
	u->p = p;
	u->len = len;
	memcpy(u->saved, p, len);
	memcpy(p, v, len);
	return 0;
}

static void subject(raddr_t a)
{
	if (a && g_nsubjects < sizeof g_subjects / sizeof *g_subjects)
		g_subjects[g_nsubjects++] = a;
}

static const struct obj *rnd_obj(void)
{
	return &g_objs[rnd_below(g_nobjs)];
}

static const struct obj *rnd_obj_kind(int kind)
{
	if (!g_nby_kind[kind])
		return rnd_obj();
	return &g_objs[g_by_kind[kind][rnd_below(g_nby_kind[kind])]];
}

/* End of the copied region holding addr (addr itself if none). */
static raddr_t region_end(memsrc *m, raddr_t addr)
{
	if (!mem_in_copy(m, addr, 1))
		return addr;
	uint64_t lo = 1, hi = 1;
	while (hi < ((uint64_t)1 << 40) && mem_in_copy(m, addr, hi))
		lo = hi, hi *= 2;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (mem_in_copy(m, addr, mid))
			lo = mid;
		else
			hi = mid;
	}
	return addr + lo;
}

/* A nasty value for a field of `width` bytes at `at` (old value `old`). */
static uint64_t nasty_value(memsrc *m, raddr_t at, uint64_t old, size_t width,
			    const char **how)
{
	static const uint64_t huge[] = {
		0x7fffffffffffffffull, 0x8000000000000000ull, 1ull << 62,
		1ull << 40, 0x7fffffff, 0x80000000ull, 0xffffffffull, 0xffff,
		0x100000000ull, 0xfffffffffffffff0ull,
	};
	switch (rnd_below(14)) {
	case 0: case 1:
		*how = "bit flip";
		return old ^ ((uint64_t)1 << rnd_below(width * 8));
	case 2:
		*how = "zero";
		return 0;
	case 3:
		*how = "all ones";
		return ~0ull;
	case 4:
		*how = "huge";
		return huge[rnd_below(sizeof huge / sizeof *huge)];
	case 5:
		*how = "small";
		return rnd_below(17) - 1;
	case 6:
		*how = "off by a few";
		return old + rnd_below(17) - 8;
	case 7:
		*how = "random";
		return rnd();
	case 8: {
		*how = "another object";
		return rnd_obj()->addr;
	}
	case 9: {
		*how = "inside another object";
		return rnd_obj()->addr + rnd_below(96) - 16;
	}
	case 10:
		*how = rnd_below(2) ? "self (the word's own address)" : "a type object";
		if (**how == 's')
			return at;
		return g_ntypes ? g_types[rnd_below(g_ntypes)] : at;
	case 11: {
		*how = "last bytes of a region";
		raddr_t base = rnd_below(2) ? at : rnd_obj()->addr;
		return region_end(m, base) - 1 - rnd_below(24);
	}
	case 12: {
		static const uint64_t odd[] = {
			8, 0x1000, 0xdead0000, 0x00007ffffffff000ull,
			0x0000800000000000ull, 0xffff800000000000ull,
			0x4141414141414141ull, 0xfffffffffffff000ull,
		};
		*how = "odd address";
		return odd[rnd_below(sizeof odd / sizeof *odd)];
	}
	default:
		*how = "shifted";
		return rnd_below(2) ? old << 8 : old >> 4;
	}
}

static void corrupt_at(memsrc *m, raddr_t at, size_t width, const char *what)
{
	uint64_t old = 0;
	if (width > 8)
		width = 8;
	if (mem_read(m, at, &old, width) != 0)
		return;
	const char *how = "?";
	uint64_t v = nasty_value(m, at, old, width, &how);
	uint64_t mask = width == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (width * 8)) - 1;
	if (write_bytes(m, at, &v, width) == 0)
		desc_add("  %s: %#" PRIx64 " (%zu B) %#" PRIx64 " -> %#" PRIx64 " (%s)\n",
			 what, at, width, old & mask, v & mask, how);
}

struct fld {
	int32_t off;
	uint8_t width;
	uint8_t ptr;      /* a pointer worth following one level */
	const char *name;
};

#define F(o, w, p) do { if ((L->o) >= 0 && n < cap) \
	out[n++] = (struct fld){(L->o), (w), (p), #o}; } while (0)

/* Interesting fields of an object of `kind`.  Returns how many. */
static size_t kind_fields(const struct py_layout *L, int kind, struct fld *out, size_t cap)
{
	size_t n = 0;
	F(ob_refcnt, 8, 0);
	F(ob_type, 8, 1);
	switch (kind) {
	case PYK_TYPE:
		F(tp_name, 8, 1); F(tp_basicsize, 8, 0); F(tp_itemsize, 8, 0);
		F(tp_flags, 8, 0); F(tp_base, 8, 1); F(tp_dict, 8, 1);
		F(tp_dictoffset, 8, 0); F(tp_bases, 8, 1); F(tp_mro, 8, 1);
		F(tp_weaklistoffset, 8, 0); F(tp_subclasses, 8, 1);
		F(tp_traverse, 8, 0); F(tp_is_gc, 8, 0); F(tp_methods, 8, 1);
		F(ht_name, 8, 1); F(ht_slots, 8, 1); F(ht_qualname, 8, 1);
		F(ht_cached_keys, 8, 1); F(ht_module, 8, 1);
		break;
	case PYK_STR:
		F(str_length, 8, 0); F(str_hash, 8, 0); F(str_state, 4, 0);
		F(str_state, 1, 0); F(str_utf8_length, 8, 0); F(str_utf8, 8, 1);
		F(str_wstr, 8, 1); F(str_wstr_length, 8, 0); F(str_data, 8, 1);
		F(str_ascii_size, 8, 0); F(str_compact_size, 8, 0);
		break;
	case PYK_BYTES:
		F(ob_size, 8, 0); F(bytes_sval, 8, 0);
		break;
	case PYK_BYTEARRAY:
		F(ob_size, 8, 0); F(bytearray_alloc, 8, 0);
		F(bytearray_bytes, 8, 1); F(bytearray_start, 8, 1);
		break;
	case PYK_INT: case PYK_BOOL:
		F(ob_size, 8, 0); F(long_lv_tag, 8, 0); F(long_digits, 4, 0);
		F(long_digits, 8, 0);
		break;
	case PYK_FLOAT:
		F(float_fval, 8, 0);
		break;
	case PYK_TUPLE:
		F(ob_size, 8, 0); F(tuple_items, 8, 1);
		break;
	case PYK_LIST:
		F(ob_size, 8, 0); F(list_items, 8, 1); F(list_allocated, 8, 0);
		break;
	case PYK_DICT: case PYK_ODICT:
		F(dict_used, 8, 0); F(dict_keys, 8, 1); F(dict_values, 8, 1);
		break;
	case PYK_SET: case PYK_FROZENSET:
		F(set_fill, 8, 0); F(set_used, 8, 0); F(set_mask, 8, 0);
		F(set_table, 8, 1); F(set_smalltable, 8, 1);
		break;
	case PYK_CODE:
		F(co_argcount, 4, 0); F(co_nlocals, 4, 0); F(co_stacksize, 4, 0);
		F(co_flags, 4, 0); F(co_firstlineno, 4, 0); F(co_code, 8, 1);
		F(co_consts, 8, 1); F(co_names, 8, 1); F(co_varnames, 8, 1);
		F(co_cellvars, 8, 1); F(co_freevars, 8, 1);
		F(co_localsplusnames, 8, 1); F(co_localspluskinds, 8, 1);
		F(co_nlocalsplus, 4, 0); F(co_framesize, 4, 0);
		F(co_filename, 8, 1); F(co_name, 8, 1); F(co_qualname, 8, 1);
		F(co_lnotab, 8, 1); F(co_linetable, 8, 1); F(co_code_adaptive, 8, 0);
		break;
	case PYK_FUNCTION:
		F(fn_code, 8, 1); F(fn_globals, 8, 1); F(fn_builtins, 8, 1);
		F(fn_defaults, 8, 1); F(fn_kwdefaults, 8, 1); F(fn_closure, 8, 1);
		F(fn_doc, 8, 1); F(fn_name, 8, 1); F(fn_dict, 8, 1);
		F(fn_module, 8, 1); F(fn_annotations, 8, 1); F(fn_qualname, 8, 1);
		F(fn_typeparams, 8, 1);
		break;
	case PYK_CELL:
		F(cell_ref, 8, 1);
		break;
	case PYK_METHOD:
		F(meth_func, 8, 1); F(meth_self, 8, 1);
		break;
	case PYK_CFUNCTION:
		F(cfunc_ml, 8, 1); F(cfunc_self, 8, 1); F(cfunc_module, 8, 1);
		break;
	case PYK_MODULE:
		F(mod_dict, 8, 1); F(mod_def, 8, 1); F(mod_state, 8, 1); F(mod_name, 8, 1);
		break;
	case PYK_WEAKREF:
		F(wr_object, 8, 1); F(wr_callback, 8, 1);
		break;
	case PYK_FRAME:
		F(frame_back, 8, 1); F(frame_code, 8, 1); F(frame_builtins, 8, 1);
		F(frame_globals, 8, 1); F(frame_locals, 8, 1);
		F(frame_valuestack, 8, 1); F(frame_stacktop, 4, 0);
		F(frame_lasti, 4, 0); F(frame_lineno, 4, 0);
		F(frame_localsplus, 8, 1); F(frame_frame, 8, 1);
		break;
	case PYK_GEN: case PYK_CORO: case PYK_ASYNCGEN:
		F(gen_frame, 8, 1); F(gen_code, 8, 1); F(gen_name, 8, 1);
		F(gen_qualname, 8, 1); F(gen_frame_state, 1, 0);
		if (L->gen_iframe >= 0) {
			int32_t b = L->gen_iframe;
#define I(o, w, p) do { if ((L->o) >= 0 && n < cap) \
	out[n++] = (struct fld){b + (L->o), (w), (p), "gen_iframe+" #o}; } while (0)
			I(iframe_code, 8, 1); I(iframe_previous, 8, 1);
			I(iframe_func, 8, 1); I(iframe_globals, 8, 1);
			I(iframe_locals, 8, 1); I(iframe_frame_obj, 8, 1);
			I(iframe_prev_instr, 8, 0); I(iframe_stacktop, 4, 0);
			I(iframe_owner, 1, 0); I(iframe_localsplus, 8, 1);
#undef I
		}
		break;
	default:
		F(ob_size, 8, 0);
		break;
	}
	return n;
}

static const struct py_layout *g_L;
static const char *g_python_env;   /* HEAPSCOPE_FUZZ_PYTHON, if set */

/* One corruption; appends to g_desc. */
static void corrupt_one(memsrc *m)
{
	const struct py_layout *L = g_L;
	struct fld f[64];
	size_t nf;
	char what[160];
	unsigned r = (unsigned)rnd_below(100);

	if (r < 30) {
		/* A field of a random object, chosen by its kind. */
		const struct obj *o = rnd_below(3) ? rnd_obj() : rnd_obj_kind((int)rnd_below(PYK__COUNT));
		nf = kind_fields(L, o->kind, f, 64);
		if (!nf)
			return;
		const struct fld *x = &f[rnd_below(nf)];
		snprintf(what, sizeof what, "%s %#" PRIx64 " .%s", py_kind_name(o->kind), o->addr, x->name);
		subject(o->addr);
		corrupt_at(m, o->addr + (raddr_t)(int64_t)x->off, x->width, what);
	} else if (r < 50) {
		/* One pointer away: a word of what a pointer field points to. */
		const struct obj *o = rnd_below(2) ? rnd_obj() : rnd_obj_kind((int)rnd_below(PYK__COUNT));
		nf = kind_fields(L, o->kind, f, 64);
		struct fld ptrs[64];
		size_t np = 0;
		for (size_t i = 0; i < nf; i++)
			if (f[i].ptr)
				ptrs[np++] = f[i];
		if (!np)
			return;
		const struct fld *x = &ptrs[rnd_below(np)];
		uint64_t p = 0;
		if (mem_u64(m, o->addr + (raddr_t)(int64_t)x->off, &p) != 0 || !mem_in_copy(m, p, 8))
			return;
		int64_t d = (int64_t)rnd_below(40) * 8 - 16;
		size_t w = rnd_below(4) ? 8 : (rnd_below(2) ? 4 : 1);
		if (w < 8)
			d += (int64_t)rnd_below(8);
		snprintf(what, sizeof what, "%s %#" PRIx64 " .%s -> %+" PRId64,
			 py_kind_name(o->kind), o->addr, x->name, d);
		subject(o->addr);
		subject(p);
		corrupt_at(m, p + (raddr_t)d, w, what);
	} else if (r < 58) {
		/* A dict's keys table: header bytes, indices, entries. */
		const struct obj *o = rnd_obj_kind(rnd_below(4) ? PYK_DICT : PYK_ODICT);
		uint64_t k = 0;
		if (L->dict_keys < 0 || mem_u64(m, o->addr + (raddr_t)L->dict_keys, &k) != 0 || !k)
			return;
		int32_t off;
		size_t w = 8;
		const char *nm;
		switch (rnd_below(8)) {
		case 0: off = L->keys_log2_size; w = 1; nm = "keys.log2_size"; break;
		case 1: off = L->keys_log2_index_bytes; w = 1; nm = "keys.log2_index_bytes"; break;
		case 2: off = L->keys_kind; w = 1; nm = "keys.kind"; break;
		case 3: off = L->keys_nentries; nm = "keys.nentries"; break;
		case 4: off = L->keys_usable; nm = "keys.usable"; break;
		case 5: off = L->keys_size; nm = "keys.size"; break;
		case 6: off = L->keys_indices + (int32_t)rnd_below(16); w = rnd_below(2) ? 1 : 8;
			nm = "keys.indices"; break;
		default: off = L->keys_indices + (int32_t)rnd_below(128) * 8; nm = "keys.entries"; break;
		}
		if (off < 0)
			return;
		snprintf(what, sizeof what, "dict %#" PRIx64 " %s", o->addr, nm);
		subject(o->addr);
		corrupt_at(m, k + (raddr_t)off, w, what);
	} else if (r < 66) {
		/* A type object's slot: every instance is read through it. */
		if (!g_ntypes)
			return;
		raddr_t t = g_types[rnd_below(g_ntypes)];
		nf = kind_fields(L, PYK_TYPE, f, 64);
		const struct fld *x = &f[rnd_below(nf)];
		snprintf(what, sizeof what, "type %#" PRIx64 " .%s", t, x->name);
		subject(t);
		corrupt_at(m, t + (raddr_t)(int64_t)x->off, x->width, what);
	} else if (r < 74) {
		/* Threads: a thread state, an interpreter frame, a code object. */
		unsigned which = (unsigned)rnd_below(3);
		if (which == 0 && g_ntstates) {
			raddr_t ts = g_tstates[rnd_below(g_ntstates)];
			int32_t offs[] = {L->ts_next, L->ts_interp, L->ts_frame, L->ts_cframe,
					  L->ts_current_frame, L->ts_thread_id,
					  L->ts_native_thread_id, (int32_t)rnd_below(64) * 8};
			int32_t off = offs[rnd_below(sizeof offs / sizeof *offs)];
			if (off < 0)
				return;
			snprintf(what, sizeof what, "thread state %#" PRIx64 " +%d", ts, off);
			corrupt_at(m, ts + (raddr_t)off, 8, what);
			if (L->ts_cframe >= 0 && L->cframe_current_frame >= 0 && rnd_below(3) == 0) {
				uint64_t cf = 0;
				if (mem_u64(m, ts + (raddr_t)L->ts_cframe, &cf) == 0 && cf) {
					snprintf(what, sizeof what, "cframe %#" PRIx64 " current_frame", cf);
					corrupt_at(m, cf + (raddr_t)L->cframe_current_frame, 8, what);
				}
			}
		} else if (which == 1 && g_niframes) {
			raddr_t fr = g_iframes[rnd_below(g_niframes)];
			int32_t offs[] = {L->iframe_code, L->iframe_previous, L->iframe_func,
					  L->iframe_globals, L->iframe_builtins, L->iframe_locals,
					  L->iframe_frame_obj, L->iframe_prev_instr,
					  L->iframe_stacktop, L->iframe_owner,
					  L->iframe_localsplus + (int32_t)rnd_below(8) * 8,
					  L->frame_back, L->frame_code, L->frame_lasti,
					  L->frame_localsplus, L->frame_valuestack,
					  L->frame_stacktop, L->frame_locals};
			int32_t off = offs[rnd_below(sizeof offs / sizeof *offs)];
			if (off < 0)
				return;
			snprintf(what, sizeof what, "frame %#" PRIx64 " +%d", fr, off);
			subject(fr);
			corrupt_at(m, fr + (raddr_t)off, rnd_below(3) ? 8 : 4, what);
		} else if (g_ncodes) {
			raddr_t co = g_codes[rnd_below(g_ncodes)];
			nf = kind_fields(L, PYK_CODE, f, 64);
			const struct fld *x = &f[rnd_below(nf)];
			snprintf(what, sizeof what, "code %#" PRIx64 " .%s", co, x->name);
			subject(co);
			if (x->ptr && rnd_below(2)) {
				/* the line table / names tuple behind it */
				uint64_t p = 0;
				if (mem_u64(m, co + (raddr_t)x->off, &p) != 0 || !p)
					return;
				snprintf(what, sizeof what, "code %#" PRIx64 " .%s -> data", co, x->name);
				corrupt_at(m, p + 16 + rnd_below(32) * 2, rnd_below(2) ? 1 : 8, what);
			} else {
				corrupt_at(m, co + (raddr_t)(int64_t)x->off, x->width, what);
			}
		}
	} else if (r < 79) {
		/* GC links and GC state. */
		if (rnd_below(4) == 0 && g_gcstate) {
			int32_t offs[] = {L->gc_generations, L->gc_generations + 8,
					  L->gc_generations + L->gc_gen_size,
					  L->gc_generations + 2 * L->gc_gen_size + 8,
					  L->gc_permanent, L->gc_collecting, L->gc_garbage,
					  L->gc_gen_threshold + L->gc_generations,
					  L->gc_gen_count + L->gc_generations, L->gc_stats,
					  L->gc_enabled};
			int32_t off = offs[rnd_below(sizeof offs / sizeof *offs)];
			if (off < 0)
				return;
			snprintf(what, sizeof what, "gc state %#" PRIx64 " +%d", g_gcstate, off);
			corrupt_at(m, g_gcstate + (raddr_t)off, 8, what);
		} else {
			const struct obj *o = rnd_obj();
			if (!o->tracked)
				return;
			int which = (int)rnd_below(2);
			snprintf(what, sizeof what, "%s %#" PRIx64 " gc %s", py_kind_name(o->kind),
				 o->addr, which ? "_gc_prev" : "_gc_next");
			subject(o->addr);
			corrupt_at(m, o->addr - (raddr_t)L->gc_head_size + (raddr_t)which * 8, 8, what);
		}
	} else if (r < 88) {
		/* str payload and header, every kind of str. */
		const struct obj *o = rnd_obj_kind(PYK_STR);
		subject(o->addr);
		nf = kind_fields(L, PYK_STR, f, 64);
		if (rnd_below(3)) {
			const struct fld *x = &f[rnd_below(nf)];
			snprintf(what, sizeof what, "str %#" PRIx64 " .%s", o->addr, x->name);
			corrupt_at(m, o->addr + (raddr_t)(int64_t)x->off, x->width, what);
		} else {
			raddr_t at = o->addr + (raddr_t)(L->str_ascii_size > 0 ? L->str_ascii_size : 40)
				+ rnd_below(o->size > 48 ? o->size - 48 : 8);
			snprintf(what, sizeof what, "str %#" PRIx64 " data", o->addr);
			corrupt_at(m, at, rnd_below(2) ? 1 : 4, what);
		}
	} else if (r < 95) {
		/* A random word of a random object (pre-header included). */
		const struct obj *o = rnd_obj();
		int64_t lo = o->tracked ? -(int64_t)L->gc_head_size : 0;
		if (L->preheader_managed && o->tracked)
			lo -= L->preheader_managed;
		int64_t span = (int64_t)(o->size < 512 ? o->size : 512) - lo;
		int64_t d = lo + (int64_t)rnd_below((uint64_t)(span > 8 ? span : 8));
		d &= ~(int64_t)7;
		snprintf(what, sizeof what, "%s %#" PRIx64 " word %+" PRId64, py_kind_name(o->kind),
			 o->addr, d);
		subject(o->addr);
		corrupt_at(m, o->addr + (raddr_t)d, 8, what);
	} else {
		/* Smash a block: zeros, 0xff, random bytes or a repeated pointer. */
		const struct obj *o = rnd_obj();
		size_t len = 16 + rnd_below(512);
		raddr_t at = o->addr - 16 + rnd_below(32);
		unsigned char buf[1024];
		unsigned how = (unsigned)rnd_below(4);
		for (size_t i = 0; i < len; i++)
			buf[i] = how == 0 ? 0 : how == 1 ? 0xff : (unsigned char)rnd();
		if (how == 3) {
			raddr_t p = rnd_obj()->addr;
			for (size_t i = 0; i + 8 <= len; i += 8)
				memcpy(buf + i, &p, 8);
		}
		subject(o->addr);
		if (write_bytes(m, at, buf, len) == 0)
			desc_add("  smash %zu B at %#" PRIx64 " (%s %#" PRIx64 "): %s\n", len, at,
				 py_kind_name(o->kind), o->addr,
				 how == 0 ? "zeros" : how == 1 ? "0xff" : how == 2 ? "random" : "one pointer");
	}
}

/* ==== Directed corruptions: the extremes every bound must survive ==== */

static void put_at(memsrc *m, raddr_t at, uint64_t v, size_t w, const char *what)
{
	uint64_t old = 0;
	if (mem_read(m, at, &old, w) != 0 || write_bytes(m, at, &v, w) != 0)
		return;
	desc_add("  %s: %#" PRIx64 " (%zu B) -> %#" PRIx64 "\n", what, at, w, v);
}

/* Up to three objects of a kind: the first, one in the middle, the last. */
static size_t some_of(int kind, raddr_t out[3])
{
	size_t n = g_nby_kind[kind], k = 0;
	if (n == 0)
		return 0;
	size_t idx[3] = {0, n / 2, n - 1};
	for (size_t i = 0; i < 3 && i < n; i++)
		out[k++] = g_objs[g_by_kind[kind][idx[i]]].addr;
	return k;
}

#define EACH(kind) for (size_t n_ = some_of((kind), objs), i_ = 0; i_ < n_ && ((o = objs[i_]), 1); i_++)

/* Apply directed case `which`; returns its name, NULL past the last. */
static const char *directed(memsrc *m, unsigned which)
{
	const struct py_layout *L = g_L;
	raddr_t objs[3], o;
	uint64_t p = 0;
	switch (which) {
	case 0:
		EACH(PYK_DICT) if (mem_u64(m, o + L->dict_keys, &p) == 0 && p) {
			subject(o);
			put_at(m, p + L->keys_nentries, ((uint64_t)1 << 36) - 1, 8, "keys.nentries");
		}
		return "dict keys nentries 2^36-1";
	case 1:
		EACH(PYK_DICT) if (mem_u64(m, o + L->dict_keys, &p) == 0 && p) {
			subject(o);
			if (L->keys_size >= 0)
				put_at(m, p + L->keys_size, (uint64_t)1 << 40, 8, "keys.size");
			else {
				put_at(m, p + L->keys_log2_size, 40, 1, "keys.log2_size");
				put_at(m, p + L->keys_log2_index_bytes, 40, 1, "keys.log2_index_bytes");
			}
			put_at(m, o + L->dict_used, (uint64_t)1 << 40, 8, "ma_used");
		}
		return "dict keys size 2^40";
	case 2:
		EACH(PYK_DICT) if (mem_u64(m, o + L->dict_keys, &p) == 0 && p) {
			/* every entry's value is the dict itself: repr recursion */
			subject(o);
			int64_t es = L->keys_size >= 0 ? L->keyentry_size : L->unientry_size;
			raddr_t e = L->keys_size >= 0 ? 0 : p + L->keys_indices;
			uint8_t l2i = 0;
			if (!e || mem_read(m, p + L->keys_log2_index_bytes, &l2i, 1) != 0 || l2i > 20)
				continue;
			e += (raddr_t)1 << l2i;
			for (int k = 0; k < 4; k++)
				put_at(m, e + (raddr_t)(k * es) + (raddr_t)(es - 8), o, 8, "entry value = the dict");
		}
		return "dict values are the dict itself";
	case 3:
		EACH(PYK_LIST) {
			subject(o);
			put_at(m, o + L->ob_size, (uint64_t)1 << 40, 8, "ob_size");
			put_at(m, o + L->list_allocated, (uint64_t)1 << 40, 8, "allocated");
		}
		EACH(PYK_TUPLE) {
			subject(o);
			put_at(m, o + L->ob_size, (uint64_t)1 << 40, 8, "ob_size");
		}
		return "list and tuple sizes 2^40";
	case 4:
		EACH(PYK_LIST) {
			subject(o);
			put_at(m, o + L->ob_size, INT64_MAX, 8, "ob_size");
			put_at(m, o + L->list_allocated, (uint64_t)INT64_MIN, 8, "allocated");
		}
		EACH(PYK_TUPLE) {
			subject(o);
			put_at(m, o + L->ob_size, (uint64_t)INT64_MIN, 8, "ob_size");
		}
		return "list and tuple sizes INT64_MAX / INT64_MIN";
	case 5:
		EACH(PYK_SET) {
			subject(o);
			put_at(m, o + L->set_mask, ((uint64_t)1 << 34) - 1, 8, "mask");
			put_at(m, o + L->set_used, (uint64_t)1 << 34, 8, "used");
			put_at(m, o + L->set_fill, (uint64_t)1 << 34, 8, "fill");
		}
		return "set mask 2^34-1";
	case 6:
		EACH(PYK_STR) {
			subject(o);
			put_at(m, o + L->str_length, (uint64_t)1 << 40, 8, "length");
		}
		return "str length 2^40";
	case 7:
		EACH(PYK_STR) {
			subject(o);
			put_at(m, o + L->str_length, INT64_MAX, 8, "length");
		}
		EACH(PYK_BYTES) {
			subject(o);
			put_at(m, o + L->ob_size, INT64_MAX, 8, "ob_size");
		}
		return "str and bytes lengths INT64_MAX";
	case 8:
		EACH(PYK_INT) {
			subject(o);
			if (L->long_lv_tag >= 0)
				put_at(m, o + L->long_lv_tag, ~(uint64_t)0 - 1, 8, "lv_tag");
			else
				put_at(m, o + L->ob_size, (uint64_t)INT64_MIN, 8, "ob_size");
		}
		return "int digit counts at the extremes";
	case 9:
		for (size_t i = 0; i < g_ntypes && i < 8; i++) {
			raddr_t t = g_types[i];
			subject(t);
			put_at(m, t + L->tp_base, t, 8, "tp_base = itself");
			put_at(m, t + L->tp_mro, t, 8, "tp_mro = itself");
			put_at(m, t + L->tp_bases, t, 8, "tp_bases = itself");
			put_at(m, t + L->tp_dict, t, 8, "tp_dict = itself");
		}
		return "types that are their own base, mro and dict";
	case 10:
		for (size_t i = 0; i < g_niframes; i++) {
			raddr_t f = g_iframes[i];
			subject(f);
			if (L->iframe_previous >= 0 && L->ts_frame < 0)
				put_at(m, f + L->iframe_previous, f, 8, "previous = itself");
			if (L->frame_back >= 0)
				put_at(m, f + L->frame_back, f, 8, "f_back = itself");
		}
		for (size_t i = 0; i < g_ntstates; i++)
			put_at(m, g_tstates[i] + L->ts_next, g_tstates[i], 8, "ts.next = itself");
		return "frame chains and thread list that loop";
	case 11:
		for (size_t i = 0; i < g_ncodes; i++) {
			raddr_t co = g_codes[i];
			subject(co);
			if (L->co_nlocalsplus >= 0)
				put_at(m, co + L->co_nlocalsplus, 0x7fffffff, 4, "co_nlocalsplus");
			if (L->co_nlocals >= 0)
				put_at(m, co + L->co_nlocals, 0x7fffffff, 4, "co_nlocals");
			put_at(m, co + L->co_stacksize, 0x7fffffff, 4, "co_stacksize");
			int32_t lt = L->co_linetable >= 0 ? L->co_linetable : L->co_lnotab;
			if (lt >= 0 && mem_u64(m, co + lt, &p) == 0 && p)
				put_at(m, p + L->ob_size, (uint64_t)1 << 40, 8, "line table ob_size");
		}
		return "code objects of the stacks with huge counts";
	case 12:
		EACH(PYK_CELL) {
			subject(o);
			put_at(m, o + L->cell_ref, o, 8, "cell_contents = the cell");
		}
		EACH(PYK_FUNCTION) {
			subject(o);
			put_at(m, o + L->fn_closure, o, 8, "__closure__ = the function");
			put_at(m, o + L->fn_code, o, 8, "__code__ = the function");
		}
		EACH(PYK_GEN) {
			subject(o);
			if (L->gen_iframe >= 0 && L->iframe_previous >= 0)
				put_at(m, o + L->gen_iframe + L->iframe_previous,
				       o + L->gen_iframe, 8, "gi_iframe.previous = itself");
			if (L->gen_frame >= 0)
				put_at(m, o + L->gen_frame, o, 8, "gi_frame = the generator");
		}
		return "cells, functions, generators that hold themselves";
	case 13:
		/* Instances' dict slots / managed pre-header pointing at themselves */
		EACH(PYK_OBJECT) {
			subject(o);
			if (L->managed_dict_off)
				put_at(m, o + (raddr_t)(int64_t)L->managed_dict_off, o, 8, "managed dict = itself");
			if (L->managed_values_off)
				put_at(m, o + (raddr_t)(int64_t)L->managed_values_off, o, 8, "managed values = itself");
		}
		return "instances whose dict/values pointer is the instance";
	default:
		return NULL;
	}
}
#undef EACH

/* ==== Running the model on the (corrupted) copy ==== */

static uint64_t g_status_count[16];
static uint64_t g_ok_heap, g_ok_graph, g_ok_leaks, g_threads_fail;
static uint64_t g_repr_fail, g_repr_calls;

static int terminated(const char *s, size_t cap)
{
	return memchr(s, 0, cap) != NULL;
}

static void check_err(enum hs_status st, const struct hs_err *err, const char *what,
		      uint64_t seed)
{
	if (st > 0 && st < 16)
		g_status_count[st]++;
	CHECK(st >= HS_ERR_INTERNAL && st <= HS_ERR_NOT_FOUND,
	      "seed %" PRIu64 ": %s returned undocumented status %d", seed, what, (int)st);
	CHECK(terminated(err->msg, sizeof err->msg) && err->msg[0],
	      "seed %" PRIu64 ": %s failed (%d) without a message", seed, what, (int)st);
	if (g_verbose)
		printf("    %s: %s (%d): %s\n", what, hs_status_name(st), (int)st, err->msg);
}

struct attr_count {
	long n;
};

static int attr_cb(void *arg, const struct value_attr *a)
{
	struct attr_count *c = arg;
	c->n++;
	/* Touch the name: it must be a readable C string. */
	if (a->name)
		(void)strlen(a->name);
	return c->n > 100000;
}

static void exercise_value(struct pyctx *c, raddr_t a, uint64_t seed)
{
	char buf[512];
	g_repr_calls++;
	long n = value_repr(c, a, buf, sizeof buf);
	CHECK(terminated(buf, sizeof buf), "seed %" PRIu64 ": value_repr(%#" PRIx64 ") not terminated",
	      seed, a);
	if (n >= 0)
		CHECK((size_t)n == strlen(buf), "seed %" PRIu64 ": value_repr(%#" PRIx64 ") returned %ld for %zu bytes",
		      seed, a, n, strlen(buf));
	else
		g_repr_fail++;
	struct value_opts o = {.max_items = 3, .max_str = 20, .depth = 4};
	value_repr_opts(c, a, &o, buf, 64);
	CHECK(terminated(buf, 64), "seed %" PRIu64 ": value_repr_opts not terminated", seed);

	struct value_field *rows = NULL;
	size_t total = 0;
	long nr = value_fields(c, a, rnd_below(3) ? 0 : rnd_below(1000), 16, &rows, &total);
	if (nr >= 0) {
		for (long i = 0; i < nr; i++)
			CHECK(terminated(rows[i].label, sizeof rows[i].label) &&
			      terminated(rows[i].text, sizeof rows[i].text),
			      "seed %" PRIu64 ": value_fields(%#" PRIx64 ") row %ld not terminated", seed, a, i);
	}
	free(rows);
	struct attr_count ac = {0};
	value_iter_attrs(c, a, NULL, attr_cb, &ac);
	value_type_name(c, a, buf, sizeof buf);
	CHECK(terminated(buf, sizeof buf), "seed %" PRIu64 ": value_type_name", seed);
	value_str(c, a, buf, sizeof buf);
	int64_t v;
	int fits;
	value_int64(c, a, &v, &fits);
	value_int_text(c, a, buf, sizeof buf);
	double d;
	value_float(c, a, &d);
	const struct pytype *t = py_type_of_obj(c, a);
	py_getsizeof(c, a, t);
	value_instance_dict(c, a, t);
	if (t)   /* its contract: a type, not NULL */
		value_container_len(c, a, t);
}

static void exercise_frames(struct pyctx *c, raddr_t interp, uint64_t seed)
{
	struct py_thread *th = NULL;
	long n = frames_threads(c, interp, FRAMES_LOCALS, &th);
	if (n < 0) {
		g_threads_fail++;
		return;
	}
	for (long i = 0; i < n; i++) {
		CHECK(th[i].nframes <= FRAMES_MAX_DEPTH, "seed %" PRIu64 ": %zu frames", seed, th[i].nframes);
		for (size_t k = 0; k < th[i].nframes; k++) {
			const struct py_frame *f = &th[i].frames[k];
			CHECK(terminated(f->function, sizeof f->function) &&
			      terminated(f->qualname, sizeof f->qualname) &&
			      terminated(f->file, sizeof f->file),
			      "seed %" PRIu64 ": frame strings not terminated", seed);
			CHECK(f->nlocals <= FRAMES_MAX_LOCALS, "seed %" PRIu64 ": %zu locals", seed, f->nlocals);
			for (size_t j = 0; j < f->nlocals; j++)
				CHECK(terminated(f->locals[j].name, sizeof f->locals[j].name),
				      "seed %" PRIu64 ": local name not terminated", seed);
			if (k < 3 && f->code)
				frames_code_line(c, f->code, f->lasti);
			if (k < 2 && f->nlocals && f->locals[0].value)
				exercise_value(c, f->locals[0].value, seed);
		}
	}
	frames_threads_free(th, (size_t)n);
	/* generators' frames, decoded on their own */
	for (int i = 0; i < 3; i++) {
		const struct obj *o = rnd_obj_kind(PYK_GEN);
		struct py_frame f;
		memset(&f, 0, sizeof f);
		if (g_L->gen_iframe >= 0) {
			if (frames_decode_iframe(c, o->addr + (raddr_t)g_L->gen_iframe, FRAMES_LOCALS, &f) == 0)
				frames_frame_fini(&f);
		} else if (g_L->gen_frame >= 0) {
			uint64_t fo = 0;
			if (mem_u64(pyctx_mem(c), o->addr + (raddr_t)g_L->gen_frame, &fo) == 0 &&
			    frames_decode_frame_obj(c, fo, FRAMES_LOCALS, &f) == 0)
				frames_frame_fini(&f);
		}
	}
}

static void exercise_graph(struct graph *g, uint64_t seed)
{
	char buf[1024];
	uint32_t n = graph_nobjects(g);
	graph_obj_t sample[48];
	size_t ns = 0;
	for (size_t i = 0; i < g_nsubjects && ns < 24; i++) {
		graph_obj_t o = graph_find(g, g_subjects[i]);
		if (o != GRAPH_NONE)
			sample[ns++] = o;
	}
	while (ns < sizeof sample / sizeof *sample && n)
		sample[ns++] = (graph_obj_t)rnd_below(n);
	g_phase_id = PH_GRAPHQ;
	const struct graph_stats *gs = graph_stats(g);
	CHECK(gs->objects == n, "seed %" PRIu64 ": stats %u objects vs %u", seed, gs->objects, n);
	for (size_t i = 0; i < ns; i++) {
		graph_obj_t o = sample[i];
		CHECK(graph_find(g, graph_addr(g, o)) == o, "seed %" PRIu64 ": graph_find(graph_addr(%u))", seed, o);
		graph_type_name(g, o, buf, sizeof buf);
		graph_value(g, o, buf, 200);
		CHECK(terminated(buf, 200), "seed %" PRIu64 ": graph_value not terminated", seed);
		int imm;
		graph_refcnt(g, o, &imm);
		graph_exact(g, o);
		graph_gen(g, o);
		graph_size(g, o);
		const struct graph_edge *e;
		size_t ne = graph_referents(g, o, &e);
		for (size_t k = 0; k < ne && k < 16; k++) {
			CHECK(e[k].to < n, "seed %" PRIu64 ": referent index %u of %u", seed, e[k].to, n);
			graph_edge_label(g, &e[k], buf, sizeof buf);
		}
		ne = graph_referrers(g, o, &e);
		for (size_t k = 0; k < ne && k < 16; k++) {
			CHECK(e[k].from == GRAPH_NONE || e[k].from < n,
			      "seed %" PRIu64 ": referrer index %u of %u", seed, e[k].from, n);
			graph_edge_label(g, &e[k], buf, sizeof buf);
		}
		size_t nr;
		const graph_obj_t *ro = graph_referrer_objs(g, o, &nr);
		for (size_t k = 0; k < nr; k++)
			CHECK(ro[k] < n, "seed %" PRIu64 ": referrer obj %u of %u", seed, ro[k], n);
		const graph_obj_t *wo;
		graph_weak_referrers(g, o, &wo);
	}
	const struct graph_root *roots;
	size_t nroots = graph_roots(g, &roots);
	for (size_t i = 0; i < nroots; i++)
		CHECK(terminated(roots[i].label, sizeof roots[i].label), "seed %" PRIu64 ": root label", seed);
	const struct graph_bad *bad;
	graph_dangling(g, &bad);
	graph_obj_t *objs = NULL;
	size_t nt = graph_objects_of_type(g, "Plain", &objs);
	(void)nt;
	free(objs);

	g_phase_id = PH_PATHS;
	for (size_t i = 0; i < 3 && i < ns; i++) {
		struct graph_path *p = NULL;
		size_t np = graph_paths(g, sample[i], 2, &p);
		for (size_t k = 0; k < np; k++) {
			graph_path_text(g, &p[k], buf, sizeof buf);
			CHECK(terminated(buf, sizeof buf), "seed %" PRIu64 ": path text", seed);
			diff_path_pattern(g, &p[k], buf, sizeof buf);
		}
		graph_paths_free(p, np);
	}
}

static void exercise_leaks(struct heap *h, struct graph *g, uint64_t seed, int suspects)
{
	struct leaks *L = NULL;
	struct hs_err err;
	memset(&err, 0, sizeof err);
	g_phase_id = PH_LEAKS;
	enum hs_status st = leaks_build(h, g, &L, &err);
	if (st != HS_OK) {
		check_err(st, &err, "leaks_build", seed);
		return;
	}
	g_ok_leaks++;
	g_phase_id = PH_LEAKSQ;
	char buf[512];
	graph_obj_t *top = NULL;
	size_t nt = leaks_top_objects(L, 5, &top);
	for (size_t i = 0; i < nt; i++) {
		leaks_retained(L, top[i]);
		leaks_idom_obj(L, top[i]);
		leaks_node_label(L, top[i], buf, sizeof buf);
	}
	free(top);
	const leaks_node_t *ch;
	size_t nc = leaks_children(L, leaks_top(L), &ch);
	for (size_t i = 0; i < nc && i < 5; i++)
		leaks_node_label(L, ch[i], buf, sizeof buf);
	const struct leaks_type_row *rows;
	leaks_types(L, &rows);
	leaks_garbage(L);
	if (suspects) {
		g_phase_id = PH_SUSPECTS;
		struct leaks_suspect_opts so = {.min_bytes = 1};
		struct leaks_suspect *sus = NULL;
		size_t ns = leaks_suspects(L, &so, &sus);
		for (size_t i = 0; i < ns; i++)
			CHECK(terminated(sus[i].title, sizeof sus[i].title) &&
			      terminated(sus[i].evidence, sizeof sus[i].evidence) &&
			      terminated(sus[i].path, sizeof sus[i].path),
			      "seed %" PRIu64 ": suspect strings", seed);
		free(sus);
	}
	g_phase_id = PH_FREE;
	leaks_free(L);
}

/* Everything a command does with one snapshot. */
static void exercise(struct hs_snapshot *s, uint64_t seed, int full)
{
	struct hs_err err;
	memset(&err, 0, sizeof err);
	struct heap *h = NULL;
	g_phase_id = PH_HEAP;
	enum hs_status st = heap_open(s, &h, &err);
	struct pyctx *own = NULL, *c;
	raddr_t interp = 0;
	if (st != HS_OK) {
		check_err(st, &err, "heap_open", seed);
		if (!(own = pyctx_new(s->mem, &s->L, &s->rt)))
			return;
		c = own;
	} else {
		g_ok_heap++;
		c = heap_ctx(h);
		interp = heap_gc(h)->interp;
		g_phase_id = PH_CENSUS;
		uint64_t no = heap_nobjects(h);
		for (uint64_t i = 0; i < no; i += 1 + no / 64) {
			heap_obj_addr(h, i);
			heap_obj_gen(h, i);
			CHECK(heap_obj_type(h, i) < heap_ntypes(h), "seed %" PRIu64 ": type row", seed);
		}
		for (size_t i = 0; i < heap_ntypes(h); i++) {
			const struct heap_type_row *r = heap_type_row(h, i);
			CHECK(r && r->type, "seed %" PRIu64 ": type row %zu", seed, i);
		}
		size_t *ix = heap_types_sorted(h, (enum heap_sort)rnd_below(4));
		free(ix);
	}

	g_phase_id = PH_FRAMES;
	exercise_frames(c, interp, seed);

	g_phase_id = PH_VALUES;
	for (size_t i = 0; i < g_nsubjects; i++)
		exercise_value(c, g_subjects[i], seed);
	for (int i = 0; i < (full ? 24 : 8); i++)
		exercise_value(c, rnd_obj()->addr, seed);
	for (int i = 0; i < 4; i++)
		exercise_value(c, rnd_obj()->addr + rnd_below(64) - 8, seed);
	exercise_value(c, 0, seed);
	exercise_value(c, ~0ull - 7, seed);

	if (st == HS_OK) {
		struct graph *g = NULL;
		g_phase_id = PH_GRAPH;
		enum hs_status gst = graph_build(h, &g, &err);
		if (gst != HS_OK) {
			check_err(gst, &err, "graph_build", seed);
		} else {
			g_ok_graph++;
			exercise_graph(g, seed);
			if (full)
				exercise_leaks(h, g, seed, full > 1);
			if (full > 1 && g_base0) {
				g_phase_id = PH_DIFF;
				struct diff_base *b = NULL;
				if (diff_base_take(h, g, 1000.0, &b, &err) == HS_OK) {
					struct diff_type_row *rows = NULL;
					long nr = diff_types(g_base0, b, &rows);
					(void)nr;
					free(rows);
					struct diff_new dn;
					memset(&dn, 0, sizeof dn);
					if (diff_new_objects(g_base0, h, g, "Plain", 20, &dn) == 0)
						diff_new_fini(&dn);
					diff_base_free(b);
				}
			}
			g_phase_id = PH_FREE;
			graph_free(g);
		}
	}
	g_phase_id = PH_FREE;
	if (h)
		heap_free(h);
	pyctx_free(own);
	g_phase_id = PH_NONE;
}

/* ==== Setup from the pristine snapshot ==== */

static int collect_pristine(struct hs_snapshot *s)
{
	struct hs_err err;
	struct heap *h = NULL;
	struct graph *g = NULL;
	struct leaks *L = NULL;
	enum hs_status st = heap_open(s, &h, &err);
	if (st != HS_OK) {
		fprintf(stderr, "pristine heap_open: %s\n", err.msg);
		return -1;
	}
	if ((st = graph_build(h, &g, &err)) != HS_OK) {
		CHECK(0, "pristine graph_build: %s", err.msg);
		heap_free(h);
		return -1;
	}
	st = leaks_build(h, g, &L, &err);
	CHECK(st == HS_OK, "pristine leaks_build: %s", err.msg);
	if (st == HS_OK)
		leaks_free(L);
	st = diff_base_take(h, g, 0.0, &g_base0, &err);
	CHECK(st == HS_OK, "pristine diff_base_take: %s", err.msg);

	g_nobjs = graph_nobjects(g);
	g_nobjs_tracked = heap_nobjects(h);
	g_objs = calloc(g_nobjs, sizeof *g_objs);
	for (size_t i = 0; i < g_nobjs; i++) {
		const struct pytype *t = graph_type(g, (graph_obj_t)i);
		uint64_t sz = graph_size(g, (graph_obj_t)i);
		g_objs[i] = (struct obj){graph_addr(g, (graph_obj_t)i), t ? (uint8_t)t->kind : 0,
					 (uint8_t)graph_tracked(g, (graph_obj_t)i),
					 (uint32_t)(sz > 65536 ? 65536 : sz)};
		g_nby_kind[g_objs[i].kind]++;
	}
	for (int k = 0; k < PYK__COUNT; k++) {
		g_by_kind[k] = calloc(g_nby_kind[k] + 1, sizeof **g_by_kind);
		g_nby_kind[k] = 0;
	}
	for (size_t i = 0; i < g_nobjs; i++)
		g_by_kind[g_objs[i].kind][g_nby_kind[g_objs[i].kind]++] = i;
	g_ntypes = heap_ntypes(h);
	g_types = calloc(g_ntypes + 1, sizeof *g_types);
	for (size_t i = 0; i < g_ntypes; i++)
		g_types[i] = heap_type_row(h, i)->type->addr;

	g_interp = heap_gc(h)->interp;
	const struct py_layout *Lay = &s->L;
	if (Lay->interp_gc >= 0)
		g_gcstate = g_interp + (raddr_t)Lay->interp_gc;
	else if (Lay->rt_gc >= 0)
		g_gcstate = s->rt.runtime + (raddr_t)Lay->rt_gc;

	struct py_thread *th = NULL;
	long n = frames_threads(heap_ctx(h), g_interp, FRAMES_LOCALS, &th);
	CHECK(n >= 2, "pristine frames_threads found %ld threads (expected main + worker)", n);
	for (long i = 0; i < n; i++) {
		add_uniq(g_tstates, &g_ntstates, 16, th[i].tstate);
		for (size_t k = 0; k < th[i].nframes; k++) {
			const struct py_frame *f = &th[i].frames[k];
			add_uniq(g_iframes, &g_niframes, 256, f->iframe ? f->iframe : f->frame_obj);
			add_uniq(g_codes, &g_ncodes, 256, f->code);
		}
	}
	frames_threads_free(th, n > 0 ? (size_t)n : 0);
	printf("pristine: %zu objects (%" PRIu64 " GC-tracked), %zu types, %zu threads, "
	       "%zu frames, %zu str, %zu dict\n",
	       g_nobjs, heap_nobjects(h), g_ntypes, g_ntstates, g_niframes,
	       g_nby_kind[PYK_STR], g_nby_kind[PYK_DICT]);
	graph_free(g);
	heap_free(h);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long env_ul(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	return strtoul(v, NULL, 0);
}

static void run_seed(struct hs_snapshot *s, uint64_t seed, unsigned timeout, int after_exit)
{
	g_rng = seed * 0x2545f4914f6cdd1dull + 0x1234567;
	desc_reset();
	g_nsubjects = 0;
	desc_add("seed %" PRIu64 "%s:\n", seed, after_exit ? " (target exited)" : "");
	snprintf(g_repro, sizeof g_repro, "HEAPSCOPE_FUZZ_SEED=%" PRIu64 "%s%s%s", seed,
		 g_python_env ? " HEAPSCOPE_FUZZ_PYTHON=" : "", g_python_env ? g_python_env : "",
		 after_exit ? " (seeds after the target exited are reproduced by a full run only)" : "");
	/* Mostly a few corruptions, sometimes a storm. */
	unsigned n = rnd_below(10) == 0 ? 8 + (unsigned)rnd_below(24) : 1 + (unsigned)rnd_below(4);
	for (unsigned i = 0; i < n; i++)
		corrupt_one(s->mem);
	if (g_verbose)
		fputs(g_desc, stdout);
	/* Leaks/suspects/diff every seed is affordable; suspects on half. */
	int full = rnd_below(2) ? 2 : 1;
	alarm(timeout);
	exercise(s, seed, full);
	alarm(0);
	undo_all();
	fflush(stdout);
}

static int run_directed(struct hs_snapshot *s, unsigned which, unsigned timeout)
{
	g_rng = 0x5eed0000ull + which;
	desc_reset();
	g_nsubjects = 0;
	desc_add("directed case %u:\n", which);
	snprintf(g_repro, sizeof g_repro, "HEAPSCOPE_FUZZ_SEED=d%u%s%s", which,
		 g_python_env ? " HEAPSCOPE_FUZZ_PYTHON=" : "", g_python_env ? g_python_env : "");
	const char *name = directed(s->mem, which);
	if (!name) {
		undo_all();
		return 0;
	}
	desc_add("  (%s)\n", name);
	if (g_verbose)
		fputs(g_desc, stdout);
	double t = now_s();
	alarm(timeout);
	exercise(s, which, 2);
	alarm(0);
	undo_all();
	printf("directed %2u: %-52s %.2f s\n", which, name, now_s() - t);
	return 1;
}

int main(void)
{
	const char *python = getenv("HEAPSCOPE_FUZZ_PYTHON");
	if (!python || !*python)
		python = "/usr/bin/python3";
	else
		g_python_env = python;
	if (access(python, X_OK) != 0) {
		printf("SKIP: no %s\n", python);
		return 77;
	}
	g_verbose = getenv("HEAPSCOPE_FUZZ_VERBOSE") && *getenv("HEAPSCOPE_FUZZ_VERBOSE");
	unsigned long iters = env_ul("HEAPSCOPE_FUZZ_ITERS", 300);
	unsigned long first = env_ul("HEAPSCOPE_FUZZ_FIRST", 1);
	unsigned timeout = (unsigned)env_ul("HEAPSCOPE_FUZZ_TIMEOUT", 10);
	const char *one = getenv("HEAPSCOPE_FUZZ_SEED");
	long only_directed = -1;   /* HEAPSCOPE_FUZZ_SEED=dN: directed case N only */
	if (one && *one == 'd') {
		only_directed = strtol(one + 1, NULL, 0);
		iters = 0;
	} else if (one && *one) {
		first = strtoul(one, NULL, 0);
		iters = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Load libgcc's unwinder now, so backtrace() in the alarm handler
	 * does not have to. */
	void *bt[4];
	backtrace(bt, 4);
	signal(SIGALRM, on_alarm);
	/* ASan reports (its SEGV handler included) call the death callback;
	 * UBSan's runtime is a separate library with its own callback, but it
	 * ends with abort() (abort_on_error above), which we catch.  Without
	 * sanitizers, catch the crash signals ourselves. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGABRT, &sa, NULL);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(on_death);
	} else {
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGFPE, &sa, NULL);
	}
	atexit(stop_child);

	if (start_target(python) != 0) {
		printf("SKIP: %s did not start the target\n", python);
		return 77;
	}
	struct hs_snapshot *s = NULL;
	struct hs_err err;
	enum hs_status st = HS_OK;
	for (int attempt = 0; attempt < 5; attempt++) {
		struct live_opts lo = {0};
		if ((st = snap_take(g_child, &lo, &s, &err)) != HS_OK)
			break;
		struct heap *h = NULL;
		if ((st = heap_open(s, &h, &err)) == HS_OK) {
			heap_free(h);
			break;
		}
		snap_free(s);
		s = NULL;
		usleep(50000);
	}
	if (st == HS_ERR_PERMISSION || st == HS_ERR_UNSUPPORTED || st == HS_ERR_NOT_PYTHON) {
		printf("SKIP: cannot snapshot %s: %s\n", python, err.msg);
		return 77;
	}
	if (st != HS_OK) {
		fprintf(stderr, "FAIL: snapshot of the target: %s\n", err.msg);
		return 1;
	}
	printf("target %s (Python %s), pid %d\n", python, s->rt.version, (int)g_child);
	g_L = &s->L;
	if (collect_pristine(s) != 0)
		return 1;

	/* The extremes first (all of them, unless one seed was asked for). */
	if (!(one && *one) || only_directed >= 0) {
		for (unsigned k = only_directed >= 0 ? (unsigned)only_directed : 0;
		     !g_failures && run_directed(s, k, timeout); k++)
			if (only_directed >= 0)
				break;
		if (g_failures)
			fputs(g_desc, stderr);
	}

	double t0 = now_s(), worst = 0;
	uint64_t worst_seed = 0;
	for (unsigned long i = 0; i < iters && !g_failures; i++) {
		double t = now_s();
		run_seed(s, first + i, timeout, 0);
		t = now_s() - t;
		if (t > worst)
			worst = t, worst_seed = first + i;
		if (g_failures) {
			fputs(g_desc, stderr);
			break;
		}
	}
	double dt = now_s() - t0;

	/* The pristine copy must still parse as before: every byte restored. */
	if (!g_failures) {
		struct heap *h = NULL;
		st = heap_open(s, &h, &err);
		CHECK(st == HS_OK, "pristine copy after the seeds: %s", err.msg);
		if (st == HS_OK) {
			CHECK(heap_nobjects(h) == g_nobjs_tracked, "pristine copy after the seeds: %"
			      PRIu64 " objects, %" PRIu64 " before", heap_nobjects(h), g_nobjs_tracked);
			heap_free(h);
		}
	}

	/* The target exits: reads of what was left in it now fail. */
	if (!g_failures && !(one && *one)) {
		stop_child();
		desc_reset();
		desc_add("pristine copy, target exited\n");
		alarm(timeout);
		exercise(s, 0, 2);
		alarm(0);
		for (unsigned long i = 0; i < 20 && !g_failures; i++)
			run_seed(s, first + iters + i, timeout, 1);
		if (g_failures)
			fputs(g_desc, stderr);
	}

	printf("%lu seeds in %.1f s (slowest: seed %" PRIu64 ", %.2f s); heap_open ok %" PRIu64
	       ", graph ok %" PRIu64 ", leaks ok %" PRIu64 ", frames_threads failed %" PRIu64
	       ", value_repr unreadable %" PRIu64 "/%" PRIu64 "\n",
	       iters, dt, worst_seed, worst, g_ok_heap, g_ok_graph, g_ok_leaks, g_threads_fail,
	       g_repr_fail, g_repr_calls);
	printf("error statuses:");
	for (int i = 1; i < 16; i++)
		if (g_status_count[i])
			printf(" %s=%" PRIu64, hs_status_name((enum hs_status)i), g_status_count[i]);
	printf("\n");

	snap_free(s);
	diff_base_free(g_base0);
	for (int k = 0; k < PYK__COUNT; k++)
		free(g_by_kind[k]);
	free(g_objs);
	free(g_types);
	printf("%s\n", g_failures ? "FAILED" : "PASS");
	return g_failures ? 1 : 0;
}
