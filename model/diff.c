/* diff — snapshot records, per-type deltas, new objects and the path
 * patterns that hold them.  See diff.h for what "new" means.
 *
 * A base keeps, per object, {address, type address, content check, GC
 * generation, container length} sorted by address (binary search), and
 * per type name {count, bytes} sorted by name (merge).  Nothing points
 * into the snapshot, so the snapshot can be freed right after.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyread.h"
#include "pyobj.h"
#include "value.h"

#define DEFAULT_SAMPLE 200
#define MAX_PATTERNS 64

struct drec {
	raddr_t addr;
	raddr_t type;
	uint64_t check;   /* content fingerprint of immutable kinds, else 0 */
	int64_t len;      /* container length, -1 for non-containers */
	int8_t gen;       /* GC generation 0..3, -1 untracked */
};

struct dtype {
	char name[128];
	uint64_t count, size;
};

struct diff_base {
	struct drec *rec;
	uint64_t nrec;
	struct dtype *types;    /* sorted by name */
	size_t ntypes;
	uint64_t objects, bytes;
	double t_ms;
	int has_graph;
};

/* ==== Type names ==== */

const char *diff_type_name(const struct pytype *t, char *buf, size_t cap)
{
	if (!t)
		snprintf(buf, cap, "?");
	else if (!t->module || py_module_is_builtins(t->module))
		snprintf(buf, cap, "%s", t->qualname ? t->qualname : "?");
	else
		snprintf(buf, cap, "%s.%s", t->module, t->qualname ? t->qualname : "?");
	return buf;
}

int diff_type_matches(const struct pytype *t, const char *name)
{
	if (!t || !t->qualname || !name)
		return 0;
	if (!strcmp(name, t->qualname))
		return 1;
	size_t ml = t->module ? strlen(t->module) : 0;
	return ml && !strncmp(name, t->module, ml) && name[ml] == '.' &&
	       !strcmp(name + ml + 1, t->qualname);
}

/* ==== Identity ==== */

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Fingerprint of an immutable object's content (never 0), or 0 for
 * mutable kinds: only what cannot change while the object lives. */
static uint64_t content_check(struct pyctx *c, raddr_t o, const struct pytype *t, uint64_t size)
{
	const struct py_layout *L = pyctx_layout(c);
	memsrc *m = pyctx_mem(c);
	uint64_t h = fnv(&size, sizeof size, 0xcbf29ce484222325ULL), w[2] = {0, 0};
	char buf[32];
	switch (t->kind) {
	case PYK_STR: {
		long n = py_str_utf8(c, o, buf, sizeof buf, NULL);
		h = fnv(&n, sizeof n, h);
		if (n > 0)
			h = fnv(buf, strlen(buf), h);
		break;
	}
	case PYK_BYTES:
		mem_read(m, o + (uint64_t)L->bytes_sval, w, 8);
		h = fnv(w, 8, h);
		break;
	case PYK_INT:
	case PYK_BOOL: {
		int64_t v = 0;
		int fits = 0;
		value_int64(c, o, &v, &fits);
		h = fnv(&v, sizeof v, h);
		break;
	}
	case PYK_FLOAT:
	case PYK_COMPLEX:
		mem_read(m, o + (uint64_t)L->float_fval, w, t->kind == PYK_COMPLEX ? 16 : 8);
		h = fnv(w, 16, h);
		break;
	case PYK_TUPLE:
		mem_read(m, o + (uint64_t)L->tuple_items, w, 8);
		h = fnv(w, 8, h);
		break;
	case PYK_FROZENSET:
		break;       /* size only */
	default:
		return 0;
	}
	return h ? h : 1;
}

static int gen_rank(int g)
{
	return g == HEAP_GEN_PERMANENT ? 2 : g;
}

/* Could `r` (older) and an object with these facts be the same object? */
static int same_object(const struct drec *r, raddr_t type, uint64_t check, int gen)
{
	if (r->type != type || r->check != check)
		return 0;
	/* generations only grow; untracked <-> tracked says nothing */
	if (r->gen >= 0 && gen >= 0 && gen_rank(gen) < gen_rank(r->gen))
		return 0;
	return 1;
}

static const struct drec *find_rec(const struct diff_base *b, raddr_t a)
{
	uint64_t lo = 0, hi = b->nrec;
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (b->rec[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->nrec && b->rec[lo].addr == a ? &b->rec[lo] : NULL;
}

/* ==== Taking a base ==== */

struct tmap_ent { const struct pytype *t; size_t row; };

struct tmap {
	struct tmap_ent *tab;
	size_t cap, used;
};

static size_t tmap_slot(const struct tmap *m, const struct pytype *t)
{
	size_t i = ((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ULL & (m->cap - 1);
	while (m->tab[i].t && m->tab[i].t != t)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int tmap_grow(struct tmap *m)
{
	struct tmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 256;
	m->tab = calloc(m->cap, sizeof *m->tab);
	if (!m->tab) {
		*m = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (old.tab[i].t)
			m->tab[tmap_slot(m, old.tab[i].t)] = old.tab[i];
	free(old.tab);
	return 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct drec *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

static int cmp_dtype(const void *a, const void *b)
{
	return strcmp(((const struct dtype *)a)->name, ((const struct dtype *)b)->name);
}

enum hs_status diff_base_take(struct heap *h, struct graph *g, double t_ms,
			      struct diff_base **out, struct hs_err *err)
{
	struct pyctx *c = heap_ctx(h);
	struct diff_base *b = calloc(1, sizeof *b);
	struct tmap tm = {0};
	size_t ntypes = 0, captypes = 0;
	*out = NULL;
	if (!b)
		goto nomem;
	uint64_t n = g ? graph_nobjects(g) : heap_nobjects(h);
	b->t_ms = t_ms;
	b->has_graph = g != NULL;
	b->rec = malloc((n ? n : 1) * sizeof *b->rec);
	if (!b->rec || tmap_grow(&tm))
		goto nomem;
	for (uint64_t i = 0; i < n; i++) {
		raddr_t a = g ? graph_addr(g, (graph_obj_t)i) : heap_obj_addr(h, i);
		const struct pytype *t = g ? graph_type(g, (graph_obj_t)i) : py_type_of_obj(c, a);
		uint64_t size = g ? graph_size(g, (graph_obj_t)i) : heap_obj_size(h, i);
		int gen = g ? graph_gen(g, (graph_obj_t)i) : heap_obj_gen(h, i);
		struct drec *r = &b->rec[b->nrec++];
		r->addr = a;
		r->type = t ? t->addr : 0;
		r->check = t ? content_check(c, a, t, size) : 0;
		r->gen = (int8_t)gen;
		r->len = t ? value_container_len(c, a, t) : -1;
		b->objects++;
		b->bytes += size;
		if (!t)
			continue;
		if ((tm.used + 1) * 2 > tm.cap && tmap_grow(&tm))
			goto nomem;
		size_t s = tmap_slot(&tm, t);
		if (!tm.tab[s].t) {
			if (ntypes == captypes) {
				size_t nc = captypes ? captypes * 2 : 256;
				struct dtype *nt = realloc(b->types, nc * sizeof *nt);
				if (!nt)
					goto nomem;
				b->types = nt;
				captypes = nc;
			}
			memset(&b->types[ntypes], 0, sizeof *b->types);
			diff_type_name(t, b->types[ntypes].name, sizeof b->types[ntypes].name);
			tm.tab[s] = (struct tmap_ent){t, ntypes++};
			tm.used++;
		}
		b->types[tm.tab[s].row].count++;
		b->types[tm.tab[s].row].size += size;
	}
	/* (qsort of an empty, NULL array is undefined: an empty heap) */
	if (b->nrec)
		qsort(b->rec, b->nrec, sizeof *b->rec, cmp_rec);
	/* one row per name: factories make several classes of one name */
	if (ntypes)
		qsort(b->types, ntypes, sizeof *b->types, cmp_dtype);
	size_t w = 0;
	for (size_t i = 0; i < ntypes; i++) {
		if (w && !strcmp(b->types[w - 1].name, b->types[i].name)) {
			b->types[w - 1].count += b->types[i].count;
			b->types[w - 1].size += b->types[i].size;
		} else {
			b->types[w++] = b->types[i];
		}
	}
	b->ntypes = w;
	free(tm.tab);
	*out = b;
	return HS_OK;
nomem:
	free(tm.tab);
	diff_base_free(b);
	return hs_fail(err, HS_ERR_NOMEM, "out of memory recording the snapshot "
		       "(about 40 bytes per object)");
}

void diff_base_free(struct diff_base *b)
{
	if (!b)
		return;
	free(b->rec);
	free(b->types);
	free(b);
}

double diff_base_time(const struct diff_base *b) { return b->t_ms; }
uint64_t diff_base_objects(const struct diff_base *b) { return b->objects; }
uint64_t diff_base_bytes(const struct diff_base *b) { return b->bytes; }
int diff_base_has_graph(const struct diff_base *b) { return b->has_graph; }

int diff_prev_len(const struct diff_base *b, raddr_t addr, raddr_t type, int64_t *len)
{
	const struct drec *r = b ? find_rec(b, addr) : NULL;
	if (!r || r->type != type || r->len < 0)
		return 0;
	*len = r->len;
	return 1;
}

/* ==== Per-type deltas ==== */

static int cmp_drow(const void *a, const void *b)
{
	const struct diff_type_row *x = a, *y = b;
	if (x->dcount != y->dcount)
		return x->dcount < y->dcount ? 1 : -1;
	if (x->dsize != y->dsize)
		return x->dsize < y->dsize ? 1 : -1;
	return strcmp(x->name, y->name);
}

long diff_types(const struct diff_base *older, const struct diff_base *newer,
		struct diff_type_row **out)
{
	size_t cap = older->ntypes + newer->ntypes + 1, n = 0, i = 0, k = 0;
	struct diff_type_row *rows = calloc(cap, sizeof *rows);
	*out = NULL;
	if (!rows)
		return -1;
	/* merge two name-sorted lists */
	while (i < older->ntypes || k < newer->ntypes) {
		int c = i == older->ntypes ? 1 : k == newer->ntypes ? -1
			: strcmp(older->types[i].name, newer->types[k].name);
		struct diff_type_row *r = &rows[n++];
		if (c <= 0) {
			snprintf(r->name, sizeof r->name, "%s", older->types[i].name);
			r->count0 = older->types[i].count;
			r->size0 = older->types[i].size;
			i++;
		}
		if (c >= 0) {
			snprintf(r->name, sizeof r->name, "%s", newer->types[k].name);
			r->count1 = newer->types[k].count;
			r->size1 = newer->types[k].size;
			k++;
		}
		r->dcount = (int64_t)r->count1 - (int64_t)r->count0;
		r->dsize = (int64_t)r->size1 - (int64_t)r->size0;
	}
	qsort(rows, n, sizeof *rows, cmp_drow);
	*out = rows;
	return (long)n;
}

/* ==== New objects ==== */

int diff_is_new(const struct diff_base *older, struct heap *h, struct graph *g, graph_obj_t o)
{
	if (!older)
		return 1;
	raddr_t a = graph_addr(g, o);
	const struct drec *r = find_rec(older, a);
	const struct pytype *t = graph_type(g, o);
	if (!r || !t)
		return 1;
	uint64_t check = content_check(heap_ctx(h), a, t, graph_size(g, o));
	return !same_object(r, t->addr, check, graph_gen(g, o));
}

/* ==== Path patterns ==== */

struct sb {
	char *p;
	size_t cap, len;
};

static void sb_put(struct sb *s, const char *t)
{
	size_t n = strlen(t);
	if (!s->cap || s->len + 1 >= s->cap)
		return;
	if (n > s->cap - s->len - 1)
		n = s->cap - s->len - 1;
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = 0;
}

/* "['name']" with an identifier inside -> "name"; else 0. */
static int ident_key(const char *label, char *name, size_t cap)
{
	size_t n = strlen(label);
	if (n < 5 || label[0] != '[' || label[n - 1] != ']')
		return 0;
	char q = label[1];
	if ((q != '\'' && q != '"') || label[n - 2] != q)
		return 0;
	const char *k = label + 2;
	size_t kl = n - 4;
	if (!kl || kl >= cap || !((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') ||
				   k[0] == '_' || (unsigned char)k[0] >= 0x80))
		return 0;
	for (size_t i = 0; i < kl; i++) {
		char ch = k[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || (unsigned char)ch >= 0x80))
			return 0;
	}
	memcpy(name, k, kl);
	name[kl] = 0;
	return 1;
}

static int is_dict_field(const struct graph_edge *e)
{
	return e->kind == EDGE_FIELD &&
	       (e->aux == F_DICT || e->aux == F_CLASS_DICT || e->aux == F_MODULE_DICT);
}

const char *diff_path_pattern(struct graph *g, const struct graph_path *p, char *buf,
			      size_t cap)
{
	struct sb s = {buf, cap, 0};
	char label[256], name[160], piece[300];
	if (!cap)
		return buf;
	buf[0] = 0;
	const struct graph_root *r = p->root;
	/* a dict root whose values read as attributes (module globals…) */
	int attr_dict = 0;
	switch (r->kind) {
	case ROOT_MODULE:
		sb_put(&s, strncmp(r->label, "module ", 7) ? r->label : r->label + 7);
		attr_dict = 1;
		break;
	case ROOT_CLASS:
		sb_put(&s, strncmp(r->label, "class ", 6) ? r->label : r->label + 6);
		attr_dict = 1;
		break;
	case ROOT_BUILTINS:
		sb_put(&s, "builtins");
		attr_dict = 1;
		break;
	case ROOT_SYS:
		sb_put(&s, "sys");
		attr_dict = 1;
		break;
	case ROOT_MODULES:
		sb_put(&s, "sys.modules");
		break;
	case ROOT_GARBAGE:
		sb_put(&s, "gc.garbage");
		break;
	case ROOT_THREAD_FRAME:
	default:
		snprintf(piece, sizeof piece, "<%s>", r->label);
		sb_put(&s, piece);
		break;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct graph_edge *e = &p->edges[i];
		graph_edge_label(g, e, label, sizeof label);
		if (is_dict_field(e) && i + 1 < p->n && p->edges[i + 1].kind == EDGE_DICT_VALUE) {
			char l2[256];
			graph_edge_label(g, &p->edges[i + 1], l2, sizeof l2);
			if (ident_key(l2, name, sizeof name)) {
				snprintf(piece, sizeof piece, ".%s", name);
				sb_put(&s, piece);
				i++;
				continue;
			}
		}
		switch (e->kind) {
		case EDGE_DICT_VALUE:
			if (i == 0 && attr_dict && ident_key(label, name, sizeof name))
				snprintf(piece, sizeof piece, ".%s", name);
			else if (i == 0 && r->kind == ROOT_MODULES)
				snprintf(piece, sizeof piece, "%s", label);   /* the module name */
			else
				snprintf(piece, sizeof piece, "[...]");
			break;
		case EDGE_ITEM:
		case EDGE_STACK:
			snprintf(piece, sizeof piece, "[...]");
			break;
		case EDGE_SET_ITEM:
			snprintf(piece, sizeof piece, "{...}");
			break;
		case EDGE_DICT_KEY:
		case EDGE_ODICT_KEY:
			snprintf(piece, sizeof piece, "<key>");
			break;
		case EDGE_ATTR:
		case EDGE_SLOT:
			snprintf(piece, sizeof piece, "%s", label);   /* ".name" */
			break;
		case EDGE_LOCAL:
			snprintf(piece, sizeof piece, ".%s", label);  /* f_locals['x'] */
			break;
		case EDGE_CONSERVATIVE:
			snprintf(piece, sizeof piece, "<%s>", label);
			break;
		default:
			snprintf(piece, sizeof piece, ".%s", label);
			break;
		}
		sb_put(&s, piece);
	}
	return buf;
}

/* ==== New objects of a type, grouped ==== */

static int cmp_pattern(const void *a, const void *b)
{
	const struct diff_pattern *x = a, *y = b;
	if (x->sampled != y->sampled)
		return x->sampled < y->sampled ? 1 : -1;
	return strcmp(x->pattern, y->pattern);
}

int diff_new_objects(const struct diff_base *older, struct heap *h, struct graph *g,
		     const char *name,
		     size_t sample, struct diff_new *out)
{
	struct { const struct pytype *t; int match; } cache[64];
	size_t ncache = 0, nnew = 0, capnew = 0;
	graph_obj_t *news = NULL;
	memset(out, 0, sizeof *out);
	snprintf(out->type, sizeof out->type, "%s", name);
	if (!sample)
		sample = DEFAULT_SAMPLE;
	uint32_t n = graph_nobjects(g);
	for (uint32_t o = 0; o < n; o++) {
		const struct pytype *t = graph_type(g, o);
		int match = -1;
		for (size_t k = 0; k < ncache; k++)
			if (cache[k].t == t) {
				match = cache[k].match;
				break;
			}
		if (match < 0) {
			match = diff_type_matches(t, name);
			if (!match && t) {
				char full[160];
				match = !strcmp(diff_type_name(t, full, sizeof full), name);
			}
			size_t slot = ncache < 64 ? ncache++ : o % 64;
			cache[slot].t = t;
			cache[slot].match = match;
		}
		if (!match || !diff_is_new(older, h, g, o))
			continue;
		if (nnew == capnew) {
			size_t nc = capnew ? capnew * 2 : 1024;
			graph_obj_t *nv = realloc(news, nc * sizeof *nv);
			if (!nv) {
				free(news);
				return -1;
			}
			news = nv;
			capnew = nc;
		}
		news[nnew++] = o;
		out->bytes += graph_size(g, o);
	}
	out->count = nnew;
	size_t take = nnew < sample ? nnew : sample;
	out->patterns = calloc(MAX_PATTERNS, sizeof *out->patterns);
	if (!out->patterns && take) {
		free(news);
		return -1;
	}
	char pat[512];
	for (size_t k = 0; k < take; k++) {
		/* spread the sample over the whole list (allocation order
		 * roughly follows the GC lists: old to new, or the reverse) */
		graph_obj_t o = news[(size_t)((double)k * nnew / take)];
		struct graph_path *p = NULL;
		size_t np = graph_paths(g, o, 1, &p);
		out->sampled++;
		if (!np) {
			out->unrooted++;
			continue;
		}
		diff_path_pattern(g, &p[0], pat, sizeof pat);
		size_t i = 0;
		while (i < out->npatterns && strcmp(out->patterns[i].pattern, pat))
			i++;
		if (i == out->npatterns && out->npatterns < MAX_PATTERNS) {
			struct diff_pattern *dp = &out->patterns[out->npatterns++];
			snprintf(dp->pattern, sizeof dp->pattern, "%s", pat);
			dp->example = o;
			graph_path_text(g, &p[0], dp->example_path, sizeof dp->example_path);
			if (p[0].n && p[0].edges[p[0].n - 1].from != GRAPH_NONE)
				graph_type_name(g, p[0].edges[p[0].n - 1].from, dp->holder,
						sizeof dp->holder);
		}
		if (i < out->npatterns)
			out->patterns[i].sampled++;
		graph_paths_free(p, np);
	}
	if (out->npatterns)
		qsort(out->patterns, out->npatterns, sizeof *out->patterns, cmp_pattern);
	free(news);
	return 0;
}

void diff_new_fini(struct diff_new *d)
{
	free(d->patterns);
	d->patterns = NULL;
	d->npatterns = 0;
}
