/* pyread — str text, small ints, instance attributes.  See pyread.h.
 * (Moved from value.c unchanged.)
 */
#include "pyread.h"

#include <stdio.h>
#include <string.h>

/* The layout of the snapshot's CPython (offsets never appear here). */
#define LY(c) pyctx_layout(c)

/* Safety bounds on target data. */
#define MAX_SLOTS_PER_TYPE 4096
#define MAX_BASE_CHAIN     64
#define MAX_SPLIT_ENTRIES  255    /* split keys: insertion order is a u8 array */

static int is_kind(struct pyctx *c, raddr_t obj, enum py_kind k)
{
	const struct pytype *t = obj ? py_type_of_obj(c, obj) : NULL;
	return obj && t && t->kind == k;
}

const char *value_str(struct pyctx *c, raddr_t str, char *buf, size_t cap)
{
	if (!cap)
		return buf;
	if (!str || py_str_utf8(c, str, buf, cap, NULL) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

/* 2.7: is obj a PyIntObject (int, bool or a subclass: a C long)? */
int value_py27_is_int(struct pyctx *c, raddr_t obj)
{
	int ok = 1;
	raddr_t t = py_type_of(c, obj);
	uint64_t fl = t ? py_rd64(c, t + pyctx_layout(c)->tp_flags, &ok) : 0;
	return ok && (fl & PY_TPFLAGS_INT_SUBCLASS);
}

int value_int_parts(struct pyctx *c, raddr_t obj, struct value_int_parts *v)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	if (L->long_lv_tag >= 0) {
		/* 3.12+: lv_tag = ndigits << 3 | sign bits (0 pos, 1 zero, 2 neg) */
		uint64_t tag = py_rd64(c, obj + L->long_lv_tag, &ok);
		v->ndigits = (int64_t)(tag >> 3);
		int s = (int)(tag & 3);
		v->sign = s == 0 ? 1 : s == 1 ? 0 : s == 2 ? -1 : 2;
		if (v->sign == 2)
			return -1;
		if (v->sign == 0)
			v->ndigits = 0;
	} else {
		int64_t size = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		v->sign = size < 0 ? -1 : size > 0;
		v->ndigits = size < 0 ? -size : size;
	}
	v->digits = obj + (uint64_t)L->long_digits;
	if (!ok || v->ndigits < 0 || v->ndigits > ((int64_t)1 << 32))
		return -1;
	return 0;
}

int value_int64(struct pyctx *c, raddr_t obj, int64_t *out, int *fits)
{
	const struct py_layout *L = pyctx_layout(c);
	if (L->int_ival >= 0 && value_py27_is_int(c, obj)) {
		int ok = 1;
		*out = (int64_t)py_rd64(c, obj + L->int_ival, &ok);
		*fits = 1;
		return ok ? 0 : -1;
	}
	struct value_int_parts v;
	if (value_int_parts(c, obj, &v) != 0)
		return -1;
	*fits = 0;
	*out = 0;
	if (v.ndigits > 3)
		return 0;
	uint32_t d[3] = {0, 0, 0};
	if (v.ndigits && mem_read(pyctx_mem(c), v.digits, d, (size_t)v.ndigits * 4) != 0)
		return -1;
	unsigned __int128 mag = 0;
	for (int64_t i = v.ndigits - 1; i >= 0; i--)
		mag = (mag << 30) | (d[i] & 0x3FFFFFFF);
	if (v.sign >= 0 && mag <= (unsigned __int128)INT64_MAX) {
		*out = (int64_t)mag;
		*fits = 1;
	} else if (v.sign < 0 && mag <= (unsigned __int128)INT64_MAX + 1) {
		*out = (int64_t)(-(mag - 1)) - 1;
		*fits = 1;
	}
	return 0;
}

/* ==== Instance attributes ==== */

/* Iterate a split-keys values array that has no dict object (3.11+
 * managed values, 3.13 inline values) in insertion order. */
static long split_values_iter(struct pyctx *c, raddr_t keys, raddr_t values,
			      value_attr_cb cb, void *arg, long *seen, int *stop)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	if (!keys || !values || L->keys_log2_index_bytes < 0)
		return -1;
	int64_t nentries = (int64_t)py_rd64(c, keys + L->keys_nentries, &ok);
	int log2_index = py_rd8(c, keys + L->keys_log2_index_bytes, &ok);
	int kind = py_rd8(c, keys + L->keys_kind, &ok);
	if (!ok || nentries < 0 || nentries > MAX_SPLIT_ENTRIES || log2_index > 16)
		return -1;
	raddr_t entries = keys + (uint64_t)L->keys_indices + ((uint64_t)1 << log2_index);
	int es = kind == 0 ? L->keyentry_size : L->unientry_size;
	int koff = kind == 0 ? 8 : 0;
	raddr_t vals = values + (uint64_t)L->values_values;
	raddr_t order;
	int64_t n;
	int step;
	if (L->values_capacity >= 0) {
		/* 3.13: {u8 capacity, size, embedded, valid}; order bytes follow
		 * values[capacity]. */
		int cap = py_rd8(c, values + L->values_capacity, &ok);
		n = py_rd8(c, values + L->values_size, &ok);
		order = vals + (uint64_t)cap * 8;
		step = 1;
	} else {
		/* 3.11/3.12: insertion-order bytes live *before* the array:
		 * count at [-2], order[k] at [-3-k] (_PyDictValues_AddToInsertionOrder) */
		n = py_rd8(c, values - 2, &ok);
		order = values - 3;
		step = -1;
	}
	if (!ok)
		return -1;
	for (int64_t i = 0; i < n && !*stop; i++) {
		int ix = py_rd8(c, order + (int64_t)step * i, &ok);
		if (!ok)
			return -1;
		if (ix >= nentries)
			continue;
		raddr_t key = py_rd64(c, entries + (uint64_t)ix * es + koff, &ok);
		raddr_t val = py_rd64(c, vals + (uint64_t)ix * 8, &ok);
		if (!ok)
			return -1;
		if (!key || !val)
			continue;
		char name[128];
		struct value_attr a = {
			.name_obj = key, .name = value_str(c, key, name, sizeof name),
			.value = val, .where = VALUE_ATTR_VALUES, .offset = -1,
		};
		(*seen)++;
		if (cb && cb(arg, &a))
			*stop = 1;
	}
	return 0;
}

struct dict_attr_arg {
	struct pyctx *c;
	value_attr_cb cb;
	void *arg;
	long *seen;
	int *stop;
};

static int dict_attr_cb(void *p, raddr_t key, raddr_t value)
{
	struct dict_attr_arg *d = p;
	char name[128];
	struct value_attr a = {
		.name_obj = key, .name = value_str(d->c, key, name, sizeof name),
		.value = value, .where = VALUE_ATTR_DICT, .offset = -1,
	};
	(*d->seen)++;
	if (d->cb && d->cb(d->arg, &a)) {
		*d->stop = 1;
		return 1;
	}
	return 0;
}

/* Object size for a negative tp_dictoffset: _PyObject_VAR_SIZE(tp, |ob_size|). */
static int64_t var_size(struct pyctx *c, raddr_t obj, const struct pytype *t, int *ok)
{
	int64_t n = (int64_t)py_rd64(c, obj + pyctx_layout(c)->ob_size, ok);
	if (n < 0)
		n = -n;
	int64_t sz = t->basicsize + n * t->itemsize;
	return (sz + 7) & ~(int64_t)7;
}

raddr_t value_instance_dict(struct pyctx *c, raddr_t obj, const struct pytype *t)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	raddr_t d = 0;
	if (!t && !(t = py_type_of_obj(c, obj)))
		return 0;
	if (L->managed_dict_off && (t->flags & PY_TPFLAGS_MANAGED_DICT)) {
		d = py_rd64(c, obj + (int64_t)L->managed_dict_off, &ok);
		/* 3.12 tags the word: low bit set means "values pointer - 1",
		 * i.e. no dict object (PyDictOrValues). */
		if (L->minor == 12 && (d & 1))
			return 0;
	} else if (t->dictoffset != 0) {
		int64_t off = t->dictoffset;
		if (off < 0)
			off += var_size(c, obj, t, &ok);
		if (off <= 0 || off > (1 << 24))
			return 0;
		d = py_rd64(c, obj + (uint64_t)off, &ok);
	}
	if (!ok || !d || (d & 7))
		return 0;
	const struct pytype *dt = py_type_of_obj(c, d);
	if (!dt || (dt->kind != PYK_DICT && dt->kind != PYK_ODICT))
		return 0;
	return d;
}

/* The managed values array of an instance without a dict object, or 0. */
static raddr_t managed_values(struct pyctx *c, raddr_t obj, const struct pytype *t)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	if (!L->managed_dict_off)
		return 0;
	if (L->minor == 13 || L->values_valid >= 0) {
		/* 3.13: inline values right after the object, valid byte says
		 * whether they still hold the attributes (cleared when a dict
		 * with a different layout took over). */
		if (!(t->flags & PY_TPFLAGS_INLINE_VALUES))
			return 0;
		raddr_t v = obj + (uint64_t)t->basicsize;
		if (py_rd8(c, v + L->values_valid, &ok) != 1 || !ok)
			return 0;
		return v;
	}
	if (!(t->flags & PY_TPFLAGS_MANAGED_DICT))
		return 0;
	if (L->managed_values_off) {
		/* 3.11: values pointer one word below the dict pointer */
		raddr_t v = py_rd64(c, obj + (int64_t)L->managed_values_off, &ok);
		return ok && !(v & 7) ? v : 0;
	}
	/* 3.12: PyDictOrValues with the low bit set holds values - 1 */
	raddr_t w = py_rd64(c, obj + (int64_t)L->managed_dict_off, &ok);
	if (!ok || !(w & 1))
		return 0;
	w += 1;
	return (w & 7) ? 0 : w;
}

/* Slot name str object for member i of heap type tt: ht_slots[i] when the
 * class has a __slots__ tuple matching the member table; else the str
 * whose UTF-8 the member name points into (PyUnicode_AsUTF8 of a compact
 * ASCII str returns its inline data). */
static raddr_t slot_name_obj(struct pyctx *c, const struct pytype *tt, int64_t i,
			     int64_t n, raddr_t name_ptr, const char *name)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	raddr_t slots = py_fld(c, tt->addr, L->ht_slots);
	if (slots && is_kind(c, slots, PYK_TUPLE) &&
	    (int64_t)py_rd64(c, slots + L->ob_size, &ok) == n) {
		raddr_t s = py_rd64(c, slots + L->tuple_items + (uint64_t)i * 8, &ok);
		if (ok && s)
			return s;
	}
	raddr_t cand = name_ptr - (uint64_t)L->str_ascii_size;
	char buf[128];
	int trunc = 0;
	if (is_kind(c, cand, PYK_STR) && py_str_utf8(c, cand, buf, sizeof buf, &trunc) >= 0 &&
	    !trunc && !strcmp(buf, name))
		return cand;
	return 0;
}

static void iter_slots(struct pyctx *c, raddr_t obj, const struct pytype *t,
		       value_attr_cb cb, void *arg, long *seen, int *stop)
{
	const struct py_layout *L = pyctx_layout(c);
	const struct pytype *tt = t;
	for (int depth = 0; tt && tt->is_heap && depth < MAX_BASE_CHAIN && !*stop; depth++) {
		int ok = 1;
		int64_t n = (int64_t)py_rd64(c, tt->addr + L->ob_size, &ok);
		const struct pytype *meta = py_type(c, tt->metatype);
		if (ok && meta && n > 0 && n <= MAX_SLOTS_PER_TYPE) {
			/* PyHeapType_GET_MEMBERS: right after the metatype's basicsize */
			raddr_t mp = tt->addr + (uint64_t)meta->basicsize;
			for (int64_t i = 0; i < n && !*stop; i++) {
				raddr_t m = mp + (uint64_t)i * L->member_size;
				raddr_t name_ptr = py_rd64(c, m + LY(c)->member_name, &ok);
				int type = (int)py_rd32(c, m + LY(c)->member_type, &ok);
				int64_t off = (int64_t)py_rd64(c, m + LY(c)->member_offset, &ok);
				if (!ok)
					break;
				if (type != PY_T_OBJECT && type != PY_T_OBJECT_EX)
					continue;
				if (off < 16 || (off & 7) || off + 8 > t->basicsize)
					continue;
				raddr_t v = py_rd64(c, obj + (uint64_t)off, &ok);
				if (!ok || !v)
					continue;   /* empty slot: AttributeError in Python */
				char name[128];
				if (mem_cstr(pyctx_mem(c), name_ptr, name, sizeof name) < 0)
					snprintf(name, sizeof name, "?+%lld", (long long)off);
				struct value_attr a = {
					.name_obj = slot_name_obj(c, tt, i, n, name_ptr, name),
					.name = name, .value = v, .where = VALUE_ATTR_SLOT,
					.offset = off,
				};
				(*seen)++;
				if (cb && cb(arg, &a))
					*stop = 1;
			}
		}
		tt = tt->base ? py_type(c, tt->base) : NULL;
	}
}

long value_iter_attrs(struct pyctx *c, raddr_t obj, const struct pytype *t,
		      value_attr_cb cb, void *arg)
{
	long seen = 0;
	int stop = 0;
	if (!t && !(t = py_type_of_obj(c, obj)))
		return -1;
	raddr_t d = value_instance_dict(c, obj, t);
	if (d) {
		struct dict_attr_arg da = {c, cb, arg, &seen, &stop};
		py_dict_iter(c, d, dict_attr_cb, &da);
	} else {
		raddr_t v = managed_values(c, obj, t);
		raddr_t keys = v ? py_fld(c, t->addr, pyctx_layout(c)->ht_cached_keys) : 0;
		if (v && keys)
			split_values_iter(c, keys, v, cb, arg, &seen, &stop);
	}
	if (!stop)
		iter_slots(c, obj, t, cb, arg, &seen, &stop);
	return seen;
}

int64_t value_container_len(struct pyctx *c, raddr_t obj, const struct pytype *t)
{
	const struct py_layout *Ly = pyctx_layout(c);
	uint64_t v;
	int32_t off;
	switch (t->kind) {
	case PYK_LIST: case PYK_TUPLE: case PYK_DEQUE:
		off = Ly->ob_size;
		break;
	case PYK_DICT: case PYK_ODICT:
		off = Ly->dict_used;
		break;
	case PYK_SET: case PYK_FROZENSET:
		off = Ly->set_used;
		break;
	default:
		return -1;
	}
	if (py_field(c, obj, off, &v) != 0 || (int64_t)v < 0 || v > (1ULL << 40))
		return -1;
	return (int64_t)v;
}

raddr_t value_item_buffer(struct pyctx *c, raddr_t addr, const struct pytype *t,
			  uint64_t size, uint64_t *len)
{
	const struct py_layout *Ly = pyctx_layout(c);
	int32_t off;
	uint64_t buf = 0;

	switch (t->kind) {
	case PYK_LIST: off = Ly->list_items; break;
	case PYK_DICT: case PYK_ODICT:   /* 2.7: its one entry table */
		off = Ly->dict_keys >= 0 ? Ly->dict_keys : Ly->dict27_table;
		break;
	case PYK_SET: case PYK_FROZENSET: off = Ly->set_table; break;
	case PYK_BYTEARRAY: off = Ly->bytearray_bytes; break;
	default: return 0;
	}
	if (off < 0 || py_field(c, addr, off, &buf) < 0 || !buf)
		return 0;
	/* getsizeof = the object + its buffer (+ the GC header): the rest is
	 * at least the buffer (it may overshoot by a header). */
	*len = size > (uint64_t)t->basicsize ? size - (uint64_t)t->basicsize : 1;
	return buf;
}

raddr_t value_item_slot(struct pyctx *c, raddr_t addr, const struct pytype *t,
			size_t index)
{
	const struct py_layout *Ly = pyctx_layout(c);
	uint64_t items = 0;

	if (t->kind == PYK_TUPLE && Ly->tuple_items >= 0)
		return addr + (raddr_t)Ly->tuple_items + 8 * (raddr_t)index;
	if (t->kind == PYK_LIST && Ly->list_items >= 0 &&
	    py_field(c, addr, Ly->list_items, &items) == 0 && items)
		return items + 8 * (raddr_t)index;
	return 0;
}

int value_gc_tracked(struct pyctx *c, raddr_t obj, const struct pytype *t)
{
	const struct py_layout *L = pyctx_layout(c);
	uint64_t next;
	if (!t->is_gc)
		return -1;
	if (t->kind == PYK_TYPE) {
		/* static types are not GC objects (type's tp_is_gc) */
		const struct pytype *tt = py_type(c, obj);
		if (!tt || !tt->is_heap)
			return -1;
	}
	if (mem_u64(pyctx_mem(c), obj - (uint64_t)L->gc_head_size, &next) != 0)
		return -1;
	return next != 0;
}
