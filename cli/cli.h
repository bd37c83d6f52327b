/* cli — command-line plumbing shared by every subcommand: option parsing,
 * taking the snapshot + census with retries, common headers, errors. */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "err.h"
#include "fmt.h"
#include "heap.h"
#include "json.h"
#include "numbers.h"
#include "snapshot.h"

#define CLI_MAXPOS 8

struct cli {
	int json;
	int no_freeze;
	int no_soft_dirty;   /* --no-soft-dirty: re-snapshots copy everything */
	int census_only;     /* set by commands that need only the type rows and
				generation counts: heap_open_census() */
	struct live_incr *incr; /* live_opts.incr for cli_open (watch, suspects
				   --interval, the explorer), NULL: none */
	uint64_t max_copy;
	uint64_t lazy_min;   /* live_opts.lazy_min: 0 default, LIVE_LAZY_OFF */
	const char *sort;
	long top;        /* --top / --limit: rows to print; 0 = all */
	long max;        /* --max N */
	const char *type;
	const char *pid_of;     /* --pid-of PATTERN, resolved into pos[0] */
	char pid_buf[16];
	const char *file;       /* pos[0] when it names a snapshot file, not a PID */
	const char *output;     /* save -o FILE */
	const char *baseline;   /* explorer --baseline OLDER (a FILE or PID) */
	const char *sysroot;    /* core files: --sysroot DIR (the mapped files under DIR) */
	const char *exe;        /* core files: --exe PATH (the executable) */
	long zlevel, zthreads;  /* save --zstd-level / --zstd-threads (-1: default) */
	char *pos[CLI_MAXPOS];  /* positional arguments after the subcommand */
	int npos;
};

/* Parse options (any order, GNU style) into o. Returns HS_OK or
 * HS_ERR_USAGE with a message.  --pid-of PATTERN is resolved here (see
 * cli_pid_of) and becomes the first positional argument, so every command
 * that takes a PID takes --pid-of instead. */
enum hs_status cli_parse(int argc, char **argv, struct cli *o, struct hs_err *err);
/* The one Python process whose command line matches the extended regex
 * pattern.  HS_ERR_NO_PROCESS when none does, HS_ERR_USAGE when several do
 * (the message lists them). */
enum hs_status cli_pid_of(const char *pattern, pid_t *pid, struct hs_err *err);

/* Positional argument idx as a PID; 0 when it is the snapshot file
 * o->file (then cli_open reads that file). */
enum hs_status cli_pid(const struct cli *o, int idx, pid_t *pid, struct hs_err *err);

/* Numbers and addresses (cli_parse_size, _count, _seconds, _addr): the
 * one grammar, in numbers.h. */

/* Snapshot + census, retried a few times when the target was caught in
 * the middle of a collection. */
enum hs_status cli_open(const struct cli *o, pid_t pid, struct hs_snapshot **s,
			struct heap **h, struct hs_err *err);
void cli_close(struct hs_snapshot *s, struct heap *h);

/* The fields every JSON answer starts with (object already opened):
 * ..., "threads" (stopped), ..., "objects" (GC-tracked).  An answer that
 * uses one of those two keys for its own list (`objects`, `top`, `threads`)
 * passes it as body_key to cli_json_header_as, and the header names its
 * count "gc_objects" or "stopped_threads" instead: no key is repeated. */
void cli_json_header(struct json *j, struct hs_snapshot *s, struct heap *h);
void cli_json_header_as(struct json *j, struct hs_snapshot *s, struct heap *h,
			const char *body_key);
/* One-line text header: pid, Python version, objects, pause, MB copied. */
void cli_text_header(FILE *f, struct hs_snapshot *s, struct heap *h);

/* Print "heapscope: msg" to stderr; return the exit code. */
int cli_fail(const struct hs_err *err);

/* Allocation site of obj from the target's tracemalloc (model/sites.h):
 * "allocation": {"state", "why", "traceback": [{"file", "line"}…] most
 * recent call first, or null, "total_nframe", "traced_size"} (cmd_show.c). */
struct sites;
struct pytype;
void cli_json_allocation(struct json *j, struct sites *S, raddr_t obj, const struct pytype *t);
const char *cli_sites_state_name(int state);
/* Objects per allocation site of a snapshot (empty when the target does
 * not trace; msg says why); 0 or -1 with err set.  And the growth between
 * two of them, "sites": {"state", "why", "growth": [...]} into j, or as
 * text when j is NULL, at most `rows` sites (cmd_leaks.c). */
struct sites_census;
struct graph;
int cli_sites_census(struct heap *h, struct graph *g, struct sites_census **out, char *msg,
		     size_t cap, struct hs_err *err);
void cli_sites_growth(struct json *j, const struct sites_census *base,
		      const struct sites_census *last, const char *msg, size_t rows);

int cmd_types(int argc, char **argv);
int cmd_gens(int argc, char **argv);
int cmd_show(int argc, char **argv);      /* cmd_show.c */
int cmd_threads(int argc, char **argv);   /* cmd_show.c */
int cmd_objects(int argc, char **argv), cmd_referents(int argc, char **argv), cmd_referrers(int argc, char **argv), cmd_path(int argc, char **argv);   /* cmd_graph.c */
int cmd_ps(int argc, char **argv);        /* cmd_ps.c */
int cmd_save(int argc, char **argv);      /* cmd_save.c */
int cmd_diff(int argc, char **argv);      /* cmd_diff.c */
/* Is arg a snapshot file (not a PID)? */
int cli_is_file_arg(const char *arg);
int cmd_memory(int argc, char **argv);    /* cmd_memory.c */
int cmd_top(int argc, char **argv), cmd_watch(int argc, char **argv), cmd_suspects(int argc, char **argv);   /* cmd_leaks.c */

#endif
