/* The census's seeded walk (model/heap.c) against its plain walk, on
 * synthetic memory images big enough for the seeded one to run.
 *
 * A fake CPython 3.12 heap of ~150k GC objects, placed in a shuffled order
 * so that no list runs along memory, split over generations 0 and 2, with
 * decoys that look like seeds (a circular doubly linked list of free
 * "chunks", as glibc keeps its bins).  For a healthy heap and for each
 * corruption (a broken back-link deep in a list, a cycle that skips the
 * head, a link out of the snapshot, two lists sharing nodes) heap_open()
 * must answer exactly what HEAPSCOPE_PLAIN_WALK=1 answers: the same objects
 * in the same order, or the same error message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "heap.h"

#define BASE 0x10000000ULL
#define SIZE (32u << 20)
#define NOBJ 150000
#define NDECOY 4000
#define SLOT 96

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static unsigned char *mem;
static const struct py_layout *L;
static uint64_t runtime, interp, gcs, type, type2, meta, name;
static uint64_t *node;     /* GC head of object i, in list order */
static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void put64(uint64_t addr, uint64_t v) { memcpy(mem + (addr - BASE), &v, 8); }

static uint64_t gen_head(int g) { return gcs + L->gc_generations + (uint64_t)g * L->gc_gen_size; }

static void link_range(uint64_t head, int from, int to)
{
	uint64_t prev = head;
	for (int i = from; i < to; i++) {
		put64(prev, node[i]);
		put64(node[i] + 8, prev);
		prev = node[i];
	}
	put64(prev, head);
	put64(head + 8, prev);
}

static void build(void)
{
	memset(mem, 0, SIZE);
	L = layout_builtin(3, 12);
	runtime = BASE + 0x1000;
	interp = BASE + 0x10000;
	gcs = interp + L->interp_gc;
	meta = BASE + 0x40000;
	type = BASE + 0x41000;
	name = BASE + 0x42000;
	put64(runtime + L->rt_interp_main, interp);
	put64(runtime + L->rt_interp_head, interp);
	put64(meta + L->ob_type, meta);
	put64(meta + L->tp_flags, PY_TPFLAGS_TYPE_SUBCLASS);
	put64(meta + L->tp_basicsize, 920);
	put64(meta + L->tp_name, name + 16);
	memcpy(mem + (name + 16 - BASE), "type", 5);
	put64(type + L->ob_type, meta);
	put64(type + L->tp_flags, PY_TPFLAGS_HAVE_GC);
	put64(type + L->tp_basicsize, 32);
	put64(type + L->tp_name, name);
	memcpy(mem + (name - BASE), "mod.Thing", 10);
	type2 = BASE + 0x43000;   /* a variable-size one: getsizeof reads ob_size */
	put64(type2 + L->ob_type, meta);
	put64(type2 + L->tp_flags, PY_TPFLAGS_HAVE_GC);
	put64(type2 + L->tp_basicsize, 24);
	put64(type2 + L->tp_itemsize, 8);
	put64(type2 + L->tp_name, name + 32);
	memcpy(mem + (name + 32 - BASE), "mod.Vec", 8);

	/* slots from 1 MiB on, taken in a shuffled order */
	size_t nslots = (SIZE - (1u << 20)) / SLOT;
	uint32_t *perm = malloc(nslots * sizeof *perm);
	for (size_t i = 0; i < nslots; i++)
		perm[i] = (uint32_t)i;
	rng = 88172645463325252ULL;
	for (size_t i = nslots - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		uint32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (int i = 0; i < NOBJ; i++) {
		node[i] = BASE + (1u << 20) + (uint64_t)perm[i] * SLOT;
		put64(node[i] + 16 + L->ob_refcnt, 1);
		put64(node[i] + 16 + L->ob_type, i % 3 ? type : type2);
		if (i % 3 == 0)
			put64(node[i] + 16 + L->ob_size, (uint64_t)(i % 7));
	}
	for (int g = 0; g < 3; g++)
		link_range(gen_head(g), 0, 0);
	put64(gcs + L->gc_permanent, gcs + L->gc_permanent);
	put64(gcs + L->gc_permanent + 8, gcs + L->gc_permanent);
	link_range(gen_head(0), 0, 700);
	link_range(gen_head(2), 700, NOBJ);
	/* decoys: a circular doubly linked list through other free slots */
	uint64_t dhead = BASE + 0x50000, prev = dhead;
	for (int i = 0; i < NDECOY; i++) {
		uint64_t d = BASE + (1u << 20) + (uint64_t)perm[NOBJ + i] * SLOT;
		put64(prev, d);
		put64(d + 8, prev);
		put64(d + 16 + L->ob_type, BASE + 0x60000);   /* aligned, not a type */
		prev = d;
	}
	put64(prev, dhead);
	put64(dhead + 8, prev);
	free(perm);
}

struct result {
	enum hs_status st;
	char msg[1100];
	uint64_t n, g0, g2, hash;
	uint64_t rows;     /* hash of the type rows: count, size, generations */
};

static uint64_t rows_hash(struct heap *h)
{
	uint64_t x = 1469598103934665603ULL;
	for (size_t i = 0; i < heap_ntypes(h); i++) {
		const struct heap_type_row *r = heap_type_row(h, i);
		uint64_t v[] = {r->type->addr, r->count, r->size, r->gen[0], r->gen[1], r->gen[2], r->gen[3]};
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			x = (x ^ v[k]) * 1099511628211ULL;
	}
	return x;
}

static struct result census_how(int plain, int rows_only)
{
	struct result r = {0};
	struct hs_err err = {0};
	struct hs_snapshot *s = calloc(1, sizeof *s);
	void *copy = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(copy, mem, SIZE);
	s->mem = memsrc_new(NULL, NULL);
	memsrc_add_region(s->mem, BASE, BASE + SIZE, copy);
	s->rt.runtime = runtime;
	s->rt.major = 3;
	s->rt.minor = 12;
	s->L = *L;
	if (plain)
		setenv("HEAPSCOPE_PLAIN_WALK", "1", 1);
	else
		unsetenv("HEAPSCOPE_PLAIN_WALK");
	struct heap *h;
	r.st = (rows_only ? heap_open_census : heap_open)(s, &h, &err);
	if (r.st != HS_OK) {
		snprintf(r.msg, sizeof r.msg, "%s", err.msg);
		snap_free(s);
		return r;
	}
	r.n = heap_nobjects(h);
	r.g0 = heap_gc(h)->gen[0].objects;
	r.g2 = heap_gc(h)->gen[2].objects;
	r.rows = rows_hash(h);
	r.hash = 1469598103934665603ULL;
	for (uint64_t i = 0; i < r.n && heap_has_objects(h); i++)
		r.hash = (r.hash ^ heap_obj_addr(h, i) ^ (uint64_t)heap_obj_gen(h, i) << 60) * 1099511628211ULL;
	heap_free(h);
	snap_free(s);
	return r;
}

static struct result census(int plain) { return census_how(plain, 0); }

static void same(const char *what, int want_ok)
{
	struct result a = census(0), b = census(1);
	/* heap_open_census: the same rows (or error), both walks */
	for (int plain = 0; plain < 2; plain++) {
		struct result c = census_how(plain, 1), f = plain ? b : a;
		CHECK(c.st == f.st && !strcmp(c.msg, f.msg) && c.n == f.n && c.g0 == f.g0 &&
		      c.g2 == f.g2 && c.rows == f.rows,
		      "%s, %s walk: census only st %d n %lu (%s) vs full st %d n %lu (%s)", what,
		      plain ? "plain" : "seeded", c.st, (unsigned long)c.n, c.msg, f.st,
		      (unsigned long)f.n, f.msg);
	}
	CHECK(a.st == b.st && !strcmp(a.msg, b.msg) && a.n == b.n && a.g0 == b.g0 &&
	      a.g2 == b.g2 && a.hash == b.hash,
	      "%s: seeded st %d n %lu (%s) vs plain st %d n %lu (%s)", what, a.st,
	      (unsigned long)a.n, a.msg, b.st, (unsigned long)b.n, b.msg);
	CHECK((a.st == HS_OK) == want_ok, "%s: status %d (%s)", what, a.st, a.msg);
}

int main(void)
{
	mem = malloc(SIZE);
	node = malloc(NOBJ * sizeof *node);

	build();
	same("healthy heap", 1);
	struct result r = census(0);
	CHECK(r.n == NOBJ && r.g0 == 700 && r.g2 == NOBJ - 700, "healthy: n %lu g0 %lu g2 %lu",
	      (unsigned long)r.n, (unsigned long)r.g0, (unsigned long)r.g2);
	struct result e = census(1);
	CHECK(e.rows == r.rows && e.hash == r.hash, "healthy: the walks differ");

	build();   /* a back-link broken deep in generation 2 */
	put64(node[90000] + 8, node[12]);
	same("broken back-link", 0);

	build();   /* a cycle that never returns to the head, links forged to match */
	put64(node[120000], node[60000]);
	put64(node[60000] + 8, node[120000]);
	same("cycle", 0);

	build();   /* a link out of the snapshot */
	put64(node[100000], 0xdeadbeef000ULL);
	same("garbage link", 0);

	build();   /* generation 0's tail runs on into generation 2's nodes */
	put64(node[699], node[5000]);
	put64(node[5000] + 8, node[699]);
	same("lists sharing nodes", 0);

	/* A node whose _gc_prev names an orphan (in no list) that links to
	 * it: both neighbours of the node agree with it, so it can be a seed;
	 * the one link no chain checks is the seed's own back-link.  Take the
	 * first object of a seed probe's window (every 64 KiB of the copy). */
	build();
	uint64_t x = 0;
	for (uint64_t w = BASE + (4u << 20); w < BASE + SIZE && !x; w += 64 * 1024)
		for (int i = 700; i < NOBJ; i++)
			if (node[i] >= w && node[i] < w + 64) {
				x = node[i];
				break;
			}
	CHECK(x != 0, "no object at the start of a probe window");
	uint64_t orphan = BASE + 0x70000;
	put64(orphan, x);
	put64(orphan + 8, node[3]);
	put64(orphan + 16 + L->ob_type, type);
	put64(x + 8, orphan);
	same("a seed whose back-link names an orphan", 0);

	build();   /* an empty generation 2 */
	link_range(gen_head(2), 0, 0);
	link_range(gen_head(0), 0, NOBJ);
	same("one long generation 0", 1);

	free(mem);
	free(node);
	printf("%s\n", failures ? "FAILED" : "PASS");
	return failures ? 1 : 0;
}
