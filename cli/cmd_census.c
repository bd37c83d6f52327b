/* `heapscope types` and `heapscope gens`: the census tables. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static void types_json(struct hs_snapshot *s, struct heap *h, size_t *ix, size_t n)
{
	struct json j;
	json_init(&j, stdout);
	json_obj(&j);
	cli_json_header(&j, s, h);
	json_key(&j, "types");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct heap_type_row *r = heap_type_row(h, ix[i]);
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
		json_key(&j, "size_exact"); json_bool(&j, r->type->size_exact);
		json_key(&j, "addr"); json_addr(&j, r->type->addr);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

static void types_text(struct hs_snapshot *s, struct heap *h, size_t *ix, size_t n)
{
	char b[6][32];
	cli_text_header(stdout, s, h);
	printf("%10s %10s %8s %9s %9s %9s  %s\n", "count", "size", "avg", "gen0",
	       "gen1", "gen2", "type");
	for (size_t i = 0; i < n; i++) {
		const struct heap_type_row *r = heap_type_row(h, ix[i]);
		const char *mod = r->type->module;
		printf("%10s %10s %8s %9s %9s %9s  %s%s%s%s\n",
		       fmt_count(r->count, b[0], sizeof b[0]), fmt_bytes(r->size, b[1], sizeof b[1]),
		       fmt_count(fmt_mean(r->size, r->count), b[2], sizeof b[2]),
		       fmt_count(r->gen[0], b[3], sizeof b[3]), fmt_count(r->gen[1], b[4], sizeof b[4]),
		       fmt_count(r->gen[2], b[5], sizeof b[5]),
		       strcmp(mod, "builtins") ? mod : "", strcmp(mod, "builtins") ? "." : "",
		       r->type->qualname, r->type->size_exact ? "" : " (size approx.)");
	}
}

int cmd_types(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	pid_t pid;
	int bad;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	enum heap_sort by = parse_sort(o.sort, &err, &bad);
	if (bad)
		return cli_fail(&err);
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	size_t *ix = heap_types_sorted(h, by);
	size_t n = heap_ntypes(h);
	if (o.top > 0 && (size_t)o.top < n)
		n = (size_t)o.top;
	if (o.json)
		types_json(s, h, ix, n);
	else
		types_text(s, h, ix, n);
	free(ix);
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
