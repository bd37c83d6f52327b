/* walkcheck — heap_open() over big synthetic GC lists, healthy and broken
 * in many places, for checking that the census's two-ended walk (model/
 * heap.c: lists longer than PAR_MIN nodes are walked from both ends by two
 * threads) gives exactly what the one-thread walk gives: the same objects
 * in the same order, the same error at the same place.
 *
 *   cc -O2 -Iattach -Imodel bench/walkcheck.c build/model/libhsmodel.a \
 *      build/attach/libhsattach.a -lelf -lm -o walkcheck
 *   ./walkcheck [N]          (default 200000 objects)
 *
 * Prints one line per case (status and message, or object count and a
 * hash of the census in order).  Build it against two trees (e.g. before
 * and after a change to heap.c) and diff the outputs; run it several times
 * (where the two walks meet changes from run to run) and under
 * -fsanitize=thread / address,undefined.  The images: a fake CPython 3.12
 * runtime, two object regions added out of order, objects placed mostly in
 * order with some shuffling, lists of 10 .. N nodes (around PAR_MIN too),
 * and each corruption (garbage, misaligned or skipping links, broken or
 * forged back-links, bad types, a broken tail, a node on two lists, a node
 * at a region's end) at 7 places from the head to the tail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "heap.h"

#define BASE 0x10000000ULL
#define META_SIZE (1 << 20)
#define OBJ_SIZE 64

struct image {
	unsigned char *meta;          /* BASE .. BASE+META_SIZE */
	unsigned char *objs[2];       /* two object regions */
	uint64_t obase[2], osize[2];
	const struct py_layout *L;
	uint64_t runtime, interp, gcs, type, type2, metat, name;
	uint64_t n;                   /* objects */
	uint64_t *node;               /* node address of object i (list order per gen) */
};

static unsigned char *at(struct image *im, uint64_t a)
{
	if (a >= BASE && a < BASE + META_SIZE) return im->meta + (a - BASE);
	for (int r = 0; r < 2; r++)
		if (a >= im->obase[r] && a < im->obase[r] + im->osize[r]) return im->objs[r] + (a - im->obase[r]);
	fprintf(stderr, "bad addr %lx\n", (unsigned long)a); exit(2);
}
static void put64(struct image *im, uint64_t a, uint64_t v) { memcpy(at(im, a), &v, 8); }
static uint64_t gen_head(struct image *im, int g) { return im->gcs + im->L->gc_generations + (uint64_t)g * im->L->gc_gen_size; }

static uint64_t rng = 12345;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static void link_list(struct image *im, int g, uint64_t from, uint64_t to)
{
	uint64_t head = gen_head(im, g), prev = head;
	for (uint64_t i = from; i < to; i++) {
		uint64_t node = im->node[i];
		put64(im, prev, node);
		put64(im, node + 8, prev);
		prev = node;
	}
	put64(im, prev, head);
	put64(im, head + 8, prev);
}

/* gen0 gets n0 objects, gen2 the rest */
static void build(struct image *im, uint64_t n, uint64_t n0)
{
	const struct py_layout *L = im->L;
	memset(im->meta, 0, META_SIZE);
	im->n = n;
	im->runtime = BASE + 0x1000;
	im->interp = BASE + 0x10000;
	im->gcs = im->interp + L->interp_gc;
	im->metat = BASE + 0x40000; im->type = BASE + 0x41000; im->type2 = BASE + 0x42000; im->name = BASE + 0x43000;
	put64(im, im->runtime + L->rt_interp_main, im->interp);
	put64(im, im->runtime + L->rt_interp_head, im->interp);
	put64(im, im->metat + L->ob_type, im->metat);
	put64(im, im->metat + L->tp_flags, PY_TPFLAGS_TYPE_SUBCLASS);
	put64(im, im->metat + L->tp_basicsize, 920);
	put64(im, im->metat + L->tp_name, im->name + 16);
	memcpy(at(im, im->name + 16), "type", 5);
	put64(im, im->type + L->ob_type, im->metat);
	put64(im, im->type + L->tp_flags, PY_TPFLAGS_HAVE_GC);
	put64(im, im->type + L->tp_basicsize, 32);
	put64(im, im->type + L->tp_name, im->name);
	memcpy(at(im, im->name), "mod.Thing", 10);
	put64(im, im->type2 + L->ob_type, im->metat);
	put64(im, im->type2 + L->tp_flags, PY_TPFLAGS_HAVE_GC);
	put64(im, im->type2 + L->tp_basicsize, 40);
	put64(im, im->type2 + L->tp_name, im->name + 64);
	memcpy(at(im, im->name + 64), "mod.Other", 10);
	/* slots: shuffled positions over both object regions */
	uint64_t nslots = (im->osize[0] + im->osize[1]) / OBJ_SIZE;
	uint64_t *slot = malloc(nslots * sizeof *slot);
	for (uint64_t i = 0; i < nslots; i++) {
		uint64_t off = i * OBJ_SIZE;
		slot[i] = off < im->osize[0] ? im->obase[0] + off : im->obase[1] + (off - im->osize[0]);
	}
	for (uint64_t i = nslots - 1; i > 0; i--) {
		/* mostly sequential, some shuffling, like a real heap */
		if (rnd() % 4 == 0) { uint64_t j = rnd() % (i + 1); uint64_t t = slot[i]; slot[i] = slot[j]; slot[j] = t; }
	}
	for (int r = 0; r < 2; r++) memset(im->objs[r], 0, im->osize[r]);
	for (uint64_t i = 0; i < n; i++) {
		im->node[i] = slot[i];
		uint64_t obj = slot[i] + 16;
		put64(im, obj + L->ob_refcnt, 1);
		put64(im, obj + L->ob_type, (i % 3) ? im->type : im->type2);
	}
	free(slot);
	for (int g = 0; g < 3; g++) link_list(im, g, 0, 0);
	put64(im, im->gcs + L->gc_permanent, im->gcs + L->gc_permanent);
	put64(im, im->gcs + L->gc_permanent + 8, im->gcs + L->gc_permanent);
	link_list(im, 0, 0, n0);
	link_list(im, 2, n0, n);
}

static void census(struct image *im, const char *what)
{
	struct hs_snapshot *s = calloc(1, sizeof *s);
	s->mem = memsrc_new(NULL, NULL);
	void *c = mmap(NULL, META_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(c, im->meta, META_SIZE);
	memsrc_add_region(s->mem, BASE, BASE + META_SIZE, c);
	for (int r = 1; r >= 0; r--) {   /* out of order on purpose */
		c = mmap(NULL, im->osize[r], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memcpy(c, im->objs[r], im->osize[r]);
		memsrc_add_region(s->mem, im->obase[r], im->obase[r] + im->osize[r], c);
	}
	s->rt.runtime = im->runtime; s->rt.major = 3; s->rt.minor = 12;
	s->L = *im->L;
	struct heap *h = NULL;
	struct hs_err err = {0};
	enum hs_status st = heap_open(s, &h, &err);
	if (st != HS_OK) {
		printf("%-40s st=%d %s\n", what, st, err.msg);
		snap_free(s);
		return;
	}
	uint64_t osum = 1469598103934665603ULL;
	for (uint64_t i = 0; i < heap_nobjects(h); i++) {
		uint64_t v = heap_obj_addr(h, i) ^ (heap_type_row(h, heap_obj_type(h, i))->type->addr << 7) ^
			     (heap_obj_size(h, i) << 40) ^ ((uint64_t)heap_obj_gen(h, i) << 62);
		osum = (osum ^ v) * 1099511628211ULL;
	}
	printf("%-40s ok n=%lu g0=%lu g2=%lu types=%zu order=%016lx\n", what, (unsigned long)heap_nobjects(h),
	       (unsigned long)heap_gc(h)->gen[0].objects, (unsigned long)heap_gc(h)->gen[2].objects,
	       heap_ntypes(h), (unsigned long)osum);
	heap_free(h);
	snap_free(s);
}

int main(int argc, char **argv)
{
	uint64_t N = argc > 1 ? strtoull(argv[1], 0, 0) : 200000;
	struct image im = {0};
	im.L = layout_builtin(3, 12);
	im.meta = malloc(META_SIZE);
	im.osize[0] = (N / 2 + 1000) * OBJ_SIZE; im.osize[1] = (N / 2 + 1000) * OBJ_SIZE;
	im.obase[0] = 0x20000000ULL; im.obase[1] = 0x40000000ULL;
	im.objs[0] = malloc(im.osize[0]); im.objs[1] = malloc(im.osize[1]);
	im.node = malloc((N + 10) * sizeof *im.node);
	char what[128];
	uint64_t sizes[] = {10, 16383, 16384, 16385, 16386, 16400, 50000, N};
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
		rng = 777 + si; build(&im, sizes[si], sizes[si] > 40000 ? 20000 : 3);
		snprintf(what, sizeof what, "healthy %lu", (unsigned long)sizes[si]); census(&im, what);
	}
	uint64_t n = N, n0 = 20000;
	/* positions in gen2 list (n0 .. n): near head, middle, near tail */
	double fr[] = {0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999};
	for (int rep = 0; rep < 3; rep++)
	for (size_t fi = 0; fi < sizeof fr / sizeof *fr; fi++) {
		uint64_t k = n0 + (uint64_t)((n - n0) * fr[fi]);
		uint64_t nk = im.node[k];
#define CASE(name, code) do { rng = 99 + fi; build(&im, n, n0); nk = im.node[k]; code; \
	snprintf(what, sizeof what, "%s @%.3f", name, fr[fi]); census(&im, what); } while (0)
		CASE("fwd garbage", put64(&im, nk, 0xdeadbeef000ULL));
		CASE("fwd misaligned", put64(&im, nk, im.node[k + 1] + 4));
		CASE("back mismatch", put64(&im, nk + 8, im.node[k - 2]));
		CASE("cycle to earlier", put64(&im, nk, im.node[k - 5]));
		CASE("forged cycle", (put64(&im, nk, im.node[k - 5]), put64(&im, im.node[k - 5] + 8, nk)));
		CASE("skip one (fwd)", put64(&im, nk, im.node[k + 2]));
		CASE("skip one forged", (put64(&im, nk, im.node[k + 2]), put64(&im, im.node[k + 2] + 8, nk)));
		CASE("back skip forged", (put64(&im, im.node[k + 2] + 8, nk), put64(&im, nk, im.node[k + 2])));
		CASE("prev garbage", put64(&im, nk + 8, 0xdeadbeef000ULL));
		CASE("garbage type", put64(&im, nk + 16 + im.L->ob_type, BASE + 0x30000));
		CASE("zero type", put64(&im, nk + 16 + im.L->ob_type, 0));
		CASE("head.prev = node k", put64(&im, gen_head(&im, 2) + 8, nk));
		CASE("head.prev garbage", put64(&im, gen_head(&im, 2) + 8, 0xdeadbeef000ULL));
		CASE("tail.next wrong", put64(&im, im.node[n - 1], nk));
		CASE("gen0 node in gen2 too", (put64(&im, nk, im.node[100]), put64(&im, im.node[100] + 8, nk)));
		CASE("node at region end", put64(&im, nk, im.obase[0] + im.osize[0] - 8));
	}
	free(im.meta);
	free(im.objs[0]);
	free(im.objs[1]);
	free(im.node);
	return 0;
}
