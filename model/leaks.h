/* leaks — retained sizes, the heap's dominator tree, what gc.collect()
 * would free, and ranked leak suspects, for one snapshot.
 *
 * The dominator tree (model/dominator.c) is computed over the owning
 * edges of the object graph (model/graph.h) from one virtual root, "all
 * roots", whose successors are what the roots hold directly
 * (graph_root_objects): every root object (modules and their dicts,
 * sys.modules, builtins, sys, static classes, gc.garbage, ≤3.10 thread
 * frames) and the targets of the roots that are no objects (the locals,
 * cells, function, code and value stack of a 3.11+ frame, a thread's
 * exception and dict).  What one 3.11+ frame holds therefore hangs
 * directly off the virtual root: the path (graph_paths) names the frame.
 *
 * Edges left out, and why:
 *   - weakref referents: a weak reference does not keep its target alive;
 *   - ob_type (an object's own class, and a class's own metaclass): every
 *     instance holds its class, so counting that edge would let a class
 *     and everything in its __dict__ be "retained" by an instance whenever
 *     a single instance exists, and make the retained size of a class
 *     depend on how many instances are alive.  Like MAT and Chrome, a
 *     class belongs to whoever holds the class (its module, in practice).
 *     An object that also stores its own class in an attribute is treated
 *     the same way (the edge is the same pair of objects).
 * Everything else the graph reports as owning counts, including edges
 * found by a conservative scan of undecodable extension types.
 *
 * Objects no root reaches (cyclic garbage waiting for a collection,
 * objects only C code holds) are adopted by the virtual root (see
 * DOM_ADOPT_UNREACHABLE), so every object has a retained size; they are
 * flagged unreachable.
 *
 * Sizes: shallow = sys.getsizeof(obj) (graph_size); retained = the sum of
 * the shallow sizes of everything obj dominates, obj included, i.e.
 * exactly the bytes that would become unreachable if obj were freed.
 * Memory the object graph cannot see (malloc'd buffers of C extensions
 * that their __sizeof__ does not report) is in neither.
 */
#ifndef HS_LEAKS_H
#define HS_LEAKS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "graph.h"
#include "heap.h"

struct diff_base;

/* A node of the dominator tree: an object (same number as graph_obj_t,
 * 0..graph_nobjects()-1), or the virtual root of everything (leaks_top(),
 * = graph_nobjects()). */
typedef uint32_t leaks_node_t;
#define LEAKS_NONE UINT32_MAX

struct leaks;

struct leaks_stats {
	uint32_t nodes;             /* objects + virtual nodes */
	uint64_t edges;             /* owning edges the dominators ran on */
	uint64_t type_edges;        /* ob_type edges left out */
	uint32_t unreachable;       /* objects no root reaches */
	uint32_t adopted;           /* ... of which entry points (see dominator.h) */
	uint64_t total;             /* shallow sizes of every object */
	uint64_t unreachable_bytes; /* shallow sizes of the unreachable ones */
	double prepare_ms;          /* owning-edge CSR from the graph, sizes */
	double tree_ms;             /* Lengauer–Tarjan + retained sizes */
	double types_ms;            /* per-type retained sizes, unreachable marks */
	double dominators_ms;       /* all of leaks_build: the three above */
};

/* Build the dominator tree and retained sizes of graph g (built on h).
 * h and g must outlive the result.  Errors: HS_ERR_NOMEM. */
enum hs_status leaks_build(struct heap *h, struct graph *g, struct leaks **out,
			   struct hs_err *err);
void leaks_free(struct leaks *L);
const struct leaks_stats *leaks_stats(struct leaks *L);
struct graph *leaks_graph(struct leaks *L);

/* ==== Per object (the TUI's "retained" column) ==== */

/* Retained size of object o (0 if o is not an object). */
uint64_t leaks_retained(struct leaks *L, graph_obj_t o);
/* The object that immediately dominates o: GRAPH_NONE when o hangs
 * directly off the virtual root (held by roots only, or by several). */
graph_obj_t leaks_idom_obj(struct leaks *L, graph_obj_t o);
/* 1 when no root reaches o (garbage cycles, objects only C holds). */
int leaks_unreachable(struct leaks *L, graph_obj_t o);

/* ==== The dominator tree (the TUI's dominator screen) ==== */

leaks_node_t leaks_top(struct leaks *L);                 /* "all roots" */
leaks_node_t leaks_parent(struct leaks *L, leaks_node_t v);  /* LEAKS_NONE for the top */
/* Children of v, largest retained first (valid until leaks_free). */
size_t leaks_children(struct leaks *L, leaks_node_t v, const leaks_node_t **out);
uint64_t leaks_node_retained(struct leaks *L, leaks_node_t v);
uint64_t leaks_node_shallow(struct leaks *L, leaks_node_t v);
/* The object of v, or GRAPH_NONE for the virtual root. */
graph_obj_t leaks_node_obj(struct leaks *L, leaks_node_t v);
/* One line: "all roots", or "dict {'a': 1, …}" for an object. */
const char *leaks_node_label(struct leaks *L, leaks_node_t v, char *buf, size_t cap);

/* The dominator input itself, for checking it from outside (the
 * integration tests brute-force retained sizes on it): v's successors
 * (owning edges, ob_type left out; the top's are what the roots hold),
 * valid until leaks_free; and whether v was adopted as an entry point of
 * an unreachable region (the virtual root then has an edge to it). */
size_t leaks_succ(struct leaks *L, leaks_node_t v, const uint32_t **out);
int leaks_adopted(struct leaks *L, leaks_node_t v);

/* ==== Per type ==== */

struct leaks_type_row {
	const struct pytype *type;
	char name[128];        /* "module.qualname" (builtins without prefix) */
	uint64_t count;        /* objects (GC-tracked or not) */
	uint64_t shallow;      /* sum of their sizes */
	uint64_t retained;     /* bytes dominated by at least one instance: each
				* instance's retained size, except instances
				* dominated by another instance of the type
				* (nested ones are already inside it) */
	uint64_t unreachable;  /* of count, no root reaches them */
};

/* Every type, largest retained first (valid until leaks_free). */
size_t leaks_types(struct leaks *L, const struct leaks_type_row **out);
/* Row of o's type, or NULL. */
const struct leaks_type_row *leaks_type_of(struct leaks *L, graph_obj_t o);

/* Bytes that would be freed if all n objects went at once: the shallow
 * sizes of everything no root reaches without passing through one of
 * them (the group's retained set, the objects included).  Exact where
 * the per-object retained sizes are only a lower bound: objects held only
 * by several members of the group count once.  One walk over the owning
 * edges, O(objects + references).  UINT64_MAX when memory ran out. */
uint64_t leaks_group_retained(struct leaks *L, const graph_obj_t *objs, size_t n);

/* ==== Largest retainers ==== */

/* The n objects with the largest retained sizes, largest first (*out
 * malloc'd, caller frees).  Returns how many. */
size_t leaks_top_objects(struct leaks *L, size_t n, graph_obj_t **out);

/* ==== What a full collection would free ==== */

struct leaks_garbage {
	uint64_t objects, bytes;    /* gc.collect() would free these */
	uint64_t with_del;          /* ... whose class defines __del__ */
	uint64_t with_del_bytes;    /* their shallow sizes */
	uint64_t cyclic_tracked;    /* ... GC-tracked ones (the cycles themselves) */
	graph_obj_t example;        /* the garbage object retaining the most */
	struct { const struct leaks_type_row *row; uint64_t count, bytes; } top[5];
	size_t ntop;
};

/* Emulates CPython's collector on the snapshot: an object is garbage when
 * nothing outside the GC-tracked heap refers to it (ob_refcnt equals the
 * references from GC-tracked objects) and no such externally held object
 * or root reaches it.  Conservative: references counted once per
 * referrer, so an object held twice by the same container looks
 * externally held (and stays alive).  Immortal and frozen objects stay
 * alive.  Computed on first call; NULL on OOM. */
const struct leaks_garbage *leaks_garbage(struct leaks *L);
/* 1 when o is part of that garbage. */
int leaks_is_garbage(struct leaks *L, graph_obj_t o);

/* ==== Suspects ==== */

enum leaks_kind {
	LEAK_GC_GARBAGE,     /* gc.garbage holds objects: never freed */
	LEAK_CYCLES,         /* cyclic garbage a collection would free (GC off?) */
	LEAK_DEL_CYCLE,      /* cyclic garbage with __del__ finalizers */
	LEAK_CACHE,          /* dict used as a cache with no size bound / lru_cache(None) */
	LEAK_REGISTRY,       /* container that alone keeps its members alive */
	LEAK_CLOSURE,        /* closure / bound method / partial retaining data */
	LEAK_CONTAINER,      /* large or growing container held from a global */
	LEAK_LARGE_OBJECT,   /* one big object (bytes, array, instance) */
	LEAK_SLOTS,          /* many instances carrying a __dict__ */
	LEAK_GC_STATE,       /* GC disabled, unusual thresholds, gen0, frozen */
	LEAK_ACCUMULATION,   /* many instances of one class that together retain
				a large share, held from several places (MAT's
				"accumulation" suspect): no single object dominates them */
	LEAK__COUNT
};

enum leaks_severity { SEV_INFO = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH };

const char *leaks_kind_name(enum leaks_kind k);       /* "cache", "registry"… */
const char *leaks_severity_name(enum leaks_severity s);   /* "high"… */

/* Where the instances of an accumulation suspect are held: the path
 * pattern of the containers holding them, with the share of the sampled
 * instances held that way (an instance held from two places counts for
 * both, so the shares may add up to more than 100%). */
#define LEAKS_MAX_POINTS 4
struct leaks_accum_point {
	char pattern[400];       /* "__main__.CACHE[...]" (diff_path_pattern of the hop) */
	char holder[160];        /* "Session.requests[...]" when the container belongs to
				    an instance, else the pattern */
	uint64_t sampled;        /* sampled instances held this way */
	uint64_t containers;     /* distinct containers seen with this pattern */
	double share;            /* sampled / the suspect's sampled */
	graph_obj_t example;     /* one of the containers */
};

struct leaks_suspect {
	enum leaks_kind kind;
	enum leaks_severity severity;
	uint64_t bytes;        /* the memory at stake (retained bytes, garbage
				  bytes, __slots__ saving…): the ranking key */
	graph_obj_t obj;       /* the subject (container, function…); GRAPH_NONE
				  for process-wide findings */
	graph_obj_t accum;     /* where the bytes pile up (may equal obj) */
	uint64_t count;        /* items / instances / objects involved */
	int64_t growth;        /* items gained since the earlier snapshot;
				  INT64_MIN when unknown */
	char title[200];       /* one line */
	char evidence[1024];   /* why, with numbers */
	char path[1024];       /* shortest path from a root to obj, "" if none */
	/* LEAK_ACCUMULATION only: the class, how many instances were
	 * sampled for the accumulation points, and the points (most
	 * instances first); obj is the instance retaining the most */
	char group[128];
	uint64_t sampled;
	struct leaks_accum_point points[LEAKS_MAX_POINTS];
	size_t npoints;
};

struct leaks_suspect_opts {
	uint64_t min_bytes;              /* report below this? never; 0 = default (256 KiB) */
	const struct diff_base *before;  /* an earlier snapshot: growth evidence; may be NULL */
	double interval_s;               /* seconds between `before` and this one */
};

/* Rank findings: severity first, then bytes; the finding with the most
 * bytes at stake is never ranked below third.  *out malloc'd (free()).
 * Returns how many (0 also when memory ran out). */
size_t leaks_suspects(struct leaks *L, const struct leaks_suspect_opts *o,
		      struct leaks_suspect **out);


#endif
