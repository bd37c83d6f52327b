/* Census over synthetic memory images: no target process.
 *
 * Builds a fake CPython 3.12 heap (runtime -> interpreter -> GC state ->
 * generation lists -> objects -> a type object) in one memsrc region, and
 * checks that heap_open() counts a healthy heap exactly and reports
 * HS_ERR_INCONSISTENT — promptly, without looping — for a cyclic list, a
 * garbage link, a broken back-link, a garbage type pointer and a
 * collection in progress. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "heap.h"

#define BASE 0x10000000ULL
#define SIZE (1 << 20)

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

struct image {
	unsigned char *mem;
	const struct py_layout *L;
	uint64_t runtime, interp, gcs, type, meta, name;
	uint64_t obj[8];   /* object addresses (GC head at obj-16) */
};

static void put64(struct image *im, uint64_t addr, uint64_t v)
{
	memcpy(im->mem + (addr - BASE), &v, 8);
}

static uint64_t gen_head(struct image *im, int g)
{
	return im->gcs + im->L->gc_generations + (uint64_t)g * im->L->gc_gen_size;
}

/* Link objects [from, to) into generation g's list, properly. */
static void link_list(struct image *im, int g, int from, int to)
{
	uint64_t head = gen_head(im, g), prev = head;
	for (int i = from; i < to; i++) {
		uint64_t node = im->obj[i] - 16;
		put64(im, prev, node);        /* prev->_gc_next */
		put64(im, node + 8, prev);    /* node->_gc_prev */
		prev = node;
	}
	put64(im, prev, head);
	put64(im, head + 8, prev);
}

static void build(struct image *im)
{
	memset(im->mem, 0, SIZE);
	im->L = layout_builtin(3, 12);
	im->runtime = BASE + 0x1000;
	im->interp = BASE + 0x10000;
	im->gcs = im->interp + im->L->interp_gc;
	im->meta = BASE + 0x40000;    /* `type` */
	im->type = BASE + 0x41000;    /* class Thing */
	im->name = BASE + 0x42000;
	put64(im, im->runtime + im->L->rt_interp_main, im->interp);
	put64(im, im->runtime + im->L->rt_interp_head, im->interp);
	/* metatype: its own type is itself, flags say "type subclass" */
	put64(im, im->meta + im->L->ob_type, im->meta);
	put64(im, im->meta + im->L->tp_flags, PY_TPFLAGS_TYPE_SUBCLASS);
	put64(im, im->meta + im->L->tp_basicsize, 920);
	put64(im, im->meta + im->L->tp_name, im->name + 16);
	memcpy(im->mem + (im->name + 16 - BASE), "type", 5);
	/* a static C type "mod.Thing" with 32-byte GC instances */
	put64(im, im->type + im->L->ob_type, im->meta);
	put64(im, im->type + im->L->tp_flags, PY_TPFLAGS_HAVE_GC);
	put64(im, im->type + im->L->tp_basicsize, 32);
	put64(im, im->type + im->L->tp_name, im->name);
	memcpy(im->mem + (im->name - BASE), "mod.Thing", 10);
	for (int i = 0; i < 8; i++) {
		im->obj[i] = BASE + 0x20000 + (uint64_t)i * 64 + 16;
		put64(im, im->obj[i] + im->L->ob_type, im->type);
		put64(im, im->obj[i] + im->L->ob_refcnt, 1);
	}
	for (int g = 0; g < 3; g++)
		link_list(im, g, 0, 0);
	put64(im, im->gcs + im->L->gc_permanent, im->gcs + im->L->gc_permanent);
	put64(im, im->gcs + im->L->gc_permanent + 8, im->gcs + im->L->gc_permanent);
	link_list(im, 0, 0, 3);
	link_list(im, 2, 3, 8);
}

static enum hs_status census(struct image *im, struct heap **h, struct hs_err *err)
{
	struct hs_snapshot *s = calloc(1, sizeof *s);
	void *copy = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(copy, im->mem, SIZE);
	s->mem = memsrc_new(NULL, NULL);
	memsrc_add_region(s->mem, BASE, BASE + SIZE, copy);
	s->rt.runtime = im->runtime;
	s->rt.major = 3;
	s->rt.minor = 12;
	s->L = *im->L;
	enum hs_status st = heap_open(s, h, err);
	if (st != HS_OK)
		snap_free(s);
	return st;
}

static void done(struct heap *h)
{
	struct hs_snapshot *s = heap_snapshot(h);
	heap_free(h);
	snap_free(s);
}

int main(void)
{
	struct image im = {.mem = malloc(SIZE)};
	struct heap *h;
	struct hs_err err;
	enum hs_status st;

	build(&im);
	st = census(&im, &h, &err);
	CHECK(st == HS_OK, "healthy heap: %s", err.msg);
	if (st == HS_OK) {
		CHECK(heap_nobjects(h) == 8, "objects %lu", (unsigned long)heap_nobjects(h));
		CHECK(heap_gc(h)->gen[0].objects == 3 && heap_gc(h)->gen[2].objects == 5,
		      "generations %lu/%lu", (unsigned long)heap_gc(h)->gen[0].objects,
		      (unsigned long)heap_gc(h)->gen[2].objects);
		CHECK(heap_ntypes(h) == 1, "types %zu", heap_ntypes(h));
		const struct heap_type_row *r = heap_type_row(h, 0);
		CHECK(!strcmp(r->type->qualname, "Thing") && !strcmp(r->type->module, "mod"),
		      "names %s %s", r->type->qualname, r->type->module);
		CHECK(r->size == 8 * (32 + 16), "size %lu", (unsigned long)r->size);
		done(h);
	}

	/* A cycle that never returns to the head: obj2 -> obj0. */
	build(&im);
	put64(&im, im.obj[2] - 16, im.obj[0] - 16);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "cyclic list gave %d", st);
	CHECK(strstr(err.msg, "generation 0") != NULL, "message: %s", err.msg);

	/* A self-loop whose back-link was forged to match. */
	build(&im);
	put64(&im, im.obj[4] - 16, im.obj[4] - 16);
	put64(&im, im.obj[4] - 16 + 8, im.obj[4] - 16);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "forged self-loop gave %d", st);

	/* A garbage link out of the snapshot. */
	build(&im);
	put64(&im, im.obj[5] - 16, 0xdeadbeef000ULL);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "garbage link gave %d", st);
	CHECK(strstr(err.msg, "outside the snapshot") != NULL, "message: %s", err.msg);

	/* A garbage type pointer. */
	build(&im);
	put64(&im, im.obj[1] + im.L->ob_type, BASE + 0x30000);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "garbage type gave %d", st);

	/* Collection in progress. */
	build(&im);
	put64(&im, im.gcs + im.L->gc_collecting, 1);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "collecting gave %d", st);
	CHECK(strstr(err.msg, "garbage collection") != NULL, "message: %s", err.msg);

	/* No interpreter at all. */
	build(&im);
	put64(&im, im.runtime + im.L->rt_interp_main, 0);
	put64(&im, im.runtime + im.L->rt_interp_head, 0);
	st = census(&im, &h, &err);
	CHECK(st == HS_ERR_INCONSISTENT, "no interpreter gave %d", st);

	free(im.mem);
	printf("%s\n", failures ? "FAILED" : "PASS");
	return failures ? 1 : 0;
}
