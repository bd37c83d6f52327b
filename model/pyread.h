/* pyread — small object readers below both the frame decoder (frames.c)
 * and the renderer (value.c): a str's text, a small int's value, an
 * instance's attributes.  Split from value.c so that frames (thread names,
 * code names) does not include value, which renders frames, generators and
 * tracebacks with frames' decoder.  value.h includes this header.
 */
#ifndef HS_PYREAD_H
#define HS_PYREAD_H

#include <stddef.h>
#include <stdint.h>

#include "pyobj.h"

/* A str object's UTF-8 (truncated), or "?" when unreadable; returns buf. */
const char *value_str(struct pyctx *c, raddr_t str, char *buf, size_t cap);

/* Small ints: the value when it fits in int64 (*fits = 0 otherwise). */
int value_int64(struct pyctx *c, raddr_t obj, int64_t *out, int *fits);

/* An int's sign and digits (3.x PyLongObject; value.c prints them). */
struct value_int_parts {
	int sign;          /* -1, 0, +1 */
	int64_t ndigits;
	raddr_t digits;    /* uint32 digits, 30 bits each, least significant first */
};

int value_int_parts(struct pyctx *c, raddr_t obj, struct value_int_parts *v);
/* 2.7: is obj a PyIntObject (int, bool or a subclass: a C long)? */
int value_py27_is_int(struct pyctx *c, raddr_t obj);

/* ==== Instance attributes ==== */

/* Where an attribute was found. */
enum value_attr_where {
	VALUE_ATTR_DICT,    /* a real dict object (tp_dictoffset or managed dict pointer) */
	VALUE_ATTR_VALUES,  /* 3.11+ managed values array / 3.13 inline values (no dict object) */
	VALUE_ATTR_SLOT,    /* a __slots__ member (PyMemberDef T_OBJECT/T_OBJECT_EX) */
};

struct value_attr {
	raddr_t name_obj;   /* the attribute's name as a str object; 0 if not found
			     * (a slot whose name str could not be located) */
	const char *name;   /* UTF-8 name, valid during the callback only */
	raddr_t value;      /* the value object (never 0: empty slots are skipped) */
	enum value_attr_where where;
	int64_t offset;     /* VALUE_ATTR_SLOT: byte offset of the member in obj */
};

/* Return non-zero to stop the iteration. */
typedef int (*value_attr_cb)(void *arg, const struct value_attr *a);

/* Call cb for each instance attribute of obj (type t, may be NULL to look
 * it up): first the instance dict's entries in insertion order (vars(obj)
 * order; a real dict, else the managed values array / inline values), then
 * the filled __slots__ members of every Python class in the tp_base chain,
 * most derived first.  cb may be NULL (just count).  Returns the number of
 * attributes visited, -1 if obj's type is unreadable. */
long value_iter_attrs(struct pyctx *c, raddr_t obj, const struct pytype *t,
		      value_attr_cb cb, void *arg);

/* The instance's materialised __dict__ object, or 0 when it has none (no
 * dict slot, dict never created, or 3.11+ attributes kept as a managed
 * values array / 3.13 inline values).  For the graph's "__dict__" edge. */
raddr_t value_instance_dict(struct pyctx *c, raddr_t obj, const struct pytype *t);

/* Length of a container object (list, tuple, deque, dict, set…), -1 for
 * anything else. */
int64_t value_container_len(struct pyctx *c, raddr_t obj, const struct pytype *t);

/* The out-of-line buffer a container's items are read from (list items,
 * dict keys or 2.7 entry table, set table, bytearray bytes) and a length
 * that covers it (*len, from its getsizeof `size`), or 0.  Tuples, str and
 * bytes keep theirs inline. */
raddr_t value_item_buffer(struct pyctx *c, raddr_t addr, const struct pytype *t,
			  uint64_t size, uint64_t *len);
/* The address of the 8-byte slot item `index` of a tuple or list is read
 * from, or 0 (other kinds, no items array). */
raddr_t value_item_slot(struct pyctx *c, raddr_t addr, const struct pytype *t,
			size_t index);

/* GC tracking: PyGC_Head._gc_next (just before the object) is non-zero
 * while the object is on a GC list.  1 tracked, 0 not, -1 when obj is not
 * a GC object (or its header is unreadable). */
int value_gc_tracked(struct pyctx *c, raddr_t obj, const struct pytype *t);

#endif
