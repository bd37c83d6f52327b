/* pyobj — reading CPython objects out of a snapshot.
 *
 * The primitives every model/ module builds on: an object's type, its
 * refcount, its str value, dict iteration, the per-type facts (kind,
 * qualname, module, basicsize…) cached once per type object, and the
 * shallow size exactly as `sys.getsizeof` computes it.
 *
 * Nothing here trusts the target: every pointer goes through the memsrc,
 * which fails (returns -1 / 0) on addresses outside the snapshot; every
 * loop is bounded.  A garbage pointer yields an error value, never a crash.
 */
#ifndef HS_PYOBJ_H
#define HS_PYOBJ_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "memsrc.h"
#include "pyfind.h"

/* What a type *is*, decided by its nearest known builtin base.  Decides
 * how its instances are decoded, sized and traversed. */
enum py_kind {
	PYK_OBJECT = 0,  /* plain object / unknown extension type */
	PYK_TYPE, PYK_STR, PYK_BYTES, PYK_BYTEARRAY, PYK_INT, PYK_BOOL,
	PYK_FLOAT, PYK_COMPLEX, PYK_NONE,
	PYK_TUPLE, PYK_LIST, PYK_DICT, PYK_ODICT, PYK_SET, PYK_FROZENSET,
	PYK_DEQUE, PYK_MODULE, PYK_FUNCTION, PYK_CODE, PYK_CELL, PYK_METHOD,
	PYK_CFUNCTION, PYK_GEN, PYK_CORO, PYK_ASYNCGEN, PYK_FRAME,
	PYK_WEAKREF, PYK_PROPERTY, PYK_STATICMETHOD, PYK_CLASSMETHOD,
	PYK_EXCEPTION, PYK_TRACEBACK, PYK_SLICE, PYK_RANGE,
	PYK_IO_BUFFERED, PYK_BYTESIO, PYK_STRUCT,
	PYK_NDARRAY,     /* numpy.ndarray (numpy's ABI, see py_ndarray) */
	PYK_ARRAY,       /* array.array */
	PYK__COUNT
};

const char *py_kind_name(enum py_kind k);

/* The module of built-in types: "builtins" (3.x) or "__builtin__" (2.7),
 * which names leave out. */
int py_module_is_builtins(const char *module);

/* Cached facts about one type object. */
struct pytype {
	raddr_t addr;
	unsigned long flags;        /* tp_flags */
	int64_t basicsize, itemsize, dictoffset, weaklistoffset;
	raddr_t base;               /* tp_base */
	raddr_t metatype;           /* ob_type of the type object */
	enum py_kind kind;
	int is_heap;                /* Py_TPFLAGS_HEAPTYPE */
	int is_gc;                  /* Py_TPFLAGS_HAVE_GC */
	int size_exact;             /* 0: getsizeof runs code we do not model: a
				       Python-level __sizeof__, or a C __sizeof__ of
				       a type we do not know (see unmodelled_sizeof) */
	char *qualname;             /* type.__qualname__ (malloc'd) */
	char *module;               /* type.__module__ (malloc'd) */
	char *tp_name;              /* raw tp_name */
};

struct pyctx;   /* opaque: a snapshot + layout + type cache */

struct pyctx *pyctx_new(memsrc *m, const struct py_layout *L,
			const struct py_runtime_info *rt);
/* The main interpreter and GC state (layout_fit()), for everything that
 * starts from them: the census, threads, roots. */
const struct py_roots *pyctx_roots(struct pyctx *c);
void pyctx_set_roots(struct pyctx *c, const struct py_roots *r);
void pyctx_free(struct pyctx *c);
memsrc *pyctx_mem(struct pyctx *c);
const struct py_layout *pyctx_layout(struct pyctx *c);
const struct py_runtime_info *pyctx_rt(struct pyctx *c);

/* ==== Raw fields ==== */

/* ob_type of obj, or 0 if unreadable. */
raddr_t py_type_of(struct pyctx *c, raddr_t obj);
/* ob_refcnt (raw), 0 and -1 on failure. */
int py_refcnt(struct pyctx *c, raddr_t obj, int64_t *out);
/* 3.12+: immortal refcount (low 32 bits saturated). */
int py_is_immortal(struct pyctx *c, int64_t refcnt);
/* Read a word field at obj+off (off from layout; fails when off < 0). */
int py_field(struct pyctx *c, raddr_t obj, int32_t off, uint64_t *out);

/* ==== Checked readers ====
 * Each clears *ok on failure and returns 0, so a run of reads is checked
 * once at the end instead of after every field. */
uint64_t py_rd64(struct pyctx *c, raddr_t a, int *ok);
uint32_t py_rd32(struct pyctx *c, raddr_t a, int *ok);
uint8_t py_rd8(struct pyctx *c, raddr_t a, int *ok);
/* A word field at a layout offset; 0 when obj is 0, the field is absent in
 * this version (off < 0) or unreadable. */
raddr_t py_fld(struct pyctx *c, raddr_t obj, int32_t off);

/* The object a _PyStackRef word refers to (3.14+ frames hold tagged
 * references: the low bits are flags, and (bits & 3) == 3 is a tagged int,
 * no object at all); the word itself before 3.14.  0 for none. */
static inline raddr_t py_stackref(const struct py_layout *L, uint64_t w)
{
	if (!L->stackref_tag_mask)
		return w;
	if ((w & 3) == 3)
		return 0;
	w &= ~(uint64_t)3;      /* objects are at least 8-aligned */
	return w < 4096 ? 0 : w;
}
/* py_fld of a _PyStackRef field (f_executable, f_funcobj). */
raddr_t py_fld_ref(struct pyctx *c, raddr_t obj, int32_t off);
/* Number of slots of an interpreter frame's localsplus in use (locals,
 * cells, then the value stack): `stacktop` (3.11–3.13) or the distance of
 * `stackpointer` from localsplus (3.14+); -1 when unknown. */
int64_t py_iframe_top(struct pyctx *c, raddr_t iframe);

/* ==== Types ==== */

/* Facts about the type object at addr (cached), or NULL if it does not
 * look like a type (its own type is not a type, unreadable…). */
const struct pytype *py_type(struct pyctx *c, raddr_t type_addr);
/* Type of obj as a cached pytype, or NULL. */
const struct pytype *py_type_of_obj(struct pyctx *c, raddr_t obj);

/* 2.7: is `key` the "<dummy key>" str that marks a deleted dict or set
 * slot?  (The two static `dummy` pointers of dictobject.c and setobject.c
 * share one name, so they are recognised by value; 2.7 keeps a deleted
 * set entry's hash.)  Always 0 on 3.x. */
int py_is_dummy27(struct pyctx *c, raddr_t key);

/* ==== Values ==== */

/* UTF-8 of a str object into buf (always NUL-terminated, truncated to
 * cap-1 bytes on a character boundary).  Returns the full length in code
 * points, or -1 when obj is not a readable str. *truncated set if cut. */
long py_str_utf8(struct pyctx *c, raddr_t obj, char *buf, size_t cap,
		 int *truncated);

/* Iterate a dict's live (key, value) pairs in insertion order; the
 * callback returns non-zero to stop.  Handles combined and split tables,
 * every version's keys layout.  Returns number visited or -1 if the dict
 * structure is unreadable. */
typedef int (*py_dict_cb)(void *arg, raddr_t key, raddr_t value);
long py_dict_iter(struct pyctx *c, raddr_t dict, py_dict_cb cb, void *arg);

/* Value stored under a str key equal to `name` in a dict, or 0. */
raddr_t py_dict_get_str(struct pyctx *c, raddr_t dict, const char *name);

/* ==== Sizes ==== */

/* sys.getsizeof(obj), reproduced from the object's own layout per kind
 * and version; includes the GC / pre-header bytes getsizeof adds.
 * Returns 0 when the object cannot be read. */
uint64_t py_getsizeof(struct pyctx *c, raddr_t obj, const struct pytype *t);
/* What py_getsizeof answers for every object of type t when that does not
 * depend on the object (no items, no owned buffer, not a type object),
 * else -1: the census then skips reading the object. */
int64_t py_sizeof_const(struct pyctx *c, const struct pytype *t);

/* ==== Owned buffers ====
 *
 * The data buffer an object allocates beside its own struct and that its
 * __sizeof__ (so sys.getsizeof, so the shallow size) counts: an ndarray's
 * data when it owns it (NPY_ARRAY_OWNDATA), an array.array's items, a
 * bytearray's bytes, a deque's blocks, a buffered reader's buffer.  A
 * numpy view owns nothing: it holds its `base`, an edge of the graph.
 * Returns the bytes (0: none, or not one of these kinds); *where (may be
 * NULL) gets the buffer's address (the first block of a deque). */
uint64_t py_owned_buffer(struct pyctx *c, raddr_t obj, const struct pytype *t,
			 raddr_t *where);

#define PY_NDARRAY_MAXDIMS 64   /* NPY_MAXDIMS: 32 in numpy 1.x, 64 in 2.x */

/* A numpy.ndarray, from numpy's own struct (PyArrayObject_fields: data,
 * nd, dimensions, strides, base, descr, flags — the same in numpy 1.x and
 * 2.x) and its dtype (PyArray_Descr: kind, type_num alike; elsize an int
 * at +32 in 1.x, an npy_intp at +40 in 2.x, told apart by the basicsize
 * of numpy.dtype: 96 in 1.x, 88 in 2.x). */
struct py_ndarray {
	raddr_t data, base, descr;
	int nd;
	int64_t shape[PY_NDARRAY_MAXDIMS];
	int flags;                  /* NPY_ARRAY_* */
	int owndata;                /* flags & NPY_ARRAY_OWNDATA (0x4) */
	int contiguous;             /* C or Fortran contiguous */
	char kind;                  /* dtype.kind: 'f', 'i', 'O'...; '?' unknown */
	int64_t itemsize;           /* dtype.itemsize, -1 when the dtype's layout
				       is not one we know (a numpy other than
				       1.x/2.x): then nbytes is unknown too */
	uint64_t nelem;             /* product of the shape */
	uint64_t nbytes;            /* itemsize * nelem (arr.nbytes) */
	char dtype[48];             /* str(arr.dtype): "float64", "<U3", "object" */
};

/* Decode obj as an ndarray (t: its type, kind PYK_NDARRAY).  0, or -1 when
 * it cannot be read or does not look like numpy's struct. */
int py_ndarray(struct pyctx *c, raddr_t obj, const struct pytype *t, struct py_ndarray *out);

#endif
