/* heapscope — see what fills a live Python process's memory.
 *
 * main() dispatches subcommands from one table; each subcommand lives in
 * a cmd_*.c file, parses its own options with cli_parse() and prints text
 * or --json.  Exit codes are the hs_status values of attach/err.h. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "snapfile.h"
#include "corefile.h"
#include <sys/stat.h>
#include "demo.h"
#include "picker.h"
#include "proc.h"
#include "pslist.h"
#include "termdb.h"
#include "testhook.h"
#include "tui.h"
#include "version.h"

static const char usage_text[] =
"usage: heapscope PID|FILE               open the explorer on a running Python process or a snapshot\n"
"       heapscope                        (in a terminal) pick a Python process, then explore it\n"
"       heapscope ps [--json]            the Python processes here: version, container, can we attach\n"
"       heapscope [COMMAND] --pid-of PATTERN ...   the one Python whose command line matches\n"
"       heapscope --demo                 the explorer on a bundled leaky demo service\n"
"       heapscope types PID [--all|--tracked-only] [--json] [--sort count|size|avg|name] [--top N]\n"
"       heapscope gens PID [--json]\n"
"       heapscope show PID ADDR [--json] [--limit N]\n"
"       heapscope threads PID [--json]\n"
"       heapscope objects PID --type NAME [--json] [--sort size|refcnt|addr] [--limit N]\n"
"       heapscope referents|referrers PID ADDR... [--json] [--limit N]\n"
"       heapscope path PID ADDR [--json] [--max N]\n"
"       heapscope top PID [ADDR...] [--retained|--sort shallow] [--json] [--limit N]\n"
"       heapscope top PID --by-site [--traceback] [--json] [--limit N]\n"
"       heapscope watch PID --interval S [--count N] [--fail-if-grows TYPE:N]... [--json]\n"
"       heapscope suspects PID [--interval S] [--min-bytes SIZE] [--json] [--limit N]\n"
"       heapscope save PID [-o FILE] [--json]   write a snapshot file (read it anywhere later)\n"
"       heapscope diff OLD NEW [--json] [--top N]   growth between two snapshots (FILEs, or FILE and PID)\n"
"       heapscope PID|FILE --baseline OLDER   the explorer, deltas against OLDER (FILE or PID)\n"
"       (every command takes a snapshot or core FILE where it takes a PID)\n"
"       heapscope memory PID [--json]\n"
"       heapscope --help | --version\n";

#define USAGE_HINT "heapscope: see `heapscope --help` for the usage\n"

static const char help_text[] =
"\n"
"heapscope attaches to a running CPython 2.7 or 3.6-3.15 process, freezes it just long\n"
"enough to copy its writable memory (milliseconds), lets it run again, and then\n"
"answers questions from that private copy. Nothing is injected into the target\n"
"and nothing is written to it.\n"
"\n"
"Commands:\n"
"  (none)        in a terminal: a list of the Python processes to pick from\n"
"                (Enter attaches, / filters, r rescans); then the explorer\n"
"  save PID [-o FILE]  a snapshot file (default heapscope-PID-DATE-TIME.hsnap),\n"
"                written after the target resumed: memory, read-only data of\n"
"                its ELF files, version, build id, threads, time, command line,\n"
"                host.  Every command takes the FILE where it takes a PID and\n"
"                answers as the process did then, on any machine (heapscope FILE:\n"
"                the explorer).  --zstd-level N, --zstd-threads N (1, 2)\n"
"  diff OLD NEW  what grew from OLD to NEW (two snapshot files of one process,\n"
"                or a file and its PID: a snapshot is taken now): per-type count\n"
"                and size deltas and rates, and where the new objects of the\n"
"                fastest growing types are held, as watch prints them\n"
"  --baseline OLDER  with the explorer: deltas (d, new objects) against OLDER\n"
"  core files    every command reads an ELF core (kernel, gdb gcore) where it\n"
"                takes a PID; --sysroot DIR: the process's files under DIR,\n"
"                --exe PATH: its executable (build ids are checked)\n"
"  ps            the Python processes on this host: PID, PID inside its own\n"
"                PID namespace, user, version, RSS, container (Docker/Podman/\n"
"                Kubernetes ID from the cgroup, or pidns/mntns/chroot), and\n"
"                whether heapscope can attach, and if not why (the full cause\n"
"                and fix are in --json, and in the error an attach prints)\n"
"  --pid-of PATTERN  instead of a PID, with any command: the Python process\n"
"                whose command line matches PATTERN (an extended regular\n"
"                expression, as pgrep -f); none or several matching is an error\n"
"  PID           the explorer (terminal UI): overview, types, instances,\n"
"                inspector, referrers and paths to roots, threads; r takes a\n"
"                new snapshot and shows per-type growth; ? lists the keys\n"
"  --demo        the explorer on a bundled demo service that leaks (needs\n"
"                python3); the demo is stopped when you quit\n"
"  types PID     every type: count, total size (as sys.getsizeof adds up),\n"
"                objects per GC generation; the GC-tracked objects exactly plus\n"
"                the untracked ones (str, int...) found by reachability (no-gc\n"
"                column); --tracked-only: the exact census of gc.get_objects()\n"
"  gens PID      GC generations: objects, thresholds, counts (gc.get_count()),\n"
"                collections so far, gc enabled, len(gc.garbage), frozen objects\n"
"  show PID ADDR one object (ADDR hex 0x... or decimal id()): type, size,\n"
"                refcount, value as repr() writes it, attributes/items/fields\n"
"                with their addresses; --limit N items (default 64)\n"
"  threads PID   every thread: ids, Python stack innermost first with file,\n"
"                line and locals (short value + address)\n"
"  objects PID --type NAME  every object of a class (Name or module.Name,\n"
"                tracked or not): address, size, refcount, value\n"
"  referents PID ADDR  what the object holds, labelled ([3], ['key'], .attr,\n"
"                __dict__...), marked 'traverse' when gc.get_referents() sees it\n"
"  referrers PID ADDR  who holds the object, with the same labels (instant:\n"
"                a reverse index over the whole snapshot); weakrefs listed apart\n"
"  path PID ADDR what keeps the object alive: the shortest chains from a root\n"
"                (module globals, a thread's locals, builtins, sys, classes,\n"
"                gc.garbage); --max N chains (default 5)\n"
"                ADDR: 0x... as printed, a decimal id(), or @FILE (one per line)\n"
"  top PID       the largest retainers: objects whose removal would free the\n"
"                most (retained size, from the dominator tree), with shallow\n"
"                size, share of the heap, value and a path from a root; then\n"
"                types by retained size.  With ADDRs: those objects' rows.\n"
"                --sort shallow: largest single objects instead; --limit N\n"
"                rows (default 20); JSON has \"dominators_ms\"\n"
"                --by-site: objects, traced bytes and retained size per\n"
"                allocation site (file:line; --traceback: whole tracebacks),\n"
"                read from the target's tracemalloc (PYTHONTRACEMALLOC=N,\n"
"                -X tracemalloc=N or tracemalloc.start(N)); `show` and the\n"
"                rows of ADDRs give each object's allocation traceback\n"
"  watch PID --interval S [--count N]  a fresh snapshot every S seconds (the\n"
"                target runs in between; each pause is the usual copy):\n"
"                per-type count and size deltas and rates; at the end (after\n"
"                N intervals, or Ctrl-C) the new objects of the fastest growing\n"
"                types, grouped by the path pattern that holds them, e.g.\n"
"                \"91% via app.cache.CACHE[...]\" (keys and indices shown as\n"
"                [...]; patterns from a sample of up to 200 per type)\n"
"    --fail-if-grows TYPE:N  (repeatable) exit 20 when TYPE (Name or\n"
"                module.Name) has more than N objects more at the end than in\n"
"                the first snapshot; the evidence (growth, rate, where the new\n"
"                ones are held) is printed.  For CI memory checks.\n"
"  memory PID    where the RSS goes: Python objects (sys.getsizeof), the data\n"
"                buffers they own (ndarray, array.array, bytearray, deque),\n"
"                pymalloc arenas (other blocks in use, free space: the figures\n"
"                of sys._debugmallocstats()), native memory no Python object\n"
"                accounts for, thread stacks, file-backed mappings; the parts\n"
"                add up to the RSS and each says how it was obtained\n"
"  suspects PID  ranked leak findings, each with severity, evidence and a\n"
"                path from a root: gc.garbage contents; the collector disabled\n"
"                or tuned so cyclic garbage piles up; cycles with __del__;\n"
"                dicts used as caches without a size bound, lru_cache(None);\n"
"                strong registries whose members nothing else holds; closures,\n"
"                bound methods and mutable defaults that retain large data;\n"
"                large containers held by globals; classes with many\n"
"                instances carrying a __dict__, with what __slots__ would save.\n"
"                Only what retains >= max(--min-bytes, 2% of the heap) is\n"
"                reported (default --min-bytes 256K).  --interval S: take two\n"
"                snapshots S apart and use growth as evidence.  Severity high:\n"
"                >= 20% of the heap (and >= 1 MiB), medium: >= 5%, low: the\n"
"                rest; one level up when it grew, one down when only a running\n"
"                function's local holds it.  The collector findings are high\n"
"                when it is off with garbage piling up, or gc.garbage holds\n"
"                much; __slots__ findings are at most medium (memory, not a leak)\n"
"\n"
"Options:\n"
"  --json          machine-readable output (one JSON object)\n"
"  --sort KEY      types: size (default), count, avg, name\n"
"  --top N         types: only the first N rows\n"
"  --no-freeze     copy without stopping the target (may see torn structures)\n"
"  --no-soft-dirty re-snapshots (watch, suspects --interval, r in the explorer)\n"
"                copy everything.  By default they read only the pages written\n"
"                since the last one, which clears the target's soft-dirty page\n"
"                bits (kernel state that CRIU also uses)\n"
"  --max-copy SIZE refuse to copy more than SIZE bytes (e.g. 512M, 2G) while\n"
"                the target is stopped (lazily read payloads do not count)\n"
"  --lazy-min SIZE malloc blocks of SIZE or more (default 8M; huge bytes, str,\n"
"                bytearray payloads, big lists' item arrays) are copied only\n"
"                in part while the target is stopped: the first 64 KiB; the\n"
"                rest is read from the running target if ever needed, so it\n"
"                may be newer than the snapshot.  0: copy everything\n"
"\n"
"Numbers on the command line:\n"
"  SIZE          digits, an optional fraction, an optional unit K, M, G or T\n"
"                (powers of 1024, any case; KiB, KB and K alike) and an\n"
"                optional B: 512M, 1.5G, 64KiB, 4096, 0.  A fraction needs a\n"
"                unit; bytes are rounded down\n"
"  N             digits only (--top, --limit, --max, --count, TYPE:N, PID)\n"
"  S             seconds: digits with an optional fraction (10, 0.5)\n"
"  ADDR          0x and hex digits, or decimal digits (as id() prints)\n"
"  No sign, exponent, inf/nan, spaces or trailing characters; a value too\n"
"  large to hold is an error, never cut down.\n"
"\n"
"Sizes: 'size' is the shallow size, exactly what sys.getsizeof() reports for\n"
"each object (including the GC header), summed per type.\n"
"Retained size (top, suspects): the shallow sizes of every object that would\n"
"become unreachable if the object were gone, itself included: the object's\n"
"subtree in the dominator tree, computed from one virtual root over all roots\n"
"(sys.modules, module globals, builtins, sys, thread stacks and thread states,\n"
"static classes, gc.garbage) along owning references.  Weak references and\n"
"ob_type (an instance's own class) do not count: a class belongs to its\n"
"module, not to its instances.  Objects no root reaches (cyclic garbage, or\n"
"held only by C code) are entry points of their own.  A type's retained size\n"
"counts each instance's retained size once (instances nested in another of the\n"
"same type are inside it already).  Memory outside Python objects (malloc'd\n"
"buffers __sizeof__ does not report) is in neither.\n"
"New objects (watch): an object of the last snapshot is the same as one of the\n"
"first if it has the same address and class, for str/bytes/int/float/tuple the\n"
"same size and leading content, and for GC-tracked objects a GC generation that\n"
"did not go down (objects only age: a young object where an old one was is a\n"
"newcomer at a recycled address).  Anything else is new.  A freed object\n"
"replaced at its address by one of the same class that already aged as much\n"
"is taken for the old one, so new counts can miss churn; count deltas are\n"
"exact.  Types are compared by module.qualname.\n"
"\n"
"Exit codes: 0 ok, 2 usage, 3 no such process, 4 permission denied,\n"
"  5 not a Python process, 6 unsupported Python version, 7 target exited or\n"
"  changed during the copy, 8 inconsistent heap, 9 unreadable memory,\n"
"  10 out of memory / --max-copy, 11 interrupted, 12 no such object,\n"
"  13 not a readable snapshot or core file, 14 snapshot file of a newer format,\n"
"  15 a core's mapped files are missing or differ (--sysroot, --exe),\n"
"  20 watch --fail-if-grows: a type grew past its limit.\n"
"\n"
"Needs ptrace rights over the target: root, or CAP_SYS_PTRACE (e.g.\n"
"`setcap cap_sys_ptrace+ep heapscope`), or the same user where\n"
"kernel.yama.ptrace_scope allows it.  A refusal names its cause (another\n"
"tracer, uid, missing capability, no_new_privs, ptrace_scope, seccomp, a user\n"
"namespace) and the fix.  A target in a container is read through\n"
"/proc/PID/root; headers show its PID inside the container too.\n"
"See heapscope(1).\n";

/* ==== Version ==== */

/* Our own GNU build ID (hex) from the PT_NOTE segments of the running
 * program, and whether it has an interpreter (dynamic) or not (static). */
struct build_info {
	char id[41];
	int is_static;
};

static int scan_phdrs(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_info *b = arg;
	(void)size;
	b->is_static = 1;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_INTERP)
			b->is_static = 0;
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *name = p + sizeof *nh;
			const unsigned char *desc = name + ((nh->n_namesz + 3) & ~3u);
			if (desc + nh->n_descsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(name, "GNU", 4)) {
				size_t n = nh->n_descsz < 20 ? nh->n_descsz : 20;
				for (size_t k = 0; k < n; k++)
					snprintf(b->id + 2 * k, 3, "%02x", desc[k]);
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1;   /* the first object is the program itself */
}

static void print_version(void)
{
	struct build_info b = {"", 0};
	dl_iterate_phdr(scan_phdrs, &b);
	printf("heapscope %s%s\n", HS_VERSION,
	       HS_TEST_HOOKS_ON ? " (test build: obeys HEAPSCOPE_TEST_* hooks)" : "");
	printf("build: %s, %s, build-id %s\n", HS_GIT_DESCRIBE,
	       b.is_static ? "static" : "dynamic", b.id[0] ? b.id : "none");
	printf("supports: %s\n", PY_SUPPORTED_TEXT);
}

/* ==== Shared plumbing ==== */

enum hs_status cli_parse(int argc, char **argv, struct cli *o, struct hs_err *err)
{
	static const struct option longopts[] = {
		{"json", no_argument, 0, 'j'},
		{"no-freeze", no_argument, 0, 'F'},
		{"no-soft-dirty", no_argument, 0, 'D'},
		{"max-copy", required_argument, 0, 'C'},
		{"lazy-min", required_argument, 0, 'L'},
		{"sort", required_argument, 0, 's'},
		{"top", required_argument, 0, 't'},
		{"limit", required_argument, 0, 't'},
		{"max", required_argument, 0, 'm'},
		{"type", required_argument, 0, 'T'},
		{"pid-of", required_argument, 0, 'P'},
		{"output", required_argument, 0, 'o'},
		{"baseline", required_argument, 0, 'b'},
		{"sysroot", required_argument, 0, 'R'},
		{"exe", required_argument, 0, 'E'},
		{"zstd-level", required_argument, 0, 'Z'},
		{"zstd-threads", required_argument, 0, 'W'},
		{0, 0, 0, 0},
	};
	int ch;

	memset(o, 0, sizeof *o);
	o->zlevel = o->zthreads = -1;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+o:", longopts, NULL)) != -1 || optind < argc) {
		if (ch == -1) {
			/* a positional argument: keep it and carry on parsing */
			if (o->npos == CLI_MAXPOS)
				return hs_fail(err, HS_ERR_USAGE, "too many arguments");
			o->pos[o->npos++] = argv[optind++];
			continue;
		}
		switch (ch) {
		case 'j': o->json = 1; break;
		case 'F': o->no_freeze = 1; break;
		case 'D': o->no_soft_dirty = 1; break;
		case 'C':
			if (cli_parse_size(optarg, &o->max_copy))
				return hs_fail(err, HS_ERR_USAGE, "--max-copy takes a SIZE like 512M or 2G, not '%s'", optarg);
			break;
		case 'L':
			if (cli_parse_size(optarg, &o->lazy_min))
				return hs_fail(err, HS_ERR_USAGE, "--lazy-min takes a SIZE like 8M or 1G (0: copy everything), not '%s'", optarg);
			if (o->lazy_min == 0)
				o->lazy_min = LIVE_LAZY_OFF;
			break;
		case 's': o->sort = optarg; break;
		case 't':
			if (cli_parse_count(optarg, 0, LONG_MAX, &o->top))
				return hs_fail(err, HS_ERR_USAGE, "--top/--limit take a number, not '%s'", optarg);
			break;
		case 'm':
			if (cli_parse_count(optarg, 1, LONG_MAX, &o->max))
				return hs_fail(err, HS_ERR_USAGE, "--max takes a positive number, not '%s'", optarg);
			break;
		case 'T': o->type = optarg; break;
		case 'P': o->pid_of = optarg; break;
		case 'o': o->output = optarg; break;
		case 'b': o->baseline = optarg; break;
		case 'R': o->sysroot = optarg; break;
		case 'E': o->exe = optarg; break;
		case 'Z':
			if (cli_parse_count(optarg, 1, 22, &o->zlevel))
				return hs_fail(err, HS_ERR_USAGE, "--zstd-level takes 1 to 22, not '%s'", optarg);
			break;
		case 'W':
			if (cli_parse_count(optarg, 0, 64, &o->zthreads))
				return hs_fail(err, HS_ERR_USAGE, "--zstd-threads takes 0 to 64, not '%s'", optarg);
			break;
		default:
			return hs_fail(err, HS_ERR_USAGE, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->pid_of) {
		pid_t pid;
		enum hs_status st = cli_pid_of(o->pid_of, &pid, err);
		if (st != HS_OK)
			return st;
		if (o->npos == CLI_MAXPOS)
			return hs_fail(err, HS_ERR_USAGE, "too many arguments");
		memmove(o->pos + 1, o->pos, (size_t)o->npos * sizeof *o->pos);
		snprintf(o->pid_buf, sizeof o->pid_buf, "%d", (int)pid);
		o->pos[0] = o->pid_buf;
		o->npos++;
	}
	if (o->npos && cli_is_file_arg(o->pos[0]))
		o->file = o->pos[0];
	return HS_OK;
}

int cli_is_file_arg(const char *arg)
{
	long v;
	struct stat sb;
	/* digits are a PID (a file named "1234" is ./1234) */
	if (cli_parse_count(arg, 1, 0x3fffffff, &v) == 0)
		return 0;
	return stat(arg, &sb) == 0 && S_ISREG(sb.st_mode);
}

enum hs_status cli_pid(const struct cli *o, int idx, pid_t *pid, struct hs_err *err)
{
	long v;
	if (idx >= o->npos)
		return hs_fail(err, HS_ERR_USAGE, "missing PID (or snapshot FILE)");
	if (idx == 0 && o->file) {
		*pid = 0;
		return HS_OK;
	}
	if (cli_parse_count(o->pos[idx], 1, 0x3fffffff, &v))
		return hs_fail(err, HS_ERR_USAGE, "'%s' is not a process ID or a snapshot file",
			       o->pos[idx]);
	*pid = (pid_t)v;
	return HS_OK;
}

/* Copies taken for one snapshot at most (the first + retries). */
#define OPEN_ATTEMPTS 8
/* Before a retry, how long to let the target run at most while its GC's
 * "collecting" flag is set, polled every RETRY_POLL_MS. */
#define RETRY_WAIT_MS 500
#define RETRY_POLL_MS 1

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Let the target run before the next copy: until its GC has not been
 * collecting for two polls in a row (read from the running process) or
 * RETRY_WAIT_MS passed; a few ms when there is no flag to watch (a list
 * caught mid-update). */
static void let_it_run(struct hs_snapshot *s, int attempt)
{
	raddr_t flag;
	if (!s || !s->mem || heap_gc_collecting_addr(s, &flag) != 0) {
		nap_ms(2L << (attempt < 4 ? attempt : 4));
		return;
	}
	double until = mono_ms() + RETRY_WAIT_MS;
	int quiet = 0;
	do {
		nap_ms(RETRY_POLL_MS);
		int32_t busy;
		if (live_peek(s->pid, flag, &busy, sizeof busy) != 0)
			return;
		quiet = busy ? 0 : quiet + 1;
	} while (quiet < 2 && mono_ms() < until);
}

/* A snapshot error worth another attempt: the target changed under the
 * freeze (threads came or went, its maps moved) but is still there. */
static int retry_snapshot_error(enum hs_status st, pid_t pid)
{
	/* not one that is on its way out (killed): another freeze would only
	 * find its threads exiting, and say something less true */
	return st == HS_ERR_TARGET_CHANGED && !live_stranded() && !proc_is_exiting(pid);
}

enum hs_status cli_open(const struct cli *o, pid_t pid, struct hs_snapshot **s,
			struct heap **h, struct hs_err *err)
{
	struct live_opts lo = {.no_freeze = o->no_freeze, .max_copy = o->max_copy,
			       .lazy_min = o->lazy_min, .incr = o->incr};
	enum hs_status st = HS_OK;

	*s = NULL;
	*h = NULL;
	if (pid == 0 && o->file) {
		/* a snapshot or core file: it is what it is, no retry */
		if (snapfile_sniff(o->file)) {
			st = snapfile_open(o->file, o->max_copy, s, err);
		} else if (corefile_sniff(o->file)) {
			struct core_opts co = {o->sysroot, o->exe};
			st = corefile_open(o->file, &co, s, err);
		} else {
			return hs_fail(err, HS_ERR_BAD_FILE, "%s is neither a heapscope snapshot nor "
				       "an ELF core file", o->file);
		}
		if (st == HS_OK && (st = (o->census_only ? heap_open_census : heap_open)(*s, h, err)) != HS_OK) {
			/* heap_open's "in the middle of a garbage collection":
			 * for a file or core, retrying cannot help */
			if (st == HS_ERR_INCONSISTENT && strstr(err->msg, "garbage collection"))
				hs_fail(err, HS_ERR_INCONSISTENT, "the process was in the middle of a "
					"garbage collection when this %s was taken (objects are on the "
					"collector's temporary lists): no census can be made from it; "
					"take another", (*s)->source_kind[0] && !strcmp((*s)->source_kind, "core")
					? "core" : "snapshot");
			hs_err_prefix(err, "%s: ", o->file);
			snap_free(*s);
			*s = NULL;
		}
		return st;
	}
	/* A copy can catch the target in the middle of a collection (objects
	 * are on temporary lists) or of a list update (one link written, not
	 * the other).  Both are short: let it run on, copy again. */
	for (int attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
		st = *s ? snap_retake(*s, &lo, err) : snap_take(pid, &lo, s, err);
		if (st == HS_OK && (st = (o->census_only ? heap_open_census : heap_open)(*s, h, err)) == HS_OK)
			return HS_OK;
		if (attempt == OPEN_ATTEMPTS ||
		    !(st == HS_ERR_INCONSISTENT || retry_snapshot_error(st, pid)))
			break;
		let_it_run(*s, attempt);
	}
	if (*s && (*s)->attempts > 1)
		hs_err_prefix(err, "%d copies of PID %d, the last: ", (*s)->attempts, (int)pid);
	snap_free(*s);
	*s = NULL;
	return st;
}

/* Set when data left in the target could not be read after resume: the
 * answer already printed is incomplete, so the exit status must say so. */
static int g_incomplete;

/* Test builds: HEAPSCOPE_TEST_SAVE=FILE writes the first live snapshot a
 * command took to FILE (a "%p" in it becomes our PID) after its answer,
 * so a test compares the answer
 * given live with the same command on that file (the same pause). */
static void test_save(struct hs_snapshot *s)
{
	static int saved;
	const char *path = hs_test_env("HEAPSCOPE_TEST_SAVE");
	if (!path || !*path || !s || saved || snap_is_file(s))
		return;
	saved = 1;
	/* "%p" in the name becomes our PID: one file per run of a suite */
	char name[4096];
	const char *pp = strstr(path, "%p");
	if (pp)
		snprintf(name, sizeof name, "%.*s%d%s", (int)(pp - path), path,
			 (int)getpid(), pp + 2);
	else
		snprintf(name, sizeof name, "%s", path);
	struct hs_err e = {0};
	struct snapfile_opts so = {0, -1, HS_GIT_DESCRIBE};
	if (snapfile_write(s, name, &so, NULL, &e) != HS_OK)
		fprintf(stderr, "heapscope: HEAPSCOPE_TEST_SAVE: %s\n", e.msg);
}

void cli_close(struct hs_snapshot *s, struct heap *h)
{
	test_save(s);
	if (s && mem_info(s->mem)->lazy_failed && !g_incomplete) {
		fprintf(stderr, "heapscope: the target exited (or freed memory) before %lu "
			"read(s) of memory left in it (large payloads, read-only data such "
			"as type names) could be done: the answer above is incomplete; "
			"rerun, or use --lazy-min 0 to copy every large payload in the "
			"pause\n", (unsigned long)mem_info(s->mem)->lazy_failed);
		g_incomplete = 1;
	}
	heap_free(h);
	snap_free(s);
}

void cli_json_header(struct json *j, struct hs_snapshot *s, struct heap *h)
{
	cli_json_header_as(j, s, h, NULL);
}

void cli_json_header_as(struct json *j, struct hs_snapshot *s, struct heap *h,
			const char *body_key)
{
	int own_objects = body_key && !strcmp(body_key, "objects");
	int own_threads = body_key && !strcmp(body_key, "threads");
	const struct memsrc_info *mi = mem_info(s->mem);
	json_key(j, "pid"); json_int(j, s->pid);
	if (snap_is_file(s)) {
		/* read from a snapshot file: which, and where it was taken */
		json_key(j, "snapshot_file"); json_str(j, s->file);
		json_key(j, "hostname"); json_str(j, s->hostname);
		json_key(j, "taken_at"); json_num(j, mi->taken_at);
	}
	/* the PID inside its own PID namespace (== pid outside containers) */
	json_key(j, "ns_pid");
	if (s->ns_pid)
		json_int(j, s->ns_pid);
	else
		json_null(j);
	json_key(j, "container");
	if (s->container[0] && strcmp(s->container, "-"))
		json_str(j, s->container);
	else
		json_null(j);
	json_key(j, "python"); json_str(j, s->rt.version);
	json_key(j, "binary"); json_str(j, s->rt.path);
	json_key(j, "build_id"); json_str(j, s->rt.build_id);
	/* how the field layout was chosen: the built-in table of this version,
	 * refined by the interpreter's own _Py_DebugOffsets (3.13+) and by
	 * what the memory proved (layout_fit) */
	char table[16];
	snprintf(table, sizeof table, "%d.%d", s->L.major, s->L.minor);
	json_key(j, "layout"); json_obj(j);
	json_key(j, "table"); json_str(j, table);
	json_key(j, "debug_offsets"); json_bool(j, s->L.from_debug_offsets);
	json_key(j, "debug_offsets_disagree"); json_int(j, s->L.debug_offsets_mismatch);
	json_key(j, "note"); json_str(j, s->layout_note);
	json_end(j);
	json_key(j, "pause_ms"); json_num(j, mi->pause_ms);
	/* copies taken (1 + retries after catching a collection or an
	 * update) and the pauses of the discarded ones */
	json_key(j, "attempts"); json_int(j, s->attempts);
	json_key(j, "retry_pause_ms"); json_num(j, s->retry_pause_ms);
	json_key(j, "copied_bytes"); json_uint(j, mi->bytes_copied);
	/* of those, pages not written since the previous snapshot of a
	 * re-snapshot (watch, suspects --interval, r), taken from it */
	json_key(j, "reused_bytes"); json_uint(j, mi->bytes_reused);
	/* payload left in the target during the pause, and what was read
	 * from it after resume (values there are newer than the snapshot) */
	json_key(j, "lazy_bytes"); json_uint(j, mi->bytes_lazy);
	json_key(j, "read_after_resume_bytes"); json_uint(j, mi->lazy_bytes);
	json_key(j, own_threads ? "stopped_threads" : "threads"); json_int(j, mi->threads);
	json_key(j, "snapshot_ms"); json_num(j, s->took_ms);
	/* of which before the freeze (the buffers, of which faulting them in) */
	json_key(j, "prepare_ms"); json_num(j, mi->prepare_ms);
	json_key(j, "prefault_ms"); json_num(j, mi->prefault_ms);
	/* of the pause: planning from pagemap and copying */
	json_key(j, "copy_ms"); json_num(j, mi->copy_ms);
	json_key(j, "parse_ms"); json_num(j, heap_parse_ms(h));
	json_key(j, own_objects ? "gc_objects" : "objects"); json_uint(j, heap_nobjects(h));
}

void cli_text_header(FILE *f, struct hs_snapshot *s, struct heap *h)
{
	const struct memsrc_info *mi = mem_info(s->mem);
	char where[96] = "";
	int in_ctr = s->container[0] && strcmp(s->container, "-");
	if (s->ns_pid && s->ns_pid != s->pid)
		snprintf(where, sizeof where, " (pid %d in %s)", (int)s->ns_pid,
			 in_ctr ? s->container : "its namespace");
	else if (in_ctr)
		snprintf(where, sizeof where, " (in %s)", s->container);
	char retries[64] = "";
	if (s->attempts > 1)
		snprintf(retries, sizeof retries, " (copy %d, +%.1f ms)", s->attempts,
			 s->retry_pause_ms);
	char reused[48] = "", nobj[32];
	if (mi->bytes_reused)
		snprintf(reused, sizeof reused, " (%.1f MB unchanged)", mi->bytes_reused / 1e6);
	if (snap_is_file(s)) {
		char when[32] = "?";
		time_t t = (time_t)mi->taken_at;
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
		if (!strcmp(s->source_kind, "core"))
			fprintf(f, "core %s  written %s\n", s->file, when);
		else
			fprintf(f, "snapshot %s  taken %s on %s\n", s->file, when,
				s->hostname && *s->hostname ? s->hostname : "?");
	}
	fprintf(f, "pid %d%s  Python %s  objects %s  pause %.1f ms%s  copied %.1f MB%s  threads %d\n",
		(int)s->pid, where, s->rt.version, fmt_count(heap_nobjects(h), nobj, sizeof nobj),
		mi->pause_ms, retries, mi->bytes_copied / 1e6, reused, mi->threads);
	/* a version newer than any table is read on its own word, and 2.7 is
	 * only partly read: say so */
	if (((s->rt.major == 3 && s->rt.minor > layout_newest_minor()) || s->rt.major == 2) &&
	    s->layout_note[0])
		fprintf(stderr, "heapscope: note: %s\n", s->layout_note);
}

int cli_fail(const struct hs_err *err)
{
	fprintf(stderr, "heapscope: %s\n", err->msg[0] ? err->msg : hs_status_name(err->code));
	/* What was wrong stays the last thing on the screen: one line, not
	 * the whole usage under it. */
	if (err->code == HS_ERR_USAGE)
		fputs(USAGE_HINT, stderr);
	return err->code ? (int)err->code : 1;
}


/* ==== The explorer ==== */

/* How the TUI gets its snapshots: through cli_open(), like every command,
 * so the TUI itself never touches attach/. */
struct explore {
	struct cli o;
	pid_t pid;
	/* a snapshot file: what it says of the process (no /proc to read) */
	unsigned long long file_rss;
	char file_cmdline[4096];
	/* --baseline: the snapshot to explore, taken before the baseline
	 * was opened, handed to the explorer's first take() */
	struct hs_snapshot *pre_s;
	struct heap *pre_h;
	int in_tui;     /* the screen is the explorer's (its signal handlers are in) */
};

/* Set when a snapshot could not release a thread of the target: the
 * explorer must end (see live_stranded), then this is printed. */
static struct hs_err g_stranded_err;

static enum hs_status explore_take(void *arg, struct hs_snapshot **s, struct heap **h,
				   struct hs_err *err)
{
	struct explore *x = arg;
	if (x->pre_s) {
		*s = x->pre_s;
		*h = x->pre_h;
		x->pre_s = NULL;
		x->pre_h = NULL;
		return HS_OK;
	}
	enum hs_status st = cli_open(&x->o, x->pid, s, h, err);
	if (st == HS_OK && snap_is_file(*s)) {
		x->file_rss = (*s)->rss;
		snprintf(x->file_cmdline, sizeof x->file_cmdline, "%s",
			 (*s)->cmdline ? (*s)->cmdline : "");
	}
	if (st != HS_OK && live_stranded() && x->in_tui && !g_stranded_err.code) {
		g_stranded_err = *err;
		raise(SIGTERM);   /* the explorer's quit signal: it ends at once */
	}
	return st;
}

static void explore_release(void *arg, struct hs_snapshot *s, struct heap *h)
{
	(void)arg;
	cli_close(s, h);
}

static unsigned long long explore_rss(void *arg)
{
	struct explore *x = arg;
	return x->o.file ? x->file_rss : proc_rss(x->pid);
}

/* /proc/PID/cmdline with the NULs as spaces ("" when unreadable). */
static void explore_cmdline(void *arg, char *buf, size_t cap)
{
	char path[64];
	ssize_t n = -1;
	if (((struct explore *)arg)->o.file) {
		snprintf(buf, cap, "%s", ((struct explore *)arg)->file_cmdline);
		return;
	}
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)((struct explore *)arg)->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, cap - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	for (ssize_t i = 0; i < n - 1; i++)
		if (!buf[i])
			buf[i] = ' ';
}

static enum hs_status pick_scan(void *arg, struct ps_entry **rows, size_t *n,
				struct hs_err *err)
{
	(void)arg;
	return pslist_scan(rows, n, err);
}

static enum hs_status pick_take(void *arg, pid_t pid, struct hs_snapshot **s,
				struct heap **h, struct hs_err *err)
{
	struct explore *x = arg;
	x->pid = pid;
	return cli_open(&x->o, pid, s, h, err);
}

/* Leave the way a quit signal asked (after the terminal was restored). */
static void reraise(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

/* `heapscope PID`, `heapscope --demo`, and `heapscope` alone in a terminal
 * (the picker first): argv[0] is the PID's slot or "--demo"; options may
 * follow. */
static int explore_run(struct explore *px, int argc, char **argv, int demo);

static int cmd_explore(int argc, char **argv, int demo)
{
	struct explore x = {0};
	int rc = explore_run(&x, argc, argv, demo);
	live_incr_free(x.o.incr);
	return rc;
}

static int explore_run(struct explore *px, int argc, char **argv, int demo)
{
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	struct tui_source src = {explore_take, explore_release, explore_rss,
				 explore_cmdline, px, 0};
	int sig = 0;

	px->in_tui = 0;
	if (cli_parse(argc, argv, &px->o, &err))
		return cli_fail(&err);
	/* `r` takes a new snapshot: let it copy only what changed */
	if (!px->o.no_soft_dirty && !px->o.no_freeze)
		px->o.incr = live_incr_new();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		hs_fail(&err, HS_ERR_USAGE, "the explorer needs a terminal; for scripts use "
			"`heapscope types PID [--json]`");
		return cli_fail(&err);
	}
	termdb_prepare();
	if (!demo && px->o.npos == 0) {
		/* No PID: pick one.  The picker takes the first snapshot, so a
		 * refusal is shown there and another process can be tried. */
		const struct picker_source ps = {pick_scan, pick_take, px};
		int rc = tui_pick(&ps, &px->pid, &s, &h, &sig);
		if (sig) {
			if (rc == 0)
				cli_close(s, h);
			reraise(sig);
			return 1;
		}
		if (rc != 0)
			return rc == 1 ? 0 : rc;
	} else {
		if (demo ? demo_start(15000, &px->pid, &err) : cli_pid(&px->o, 0, &px->pid, &err))
			return cli_fail(&err);
		/* The first snapshot before the screen is taken over, so that
		 * errors ("permission denied", "not a Python process") land on
		 * stderr. */
		if (explore_take(px, &s, &h, &err)) {
			demo_stop();
			return cli_fail(&err);
		}
		if (px->o.baseline) {
			/* the explorer starts on the baseline and takes s at once */
			struct cli bo = px->o;
			pid_t bpid = 0;
			long v;
			bo.incr = NULL;
			bo.file = cli_is_file_arg(bo.baseline) ? bo.baseline : NULL;
			if (!bo.file && cli_parse_count(bo.baseline, 1, 0x3fffffff, &v)) {
				hs_fail(&err, HS_ERR_USAGE, "--baseline takes a snapshot FILE or a PID, "
					"not '%s'", bo.baseline);
			} else {
				bpid = bo.file ? 0 : (pid_t)v;
				cli_open(&bo, bpid, &px->pre_s, &px->pre_h, &err);
			}
			if (err.code) {
				cli_close(s, h);
				demo_stop();
				return cli_fail(&err);
			}
			/* swap: the baseline goes first */
			struct hs_snapshot *ts = s;
			struct heap *th = h;
			s = px->pre_s;
			h = px->pre_h;
			px->pre_s = ts;
			px->pre_h = th;
			src.baseline = 1;
		}
	}
	px->in_tui = 1;
	int rc = tui_main(&src, s, h, &sig);
	demo_stop();
	termdb_note_after();
	if (g_stranded_err.code)
		return cli_fail(&g_stranded_err);
	if (sig)   /* ended by SIGINT/SIGTERM/SIGHUP: exit the way it asked */
		reraise(sig);
	return rc;
}

/* ==== Dispatch ==== */

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"types", cmd_types},
	{"gens", cmd_gens},
	{"show", cmd_show},
	{"threads", cmd_threads},
	{"objects", cmd_objects}, {"referents", cmd_referents}, {"referrers", cmd_referrers}, {"path", cmd_path},
	{"top", cmd_top}, {"watch", cmd_watch}, {"suspects", cmd_suspects},
	{"ps", cmd_ps},
	{"save", cmd_save},
	{"memory", cmd_memory},
	{"diff", cmd_diff},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		/* In a terminal: the picker.  Elsewhere there is nothing to do. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_explore(argc, argv, 0);
		fputs(usage_text, stderr);
		return HS_ERR_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		print_version();
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			int rc = commands[i].run(argc - 1, argv + 1);
			return rc == 0 && g_incomplete ? HS_ERR_TARGET_CHANGED : rc;
		}
	if (!strcmp(argv[1], "--demo"))
		return cmd_explore(argc - 1, argv + 1, 1);
	/* A PID, or options first (`heapscope --pid-of app.py`) */
	if ((argv[1][0] >= '0' && argv[1][0] <= '9') || argv[1][0] == '-' ||
	    cli_is_file_arg(argv[1]))
		return cmd_explore(argc, argv, 0);
	fprintf(stderr, "heapscope: unknown command '%s'\n", argv[1]);
	fputs(USAGE_HINT, stderr);
	return HS_ERR_USAGE;
}
