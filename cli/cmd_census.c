/* `heapscope types` and `heapscope gens`: the census tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "graph.h"

static enum heap_sort parse_sort(const char *s, struct hs_err *err, int *bad)
{
	*bad = 0;
	if (!s || !strcmp(s, "size"))
		return HEAP_SORT_SIZE;
	if (!strcmp(s, "count"))
		return HEAP_SORT_COUNT;
	if (!strcmp(s, "name"))
		return HEAP_SORT_NAME;
	if (!strcmp(s, "avg"))
		return HEAP_SORT_AVG;
	*bad = 1;
	hs_fail(err, HS_ERR_USAGE, "--sort takes count, size, avg or name (got '%s')", s);
	return HEAP_SORT_SIZE;
}

/* One row of the table: a type's GC-tracked instances (the census) and,
 * with --all, the untracked ones the object graph found. */
struct trow {
	const struct pytype *type;
	uint64_t count, size;          /* all counted instances */
	uint64_t gen[HEAP_NGEN + 1];
	uint64_t ucount, usize;        /* untracked (--all) */
};

static const char *row_name(const struct trow *r, char *buf, size_t cap)
{
	const char *mod = r->type->module;
	snprintf(buf, cap, "%s%s%s", strcmp(mod, "builtins") ? mod : "",
		 strcmp(mod, "builtins") ? "." : "", r->type->qualname);
	return buf;
}

static enum heap_sort g_sort_by;

/* Biggest first (A-Z for names); ties as heap_types_sorted breaks them. */
static int row_cmp(const void *pa, const void *pb)
{
	const struct trow *a = pa, *b = pb;
	int c = 0;
	switch (g_sort_by) {
	case HEAP_SORT_SIZE: c = (a->size < b->size) - (a->size > b->size); break;
	case HEAP_SORT_COUNT: c = (a->count < b->count) - (a->count > b->count); break;
	case HEAP_SORT_AVG: {
		double x = a->count ? (double)a->size / (double)a->count : 0;
		double y = b->count ? (double)b->size / (double)b->count : 0;
		c = (x < y) - (x > y);
		break;
	}
	case HEAP_SORT_NAME: break;
	}
	if (!c)
		c = strcmp(a->type->qualname, b->type->qualname);
	if (!c)
		c = strcmp(a->type->module, b->type->module);
	if (!c)
		c = (a->type->addr > b->type->addr) - (a->type->addr < b->type->addr);
	return c;
}

/* The rows: the census's, plus (g given: graph_build_census) the
 * untracked objects it tallied, added to their type's row (a new row for
 * a type with no tracked instance).  NULL out of memory. */
static struct trow *types_rows(struct heap *h, struct graph *g, size_t *n)
{
	const struct graph_tally *tl = NULL;
	size_t nt = heap_ntypes(h), nu = g ? graph_untracked_tally(g, &tl) : 0, na = nt;
	struct trow *v = calloc(nt + nu + 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < nt; i++) {
		const struct heap_type_row *r = heap_type_row(h, i);
		v[i].type = r->type;
		v[i].count = r->count;
		v[i].size = r->size;
		memcpy(v[i].gen, r->gen, sizeof v[i].gen);
	}
	for (size_t u = 0; u < nu; u++) {   /* one entry per type */
		size_t at;
		for (at = 0; at < na && v[at].type != tl[u].type; at++)
			;
		if (at == na)
			v[na++].type = tl[u].type;
		v[at].count += tl[u].count;
		v[at].size += tl[u].size;
		v[at].ucount = tl[u].count;
		v[at].usize = tl[u].size;
	}
	*n = na;
	return v;
}

static void types_json(struct hs_snapshot *s, struct heap *h, struct graph *gr,
		       const struct trow *v, size_t n, int all, uint64_t total_all)
{
	struct json j;
	json_init(&j, stdout);
	json_obj(&j);
	cli_json_header(&j, s, h);
	/* "objects" above is the GC-tracked census; what the rows count: */
	json_key(&j, "objects_counted"); json_str(&j, all ? "all" : "tracked");
	if (all) {
		json_key(&j, "objects_all"); json_uint(&j, total_all);
		/* finding the untracked objects (graph_build_census) */
		json_key(&j, "graph_ms"); json_num(&j, graph_build_ms(gr));
	}
	json_key(&j, "types");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct trow *r = &v[i];
		json_obj(&j);
		json_key(&j, "qualname"); json_str(&j, r->type->qualname);
		json_key(&j, "module"); json_str(&j, r->type->module);
		json_key(&j, "count"); json_uint(&j, r->count);
		json_key(&j, "size"); json_uint(&j, r->size);
		json_key(&j, "gen");
		json_arr(&j);
		for (int g = 0; g < HEAP_NGEN; g++)
			json_uint(&j, r->gen[g]);
		json_end(&j);
		json_key(&j, "permanent"); json_uint(&j, r->gen[HEAP_GEN_PERMANENT]);
		if (all) {
			json_key(&j, "untracked"); json_uint(&j, r->ucount);
			json_key(&j, "untracked_size"); json_uint(&j, r->usize);
		}
		json_key(&j, "size_exact"); json_bool(&j, r->type->size_exact);
		json_key(&j, "addr"); json_addr(&j, r->type->addr);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

static void types_text(struct hs_snapshot *s, struct heap *h, const struct trow *v, size_t n,
		       int all, uint64_t total_all)
{
	char b[7][32], name[300];
	cli_text_header(stdout, s, h);
	if (all)
		printf("all objects found: %s = %s GC-tracked (exact) + %s untracked (no-gc: found "
		       "from them and the roots)\n", fmt_count(total_all, b[0], sizeof b[0]),
		       fmt_count(heap_nobjects(h), b[1], sizeof b[1]),
		       fmt_count(total_all - heap_nobjects(h), b[2], sizeof b[2]));
	printf("%10s %10s %8s %9s %9s %9s%s  %s\n", "count", "size", "avg", "gen0",
	       "gen1", "gen2", all ? "     no-gc" : "", "type");
	for (size_t i = 0; i < n; i++) {
		const struct trow *r = &v[i];
		char ug[40] = "";
		if (all)
			snprintf(ug, sizeof ug, " %9s", fmt_count(r->ucount, b[6], sizeof b[6]));
		printf("%10s %10s %8s %9s %9s %9s%s  %s%s\n",
		       fmt_count(r->count, b[0], sizeof b[0]), fmt_bytes(r->size, b[1], sizeof b[1]),
		       fmt_count(fmt_mean(r->size, r->count), b[2], sizeof b[2]),
		       fmt_count(r->gen[0], b[3], sizeof b[3]), fmt_count(r->gen[1], b[4], sizeof b[4]),
		       fmt_count(r->gen[2], b[5], sizeof b[5]), ug,
		       row_name(r, name, sizeof name), r->type->size_exact ? "" : " (size approx.)");
	}
}

int cmd_types(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g = NULL;
	pid_t pid;
	int bad, all = 1;

	/* Every object by default (str, int... are often most of the bytes);
	 * --tracked-only is the exact GC census, what gc.get_objects() holds.
	 * Neither takes a value: taken out before cli_parse. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "--tracked-only")) {
			all = !strcmp(argv[i], "--all");
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
			argc--;
			i--;
		}
	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	enum heap_sort by = parse_sort(o.sort, &err, &bad);
	if (bad)
		return cli_fail(&err);
	o.census_only = !all;   /* the rows are all it prints */
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	if (all && graph_build_census(h, &g, &err) != HS_OK) {
		fprintf(stderr, "heapscope: note: the object graph could not be built (%s): "
			"GC-tracked objects only\n", err.msg[0] ? err.msg : hs_status_name(err.code));
		all = 0;
		g = NULL;
	}
	size_t n = 0;
	struct trow *v = types_rows(h, g, &n);
	if (!v) {
		graph_free(g);
		cli_close(s, h);
		hs_fail(&err, HS_ERR_NOMEM, "out of memory for the types table");
		return cli_fail(&err);
	}
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].count;
	g_sort_by = by;
	qsort(v, n, sizeof *v, row_cmp);
	if (o.top > 0 && (size_t)o.top < n)
		n = (size_t)o.top;
	if (o.json)
		types_json(s, h, g, v, n, all, total);
	else
		types_text(s, h, v, n, all, total);
	free(v);
	graph_free(g);
	cli_close(s, h);
	return 0;
}

int cmd_gens(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	pid_t pid;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	o.census_only = 1;
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	const struct heap_gc_info *g = heap_gc(h);
	if (o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		cli_json_header(&j, s, h);
		json_key(&j, "enabled"); json_bool(&j, g->enabled);
		json_key(&j, "garbage"); json_int(&j, g->garbage);
		json_key(&j, "frozen"); json_uint(&j, g->permanent);
		json_key(&j, "generations");
		json_arr(&j);
		for (int i = 0; i < HEAP_NGEN; i++) {
			const struct heap_gen_row *r = &g->gen[i];
			json_obj(&j);
			json_key(&j, "generation"); json_int(&j, i);
			json_key(&j, "objects"); json_uint(&j, r->objects);
			json_key(&j, "threshold"); json_int(&j, r->threshold);
			json_key(&j, "count"); json_int(&j, r->count);
			json_key(&j, "collections");
			if (r->collections >= 0) json_int(&j, r->collections); else json_null(&j);
			json_key(&j, "collected");
			if (r->collected >= 0) json_int(&j, r->collected); else json_null(&j);
			json_key(&j, "uncollectable");
			if (r->uncollectable >= 0) json_int(&j, r->uncollectable); else json_null(&j);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_done(&j);
	} else {
		cli_text_header(stdout, s, h);
		char b[5][32];
		printf("gc %s, gc.garbage: %ld, frozen (permanent generation): %s\n",
		       g->enabled ? "enabled" : "DISABLED", (long)g->garbage,
		       fmt_count(g->permanent, b[0], sizeof b[0]));
		printf("%-10s %10s %10s %8s %12s %12s %14s\n", "generation", "objects",
		       "threshold", "count", "collections", "collected", "uncollectable");
		for (int i = 0; i < HEAP_NGEN; i++) {
			const struct heap_gen_row *r = &g->gen[i];
			/* -1: gc.get_stats() unreadable here */
			#define GCSTAT(v, k) ((v) >= 0 ? fmt_count((uint64_t)(v), b[k], sizeof b[k]) : "-")
			printf("%-10d %10s %10d %8d %12s %12s %14s\n", i,
			       fmt_count(r->objects, b[0], sizeof b[0]), r->threshold, r->count,
			       GCSTAT(r->collections, 1), GCSTAT(r->collected, 2),
			       GCSTAT(r->uncollectable, 3));
			#undef GCSTAT
		}
		printf("%-10s %10s\n", "permanent", fmt_count(g->permanent, b[0], sizeof b[0]));
	}
	cli_close(s, h);
	return 0;
}
