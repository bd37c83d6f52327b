/* heap — GC-list walk and census tables.  See heap.h.
 *
 * The walk is bound by memory latency: each node's address is in the node
 * before it, so one thread waits for one cache miss per object.  Two ways
 * round that, both giving exactly the plain walk's census (same objects,
 * same order, same errors):
 *
 * - On a copy of a few MiB or more, the *seeded walk* (see "Seeded walk"
 *   below): the lists are cut at nodes found by a sparse scan of the copy
 *   into short chains that two threads walk many at a time, so that their
 *   misses overlap; the chains are then joined in list order.  1M objects
 *   (Debian 3.11, 180 MB copied, quiet 2-core VM): 65 -> 45 ms.
 *
 * - Otherwise (and for a list the chains cannot make up) the plain walk,
 *   a long list walked from both ends at once: this thread from the
 *   head (checking every link, and resolving types and sizes on
 *   the way), a helper thread from the tail along the _gc_prev links, which
 *   only checks links and records nodes.  Each node is claimed in a bitmap
 *   (one atomic bit per 16 bytes of the copy) by whichever walk reaches it
 *   first; where the head walk meets a node the tail walk claimed, the two
 *   halves join.  The tail half is a chain whose links were checked in both
 *   directions, ending at the head, so the head walk, had it gone on alone,
 *   would have visited exactly those nodes in reverse and found every check
 *   passing.
 *
 * Helpers read only copied bytes, through their own memsrc cursors (see
 * memsrc.h); types, sizes and everything else stay on this thread.
 * HEAPSCOPE_PLAIN_WALK=1 in the environment turns the seeded walk off (to
 * compare the two: tests/unit/test_heap_seeded.c, bench/parsebench.c). */
#include "heap.h"

#include "addrhash.h"
#include "bigmem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct heap {
	struct hs_snapshot *snap;
	struct pyctx *ctx;
	/* objects, GC-list order */
	raddr_t *addr;
	uint32_t *type;      /* index into rows */
	uint32_t *size;      /* getsizeof (objects > 4 GiB are not GC objects) */
	uint8_t *gen;
	uint64_t n, cap;
	/* type rows + open-addressing map type addr -> row */
	struct heap_type_row *rows;
	size_t nrows, caprows;
	uint32_t *map;       /* row index + 1; 0 = empty */
	int64_t *csize;      /* per row: py_sizeof_const(), -1 if per object */
	size_t mapcap;
	struct heap_gc_info gc;
	double parse_ms;
	/* census only (heap_open_census): no per-object arrays; each object
	 * goes straight into its row.  cur_*: the object being taken. */
	int census_only;
	raddr_t cur_obj;
	int cur_gen;
	struct heap_type_row *saved;   /* the rows when the list began */
	size_t nsaved, capsaved;
	/* two-ended walk: which nodes either walk has claimed */
	_Atomic uint64_t *claim;   /* bit per 16 bytes of each copied region */
	uint64_t *claim_base;      /* first bit of region i */
	int claim_state;           /* 0 not yet set up, 1 ready, -1 unavailable */
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct pyctx *heap_ctx(struct heap *h) { return h->ctx; }
struct hs_snapshot *heap_snapshot(struct heap *h) { return h->snap; }
uint64_t heap_nobjects(struct heap *h) { return h->n; }
raddr_t heap_obj_addr(struct heap *h, uint64_t i) { return h->addr[i]; }
int heap_obj_gen(struct heap *h, uint64_t i) { return h->gen[i]; }
uint32_t heap_obj_type(struct heap *h, uint64_t i) { return h->type[i]; }
uint64_t heap_obj_size(struct heap *h, uint64_t i) { return h->size[i]; }
size_t heap_ntypes(struct heap *h) { return h->nrows; }
const struct heap_type_row *heap_type_row(struct heap *h, size_t i) { return &h->rows[i]; }
const struct heap_gc_info *heap_gc(struct heap *h) { return &h->gc; }
double heap_parse_ms(struct heap *h) { return h->parse_ms; }

static int map_grow(struct heap *h)
{
	size_t ncap = h->mapcap ? h->mapcap * 2 : 1024;
	uint32_t *nm = calloc(ncap, sizeof *nm);
	if (!nm)
		return -1;
	for (size_t r = 0; r < h->nrows; r++) {
		size_t i = addr_mix(h->rows[r].type->addr) & (ncap - 1);
		while (nm[i])
			i = (i + 1) & (ncap - 1);
		nm[i] = (uint32_t)r + 1;
	}
	free(h->map);
	h->map = nm;
	h->mapcap = ncap;
	return 0;
}

/* Row index for a type address, creating the row; -1 when the address
 * is not a readable type object. */
static long row_for(struct heap *h, raddr_t taddr)
{
	if (h->mapcap == 0 || (h->nrows + 1) * 2 > h->mapcap)
		if (map_grow(h) != 0)
			return -1;
	size_t mask = h->mapcap - 1, i = addr_mix(taddr) & mask;
	while (h->map[i]) {
		uint32_t r = h->map[i] - 1;
		if (h->rows[r].type->addr == taddr)
			return r;
		i = (i + 1) & mask;
	}
	const struct pytype *t = py_type(h->ctx, taddr);
	if (!t)
		return -1;
	if (h->nrows == h->caprows) {
		size_t nc = h->caprows ? h->caprows * 2 : 256;
		struct heap_type_row *nr = realloc(h->rows, nc * sizeof *nr);
		if (!nr)
			return -1;
		h->rows = nr;
		int64_t *cs = realloc(h->csize, nc * sizeof *cs);
		if (!cs)
			return -1;
		h->csize = cs;
		h->caprows = nc;
	}
	h->csize[h->nrows] = py_sizeof_const(h->ctx, t);
	memset(&h->rows[h->nrows], 0, sizeof h->rows[0]);
	h->rows[h->nrows].type = t;
	h->map[i] = (uint32_t)h->nrows + 1;
	return (long)h->nrows++;
}

static int reserve_objs(struct heap *h, uint64_t nc)
{
	raddr_t *a = realloc(h->addr, nc * sizeof *a);
	if (a) h->addr = a;
	uint32_t *t = realloc(h->type, nc * sizeof *t);
	if (t) h->type = t;
	uint32_t *s = realloc(h->size, nc * sizeof *s);
	if (s) h->size = s;
	uint8_t *g = realloc(h->gen, nc);
	if (g) h->gen = g;
	if (!a || !t || !s || !g)
		return -1;
	h->cap = nc;
	return 0;
}

static int grow_objs(struct heap *h)
{
	return reserve_objs(h, h->cap ? h->cap * 2 : 65536);
}

static inline int push_obj(struct heap *h, raddr_t obj, int gen)
{
	if (h->census_only) {
		h->cur_obj = obj;
		h->cur_gen = gen;
		h->n++;
		return 0;
	}
	if (h->n == h->cap && grow_objs(h) != 0)
		return -1;
	h->addr[h->n] = obj;
	h->gen[h->n] = (uint8_t)gen;
	h->n++;
	return 0;
}

static const char *gen_name(int g)
{
	static const char *names[] = {"generation 0", "generation 1",
				      "generation 2", "the permanent generation"};
	return names[g];
}

/* A small direct-mapped cache in front of the row map: the few types of
 * a GC list's objects come round again and again. */
#define TCACHE 16
struct tcache {
	raddr_t t[TCACHE];
	uint32_t r[TCACHE];
};

static inline size_t tcache_slot(raddr_t taddr)
{
	return (size_t)(taddr >> 4 ^ taddr >> 10) % TCACHE;
}

/* Resolve object i's type row (its type pointer already read) and
 * getsizeof. */
static inline __attribute__((always_inline)) enum hs_status
type_and_size(struct heap *h, uint64_t i, raddr_t taddr, struct tcache *tc, struct hs_err *err)
{
	raddr_t obj = h->census_only ? h->cur_obj : h->addr[i];
	size_t k = tcache_slot(taddr);
	long r;
	if (taddr && tc->t[k] == taddr) {
		r = tc->r[k];
	} else {
		r = row_for(h, taddr);
		if (r < 0)
			return hs_fail(err, HS_ERR_INCONSISTENT,
				       "object %#lx in %s has an unreadable type pointer %#lx",
				       (unsigned long)obj,
				       gen_name(h->census_only ? h->cur_gen : h->gen[i]),
				       (unsigned long)taddr);
		tc->t[k] = taddr;
		tc->r[k] = (uint32_t)r;
	}
	uint64_t sz = h->csize[r] >= 0 ? (uint64_t)h->csize[r]
				       : py_getsizeof(h->ctx, obj, h->rows[r].type);
	uint32_t sz32 = sz > UINT32_MAX ? UINT32_MAX : (uint32_t)sz;
	if (h->census_only) {   /* what fill_rows would add */
		struct heap_type_row *row = &h->rows[r];
		row->count++;
		row->size += sz32;
		row->gen[h->cur_gen]++;
		return HS_OK;
	}
	h->type[i] = (uint32_t)r;
	h->size[i] = sz32;
	return HS_OK;
}

/* Take one node whose links were checked: its object, type row and size.
 * Both joins (the tail walk's and the seeded chains') come here. */
static inline __attribute__((always_inline)) enum hs_status
take_node(struct heap *h, raddr_t nd, int gen, size_t span, int64_t toff,
	  struct tcache *tc, struct hs_err *err)
{
	const int ghs = h->snap->L.gc_head_size;
	if (push_obj(h, nd + ghs, gen) != 0)
		return hs_fail(err, HS_ERR_NOMEM, "out of memory after %lu objects",
			       (unsigned long)h->n);
	const uint64_t *p = mem_ptr(h->snap->mem, nd, span);
	raddr_t taddr = p && span > 16 ? p[toff / 8] : py_type_of(h->ctx, nd + ghs);
	return type_and_size(h, h->n - 1, taddr, tc, err);
}

/* A list is taken whole or not at all: where a walk gives a list up to
 * walk it another way, list_rollback() forgets what it took. */
static int list_mark(struct heap *h)
{
	if (!h->census_only)
		return 0;
	if (h->nrows > h->capsaved) {
		struct heap_type_row *a = realloc(h->saved, h->nrows * sizeof *a);
		if (!a)
			return -1;
		h->saved = a;
		h->capsaved = h->nrows;
	}
	if (h->nrows)
		memcpy(h->saved, h->rows, h->nrows * sizeof *h->rows);
	h->nsaved = h->nrows;
	return 0;
}

static void list_rollback(struct heap *h, uint64_t start_n)
{
	h->n = start_n;
	if (!h->census_only)
		return;
	if (h->nsaved)
		memcpy(h->rows, h->saved, h->nsaved * sizeof *h->rows);
	for (size_t r = h->nsaved; r < h->nrows; r++) {
		/* rows the list made stay (the other walk meets their objects
		 * again), their counts go */
		h->rows[r].count = h->rows[r].size = 0;
		memset(h->rows[r].gen, 0, sizeof h->rows[r].gen);
	}
}

/* ==== Two-ended walk ==== */

/* Nodes the head walk visits alone before a helper starts from the tail:
 * short lists are not worth a thread. */
#define PAR_MIN 16384

static int claims_setup(struct heap *h)
{
	if (h->claim_state)
		return h->claim_state > 0;
	h->claim_state = -1;
	memsrc *m = h->snap->mem;
	size_t nreg = mem_nregions(m);
	uint64_t *base = malloc((nreg + 1) * sizeof *base);
	if (!base)
		return 0;
	uint64_t bits = 0;
	for (size_t i = 0; i < nreg; i++) {
		raddr_t a, e;
		mem_region(m, i, &a, &e);
		base[i] = bits;
		bits += (e - a + 15) / 16;
	}
	base[nreg] = bits;
	/* calloc of a few MB: zero pages, touched only where nodes are */
	h->claim = calloc(bits / 64 + 1, sizeof *h->claim);
	if (!h->claim) {
		free(base);
		return 0;
	}
	h->claim_base = base;
	h->claim_state = 1;
	return 1;
}

/* Claim the node at addr, which c (after a successful mem_cursor_ptr)
 * places in region c->region: 1 if it was free, 0 if already claimed. */
static inline int claim(struct heap *h, const struct mem_cursor *c, raddr_t addr)
{
	uint64_t bit = h->claim_base[c->region] + (addr - c->start) / 16;
	uint64_t mask = (uint64_t)1 << (bit % 64);
	return !(atomic_fetch_or_explicit(&h->claim[bit / 64], mask,
					  memory_order_relaxed) & mask);
}

/* The tail walk (helper thread): from the last node along _gc_prev, each
 * node's _gc_next must lead back to the node walked before it (the head
 * for the first).  It stops at the first node it cannot read in the copy,
 * whose link does not match, that the head walk has claimed, at `budget`
 * nodes, or when told to.  nodes[0..n) is a chain checked both ways. */
struct tail_walk {
	struct heap *h;
	memsrc *m;
	struct mem_cursor cur;
	raddr_t head, tail;
	uint64_t budget;
	raddr_t *nodes;
	size_t n, cap;
	atomic_int stop;
};

static void *tail_walk_run(void *arg)
{
	struct tail_walk *t = arg;
	const uint64_t mask = ~(uint64_t)3;
	raddr_t next = t->head, node = t->tail;
	while (node != t->head && t->n < t->budget &&
	       !atomic_load_explicit(&t->stop, memory_order_relaxed)) {
		const uint64_t *p;
		if (!node || (node & 7) || !(p = mem_cursor_ptr(t->m, &t->cur, node, 16)) ||
		    (p[0] & mask) != next || !claim(t->h, &t->cur, node))
			break;
		if (t->n == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 65536;
			raddr_t *a = realloc(t->nodes, nc * sizeof *a);
			if (!a)
				break;
			t->nodes = a;
			t->cap = nc;
		}
		t->nodes[t->n++] = node;
		next = node;
		node = p[1] & mask;
	}
	return NULL;
}

/* Claim the nodes the head walk has visited so far (before the helper
 * exists: plain stores would do, the atomics cost nothing here). */
static void claim_walked(struct heap *h, uint64_t from, int ghs)
{
	memsrc *m = h->snap->mem;
	struct mem_cursor c;
	mem_cursor_init(m, &c);
	for (uint64_t i = from; i < h->n; i++) {
		raddr_t node = h->addr[i] - (raddr_t)ghs;
		if (mem_cursor_ptr(m, &c, node, 16))
			claim(h, &c, node);
	}
}

/* Walk one GC list from its head.  Every node must lie in the snapshot,
 * be 8-aligned and point back (via _gc_prev) at the node before it: that
 * check also catches cycles that never return to the head.  The node
 * budget bounds the walk even if the check were fooled.  `par`: a long
 * list may be walked from both ends (see the top of the file). */
static enum hs_status walk_list(struct heap *h, raddr_t head, int gen,
				uint64_t *budget, int par, struct hs_err *err)
{
	memsrc *m = h->snap->mem;
	const int ghs = h->snap->L.gc_head_size;
	/* The node and its object header up to ob_type: one read while the
	 * cache line is hot (ob_type is the census's second miss otherwise). */
	const int64_t toff = ghs + (int64_t)h->snap->L.ob_type;
	const size_t span = toff >= 16 && toff % 8 == 0 && toff <= 56 ? (size_t)toff + 8 : 16;
	const uint64_t mask = ~(uint64_t)3;
	const uint64_t start_n = h->n, start_budget = *budget;
	uint64_t words[2];
	uint64_t count = 0;
	struct tcache tc = {{0}, {0}};
	enum hs_status st = HS_OK;
	struct tail_walk *tw = NULL;
	pthread_t tid;
	int running = 0;     /* the helper thread exists and is not joined */
	struct mem_cursor cur;
	int joined = 0;      /* the walks met: the tail half follows */

	if (mem_read(m, head, words, 16) != 0)
		return hs_fail(err, HS_ERR_INCONSISTENT,
			       "cannot read the head of %s at %#lx", gen_name(gen),
			       (unsigned long)head);
	raddr_t prev = head, node = words[0] & mask;
	while (node != head) {
		const uint64_t *p = NULL;
		int whole = 0;   /* p covers ob_type too */
		if (node && !(node & 7)) {
			p = mem_ptr(m, node, span);
			whole = p && span > 16;
			if (!p)
				p = mem_ptr(m, node, 16);
		}
		if (!p) {
			st = hs_fail(err, HS_ERR_INCONSISTENT,
				     "%s is broken after %lu objects: link to %#lx is outside the snapshot "
				     "(the heap may be corrupt, or the target was modified during the copy; retry, or use a frozen snapshot)",
				     gen_name(gen), (unsigned long)count, (unsigned long)node);
			goto out;
		}
		if ((p[1] & mask) != prev) {
			st = hs_fail(err, HS_ERR_INCONSISTENT,
				     "%s is inconsistent after %lu objects: node %#lx points back to %#lx, expected %#lx",
				     gen_name(gen), (unsigned long)count, (unsigned long)node,
				     (unsigned long)(p[1] & mask), (unsigned long)prev);
			goto out;
		}
		if (tw && mem_cursor_ptr(m, &cur, node, 16) && !claim(h, &cur, node)) {
			joined = 1;  /* the tail walk's: its chain runs from here to the head */
			break;
		}
		if (*budget == 0) {
			st = hs_fail(err, HS_ERR_INCONSISTENT,
				     "%s does not end: more objects than the snapshot can hold (cyclic list?)",
				     gen_name(gen));
			goto out;
		}
		(*budget)--;
		if (push_obj(h, node + ghs, gen) != 0) {
			st = hs_fail(err, HS_ERR_NOMEM, "out of memory after %lu objects",
				     (unsigned long)h->n);
			goto out;
		}
		/* Start fetching the next node, then do this object's type and
		 * size while its cache line is hot: the walk is bound by memory
		 * latency, not by instructions. */
		raddr_t next = p[0] & mask;
		const char *nx = mem_ptr(m, next, 64);
		if (nx) {   /* the node and the object's header: two lines at most */
			__builtin_prefetch(nx);
			__builtin_prefetch(nx + 63);
		}
		raddr_t taddr = whole ? p[toff / 8] : py_type_of(h->ctx, node + ghs);
		if ((st = type_and_size(h, h->n - 1, taddr, &tc, err)) != HS_OK)
			goto out;
		count++;
		prev = node;
		node = next;
		if (par && !tw && count == PAR_MIN && node != head && claims_setup(h) &&
		    (tw = calloc(1, sizeof *tw))) {
			claim_walked(h, start_n, ghs);
			mem_cursor_init(m, &cur);
			tw->h = h;
			tw->m = m;
			mem_cursor_init(m, &tw->cur);
			tw->head = head;
			tw->tail = words[1] & mask;
			tw->budget = *budget;
			if (pthread_create(&tid, NULL, tail_walk_run, tw) == 0) {
				running = 1;
			} else {
				free(tw);
				tw = NULL;
			}
		}
	}
	if (running) {
		atomic_store_explicit(&tw->stop, 1, memory_order_relaxed);
		pthread_join(tid, NULL);
		running = 0;
	}
	if (joined) {
		/* `node` is where the walks met: it must be the last node the
		 * tail walk took (anything else would be a bug; then walk the
		 * list again alone). */
		if (!tw->n || tw->nodes[tw->n - 1] != node) {
			free(tw->nodes);
			free(tw);
			list_rollback(h, start_n);
			*budget = start_budget;
			return walk_list(h, head, gen, budget, 0, err);
		}
		/* Its nodes in list order; the links are checked, the budget,
		 * types and sizes are done here, as the head walk would have.
		 * The addresses are known, so the misses can overlap. */
		for (size_t k = tw->n; k-- > 0;) {
			if (k >= 16) {
				const char *a = mem_ptr(m, tw->nodes[k - 16], 64);
				if (a) {
					__builtin_prefetch(a);
					__builtin_prefetch(a + 63);
				}
			}
			raddr_t nd = tw->nodes[k];
			if (*budget == 0) {
				st = hs_fail(err, HS_ERR_INCONSISTENT,
					     "%s does not end: more objects than the snapshot can hold (cyclic list?)",
					     gen_name(gen));
				goto out;
			}
			(*budget)--;
			if ((st = take_node(h, nd, gen, span, toff, &tc, err)) != HS_OK)
				goto out;
		}
	}
out:
	if (running) {   /* an error path: the helper may still run */
		atomic_store_explicit(&tw->stop, 1, memory_order_relaxed);
		pthread_join(tid, NULL);
	}
	if (tw) {
		free(tw->nodes);
		free(tw);
	}
	return st;
}

/* ==== Seeded walk ====
 *
 * One walk, or two from both ends, waits for one cache miss per object.
 * On a big copy the lists are cut into many short chains instead, walked
 * side by side so that their misses overlap: a cheap scan of the copy
 * (one probe per SEED_STRIDE bytes) finds *seeds*, nodes whose _gc_next
 * and _gc_prev neighbours point back at them, and every seed and every
 * list head starts a chain that runs along _gc_next, checking each node's
 * _gc_prev as the plain walk does, until it reaches another seed or a
 * head.  Two threads walk CHAIN_SLOTS chains each, round robin, recording
 * only node addresses.  Then this thread joins the chains from each head
 * in list order, checking at each join the one link no chain checked (the
 * seed's _gc_prev against the node before it), and resolves types and
 * sizes with the next nodes prefetched: the census is the plain walk's,
 * object for object and in the same order.  Anything a chain could not
 * follow (a broken or unreadable link, a chain met twice, a chain that
 * ends at another list's head, the budget) sends that list back to the
 * plain walk, which finds the same fault and reports it as it always did.
 * A "seed" that is not a GC node at all (a free malloc chunk has the same
 * two links at the same place) only starts a chain no list joins. */

#define SEED_STRIDE (64 * 1024)       /* one probe per 64 KiB of copy */
#define SEED_WINDOW 512               /* bytes looked at per probe */
#define SEED_MIN_COPY (4ull << 20)    /* below this the plain walks win */
#define SEED_MIN 8                    /* fewer seeds: not worth it */
#define CHAIN_SLOTS 16                /* chains one thread walks at once */
#define JOIN_AHEAD 24                 /* nodes the join prefetches ahead */

struct chain {
	raddr_t first;     /* its first node */
	raddr_t prev0;     /* a seed's own _gc_prev (checked where it joins) */
	raddr_t end;       /* the seed or head it ran into; 0: it broke */
	uint32_t *nodes;   /* as units (see struct seeded) */
	size_t n, cap;
	uint8_t seed;      /* starts at a seed (else after a head) */
	uint8_t used;
};

struct seeded {
	memsrc *m;
	raddr_t *key;      /* every seed and head -> its chain */
	uint32_t *val;
	size_t mask;
	struct chain *ch;
	size_t nch, capch;
	atomic_size_t next;   /* the next chain not yet started */
	uint64_t budget;      /* nodes each thread may record at most */
	int failed;           /* out of memory in a worker */
	/* Chains keep a node as its 8-byte unit in the copy, regions laid end
	 * to end: region i's first unit is base[i] (base[nreg]: the total).
	 * Half of an address: ~40 MB less at 10M objects.  Copies of 32 GiB
	 * or more take the plain walk. */
	uint64_t *base;
	raddr_t *rstart;
	size_t nreg;
};

static inline uint32_t node_unit(const struct seeded *s, const struct mem_cursor *c, raddr_t node)
{
	return (uint32_t)(s->base[c->region] + (node - c->start) / 8);
}

/* The address of unit u; *hint: the region of the previous answer. */
static inline raddr_t unit_addr(const struct seeded *s, uint32_t u, size_t *hint)
{
	size_t r = *hint;
	if (!(u >= s->base[r] && u < s->base[r + 1])) {
		size_t lo = 0, hi = s->nreg;
		while (hi - lo > 1) {   /* the last region whose base <= u */
			size_t mid = lo + (hi - lo) / 2;
			if (s->base[mid] <= u)
				lo = mid;
			else
				hi = mid;
		}
		*hint = r = lo;
	}
	return s->rstart[r] + (u - s->base[r]) * 8;
}

static long seed_find(const struct seeded *s, raddr_t a)
{
	size_t i = addr_mix(a) & s->mask;
	while (s->key[i]) {
		if (s->key[i] == a)
			return s->val[i];
		i = (i + 1) & s->mask;
	}
	return -1;
}

/* Add a chain keyed by `key`; -1 if the key is there already or no
 * memory. */
static int seed_add(struct seeded *s, raddr_t key, raddr_t first, raddr_t prev0, int seed)
{
	size_t i = addr_mix(key) & s->mask;
	while (s->key[i]) {
		if (s->key[i] == key)
			return -1;
		i = (i + 1) & s->mask;
	}
	if (s->nch == s->capch) {
		size_t nc = s->capch ? s->capch * 2 : 1024;
		struct chain *c = realloc(s->ch, nc * sizeof *c);
		if (!c)
			return -1;
		s->ch = c;
		s->capch = nc;
	}
	struct chain *c = &s->ch[s->nch];
	memset(c, 0, sizeof *c);
	c->first = first;
	c->prev0 = prev0;
	c->seed = (uint8_t)seed;
	s->key[i] = key;
	s->val[i] = (uint32_t)s->nch++;
	return 0;
}

static void seeded_free(struct seeded *s)
{
	for (size_t i = 0; i < s->nch; i++)
		free(s->ch[i].nodes);
	free(s->ch);
	free(s->key);
	free(s->val);
	free(s->base);
	free(s->rstart);
}

struct chain_slot {
	struct chain *c;
	raddr_t node, prev;
	int fresh;           /* node is the chain's own seed */
	struct mem_cursor cur;
};

static int chain_push(struct chain *c, uint32_t node)
{
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 256;
		uint32_t *a = realloc(c->nodes, nc * sizeof *a);
		if (!a)
			return -1;
		c->nodes = a;
		c->cap = nc;
	}
	c->nodes[c->n++] = node;
	return 0;
}

static void *seeded_run(void *arg)
{
	struct seeded *s = arg;
	const uint64_t mask = ~(uint64_t)3;
	struct chain_slot sl[CHAIN_SLOTS];
	int nact = 0, more = 1;
	uint64_t left = s->budget;

	for (;;) {
		while (more && nact < CHAIN_SLOTS) {
			size_t i = atomic_fetch_add_explicit(&s->next, 1, memory_order_relaxed);
			if (i >= s->nch) {
				more = 0;
				break;
			}
			struct chain_slot *x = &sl[nact++];
			x->c = &s->ch[i];
			x->node = x->c->first;
			x->prev = x->c->prev0;
			x->fresh = x->c->seed;
			mem_cursor_init(s->m, &x->cur);
		}
		if (!nact)
			break;
		for (int k = 0; k < nact;) {
			struct chain_slot *x = &sl[k];
			raddr_t node = x->node;
			const uint64_t *p;
			int done = 0;
			if (!x->fresh && seed_find(s, node) >= 0) {
				x->c->end = node;
				done = 1;
			} else if (!node || (node & 7) || !left ||
				   !(p = mem_cursor_ptr(s->m, &x->cur, node, 16)) ||
				   (p[1] & mask) != x->prev) {
				x->c->end = 0;
				done = 1;
			} else if (chain_push(x->c, node_unit(s, &x->cur, node)) != 0) {
				x->c->end = 0;
				s->failed = 1;
				done = 1;
			} else {
				left--;
				x->fresh = 0;
				x->prev = node;
				x->node = p[0] & mask;
				const char *nx = mem_cursor_ptr(s->m, &x->cur, x->node, 64);
				if (nx) {
					__builtin_prefetch(nx);
					__builtin_prefetch(nx + 63);
				}
			}
			if (done)
				sl[k] = sl[--nact];   /* the slot refills on the next round */
			else
				k++;
		}
	}
	return NULL;
}

/* Find seeds and walk every chain.  0: s is ready to be joined; -1: use
 * the plain walks (too few seeds, no memory). */
static int seeded_prepare(struct heap *h, struct seeded *s, const raddr_t *heads, int nheads)
{
	memsrc *m = h->snap->mem;
	const int ghs = h->snap->L.gc_head_size;
	const int64_t toff = ghs + (int64_t)h->snap->L.ob_type;
	const int typed = toff >= 16 && toff % 8 == 0 && toff + 8 <= 64;
	const size_t step = ghs % 16 == 0 ? 16 : 8;
	const uint64_t mask = ~(uint64_t)3;
	const struct memsrc_info *mi = mem_info(m);
	size_t nreg = mem_nregions(m);

	memset(s, 0, sizeof *s);
	s->m = m;
	if (mi->bytes_copied < SEED_MIN_COPY)
		return -1;
	size_t want = (size_t)(mi->bytes_copied / SEED_STRIDE) + nreg + (size_t)nheads + 16;
	size_t cap = 1024;
	while (cap < want * 2)
		cap *= 2;
	s->key = calloc(cap, sizeof *s->key);
	s->val = malloc(cap * sizeof *s->val);
	s->mask = cap - 1;
	s->base = malloc((nreg + 1) * sizeof *s->base);
	s->rstart = malloc((nreg + 1) * sizeof *s->rstart);
	if (!s->key || !s->val || !s->base || !s->rstart)
		goto no;
	s->nreg = nreg;
	uint64_t units = 0;
	for (size_t r = 0; r < nreg; r++) {
		raddr_t a, e;
		mem_region(m, r, &a, &e);
		s->base[r] = units;
		s->rstart[r] = a;
		units += (e - a + 7) / 8;
	}
	s->base[nreg] = units;
	if (units >= UINT32_MAX || nreg == 0)
		goto no;

	/* The heads first: a head chain begins at the head's _gc_next. */
	for (int g = 0; g < nheads; g++) {
		uint64_t w[2];
		if (mem_read(m, heads[g], w, 16) != 0 ||
		    seed_add(s, heads[g], w[0] & mask, heads[g], 0) != 0)
			goto no;
	}
	size_t nseeds = 0;
	struct mem_cursor cur, chk;
	mem_cursor_init(m, &cur);
	mem_cursor_init(m, &chk);
	for (size_t r = 0; r < nreg; r++) {
		raddr_t a, e;
		mem_region(m, r, &a, &e);
		for (raddr_t pos = (a + 63) & ~(raddr_t)63; pos + SEED_WINDOW <= e; pos += SEED_STRIDE) {
			const uint64_t *w = mem_cursor_ptr(m, &cur, pos, SEED_WINDOW);
			if (!w)
				continue;
			for (size_t off = 0; off + 64 <= SEED_WINDOW; off += step) {
				const uint64_t *q = w + off / 8;
				raddr_t nx = q[0] & mask, pv = q[1] & mask, cand = pos + off;
				if (!nx || !pv || ((nx | pv) & 7) || nx == cand)
					continue;
				if (typed && (!q[toff / 8] || (q[toff / 8] & 7)))
					continue;
				const uint64_t *np = mem_cursor_ptr(m, &chk, nx, 16);
				if (!np || (np[1] & mask) != cand)
					continue;
				const uint64_t *pp = mem_cursor_ptr(m, &chk, pv, 16);
				if (!pp || (pp[0] & mask) != cand)
					continue;
				if (seed_find(s, cand) >= 0)
					break;
				if (seed_add(s, cand, cand, pv, 1) != 0)
					goto no;
				nseeds++;
				break;
			}
		}
	}
	if (nseeds < SEED_MIN)
		goto no;

	s->budget = mi->bytes_copied / 32 + 1;
	pthread_t tid;
	int helper = pthread_create(&tid, NULL, seeded_run, s) == 0;
	seeded_run(s);
	if (helper)
		pthread_join(tid, NULL);
	if (s->failed)
		goto no;
	return 0;
no:
	seeded_free(s);
	memset(s, 0, sizeof *s);
	return -1;
}

/* List `head` from the chains (see above); the plain walk when they do
 * not make it up. */
static enum hs_status seeded_list(struct heap *h, struct seeded *s, raddr_t head, int gen,
				  uint64_t *budget, struct hs_err *err)
{
	memsrc *m = h->snap->mem;
	const int ghs = h->snap->L.gc_head_size;
	const int64_t toff = ghs + (int64_t)h->snap->L.ob_type;
	const size_t span = toff >= 16 && toff % 8 == 0 && toff <= 56 ? (size_t)toff + 8 : 16;
	const uint64_t start_n = h->n, start_budget = *budget;
	struct tcache tc = {{0}, {0}};
	enum hs_status st;
	long ci = seed_find(s, head);
	raddr_t last = head;
	size_t hint = 0, ahint = 0;   /* unit_addr's regions */

	if (ci < 0)
		goto plain;
	for (;;) {
		struct chain *c = &s->ch[ci];
		if (c->used || !c->end || (c->seed && c->prev0 != last))
			goto plain;
		c->used = 1;
		for (size_t k = 0; k < c->n; k++) {
			if (k + JOIN_AHEAD < c->n) {
				const char *a = mem_ptr(m, unit_addr(s, c->nodes[k + JOIN_AHEAD], &ahint), 64);
				if (a) {
					__builtin_prefetch(a);
					__builtin_prefetch(a + 63);
				}
			}
			raddr_t nd = unit_addr(s, c->nodes[k], &hint);
			if (*budget == 0)
				goto plain;   /* it says "does not end" */
			(*budget)--;
			if ((st = take_node(h, nd, gen, span, toff, &tc, err)) != HS_OK)
				return st;
			last = nd;
		}
		if (c->end == head)
			return HS_OK;
		ci = seed_find(s, c->end);
		if (ci < 0 || !s->ch[ci].seed)
			goto plain;
	}
plain:
	list_rollback(h, start_n);
	*budget = start_budget;
	return walk_list(h, head, gen, budget, !h->census_only, err);
}

static int rd_int(memsrc *m, raddr_t a, int *out)
{
	int32_t v;
	if (mem_read(m, a, &v, 4) != 0)
		return -1;
	*out = v;
	return 0;
}

static int64_t rd_word_or(memsrc *m, raddr_t a, int64_t dflt)
{
	uint64_t v;
	return mem_u64(m, a, &v) == 0 ? (int64_t)v : dflt;
}

/* The gc_generation_stats that gc.get_stats()[gen] reports, 0 if none:
 * ≤3.14 an inline array in the GC state; 3.15 a pointer to ring buffers
 * (young for generation 0, old[0] and old[1]), each at its current index. */
static raddr_t gc_stats_entry(memsrc *m, const struct py_layout *L, const struct py_roots *r,
			      raddr_t gcs, int gen)
{
	if (r->gc_stats_at)
		return r->gc_stats_at + (uint64_t)gen * (uint64_t)L->gc_stats_size;
	uint64_t p = 0;
	if (L->gc_stats_ptr < 0 || mem_u64(m, gcs + (uint64_t)L->gc_stats_ptr, &p) != 0 || !p)
		return 0;
	raddr_t buf = gen == 0 ? p + (uint64_t)L->gcstats_young
		: p + (uint64_t)L->gcstats_old + (uint64_t)(gen - 1) * (uint64_t)L->gcstats_old_size;
	int len = gen == 0 ? L->gcstats_young_len : L->gcstats_old_len;
	int8_t idx = 0;
	if (mem_read(m, buf + (uint64_t)(gen == 0 ? L->gcstats_young_index : L->gcstats_old_index),
		     &idx, 1) != 0 || idx < 0 || idx >= len)
		return 0;
	return buf + (uint64_t)idx * (uint64_t)L->gc_stats_size;
}

/* Read thresholds, counts, stats, flags of the GC state at `gcs`. */
static void read_gc_info(struct heap *h, raddr_t gcs)
{
	memsrc *m = h->snap->mem;
	const struct py_layout *L = &h->snap->L;
	const struct py_roots *r = &h->snap->roots;
	struct heap_gc_info *g = &h->gc;

	g->enabled = -1;
	if (r->gc_enabled_at)
		rd_int(m, r->gc_enabled_at, &g->enabled);
	if (r->gc_collecting_at)
		rd_int(m, r->gc_collecting_at, &g->collecting);
	for (int i = 0; i < HEAP_NGEN; i++) {
		raddr_t gen = gcs + L->gc_generations + (uint64_t)i * L->gc_gen_size;
		rd_int(m, gen + L->gc_gen_threshold, &g->gen[i].threshold);
		rd_int(m, gen + L->gc_gen_count, &g->gen[i].count);
		g->gen[i].collections = g->gen[i].collected = g->gen[i].uncollectable = -1;
		raddr_t st = gc_stats_entry(m, L, r, gcs, i);
		if (st) {
			g->gen[i].collections = rd_word_or(m, st + L->gc_stats_collections, -1);
			g->gen[i].collected = rd_word_or(m, st + L->gc_stats_collected, -1);
			g->gen[i].uncollectable = rd_word_or(m, st + L->gc_stats_uncollectable, -1);
		}
	}
	g->garbage = 0;
	if (r->gc_garbage_at) {
		uint64_t lst;
		if (mem_u64(m, r->gc_garbage_at, &lst) != 0)
			g->garbage = -1;
		else if (lst) {
			g->garbage_list = lst;
			g->garbage = rd_word_or(m, lst + L->ob_size, -1);
		}
	}
}

int heap_gc_collecting_addr(struct hs_snapshot *s, raddr_t *addr)
{
	struct py_roots r = s->roots;
	struct hs_err e;
	if (!s->mem || (!r.gc && layout_roots(&s->rt, s->mem, &s->L, &r, &e) != HS_OK) ||
	    !r.gc_collecting_at)
		return -1;
	*addr = r.gc_collecting_at;
	return 0;
}

/* The GC state: where layout_fit() found it when the snapshot was taken
 * (a synthetic snapshot without it gets the same lookup, unchecked). */
static enum hs_status locate_gc(struct heap *h, raddr_t *gcs, struct hs_err *err)
{
	struct hs_snapshot *s = h->snap;

	if (!s->roots.gc) {
		enum hs_status st = layout_roots(&s->rt, s->mem, &s->L, &s->roots, err);
		if (st != HS_OK)
			return st;
	}
	if (!mem_in_copy(s->mem, s->roots.interp, 8))
		return hs_fail(err, HS_ERR_INCONSISTENT,
			       "the main interpreter state at %#llx is not in the snapshot (is the "
			       "interpreter still starting up or already finalizing? retry in a moment)",
			       (unsigned long long)s->roots.interp);
	h->gc.interp = s->roots.interp;
	*gcs = s->roots.gc;
	return HS_OK;
}

static void fill_rows(struct heap *h)
{
	for (uint64_t i = 0; i < h->n; i++) {
		struct heap_type_row *r = &h->rows[h->type[i]];
		r->count++;
		r->size += h->size[i];
		r->gen[h->gen[i]]++;
	}
}

static enum hs_status open_heap(struct hs_snapshot *s, int census_only, struct heap **out,
				struct hs_err *err)
{
	double t0 = now_ms();
	enum hs_status st;
	raddr_t gcs = 0;
	struct heap *h = calloc(1, sizeof *h);

	*out = NULL;
	if (!h || !(h->ctx = pyctx_new(s->mem, &s->L, &s->rt))) {
		free(h);
		return hs_fail(err, HS_ERR_NOMEM, "out of memory");
	}
	h->snap = s;
	h->census_only = census_only;
	if ((st = locate_gc(h, &gcs, err)) != HS_OK)
		goto fail;
	pyctx_set_roots(h->ctx, &s->roots);
	read_gc_info(h, gcs);
	if (h->gc.collecting) {
		st = hs_fail(err, HS_ERR_INCONSISTENT,
			     "the target was in the middle of a garbage collection when it was frozen; "
			     "objects are on temporary lists. Retry: collections are short");
		goto fail;
	}

	/* Each GC node is ≥ 32 bytes: a hard bound on any honest list. */
	uint64_t budget = mem_info(s->mem)->bytes_copied / 32 + 1;
	const struct py_layout *L = &s->L;
	raddr_t heads[HEAP_NGEN + 1];
	int nheads = 0;
	for (int g = 0; g < HEAP_NGEN; g++)
		heads[nheads++] = gcs + L->gc_generations + (uint64_t)g * L->gc_gen_size;
	if (L->gc_permanent >= 0)
		heads[nheads++] = gcs + L->gc_permanent;
	struct seeded sd;
	int seeded = !getenv("HEAPSCOPE_PLAIN_WALK") && seeded_prepare(h, &sd, heads, nheads) == 0;
	if (seeded && !census_only) {
		/* The chains hold every node (and a stray chain or two): sized
		 * once, the arrays are not copied as they grow (~8 % of an open
		 * at 1M objects).  No memory for it: they grow as before. */
		uint64_t total = 0;
		for (size_t c = 0; c < sd.nch; c++)
			total += sd.ch[c].n;
		if (total > h->cap && reserve_objs(h, total + 16) == 0) {
			/* filled in order, 17 bytes an object: huge pages take
			 * one fault per 2 MiB instead of one per 4 KiB (not on
			 * the arrays that grow: glibc's realloc could no longer
			 * mremap a block whose middle is advised apart) */
			huge_advise(h->addr, h->cap * sizeof *h->addr);
			huge_advise(h->type, h->cap * sizeof *h->type);
			huge_advise(h->size, h->cap * sizeof *h->size);
			huge_advise(h->gen, h->cap * sizeof *h->gen);
		}
	}
	for (int g = 0; g < nheads; g++) {
		int gen = g < HEAP_NGEN ? g : HEAP_GEN_PERMANENT;
		uint64_t before = h->n;
		if (list_mark(h) != 0)
			st = hs_fail(err, HS_ERR_NOMEM, "out of memory");
		else
			st = seeded ? seeded_list(h, &sd, heads[g], gen, &budget, err)
				    : walk_list(h, heads[g], gen, &budget, !census_only, err);
		if (st != HS_OK) {
			if (seeded)
				seeded_free(&sd);
			goto fail;
		}
		if (gen == HEAP_GEN_PERMANENT)
			h->gc.permanent = h->n - before;
		else
			h->gc.gen[g].objects = h->n - before;
	}
	if (seeded)
		seeded_free(&sd);

	if (!census_only)
		fill_rows(h);
	free(h->saved);
	h->saved = NULL;
	h->parse_ms = now_ms() - t0;
	*out = h;
	return HS_OK;
fail:
	heap_free(h);
	return st;
}

enum hs_status heap_open(struct hs_snapshot *s, struct heap **out, struct hs_err *err)
{
	return open_heap(s, 0, out, err);
}

enum hs_status heap_open_census(struct hs_snapshot *s, struct heap **out, struct hs_err *err)
{
	return open_heap(s, 1, out, err);
}

int heap_has_objects(const struct heap *h)
{
	return !h->census_only;
}

void heap_free(struct heap *h)
{
	if (!h)
		return;
	pyctx_free(h->ctx);
	free(h->addr);
	free(h->type);
	free(h->size);
	free(h->gen);
	free(h->rows);
	free(h->map);
	free(h->csize);
	free(h->saved);
	free((void *)h->claim);
	free(h->claim_base);
	free(h);
}

/* ==== Sorting ==== */

static struct heap *sort_heap;   /* qsort has no context argument */
static enum heap_sort sort_by;

static int row_cmp(const void *a, const void *b)
{
	const struct heap_type_row *x = &sort_heap->rows[*(const size_t *)a];
	const struct heap_type_row *y = &sort_heap->rows[*(const size_t *)b];
	int c = 0;
	switch (sort_by) {
	case HEAP_SORT_SIZE:
		c = (x->size < y->size) - (x->size > y->size);
		break;
	case HEAP_SORT_COUNT:
		c = (x->count < y->count) - (x->count > y->count);
		break;
	case HEAP_SORT_AVG: {
		double ax = x->count ? (double)x->size / x->count : 0;
		double ay = y->count ? (double)y->size / y->count : 0;
		c = (ax < ay) - (ax > ay);
		break;
	}
	case HEAP_SORT_NAME:
		break;
	}
	if (!c)
		c = strcmp(x->type->qualname, y->type->qualname);
	if (!c)
		c = strcmp(x->type->module, y->type->module);
	if (!c)
		c = (x->type->addr > y->type->addr) - (x->type->addr < y->type->addr);
	return c;
}

size_t *heap_types_sorted(struct heap *h, enum heap_sort by)
{
	size_t *ix = malloc((h->nrows + 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (size_t i = 0; i < h->nrows; i++)
		ix[i] = i;
	sort_heap = h;
	sort_by = by;
	qsort(ix, h->nrows, sizeof *ix, row_cmp);
	return ix;
}
