/* value — what an object *is*, in a few words, and what it holds.
 *
 * Three services over a pyctx, used by `heapscope show`, the TUI
 * inspector and the graph's referent walk:
 *
 *   value_repr()       a short, faithful rendering, like repr() cut to a
 *                      budget: exact for str/bytes/int/float/bool/None and
 *                      small containers; containers show their first items
 *                      and their length ("[1, 2, 3, … (1000000 items)]");
 *                      instances "<Cls x=1 y='a'>"; functions, code,
 *                      modules, classes, frames… a one-line description.
 *   value_fields()     the inspector's rows for one object: attributes,
 *                      items, dict entries, named C fields, each with the
 *                      address of the object it points to (so a script can
 *                      walk) or inline text for scalars.
 *   value_iter_attrs() instance attributes wherever CPython keeps them:
 *                      a real __dict__, a 3.11/3.12 managed dict or values
 *                      array, 3.13 inline values, __slots__ members.  The
 *                      graph builds its EDGE_ATTR/EDGE_SLOT edges with it.
 *
 * Nothing here trusts the target: every read goes through the memsrc and
 * every loop over target data is bounded (a 1M-item list costs the few
 * items that fit in the budget).  Garbage addresses give "<unreadable
 * 0x…>" text or an error return, never a crash.
 */
#ifndef HS_VALUE_H
#define HS_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "pyobj.h"
#include "pyread.h"

/* ==== Short values ==== */

struct value_opts {
	int max_items;     /* container items shown before "…"; 0 = default (8) */
	int max_str;       /* code points of a str/bytes shown; 0 = default (200) */
	int depth;         /* nesting of containers/instances; 0 = default (2) */
};

/* Render obj into buf (always NUL-terminated; cut on a UTF-8 boundary with
 * "…" when the budget or cap runs out).  Returns the number of bytes
 * written (excluding the NUL), or -1 when obj is not a readable object
 * (buf then holds "<unreadable 0x…>").  opts may be NULL (defaults). */
long value_repr_opts(struct pyctx *c, raddr_t obj, const struct value_opts *opts,
		     char *buf, size_t cap);
long value_repr(struct pyctx *c, raddr_t obj, char *buf, size_t cap);

/* Exact scalar decoders (also used by value_repr).  Each returns 0 on
 * success, -1 when obj is not readable as that kind. */

/* Decimal digits of an int (any size; bool gives "True"/"False").
 * Fails with -1 if cap is too small for the full number. */
int value_int_text(struct pyctx *c, raddr_t obj, char *buf, size_t cap);
/* repr(float): shortest text that round-trips ("0.1", "1e+300", "inf",
 * "-0.0", "1.0"). */
int value_float_text(double d, char *buf, size_t cap);
int value_float(struct pyctx *c, raddr_t obj, double *out);

/* ==== Fields (inspector rows) ==== */

enum value_field_kind {
	VF_ATTR,      /* .name: instance attribute (dict / managed values) */
	VF_SLOT,      /* .name: __slots__ member */
	VF_ITEM,      /* [i]: list/tuple/deque item, set member */
	VF_ENTRY,     /* [key]: dict entry; key_obj = key, value = value */
	VF_FIELD,     /* a named C-level field (co_filename, f_back, __self__…) */
	VF_LOCAL,     /* a frame's local / cell / free variable */
	VF_INFO,      /* a scalar fact with no object (length, line, state…) */
};

struct value_field {
	enum value_field_kind kind;
	char label[160];    /* ".x", "[3]", "['key']", "co_filename", "length" */
	raddr_t value;      /* object this field points to; 0 for VF_INFO / NULL */
	raddr_t key_obj;    /* VF_ENTRY key / VF_ATTR name str, else 0 */
	char text[256];     /* short value of `value` (value_repr), or the scalar */
};

/* Fill *out (malloc'd, free with free()) with the rows of obj: every
 * named row (VF_FIELD/ATTR/SLOT/LOCAL/INFO, same order on every call)
 * first, then item rows [first, first+max) (VF_ITEM list/tuple/set/deque
 * members, VF_ENTRY dict/module/class-dict entries); max 0 = 64.  *total
 * (may be NULL) receives named rows + all item rows, so a viewer can page.
 * Returns the number of rows in *out, or -1 if obj is unreadable. */
long value_fields(struct pyctx *c, raddr_t obj, size_t first, size_t max,
		  struct value_field **out, size_t *total);

/* ==== Small helpers shared with frames/graph/TUI ==== */

/* "module.qualname" of obj's type into buf (builtins without prefix). */
const char *value_type_name(struct pyctx *c, raddr_t obj, char *buf, size_t cap);

#endif
