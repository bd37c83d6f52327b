/* frames — thread states, frame chains, line numbers, locals.  See frames.h.
 *
 * Three frame models, chosen by which layout fields exist (never by
 * #if):
 *   ts_frame >= 0            ≤3.10  PyFrameObject chain (f_back)
 *   cframe_current_frame >= 0  3.11/3.12  cframe->current_frame, then
 *                            _PyInterpreterFrame.previous
 *   ts_current_frame >= 0    3.13  current_frame, then .previous
 * Line tables come in three formats (co_lnotab 3.8/3.9, the 3.10
 * co_linetable, the 3.11+ location table); the format is a property of
 * the version, so that is the one place that branches on L->minor.
 */
#include "frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyread.h"

/* co_localspluskinds bits (3.11+) */
#define CO_FAST_HIDDEN 0x10    /* 3.13: inlined comprehension variable */
#define CO_FAST_LOCAL  0x20
#define CO_FAST_CELL   0x40
#define CO_FAST_FREE   0x80

#define CO_OPTIMIZED   0x0001  /* function body: locals live in fast slots */

/* glibc (x86_64) struct pthread.tid: pthread_self() is the address of the
 * thread's struct pthread, and ≤3.10 PyThreadState has no native id.
 * Checked on Debian 12 glibc 2.36 (threading.get_native_id() ==
 * *(int*)(get_ident()+720) on every thread); only used when the value
 * looks like a TID. */
#define GLIBC_PTHREAD_TID 720
#define MAX_TID (1 << 22)      /* PID_MAX_LIMIT on 64-bit */

#define MAX_LINETABLE (1 << 24)

/* ==== Readers (py_rd64/py_rd32/py_rd8/py_fld live in pyobj.c) ==== */

static int is_kind(struct pyctx *c, raddr_t obj, enum py_kind k)
{
	const struct pytype *t = obj && !(obj & 7) ? py_type_of_obj(c, obj) : NULL;
	return t && t->kind == k;
}

/* A bytes object's contents: a pointer into the snapshot when possible,
 * else a malloc'd copy returned through *owned.  NULL if unreadable. */
static const uint8_t *bytes_data(struct pyctx *c, raddr_t b, int64_t *len, uint8_t **owned)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	*owned = NULL;
	if (!is_kind(c, b, PYK_BYTES))
		return NULL;
	*len = (int64_t)py_rd64(c, b + L->ob_size, &ok);
	if (!ok || *len < 0 || *len > MAX_LINETABLE)
		return NULL;
	if (*len == 0)
		return (const uint8_t *)"";
	/* 2.7: a str (PyStringObject) */
	raddr_t data = b + (uint64_t)(L->major == 2 ? L->pystr_sval : L->bytes_sval);
	const uint8_t *p = mem_ptr(pyctx_mem(c), data, (size_t)*len);
	if (p)
		return p;
	*owned = malloc((size_t)*len);
	if (!*owned || mem_read(pyctx_mem(c), data, *owned, (size_t)*len) != 0) {
		free(*owned);
		*owned = NULL;
		return NULL;
	}
	return *owned;
}

/* ==== Line tables ==== */

/* 3.6–3.9 co_lnotab: (addr_incr u8, line_incr s8) pairs; PyCode_Addr2Line.
 * 2.7's line increments are unsigned. */
static int line_lnotab(const uint8_t *p, int64_t n, int first, int lasti, int signed_incr)
{
	int line = first, addr = 0;
	for (int64_t i = 0; i + 1 < n; i += 2) {
		addr += p[i];
		if (addr > lasti)
			break;
		line += signed_incr ? (int8_t)p[i + 1] : p[i + 1];
	}
	return line;
}

/* 3.10 co_linetable: (byte length u8, line delta s8) pairs, -128 = no
 * line; the range containing the byte offset gives the line. */
static int line_310(const uint8_t *p, int64_t n, int first, int addrq)
{
	int start = 0, computed = first;
	for (int64_t i = 0; i + 1 < n; i += 2) {
		int sd = p[i], ld = (int8_t)p[i + 1];
		int line = -1;
		if (ld != -128) {
			computed += ld;
			line = computed;
		}
		if (sd && start <= addrq && addrq < start + sd)
			return line;
		start += sd;
	}
	return -1;
}

static unsigned read_varint(const uint8_t *p, int64_t n, int64_t *i)
{
	unsigned val = 0, shift = 0;
	while (*i < n && shift < 32) {
		uint8_t b = p[(*i)++];
		val |= (unsigned)(b & 63) << shift;
		shift += 6;
		if (!(b & 64))
			break;
	}
	return val;
}

static int read_svarint(const uint8_t *p, int64_t n, int64_t i)
{
	unsigned v = read_varint(p, n, &i);
	return (v & 1) ? -(int)(v >> 1) : (int)(v >> 1);
}

/* 3.11+ location table (Objects/locations.md): entries start with a byte
 * with bit 7 set: code = bits 3–6, length-1 (code units) = bits 0–2.
 * Codes 0–9 short form (same line), 10–12 one-line form (delta 0/1/2),
 * 13 no columns and 14 long form (signed varint delta follows), 15 no
 * location.  Mirrors advance()/get_line_delta() of codeobject.c. */
static int line_311(const uint8_t *p, int64_t n, int first, int addrq)
{
	int computed = first, start = 0;
	int64_t i = 0;
	while (i < n) {
		uint8_t b = p[i];
		int code = (b >> 3) & 15, len = (b & 7) + 1;
		if (code == 13 || code == 14)
			computed += read_svarint(p, n, i + 1);
		else if (code >= 10 && code <= 12)
			computed += code - 10;
		int line = (b >> 3) == 0x1f ? -1 : computed;
		int end = start + len * 2;
		if (start <= addrq && addrq < end)
			return line;
		start = end;
		for (i++; i < n && !(p[i] & 0x80); i++)
			;
	}
	return -1;
}

int frames_code_line(struct pyctx *c, raddr_t code, int lasti)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	if (!is_kind(c, code, PYK_CODE))
		return -1;
	int first = (int32_t)py_rd32(c, code + L->co_firstlineno, &ok);
	if (!ok)
		return -1;
	/* PyCode_Addr2Line: a negative offset means "not started yet" */
	if (lasti < 0)
		return first;
	raddr_t table = py_fld(c, code, L->co_lnotab >= 0 ? L->co_lnotab : L->co_linetable);
	int64_t n;
	uint8_t *owned;
	const uint8_t *p = bytes_data(c, table, &n, &owned);
	if (!p)
		return -1;
	int line;
	/* The table format is a property of the version, not of a field. */
	if (L->co_lnotab >= 0)
		line = line_lnotab(p, n, first, lasti, L->major != 2);
	else if (L->minor == 10)
		line = line_310(p, n, first, lasti);
	else
		line = line_311(p, n, first, lasti);
	free(owned);
	return line;
}

/* ==== Frames ==== */

static void code_names(struct pyctx *c, raddr_t code, struct py_frame *f)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	f->code = code;
	value_str(c, py_fld(c, code, L->co_name), f->function, sizeof f->function);
	raddr_t q = py_fld(c, code, L->co_qualname);
	if (q)
		value_str(c, q, f->qualname, sizeof f->qualname);
	else
		snprintf(f->qualname, sizeof f->qualname, "%s", f->function);
	value_str(c, py_fld(c, code, L->co_filename), f->file, sizeof f->file);
	f->firstlineno = (int32_t)py_rd32(c, code + L->co_firstlineno, &ok);
}

struct lbuf {
	struct py_frame *f;
	size_t cap;
	int oom;
};

static struct py_local *local_push(struct lbuf *b)
{
	struct py_frame *f = b->f;
	if (b->oom)
		return NULL;
	if (f->nlocals >= FRAMES_MAX_LOCALS) {
		f->locals_truncated = 1;
		return NULL;
	}
	if (f->nlocals == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		struct py_local *nl = realloc(f->locals, ncap * sizeof *nl);
		if (!nl) {
			b->oom = 1;
			return NULL;
		}
		f->locals = nl;
		b->cap = ncap;
	}
	struct py_local *l = &f->locals[f->nlocals++];
	memset(l, 0, sizeof *l);
	return l;
}

static void local_set(struct pyctx *c, struct py_local *l, raddr_t name, raddr_t value,
		      enum py_local_kind kind)
{
	l->name_obj = name;
	value_str(c, name, l->name, sizeof l->name);
	l->kind = kind;
	l->value = value;
	if ((kind == PY_LOCAL_CELL || kind == PY_LOCAL_FREE) && is_kind(c, value, PYK_CELL)) {
		l->cell = value;
		l->value = py_fld(c, value, pyctx_layout(c)->cell_ref);
	}
}

/* Tuple item i, 0 when out of range. */
static raddr_t tuple_item(struct pyctx *c, raddr_t tup, int64_t i)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	if (!is_kind(c, tup, PYK_TUPLE))
		return 0;
	int64_t n = (int64_t)py_rd64(c, tup + L->ob_size, &ok);
	if (!ok || i < 0 || i >= n)
		return 0;
	return py_fld(c, tup + (uint64_t)L->tuple_items + (uint64_t)i * 8, 0);
}

static int64_t tuple_len(struct pyctx *c, raddr_t tup)
{
	int ok = 1;
	if (!is_kind(c, tup, PYK_TUPLE))
		return 0;
	int64_t n = (int64_t)py_rd64(c, tup + pyctx_layout(c)->ob_size, &ok);
	return ok && n > 0 && n < (1 << 20) ? n : 0;
}

struct dict_locals {
	struct pyctx *c;
	struct lbuf *b;
};

static int dict_local_cb(void *p, raddr_t key, raddr_t value)
{
	struct dict_locals *d = p;
	struct py_local *l = local_push(d->b);
	if (!l)
		return 1;
	local_set(d->c, l, key, value, PY_LOCAL_DICT);
	return 0;
}

/* Module and class bodies keep their variables in the f_locals dict. */
static void dict_locals(struct pyctx *c, struct lbuf *b, raddr_t code, raddr_t locals)
{
	int ok = 1;
	int flags = (int32_t)py_rd32(c, code + pyctx_layout(c)->co_flags, &ok);
	if (!ok || (flags & CO_OPTIMIZED) || !locals || !is_kind(c, locals, PYK_DICT))
		return;
	struct dict_locals d = {c, b};
	py_dict_iter(c, locals, dict_local_cb, &d);
}

/* ≤3.10: fast locals = co_varnames, then cells (co_cellvars) and free
 * variables (co_freevars), all in f_localsplus. */
static void locals_310(struct pyctx *c, raddr_t fo, struct py_frame *f, struct lbuf *b)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	raddr_t code = f->code;
	int64_t nlocals = (int32_t)py_rd32(c, code + L->co_nlocals, &ok);
	raddr_t varnames = py_fld(c, code, L->co_varnames);
	raddr_t cellvars = py_fld(c, code, L->co_cellvars);
	raddr_t freevars = py_fld(c, code, L->co_freevars);
	int64_t ncells = tuple_len(c, cellvars), nfree = tuple_len(c, freevars);
	raddr_t fast = fo + (uint64_t)L->frame_localsplus;
	if (!ok || nlocals < 0 || nlocals > (1 << 16))
		return;
	for (int64_t i = 0; i < nlocals; i++) {
		raddr_t v = py_rd64(c, fast + (uint64_t)i * 8, &ok);
		struct py_local *l = ok ? local_push(b) : NULL;
		if (!l)
			return;
		local_set(c, l, tuple_item(c, varnames, i), v, PY_LOCAL_FAST);
	}
	for (int64_t j = 0; j < ncells + nfree; j++) {
		int is_cell = j < ncells;
		raddr_t name = tuple_item(c, is_cell ? cellvars : freevars, is_cell ? j : j - ncells);
		raddr_t v = py_rd64(c, fast + (uint64_t)(nlocals + j) * 8, &ok);
		if (!ok)
			return;
		/* An argument captured by a closure: its fast slot was cleared
		 * when the cell was made (co_cell2arg); show it once, as f_locals
		 * does, by dropping the empty fast slot of the same name. */
		char nm[64];
		value_str(c, name, nm, sizeof nm);
		for (size_t k = 0; k < f->nlocals; k++)
			if (f->locals[k].kind == PY_LOCAL_FAST && !f->locals[k].value &&
			    !strcmp(f->locals[k].name, nm)) {
				memmove(&f->locals[k], &f->locals[k + 1],
					(f->nlocals - k - 1) * sizeof *f->locals);
				f->nlocals--;
				break;
			}
		struct py_local *l = local_push(b);
		if (!l)
			return;
		local_set(c, l, name, v, is_cell ? PY_LOCAL_CELL : PY_LOCAL_FREE);
	}
}

/* 3.11+: co_localsplusnames / co_localspluskinds over the frame's
 * localsplus array; cells and free variables hold cell objects (once
 * MAKE_CELL / COPY_FREE_VARS have run, which complete frames have). */
static void locals_311(struct pyctx *c, raddr_t iframe, struct py_frame *f, struct lbuf *b)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	raddr_t code = f->code;
	int64_t n = (int32_t)py_rd32(c, code + L->co_nlocalsplus, &ok);
	raddr_t names = py_fld(c, code, L->co_localsplusnames);
	int64_t nk;
	uint8_t *owned;
	const uint8_t *kinds = bytes_data(c, py_fld(c, code, L->co_localspluskinds), &nk, &owned);
	if (!ok || n < 0 || n > (1 << 16) || !kinds)
		goto out;
	raddr_t slots = iframe + (uint64_t)L->iframe_localsplus;
	for (int64_t i = 0; i < n && i < nk; i++) {
		raddr_t v = py_stackref(L, py_rd64(c, slots + (uint64_t)i * 8, &ok));
		if (!ok)
			break;
		int k = kinds[i];
		if ((k & CO_FAST_HIDDEN) && !v)
			continue;
		struct py_local *l = local_push(b);
		if (!l)
			break;
		local_set(c, l, tuple_item(c, names, i), v,
			  (k & CO_FAST_FREE) ? PY_LOCAL_FREE
			  : (k & CO_FAST_CELL) ? PY_LOCAL_CELL : PY_LOCAL_FAST);
	}
out:
	free(owned);
}

static int decode_frame_310(struct pyctx *c, raddr_t fo, int flags, struct py_frame *f)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	raddr_t code = py_fld(c, fo, L->frame_code);
	if (!is_kind(c, code, PYK_CODE))
		return -1;
	code_names(c, code, f);
	f->frame_obj = fo;
	f->globals = py_fld(c, fo, L->frame_globals);
	f->builtins = py_fld(c, fo, L->frame_builtins);
	f->locals_dict = py_fld(c, fo, L->frame_locals);
	int lasti = (int32_t)py_rd32(c, fo + L->frame_lasti, &ok);
	/* 3.8/3.9 f_lasti counts bytes; 3.10 counts 2-byte code units. */
	if (lasti >= 0 && L->minor == 10)
		lasti *= 2;
	f->lasti = lasti;
	int lineno = (int32_t)py_rd32(c, fo + L->frame_lineno, &ok);
	/* PyFrame_GetLineNumber: a traced frame's f_lineno is authoritative
	 * (3.8/3.9: when f_trace is set; 3.10: whenever non-zero). */
	if (L->minor == 10 ? lineno != 0 : py_fld(c, fo, L->frame_trace) != 0)
		f->line = lineno;
	else
		f->line = frames_code_line(c, code, lasti);
	if (flags & FRAMES_LOCALS) {
		struct lbuf b = {f, 0, 0};
		locals_310(c, fo, f, &b);
		dict_locals(c, &b, code, f->locals_dict);
	}
	return 0;
}

int frames_decode_iframe(struct pyctx *c, raddr_t iframe, int flags, struct py_frame *f)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	memset(f, 0, sizeof *f);
	f->line = -1;
	f->lasti = -1;
	if (L->iframe_code < 0 || !iframe)
		return -1;
	raddr_t code = py_fld_ref(c, iframe, L->iframe_code);
	if (!is_kind(c, code, PYK_CODE))
		return -1;   /* 3.13+ shim frames hold a non-code executable */
	code_names(c, code, f);
	f->iframe = iframe;
	f->func = py_fld_ref(c, iframe, L->iframe_func);
	f->globals = py_fld(c, iframe, L->iframe_globals);
	f->builtins = py_fld(c, iframe, L->iframe_builtins);
	f->locals_dict = py_fld(c, iframe, L->iframe_locals);
	f->frame_obj = py_fld(c, iframe, L->iframe_frame_obj);
	raddr_t instr = py_rd64(c, iframe + L->iframe_prev_instr, &ok);
	raddr_t start = code + (uint64_t)L->co_code_adaptive;
	/* _PyInterpreterFrame_LASTI * sizeof(_Py_CODEUNIT): 3.11/3.12
	 * prev_instr (start - 1 unit before the first instruction), 3.13
	 * instr_ptr; both map to the line through PyCode_Addr2Line. */
	int64_t lasti = ok ? (int64_t)(instr - start) : -1;
	if (lasti < -2 || lasti > (1 << 28))
		lasti = -1;
	f->lasti = (int)lasti;
	int lineno = f->frame_obj ? (int32_t)py_rd32(c, f->frame_obj + L->frame_lineno, &ok) : 0;
	/* A frame object's f_lineno > 0 is set by tracing and wins. */
	f->line = lineno > 0 ? lineno : frames_code_line(c, code, (int)lasti);
	if (flags & FRAMES_LOCALS) {
		struct lbuf b = {f, 0, 0};
		locals_311(c, iframe, f, &b);
		dict_locals(c, &b, code, f->locals_dict);
	}
	return 0;
}

int frames_decode_frame_obj(struct pyctx *c, raddr_t fo, int flags, struct py_frame *f)
{
	const struct py_layout *L = pyctx_layout(c);
	memset(f, 0, sizeof *f);
	f->line = -1;
	f->lasti = -1;
	if (!is_kind(c, fo, PYK_FRAME))
		return -1;
	if (L->frame_frame < 0)
		return decode_frame_310(c, fo, flags, f);
	/* 3.11+: the frame object wraps a _PyInterpreterFrame, on the
	 * thread's data stack while running, inside the frame object
	 * (_f_frame_data) once the function has returned. */
	raddr_t iframe = py_fld(c, fo, L->frame_frame);
	int rc = frames_decode_iframe(c, iframe, flags, f);
	if (rc == 0)
		f->frame_obj = fo;
	return rc;
}

void frames_frame_fini(struct py_frame *f)
{
	if (!f)
		return;
	free(f->locals);
	f->locals = NULL;
	f->nlocals = 0;
}

/* ==== Threads ==== */

raddr_t frames_main_interp(struct pyctx *c)
{
	return pyctx_roots(c)->interp;
}

/* A small open-addressing set of addresses, for loop detection. */
struct aset {
	raddr_t *v;
	size_t cap;
};

static int aset_add(struct aset *s, raddr_t a)
{
	size_t i = (size_t)((a >> 3) * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
	while (s->v[i]) {
		if (s->v[i] == a)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = a;
	return 1;
}

/* 3.11+: is this _PyInterpreterFrame one Python would show?  Skips C-stack
 * shim frames and frames still in their prologue (_PyFrame_IsIncomplete). */
static int iframe_complete(struct pyctx *c, raddr_t iframe)
{
	const struct py_layout *L = pyctx_layout(c);
	int ok = 1;
	int owner = py_rd8(c, iframe + L->iframe_owner, &ok);
	if (!ok)
		return 0;
	/* entry shims on the C stack (3.12–3.14) and the interpreter's own
	 * base frames (3.14+) are not Python frames */
	if (owner == L->owner_cstack || owner == L->owner_interpreter)
		return 0;
	raddr_t code = py_fld_ref(c, iframe, L->iframe_code);
	if (!is_kind(c, code, PYK_CODE))
		return 0;
	if (owner == L->owner_generator || L->co_firsttraceable < 0)
		return 1;
	int first = (int32_t)py_rd32(c, code + L->co_firsttraceable, &ok);
	raddr_t instr = py_rd64(c, iframe + L->iframe_prev_instr, &ok);
	raddr_t start = code + (uint64_t)L->co_code_adaptive;
	return ok && (int64_t)(instr - start) >= (int64_t)first * 2;
}

static int frames_push(struct py_thread *t, size_t *cap, struct py_frame *f)
{
	if (t->nframes == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct py_frame *nf = realloc(t->frames, ncap * sizeof *nf);
		if (!nf)
			return -1;
		t->frames = nf;
		*cap = ncap;
	}
	t->frames[t->nframes++] = *f;
	return 0;
}

static void walk_frames(struct pyctx *c, raddr_t ts, int flags, struct py_thread *t)
{
	const struct py_layout *L = pyctx_layout(c);
	struct aset seen = {calloc(2 * FRAMES_MAX_DEPTH, sizeof(raddr_t)), 2 * FRAMES_MAX_DEPTH};
	size_t cap = 0;
	int ok = 1;
	int iframes;
	raddr_t p;

	if (!seen.v) {
		t->truncated = 1;
		return;
	}
	if (L->ts_current_frame >= 0) {
		p = py_fld(c, ts, L->ts_current_frame);
		iframes = 1;
	} else if (L->cframe_current_frame >= 0) {
		p = py_fld(c, py_fld(c, ts, L->ts_cframe), L->cframe_current_frame);
		iframes = 1;
	} else {
		p = py_fld(c, ts, L->ts_frame);
		iframes = 0;
	}
	for (int depth = 0; p; depth++) {
		if (depth >= FRAMES_MAX_DEPTH || (p & 7) || !aset_add(&seen, p)) {
			t->truncated = 1;   /* too deep, misaligned or a loop */
			break;
		}
		struct py_frame f;
		int rc = 0, keep = 1;
		if (iframes) {
			keep = iframe_complete(c, p);
			if (keep)
				rc = frames_decode_iframe(c, p, flags, &f);
		} else {
			rc = frames_decode_frame_obj(c, p, flags, &f);
		}
		if (keep && rc != 0) {
			t->truncated = 1;   /* unreadable link: stop here */
			break;
		}
		if (keep && frames_push(t, &cap, &f) != 0) {
			frames_frame_fini(&f);
			t->truncated = 1;
			break;
		}
		p = py_rd64(c, p + (iframes ? L->iframe_previous : L->frame_back), &ok);
		if (!ok) {
			t->truncated = 1;
			break;
		}
	}
	free(seen.v);
}

/* ==== Thread names (threading._active: {ident: Thread}) ==== */

struct names_arg {
	struct pyctx *c;
	struct py_thread *v;
	size_t n;
	struct py_thread *cur;     /* the thread whose Thread object is read */
};

static int name_attr_cb(void *arg, const struct value_attr *a)
{
	struct names_arg *na = arg;
	/* 2.7's threading.Thread keeps it name-mangled: _Thread__name */
	if (strcmp(a->name, "_name") && strcmp(a->name, "_Thread__name"))
		return 0;
	char *nm = na->cur->name;
	if (py_str_utf8(na->c, a->value, nm, sizeof na->cur->name, NULL) < 0)
		nm[0] = 0;
	/* the target's text: no control bytes reach a terminal */
	for (char *p = nm; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"')
			*p = '?';
	return 1;
}

static int active_cb(void *arg, raddr_t key, raddr_t value)
{
	struct names_arg *na = arg;
	int64_t ident;
	int fits;
	if (value_int64(na->c, key, &ident, &fits) < 0 || !fits)
		return 0;
	for (size_t i = 0; i < na->n; i++)
		if (na->v[i].thread_id == (uint64_t)ident && !na->v[i].name[0]) {
			na->cur = &na->v[i];
			value_iter_attrs(na->c, value, NULL, name_attr_cb, na);
			break;
		}
	return 0;
}

static void thread_names(struct pyctx *c, raddr_t interp, struct py_thread *v, size_t n)
{
	const struct py_layout *L = pyctx_layout(c);
	uint64_t modules;
	if (py_field(c, interp, L->interp_modules, &modules) < 0 || !modules)
		return;
	raddr_t mod = py_dict_get_str(c, modules, "threading");
	const struct pytype *mt = mod ? py_type_of_obj(c, mod) : NULL;
	if (!mt || mt->kind != PYK_MODULE)
		return;
	raddr_t active = py_dict_get_str(c, py_fld(c, mod, L->mod_dict), "_active");
	if (!active)
		return;
	struct names_arg na = {c, v, n, NULL};
	py_dict_iter(c, active, active_cb, &na);
}

/* Main first, then the oldest first: CPython prepends new threads. */
static void thread_order(struct py_thread *v, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		struct py_thread tmp = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = tmp;
	}
	for (size_t i = 1; i < n; i++)
		if (v[i].is_main) {
			struct py_thread m = v[i];
			memmove(&v[1], &v[0], i * sizeof *v);
			v[0] = m;
			break;
		}
}

long frames_threads(struct pyctx *c, raddr_t interp, int flags, struct py_thread **out)
{
	const struct py_layout *L = pyctx_layout(c);
	const struct py_runtime_info *rt = pyctx_rt(c);
	int ok = 1;
	*out = NULL;
	if (!interp)
		interp = frames_main_interp(c);
	if (!interp)
		return -1;
	raddr_t ts = py_rd64(c, interp + L->interp_threads_head, &ok);
	if (!ok)
		return -1;
	uint64_t main_ident = rt->runtime && L->rt_main_thread >= 0
		? py_fld(c, rt->runtime, L->rt_main_thread) : 0;
	pid_t pid = mem_info(pyctx_mem(c))->pid;

	struct py_thread *v = NULL;
	size_t n = 0, cap = 0;
	struct aset seen = {calloc(2 * FRAMES_MAX_THREADS, sizeof(raddr_t)), 2 * FRAMES_MAX_THREADS};
	if (!seen.v)
		return -1;
	while (ts && n < FRAMES_MAX_THREADS && !(ts & 7) && aset_add(&seen, ts)) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct py_thread *nv = realloc(v, ncap * sizeof *nv);
			if (!nv)
				break;
			v = nv;
			cap = ncap;
		}
		struct py_thread *t = &v[n++];
		memset(t, 0, sizeof *t);
		t->tstate = ts;
		t->thread_id = py_fld(c, ts, L->ts_thread_id);
		if (L->ts_native_thread_id >= 0) {
			t->native_thread_id = py_fld(c, ts, L->ts_native_thread_id);
		} else if (t->thread_id) {
			int tok = 1;
			int32_t tid = (int32_t)py_rd32(c, t->thread_id + GLIBC_PTHREAD_TID, &tok);
			if (tok && tid > 0 && tid < MAX_TID)
				t->native_thread_id = (uint64_t)tid;
		}
		/* The main thread: _PyRuntime.main_thread, or its TID equals
		 * the PID when the runtime field is unknown. */
		if (main_ident)
			t->is_main = t->thread_id == main_ident;
		else
			t->is_main = pid && t->native_thread_id == (uint64_t)pid;
		walk_frames(c, ts, flags, t);
		ts = py_rd64(c, ts + L->ts_next, &ok);
		if (!ok)
			break;
	}
	free(seen.v);
	if (v) {
		thread_names(c, interp, v, n);
		thread_order(v, n);
	}
	*out = v;
	return (long)n;
}

void frames_threads_free(struct py_thread *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].nframes; j++)
			frames_frame_fini(&t[i].frames[j]);
		free(t[i].frames);
	}
	free(t);
}
