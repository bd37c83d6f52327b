/* fuzz_heap — libFuzzer harness over the parser of memory images.
 *
 * Each input describes a synthetic CPython heap: a runtime, a main
 * interpreter with its GC state, a fixed set of type objects (the static
 * builtins model/ decodes, two Python classes), and objects whose kinds,
 * GC generations and contents come from the input's bytes.  The image is
 * handed to model/ exactly as a snapshot would be (a memsrc over private
 * copies), and everything a command would do runs on it: the census
 * (heap_open), value decoding (value_repr, value_fields, attributes,
 * sizes) of every object and of addresses around them, thread stacks, the
 * object graph (referents, referrers, paths), dominators and retained
 * sizes, leak suspects and a diff.  Pass: no crash, no sanitizer report,
 * no hang (libFuzzer -timeout), every failure a documented status with a
 * message, and the invariants checked below.
 *
 * Input (bytes; a short input is padded with zeros):
 *   [0] Python version: 0xf0, 0xf1, 0xf2 the older ones (3.7, 3.6, 2.7),
 *       any other b 3.(8 + b % 8) (layout_builtin; 3.12 when there is no
 *       table for it)
 *   [1] flags: bit 0 the GC's "collecting" flag, bit 1 the class Thing
 *       has a managed dict (3.11+), bit 2 Thing has a __dict__ slot
 *   then records until the input ends, each an opcode byte:
 *   op % 4 != 3: an OBJECT: kind byte (type index % NTYPES), generation
 *       byte (% 6: 0-2 the generation lists, 3 the permanent generation,
 *       4-5 not GC-tracked), word count byte (% 48), then 2 + count
 *       encoded words: the two pre-header words, then the body after
 *       ob_type.  At most MAX_OBJS objects.
 *   op % 4 == 3: a PATCH: target byte (% 4: 0 the runtime, 1 the
 *       interpreter, 2 a type object: next byte its index, 3 an object's
 *       block: next byte its index), a 2-byte word index, one encoded word
 *       written there (after everything else is laid out: GC links,
 *       ob_type, refcounts can all be overwritten).
 *   An encoded word starts with a tag byte t:
 *     t < 0x80        the integer t - 16
 *     0x80..0xbf      the address of object (t & 0x3f) (modulo the count)
 *     0xc0 i          the address of type object i
 *     0xc1 i k        object i's address + 8 * (k % 16) - 16 (inside, or
 *                     its GC head)
 *     0xc2 i          the address of built-in str constant i
 *     0xc3 / 0xc4     the interpreter / the runtime
 *     0xc5 k          the address of a GC list head (k % 4)
 *     0xc6 + 8 bytes  that raw word
 *     0xc7..0xff      a special value (0, -1, extremes, unmapped, ...)
 *
 * Built with -Dfuzzing=true by a clang build (scripts/fuzz.sh) this is a
 * libFuzzer target; otherwise (every build) main() below replays files or
 * directories given as arguments: the committed corpus and every input
 * that once crashed (tests/fuzz/crashes/) run as the unit test
 * `fuzz_corpus`, so a crash found stays fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "diff.h"
#include "frames.h"
#include "graph.h"
#include "heap.h"
#include "leaks.h"
#include "procmem.h"
#include "pyobj.h"
#include "rss.h"
#include "snapshot.h"
#include "value.h"

#define BASE      0x10000000ULL
#define RT        (BASE)
#define INTERP    (BASE + 0x10000)
#define TYPES     (BASE + 0x20000)
#define TYPE_SIZE 0x800
#define STRS      (BASE + 0x40000)
#define STR_SIZE  0x80
#define FIXED_LEN 0x50000           /* RT .. end of the strings */
#define ARENA     (BASE + 0x100000)
#define MAX_OBJS  256
#define MAX_WORDS 48
/* 2.7/3.6 (no _PyRuntime): pyfind's static variables, offsets from RT */
#define LEGACY_INTERP_HEAD 0
#define LEGACY_GENERATION0 8
#define LEGACY_COLLECTING  16
#define LEGACY_ENABLED     20
#define LEGACY_GENERATIONS 64
#define BLOCK_HDR 6                 /* pre 2, GC head 2, refcnt, ob_type */
#define MAX_PATCH 64

/* Replay with -v: one line per input (what the census and graph made of
 * it), to see what a seed exercises. */
static int g_verbose;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_heap: invariant broken: %s\n", what);
	abort();
}

/* ==== Reading the input ==== */

struct in {
	const uint8_t *p;
	size_t n, at;
};

static unsigned byte(struct in *in)
{
	return in->at < in->n ? in->p[in->at++] : 0;
}

static int more(const struct in *in)
{
	return in->at < in->n;
}

enum wkind { W_INT, W_OBJ, W_TYPE, W_INSIDE, W_STR, W_INTERP, W_RT, W_HEAD, W_RAW };

struct word {
	uint8_t kind;
	uint8_t a, b;
	uint64_t raw;
};

static const uint64_t k_special[] = {
	0, UINT64_MAX, INT64_MAX, (uint64_t)INT64_MIN, 1ull << 32, 0x7fffffff, 0x80000000,
	0xffffffff, 1ull << 40, 1ull << 62, 7, 8, 16, 24, 4096, 1ull << 20,
	BASE - 8, BASE + FIXED_LEN, ARENA - 8, 0x7ffffffff000ull, 0xdeadbeef000ull,
	0x8000000000000000ull | BASE, 0x0101010101010101ull, 0x8080808080808080ull,
	0xfffffffffffffff8ull, 3, 0x20, 0x64, 0x65, 0x60, 0xff, 0x100, 0x10000, 1ull << 31,
	1ull << 36, (1ull << 36) - 1, 0x3fffffff, 0x1fffffffffffull, 0x00007f0000000000ull,
	INT64_MAX - 7, 2, 1, 4, 5, 6, 9, 100, 1000, 65535, 65536, 0x5555555555555555ull,
	0xaaaaaaaaaaaaaaaaull, 0x0000ffff0000ffffull, 0x10001, 256, 257,
};
#define NSPECIAL (sizeof k_special / sizeof k_special[0])

static struct word read_word(struct in *in)
{
	struct word w = {0};
	unsigned t = byte(in);
	if (t < 0x80) {
		w.kind = W_INT;
		w.raw = (uint64_t)((int64_t)t - 16);
	} else if (t < 0xc0) {
		w.kind = W_OBJ;
		w.a = (uint8_t)(t & 0x3f);
	} else if (t == 0xc0) {
		w.kind = W_TYPE;
		w.a = (uint8_t)byte(in);
	} else if (t == 0xc1) {
		w.kind = W_INSIDE;
		w.a = (uint8_t)byte(in);
		w.b = (uint8_t)byte(in);
	} else if (t == 0xc2) {
		w.kind = W_STR;
		w.a = (uint8_t)byte(in);
	} else if (t == 0xc3) {
		w.kind = W_INTERP;
	} else if (t == 0xc4) {
		w.kind = W_RT;
	} else if (t == 0xc5) {
		w.kind = W_HEAD;
		w.a = (uint8_t)byte(in);
	} else if (t == 0xc6) {
		w.kind = W_RAW;
		for (int i = 0; i < 8; i++)
			w.raw |= (uint64_t)byte(in) << (8 * i);
	} else {
		w.kind = W_RAW;
		w.raw = k_special[(t - 0xc7) % NSPECIAL];
	}
	return w;
}

/* ==== The fixed part: types and str constants ==== */

struct tdef {
	const char *name;
	unsigned long flags;
	int64_t basicsize, itemsize;
	int heap;       /* a Python class (ht_qualname set) */
};

enum { T_TYPE, T_OBJECT, T_THING, T_SLOTTED };
static const struct tdef k_types[] = {
	{"type", PY_TPFLAGS_TYPE_SUBCLASS | PY_TPFLAGS_HAVE_GC, 920, 40, 0},
	{"object", 0, 16, 0, 0},
	{"Thing", PY_TPFLAGS_HEAPTYPE | PY_TPFLAGS_HAVE_GC, 16, 0, 1},
	{"Slotted", PY_TPFLAGS_HEAPTYPE | PY_TPFLAGS_HAVE_GC, 40, 0, 1},
	{"int", PY_TPFLAGS_LONG_SUBCLASS, 24, 4, 0},
	{"bool", PY_TPFLAGS_LONG_SUBCLASS, 24, 4, 0},
	{"float", 0, 24, 0, 0},
	{"complex", 0, 32, 0, 0},
	{"str", PY_TPFLAGS_UNICODE_SUBCLASS, 40, 0, 0},
	{"bytes", PY_TPFLAGS_BYTES_SUBCLASS, 33, 1, 0},
	{"bytearray", PY_TPFLAGS_HAVE_GC, 56, 0, 0},
	{"tuple", PY_TPFLAGS_TUPLE_SUBCLASS | PY_TPFLAGS_HAVE_GC, 24, 8, 0},
	{"list", PY_TPFLAGS_LIST_SUBCLASS | PY_TPFLAGS_HAVE_GC, 40, 0, 0},
	{"dict", PY_TPFLAGS_DICT_SUBCLASS | PY_TPFLAGS_HAVE_GC, 48, 0, 0},
	{"set", PY_TPFLAGS_HAVE_GC, 200, 0, 0},
	{"frozenset", PY_TPFLAGS_HAVE_GC, 200, 0, 0},
	{"collections.deque", PY_TPFLAGS_HAVE_GC, 632, 0, 0},
	{"collections.OrderedDict", PY_TPFLAGS_DICT_SUBCLASS | PY_TPFLAGS_HAVE_GC, 104, 0, 0},
	{"module", PY_TPFLAGS_HAVE_GC, 72, 0, 0},
	{"function", PY_TPFLAGS_HAVE_GC, 160, 0, 0},
	{"code", 0, 200, 1, 0},
	{"cell", PY_TPFLAGS_HAVE_GC, 24, 0, 0},
	{"method", PY_TPFLAGS_HAVE_GC, 48, 0, 0},
	{"builtin_function_or_method", PY_TPFLAGS_HAVE_GC, 56, 0, 0},
	{"generator", PY_TPFLAGS_HAVE_GC, 96, 8, 0},
	{"coroutine", PY_TPFLAGS_HAVE_GC, 96, 8, 0},
	{"frame", PY_TPFLAGS_HAVE_GC, 80, 8, 0},
	{"weakref", PY_TPFLAGS_HAVE_GC, 64, 0, 0},
	{"property", PY_TPFLAGS_HAVE_GC, 56, 0, 0},
	{"staticmethod", PY_TPFLAGS_HAVE_GC, 32, 0, 0},
	{"BaseException", PY_TPFLAGS_BASE_EXC_SUBCLASS | PY_TPFLAGS_HAVE_GC, 72, 0, 0},
	{"traceback", PY_TPFLAGS_HAVE_GC, 48, 0, 0},
	{"slice", PY_TPFLAGS_HAVE_GC, 40, 0, 0},
	{"range", 0, 48, 0, 0},
	{"NoneType", 0, 16, 0, 0},
	{"_io.BytesIO", PY_TPFLAGS_HAVE_GC, 80, 0, 0},
	{"_struct.Struct", PY_TPFLAGS_HAVE_GC, 64, 0, 0},
	{"mod.CThing", PY_TPFLAGS_HAVE_GC, 32, 0, 0},
};
#define NTYPES (sizeof k_types / sizeof k_types[0])

static const char *const k_strs[] = {
	"Thing", "Slotted", "mod", "__module__", "x", "__sizeof__", "__dict__", "name",
	"__main__", "sys", "builtins", "modules",
};
#define NSTRS (sizeof k_strs / sizeof k_strs[0])

struct image {
	const struct py_layout *L;
	int major, minor;
	unsigned char *fixed;          /* [BASE, BASE + FIXED_LEN) */
	unsigned char *arena;          /* [ARENA, ARENA + arena_len) */
	size_t arena_len;
	raddr_t gcs;
	size_t nobj;
	raddr_t obj[MAX_OBJS];         /* object addresses */
	uint8_t gen[MAX_OBJS];
};

static void put64(struct image *im, raddr_t a, uint64_t v)
{
	if (a >= BASE && a + 8 <= BASE + FIXED_LEN)
		memcpy(im->fixed + (a - BASE), &v, 8);
	else if (a >= ARENA && a + 8 <= ARENA + im->arena_len)
		memcpy(im->arena + (a - ARENA), &v, 8);
}

static void put32(struct image *im, raddr_t a, uint32_t v)
{
	if (a >= BASE && a + 4 <= BASE + FIXED_LEN)
		memcpy(im->fixed + (a - BASE), &v, 4);
}

static raddr_t type_addr(unsigned i)
{
	return TYPES + (raddr_t)(i % NTYPES) * TYPE_SIZE;
}

static raddr_t str_addr(unsigned i)
{
	return STRS + (raddr_t)(i % NSTRS) * STR_SIZE;
}

static raddr_t gen_head(const struct image *im, int g)
{
	const struct py_layout *L = im->L;
	if (g < 3)
		return im->gcs + (raddr_t)L->gc_generations + (raddr_t)g * (raddr_t)L->gc_gen_size;
	return L->gc_permanent >= 0 ? im->gcs + (raddr_t)L->gc_permanent : 0;
}

/* A compact ASCII str (state: kind 1, compact, ascii). */
static void build_str(struct image *im, raddr_t a, const char *text)
{
	const struct py_layout *L = im->L;
	put64(im, a + L->ob_refcnt, 1);
	put64(im, a + L->ob_type, type_addr(8));
	put64(im, a + L->str_length, strlen(text));
	put64(im, a + L->str_hash, (uint64_t)-1);
	put32(im, a + L->str_state, (1u << 2) | (1u << 5) | (1u << 6));
	memcpy(im->fixed + (a - BASE) + L->str_ascii_size, text, strlen(text) + 1);
}

static void build_fixed(struct image *im, unsigned flags)
{
	const struct py_layout *L = im->L;
	raddr_t names = STRS + NSTRS * STR_SIZE;

	if (L->rt_interp_head < 0) {
		/* 2.7/3.6: static variables where the runtime would be */
		put64(im, RT + LEGACY_INTERP_HEAD, INTERP);
		im->gcs = RT + LEGACY_GENERATIONS;
		put64(im, RT + LEGACY_GENERATION0, im->gcs + (raddr_t)L->gc_generations);
		if (flags & 1)
			put32(im, RT + LEGACY_COLLECTING, 1);
		put32(im, RT + LEGACY_ENABLED, 1);
	} else {
		put64(im, RT + L->rt_interp_main, INTERP);
		put64(im, RT + L->rt_interp_head, INTERP);
		im->gcs = L->rt_gc >= 0 ? RT + (raddr_t)L->rt_gc : INTERP + (raddr_t)L->interp_gc;
	}
	for (int g = 0; g < 4; g++) {
		raddr_t h = gen_head(im, g);
		if (h) {
			put64(im, h, h);
			put64(im, h + 8, h);
		}
	}
	if (L->gc_collecting >= 0 && (flags & 1))
		put32(im, im->gcs + L->gc_collecting, 1);
	if (L->gc_enabled >= 0)
		put32(im, im->gcs + L->gc_enabled, 1);
	for (unsigned i = 0; i < NSTRS; i++)
		build_str(im, str_addr(i), k_strs[i]);
	for (unsigned i = 0; i < NTYPES; i++) {
		const struct tdef *d = &k_types[i];
		raddr_t t = type_addr(i), name = names + (raddr_t)i * 32;
		unsigned long fl = d->flags;
		if (i == T_THING && (flags & 2) && im->minor >= 11)
			fl |= PY_TPFLAGS_MANAGED_DICT;
		memcpy(im->fixed + (name - BASE), d->name, strlen(d->name) + 1);
		put64(im, t + L->ob_refcnt, 1000);
		put64(im, t + L->ob_type, type_addr(T_TYPE));
		put64(im, t + L->tp_name, name);
		put64(im, t + L->tp_basicsize, (uint64_t)d->basicsize);
		put64(im, t + L->tp_itemsize, (uint64_t)d->itemsize);
		put64(im, t + L->tp_flags, fl);
		if (i != T_OBJECT)
			put64(im, t + L->tp_base, type_addr(T_OBJECT));
		if (i == T_THING)
			put64(im, t + L->tp_dictoffset, fl & PY_TPFLAGS_MANAGED_DICT ? (uint64_t)-1
				: (flags & 4) ? 16 : 0);
		if (d->heap && L->ht_qualname >= 0)
			put64(im, t + L->ht_qualname, str_addr(i == T_THING ? 0 : 1));
	}
}

/* ==== One input ==== */

struct objrec {
	uint8_t kind, gen, nwords;
	struct word w[2 + MAX_WORDS];
};

struct patch {
	uint8_t target, index;
	uint16_t word;
	struct word w;
};

static uint64_t resolve(const struct image *im, const struct word *w)
{
	switch (w->kind) {
	case W_INT:
	case W_RAW:
		return w->raw;
	case W_OBJ:
		return im->nobj ? im->obj[w->a % im->nobj] : 0;
	case W_TYPE:
		return type_addr(w->a);
	case W_INSIDE:
		return im->nobj ? im->obj[w->a % im->nobj] + 8 * (raddr_t)(w->b % 16) - 16 : 0;
	case W_STR:
		return str_addr(w->a);
	case W_INTERP:
		return INTERP;
	case W_RT:
		return RT;
	case W_HEAD:
		return gen_head(im, w->a % 4);
	}
	return 0;
}

/* Link the objects of generation g (in input order) into its list. */
static void link_gen(struct image *im, int g)
{
	raddr_t head = gen_head(im, g), prev = head;
	if (!head)
		return;
	for (size_t i = 0; i < im->nobj; i++) {
		if (im->gen[i] != g)
			continue;
		raddr_t node = im->obj[i] - (raddr_t)im->L->gc_head_size;
		put64(im, prev, node);
		put64(im, node + 8, prev);
		prev = node;
	}
	put64(im, prev, head);
	put64(im, head + 8, prev);
}

static struct hs_snapshot *build(const uint8_t *data, size_t size)
{
	static struct objrec recs[MAX_OBJS];
	static struct patch patches[MAX_PATCH];
	struct in in = {data, size, 0};
	struct image im;
	memset(&im, 0, sizeof im);
	static const int older[][2] = { {3, 7}, {3, 6}, {2, 7} };
	unsigned vb = byte(&in);
	im.major = 3;
	im.minor = 8 + (int)(vb % 8);
	if (vb >= 0xf0 && vb < 0xf0 + sizeof older / sizeof *older) {
		im.major = older[vb - 0xf0][0];
		im.minor = older[vb - 0xf0][1];
	}
	im.L = layout_builtin(im.major, im.minor);
	if (!im.L)   /* a version without a built-in table */
		im.L = layout_builtin(im.major = 3, im.minor = 12);
	if (!im.L)
		return NULL;
	unsigned flags = byte(&in);
	size_t npatch = 0, arena = 0;
	while (more(&in)) {
		unsigned op = byte(&in);
		if (op % 4 == 3) {
			struct patch *p = &patches[npatch < MAX_PATCH ? npatch++ : MAX_PATCH - 1];
			p->target = (uint8_t)(byte(&in) % 4);
			p->index = p->target >= 2 ? (uint8_t)byte(&in) : 0;
			p->word = (uint16_t)(byte(&in) | byte(&in) << 8);
			p->w = read_word(&in);
			continue;
		}
		if (im.nobj == MAX_OBJS)
			break;
		struct objrec *r = &recs[im.nobj];
		r->kind = (uint8_t)(byte(&in) % NTYPES);
		r->gen = (uint8_t)(byte(&in) % 6);
		r->nwords = (uint8_t)(byte(&in) % MAX_WORDS);
		for (unsigned k = 0; k < 2u + r->nwords; k++)
			r->w[k] = read_word(&in);
		im.obj[im.nobj] = ARENA + arena + 32;
		im.gen[im.nobj] = r->gen;
		arena += (BLOCK_HDR + r->nwords + 1) * 8;   /* + one zero word after */
		arena = (arena + 15) & ~(size_t)15;
		im.nobj++;
	}
	im.arena_len = (arena + 4095) & ~(size_t)4095;
	im.fixed = mmap(NULL, FIXED_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	im.arena = im.arena_len ? mmap(NULL, im.arena_len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
	if (im.fixed == MAP_FAILED || im.arena == MAP_FAILED)
		abort();
	build_fixed(&im, flags);
	for (size_t i = 0; i < im.nobj; i++) {
		const struct objrec *r = &recs[i];
		raddr_t o = im.obj[i];
		put64(&im, o - 32, resolve(&im, &r->w[0]));   /* pre-header */
		put64(&im, o - 24, resolve(&im, &r->w[1]));
		put64(&im, o + im.L->ob_refcnt, 1);
		put64(&im, o + im.L->ob_type, type_addr(r->kind));
		for (unsigned k = 0; k < r->nwords; k++)
			put64(&im, o + 16 + 8 * (raddr_t)k, resolve(&im, &r->w[2 + k]));
	}
	for (int g = 0; g < 4; g++)
		link_gen(&im, g);
	for (size_t i = 0; i < npatch; i++) {
		const struct patch *p = &patches[i];
		raddr_t at;
		switch (p->target) {
		case 0: at = RT + 8 * (raddr_t)(p->word % 0x2000); break;
		case 1: at = INTERP + 8 * (raddr_t)(p->word % 0x2000); break;
		case 2: at = type_addr(p->index) + 8 * (raddr_t)(p->word % (TYPE_SIZE / 8)); break;
		default:
			if (!im.nobj)
				continue;
			at = im.obj[p->index % im.nobj] - 32 + 8 * (raddr_t)(p->word % (BLOCK_HDR + MAX_WORDS));
		}
		put64(&im, at, resolve(&im, &p->w));
	}

	struct hs_snapshot *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->mem = memsrc_new(NULL, NULL);
	if (!s->mem || memsrc_add_region(s->mem, BASE, BASE + FIXED_LEN, im.fixed) != 0 ||
	    (im.arena && memsrc_add_region(s->mem, ARENA, ARENA + im.arena_len, im.arena) != 0))
		abort();
	memsrc_info_mut(s->mem)->bytes_copied = FIXED_LEN + im.arena_len;
	s->rt.runtime = RT;
	if (im.L->rt_interp_head < 0) {
		s->rt.runtime = 0;
		s->rt.sym_interp_head = RT + LEGACY_INTERP_HEAD;
		s->rt.sym_gc_generation0 = RT + LEGACY_GENERATION0;
		s->rt.sym_gc_collecting = RT + LEGACY_COLLECTING;
		s->rt.sym_gc_enabled = RT + LEGACY_ENABLED;
		s->rt.sym_gc_generations = RT + LEGACY_GENERATIONS;
	}
	s->rt.major = im.major;
	s->rt.minor = im.minor;
	snprintf(s->rt.version, sizeof s->rt.version, "%d.%d.0", im.major, im.minor);
	s->L = *im.L;
	s->attempts = 1;
	return s;
}

/* ==== Running everything a command would ==== */

static void terminated(const char *buf, size_t cap, const char *what)
{
	if (!memchr(buf, 0, cap))
		fail(what);
}

static void status_ok(enum hs_status st, const struct hs_err *err, const char *what)
{
	if (st == HS_OK)
		return;
	if (st < HS_ERR_INTERNAL || st > HS_ERR_NOT_FOUND || st == HS_ERR_INTERNAL)
		fail(what);
	terminated(err->msg, sizeof err->msg, what);
	if (!err->msg[0])
		fail(what);
}

static int attr_cb(void *arg, const struct value_attr *a)
{
	long *n = arg;
	if (a->name)
		(void)strlen(a->name);
	return ++*n > 10000;
}

static void values(struct pyctx *c, raddr_t a)
{
	char buf[512];
	long n = value_repr(c, a, buf, sizeof buf);
	terminated(buf, sizeof buf, "value_repr");
	if (n >= 0 && (size_t)n != strlen(buf))
		fail("value_repr length");
	struct value_opts o = {.max_items = 3, .max_str = 20, .depth = 4};
	value_repr_opts(c, a, &o, buf, 64);
	terminated(buf, 64, "value_repr_opts");
	struct value_field *rows = NULL;
	size_t total = 0;
	long nr = value_fields(c, a, 0, 16, &rows, &total);
	for (long i = 0; i < nr; i++) {
		terminated(rows[i].label, sizeof rows[i].label, "field label");
		terminated(rows[i].text, sizeof rows[i].text, "field text");
	}
	free(rows);
	long na = 0;
	value_iter_attrs(c, a, NULL, attr_cb, &na);
	value_type_name(c, a, buf, sizeof buf);
	terminated(buf, sizeof buf, "value_type_name");
	value_str(c, a, buf, sizeof buf);
	int64_t v;
	int fits;
	value_int64(c, a, &v, &fits);
	value_int_text(c, a, buf, sizeof buf);
	double d;
	value_float(c, a, &d);
	const struct pytype *t = py_type_of_obj(c, a);
	if (t && (!t->qualname || !t->module))
		fail("a type without a name");
	py_getsizeof(c, a, t);
	value_instance_dict(c, a, t);
	if (t)
		value_container_len(c, a, t);
}

static void frames(struct pyctx *c, raddr_t interp)
{
	struct py_thread *th = NULL;
	long n = frames_threads(c, interp, FRAMES_LOCALS, &th);
	for (long i = 0; i < n; i++) {
		if (th[i].nframes > FRAMES_MAX_DEPTH)
			fail("frame depth");
		for (size_t k = 0; k < th[i].nframes; k++) {
			const struct py_frame *f = &th[i].frames[k];
			terminated(f->function, sizeof f->function, "frame function");
			terminated(f->file, sizeof f->file, "frame file");
			if (f->nlocals > FRAMES_MAX_LOCALS)
				fail("locals");
			for (size_t j = 0; j < f->nlocals; j++)
				terminated(f->locals[j].name, sizeof f->locals[j].name, "local name");
			if (f->code)
				frames_code_line(c, f->code, f->lasti);
		}
	}
	if (n > 0)
		frames_threads_free(th, (size_t)n);
}

static void graph_queries(struct graph *g)
{
	char buf[1024];
	uint32_t n = graph_nobjects(g);
	for (uint32_t o = 0; o < n && o < 512; o++) {
		if (graph_find(g, graph_addr(g, o)) != o)
			fail("graph_find(graph_addr)");
		graph_type_name(g, o, buf, sizeof buf);
		terminated(buf, sizeof buf, "graph_type_name");
		graph_value(g, o, buf, 200);
		terminated(buf, 200, "graph_value");
		int imm;
		graph_refcnt(g, o, &imm);
		graph_size(g, o);
		const struct graph_edge *e;
		size_t ne = graph_referents(g, o, &e);
		for (size_t k = 0; k < ne; k++) {
			if (e[k].to >= n)
				fail("referent index");
			graph_edge_label(g, &e[k], buf, sizeof buf);
			terminated(buf, sizeof buf, "edge label");
		}
		ne = graph_referrers(g, o, &e);
		for (size_t k = 0; k < ne; k++)
			if (e[k].from != GRAPH_NONE && e[k].from >= n)
				fail("referrer index");
		if (o < 8) {
			struct graph_path *p = NULL;
			size_t np = graph_paths(g, o, 2, &p);
			for (size_t k = 0; k < np; k++) {
				graph_path_text(g, &p[k], buf, sizeof buf);
				terminated(buf, sizeof buf, "path text");
				diff_path_pattern(g, &p[k], buf, sizeof buf);
			}
			graph_paths_free(p, np);
		}
	}
	const struct graph_root *roots;
	size_t nroots = graph_roots(g, &roots);
	for (size_t i = 0; i < nroots; i++)
		terminated(roots[i].label, sizeof roots[i].label, "root label");
	graph_obj_t *objs = NULL;
	graph_objects_of_type(g, "Thing", &objs);
	free(objs);
}

static void leaks(struct heap *h, struct graph *g)
{
	struct leaks *L = NULL;
	struct hs_err err = {0};
	enum hs_status st = leaks_build(h, g, &L, &err);
	status_ok(st, &err, "leaks_build status");
	if (st != HS_OK)
		return;
	char buf[512];
	graph_obj_t *top = NULL;
	size_t nt = leaks_top_objects(L, 5, &top);
	for (size_t i = 0; i < nt; i++) {
		leaks_retained(L, top[i]);
		leaks_node_label(L, top[i], buf, sizeof buf);
	}
	free(top);
	const struct leaks_type_row *rows;
	leaks_types(L, &rows);
	leaks_garbage(L);
	struct leaks_suspect_opts so = {.min_bytes = 1};
	struct leaks_suspect *sus = NULL;
	size_t ns = leaks_suspects(L, &so, &sus);
	for (size_t i = 0; i < ns; i++) {
		terminated(sus[i].title, sizeof sus[i].title, "suspect title");
		terminated(sus[i].evidence, sizeof sus[i].evidence, "suspect evidence");
		terminated(sus[i].path, sizeof sus[i].path, "suspect path");
	}
	free(sus);
	leaks_free(L);
}

/* The RSS split over the image's own mappings (each taken as wholly
 * resident): pymalloc's pools and arena table searched in fuzz bytes, every
 * object's owned buffer; the parts must add up to the RSS whatever the
 * bytes say. */
static uint64_t all_resident(void *arg, raddr_t start, raddr_t end)
{
	(void)arg;
	return end > start ? end - start : 0;
}

static void rss(struct hs_snapshot *s, struct heap *h, struct graph *g)
{
	size_t n;
	const struct mem_map *mm = mem_maps(s->mem, &n);
	struct pm_map pm[64];
	struct pm_smaps sm = {pm, 0, 0};
	for (size_t i = 0; mm && i < n && i < 64; i++) {
		memset(&pm[i], 0, sizeof pm[i]);
		pm[i].start = mm[i].start;
		pm[i].end = mm[i].end;
		pm[i].rss = mm[i].end - mm[i].start;
		pm[i].prot = mm[i].prot;
		pm[i].path = mm[i].path;
		sm.n++;
	}
	raddr_t sp = n ? mm[0].start : 0;
	struct rss_breakdown b;
	if (rss_build(heap_ctx(h), g, &sm, &sp, 1, all_resident, NULL, &b) == 0) {
		struct rss_part p[RSS_MAX_PARTS];
		size_t k = rss_parts(&b, 1, p);
		int64_t sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += (strcmp(p[i].key, "not_resident") ? 1 : -1) * (int64_t)p[i].bytes;
		if (sum != (int64_t)b.rss) {
			fprintf(stderr, "rss parts add up to %lld, not %llu\n", (long long)sum,
				(unsigned long long)b.rss);
			abort();
		}
	}
	rss_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_snapshot *s = build(data, size);
	if (!s)
		return 0;
	struct hs_err err = {0};
	struct heap *h = NULL;
	enum hs_status st = heap_open(s, &h, &err);
	status_ok(st, &err, "heap_open status");
	if (g_verbose)
		printf("  %d.%d census: %s %s\n", s->rt.major, s->rt.minor, st ? hs_status_name(st) : "ok",
		       st ? err.msg : "");
	struct pyctx *own = NULL, *c;
	if (st == HS_OK) {
		c = heap_ctx(h);
		for (size_t i = 0; i < heap_ntypes(h); i++) {
			const struct heap_type_row *r = heap_type_row(h, i);
			if (!r || !r->type || !r->type->qualname || !r->type->module)
				fail("type row");
		}
		for (uint64_t i = 0; i < heap_nobjects(h); i++)
			if (heap_obj_type(h, i) >= heap_ntypes(h))
				fail("object's type row");
		free(heap_types_sorted(h, HEAP_SORT_SIZE));
	} else {
		own = pyctx_new(s->mem, &s->L, &s->rt);
		c = own;
	}
	if (c) {
		frames(c, INTERP);
		/* every object record, and addresses around some of them */
		for (raddr_t a = ARENA + 32; a < ARENA + 32 * 1024; a += 16) {
			const void *p = mem_ptr(s->mem, a, 8);
			if (!p)
				break;
			uint64_t t;
			if (mem_u64(s->mem, a + s->L.ob_type, &t) == 0 && t >= TYPES &&
			    t < TYPES + NTYPES * TYPE_SIZE)
				values(c, a);
		}
		for (unsigned i = 0; i < NTYPES; i++)
			values(c, type_addr(i));
		values(c, 0);
		values(c, ARENA + 8);
	}
	if (st == HS_OK) {
		struct graph *g = NULL;
		st = graph_build(h, &g, &err);
		status_ok(st, &err, "graph_build status");
		if (g_verbose)
			printf("  objects %lu, graph: %s\n", (unsigned long)heap_nobjects(h),
			       st ? err.msg : "ok");
		if (st == HS_OK) {
			if (g_verbose)
				printf("  graph objects %u\n", graph_nobjects(g));
			graph_queries(g);
			leaks(h, g);
			rss(s, h, g);
			struct diff_base *b = NULL;
			if (diff_base_take(h, g, 1000.0, &b, &err) == HS_OK) {
				struct diff_type_row *rows = NULL;
				diff_types(b, b, &rows);
				free(rows);
				struct diff_new dn;
				memset(&dn, 0, sizeof dn);
				if (diff_new_objects(b, h, g, "Thing", 20, &dn) == 0)
					diff_new_fini(&dn);
				diff_base_free(b);
			}
			graph_free(g);
		}
		heap_free(h);
	}
	pyctx_free(own);
	snap_free(s);
	return 0;
}

#ifndef HS_LIBFUZZER
/* Replay: every file named, and every file in every directory named. */
#include <dirent.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_heap: cannot open %s\n", path);
		return -1;
	}
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (g_verbose)
		printf("%s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			g_verbose = 1;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d) {
			bad += run_file(argv[i]) != 0;
			files++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			bad += run_file(path) != 0;
			files++;
		}
		closedir(d);
	}
	printf("fuzz_heap: %d inputs replayed%s\n", files, bad ? ", some unreadable" : "");
	return bad || !files ? 1 : 0;
}
#endif
