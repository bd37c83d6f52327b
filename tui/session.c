/* session — snapshots, deltas and the lazily built graph.  See session.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"

void session_init(struct session *ss, const struct tui_source *src,
		  struct hs_snapshot *s, struct heap *h)
{
	memset(ss, 0, sizeof *ss);
	ss->src = src;
	ss->s = s;
	ss->h = h;
	ss->nsnap = 1;
	ss->rss = src->rss ? src->rss(src->arg) : 0;
}

static void drop_current(struct session *ss)
{
	graph_free(ss->g);
	ss->g = NULL;
	ss->graph_failed = 0;
	if (ss->s || ss->h)
		ss->src->release(ss->src->arg, ss->s, ss->h);
	ss->s = NULL;
	ss->h = NULL;
}

void session_fini(struct session *ss)
{
	drop_current(ss);
	free(ss->dcount);
	free(ss->dsize);
	ss->dcount = ss->dsize = NULL;
}

/* ==== Deltas ==== */

/* A type in the previous census.  Keyed by the type object's address and
 * its name: a class freed and another allocated at the same address is a
 * different type, not a delta. */
struct prev_type {
	raddr_t addr;
	const char *qualname, *module;   /* point into the old census (alive during diff) */
	uint64_t count, size;
};

static int prev_cmp(const void *a, const void *b)
{
	const struct prev_type *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static struct prev_type *prev_table(struct heap *h, size_t *n)
{
	size_t nt = heap_ntypes(h);
	struct prev_type *p = calloc(nt ? nt : 1, sizeof *p);
	if (!p)
		return NULL;
	for (size_t i = 0; i < nt; i++) {
		const struct heap_type_row *r = heap_type_row(h, i);
		p[i] = (struct prev_type){r->type->addr, r->type->qualname,
					  r->type->module, r->count, r->size};
	}
	qsort(p, nt, sizeof *p, prev_cmp);
	*n = nt;
	return p;
}

static const struct prev_type *prev_find(const struct prev_type *p, size_t n,
					 const struct pytype *t)
{
	struct prev_type key = {.addr = t->addr};
	const struct prev_type *hit = bsearch(&key, p, n, sizeof *p, prev_cmp);
	if (!hit || strcmp(hit->qualname, t->qualname) || strcmp(hit->module, t->module))
		return NULL;
	return hit;
}

/* Fill dcount/dsize for the new census h from the old table. */
static int compute_deltas(struct session *ss, const struct prev_type *p, size_t np)
{
	size_t nt = heap_ntypes(ss->h);
	int64_t *dc = calloc(nt ? nt : 1, sizeof *dc);
	int64_t *ds = calloc(nt ? nt : 1, sizeof *ds);
	if (!dc || !ds) {
		free(dc);
		free(ds);
		return -1;
	}
	for (size_t i = 0; i < nt; i++) {
		const struct heap_type_row *r = heap_type_row(ss->h, i);
		const struct prev_type *old = prev_find(p, np, r->type);
		dc[i] = (int64_t)r->count - (old ? (int64_t)old->count : 0);
		ds[i] = (int64_t)r->size - (old ? (int64_t)old->size : 0);
	}
	free(ss->dcount);
	free(ss->dsize);
	ss->dcount = dc;
	ss->dsize = ds;
	ss->has_prev = 1;
	return 0;
}

enum hs_status session_refresh(struct session *ss, struct hs_err *err)
{
	struct hs_snapshot *s;
	struct heap *h;
	size_t np;
	enum hs_status st = ss->src->take(ss->src->arg, &s, &h, err);

	if (st != HS_OK)
		return st;
	struct prev_type *p = prev_table(ss->h, &np);
	double prev_at = mem_info(ss->s->mem)->taken_at;
	/* The old census must stay alive while diffing: p points into it. */
	struct hs_snapshot *old_s = ss->s;
	struct heap *old_h = ss->h;
	struct graph *old_g = ss->g;
	ss->s = s;
	ss->h = h;
	ss->g = NULL;
	ss->graph_failed = 0;
	if (!p || compute_deltas(ss, p, np) < 0)
		st = hs_fail(err, HS_ERR_NOMEM, "out of memory computing deltas");
	free(p);
	graph_free(old_g);
	ss->src->release(ss->src->arg, old_s, old_h);
	ss->prev_taken_at = prev_at;
	ss->nsnap++;
	ss->rss = ss->src->rss ? ss->src->rss(ss->src->arg) : 0;
	return st;
}

/* ==== Queries ==== */

struct graph *session_graph(struct session *ss)
{
	if (ss->g || ss->graph_failed)
		return ss->g;
	if (graph_build(ss->h, &ss->g, &ss->graph_err) != HS_OK) {
		ss->g = NULL;
		ss->graph_failed = 1;
	}
	return ss->g;
}

double session_age(const struct session *ss)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec + now.tv_nsec / 1e9 - mem_info(ss->s->mem)->taken_at;
}

const char *session_type_name(const struct pytype *t, char *buf, size_t cap)
{
	if (!t) {
		snprintf(buf, cap, "?");
		return buf;
	}
	if (!t->module || !*t->module || !strcmp(t->module, "builtins"))
		snprintf(buf, cap, "%s", t->qualname ? t->qualname : "?");
	else
		snprintf(buf, cap, "%s.%s", t->module, t->qualname ? t->qualname : "?");
	return buf;
}

long session_type_row(struct session *ss, raddr_t type_addr)
{
	size_t nt = heap_ntypes(ss->h);
	for (size_t i = 0; i < nt; i++)
		if (heap_type_row(ss->h, i)->type->addr == type_addr)
			return (long)i;
	return -1;
}
