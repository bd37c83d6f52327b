/* `heapscope objects | referents | referrers | path`: the object graph.
 *
 *   objects PID --type NAME [--sort size|refcnt|addr] [--limit N]
 *   referents PID ADDR...        what ADDR holds, as tp_traverse visits it
 *   referrers PID ADDR... [--limit N]   who holds ADDR
 *   path PID ADDR [--max N]      shortest chains from a root to ADDR
 *
 * ADDR is hex "0x…" (as `objects` prints it) or a decimal id(); "@FILE"
 * reads one address per line, so a script can ask about thousands of
 * objects from one snapshot.  With several addresses the JSON answer is
 * {"results": [...]} with one entry per address; with one it is flat.
 * Every run takes one snapshot, builds the graph once (graph_ms in the
 * JSON) and times the queries (query_ms).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "graph.h"

#define TEXT_ROWS_DEFAULT 200     /* referents/referrers rows in text mode */
#define TEXT_HOPS_SHOWN 12        /* path hops listed at each end in text mode */
#define DEFAULT_PATHS 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ==== Arguments ==== */


struct addrs {
	raddr_t *v;
	size_t n, cap;
	int batch;      /* more than one, or from a file: answer with "results" */
};

static int addrs_push(struct addrs *a, raddr_t x)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 16;
		raddr_t *nv = realloc(a->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		a->v = nv;
		a->cap = nc;
	}
	a->v[a->n++] = x;
	return 0;
}

static enum hs_status read_addr_file(const char *path, struct addrs *a, struct hs_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[128];
	long lineno = 0;
	if (!f)
		return hs_fail(err, HS_ERR_USAGE, "cannot open address file '%s': %s", path,
			       strerror(errno));
	while (fgets(line, sizeof line, f)) {
		raddr_t x;
		lineno++;
		if (line[strspn(line, " \t\r\n")] == 0 || line[0] == '#')
			continue;
		if (cli_parse_addr(line, &x) != 0) {
			if (f != stdin)
				fclose(f);
			return hs_fail(err, HS_ERR_USAGE, "%s:%ld: '%.40s' is not an address", path,
				       lineno, line);
		}
		if (addrs_push(a, x) != 0) {
			if (f != stdin)
				fclose(f);
			return hs_fail(err, HS_ERR_NOMEM, "out of memory reading %s", path);
		}
	}
	if (f != stdin)
		fclose(f);
	a->batch = 1;
	return HS_OK;
}

/* Positional arguments from index 1 on: addresses or @FILE. */
static enum hs_status parse_addrs(const struct cli *o, const char *cmd, struct addrs *a,
				  struct hs_err *err)
{
	memset(a, 0, sizeof *a);
	if (o->npos < 2)
		return hs_fail(err, HS_ERR_USAGE,
			       "%s needs an object address (hex 0x… as `heapscope objects` prints it, "
			       "or a decimal id()), or @FILE with one address per line", cmd);
	for (int i = 1; i < o->npos; i++) {
		enum hs_status st;
		raddr_t x;
		if (o->pos[i][0] == '@') {
			if ((st = read_addr_file(o->pos[i] + 1, a, err)) != HS_OK)
				return st;
		} else if (cli_parse_addr(o->pos[i], &x) != 0) {
			return hs_fail(err, HS_ERR_USAGE,
				       "'%s' is not an address (hex 0x… or decimal id())", o->pos[i]);
		} else if (addrs_push(a, x) != 0) {
			return hs_fail(err, HS_ERR_NOMEM, "out of memory");
		}
	}
	if (a->n > 1)
		a->batch = 1;
	return HS_OK;
}

/* ==== Session: snapshot + census + graph ==== */

struct session {
	struct cli o;
	pid_t pid;
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g;
	double t_query;
};

static enum hs_status session_open(struct session *ss, int argc, char **argv,
				   struct hs_err *err)
{
	enum hs_status st;
	memset(ss, 0, sizeof *ss);
	if ((st = cli_parse(argc, argv, &ss->o, err)) != HS_OK ||
	    (st = cli_pid(&ss->o, 0, &ss->pid, err)) != HS_OK)
		return st;
	return HS_OK;
}

static enum hs_status session_attach(struct session *ss, struct hs_err *err)
{
	enum hs_status st;
	if ((st = cli_open(&ss->o, ss->pid, &ss->s, &ss->h, err)) != HS_OK)
		return st;
	if ((st = graph_build(ss->h, &ss->g, err)) != HS_OK)
		return st;
	ss->t_query = now_ms();
	return HS_OK;
}

static void session_close(struct session *ss)
{
	graph_free(ss->g);
	if (ss->s)
		cli_close(ss->s, ss->h);
}

/* body_key: see cli_json_header_as. */
static void json_graph_header(struct json *j, struct session *ss, const char *body_key)
{
	const struct graph_stats *st = graph_stats(ss->g);
	cli_json_header_as(j, ss->s, ss->h, body_key);
	json_key(j, "graph_ms"); json_num(j, st->build_ms);
	json_key(j, "graph");
	json_obj(j);
	json_key(j, "objects"); json_uint(j, st->objects);
	json_key(j, "tracked"); json_uint(j, st->tracked);
	json_key(j, "ref_entries"); json_uint(j, st->ref_entries);
	json_key(j, "weak_edges"); json_uint(j, st->weak_edges);
	json_key(j, "dangling"); json_uint(j, st->dangling);
	json_key(j, "conservative_types"); json_uint(j, st->conservative_types);
	json_key(j, "roots"); json_uint(j, st->roots);
	json_key(j, "index_bytes"); json_uint(j, st->bytes);
	json_key(j, "phases_ms");
	json_obj(j);
	json_key(j, "index"); json_num(j, st->index_ms);
	json_key(j, "symbols"); json_num(j, st->syms_ms);
	json_key(j, "roots"); json_num(j, st->roots_ms);
	json_key(j, "walk"); json_num(j, st->walk_ms);
	json_key(j, "fill"); json_num(j, st->fill_ms);
	json_end(j);
	json_end(j);
}

static void text_graph_header(struct session *ss)
{
	const struct graph_stats *st = graph_stats(ss->g);
	char b[32];
	cli_text_header(stdout, ss->s, ss->h);
	printf("graph: %u objects (%u GC-tracked), %lu references, %u roots, built in %.0f ms, %s",
	       st->objects, st->tracked, (unsigned long)st->ref_entries, st->roots, st->build_ms,
	       fmt_bytes(st->bytes, b, sizeof b));
	if (st->dangling)
		printf(", %lu dangling pointers skipped", (unsigned long)st->dangling);
	printf("\n");
}

/* ==== Rows ==== */

static void json_obj_fields(struct json *j, struct graph *g, graph_obj_t o)
{
	char buf[256];
	int imm;
	int64_t rc = graph_refcnt(g, o, &imm);
	json_key(j, "addr"); json_addr(j, graph_addr(g, o));
	json_key(j, "type"); json_str(j, graph_type_name(g, o, buf, sizeof buf));
	json_key(j, "size"); json_uint(j, graph_size(g, o));
	json_key(j, "refcnt");
	if (imm) json_str(j, "immortal"); else json_int(j, rc);
	json_key(j, "tracked"); json_bool(j, graph_tracked(g, o));
	json_key(j, "exact"); json_bool(j, graph_exact(g, o));
	json_key(j, "gen");
	if (graph_gen(g, o) >= 0) json_int(j, graph_gen(g, o)); else json_null(j);
	json_key(j, "value"); json_str(j, graph_value(g, o, buf, sizeof buf));
}

/* "0x7f… dict  232 B  {'a': 1}" */
static void text_obj(struct graph *g, graph_obj_t o, int typew)
{
	char type[128], val[160], b[32];
	printf("%#14lx  %-*s %10s  %s", (unsigned long)graph_addr(g, o), typew,
	       graph_type_name(g, o, type, sizeof type), fmt_bytes(graph_size(g, o), b, sizeof b),
	       graph_value(g, o, val, sizeof val));
}

static void text_obj_header(struct graph *g, graph_obj_t o)
{
	char type[128], val[256], b[32];
	int imm;
	int64_t rc = graph_refcnt(g, o, &imm);
	printf("%#lx  %s  %s  refcnt %s", (unsigned long)graph_addr(g, o),
	       graph_type_name(g, o, type, sizeof type), fmt_bytes(graph_size(g, o), b, sizeof b),
	       imm ? "immortal" : (snprintf(val, sizeof val, "%ld", (long)rc), val));
	if (graph_tracked(g, o))
		printf("  GC gen %d%s", graph_gen(g, o) == 3 ? 2 : graph_gen(g, o),
		       graph_gen(g, o) == 3 ? " (frozen)" : "");
	else
		printf("  not GC-tracked");
	printf("\n  %s\n", graph_value(g, o, val, sizeof val));
}

static const char *edge_via(const struct graph_edge *e)
{
	if (e->flags & GRAPH_EF_WEAK)
		return "weak";
	if (e->flags & GRAPH_EF_CONSERVATIVE)
		return "scan";
	if (e->flags & GRAPH_EF_TRAVERSE)
		return "traverse";
	return "owned";
}

static void json_edge_flags(struct json *j, const struct graph_edge *e)
{
	json_key(j, "traverse"); json_bool(j, !!(e->flags & GRAPH_EF_TRAVERSE));
	json_key(j, "weak"); json_bool(j, !!(e->flags & GRAPH_EF_WEAK));
	json_key(j, "conservative"); json_bool(j, !!(e->flags & GRAPH_EF_CONSERVATIVE));
}

/* Look an address up; explain when it is not an object we know. */
static graph_obj_t find_or_explain(struct session *ss, raddr_t a, char *why, size_t cap)
{
	graph_obj_t o = graph_find(ss->g, a);
	if (o != GRAPH_NONE)
		return o;
	const struct pytype *t = py_type_of_obj(heap_ctx(ss->h), a);
	if (t && !(a & 7))
		snprintf(why, cap,
			 "%#lx looks like a %s object but nothing in the heap refers to it "
			 "(freed since, or held only by C code)", (unsigned long)a, t->qualname);
	else
		snprintf(why, cap,
			 "no Python object at %#lx in process %d; addresses come from "
			 "`heapscope objects %d --type NAME`, another graph command, or hex(id(obj))",
			 (unsigned long)a, (int)ss->pid, (int)ss->pid);
	return GRAPH_NONE;
}

/* Exit status and stderr for addresses that were not found. */
static int finish(struct session *ss, const struct addrs *a, size_t missing, const char *why)
{
	int rc = 0;
	if (missing) {
		struct hs_err err;
		if (a->batch)
			hs_fail(&err, HS_ERR_NOT_FOUND,
				"%zu of %zu addresses are not objects in this snapshot (see \"error\" "
				"in the results); addresses come from `heapscope objects %d --type NAME`",
				missing, a->n, (int)ss->pid);
		else
			hs_fail(&err, HS_ERR_NOT_FOUND, "%s", why);
		rc = cli_fail(&err);
	}
	session_close(ss);
	free(a->v);
	return rc;
}

/* ==== referents ==== */

static void referents_json_one(struct json *j, struct graph *g, graph_obj_t o, long limit)
{
	const struct graph_edge *e;
	size_t n = graph_referents(g, o, &e);
	size_t shown = limit > 0 && (size_t)limit < n ? (size_t)limit : n;
	char label[256];
	json_key(j, "object");
	json_obj(j);
	json_obj_fields(j, g, o);
	json_end(j);
	json_key(j, "count"); json_uint(j, n);
	json_key(j, "referents");
	json_arr(j);
	for (size_t i = 0; i < shown; i++) {
		json_obj(j);
		json_key(j, "label"); json_str(j, graph_edge_label(g, &e[i], label, sizeof label));
		json_edge_flags(j, &e[i]);
		json_obj_fields(j, g, e[i].to);
		json_end(j);
	}
	json_end(j);
	json_key(j, "truncated"); json_bool(j, shown < n);
}

static void referents_text_one(struct graph *g, graph_obj_t o, long limit)
{
	const struct graph_edge *e;
	size_t n = graph_referents(g, o, &e);
	size_t shown = (size_t)limit < n ? (size_t)limit : n;
	char label[256];
	text_obj_header(g, o);
	printf("referents (%zu):\n", n);
	for (size_t i = 0; i < shown; i++) {
		printf("  %-24s %-8s ", graph_edge_label(g, &e[i], label, sizeof label),
		       edge_via(&e[i]));
		text_obj(g, e[i].to, 16);
		printf("\n");
	}
	if (shown < n)
		printf("  … %zu more (--limit N to see more)\n", n - shown);
	printf("  (traverse: gc.get_referents() sees it; owned: a reference tp_traverse skips;\n"
	       "   weak: does not keep it alive; scan: found by scanning an undecodable type)\n");
}


/* ==== referrers ==== */

#define MAX_LABELS 8

static void referrers_json_one(struct json *j, struct graph *g, graph_obj_t o, long limit)
{
	size_t n, nw;
	const graph_obj_t *rs = graph_referrer_objs(g, o, &n);
	const graph_obj_t *ws;
	struct graph_edge e[MAX_LABELS];
	char label[256];
	json_key(j, "object");
	json_obj(j);
	json_obj_fields(j, g, o);
	json_end(j);
	json_key(j, "count"); json_uint(j, n);
	json_key(j, "referrers");
	json_arr(j);
	size_t shown = 0;
	for (size_t i = 0; i < n && (limit <= 0 || shown < (size_t)limit); i++) {
		if (rs[i] == GRAPH_NONE)
			continue;
		size_t ne = graph_edges_between(g, rs[i], o, e, MAX_LABELS);
		int traverse = 0;
		json_obj(j);
		json_obj_fields(j, g, rs[i]);
		json_key(j, "labels");
		json_arr(j);
		for (size_t k = 0; k < ne; k++) {
			if (e[k].flags & GRAPH_EF_WEAK)
				continue;
			traverse |= !!(e[k].flags & GRAPH_EF_TRAVERSE);
			json_str(j, graph_edge_label(g, &e[k], label, sizeof label));
		}
		json_end(j);
		json_key(j, "traverse"); json_bool(j, traverse);
		json_end(j);
		shown++;
	}
	json_end(j);
	json_key(j, "truncated"); json_bool(j, shown < n);
	nw = graph_weak_referrers(g, o, &ws);
	json_key(j, "weak_referrers");
	json_arr(j);
	for (size_t i = 0; i < nw; i++) {
		json_obj(j);
		json_obj_fields(j, g, ws[i]);
		json_end(j);
	}
	json_end(j);
}

static void referrers_text_one(struct graph *g, graph_obj_t o, long limit)
{
	size_t n, nw;
	const graph_obj_t *rs = graph_referrer_objs(g, o, &n);
	const graph_obj_t *ws;
	struct graph_edge e[MAX_LABELS];
	char label[256], labels[512];
	text_obj_header(g, o);
	printf("referrers (%zu):\n", n);
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < (size_t)limit; i++) {
		if (rs[i] == GRAPH_NONE)
			continue;
		size_t ne = graph_edges_between(g, rs[i], o, e, MAX_LABELS);
		labels[0] = 0;
		for (size_t k = 0; k < ne; k++) {
			if (e[k].flags & GRAPH_EF_WEAK)
				continue;
			size_t len = strlen(labels);
			snprintf(labels + len, sizeof labels - len, "%s%s", len ? ", " : "",
				 graph_edge_label(g, &e[k], label, sizeof label));
		}
		printf("  %-24s ", labels);
		text_obj(g, rs[i], 16);
		printf("\n");
		shown++;
	}
	if (shown < n)
		printf("  … %zu more (--limit N to see more)\n", n - shown);
	nw = graph_weak_referrers(g, o, &ws);
	if (nw) {
		printf("weakly referenced by (%zu, not keeping it alive):\n", nw);
		for (size_t i = 0; i < nw && i < (size_t)limit; i++) {
			printf("  %-24s ", "");
			text_obj(g, ws[i], 16);
			printf("\n");
		}
	}
}


/* ==== path ==== */

static const char *root_kind_name(enum root_kind k)
{
	switch (k) {
	case ROOT_MODULE: return "module";
	case ROOT_THREAD_FRAME: return "thread_frame";
	case ROOT_BUILTINS: return "builtins";
	case ROOT_SYS: return "sys";
	case ROOT_CLASS: return "class";
	case ROOT_GARBAGE: return "gc_garbage";
	case ROOT_MODULES: return "sys_modules";
	case ROOT_THREAD_STATE: return "thread_state";
	}
	return "?";
}

static const char no_path_text[] =
	"no path from a root: nothing reachable from sys.modules, the threads' stacks and "
	"exception state, builtins, sys, gc.garbage or a static class holds it. It is kept alive by a "
	"reference cycle that is garbage (gc.collect() would free it) or by C code "
	"(an extension's private reference); `referrers` shows who holds it";

static void path_json_one(struct json *j, struct graph *g, graph_obj_t o, long max)
{
	struct graph_path *p;
	size_t np = graph_paths(g, o, (size_t)max, &p);
	char text[2048], buf[256];
	json_key(j, "object");
	json_obj(j);
	json_obj_fields(j, g, o);
	json_end(j);
	json_key(j, "paths");
	json_arr(j);
	for (size_t i = 0; i < np; i++) {
		json_obj(j);
		json_key(j, "root");
		json_obj(j);
		json_key(j, "kind"); json_str(j, root_kind_name(p[i].root->kind));
		json_key(j, "label"); json_str(j, p[i].root->label);
		json_key(j, "addr");
		if (p[i].root->obj != GRAPH_NONE) json_addr(j, graph_addr(g, p[i].root->obj));
		else json_null(j);
		json_end(j);
		json_key(j, "text"); json_str(j, graph_path_text(g, &p[i], text, sizeof text));
		json_key(j, "hops");
		json_arr(j);
		for (size_t k = 0; k < p[i].n; k++) {
			const struct graph_edge *e = &p[i].edges[k];
			json_obj(j);
			json_key(j, "label"); json_str(j, graph_edge_label(g, e, buf, sizeof buf));
			json_key(j, "from");
			if (e->from != GRAPH_NONE) json_addr(j, graph_addr(g, e->from)); else json_null(j);
			json_key(j, "to"); json_addr(j, graph_addr(g, e->to));
			json_key(j, "to_type"); json_str(j, graph_type_name(g, e->to, buf, sizeof buf));
			json_edge_flags(j, e);
			json_end(j);
		}
		json_end(j);
		json_end(j);
	}
	json_end(j);
	if (!np) {
		json_key(j, "no_path"); json_str(j, no_path_text);
	}
	graph_paths_free(p, np);
}

static void path_text_one(struct graph *g, graph_obj_t o, long max)
{
	struct graph_path *p;
	size_t np = graph_paths(g, o, (size_t)max, &p);
	char text[2048], label[256];
	text_obj_header(g, o);
	if (!np) {
		printf("%s\n", no_path_text);
		return;
	}
	printf("%zu path%s from a root (shortest first):\n", np, np == 1 ? "" : "s");
	for (size_t i = 0; i < np; i++) {
		printf("%2zu. %s\n", i + 1, graph_path_text(g, &p[i], text, sizeof text));
		for (size_t k = 0; k < p[i].n; k++) {
			const struct graph_edge *e = &p[i].edges[k];
			if (p[i].n > 2 * TEXT_HOPS_SHOWN && k == TEXT_HOPS_SHOWN) {
				printf("      … %zu more hops …\n", p[i].n - 2 * TEXT_HOPS_SHOWN);
				k = p[i].n - TEXT_HOPS_SHOWN - 1;
				continue;
			}
			printf("      %-28s → ", graph_edge_label(g, e, label, sizeof label));
			text_obj(g, e->to, 16);
			printf("\n");
		}
	}
	graph_paths_free(p, np);
}


/* ==== One driver for referents, referrers and path ====
 * Each answers per address, for one or many (batch / @FILE) addresses, in
 * text or JSON; only the per-object printers and their row budget differ. */

struct per_addr {
	const char *name;
	long (*amount)(const struct cli *o);   /* rows / paths per object */
	void (*json_one)(struct json *j, struct graph *g, graph_obj_t o, long n);
	void (*text_one)(struct graph *g, graph_obj_t o, long n);
};

static long rows_amount(const struct cli *o)
{
	return o->top > 0 ? o->top : o->json ? 0 : TEXT_ROWS_DEFAULT;
}

static long paths_amount(const struct cli *o)
{
	return o->max > 0 ? o->max : DEFAULT_PATHS;
}

static int run_per_addr(const struct per_addr *pa, int argc, char **argv)
{
	struct session ss;
	struct hs_err err = {0};
	struct addrs a = {0};
	char why[512] = "";
	size_t missing = 0;

	if (session_open(&ss, argc, argv, &err) || parse_addrs(&ss.o, pa->name, &a, &err) ||
	    session_attach(&ss, &err)) {
		session_close(&ss);
		free(a.v);
		return cli_fail(&err);
	}
	long n = pa->amount(&ss.o);
	struct json j;
	if (ss.o.json) {
		json_init(&j, stdout);
		json_obj(&j);
		json_graph_header(&j, &ss, NULL);
		if (a.batch) {
			json_key(&j, "results");
			json_arr(&j);
		}
	} else {
		text_graph_header(&ss);
	}
	for (size_t i = 0; i < a.n; i++) {
		graph_obj_t o = find_or_explain(&ss, a.v[i], why, sizeof why);
		if (o == GRAPH_NONE)
			missing++;
		if (ss.o.json) {
			if (a.batch)
				json_obj(&j);
			json_key(&j, "addr"); json_addr(&j, a.v[i]);
			if (o == GRAPH_NONE) {
				json_key(&j, "error"); json_str(&j, why);
			} else {
				pa->json_one(&j, ss.g, o, n);
			}
			if (a.batch)
				json_end(&j);
		} else if (o != GRAPH_NONE) {
			printf("\n");
			pa->text_one(ss.g, o, n);
		} else if (a.batch) {
			printf("\n%s\n", why);
		}
	}
	if (ss.o.json) {
		if (a.batch)
			json_end(&j);
		json_key(&j, "query_ms"); json_num(&j, now_ms() - ss.t_query);
		json_end(&j);
		json_done(&j);
	}
	return finish(&ss, &a, missing, why);
}

int cmd_referents(int argc, char **argv)
{
	static const struct per_addr pa = {"referents", rows_amount,
					   referents_json_one, referents_text_one};
	return run_per_addr(&pa, argc, argv);
}

int cmd_referrers(int argc, char **argv)
{
	static const struct per_addr pa = {"referrers", rows_amount,
					   referrers_json_one, referrers_text_one};
	return run_per_addr(&pa, argc, argv);
}

int cmd_path(int argc, char **argv)
{
	static const struct per_addr pa = {"path", paths_amount,
					   path_json_one, path_text_one};
	return run_per_addr(&pa, argc, argv);
}

/* ==== objects ==== */

struct sortrow {
	graph_obj_t o;
	uint64_t key;
};

static int cmp_desc(const void *a, const void *b)
{
	const struct sortrow *x = a, *y = b;
	if (x->key != y->key)
		return (x->key < y->key) - (x->key > y->key);
	return (x->o > y->o) - (x->o < y->o);
}

static int cmp_asc(const void *a, const void *b)
{
	const struct sortrow *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

int cmd_objects(int argc, char **argv)
{
	struct session ss;
	struct hs_err err = {0};

	if (session_open(&ss, argc, argv, &err))
		return cli_fail(&err);
	const char *sort = ss.o.sort ? ss.o.sort : "size";
	if (!ss.o.type) {
		hs_fail(&err, HS_ERR_USAGE, "objects needs --type NAME (a class name such as Request, "
			"or module.Name such as app.models.Request; `heapscope types %d` lists them)",
			(int)ss.pid);
		return cli_fail(&err);
	}
	if (strcmp(sort, "size") && strcmp(sort, "refcnt") && strcmp(sort, "addr")) {
		hs_fail(&err, HS_ERR_USAGE, "--sort takes size, refcnt or addr (got '%s')", sort);
		return cli_fail(&err);
	}
	if (session_attach(&ss, &err)) {
		session_close(&ss);
		return cli_fail(&err);
	}
	graph_obj_t *objs;
	size_t n = graph_objects_of_type(ss.g, ss.o.type, &objs);
	if (!n) {
		hs_fail(&err, HS_ERR_NOT_FOUND,
			"no objects of type '%s' in process %d; `heapscope types %d` lists the types "
			"of GC-tracked objects (give the class name, or module.Name)",
			ss.o.type, (int)ss.pid, (int)ss.pid);
		session_close(&ss);
		return cli_fail(&err);
	}
	struct sortrow *rows = malloc(n * sizeof *rows);
	if (!rows) {
		free(objs);
		session_close(&ss);
		hs_fail(&err, HS_ERR_NOMEM, "out of memory");
		return cli_fail(&err);
	}
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t size = graph_size(ss.g, objs[i]);
		total += size;
		rows[i].o = objs[i];
		rows[i].key = !strcmp(sort, "size") ? size
			    : !strcmp(sort, "refcnt") ? (uint64_t)graph_refcnt(ss.g, objs[i], NULL)
			    : graph_addr(ss.g, objs[i]);
	}
	qsort(rows, n, sizeof *rows, strcmp(sort, "addr") ? cmp_desc : cmp_asc);
	size_t shown = ss.o.top > 0 && (size_t)ss.o.top < n ? (size_t)ss.o.top : n;
	if (ss.o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		json_graph_header(&j, &ss, "objects");
		json_key(&j, "type"); json_str(&j, ss.o.type);
		json_key(&j, "count"); json_uint(&j, n);
		json_key(&j, "total_size"); json_uint(&j, total);
		json_key(&j, "objects");
		json_arr(&j);
		for (size_t i = 0; i < shown; i++) {
			json_obj(&j);
			json_obj_fields(&j, ss.g, rows[i].o);
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "query_ms"); json_num(&j, now_ms() - ss.t_query);
		json_end(&j);
		json_done(&j);
	} else {
		char b[32];
		text_graph_header(&ss);
		printf("%zu objects of type %s, %s in all (sorted by %s)\n", n, ss.o.type,
		       fmt_bytes(total, b, sizeof b), sort);
		for (size_t i = 0; i < shown; i++) {
			int imm;
			int64_t rc = graph_refcnt(ss.g, rows[i].o, &imm);
			text_obj(ss.g, rows[i].o, 20);
			if (imm)
				printf("  (immortal)");
			else
				printf("  (refcnt %ld)", (long)rc);
			printf("\n");
		}
		if (shown < n)
			printf("… %zu more\n", n - shown);
	}
	free(rows);
	free(objs);
	session_close(&ss);
	return 0;
}
