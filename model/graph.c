/* graph — object universe, reverse index, roots, paths.  See graph.h.
 *
 * Build (graph_build), in one sweep over a growing object array:
 *   1. the census's GC objects are objects 0..N-1 (same order as heap.c);
 *   2. roots are collected (sys.modules, builtins, sys, gc.garbage, thread
 *      frames); what they hold is appended;
 *   3. pass A walks every object in index order (the array is the BFS
 *      queue): each referent is looked up in the address index, and an
 *      unknown one is validated (aligned, inside the snapshot, its type is
 *      a type) and appended.  The same walk counts each object's distinct
 *      referents' in-degree and appends them to a forward stream (4 bytes
 *      per edge, freed at the end).  Objects of undecodable types need a
 *      conservative scan, which depends on the set of known objects, so
 *      they only help discovery here and are walked again once the
 *      universe is complete;
 *   4. the counts become CSR offsets and a replay of the stream fills the
 *      `from` column: no second traversal, no second lookup.
 *
 * Nothing is recursive: traversal, BFS and discovery all run on arrays.
 */
#include "graph.h"

#include "addrhash.h"
#include "bigmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "elfsym.h"
#include "testhook.h"
#include "frames.h"
#include "traverse.h"
#include "value.h"

#define MAX_BAD 16
#define MAX_OBJECTS ((1u << 31) - 2)   /* indices are uint32; the stream uses bit 31 */
#define STREAM_FROM 0x80000000u        /* stream word: "edges of object x follow" */
#define EDGE_Q 32                      /* pass A edges in flight (a power of two) */
#define OBJ_AHEAD 8                    /* objects whose header pass A fetches ahead */

struct weak_pair { uint32_t to, from; };

/* An edge out of a root that is not an object (3.11+ thread frames). */
struct root_edge {
	uint32_t to;
	uint32_t root;
	uint8_t kind;
	uint64_t aux;
};

struct root_obj { uint32_t obj, root; };

struct ecache_ent {
	graph_obj_t o;          /* GRAPH_NONE = empty slot */
	size_t n;
	struct graph_edge *e;
};

struct ecache {
	struct ecache_ent *tab;
	size_t cap, used;
};

enum build_mode {
	M_QUERY,            /* after the build: lookups only */
	M_DISCOVER_COUNT,   /* pass A, decodable objects */
	M_DISCOVER_ONLY,    /* pass A, conservative objects: discovery only */
	M_COUNT,            /* conservative objects, once the universe is final */
};

struct graph {
	struct heap *h;
	struct hs_snapshot *snap;
	struct pyctx *c;
	memsrc *m;
	struct trav *tr;

	raddr_t *addr;          /* the universe */
	uint32_t n, cap, ntracked;
	uint32_t *map;          /* address index: (object index + 1) | tag, 0 = empty */
	uint64_t mapcap;
	unsigned idxbits;       /* low bits of a slot hold index + 1, the rest a hash tag */

	uint32_t *roff;         /* CSR: referrers of o are rfrom[roff[o]..roff[o+1]) */
	uint32_t *rfrom;
	uint64_t nref;
	struct weak_pair *weak; /* (to, from) pairs met while building */
	size_t nweak, capweak;
	uint32_t *weak_to, *weak_from;  /* the pairs sorted by `to`, as two columns */

	struct graph_root *roots;
	size_t nroots, caproots;
	struct root_edge *redges;   /* sorted by `to` after the build */
	size_t nredges, capredges;
	struct root_obj *robjs;     /* sorted by obj after the build */
	size_t nrobjs, caprobjs;
	uint8_t *isroot;            /* bitmap over objects */

	struct ecache referents_cache, referrers_cache;
	struct graph_bad bad[MAX_BAD];
	size_t nbad;
	struct graph_stats st;

	/* build state */
	enum build_mode mode;
	uint32_t cur;               /* index of the object being walked */
	/* Per object, side by side so that counting an edge touches one
	 * cache line: distinct referrers, and cur+1 of the last one counted. */
	struct indeg { uint32_t count, stamp; } *deg;
	uint32_t *stream;           /* STREAM_FROM|from, to, to, …, STREAM_FROM|from, … */
	size_t nstream, capstream;
	uint32_t stream_from;       /* object whose marker was written last */
	uint32_t *deferred;
	size_t ndeferred, capdeferred;
	uint64_t fill_lost;         /* stream entries that did not fit the counts (a bug) */
	/* Pass A's edges wait in a short queue before they are resolved, so
	 * that their index slots can be fetched meanwhile (see build_cb). */
	struct qedge { raddr_t to; uint32_t from; uint8_t flags; } q[EDGE_Q];
	unsigned qhead, qlen;
	struct mem_cursor pcur;     /* for prefetching objects (leaves g->m's cache alone) */
	int oom;
	/* graph_build_census: the universe only (no reverse index, no
	 * deg[]), and the untracked objects tallied per type as they are
	 * found: tally[] in the order the types were met, tcache[] the
	 * recent ones (index + 1, 0 = empty) */
	int census;
	struct graph_tally *tally;
	size_t ntally, captally;
	uint32_t tcache[16];
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Grow *arr (of elem-size items, capacity *cap) to hold `need`. */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 64;
	while (nc < need)
		nc += nc / 2 + 64;
	void *p = realloc(*arr, nc * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

/* addr[] and deg[] grow while pass A appends objects.  They are mapped
 * directly rather than malloc'd: room reserved and never touched costs no
 * memory, so the build reserves several times the census up front, and
 * growing past that is mremap (the pages move, no byte is copied; a
 * realloc of a heap chunk copied both arrays, ~5 % of the build at 1M
 * objects).  Fresh mappings read as zeros, which deg[] needs.  The
 * huge-page advice covers the whole mapping: advice on part of it would
 * split it into several VMAs, and mremap refuses to move a range that
 * spans more than one (EFAULT). */
static size_t arr_bytes(size_t n, size_t elem)
{
	const size_t page = 4096;
	return (n * elem + page - 1) / page * page;
}

static void *arr_map(size_t n, size_t elem)
{
	void *p = mmap(NULL, arr_bytes(n, elem), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, arr_bytes(n, elem), MADV_HUGEPAGE);
	return p;
}

static void *arr_grow(void *p, size_t old, size_t n, size_t elem)
{
	void *q = mremap(p, arr_bytes(old, elem), arr_bytes(n, elem), MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return NULL;
	madvise(q, arr_bytes(n, elem), MADV_HUGEPAGE);
	return q;
}

static void arr_unmap(void *p, size_t n, size_t elem)
{
	if (p)
		munmap(p, arr_bytes(n, elem));
}

/* ==== Address index ==== */

/* Home slot of an address in a table of `cap` slots (any size, not just
 * powers of two, so the index can stay ~1.7 slots per object). */
static inline uint64_t home(raddr_t a, uint64_t cap)
{
	return (uint64_t)(((unsigned __int128)addr_mix(a) * cap) >> 64);
}

/* A slot keeps some hash bits above the index so that most probes that
 * miss are rejected without touching addr[] (a second cache miss).  The
 * tag comes from the low hash bits; home() uses the high ones. */
static inline uint32_t slot_tag(const struct graph *g, uint64_t h)
{
	return g->idxbits >= 32 ? 0 : (uint32_t)h << g->idxbits;
}

static graph_obj_t lookup(const struct graph *g, raddr_t a)
{
	uint64_t h = addr_mix(a), i = (uint64_t)(((unsigned __int128)h * g->mapcap) >> 64);
	uint32_t tag = slot_tag(g, h), low = g->idxbits >= 32 ? UINT32_MAX : (1u << g->idxbits) - 1;
	uint32_t v;
	while ((v = g->map[i])) {
		if ((v & ~low) == tag && g->addr[(v & low) - 1] == a)
			return (v & low) - 1;
		if (++i == g->mapcap)
			i = 0;
	}
	return GRAPH_NONE;
}

static void map_put(struct graph *g, raddr_t a, uint32_t idx)
{
	uint64_t h = addr_mix(a), i = (uint64_t)(((unsigned __int128)h * g->mapcap) >> 64);
	while (g->map[i])
		if (++i == g->mapcap)
			i = 0;
	g->map[i] = (idx + 1) | slot_tag(g, h);
}

/* Size the index for `ncap` slots; the index bits must cover every object
 * added before the next resize (at 75% load: slots are 4 bytes, so even
 * a long probe stays within a cache line or two, and a rehash of the
 * whole index costs more than the longer probes save). */
static int map_resize(struct graph *g, uint64_t ncap)
{
	uint32_t *nm = calloc(ncap, sizeof *nm);
	if (!nm)
		return -1;
	huge_advise(nm, ncap * sizeof *nm);
	uint64_t most = ncap * 3 / 4 + 2;
	unsigned bits = 1;
	while (bits < 32 && ((uint64_t)1 << bits) <= most)
		bits++;
	free(g->map);
	g->map = nm;
	g->mapcap = ncap;
	g->idxbits = bits;
	for (uint32_t i = 0; i < g->n; i++)
		map_put(g, g->addr[i], i);
	return 0;
}

/* Append an object (known not to be in the index). */
static graph_obj_t add_object(struct graph *g, raddr_t a)
{
	if (g->n >= MAX_OBJECTS) {
		g->oom = 1;
		return GRAPH_NONE;
	}
	if (g->n == g->cap) {
		uint64_t want = (uint64_t)g->cap * 2 + 1024;
		uint32_t nc = want > MAX_OBJECTS ? MAX_OBJECTS : (uint32_t)want;
		raddr_t *na = arr_grow(g->addr, g->cap, nc, sizeof *na);
		if (!na) {
			g->oom = 1;
			return GRAPH_NONE;
		}
		g->addr = na;
		if (g->deg) {   /* graph_build_census has none */
			struct indeg *nd = arr_grow(g->deg, g->cap, nc, sizeof *nd);
			if (!nd) {
				/* addr[] back to cap, so that it is unmapped whole
				 * (shrinking in place does not fail) */
				g->addr = arr_grow(na, nc, g->cap, sizeof *na);
				g->oom = 1;
				return GRAPH_NONE;
			}
			g->deg = nd;
		}
		g->cap = nc;
	}
	/* keep the index at most 75% full */
	if ((uint64_t)(g->n + 1) * 4 > g->mapcap * 3 &&
	    map_resize(g, g->mapcap * 2 + 1024) != 0) {
		g->oom = 1;
		return GRAPH_NONE;
	}
	g->addr[g->n] = a;
	map_put(g, a, g->n);
	return g->n++;
}

/* ==== Discovery ==== */

static void note_bad(struct graph *g, raddr_t from, raddr_t to, const char *why)
{
	g->st.dangling++;
	if (g->nbad >= MAX_BAD)
		return;
	struct graph_bad *b = &g->bad[g->nbad++];
	b->from = from;
	b->to = to;
	b->label[0] = 0;
	snprintf(b->why, sizeof b->why, "%s", why);
}

static int add_root(struct graph *g, graph_obj_t o, enum root_kind kind, const char *label);

/* Count an untracked object found by graph_build_census under its type:
 * its header is in cache now, a second pass would fetch it again.  Types
 * are few and come in runs: a small direct-mapped cache in front of a
 * linear search. */
static void tally_add(struct graph *g, const struct pytype *t, raddr_t a)
{
	size_t k = addr_mix(t->addr) % (sizeof g->tcache / sizeof *g->tcache);
	size_t i = g->tcache[k] - 1;   /* SIZE_MAX when empty */
	if (i >= g->ntally || g->tally[i].type != t) {
		for (i = 0; i < g->ntally && g->tally[i].type != t; i++)
			;
		if (i == g->ntally) {
			if (grow((void **)&g->tally, &g->captally, g->ntally + 1, sizeof *g->tally)) {
				g->oom = 1;
				return;
			}
			g->tally[g->ntally++] = (struct graph_tally){t, 0, 0};
		}
		g->tcache[k] = (uint32_t)i + 1;
	}
	g->tally[i].count++;
	g->tally[i].size += py_getsizeof(g->c, a, t);
}

/* A pointer that is not in the index yet: an object if it is aligned,
 * readable and its type is a type.  Static classes met this way become
 * roots (they live in the binary, nothing frees them). */
static graph_obj_t discover(struct graph *g, raddr_t a)
{
	raddr_t from = g->cur < g->n ? g->addr[g->cur] : 0;
	uint64_t w[2];
	if (a & 7) {
		note_bad(g, from, a, "misaligned");
		return GRAPH_NONE;
	}
	/* (mem_ptr answers exactly when mem_in_copy does, and for lazy
	 * bytes, which mem_read would read too; the header's ob_type is then
	 * at hand) */
	const uint64_t *hdr = mem_ptr(g->m, a, 16);
	if (!hdr && mem_read(g->m, a, w, sizeof w) != 0) {
		note_bad(g, from, a, "outside the snapshot");
		return GRAPH_NONE;
	}
	const struct py_layout *L = pyctx_layout(g->c);
	const struct pytype *t = hdr && L->ob_type == 8
		? (hdr[1] ? py_type(g->c, hdr[1]) : NULL)
		: py_type_of_obj(g->c, a);
	if (!t) {
		note_bad(g, from, a, "no valid type");
		return GRAPH_NONE;
	}
	graph_obj_t o = add_object(g, a);
	if (o != GRAPH_NONE && g->census)
		tally_add(g, t, a);
	if (o != GRAPH_NONE && t->kind == PYK_TYPE) {
		const struct pytype *self = py_type(g->c, a);
		if (self && !self->is_heap) {
			char label[128];
			snprintf(label, sizeof label, "class %s", self->tp_name ? self->tp_name : "?");
			add_root(g, o, ROOT_CLASS, label);
		}
	}
	return o;
}

/* Index of an address, discovering it when allowed. */
static graph_obj_t resolve(struct graph *g, raddr_t a)
{
	graph_obj_t o = lookup(g, a);
	if (o == GRAPH_NONE && (g->mode == M_DISCOVER_COUNT || g->mode == M_DISCOVER_ONLY))
		o = discover(g, a);
	return o;
}

static void weak_push(struct graph *g, uint32_t to, uint32_t from)
{
	if (grow((void **)&g->weak, &g->capweak, g->nweak + 1, sizeof *g->weak)) {
		g->oom = 1;
		return;
	}
	g->weak[g->nweak++] = (struct weak_pair){to, from};
}

static int stream_push(struct graph *g, uint32_t w)
{
	if (g->nstream == g->capstream &&
	    grow((void **)&g->stream, &g->capstream, g->nstream + 1, sizeof *g->stream)) {
		g->oom = 1;
		return 1;
	}
	g->stream[g->nstream++] = w;
	return 0;
}

/* A numpy array that only an extension type we cannot decode refers to
 * (pandas' blocks, a Cython class): not a GC object, so nothing would
 * discover it, and its data would be missing from every retained size.
 * A word of a conservative scan that points to a well-formed ndarray (its
 * type decodes as one, a live refcount, numpy's struct reads) is known,
 * and discovered: the one exception to "scans discover nothing". */
static int plausible_ndarray(struct graph *g, raddr_t a)
{
	if (!a || (a & 7))
		return 0;
	const struct pytype *t = py_type_of_obj(g->c, a);
	int64_t rc;
	struct py_ndarray arr;
	return t && t->kind == PYK_NDARRAY && py_refcnt(g->c, a, &rc) == 0 && rc > 0 &&
	       py_ndarray(g->c, a, t, &arr) == 0;
}

/* One edge of object g->cur: discover and/or count, per mode. */
static int edge_now(struct graph *g, raddr_t target, uint8_t flags)
{
	if (flags & GRAPH_EF_WEAK) {
		if (g->mode == M_DISCOVER_COUNT || g->mode == M_DISCOVER_ONLY) {
			graph_obj_t to = resolve(g, target);
			if (to != GRAPH_NONE && !g->census)
				weak_push(g, to, g->cur);
		}
		return 0;
	}
	if ((flags & GRAPH_EF_CONSERVATIVE) && g->mode == M_DISCOVER_ONLY) {
		if (lookup(g, target) == GRAPH_NONE && plausible_ndarray(g, target))
			discover(g, target);
		return 0;
	}
	graph_obj_t to = resolve(g, target);
	if (to == GRAPH_NONE || g->mode == M_DISCOVER_ONLY || g->census)
		return g->oom;
	/* one reverse entry per distinct (referrer, referent) */
	struct indeg *d = &g->deg[to];
	if (d->stamp == g->cur + 1)
		return 0;
	d->stamp = g->cur + 1;
	d->count++;
	if (g->stream_from != g->cur && stream_push(g, STREAM_FROM | g->cur))
		return 1;
	g->stream_from = g->cur;
	return stream_push(g, to);
}

/* Where the index keeps (or would put) address a: fetch that slot.
 * (always_inline: GCC 12 takes a function whose only effect is a
 * prefetch for pure and drops the call.) */
static inline __attribute__((always_inline)) void prefetch_slot(const struct graph *g, raddr_t a)
{
	__builtin_prefetch(&g->map[home(a, g->mapcap)]);
}

/* The slot fetched earlier is (likely) in cache now: when it holds a
 * candidate for a, fetch the candidate's address and referrer count,
 * the two other lines resolving the edge touches; when it does not, a
 * is probably new, and discover() will read its header. */
static inline __attribute__((always_inline)) void prefetch_entry(struct graph *g, raddr_t a)
{
	uint64_t h = addr_mix(a);
	uint32_t v = g->map[(uint64_t)(((unsigned __int128)h * g->mapcap) >> 64)];
	uint32_t low = g->idxbits >= 32 ? UINT32_MAX : (1u << g->idxbits) - 1;
	if (v && (v & ~low) == slot_tag(g, h) && (v & low) - 1 < g->n) {
		__builtin_prefetch(&g->addr[(v & low) - 1]);
		if (g->deg)
			__builtin_prefetch(&g->deg[(v & low) - 1]);
	} else if (!(a & 7)) {
		const void *p = mem_cursor_ptr(g->m, &g->pcur, a, 16);
		if (p)
			__builtin_prefetch(p);
	}
}

/* Resolve the oldest queued edge, as its walk would have. */
static int edge_pop(struct graph *g)
{
	struct qedge e = g->q[g->qhead];
	g->qhead = (g->qhead + 1) & (EDGE_Q - 1);
	g->qlen--;
	uint32_t cur = g->cur;
	enum build_mode mode = g->mode;
	g->cur = e.from;
	g->mode = M_DISCOVER_COUNT;
	int r = edge_now(g, e.to, e.flags);
	g->cur = cur;
	g->mode = mode;
	return r;
}

/* Resolve every queued edge: before anything that depends on what is
 * known so far (a conservative walk, the end of the pass). */
static void edge_flush(struct graph *g)
{
	while (g->qlen)
		edge_pop(g);
}

/* The build's edge callback.  A decodable object's edges (pass A) are
 * queued and resolved EDGE_Q edges later, in the order they came: the
 * index lookups are random accesses into tens of MB, and the queue lets
 * the fetches of the next edges' slots overlap while older ones are
 * resolved.  Nothing a walk reads depends on the index (only conservative
 * scans do, and those walks flush the queue first), so the universe, its
 * order and the counts are the same as resolving each edge at once. */
static int build_cb(void *arg, const struct trav_edge *e)
{
	struct graph *g = arg;
	if (g->mode != M_DISCOVER_COUNT) {
		edge_flush(g);
		return edge_now(g, e->to, e->flags);
	}
	if (g->qlen == EDGE_Q)
		edge_pop(g);
	if (g->qlen >= EDGE_Q / 2)
		prefetch_entry(g, g->q[(g->qhead + g->qlen - EDGE_Q / 2) & (EDGE_Q - 1)].to);
	prefetch_slot(g, e->to);
	g->q[(g->qhead + g->qlen) & (EDGE_Q - 1)] = (struct qedge){e->to, g->cur, e->flags};
	g->qlen++;
	return g->oom;
}

/* ==== Roots ==== */

static int add_root(struct graph *g, graph_obj_t o, enum root_kind kind, const char *label)
{
	if (o != GRAPH_NONE) {
		for (size_t i = 0; i < g->nrobjs; i++)   /* only during the build: few roots */
			if (g->robjs[i].obj == o)
				return -1;
	}
	if (grow((void **)&g->roots, &g->caproots, g->nroots + 1, sizeof *g->roots)) {
		g->oom = 1;
		return -1;
	}
	struct graph_root *r = &g->roots[g->nroots];
	memset(r, 0, sizeof *r);
	r->obj = o;
	r->kind = kind;
	snprintf(r->label, sizeof r->label, "%s", label);
	if (o != GRAPH_NONE) {
		if (grow((void **)&g->robjs, &g->caprobjs, g->nrobjs + 1, sizeof *g->robjs)) {
			g->oom = 1;
			return -1;
		}
		g->robjs[g->nrobjs++] = (struct root_obj){o, (uint32_t)g->nroots};
	}
	return (int)g->nroots++;
}

static void add_root_addr(struct graph *g, raddr_t a, enum root_kind kind, const char *label)
{
	if (!a)
		return;
	graph_obj_t o = resolve(g, a);
	if (o != GRAPH_NONE)
		add_root(g, o, kind, label);
}

static void add_root_edge(struct graph *g, int root, raddr_t a, int kind, uint64_t aux)
{
	if (!a || root < 0)
		return;
	graph_obj_t o = resolve(g, a);
	if (o == GRAPH_NONE)
		return;
	if (grow((void **)&g->redges, &g->capredges, g->nredges + 1, sizeof *g->redges)) {
		g->oom = 1;
		return;
	}
	g->redges[g->nredges++] = (struct root_edge){o, (uint32_t)root, (uint8_t)kind, aux};
}

struct modroot_arg {
	struct graph *g;
};

static int module_root_cb(void *p, raddr_t key, raddr_t value)
{
	struct graph *g = ((struct modroot_arg *)p)->g;
	char name[96], label[128];
	if (py_str_utf8(g->c, key, name, sizeof name, NULL) < 0)
		snprintf(name, sizeof name, "?");
	snprintf(label, sizeof label, "module %s", name);
	add_root_addr(g, value, ROOT_MODULE, label);
	const struct pytype *t = py_type_of_obj(g->c, value);
	if (t && t->kind == PYK_MODULE) {
		uint64_t d;
		if (py_field(g->c, value, pyctx_layout(g->c)->mod_dict, &d) == 0)
			add_root_addr(g, d, ROOT_MODULE, label);
	}
	return g->oom;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* 3.11+: a running frame's value stack, localsplus[nlocalsplus..top),
 * when the top is plausible (stacktop / stackpointer are saved at calls,
 * so a thread blocked in a call has them). */
static void frame_stack_edges(struct graph *g, int root, const struct py_frame *f)
{
	const struct py_layout *L = pyctx_layout(g->c);
	int32_t nlp, ss;
	if (!f->iframe || !f->code ||
	    mem_read(g->m, f->code + L->co_nlocalsplus, &nlp, 4) ||
	    mem_read(g->m, f->code + L->co_stacksize, &ss, 4))
		return;
	int64_t top = py_iframe_top(g->c, f->iframe);
	if (nlp < 0 || ss < 0 || top <= nlp || top > (int64_t)nlp + ss)
		return;
	for (int64_t i = nlp; i < top; i++) {
		uint64_t v;
		if (mem_u64(g->m, f->iframe + L->iframe_localsplus + 8 * (uint64_t)i, &v) == 0 &&
		    (v = py_stackref(L, v)))
			add_root_edge(g, root, v, EDGE_STACK, (uint64_t)(i - nlp));
	}
}

static void thread_frame_root(struct graph *g, const struct py_thread *th, const struct py_frame *f)
{
	char label[128];
	snprintf(label, sizeof label, "thread %lu%s %.40s() %.48s:%d",
		 (unsigned long)(th->native_thread_id ? th->native_thread_id : th->thread_id),
		 th->is_main ? " (main)" : "", f->function, base_name(f->file), f->line);
	if (!f->iframe) {
		/* ≤3.10: the frame is a GC object; its traverse gives the locals */
		add_root_addr(g, f->frame_obj, ROOT_THREAD_FRAME, label);
		return;
	}
	/* 3.11+: the frame lives on the thread's data stack, not an object */
	int r = add_root(g, GRAPH_NONE, ROOT_THREAD_FRAME, label);
	for (size_t i = 0; i < f->nlocals; i++) {
		const struct py_local *l = &f->locals[i];
		if (l->kind == PY_LOCAL_DICT)
			continue;          /* reached through f_locals below */
		add_root_edge(g, r, l->cell ? l->cell : l->value, EDGE_LOCAL, l->name_obj);
	}
	add_root_edge(g, r, f->func, EDGE_FIELD, F_FRAME_FUNC);
	add_root_edge(g, r, f->code, EDGE_FIELD, F_FRAME_CODE);
	if (f->locals_dict && f->locals_dict != f->globals)
		add_root_edge(g, r, f->locals_dict, EDGE_FIELD, F_FRAME_LOCALS);
	add_root_edge(g, r, f->frame_obj, EDGE_FIELD, F_FRAME_OBJ);
	frame_stack_edges(g, r, f);
}

/* PyThreadState fields beyond the frames that keep objects alive:
 * exc_info (the _PyErr_StackItem chain behind sys.exc_info(); ≤3.6 the
 * exc_* fields of the thread state itself), the exception being raised
 * (curexc_* ≤3.11, current_exception 3.12+), the thread state dict, the
 * contextvars context and a pending async exc. */
struct pending { raddr_t to; uint64_t field; };

static void pend(struct pending *p, size_t *n, size_t cap, struct graph *g, raddr_t ts,
		 int off, enum edge_field f)
{
	uint64_t v;
	if (off >= 0 && *n < cap && mem_u64(g->m, ts + (uint64_t)off, &v) == 0 && v)
		p[(*n)++] = (struct pending){v, f};
}

static void thread_state_root(struct graph *g, const struct py_thread *th)
{
	const struct py_layout *L = pyctx_layout(g->c);
	struct pending p[48];
	size_t n = 0, cap = sizeof p / sizeof *p;
	raddr_t ts = th->tstate;
	pend(p, &n, cap, g, ts, L->ts_curexc_type, F_TS_CUREXC);
	pend(p, &n, cap, g, ts, L->ts_curexc_value, F_TS_CUREXC);
	pend(p, &n, cap, g, ts, L->ts_curexc_tb, F_TS_CUREXC);
	pend(p, &n, cap, g, ts, L->ts_dict, F_TS_DICT);
	pend(p, &n, cap, g, ts, L->ts_context, F_TS_CONTEXT);
	pend(p, &n, cap, g, ts, L->ts_async_exc, F_TS_ASYNC_EXC);
	pend(p, &n, cap, g, ts, L->ts_exc_type, F_TS_EXC_INFO);
	pend(p, &n, cap, g, ts, L->ts_exc_value, F_TS_EXC_INFO);
	pend(p, &n, cap, g, ts, L->ts_exc_tb, F_TS_EXC_INFO);
	uint64_t item = 0;
	if (L->ts_exc_info >= 0)
		mem_u64(g->m, ts + (uint64_t)L->ts_exc_info, &item);
	for (int depth = 0; item && depth < 16; depth++) {
		pend(p, &n, cap, g, item, L->excitem_type, F_TS_EXC_INFO);
		pend(p, &n, cap, g, item, L->excitem_value, F_TS_EXC_INFO);
		pend(p, &n, cap, g, item, L->excitem_tb, F_TS_EXC_INFO);
		if (mem_u64(g->m, item + (uint64_t)L->excitem_previous, &item) != 0)
			break;
	}
	if (!n)
		return;
	char label[96];
	snprintf(label, sizeof label, "thread %lu%s state",
		 (unsigned long)(th->native_thread_id ? th->native_thread_id : th->thread_id),
		 th->is_main ? " (main)" : "");
	int r = add_root(g, GRAPH_NONE, ROOT_THREAD_STATE, label);
	for (size_t i = 0; i < n; i++)
		add_root_edge(g, r, p[i].to, EDGE_FIELD, p[i].field);
}

static void thread_roots(struct graph *g, raddr_t interp)
{
	struct py_thread *th = NULL;
	long n = frames_threads(g->c, interp, FRAMES_LOCALS, &th);
	for (long i = 0; i < n; i++) {
		for (size_t k = 0; k < th[i].nframes; k++)
			thread_frame_root(g, &th[i], &th[i].frames[k]);
		thread_state_root(g, &th[i]);
	}
	if (n > 0)
		frames_threads_free(th, (size_t)n);
}

static void collect_roots(struct graph *g)
{
	const struct py_layout *L = pyctx_layout(g->c);
	const struct heap_gc_info *gi = heap_gc(g->h);
	raddr_t interp = gi->interp;
	uint64_t v;
	struct modroot_arg ma = {g};

	if (!interp)
		return;
	if (py_field(g->c, interp, L->interp_modules, &v) == 0 && v) {
		py_dict_iter(g->c, v, module_root_cb, &ma);
		add_root_addr(g, v, ROOT_MODULES, "sys.modules");
	}
	if (py_field(g->c, interp, L->interp_builtins, &v) == 0)
		add_root_addr(g, v, ROOT_BUILTINS, "builtins");
	if (py_field(g->c, interp, L->interp_sysdict, &v) == 0)
		add_root_addr(g, v, ROOT_SYS, "sys");
	add_root_addr(g, gi->garbage_list, ROOT_GARBAGE, "gc.garbage");
	thread_roots(g, interp);
}

static int cmp_robj(const void *a, const void *b)
{
	const struct root_obj *x = a, *y = b;
	return (x->obj > y->obj) - (x->obj < y->obj);
}

static int cmp_redge(const void *a, const void *b)
{
	const struct root_edge *x = a, *y = b;
	if (x->to != y->to)
		return (x->to > y->to) - (x->to < y->to);
	return (x->root > y->root) - (x->root < y->root);
}

static int cmp_weak(const void *a, const void *b)
{
	const struct weak_pair *x = a, *y = b;
	if (x->to != y->to)
		return (x->to > y->to) - (x->to < y->to);
	return (x->from > y->from) - (x->from < y->from);
}

static void index_roots(struct graph *g)
{
	if (g->nrobjs)
		qsort(g->robjs, g->nrobjs, sizeof *g->robjs, cmp_robj);
	if (g->nredges)   /* none before 3.11: frames are objects then */
		qsort(g->redges, g->nredges, sizeof *g->redges, cmp_redge);
	g->isroot = calloc((size_t)g->n / 8 + 1, 1);
	if (!g->isroot) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < g->nrobjs; i++)
		g->isroot[g->robjs[i].obj / 8] |= (uint8_t)(1u << (g->robjs[i].obj % 8));
}

/* Root index of object o, or -1. */
static long root_of(const struct graph *g, graph_obj_t o)
{
	if (o >= g->n || !(g->isroot[o / 8] & (1u << (o % 8))))
		return -1;
	size_t lo = 0, hi = g->nrobjs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->robjs[mid].obj < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->nrobjs && g->robjs[lo].obj == o ? (long)g->robjs[lo].root : -1;
}

/* Root edges into o: [*first, *first + return). */
static size_t root_edges_to(const struct graph *g, graph_obj_t o, size_t *first)
{
	size_t lo = 0, hi = g->nredges;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->redges[mid].to < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t k = lo;
	while (k < g->nredges && g->redges[k].to == o)
		k++;
	return k - lo;
}

/* ==== Symbols ==== */

/* subtype_traverse / lookdict by name where the binary has a .symtab
 * (pyenv builds); otherwise learnt from the heap itself.  The environment
 * variable HEAPSCOPE_GRAPH_NO_SYMBOLS=1 (test builds only) skips the symbols, so the tests
 * can check the stripped-binary way on every version. */
static void find_syms(struct graph *g, struct trav_syms *s)
{
	memset(s, 0, sizeof *s);
	size_t nmaps;
	const struct mem_map *maps = mem_maps(g->m, &nmaps);
	struct elf_image *im = NULL;
	struct hs_err err;
	const char *nosym = hs_test_env("HEAPSCOPE_GRAPH_NO_SYMBOLS");
	if (g->snap->syms_known) {
		/* a snapshot file: the symbols as the saving heapscope found
		 * them (the ELF files are not here) */
		if (!(nosym && *nosym == '1')) {
			s->subtype_traverse = g->snap->sym_subtype_traverse;
			if (pyctx_layout(g->c)->keys_lookup >= 0)
				s->lookdict = g->snap->sym_lookdict;
		}
	} else if (g->snap->pid && maps && !(nosym && *nosym == '1') &&
	    elf_image_open(g->snap->pid, maps, nmaps, g->snap->rt.path, &im, &err) == HS_OK) {
		raddr_t a;
		if (elf_image_sym(im, "subtype_traverse", &a, NULL) == 0)
			s->subtype_traverse = a;
		if (pyctx_layout(g->c)->keys_lookup >= 0 && elf_image_sym(im, "lookdict", &a, NULL) == 0)
			s->lookdict = a;
		elf_image_free(im);
	}
	if (s->subtype_traverse)
		return;
	/* Every class statement gets subtype_traverse: take the tp_traverse
	 * most Python-looking heap types share. */
	raddr_t fns[16];
	size_t votes[16], nc = 0;
	for (size_t i = 0; i < heap_ntypes(g->h); i++) {
		const struct pytype *t = heap_type_row(g->h, i)->type;
		uint64_t fn;
		if (!t->is_heap || !t->is_gc || !t->tp_name || strchr(t->tp_name, '.') ||
		    py_field(g->c, t->addr, pyctx_layout(g->c)->tp_traverse, &fn) || !fn)
			continue;
		size_t k = 0;
		while (k < nc && fns[k] != fn)
			k++;
		if (k == nc && nc < 16) {
			fns[nc] = fn;
			votes[nc++] = 0;
		}
		if (k < nc)
			votes[k]++;
	}
	size_t best = 0;
	for (size_t k = 0; k < nc; k++)
		if (votes[k] > best) {
			best = votes[k];
			s->subtype_traverse = fns[k];
		}
}

/* ≤3.10 without symbols: find `lookdict` from any GC dict with a non-str
 * key before the walk, so every dict is judged the same way. */
static void learn_lookdict(struct graph *g)
{
	if (pyctx_layout(g->c)->keys_lookup < 0 || trav_lookdict_known(g->tr))
		return;
	for (uint32_t i = 0; i < g->ntracked; i++) {
		const struct pytype *t = heap_type_row(g->h, heap_obj_type(g->h, i))->type;
		if (t->kind == PYK_DICT && trav_learn_lookdict(g->tr, g->addr[i]))
			return;
	}
}

/* ==== Build ==== */

static int known_cb(void *arg, raddr_t a)
{
	struct graph *g = arg;
	edge_flush(g);   /* what is known includes every edge met so far */
	return lookup(g, a) != GRAPH_NONE || plausible_ndarray(g, a);
}

static void walk(struct graph *g, uint32_t i, enum build_mode mode)
{
	if (mode != M_DISCOVER_COUNT)
		edge_flush(g);
	g->cur = i;
	g->mode = mode;
	trav_referents(g->tr, g->addr[i], build_cb, g);
}

/* Fetch object o's header (and a managed dict's pre-header before it),
 * which pass A reads first when it walks o. */
static inline __attribute__((always_inline)) void prefetch_object(struct graph *g, uint32_t o)
{
	const struct py_layout *L = pyctx_layout(g->c);
	uint64_t before = (uint64_t)L->gc_head_size + (uint64_t)L->preheader_managed;
	const char *p = mem_cursor_ptr(g->m, &g->pcur, g->addr[o] - before, before + 16);
	if (p) {
		__builtin_prefetch(p);
		__builtin_prefetch(p + before + 15);
	} else if ((p = mem_cursor_ptr(g->m, &g->pcur, g->addr[o], 16))) {
		__builtin_prefetch(p);
	}
}

/* A census object's header is in cache by now (prefetch_object): fetch
 * the memory its walk goes to next, as far as its type tells (the census
 * has its type): a list's item array, a dict's keys and values, an
 * instance's values or __dict__.  Hints only: a wrong guess costs a
 * useless fetch, nothing else.  The pre-header layout of instances with
 * a managed dict changed per version (3.11: values and dict words; 3.12:
 * one tagged word; 3.13+: values inline after the object). */
static inline __attribute__((always_inline)) void prefetch_parts(struct graph *g, uint32_t o)
{
	const struct pytype *t = heap_type_row(g->h, heap_obj_type(g->h, o))->type;
	const struct py_layout *L = pyctx_layout(g->c);
	raddr_t a = g->addr[o];
	raddr_t want[2] = {0, 0};
	if (t->kind == PYK_LIST && !t->is_heap) {
		const uint64_t *w = mem_cursor_ptr(g->m, &g->pcur, a + L->list_items, 8);
		if (w)
			want[0] = w[0];
	} else if (t->kind == PYK_DICT && !t->is_heap && L->dict27_table >= 0) {
		/* 2.7: one table of entries */
		const uint64_t *w = mem_cursor_ptr(g->m, &g->pcur, a + L->dict27_table, 8);
		if (w)
			want[0] = w[0];
	} else if (t->kind == PYK_DICT && !t->is_heap) {
		const uint64_t *k = mem_cursor_ptr(g->m, &g->pcur, a + L->dict_keys, 8);
		const uint64_t *v = mem_cursor_ptr(g->m, &g->pcur, a + L->dict_values, 8);
		if (k && v) {
			want[0] = k[0];
			want[1] = v[0];
		}
	} else if (t->is_heap && L->managed_dict_off && (t->flags & PY_TPFLAGS_MANAGED_DICT)) {
		const uint64_t *d = mem_cursor_ptr(g->m, &g->pcur, a + (uint64_t)(int64_t)L->managed_dict_off, 8);
		if (L->managed_values_off) {            /* 3.11: values and dict words */
			const uint64_t *v = mem_cursor_ptr(g->m, &g->pcur,
							   a + (uint64_t)(int64_t)L->managed_values_off, 8);
			want[0] = v ? v[0] : 0;
			want[1] = d ? d[0] : 0;
		} else if (L->values_valid < 0) {       /* 3.12: one tagged word */
			want[0] = d ? d[0] & ~(uint64_t)1 : 0;
		} else {                                /* 3.13+: values inline after the object */
			want[0] = a + (uint64_t)t->basicsize;
		}
	}
	for (int k = 0; k < 2; k++) {
		const void *p = want[k] && !(want[k] & 7)
			? mem_cursor_ptr(g->m, &g->pcur, want[k], 8) : NULL;
		if (p)
			__builtin_prefetch(p);
	}
}

/* Pass A: discover everything, count referrers of decodable objects.
 * The array is the queue: objects appended while walking are walked in
 * turn (after the edges still queued are resolved, at the end). */
static int pass_discover(struct graph *g)
{
	for (uint32_t i = 0; !g->oom; i++) {
		if (i >= g->n) {
			edge_flush(g);
			if (i >= g->n)
				break;
		}
		if (i + 2 * OBJ_AHEAD < g->n)
			prefetch_object(g, i + 2 * OBJ_AHEAD);
		if (i + OBJ_AHEAD < g->ntracked)
			prefetch_parts(g, i + OBJ_AHEAD);
		if (trav_is_conservative(g->tr, g->addr[i])) {
			if (grow((void **)&g->deferred, &g->capdeferred, g->ndeferred + 1,
				 sizeof *g->deferred))
				return -1;
			g->deferred[g->ndeferred++] = i;
			walk(g, i, M_DISCOVER_ONLY);
		} else {
			walk(g, i, M_DISCOVER_COUNT);
		}
	}
	for (size_t k = 0; k < g->ndeferred && !g->oom && !g->census; k++)
		walk(g, g->deferred[k], M_COUNT);
	return g->oom ? -1 : 0;
}

/* Counts -> offsets; replaying the stream fills the from column.  While
 * replaying, deg[i].stamp holds the end of i's segment and deg[i].count
 * runs down to 0 (segments fill from their start); the offsets array is
 * made only after the stream is freed, to keep the peak low. */
static int pass_fill(struct graph *g)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		total += g->deg[i].count;
		if (total > UINT32_MAX)
			return -1;
		g->deg[i].stamp = (uint32_t)total;
	}
	g->nref = total;
	g->rfrom = malloc((total ? total : 1) * sizeof *g->rfrom);
	if (!g->rfrom)
		return -1;
	uint32_t from = GRAPH_NONE;
	for (size_t k = 0; k < g->nstream; k++) {
		uint32_t w = g->stream[k];
		if (w & STREAM_FROM) {
			from = w & ~STREAM_FROM;
			continue;
		}
		if (!g->deg[w].count || from == GRAPH_NONE) {
			g->fill_lost++;    /* cannot happen: the stream is what was counted */
			continue;
		}
		g->rfrom[g->deg[w].stamp - g->deg[w].count--] = from;
	}
	free(g->stream);
	g->stream = NULL;
	g->roff = malloc(((size_t)g->n + 1) * sizeof *g->roff);
	if (!g->roff)
		return -1;
	g->roff[0] = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		/* a slot the replay did not fill (a bug) reads as "none" */
		for (uint32_t k = 0; k < g->deg[i].count; k++)
			g->rfrom[g->deg[i].stamp - 1 - k] = GRAPH_NONE;
		g->roff[i + 1] = g->deg[i].stamp;
	}
	return 0;
}

static void build_done(struct graph *g)
{
	arr_unmap(g->deg, g->cap, sizeof *g->deg);
	free(g->deferred);
	free(g->stream);
	g->deg = NULL;
	g->deferred = g->stream = NULL;
	g->mode = M_QUERY;
	if (g->nweak)
		qsort(g->weak, g->nweak, sizeof *g->weak, cmp_weak);
	g->weak_to = malloc((g->nweak + 1) * sizeof *g->weak_to);
	g->weak_from = malloc((g->nweak + 1) * sizeof *g->weak_from);
	if (!g->weak_to || !g->weak_from) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < g->nweak; i++) {
		g->weak_to[i] = g->weak[i].to;
		g->weak_from[i] = g->weak[i].from;
	}
	free(g->weak);
	g->weak = NULL;
	index_roots(g);
	g->st.objects = g->n;
	g->st.tracked = g->ntracked;
	g->st.ref_entries = g->nref;
	g->st.weak_edges = g->nweak;
	g->st.conservative_types = trav_conservative_types(g->tr);
	g->st.roots = (uint32_t)g->nroots;
	g->st.bytes = (uint64_t)g->n * 8 + g->mapcap * 4 + ((uint64_t)g->n + 1) * 4 +
		      g->nref * 4 + g->nweak * 8 + (g->n / 8 + 1);
}

static enum hs_status build(struct heap *h, int census, struct graph **out, struct hs_err *err)
{
	double t0 = now_ms();
	struct graph *g = calloc(1, sizeof *g);
	struct trav_syms syms;

	*out = NULL;
	if (!g)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory building the object graph");
	g->census = census;
	g->h = h;
	g->snap = heap_snapshot(h);
	g->c = heap_ctx(h);
	g->m = g->snap->mem;
	uint64_t nt = heap_nobjects(h);
	if (nt >= MAX_OBJECTS / 2) {
		free(g);
		return hs_fail(err, HS_ERR_INCONSISTENT,
			       "%lu GC objects is more than the object graph can index (32-bit ids)",
			       (unsigned long)nt);
	}
	g->ntracked = (uint32_t)nt;
	/* Most heaps hold one to three untracked objects per tracked one:
	 * room for four costs address space only (see arr_map).  The index
	 * is sized for 2.5 per tracked one at 75% load. */
	uint64_t room = (uint64_t)g->ntracked * 5 + 65536;
	g->cap = room > MAX_OBJECTS ? MAX_OBJECTS : (uint32_t)room;
	g->addr = arr_map(g->cap, sizeof *g->addr);
	g->deg = g->addr && !census ? arr_map(g->cap, sizeof *g->deg) : NULL;
	g->stream_from = GRAPH_NONE;
	mem_cursor_init(g->m, &g->pcur);
	if (!g->addr || (!census && !g->deg) ||
	    map_resize(g, (uint64_t)g->ntracked * 10 / 3 + 1024) != 0)
		goto nomem;
	g->mode = M_DISCOVER_COUNT;
	/* Census objects are distinct (heap.c checks the lists): appended
	 * as they are, so that graph index == heap index. */
	for (uint32_t i = 0; i < g->ntracked; i++)
		g->addr[i] = heap_obj_addr(h, i);
	for (uint32_t i = 0; i < g->ntracked; i++) {
		if (i + 16 < g->ntracked)   /* random slots: fetch ahead */
			prefetch_slot(g, g->addr[i + 16]);
		map_put(g, g->addr[i], i);
	}
	g->n = g->ntracked;
	double t1 = now_ms();
	g->st.index_ms = t1 - t0;
	find_syms(g, &syms);
	g->tr = trav_new(g->c, &syms);
	if (!g->tr) {
		graph_free(g);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory building the object graph");
	}
	trav_set_known(g->tr, known_cb, g);
	learn_lookdict(g);
	double t2 = now_ms();
	g->st.syms_ms = t2 - t1;
	g->cur = GRAPH_NONE;
	collect_roots(g);
	double t3 = now_ms();
	g->st.roots_ms = t3 - t2;
	if (g->oom || pass_discover(g) != 0)
		goto nomem;
	double t4 = now_ms();
	g->st.walk_ms = t4 - t3;
	if (!census && pass_fill(g) != 0)
		goto nomem;
	g->st.fill_ms = now_ms() - t4;
	if (g->fill_lost)
		note_bad(g, 0, 0, "reverse index: edges lost");
	build_done(g);
	if (g->oom)
		goto nomem;
	g->st.build_ms = now_ms() - t0;
	*out = g;
	return HS_OK;
nomem:
	graph_free(g);
	return hs_fail(err, HS_ERR_NOMEM, "out of memory building the object graph "
		       "(the graph needs about 30 bytes per object plus 4 per reference)");
}

enum hs_status graph_build(struct heap *h, struct graph **out, struct hs_err *err)
{
	return build(h, 0, out, err);
}

enum hs_status graph_build_census(struct heap *h, struct graph **out, struct hs_err *err)
{
	return build(h, 1, out, err);
}

size_t graph_untracked_tally(struct graph *g, const struct graph_tally **out)
{
	*out = g->census ? g->tally : NULL;
	return g->census ? g->ntally : 0;
}

static void ecache_free(struct ecache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		if (c->tab[i].o != GRAPH_NONE)
			free(c->tab[i].e);
	free(c->tab);
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	trav_free(g->tr);
	arr_unmap(g->addr, g->cap, sizeof *g->addr);
	free(g->map);
	free(g->roff);
	free(g->rfrom);
	free(g->weak);
	free(g->weak_to);
	free(g->weak_from);
	free(g->roots);
	free(g->redges);
	free(g->robjs);
	free(g->isroot);
	free(g->tally);
	arr_unmap(g->deg, g->cap, sizeof *g->deg);
	free(g->deferred);
	free(g->stream);
	ecache_free(&g->referents_cache);
	ecache_free(&g->referrers_cache);
	free(g);
}

/* ==== Simple queries ==== */

uint32_t graph_nobjects(struct graph *g) { return g->n; }
double graph_build_ms(struct graph *g) { return g->st.build_ms; }
const struct graph_stats *graph_stats(struct graph *g) { return &g->st; }

graph_obj_t graph_find(struct graph *g, raddr_t addr)
{
	return g ? lookup(g, addr) : GRAPH_NONE;
}

raddr_t graph_addr(struct graph *g, graph_obj_t o)
{
	return o < g->n ? g->addr[o] : 0;
}

const struct pytype *graph_type(struct graph *g, graph_obj_t o)
{
	return o < g->n ? py_type_of_obj(g->c, g->addr[o]) : NULL;
}

uint64_t graph_size(struct graph *g, graph_obj_t o)
{
	if (o < g->ntracked)
		return heap_obj_size(g->h, o);
	return o < g->n ? py_getsizeof(g->c, g->addr[o], NULL) : 0;
}

int graph_tracked(struct graph *g, graph_obj_t o) { return o < g->ntracked; }

int graph_exact(struct graph *g, graph_obj_t o)
{
	return o < g->n && !trav_is_conservative(g->tr, g->addr[o]);
}

int graph_gen(struct graph *g, graph_obj_t o)
{
	return o < g->ntracked ? heap_obj_gen(g->h, o) : -1;
}

int64_t graph_refcnt(struct graph *g, graph_obj_t o, int *immortal)
{
	int64_t r = 0;
	if (o < g->n)
		py_refcnt(g->c, g->addr[o], &r);
	if (immortal)
		*immortal = py_is_immortal(g->c, r);
	return r;
}

size_t graph_roots(struct graph *g, const struct graph_root **out)
{
	*out = g->roots;
	return g->nroots;
}

size_t graph_dangling(struct graph *g, const struct graph_bad **out)
{
	*out = g->bad;
	return g->nbad;
}

const graph_obj_t *graph_referrer_objs(struct graph *g, graph_obj_t o, size_t *n)
{
	if (o >= g->n || !g->roff) {
		*n = 0;
		return NULL;
	}
	*n = g->roff[o + 1] - g->roff[o];
	return g->rfrom + g->roff[o];
}

size_t graph_weak_referrers(struct graph *g, graph_obj_t o, const graph_obj_t **out)
{
	size_t lo = 0, hi = g->nweak;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->weak_to[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = lo;
	while (k < g->nweak && g->weak_to[k] == o)
		k++;
	*out = g->weak_from + lo;
	return k - lo;
}

int graph_forward_csr(struct graph *g, uint32_t **off, uint32_t **to)
{
	*off = *to = NULL;
	if (!g->roff)
		return -1;   /* graph_build_census: no index */
	uint32_t *o = calloc((size_t)g->n + 1, sizeof *o);
	uint32_t *t = malloc((g->nref ? g->nref : 1) * sizeof *t);
	if (!o || !t) {
		free(o);
		free(t);
		return -1;
	}
	/* out-degrees, shifted by one so the prefix sum gives the starts */
	for (uint64_t k = 0; k < g->nref; k++)
		if (g->rfrom[k] != GRAPH_NONE)
			o[g->rfrom[k] + 1]++;
	for (uint32_t i = 0; i < g->n; i++)
		o[i + 1] += o[i];
	/* o[from] is used as a write cursor, then restored by the shift */
	for (uint32_t v = 0; v < g->n; v++)
		for (uint32_t k = g->roff[v]; k < g->roff[v + 1]; k++)
			if (g->rfrom[k] != GRAPH_NONE)
				t[o[g->rfrom[k]]++] = v;
	for (uint32_t i = g->n; i > 0; i--)
		o[i] = o[i - 1];
	o[0] = 0;
	*off = o;
	*to = t;
	return 0;
}

size_t graph_root_objects(struct graph *g, graph_obj_t **out)
{
	size_t n = 0;
	graph_obj_t *r = malloc((g->nrobjs + g->nredges + 1) * sizeof *r);
	*out = r;
	if (!r)
		return 0;
	for (size_t i = 0; i < g->nrobjs; i++)
		r[n++] = g->robjs[i].obj;
	for (size_t i = 0; i < g->nredges; i++)
		if (!n || r[n - 1] != g->redges[i].to)   /* sorted by target: skip repeats */
			r[n++] = g->redges[i].to;
	return n;
}

/* ==== Edges on demand ==== */

struct collect {
	struct graph *g;
	graph_obj_t from;
	raddr_t only;            /* collect edges to this address only (0 = all) */
	struct graph_edge *e;
	size_t n, cap, max;
	int oom;
};

static int collect_cb(void *arg, const struct trav_edge *te)
{
	struct collect *c = arg;
	if (c->only && te->to != c->only)
		return 0;
	graph_obj_t to = lookup(c->g, te->to);
	if (to == GRAPH_NONE)
		return 0;          /* a dangling pointer: counted at build time */
	if (c->max && c->n >= c->max)
		return 1;
	if (grow((void **)&c->e, &c->cap, c->n + 1, sizeof *c->e)) {
		c->oom = 1;
		return 1;
	}
	c->e[c->n++] = (struct graph_edge){c->from, to, te->kind, te->flags, te->aux};
	return 0;
}

size_t graph_edges_between(struct graph *g, graph_obj_t from, graph_obj_t to,
			   struct graph_edge *out, size_t max)
{
	if (from >= g->n || to >= g->n || !max)
		return 0;
	struct collect c = {g, from, g->addr[to], NULL, 0, 0, max, 0};
	trav_referents(g->tr, g->addr[from], collect_cb, &c);
	if (c.n)
		memcpy(out, c.e, c.n * sizeof *out);
	free(c.e);
	return c.n;
}

static struct ecache_ent *ecache_slot(struct ecache *c, graph_obj_t o)
{
	if (!c->cap)
		return NULL;
	size_t i = addr_mix(o) & (c->cap - 1);
	while (c->tab[i].o != GRAPH_NONE && c->tab[i].o != o)
		i = (i + 1) & (c->cap - 1);
	return &c->tab[i];
}

static void ecache_put(struct ecache *c, graph_obj_t o, struct graph_edge *e, size_t n)
{
	if ((c->used + 1) * 2 > c->cap) {
		struct ecache old = *c;
		c->cap = old.cap ? old.cap * 2 : 64;
		c->tab = malloc(c->cap * sizeof *c->tab);
		if (!c->tab) {
			*c = old;
			free(e);
			return;
		}
		for (size_t i = 0; i < c->cap; i++)
			c->tab[i].o = GRAPH_NONE;
		c->used = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.tab[i].o != GRAPH_NONE) {
				*ecache_slot(c, old.tab[i].o) = old.tab[i];
				c->used++;
			}
		free(old.tab);
	}
	struct ecache_ent *s = ecache_slot(c, o);
	*s = (struct ecache_ent){o, n, e};
	c->used++;
}

size_t graph_referents(struct graph *g, graph_obj_t o, const struct graph_edge **out)
{
	static const struct graph_edge none;
	*out = &none;
	if (o >= g->n)
		return 0;
	struct ecache_ent *s = ecache_slot(&g->referents_cache, o);
	if (s && s->o == o) {
		*out = s->e;
		return s->n;
	}
	struct collect c = {g, o, 0, NULL, 0, 0, 0, 0};
	trav_referents(g->tr, g->addr[o], collect_cb, &c);
	ecache_put(&g->referents_cache, o, c.e, c.n);
	s = ecache_slot(&g->referents_cache, o);
	if (s && s->o == o && s->e) {
		*out = s->e;
		return s->n;
	}
	return 0;
}

size_t graph_referrers(struct graph *g, graph_obj_t o, const struct graph_edge **out)
{
	static const struct graph_edge none;
	*out = &none;
	if (o >= g->n)
		return 0;
	struct ecache_ent *s = ecache_slot(&g->referrers_cache, o);
	if (s && s->o == o) {
		*out = s->e;
		return s->n;
	}
	size_t nr;
	const graph_obj_t *rs = graph_referrer_objs(g, o, &nr);
	struct collect c = {g, 0, g->addr[o], NULL, 0, 0, 0, 0};
	for (size_t i = 0; i < nr && !c.oom; i++) {
		if (rs[i] == GRAPH_NONE)
			continue;
		c.from = rs[i];
		size_t before = c.n;
		trav_referents(g->tr, g->addr[rs[i]], collect_cb, &c);
		/* keep owning edges only (a weakref is no referrer) */
		size_t w = before;
		for (size_t k = before; k < c.n; k++)
			if (!(c.e[k].flags & GRAPH_EF_WEAK))
				c.e[w++] = c.e[k];
		c.n = w;
	}
	ecache_put(&g->referrers_cache, o, c.e, c.n);
	s = ecache_slot(&g->referrers_cache, o);
	if (s && s->o == o && s->e) {
		*out = s->e;
		return s->n;
	}
	return 0;
}

/* ==== Labels ==== */

/* Short repr of a dict key / set item for labels: 'abc', 42, (1, 2). */
static void key_repr(struct graph *g, raddr_t key, char *buf, size_t cap)
{
	struct value_opts vo = {.max_items = 3, .max_str = 40, .depth = 1};
	if (value_repr_opts(g->c, key, &vo, buf, cap) < 0)
		snprintf(buf, cap, "<0x%lx>", (unsigned long)key);
}

const char *graph_edge_label(struct graph *g, const struct graph_edge *e,
			     char *buf, size_t cap)
{
	char k[96];
	if (!cap)
		return buf;
	switch (e->kind) {
	case EDGE_ITEM:
		snprintf(buf, cap, "[%lu]", (unsigned long)e->aux);
		break;
	case EDGE_DICT_VALUE:
		key_repr(g, e->aux, k, sizeof k);
		snprintf(buf, cap, "[%s]", k);
		break;
	case EDGE_DICT_KEY:
	case EDGE_ODICT_KEY:
		key_repr(g, e->aux, k, sizeof k);
		snprintf(buf, cap, "key %s", k);
		break;
	case EDGE_SET_ITEM:
		key_repr(g, graph_addr(g, e->to), k, sizeof k);
		snprintf(buf, cap, "{%s}", k);
		break;
	case EDGE_ATTR:
		snprintf(buf, cap, ".%s", e->aux ? value_str(g->c, e->aux, k, sizeof k) : "?");
		break;
	case EDGE_SLOT:
		if (mem_cstr(g->m, e->aux, k, sizeof k) < 0)
			snprintf(k, sizeof k, "?");
		snprintf(buf, cap, ".%s", k);
		break;
	case EDGE_FIELD:
		snprintf(buf, cap, "%s", trav_field_name((enum edge_field)e->aux));
		break;
	case EDGE_CELL:
		snprintf(buf, cap, "__closure__[%lu]", (unsigned long)e->aux);
		break;
	case EDGE_LOCAL:
		snprintf(buf, cap, "f_locals['%s']",
			 e->aux ? value_str(g->c, e->aux, k, sizeof k) : "?");
		break;
	case EDGE_CONSERVATIVE:
		snprintf(buf, cap, "~+%lu", (unsigned long)e->aux);
		break;
	case EDGE_STACK:
		snprintf(buf, cap, "f_stack[%lu]", (unsigned long)e->aux);
		break;
	case EDGE_WEAK:
		snprintf(buf, cap, "(weak) referent");
		break;
	default:
		snprintf(buf, cap, "?");
		break;
	}
	return buf;
}

const char *graph_type_name(struct graph *g, graph_obj_t o, char *buf, size_t cap)
{
	const struct pytype *t = graph_type(g, o);
	if (!t)
		snprintf(buf, cap, "?");
	else if (py_module_is_builtins(t->module))
		snprintf(buf, cap, "%s", t->qualname);
	else
		snprintf(buf, cap, "%s.%s", t->module, t->qualname);
	return buf;
}

const char *graph_value(struct graph *g, graph_obj_t o, char *buf, size_t cap)
{
	struct value_opts vo = {.max_items = 4, .max_str = 60, .depth = 1};
	if (o >= g->n || value_repr_opts(g->c, g->addr[o], &vo, buf, cap) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

/* ==== Objects of a type ==== */

struct tmatch { raddr_t type; int match; };

static int type_matches(const struct pytype *t, const char *name)
{
	size_t ml = strlen(t->module);
	if (!strcmp(name, t->qualname))
		return 1;
	return !strncmp(name, t->module, ml) && name[ml] == '.' && !strcmp(name + ml + 1, t->qualname);
}

size_t graph_objects_of_type(struct graph *g, const char *name, graph_obj_t **out)
{
	struct tmatch cache[64];
	size_t ncache = 0, n = 0, cap = 0;
	graph_obj_t *res = NULL;
	*out = NULL;
	for (uint32_t o = 0; o < g->n; o++) {
		raddr_t ta = py_type_of(g->c, g->addr[o]);
		int match = -1;
		for (size_t k = 0; k < ncache; k++)
			if (cache[k].type == ta) {
				match = cache[k].match;
				break;
			}
		if (match < 0) {
			const struct pytype *t = py_type(g->c, ta);
			match = t && type_matches(t, name);
			if (ncache < 64)
				cache[ncache++] = (struct tmatch){ta, match};
			else
				cache[o % 64] = (struct tmatch){ta, match};
		}
		if (!match)
			continue;
		if (grow((void **)&res, &cap, n + 1, sizeof *res)) {
			free(res);
			return 0;
		}
		res[n++] = o;
	}
	*out = res;
	return n;
}

/* ==== Paths ==== */

/* The edge `from` uses to hold `to`, for a path hop: prefer owning
 * value/attribute edges over dict keys. */
static struct graph_edge hop_edge(struct graph *g, graph_obj_t from, graph_obj_t to)
{
	struct graph_edge e[8];
	size_t n = graph_edges_between(g, from, to, e, 8);
	struct graph_edge best = {from, to, EDGE_CONSERVATIVE, GRAPH_EF_CONSERVATIVE, 0};
	int rank = 99;
	for (size_t i = 0; i < n; i++) {
		int r = (e[i].flags & GRAPH_EF_WEAK) ? 9
		      : (e[i].kind == EDGE_DICT_KEY || e[i].kind == EDGE_ODICT_KEY) ? 3
		      : (e[i].flags & GRAPH_EF_CONSERVATIVE) ? 2 : 0;
		if (r < rank) {
			rank = r;
			best = e[i];
		}
	}
	return best;
}

struct bfs {
	struct graph *g;
	graph_obj_t target;
	uint32_t *next;            /* next hop toward the target, +1; 0 = unseen */
	struct graph_path *paths;
	size_t npaths, max;
	struct { uint32_t root, first; } *seen;   /* (root, first object) pairs taken */
};

static int pair_taken(struct bfs *b, uint32_t root, uint32_t first)
{
	for (size_t i = 0; i < b->npaths; i++)
		if (b->seen[i].root == root && b->seen[i].first == first)
			return 1;
	return 0;
}

/* Record root -> [first edge] -> u -> next[u] ... -> target. */
static void record(struct bfs *b, uint32_t root, const struct graph_edge *first, graph_obj_t u)
{
	struct graph *g = b->g;
	if (b->npaths >= b->max || pair_taken(b, root, u))
		return;
	size_t len = 1;
	for (graph_obj_t x = u; x != b->target; x = b->next[x] - 1)
		len++;
	struct graph_edge *e = malloc(len * sizeof *e);
	if (!e)
		return;
	e[0] = *first;
	size_t k = 1;
	for (graph_obj_t x = u; x != b->target; x = b->next[x] - 1)
		e[k++] = hop_edge(g, x, b->next[x] - 1);
	b->seen[b->npaths].root = root;
	b->seen[b->npaths].first = u;
	b->paths[b->npaths++] = (struct graph_path){&g->roots[root], e, len};
}

/* Paths end at the first root met walking the reverse index backwards
 * from the target (breadth first, so shortest first); a root is never
 * walked through.  Each (root, first hop) pair gives at most one path. */
size_t graph_paths(struct graph *g, graph_obj_t o, size_t max, struct graph_path **out)
{
	*out = NULL;
	if (o >= g->n || !max)
		return 0;
	struct bfs b = {.g = g, .target = o, .max = max};
	b.next = calloc(g->n, sizeof *b.next);
	b.paths = calloc(max, sizeof *b.paths);
	b.seen = calloc(max, sizeof *b.seen);
	uint32_t *queue = malloc(1024 * sizeof *queue);
	size_t qcap = 1024, head = 0, tail = 0;
	if (!b.next || !b.paths || !b.seen || !queue)
		goto done;
	long r0 = root_of(g, o);
	if (r0 >= 0) {
		b.paths[b.npaths++] = (struct graph_path){&g->roots[r0], NULL, 0};
		b.seen[0].root = (uint32_t)r0;
		b.seen[0].first = GRAPH_NONE;
	}
	b.next[o] = o + 1;
	queue[tail++] = o;
	while (head < tail && b.npaths < max) {
		graph_obj_t u = queue[head++];
		size_t first, nre = root_edges_to(g, u, &first);
		for (size_t k = 0; k < nre && b.npaths < max; k++) {
			const struct root_edge *re = &g->redges[first + k];
			struct graph_edge e = {GRAPH_NONE, u, re->kind, GRAPH_EF_ROOT, re->aux};
			record(&b, re->root, &e, u);
		}
		size_t nr;
		const graph_obj_t *rs = graph_referrer_objs(g, u, &nr);
		for (size_t k = 0; k < nr && b.npaths < max; k++) {
			graph_obj_t r = rs[k];
			if (r == GRAPH_NONE || r == u)
				continue;
			long ri = root_of(g, r);
			if (ri >= 0) {
				if (!pair_taken(&b, (uint32_t)ri, u)) {
					struct graph_edge e = hop_edge(g, r, u);
					record(&b, (uint32_t)ri, &e, u);
				}
				continue;
			}
			if (b.next[r])
				continue;
			b.next[r] = u + 1;
			if (tail == qcap) {
				size_t nc = qcap * 2;
				uint32_t *nq = realloc(queue, nc * sizeof *nq);
				if (!nq)
					goto done;
				queue = nq;
				qcap = nc;
			}
			queue[tail++] = r;
		}
	}
done:
	free(queue);
	free(b.next);
	free(b.seen);
	if (!b.npaths) {
		free(b.paths);
		return 0;
	}
	*out = b.paths;
	return b.npaths;
}

void graph_paths_free(struct graph_path *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		free(p[i].edges);
	free(p);
}

/* ==== Path text ==== */

struct sbuf {
	char *p;
	size_t cap, len;
};

static void sb_put(struct sbuf *s, const char *t)
{
	size_t n = strlen(t);
	if (s->len + 1 >= s->cap)
		return;
	if (n > s->cap - s->len - 1)
		n = s->cap - s->len - 1;
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = 0;
}

/* Containers whose hops read as subscripts of the previous step. */
static int plain_container(struct graph *g, graph_obj_t o)
{
	const struct pytype *t = graph_type(g, o);
	if (!t || t->is_heap)
		return 0;
	return t->kind == PYK_DICT || t->kind == PYK_LIST || t->kind == PYK_TUPLE ||
	       t->kind == PYK_SET || t->kind == PYK_FROZENSET;
}

/* What a step is called when the chain passes through it: an instance by
 * its class, a function or class by its own qualname. */
static const char *step_name(struct graph *g, graph_obj_t o, char *buf, size_t cap)
{
	const struct pytype *t = graph_type(g, o);
	const struct py_layout *L = pyctx_layout(g->c);
	uint64_t s;
	if (t && t->kind == PYK_FUNCTION && !t->is_heap &&
	    py_field(g->c, graph_addr(g, o), layout_fn_qualname(L), &s) == 0 && s)
		return value_str(g->c, s, buf, cap);
	if (t && t->kind == PYK_TYPE) {
		const struct pytype *self = py_type(g->c, graph_addr(g, o));
		if (self) {
			snprintf(buf, cap, "%s", self->qualname);
			return buf;
		}
	}
	if (t)
		snprintf(buf, cap, "%s", t->qualname);
	else
		snprintf(buf, cap, "?");
	return buf;
}

/* A dict hop under a str key, as ".key" (for __dict__ / module globals);
 * 0 when the key is not a str. */
static int attr_label(struct graph *g, const struct graph_edge *e, char *buf, size_t cap)
{
	char k[96];
	if (e->kind != EDGE_DICT_VALUE || py_str_utf8(g->c, e->aux, k, sizeof k, NULL) < 0)
		return 0;
	snprintf(buf, cap, ".%s", k);
	return 1;
}

/* Pieces of a path text, with runs of the same step folded: a 10,000-node
 * linked list reads "→ Node.next ×9999", not 10,000 times the same. */
struct runs {
	struct sbuf *s;
	char last[336];
	size_t reps;
};

static void runs_flush(struct runs *r)
{
	char n[32];
	if (!r->reps)
		return;
	sb_put(r->s, r->last);
	if (r->reps > 1) {
		snprintf(n, sizeof n, " ×%zu", r->reps);
		sb_put(r->s, n);
	}
	r->reps = 0;
}

static void runs_put(struct runs *r, const char *piece)
{
	if (r->reps && !strcmp(piece, r->last) && !strncmp(piece, " → ", 5)) {
		r->reps++;
		return;
	}
	runs_flush(r);
	snprintf(r->last, sizeof r->last, "%s", piece);
	r->reps = 1;
}

const char *graph_path_text(struct graph *g, const struct graph_path *p,
			    char *buf, size_t cap)
{
	struct sbuf s = {buf, cap, 0};
	struct runs r = {&s, "", 0};
	char label[192], name[128], piece[336];
	if (!cap)
		return buf;
	buf[0] = 0;
	sb_put(&s, p->root->label);
	for (size_t i = 0; i < p->n; i++) {
		const struct graph_edge *e = &p->edges[i];
		graph_edge_label(g, e, label, sizeof label);
		int is_dict_field = e->kind == EDGE_FIELD &&
			(e->aux == F_DICT || e->aux == F_CLASS_DICT || e->aux == F_MODULE_DICT);
		if (is_dict_field && i + 1 < p->n && attr_label(g, &p->edges[i + 1], label, sizeof label))
			i++;    /* obj __dict__ ['x']  reads  obj.x */
		else if (i == 0 && p->root->kind == ROOT_MODULE)
			attr_label(g, e, label, sizeof label);   /* module globals */
		if (i == 0 || (e->from != GRAPH_NONE && plain_container(g, e->from))) {
			snprintf(piece, sizeof piece, "%s%s", i == 0 ? " → " : " ", label);
		} else {
			step_name(g, e->from, name, sizeof name);
			snprintf(piece, sizeof piece, " → %s%s%s", name,
				 label[0] == '.' || label[0] == '[' ? "" : ".", label);
		}
		runs_put(&r, piece);
	}
	runs_flush(&r);
	if (p->n) {
		/* the object itself: its type, or a class / function by name */
		graph_obj_t o = p->edges[p->n - 1].to;
		const struct pytype *t = graph_type(g, o);
		const char *kind = !t ? NULL : t->kind == PYK_TYPE ? "class "
				 : t->kind == PYK_FUNCTION && !t->is_heap ? "function " : NULL;
		if (kind)
			step_name(g, o, name, sizeof name);
		else
			graph_type_name(g, o, name, sizeof name);
		snprintf(piece, sizeof piece, " → %s%s", kind ? kind : "", name);
		sb_put(&s, piece);
	}
	return buf;
}
