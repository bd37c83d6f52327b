/* `heapscope show PID ADDR` and `heapscope threads PID`.
 *
 * show: one object — type, sys.getsizeof size, refcount (immortal on
 * 3.12+ said so), GC tracking, its value as repr() would write it (cut
 * sensibly), and its fields/attributes/items, each with the address of
 * the object it points to so a script can walk the heap with more `show`s.
 *
 * threads: every thread of the main interpreter with its Python stack,
 * innermost frame first, and each frame's locals (short value + address).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sites.h"
#include "frames.h"
#include "value.h"

/* Budgets for the top-level value of `show` (nested values get less). */
static const struct value_opts show_opts = {.max_items = 32, .max_str = 2000, .depth = 8};
/* Locals in `threads`. */
static const struct value_opts local_opts = {.max_items = 6, .max_str = 100, .depth = 2};

#define SHOW_VALUE_CAP 16384
#define LOCAL_VALUE_CAP 512
#define TEXT_DICT_LOCALS 12   /* module-level frames: globals shown in text mode */


static const char *field_kind_name(enum value_field_kind k)
{
	switch (k) {
	case VF_ATTR: return "attr";
	case VF_SLOT: return "slot";
	case VF_ITEM: return "item";
	case VF_ENTRY: return "entry";
	case VF_FIELD: return "field";
	case VF_LOCAL: return "local";
	case VF_INFO: return "info";
	}
	return "?";
}

static const char *local_kind_name(enum py_local_kind k)
{
	switch (k) {
	case PY_LOCAL_FAST: return "local";
	case PY_LOCAL_CELL: return "cell";
	case PY_LOCAL_FREE: return "free";
	case PY_LOCAL_DICT: return "dict";
	}
	return "?";
}

/* ==== show ==== */

const char *cli_sites_state_name(int state)
{
	switch (state) {
	case SITES_ON: return "on";
	case SITES_OFF: return "off";
	case SITES_HIDDEN: return "hidden";
	default: return "unsupported";
	}
}

void cli_json_allocation(struct json *j, struct sites *S, raddr_t obj, const struct pytype *t)
{
	uint32_t tb;
	uint64_t size = 0;
	const struct sites_tb *T = S && sites_lookup(S, obj, t, &tb, &size) == 0 ? sites_tb(S, tb) : NULL;
	json_key(j, "allocation");
	json_obj(j);
	json_key(j, "state"); json_str(j, S ? cli_sites_state_name(sites_state(S)) : "unsupported");
	json_key(j, "why"); json_str(j, S ? sites_why(S) : "");
	json_key(j, "traceback");
	if (T) {
		json_arr(j);
		for (uint32_t k = 0; k < T->nframe; k++) {
			json_obj(j);
			json_key(j, "file"); json_str(j, T->frames[k].file);
			json_key(j, "line"); json_uint(j, T->frames[k].line);
			json_end(j);
		}
		json_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "total_nframe");
	if (T) json_uint(j, T->total_nframe); else json_null(j);
	json_key(j, "traced_size");
	if (T) json_uint(j, size); else json_null(j);
	json_end(j);
}

static void show_json(struct hs_snapshot *s, struct heap *h, struct pyctx *c, raddr_t obj,
		      const struct pytype *t, const char *value, int64_t refcnt,
		      struct value_field *f, long nf, size_t total, struct sites *S)
{
	struct json j;
	char tn[256];
	json_init(&j, stdout);
	json_obj(&j);
	cli_json_header(&j, s, h);
	json_key(&j, "address"); json_addr(&j, obj);
	json_key(&j, "type");
	json_obj(&j);
	json_key(&j, "name"); json_str(&j, value_type_name(c, obj, tn, sizeof tn));
	json_key(&j, "module"); json_str(&j, t->module);
	json_key(&j, "qualname"); json_str(&j, t->qualname);
	json_key(&j, "kind"); json_str(&j, py_kind_name(t->kind));
	json_key(&j, "addr"); json_addr(&j, t->addr);
	json_end(&j);
	json_key(&j, "size"); json_uint(&j, py_getsizeof(c, obj, t));
	json_key(&j, "size_exact"); json_bool(&j, t->size_exact);
	raddr_t bufat = 0;
	uint64_t owned = py_owned_buffer(c, obj, t, &bufat);
	json_key(&j, "owned_bytes"); json_uint(&j, owned);
	if (owned) {
		json_key(&j, "owned_at"); json_addr(&j, bufat);
	}
	struct py_ndarray a;
	if (t->kind == PYK_NDARRAY && py_ndarray(c, obj, t, &a) == 0) {
		json_key(&j, "ndarray");
		json_obj(&j);
		json_key(&j, "dtype"); json_str(&j, a.dtype);
		json_key(&j, "shape");
		json_arr(&j);
		for (int i = 0; i < a.nd; i++)
			json_int(&j, a.shape[i]);
		json_end(&j);
		json_key(&j, "itemsize");
		if (a.itemsize >= 0)
			json_int(&j, a.itemsize);
		else
			json_null(&j);
		json_key(&j, "nbytes");
		if (a.itemsize >= 0)
			json_uint(&j, a.nbytes);
		else
			json_null(&j);
		json_key(&j, "owndata"); json_bool(&j, a.owndata);
		json_key(&j, "data"); json_addr(&j, a.data);
		json_key(&j, "base");
		if (a.base)
			json_addr(&j, a.base);
		else
			json_null(&j);
		json_end(&j);
	}
	int immortal = py_is_immortal(c, refcnt);
	json_key(&j, "refcount");
	if (immortal)
		json_null(&j);
	else
		json_int(&j, refcnt);
	json_key(&j, "refcount_raw"); json_int(&j, refcnt);
	json_key(&j, "immortal"); json_bool(&j, immortal);
	int tr = value_gc_tracked(c, obj, t);
	json_key(&j, "gc_tracked");
	if (tr < 0)
		json_null(&j);
	else
		json_bool(&j, tr);
	json_key(&j, "value"); json_str(&j, value);
	cli_json_allocation(&j, S, obj, t);
	json_key(&j, "fields_total"); json_uint(&j, total);
	json_key(&j, "fields");
	json_arr(&j);
	for (long i = 0; i < nf; i++) {
		json_obj(&j);
		json_key(&j, "kind"); json_str(&j, field_kind_name(f[i].kind));
		json_key(&j, "label"); json_str(&j, f[i].label);
		if (f[i].kind == VF_ATTR || f[i].kind == VF_SLOT) {
			json_key(&j, "name");
			json_str(&j, f[i].label[0] == '.' ? f[i].label + 1 : f[i].label);
		}
		json_key(&j, "addr");
		if (f[i].value)
			json_addr(&j, f[i].value);
		else
			json_null(&j);
		if (f[i].key_obj) {
			json_key(&j, "key_addr");
			json_addr(&j, f[i].key_obj);
		}
		if (f[i].value) {
			json_key(&j, "type");
			json_str(&j, value_type_name(c, f[i].value, tn, sizeof tn));
		}
		json_key(&j, "value"); json_str(&j, f[i].text);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

static void show_text(struct hs_snapshot *s, struct heap *h, struct pyctx *c, raddr_t obj,
		      const struct pytype *t, const char *value, int64_t refcnt,
		      struct value_field *f, long nf, size_t total, struct sites *S)
{
	char tn[256], b[32];
	cli_text_header(stdout, s, h);
	printf("%#llx  %s\n", (unsigned long long)obj, value_type_name(c, obj, tn, sizeof tn));
	uint64_t size = py_getsizeof(c, obj, t);
	printf("  size      %s (%llu bytes, sys.getsizeof%s)\n", fmt_bytes(size, b, sizeof b),
	       (unsigned long long)size, t->size_exact ? "" : ", approximate");
	struct py_ndarray a;
	if (t->kind == PYK_NDARRAY && py_ndarray(c, obj, t, &a) == 0) {
		char shape[256] = "(";
		size_t n = 1;
		for (int i = 0; i < a.nd && n < sizeof shape - 24; i++)
			n += (size_t)snprintf(shape + n, sizeof shape - n, "%s%lld",
					      i ? ", " : "", (long long)a.shape[i]);
		snprintf(shape + n, sizeof shape - n, a.nd == 1 ? ",)" : ")");
		printf("  array     dtype %s, shape %s, %llu elements\n", a.dtype, shape,
		       (unsigned long long)a.nelem);
		if (a.itemsize < 0)
			printf("  owns      ? (this numpy's dtype layout is not one heapscope knows: "
			       "numpy.dtype's size is neither 1.x's nor 2.x's)\n");
		else if (a.owndata)
			printf("  owns      %s (%llu bytes of data at %#llx, arr.nbytes)\n",
			       fmt_bytes(a.nbytes, b, sizeof b), (unsigned long long)a.nbytes,
			       (unsigned long long)a.data);
		else
			printf("  owns      nothing: a view of %#llx's data (%s at %#llx)\n",
			       (unsigned long long)a.base, fmt_bytes(a.nbytes, b, sizeof b),
			       (unsigned long long)a.data);
	} else {
		raddr_t bufat = 0;
		uint64_t owned = py_owned_buffer(c, obj, t, &bufat);
		if (owned)
			printf("  owns      %s (%llu bytes of buffer at %#llx, in the size above)\n",
			       fmt_bytes(owned, b, sizeof b), (unsigned long long)owned,
			       (unsigned long long)bufat);
	}
	if (py_is_immortal(c, refcnt))
		printf("  refcount  immortal\n");
	else
		printf("  refcount  %lld\n", (long long)refcnt);
	int tr = value_gc_tracked(c, obj, t);
	printf("  gc        %s\n", tr < 0 ? "not a GC object" : tr ? "tracked" : "untracked");
	printf("  value     %s\n", value);
	/* the allocation site, when the target runs tracemalloc */
	if (S && sites_state(S) == SITES_ON) {
		uint32_t tb;
		uint64_t ts;
		const struct sites_tb *T = sites_lookup(S, obj, t, &tb, &ts) == 0 ? sites_tb(S, tb) : NULL;
		if (!T || !T->nframe) {
			printf("  allocated not traced (before tracemalloc started, or not by Python's allocator)\n");
		} else {
			for (uint32_t k = 0; k < T->nframe; k++)
				printf("  %-9s %s:%u\n", k ? "" : "allocated", T->frames[k].file, T->frames[k].line);
			if (T->total_nframe > T->nframe)
				printf("  %-9s … %u older frames (tracemalloc keeps %d)\n", "",
				       T->total_nframe - T->nframe, sites_max_nframe(S));
		}
	} else if (S && sites_state(S) == SITES_HIDDEN) {
		printf("  allocated unknown: %s\n", sites_why(S));
	}
	if (nf <= 0)
		return;
	size_t w = 0;
	for (long i = 0; i < nf; i++)
		if (strlen(f[i].label) > w)
			w = strlen(f[i].label);
	if (w > 32)
		w = 32;
	printf("fields (%zu):\n", total);
	for (long i = 0; i < nf; i++) {
		if (f[i].value)
			printf("  %-*s  %#14llx  %s\n", (int)w, f[i].label,
			       (unsigned long long)f[i].value, f[i].text);
		else
			printf("  %-*s  %14s  %s\n", (int)w, f[i].label, "", f[i].text);
	}
	if ((size_t)nf < total)
		printf("  … %zu more (--limit N to see more)\n", total - (size_t)nf);
}

int cmd_show(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	pid_t pid;
	raddr_t obj;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (o.npos < 2) {
		hs_fail(&err, HS_ERR_USAGE, "show needs an object address (hex 0x… or decimal id())");
		return cli_fail(&err);
	}
	if (cli_parse_addr(o.pos[1], &obj) != 0) {
		hs_fail(&err, HS_ERR_USAGE, "'%s' is not an address (hex 0x… or decimal id())", o.pos[1]);
		return cli_fail(&err);
	}
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	struct pyctx *c = heap_ctx(h);
	const struct pytype *t = (obj & 7) ? NULL : py_type_of_obj(c, obj);
	int64_t refcnt = 0;
	if (!t || py_refcnt(c, obj, &refcnt) != 0) {
		hs_fail(&err, HS_ERR_NOT_FOUND,
			"no Python object at %#llx in process %d (the address is not readable "
			"in the snapshot, or what is there does not have a valid type); "
			"addresses come from id(obj), `heapscope types`, or another `show`",
			(unsigned long long)obj, (int)pid);
		cli_close(s, h);
		return cli_fail(&err);
	}
	char *value = malloc(SHOW_VALUE_CAP);
	struct value_field *f = NULL;
	size_t total = 0;
	long nf = -1;
	if (value) {
		value_repr_opts(c, obj, &show_opts, value, SHOW_VALUE_CAP);
		nf = value_fields(c, obj, 0, o.top > 0 ? (size_t)o.top : 64, &f, &total);
	}
	if (!value || nf < 0) {
		free(value);
		hs_fail(&err, value ? HS_ERR_READ : HS_ERR_NOMEM,
			"cannot decode the object at %#llx", (unsigned long long)obj);
		cli_close(s, h);
		return cli_fail(&err);
	}
	struct sites *S = NULL;
	if (sites_load(c, &S, &err)) {
		free(f);
		free(value);
		cli_close(s, h);
		return cli_fail(&err);
	}
	if (o.json)
		show_json(s, h, c, obj, t, value, refcnt, f, nf, total, S);
	else
		show_text(s, h, c, obj, t, value, refcnt, f, nf, total, S);
	sites_free(S);
	free(f);
	free(value);
	cli_close(s, h);
	return 0;
}

/* ==== threads ==== */

static void threads_json(struct hs_snapshot *s, struct heap *h, struct pyctx *c,
			 struct py_thread *th, long n)
{
	struct json j;
	char val[LOCAL_VALUE_CAP], tn[256];
	json_init(&j, stdout);
	json_obj(&j);
	cli_json_header_as(&j, s, h, "threads");
	json_key(&j, "threads");
	json_arr(&j);
	for (long i = 0; i < n; i++) {
		struct py_thread *t = &th[i];
		json_obj(&j);
		json_key(&j, "thread_id"); json_uint(&j, t->thread_id);
		json_key(&j, "native_thread_id");
		if (t->native_thread_id)
			json_uint(&j, t->native_thread_id);
		else
			json_null(&j);
		json_key(&j, "is_main"); json_bool(&j, t->is_main);
		json_key(&j, "name");
		if (t->name[0]) json_str(&j, t->name); else json_null(&j);
		json_key(&j, "tstate"); json_addr(&j, t->tstate);
		json_key(&j, "truncated"); json_bool(&j, t->truncated);
		json_key(&j, "frames");
		json_arr(&j);
		for (size_t k = 0; k < t->nframes; k++) {
			struct py_frame *f = &t->frames[k];
			json_obj(&j);
			json_key(&j, "function"); json_str(&j, f->function);
			json_key(&j, "qualname"); json_str(&j, f->qualname);
			json_key(&j, "file"); json_str(&j, f->file);
			json_key(&j, "line"); json_int(&j, f->line);
			json_key(&j, "firstlineno"); json_int(&j, f->firstlineno);
			json_key(&j, "code"); json_addr(&j, f->code);
			json_key(&j, "frame");
			if (f->frame_obj) json_addr(&j, f->frame_obj); else json_null(&j);
			json_key(&j, "iframe");
			if (f->iframe) json_addr(&j, f->iframe); else json_null(&j);
			json_key(&j, "globals");
			if (f->globals) json_addr(&j, f->globals); else json_null(&j);
			json_key(&j, "locals_truncated"); json_bool(&j, f->locals_truncated);
			json_key(&j, "locals");
			json_arr(&j);
			for (size_t m = 0; m < f->nlocals; m++) {
				struct py_local *l = &f->locals[m];
				json_obj(&j);
				json_key(&j, "name"); json_str(&j, l->name);
				json_key(&j, "kind"); json_str(&j, local_kind_name(l->kind));
				json_key(&j, "addr");
				if (l->value) json_addr(&j, l->value); else json_null(&j);
				if (l->cell) {
					json_key(&j, "cell");
					json_addr(&j, l->cell);
				}
				if (l->value) {
					value_repr_opts(c, l->value, &local_opts, val, sizeof val);
					json_key(&j, "type");
					json_str(&j, value_type_name(c, l->value, tn, sizeof tn));
					json_key(&j, "value");
					json_str(&j, val);
				} else {
					json_key(&j, "value");
					json_null(&j);   /* unbound */
				}
				json_end(&j);
			}
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_done(&j);
}

static void threads_text(struct hs_snapshot *s, struct heap *h, struct pyctx *c,
			 struct py_thread *th, long n)
{
	char val[LOCAL_VALUE_CAP];
	cli_text_header(stdout, s, h);
	for (long i = 0; i < n; i++) {
		struct py_thread *t = &th[i];
		printf("%sThread %llu", i ? "\n" : "", (unsigned long long)t->thread_id);
		if (t->native_thread_id)
			printf(" (native %llu)", (unsigned long long)t->native_thread_id);
		if (t->name[0])
			printf(" \"%s\"", t->name);
		printf("%s%s, innermost frame first:\n", t->is_main ? " [main]" : "",
		       t->nframes ? "" : " — no Python frames");
		for (size_t k = 0; k < t->nframes; k++) {
			struct py_frame *f = &t->frames[k];
			printf("  File \"%s\", line %d, in %s\n", f->file, f->line, f->qualname);
			size_t shown_dict = 0, ndict = 0;
			for (size_t m = 0; m < f->nlocals; m++) {
				struct py_local *l = &f->locals[m];
				if (l->kind == PY_LOCAL_DICT && ndict++ >= TEXT_DICT_LOCALS)
					continue;
				shown_dict += l->kind == PY_LOCAL_DICT;
				if (!l->value) {
					printf("      %s = <unbound>\n", l->name);
					continue;
				}
				value_repr_opts(c, l->value, &local_opts, val, sizeof val);
				printf("      %s = %s  (%#llx%s)\n", l->name, val,
				       (unsigned long long)l->value,
				       l->kind == PY_LOCAL_CELL ? ", cell"
				       : l->kind == PY_LOCAL_FREE ? ", free var" : "");
			}
			if (ndict > shown_dict)
				printf("      … %zu more module-level names (--json lists them)\n",
				       ndict - shown_dict);
		}
		if (t->truncated)
			printf("  … stack cut (too deep or unreadable link)\n");
	}
}

int cmd_threads(int argc, char **argv)
{
	struct cli o;
	struct hs_err err = {0};
	struct hs_snapshot *s;
	struct heap *h;
	pid_t pid;

	if (cli_parse(argc, argv, &o, &err) || cli_pid(&o, 0, &pid, &err))
		return cli_fail(&err);
	if (cli_open(&o, pid, &s, &h, &err))
		return cli_fail(&err);
	struct pyctx *c = heap_ctx(h);
	struct py_thread *th;
	long n = frames_threads(c, heap_gc(h)->interp, FRAMES_LOCALS, &th);
	if (n < 0) {
		hs_fail(&err, HS_ERR_READ,
			"cannot read the interpreter's thread list in process %d", (int)pid);
		cli_close(s, h);
		return cli_fail(&err);
	}
	if (o.json)
		threads_json(s, h, c, th, n);
	else
		threads_text(s, h, c, th, n);
	frames_threads_free(th, (size_t)n);
	cli_close(s, h);
	return 0;
}
