/* value — short faithful values, instance attributes, inspector fields.
 * See value.h.
 *
 * Design: one renderer (r_obj) writes into a bounded output buffer
 * (struct out) and dispatches on the type's kind (pyobj's classify()).
 * Scalars are reproduced exactly as CPython's repr() writes them (string
 * quoting and escapes, shortest round-trip floats, arbitrary-size ints);
 * containers print their first items and, when cut, their length.  The
 * buffer never overflows: a write that does not fit is cut on a UTF-8
 * boundary and "…" is appended once; later writes are dropped.
 *
 * Offsets come from struct py_layout.  The few fields it does not carry
 * (exception, traceback, property, descriptor, range/slice/complex, deque
 * internals, PyMemberDef) are in `xoff`, one small table checked with gdb
 * against the pyenv libpythons; branches on L->minor are for semantics
 * only and say why.
 */
#include "value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

/* ==== Fields struct py_layout does not carry ====
 *
 * From `gdb -batch -ex 'output/d (long)&((T*)0)->f' libpython3.X.so` on
 * /root/.pyenv/versions/{3.8.18,…,3.13.0}.  Identical in 3.8–3.13 except
 * where two values are given (3.8–3.10 / 3.11+: 3.11 added
 * BaseException.__notes__ before traceback). */
#define EXC_DICT          16   /* PyBaseExceptionObject.dict */
#define EXC_ARGS          24   /* .args */
#define EXC_NOTES_311     32   /* .notes (3.11+) */
#define EXC_TRACEBACK(m)  ((m) >= 11 ? 40 : 32)
#define EXC_CONTEXT(m)    ((m) >= 11 ? 48 : 40)
#define EXC_CAUSE(m)      ((m) >= 11 ? 56 : 48)
#define TB_NEXT           16   /* PyTracebackObject.tb_next */
#define TB_FRAME          24   /* .tb_frame */
#define TB_LASTI          32   /* int, bytes (3.10+: instr*2 already) */
#define TB_LINENO         36   /* int; 3.12+: -1 until computed lazily */
#define PROP_GET          16   /* propertyobject.prop_get/set/del/doc */
#define PROP_SET          24
#define PROP_DEL          32
#define PROP_DOC          40
#define CM_CALLABLE       16   /* classmethod.cm_callable / staticmethod.sm_callable */
#define DESCR_TYPE        16   /* PyDescrObject.d_type */
#define DESCR_NAME        24   /* .d_name */
#define RANGE_START       16   /* rangeobject.start/stop/step/length (int objects) */
#define RANGE_STOP        24
#define RANGE_STEP        32
#define SLICE_START       16   /* PySliceObject.start/stop/step */
#define SLICE_STOP        24
#define SLICE_STEP        32
#define COMPLEX_CVAL      16   /* PyComplexObject.cval {double real, imag} */
#define DEQUE_LEFTBLOCK   24   /* dequeobject.leftblock */
#define DEQUE_LEFTINDEX   40   /* .leftindex */
#define DEQUE_MAXLEN      64   /* .maxlen (Py_ssize_t, -1 = unbounded) */
#define DEQUE_BLOCK_DATA  8    /* block.data[64] */
#define DEQUE_BLOCK_RIGHT 520  /* block.rightlink */
#define DEQUE_BLOCKLEN    64
#define CFUNC_ML_NAME     0    /* PyMethodDef.ml_name */
#define MEMBER_NAME       0    /* PyMemberDef.name/type/offset */
#define MEMBER_TYPE       8
#define MEMBER_OFFSET     16
#define T_OBJECT          6    /* structmember.h member types holding a PyObject* */
#define T_OBJECT_EX       16
#define GEN_RUNNING_38    24   /* 3.8/3.9 PyGenObject.gi_running (char) */
#define FRAME_STATE_310   108  /* 3.10 PyFrameObject.f_state (int8) */

/* Safety bounds on target data. */
#define MAX_SLOTS_PER_TYPE 4096
#define MAX_BASE_CHAIN     64
#define MAX_INT_DIGITS     2000   /* 30-bit digits converted exactly (~18000 decimal digits) */
#define MAX_SPLIT_ENTRIES  255    /* split keys: insertion order is a u8 array */

/* ==== Small readers (py_rd64/py_rd32/py_rd8/py_fld live in pyobj.c) ==== */

static enum py_kind kind_of(struct pyctx *c, raddr_t obj)
{
	const struct pytype *t = obj ? py_type_of_obj(c, obj) : NULL;
	return t ? t->kind : PYK__COUNT;
}

static int is_kind(struct pyctx *c, raddr_t obj, enum py_kind k)
{
	return obj && kind_of(c, obj) == k;
}

static int is_none(struct pyctx *c, raddr_t obj)
{
	const struct py_runtime_info *rt = pyctx_rt(c);
	if (!obj)
		return 0;
	if (rt->sym_none && obj == rt->sym_none)
		return 1;
	return kind_of(c, obj) == PYK_NONE;
}

const char *value_str(struct pyctx *c, raddr_t str, char *buf, size_t cap)
{
	if (!cap)
		return buf;
	if (!str || py_str_utf8(c, str, buf, cap, NULL) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

const char *value_type_name(struct pyctx *c, raddr_t obj, char *buf, size_t cap)
{
	const struct pytype *t = py_type_of_obj(c, obj);
	if (!t)
		snprintf(buf, cap, "?");
	else if (!strcmp(t->module, "builtins") || !strcmp(t->module, "?"))
		snprintf(buf, cap, "%s", t->qualname);
	else
		snprintf(buf, cap, "%s.%s", t->module, t->qualname);
	return buf;
}

/* A class written in Python (a heap type whose tp_name has no dot; C
 * heap types from PyType_FromSpec are named "module.Name"). */
static int python_class(const struct pytype *t)
{
	return t->is_heap && (!t->tp_name || !strchr(t->tp_name, '.'));
}

/* Last dotted component of tp_name, as _PyType_Name() gives it. */
static const char *short_tp_name(const struct pytype *t)
{
	const char *n = t->tp_name ? t->tp_name : t->qualname;
	const char *dot = strrchr(n, '.');
	return dot ? dot + 1 : n;
}

/* ==== Bounded output ==== */

struct out {
	char *buf;
	size_t cap, len;
	int full;   /* something was cut: "…" written, ignore further output */
};

#define ELLIPSIS "\xe2\x80\xa6"   /* U+2026 */

static void o_init(struct out *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->full = cap < 5;   /* room for at least one char + "…" + NUL */
	if (cap)
		buf[0] = 0;
}

static void o_put(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	/* Keep 3 bytes for the ellipsis and 1 for the NUL. */
	size_t room = o->cap - 4 - o->len;
	if (n <= room) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
		o->buf[o->len] = 0;
		return;
	}
	size_t k = room;
	/* Do not split a UTF-8 sequence: back up over continuation bytes. */
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	memcpy(o->buf + o->len, s, k);
	o->len += k;
	memcpy(o->buf + o->len, ELLIPSIS, 3);
	o->len += 3;
	o->buf[o->len] = 0;
	o->full = 1;
}

static void o_puts(struct out *o, const char *s) { o_put(o, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void o_printf(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o_put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ==== Unicode printability (str.isprintable per Python version) ==== */

/* Generated by running, on each pyenv Python 3.8–3.13,
 *   [cp for cp in range(0x110000) if chr(cp).isprintable()]
 * and merging into ranges, each tagged with the first 3.<minor> in which
 * it is printable (the property only grows with new Unicode versions;
 * checked: no code point stops being printable between 3.8 and 3.13). */
struct prange { uint32_t lo, hi; uint8_t minor; };
static const struct prange printable_ranges[] = {
	{0x20, 0x7e, 8}, {0xa1, 0xac, 8}, {0xae, 0x377, 8}, {0x37a, 0x37f, 8},
	{0x384, 0x38a, 8}, {0x38c, 0x38c, 8}, {0x38e, 0x3a1, 8}, {0x3a3, 0x52f, 8},
	{0x531, 0x556, 8}, {0x559, 0x58a, 8}, {0x58d, 0x58f, 8}, {0x591, 0x5c7, 8},
	{0x5d0, 0x5ea, 8}, {0x5ef, 0x5f4, 8}, {0x606, 0x61b, 8}, {0x61d, 0x61d, 11},
	{0x61e, 0x6dc, 8}, {0x6de, 0x70d, 8}, {0x710, 0x74a, 8}, {0x74d, 0x7b1, 8},
	{0x7c0, 0x7fa, 8}, {0x7fd, 0x82d, 8}, {0x830, 0x83e, 8}, {0x840, 0x85b, 8},
	{0x85e, 0x85e, 8}, {0x860, 0x86a, 8}, {0x870, 0x88e, 11}, {0x898, 0x89f, 11},
	{0x8a0, 0x8b4, 8}, {0x8b5, 0x8b5, 11}, {0x8b6, 0x8bd, 8}, {0x8be, 0x8c7, 9},
	{0x8c8, 0x8d2, 11}, {0x8d3, 0x8e1, 8}, {0x8e3, 0x983, 8}, {0x985, 0x98c, 8},
	{0x98f, 0x990, 8}, {0x993, 0x9a8, 8}, {0x9aa, 0x9b0, 8}, {0x9b2, 0x9b2, 8},
	{0x9b6, 0x9b9, 8}, {0x9bc, 0x9c4, 8}, {0x9c7, 0x9c8, 8}, {0x9cb, 0x9ce, 8},
	{0x9d7, 0x9d7, 8}, {0x9dc, 0x9dd, 8}, {0x9df, 0x9e3, 8}, {0x9e6, 0x9fe, 8},
	{0xa01, 0xa03, 8}, {0xa05, 0xa0a, 8}, {0xa0f, 0xa10, 8}, {0xa13, 0xa28, 8},
	{0xa2a, 0xa30, 8}, {0xa32, 0xa33, 8}, {0xa35, 0xa36, 8}, {0xa38, 0xa39, 8},
	{0xa3c, 0xa3c, 8}, {0xa3e, 0xa42, 8}, {0xa47, 0xa48, 8}, {0xa4b, 0xa4d, 8},
	{0xa51, 0xa51, 8}, {0xa59, 0xa5c, 8}, {0xa5e, 0xa5e, 8}, {0xa66, 0xa76, 8},
	{0xa81, 0xa83, 8}, {0xa85, 0xa8d, 8}, {0xa8f, 0xa91, 8}, {0xa93, 0xaa8, 8},
	{0xaaa, 0xab0, 8}, {0xab2, 0xab3, 8}, {0xab5, 0xab9, 8}, {0xabc, 0xac5, 8},
	{0xac7, 0xac9, 8}, {0xacb, 0xacd, 8}, {0xad0, 0xad0, 8}, {0xae0, 0xae3, 8},
	{0xae6, 0xaf1, 8}, {0xaf9, 0xaff, 8}, {0xb01, 0xb03, 8}, {0xb05, 0xb0c, 8},
	{0xb0f, 0xb10, 8}, {0xb13, 0xb28, 8}, {0xb2a, 0xb30, 8}, {0xb32, 0xb33, 8},
	{0xb35, 0xb39, 8}, {0xb3c, 0xb44, 8}, {0xb47, 0xb48, 8}, {0xb4b, 0xb4d, 8},
	{0xb55, 0xb55, 9}, {0xb56, 0xb57, 8}, {0xb5c, 0xb5d, 8}, {0xb5f, 0xb63, 8},
	{0xb66, 0xb77, 8}, {0xb82, 0xb83, 8}, {0xb85, 0xb8a, 8}, {0xb8e, 0xb90, 8},
	{0xb92, 0xb95, 8}, {0xb99, 0xb9a, 8}, {0xb9c, 0xb9c, 8}, {0xb9e, 0xb9f, 8},
	{0xba3, 0xba4, 8}, {0xba8, 0xbaa, 8}, {0xbae, 0xbb9, 8}, {0xbbe, 0xbc2, 8},
	{0xbc6, 0xbc8, 8}, {0xbca, 0xbcd, 8}, {0xbd0, 0xbd0, 8}, {0xbd7, 0xbd7, 8},
	{0xbe6, 0xbfa, 8}, {0xc00, 0xc0c, 8}, {0xc0e, 0xc10, 8}, {0xc12, 0xc28, 8},
	{0xc2a, 0xc39, 8}, {0xc3c, 0xc3c, 11}, {0xc3d, 0xc44, 8}, {0xc46, 0xc48, 8},
	{0xc4a, 0xc4d, 8}, {0xc55, 0xc56, 8}, {0xc58, 0xc5a, 8}, {0xc5d, 0xc5d, 11},
	{0xc60, 0xc63, 8}, {0xc66, 0xc6f, 8}, {0xc77, 0xc8c, 8}, {0xc8e, 0xc90, 8},
	{0xc92, 0xca8, 8}, {0xcaa, 0xcb3, 8}, {0xcb5, 0xcb9, 8}, {0xcbc, 0xcc4, 8},
	{0xcc6, 0xcc8, 8}, {0xcca, 0xccd, 8}, {0xcd5, 0xcd6, 8}, {0xcdd, 0xcdd, 11},
	{0xcde, 0xcde, 8}, {0xce0, 0xce3, 8}, {0xce6, 0xcef, 8}, {0xcf1, 0xcf2, 8},
	{0xcf3, 0xcf3, 12}, {0xd00, 0xd03, 8}, {0xd04, 0xd04, 9}, {0xd05, 0xd0c, 8},
	{0xd0e, 0xd10, 8}, {0xd12, 0xd44, 8}, {0xd46, 0xd48, 8}, {0xd4a, 0xd4f, 8},
	{0xd54, 0xd63, 8}, {0xd66, 0xd7f, 8}, {0xd81, 0xd81, 9}, {0xd82, 0xd83, 8},
	{0xd85, 0xd96, 8}, {0xd9a, 0xdb1, 8}, {0xdb3, 0xdbb, 8}, {0xdbd, 0xdbd, 8},
	{0xdc0, 0xdc6, 8}, {0xdca, 0xdca, 8}, {0xdcf, 0xdd4, 8}, {0xdd6, 0xdd6, 8},
	{0xdd8, 0xddf, 8}, {0xde6, 0xdef, 8}, {0xdf2, 0xdf4, 8}, {0xe01, 0xe3a, 8},
	{0xe3f, 0xe5b, 8}, {0xe81, 0xe82, 8}, {0xe84, 0xe84, 8}, {0xe86, 0xe8a, 8},
	{0xe8c, 0xea3, 8}, {0xea5, 0xea5, 8}, {0xea7, 0xebd, 8}, {0xec0, 0xec4, 8},
	{0xec6, 0xec6, 8}, {0xec8, 0xecd, 8}, {0xece, 0xece, 12}, {0xed0, 0xed9, 8},
	{0xedc, 0xedf, 8}, {0xf00, 0xf47, 8}, {0xf49, 0xf6c, 8}, {0xf71, 0xf97, 8},
	{0xf99, 0xfbc, 8}, {0xfbe, 0xfcc, 8}, {0xfce, 0xfda, 8}, {0x1000, 0x10c5, 8},
	{0x10c7, 0x10c7, 8}, {0x10cd, 0x10cd, 8}, {0x10d0, 0x1248, 8}, {0x124a, 0x124d, 8},
	{0x1250, 0x1256, 8}, {0x1258, 0x1258, 8}, {0x125a, 0x125d, 8}, {0x1260, 0x1288, 8},
	{0x128a, 0x128d, 8}, {0x1290, 0x12b0, 8}, {0x12b2, 0x12b5, 8}, {0x12b8, 0x12be, 8},
	{0x12c0, 0x12c0, 8}, {0x12c2, 0x12c5, 8}, {0x12c8, 0x12d6, 8}, {0x12d8, 0x1310, 8},
	{0x1312, 0x1315, 8}, {0x1318, 0x135a, 8}, {0x135d, 0x137c, 8}, {0x1380, 0x1399, 8},
	{0x13a0, 0x13f5, 8}, {0x13f8, 0x13fd, 8}, {0x1400, 0x167f, 8}, {0x1681, 0x169c, 8},
	{0x16a0, 0x16f8, 8}, {0x1700, 0x170c, 8}, {0x170d, 0x170d, 11}, {0x170e, 0x1714, 8},
	{0x1715, 0x1715, 11}, {0x171f, 0x171f, 11}, {0x1720, 0x1736, 8}, {0x1740, 0x1753, 8},
	{0x1760, 0x176c, 8}, {0x176e, 0x1770, 8}, {0x1772, 0x1773, 8}, {0x1780, 0x17dd, 8},
	{0x17e0, 0x17e9, 8}, {0x17f0, 0x17f9, 8}, {0x1800, 0x180d, 8}, {0x180f, 0x180f, 11},
	{0x1810, 0x1819, 8}, {0x1820, 0x1878, 8}, {0x1880, 0x18aa, 8}, {0x18b0, 0x18f5, 8},
	{0x1900, 0x191e, 8}, {0x1920, 0x192b, 8}, {0x1930, 0x193b, 8}, {0x1940, 0x1940, 8},
	{0x1944, 0x196d, 8}, {0x1970, 0x1974, 8}, {0x1980, 0x19ab, 8}, {0x19b0, 0x19c9, 8},
	{0x19d0, 0x19da, 8}, {0x19de, 0x1a1b, 8}, {0x1a1e, 0x1a5e, 8}, {0x1a60, 0x1a7c, 8},
	{0x1a7f, 0x1a89, 8}, {0x1a90, 0x1a99, 8}, {0x1aa0, 0x1aad, 8}, {0x1ab0, 0x1abe, 8},
	{0x1abf, 0x1ac0, 9}, {0x1ac1, 0x1ace, 11}, {0x1b00, 0x1b4b, 8}, {0x1b4c, 0x1b4c, 11},
	{0x1b50, 0x1b7c, 8}, {0x1b7d, 0x1b7e, 11}, {0x1b80, 0x1bf3, 8}, {0x1bfc, 0x1c37, 8},
	{0x1c3b, 0x1c49, 8}, {0x1c4d, 0x1c88, 8}, {0x1c90, 0x1cba, 8}, {0x1cbd, 0x1cc7, 8},
	{0x1cd0, 0x1cfa, 8}, {0x1d00, 0x1df9, 8}, {0x1dfa, 0x1dfa, 11}, {0x1dfb, 0x1f15, 8},
	{0x1f18, 0x1f1d, 8}, {0x1f20, 0x1f45, 8}, {0x1f48, 0x1f4d, 8}, {0x1f50, 0x1f57, 8},
	{0x1f59, 0x1f59, 8}, {0x1f5b, 0x1f5b, 8}, {0x1f5d, 0x1f5d, 8}, {0x1f5f, 0x1f7d, 8},
	{0x1f80, 0x1fb4, 8}, {0x1fb6, 0x1fc4, 8}, {0x1fc6, 0x1fd3, 8}, {0x1fd6, 0x1fdb, 8},
	{0x1fdd, 0x1fef, 8}, {0x1ff2, 0x1ff4, 8}, {0x1ff6, 0x1ffe, 8}, {0x2010, 0x2027, 8},
	{0x2030, 0x205e, 8}, {0x2070, 0x2071, 8}, {0x2074, 0x208e, 8}, {0x2090, 0x209c, 8},
	{0x20a0, 0x20bf, 8}, {0x20c0, 0x20c0, 11}, {0x20d0, 0x20f0, 8}, {0x2100, 0x218b, 8},
	{0x2190, 0x2426, 8}, {0x2440, 0x244a, 8}, {0x2460, 0x2b73, 8}, {0x2b76, 0x2b95, 8},
	{0x2b97, 0x2b97, 9}, {0x2b98, 0x2c2e, 8}, {0x2c2f, 0x2c2f, 11}, {0x2c30, 0x2c5e, 8},
	{0x2c5f, 0x2c5f, 11}, {0x2c60, 0x2cf3, 8}, {0x2cf9, 0x2d25, 8}, {0x2d27, 0x2d27, 8},
	{0x2d2d, 0x2d2d, 8}, {0x2d30, 0x2d67, 8}, {0x2d6f, 0x2d70, 8}, {0x2d7f, 0x2d96, 8},
	{0x2da0, 0x2da6, 8}, {0x2da8, 0x2dae, 8}, {0x2db0, 0x2db6, 8}, {0x2db8, 0x2dbe, 8},
	{0x2dc0, 0x2dc6, 8}, {0x2dc8, 0x2dce, 8}, {0x2dd0, 0x2dd6, 8}, {0x2dd8, 0x2dde, 8},
	{0x2de0, 0x2e4f, 8}, {0x2e50, 0x2e52, 9}, {0x2e53, 0x2e5d, 11}, {0x2e80, 0x2e99, 8},
	{0x2e9b, 0x2ef3, 8}, {0x2f00, 0x2fd5, 8}, {0x2ff0, 0x2ffb, 8}, {0x2ffc, 0x2fff, 13},
	{0x3001, 0x303f, 8}, {0x3041, 0x3096, 8}, {0x3099, 0x30ff, 8}, {0x3105, 0x312f, 8},
	{0x3131, 0x318e, 8}, {0x3190, 0x31ba, 8}, {0x31bb, 0x31bf, 9}, {0x31c0, 0x31e3, 8},
	{0x31ef, 0x31ef, 13}, {0x31f0, 0x321e, 8}, {0x3220, 0x4db5, 8}, {0x4db6, 0x4dbf, 9},
	{0x4dc0, 0x9fef, 8}, {0x9ff0, 0x9ffc, 9}, {0x9ffd, 0x9fff, 11}, {0xa000, 0xa48c, 8},
	{0xa490, 0xa4c6, 8}, {0xa4d0, 0xa62b, 8}, {0xa640, 0xa6f7, 8}, {0xa700, 0xa7bf, 8},
	{0xa7c0, 0xa7c1, 11}, {0xa7c2, 0xa7c6, 8}, {0xa7c7, 0xa7ca, 9}, {0xa7d0, 0xa7d1, 11},
	{0xa7d3, 0xa7d3, 11}, {0xa7d5, 0xa7d9, 11}, {0xa7f2, 0xa7f4, 11}, {0xa7f5, 0xa7f6, 9},
	{0xa7f7, 0xa82b, 8}, {0xa82c, 0xa82c, 9}, {0xa830, 0xa839, 8}, {0xa840, 0xa877, 8},
	{0xa880, 0xa8c5, 8}, {0xa8ce, 0xa8d9, 8}, {0xa8e0, 0xa953, 8}, {0xa95f, 0xa97c, 8},
	{0xa980, 0xa9cd, 8}, {0xa9cf, 0xa9d9, 8}, {0xa9de, 0xa9fe, 8}, {0xaa00, 0xaa36, 8},
	{0xaa40, 0xaa4d, 8}, {0xaa50, 0xaa59, 8}, {0xaa5c, 0xaac2, 8}, {0xaadb, 0xaaf6, 8},
	{0xab01, 0xab06, 8}, {0xab09, 0xab0e, 8}, {0xab11, 0xab16, 8}, {0xab20, 0xab26, 8},
	{0xab28, 0xab2e, 8}, {0xab30, 0xab67, 8}, {0xab68, 0xab6b, 9}, {0xab70, 0xabed, 8},
	{0xabf0, 0xabf9, 8}, {0xac00, 0xd7a3, 8}, {0xd7b0, 0xd7c6, 8}, {0xd7cb, 0xd7fb, 8},
	{0xf900, 0xfa6d, 8}, {0xfa70, 0xfad9, 8}, {0xfb00, 0xfb06, 8}, {0xfb13, 0xfb17, 8},
	{0xfb1d, 0xfb36, 8}, {0xfb38, 0xfb3c, 8}, {0xfb3e, 0xfb3e, 8}, {0xfb40, 0xfb41, 8},
	{0xfb43, 0xfb44, 8}, {0xfb46, 0xfbc1, 8}, {0xfbc2, 0xfbc2, 11}, {0xfbd3, 0xfd3f, 8},
	{0xfd40, 0xfd4f, 11}, {0xfd50, 0xfd8f, 8}, {0xfd92, 0xfdc7, 8}, {0xfdcf, 0xfdcf, 11},
	{0xfdf0, 0xfdfd, 8}, {0xfdfe, 0xfdff, 11}, {0xfe00, 0xfe19, 8}, {0xfe20, 0xfe52, 8},
	{0xfe54, 0xfe66, 8}, {0xfe68, 0xfe6b, 8}, {0xfe70, 0xfe74, 8}, {0xfe76, 0xfefc, 8},
	{0xff01, 0xffbe, 8}, {0xffc2, 0xffc7, 8}, {0xffca, 0xffcf, 8}, {0xffd2, 0xffd7, 8},
	{0xffda, 0xffdc, 8}, {0xffe0, 0xffe6, 8}, {0xffe8, 0xffee, 8}, {0xfffc, 0xfffd, 8},
	{0x10000, 0x1000b, 8}, {0x1000d, 0x10026, 8}, {0x10028, 0x1003a, 8}, {0x1003c, 0x1003d, 8},
	{0x1003f, 0x1004d, 8}, {0x10050, 0x1005d, 8}, {0x10080, 0x100fa, 8}, {0x10100, 0x10102, 8},
	{0x10107, 0x10133, 8}, {0x10137, 0x1018e, 8}, {0x10190, 0x1019b, 8}, {0x1019c, 0x1019c, 9},
	{0x101a0, 0x101a0, 8}, {0x101d0, 0x101fd, 8}, {0x10280, 0x1029c, 8}, {0x102a0, 0x102d0, 8},
	{0x102e0, 0x102fb, 8}, {0x10300, 0x10323, 8}, {0x1032d, 0x1034a, 8}, {0x10350, 0x1037a, 8},
	{0x10380, 0x1039d, 8}, {0x1039f, 0x103c3, 8}, {0x103c8, 0x103d5, 8}, {0x10400, 0x1049d, 8},
	{0x104a0, 0x104a9, 8}, {0x104b0, 0x104d3, 8}, {0x104d8, 0x104fb, 8}, {0x10500, 0x10527, 8},
	{0x10530, 0x10563, 8}, {0x1056f, 0x1056f, 8}, {0x10570, 0x1057a, 11}, {0x1057c, 0x1058a, 11},
	{0x1058c, 0x10592, 11}, {0x10594, 0x10595, 11}, {0x10597, 0x105a1, 11}, {0x105a3, 0x105b1, 11},
	{0x105b3, 0x105b9, 11}, {0x105bb, 0x105bc, 11}, {0x10600, 0x10736, 8}, {0x10740, 0x10755, 8},
	{0x10760, 0x10767, 8}, {0x10780, 0x10785, 11}, {0x10787, 0x107b0, 11}, {0x107b2, 0x107ba, 11},
	{0x10800, 0x10805, 8}, {0x10808, 0x10808, 8}, {0x1080a, 0x10835, 8}, {0x10837, 0x10838, 8},
	{0x1083c, 0x1083c, 8}, {0x1083f, 0x10855, 8}, {0x10857, 0x1089e, 8}, {0x108a7, 0x108af, 8},
	{0x108e0, 0x108f2, 8}, {0x108f4, 0x108f5, 8}, {0x108fb, 0x1091b, 8}, {0x1091f, 0x10939, 8},
	{0x1093f, 0x1093f, 8}, {0x10980, 0x109b7, 8}, {0x109bc, 0x109cf, 8}, {0x109d2, 0x10a03, 8},
	{0x10a05, 0x10a06, 8}, {0x10a0c, 0x10a13, 8}, {0x10a15, 0x10a17, 8}, {0x10a19, 0x10a35, 8},
	{0x10a38, 0x10a3a, 8}, {0x10a3f, 0x10a48, 8}, {0x10a50, 0x10a58, 8}, {0x10a60, 0x10a9f, 8},
	{0x10ac0, 0x10ae6, 8}, {0x10aeb, 0x10af6, 8}, {0x10b00, 0x10b35, 8}, {0x10b39, 0x10b55, 8},
	{0x10b58, 0x10b72, 8}, {0x10b78, 0x10b91, 8}, {0x10b99, 0x10b9c, 8}, {0x10ba9, 0x10baf, 8},
	{0x10c00, 0x10c48, 8}, {0x10c80, 0x10cb2, 8}, {0x10cc0, 0x10cf2, 8}, {0x10cfa, 0x10d27, 8},
	{0x10d30, 0x10d39, 8}, {0x10e60, 0x10e7e, 8}, {0x10e80, 0x10ea9, 9}, {0x10eab, 0x10ead, 9},
	{0x10eb0, 0x10eb1, 9}, {0x10efd, 0x10eff, 12}, {0x10f00, 0x10f27, 8}, {0x10f30, 0x10f59, 8},
	{0x10f70, 0x10f89, 11}, {0x10fb0, 0x10fcb, 9}, {0x10fe0, 0x10ff6, 8}, {0x11000, 0x1104d, 8},
	{0x11052, 0x1106f, 8}, {0x11070, 0x11075, 11}, {0x1107f, 0x110bc, 8}, {0x110be, 0x110c1, 8},
	{0x110c2, 0x110c2, 11}, {0x110d0, 0x110e8, 8}, {0x110f0, 0x110f9, 8}, {0x11100, 0x11134, 8},
	{0x11136, 0x11146, 8}, {0x11147, 0x11147, 9}, {0x11150, 0x11176, 8}, {0x11180, 0x111cd, 8},
	{0x111ce, 0x111cf, 9}, {0x111d0, 0x111df, 8}, {0x111e1, 0x111f4, 8}, {0x11200, 0x11211, 8},
	{0x11213, 0x1123e, 8}, {0x1123f, 0x11241, 12}, {0x11280, 0x11286, 8}, {0x11288, 0x11288, 8},
	{0x1128a, 0x1128d, 8}, {0x1128f, 0x1129d, 8}, {0x1129f, 0x112a9, 8}, {0x112b0, 0x112ea, 8},
	{0x112f0, 0x112f9, 8}, {0x11300, 0x11303, 8}, {0x11305, 0x1130c, 8}, {0x1130f, 0x11310, 8},
	{0x11313, 0x11328, 8}, {0x1132a, 0x11330, 8}, {0x11332, 0x11333, 8}, {0x11335, 0x11339, 8},
	{0x1133b, 0x11344, 8}, {0x11347, 0x11348, 8}, {0x1134b, 0x1134d, 8}, {0x11350, 0x11350, 8},
	{0x11357, 0x11357, 8}, {0x1135d, 0x11363, 8}, {0x11366, 0x1136c, 8}, {0x11370, 0x11374, 8},
	{0x11400, 0x11459, 8}, {0x1145a, 0x1145a, 9}, {0x1145b, 0x1145b, 8}, {0x1145d, 0x1145f, 8},
	{0x11460, 0x11461, 9}, {0x11480, 0x114c7, 8}, {0x114d0, 0x114d9, 8}, {0x11580, 0x115b5, 8},
	{0x115b8, 0x115dd, 8}, {0x11600, 0x11644, 8}, {0x11650, 0x11659, 8}, {0x11660, 0x1166c, 8},
	{0x11680, 0x116b8, 8}, {0x116b9, 0x116b9, 11}, {0x116c0, 0x116c9, 8}, {0x11700, 0x1171a, 8},
	{0x1171d, 0x1172b, 8}, {0x11730, 0x1173f, 8}, {0x11740, 0x11746, 11}, {0x11800, 0x1183b, 8},
	{0x118a0, 0x118f2, 8}, {0x118ff, 0x118ff, 8}, {0x11900, 0x11906, 9}, {0x11909, 0x11909, 9},
	{0x1190c, 0x11913, 9}, {0x11915, 0x11916, 9}, {0x11918, 0x11935, 9}, {0x11937, 0x11938, 9},
	{0x1193b, 0x11946, 9}, {0x11950, 0x11959, 9}, {0x119a0, 0x119a7, 8}, {0x119aa, 0x119d7, 8},
	{0x119da, 0x119e4, 8}, {0x11a00, 0x11a47, 8}, {0x11a50, 0x11aa2, 8}, {0x11ab0, 0x11abf, 11},
	{0x11ac0, 0x11af8, 8}, {0x11b00, 0x11b09, 12}, {0x11c00, 0x11c08, 8}, {0x11c0a, 0x11c36, 8},
	{0x11c38, 0x11c45, 8}, {0x11c50, 0x11c6c, 8}, {0x11c70, 0x11c8f, 8}, {0x11c92, 0x11ca7, 8},
	{0x11ca9, 0x11cb6, 8}, {0x11d00, 0x11d06, 8}, {0x11d08, 0x11d09, 8}, {0x11d0b, 0x11d36, 8},
	{0x11d3a, 0x11d3a, 8}, {0x11d3c, 0x11d3d, 8}, {0x11d3f, 0x11d47, 8}, {0x11d50, 0x11d59, 8},
	{0x11d60, 0x11d65, 8}, {0x11d67, 0x11d68, 8}, {0x11d6a, 0x11d8e, 8}, {0x11d90, 0x11d91, 8},
	{0x11d93, 0x11d98, 8}, {0x11da0, 0x11da9, 8}, {0x11ee0, 0x11ef8, 8}, {0x11f00, 0x11f10, 12},
	{0x11f12, 0x11f3a, 12}, {0x11f3e, 0x11f59, 12}, {0x11fb0, 0x11fb0, 9}, {0x11fc0, 0x11ff1, 8},
	{0x11fff, 0x12399, 8}, {0x12400, 0x1246e, 8}, {0x12470, 0x12474, 8}, {0x12480, 0x12543, 8},
	{0x12f90, 0x12ff2, 11}, {0x13000, 0x1342e, 8}, {0x1342f, 0x1342f, 12}, {0x13440, 0x13455, 12},
	{0x14400, 0x14646, 8}, {0x16800, 0x16a38, 8}, {0x16a40, 0x16a5e, 8}, {0x16a60, 0x16a69, 8},
	{0x16a6e, 0x16a6f, 8}, {0x16a70, 0x16abe, 11}, {0x16ac0, 0x16ac9, 11}, {0x16ad0, 0x16aed, 8},
	{0x16af0, 0x16af5, 8}, {0x16b00, 0x16b45, 8}, {0x16b50, 0x16b59, 8}, {0x16b5b, 0x16b61, 8},
	{0x16b63, 0x16b77, 8}, {0x16b7d, 0x16b8f, 8}, {0x16e40, 0x16e9a, 8}, {0x16f00, 0x16f4a, 8},
	{0x16f4f, 0x16f87, 8}, {0x16f8f, 0x16f9f, 8}, {0x16fe0, 0x16fe3, 8}, {0x16fe4, 0x16fe4, 9},
	{0x16ff0, 0x16ff1, 9}, {0x17000, 0x187f7, 8}, {0x18800, 0x18af2, 8}, {0x18af3, 0x18cd5, 9},
	{0x18d00, 0x18d08, 9}, {0x1aff0, 0x1aff3, 11}, {0x1aff5, 0x1affb, 11}, {0x1affd, 0x1affe, 11},
	{0x1b000, 0x1b11e, 8}, {0x1b11f, 0x1b122, 11}, {0x1b132, 0x1b132, 12}, {0x1b150, 0x1b152, 8},
	{0x1b155, 0x1b155, 12}, {0x1b164, 0x1b167, 8}, {0x1b170, 0x1b2fb, 8}, {0x1bc00, 0x1bc6a, 8},
	{0x1bc70, 0x1bc7c, 8}, {0x1bc80, 0x1bc88, 8}, {0x1bc90, 0x1bc99, 8}, {0x1bc9c, 0x1bc9f, 8},
	{0x1cf00, 0x1cf2d, 11}, {0x1cf30, 0x1cf46, 11}, {0x1cf50, 0x1cfc3, 11}, {0x1d000, 0x1d0f5, 8},
	{0x1d100, 0x1d126, 8}, {0x1d129, 0x1d172, 8}, {0x1d17b, 0x1d1e8, 8}, {0x1d1e9, 0x1d1ea, 11},
	{0x1d200, 0x1d245, 8}, {0x1d2c0, 0x1d2d3, 12}, {0x1d2e0, 0x1d2f3, 8}, {0x1d300, 0x1d356, 8},
	{0x1d360, 0x1d378, 8}, {0x1d400, 0x1d454, 8}, {0x1d456, 0x1d49c, 8}, {0x1d49e, 0x1d49f, 8},
	{0x1d4a2, 0x1d4a2, 8}, {0x1d4a5, 0x1d4a6, 8}, {0x1d4a9, 0x1d4ac, 8}, {0x1d4ae, 0x1d4b9, 8},
	{0x1d4bb, 0x1d4bb, 8}, {0x1d4bd, 0x1d4c3, 8}, {0x1d4c5, 0x1d505, 8}, {0x1d507, 0x1d50a, 8},
	{0x1d50d, 0x1d514, 8}, {0x1d516, 0x1d51c, 8}, {0x1d51e, 0x1d539, 8}, {0x1d53b, 0x1d53e, 8},
	{0x1d540, 0x1d544, 8}, {0x1d546, 0x1d546, 8}, {0x1d54a, 0x1d550, 8}, {0x1d552, 0x1d6a5, 8},
	{0x1d6a8, 0x1d7cb, 8}, {0x1d7ce, 0x1da8b, 8}, {0x1da9b, 0x1da9f, 8}, {0x1daa1, 0x1daaf, 8},
	{0x1df00, 0x1df1e, 11}, {0x1df25, 0x1df2a, 12}, {0x1e000, 0x1e006, 8}, {0x1e008, 0x1e018, 8},
	{0x1e01b, 0x1e021, 8}, {0x1e023, 0x1e024, 8}, {0x1e026, 0x1e02a, 8}, {0x1e030, 0x1e06d, 12},
	{0x1e08f, 0x1e08f, 12}, {0x1e100, 0x1e12c, 8}, {0x1e130, 0x1e13d, 8}, {0x1e140, 0x1e149, 8},
	{0x1e14e, 0x1e14f, 8}, {0x1e290, 0x1e2ae, 11}, {0x1e2c0, 0x1e2f9, 8}, {0x1e2ff, 0x1e2ff, 8},
	{0x1e4d0, 0x1e4f9, 12}, {0x1e7e0, 0x1e7e6, 11}, {0x1e7e8, 0x1e7eb, 11}, {0x1e7ed, 0x1e7ee, 11},
	{0x1e7f0, 0x1e7fe, 11}, {0x1e800, 0x1e8c4, 8}, {0x1e8c7, 0x1e8d6, 8}, {0x1e900, 0x1e94b, 8},
	{0x1e950, 0x1e959, 8}, {0x1e95e, 0x1e95f, 8}, {0x1ec71, 0x1ecb4, 8}, {0x1ed01, 0x1ed3d, 8},
	{0x1ee00, 0x1ee03, 8}, {0x1ee05, 0x1ee1f, 8}, {0x1ee21, 0x1ee22, 8}, {0x1ee24, 0x1ee24, 8},
	{0x1ee27, 0x1ee27, 8}, {0x1ee29, 0x1ee32, 8}, {0x1ee34, 0x1ee37, 8}, {0x1ee39, 0x1ee39, 8},
	{0x1ee3b, 0x1ee3b, 8}, {0x1ee42, 0x1ee42, 8}, {0x1ee47, 0x1ee47, 8}, {0x1ee49, 0x1ee49, 8},
	{0x1ee4b, 0x1ee4b, 8}, {0x1ee4d, 0x1ee4f, 8}, {0x1ee51, 0x1ee52, 8}, {0x1ee54, 0x1ee54, 8},
	{0x1ee57, 0x1ee57, 8}, {0x1ee59, 0x1ee59, 8}, {0x1ee5b, 0x1ee5b, 8}, {0x1ee5d, 0x1ee5d, 8},
	{0x1ee5f, 0x1ee5f, 8}, {0x1ee61, 0x1ee62, 8}, {0x1ee64, 0x1ee64, 8}, {0x1ee67, 0x1ee6a, 8},
	{0x1ee6c, 0x1ee72, 8}, {0x1ee74, 0x1ee77, 8}, {0x1ee79, 0x1ee7c, 8}, {0x1ee7e, 0x1ee7e, 8},
	{0x1ee80, 0x1ee89, 8}, {0x1ee8b, 0x1ee9b, 8}, {0x1eea1, 0x1eea3, 8}, {0x1eea5, 0x1eea9, 8},
	{0x1eeab, 0x1eebb, 8}, {0x1eef0, 0x1eef1, 8}, {0x1f000, 0x1f02b, 8}, {0x1f030, 0x1f093, 8},
	{0x1f0a0, 0x1f0ae, 8}, {0x1f0b1, 0x1f0bf, 8}, {0x1f0c1, 0x1f0cf, 8}, {0x1f0d1, 0x1f0f5, 8},
	{0x1f100, 0x1f10c, 8}, {0x1f10d, 0x1f10f, 9}, {0x1f110, 0x1f16c, 8}, {0x1f16d, 0x1f16f, 9},
	{0x1f170, 0x1f1ac, 8}, {0x1f1ad, 0x1f1ad, 9}, {0x1f1e6, 0x1f202, 8}, {0x1f210, 0x1f23b, 8},
	{0x1f240, 0x1f248, 8}, {0x1f250, 0x1f251, 8}, {0x1f260, 0x1f265, 8}, {0x1f300, 0x1f6d5, 8},
	{0x1f6d6, 0x1f6d7, 9}, {0x1f6dc, 0x1f6dc, 12}, {0x1f6dd, 0x1f6df, 11}, {0x1f6e0, 0x1f6ec, 8},
	{0x1f6f0, 0x1f6fa, 8}, {0x1f6fb, 0x1f6fc, 9}, {0x1f700, 0x1f773, 8}, {0x1f774, 0x1f776, 12},
	{0x1f77b, 0x1f77f, 12}, {0x1f780, 0x1f7d8, 8}, {0x1f7d9, 0x1f7d9, 12}, {0x1f7e0, 0x1f7eb, 8},
	{0x1f7f0, 0x1f7f0, 11}, {0x1f800, 0x1f80b, 8}, {0x1f810, 0x1f847, 8}, {0x1f850, 0x1f859, 8},
	{0x1f860, 0x1f887, 8}, {0x1f890, 0x1f8ad, 8}, {0x1f8b0, 0x1f8b1, 9}, {0x1f900, 0x1f90b, 8},
	{0x1f90c, 0x1f90c, 9}, {0x1f90d, 0x1f971, 8}, {0x1f972, 0x1f972, 9}, {0x1f973, 0x1f976, 8},
	{0x1f977, 0x1f978, 9}, {0x1f979, 0x1f979, 11}, {0x1f97a, 0x1f9a2, 8}, {0x1f9a3, 0x1f9a4, 9},
	{0x1f9a5, 0x1f9aa, 8}, {0x1f9ab, 0x1f9ad, 9}, {0x1f9ae, 0x1f9ca, 8}, {0x1f9cb, 0x1f9cb, 9},
	{0x1f9cc, 0x1f9cc, 11}, {0x1f9cd, 0x1fa53, 8}, {0x1fa60, 0x1fa6d, 8}, {0x1fa70, 0x1fa73, 8},
	{0x1fa74, 0x1fa74, 9}, {0x1fa75, 0x1fa77, 12}, {0x1fa78, 0x1fa7a, 8}, {0x1fa7b, 0x1fa7c, 11},
	{0x1fa80, 0x1fa82, 8}, {0x1fa83, 0x1fa86, 9}, {0x1fa87, 0x1fa88, 12}, {0x1fa90, 0x1fa95, 8},
	{0x1fa96, 0x1faa8, 9}, {0x1faa9, 0x1faac, 11}, {0x1faad, 0x1faaf, 12}, {0x1fab0, 0x1fab6, 9},
	{0x1fab7, 0x1faba, 11}, {0x1fabb, 0x1fabd, 12}, {0x1fabf, 0x1fabf, 12}, {0x1fac0, 0x1fac2, 9},
	{0x1fac3, 0x1fac5, 11}, {0x1face, 0x1facf, 12}, {0x1fad0, 0x1fad6, 9}, {0x1fad7, 0x1fad9, 11},
	{0x1fada, 0x1fadb, 12}, {0x1fae0, 0x1fae7, 11}, {0x1fae8, 0x1fae8, 12}, {0x1faf0, 0x1faf6, 11},
	{0x1faf7, 0x1faf8, 12}, {0x1fb00, 0x1fb92, 9}, {0x1fb94, 0x1fbca, 9}, {0x1fbf0, 0x1fbf9, 9},
	{0x20000, 0x2a6d6, 8}, {0x2a6d7, 0x2a6dd, 9}, {0x2a6de, 0x2a6df, 11}, {0x2a700, 0x2b734, 8},
	{0x2b735, 0x2b738, 11}, {0x2b739, 0x2b739, 12}, {0x2b740, 0x2b81d, 8}, {0x2b820, 0x2cea1, 8},
	{0x2ceb0, 0x2ebe0, 8}, {0x2ebf0, 0x2ee5d, 13}, {0x2f800, 0x2fa1d, 8}, {0x30000, 0x3134a, 9},
	{0x31350, 0x323af, 12}, {0xe0100, 0xe01ef, 8},
};
#define n_printable_ranges (sizeof printable_ranges / sizeof *printable_ranges)

/* Py_UNICODE_ISPRINTABLE for the target's Unicode database: the table
 * lists each printable range with the first 3.x that knows it (Unicode
 * grows; a code point never stops being printable). */
static int uni_printable(uint32_t cp, int minor)
{
	size_t lo = 0, hi = n_printable_ranges;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < printable_ranges[mid].lo)
			hi = mid;
		else if (cp > printable_ranges[mid].hi)
			lo = mid + 1;
		else
			return printable_ranges[mid].minor <= minor;
	}
	return 0;
}

/* ==== str ==== */

struct vstr {
	int64_t length;
	int kind;          /* 1, 2 or 4 */
	raddr_t data;
};

static int vstr_info(struct pyctx *c, raddr_t obj, struct vstr *s)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	uint32_t state = py_rd32(c, obj + L->str_state, &ok);
	s->length = (int64_t)py_rd64(c, obj + L->str_length, &ok);
	if (!ok || s->length < 0 || s->length > ((int64_t)1 << 40))
		return -1;
	s->kind = (state >> 2) & 7;
	int compact = (state >> 5) & 1, ascii = (state >> 6) & 1;
	if (s->kind == 0 && L->str_wstr >= 0) {
		/* ≤3.11 legacy string never made ready: only the wchar_t
		 * (UCS-4 on Linux) buffer and its length exist. */
		s->kind = 4;
		s->length = (int64_t)py_rd64(c, obj + L->str_wstr_length, &ok);
		s->data = py_rd64(c, obj + L->str_wstr, &ok);
		return ok && s->data && s->length >= 0 && s->length < ((int64_t)1 << 40) ? 0 : -1;
	}
	if (s->kind != 1 && s->kind != 2 && s->kind != 4)
		return -1;
	if (compact)
		s->data = obj + (uint64_t)(ascii ? L->str_ascii_size : L->str_compact_size);
	else
		s->data = py_rd64(c, obj + L->str_data, &ok);
	return ok && s->data ? 0 : -1;
}

/* Read up to `max` code points of a str into a malloc'd array. */
static uint32_t *vstr_chars(struct pyctx *c, const struct vstr *s, int64_t max, int64_t *n)
{
	int64_t want = s->length < max ? s->length : max;
	*n = 0;
	uint32_t *cps = malloc((size_t)(want ? want : 1) * sizeof *cps);
	if (!cps)
		return NULL;
	size_t nbytes = (size_t)want * (size_t)s->kind;
	const unsigned char *raw = nbytes ? mem_ptr(pyctx_mem(c), s->data, nbytes) : NULL;
	unsigned char *tmp = NULL;
	if (nbytes && !raw) {
		tmp = malloc(nbytes);
		if (!tmp || mem_read(pyctx_mem(c), s->data, tmp, nbytes) != 0) {
			free(tmp);
			free(cps);
			return NULL;
		}
		raw = tmp;
	}
	for (int64_t i = 0; i < want; i++) {
		if (s->kind == 1)
			cps[i] = raw[i];
		else if (s->kind == 2)
			cps[i] = (uint32_t)raw[2 * i] | (uint32_t)raw[2 * i + 1] << 8;
		else
			cps[i] = (uint32_t)raw[4 * i] | (uint32_t)raw[4 * i + 1] << 8 |
				 (uint32_t)raw[4 * i + 2] << 16 | (uint32_t)raw[4 * i + 3] << 24;
	}
	free(tmp);
	*n = want;
	return cps;
}

static size_t utf8_enc(char *out, uint32_t cp)
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
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Does the str contain ' and/or "?  repr() picks its quote from the whole
 * string; for a cut string the part beyond the cut is scanned in place
 * (no copy), up to STR_QUOTE_SCAN code points. */
#define STR_QUOTE_SCAN (1 << 22)
static void str_quotes(struct pyctx *c, const struct vstr *s, const uint32_t *cps, int64_t n,
		       int *has_sq, int *has_dq)
{
	*has_sq = *has_dq = 0;
	for (int64_t i = 0; i < n; i++) {
		*has_sq |= cps[i] == '\'';
		*has_dq |= cps[i] == '"';
	}
	int64_t end = s->length < STR_QUOTE_SCAN ? s->length : STR_QUOTE_SCAN;
	for (int64_t i = n; i < end && !(*has_sq && *has_dq); i += 4096) {
		int64_t k = end - i < 4096 ? end - i : 4096;
		const unsigned char *p = mem_ptr(pyctx_mem(c), s->data + (uint64_t)i * s->kind,
						 (size_t)k * s->kind);
		if (!p)
			break;
		for (int64_t j = 0; j < k; j++) {
			/* little-endian: the low byte decides for ASCII quote chars */
			uint32_t ch = s->kind == 1 ? p[j]
				    : s->kind == 2 ? (uint32_t)p[2 * j] | (uint32_t)p[2 * j + 1] << 8
				    : (uint32_t)p[4 * j] | (uint32_t)p[4 * j + 1] << 8 |
				      (uint32_t)p[4 * j + 2] << 16 | (uint32_t)p[4 * j + 3] << 24;
			*has_sq |= ch == '\'';
			*has_dq |= ch == '"';
		}
	}
}

/* unicode_repr(): quote choice and escapes exactly as CPython writes them. */
static void put_str_repr(struct out *o, const uint32_t *cps, int64_t n, int minor, int cut,
			 int has_sq, int has_dq)
{
	char quote = (has_sq && !has_dq) ? '"' : '\'';
	o_put(o, &quote, 1);
	for (int64_t i = 0; i < n && !o->full; i++) {
		uint32_t ch = cps[i];
		char tmp[16];
		if (ch == (uint32_t)quote || ch == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)ch;
			o_put(o, tmp, 2);
		} else if (ch == '\t') {
			o_puts(o, "\\t");
		} else if (ch == '\n') {
			o_puts(o, "\\n");
		} else if (ch == '\r') {
			o_puts(o, "\\r");
		} else if (ch < ' ' || ch == 0x7f) {
			o_printf(o, "\\x%02x", ch);
		} else if (ch < 0x7f) {
			tmp[0] = (char)ch;
			o_put(o, tmp, 1);
		} else if (ch <= 0x10FFFF && uni_printable(ch, minor)) {
			o_put(o, tmp, utf8_enc(tmp, ch));
		} else if (ch <= 0xff) {
			o_printf(o, "\\x%02x", ch);
		} else if (ch <= 0xffff) {
			o_printf(o, "\\u%04x", ch);
		} else {
			o_printf(o, "\\U%08x", ch);
		}
	}
	if (cut)
		o_puts(o, ELLIPSIS);
	o_put(o, &quote, 1);
}

static int r_str(struct pyctx *c, struct out *o, raddr_t obj, int max_str)
{
	struct vstr s;
	int64_t n;
	if (vstr_info(c, obj, &s) != 0)
		return -1;
	uint32_t *cps = vstr_chars(c, &s, max_str, &n);
	if (!cps)
		return -1;
	int has_sq, has_dq;
	str_quotes(c, &s, cps, n, &has_sq, &has_dq);
	put_str_repr(o, cps, n, pyctx_layout(c)->minor, n < s.length, has_sq, has_dq);
	free(cps);
	if (n < s.length)
		o_printf(o, " (%lld chars)", (long long)s.length);
	return 0;
}

/* ==== bytes ==== */

/* bytes_repr(): b'…' unless the bytes contain ' and no ", then b"…". */
static void put_bytes_repr(struct out *o, const unsigned char *b, size_t n, char quote)
{
	o_puts(o, "b");
	o_put(o, &quote, 1);
	for (size_t i = 0; i < n && !o->full; i++) {
		unsigned char ch = b[i];
		char tmp[8];
		if (ch == (unsigned char)quote || ch == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)ch;
			o_put(o, tmp, 2);
		} else if (ch == '\t') {
			o_puts(o, "\\t");
		} else if (ch == '\n') {
			o_puts(o, "\\n");
		} else if (ch == '\r') {
			o_puts(o, "\\r");
		} else if (ch < ' ' || ch >= 0x7f) {
			o_printf(o, "\\x%02x", ch);
		} else {
			tmp[0] = (char)ch;
			o_put(o, tmp, 1);
		}
	}
}

/* A bytes-like buffer [data, data+len) as bytes repr, at most `max`
 * bytes shown; the quote is chosen on the whole buffer (scanned in place
 * up to STR_QUOTE_SCAN bytes) as repr() does. */
static int r_bytes_buf(struct pyctx *c, struct out *o, raddr_t data, int64_t len, int max)
{
	if (len < 0 || len > ((int64_t)1 << 40))
		return -1;
	size_t n = (size_t)(len < max ? len : max);
	unsigned char *b = malloc(n ? n : 1);
	if (!b)
		return -1;
	if (n && mem_read(pyctx_mem(c), data, b, n) != 0) {
		free(b);
		return -1;
	}
	int has_sq = memchr(b, '\'', n) != NULL, has_dq = memchr(b, '"', n) != NULL;
	int64_t end = len < STR_QUOTE_SCAN ? len : STR_QUOTE_SCAN;
	for (int64_t i = (int64_t)n; i < end && !(has_sq && has_dq); i += 4096) {
		size_t k = (size_t)(end - i < 4096 ? end - i : 4096);
		const void *p = mem_ptr(pyctx_mem(c), data + (uint64_t)i, k);
		if (!p)
			break;
		has_sq |= memchr(p, '\'', k) != NULL;
		has_dq |= memchr(p, '"', k) != NULL;
	}
	char quote = (has_sq && !has_dq) ? '"' : '\'';
	put_bytes_repr(o, b, n, quote);
	free(b);
	if ((int64_t)n < len) {
		o_puts(o, ELLIPSIS);
		o_put(o, &quote, 1);
		o_printf(o, " (%lld bytes)", (long long)len);
	} else {
		o_put(o, &quote, 1);
	}
	return 0;
}

/* ==== int ==== */

struct vint {
	int sign;          /* -1, 0, +1 */
	int64_t ndigits;
	raddr_t digits;    /* uint32 digits, 30 bits each, least significant first */
};

static int vint_info(struct pyctx *c, raddr_t obj, struct vint *v)
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
	struct vint v;
	if (vint_info(c, obj, &v) != 0)
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

/* Decimal text of n 30-bit digits: CPython's long_to_decimal_string
 * algorithm (repeatedly multiply a base-10^9 accumulator by 2^30). */
static int digits_to_decimal(const uint32_t *d, int64_t n, int sign, char *buf, size_t cap)
{
	if (n == 0) {
		if (cap < 2)
			return -1;
		strcpy(buf, "0");
		return 0;
	}
	/* 30 bits < 9.04 decimal digits => size bound like CPython's */
	int64_t maxout = 1 + n + n / 30 + 1;
	uint32_t *pout = malloc((size_t)maxout * sizeof *pout);
	if (!pout)
		return -1;
	int64_t size = 0;
	for (int64_t i = n - 1; i >= 0; i--) {
		uint32_t hi = d[i] & 0x3FFFFFFF;
		for (int64_t j = 0; j < size; j++) {
			uint64_t z = (uint64_t)pout[j] << 30 | hi;
			hi = (uint32_t)(z / 1000000000u);
			pout[j] = (uint32_t)(z - (uint64_t)hi * 1000000000u);
		}
		while (hi) {
			pout[size++] = hi % 1000000000u;
			hi /= 1000000000u;
		}
	}
	if (size == 0)
		pout[size++] = 0;
	/* most significant group unpadded, the rest zero-padded to 9 */
	size_t need = (sign < 0) + 10 + (size_t)(size - 1) * 9 + 1;
	if (need > cap) {
		free(pout);
		return -1;
	}
	char *p = buf;
	if (sign < 0)
		*p++ = '-';
	p += sprintf(p, "%u", pout[size - 1]);
	for (int64_t j = size - 2; j >= 0; j--)
		p += sprintf(p, "%09u", pout[j]);
	free(pout);
	return 0;
}

int value_int_text(struct pyctx *c, raddr_t obj, char *buf, size_t cap)
{
	struct vint v;
	const struct pytype *t = py_type_of_obj(c, obj);
	if (t && t->kind == PYK_BOOL) {
		int64_t x;
		int fits;
		if (value_int64(c, obj, &x, &fits) != 0)
			return -1;
		return snprintf(buf, cap, "%s", x ? "True" : "False") < (int)cap ? 0 : -1;
	}
	if (vint_info(c, obj, &v) != 0 || v.ndigits > MAX_INT_DIGITS)
		return -1;
	uint32_t *d = malloc((size_t)(v.ndigits ? v.ndigits : 1) * 4);
	if (!d)
		return -1;
	if (v.ndigits && mem_read(pyctx_mem(c), v.digits, d, (size_t)v.ndigits * 4) != 0) {
		free(d);
		return -1;
	}
	int rc = digits_to_decimal(d, v.ndigits, v.sign, buf, cap);
	free(d);
	return rc;
}

static int r_int(struct pyctx *c, struct out *o, raddr_t obj)
{
	struct vint v;
	if (vint_info(c, obj, &v) != 0)
		return -1;
	if (v.ndigits > MAX_INT_DIGITS) {
		/* Too long to convert cheaply (CPython ≥3.11 would refuse too,
		 * sys.set_int_max_str_digits); give its magnitude. */
		uint32_t top = 0;
		int ok = 1;
		top = py_rd32(c, v.digits + (uint64_t)(v.ndigits - 1) * 4, &ok);
		double bits = (double)(v.ndigits - 1) * 30 + (top ? log2((double)top) + 1 : 0);
		o_printf(o, "<int of ~%.0f decimal digits>", bits * 0.30102999566398 + 1);
		return ok ? 0 : -1;
	}
	/* ≤ MAX_INT_DIGITS*30 bits: at most ~18100 decimal digits */
	size_t cap = (size_t)v.ndigits * 10 + 16;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	int rc = value_int_text(c, obj, buf, cap);
	if (rc == 0)
		o_puts(o, buf);
	free(buf);
	return rc;
}

/* ==== float ==== */

int value_float(struct pyctx *c, raddr_t obj, double *out)
{
	return mem_read(pyctx_mem(c), obj + (uint64_t)pyctx_layout(c)->float_fval, out, 8);
}

/* PyOS_double_to_string(d, 'r', 0, flags): the shortest digit string that
 * reads back as d (tried with increasing precision), then CPython's
 * layout rules: exponent form when decpt <= -4 or decpt > 16, "e+16"
 * style exponents with at least two digits, ".0" added to integral values
 * when add_dot_0 (float repr yes, complex parts no), "+" when sign. */
static int float_fmt(double d, int add_dot_0, int sign, char *buf, size_t cap)
{
	char tmp[64], digits[32];
	const char *lead = "";
	if (isnan(d))
		return snprintf(buf, cap, "%snan", sign ? "+" : "") < (int)cap ? 0 : -1;
	if (d < 0 || (d == 0 && signbit(d)))
		lead = "-";
	else if (sign)
		lead = "+";
	if (isinf(d))
		return snprintf(buf, cap, "%sinf", lead) < (int)cap ? 0 : -1;
	int p;
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, fabs(d));
		if (strtod(tmp, NULL) == fabs(d))
			break;
	}
	/* tmp = "D[.DDD]e[+-]XX" */
	size_t nd = 0;
	const char *q = tmp;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			digits[nd++] = *q;
	digits[nd] = 0;
	int exp10 = *q == 'e' ? atoi(q + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = 0;
	int decpt = exp10 + 1;       /* value = 0.DIGITS × 10^decpt */
	char body[64];
	if (digits[0] == '0' && nd == 1) {
		snprintf(body, sizeof body, add_dot_0 ? "0.0" : "0");
	} else if (decpt <= -4 || decpt > 16) {
		int e = decpt - 1;
		snprintf(body, sizeof body, "%c%s%s%se%c%02d", digits[0], nd > 1 ? "." : "",
			 digits + 1, "", e < 0 ? '-' : '+', e < 0 ? -e : e);
	} else if (decpt <= 0) {
		snprintf(body, sizeof body, "0.%.*s%s", -decpt, "0000", digits);
	} else if ((size_t)decpt >= nd) {
		snprintf(body, sizeof body, "%s%.*s%s", digits, (int)((size_t)decpt - nd),
			 "0000000000000000", add_dot_0 ? ".0" : "");
	} else {
		snprintf(body, sizeof body, "%.*s.%s", decpt, digits, digits + decpt);
	}
	return snprintf(buf, cap, "%s%s", lead, body) < (int)cap ? 0 : -1;
}

int value_float_text(double d, char *buf, size_t cap)
{
	return float_fmt(d, 1, 0, buf, cap);
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
				raddr_t name_ptr = py_rd64(c, m + MEMBER_NAME, &ok);
				int type = (int)py_rd32(c, m + MEMBER_TYPE, &ok);
				int64_t off = (int64_t)py_rd64(c, m + MEMBER_OFFSET, &ok);
				if (!ok)
					break;
				if (type != T_OBJECT && type != T_OBJECT_EX)
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

/* ==== The renderer ==== */

#define MAX_NEST 16

struct rctx {
	struct pyctx *c;
	const struct py_layout *L;
	int max_items, max_str, depth;
	raddr_t stack[MAX_NEST];   /* containers being rendered (repr recursion guard) */
	int nstack;
};

static void r_obj(struct rctx *r, struct out *o, raddr_t obj, int depth);

static int r_push(struct rctx *r, raddr_t obj)
{
	for (int i = 0; i < r->nstack; i++)
		if (r->stack[i] == obj)
			return -1;   /* already being rendered: a reference cycle */
	if (r->nstack == MAX_NEST)
		return -1;
	r->stack[r->nstack++] = obj;
	return 0;
}

static void r_pop(struct rctx *r) { r->nstack--; }

static void r_unreadable(struct out *o, raddr_t obj)
{
	o_printf(o, "<unreadable %#llx>", (unsigned long long)obj);
}

/* Nested strings get a smaller budget so one long item cannot eat the
 * whole line. */
static int nested_str(const struct rctx *r, int depth)
{
	return depth == 0 ? r->max_str : (r->max_str < 60 ? r->max_str : 60);
}

static void r_seq(struct rctx *r, struct out *o, raddr_t items, int64_t n,
		  const char *open, const char *close, int depth, int tuple1)
{
	o_puts(o, open);
	int64_t shown = n < r->max_items ? n : r->max_items;
	for (int64_t i = 0; i < shown && !o->full; i++) {
		int ok = 1;
		raddr_t it = py_rd64(r->c, items + (uint64_t)i * 8, &ok);
		if (i)
			o_puts(o, ", ");
		if (!ok)
			r_unreadable(o, items + (uint64_t)i * 8);
		else if (!it)
			o_puts(o, "<NULL>");
		else
			r_obj(r, o, it, depth + 1);
	}
	if (shown < n)
		o_printf(o, ", " ELLIPSIS " (%lld items)", (long long)n);
	else if (tuple1 && n == 1)
		o_puts(o, ",");
	o_puts(o, close);
}

struct dict_r {
	struct rctx *r;
	struct out *o;
	int depth, i;
};

static int dict_r_cb(void *p, raddr_t key, raddr_t value)
{
	struct dict_r *d = p;
	if (d->i >= d->r->max_items || d->o->full)
		return 1;
	if (d->i++)
		o_puts(d->o, ", ");
	r_obj(d->r, d->o, key, d->depth + 1);
	o_puts(d->o, ": ");
	r_obj(d->r, d->o, value, d->depth + 1);
	return 0;
}

static void r_dict(struct rctx *r, struct out *o, raddr_t obj, int depth)
{
	int ok = 1;
	int64_t used = (int64_t)py_rd64(r->c, obj + r->L->dict_used, &ok);
	struct dict_r d = {r, o, depth, 0};
	o_puts(o, "{");
	if (used > 0 && py_dict_iter(r->c, obj, dict_r_cb, &d) < 0 && !d.i)
		o_puts(o, "<unreadable>");
	if (used > d.i)
		o_printf(o, "%s" ELLIPSIS " (%lld items)", d.i ? ", " : "", (long long)used);
	o_puts(o, "}");
}

/* Visit a set's live keys in table order (what iteration and repr use).
 * Dummy (deleted) entries carry hash -1, which no live key has. */
typedef int (*set_cb)(void *arg, raddr_t key);
static int64_t set_iter(struct pyctx *c, raddr_t obj, set_cb cb, void *arg)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	int64_t mask = (int64_t)py_rd64(c, obj + L->set_mask, &ok);
	raddr_t table = py_rd64(c, obj + L->set_table, &ok);
	/* A real table has a power-of-two size and is wholly allocated:
	 * check both before scanning so a garbage mask cannot make us walk
	 * gigabytes of empty slots. */
	uint64_t last[2];
	if (!ok || mask < 0 || mask > ((int64_t)1 << 34) || ((mask + 1) & mask) || !table ||
	    (table & 7) ||   /* a real table is malloc'd: never misaligned */
	    mem_read(pyctx_mem(c), table + (uint64_t)mask * L->setentry_size, last, 16) != 0)
		return -1;
	int64_t seen = 0;
	for (int64_t i = 0; i <= mask; i++) {
		const uint64_t *e = mem_ptr(pyctx_mem(c), table + (uint64_t)i * L->setentry_size, 16);
		uint64_t ent[2];
		if (!e) {
			if (mem_read(pyctx_mem(c), table + (uint64_t)i * L->setentry_size, ent, 16) != 0)
				return seen ? seen : -1;
			e = ent;
		}
		if (!e[0] || (int64_t)e[1] == -1)
			continue;
		seen++;
		if (cb && cb(arg, e[0]))
			break;
	}
	return seen;
}

struct set_r {
	struct rctx *r;
	struct out *o;
	int depth, i;
};

static int set_r_cb(void *p, raddr_t key)
{
	struct set_r *s = p;
	if (s->i >= s->r->max_items || s->o->full)
		return 1;
	if (s->i++)
		o_puts(s->o, ", ");
	r_obj(s->r, s->o, key, s->depth + 1);
	return 0;
}

static void r_set(struct rctx *r, struct out *o, raddr_t obj, int depth, int frozen)
{
	int ok = 1;
	int64_t used = (int64_t)py_rd64(r->c, obj + r->L->set_used, &ok);
	if (used == 0) {
		o_puts(o, frozen ? "frozenset()" : "set()");
		return;
	}
	struct set_r s = {r, o, depth, 0};
	o_puts(o, frozen ? "frozenset({" : "{");
	set_iter(r->c, obj, set_r_cb, &s);
	if (used > s.i)
		o_printf(o, "%s" ELLIPSIS " (%lld items)", s.i ? ", " : "", (long long)used);
	o_puts(o, frozen ? "})" : "}");
}

/* deque([…], maxlen=N); `bare` leaves out "deque(" and ")" when a
 * subclass name already wraps it. */
static void r_deque(struct rctx *r, struct out *o, raddr_t obj, int depth, int bare)
{
	int ok = 1;
	int64_t n = (int64_t)py_rd64(r->c, obj + r->L->ob_size, &ok);
	raddr_t block = py_rd64(r->c, obj + DEQUE_LEFTBLOCK, &ok);
	int64_t idx = (int64_t)py_rd64(r->c, obj + DEQUE_LEFTINDEX, &ok);
	int64_t maxlen = (int64_t)py_rd64(r->c, obj + DEQUE_MAXLEN, &ok);
	if (!ok || n < 0 || idx < 0 || idx >= DEQUE_BLOCKLEN) {
		r_unreadable(o, obj);
		return;
	}
	o_puts(o, bare ? "[" : "deque([");
	int64_t shown = n < r->max_items ? n : r->max_items;
	for (int64_t i = 0; i < shown && ok && block; i++) {
		raddr_t it = py_rd64(r->c, block + DEQUE_BLOCK_DATA + (uint64_t)idx * 8, &ok);
		if (i)
			o_puts(o, ", ");
		if (ok)
			r_obj(r, o, it, depth + 1);
		if (++idx == DEQUE_BLOCKLEN) {
			block = py_rd64(r->c, block + DEQUE_BLOCK_RIGHT, &ok);
			idx = 0;
		}
	}
	if (shown < n)
		o_printf(o, ", " ELLIPSIS " (%lld items)", (long long)n);
	o_puts(o, "]");
	if (maxlen >= 0)
		o_printf(o, ", maxlen=%lld", (long long)maxlen);
	if (!bare)
		o_puts(o, ")");
}

struct attr_r {
	struct rctx *r;
	struct out *o;
	int depth, i;
	raddr_t enum_name, enum_value;
};

static int attr_r_cb(void *p, const struct value_attr *a)
{
	struct attr_r *s = p;
	if (s->i >= s->r->max_items || s->o->full)
		return 1;
	o_puts(s->o, s->i++ ? ", " : " ");
	o_puts(s->o, a->name);
	o_puts(s->o, "=");
	r_obj(s->r, s->o, a->value, s->depth + 1);
	return 0;
}

static int enum_probe_cb(void *p, const struct value_attr *a)
{
	struct attr_r *s = p;
	if (!strcmp(a->name, "_name_"))
		s->enum_name = a->value;
	else if (!strcmp(a->name, "_value_"))
		s->enum_value = a->value;
	return 0;
}

/* An enum member, as Enum.__repr__ writes it: "<Color.RED: 1>".  Returns
 * 0 (nothing written) when obj has no _name_/_value_ attributes. */
static int r_enum(struct rctx *r, struct out *o, raddr_t obj, const struct pytype *t, int depth)
{
	struct attr_r s = {r, o, depth, 0, 0, 0};
	char nm[128];
	value_iter_attrs(r->c, obj, t, enum_probe_cb, &s);
	if (!s.enum_name || !s.enum_value || !is_kind(r->c, s.enum_name, PYK_STR))
		return 0;
	o_printf(o, "<%s.%s: ", short_tp_name(t), value_str(r->c, s.enum_name, nm, sizeof nm));
	r_obj(r, o, s.enum_value, depth + 1);
	o_puts(o, ">");
	return 1;
}

/* An instance: "<Qual a=1, b='x'>" (or an enum member). */
static void r_instance(struct rctx *r, struct out *o, raddr_t obj,
		       const struct pytype *t, int depth)
{
	struct attr_r s = {r, o, depth, 0, 0, 0};
	if (r_enum(r, o, obj, t, depth))
		return;
	long n = value_iter_attrs(r->c, obj, t, NULL, NULL);
	o_puts(o, "<");
	if (strcmp(t->module, "builtins") && strcmp(t->module, "__main__") && strcmp(t->module, "?"))
		o_printf(o, "%s.", t->module);
	o_puts(o, t->qualname);
	if (n > 0 && depth < r->depth)
		value_iter_attrs(r->c, obj, t, attr_r_cb, &s);
	else if (n > 0)
		o_printf(o, " " ELLIPSIS "%ld attrs", n);
	if (n > s.i && s.i)
		o_printf(o, ", " ELLIPSIS " (%ld attrs)", n);
	if (n <= 0 && !python_class(t))
		o_printf(o, " object, %llu bytes",
			 (unsigned long long)py_getsizeof(r->c, obj, t));
	o_puts(o, ">");
}

/* Kinds whose subclasses are shown as Name(<builtin repr>). */
static int wrap_kind(enum py_kind k)
{
	switch (k) {
	case PYK_STR: case PYK_BYTES: case PYK_BYTEARRAY: case PYK_INT:
	case PYK_FLOAT: case PYK_COMPLEX: case PYK_TUPLE: case PYK_LIST:
	case PYK_DICT: case PYK_ODICT: case PYK_SET: case PYK_FROZENSET:
	case PYK_DEQUE:
		return 1;
	default:
		return 0;
	}
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void r_function(struct rctx *r, struct out *o, raddr_t fn)
{
	struct pyctx *c = r->c;
	const struct py_layout *L = r->L;
	char qual[256], mod[128];
	raddr_t code = py_fld(c, fn, L->fn_code);
	value_str(c, py_fld(c, fn, L->fn_qualname), qual, sizeof qual);
	raddr_t m = py_fld(c, fn, L->fn_module);
	o_puts(o, "<function ");
	if (m && is_kind(c, m, PYK_STR) && strcmp(value_str(c, m, mod, sizeof mod), "__main__"))
		o_printf(o, "%s.", mod);
	o_puts(o, qual);
	if (code && is_kind(c, code, PYK_CODE)) {
		char file[512];
		int ok = 1;
		value_str(c, py_fld(c, code, L->co_filename), file, sizeof file);
		int line = (int)py_rd32(c, code + L->co_firstlineno, &ok);
		o_printf(o, " at %s:%d", basename_of(file), line);
	}
	o_puts(o, ">");
}

static void r_code(struct rctx *r, struct out *o, raddr_t code)
{
	char name[128], file[512];
	int ok = 1;
	value_str(r->c, py_fld(r->c, code, r->L->co_name), name, sizeof name);
	value_str(r->c, py_fld(r->c, code, r->L->co_filename), file, sizeof file);
	int line = (int)py_rd32(r->c, code + r->L->co_firstlineno, &ok);
	/* code_repr() */
	o_printf(o, "<code object %s at %#llx, file \"%s\", line %d>", name,
		 (unsigned long long)code, file, line);
}

static void r_module(struct rctx *r, struct out *o, raddr_t mod)
{
	char name[256], file[512];
	raddr_t d = py_fld(r->c, mod, r->L->mod_dict);
	raddr_t n = d ? py_dict_get_str(r->c, d, "__name__") : 0;
	raddr_t f = d ? py_dict_get_str(r->c, d, "__file__") : 0;
	if (!n)
		n = py_fld(r->c, mod, r->L->mod_name);
	o_printf(o, "<module '%s'", value_str(r->c, n, name, sizeof name));
	if (f && is_kind(r->c, f, PYK_STR))
		o_printf(o, " from '%s'>", value_str(r->c, f, file, sizeof file));
	else
		o_puts(o, " (built-in)>");
}

static void r_type(struct rctx *r, struct out *o, raddr_t obj)
{
	const struct pytype *t = py_type(r->c, obj);
	if (!t) {
		r_unreadable(o, obj);
		return;
	}
	/* type_repr(): "<class 'mod.qualname'>", builtins without module */
	if (!strcmp(t->module, "builtins") || !strcmp(t->module, "?"))
		o_printf(o, "<class '%s'>", t->qualname);
	else
		o_printf(o, "<class '%s.%s'>", t->module, t->qualname);
}

/* Generator/coroutine state as inspect.getgeneratorstate() names it. */
static const char *gen_state(struct pyctx *c, raddr_t g, raddr_t *iframe, raddr_t *frame_obj)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	*iframe = 0;
	*frame_obj = 0;
	if (L->gen_iframe >= 0) {
		/* 3.11+: gi_frame_state (int8).  3.11/3.12: CREATED -2,
		 * SUSPENDED -1, EXECUTING 0, COMPLETED 1, CLEARED 4; 3.13:
		 * CREATED -3, SUSPENDED -2, SUSPENDED_YIELD_FROM -1. */
		int8_t st = (int8_t)py_rd8(c, g + L->gen_frame_state, &ok);
		if (!ok)
			return "?";
		int created = L->minor >= 13 ? -3 : -2;
		if (st < 0 || st == 0) {
			*iframe = g + (uint64_t)L->gen_iframe;
			*frame_obj = py_fld(c, *iframe, L->iframe_frame_obj);
		}
		if (st == created)
			return "created";
		if (st < 0)
			return "suspended";
		if (st == 0)
			return "running";
		return "closed";
	}
	/* ≤3.10: gi_frame NULL once finished */
	raddr_t f = py_fld(c, g, L->gen_frame);
	if (!f)
		return "closed";
	*frame_obj = f;
	if (L->minor == 10) {
		/* 3.10 PyFrameState f_state (int8 @108): CREATED -2, SUSPENDED -1,
		 * EXECUTING 0, then RETURNED/UNWINDING/RAISED/CLEARED */
		int8_t st = (int8_t)py_rd8(c, f + FRAME_STATE_310, &ok);
		return st == -2 ? "created" : st == -1 ? "suspended" : st == 0 ? "running" : "closed";
	}
	/* 3.8/3.9: gi_running (char @24); f_lasti == -1 before the first send */
	if (py_rd8(c, g + GEN_RUNNING_38, &ok))
		return "running";
	int lasti = (int)py_rd32(c, f + L->frame_lasti, &ok);
	return lasti == -1 ? "created" : "suspended";
}

static void r_gen(struct rctx *r, struct out *o, raddr_t g, const struct pytype *t)
{
	char qual[256];
	raddr_t iframe, frame_obj;
	const char *st = gen_state(r->c, g, &iframe, &frame_obj);
	value_str(r->c, py_fld(r->c, g, r->L->gen_qualname), qual, sizeof qual);
	o_printf(o, "<%s object %s %s", short_tp_name(t), qual, st);
	struct py_frame f;
	int rc = -1;
	if (iframe)
		rc = frames_decode_iframe(r->c, iframe, 0, &f);
	else if (frame_obj)
		rc = frames_decode_frame_obj(r->c, frame_obj, 0, &f);
	if (rc == 0) {
		o_printf(o, " at %s:%d", basename_of(f.file), f.line);
		frames_frame_fini(&f);
	}
	o_puts(o, ">");
}

static void r_frame(struct rctx *r, struct out *o, raddr_t fo, int depth)
{
	struct py_frame f;
	if (frames_decode_frame_obj(r->c, fo, FRAMES_LOCALS, &f) != 0) {
		r_unreadable(o, fo);
		return;
	}
	o_printf(o, "<frame %s at %s:%d", f.qualname, basename_of(f.file), f.line);
	int shown = 0;
	for (size_t i = 0; i < f.nlocals && shown < r->max_items && !o->full; i++) {
		if (!f.locals[i].value || f.locals[i].kind == PY_LOCAL_DICT)
			continue;
		o_printf(o, "%s%s=", shown++ ? ", " : " ", f.locals[i].name);
		r_obj(r, o, f.locals[i].value, depth + 1);
	}
	o_puts(o, ">");
	frames_frame_fini(&f);
}

static void r_exception(struct rctx *r, struct out *o, raddr_t e, const struct pytype *t, int depth)
{
	/* BaseException_repr: Name(arg) for one arg, Name(a, b) / Name() */
	int ok = 1;
	raddr_t args = py_rd64(r->c, e + EXC_ARGS, &ok);
	o_puts(o, short_tp_name(t));
	if (args && is_kind(r->c, args, PYK_TUPLE)) {
		int64_t n = (int64_t)py_rd64(r->c, args + r->L->ob_size, &ok);
		if (n >= 0)
			r_seq(r, o, args + (uint64_t)r->L->tuple_items, n, "(", ")", depth, 0);
	} else {
		o_puts(o, "()");
	}
}

static void r_traceback(struct rctx *r, struct out *o, raddr_t tb)
{
	int n = 0;
	raddr_t last = tb;
	for (raddr_t p = tb; p && n < 4096; n++) {
		last = p;
		p = py_fld(r->c, p, TB_NEXT);
		if (p && !is_kind(r->c, p, PYK_TRACEBACK))
			break;
	}
	/* The innermost entry is where the exception was raised. */
	struct py_frame f;
	int ok = 1;
	raddr_t frame = py_fld(r->c, last, TB_FRAME);
	int line = (int32_t)py_rd32(r->c, last + TB_LINENO, &ok);
	int lasti = (int32_t)py_rd32(r->c, last + TB_LASTI, &ok);
	if (frame && frames_decode_frame_obj(r->c, frame, 0, &f) == 0) {
		if (line <= 0)
			line = frames_code_line(r->c, f.code, lasti);
		o_printf(o, "<traceback %s at %s:%d, %d entr%s>", f.qualname, basename_of(f.file),
			 line, n, n == 1 ? "y" : "ies");
		frames_frame_fini(&f);
	} else {
		o_printf(o, "<traceback, %d entr%s>", n, n == 1 ? "y" : "ies");
	}
}

static void r_weakref(struct rctx *r, struct out *o, raddr_t w, int depth)
{
	raddr_t ref = py_fld(r->c, w, r->L->wr_object);
	/* A dead weakref points at None (3.8–3.13). */
	if (!ref || is_none(r->c, ref)) {
		o_puts(o, "<weakref dead>");
		return;
	}
	o_puts(o, "<weakref to ");
	r_obj(r, o, ref, depth + 1);
	o_puts(o, ">");
}

static void r_complex(struct rctx *r, struct out *o, raddr_t obj)
{
	double v[2];
	char re[64], im[64];
	if (mem_read(pyctx_mem(r->c), obj + COMPLEX_CVAL, v, sizeof v) != 0) {
		r_unreadable(o, obj);
		return;
	}
	/* complex_repr(): "2j" when the real part is +0, else "(1+2j)" */
	if (v[0] == 0 && !signbit(v[0])) {
		float_fmt(v[1], 0, 0, im, sizeof im);
		o_printf(o, "%sj", im);
	} else {
		float_fmt(v[0], 0, 0, re, sizeof re);
		float_fmt(v[1], 0, 1, im, sizeof im);
		o_printf(o, "(%s%sj)", re, im);
	}
}

static void r_cfunction(struct rctx *r, struct out *o, raddr_t f)
{
	char name[128] = "?";
	raddr_t ml = py_fld(r->c, f, r->L->cfunc_ml);
	raddr_t np = ml ? py_fld(r->c, ml, CFUNC_ML_NAME) : 0;
	if (np)
		mem_cstr(pyctx_mem(r->c), np, name, sizeof name);
	raddr_t self = py_fld(r->c, f, r->L->cfunc_self);
	/* meth_repr(): a function when m_self is NULL or a module */
	if (!self || is_kind(r->c, self, PYK_MODULE)) {
		o_printf(o, "<built-in function %s>", name);
	} else {
		char tn[256];
		o_printf(o, "<built-in method %s of %s object at %#llx>", name,
			 value_type_name(r->c, self, tn, sizeof tn), (unsigned long long)self);
	}
}

static void r_descriptor(struct rctx *r, struct out *o, raddr_t d, const char *what)
{
	char name[128], tn[256] = "?";
	value_str(r->c, py_fld(r->c, d, DESCR_NAME), name, sizeof name);
	const struct pytype *owner = py_type(r->c, py_fld(r->c, d, DESCR_TYPE));
	if (owner)
		snprintf(tn, sizeof tn, "%s", owner->qualname);
	o_printf(o, "<%s '%s' of '%s' objects>", what, name, tn);
}

static void r_obj(struct rctx *r, struct out *o, raddr_t obj, int depth)
{
	struct pyctx *c = r->c;
	const struct py_layout *L = r->L;
	int ok = 1;
	if (o->full)
		return;
	const struct pytype *t = obj ? py_type_of_obj(c, obj) : NULL;
	if (!t) {
		if (!obj)
			o_puts(o, "<NULL>");
		else
			r_unreadable(o, obj);
		return;
	}
	/* Subclasses of builtin values/containers (Python classes, and C
	 * ones such as defaultdict or Counter): Name(<builtin repr>); enum
	 * members (IntEnum, StrEnum…) the way Enum.__repr__ writes them. */
	int wrap = wrap_kind(t->kind) && strcmp(t->tp_name ? t->tp_name : "", py_kind_name(t->kind));
	if (wrap && python_class(t) && r_enum(r, o, obj, t, depth))
		return;
	if (wrap)
		o_printf(o, "%s(", short_tp_name(t));
	switch (t->kind) {
	case PYK_NONE:
		o_puts(o, "None");
		break;
	case PYK_BOOL:
	case PYK_INT:
		if (t->kind == PYK_BOOL) {
			int64_t v;
			int fits;
			if (value_int64(c, obj, &v, &fits) != 0)
				r_unreadable(o, obj);
			else
				o_puts(o, v ? "True" : "False");
		} else if (r_int(c, o, obj) != 0) {
			r_unreadable(o, obj);
		}
		break;
	case PYK_FLOAT: {
		double d;
		char buf[64];
		if (value_float(c, obj, &d) != 0 || value_float_text(d, buf, sizeof buf) != 0)
			r_unreadable(o, obj);
		else
			o_puts(o, buf);
		break;
	}
	case PYK_COMPLEX:
		r_complex(r, o, obj);
		break;
	case PYK_STR:
		if (r_str(c, o, obj, nested_str(r, depth)) != 0)
			r_unreadable(o, obj);
		break;
	case PYK_BYTES: {
		int64_t n = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		if (!ok || r_bytes_buf(c, o, obj + (uint64_t)L->bytes_sval, n, nested_str(r, depth)) != 0)
			r_unreadable(o, obj);
		break;
	}
	case PYK_BYTEARRAY: {
		int64_t n = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		raddr_t start = py_rd64(c, obj + L->bytearray_start, &ok);
		/* An empty bytearray may have no buffer at all (ob_start NULL). */
		o_puts(o, "bytearray(");
		if (ok && n == 0)
			o_puts(o, "b''");
		else if (!ok || !start || r_bytes_buf(c, o, start, n, nested_str(r, depth)) != 0)
			o_puts(o, "?");
		o_puts(o, ")");
		break;
	}
	case PYK_TUPLE:
	case PYK_LIST: {
		int is_tuple = t->kind == PYK_TUPLE;
		int64_t n = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		raddr_t items = is_tuple ? obj + (uint64_t)L->tuple_items : py_rd64(c, obj + L->list_items, &ok);
		if (!ok || n < 0) {
			r_unreadable(o, obj);
			break;
		}
		if (n && depth >= r->depth) {
			o_printf(o, is_tuple ? "(" ELLIPSIS "%lld items)" : "[" ELLIPSIS "%lld items]",
				 (long long)n);
			break;
		}
		if (r_push(r, obj) != 0) {
			o_puts(o, is_tuple ? "(...)" : "[...]");
			break;
		}
		r_seq(r, o, items, n, is_tuple ? "(" : "[", is_tuple ? ")" : "]", depth, is_tuple);
		r_pop(r);
		break;
	}
	case PYK_DICT:
	case PYK_ODICT: {
		int64_t n = (int64_t)py_rd64(c, obj + L->dict_used, &ok);
		if (t->kind == PYK_ODICT && !wrap)
			o_puts(o, "OrderedDict(");
		if (n > 0 && depth >= r->depth)
			o_printf(o, "{" ELLIPSIS "%lld items}", (long long)n);
		else if (r_push(r, obj) != 0)
			o_puts(o, "{...}");
		else {
			r_dict(r, o, obj, depth);
			r_pop(r);
		}
		if (t->kind == PYK_ODICT && !wrap)
			o_puts(o, ")");
		break;
	}
	case PYK_SET:
	case PYK_FROZENSET: {
		int64_t n = (int64_t)py_rd64(c, obj + L->set_used, &ok);
		int frozen = t->kind == PYK_FROZENSET;
		if (n > 0 && depth >= r->depth)
			o_printf(o, "%s{" ELLIPSIS "%lld items}%s", frozen ? "frozenset(" : "",
				 (long long)n, frozen ? ")" : "");
		else if (r_push(r, obj) != 0)
			o_printf(o, "%s(...)", frozen ? "frozenset" : "set");
		else {
			r_set(r, o, obj, depth, frozen);
			r_pop(r);
		}
		break;
	}
	case PYK_DEQUE:
		if (depth >= r->depth || r_push(r, obj) != 0) {
			o_printf(o, "%s[" ELLIPSIS "%lld items]%s", wrap ? "" : "deque(",
				 (long long)py_rd64(c, obj + L->ob_size, &ok), wrap ? "" : ")");
			break;
		}
		r_deque(r, o, obj, depth, wrap);
		r_pop(r);
		break;
	case PYK_TYPE:
		r_type(r, o, obj);
		break;
	case PYK_MODULE:
		r_module(r, o, obj);
		break;
	case PYK_FUNCTION:
		r_function(r, o, obj);
		break;
	case PYK_CODE:
		r_code(r, o, obj);
		break;
	case PYK_CELL: {
		raddr_t v = py_fld(c, obj, L->cell_ref);
		o_puts(o, "<cell: ");
		if (!v)
			o_puts(o, "empty");
		else if (depth >= r->depth || r_push(r, obj) != 0)
			o_printf(o, "%#llx", (unsigned long long)v);
		else {
			r_obj(r, o, v, depth + 1);
			r_pop(r);
		}
		o_puts(o, ">");
		break;
	}
	case PYK_METHOD: {
		raddr_t fn = py_fld(c, obj, L->meth_func), self = py_fld(c, obj, L->meth_self);
		char qual[256] = "?";
		if (is_kind(c, fn, PYK_FUNCTION))
			value_str(c, py_fld(c, fn, L->fn_qualname), qual, sizeof qual);
		o_printf(o, "<bound method %s of ", qual);
		if (depth >= r->depth || r_push(r, obj) != 0) {
			char tn[256];
			o_printf(o, "<%s object at %#llx>", value_type_name(c, self, tn, sizeof tn),
				 (unsigned long long)self);
		} else {
			r_obj(r, o, self, depth + 1);
			r_pop(r);
		}
		o_puts(o, ">");
		break;
	}
	case PYK_CFUNCTION:
		r_cfunction(r, o, obj);
		break;
	case PYK_GEN:
	case PYK_CORO:
	case PYK_ASYNCGEN:
		r_gen(r, o, obj, t);
		break;
	case PYK_FRAME:
		if (depth >= r->depth || r_push(r, obj) != 0) {
			o_printf(o, "<frame at %#llx>", (unsigned long long)obj);
			break;
		}
		r_frame(r, o, obj, depth);
		r_pop(r);
		break;
	case PYK_WEAKREF:
		if (depth >= r->depth || r_push(r, obj) != 0) {
			o_printf(o, "<weakref at %#llx>", (unsigned long long)obj);
			break;
		}
		r_weakref(r, o, obj, depth);
		r_pop(r);
		break;
	case PYK_EXCEPTION:
		if (r_push(r, obj) != 0) {
			o_printf(o, "%s(...)", short_tp_name(t));
			break;
		}
		r_exception(r, o, obj, t, depth);
		r_pop(r);
		break;
	case PYK_TRACEBACK:
		r_traceback(r, o, obj);
		break;
	case PYK_PROPERTY: {
		raddr_t g = py_fld(c, obj, PROP_GET);
		o_puts(o, "<property");
		if (g && is_kind(c, g, PYK_FUNCTION)) {
			char q[256];
			o_printf(o, " %s", value_str(c, py_fld(c, g, L->fn_qualname), q, sizeof q));
		}
		o_puts(o, ">");
		break;
	}
	case PYK_STATICMETHOD:
	case PYK_CLASSMETHOD: {
		raddr_t f = py_fld(c, obj, CM_CALLABLE);
		o_printf(o, "<%s(", t->kind == PYK_STATICMETHOD ? "staticmethod" : "classmethod");
		if (f && depth < r->depth && r_push(r, obj) == 0) {
			r_obj(r, o, f, depth + 1);
			r_pop(r);
		}
		o_puts(o, ")>");
		break;
	}
	case PYK_RANGE:
	case PYK_SLICE: {
		int isr = t->kind == PYK_RANGE;
		raddr_t a = py_fld(c, obj, isr ? RANGE_START : SLICE_START);
		raddr_t b = py_fld(c, obj, isr ? RANGE_STOP : SLICE_STOP);
		raddr_t s = py_fld(c, obj, isr ? RANGE_STEP : SLICE_STEP);
		int64_t step = 0;
		int fits = 0;
		o_puts(o, isr ? "range(" : "slice(");
		r_obj(r, o, a, depth + 1);
		o_puts(o, ", ");
		r_obj(r, o, b, depth + 1);
		/* range_repr() omits a step of 1; slice_repr() always shows it */
		if (!isr || value_int64(c, s, &step, &fits) != 0 || !fits || step != 1) {
			o_puts(o, ", ");
			r_obj(r, o, s, depth + 1);
		}
		o_puts(o, ")");
		break;
	}
	default: {
		/* Descriptors and the few builtins without a kind of their own. */
		const char *tn = t->tp_name ? t->tp_name : "";
		if (!t->is_heap && !strcmp(tn, "member_descriptor"))
			r_descriptor(r, o, obj, "member");
		else if (!t->is_heap && !strcmp(tn, "getset_descriptor"))
			r_descriptor(r, o, obj, "attribute");
		else if (!t->is_heap && !strcmp(tn, "method_descriptor"))
			r_descriptor(r, o, obj, "method");
		else if (!t->is_heap && !strcmp(tn, "wrapper_descriptor"))
			r_descriptor(r, o, obj, "slot wrapper");
		else if (obj == pyctx_rt(c)->sym_ellipsis || !strcmp(tn, "ellipsis"))
			o_puts(o, "Ellipsis");
		else if (obj == pyctx_rt(c)->sym_notimplemented || !strcmp(tn, "NotImplementedType"))
			o_puts(o, "NotImplemented");
		else if (r_push(r, obj) != 0)
			o_printf(o, "<%s ...>", t->qualname);
		else {
			r_instance(r, o, obj, t, depth);
			r_pop(r);
		}
		break;
	}
	}
	if (wrap)
		o_puts(o, ")");
}

long value_repr_opts(struct pyctx *c, raddr_t obj, const struct value_opts *opts,
		     char *buf, size_t cap)
{
	struct out o;
	struct rctx r = {
		.c = c, .L = pyctx_layout(c),
		.max_items = opts && opts->max_items > 0 ? opts->max_items : 8,
		.max_str = opts && opts->max_str > 0 ? opts->max_str : 200,
		.depth = opts && opts->depth > 0 ? opts->depth : 2,
	};
	if (r.depth > MAX_NEST - 1)
		r.depth = MAX_NEST - 1;
	if (!cap)
		return -1;
	o_init(&o, buf, cap);
	if (cap < 5) {
		buf[0] = 0;
		return py_type_of_obj(c, obj) ? 0 : -1;
	}
	if (!obj || !py_type_of_obj(c, obj)) {
		r_unreadable(&o, obj);
		return -1;
	}
	r_obj(&r, &o, obj, 0);
	return (long)o.len;
}

long value_repr(struct pyctx *c, raddr_t obj, char *buf, size_t cap)
{
	return value_repr_opts(c, obj, NULL, buf, cap);
}

/* ==== Fields ==== */

struct fb {
	struct pyctx *c;
	struct value_field *v;
	size_t n, cap;
	size_t first, max;      /* window over item rows */
	size_t nitems;          /* item rows seen so far */
	size_t named;           /* named rows */
	int oom;
};

static const struct value_opts field_opts = {.max_items = 4, .max_str = 80, .depth = 1};

static struct value_field *fb_push(struct fb *b)
{
	if (b->oom)
		return NULL;
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 32;
		struct value_field *nv = realloc(b->v, ncap * sizeof *nv);
		if (!nv) {
			b->oom = 1;
			return NULL;
		}
		b->v = nv;
		b->cap = ncap;
	}
	struct value_field *f = &b->v[b->n++];
	memset(f, 0, sizeof *f);
	return f;
}

static void fb_fill(struct fb *b, struct value_field *f, enum value_field_kind k,
		    const char *label, raddr_t value, raddr_t key)
{
	f->kind = k;
	snprintf(f->label, sizeof f->label, "%s", label);
	f->value = value;
	f->key_obj = key;
	if (value)
		value_repr_opts(b->c, value, &field_opts, f->text, sizeof f->text);
	else
		snprintf(f->text, sizeof f->text, "NULL");
}

/* A named field pointing at an object (skipped when NULL unless keep). */
static void fb_field(struct fb *b, const char *label, raddr_t value, int keep)
{
	if (!value && !keep)
		return;
	struct value_field *f = fb_push(b);
	if (f) {
		fb_fill(b, f, VF_FIELD, label, value, 0);
		b->named++;
	}
}

__attribute__((format(printf, 3, 4)))
static void fb_info(struct fb *b, const char *label, const char *fmt, ...)
{
	struct value_field *f = fb_push(b);
	if (!f)
		return;
	f->kind = VF_INFO;
	snprintf(f->label, sizeof f->label, "%s", label);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	b->named++;
}

/* An item row: counted always, stored only inside the window.  Returns 1
 * once the window is full (callers may stop iterating). */
static int fb_item(struct fb *b, enum value_field_kind k, const char *label,
		   raddr_t value, raddr_t key)
{
	size_t i = b->nitems++;
	if (i < b->first)
		return 0;
	if (i >= b->first + b->max)
		return 1;
	struct value_field *f = fb_push(b);
	if (f)
		fb_fill(b, f, k, label, value, key);
	return 0;
}

static int fb_dict_cb(void *p, raddr_t key, raddr_t value)
{
	struct fb *b = p;
	char label[160], kr[140];
	/* Past the window: stop; the caller takes the total from ma_used. */
	if (b->nitems >= b->first + b->max)
		return 1;
	if (b->nitems >= b->first) {
		value_repr_opts(b->c, key, &field_opts, kr, sizeof kr);
		snprintf(label, sizeof label, "[%s]", kr);
	} else {
		label[0] = 0;
	}
	return fb_item(b, VF_ENTRY, label, value, key);
}

static void fb_dict_items(struct fb *b, raddr_t dict)
{
	int ok = 1;
	int64_t used = (int64_t)py_rd64(b->c, dict + pyctx_layout(b->c)->dict_used, &ok);
	size_t before = b->nitems;
	py_dict_iter(b->c, dict, fb_dict_cb, b);
	if (ok && used > 0 && (size_t)used > b->nitems - before)
		b->nitems = before + (size_t)used;
}

static int fb_set_cb(void *p, raddr_t key)
{
	struct fb *b = p;
	char label[32];
	snprintf(label, sizeof label, "{%zu}", b->nitems);
	return fb_item(b, VF_ITEM, label, key, 0);
}

static int fb_attr_cb(void *p, const struct value_attr *a)
{
	struct fb *b = p;
	struct value_field *f = fb_push(b);
	if (!f)
		return 1;
	char label[160];
	snprintf(label, sizeof label, ".%s", a->name);
	fb_fill(b, f, a->where == VALUE_ATTR_SLOT ? VF_SLOT : VF_ATTR, label, a->value, a->name_obj);
	b->named++;
	return 0;
}

static void fb_locals(struct fb *b, const struct py_frame *f)
{
	fb_info(b, "function", "%s", f->qualname);
	fb_info(b, "file", "%s", f->file);
	fb_info(b, "line", "%d", f->line);
	for (size_t i = 0; i < f->nlocals; i++) {
		const struct py_local *l = &f->locals[i];
		struct value_field *fl = fb_push(b);
		if (!fl)
			return;
		fb_fill(b, fl, VF_LOCAL, l->name, l->value, l->name_obj);
		if (!l->value)
			snprintf(fl->text, sizeof fl->text, "<unbound>");
		b->named++;
	}
}

long value_fields(struct pyctx *c, raddr_t obj, size_t first, size_t max,
		  struct value_field **out, size_t *total)
{
	const struct py_layout *L = pyctx_layout(c);
	struct fb b = {.c = c, .first = first, .max = max ? max : 64};
	int ok = 1;
	*out = NULL;
	if (total)
		*total = 0;
	const struct pytype *t = py_type_of_obj(c, obj);
	if (!t)
		return -1;

	fb_field(&b, "__class__", t->addr, 1);
	switch (t->kind) {
	case PYK_STR: {
		struct vstr s;
		if (vstr_info(c, obj, &s) == 0) {
			fb_info(&b, "length", "%lld", (long long)s.length);
			fb_info(&b, "kind", "%d byte%s per character", s.kind, s.kind > 1 ? "s" : "");
		}
		break;
	}
	case PYK_BYTES:
	case PYK_BYTEARRAY:
		fb_info(&b, "length", "%lld", (long long)py_rd64(c, obj + L->ob_size, &ok));
		break;
	case PYK_INT: {
		struct vint v;
		if (vint_info(c, obj, &v) == 0)
			fb_info(&b, "digits", "%lld (30-bit)", (long long)v.ndigits);
		break;
	}
	case PYK_TUPLE:
	case PYK_LIST: {
		int64_t n = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		raddr_t items = t->kind == PYK_TUPLE ? obj + (uint64_t)L->tuple_items
						     : py_rd64(c, obj + L->list_items, &ok);
		if (!ok || n < 0)
			break;
		fb_info(&b, "length", "%lld", (long long)n);
		if (t->kind == PYK_LIST)
			fb_info(&b, "allocated", "%lld", (long long)py_rd64(c, obj + L->list_allocated, &ok));
		/* Jump straight to the window: items are an array. */
		b.nitems = first < (size_t)n ? first : (size_t)n;
		for (int64_t i = (int64_t)b.nitems; i < n; i++) {
			char label[32];
			snprintf(label, sizeof label, "[%lld]", (long long)i);
			raddr_t it = py_rd64(c, items + (uint64_t)i * 8, &ok);
			if (!ok || fb_item(&b, VF_ITEM, label, it, 0))
				break;
		}
		b.nitems = (size_t)n;
		break;
	}
	case PYK_DICT:
	case PYK_ODICT:
		fb_info(&b, "length", "%lld", (long long)py_rd64(c, obj + L->dict_used, &ok));
		fb_dict_items(&b, obj);
		break;
	case PYK_SET:
	case PYK_FROZENSET: {
		int64_t used = (int64_t)py_rd64(c, obj + L->set_used, &ok);
		fb_info(&b, "length", "%lld", (long long)used);
		set_iter(c, obj, fb_set_cb, &b);
		if (ok && used > 0)
			b.nitems = (size_t)used;
		break;
	}
	case PYK_DEQUE: {
		int64_t n = (int64_t)py_rd64(c, obj + L->ob_size, &ok);
		raddr_t block = py_rd64(c, obj + DEQUE_LEFTBLOCK, &ok);
		int64_t idx = (int64_t)py_rd64(c, obj + DEQUE_LEFTINDEX, &ok);
		if (!ok || n < 0 || idx < 0 || idx >= DEQUE_BLOCKLEN)
			break;
		fb_info(&b, "length", "%lld", (long long)n);
		/* Blocks of 64 are linked: skip whole blocks up to the window. */
		int64_t end = (int64_t)(first + b.max) < n ? (int64_t)(first + b.max) : n;
		for (int64_t i = 0; i < end && block && ok; i++) {
			if (i >= (int64_t)first) {
				char label[32];
				snprintf(label, sizeof label, "[%lld]", (long long)i);
				b.nitems = (size_t)i;
				fb_item(&b, VF_ITEM, label,
					py_rd64(c, block + DEQUE_BLOCK_DATA + (uint64_t)idx * 8, &ok), 0);
			}
			if (++idx == DEQUE_BLOCKLEN) {
				block = py_rd64(c, block + DEQUE_BLOCK_RIGHT, &ok);
				idx = 0;
			}
		}
		b.nitems = (size_t)n;
		break;
	}
	case PYK_TYPE: {
		const struct pytype *tt = py_type(c, obj);
		if (!tt)
			break;
		fb_info(&b, "name", "%s", tt->qualname);
		fb_info(&b, "module", "%s", tt->module);
		fb_field(&b, "__base__", tt->base, 0);
		fb_field(&b, "__bases__", py_fld(c, obj, L->tp_bases), 0);
		fb_field(&b, "__mro__", py_fld(c, obj, L->tp_mro), 0);
		if (tt->is_heap) {
			/* 3.12+ static builtin types keep their dict per
			 * interpreter; only heap types' tp_dict is theirs. */
			raddr_t d = py_fld(c, obj, L->tp_dict);
			fb_field(&b, "__dict__", d, 0);
			fb_field(&b, "__slots__", py_fld(c, obj, L->ht_slots), 0);
			if (d)
				fb_dict_items(&b, d);
		}
		break;
	}
	case PYK_MODULE: {
		raddr_t d = py_fld(c, obj, L->mod_dict);
		fb_field(&b, "__dict__", d, 0);
		if (d) {
			fb_field(&b, "__name__", py_dict_get_str(c, d, "__name__"), 0);
			fb_field(&b, "__file__", py_dict_get_str(c, d, "__file__"), 0);
			fb_dict_items(&b, d);
		}
		break;
	}
	case PYK_FUNCTION: {
		raddr_t code = py_fld(c, obj, L->fn_code);
		fb_field(&b, "__name__", py_fld(c, obj, L->fn_name), 0);
		fb_field(&b, "__qualname__", py_fld(c, obj, L->fn_qualname), 0);
		fb_field(&b, "__module__", py_fld(c, obj, L->fn_module), 0);
		fb_field(&b, "__code__", code, 0);
		if (is_kind(c, code, PYK_CODE)) {
			char file[512];
			value_str(c, py_fld(c, code, L->co_filename), file, sizeof file);
			fb_info(&b, "defined at", "%s:%d", file,
				(int)py_rd32(c, code + L->co_firstlineno, &ok));
		}
		fb_field(&b, "__globals__", py_fld(c, obj, L->fn_globals), 0);
		fb_field(&b, "__builtins__", py_fld(c, obj, L->fn_builtins), 0);
		fb_field(&b, "__defaults__", py_fld(c, obj, L->fn_defaults), 0);
		fb_field(&b, "__kwdefaults__", py_fld(c, obj, L->fn_kwdefaults), 0);
		fb_field(&b, "__closure__", py_fld(c, obj, L->fn_closure), 0);
		fb_field(&b, "__doc__", py_fld(c, obj, L->fn_doc), 0);
		fb_field(&b, "__dict__", py_fld(c, obj, L->fn_dict), 0);
		fb_field(&b, "__annotations__", py_fld(c, obj, L->fn_annotations), 0);
		fb_field(&b, "__type_params__", py_fld(c, obj, L->fn_typeparams), 0);
		break;
	}
	case PYK_CODE: {
		fb_field(&b, "co_name", py_fld(c, obj, L->co_name), 0);
		fb_field(&b, "co_qualname", py_fld(c, obj, L->co_qualname), 0);
		fb_field(&b, "co_filename", py_fld(c, obj, L->co_filename), 0);
		fb_info(&b, "co_firstlineno", "%d", (int)py_rd32(c, obj + L->co_firstlineno, &ok));
		fb_info(&b, "co_argcount", "%d", (int)py_rd32(c, obj + L->co_argcount, &ok));
		fb_field(&b, "co_consts", py_fld(c, obj, L->co_consts), 0);
		fb_field(&b, "co_names", py_fld(c, obj, L->co_names), 0);
		fb_field(&b, "co_varnames", py_fld(c, obj, L->co_varnames), 0);
		fb_field(&b, "co_cellvars", py_fld(c, obj, L->co_cellvars), 0);
		fb_field(&b, "co_freevars", py_fld(c, obj, L->co_freevars), 0);
		fb_field(&b, "co_localsplusnames", py_fld(c, obj, L->co_localsplusnames), 0);
		break;
	}
	case PYK_CELL:
		fb_field(&b, "cell_contents", py_fld(c, obj, L->cell_ref), 1);
		break;
	case PYK_METHOD:
		fb_field(&b, "__func__", py_fld(c, obj, L->meth_func), 1);
		fb_field(&b, "__self__", py_fld(c, obj, L->meth_self), 1);
		break;
	case PYK_CFUNCTION:
		fb_field(&b, "__self__", py_fld(c, obj, L->cfunc_self), 0);
		fb_field(&b, "__module__", py_fld(c, obj, L->cfunc_module), 0);
		break;
	case PYK_GEN:
	case PYK_CORO:
	case PYK_ASYNCGEN: {
		raddr_t iframe, frame_obj;
		const char *st = gen_state(c, obj, &iframe, &frame_obj);
		fb_info(&b, "state", "%s", st);
		fb_field(&b, "__name__", py_fld(c, obj, L->gen_name), 0);
		fb_field(&b, "__qualname__", py_fld(c, obj, L->gen_qualname), 0);
		fb_field(&b, "gi_code", L->gen_code >= 0 ? py_fld(c, obj, L->gen_code)
				       : iframe ? py_fld(c, iframe, L->iframe_code)
						: py_fld(c, obj + (uint64_t)L->gen_iframe, L->iframe_code), 0);
		fb_field(&b, "gi_frame", frame_obj, 0);
		struct py_frame f;
		int rc = iframe ? frames_decode_iframe(c, iframe, FRAMES_LOCALS, &f)
		       : frame_obj ? frames_decode_frame_obj(c, frame_obj, FRAMES_LOCALS, &f) : -1;
		if (rc == 0) {
			fb_locals(&b, &f);
			frames_frame_fini(&f);
		}
		break;
	}
	case PYK_FRAME: {
		struct py_frame f;
		fb_field(&b, "f_back", py_fld(c, obj, L->frame_back), 0);
		if (frames_decode_frame_obj(c, obj, FRAMES_LOCALS, &f) == 0) {
			fb_field(&b, "f_code", f.code, 0);
			fb_field(&b, "f_globals", f.globals, 0);
			fb_field(&b, "f_builtins", f.builtins, 0);
			if (f.locals_dict && f.locals_dict != f.globals)
				fb_field(&b, "f_locals", f.locals_dict, 0);
			fb_locals(&b, &f);
			frames_frame_fini(&f);
		}
		break;
	}
	case PYK_WEAKREF: {
		raddr_t ref = py_fld(c, obj, L->wr_object);
		if (!ref || is_none(c, ref))
			fb_info(&b, "referent", "dead");
		else
			fb_field(&b, "referent", ref, 1);
		fb_field(&b, "__callback__", py_fld(c, obj, L->wr_callback), 0);
		break;
	}
	case PYK_EXCEPTION:
		fb_field(&b, "args", py_fld(c, obj, EXC_ARGS), 0);
		if (L->minor >= 11)
			fb_field(&b, "__notes__", py_fld(c, obj, EXC_NOTES_311), 0);
		fb_field(&b, "__traceback__", py_fld(c, obj, EXC_TRACEBACK(L->minor)), 0);
		fb_field(&b, "__context__", py_fld(c, obj, EXC_CONTEXT(L->minor)), 0);
		fb_field(&b, "__cause__", py_fld(c, obj, EXC_CAUSE(L->minor)), 0);
		break;
	case PYK_TRACEBACK: {
		raddr_t frame = py_fld(c, obj, TB_FRAME);
		int line = (int32_t)py_rd32(c, obj + TB_LINENO, &ok);
		int lasti = (int32_t)py_rd32(c, obj + TB_LASTI, &ok);
		fb_field(&b, "tb_next", py_fld(c, obj, TB_NEXT), 0);
		fb_field(&b, "tb_frame", frame, 0);
		if (line <= 0 && frame) {
			struct py_frame f;
			if (frames_decode_frame_obj(c, frame, 0, &f) == 0) {
				line = frames_code_line(c, f.code, lasti);
				frames_frame_fini(&f);
			}
		}
		fb_info(&b, "tb_lineno", "%d", line);
		fb_info(&b, "tb_lasti", "%d", lasti);
		break;
	}
	case PYK_PROPERTY:
		fb_field(&b, "fget", py_fld(c, obj, PROP_GET), 0);
		fb_field(&b, "fset", py_fld(c, obj, PROP_SET), 0);
		fb_field(&b, "fdel", py_fld(c, obj, PROP_DEL), 0);
		fb_field(&b, "__doc__", py_fld(c, obj, PROP_DOC), 0);
		break;
	case PYK_STATICMETHOD:
	case PYK_CLASSMETHOD:
		fb_field(&b, "__func__", py_fld(c, obj, CM_CALLABLE), 0);
		break;
	case PYK_RANGE:
		fb_field(&b, "start", py_fld(c, obj, RANGE_START), 1);
		fb_field(&b, "stop", py_fld(c, obj, RANGE_STOP), 1);
		fb_field(&b, "step", py_fld(c, obj, RANGE_STEP), 1);
		break;
	case PYK_SLICE:
		fb_field(&b, "start", py_fld(c, obj, SLICE_START), 1);
		fb_field(&b, "stop", py_fld(c, obj, SLICE_STOP), 1);
		fb_field(&b, "step", py_fld(c, obj, SLICE_STEP), 1);
		break;
	default:
		if (!python_class(t))
			fb_info(&b, "size", "%llu bytes (extension type %s)",
				(unsigned long long)py_getsizeof(c, obj, t), t->tp_name ? t->tp_name : "?");
		break;
	}
	/* Instance attributes of anything with a dict, managed values or
	 * slots (Python classes, subclasses of builtins, C types with
	 * tp_dictoffset).  Types and modules expose their dicts above. */
	if (t->kind != PYK_TYPE && t->kind != PYK_MODULE && t->kind != PYK_FUNCTION) {
		raddr_t d = value_instance_dict(c, obj, t);
		if (d)
			fb_field(&b, "__dict__", d, 0);
		value_iter_attrs(c, obj, t, fb_attr_cb, &b);
	}
	if (b.oom) {
		free(b.v);
		return -1;
	}
	/* Contract: named rows first, then the window's item rows (viewers
	 * page through items and keep the named rows).  Stable partition. */
	for (size_t i = 0, w = 0; i < b.n; i++) {
		if (b.v[i].kind == VF_ITEM || b.v[i].kind == VF_ENTRY)
			continue;
		if (i != w) {
			struct value_field tmp = b.v[i];
			memmove(&b.v[w + 1], &b.v[w], (i - w) * sizeof *b.v);
			b.v[w] = tmp;
		}
		w++;
	}
	if (total)
		*total = b.named + b.nitems;
	*out = b.v;
	return (long)b.n;
}
