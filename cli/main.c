/* heapscope — see what fills a live Python process's memory.
 *
 * main() dispatches subcommands from one table; each subcommand lives in
 * a cmd_*.c file, parses its own options with cli_parse() and prints text
 * or --json.  Exit codes are the hs_status values of attach/err.h. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
"usage: heapscope PID                    open the explorer on a running Python process\n"
"       heapscope types PID [--json] [--sort count|size|avg|name] [--top N]\n"
"       heapscope gens PID [--json]\n"
"       heapscope --help | --version\n";

static const char help_text[] =
"\n"
"heapscope attaches to a running CPython 3.8-3.13 process, freezes it just long\n"
"enough to copy its writable memory (milliseconds), lets it run again, and then\n"
"answers questions from that private copy. Nothing is injected into the target\n"
"and nothing is written to it.\n"
"\n"
"Commands:\n"
"  types PID     every type of GC-tracked object: count, total size (as\n"
"                sys.getsizeof adds up), objects per GC generation\n"
"  gens PID      GC generations: objects, thresholds, counts (gc.get_count()),\n"
"                collections so far, gc enabled, len(gc.garbage), frozen objects\n"
"\n"
"Options:\n"
"  --json          machine-readable output (one JSON object)\n"
"  --sort KEY      types: size (default), count, avg, name\n"
"  --top N         types: only the first N rows\n"
"  --no-freeze     copy without stopping the target (may see torn structures)\n"
"  --max-copy SIZE refuse to copy more than SIZE bytes (e.g. 512M, 2G)\n"
"\n"
"Sizes: 'size' is the shallow size, exactly what sys.getsizeof() reports for\n"
"each object (including the GC header), summed per type.\n"
"\n"
"Exit codes: 0 ok, 2 usage, 3 no such process, 4 permission denied,\n"
"  5 not a Python process, 6 unsupported Python version, 7 target exited or\n"
"  changed during the copy, 8 inconsistent heap, 9 unreadable memory,\n"
"  10 out of memory / --max-copy, 11 interrupted.\n"
"\n"
"Needs ptrace rights over the target: root, or CAP_SYS_PTRACE, or the same\n"
"user with kernel.yama.ptrace_scope=0.\n";

/* ==== Shared plumbing ==== */

static uint64_t parse_size(const char *s, int *ok)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	*ok = !errno && end != s && v >= 0;
	switch (*end) {
	case 'k': case 'K': v *= 1024; end++; break;
	case 'm': case 'M': v *= 1024 * 1024; end++; break;
	case 'g': case 'G': v *= 1024.0 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end)
		*ok = 0;
	return (uint64_t)v;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

enum hs_status cli_parse(int argc, char **argv, struct cli *o, struct hs_err *err)
{
	static const struct option longopts[] = {
		{"json", no_argument, 0, 'j'},
		{"no-freeze", no_argument, 0, 'F'},
		{"max-copy", required_argument, 0, 'C'},
		{"sort", required_argument, 0, 's'},
		{"top", required_argument, 0, 't'},
		{"limit", required_argument, 0, 't'},
		{"max", required_argument, 0, 'm'},
		{"type", required_argument, 0, 'T'},
		{0, 0, 0, 0},
	};
	int ch, ok;

	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1 || optind < argc) {
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
		case 'C':
			o->max_copy = parse_size(optarg, &ok);
			if (!ok)
				return hs_fail(err, HS_ERR_USAGE, "--max-copy takes a size like 512M or 2G, not '%s'", optarg);
			break;
		case 's': o->sort = optarg; break;
		case 't':
			if (parse_long(optarg, &o->top) || o->top < 0)
				return hs_fail(err, HS_ERR_USAGE, "--top/--limit take a number, not '%s'", optarg);
			break;
		case 'm':
			if (parse_long(optarg, &o->max) || o->max < 1)
				return hs_fail(err, HS_ERR_USAGE, "--max takes a positive number, not '%s'", optarg);
			break;
		case 'T': o->type = optarg; break;
		default:
			return hs_fail(err, HS_ERR_USAGE, "unknown option '%s'", argv[optind - 1]);
		}
	}
	return HS_OK;
}

enum hs_status cli_pid(const struct cli *o, int idx, pid_t *pid, struct hs_err *err)
{
	long v;
	if (idx >= o->npos)
		return hs_fail(err, HS_ERR_USAGE, "missing PID");
	if (parse_long(o->pos[idx], &v) || v <= 0 || v > 0x3fffffff)
		return hs_fail(err, HS_ERR_USAGE, "'%s' is not a process ID", o->pos[idx]);
	*pid = (pid_t)v;
	return HS_OK;
}

enum hs_status cli_open(const struct cli *o, pid_t pid, struct hs_snapshot **s,
			struct heap **h, struct hs_err *err)
{
	struct live_opts lo = {.no_freeze = o->no_freeze, .max_copy = o->max_copy};
	enum hs_status st = HS_OK;

	*s = NULL;
	*h = NULL;
	/* A snapshot can catch the target mid-collection (GC lists are then
	 * being rewritten); collections are short, so simply try again. */
	for (int attempt = 0; attempt < 5; attempt++) {
		if ((st = snap_take(pid, &lo, s, err)) != HS_OK)
			return st;
		if ((st = heap_open(*s, h, err)) == HS_OK)
			return HS_OK;
		snap_free(*s);
		*s = NULL;
		if (st != HS_ERR_INCONSISTENT)
			return st;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return st;
}

void cli_close(struct hs_snapshot *s, struct heap *h)
{
	heap_free(h);
	snap_free(s);
}

void cli_json_header(struct json *j, struct hs_snapshot *s, struct heap *h)
{
	const struct memsrc_info *mi = mem_info(s->mem);
	json_key(j, "pid"); json_int(j, s->pid);
	json_key(j, "python"); json_str(j, s->rt.version);
	json_key(j, "binary"); json_str(j, s->rt.path);
	json_key(j, "pause_ms"); json_num(j, mi->pause_ms);
	json_key(j, "copied_bytes"); json_uint(j, mi->bytes_copied);
	json_key(j, "threads"); json_int(j, mi->threads);
	json_key(j, "snapshot_ms"); json_num(j, s->took_ms);
	json_key(j, "parse_ms"); json_num(j, heap_parse_ms(h));
	json_key(j, "objects"); json_uint(j, heap_nobjects(h));
}

void cli_text_header(FILE *f, struct hs_snapshot *s, struct heap *h)
{
	const struct memsrc_info *mi = mem_info(s->mem);
	fprintf(f, "pid %d  Python %s  objects %lu  pause %.1f ms  copied %.1f MB  threads %d\n",
		(int)s->pid, s->rt.version, (unsigned long)heap_nobjects(h), mi->pause_ms,
		mi->bytes_copied / 1e6, mi->threads);
}

int cli_fail(const struct hs_err *err)
{
	fprintf(stderr, "heapscope: %s\n", err->msg[0] ? err->msg : hs_status_name(err->code));
	if (err->code == HS_ERR_USAGE)
		fputs(usage_text, stderr);
	return err->code ? (int)err->code : 1;
}

const char *cli_bytes(uint64_t n, char *buf, size_t cap)
{
	static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, cap, "%lu B", (unsigned long)n);
	else
		snprintf(buf, cap, "%.1f %s", v, unit[u]);
	return buf;
}

/* ==== Dispatch ==== */

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"types", cmd_types},
	{"gens", cmd_gens},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return HS_ERR_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("heapscope 0.1.0");
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	/* `heapscope PID`: the explorer; until it exists, the type table. */
	if (argv[1][0] >= '0' && argv[1][0] <= '9')
		return cmd_types(argc, argv);
	fprintf(stderr, "heapscope: unknown command '%s'\n", argv[1]);
	fputs(usage_text, stderr);
	return HS_ERR_USAGE;
}
