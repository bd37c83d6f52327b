/* pyobj — CPython object primitives over a snapshot.  See pyobj.h.
 *
 * Version differences come from the layout table (L->…); the few places
 * that must still branch on the version (how __sizeof__ is defined, how
 * split dict values are ordered) test L->minor and say why. */
#include "pyobj.h"

#include "addrhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Context and type cache ==== */

struct pyctx {
	memsrc *m;
	const struct py_layout *L;
	const struct py_runtime_info *rt;
	struct py_roots roots;      /* main interpreter and GC state */
	/* open-addressing hash: type address -> struct pytype* */
	struct pytype **tab;
	size_t cap, used;
	/* numpy.dtype's type object and which numpy ABI its basicsize says
	 * (see py_ndarray): learnt from the first array decoded */
	raddr_t np_dtype_type;
	int np_abi;                 /* 0 not yet known, 1 numpy 1.x, 2 numpy 2.x, -1 neither */
};

struct pyctx *pyctx_new(memsrc *m, const struct py_layout *L,
			const struct py_runtime_info *rt)
{
	struct pyctx *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->m = m;
	c->L = L;
	c->rt = rt;
	c->cap = 1024;
	c->tab = calloc(c->cap, sizeof *c->tab);
	if (!c->tab) {
		free(c);
		return NULL;
	}
	return c;
}

static void pytype_free(struct pytype *t)
{
	if (!t)
		return;
	free(t->qualname);
	free(t->module);
	free(t->tp_name);
	free(t);
}

void pyctx_free(struct pyctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		pytype_free(c->tab[i]);
	free(c->tab);
	free(c);
}

memsrc *pyctx_mem(struct pyctx *c) { return c->m; }

raddr_t py_fld_ref(struct pyctx *c, raddr_t obj, int32_t off)
{
	return py_stackref(c->L, py_fld(c, obj, off));
}

int64_t py_iframe_top(struct pyctx *c, raddr_t iframe)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	if (L->iframe_stacktop >= 0) {
		int64_t top = (int32_t)py_rd32(c, iframe + (uint64_t)L->iframe_stacktop, &ok);
		return ok ? top : -1;
	}
	if (L->iframe_stackpointer >= 0) {
		raddr_t sp = py_rd64(c, iframe + (uint64_t)L->iframe_stackpointer, &ok);
		raddr_t base = iframe + (uint64_t)L->iframe_localsplus;
		if (!ok || !sp || sp < base || ((sp - base) & 7))
			return -1;
		return (int64_t)((sp - base) / 8);
	}
	return -1;
}
const struct py_roots *pyctx_roots(struct pyctx *c) { return &c->roots; }
void pyctx_set_roots(struct pyctx *c, const struct py_roots *r) { c->roots = *r; }
const struct py_layout *pyctx_layout(struct pyctx *c) { return c->L; }
const struct py_runtime_info *pyctx_rt(struct pyctx *c) { return c->rt; }

static struct pytype **type_slot(struct pyctx *c, raddr_t addr)
{
	size_t mask = c->cap - 1, i = addr_mix(addr) & mask;
	while (c->tab[i] && c->tab[i]->addr != addr)
		i = (i + 1) & mask;
	return &c->tab[i];
}

static int type_insert(struct pyctx *c, struct pytype *t)
{
	if ((c->used + 1) * 2 > c->cap) {
		size_t ocap = c->cap;
		struct pytype **old = c->tab;
		c->cap *= 2;
		c->tab = calloc(c->cap, sizeof *c->tab);
		if (!c->tab) {
			c->tab = old;
			c->cap = ocap;
			return -1;
		}
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				*type_slot(c, old[i]->addr) = old[i];
		free(old);
	}
	*type_slot(c, t->addr) = t;
	c->used++;
	return 0;
}

/* ==== Raw fields ==== */

int py_field(struct pyctx *c, raddr_t obj, int32_t off, uint64_t *out)
{
	if (off < 0)
		return -1;
	return mem_u64(c->m, obj + (uint64_t)off, out);
}

raddr_t py_type_of(struct pyctx *c, raddr_t obj)
{
	uint64_t t;
	if (py_field(c, obj, c->L->ob_type, &t) != 0)
		return 0;
	return t;
}

int py_refcnt(struct pyctx *c, raddr_t obj, int64_t *out)
{
	uint64_t r;
	if (py_field(c, obj, c->L->ob_refcnt, &r) != 0)
		return -1;
	*out = (int64_t)r;
	return 0;
}

int py_is_immortal(struct pyctx *c, int64_t refcnt)
{
	/* 3.12+: immortal objects have the low 32 bits saturated. */
	return c->L->minor >= 12 && (int32_t)(uint32_t)refcnt < 0;
}

uint64_t py_rd64(struct pyctx *c, raddr_t a, int *ok)
{
	uint64_t v = 0;
	if (mem_u64(c->m, a, &v) != 0)
		*ok = 0;
	return v;
}

uint32_t py_rd32(struct pyctx *c, raddr_t a, int *ok)
{
	uint32_t v = 0;
	if (mem_read(c->m, a, &v, 4) != 0)
		*ok = 0;
	return v;
}

uint8_t py_rd8(struct pyctx *c, raddr_t a, int *ok)
{
	uint8_t v = 0;
	if (mem_read(c->m, a, &v, 1) != 0)
		*ok = 0;
	return v;
}

raddr_t py_fld(struct pyctx *c, raddr_t obj, int32_t off)
{
	uint64_t v;
	if (!obj || py_field(c, obj, off, &v) != 0)
		return 0;
	return v;
}

/* Short local names for the readers above, as this file uses them. */
static inline int64_t rd_i64(struct pyctx *c, raddr_t a, int *ok) { return (int64_t)py_rd64(c, a, ok); }
static inline uint8_t rd_u8(struct pyctx *c, raddr_t a, int *ok) { return py_rd8(c, a, ok); }
static inline uint32_t rd_u32(struct pyctx *c, raddr_t a, int *ok) { return py_rd32(c, a, ok); }

/* ==== Kinds ==== */

static const struct {
	const char *name;
	enum py_kind kind;
} kind_names[] = {
	{"object", PYK_OBJECT}, {"type", PYK_TYPE}, {"str", PYK_STR},
	{"bytes", PYK_BYTES}, {"bytearray", PYK_BYTEARRAY}, {"int", PYK_INT},
	{"bool", PYK_BOOL}, {"float", PYK_FLOAT}, {"complex", PYK_COMPLEX},
	{"NoneType", PYK_NONE}, {"tuple", PYK_TUPLE}, {"list", PYK_LIST},
	{"dict", PYK_DICT}, {"collections.OrderedDict", PYK_ODICT},
	{"frozendict", PYK_DICT},   /* 3.15+: a PyDictObject plus a hash */
	{"set", PYK_SET}, {"frozenset", PYK_FROZENSET},
	{"collections.deque", PYK_DEQUE}, {"module", PYK_MODULE},
	{"function", PYK_FUNCTION}, {"code", PYK_CODE}, {"cell", PYK_CELL},
	{"method", PYK_METHOD}, {"instancemethod", PYK_METHOD},   /* 2.7 */
	 {"builtin_function_or_method", PYK_CFUNCTION},
	{"generator", PYK_GEN}, {"coroutine", PYK_CORO},
	{"async_generator", PYK_ASYNCGEN}, {"frame", PYK_FRAME},
	{"weakref", PYK_WEAKREF}, {"weakref.ReferenceType", PYK_WEAKREF},
	{"property", PYK_PROPERTY}, {"staticmethod", PYK_STATICMETHOD},
	{"classmethod", PYK_CLASSMETHOD}, {"BaseException", PYK_EXCEPTION},
	{"exceptions.BaseException", PYK_EXCEPTION},   /* 2.7 */
	{"traceback", PYK_TRACEBACK}, {"slice", PYK_SLICE}, {"range", PYK_RANGE},
	{"_io.BufferedReader", PYK_IO_BUFFERED}, {"_io.BufferedWriter", PYK_IO_BUFFERED},
	{"_io.BufferedRandom", PYK_IO_BUFFERED}, {"_struct.Struct", PYK_STRUCT},
	{"_io.BytesIO", PYK_BYTESIO},
	{"Struct", PYK_STRUCT},
	{"numpy.ndarray", PYK_NDARRAY}, {"array.array", PYK_ARRAY},
};

const char *py_kind_name(enum py_kind k)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (kind_names[i].kind == k)
			return kind_names[i].name;
	return "object";
}

int py_is_dummy27(struct pyctx *c, raddr_t key)
{
	char buf[16];
	int trunc = 0;
	if (c->L->major != 2)
		return 0;
	const struct pytype *t = py_type_of_obj(c, key);
	return t && t->kind == PYK_BYTES && !t->is_heap &&
	       py_str_utf8(c, key, buf, sizeof buf, &trunc) == 11 && !trunc &&
	       !strcmp(buf, "<dummy key>");
}

int py_module_is_builtins(const char *m)
{
	return m && (!strcmp(m, "builtins") || !strcmp(m, "__builtin__"));
}

static int kind_lookup(const char *name, enum py_kind *out)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (!strcmp(kind_names[i].name, name)) {
			*out = kind_names[i].kind;
			return 1;
		}
	return 0;
}

/* ==== Types ==== */

static int read_tp_name(struct pyctx *c, raddr_t type, char *buf, size_t cap)
{
	uint64_t p;
	if (py_field(c, type, c->L->tp_name, &p) != 0 || !p)
		return -1;
	return mem_cstr(c->m, p, buf, cap);
}

static unsigned long read_flags(struct pyctx *c, raddr_t type, int *ok)
{
	return (unsigned long)rd_i64(c, type + c->L->tp_flags, ok);
}

/* Walk tp_base from `t` to the nearest base we know by name.  Python
 * classes (heap types whose tp_name has no dot) and unknown C types are
 * stepped over: a C subclass of dict behaves as a dict; an unknown C type
 * directly under object stays PYK_OBJECT. */
static enum py_kind classify(struct pyctx *c, raddr_t t)
{
	char name[256];
	for (int depth = 0; t && depth < 64; depth++) {
		int ok = 1;
		unsigned long fl = read_flags(c, t, &ok);
		if (!ok || read_tp_name(c, t, name, sizeof name) < 0)
			return PYK_OBJECT;
		int python_class = (fl & PY_TPFLAGS_HEAPTYPE) && !strchr(name, '.');
		enum py_kind k;
		if (!python_class && c->L->major == 2) {
			/* 2.7: `str` is a byte string, `unicode` the text type,
			 * `long` the arbitrary-precision int; `int` (PyIntObject,
			 * a C long) and `xrange` (C longs) have no kind of theirs */
			if (!strcmp(name, "str"))
				return PYK_BYTES;
			if (!strcmp(name, "unicode"))
				return PYK_STR;
			if (!strcmp(name, "long") || !strcmp(name, "int"))
				return PYK_INT;   /* value.c tells PyIntObject by its flags */
			if (!strcmp(name, "xrange"))
				return PYK_OBJECT;
		}
		if (!python_class && kind_lookup(name, &k))
			return k;
		uint64_t base;
		if (py_field(c, t, c->L->tp_base, &base) != 0)
			return PYK_OBJECT;
		t = base;
	}
	return PYK_OBJECT;
}

/* Does any Python class in t's MRO (before the builtin base) define
 * __sizeof__?  Then sys.getsizeof calls Python code we cannot run. */
static int python_sizeof_override(struct pyctx *c, raddr_t t)
{
	for (int depth = 0; t && depth < 64; depth++) {
		int ok = 1;
		char name[256];
		unsigned long fl = read_flags(c, t, &ok);
		/* Only Python classes (heap types without a dotted tp_name):
		 * C heap types list their C __sizeof__ in tp_dict too. */
		if (!ok || !(fl & PY_TPFLAGS_HEAPTYPE) ||
		    read_tp_name(c, t, name, sizeof name) < 0 || strchr(name, '.'))
			return 0;
		uint64_t dict;
		if (py_field(c, t, c->L->tp_dict, &dict) == 0 && dict &&
		    py_dict_get_str(c, dict, "__sizeof__"))
			return 1;
		uint64_t base;
		if (py_field(c, t, c->L->tp_base, &base) != 0)
			return 0;
		t = base;
	}
	return 0;
}

/* Does the C type t list "__sizeof__" in its tp_methods table? */
static int c_type_has_sizeof(struct pyctx *c, raddr_t t)
{
	uint64_t defs;
	if (py_field(c, t, c->L->tp_methods, &defs) != 0 || !defs)
		return 0;
	/* PyMethodDef {ml_name, ml_meth, ml_flags, ml_doc}: 32 bytes. */
	for (int i = 0; i < 512; i++) {
		uint64_t name;
		char buf[16];
		if (mem_u64(c->m, defs + (uint64_t)i * 32, &name) != 0 || !name)
			return 0;
		if (mem_cstr(c->m, name, buf, sizeof buf) == 10 && !strcmp(buf, "__sizeof__"))
			return 1;
	}
	return 0;
}

/* Between t and the builtin base that decided its kind, is there a C
 * type we do not know that brings its own __sizeof__ (ctypes' StgDict,
 * io.BytesIO…)?  Then getsizeof counts memory we do not model, and the
 * size is flagged as approximate rather than silently wrong. */
static int unmodelled_sizeof(struct pyctx *c, raddr_t t)
{
	char name[256];
	for (int depth = 0; t && depth < 64; depth++) {
		int ok = 1;
		unsigned long fl = read_flags(c, t, &ok);
		if (!ok || read_tp_name(c, t, name, sizeof name) < 0)
			return 0;
		int python_class = (fl & PY_TPFLAGS_HEAPTYPE) && !strchr(name, '.');
		enum py_kind k;
		if (!python_class) {
			if (kind_lookup(name, &k))
				return 0;   /* modelled from here down */
			if (c_type_has_sizeof(c, t))
				return 1;
		}
		uint64_t base;
		if (py_field(c, t, c->L->tp_base, &base) != 0)
			return 0;
		t = base;
	}
	return 0;
}

static char *dup_str_obj(struct pyctx *c, raddr_t s)
{
	char buf[512];
	if (!s || py_str_utf8(c, s, buf, sizeof buf, NULL) < 0)
		return NULL;
	return strdup(buf);
}

static void name_type(struct pyctx *c, struct pytype *t)
{
	const struct py_layout *L = c->L;
	uint64_t p;

	if (t->is_heap) {
		/* 2.7 has no __qualname__: the class's __name__ (ht_name) */
		if (py_field(c, t->addr, L->ht_qualname >= 0 ? L->ht_qualname : L->ht_name, &p) == 0)
			t->qualname = dup_str_obj(c, p);
		uint64_t dict;
		if (py_field(c, t->addr, L->tp_dict, &dict) == 0 && dict) {
			raddr_t mod = py_dict_get_str(c, dict, "__module__");
			if (mod)
				t->module = dup_str_obj(c, mod);
		}
	} else if (t->tp_name) {
		/* Static types: "pkg.mod.Name" -> module "pkg.mod", qualname
		 * "Name"; no dot -> builtins (as type.__module__ does). */
		const char *dot = strrchr(t->tp_name, '.');
		if (dot) {
			t->qualname = strdup(dot + 1);
			t->module = strndup(t->tp_name, (size_t)(dot - t->tp_name));
		} else {
			t->qualname = strdup(t->tp_name);
			t->module = strdup(L->major == 2 ? "__builtin__" : "builtins");
		}
	}
	if (!t->qualname)
		t->qualname = strdup(t->tp_name ? t->tp_name : "?");
	if (!t->module)
		t->module = strdup("?");
}

const struct pytype *py_type(struct pyctx *c, raddr_t addr)
{
	const struct py_layout *L = c->L;
	if (!addr || (addr & 7))
		return NULL;
	struct pytype **slot = type_slot(c, addr);
	if (*slot)
		return *slot;

	int ok = 1;
	raddr_t meta = py_type_of(c, addr);
	if (!meta)
		return NULL;
	/* A type's own type must be `type` or a subclass of it. */
	unsigned long mflags = read_flags(c, meta, &ok);
	if (!ok || !(mflags & PY_TPFLAGS_TYPE_SUBCLASS))
		return NULL;

	struct pytype *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->addr = addr;
	t->metatype = meta;
	t->flags = read_flags(c, addr, &ok);
	t->basicsize = rd_i64(c, addr + L->tp_basicsize, &ok);
	t->itemsize = rd_i64(c, addr + L->tp_itemsize, &ok);
	t->dictoffset = rd_i64(c, addr + L->tp_dictoffset, &ok);
	t->weaklistoffset = rd_i64(c, addr + L->tp_weaklistoffset, &ok);
	t->base = (raddr_t)rd_i64(c, addr + L->tp_base, &ok);
	if (!ok || t->basicsize <= 0 || t->basicsize > (1 << 24) ||
	    t->itemsize < 0 || t->itemsize > (1 << 16)) {
		free(t);
		return NULL;
	}
	char name[256];
	if (read_tp_name(c, addr, name, sizeof name) >= 0)
		t->tp_name = strdup(name);
	t->is_heap = !!(t->flags & PY_TPFLAGS_HEAPTYPE);
	t->is_gc = !!(t->flags & PY_TPFLAGS_HAVE_GC);
	t->kind = classify(c, addr);
	t->size_exact = !python_sizeof_override(c, addr) && !unmodelled_sizeof(c, addr) &&
			!(t->kind == PYK_CODE && L->minor < 11);
	name_type(c, t);
	/* Out of memory for a name: no half-named type (NULL names would
	 * reach every printer). */
	if (!t->qualname || !t->module || type_insert(c, t) != 0) {
		pytype_free(t);
		return NULL;
	}
	return t;
}

const struct pytype *py_type_of_obj(struct pyctx *c, raddr_t obj)
{
	raddr_t t = py_type_of(c, obj);
	return t ? py_type(c, t) : NULL;
}

/* ==== str ==== */

static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		cp = 0xFFFD;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Where a str's characters live and how wide they are. */
struct strinfo {
	int64_t length;
	int kind;          /* 1, 2 or 4 bytes per char */
	int compact, ascii;
	raddr_t data;
};

/* 2.7: a `str` (PyStringObject: bytes, read as Latin-1) or a `unicode`
 * (PyUnicodeObject: a Py_UNICODE buffer), told apart by their type's
 * flags.  0 or -1. */
static int str27_info(struct pyctx *c, raddr_t obj, struct strinfo *si)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	raddr_t t = py_type_of(c, obj);
	unsigned long fl = t ? read_flags(c, t, &ok) : 0;
	memset(si, 0, sizeof *si);
	if (!ok || !t)
		return -1;
	if (fl & PY_TPFLAGS_BYTES_SUBCLASS) {
		si->length = rd_i64(c, obj + L->ob_size, &ok);
		si->kind = 1;
		si->compact = si->ascii = 1;
		si->data = obj + (uint64_t)L->pystr_sval;
	} else if (fl & PY_TPFLAGS_UNICODE_SUBCLASS) {
		si->length = rd_i64(c, obj + L->str_length, &ok);
		si->kind = L->ustr_unit;
		si->data = (raddr_t)rd_i64(c, obj + L->ustr_str, &ok);
	} else {
		return -1;
	}
	if (!ok || si->length < 0 || (si->kind != 2 && si->kind != 4 && si->kind != 1))
		return -1;
	return si->data ? 0 : -1;
}

static int str_info(struct pyctx *c, raddr_t obj, struct strinfo *si)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	if (L->major == 2)
		return str27_info(c, obj, si);
	uint32_t state = rd_u32(c, obj + L->str_state, &ok);
	si->length = rd_i64(c, obj + L->str_length, &ok);
	if (!ok || si->length < 0)
		return -1;
	si->kind = (state >> 2) & 7;
	si->compact = (state >> 5) & 1;
	si->ascii = (state >> 6) & 1;
	if (si->kind != 1 && si->kind != 2 && si->kind != 4)
		return -1;  /* legacy wstr-only string (≤3.11, not ready) */
	if (si->compact)
		si->data = obj + (si->ascii ? L->str_ascii_size : L->str_compact_size);
	else
		si->data = (raddr_t)rd_i64(c, obj + L->str_data, &ok);
	return ok && si->data ? 0 : -1;
}

long py_str_utf8(struct pyctx *c, raddr_t obj, char *buf, size_t cap,
		 int *truncated)
{
	struct strinfo si;
	if (truncated)
		*truncated = 0;
	if (!cap)
		return -1;
	buf[0] = 0;
	if (str_info(c, obj, &si) != 0)
		return -1;
	/* Read only what can fit: at most cap code points. */
	int64_t want = si.length < (int64_t)cap ? si.length : (int64_t)cap;
	size_t nbytes = (size_t)want * (size_t)si.kind;
	unsigned char local[1024];
	unsigned char *raw = nbytes <= sizeof local ? local : malloc(nbytes);
	if (!raw)
		return -1;
	if (nbytes && mem_read(c->m, si.data, raw, nbytes) != 0) {
		if (raw != local)
			free(raw);
		return -1;
	}
	size_t o = 0;
	int64_t i;
	for (i = 0; i < want; i++) {
		uint32_t cp = si.kind == 1 ? raw[i]
			    : si.kind == 2 ? (uint32_t)(raw[2 * i] | raw[2 * i + 1] << 8)
			    : (uint32_t)(raw[4 * i] | raw[4 * i + 1] << 8 |
					 raw[4 * i + 2] << 16 | (uint32_t)raw[4 * i + 3] << 24);
		char tmp[4];
		size_t n = utf8_put(tmp, cp);
		if (o + n >= cap)
			break;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = 0;
	if (raw != local)
		free(raw);
	if (truncated && i < si.length)
		*truncated = 1;
	return (long)si.length;
}

/* ==== dict ==== */

/* Everything needed to walk one dict's entries. */
struct dictview {
	raddr_t keys, values;    /* values: start of the values[] array, 0 if combined */
	int64_t nentries;
	raddr_t entries;
	int entry_size;          /* 24 (hash,key,value) or 16 (key,value) */
	int64_t capacity;        /* slots in the table: nentries can't exceed it */
	int key_off, value_off;
	int64_t order_n;         /* split tables: number of ordered slots */
	raddr_t order;           /* split tables: insertion-order bytes (see below) */
	int order_step;          /* +1 or -1 */
};

static int dict_view(struct pyctx *c, raddr_t dict, struct dictview *v)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	memset(v, 0, sizeof *v);
	if (L->dict27_table >= 0) {
		/* 2.7: one open-addressing table of PyDictEntry (hash, key,
		 * value), ma_mask + 1 slots; free and deleted slots have no
		 * value.  Iteration order is slot order, as dict's own. */
		int64_t mask = rd_i64(c, dict + L->dict27_mask, &ok);
		v->entries = (raddr_t)rd_i64(c, dict + L->dict27_table, &ok);
		if (!ok || !v->entries || mask < 0 || mask > ((int64_t)1 << 40))
			return -1;
		v->keys = v->entries;
		v->capacity = v->nentries = mask + 1;
		v->entry_size = L->keyentry_size;
		v->key_off = 8;
		v->value_off = 16;
		return 0;
	}
	v->keys = (raddr_t)rd_i64(c, dict + L->dict_keys, &ok);
	raddr_t values = (raddr_t)rd_i64(c, dict + L->dict_values, &ok);
	if (!ok || !v->keys)
		return -1;
	v->nentries = rd_i64(c, v->keys + L->keys_nentries, &ok);
	if (L->keys_size >= 0) {            /* ≤3.10 */
		int64_t size = rd_i64(c, v->keys + L->keys_size, &ok);
		if (!ok || size <= 0 || size > ((int64_t)1 << 40))
			return -1;
		int w = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
		v->entries = v->keys + L->keys_indices + (uint64_t)size * w;
		v->capacity = size;
		v->entry_size = L->keyentry_size;
		v->key_off = 8;
		v->value_off = 16;
		v->values = values;
	} else {                            /* 3.11+ */
		int log2_index = rd_u8(c, v->keys + L->keys_log2_index_bytes, &ok);
		int kind = rd_u8(c, v->keys + L->keys_kind, &ok);
		int log2_size = rd_u8(c, v->keys + L->keys_log2_size, &ok);
		if (!ok || log2_index > 40 || log2_size > 40)
			return -1;
		v->capacity = (int64_t)1 << log2_size;
		v->entries = v->keys + L->keys_indices + ((uint64_t)1 << log2_index);
		if (kind == 0) {   /* DICT_KEYS_GENERAL */
			v->entry_size = L->keyentry_size;
			v->key_off = 8;
			v->value_off = 16;
		} else {
			v->entry_size = L->unientry_size;
			v->key_off = 0;
			v->value_off = 8;
		}
		if (values) {
			v->values = values + L->values_values;
			if (L->values_capacity >= 0) {
				/* 3.13: order bytes follow values[capacity] */
				int cap = rd_u8(c, values + L->values_capacity, &ok);
				v->order_n = rd_u8(c, values + L->values_size, &ok);
				v->order = v->values + (uint64_t)cap * 8;
				v->order_step = 1;
			} else {
				/* 3.11/3.12: size at values[-2], order at [-3-i] */
				v->order_n = rd_u8(c, values - 2, &ok);
				v->order = values - 3;
				v->order_step = -1;
			}
		}
	}
	/* A table never holds more entries than slots: a garbage count must
	 * not make us read gigabytes entry by entry. */
	if (!ok || v->nentries < 0 || v->nentries > v->capacity)
		return -1;
	return 0;
}

long py_dict_iter(struct pyctx *c, raddr_t dict, py_dict_cb cb, void *arg)
{
	struct dictview v;
	long seen = 0;
	if (dict_view(c, dict, &v) != 0)
		return -1;
	int split_ordered = v.values && v.order;
	int64_t n = split_ordered ? v.order_n : v.nentries;
	for (int64_t i = 0; i < n; i++) {
		int ok = 1;
		int64_t ix = i;
		if (split_ordered) {
			ix = rd_u8(c, v.order + (int64_t)v.order_step * i, &ok);
			if (!ok || ix >= v.nentries)
				continue;
		}
		raddr_t e = v.entries + (uint64_t)ix * v.entry_size;
		raddr_t key = (raddr_t)rd_i64(c, e + v.key_off, &ok);
		raddr_t val = v.values ? (raddr_t)rd_i64(c, v.values + (uint64_t)ix * 8, &ok)
				       : (raddr_t)rd_i64(c, e + v.value_off, &ok);
		if (!ok)
			return seen ? seen : -1;
		if (!key || !val)
			continue;   /* deleted or never-set slot */
		seen++;
		if (cb && cb(arg, key, val))
			break;
	}
	return seen;
}

struct getstr_arg {
	struct pyctx *c;
	const char *name;
	size_t len;
	raddr_t found;
};

static int getstr_cb(void *p, raddr_t key, raddr_t value)
{
	struct getstr_arg *a = p;
	char buf[128];
	int trunc;
	long n = py_str_utf8(a->c, key, buf, sizeof buf, &trunc);
	if (n == (long)a->len && !trunc && !memcmp(buf, a->name, a->len)) {
		a->found = value;
		return 1;
	}
	return 0;
}

raddr_t py_dict_get_str(struct pyctx *c, raddr_t dict, const char *name)
{
	struct getstr_arg a = {c, name, strlen(name), 0};
	py_dict_iter(c, dict, getstr_cb, &a);
	return a.found;
}

/* ==== Sizes (sys.getsizeof) ==== */

static int64_t ixsize(int64_t size)
{
	return size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
}

/* _PyDict_KeysSize: bytes of a keys object.  -1 if unreadable. */
static int64_t dict_keys_size(struct pyctx *c, raddr_t keys)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	if (L->keys_size >= 0) {
		int64_t size = rd_i64(c, keys + L->keys_size, &ok);
		int64_t usable = (2 * size) / 3;
		return ok ? L->keys_header_size + ixsize(size) * size +
			   usable * L->keyentry_size : -1;
	}
	int log2 = rd_u8(c, keys + L->keys_log2_size, &ok);
	int log2_index = rd_u8(c, keys + L->keys_log2_index_bytes, &ok);
	int kind = rd_u8(c, keys + L->keys_kind, &ok);
	if (!ok || log2 > 40 || log2_index > 40)
		return -1;
	int64_t usable = ((int64_t)2 << log2) / 3;
	int es = kind == 0 ? L->keyentry_size : L->unientry_size;
	return L->keys_header_size + ((int64_t)1 << log2_index) + usable * es;
}

static int64_t dict_sizeof(struct pyctx *c, raddr_t d, const struct pytype *t)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	int64_t res = t->basicsize;
	if (L->dict27_table >= 0) {
		/* 2.7 dict_sizeof: + the table when it is not the small one */
		raddr_t table = (raddr_t)rd_i64(c, d + L->dict27_table, &ok);
		if (table != d + (uint64_t)L->dict27_smalltable)
			res += (rd_i64(c, d + L->dict27_mask, &ok) + 1) * L->keyentry_size;
		return ok ? res : -1;
	}
	raddr_t keys = (raddr_t)rd_i64(c, d + L->dict_keys, &ok);
	raddr_t values = (raddr_t)rd_i64(c, d + L->dict_values, &ok);
	if (!ok || !keys)
		return -1;
	if (values) {
		if (L->keys_size >= 0) {
			int64_t size = rd_i64(c, keys + L->keys_size, &ok);
			res += (2 * size) / 3 * 8;
		} else {
			/* shared_keys_usable_size = dk_nentries + dk_usable */
			res += (rd_i64(c, keys + L->keys_nentries, &ok) +
				rd_i64(c, keys + L->keys_usable, &ok)) * 8;
		}
	}
	/* Split tables' keys are charged to the class (dk_refcnt > 1). */
	if (rd_i64(c, keys + L->keys_refcnt, &ok) == 1) {
		int64_t ks = dict_keys_size(c, keys);
		if (ks < 0)
			return -1;
		res += ks;
	}
	return ok ? res : -1;
}

static int64_t str_sizeof(struct pyctx *c, raddr_t s)
{
	const struct py_layout *L = c->L;
	struct strinfo si;
	int ok = 1;
	int64_t size;
	if (str_info(c, s, &si) != 0)
		return -1;
	if (L->major == 2)
		/* 2.7 unicode__sizeof__: sizeof(PyUnicodeObject) (defenc is its
		 * last member) + the Py_UNICODE buffer with its terminator */
		return L->ustr_defenc + 8 + (si.length + 1) * si.kind;
	if (si.compact && si.ascii)
		size = L->str_ascii_size + si.length + 1;
	else if (si.compact)
		size = L->str_compact_size + (si.length + 1) * si.kind;
	else
		size = L->str_compact_size + 8 /* PyUnicodeObject */ +
		       (si.length + 1) * si.kind;
	if (!(si.compact && si.ascii)) {
		/* A separate UTF-8 buffer is counted when it is not the data. */
		raddr_t utf8 = (raddr_t)rd_i64(c, s + L->str_utf8, &ok);
		if (utf8 && utf8 != si.data)
			size += rd_i64(c, s + L->str_utf8_length, &ok) + 1;
	}
	if (L->str_wstr >= 0) {
		/* ≤3.11: wstr buffer, when present and not shared with data */
		raddr_t wstr = (raddr_t)rd_i64(c, s + L->str_wstr, &ok);
		if (wstr && wstr != si.data) {
			int64_t wlen = (si.compact && si.ascii)
				? si.length : rd_i64(c, s + L->str_wstr_length, &ok);
			size += (wlen + 1) * 4;
		}
	}
	return ok ? size : -1;
}

static int64_t long_ndigits(struct pyctx *c, raddr_t o, int *ok)
{
	if (c->L->long_lv_tag >= 0)
		return (int64_t)((uint64_t)rd_i64(c, o + c->L->long_lv_tag, ok) >> 3);
	int64_t n = rd_i64(c, o + c->L->ob_size, ok);
	return n < 0 ? -n : n;
}

/* Bytes of a code object's frame slots (co_nlocalsplus + co_stacksize). */
static int64_t code_slots(struct pyctx *c, raddr_t code, int *ok)
{
	const struct py_layout *L = c->L;
	int32_t nlp = (int32_t)rd_u32(c, code + L->co_nlocalsplus, ok);
	int32_t ss = (int32_t)rd_u32(c, code + L->co_stacksize, ok);
	return (int64_t)nlp + ss;
}

static int64_t gen_sizeof(struct pyctx *c, raddr_t g, const struct pytype *t)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	if (L->gen_iframe < 0)
		return t->basicsize;   /* ≤3.10: the frame is a separate object */
	raddr_t code = L->gen_code >= 0
		? (raddr_t)rd_i64(c, g + L->gen_code, &ok)
		: py_stackref(L, (raddr_t)rd_i64(c, g + L->gen_iframe + L->iframe_code, &ok));
	int64_t res = L->gen_iframe + L->iframe_localsplus + code_slots(c, code, &ok) * 8;
	return ok ? res : -1;
}

static int64_t frame_sizeof(struct pyctx *c, raddr_t f, const struct pytype *t)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	if (L->frame_frame < 0) {
		/* ≤3.10: sizeof(PyFrameObject) + (extras-1) words, extras =
		 * stacksize + nlocals + ncells + nfrees */
		raddr_t code = (raddr_t)rd_i64(c, f + L->frame_code, &ok);
		int64_t ss = (int32_t)rd_u32(c, code + L->co_stacksize, &ok);
		int64_t nl = (int32_t)rd_u32(c, code + L->co_nlocals, &ok);
		raddr_t cells = (raddr_t)rd_i64(c, code + L->co_cellvars, &ok);
		raddr_t frees = (raddr_t)rd_i64(c, code + L->co_freevars, &ok);
		int64_t nc = cells ? rd_i64(c, cells + L->ob_size, &ok) : 0;
		int64_t nf = frees ? rd_i64(c, frees + L->ob_size, &ok) : 0;
		int64_t res = L->frame_size + (ss + nl + nc + nf - 1) * 8;
		return ok ? res : -1;
	}
	raddr_t iframe = (raddr_t)rd_i64(c, f + L->frame_frame, &ok);
	raddr_t code = py_stackref(L, (raddr_t)rd_i64(c, iframe + L->iframe_code, &ok));
	int64_t res = L->frame_data + L->iframe_localsplus + code_slots(c, code, &ok) * 8;
	return ok ? res : -1;
}

/* The object's own __sizeof__ (what getsizeof calls first). */
static int64_t own_sizeof(struct pyctx *c, raddr_t o, const struct pytype *t)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	int64_t res;

	switch (t->kind) {
	case PYK_LIST:
		res = t->basicsize + rd_i64(c, o + L->list_allocated, &ok) * 8;
		break;
	case PYK_DICT:
		return dict_sizeof(c, o, t);
	case PYK_ODICT:
		res = dict_sizeof(c, o, t);
		if (res < 0)
			return -1;
		res += rd_i64(c, o + L->od_fast_nodes_size, &ok) * 8;
		res += rd_i64(c, o + L->dict_used, &ok) * L->odnode_size;
		break;
	case PYK_SET:
	case PYK_FROZENSET: {
		res = t->basicsize;
		raddr_t table = (raddr_t)rd_i64(c, o + L->set_table, &ok);
		if (table != o + (uint64_t)L->set_smalltable)
			res += (rd_i64(c, o + L->set_mask, &ok) + 1) * L->setentry_size;
		break;
	}
	case PYK_STR:
		return str_sizeof(c, o);
	case PYK_BYTES:
		if (L->major != 2)
			goto dflt;
		/* 2.7 string_sizeof: PyStringObject_SIZE + size, whatever the
		 * subclass adds (its __dict__ pointer) */
		res = L->pystr_sval + 1 + rd_i64(c, o + L->ob_size, &ok);
		break;
	case PYK_INT:
	case PYK_BOOL: {
		if (L->int_ival >= 0 && (read_flags(c, py_type_of(c, o), &ok) & PY_TPFLAGS_INT_SUBCLASS))
			goto dflt;   /* 2.7 int, bool: a C long */
		int64_t nd = long_ndigits(c, o, &ok);
		if (L->minor >= 11 && nd < 1)
			nd = 1;   /* 3.11+: always room for one digit */
		/* 2.7 long_sizeof: the type's tp_basicsize (a subclass's dict
		 * and weakref pointers included); 3.x: offsetof(ob_digit) */
		res = (L->major == 2 ? t->basicsize : L->long_digits) + nd * 4;
		break;
	}
	case PYK_BYTEARRAY:
		if (L->bytearray_bytes_object >= 0) {
			/* 3.15+: the data lives in a private bytes object, counted
			 * whole (header and all) once one was allocated; it is part
			 * of the bytearray, as the malloc'd buffer was before */
			int64_t alloc = rd_i64(c, o + L->bytearray_alloc, &ok);
			raddr_t bo = (raddr_t)rd_i64(c, o + L->bytearray_bytes_object, &ok);
			res = t->basicsize;
			if (alloc && bo)
				res += rd_i64(c, bo + L->ob_size, &ok) + L->bytes_sval + 1;
			break;
		}
		res = t->basicsize + rd_i64(c, o + L->bytearray_alloc, &ok);
		break;
	case PYK_TYPE: {
		if (L->major == 2)
			goto dflt;   /* 2.7 has no type.__sizeof__: object's */
		unsigned long fl = read_flags(c, o, &ok);
		if (!(fl & PY_TPFLAGS_HEAPTYPE))
			return L->type_size;
		res = L->heaptype_size;
		if (L->ht_cached_keys < 0)   /* 2.7: no shared keys */
			break;
		raddr_t keys = (raddr_t)rd_i64(c, o + L->ht_cached_keys, &ok);
		if (keys) {
			int64_t ks = dict_keys_size(c, keys);
			if (ks < 0)
				return -1;
			res += ks;
		}
		break;
	}
	case PYK_IO_BUFFERED:
		/* buffered_sizeof: + buffer_size when a buffer is allocated */
		res = t->basicsize;
		if (rd_i64(c, o + L->buffered_buffer, &ok))
			res += rd_i64(c, o + L->buffered_buffer_size, &ok);
		break;
	case PYK_BYTESIO: {
		/* bytesio_sizeof: + getsizeof(buf) unless the bytes are shared
		 * (refcount > 1, e.g. handed out by getvalue()) */
		res = t->basicsize;
		raddr_t buf = (raddr_t)rd_i64(c, o + L->bytesio_buf, &ok);
		if (L->bytesio_buf_size >= 0) {
			/* 2.7: buf is a malloc'd char array of buf_size bytes */
			if (buf)
				res += rd_i64(c, o + L->bytesio_buf_size, &ok);
			break;
		}
		int64_t rc;
		/* only a bytes object: a BytesIO whose buf is itself (corrupt)
		 * would recurse without end */
		const struct pytype *bt = ok && buf ? py_type_of_obj(c, buf) : NULL;
		if (bt && bt->kind == PYK_BYTES && py_refcnt(c, buf, &rc) == 0 && rc <= 1)
			res += (int64_t)py_getsizeof(c, buf, bt);
		break;
	}
	case PYK_STRUCT: {
		/* s_sizeof walks s_codes to the terminating entry (fmtdef NULL)
		 * and counts it too; s_len counts repeats, so it will not do. */
		raddr_t codes = (raddr_t)rd_i64(c, o + L->struct_s_codes, &ok);
		int64_t n = 0;
		while (ok && n < 65536 &&
		       rd_i64(c, codes + (uint64_t)n * L->formatcode_size, &ok))
			n++;
		res = t->basicsize + L->formatcode_size * (n + 1);
		break;
	}
	case PYK_GEN:
	case PYK_CORO:
	case PYK_ASYNCGEN:
		return gen_sizeof(c, o, t);
	case PYK_FRAME:
		return frame_sizeof(c, o, t);
	case PYK_DEQUE: {
		int64_t left = rd_i64(c, o + L->deque_leftindex, &ok);
		int64_t bl = L->deque_blocklen;
		if (L->deque_len >= 0) {
			/* 2.7: `len`, and one block more than needed when the
			 * items end at a block boundary ((left + len) / BLOCKLEN + 1) */
			int64_t n = rd_i64(c, o + L->deque_len, &ok);
			res = t->basicsize + (left + n + bl) / bl * L->block_size;
			break;
		}
		int64_t n = rd_i64(c, o + L->ob_size, &ok);
		res = t->basicsize + (left + n + bl - 1) / bl * L->block_size;
		break;
	}
	case PYK_NDARRAY: {
		/* array_sizeof: basicsize + shape and strides (2 * nd words) +
		 * the data when the array owns it */
		struct py_ndarray a;
		if (py_ndarray(c, o, t, &a) != 0)
			goto dflt;
		res = t->basicsize + (int64_t)a.nd * 16;
		if (a.owndata && a.itemsize >= 0)
			res += (int64_t)a.nbytes;
		break;
	}
	case PYK_ARRAY: {
		/* array_array___sizeof__: basicsize + allocated * itemsize */
		raddr_t descr = (raddr_t)rd_i64(c, o + L->array_descr, &ok);
		int64_t alloc = rd_i64(c, o + L->array_allocated, &ok);
		int64_t isz = (int32_t)rd_u32(c, descr + L->arraydescr_itemsize, &ok);
		if (!ok || alloc < 0 || isz <= 0 || isz > 16)
			return -1;
		res = t->basicsize + alloc * isz;
		break;
	}
	case PYK_CODE:
		if (L->minor < 11)
			goto dflt;   /* ≤3.10 adds cell2arg/opcache tables: see size_exact */
		/* code_sizeof uses _PyObject_VAR_SIZE, rounded up to a word */
		res = (t->basicsize + rd_i64(c, o + L->ob_size, &ok) * t->itemsize + 7) & ~7LL;
		break;
	default:
	dflt:
		/* object.__sizeof__: basicsize + ob_size * itemsize */
		res = t->basicsize;
		if (t->itemsize > 0) {
			int64_t n = rd_i64(c, o + L->ob_size, &ok);
			res += n * t->itemsize;
		}
		break;
	}
	return ok ? res : -1;
}

/* Bytes getsizeof adds in front of the object: the GC header, and on
 * 3.11+ the managed dict/weakref pre-header. */
static int64_t preheader(struct pyctx *c, raddr_t o, const struct pytype *t)
{
	const struct py_layout *L = c->L;
	/* Static type objects: ≤3.10 asks tp_is_gc (false for them); 3.11
	 * and 3.12 add the pre-header of their type unconditionally; 3.13
	 * skips it for static types explicitly. */
	if ((L->minor <= 10 || L->minor >= 13) && t->kind == PYK_TYPE) {
		int ok = 1;
		if (!(read_flags(c, o, &ok) & PY_TPFLAGS_HEAPTYPE))
			return 0;
	}
	if (L->minor < 11)
		return t->is_gc ? L->gc_head_size : 0;
	unsigned long pre = L->minor >= 12
		? (PY_TPFLAGS_MANAGED_DICT | PY_TPFLAGS_MANAGED_WEAKREF)
		: PY_TPFLAGS_MANAGED_DICT;
	return (t->is_gc ? L->gc_head_size : 0) +
	       ((t->flags & pre) ? L->preheader_managed : 0);
}

int64_t py_sizeof_const(struct pyctx *c, const struct pytype *t)
{
	/* Exactly the kinds own_sizeof sends to its default case, without
	 * ob_size; preheader reads the object only for type objects. */
	switch (t->kind) {
	case PYK_LIST: case PYK_DICT: case PYK_ODICT: case PYK_SET: case PYK_FROZENSET:
	case PYK_STR: case PYK_BYTES: case PYK_INT: case PYK_BOOL: case PYK_BYTEARRAY:
	case PYK_TYPE: case PYK_IO_BUFFERED: case PYK_BYTESIO: case PYK_STRUCT:
	case PYK_GEN: case PYK_CORO: case PYK_ASYNCGEN: case PYK_FRAME: case PYK_DEQUE:
	case PYK_NDARRAY: case PYK_ARRAY: case PYK_CODE:
		return -1;
	default:
		if (t->itemsize > 0 || t->basicsize < 0)
			return -1;
		return t->basicsize + preheader(c, 0, t);
	}
}

uint64_t py_getsizeof(struct pyctx *c, raddr_t o, const struct pytype *t)
{
	if (!t && !(t = py_type_of_obj(c, o)))
		return 0;
	int64_t s = own_sizeof(c, o, t);
	if (s < 0)
		return 0;
	return (uint64_t)(s + preheader(c, o, t));
}

/* ==== Owned buffers ==== */

/* numpy's ABI (not CPython's, so not in struct py_layout): offsets from
 * the end of the PyObject header.  PyArrayObject_fields has kept data, nd,
 * dimensions, strides, base, descr, flags in this order since numpy 1.7;
 * PyArray_Descr keeps typeobj, kind, type, byteorder, (flags), type_num,
 * and moved elsize from an int (1.x) to an npy_intp after a 64-bit flags
 * word (2.x). */
enum {
	NP_DATA = 0, NP_ND = 8, NP_DIMENSIONS = 16, NP_STRIDES = 24, NP_BASE = 32,
	NP_DESCR = 40, NP_FLAGS = 48, NP_END = 52,
	NPD_KIND = 8, NPD_BYTEORDER = 10, NPD_TYPE_NUM = 12,
	NPD_ELSIZE_1 = 16,          /* int elsize (numpy 1.x) */
	NPD_ELSIZE_2 = 24,          /* npy_intp elsize (numpy 2.x) */
	NP_DTYPE_BASICSIZE_1 = 96,  /* sizeof(PyArray_Descr), numpy 1.x */
	NP_DTYPE_BASICSIZE_2 = 88,  /* sizeof(PyArray_Descr), numpy 2.x */
	NPY_OWNDATA = 0x4, NPY_C_CONTIGUOUS = 0x1, NPY_F_CONTIGUOUS = 0x2,
};

/* Which numpy a dtype object belongs to: walk its type's bases to
 * numpy.dtype and read that type's basicsize. */
static int np_abi(struct pyctx *c, raddr_t descr)
{
	raddr_t t = py_type_of(c, descr);
	for (int depth = 0; t && depth < 8; depth++) {
		if (c->np_dtype_type && t == c->np_dtype_type)
			return c->np_abi;
		const struct pytype *pt = py_type(c, t);
		if (!pt)
			return -1;
		if (pt->tp_name && !strcmp(pt->tp_name, "numpy.dtype")) {
			c->np_dtype_type = t;
			c->np_abi = pt->basicsize == NP_DTYPE_BASICSIZE_1 ? 1
				  : pt->basicsize == NP_DTYPE_BASICSIZE_2 ? 2 : -1;
			return c->np_abi;
		}
		t = pt->base;
	}
	return -1;
}

static void np_dtype_name(const struct py_ndarray *a, char bo, char *out, size_t cap)
{
	int64_t n = a->itemsize;
	const char *o = bo == '>' ? ">" : bo == '|' ? "|" : "<";
	switch (a->kind) {
	case 'b': snprintf(out, cap, "bool"); break;
	case 'i': snprintf(out, cap, "%sint%lld", bo == '>' ? ">" : "", (long long)n * 8); break;
	case 'u': snprintf(out, cap, "%suint%lld", bo == '>' ? ">" : "", (long long)n * 8); break;
	case 'f': snprintf(out, cap, "%sfloat%lld", bo == '>' ? ">" : "", (long long)n * 8); break;
	case 'c': snprintf(out, cap, "%scomplex%lld", bo == '>' ? ">" : "", (long long)n * 8); break;
	case 'O': snprintf(out, cap, "object"); break;
	case 'U': snprintf(out, cap, "%sU%lld", o, (long long)n / 4); break;
	case 'S': snprintf(out, cap, "|S%lld", (long long)n); break;
	case 'V': snprintf(out, cap, "|V%lld", (long long)n); break;
	case 'M': snprintf(out, cap, "datetime64"); break;
	case 'm': snprintf(out, cap, "timedelta64"); break;
	default: snprintf(out, cap, "kind '%c', %lld bytes", a->kind ? a->kind : '?', (long long)n);
	}
	if (n < 0)
		snprintf(out, cap, "kind '%c', size unknown", a->kind ? a->kind : '?');
}

int py_ndarray(struct pyctx *c, raddr_t o, const struct pytype *t, struct py_ndarray *a)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	raddr_t h = o + (uint64_t)L->ob_type + 8;     /* end of the PyObject header */
	memset(a, 0, sizeof *a);
	if (!t || t->basicsize < (int64_t)(L->ob_type + 8 + NP_END))
		return -1;
	a->data = (raddr_t)rd_i64(c, h + NP_DATA, &ok);
	a->nd = (int32_t)rd_u32(c, h + NP_ND, &ok);
	raddr_t dims = (raddr_t)rd_i64(c, h + NP_DIMENSIONS, &ok);
	a->base = (raddr_t)rd_i64(c, h + NP_BASE, &ok);
	a->descr = (raddr_t)rd_i64(c, h + NP_DESCR, &ok);
	a->flags = (int32_t)rd_u32(c, h + NP_FLAGS, &ok);
	if (!ok || a->nd < 0 || a->nd > PY_NDARRAY_MAXDIMS || !a->descr || (a->nd && !dims))
		return -1;
	a->owndata = !!(a->flags & NPY_OWNDATA);
	a->contiguous = !!(a->flags & (NPY_C_CONTIGUOUS | NPY_F_CONTIGUOUS));
	a->nelem = 1;
	for (int i = 0; i < a->nd; i++) {
		a->shape[i] = rd_i64(c, dims + (uint64_t)i * 8, &ok);
		if (!ok || a->shape[i] < 0)
			return -1;
		if (a->shape[i] && a->nelem > UINT64_MAX / (uint64_t)a->shape[i])
			return -1;
		a->nelem *= (uint64_t)a->shape[i];
	}
	a->kind = (char)rd_u8(c, a->descr + (uint64_t)L->ob_type + 8 + NPD_KIND, &ok);
	char bo = (char)rd_u8(c, a->descr + (uint64_t)L->ob_type + 8 + NPD_BYTEORDER, &ok);
	if (!ok)
		return -1;
	int abi = np_abi(c, a->descr);
	a->itemsize = -1;
	if (abi == 1)
		a->itemsize = (int32_t)rd_u32(c, a->descr + (uint64_t)L->ob_type + 8 + NPD_ELSIZE_1, &ok);
	else if (abi == 2)
		a->itemsize = rd_i64(c, a->descr + (uint64_t)L->ob_type + 8 + NPD_ELSIZE_2, &ok);
	if (!ok || a->itemsize < -1 || (a->itemsize > 0 && a->nelem > UINT64_MAX / (uint64_t)a->itemsize))
		a->itemsize = -1;
	a->nbytes = a->itemsize >= 0 ? a->nelem * (uint64_t)a->itemsize : 0;
	np_dtype_name(a, bo, a->dtype, sizeof a->dtype);
	return 0;
}

uint64_t py_owned_buffer(struct pyctx *c, raddr_t o, const struct pytype *t, raddr_t *where)
{
	const struct py_layout *L = c->L;
	int ok = 1;
	raddr_t at = 0;
	int64_t n = 0;
	if (!t && !(t = py_type_of_obj(c, o)))
		return 0;
	switch (t->kind) {
	case PYK_NDARRAY: {
		struct py_ndarray a;
		if (py_ndarray(c, o, t, &a) == 0 && a.owndata && a.itemsize >= 0) {
			at = a.data;
			n = (int64_t)a.nbytes;
		}
		break;
	}
	case PYK_ARRAY: {
		raddr_t descr = (raddr_t)rd_i64(c, o + L->array_descr, &ok);
		int64_t isz = (int32_t)rd_u32(c, descr + L->arraydescr_itemsize, &ok);
		at = (raddr_t)rd_i64(c, o + L->array_ob_item, &ok);
		n = rd_i64(c, o + L->array_allocated, &ok) * isz;
		break;
	}
	case PYK_BYTEARRAY:
		if (L->bytearray_bytes_object >= 0) {
			int64_t alloc = rd_i64(c, o + L->bytearray_alloc, &ok);
			at = (raddr_t)rd_i64(c, o + L->bytearray_bytes_object, &ok);
			if (alloc && at)
				n = rd_i64(c, at + L->ob_size, &ok) + L->bytes_sval + 1;
			break;
		}
		at = (raddr_t)rd_i64(c, o + L->bytearray_bytes, &ok);
		n = rd_i64(c, o + L->bytearray_alloc, &ok);
		break;
	case PYK_DEQUE: {
		int64_t left = rd_i64(c, o + L->deque_leftindex, &ok);
		/* 2.7: a `len` field, and deque_sizeof's one spare block */
		int64_t len = rd_i64(c, o + (L->deque_len >= 0 ? L->deque_len : L->ob_size), &ok);
		int64_t bl = L->deque_blocklen;
		at = (raddr_t)rd_i64(c, o + L->deque_leftblock, &ok);
		n = bl > 0 ? (left + len + bl - (L->deque_len >= 0 ? 0 : 1)) / bl * L->block_size : 0;
		break;
	}
	case PYK_IO_BUFFERED:
		at = (raddr_t)rd_i64(c, o + L->buffered_buffer, &ok);
		n = at ? rd_i64(c, o + L->buffered_buffer_size, &ok) : 0;
		break;
	default:
		break;
	}
	if (!ok || n <= 0)
		return 0;
	if (where)
		*where = at;
	return (uint64_t)n;
}
