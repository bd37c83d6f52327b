/* graph — the object graph of one snapshot: every object (GC-tracked and
 * not), its referents with edge labels, a reverse index of referrers, the
 * roots, and shortest paths from a root to any object.
 *
 * Built once per snapshot by graph_build(): start from the census's
 * GC-tracked objects and the roots, follow referents (reproducing each
 * type's tp_traverse per version — model/traverse.c — plus the edges a
 * heap tool wants that traverse skips, e.g. str dict keys) to discover
 * untracked objects (str, bytes, int, float, untracked tuples/dicts, code,
 * static objects in the binary), then invert the edges.
 *
 * Memory: the graph keeps per object only its address (8 B) and a slot in
 * an address index (≈8 B); the reverse index is CSR — one uint32 `from`
 * per distinct (referrer, referent) pair.  Edges themselves (labels) are
 * never stored: referents are recomputed by traversing the object on the
 * private copy (cheap), and a referrer's labels by traversing the
 * referrer.  So a 1M-object heap costs tens of MB, not hundreds.
 *
 * Objects are identified by a dense index (graph_obj_t): indices
 * 0..heap_nobjects()-1 are the census's GC-tracked objects in the same
 * order (graph index i == heap index i); discovered objects follow.
 * Addresses map to indices with graph_find().
 */
#ifndef HS_GRAPH_H
#define HS_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "edge.h"
#include "heap.h"

typedef uint32_t graph_obj_t;
#define GRAPH_NONE UINT32_MAX

struct graph;

struct graph_edge {
	graph_obj_t from, to;  /* from = GRAPH_NONE for an edge out of a non-object root */
	uint8_t kind;          /* enum edge_kind */
	uint8_t flags;         /* GRAPH_EF_* */
	uint64_t aux;          /* index, key/name object address, field id, offset */
};

/* Kinds of roots (what keeps things alive from outside the heap). */
enum root_kind {
	ROOT_MODULE,       /* sys.modules['name']: the module and its __dict__ */
	ROOT_THREAD_FRAME, /* a frame on a thread's stack */
	ROOT_BUILTINS,     /* the builtins module dict */
	ROOT_SYS,          /* interp->sysdict */
	ROOT_CLASS,        /* a static (non-heap) class object: lives in the binary */
	ROOT_GARBAGE,      /* gc.garbage */
	ROOT_MODULES,      /* sys.modules itself */
	ROOT_THREAD_STATE, /* a thread's exception being handled, thread dict, context */
};

struct graph_root {
	graph_obj_t obj;   /* the root object; GRAPH_NONE for a 3.11+ thread
			    * frame, which is not an object (its edges carry
			    * GRAPH_EF_ROOT) */
	enum root_kind kind;
	char label[128];   /* "module app.cache", "thread 1234 hold() graph_target.py:42" */
};

/* Build the graph for a census.  `h` (and its snapshot) must outlive the
 * graph.  Errors: HS_ERR_NOMEM; HS_ERR_INCONSISTENT for a heap too large
 * for 32-bit indices. */
enum hs_status graph_build(struct heap *h, struct graph **out, struct hs_err *err);

/* The same universe (every object graph_build would index, in the same
 * order), but no referrer index: for a census of every object (`types`),
 * ~a third faster and smaller.  graph_referrer_objs() and
 * graph_forward_csr() answer nothing on it, and graph_edges_between,
 * paths, retained sizes and dominators are not for it. */
enum hs_status graph_build_census(struct heap *h, struct graph **out, struct hs_err *err);

/* graph_build_census's untracked objects (index >= the census's), per
 * type: *out gets one entry per type, in the order they were met; returns
 * how many.  NULL (0) for a full graph. */
struct graph_tally {
	const struct pytype *type;
	uint64_t count, size;
};
size_t graph_untracked_tally(struct graph *g, const struct graph_tally **out);
void graph_free(struct graph *g);

uint32_t graph_nobjects(struct graph *g);
graph_obj_t graph_find(struct graph *g, raddr_t addr);   /* GRAPH_NONE if unknown */
raddr_t graph_addr(struct graph *g, graph_obj_t o);
const struct pytype *graph_type(struct graph *g, graph_obj_t o);
uint64_t graph_size(struct graph *g, graph_obj_t o);     /* sys.getsizeof */
int graph_tracked(struct graph *g, graph_obj_t o);       /* on a GC list */
/* GC generation 0..2, 3 = permanent (gc.freeze()), -1 = not tracked. */
int graph_gen(struct graph *g, graph_obj_t o);
/* 1 when o's referents reproduce its type's tp_traverse exactly; 0 when
 * part of o is scanned conservatively (an extension type we cannot
 * decode: referents it holds that nothing else refers to are missed). */
int graph_exact(struct graph *g, graph_obj_t o);
/* Raw ob_refcnt; *immortal (may be NULL) set on 3.12+ immortal objects. */
int64_t graph_refcnt(struct graph *g, graph_obj_t o, int *immortal);

/* Referents / referrers of o, as edges.  The arrays are computed on first
 * request and cached: valid until graph_free.  Referents include every
 * edge (owning, weak, conservative); referrers are the owning edges into
 * o from every referrer (several edges when a referrer holds o twice). */
size_t graph_referents(struct graph *g, graph_obj_t o, const struct graph_edge **out);
size_t graph_referrers(struct graph *g, graph_obj_t o, const struct graph_edge **out);

/* The reverse index itself: distinct objects holding an owning reference
 * to o, O(1) (valid until graph_free).  For paging through millions of
 * referrers without computing their labels. */
const graph_obj_t *graph_referrer_objs(struct graph *g, graph_obj_t o, size_t *n);
/* Weakref objects whose referent is o (not in the reverse index). */
size_t graph_weak_referrers(struct graph *g, graph_obj_t o, const graph_obj_t **out);
/* The owning edges as forward CSR (the reverse index inverted, e.g. for a
 * dominator tree): successors of o are (*to)[(*off)[o] .. (*off)[o+1]),
 * each distinct once.  Both arrays are malloc'd (the caller frees them):
 * 4 bytes per edge + 4 per object.  Returns 0, or -1 out of memory. */
int graph_forward_csr(struct graph *g, uint32_t **off, uint32_t **to);
/* Objects the roots hold directly: every root object and every target of
 * a root that is not an object.  *out is malloc'd; returns the count. */
size_t graph_root_objects(struct graph *g, graph_obj_t **out);
/* Edges from `from` to `to` (labels), at most max; returns how many. */
size_t graph_edges_between(struct graph *g, graph_obj_t from, graph_obj_t to,
			   struct graph_edge *out, size_t max);

/* "[3]", "['key']", ".attr", "__dict__", "__closure__", "f_locals['x']" */
const char *graph_edge_label(struct graph *g, const struct graph_edge *e,
			     char *buf, size_t cap);

size_t graph_roots(struct graph *g, const struct graph_root **out);

/* Up to `max` shortest distinct chains root -> … -> o, shortest first.
 * Each path is an array of edges from the root object to o (n = 0 when o
 * is itself a root); free with graph_paths_free.  Returns 0 when no root
 * reaches o (garbage cycles, objects held only from C). */
struct graph_path {
	const struct graph_root *root;
	struct graph_edge *edges;
	size_t n;
};
size_t graph_paths(struct graph *g, graph_obj_t o, size_t max,
		   struct graph_path **out);
void graph_paths_free(struct graph_path *p, size_t n);
/* One line: "module app.cache → .CACHE ['/api/1'] → Request.headers → dict" */
const char *graph_path_text(struct graph *g, const struct graph_path *p,
			    char *buf, size_t cap);

/* "module.qualname" of o's type ("dict", "collections.OrderedDict",
 * "app.models.Request"), into buf. */
const char *graph_type_name(struct graph *g, graph_obj_t o, char *buf, size_t cap);
/* A short value for o (repr-like, cut to cap). */
const char *graph_value(struct graph *g, graph_obj_t o, char *buf, size_t cap);

/* Objects whose type is `name`: a qualname ("Request", "dict") or
 * "module.qualname" ("app.models.Request", "builtins.dict").  *out is
 * malloc'd (caller frees); returns the count. */
size_t graph_objects_of_type(struct graph *g, const char *name, graph_obj_t **out);

struct graph_stats {
	uint32_t objects;       /* in the universe */
	uint32_t tracked;       /* of which GC-tracked (= census objects) */
	uint64_t ref_entries;   /* reverse-index entries (distinct referrer/referent pairs) */
	uint64_t weak_edges;
	uint64_t dangling;      /* pointers that did not lead to a valid object */
	uint32_t conservative_types;  /* types scanned conservatively */
	uint32_t roots;
	double build_ms;
	uint64_t bytes;         /* memory held by the graph's indexes */
	double index_ms, syms_ms, roots_ms, walk_ms, fill_ms;   /* build_ms, by phase */
};
const struct graph_stats *graph_stats(struct graph *g);

/* A few of the invalid pointers met while building (for diagnostics). */
struct graph_bad {
	raddr_t from, to;       /* referrer address, the bad pointer */
	char label[64];
	char why[48];           /* "misaligned", "outside the snapshot", "no valid type" */
};
size_t graph_dangling(struct graph *g, const struct graph_bad **out);

double graph_build_ms(struct graph *g);

#endif
