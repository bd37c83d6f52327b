/* sites — allocation sites, read from the target's own tracemalloc.
 *
 * When the target runs tracemalloc (PYTHONTRACEMALLOC=N, -X tracemalloc=N,
 * tracemalloc.start(N)), every memory block allocated since has an entry
 * in tracemalloc's traces table: block pointer -> (size, traceback), the
 * traceback being the N innermost Python frames (filename, line) at the
 * allocation.  This module reads that table from the snapshot, so that
 * every object can be given the traceback tracemalloc.get_object_traceback()
 * would give, without running code in the target.
 *
 * Where the table is: 3.12+ in _PyRuntime.tracemalloc (attach/layout.c
 * finds it, layout_fit() checks it); 3.7-3.11 in static variables of
 * Modules/_tracemalloc.c, found through .symtab (py_runtime_info
 * sym_tm_traces): a stripped build (Debian's /usr/bin/python3.11) hides
 * them, and sites_state() says so.  The configuration
 * (_Py_tracemalloc_config, exported) still tells whether it is tracing.
 *
 * The block of an object is what the allocator returned: the object
 * address minus the GC header of a GC type, plus (3.11+) the managed
 * dict/weakref pre-header — what get_object_traceback() subtracts.
 * Objects allocated before tracemalloc started, or from a free list
 * (a float reusing a freed one's memory keeps that one's trace, exactly
 * as tracemalloc itself reports it), are what tracemalloc says they are.
 * Only domain 0 (the Python allocators) is read.
 */
#ifndef HS_SITES_H
#define HS_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "graph.h"
#include "pyobj.h"

struct sites;

enum sites_state {
	SITES_ON,           /* tracing: the traces are read */
	SITES_OFF,          /* the target does not run tracemalloc */
	SITES_HIDDEN,       /* tracing, but this build hides the table (stripped) */
	SITES_UNSUPPORTED   /* a Python version this is not read for (< 3.8) */
};

struct sites_frame {
	const char *file;        /* valid until sites_free */
	uint32_t line;
};

struct sites_tb {
	raddr_t addr;            /* the traceback_t in the target */
	uint32_t nframe;         /* frames stored (at most the max_nframe of tracing) */
	uint32_t total_nframe;   /* frames the stack had (3.9+; = nframe on 3.8) */
	const struct sites_frame *frames;   /* [0] is the most recent call */
};

/* Read tracemalloc's state and traces from the snapshot behind c.  A
 * target that does not trace is no error: *out says so (sites_state).
 * Errors: HS_ERR_NOMEM. */
enum hs_status sites_load(struct pyctx *c, struct sites **out, struct hs_err *err);
void sites_free(struct sites *S);

enum sites_state sites_state(const struct sites *S);
/* One sentence: why there are no sites, and what to do (or, when on,
 * "tracemalloc traces N frames; M blocks traced"). */
const char *sites_why(const struct sites *S);
int sites_max_nframe(const struct sites *S);
uint64_t sites_ntraces(const struct sites *S);

/* The trace of the block of object obj (type t): 0 with *tb (an id for
 * sites_tb) and *size (the block's size as tracemalloc counts it), -1
 * when tracemalloc has no trace for it. */
int sites_lookup(struct sites *S, raddr_t obj, const struct pytype *t, uint32_t *tb,
		 uint64_t *size);
/* Traceback by id; NULL for an unknown id.  Valid until sites_free. */
const struct sites_tb *sites_tb(struct sites *S, uint32_t id);
/* "file:line" of the most recent frame (by_traceback 0), or every frame
 * most recent first, " <- "-separated (1). */
const char *sites_key(struct sites *S, uint32_t id, int by_traceback, char *buf, size_t cap);

/* ==== Objects grouped by site ==== */

struct sites_group {
	uint32_t tb;             /* a traceback of the group (its key) */
	uint64_t count;          /* objects */
	uint64_t traced;         /* their blocks' sizes as tracemalloc counts them */
	uint64_t shallow;        /* their sys.getsizeof */
	graph_obj_t *objs;       /* the objects (malloc'd, freed by sites_groups_free) */
};

/* The objects of g with a trace, grouped by the most recent frame's
 * file:line (by_traceback 0) or by the whole traceback (1); largest traced
 * bytes first.  *untraced counts the objects without a trace.  Returns
 * the number of groups, -1 when memory ran out. */
long sites_groups(struct sites *S, struct graph *g, int by_traceback, struct sites_group **out,
		  uint64_t *untraced);
void sites_groups_free(struct sites_group *gr, long n);

/* ==== Growth by site, between snapshots ==== */

/* Objects and traced bytes per file:line of one snapshot, kept after the
 * snapshot is freed (watch, diff). */
struct sites_census;

/* Of the objects of g (NULL when S is not SITES_ON: an empty census).
 * Errors: HS_ERR_NOMEM. */
enum hs_status sites_census_take(struct sites *S, struct graph *g, struct sites_census **out,
				 struct hs_err *err);
void sites_census_free(struct sites_census *c);
int sites_census_on(const struct sites_census *c);   /* 1 when taken from traces */

struct sites_delta {
	char site[512];              /* "file:line" */
	uint64_t count0, bytes0;     /* objects, traced bytes in the older census */
	uint64_t count1, bytes1;     /* in the newer one */
	int64_t dcount, dbytes;
};

/* Every site of either census, most traced bytes gained first (then
 * objects).  *out malloc'd (free()); the count, -1 on OOM. */
long sites_census_diff(const struct sites_census *older, const struct sites_census *newer,
		       struct sites_delta **out);

#endif
