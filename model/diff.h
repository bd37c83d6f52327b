/* diff — what changed between two snapshots of the same process.
 *
 * A diff_base is a compact record of one snapshot (about 40 bytes per
 * object; the snapshot itself can be freed): per type name the object
 * count and bytes, and per object its identity.  Comparing it with a
 * later snapshot gives per-type deltas, and which objects are "new".
 *
 * What "new" means.  CPython has no object ids that survive between two
 * snapshots other than addresses, and addresses are reused as soon as an
 * object is freed (pymalloc hands the same block to the next allocation
 * of that size class).  An object of the later snapshot is the "same" as
 * one of the earlier snapshot when
 *   - it has the same address and the same class (type object address);
 *   - for immutable kinds (str, bytes, int, float, complex, tuple,
 *     frozenset) the same size and the same leading content;
 *   - for GC-tracked objects, its GC generation has not gone down: an
 *     object only ever moves to older generations (0 → 1 → 2, or to the
 *     permanent one with gc.freeze()), so a gen-0 object where a gen-2 one
 *     used to be is a newcomer at a recycled address.
 * Everything else is new.  Limits: a mutable object freed and replaced at
 * the same address by one of the same class that has already reached the
 * same generation is taken for the old one, so "new" can undercount churn
 * (never overcount growth); per-type count deltas are exact regardless.
 * Types are matched by "module.qualname": several classes of the same name
 * (made by a factory) are added up.
 */
#ifndef HS_DIFF_H
#define HS_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "graph.h"
#include "heap.h"

struct diff_base;

/* Record snapshot h, with its graph g (every object, tracked or not), or
 * g = NULL for the GC-tracked objects of the census only.  t_ms: when it
 * was taken (any clock, used for rates).  Errors: HS_ERR_NOMEM. */
enum hs_status diff_base_take(struct heap *h, struct graph *g, double t_ms,
			      struct diff_base **out, struct hs_err *err);
void diff_base_free(struct diff_base *b);
double diff_base_time(const struct diff_base *b);
uint64_t diff_base_objects(const struct diff_base *b);
uint64_t diff_base_bytes(const struct diff_base *b);
int diff_base_has_graph(const struct diff_base *b);

/* The earlier length of the container at addr, if the same container
 * (same identity rules) was there: 1 and *len set, else 0. */
int diff_prev_len(const struct diff_base *b, raddr_t addr, raddr_t type, int64_t *len);

/* ==== Per-type deltas ==== */

struct diff_type_row {
	char name[128];          /* "module.qualname" */
	uint64_t count0, size0;  /* in the older snapshot */
	uint64_t count1, size1;  /* in the newer one */
	int64_t dcount, dsize;   /* newer - older */
};

/* Rows for every type present in either snapshot, sorted by dcount then
 * dsize, largest growth first.  *out malloc'd (free()).  Returns the
 * count, or -1 on OOM. */
long diff_types(const struct diff_base *older, const struct diff_base *newer,
		struct diff_type_row **out);

/* ==== New objects ==== */

/* Is object o of graph g (the newer snapshot, built on h) absent from
 * `older`?  older NULL: every object is (what holds all instances). */
int diff_is_new(const struct diff_base *older, struct heap *h, struct graph *g,
		graph_obj_t o);

/* How the new objects of one type are held. */
struct diff_pattern {
	char pattern[512];       /* "__main__.CACHE[...]", see diff_path_pattern */
	uint64_t sampled;        /* sampled new objects held this way */
	graph_obj_t example;     /* one of them */
	char holder[128];        /* the type of what holds the example directly
	                          * (its path's last step; "" for a root) */
	char example_path[768];  /* its concrete path (graph_path_text) */
};

struct diff_new {
	char type[128];
	uint64_t count, bytes;   /* new objects of the type, their shallow bytes */
	uint64_t sampled;        /* how many had their path computed */
	uint64_t unrooted;       /* sampled ones no root reaches */
	struct diff_pattern *patterns;  /* most common first */
	size_t npatterns;
};

/* New objects of type `name` ("Request" or "module.Request") in g,
 * grouped by the path pattern that holds them; the paths of at most
 * `sample` of them (spread evenly) are computed (0 = 200).  older NULL:
 * every object of the type, not only new ones.  Fills *out;
 * free with diff_new_fini.  Returns 0, -1 on OOM. */
int diff_new_objects(const struct diff_base *older, struct heap *h, struct graph *g,
		     const char *name, size_t sample, struct diff_new *out);
void diff_new_fini(struct diff_new *d);

/* A path with its concrete keys and indices replaced by "[...]", as a
 * Python-like expression from the root: "__main__.CACHE[...]",
 * "app.Session._all[...]", "<thread 7 run() srv.py:40>.locals['buf'][...]".
 * Attribute names, module globals and local names are kept; dict values,
 * list/tuple/deque items and set members become [...] / {...}. */
const char *diff_path_pattern(struct graph *g, const struct graph_path *p, char *buf,
			      size_t cap);

/* Does type t match `name` (qualname, or module.qualname)? */
int diff_type_matches(const struct pytype *t, const char *name);
/* "module.qualname" of t into buf, builtins without prefix. */
const char *diff_type_name(const struct pytype *t, char *buf, size_t cap);

#endif
