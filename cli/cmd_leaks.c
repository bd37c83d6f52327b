/* `heapscope top | watch | suspects`: leak hunting.
 *
 *   top PID [ADDR...] [--limit N] [--sort retained|shallow]
 *       the largest retainers (dominator tree), per-type retained sizes;
 *       with ADDRs, those objects' rows (and their allocation tracebacks
 *       when the target runs tracemalloc).
 *   top PID --by-site [--traceback]
 *       objects, traced bytes and group retained size per allocation site
 *       (model/sites.h): file:line of the most recent frame, or whole
 *       tracebacks.  --dump-graph FILE writes the
 *       dominator input (for tests that brute-force retained sizes).
 *   watch PID --interval S [--count N] [--fail-if-grows TYPE:N]...
 *       periodic snapshots (the target runs in between): per-type deltas
 *       and rates, then the new objects of the growing types grouped by
 *       the path pattern holding them; exit 20 when a --fail-if-grows
 *       type grew by more than N objects.
 *   suspects PID [--interval S] [--min-bytes SIZE]
 *       ranked findings with severity, evidence and a path to root;
 *       --interval takes two snapshots S apart for growth evidence.
 *
 * Each snapshot: cli_open (copy + census), graph_build, leaks_build.  The
 * options of this file are taken out of argv before cli_parse() sees the
 * rest, so the shared parser stays as it is.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diff.h"
#include "graph.h"
#include "leaks.h"
#include "proc.h"
#include "rss.h"
#include "sites.h"

#define EXIT_GREW 20         /* watch --fail-if-grows: a type grew too much */
#define DEFAULT_TOP 20
#define DEFAULT_WATCH_ROWS 10
#define MAX_CHECKS 16
#define NEW_TYPES_SHOWN 3
#define PATTERNS_SHOWN 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ==== Options of these commands ==== */

struct check {
	const char *type;
	long limit;
};

struct lopts {
	double interval;          /* seconds, 0 = not given */
	long count;               /* snapshots after the baseline, 0 = until Ctrl-C */
	uint64_t min_bytes;
	const char *dump_graph;
	struct check checks[MAX_CHECKS];
	int nchecks;
	int shallow;              /* --sort shallow */
};

/* Take this file's options out of argv (in place); what is left goes to
 * cli_parse().  `allowed` lists the options the command accepts. */
static enum hs_status take_opts(int *argc, char **argv, const char *const *allowed,
				struct lopts *lo, struct hs_err *err)
{
	int w = 1;
	memset(lo, 0, sizeof *lo);
	for (int i = 1; i < *argc; i++) {
		char *a = argv[i];
		const char *name = NULL, *val = NULL;
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[w++] = argv[i++];
			break;
		}
		for (size_t k = 0; allowed[k]; k++) {
			size_t n = strlen(allowed[k]);
			if (!strncmp(a, allowed[k], n) && (a[n] == 0 || a[n] == '=')) {
				name = allowed[k];
				val = a[n] == '=' ? a + n + 1 : NULL;
				break;
			}
		}
		if (!name) {
			argv[w++] = a;
			continue;
		}
		if (!val) {
			if (i + 1 >= *argc)
				return hs_fail(err, HS_ERR_USAGE, "%s needs a value", name);
			val = argv[++i];
		}
		if (!strcmp(name, "--interval")) {
			if (cli_parse_seconds(val, 86400, &lo->interval))
				return hs_fail(err, HS_ERR_USAGE,
					       "--interval takes seconds (> 0, e.g. 0.5 or 10), not '%s'", val);
		} else if (!strcmp(name, "--count")) {
			if (cli_parse_count(val, 1, LONG_MAX, &lo->count))
				return hs_fail(err, HS_ERR_USAGE, "--count takes a positive number, not '%s'", val);
		} else if (!strcmp(name, "--min-bytes")) {
			if (cli_parse_size(val, &lo->min_bytes))
				return hs_fail(err, HS_ERR_USAGE, "--min-bytes takes a SIZE like 64K or 1M, not '%s'", val);
		} else if (!strcmp(name, "--dump-graph")) {
			lo->dump_graph = val;
		} else if (!strcmp(name, "--fail-if-grows")) {
			const char *colon = strrchr(val, ':');
			long n;
			if (lo->nchecks == MAX_CHECKS)
				return hs_fail(err, HS_ERR_USAGE, "at most %d --fail-if-grows", MAX_CHECKS);
			if (!colon || colon == val)
				return hs_fail(err, HS_ERR_USAGE,
					       "--fail-if-grows takes TYPE:N (e.g. Request:1000), not '%s'", val);
			if (cli_parse_count(colon + 1, 0, LONG_MAX, &n))
				return hs_fail(err, HS_ERR_USAGE,
					       "--fail-if-grows TYPE:N needs a number N >= 0 (got '%s')", val);
			char *t = strndup(val, (size_t)(colon - val));
			if (!t)
				return hs_fail(err, HS_ERR_NOMEM, "out of memory");
			lo->checks[lo->nchecks].type = t;
			lo->checks[lo->nchecks++].limit = n;
		}
	}
	argv[w] = NULL;
	*argc = w;
	return HS_OK;
}

static void free_opts(struct lopts *lo)
{
	for (int i = 0; i < lo->nchecks; i++)
		free((char *)lo->checks[i].type);
}

/* ==== One snapshot with its graph and dominators ==== */

struct snap {
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g;
	struct leaks *L;
	double t;            /* when it was taken (now_ms) */
};

static void snap_close(struct snap *x)
{
	leaks_free(x->L);
	graph_free(x->g);
	if (x->s)
		cli_close(x->s, x->h);
	memset(x, 0, sizeof *x);
}

static enum hs_status snap_open(const struct cli *o, pid_t pid, int with_leaks, struct snap *x,
				struct hs_err *err)
{
	enum hs_status st;
	memset(x, 0, sizeof *x);
	x->t = now_ms();
	if ((st = cli_open(o, pid, &x->s, &x->h, err)) != HS_OK ||
	    (st = graph_build(x->h, &x->g, err)) != HS_OK ||
	    (with_leaks && (st = leaks_build(x->h, x->g, &x->L, err)) != HS_OK)) {
		snap_close(x);
		return st;
	}
	return HS_OK;
}

/* body_key: see cli_json_header_as. */
static void json_leaks_header(struct json *j, struct snap *x, const char *body_key)
{
	const struct graph_stats *gs = graph_stats(x->g);
	cli_json_header_as(j, x->s, x->h, body_key);
	json_key(j, "graph_ms"); json_num(j, gs->build_ms);
	json_key(j, "graph_objects"); json_uint(j, gs->objects);
	if (x->L) {
		const struct leaks_stats *ls = leaks_stats(x->L);
		json_key(j, "dominators_ms"); json_num(j, ls->dominators_ms);
		json_key(j, "dominators");
		json_obj(j);
		json_key(j, "nodes"); json_uint(j, ls->nodes);
		json_key(j, "edges"); json_uint(j, ls->edges);
		json_key(j, "type_edges_skipped"); json_uint(j, ls->type_edges);
		json_key(j, "prepare_ms"); json_num(j, ls->prepare_ms);
		json_key(j, "tree_ms"); json_num(j, ls->tree_ms);
		json_key(j, "types_ms"); json_num(j, ls->types_ms);
		json_key(j, "total_bytes"); json_uint(j, ls->total);
		json_key(j, "unreachable_objects"); json_uint(j, ls->unreachable);
		json_key(j, "unreachable_bytes"); json_uint(j, ls->unreachable_bytes);
		json_end(j);
	}
}

static void text_leaks_header(struct snap *x)
{
	const struct graph_stats *gs = graph_stats(x->g);
	char b1[32], b2[32];
	cli_text_header(stdout, x->s, x->h);
	printf("graph: %u objects (%u GC-tracked), built in %.0f ms", gs->objects, gs->tracked,
	       gs->build_ms);
	if (x->L) {
		const struct leaks_stats *ls = leaks_stats(x->L);
		printf("; dominators over %lu references in %.0f ms; heap %s",
		       (unsigned long)ls->edges, ls->dominators_ms, fmt_bytes(ls->total, b1, sizeof b1));
		if (ls->unreachable)
			printf(", of which %s in %u objects no root reaches",
			       fmt_bytes(ls->unreachable_bytes, b2, sizeof b2), ls->unreachable);
	}
	printf("\n");
}

static const char *path_of(struct graph *g, graph_obj_t o, char *buf, size_t cap)
{
	struct graph_path *p = NULL;
	size_t np = graph_paths(g, o, 1, &p);
	buf[0] = 0;
	if (np)
		graph_path_text(g, &p[0], buf, cap);
	graph_paths_free(p, np);
	return buf;
}


/* ==== top ==== */

static void dump_graph(struct snap *x, const char *path, struct hs_err *err)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		hs_fail(err, HS_ERR_USAGE, "cannot write %s: %s", path, strerror(errno));
		return;
	}
	struct leaks *L = x->L;
	uint32_t n = leaks_top(L) + 1;
	struct json j;
	json_init(&j, f);
	json_obj(&j);
	json_key(&j, "top"); json_uint(&j, leaks_top(L));
	json_key(&j, "nodes");
	json_arr(&j);
	for (uint32_t v = 0; v < n; v++) {
		const uint32_t *s;
		size_t ns = leaks_succ(L, v, &s);
		json_arr(&j);
		json_uint(&j, v < leaks_top(L) ? graph_addr(x->g, v) : 0);
		json_uint(&j, leaks_node_shallow(L, v));
		json_uint(&j, leaks_node_retained(L, v));
		json_int(&j, leaks_adopted(L, v));
		json_arr(&j);
		for (size_t k = 0; k < ns; k++)
			json_uint(&j, s[k]);
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
	fclose(f);
}

struct row {
	graph_obj_t o;
	int inside;          /* rank (1-based) of an earlier row dominating it, 0 none */
};

static void top_rows(struct snap *x, struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rows[i].inside = 0;
		/* the closest earlier row that dominates it */
		for (graph_obj_t d = leaks_idom_obj(x->L, rows[i].o); d != GRAPH_NONE && !rows[i].inside;
		     d = leaks_idom_obj(x->L, d))
			for (size_t k = 0; k < i; k++)
				if (rows[k].o == d) {
					rows[i].inside = (int)k + 1;
					break;
				}
	}
}

static void json_row(struct json *j, struct snap *x, const struct row *r, size_t rank,
		     struct sites *S)
{
	char buf[1024];
	struct graph *g = x->g;
	uint64_t total = leaks_stats(x->L)->total;
	uint64_t ret = leaks_retained(x->L, r->o);
	graph_obj_t d = leaks_idom_obj(x->L, r->o);
	json_obj(j);
	if (rank) {
		json_key(j, "rank"); json_uint(j, rank);
	}
	json_key(j, "addr"); json_addr(j, graph_addr(g, r->o));
	json_key(j, "type"); json_str(j, graph_type_name(g, r->o, buf, sizeof buf));
	json_key(j, "shallow"); json_uint(j, graph_size(g, r->o));
	json_key(j, "retained"); json_uint(j, ret);
	json_key(j, "percent"); json_num(j, total ? 100.0 * (double)ret / (double)total : 0);
	json_key(j, "value"); json_str(j, graph_value(g, r->o, buf, sizeof buf));
	json_key(j, "idom");
	if (d != GRAPH_NONE) json_addr(j, graph_addr(g, d)); else json_null(j);
	json_key(j, "inside");
	if (r->inside) json_int(j, r->inside); else json_null(j);
	json_key(j, "unreachable"); json_bool(j, leaks_unreachable(x->L, r->o));
	json_key(j, "path"); json_str(j, path_of(g, r->o, buf, sizeof buf));
	if (S)
		cli_json_allocation(j, S, graph_addr(g, r->o), graph_type(g, r->o));
	json_end(j);
}

static void text_row(struct snap *x, const struct row *r, size_t rank)
{
	char type[64], val[96], b1[32], b2[32], path[1024];
	struct graph *g = x->g;
	uint64_t total = leaks_stats(x->L)->total;
	uint64_t ret = leaks_retained(x->L, r->o);
	graph_type_name(g, r->o, type, sizeof type);
	graph_value(g, r->o, val, sizeof val);
	printf("%4zu  %#14lx  %-22.22s %10s %10s %5.1f%%  %s\n", rank,
	       (unsigned long)graph_addr(g, r->o), type, fmt_bytes(graph_size(g, r->o), b1, sizeof b1),
	       fmt_bytes(ret, b2, sizeof b2), total ? 100.0 * (double)ret / (double)total : 0.0, val);
	path_of(g, r->o, path, sizeof path);
	if (r->inside)
		printf("%6s  inside #%d; ", "", r->inside);
	else
		printf("%6s  ", "");
	printf("%s\n", path[0] ? path
	       : leaks_unreachable(x->L, r->o) ? "no root reaches it (cyclic garbage or held by C code)"
	       : "no path found");
}

struct by_size { uint64_t size; graph_obj_t o; };

static int cmp_by_size(const void *a, const void *b)
{
	const struct by_size *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return (x->o > y->o) - (x->o < y->o);
}

/* The n objects with the largest shallow sizes (sizes read once each,
 * from the dominator input's cached column). */
static size_t largest_shallow(struct leaks *L, uint32_t all, size_t n, graph_obj_t **out)
{
	struct by_size *v = malloc((size_t)(all ? all : 1) * sizeof *v);
	*out = NULL;
	if (!v)
		return 0;
	for (uint32_t i = 0; i < all; i++)
		v[i] = (struct by_size){leaks_node_shallow(L, i), i};
	qsort(v, all, sizeof *v, cmp_by_size);
	if (n > all)
		n = all;
	graph_obj_t *r = malloc((n ? n : 1) * sizeof *r);
	for (size_t i = 0; r && i < n; i++)
		r[i] = v[i].o;
	free(v);
	*out = r;
	return r ? n : 0;
}

/* `top --by-site [--traceback]`: objects grouped by allocation site.
 * Returns 0, or -1 with err set. */
static int top_by_site(const struct cli *o, struct snap *x, int by_tb, struct hs_err *err)
{
	struct sites *S = NULL;
	struct sites_group *gr = NULL;
	uint64_t untraced = 0;
	char key[4096], b1[32], b2[32], b3[32], b4[32];
	if (sites_load(heap_ctx(x->h), &S, err))
		return -1;
	if (sites_state(S) != SITES_ON) {
		hs_fail(err, HS_ERR_UNSUPPORTED, "no allocation sites: %s", sites_why(S));
		sites_free(S);
		return -1;
	}
	long ng = sites_groups(S, x->g, by_tb, &gr, &untraced);
	if (ng < 0) {
		sites_free(S);
		hs_fail(err, HS_ERR_NOMEM, "out of memory grouping objects by allocation site");
		return -1;
	}
	size_t limit = o->top > 0 ? (size_t)o->top : DEFAULT_TOP;
	size_t shown = (size_t)ng < limit ? (size_t)ng : limit;
	uint64_t total = leaks_stats(x->L)->total, traced_objs = 0, traced_bytes = 0;
	for (long i = 0; i < ng; i++) {
		traced_objs += gr[i].count;
		traced_bytes += gr[i].traced;
	}
	uint64_t *ret = calloc(shown + 1, sizeof *ret);
	for (size_t i = 0; ret && i < shown; i++)
		ret[i] = leaks_group_retained(x->L, gr[i].objs, gr[i].count);
	if (!ret) {
		sites_groups_free(gr, ng);
		sites_free(S);
		hs_fail(err, HS_ERR_NOMEM, "out of memory");
		return -1;
	}
	if (o->json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		json_leaks_header(&j, x, "groups");
		json_key(&j, "sites");
		json_obj(&j);
		json_key(&j, "state"); json_str(&j, cli_sites_state_name(sites_state(S)));
		json_key(&j, "why"); json_str(&j, sites_why(S));
		json_key(&j, "max_nframe"); json_int(&j, sites_max_nframe(S));
		json_key(&j, "traces"); json_uint(&j, sites_ntraces(S));
		json_end(&j);
		json_key(&j, "by"); json_str(&j, by_tb ? "traceback" : "lineno");
		json_key(&j, "traced_objects"); json_uint(&j, traced_objs);
		json_key(&j, "traced_bytes"); json_uint(&j, traced_bytes);
		json_key(&j, "untraced_objects"); json_uint(&j, untraced);
		json_key(&j, "groups");
		json_arr(&j);
		for (size_t i = 0; i < shown; i++) {
			const struct sites_tb *T = sites_tb(S, gr[i].tb);
			json_obj(&j);
			json_key(&j, "rank"); json_uint(&j, i + 1);
			json_key(&j, "site"); json_str(&j, sites_key(S, gr[i].tb, by_tb, key, sizeof key));
			json_key(&j, "file"); json_str(&j, T && T->nframe ? T->frames[0].file : "?");
			json_key(&j, "line"); json_uint(&j, T && T->nframe ? T->frames[0].line : 0);
			json_key(&j, "traceback");
			json_arr(&j);
			for (uint32_t k = 0; by_tb && T && k < T->nframe; k++) {
				json_obj(&j);
				json_key(&j, "file"); json_str(&j, T->frames[k].file);
				json_key(&j, "line"); json_uint(&j, T->frames[k].line);
				json_end(&j);
			}
			json_end(&j);
			json_key(&j, "count"); json_uint(&j, gr[i].count);
			json_key(&j, "traced"); json_uint(&j, gr[i].traced);
			json_key(&j, "shallow"); json_uint(&j, gr[i].shallow);
			json_key(&j, "retained"); json_uint(&j, ret[i]);
			json_key(&j, "example_addr"); json_addr(&j, graph_addr(x->g, gr[i].objs[0]));
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_done(&j);
	} else {
		text_leaks_header(x);
		printf("objects by allocation site (%s; %s; %lu objects have no trace: allocated before it "
		       "started or not by Python's allocators):\n", sites_why(S),
		       by_tb ? "whole tracebacks, most recent call first" : "the most recent frame",
		       (unsigned long)untraced);
		printf("%4s %10s %10s %10s %10s %6s  %s\n", "#", "objects", "traced", "shallow",
		       "retained", "heap", "site");
		for (size_t i = 0; i < shown; i++) {
			const struct sites_tb *T = sites_tb(S, gr[i].tb);
			printf("%4zu %10lu %10s %10s %10s %5.1f%%  %s\n", i + 1, (unsigned long)gr[i].count,
			       fmt_bytes(gr[i].traced, b1, sizeof b1), fmt_bytes(gr[i].shallow, b2, sizeof b2),
			       fmt_bytes(ret[i], b3, sizeof b3), total ? 100.0 * (double)ret[i] / (double)total : 0.0,
			       sites_key(S, gr[i].tb, 0, key, sizeof key));
			for (uint32_t k = 1; by_tb && T && k < T->nframe; k++)
				printf("%4s %10s %10s %10s %10s %6s    <- %s:%u\n", "", "", "", "", "", "",
				       T->frames[k].file, T->frames[k].line);
		}
		if (shown < (size_t)ng)
			printf("… %zu more sites (--limit N); %lu traced objects, %s in all\n", (size_t)ng - shown,
			       (unsigned long)traced_objs, fmt_bytes(traced_bytes, b4, sizeof b4));
	}
	free(ret);
	sites_groups_free(gr, ng);
	sites_free(S);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	static const char *const allowed[] = {"--dump-graph", "--retained", NULL};
	struct cli o;
	struct lopts lo;
	struct hs_err err = {0};
	struct snap x;
	pid_t pid;
	int by_site = 0, by_tb = 0;
	/* --retained, --by-site, --traceback take no value: handle them
	 * before take_opts */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--retained") || !strcmp(argv[i], "--by-site") ||
		    !strcmp(argv[i], "--traceback")) {
			by_site |= !strcmp(argv[i], "--by-site");
			by_tb |= !strcmp(argv[i], "--traceback");
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
			argc--;
			i--;
		}
	if (take_opts(&argc, argv, allowed, &lo, &err) || cli_parse(argc, argv, &o, &err) ||
	    cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (o.sort && strcmp(o.sort, "retained") && strcmp(o.sort, "shallow")) {
		hs_fail(&err, HS_ERR_USAGE, "--sort takes retained or shallow (got '%s')", o.sort);
		return cli_fail(&err);
	}
	lo.shallow = o.sort && !strcmp(o.sort, "shallow");
	if (by_tb && !by_site) {
		hs_fail(&err, HS_ERR_USAGE, "--traceback goes with --by-site (group by whole tracebacks)");
		return cli_fail(&err);
	}
	raddr_t want[CLI_MAXPOS];
	int nwant = 0;
	for (int i = 1; i < o.npos; i++)
		if (cli_parse_addr(o.pos[i], &want[nwant++])) {
			hs_fail(&err, HS_ERR_USAGE, "'%s' is not an address (hex 0x… or decimal id())",
				o.pos[i]);
			return cli_fail(&err);
		}
	if (snap_open(&o, pid, 1, &x, &err))
		return cli_fail(&err);
	if (lo.dump_graph) {
		dump_graph(&x, lo.dump_graph, &err);
		if (err.code) {
			snap_close(&x);
			return cli_fail(&err);
		}
	}
	if (by_site) {
		int rc = top_by_site(&o, &x, by_tb, &err);
		snap_close(&x);
		return rc ? cli_fail(&err) : 0;
	}
	struct sites *S = NULL;
	if (nwant && sites_load(heap_ctx(x.h), &S, &err)) {
		snap_close(&x);
		return cli_fail(&err);
	}
	size_t limit = o.top > 0 ? (size_t)o.top : DEFAULT_TOP;
	graph_obj_t *objs = NULL;
	size_t n = 0, missing = 0;
	if (nwant) {
		objs = malloc((size_t)nwant * sizeof *objs);
		for (int i = 0; objs && i < nwant; i++) {
			graph_obj_t g = graph_find(x.g, want[i]);
			if (g == GRAPH_NONE)
				missing++;
			else
				objs[n++] = g;
		}
	} else if (lo.shallow) {
		n = largest_shallow(x.L, graph_nobjects(x.g), limit, &objs);
	} else {
		n = leaks_top_objects(x.L, limit, &objs);
	}
	struct row *rows = calloc(n + 1, sizeof *rows);
	if (!rows || (!objs && n)) {
		free(objs);
		free(rows);
		snap_close(&x);
		hs_fail(&err, HS_ERR_NOMEM, "out of memory");
		return cli_fail(&err);
	}
	for (size_t i = 0; i < n; i++)
		rows[i].o = objs[i];
	top_rows(&x, rows, n);
	const struct leaks_type_row *types;
	size_t nt = leaks_types(x.L, &types);
	size_t nts = nt < limit ? nt : limit;
	if (o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		json_leaks_header(&j, &x, "objects");
		json_key(&j, "objects");
		json_arr(&j);
		for (size_t i = 0; i < n; i++)
			json_row(&j, &x, &rows[i], nwant ? 0 : i + 1, S);
		json_end(&j);
		json_key(&j, "types");
		json_arr(&j);
		for (size_t i = 0; i < nts; i++) {
			json_obj(&j);
			json_key(&j, "type"); json_str(&j, types[i].name);
			json_key(&j, "count"); json_uint(&j, types[i].count);
			json_key(&j, "shallow"); json_uint(&j, types[i].shallow);
			json_key(&j, "retained"); json_uint(&j, types[i].retained);
			json_key(&j, "unreachable"); json_uint(&j, types[i].unreachable);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_done(&j);
	} else {
		char b1[32], b2[32];
		text_leaks_header(&x);
		printf("%s (retained = shallow sizes of everything only it keeps alive):\n",
		       nwant ? "objects" : lo.shallow ? "largest objects" : "largest retainers");
		printf("%4s  %14s  %-22s %10s %10s %6s  %s\n", "#", "address", "type", "shallow",
		       "retained", "heap", "value / path from a root");
		for (size_t i = 0; i < n; i++)
			text_row(&x, &rows[i], i + 1);
		if (!nwant) {
			printf("\ntypes by retained size (instances inside another instance of the same type "
			       "counted once):\n");
			printf("%10s %10s %10s  %s\n", "count", "shallow", "retained", "type");
			for (size_t i = 0; i < nts; i++)
				printf("%10lu %10s %10s  %s\n", (unsigned long)types[i].count,
				       fmt_bytes(types[i].shallow, b1, sizeof b1),
				       fmt_bytes(types[i].retained, b2, sizeof b2), types[i].name);
		}
	}
	free(rows);
	free(objs);
	sites_free(S);
	snap_close(&x);
	if (missing) {
		hs_fail(&err, HS_ERR_NOT_FOUND, "%zu of %d addresses are not objects in this snapshot",
			missing, nwant);
		return cli_fail(&err);
	}
	return 0;
}

/* ==== suspects ==== */

static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* Sleep s seconds unless Ctrl-C; returns -1 when interrupted. */
static int nap(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (!g_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return g_stop ? -1 : 0;
}

static void catch_stop(void)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	g_stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* An accumulation suspect's class and where its instances pile up. */
static void json_group(struct json *j, struct graph *g, const struct leaks_suspect *s)
{
	json_key(j, "group");
	json_obj(j);
	json_key(j, "type"); json_str(j, s->group);
	json_key(j, "count"); json_uint(j, s->count);
	json_key(j, "retained"); json_uint(j, s->bytes);
	json_key(j, "sampled"); json_uint(j, s->sampled);
	json_key(j, "points");
	json_arr(j);
	for (size_t p = 0; p < s->npoints; p++) {
		const struct leaks_accum_point *pt = &s->points[p];
		json_obj(j);
		json_key(j, "pattern"); json_str(j, pt->pattern);
		json_key(j, "holder"); json_str(j, pt->holder);
		json_key(j, "share"); json_num(j, pt->share);
		json_key(j, "sampled"); json_uint(j, pt->sampled);
		json_key(j, "containers"); json_uint(j, pt->containers);
		json_key(j, "example_addr");
		if (pt->example != GRAPH_NONE) json_addr(j, graph_addr(g, pt->example)); else json_null(j);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

static int suspects_run(int argc, char **argv, struct live_incr **incr);

int cmd_suspects(int argc, char **argv)
{
	struct live_incr *incr = NULL;
	int rc = suspects_run(argc, argv, &incr);
	live_incr_free(incr);
	return rc;
}

static int suspects_run(int argc, char **argv, struct live_incr **incr)
{
	static const char *const allowed[] = {"--interval", "--min-bytes", NULL};
	struct cli o;
	struct lopts lo;
	struct hs_err err = {0};
	struct snap x, before = {0};
	struct diff_base *base = NULL;
	uint64_t rss0 = 0;
	pid_t pid;
	if (take_opts(&argc, argv, allowed, &lo, &err) || cli_parse(argc, argv, &o, &err) ||
	    cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (lo.interval > 0 && o.file) {
		hs_fail(&err, HS_ERR_USAGE, "--interval needs a running process, not the snapshot "
			"file %s; compare two files with `heapscope diff OLD NEW`", o.file);
		return cli_fail(&err);
	}
	if (lo.interval > 0) {
		/* the second snapshot copies only what changed */
		if (!o.no_soft_dirty && !o.no_freeze)
			*incr = o.incr = live_incr_new();
		if (snap_open(&o, pid, 0, &before, &err) ||
		    (rss0 = proc_rss(pid), 0) ||
		    diff_base_take(before.h, before.g, before.t, &base, &err)) {
			snap_close(&before);
			return cli_fail(&err);
		}
		snap_close(&before);
		catch_stop();
		if (nap(lo.interval)) {
			diff_base_free(base);
			hs_fail(&err, HS_ERR_INTERRUPTED, "interrupted before the second snapshot");
			return cli_fail(&err);
		}
		/* From here on Ctrl-C interrupts as in any command (exit 11). */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
	if (snap_open(&o, pid, 1, &x, &err)) {
		diff_base_free(base);
		return cli_fail(&err);
	}
	struct leaks_suspect_opts so = {.min_bytes = lo.min_bytes, .before = base,
					.interval_s = base ? (x.t - diff_base_time(base)) / 1e3 : 0};
	/* between the two snapshots: the RSS grew and the Python objects did not */
	char native_msg[256] = "";
	uint64_t rss1 = base && pid ? proc_rss(pid) : 0, py1 = 0;
	for (graph_obj_t q = 0; rss1 && q < graph_nobjects(x.g); q++)
		py1 += graph_size(x.g, q);    /* as diff_base_bytes sums them */
	int native = rss0 && rss1 &&
		     rss_native_growth((int64_t)rss1 - (int64_t)rss0,
				       (int64_t)py1 - (int64_t)diff_base_bytes(base),
				       native_msg, sizeof native_msg);
	struct leaks_suspect *sv;
	double t0 = now_ms();
	size_t n = leaks_suspects(x.L, &so, &sv);
	double t_s = now_ms() - t0;
	const struct leaks_garbage *G = leaks_garbage(x.L);
	size_t shown = o.top > 0 && (size_t)o.top < n ? (size_t)o.top : n;
	char buf[256], b1[32];
	if (o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		json_leaks_header(&j, &x, NULL);
		json_key(&j, "suspects_ms"); json_num(&j, t_s);
		json_key(&j, "interval_s");
		if (base) json_num(&j, so.interval_s); else json_null(&j);
		json_key(&j, "native_growth");
		if (native) json_str(&j, native_msg); else json_null(&j);
		if (G) {
			json_key(&j, "garbage");
			json_obj(&j);
			json_key(&j, "objects"); json_uint(&j, G->objects);
			json_key(&j, "bytes"); json_uint(&j, G->bytes);
			json_key(&j, "with_del"); json_uint(&j, G->with_del);
			json_end(&j);
		}
		json_key(&j, "suspects");
		json_arr(&j);
		for (size_t i = 0; i < shown; i++) {
			const struct leaks_suspect *s = &sv[i];
			json_obj(&j);
			json_key(&j, "rank"); json_uint(&j, i + 1);
			json_key(&j, "kind"); json_str(&j, leaks_kind_name(s->kind));
			json_key(&j, "severity"); json_str(&j, leaks_severity_name(s->severity));
			json_key(&j, "bytes"); json_uint(&j, s->bytes);
			json_key(&j, "count"); json_uint(&j, s->count);
			json_key(&j, "growth");
			if (s->growth != INT64_MIN) json_int(&j, s->growth); else json_null(&j);
			json_key(&j, "title"); json_str(&j, s->title);
			json_key(&j, "evidence"); json_str(&j, s->evidence);
			json_key(&j, "path"); json_str(&j, s->path);
			json_key(&j, "addr");
			if (s->obj != GRAPH_NONE) json_addr(&j, graph_addr(x.g, s->obj)); else json_null(&j);
			json_key(&j, "type");
			if (s->obj != GRAPH_NONE) json_str(&j, graph_type_name(x.g, s->obj, buf, sizeof buf));
			else json_null(&j);
			json_key(&j, "accum_addr");
			if (s->accum != GRAPH_NONE) json_addr(&j, graph_addr(x.g, s->accum)); else json_null(&j);
			json_key(&j, "accum_type");
			if (s->accum != GRAPH_NONE) json_str(&j, graph_type_name(x.g, s->accum, buf, sizeof buf));
			else json_null(&j);
			if (s->kind == LEAK_ACCUMULATION)
				json_group(&j, x.g, s);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_done(&j);
	} else {
		text_leaks_header(&x);
		if (native)
			printf("[HIGH] %s\n", native_msg);
		if (G)
			printf("a gc.collect() now would free %s in %lu objects\n",
			       fmt_bytes(G->bytes, b1, sizeof b1), (unsigned long)G->objects);
		if (!n)
			printf("no suspects: nothing retains a notable share of the heap, the collector is on "
			       "and gc.garbage is empty\n");
		for (size_t i = 0; i < shown; i++) {
			const struct leaks_suspect *s = &sv[i];
			char up[16];
			size_t k;
			for (k = 0; leaks_severity_name(s->severity)[k] && k + 1 < sizeof up; k++)
				up[k] = (char)(leaks_severity_name(s->severity)[k] - 32);
			up[k] = 0;
			printf("\n%2zu. [%s] %s  (%s)\n", i + 1, up, s->title, leaks_kind_name(s->kind));
			if (s->path[0])
				printf("    path: %s\n", s->path);
			else if (s->obj != GRAPH_NONE)
				printf("    at %#lx (no path from a root)\n", (unsigned long)graph_addr(x.g, s->obj));
			printf("    %s\n", s->evidence);
			for (size_t p = 0; p < s->npoints; p++)
				printf("    %3.0f%%  via %s%s%s%s\n", 100.0 * s->points[p].share, s->points[p].pattern,
				       strcmp(s->points[p].holder, s->points[p].pattern) ? "  (" : "",
				       strcmp(s->points[p].holder, s->points[p].pattern) ? s->points[p].holder : "",
				       strcmp(s->points[p].holder, s->points[p].pattern) ? ")" : "");
		}
		if (shown < n)
			printf("\n… %zu more (--limit N)\n", n - shown);
	}
	free(sv);
	diff_base_free(base);
	snap_close(&x);
	return 0;
}

/* ==== watch ==== */

/* Sum of a type's rows: TYPE matches a row named TYPE, or ending in ".TYPE". */
static void type_delta(const struct diff_type_row *rows, long n, const char *type, int64_t *dc,
		       int64_t *ds, uint64_t *c0, uint64_t *c1)
{
	size_t tl = strlen(type);
	*dc = *ds = 0;
	*c0 = *c1 = 0;
	for (long i = 0; i < n; i++) {
		size_t nl = strlen(rows[i].name);
		if (strcmp(rows[i].name, type) &&
		    !(nl > tl && rows[i].name[nl - tl - 1] == '.' && !strcmp(rows[i].name + nl - tl, type)))
			continue;
		*dc += rows[i].dcount;
		*ds += rows[i].dsize;
		*c0 += rows[i].count0;
		*c1 += rows[i].count1;
	}
}

struct watch_snap {
	double t_s;          /* seconds since the baseline */
	uint64_t objects, bytes;
	double pause_ms, graph_ms;
	uint64_t copied, reused; /* bytes; reused: unchanged since the previous
				    snapshot, not read in the pause (soft-dirty) */
	uint64_t rss;        /* VmRSS right after the snapshot, 0 unknown */
};

static void print_patterns(const struct diff_new *dn, const char *indent)
{
	char cnt[32];
	for (size_t p = 0; p < dn->npatterns && p < PATTERNS_SHOWN; p++)
		printf("%s%3.0f%%  via %s   e.g. %s\n", indent,
		       dn->sampled ? 100.0 * (double)dn->patterns[p].sampled / (double)dn->sampled : 0.0,
		       dn->patterns[p].pattern, dn->patterns[p].example_path);
	if (dn->unrooted)
		printf("%s%3.0f%%  held by no root (garbage cycles or C code)\n", indent,
		       100.0 * (double)dn->unrooted / (double)dn->sampled);
	(void)cnt;
}

static void json_new(struct json *j, struct graph *g, const struct diff_new *dn)
{
	json_obj(j);
	json_key(j, "type"); json_str(j, dn->type);
	json_key(j, "count"); json_uint(j, dn->count);
	json_key(j, "bytes"); json_uint(j, dn->bytes);
	json_key(j, "sampled"); json_uint(j, dn->sampled);
	json_key(j, "unrooted"); json_uint(j, dn->unrooted);
	json_key(j, "patterns");
	json_arr(j);
	for (size_t p = 0; p < dn->npatterns; p++) {
		json_obj(j);
		json_key(j, "pattern"); json_str(j, dn->patterns[p].pattern);
		json_key(j, "sampled"); json_uint(j, dn->patterns[p].sampled);
		json_key(j, "share");
		json_num(j, dn->sampled ? (double)dn->patterns[p].sampled / (double)dn->sampled : 0);
		json_key(j, "example_addr"); json_addr(j, graph_addr(g, dn->patterns[p].example));
		json_key(j, "example_path"); json_str(j, dn->patterns[p].example_path);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

/* Objects per allocation site of snapshot x (the target's tracemalloc):
 * the first census is the baseline, later ones replace *last.  msg gets
 * why there are none.  0, or -1 with err set. */
int cli_sites_census(struct heap *h, struct graph *g, struct sites_census **out, char *msg,
		     size_t cap, struct hs_err *err)
{
	struct sites *S = NULL;
	*out = NULL;
	if (sites_load(heap_ctx(h), &S, err) || sites_census_take(S, g, out, err)) {
		sites_free(S);
		return -1;
	}
	snprintf(msg, cap, "%s", sites_why(S));
	sites_free(S);
	return 0;
}

static int watch_sites(struct snap *x, struct sites_census **base, struct sites_census **last,
		       char *msg, size_t cap, struct hs_err *err)
{
	struct sites_census *c = NULL;
	if (cli_sites_census(x->h, x->g, &c, msg, cap, err))
		return -1;
	if (!*base) {
		*base = c;
	} else {
		sites_census_free(*last);
		*last = c;
	}
	return 0;
}

/* Growth by allocation site since the baseline: JSON "sites", or text. */
void cli_sites_growth(struct json *j, const struct sites_census *base,
			       const struct sites_census *last, const char *msg, size_t rows)
{
	struct sites_delta *d = NULL;
	long n = sites_census_on(base) ? sites_census_diff(base, last ? last : base, &d) : 0;
	size_t shown = 0;
	char b1[32];
	if (j) {
		json_key(j, "sites");
		json_obj(j);
		json_key(j, "state"); json_str(j, sites_census_on(base) ? "on" : "off");
		json_key(j, "why"); json_str(j, msg);
		json_key(j, "growth");
		json_arr(j);
		for (long i = 0; i < n && shown < rows; i++) {
			if (d[i].dcount <= 0 && d[i].dbytes <= 0)
				continue;
			json_obj(j);
			json_key(j, "site"); json_str(j, d[i].site);
			json_key(j, "count0"); json_uint(j, d[i].count0);
			json_key(j, "count1"); json_uint(j, d[i].count1);
			json_key(j, "dcount"); json_int(j, d[i].dcount);
			json_key(j, "bytes0"); json_uint(j, d[i].bytes0);
			json_key(j, "bytes1"); json_uint(j, d[i].bytes1);
			json_key(j, "dbytes"); json_int(j, d[i].dbytes);
			json_end(j);
			shown++;
		}
		json_end(j);
		json_end(j);
	} else if (sites_census_on(base)) {
		printf("  growth by allocation site (tracemalloc; objects, traced bytes):\n");
		for (long i = 0; i < n && shown < rows; i++) {
			if (d[i].dcount <= 0 && d[i].dbytes <= 0)
				continue;
			printf("  %+10ld %10s%s  %s\n", (long)d[i].dcount,
			       fmt_bytes((uint64_t)(d[i].dbytes < 0 ? -d[i].dbytes : d[i].dbytes), b1, sizeof b1),
			       d[i].dbytes < 0 ? "-" : "+", d[i].site);
			shown++;
		}
		if (!shown)
			printf("  no allocation site grew\n");
	}
	free(d);
}

int cmd_watch(int argc, char **argv)
{
	static const char *const allowed[] = {"--interval", "--count", "--fail-if-grows", NULL};
	struct cli o;
	struct lopts lo;
	struct hs_err err = {0};
	struct snap cur = {0};
	struct diff_base *base = NULL, *prev = NULL, *last = NULL;
	struct watch_snap *hist = NULL;
	struct sites_census *sc_base = NULL, *sc_last = NULL;
	char sites_msg[512] = "";
	size_t nhist = 0;
	pid_t pid;
	int rc = 0;

	if (take_opts(&argc, argv, allowed, &lo, &err) || cli_parse(argc, argv, &o, &err) ||
	    cli_pid(&o, 0, &pid, &err)) {
		free_opts(&lo);
		return cli_fail(&err);
	}
	if (o.file) {
		free_opts(&lo);
		hs_fail(&err, HS_ERR_USAGE, "watch needs a running process, not the snapshot "
			"file %s; compare two files with `heapscope diff OLD NEW`", o.file);
		return cli_fail(&err);
	}
	if (lo.interval <= 0) {
		free_opts(&lo);
		hs_fail(&err, HS_ERR_USAGE, "watch needs --interval SECONDS (time between snapshots)");
		return cli_fail(&err);
	}
	size_t rows_shown = o.top > 0 ? (size_t)o.top : DEFAULT_WATCH_ROWS;
	/* every snapshot after the first copies only what changed */
	if (!o.no_soft_dirty && !o.no_freeze)
		o.incr = live_incr_new();
	catch_stop();
	double t_start = now_ms();
	for (long k = 0; !g_stop && (lo.count == 0 || k <= lo.count); k++) {
		/* snapshot k is due at start + k * interval, however long the
		 * previous one took (it is never skipped, only late) */
		double wait = k ? (t_start + k * lo.interval * 1e3 - now_ms()) / 1e3 : 0;
		if (k && nap(wait > 0 ? wait : 0))
			break;
		struct snap nx;
		if ((err.code = snap_open(&o, pid, 0, &nx, &err)) != HS_OK) {
			if (g_stop)
				break;
			rc = cli_fail(&err);
			goto out;
		}
		struct diff_base *b;
		if (diff_base_take(nx.h, nx.g, nx.t, &b, &err)) {
			snap_close(&nx);
			rc = cli_fail(&err);
			goto out;
		}
		if (watch_sites(&nx, &sc_base, &sc_last, sites_msg, sizeof sites_msg, &err)) {
			snap_close(&nx);
			diff_base_free(b);
			rc = cli_fail(&err);
			goto out;
		}
		struct watch_snap *nh = realloc(hist, (nhist + 1) * sizeof *hist);
		if (!nh) {
			snap_close(&nx);
			diff_base_free(b);
			hs_fail(&err, HS_ERR_NOMEM, "out of memory");
			rc = cli_fail(&err);
			goto out;
		}
		hist = nh;
		hist[nhist++] = (struct watch_snap){
			base ? (nx.t - diff_base_time(base)) / 1e3 : 0, diff_base_objects(b),
			diff_base_bytes(b), mem_info(nx.s->mem)->pause_ms, graph_stats(nx.g)->build_ms,
			mem_info(nx.s->mem)->bytes_copied, mem_info(nx.s->mem)->bytes_reused,
			pid ? proc_rss(pid) : 0};
		/* keep only the newest snapshot (for the final paths) */
		snap_close(&cur);
		cur = nx;
		char b1[32], b2[32];
		if (!base) {
			base = b;
			if (!o.json) {
				cli_text_header(stdout, nx.s, nx.h);
				printf("baseline: %lu objects, %s; a snapshot every %.1f s%s\n",
				       (unsigned long)diff_base_objects(b), fmt_bytes(diff_base_bytes(b), b1, sizeof b1),
				       lo.interval, lo.count ? "" : " until Ctrl-C");
				fflush(stdout);
			}
			continue;
		}
		if (prev != base)
			diff_base_free(prev);
		prev = last;
		last = b;
		if (!o.json) {
			const struct diff_base *p0 = prev ? prev : base;
			struct diff_type_row *r;
			long nr = diff_types(p0, b, &r);
			double dt = (diff_base_time(b) - diff_base_time(p0)) / 1e3;
			double tt = (diff_base_time(b) - diff_base_time(base)) / 1e3;
			int64_t dobj = (int64_t)diff_base_objects(b) - (int64_t)diff_base_objects(base);
			int64_t dbytes = (int64_t)diff_base_bytes(b) - (int64_t)diff_base_bytes(base);
			printf("\n+%.1f s: %lu objects (%+ld since start), %s (%s%s)", tt,
			       (unsigned long)diff_base_objects(b), (long)dobj,
			       fmt_bytes(diff_base_bytes(b), b1, sizeof b1), dbytes < 0 ? "-" : "+",
			       fmt_bytes((uint64_t)(dbytes < 0 ? -dbytes : dbytes), b2, sizeof b2));
			if (hist[0].rss && hist[nhist - 1].rss) {
				int64_t dr = (int64_t)hist[nhist - 1].rss - (int64_t)hist[0].rss;
				printf("; RSS %s (%s", fmt_bytes(hist[nhist - 1].rss, b1, sizeof b1), dr < 0 ? "-" : "+");
				printf("%s)", fmt_bytes((uint64_t)(dr < 0 ? -dr : dr), b2, sizeof b2));
			}
			printf("\n");
			printf("  %10s %10s %12s %10s  %s\n", "count", "change", "bytes", "per s", "type");
			size_t shown = 0;
			for (long i = 0; i < nr && shown < rows_shown; i++) {
				if (!r[i].dcount && !r[i].dsize)
					continue;
				if (r[i].dcount <= 0 && shown)
					break;
				char sz[32];
				int64_t ds = r[i].dsize;
				snprintf(sz, sizeof sz, "%s%s", ds < 0 ? "-" : "+",
					 fmt_bytes((uint64_t)(ds < 0 ? -ds : ds), b1, sizeof b1));
				printf("  %10lu %+10ld %12s %10.1f  %s\n", (unsigned long)r[i].count1,
				       (long)r[i].dcount, sz, dt > 0 ? r[i].dcount / dt : 0.0, r[i].name);
				shown++;
			}
			if (!shown)
				printf("  no type changed\n");
			free(r);
			fflush(stdout);
		}
	}
	if (!base) {
		hs_fail(&err, HS_ERR_INTERRUPTED, "interrupted before the first snapshot");
		rc = cli_fail(&err);
		goto out;
	}
	/* ---- summary: since the baseline ---- */
	{
		const struct diff_base *fin = last ? last : base;
		struct diff_type_row *r = NULL;
		long nr = diff_types(base, fin, &r);
		double tt = (diff_base_time(fin) - diff_base_time(base)) / 1e3;
		struct diff_new news[NEW_TYPES_SHOWN + MAX_CHECKS];
		size_t nnew = 0;
		int failed[MAX_CHECKS] = {0};
		int64_t grew[MAX_CHECKS] = {0}, grew_bytes[MAX_CHECKS] = {0};
		uint64_t c0[MAX_CHECKS] = {0}, c1[MAX_CHECKS] = {0};
		char b1[32];
		if (nr < 0)
			nr = 0;
		/* the RSS grew and the Python objects did not: native memory */
		char native_msg[256] = "";
		int native = nhist > 1 && hist[0].rss && hist[nhist - 1].rss &&
			     rss_native_growth((int64_t)hist[nhist - 1].rss - (int64_t)hist[0].rss,
					       (int64_t)hist[nhist - 1].bytes - (int64_t)hist[0].bytes,
					       native_msg, sizeof native_msg);
		/* where the new objects of the fastest growing types live */
		if (last) {
			for (long i = 0; i < nr && nnew < NEW_TYPES_SHOWN; i++) {
				if (r[i].dcount <= 0)
					break;
				if (diff_new_objects(base, cur.h, cur.g, r[i].name, 0, &news[nnew]) == 0)
					nnew++;
			}
		}
		for (int c = 0; c < lo.nchecks; c++) {
			type_delta(r, nr, lo.checks[c].type, &grew[c], &grew_bytes[c], &c0[c], &c1[c]);
			failed[c] = grew[c] > lo.checks[c].limit;
			if (failed[c])
				rc = EXIT_GREW;
			int have = 0;
			for (size_t q = 0; q < nnew; q++)
				have |= !strcmp(news[q].type, lo.checks[c].type) ||
					(strlen(news[q].type) > strlen(lo.checks[c].type) &&
					 !strcmp(news[q].type + strlen(news[q].type) - strlen(lo.checks[c].type),
						 lo.checks[c].type));
			if (failed[c] && !have && last &&
			    diff_new_objects(base, cur.h, cur.g, lo.checks[c].type, 0, &news[nnew]) == 0)
				nnew++;
		}
		if (o.json) {
			struct json j;
			json_init(&j, stdout);
			json_obj(&j);
			cli_json_header(&j, cur.s, cur.h);
			json_key(&j, "interval_s"); json_num(&j, lo.interval);
			/* re-snapshots read only written pages (soft-dirty), or why not */
			const char *inote = !o.incr ? (o.no_freeze ? "--no-freeze" : "--no-soft-dirty")
						    : live_incr_note(o.incr);
			json_key(&j, "incremental"); json_bool(&j, !inote);
			json_key(&j, "incremental_note");
			if (inote) json_str(&j, inote); else json_null(&j);
			json_key(&j, "elapsed_s"); json_num(&j, tt);
			json_key(&j, "snapshots");
			json_arr(&j);
			for (size_t i = 0; i < nhist; i++) {
				json_obj(&j);
				json_key(&j, "t_s"); json_num(&j, hist[i].t_s);
				json_key(&j, "objects"); json_uint(&j, hist[i].objects);
				json_key(&j, "bytes"); json_uint(&j, hist[i].bytes);
				json_key(&j, "pause_ms"); json_num(&j, hist[i].pause_ms);
				json_key(&j, "graph_ms"); json_num(&j, hist[i].graph_ms);
				json_key(&j, "copied_bytes"); json_uint(&j, hist[i].copied);
				json_key(&j, "reused_bytes"); json_uint(&j, hist[i].reused);
				json_end(&j);
			}
			json_end(&j);
			json_key(&j, "types");
			json_arr(&j);
			for (long i = 0; i < nr; i++) {
				if (!r[i].dcount && !r[i].dsize)
					continue;
				json_obj(&j);
				json_key(&j, "type"); json_str(&j, r[i].name);
				json_key(&j, "count0"); json_uint(&j, r[i].count0);
				json_key(&j, "count1"); json_uint(&j, r[i].count1);
				json_key(&j, "dcount"); json_int(&j, r[i].dcount);
				json_key(&j, "size0"); json_uint(&j, r[i].size0);
				json_key(&j, "size1"); json_uint(&j, r[i].size1);
				json_key(&j, "dsize"); json_int(&j, r[i].dsize);
				json_key(&j, "count_per_s"); json_num(&j, tt > 0 ? r[i].dcount / tt : 0);
				json_key(&j, "bytes_per_s"); json_num(&j, tt > 0 ? r[i].dsize / tt : 0);
				json_end(&j);
			}
			json_end(&j);
			json_key(&j, "new");
			json_arr(&j);
			for (size_t q = 0; q < nnew; q++)
				json_new(&j, cur.g, &news[q]);
			json_end(&j);
			json_key(&j, "checks");
			json_arr(&j);
			for (int c = 0; c < lo.nchecks; c++) {
				json_obj(&j);
				json_key(&j, "type"); json_str(&j, lo.checks[c].type);
				json_key(&j, "limit"); json_int(&j, lo.checks[c].limit);
				json_key(&j, "count0"); json_uint(&j, c0[c]);
				json_key(&j, "count1"); json_uint(&j, c1[c]);
				json_key(&j, "grew"); json_int(&j, grew[c]);
				json_key(&j, "grew_bytes"); json_int(&j, grew_bytes[c]);
				json_key(&j, "passed"); json_bool(&j, !failed[c]);
				json_end(&j);
			}
			json_end(&j);
			json_key(&j, "native_growth");
			if (native)
				json_str(&j, native_msg);
			else
				json_null(&j);
			cli_sites_growth(&j, sc_base, sc_last, sites_msg, rows_shown);
			json_key(&j, "passed"); json_bool(&j, rc == 0);
			json_end(&j);
			json_done(&j);
		} else {
			printf("\nover %.1f s (%zu snapshots):\n", tt, nhist);
			if (native)
				printf("  %s\n", native_msg);
			for (size_t q = 0; q < nnew; q++) {
				printf("  %lu new %s (%s)", (unsigned long)news[q].count, news[q].type,
				       fmt_bytes(news[q].bytes, b1, sizeof b1));
				if (news[q].sampled < news[q].count)
					printf(", paths of %lu sampled", (unsigned long)news[q].sampled);
				printf(":\n");
				print_patterns(&news[q], "    ");
			}
			if (!nnew)
				printf("  no type grew\n");
			cli_sites_growth(NULL, sc_base, sc_last, sites_msg, rows_shown);
			for (int c = 0; c < lo.nchecks; c++) {
				char sz[32];
				int64_t ds = grew_bytes[c];
				snprintf(sz, sizeof sz, "%s%s", ds < 0 ? "-" : "+",
					 fmt_bytes((uint64_t)(ds < 0 ? -ds : ds), b1, sizeof b1));
				printf("%s: %s grew by %+ld objects (%lu -> %lu, %s, %.1f/s); limit %ld\n",
				       failed[c] ? "FAIL" : "ok", lo.checks[c].type, (long)grew[c],
				       (unsigned long)c0[c], (unsigned long)c1[c], sz, tt > 0 ? grew[c] / tt : 0.0,
				       lo.checks[c].limit);
			}
		}
		if (rc == EXIT_GREW) {
			for (int c = 0; c < lo.nchecks; c++)
				if (failed[c])
					fprintf(stderr, "heapscope: %s grew by %ld objects in %.1f s (limit %ld)\n",
						lo.checks[c].type, (long)grew[c], tt, lo.checks[c].limit);
		}
		for (size_t q = 0; q < nnew; q++)
			diff_new_fini(&news[q]);
		free(r);
	}
out:
	if (prev != base)
		diff_base_free(prev);
	if (last != base)
		diff_base_free(last);
	diff_base_free(base);
	sites_census_free(sc_base);
	sites_census_free(sc_last);
	snap_close(&cur);
	live_incr_free(o.incr);
	free(hist);
	free_opts(&lo);
	return rc;
}
