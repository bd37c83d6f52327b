/* traverse — per-type, per-version referents.  See traverse.h.
 *
 * The aim is to report, for every object, exactly the pointers CPython's
 * tp_traverse passes to its visit function (flagged GRAPH_EF_TRAVERSE, so
 * a test can compare with gc.get_referents()), and beside them the owning
 * pointers a heap tool needs that traverse leaves out.  The functions below
 * follow CPython's own traverse functions one by one (dict_traverse,
 * subtype_traverse, func_traverse, frame_traverse, gen_traverse…); where a
 * version changed what is visited the code branches on L->minor and says
 * why.  Field offsets come from struct py_layout, or for the few structs it
 * does not describe, from the small per-version table `xoffs` below.
 */
#include "traverse.h"

#include "addrhash.h"

#include <stdlib.h>
#include <string.h>

/* Handler semantics that are the same in every version. */
#define MAX_BLOCKLEN 64         /* deque items per block is checked against this */

/* Bounds on what one object can hold, against garbage sizes. */
#define MAX_ITEMS ((int64_t)1 << 31)
#define MAX_SCAN (1 << 20)      /* bytes a conservative scan reads */
#define MAX_CHAIN 64            /* tp_base links followed */

/* ==== Handlers and cached per-type plans ==== */

enum th {
	TH_NONE, TH_TUPLE, TH_LIST, TH_DICT, TH_ODICT, TH_DEFDICT, TH_SET,
	TH_TYPE, TH_FUNCTION, TH_CELL, TH_METHOD, TH_CFUNCTION, TH_MODULE,
	TH_FRAME, TH_GEN, TH_AGEN, TH_WEAKREF, TH_PROPERTY, TH_SMCM,
	TH_EXCEPTION, TH_TRACEBACK, TH_CODE, TH_DEQUE, TH_PARTIAL,
	TH_NAMESPACE, TH_MAPPINGPROXY, TH_DESCR, TH_METHODWRAPPER, TH_SUPER, TH_AST,
	TH_SLICE, TH_LRU, TH_LRU_ELEM, TH_NDARRAY,
	TH_INSTANCE27, TH_CLASS27,   /* 2.7 old-style instances and classes */
};

/* C types we decode, by tp_name (both spellings where a version renamed
 * the type).  Anything else is found through its nearest base here;
 * `object` is last resort and has no referents. */
static const struct {
	const char *name;
	enum th h;
} known_types[] = {
	{"object", TH_NONE}, {"str", TH_NONE}, {"bytes", TH_NONE},
	{"int", TH_NONE}, {"bool", TH_NONE}, {"float", TH_NONE},
	{"complex", TH_NONE}, {"NoneType", TH_NONE}, {"bytearray", TH_NONE},
	{"range", TH_NONE}, {"ellipsis", TH_NONE}, {"NotImplementedType", TH_NONE},
	{"tuple", TH_TUPLE}, {"list", TH_LIST}, {"dict", TH_DICT}, {"frozendict", TH_DICT},
	{"collections.OrderedDict", TH_ODICT}, {"collections.defaultdict", TH_DEFDICT},
	{"set", TH_SET}, {"frozenset", TH_SET}, {"type", TH_TYPE},
	{"function", TH_FUNCTION}, {"cell", TH_CELL}, {"method", TH_METHOD},
	{"instancemethod", TH_METHOD},   /* 2.7 */
	{"instance", TH_INSTANCE27}, {"classobj", TH_CLASS27},   /* 2.7 */
	{"builtin_function_or_method", TH_CFUNCTION}, {"module", TH_MODULE},
	{"frame", TH_FRAME}, {"generator", TH_GEN}, {"coroutine", TH_GEN},
	{"async_generator", TH_AGEN},
	{"weakref", TH_WEAKREF}, {"weakref.ReferenceType", TH_WEAKREF},
	{"weakproxy", TH_WEAKREF}, {"weakref.ProxyType", TH_WEAKREF},
	{"weakcallableproxy", TH_WEAKREF}, {"weakref.CallableProxyType", TH_WEAKREF},
	{"property", TH_PROPERTY}, {"staticmethod", TH_SMCM}, {"classmethod", TH_SMCM},
	{"BaseException", TH_EXCEPTION}, {"traceback", TH_TRACEBACK},
	{"code", TH_CODE}, {"collections.deque", TH_DEQUE},
	{"functools.partial", TH_PARTIAL}, {"types.SimpleNamespace", TH_NAMESPACE},
	{"ast.AST", TH_AST}, {"_ast.AST", TH_AST},
	{"mappingproxy", TH_MAPPINGPROXY},
	{"method_descriptor", TH_DESCR}, {"classmethod_descriptor", TH_DESCR},
	{"member_descriptor", TH_DESCR}, {"getset_descriptor", TH_DESCR},
	{"wrapper_descriptor", TH_DESCR}, {"method-wrapper", TH_METHODWRAPPER},
	{"super", TH_SUPER}, {"slice", TH_SLICE},
	{"functools._lru_cache_wrapper", TH_LRU}, {"functools._lru_list_elem", TH_LRU_ELEM},
	{"numpy.ndarray", TH_NDARRAY}, {"array.array", TH_NONE},
};

enum dict_mode { DM_NONE, DM_OFFSET, DM_MANAGED };

struct slot_table {
	raddr_t table;          /* PyMemberDef[] right after the heap type */
	int64_t n;              /* Py_SIZE(type) */
};

/* How instances of one type are walked; computed once per type object. */
struct ttype {
	raddr_t addr;
	enum th h;              /* handler of the C part */
	uint8_t gc;             /* instances are GC objects: traverse-visible edges */
	uint8_t type_kind;      /* instances are type objects (GC only if heap) */
	uint8_t python;         /* a Python class: subtype_traverse part first */
	uint8_t c_visits_type;  /* the C part's traverse visits Py_TYPE(self) */
	uint8_t c_unknown_type; /* ... probably does (unknown heap C type): conservative */
	uint8_t dict_mode;      /* enum dict_mode (Python classes) */
	uint8_t dict_visible;   /* subtype_traverse visits the dict */
	uint8_t conservative;   /* part of the walk is a conservative scan */
	unsigned long flags;    /* tp_flags */
	int64_t basicsize, itemsize, dictoffset;
	raddr_t cached_keys;    /* ht_cached_keys: names of managed values */
	struct slot_table *slots;
	int nslots;
	int64_t cons_from, cons_to; /* conservative scan [obj+from, obj+to) */
	uint8_t cons_items;     /* ... plus |ob_size| * itemsize */
	int64_t weaklist;       /* tp_weaklistoffset: a borrowed list head, not scanned */
};

struct trav {
	struct pyctx *c;
	memsrc *m;
	const struct py_layout *L;
	struct trav_syms syms;
	int lookdict_known;
	raddr_t set_dummy;      /* the set dummy key object (0 unknown) */
	raddr_t none;           /* Py_None */
	raddr_t str_type;       /* exact `str`, learnt from the first str seen */
	trav_known_fn known;
	void *known_arg;
	struct ttype **tab;     /* open addressing by type address */
	size_t cap, used;
	unsigned nconservative;
	/* the last object whose plan was looked up (trav_is_conservative and
	 * trav_referents of one object come in pairs): the copy never
	 * changes, so its type and plan stay what they were */
	raddr_t memo_obj, memo_type;
	const struct ttype *memo_tt;
	const struct ttype *last_tt;    /* ttype_get's last answer */
};

/* ==== Small readers ==== */

static inline uint64_t rd(struct trav *t, raddr_t a, int *ok)
{
	uint64_t v = 0;
	if (mem_u64(t->m, a, &v) != 0)
		*ok = 0;
	return v;
}

static inline uint64_t rd0(struct trav *t, raddr_t a)
{
	uint64_t v = 0;
	mem_u64(t->m, a, &v);
	return v;
}

static inline int64_t rd_i32(struct trav *t, raddr_t a, int *ok)
{
	int32_t v = 0;
	if (mem_read(t->m, a, &v, 4) != 0)
		*ok = 0;
	return v;
}

static inline int rd_u8(struct trav *t, raddr_t a, int *ok)
{
	uint8_t v = 0;
	if (mem_read(t->m, a, &v, 1) != 0)
		*ok = 0;
	return v;
}

/* A host pointer to n words at a, or NULL (n bounded by the caller). */
static inline const uint64_t *words(struct trav *t, raddr_t a, int64_t n)
{
	/* Arrays of pointers are 8-aligned in any real heap; a misaligned
	 * one is garbage (and reading it as words would be UB). */
	if (n <= 0 || n > MAX_ITEMS || (a & 7))
		return NULL;
	return mem_ptr(t->m, a, (size_t)n * 8);
}

/* ==== Type plans ==== */

static int known_handler(const char *name, enum th *h)
{
	for (size_t i = 0; i < sizeof known_types / sizeof *known_types; i++)
		if (!strcmp(known_types[i].name, name)) {
			*h = known_types[i].h;
			return 1;
		}
	return 0;
}

static raddr_t tp_traverse_of(struct trav *t, raddr_t type)
{
	return rd0(t, type + t->L->tp_traverse);
}

/* Is `pt` a class made by a class statement (its instances go through
 * subtype_traverse)?  By address when we know subtype_traverse; otherwise
 * by shape: a GC heap type whose tp_name has no dot (C heap types made
 * with PyType_FromSpec are named "module.Name"). */
static int python_class(struct trav *t, const struct pytype *pt)
{
	if (!pt || !pt->is_heap)
		return 0;
	if (t->syms.subtype_traverse)
		return tp_traverse_of(t, pt->addr) == t->syms.subtype_traverse;
	return pt->is_gc && pt->tp_name && !strchr(pt->tp_name, '.');
}

/* A C type we decode: a static type, or a heap type named "module.Name"
 * (3.12's deque/defaultdict/partial), whose tp_name is in the table. */
static int canonical(const struct pytype *pt, enum th *h)
{
	if (!pt || !pt->tp_name)
		return 0;
	if (pt->is_heap && !strchr(pt->tp_name, '.'))
		return 0;
	return known_handler(pt->tp_name, h);
}

static void plan_slots(struct trav *t, struct ttype *tt, const struct pytype *pt)
{
	uint64_t n = rd0(t, pt->addr + t->L->ob_size);
	raddr_t meta = pt->metatype;
	const struct pytype *mt = py_type(t->c, meta);
	if (!n || n > 4096 || !mt)
		return;
	struct slot_table *s = realloc(tt->slots, (tt->nslots + 1) * sizeof *s);
	if (!s)
		return;
	tt->slots = s;
	/* PyHeapType_GET_MEMBERS: the table follows the type object, whose
	 * size is its metatype's basicsize. */
	s[tt->nslots].table = pt->addr + (uint64_t)mt->basicsize;
	s[tt->nslots].n = (int64_t)n;
	tt->nslots++;
}

/* The C part: the nearest decodable base `c` of `b`.  If `b` has a
 * traverse of its own (a C subtype we do not know), decode what `c` holds
 * and scan b's extra bytes conservatively. */
static void plan_c_part(struct trav *t, struct ttype *tt, const struct pytype *b)
{
	const struct pytype *c = b;
	enum th h = TH_NONE;
	int found = 0;

	for (int depth = 0; c && depth < MAX_CHAIN; depth++) {
		if (canonical(c, &h)) {
			found = 1;
			break;
		}
		c = c->base ? py_type(t->c, c->base) : NULL;
	}
	tt->cons_to = -1;
	if (!found) {
		/* No known base at all (not even object): scan everything. */
		tt->h = TH_NONE;
		tt->conservative = 1;
		tt->cons_from = t->L->ob_type + 8;
		tt->cons_to = b->basicsize;
		tt->cons_items = b->itemsize > 0;
		return;
	}
	tt->h = h;
	/* Since 3.9 a heap type's traverse visits Py_TYPE(self). */
	tt->c_visits_type = c->is_heap && t->L->minor >= 9;
	if (c == b || tp_traverse_of(t, b->addr) == tp_traverse_of(t, c->addr))
		return;
	tt->conservative = 1;
	tt->c_unknown_type = b->is_heap && t->L->minor >= 9;
	tt->cons_from = c->basicsize;
	tt->cons_to = b->basicsize;
	tt->cons_items = b->itemsize > 0 && c->itemsize == 0;
}

static struct ttype *plan_type(struct trav *t, const struct pytype *pt)
{
	const struct py_layout *L = t->L;
	struct ttype *tt = calloc(1, sizeof *tt);
	if (!tt)
		return NULL;
	tt->addr = pt->addr;
	tt->gc = pt->is_gc;
	tt->type_kind = pt->kind == PYK_TYPE;
	tt->flags = pt->flags;
	tt->basicsize = pt->basicsize;
	tt->itemsize = pt->itemsize;
	tt->dictoffset = pt->dictoffset;
	tt->weaklist = pt->weaklistoffset > 0 ? pt->weaklistoffset : -1;

	/* subtype_traverse: walk the Python classes, collecting their
	 * __slots__ tables, down to the first base with another traverse. */
	const struct pytype *b = pt;
	for (int depth = 0; b && python_class(t, b) && depth < MAX_CHAIN; depth++) {
		tt->python = 1;
		plan_slots(t, tt, b);
		b = b->base ? py_type(t->c, b->base) : NULL;
	}
	if (!b) {
		free(tt->slots);
		free(tt);
		return NULL;
	}
	plan_c_part(t, tt, b);
	if (tt->python) {
		if (L->minor >= 11 && (pt->flags & PY_TPFLAGS_MANAGED_DICT))
			tt->dict_mode = DM_MANAGED;
		else if (pt->dictoffset)
			tt->dict_mode = DM_OFFSET;
		/* "if (type->tp_dictoffset != base->tp_dictoffset)": a dict the
		 * C base does not know about (a managed dict always is one). */
		tt->dict_visible = tt->dict_mode == DM_MANAGED ||
				   pt->dictoffset != b->dictoffset;
		if (L->ht_cached_keys >= 0)
			tt->cached_keys = rd0(t, pt->addr + L->ht_cached_keys);
	}
	if (tt->conservative)
		t->nconservative++;
	return tt;
}

static struct ttype **ttype_slot(struct trav *t, raddr_t addr)
{
	size_t mask = t->cap - 1, i = addr_mix(addr) & mask;
	while (t->tab[i] && t->tab[i]->addr != addr)
		i = (i + 1) & mask;
	return &t->tab[i];
}

static int ttype_grow(struct trav *t)
{
	size_t ocap = t->cap;
	struct ttype **old = t->tab;
	t->cap *= 2;
	t->tab = calloc(t->cap, sizeof *t->tab);
	if (!t->tab) {
		t->tab = old;
		t->cap = ocap;
		return -1;
	}
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			*ttype_slot(t, old[i]->addr) = old[i];
	free(old);
	return 0;
}

static const struct ttype *ttype_get(struct trav *t, raddr_t type_addr)
{
	/* objects come in runs of one type */
	if (t->last_tt && t->last_tt->addr == type_addr)
		return t->last_tt;
	struct ttype **slot = ttype_slot(t, type_addr);
	if (*slot)
		return t->last_tt = *slot;
	const struct pytype *pt = py_type(t->c, type_addr);
	if (!pt)
		return NULL;
	struct ttype *tt = plan_type(t, pt);
	if (!tt)
		return NULL;
	if ((t->used + 1) * 2 > t->cap && ttype_grow(t) == 0)
		slot = ttype_slot(t, type_addr);
	*slot = tt;
	t->used++;
	return tt;
}

/* ==== Life cycle ==== */

struct trav *trav_new(struct pyctx *c, const struct trav_syms *syms)
{
	const struct py_layout *L = pyctx_layout(c);
	struct trav *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	t->m = pyctx_mem(c);
	t->L = L;
	if (syms)
		t->syms = *syms;
	t->lookdict_known = t->syms.lookdict != 0;
	const struct py_runtime_info *rt = pyctx_rt(c);
	/* _PySet_Dummy is a pointer variable: the dummy key is its value. */
	if (rt->sym_set_dummy)
		t->set_dummy = rd0(t, rt->sym_set_dummy);
	t->none = rt->sym_none;
	t->cap = 256;
	t->tab = calloc(t->cap, sizeof *t->tab);
	if (!t->tab) {
		free(t);
		return NULL;
	}
	return t;
}

void trav_free(struct trav *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->tab[i]) {
			free(t->tab[i]->slots);
			free(t->tab[i]);
		}
	free(t->tab);
	free(t);
}

void trav_set_known(struct trav *t, trav_known_fn fn, void *arg)
{
	t->known = fn;
	t->known_arg = arg;
}

unsigned trav_conservative_types(struct trav *t) { return t->nconservative; }
int trav_lookdict_known(struct trav *t) { return t->lookdict_known; }

/* ==== Emitting edges ==== */

/* One object's walk in progress. */
struct tx {
	struct trav *t;
	raddr_t obj;
	const struct ttype *tt;
	trav_cb cb;
	void *arg;
	uint8_t vis;        /* GRAPH_EF_TRAVERSE when obj is a GC object, else 0 */
	int stop;
	/* The object's fixed part in the private copy, so that field reads
	 * skip the memsrc lookup (the walk's hottest path). */
	raddr_t base_obj;
	const uint8_t *base;
	int64_t blen;
};

static void emit(struct tx *x, raddr_t to, int kind, uint64_t aux, int flags)
{
	if (!to || x->stop)
		return;
	struct trav_edge e = {to, aux, (uint8_t)kind, 0};
	/* Only a GC object has a traverse that gc.get_referents() calls. */
	e.flags = (uint8_t)((flags & GRAPH_EF_TRAVERSE ? x->vis : 0) |
			    (flags & ~GRAPH_EF_TRAVERSE));
	if (x->cb(x->arg, &e))
		x->stop = 1;
}

/* The word at obj+off as an EDGE_FIELD (off < 0: the version has none). */
static void field(struct tx *x, int32_t off, enum edge_field f, int flags)
{
	if (off < 0 || x->stop)
		return;
	uint64_t v;
	if (x->obj == x->base_obj && off + 8 <= x->blen)
		memcpy(&v, x->base + off, 8);
	else
		v = rd0(x->t, x->obj + (uint64_t)off);
	emit(x, v, EDGE_FIELD, f, flags);
}

/* field() of a _PyStackRef (3.14+ frames: tagged references). */
static void field_ref(struct tx *x, int32_t off, enum edge_field f, int flags)
{
	if (off < 0 || x->stop)
		return;
	emit(x, py_stackref(x->t->L, rd0(x->t, x->obj + (uint64_t)off)), EDGE_FIELD, f, flags);
}

#define VIS GRAPH_EF_TRAVERSE
#define OWN 0

/* n items of a PyObject* array as [i] edges. */
static void items(struct tx *x, raddr_t arr, int64_t n, int kind, int flags)
{
	const uint64_t *p = words(x->t, arr, n);
	if (!p)
		return;
	for (int64_t i = 0; i < n && !x->stop; i++)
		if (p[i])
			emit(x, p[i], kind, (uint64_t)i, flags);
}

/* ==== Containers ==== */

static void tr_tuple(struct tx *x)
{
	const struct py_layout *L = x->t->L;
	int64_t n = (int64_t)rd0(x->t, x->obj + L->ob_size);
	items(x, x->obj + L->tuple_items, n, EDGE_ITEM, VIS);
}

static void tr_list(struct tx *x)
{
	const struct py_layout *L = x->t->L;
	int64_t n = (int64_t)rd0(x->t, x->obj + L->ob_size);
	items(x, rd0(x->t, x->obj + L->list_items), n, EDGE_ITEM, VIS);
}

/* Is `key` an exact str (not a subclass)?  The str type is learnt from
 * the first key whose type is the static type named "str". */
static int exact_str(struct trav *t, raddr_t key)
{
	raddr_t tp = py_type_of(t->c, key);
	if (!tp)
		return 0;
	if (t->str_type)
		return tp == t->str_type;
	const struct pytype *pt = py_type(t->c, tp);
	if (pt && !pt->is_heap && pt->tp_name && !strcmp(pt->tp_name, "str")) {
		t->str_type = tp;
		return 1;
	}
	return 0;
}

/* ≤3.10 combined table: is it using `lookdict` (then traverse visits the
 * keys too)?  By function address once known; before that, a non-str key
 * proves it (and teaches us lookdict's address). */
static int old_dict_general(struct trav *t, raddr_t keys, const uint64_t *e, int64_t n)
{
	raddr_t lookup = rd0(t, keys + t->L->keys_lookup);
	if (t->lookdict_known)
		return lookup == t->syms.lookdict;
	for (int64_t i = 0; i < n; i++)
		if (e[3 * i + 2] && !exact_str(t, e[3 * i + 1])) {
			t->syms.lookdict = lookup;
			t->lookdict_known = 1;
			return 1;
		}
	return 0;
}

/* dict_traverse ≤3.10: lookdict tables visit values and keys; the str-only
 * lookups visit values only (split tables: ma_values[0..nentries)). */
static void dict_old(struct tx *x, raddr_t keys, raddr_t values)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	int ok = 1;
	int64_t size = (int64_t)rd(t, keys + L->keys_size, &ok);
	int64_t n = (int64_t)rd(t, keys + L->keys_nentries, &ok);
	/* keys objects are malloc'd (8-aligned) with power-of-two sizes ≥ 8 */
	if (!ok || (keys & 7) || size < 8 || size > MAX_ITEMS || (size & (size - 1)) ||
	    n <= 0 || n > size)
		return;
	int w = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
	const uint64_t *e = mem_ptr(t->m, keys + L->keys_indices + (uint64_t)size * w,
				    (size_t)n * 24);
	if (!e)
		return;
	if (values) {
		const uint64_t *v = words(t, values, n);
		for (int64_t i = 0; v && i < n && !x->stop; i++)
			if (v[i]) {
				emit(x, v[i], EDGE_DICT_VALUE, e[3 * i + 1], VIS);
				emit(x, e[3 * i + 1], EDGE_DICT_KEY, e[3 * i + 1], OWN);
			}
		return;
	}
	int general = old_dict_general(t, keys, e, n);
	for (int64_t i = 0; i < n && !x->stop; i++) {
		raddr_t key = e[3 * i + 1], val = e[3 * i + 2];
		if (!val)
			continue;   /* empty or deleted (key = dummy) */
		emit(x, val, EDGE_DICT_VALUE, key, VIS);
		emit(x, key, EDGE_DICT_KEY, key, general ? VIS : OWN);
	}
}

/* dict_traverse 3.11+: GENERAL tables visit values and keys; UNICODE and
 * split tables visit values only — and 3.13 skips values embedded in an
 * object (the object visits them). */
static void dict_new(struct tx *x, raddr_t keys, raddr_t values)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	int ok = 1;
	int log2_index = rd_u8(t, keys + L->keys_log2_index_bytes, &ok);
	int kind = rd_u8(t, keys + L->keys_kind, &ok);
	int64_t n = (int64_t)rd(t, keys + L->keys_nentries, &ok);
	/* keys are 8-aligned and their index table is ≥ 8 bytes (CPython's
	 * minimum), so the entries after it are aligned too */
	if (!ok || (keys & 7) || log2_index < 3 || log2_index > 40 || n <= 0 || n > MAX_ITEMS)
		return;
	raddr_t entries = keys + L->keys_indices + ((uint64_t)1 << log2_index);
	if (kind == 0) {    /* DICT_KEYS_GENERAL: {hash, key, value} */
		const uint64_t *e = mem_ptr(t->m, entries, (size_t)n * 24);
		for (int64_t i = 0; e && i < n && !x->stop; i++)
			if (e[3 * i + 2]) {
				emit(x, e[3 * i + 2], EDGE_DICT_VALUE, e[3 * i + 1], VIS);
				emit(x, e[3 * i + 1], EDGE_DICT_KEY, e[3 * i + 1], VIS);
			}
		return;
	}
	const uint64_t *e = mem_ptr(t->m, entries, (size_t)n * 16);   /* {key, value} */
	if (!e)
		return;
	if (values) {
		/* Values embedded in an object (3.13+) are visited by the dict
		 * made from them, except in 3.13.0, where the object visits
		 * them itself (see py_dict). */
		int vflags = VIS;
		if (t->L->values_embedded >= 0 && t->L->minor == 13 && pyctx_rt(t->c)->micro == 0 &&
		    rd_u8(t, values + t->L->values_embedded, &ok) && ok)
			vflags = OWN;
		const uint64_t *v = words(t, values + L->values_values, n);
		for (int64_t i = 0; v && i < n && !x->stop; i++)
			if (v[i]) {
				emit(x, v[i], EDGE_DICT_VALUE, e[2 * i], vflags);
				emit(x, e[2 * i], EDGE_DICT_KEY, e[2 * i], OWN);
			}
		return;
	}
	for (int64_t i = 0; i < n && !x->stop; i++)
		if (e[2 * i + 1]) {
			emit(x, e[2 * i + 1], EDGE_DICT_VALUE, e[2 * i], VIS);
			emit(x, e[2 * i], EDGE_DICT_KEY, e[2 * i], OWN);
		}
}

/* 2.7 dict_traverse: PyDict_Next over ma_table, key then value of every
 * slot with a value (free and deleted slots have none). */
static void dict_27(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	int ok = 1;
	raddr_t table = rd(t, x->obj + L->dict27_table, &ok);
	int64_t mask = (int64_t)rd(t, x->obj + L->dict27_mask, &ok);
	if (!ok || !table || (table & 7) || mask < 0 || mask >= MAX_ITEMS || ((mask + 1) & mask))
		return;
	const uint64_t *e = mem_ptr(t->m, table, (size_t)(mask + 1) * 24);   /* {hash, key, value} */
	for (int64_t i = 0; e && i <= mask && !x->stop; i++)
		if (e[3 * i + 2]) {
			emit(x, e[3 * i + 1], EDGE_DICT_KEY, e[3 * i + 1], VIS);
			emit(x, e[3 * i + 2], EDGE_DICT_VALUE, e[3 * i + 1], VIS);
		}
}

static void tr_dict(struct tx *x)
{
	const struct py_layout *L = x->t->L;
	if (L->dict27_table >= 0) {
		dict_27(x);
		return;
	}
	raddr_t keys = rd0(x->t, x->obj + L->dict_keys);
	raddr_t values = rd0(x->t, x->obj + L->dict_values);
	if (!keys)
		return;
	if (L->keys_size >= 0)
		dict_old(x, keys, values);
	else
		dict_new(x, keys, values);
}

/* odict_traverse: od_inst_dict, every node's key, then dict_traverse. */
static void tr_odict(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->od_inst_dict, F_ODICT_INST_DICT, VIS);
	int64_t budget = (int64_t)rd0(t, x->obj + t->L->dict_used) + 1;
	const struct memsrc_info *mi = mem_info(t->m);
	/* every node is a distinct 32-byte block (see tr_deque) */
	if (budget < 0 || (uint64_t)budget > (mi->bytes_copied + mi->bytes_lazy) / 32 + 1)
		budget = (int64_t)((mi->bytes_copied + mi->bytes_lazy) / 32 + 1);
	raddr_t node = rd0(t, x->obj + Ly->od_first);
	for (int64_t i = 0; node && i < budget && i < MAX_ITEMS && !x->stop; i++) {
		int ok = 1;
		raddr_t key = rd(t, node + Ly->odnode_key, &ok);
		raddr_t next = rd(t, node + Ly->odnode_next, &ok);
		if (!ok)
			break;
		emit(x, key, EDGE_ODICT_KEY, key, VIS);
		node = next;
	}
	tr_dict(x);
}

static void tr_defdict(struct tx *x)
{
	field(x, x->t->L->dd_factory, F_DEFAULT_FACTORY, VIS);
	tr_dict(x);
}

/* set_traverse: every used entry; skip empty slots and the dummy key. */
static void tr_set(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	int ok = 1;
	raddr_t table = rd(t, x->obj + L->set_table, &ok);
	int64_t mask = (int64_t)rd(t, x->obj + L->set_mask, &ok);
	if (!ok || mask < 0 || mask >= MAX_ITEMS)
		return;
	/* {key, hash}; 2.7 {hash, key} */
	const uint64_t *e = words(t, table, (mask + 1) * 2);
	int k = L->setentry_key ? 1 : 0;
	for (int64_t i = 0; e && i <= mask && !x->stop; i++) {
		raddr_t key = e[2 * i + k];
		if (!key || key == t->set_dummy || py_is_dummy27(t->c, key))
			continue;
		/* Without the symbol, the dummy shows as an object with no type. */
		if (!t->set_dummy && !py_type_of(t->c, key))
			continue;
		emit(x, key, EDGE_SET_ITEM, (uint64_t)i, VIS);
	}
}

/* deque_traverse: items from leftblock[leftindex] on, 64 per block. */
static void tr_deque(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *Ly = x->t->L;
	int ok = 1;
	/* 2.7: a `len` field (not a PyVarObject) */
	int64_t n = (int64_t)rd(t, x->obj + (Ly->deque_len >= 0 ? Ly->deque_len : t->L->ob_size), &ok);
	raddr_t b = rd(t, x->obj + Ly->deque_leftblock, &ok);
	int64_t idx = (int64_t)rd(t, x->obj + Ly->deque_leftindex, &ok);
	/* n items fill n / blocklen distinct blocks: never more than the
	 * snapshot holds (a garbage n over blocks that link in a circle would
	 * otherwise be walked 2^31 times). */
	const struct memsrc_info *mi = mem_info(t->m);
	if (!ok || n < 0 || n > MAX_ITEMS || (uint64_t)n > (mi->bytes_copied + mi->bytes_lazy) / 8 ||
	    idx < 0 || idx >= Ly->deque_blocklen || Ly->deque_blocklen > MAX_BLOCKLEN)
		return;
	for (int64_t i = 0; i < n && b && !x->stop; i++) {
		const uint64_t *d = words(t, b + Ly->block_data, (size_t)Ly->deque_blocklen);
		if (!d)
			return;
		emit(x, d[idx], EDGE_ITEM, (uint64_t)i, VIS);
		if (++idx == Ly->deque_blocklen) {
			b = rd0(t, b + Ly->block_rightlink);
			idx = 0;
		}
	}
}

/* ==== Types, functions, modules ==== */

/* type_traverse (heap types only; a static type is no GC object, so its
 * edges are ownership only — and 3.12+ keeps static builtin types' dicts
 * and subclasses outside the type object). */
static void tr_type(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	unsigned long fl = rd0(t, x->obj + L->tp_flags);
	if (!(fl & PY_TPFLAGS_HEAPTYPE)) {
		if (L->minor < 12)
			field(x, L->tp_dict, F_CLASS_DICT, OWN);
		field(x, L->tp_mro, F_MRO, OWN);
		field(x, L->tp_bases, F_BASES, OWN);
		field(x, L->tp_base, F_BASE, OWN);
		return;
	}
	field(x, L->tp_dict, F_CLASS_DICT, VIS);
	field(x, t->L->tp_cache, F_TYPE_CACHE, VIS);
	field(x, L->tp_mro, F_MRO, VIS);
	field(x, L->tp_bases, F_BASES, VIS);
	field(x, L->tp_base, F_BASE, VIS);
	field(x, L->ht_module, F_TYPE_MODULE, VIS);          /* 3.9+ */
	field(x, L->ht_name, F_TYPE_NAME, OWN);
	field(x, L->ht_qualname, F_TYPE_QUALNAME, OWN);
	field(x, L->ht_slots, F_TYPE_SLOTS, OWN);
	field(x, L->tp_subclasses, F_TYPE_SUBCLASSES, OWN);   /* dict of weakrefs */
}

static void tr_function(struct tx *x)
{
	const struct py_layout *L = x->t->L;
	field(x, L->fn_code, F_FUNC_CODE, VIS);
	field(x, L->fn_globals, F_FUNC_GLOBALS, VIS);
	field(x, L->fn_builtins, F_FUNC_BUILTINS, VIS);      /* 3.10+ */
	field(x, L->fn_module, F_FUNC_MODULE, VIS);
	field(x, L->fn_defaults, F_FUNC_DEFAULTS, VIS);
	field(x, L->fn_kwdefaults, F_FUNC_KWDEFAULTS, VIS);
	field(x, L->fn_doc, F_FUNC_DOC, VIS);
	field(x, L->fn_name, F_FUNC_NAME, VIS);
	field(x, L->fn_dict, F_DICT, VIS);
	field(x, L->fn_closure, F_FUNC_CLOSURE, VIS);
	field(x, L->fn_annotations, F_FUNC_ANNOTATIONS, VIS);
	field(x, L->fn_qualname, F_FUNC_QUALNAME, VIS);
	field(x, L->fn_typeparams, F_FUNC_TYPEPARAMS, VIS);  /* 3.12+ */
}

static void tr_cell(struct tx *x)
{
	field(x, x->t->L->cell_ref, F_CELL_CONTENTS, VIS);
}

static void tr_method(struct tx *x)
{
	field(x, x->t->L->meth_func, F_METHOD_FUNC, VIS);
	field(x, x->t->L->meth_self, F_METHOD_SELF, VIS);
	field(x, x->t->L->meth_class, F_INST_CLASS, VIS);   /* 2.7 im_class */
}

/* 2.7 instance_traverse: in_class, in_dict */
static void tr_instance27(struct tx *x)
{
	field(x, x->t->L->inst_class, F_INST_CLASS, VIS);
	field(x, x->t->L->inst_dict, F_DICT, VIS);
}

/* 2.7 class_traverse: cl_bases, cl_dict, cl_name (and the cached
 * __getattr__/__setattr__/__delattr__) */
static void tr_class27(struct tx *x)
{
	field(x, x->t->L->class_bases, F_BASES, VIS);
	field(x, x->t->L->class_dict, F_CLASS_DICT, VIS);
	field(x, x->t->L->class_name, F_CLASS27_NAME, VIS);
	field(x, x->t->L->class_getattr, F_CLASS27_GETATTR, VIS);
	field(x, x->t->L->class_setattr, F_CLASS27_SETATTR, VIS);
	field(x, x->t->L->class_delattr, F_CLASS27_DELATTR, VIS);
}

/* meth_traverse: 3.9+ also the defining class of METH_METHOD functions. */
static void tr_cfunction(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	if (t->L->cmeth_class >= 0) {
		raddr_t ml = rd0(t, x->obj + L->cfunc_ml);
		int ok = 1;
		int64_t fl = ml ? rd_i32(t, ml + t->L->ml_flags, &ok) : 0;
		if (ok && (fl & PY_METH_METHOD))
			field(x, t->L->cmeth_class, F_CFUNC_CLASS, VIS);
	}
	field(x, L->cfunc_self, F_CFUNC_SELF, VIS);
	field(x, L->cfunc_module, F_CFUNC_MODULE, VIS);
}

/* Words of [a, a+len) that are known object starts, as conservative
 * edges (aux = offset from `base`); the word at base+skip (an object's
 * weakref list head, which owns nothing) is left out. */
static void scan(struct tx *x, raddr_t a, int64_t len, raddr_t base, int fieldid, int64_t skip)
{
	struct trav *t = x->t;
	if (!t->known || len <= 0)
		return;
	if (len > MAX_SCAN)
		len = MAX_SCAN;
	a = (a + 7) & ~(raddr_t)7;
	const uint64_t *p = words(t, a, len / 8);
	for (int64_t i = 0; p && i < len / 8 && !x->stop; i++) {
		raddr_t w = p[i];
		if (!w || (w & 7) || w == x->obj || a + 8 * (uint64_t)i - base == (uint64_t)skip ||
		    !t->known(t->known_arg, w))
			continue;
		if (fieldid >= 0)
			emit(x, w, EDGE_FIELD, (uint64_t)fieldid, GRAPH_EF_CONSERVATIVE);
		else
			emit(x, w, EDGE_CONSERVATIVE, a + 8 * (uint64_t)i - base,
			     GRAPH_EF_CONSERVATIVE);
	}
}

/* A C module's traverse (m_traverse) is opaque: its state block is
 * scanned conservatively (module_traverse calls it only when the state
 * exists or m_size <= 0). */
static int module_state(struct trav *t, raddr_t mod, raddr_t *state, int64_t *size)
{
	const struct py_layout *L = t->L;
	if (L->mod_state_traverse >= 0) {
		/* 3.15+: the module keeps its own copy of both */
		if (!rd0(t, mod + L->mod_state_traverse))
			return 0;
		*size = (int64_t)rd0(t, mod + L->mod_state_size);
	} else {
		raddr_t def = rd0(t, mod + L->mod_def);
		if (!def || !rd0(t, def + L->moddef_traverse))
			return 0;
		*size = (int64_t)rd0(t, def + L->moddef_size);
	}
	*state = rd0(t, mod + L->mod_state);
	return 1;
}

static void tr_module(struct tx *x)
{
	struct trav *t = x->t;
	raddr_t state;
	int64_t size;
	if (module_state(t, x->obj, &state, &size) && state && size > 0)
		scan(x, state, size, state, F_MODULE_STATE, -1);
	field(x, t->L->mod_dict, F_MODULE_DICT, VIS);
	field(x, t->L->mod_name, F_MODULE_NAME, OWN);
}

/* ==== Frames and generators ==== */

/* Name str of local i of a code object (≤3.10: varnames + cellvars +
 * freevars; 3.11+: co_localsplusnames), or 0. */
static raddr_t local_name(struct trav *t, raddr_t code, int64_t i)
{
	const struct py_layout *L = t->L;
	int32_t offs[3] = {L->co_varnames, L->co_cellvars, L->co_freevars};
	if (L->co_localsplusnames >= 0) {
		offs[0] = L->co_localsplusnames;
		offs[1] = offs[2] = -1;
	}
	for (int k = 0; k < 3; k++) {
		if (offs[k] < 0)
			continue;
		raddr_t tup = rd0(t, code + offs[k]);
		int64_t n = tup ? (int64_t)rd0(t, tup + L->ob_size) : 0;
		if (n < 0 || n > MAX_ITEMS)
			return 0;
		if (i < n)
			return rd0(t, tup + L->tuple_items + 8 * (uint64_t)i);
		i -= n;
	}
	return 0;
}

/* Locals then value stack: localsplus[0..nslots) as f_locals['x'],
 * then the stack words as f_stack[i]. */
static void frame_slots(struct tx *x, raddr_t code, raddr_t arr, int64_t nlocals,
			int64_t nstack)
{
	struct trav *t = x->t;
	int64_t n = nlocals + nstack;
	const uint64_t *p = words(t, arr, n);
	for (int64_t i = 0; p && i < n && !x->stop; i++) {
		raddr_t v = py_stackref(t->L, p[i]);
		if (!v)
			continue;
		if (i < nlocals)
			emit(x, v, EDGE_LOCAL, local_name(t, code, i), VIS);
		else
			emit(x, v, EDGE_STACK, (uint64_t)(i - nlocals), VIS);
	}
}

/* _PyFrame_Traverse (3.11+): frame_obj, f_locals, the function, the code,
 * then localsplus[0..top) (locals, cells, then the value stack); 3.14+
 * holds the function, the code and the slots as tagged references. */
static void iframe(struct tx *x, raddr_t f)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	raddr_t saved = x->obj;
	int ok = 1;
	x->obj = f;     /* field() reads relative to the frame */
	field(x, L->iframe_frame_obj, F_FRAME_OBJ, VIS);
	field(x, L->iframe_locals, F_FRAME_LOCALS, VIS);
	field_ref(x, L->iframe_func, F_FRAME_FUNC, VIS);
	field_ref(x, L->iframe_code, F_FRAME_CODE, VIS);
	x->obj = saved;
	raddr_t code = py_stackref(L, rd(t, f + L->iframe_code, &ok));
	int64_t top = py_iframe_top(t->c, f);
	int64_t nlp = code ? rd_i32(t, code + L->co_nlocalsplus, &ok) : 0;
	if (!ok || top <= 0 || top > (1 << 20) || nlp < 0)
		return;
	int64_t nloc = top < nlp ? top : nlp;
	frame_slots(x, code, f + L->iframe_localsplus, nloc, top - nloc);
}

/* frame_traverse.  ≤3.10: the PyFrameObject holds everything; its value
 * stack is valid only while the frame is suspended (f_stacktop set;
 * 3.10: f_stackdepth).  3.11+: the frame object visits its _PyInterpreter-
 * Frame only once it owns it (the function returned); a running frame's
 * contents belong to the thread (graph roots). */
static void tr_frame(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	const struct py_layout *Ly = x->t->L;
	field(x, L->frame_back, F_FRAME_BACK, VIS);
	if (L->frame_frame >= 0) {
		field(x, Ly->frame_trace, F_FRAME_TRACE, VIS);
		field(x, Ly->frame_extra_locals, F_FRAME_EXTRA_LOCALS, VIS);   /* 3.13 */
		field(x, Ly->frame_locals_cache, F_FRAME_LOCALS_CACHE, VIS);   /* 3.13 */
		int ok = 1;
		raddr_t f = rd(t, x->obj + L->frame_frame, &ok);
		if (ok && f && rd_u8(t, f + L->iframe_owner, &ok) == L->owner_frame_object && ok)
			iframe(x, f);
		return;
	}
	field(x, L->frame_code, F_FRAME_CODE, VIS);
	field(x, L->frame_builtins, F_FRAME_BUILTINS, VIS);
	field(x, L->frame_globals, F_FRAME_GLOBALS, VIS);
	field(x, L->frame_locals, F_FRAME_LOCALS, VIS);
	field(x, Ly->frame_trace, F_FRAME_TRACE, VIS);
	int ok = 1;
	raddr_t code = rd(t, x->obj + L->frame_code, &ok);
	raddr_t local0 = x->obj + L->frame_localsplus;
	raddr_t vstack = rd(t, x->obj + L->frame_valuestack, &ok);
	if (!ok || vstack < local0 || vstack - local0 > (1 << 23))
		return;
	int64_t nslots = (int64_t)(vstack - local0) / 8;
	int64_t depth = 0;
	if (L->minor == 10) {
		/* 3.10 replaced the f_stacktop pointer by an int depth */
		depth = rd_i32(t, x->obj + L->frame_stacktop, &ok);
	} else {
		raddr_t top = rd(t, x->obj + L->frame_stacktop, &ok);
		if (top >= vstack)
			depth = (int64_t)(top - vstack) / 8;
	}
	if (!ok || depth < 0 || depth > (1 << 20))
		depth = 0;
	frame_slots(x, code, local0, nslots, depth);
}

/* gen_traverse (generators and coroutines). */
static void tr_gen(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	const struct py_layout *Ly = x->t->L;
	field(x, L->gen_frame, F_GEN_FRAME, VIS);          /* ≤3.10 */
	field(x, L->gen_code, F_GEN_CODE, VIS);            /* ≤3.11 */
	field(x, L->gen_name, F_GEN_NAME, VIS);
	field(x, L->gen_qualname, F_GEN_QUALNAME, VIS);
	if (L->gen_iframe >= 0) {
		/* 3.11+: the frame is embedded; visited until it is cleared */
		int ok = 1;
		int8_t state = (int8_t)rd_u8(t, x->obj + L->gen_frame_state, &ok);
		if (ok && state < Ly->fs_cleared) {
			iframe(x, x->obj + L->gen_iframe);
		} else if (ok && L->minor >= 14) {
			/* 3.14+: a cleared frame still holds its code object (a
			 * deferred reference gen_traverse keeps visiting) */
			raddr_t saved = x->obj;
			x->obj += (uint64_t)L->gen_iframe;
			field_ref(x, L->iframe_code, F_FRAME_CODE, VIS);
			x->obj = saved;
		}
	}
	field(x, Ly->gen_exc_type, F_GEN_EXC_TYPE, VIS);    /* ≤3.10 */
	field(x, Ly->gen_exc_value, F_GEN_EXC_VALUE, VIS);
	field(x, Ly->gen_exc_tb, F_GEN_EXC_TB, VIS);        /* ≤3.10 */
}

static void tr_agen(struct tx *x)
{
	field(x, x->t->L->agen_finalizer, F_AGEN_FINALIZER, VIS);
	tr_gen(x);
}

/* ==== Everything else ==== */

/* gc_traverse visits only the callback: a weakref does not keep its
 * referent alive, so that edge is weak (dead refs point at None). */
static void tr_weakref(struct tx *x)
{
	struct trav *t = x->t;
	field(x, t->L->wr_callback, F_WEAKREF_CALLBACK, VIS);
	raddr_t ref = rd0(t, x->obj + t->L->wr_object);
	if (ref && ref != t->none)
		emit(x, ref, EDGE_WEAK, F_WEAKREF_OBJECT, GRAPH_EF_WEAK);
}

static void tr_property(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->prop_get, F_PROP_GET, VIS);
	field(x, Ly->prop_set, F_PROP_SET, VIS);
	field(x, Ly->prop_del, F_PROP_DEL, VIS);
	field(x, Ly->prop_doc, F_PROP_DOC, VIS);
	field(x, Ly->prop_name, F_PROP_NAME, VIS);          /* 3.10+ */
}

static void tr_smcm(struct tx *x)
{
	field(x, x->t->L->cm_callable, F_METHOD_FUNC, VIS);
	field(x, x->t->L->cm_dict, F_DICT, VIS);
}

static void tr_exception(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->exc_dict, F_DICT, VIS);
	field(x, Ly->exc_args, F_EXC_ARGS, VIS);
	field(x, Ly->exc_notes, F_EXC_NOTES, VIS);          /* 3.11+ */
	field(x, Ly->exc_traceback, F_EXC_TRACEBACK, VIS);
	field(x, Ly->exc_context, F_EXC_CONTEXT, VIS);
	field(x, Ly->exc_cause, F_EXC_CAUSE, VIS);
}

static void tr_traceback(struct tx *x)
{
	field(x, x->t->L->tb_next, F_TB_NEXT, VIS);
	field(x, x->t->L->tb_frame, F_TB_FRAME, VIS);
}

/* Code objects are no GC objects (3.8–3.13): ownership edges only. */
static void tr_code(struct tx *x)
{
	const struct py_layout *L = x->t->L;
	field(x, L->co_consts, F_CODE_CONSTS, OWN);
	field(x, L->co_names, F_CODE_NAMES, OWN);
	field(x, L->co_varnames, F_CODE_VARNAMES, OWN);
	field(x, L->co_cellvars, F_CODE_CELLVARS, OWN);
	field(x, L->co_freevars, F_CODE_FREEVARS, OWN);
	field(x, L->co_localsplusnames, F_CODE_LOCALSPLUSNAMES, OWN);
	field(x, L->co_filename, F_CODE_FILENAME, OWN);
	field(x, L->co_name, F_CODE_NAME, OWN);
	field(x, L->co_qualname, F_CODE_QUALNAME, OWN);
	field(x, L->co_linetable, F_CODE_LINETABLE, OWN);
	field(x, L->co_lnotab, F_CODE_LINETABLE, OWN);
	field(x, L->co_code, F_CODE_CODE, OWN);
}

static void tr_partial(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->partial_fn, F_PARTIAL_FUNC, VIS);
	field(x, Ly->partial_args, F_PARTIAL_ARGS, VIS);
	field(x, Ly->partial_kw, F_PARTIAL_KEYWORDS, VIS);
	field(x, Ly->partial_dict, F_DICT, VIS);
}

static void tr_namespace(struct tx *x) { field(x, x->t->L->ns_dict, F_DICT, VIS); }
static void tr_mappingproxy(struct tx *x) { field(x, x->t->L->mp_mapping, F_MAPPING, VIS); }

/* ast_traverse (Python/Python-ast.c): the node's __dict__ (its type is
 * visited as for every heap type). */
static void tr_ast(struct tx *x)
{
	if (x->tt->dictoffset > 0)
		field(x, (int32_t)x->tt->dictoffset, F_DICT, VIS);
}

static void tr_descr(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->descr_type, F_DESCR_TYPE, VIS);
	field(x, Ly->descr_name, F_DESCR_NAME, OWN);
	field(x, Ly->descr_qualname, F_DESCR_QUALNAME, OWN);
}

static void tr_methodwrapper(struct tx *x)
{
	field(x, x->t->L->wrapper_descr, F_WRAPPER_DESCR, VIS);
	field(x, x->t->L->wrapper_self, F_WRAPPER_SELF, VIS);
}

static void tr_super(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->super_obj, F_SUPER_OBJ, VIS);
	field(x, Ly->super_type, F_SUPER_TYPE, VIS);
	field(x, Ly->super_objtype, F_SUPER_OBJTYPE, VIS);
}

static void tr_slice(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->slice_start, F_SLICE_START, VIS);
	field(x, Ly->slice_stop, F_SLICE_STOP, VIS);
	field(x, Ly->slice_step, F_SLICE_STEP, VIS);
}

/* lru_cache_tp_traverse: the circular list of cache entries (its root is
 * embedded in the wrapper), then (3.6) maxsize_O, cache, func and (3.10+) kwd_mark and the
 * element type, cache_info_type, __dict__.  3.10+ also visits each entry's
 * type (the entries themselves are no GC objects). */
static void tr_lru(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *Ly = x->t->L;
	raddr_t link = rd0(t, x->obj + Ly->lru_root_next);
	/* one entry per cached key: a broken ring stops after that many */
	raddr_t cache = rd0(t, x->obj + Ly->lru_cache);
	int64_t budget = cache ? (int64_t)rd0(t, cache + t->L->dict_used) + 1 : 0;
	const struct memsrc_info *mi = mem_info(t->m);
	/* every entry is a distinct block (see tr_deque) */
	if (budget < 0 || (uint64_t)budget > (mi->bytes_copied + mi->bytes_lazy) / 32 + 1)
		budget = (int64_t)((mi->bytes_copied + mi->bytes_lazy) / 32 + 1);
	for (int64_t i = 0; link && link != x->obj && i < budget && i < MAX_ITEMS && !x->stop; i++) {
		int ok = 1;
		raddr_t key = rd(t, link + Ly->lru_elem_key, &ok);
		raddr_t result = rd(t, link + Ly->lru_elem_result, &ok);
		raddr_t next = rd(t, link + Ly->lru_root_next, &ok);
		if (!ok)
			break;
		emit(x, key, EDGE_FIELD, F_LRU_KEY, VIS);
		emit(x, result, EDGE_FIELD, F_LRU_RESULT, VIS);
		if (t->L->minor >= 10)
			emit(x, py_type_of(t->c, link), EDGE_FIELD, F_LRU_ELEM_TYPE, VIS);
		link = next;
	}
	field(x, Ly->lru_maxsize_obj, F_LRU_MAXSIZE, VIS);   /* 3.6 */
	field(x, Ly->lru_cache, F_LRU_CACHE, VIS);
	field(x, Ly->lru_func, F_WRAPPED, VIS);
	field(x, Ly->lru_kwd_mark, F_LRU_KWD_MARK, VIS);
	field(x, Ly->lru_elem_type, F_LRU_ELEM_TYPE, VIS);
	field(x, Ly->lru_info_type, F_LRU_INFO_TYPE, VIS);
	field(x, Ly->lru_dict, F_DICT, VIS);
}

/* A cache entry: no GC object, but it owns its key and result. */
static void tr_lru_elem(struct tx *x)
{
	const struct py_layout *Ly = x->t->L;
	field(x, Ly->lru_elem_key, F_LRU_KEY, OWN);
	field(x, Ly->lru_elem_result, F_LRU_RESULT, OWN);
}

/* numpy.ndarray: no tp_traverse (not a GC object), so every edge is
 * ownership only: its base (what a view's data belongs to: the owning
 * array, a bytes object, an mmap), its dtype, and an object array's items
 * when it owns its (contiguous) buffer. */
static void tr_ndarray(struct tx *x)
{
	struct py_ndarray a;
	if (py_ndarray(x->t->c, x->obj, py_type_of_obj(x->t->c, x->obj), &a) != 0)
		return;
	emit(x, a.base, EDGE_FIELD, F_ARRAY_BASE, OWN);
	emit(x, a.descr, EDGE_FIELD, F_ARRAY_DESCR, OWN);
	if (a.kind == 'O' && a.owndata && a.contiguous && a.itemsize == 8 &&
	    a.nelem <= (uint64_t)MAX_ITEMS)
		items(x, a.data, (int64_t)a.nelem, EDGE_ITEM, OWN);
}

static void tr_none(struct tx *x) { (void)x; }

static void (*const handlers[])(struct tx *) = {
	[TH_NONE] = tr_none, [TH_TUPLE] = tr_tuple, [TH_LIST] = tr_list,
	[TH_DICT] = tr_dict, [TH_ODICT] = tr_odict, [TH_DEFDICT] = tr_defdict,
	[TH_SET] = tr_set, [TH_TYPE] = tr_type, [TH_FUNCTION] = tr_function,
	[TH_CELL] = tr_cell, [TH_METHOD] = tr_method, [TH_CFUNCTION] = tr_cfunction,
	[TH_MODULE] = tr_module, [TH_FRAME] = tr_frame, [TH_GEN] = tr_gen,
	[TH_AGEN] = tr_agen, [TH_WEAKREF] = tr_weakref, [TH_PROPERTY] = tr_property,
	[TH_SMCM] = tr_smcm, [TH_EXCEPTION] = tr_exception,
	[TH_TRACEBACK] = tr_traceback, [TH_CODE] = tr_code, [TH_DEQUE] = tr_deque,
	[TH_PARTIAL] = tr_partial, [TH_NAMESPACE] = tr_namespace, [TH_AST] = tr_ast,
	[TH_MAPPINGPROXY] = tr_mappingproxy, [TH_DESCR] = tr_descr,
	[TH_METHODWRAPPER] = tr_methodwrapper, [TH_SUPER] = tr_super,
	[TH_SLICE] = tr_slice, [TH_LRU] = tr_lru, [TH_LRU_ELEM] = tr_lru_elem,
	[TH_INSTANCE27] = tr_instance27, [TH_CLASS27] = tr_class27,
	[TH_NDARRAY] = tr_ndarray,
};

/* ==== Python class instances (subtype_traverse) ==== */

/* __slots__ members: traverse_slots visits T_OBJECT_EX members only;
 * T_OBJECT members (C-defined) still own their value. */
static void py_slots(struct tx *x)
{
	struct trav *t = x->t;
	const struct ttype *tt = x->tt;
	for (int s = 0; s < tt->nslots && !x->stop; s++) {
		int64_t n = tt->slots[s].n;
		const uint64_t *mp = words(t, tt->slots[s].table, n * 5);  /* 40-byte PyMemberDef */
		for (int64_t i = 0; mp && i < n && !x->stop; i++) {
			const uint64_t *md = mp + 5 * i;
			int32_t type = (int32_t)(md[t->L->member_type / 8] & 0xffffffff);
			int64_t off = (int64_t)md[t->L->member_offset / 8];
			if ((type != PY_T_OBJECT_EX && type != PY_T_OBJECT) || off < 16 || off >= tt->basicsize)
				continue;
			emit(x, rd0(t, x->obj + (uint64_t)off), EDGE_SLOT, md[0],
			     type == PY_T_OBJECT_EX ? VIS : OWN);
		}
	}
}

/* Where the names of a (unicode / split) keys object are: entry i's
 * name is the first word of the i-th PyDictUnicodeEntry (n 0: none). */
struct key_names {
	raddr_t names;
	int64_t n;
	const uint64_t *p;      /* the n entries in the copy, or NULL */
};

static struct key_names keys_names(struct trav *t, raddr_t keys)
{
	const struct py_layout *L = t->L;
	struct key_names k = {0, 0, NULL};
	int ok = 1;
	int log2_index = rd_u8(t, keys + L->keys_log2_index_bytes, &ok);
	int64_t n = (int64_t)rd(t, keys + L->keys_nentries, &ok);
	if (!ok || log2_index > 40 || n <= 0)
		return k;
	k.names = keys + L->keys_indices + ((uint64_t)1 << log2_index);
	k.n = n;
	/* only what was copied: a lazy range is read entry by entry, as before */
	if (n <= MAX_ITEMS && L->unientry_size == 16 && mem_in_copy(t->m, k.names, (size_t)n * 16))
		k.p = mem_ptr(t->m, k.names, (size_t)n * 16);
	return k;
}

/* Name str of entry i, or 0. */
static inline raddr_t key_name(struct trav *t, const struct key_names *k, int64_t i)
{
	if (i >= k->n)
		return 0;
	return k->p ? k->p[2 * i] : rd0(t, k->names + (uint64_t)t->L->unientry_size * (uint64_t)i);
}

/* A managed values array: values[i] is attribute keys[i]. */
static void py_values(struct tx *x, raddr_t vals, int64_t n, int flags)
{
	struct trav *t = x->t;
	raddr_t keys = x->tt->cached_keys;
	const uint64_t *v = words(t, vals, n);
	if (!v)
		return;
	/* the class's keys do not change: look them up once, not per value */
	struct key_names k = keys ? keys_names(t, keys) : (struct key_names){0, 0, NULL};
	for (int64_t i = 0; i < n && !x->stop; i++)
		if (v[i])
			emit(x, v[i], EDGE_ATTR, key_name(t, &k, i), flags);
}

static raddr_t offset_dict(struct tx *x)
{
	struct trav *t = x->t;
	const struct ttype *tt = x->tt;
	int64_t off = tt->dictoffset;
	if (off < 0) {
		/* _PyObject_GetDictPtr: from the end of the variable part */
		int64_t n = (int64_t)rd0(t, x->obj + t->L->ob_size);
		if (n < 0)
			n = -n;
		if (n > MAX_ITEMS)
			return 0;
		off += (tt->basicsize + n * tt->itemsize + 7) & ~(int64_t)7;
	}
	return off > 0 ? rd0(t, x->obj + (uint64_t)off) : 0;
}

/* Instance attributes, per version:
 *   ≤3.10  the dict at tp_dictoffset;
 *   3.11   MANAGED_DICT: the values array at obj-32 (keys: the class's
 *          cached keys) and/or the dict at obj-24;
 *   3.12   obj-24 holds either a dict or (low bit set) a values array;
 *   3.13+  inline values after the object while `valid` and no dict was
 *          made from them (3.13.0: even then); else the dict at obj-24. */
static void py_dict(struct tx *x)
{
	struct trav *t = x->t;
	const struct py_layout *L = t->L;
	const struct ttype *tt = x->tt;
	int dflags = tt->dict_visible ? VIS : OWN;
	int ok = 1;

	if (tt->dict_mode == DM_OFFSET) {
		emit(x, offset_dict(x), EDGE_FIELD, F_DICT, dflags);
		return;
	}
	if (tt->dict_mode != DM_MANAGED)
		return;
	raddr_t slot = rd0(t, x->obj + (uint64_t)(int64_t)L->managed_dict_off);
	if (L->minor == 11) {
		raddr_t values = rd0(t, x->obj + (uint64_t)(int64_t)L->managed_values_off);
		int64_t n = tt->cached_keys ? (int64_t)rd0(t, tt->cached_keys + L->keys_nentries) : 0;
		if (values)
			py_values(x, values + L->values_values, n, VIS);
		emit(x, slot, EDGE_FIELD, F_DICT, VIS);
	} else if (L->minor == 12) {
		if (slot & 1) {
			int64_t n = tt->cached_keys ? (int64_t)rd0(t, tt->cached_keys + L->keys_nentries) : 0;
			py_values(x, slot + 1 + L->values_values, n, VIS);
		} else {
			emit(x, slot, EDGE_FIELD, F_DICT, VIS);
		}
	} else {
		/* 3.13.0 visits valid inline values even when a dict was made
		 * from them; later releases visit that dict instead (it holds
		 * the values).  Seen by gc.get_referents(): 3.13.0 values;
		 * Debian's 3.13.5 and 3.13.18, 3.14, 3.15 the dict.  No
		 * 3.13.1–3.13.4 build was at hand, so the switch is taken at
		 * 3.13.1. */
		const struct py_runtime_info *rt = pyctx_rt(t->c);
		if (slot && (L->minor > 13 || rt->micro >= 1)) {
			emit(x, slot, EDGE_FIELD, F_DICT, VIS);
			return;
		}
		if (tt->flags & PY_TPFLAGS_INLINE_VALUES) {
			raddr_t values = x->obj + (uint64_t)tt->basicsize;
			if (rd_u8(t, values + L->values_valid, &ok) && ok) {
				int64_t cap = rd_u8(t, values + L->values_capacity, &ok);
				py_values(x, values + L->values_values, ok ? cap : 0, VIS);
				emit(x, slot, EDGE_FIELD, F_DICT, OWN);
				return;
			}
		}
		emit(x, slot, EDGE_FIELD, F_DICT, VIS);
	}
}

/* ==== Entry points ==== */

static void tr_conservative(struct tx *x)
{
	const struct ttype *tt = x->tt;
	int64_t to = tt->cons_to;
	if (tt->cons_items && tt->itemsize > 0) {
		int64_t n = (int64_t)rd0(x->t, x->obj + x->t->L->ob_size);
		if (n < 0)
			n = -n;
		if (n < MAX_SCAN)
			to += n * tt->itemsize;
	}
	if (to > tt->cons_from)
		scan(x, x->obj + (uint64_t)tt->cons_from, to - tt->cons_from, x->obj, -1,
		     tt->weaklist);
}

/* obj's type address and plan (NULL when unreadable), remembered for the
 * next call about the same object. */
static const struct ttype *obj_plan(struct trav *t, raddr_t obj, raddr_t *ta)
{
	if (obj && obj == t->memo_obj) {
		*ta = t->memo_type;
		return t->memo_tt;
	}
	*ta = rd0(t, obj + t->L->ob_type);    /* py_type_of: 0 when unreadable */
	const struct ttype *tt = *ta ? ttype_get(t, *ta) : NULL;
	if (tt) {
		t->memo_obj = obj;
		t->memo_type = *ta;
		t->memo_tt = tt;
	}
	return tt;
}

int trav_referents(struct trav *t, raddr_t obj, trav_cb cb, void *arg)
{
	raddr_t ta;
	const struct ttype *tt = obj_plan(t, obj, &ta);
	if (!tt)
		return -1;
	struct tx x = {t, obj, tt, cb, arg, tt->gc ? GRAPH_EF_TRAVERSE : 0, 0, obj, NULL, 0};
	if ((x.base = mem_ptr(t->m, obj, (size_t)tt->basicsize)))
		x.blen = tt->basicsize;
	/* type_is_gc(): only heap type objects are GC objects */
	if (tt->type_kind && !(rd0(t, obj + t->L->tp_flags) & PY_TPFLAGS_HEAPTYPE))
		x.vis = 0;
	int type_done = 0;
	if (tt->python) {
		py_slots(&x);
		py_dict(&x);
		emit(&x, ta, EDGE_FIELD, F_OB_TYPE, VIS);    /* a heap type: instances own it */
		type_done = 1;
	}
	if (!type_done && tt->c_visits_type)
		emit(&x, ta, EDGE_FIELD, F_OB_TYPE, VIS);
	else if (!type_done && tt->c_unknown_type)
		emit(&x, ta, EDGE_FIELD, F_OB_TYPE, GRAPH_EF_CONSERVATIVE);
	handlers[tt->h](&x);
	if (tt->conservative)
		tr_conservative(&x);
	return 0;
}

int trav_is_conservative(struct trav *t, raddr_t obj)
{
	raddr_t ta;
	const struct ttype *tt = obj_plan(t, obj, &ta);
	if (!tt)
		return 0;
	if (tt->conservative)
		return 1;
	raddr_t state;
	int64_t size;
	return tt->h == TH_MODULE && module_state(t, obj, &state, &size);
}

int trav_learn_lookdict(struct trav *t, raddr_t dict)
{
	const struct py_layout *L = t->L;
	if (L->keys_lookup < 0 || t->lookdict_known)
		return 0;
	raddr_t keys = rd0(t, dict + L->dict_keys);
	if (!keys || rd0(t, dict + L->dict_values))
		return 0;
	int ok = 1;
	int64_t size = (int64_t)rd(t, keys + L->keys_size, &ok);
	int64_t n = (int64_t)rd(t, keys + L->keys_nentries, &ok);
	/* the checks of dict_old: an unaligned table cannot be read as words */
	if (!ok || (keys & 7) || size < 8 || size > MAX_ITEMS || (size & (size - 1)) ||
	    n <= 0 || n > size)
		return 0;
	int w = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
	const uint64_t *e = mem_ptr(t->m, keys + L->keys_indices + (uint64_t)size * w,
				    (size_t)n * 24);
	return e && old_dict_general(t, keys, e, n) && t->lookdict_known;
}

/* ==== Labels ==== */

static const char *const field_names[F__COUNT] = {
	[F_OB_TYPE] = "ob_type", [F_DICT] = "__dict__", [F_MODULE_DICT] = "__dict__",
	[F_CLASS_DICT] = "__dict__", [F_MRO] = "__mro__", [F_BASES] = "__bases__",
	[F_BASE] = "__base__", [F_FUNC_CODE] = "__code__", [F_FUNC_GLOBALS] = "__globals__",
	[F_FUNC_BUILTINS] = "__builtins__", [F_FUNC_DEFAULTS] = "__defaults__",
	[F_FUNC_KWDEFAULTS] = "__kwdefaults__", [F_FUNC_CLOSURE] = "__closure__",
	[F_FUNC_DOC] = "__doc__", [F_FUNC_NAME] = "__name__",
	[F_FUNC_QUALNAME] = "__qualname__", [F_FUNC_MODULE] = "__module__",
	[F_FUNC_ANNOTATIONS] = "__annotations__", [F_CELL_CONTENTS] = "cell_contents",
	[F_METHOD_FUNC] = "__func__", [F_METHOD_SELF] = "__self__",
	[F_CFUNC_SELF] = "__self__", [F_CFUNC_MODULE] = "__module__",
	[F_CODE_CONSTS] = "co_consts", [F_CODE_NAMES] = "co_names",
	[F_CODE_FILENAME] = "co_filename", [F_CODE_NAME] = "co_name",
	[F_FRAME_BACK] = "f_back", [F_FRAME_CODE] = "f_code",
	[F_FRAME_GLOBALS] = "f_globals", [F_FRAME_BUILTINS] = "f_builtins",
	[F_FRAME_LOCALS] = "f_locals", [F_GEN_FRAME] = "gi_frame",
	[F_GEN_CODE] = "gi_code", [F_GEN_NAME] = "__name__",
	[F_GEN_QUALNAME] = "__qualname__", [F_WEAKREF_CALLBACK] = "__callback__",
	[F_EXC_ARGS] = "args", [F_EXC_TRACEBACK] = "__traceback__",
	[F_EXC_CAUSE] = "__cause__", [F_EXC_CONTEXT] = "__context__",
	[F_TB_NEXT] = "tb_next", [F_TB_FRAME] = "tb_frame", [F_OTHER] = "?",
	[F_TYPE_NAME] = "__name__", [F_TYPE_QUALNAME] = "__qualname__",
	[F_TYPE_SLOTS] = "__slots__", [F_TYPE_MODULE] = "ht_module",
	[F_TYPE_CACHE] = "tp_cache", [F_TYPE_SUBCLASSES] = "tp_subclasses",
	[F_WEAKREF_OBJECT] = "__weakref__ referent", [F_EXC_NOTES] = "__notes__",
	[F_PROP_GET] = "fget", [F_PROP_SET] = "fset", [F_PROP_DEL] = "fdel",
	[F_PROP_DOC] = "__doc__", [F_PROP_NAME] = "__name__", [F_WRAPPED] = "__wrapped__",
	[F_CODE_VARNAMES] = "co_varnames", [F_CODE_CELLVARS] = "co_cellvars",
	[F_CODE_FREEVARS] = "co_freevars", [F_CODE_LOCALSPLUSNAMES] = "co_localsplusnames",
	[F_CODE_QUALNAME] = "co_qualname", [F_CODE_LINETABLE] = "co_linetable",
	[F_CODE_CODE] = "co_code", [F_FRAME_TRACE] = "f_trace",
	[F_FRAME_FUNC] = "f_func", [F_FRAME_OBJ] = "frame_obj",
	[F_FRAME_EXTRA_LOCALS] = "f_extra_locals", [F_FRAME_LOCALS_CACHE] = "f_locals_cache",
	[F_GEN_EXC_TYPE] = "gi_exc_state.exc_type", [F_GEN_EXC_VALUE] = "gi_exc_state.exc_value",
	[F_GEN_EXC_TB] = "gi_exc_state.exc_traceback", [F_AGEN_FINALIZER] = "ag_finalizer",
	[F_DEFAULT_FACTORY] = "default_factory", [F_PARTIAL_FUNC] = "func",
	[F_PARTIAL_ARGS] = "args", [F_PARTIAL_KEYWORDS] = "keywords",
	[F_DESCR_TYPE] = "__objclass__", [F_DESCR_NAME] = "__name__",
	[F_DESCR_QUALNAME] = "__qualname__", [F_WRAPPER_DESCR] = "descr",
	[F_WRAPPER_SELF] = "__self__", [F_MAPPING] = "mapping",
	[F_SUPER_TYPE] = "__thisclass__", [F_SUPER_OBJ] = "__self__",
	[F_SUPER_OBJTYPE] = "__self_class__", [F_SLICE_START] = "start",
	[F_SLICE_STOP] = "stop", [F_SLICE_STEP] = "step", [F_CFUNC_CLASS] = "defining class",
	[F_MODULE_NAME] = "__name__", [F_FUNC_TYPEPARAMS] = "__type_params__",
	[F_MODULE_STATE] = "module state", [F_ODICT_INST_DICT] = "__dict__",
	[F_LRU_KEY] = "cached key", [F_LRU_RESULT] = "cached result", [F_LRU_CACHE] = "cache",
	[F_LRU_KWD_MARK] = "kwd_mark", [F_LRU_ELEM_TYPE] = "entry type",
	[F_LRU_INFO_TYPE] = "cache_info_type", [F_TS_EXC_INFO] = "sys.exc_info()",
	[F_TS_CUREXC] = "exception being raised", [F_TS_DICT] = "thread state dict",
	[F_TS_CONTEXT] = "contextvars context", [F_TS_ASYNC_EXC] = "async exception",
	[F_ARRAY_BASE] = "base", [F_ARRAY_DESCR] = "dtype",
	[F_LRU_MAXSIZE] = "maxsize", [F_INST_CLASS] = "__class__", [F_CLASS27_NAME] = "__name__",
	[F_CLASS27_GETATTR] = "__getattr__", [F_CLASS27_SETATTR] = "__setattr__",
	[F_CLASS27_DELATTR] = "__delattr__",
};

const char *trav_field_name(enum edge_field f)
{
	if ((unsigned)f >= F__COUNT || !field_names[f])
		return "?";
	return field_names[f];
}
