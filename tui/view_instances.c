/* view_instances — the instances of one type: every one the object graph
 * found (GC-tracked and untracked) once it exists, else the census's
 * GC-tracked ones.
 *
 * Built for a million rows: open() collects the type's object indices in
 * one pass over the census and sorts a (key, index) array once per sort
 * key; drawing asks model/value.h for the short value of the visible rows
 * only.  Refcounts are read on first use (sorting by them).
 *
 * The retained column (what only that instance keeps alive) appears once
 * the snapshot's dominator tree exists; R sorts by it, building the tree
 * first if no screen has yet.  Census indices are graph indices, so the
 * retained size of a row is one array read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leaks.h"
#include "value.h"
#include "view.h"

enum ikey { IK_SIZE, IK_REFCNT, IK_ADDR, IK_RETAINED };

struct inst {
	uint64_t key;        /* sort key (size, refcount or address) */
	uint64_t obj;        /* census index */
};

struct instances {
	long type_row;       /* census row, -1: the type has only untracked instances */
	struct graph *g;     /* set: every instance (graph indices), not only tracked ones */
	struct inst *v;
	size_t n;
	uint64_t total;      /* sum of sizes */
	enum ikey key;
	int reverse;
};

static struct { enum ikey key; int reverse; } remembered = {IK_SIZE, 0};

enum { C_ADDR, C_SIZE, C_RET, C_REF, C_GEN, C_VALUE, NCOL };

static const struct column cols[NCOL] = {
	[C_ADDR] = {"address", 14, 0, 0, 0, 0},
	[C_SIZE] = {"size", 9, 1, 0, 0, 0},
	[C_RET] = {"retained", 10, 1, 3, 0, 0},
	[C_REF] = {"refs", 8, 1, 2, 0, 0},
	[C_GEN] = {"gen", 5, 1, 1, 0, 0},
	[C_VALUE] = {"value", 20, 0, 0, 1, 0},
};

/* ==== Building and sorting ==== */

/* Census indices are graph indices: with the graph, o is a graph index
 * (GC-tracked instances first, then the untracked ones it found). */
static raddr_t o_addr(struct session *ss, const struct instances *in, uint64_t o)
{
	return in->g ? graph_addr(in->g, (graph_obj_t)o) : heap_obj_addr(ss->h, o);
}

static uint64_t o_size(struct session *ss, const struct instances *in, uint64_t o)
{
	return in->g ? graph_size(in->g, (graph_obj_t)o) : heap_obj_size(ss->h, o);
}

static int o_gen(struct session *ss, const struct instances *in, uint64_t o)
{
	return in->g ? graph_gen(in->g, (graph_obj_t)o) : heap_obj_gen(ss->h, o);
}

static int64_t refcount(struct session *ss, const struct instances *in, uint64_t obj)
{
	int64_t rc = 0;
	if (py_refcnt(heap_ctx(ss->h), o_addr(ss, in, obj), &rc) < 0)
		return -1;
	return rc;
}

static int inst_cmp(const void *pa, const void *pb)
{
	const struct inst *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? 1 : -1;   /* biggest first */
	return a->obj < b->obj ? -1 : a->obj > b->obj;
}

static void inst_sort(struct session *ss, struct instances *in)
{
	for (size_t i = 0; i < in->n; i++) {
		uint64_t o = in->v[i].obj;
		switch (in->key) {
		case IK_SIZE: in->v[i].key = o_size(ss, in, o); break;
		case IK_REFCNT: in->v[i].key = (uint64_t)refcount(ss, in, o); break;
		case IK_ADDR: in->v[i].key = o_addr(ss, in, o); break;
		case IK_RETAINED:
			in->v[i].key = ss->L ? leaks_retained(ss->L, (graph_obj_t)o) : 0;
			break;
		}
	}
	qsort(in->v, in->n, sizeof *in->v, inst_cmp);
	/* Addresses read best ascending; `I` flips any key. */
	if ((in->key == IK_ADDR) != in->reverse)
		for (size_t i = 0; i < in->n / 2; i++) {
			struct inst tmp = in->v[i];
			in->v[i] = in->v[in->n - 1 - i];
			in->v[in->n - 1 - i] = tmp;
		}
}

static int inst_collect(struct session *ss, struct instances *in, raddr_t type)
{
	if (in->g) {
		uint32_t n = graph_nobjects(in->g);
		size_t cap = 0;
		for (uint32_t o = 0; o < n; o++) {
			const struct pytype *t = graph_type(in->g, o);
			if (!t || t->addr != type)
				continue;
			if (in->n == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct inst *nv = realloc(in->v, nc * sizeof *nv);
				if (!nv)
					return -1;
				in->v = nv;
				cap = nc;
			}
			in->v[in->n++] = (struct inst){0, o};
			in->total += graph_size(in->g, o);
		}
		return 0;
	}
	uint64_t nobj = heap_nobjects(ss->h);
	const struct heap_type_row *r = heap_type_row(ss->h, (size_t)in->type_row);
	size_t cap = r->count ? r->count : 1;

	in->v = malloc(cap * sizeof *in->v);
	if (!in->v)
		return -1;
	for (uint64_t i = 0; i < nobj && in->n < cap; i++) {
		if (heap_obj_type(ss->h, i) != (uint32_t)in->type_row)
			continue;
		in->v[in->n++] = (struct inst){0, i};
		in->total += heap_obj_size(ss->h, i);
	}
	return 0;
}

/* ==== Ops ==== */

static int instances_open(struct tui *t, struct view *v)
{
	struct session *ss = &t->ses;
	struct instances *in;
	char b[32];
	long row = session_type_row(ss, v->arg.addr);

	/* Every instance when the graph exists (str, int... have no
	 * tracked ones); the census's tracked ones otherwise. */
	struct graph *g = ss->g ? ss->g : (row < 0 ? tui_graph(t) : NULL);
	if (row < 0 && !g) {
		tui_message(t, 1, "no %s objects in this snapshot", v->arg.name);
		return -1;
	}
	in = calloc(1, sizeof *in);
	if (!in)
		return -1;
	v->priv = in;
	in->type_row = row;
	in->g = g;
	in->key = remembered.key;
	in->reverse = remembered.reverse;
	/* Sorted by retained size before `r`: the new snapshot needs its own. */
	if (in->key == IK_RETAINED && !tui_leaks(t))
		in->key = IK_SIZE;
	if (inst_collect(ss, in, v->arg.addr) < 0)
		return -1;
	inst_sort(ss, in);
	v->nrows = in->n;
	snprintf(v->crumb, sizeof v->crumb, "%s (%s)", v->arg.name, fmt_count(in->n, b, sizeof b));
	return 0;
}

static void instances_close(struct view *v)
{
	struct instances *in = v->priv;
	if (in)
		free(in->v);
	free(in);
}

static void instances_header(struct tui *t, struct view *v, int y, int w)
{
	struct instances *in = v->priv;
	struct column c[NCOL];
	char titles[NCOL][64];
	int x[NCOL], cw[NCOL];
	int sorted = in->key == IK_SIZE ? C_SIZE : in->key == IK_REFCNT ? C_REF
		: in->key == IK_RETAINED ? C_RET : C_ADDR;
	int asc = (in->key == IK_ADDR) != in->reverse;
	char b1[32], b2[32];

	memcpy(c, cols, sizeof c);
	c[C_RET].off = !t->ses.L;
	for (int i = 0; i < NCOL; i++) {
		snprintf(titles[i], sizeof titles[i], "%s%s",
			 i == sorted ? draw_glyph(asc ? GL_UP : GL_DOWN) : "", cols[i].title);
		c[i].title = titles[i];
	}
	snprintf(titles[C_VALUE], sizeof titles[C_VALUE], "value  (%s objects, %s)",
		 fmt_count(in->n, b1, sizeof b1), fmt_bytes(in->total, b2, sizeof b2));
	columns_layout(c, NCOL, w, x, cw);
	columns_header(y, c, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

static void instances_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct instances *in = v->priv;
	struct session *ss = &t->ses;
	uint64_t o = in->v[row].obj;
	raddr_t addr = o_addr(ss, in, o);
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	struct value_opts vo = {.max_items = 6, .max_str = 120, .depth = 1};
	int x[NCOL], cw[NCOL];
	char b[4096];
	int64_t rc = refcount(ss, in, o);
	struct column c[NCOL];

	memcpy(c, cols, sizeof c);
	c[C_RET].off = !ss->L;
	columns_layout(c, NCOL, w, x, cw);
	snprintf(b, sizeof b, "%#llx", (unsigned long long)addr);
	draw_text(y, x[C_ADDR], cw[C_ADDR], b, dim);
	draw_rtext(y, x[C_SIZE], cw[C_SIZE], fmt_count(o_size(ss, in, o), b, sizeof b), a);
	if (x[C_RET] >= 0)
		draw_rtext(y, x[C_RET], cw[C_RET], fmt_bytes(leaks_retained(ss->L, (graph_obj_t)o), b,
							       sizeof b), a);
	if (x[C_REF] >= 0) {
		if (rc < 0)
			snprintf(b, sizeof b, "?");
		else if (py_is_immortal(heap_ctx(ss->h), rc))
			snprintf(b, sizeof b, "immortal");
		else
			fmt_count((uint64_t)rc, b, sizeof b);
		draw_rtext(y, x[C_REF], cw[C_REF], b, a);
	}
	if (x[C_GEN] >= 0) {
		int g = o_gen(ss, in, o);
		snprintf(b, sizeof b, g < 0 ? "no-gc" : g == HEAP_GEN_PERMANENT ? "perm" : "%d", g);
		draw_rtext(y, x[C_GEN], cw[C_GEN], b, a);
	}
	if (v->hscroll) {          /* scrolled right: more of the value */
		vo.max_items = 64;
		vo.max_str = 2000;
	}
	value_repr_opts(heap_ctx(ss->h), addr, &vo, b, sizeof b);
	/* '~': read after the target resumed (the legend is in the help) */
	draw_text_mark(y, x[C_VALUE], cw[C_VALUE], draw_skip(b, v->hscroll),
		       session_value_lazy(ss, addr) ? "~" : NULL, a);
}

static int resort(struct tui *t, struct view *v, enum ikey key, int reverse)
{
	struct instances *in = v->priv;
	uint64_t keep = in->n ? in->v[v->cur].obj : 0;
	in->key = key;
	in->reverse = reverse;
	remembered.key = key;
	remembered.reverse = reverse;
	inst_sort(&t->ses, in);
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].obj == keep) {
			view_set_cursor(v, i);
			break;
		}
	return TUI_REDRAW;
}

static int instances_request(struct tui *t, struct view *v, enum request req)
{
	struct instances *in = v->priv;
	switch (req) {
	case REQ_ENTER:
	case REQ_VIEW_INSPECT:
	case REQ_VIEW_REFERRERS:
		if (!in->n)
			return TUI_REDRAW;
		return view_open_object(t, req == REQ_VIEW_REFERRERS ? &view_referrers_ops
					: &view_inspect_ops,
					o_addr(&t->ses, in, in->v[v->cur].obj));
	case REQ_SORT_SIZE: return resort(t, v, IK_SIZE, 0);
	case REQ_SORT_REFCNT: return resort(t, v, IK_REFCNT, 0);
	case REQ_SORT_ADDR: return resort(t, v, IK_ADDR, 0);
	case REQ_SORT_RETAINED:
		if (!tui_leaks(t))
			return TUI_REDRAW;
		return resort(t, v, IK_RETAINED, 0);
	case REQ_VIEW_DOMINATORS:
		if (!in->n)
			return TUI_UNHANDLED;
		return view_open_dominators(t, o_addr(&t->ses, in, in->v[v->cur].obj));
	case REQ_SORT_REVERSE: return resort(t, v, in->key, !in->reverse);
	default:
		return TUI_UNHANDLED;
	}
}

static raddr_t instances_selected(struct tui *t, struct view *v)
{
	struct instances *in = v->priv;
	return in->n ? o_addr(&t->ses, in, in->v[v->cur].obj) : 0;
}

const struct view_ops view_instances_ops = {
	.selected = instances_selected,
	.name = "Instances",
	.open = instances_open,
	.close = instances_close,
	.draw_header = instances_header,
	.draw_row = instances_row,
	.request = instances_request,
	.hints = "Enter inspect  b referrers  D tree  O s f A R I sort",
};
