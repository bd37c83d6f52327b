/* session — snapshots, deltas, and what is built lazily on a snapshot:
 * the graph, retained sizes, suspects, new objects.  See session.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"

#include <unistd.h>

#include "procmem.h"
#include "pyread.h"

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

/* Everything computed from the current snapshot's graph (they point into
 * it: free them before the graph). */
static void drop_derived(struct session *ss)
{
	leaks_free(ss->L);
	ss->L = NULL;
	ss->leaks_failed = 0;
	free(ss->all);
	ss->all = NULL;
	ss->nall = 0;
	free(ss->type_retained);
	ss->type_retained = NULL;
	free(ss->sus);
	ss->sus = NULL;
	ss->nsus = 0;
	ss->sus_done = 0;
	for (size_t i = 0; i < ss->nnews; i++)
		diff_new_fini(&ss->news[i].d);
	ss->nnews = 0;
	if (ss->mem) {
		rss_free(ss->mem);
		free(ss->mem);
		ss->mem = NULL;
	}
	ss->mem_failed = 0;
}

static void drop_current(struct session *ss)
{
	drop_derived(ss);
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
	free(ss->news);
	ss->news = NULL;
	ss->capnews = 0;
	diff_base_free(ss->prev_base);
	ss->prev_base = NULL;
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
	/* Record the old snapshot before it goes.  With its graph, objects
	 * that are not GC-tracked (str, untracked dicts and tuples) are
	 * recorded too; without it they would all look new.  A failure only
	 * costs the "new objects" panel, not the refresh. */
	struct diff_base *base = NULL;
	struct hs_err berr = {0};
	if (diff_base_take(ss->h, ss->g, prev_at * 1e3, &base, &berr) != HS_OK)
		base = NULL;
	/* The old census must stay alive while diffing: p points into it. */
	struct hs_snapshot *old_s = ss->s;
	struct heap *old_h = ss->h;
	struct graph *old_g = ss->g;
	drop_derived(ss);
	diff_base_free(ss->prev_base);
	ss->prev_base = base;
	ss->s = s;
	ss->h = h;
	ss->g = NULL;
	ss->graph_failed = 0;
	if (!p || compute_deltas(ss, p, np) < 0) {
		/* The old deltas are indexed by the old census's type rows. */
		free(ss->dcount);
		free(ss->dsize);
		ss->dcount = ss->dsize = NULL;
		ss->has_prev = 0;
		st = hs_fail(err, HS_ERR_NOMEM, "out of memory computing deltas");
	}
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

/* ==== Where the RSS goes ==== */

static uint64_t resident_cb(void *arg, raddr_t start, raddr_t end)
{
	return pm_resident(*(int *)arg, start, end);
}

const struct rss_breakdown *session_memory(struct session *ss)
{
	if (ss->mem || ss->mem_failed)
		return ss->mem;
	ss->mem_failed = 1;
	pid_t pid = ss->s->pid;
	struct graph *g;
	struct pm_smaps sm;
	if (!pid) {
		snprintf(ss->mem_why, sizeof ss->mem_why, "a snapshot file has no RSS: the split "
			 "needs the running process's /proc/PID/smaps");
		return NULL;
	}
	if (!(g = session_graph(ss))) {
		snprintf(ss->mem_why, sizeof ss->mem_why, "no object graph: %.200s", ss->graph_err.msg);
		return NULL;
	}
	if (pm_smaps_read(pid, &sm) != 0) {
		snprintf(ss->mem_why, sizeof ss->mem_why, "cannot read /proc/%d/smaps: the process "
			 "has exited? (r takes a new snapshot)", (int)pid);
		return NULL;
	}
	static raddr_t sps[1024];
	size_t nthreads = 0, nsps = pm_thread_sps(pid, sps, 1024, &nthreads);
	int pm = pm_pagemap_open(pid);
	struct rss_breakdown *b = calloc(1, sizeof *b);
	if (b && rss_build(heap_ctx(ss->h), g, &sm, sps, nsps, resident_cb, &pm, b) != 0) {
		rss_free(b);
		free(b);
		b = NULL;
	}
	ss->mem_pagemap = pm >= 0;
	if (pm >= 0)
		close(pm);
	pm_smaps_free(&sm);
	if (!b) {
		snprintf(ss->mem_why, sizeof ss->mem_why, "out of memory");
		return NULL;
	}
	b->nthreads = nthreads;
	b->rss_before = b->rss_after = b->rss;
	ss->mem_age = session_age(ss);
	ss->mem = b;
	ss->mem_failed = 0;
	return b;
}

/* ==== Retained sizes, suspects, new objects ==== */

struct type_ix {
	raddr_t addr;
	size_t row;
};

static int type_ix_cmp(const void *a, const void *b)
{
	const struct type_ix *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct leaks *session_leaks(struct session *ss)
{
	if (ss->L || ss->leaks_failed)
		return ss->L;
	struct graph *g = session_graph(ss);
	if (!g) {
		ss->leaks_failed = 1;
		ss->leaks_err = ss->graph_err;
		return NULL;
	}
	if (leaks_build(ss->h, g, &ss->L, &ss->leaks_err) != HS_OK) {
		ss->L = NULL;
		ss->leaks_failed = 1;
		return NULL;
	}
	/* Per census row, through a sorted (type address, row) index: there
	 * can be thousands of types (classes made by a factory). */
	size_t nt = heap_ntypes(ss->h), nl;
	const struct leaks_type_row *lr;
	struct type_ix *idx = calloc(nt ? nt : 1, sizeof *idx);
	ss->type_retained = calloc(nt ? nt : 1, sizeof *ss->type_retained);
	if (idx && ss->type_retained) {
		for (size_t i = 0; i < nt; i++)
			idx[i] = (struct type_ix){heap_type_row(ss->h, i)->type->addr, i};
		qsort(idx, nt, sizeof *idx, type_ix_cmp);
		nl = leaks_types(ss->L, &lr);
		for (size_t i = 0; i < nl; i++) {
			struct type_ix key = {lr[i].type ? lr[i].type->addr : 0, 0};
			const struct type_ix *hit = bsearch(&key, idx, nt, sizeof *idx, type_ix_cmp);
			if (hit)
				ss->type_retained[hit->row] = lr[i].retained;
		}
	}
	free(idx);
	return ss->L;
}

uint64_t session_type_retained(struct session *ss, size_t row)
{
	return ss->type_retained && row < heap_ntypes(ss->h) ? ss->type_retained[row] : 0;
}

size_t session_suspects(struct session *ss, const struct leaks_suspect **out)
{
	*out = NULL;
	if (!ss->sus_done && ss->L) {
		struct leaks_suspect_opts o = {
			.before = ss->prev_base,
			.interval_s = ss->prev_base ? mem_info(ss->s->mem)->taken_at - ss->prev_taken_at : 0,
		};
		ss->nsus = leaks_suspects(ss->L, &o, &ss->sus);
		ss->sus_done = 1;
	}
	*out = ss->sus;
	return ss->nsus;
}

static struct session_new *new_find(struct session *ss, raddr_t type)
{
	for (size_t i = 0; i < ss->nnews; i++)
		if (ss->news[i].type == type)
			return &ss->news[i];
	return NULL;
}

int session_new_cached(struct session *ss, size_t row)
{
	return new_find(ss, heap_type_row(ss->h, row)->type->addr) != NULL;
}

const struct diff_new *session_new_objects(struct session *ss, size_t row)
{
	const struct pytype *t = heap_type_row(ss->h, row)->type;
	struct session_new *sn = new_find(ss, t->addr);
	char name[256];

	if (sn)
		return sn->ok ? &sn->d : NULL;
	if (!ss->prev_base || !session_graph(ss))
		return NULL;
	if (ss->nnews == ss->capnews) {
		size_t nc = ss->capnews ? ss->capnews * 2 : 16;
		struct session_new *nn = realloc(ss->news, nc * sizeof *nn);
		if (!nn)
			return NULL;
		ss->news = nn;
		ss->capnews = nc;
	}
	sn = &ss->news[ss->nnews++];
	memset(sn, 0, sizeof *sn);
	sn->type = t->addr;
	/* 0: the model's default sample of paths (200), enough for shares
	 * in whole percent and cheap at a million objects. */
	sn->ok = diff_new_objects(ss->prev_base, ss->h, ss->g,
				  session_type_name(t, name, sizeof name), 0, &sn->d) == 0;
	return sn->ok ? &sn->d : NULL;
}

/* ==== Lazy payloads ==== */

int session_value_lazy(struct session *ss, raddr_t addr)
{
	memsrc *m = ss->s->mem;
	struct pyctx *c = heap_ctx(ss->h);
	const struct pytype *t;
	uint64_t size, len = 0;

	if (!addr || !mem_info(m)->bytes_lazy)
		return 0;
	if (!(t = py_type_of_obj(c, addr)))
		return 0;
	size = py_getsizeof(c, addr, t);
	/* Inline payloads (bytes, str, tuple items) are in the object. */
	if (mem_is_lazy(m, addr, size ? size : 1))
		return 1;
	/* A lazy range starts 64 KiB into its own block (LIVE_LAZY_HEAD), so
	 * the buffer length's overshoot by a header can never reach one. */
	raddr_t buf = value_item_buffer(c, addr, t, size, &len);
	return buf && mem_is_lazy(m, buf, len);
}

int session_item_lazy(struct session *ss, raddr_t addr, size_t index)
{
	memsrc *m = ss->s->mem;
	struct pyctx *c = heap_ctx(ss->h);
	const struct pytype *t;
	raddr_t slot;

	if (!addr || !mem_info(m)->bytes_lazy || !(t = py_type_of_obj(c, addr)))
		return 0;
	/* The slot the item's address was read from. */
	if ((slot = value_item_slot(c, addr, t, index)))
		return mem_is_lazy(m, slot, 8);
	/* Hash tables: entries are not in item order; the whole buffer. */
	return session_value_lazy(ss, addr);
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
	if (!t->module || !*t->module || py_module_is_builtins(t->module))
		snprintf(buf, cap, "%s", t->qualname ? t->qualname : "?");
	else
		snprintf(buf, cap, "%s.%s", t->module, t->qualname ? t->qualname : "?");
	return buf;
}

/* pytype pointer -> entry, open addressing (types are few: thousands). */
static size_t type_slot(const struct pytype *t, size_t mask)
{
	return (size_t)(((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ull) & mask;
}

const struct session_type *session_all_types(struct session *ss, size_t *n)
{
	*n = 0;
	if (ss->all) {
		*n = ss->nall;
		return ss->all;
	}
	if (!ss->g)
		return NULL;
	size_t nt = heap_ntypes(ss->h), cap = nt + 64, hcap = 256;
	while (hcap < 4 * cap)
		hcap *= 2;
	struct session_type *all = calloc(cap, sizeof *all);
	long *hash = malloc(hcap * sizeof *hash);
	if (!all || !hash)
		goto oom;
	memset(hash, 0xff, hcap * sizeof *hash);
	size_t na = 0;
	uint32_t nobj = graph_nobjects(ss->g);
	for (size_t i = 0; i < nt; i++) {
		all[na++] = (struct session_type){heap_type_row(ss->h, i)->type, (long)i, 0, 0};
		size_t k = type_slot(all[i].type, hcap - 1);
		while (hash[k] >= 0)
			k = (k + 1) & (hcap - 1);
		hash[k] = (long)i;
	}
	for (uint32_t o = 0; o < nobj; o++) {
		if (graph_tracked(ss->g, o))
			continue;
		const struct pytype *t = graph_type(ss->g, o);
		if (!t)
			continue;
		size_t k = type_slot(t, hcap - 1);
		while (hash[k] >= 0 && all[hash[k]].type != t)
			k = (k + 1) & (hcap - 1);
		if (hash[k] < 0) {
			if (na == cap) {
				size_t ncap = cap * 2;
				struct session_type *nv = realloc(all, ncap * sizeof *nv);
				if (!nv)
					goto oom;
				all = nv;
				cap = ncap;
			}
			if (4 * (na + 1) > hcap) {   /* keep the table sparse: rebuild */
				size_t nh = hcap * 2;
				long *nhash = malloc(nh * sizeof *nhash);
				if (!nhash)
					goto oom;
				memset(nhash, 0xff, nh * sizeof *nhash);
				for (size_t e = 0; e < na; e++) {
					size_t j = type_slot(all[e].type, nh - 1);
					while (nhash[j] >= 0)
						j = (j + 1) & (nh - 1);
					nhash[j] = (long)e;
				}
				free(hash);
				hash = nhash;
				hcap = nh;
				k = type_slot(t, hcap - 1);
				while (hash[k] >= 0)
					k = (k + 1) & (hcap - 1);
			}
			all[na] = (struct session_type){t, -1, 0, 0};
			hash[k] = (long)na++;
		}
		all[hash[k]].ucount++;
		all[hash[k]].usize += graph_size(ss->g, o);
	}
	free(hash);
	ss->all = all;
	ss->nall = na;
	*n = na;
	return all;
oom:
	free(all);
	free(hash);
	return NULL;
}

long session_type_row(struct session *ss, raddr_t type_addr)
{
	size_t nt = heap_ntypes(ss->h);
	for (size_t i = 0; i < nt; i++)
		if (heap_type_row(ss->h, i)->type->addr == type_addr)
			return (long)i;
	return -1;
}
