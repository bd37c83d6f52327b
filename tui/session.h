/* session — the model side of the explorer: the current snapshot and its
 * census, the object graph and the retained sizes (each built on first
 * use: they cost more than the census), leak suspects, and what changed
 * since the previous snapshot (per-type deltas, which objects are new).
 *
 * Everything derived from a snapshot is cached here, never in a view, so
 * that it is computed once per snapshot whichever screen asks first, and
 * thrown away together with the snapshot at `r`.
 *
 * Views hold addresses, never indices into a census, because `r` replaces
 * the census under them; after a refresh every view reopens itself from
 * its addresses (see view.h).
 */
#ifndef HS_TUI_SESSION_H
#define HS_TUI_SESSION_H

#include <stdint.h>

#include "diff.h"
#include "graph.h"
#include "heap.h"
#include "leaks.h"
#include "rss.h"
#include "snapshot.h"
#include "source.h"

/* Where the new objects of one type are held (cached per type). */
struct session_new {
	raddr_t type;               /* type object address: the cache key */
	int ok;                     /* 0: could not be computed (out of memory) */
	struct diff_new d;
};

/* One type among all the objects the graph found: the census row (GC-
 * tracked instances, exact) plus the untracked instances reachable from
 * them and from the roots (str, bytes, int, float, untracked tuples and
 * dicts...). */
struct session_type {
	const struct pytype *type;
	long row;                   /* census type row, -1: no tracked instance */
	uint64_t ucount, usize;     /* untracked instances, their getsizeof sum */
};

struct session {
	const struct tui_source *src;
	struct hs_snapshot *s;
	struct heap *h;
	struct graph *g;            /* NULL until session_graph() */
	struct hs_err graph_err;    /* why the graph could not be built */
	int graph_failed;
	struct leaks *L;            /* NULL until session_leaks() */
	struct hs_err leaks_err;
	int leaks_failed;
	uint64_t *type_retained;    /* per census type row; with L */
	struct leaks_suspect *sus;  /* ranked, once session_suspects() ran */
	size_t nsus;
	int sus_done;
	/* The previous snapshot, recorded at `r` (with its graph when it could
	 * be built), to tell new objects from old ones; NULL before. */
	struct diff_base *prev_base;
	struct session_new *news;   /* cache of session_new_objects() */
	size_t nnews, capnews;
	struct session_type *all;   /* with g: every type (session_all_types) */
	size_t nall;
	unsigned long long rss;     /* at snapshot time; 0 unknown */
	struct rss_breakdown *mem;  /* NULL until session_memory() */
	int mem_failed, mem_pagemap;
	char mem_why[256];          /* why there is no breakdown */
	double mem_age;             /* seconds after the snapshot smaps was read */
	int nsnap;                  /* snapshots taken so far (1 = first) */
	/* Deltas: indexed by type row of the current census; valid when has_prev. */
	int has_prev;
	int64_t *dcount, *dsize;
	double prev_taken_at;
};

/* Adopt a first snapshot (the TUI owns s and h from now on). */
void session_init(struct session *ss, const struct tui_source *src,
		  struct hs_snapshot *s, struct heap *h);
void session_fini(struct session *ss);

/* Take a new snapshot and compute per-type deltas against the current
 * one, which it replaces; the current one is recorded (diff_base) first,
 * with its graph if session_graph() built one, so that session_new_objects
 * can tell which objects are new.  On error the current snapshot stays. */
enum hs_status session_refresh(struct session *ss, struct hs_err *err);

/* The object graph, built on first call; NULL when it cannot be built
 * (ss->graph_err says why). */
struct graph *session_graph(struct session *ss);

/* Dominator tree and retained sizes (model/leaks.h), built on first call
 * on top of the graph; NULL when they cannot be (ss->leaks_err says why,
 * or ss->graph_err). */
struct leaks *session_leaks(struct session *ss);

/* Retained size of census type row i (bytes dominated by its instances,
 * see leaks_type_row); 0 without session_leaks(). */
uint64_t session_type_retained(struct session *ss, size_t row);

/* Every type of every object the graph holds: the census rows first
 * (entry i is census row i), then the types that have only untracked
 * instances.  Needs session_graph(); NULL (and *n = 0) without it or out
 * of memory.  Computed once per snapshot. */
const struct session_type *session_all_types(struct session *ss, size_t *n);

/* Leak suspects, ranked (growth evidence from the previous snapshot when
 * there is one); computed on first call.  Needs session_leaks(). */
size_t session_suspects(struct session *ss, const struct leaks_suspect **out);

/* Where the new objects (since the previous snapshot) of census type row
 * i are held, grouped by path pattern; computed on first call per type.
 * NULL before a second snapshot, without a graph, or out of memory. */
const struct diff_new *session_new_objects(struct session *ss, size_t row);
/* Already computed (the call above would be instant)? */
int session_new_cached(struct session *ss, size_t row);

/* Is (part of) what a rendering of the object at addr reads lazy, i.e.
 * read from the target after it was resumed (memsrc.h, mem_is_lazy) and
 * so possibly newer than the rest of the snapshot?  Looks at the object
 * itself and at the out-of-line buffer of a list, dict, set or bytearray.
 * Cheap; 0 at once when the snapshot has no lazy ranges. */
int session_value_lazy(struct session *ss, raddr_t addr);
/* Same for item `index` of the container at addr, as the inspector lists
 * it: exact for list and tuple slots, the whole buffer for the others. */
int session_item_lazy(struct session *ss, raddr_t addr, size_t index);

/* Where the RSS goes (model/rss.h): the graph's sizes, pymalloc's arenas
 * and the kernel's smaps, read on first call (so some time after the
 * snapshot: mem_age).  NULL when there is none (ss->mem_why says why: a
 * snapshot file, the process gone, no graph). */
const struct rss_breakdown *session_memory(struct session *ss);

/* Seconds since the snapshot's copy ended. */
double session_age(const struct session *ss);

/* "module.qualname", or just "qualname" for builtins. */
const char *session_type_name(const struct pytype *t, char *buf, size_t cap);

/* Row index of the type object at addr in the current census, or -1. */
long session_type_row(struct session *ss, raddr_t type_addr);

#endif
