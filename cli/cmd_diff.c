/* `heapscope diff OLD NEW`: what grew between two snapshots of one process,
 * each a snapshot file or a PID (then a snapshot is taken now): per-type
 * count and size deltas, and where the new objects of the fastest growing
 * types are held, as `watch` reports them (model/diff.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "graph.h"
#include "sites.h"

#define DIFF_ROWS 20
#define NEW_TYPES 3
#define PATTERNS_SHOWN 5

/* One side: its snapshot (NEW is kept for the paths), or its record. */
struct side {
	struct cli o;
	pid_t pid;
	const char *arg;
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g;
	double taken_at;
	pid_t spid;
	char host[256];
};

static enum hs_status side_open(const struct cli *base, const char *arg, struct side *x,
				struct hs_err *err)
{
	long v;
	x->o = *base;
	x->arg = arg;
	x->o.file = cli_is_file_arg(arg) ? arg : NULL;
	x->pid = 0;
	if (!x->o.file) {
		if (cli_parse_count(arg, 1, 0x3fffffff, &v))
			return hs_fail(err, HS_ERR_USAGE, "'%s' is not a process ID or a snapshot file",
				       arg);
		x->pid = (pid_t)v;
	}
	enum hs_status st = cli_open(&x->o, x->pid, &x->s, &x->h, err);
	if (st == HS_OK && (st = graph_build(x->h, &x->g, err)) != HS_OK) {
		cli_close(x->s, x->h);
		x->s = NULL;
		x->h = NULL;
	}
	if (st == HS_OK) {
		x->taken_at = mem_info(x->s->mem)->taken_at;
		x->spid = x->s->pid;
		snprintf(x->host, sizeof x->host, "%s", x->s->hostname ? x->s->hostname : "");
	}
	return st;
}

static void side_close(struct side *x)
{
	graph_free(x->g);
	if (x->s)
		cli_close(x->s, x->h);
	x->g = NULL;
	x->s = NULL;
	x->h = NULL;
}

static void json_news(struct json *j, struct graph *g, const struct diff_new *dn)
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
		json_key(j, "holder"); json_str(j, dn->patterns[p].holder);
		json_key(j, "example_addr"); json_addr(j, graph_addr(g, dn->patterns[p].example));
		json_key(j, "example_path"); json_str(j, dn->patterns[p].example_path);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

int cmd_diff(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct side a = {0}, b = {0};
	struct diff_base *old = NULL, *nb = NULL;
	struct diff_type_row *rows = NULL;
	struct diff_new news[NEW_TYPES];
	struct sites_census *sc_old = NULL, *sc_new = NULL;
	char sites_msg[512] = "";
	size_t nnew = 0;
	int rc = 0;

	if (cli_parse(argc, argv, &o, &err))
		return cli_fail(&err);
	if (o.npos != 2) {
		hs_fail(&err, HS_ERR_USAGE, "diff takes OLD and NEW: two snapshot files, or a file "
			"and a PID (a snapshot is taken now)");
		return cli_fail(&err);
	}
	/* OLD first: recorded (with its graph: every object), then freed */
	if ((err.code = side_open(&o, o.pos[0], &a, &err)) != HS_OK)
		return cli_fail(&err);
	if (diff_base_take(a.h, a.g, a.taken_at * 1e3, &old, &err) != HS_OK ||
	    cli_sites_census(a.h, a.g, &sc_old, sites_msg, sizeof sites_msg, &err)) {
		diff_base_free(old);
		side_close(&a);
		return cli_fail(&err);
	}
	side_close(&a);
	if ((err.code = side_open(&o, o.pos[1], &b, &err)) != HS_OK) {
		diff_base_free(old);
		sites_census_free(sc_old);
		return cli_fail(&err);
	}
	if (diff_base_take(b.h, b.g, b.taken_at * 1e3, &nb, &err) != HS_OK ||
	    cli_sites_census(b.h, b.g, &sc_new, sites_msg, sizeof sites_msg, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	/* Addresses only name the same objects within one process. */
	int same = a.spid == b.spid && (!a.host[0] || !b.host[0] || !strcmp(a.host, b.host));
	double dt = b.taken_at - a.taken_at;
	long nr = diff_types(old, nb, &rows);
	if (nr < 0) {
		hs_fail(&err, HS_ERR_NOMEM, "out of memory");
		rc = cli_fail(&err);
		goto out;
	}
	if (same)
		for (long i = 0; i < nr && nnew < NEW_TYPES; i++) {
			if (rows[i].dcount <= 0)
				break;
			if (diff_new_objects(old, b.h, b.g, rows[i].name, 0, &news[nnew]) == 0)
				nnew++;
		}
	size_t shown_max = o.top > 0 ? (size_t)o.top : DIFF_ROWS;
	int64_t dobj = (int64_t)diff_base_objects(nb) - (int64_t)diff_base_objects(old);
	int64_t dbytes = (int64_t)diff_base_bytes(nb) - (int64_t)diff_base_bytes(old);
	if (o.json) {
		struct json j;
		json_init(&j, stdout);
		json_obj(&j);
		cli_json_header(&j, b.s, b.h);
		json_key(&j, "old");
		json_obj(&j);
		json_key(&j, "source"); json_str(&j, a.arg);
		json_key(&j, "pid"); json_int(&j, a.spid);
		json_key(&j, "taken_at"); json_num(&j, a.taken_at);
		json_key(&j, "objects"); json_uint(&j, diff_base_objects(old));
		json_key(&j, "bytes"); json_uint(&j, diff_base_bytes(old));
		json_end(&j);
		json_key(&j, "new_source"); json_str(&j, b.arg);
		json_key(&j, "same_process"); json_bool(&j, same);
		json_key(&j, "elapsed_s"); json_num(&j, dt);
		json_key(&j, "dobjects"); json_int(&j, dobj);
		json_key(&j, "dbytes"); json_int(&j, dbytes);
		json_key(&j, "types");
		json_arr(&j);
		for (long i = 0; i < nr; i++) {
			if (!rows[i].dcount && !rows[i].dsize)
				continue;
			json_obj(&j);
			json_key(&j, "type"); json_str(&j, rows[i].name);
			json_key(&j, "count0"); json_uint(&j, rows[i].count0);
			json_key(&j, "count1"); json_uint(&j, rows[i].count1);
			json_key(&j, "dcount"); json_int(&j, rows[i].dcount);
			json_key(&j, "size0"); json_uint(&j, rows[i].size0);
			json_key(&j, "size1"); json_uint(&j, rows[i].size1);
			json_key(&j, "dsize"); json_int(&j, rows[i].dsize);
			json_key(&j, "count_per_s"); json_num(&j, dt > 0 ? rows[i].dcount / dt : 0);
			json_key(&j, "bytes_per_s"); json_num(&j, dt > 0 ? rows[i].dsize / dt : 0);
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "new");
		json_arr(&j);
		for (size_t q = 0; q < nnew; q++)
			json_news(&j, b.g, &news[q]);
		json_end(&j);
		cli_sites_growth(&j, sites_census_on(sc_old) ? sc_old : NULL, sc_new, sites_msg, DIFF_ROWS);
		json_end(&j);
		json_done(&j);
	} else {
		char b1[32], b2[32];
		cli_text_header(stdout, b.s, b.h);
		printf("since %s (pid %d): %+.1f s, %lu objects (%+ld), %s (%s%s)\n", a.arg,
		       (int)a.spid, dt, (unsigned long)diff_base_objects(nb), (long)dobj,
		       fmt_bytes(diff_base_bytes(nb), b1, sizeof b1), dbytes < 0 ? "-" : "+",
		       fmt_bytes((uint64_t)(dbytes < 0 ? -dbytes : dbytes), b2, sizeof b2));
		if (!same)
			printf("note: OLD and NEW are not the same process (pid %d, pid %d): per-type "
			       "deltas only\n", (int)a.spid, (int)b.spid);
		if (dt < 0)
			printf("note: NEW was taken before OLD: swap them to see growth\n");
		printf("  %10s %10s %12s %10s  %s\n", "count", "change", "bytes", "per s", "type");
		/* the largest growth first, then the largest shrinkage */
		size_t shown = 0, grew = 0, shrank = 0;
		for (long k = 0; k < 2 * nr; k++) {
			long i = k < nr ? k : 2 * nr - 1 - k;
			const struct diff_type_row *r = &rows[i];
			if (k < nr ? (r->dcount <= 0 && !(r->dcount == 0 && r->dsize > 0)) || grew >= shown_max
				   : r->dcount >= 0 || shrank >= shown_max)
				continue;
			if (k >= nr && !shrank && grew)
				printf("  %10s\n", "...");
			char sz[32];
			int64_t ds = r->dsize;
			snprintf(sz, sizeof sz, "%s%s", ds < 0 ? "-" : "+",
				 fmt_bytes((uint64_t)(ds < 0 ? -ds : ds), b1, sizeof b1));
			printf("  %10lu %+10ld %12s %10.1f  %s\n", (unsigned long)r->count1,
			       (long)r->dcount, sz, dt > 0 ? r->dcount / dt : 0.0, r->name);
			shown++;
			if (k < nr)
				grew++;
			else
				shrank++;
		}
		if (!shown)
			printf("  no type changed\n");
		for (size_t q = 0; q < nnew; q++) {
			printf("%lu new %s (%s)", (unsigned long)news[q].count, news[q].type,
			       fmt_bytes(news[q].bytes, b1, sizeof b1));
			if (news[q].sampled < news[q].count)
				printf(", paths of %lu sampled", (unsigned long)news[q].sampled);
			printf(":\n");
			for (size_t p = 0; p < news[q].npatterns && p < PATTERNS_SHOWN; p++)
				printf("  %3.0f%%  via %s   e.g. %s\n",
				       news[q].sampled ? 100.0 * (double)news[q].patterns[p].sampled /
				       (double)news[q].sampled : 0.0,
				       news[q].patterns[p].pattern, news[q].patterns[p].example_path);
			if (news[q].unrooted)
				printf("  %3.0f%%  held by no root (garbage cycles or C code)\n",
				       100.0 * (double)news[q].unrooted / (double)news[q].sampled);
		}
		cli_sites_growth(NULL, sites_census_on(sc_old) ? sc_old : NULL, sc_new, sites_msg, DIFF_ROWS);
	}
out:
	sites_census_free(sc_old);
	sites_census_free(sc_new);
	for (size_t q = 0; q < nnew; q++)
		diff_new_fini(&news[q]);
	free(rows);
	diff_base_free(old);
	diff_base_free(nb);
	side_close(&b);
	return rc;
}
