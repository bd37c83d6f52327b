/* view_inspect — one object: what it is, its value, its fields
 * (model/value.h) and its referents with edge labels (model/graph.h).
 *
 * The rows are sections laid end to end: facts, fields, referents.  A
 * million-item list has a million field rows; they are fetched from
 * value_fields() a window at a time as they scroll into view, so opening
 * it costs one window.  Enter opens the object a field or referent points
 * to; b lists the referrers of the object under the cursor; D shows the
 * object in the dominator tree.
 *
 * The facts include the retained size (what only this object keeps
 * alive) and the object that alone holds it (its immediate dominator),
 * from the snapshot's dominator tree, built on the first inspection.
 * Values read from the target after it resumed (the lazy tails of big
 * payloads, memsrc.h) end in '~'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "leaks.h"
#include "value.h"
#include "view.h"

#define WINDOW 256

/* FACT_LAZY, the legend of '~', is shown only when the object is lazy:
 * it must stay last (in->nfacts leaves it out). */
enum { FACT_TYPE, FACT_ADDR, FACT_SIZE, FACT_RETAINED, FACT_DOM, FACT_VALUE, FACT_HELD,
       FACT_LAZY, NFACTS };

struct inspect {
	raddr_t addr;
	graph_obj_t o;               /* GRAPH_NONE without a graph */
	char facts[NFACTS][512];
	size_t nfacts;               /* NFACTS, or one less: no FACT_LAZY */
	/* Fields: the named ones are kept; item-like rows in a window. */
	struct value_field *named;
	size_t nnamed, nitems;
	struct value_field *win;     /* window of items (points into named or win_block) */
	struct value_field *win_block; /* owned block of a later fetch, or NULL */
	size_t win_first, win_n;
	/* Referents from the graph. */
	const struct graph_edge *refs;
	size_t nrefs;
	int graph_missing;
	int lazy;                    /* part of the object is read after the resume */
};

/* Row map: [facts][Fields heading][fields...][Referents heading][refs...] */
enum rkind { RK_FACT, RK_FIELDS_HEAD, RK_FIELD, RK_REFS_HEAD, RK_REF };

static enum rkind row_kind(const struct inspect *in, size_t row, size_t *idx)
{
	size_t nf = in->nnamed + in->nitems;
	if (row < in->nfacts) {
		*idx = row;
		return RK_FACT;
	}
	row -= in->nfacts;
	if (row == 0)
		return RK_FIELDS_HEAD;
	if (--row < nf) {
		*idx = row;
		return RK_FIELD;
	}
	row -= nf;
	if (row == 0)
		return RK_REFS_HEAD;
	*idx = row - 1;
	return RK_REF;
}

/* ==== Fields ==== */

static int is_item(const struct value_field *f)
{
	return f->kind == VF_ITEM || f->kind == VF_ENTRY;
}

/* The first call: named fields plus the first window of items. */
static void fields_load(struct pyctx *c, struct inspect *in)
{
	struct value_field *f = NULL;
	size_t total = 0;
	long n = value_fields(c, in->addr, 0, WINDOW, &f, &total);
	if (n < 0) {
		free(f);
		return;
	}
	size_t nitem_rows = 0;
	for (long i = 0; i < n; i++)
		nitem_rows += is_item(&f[i]);
	in->named = f;
	in->nnamed = (size_t)n - nitem_rows;
	in->nitems = total > in->nnamed ? total - in->nnamed : nitem_rows;
	in->win_first = 0;
	in->win_n = nitem_rows;
	in->win = f + in->nnamed;   /* items follow the named fields */
}

/* Field row i (named first, then items), fetching a window on demand;
 * NULL when it cannot be read. */
static const struct value_field *field_at(struct pyctx *c, struct inspect *in, size_t i)
{
	if (i < in->nnamed)
		return &in->named[i];
	i -= in->nnamed;
	if (i >= in->win_first && i < in->win_first + in->win_n)
		return &in->win[i - in->win_first];
	struct value_field *f = NULL;
	size_t first = i - i % WINDOW;
	long n = value_fields(c, in->addr, first, WINDOW, &f, NULL);
	if (n < 0) {
		free(f);
		return NULL;
	}
	/* Each answer repeats the named fields first; the items follow. */
	size_t named = 0;
	while (named < (size_t)n && !is_item(&f[named]))
		named++;
	free(in->win_block);
	in->win_block = f;
	in->win = f + named;
	in->win_first = first;
	in->win_n = (size_t)n - named;
	if (i >= first + in->win_n)
		return NULL;
	return &in->win[i - first];
}

/* ==== Facts ==== */

static int census_gen(struct session *ss, raddr_t addr)
{
	uint64_t n = heap_nobjects(ss->h);
	for (uint64_t i = 0; i < n; i++)
		if (heap_obj_addr(ss->h, i) == addr)
			return heap_obj_gen(ss->h, i);
	return -1;
}

static void facts_fill(struct tui *t, struct inspect *in)
{
	struct session *ss = &t->ses;
	struct pyctx *c = heap_ctx(ss->h);
	const struct pytype *ty = py_type_of_obj(c, in->addr);
	struct value_opts vo = {.max_items = 20, .max_str = 400, .depth = 2};
	char name[256], val[400], b[32], rc[32], where[32];
	int64_t refs = 0;
	int gen = census_gen(ss, in->addr);

	session_type_name(ty, name, sizeof name);
	snprintf(in->facts[FACT_TYPE], sizeof in->facts[0], "type      %s  (type object %#llx)",
		 name, (unsigned long long)(ty ? ty->addr : 0));
	snprintf(in->facts[FACT_ADDR], sizeof in->facts[0], "address   %#llx",
		 (unsigned long long)in->addr);
	if (py_refcnt(c, in->addr, &refs) < 0)
		snprintf(rc, sizeof rc, "?");
	else if (py_is_immortal(c, refs))
		snprintf(rc, sizeof rc, "immortal");
	else
		fmt_count((uint64_t)refs, rc, sizeof rc);
	if (gen < 0)
		snprintf(where, sizeof where, "not GC-tracked");
	else if (gen == HEAP_GEN_PERMANENT)
		snprintf(where, sizeof where, "GC permanent generation");
	else
		snprintf(where, sizeof where, "GC generation %d", gen);
	snprintf(in->facts[FACT_SIZE], sizeof in->facts[0],
		 "size      %s B (sys.getsizeof)   refcount %s   %s",
		 fmt_count(ty ? py_getsizeof(c, in->addr, ty) : 0, b, sizeof b), rc, where);
	value_repr_opts(c, in->addr, &vo, val, sizeof val);
	snprintf(in->facts[FACT_VALUE], sizeof in->facts[0], "value     %s", val);
	in->lazy = session_value_lazy(ss, in->addr);
	in->nfacts = in->lazy ? NFACTS : NFACTS - 1;
	snprintf(in->facts[FACT_LAZY], sizeof in->facts[0],
		 "~         read after the target resumed (a big payload's tail, --lazy-min): "
		 "may be newer than the snapshot");
}

/* Retained size and the immediate dominator, from the dominator tree. */
static void retained_fill(struct inspect *in, struct leaks *L)
{
	char b1[32], label[300];
	if (!L || in->o == GRAPH_NONE) {
		snprintf(in->facts[FACT_RETAINED], sizeof in->facts[0], "retained  ? (%s)",
			 L ? "not in the object graph" : "retained sizes unavailable");
		snprintf(in->facts[FACT_DOM], sizeof in->facts[0], "held alone by ?");
		return;
	}
	uint64_t ret = leaks_retained(L, in->o), total = leaks_stats(L)->total;
	snprintf(in->facts[FACT_RETAINED], sizeof in->facts[0],
		 "retained  %s, %.1f%% of the heap: what only this object keeps alive",
		 fmt_bytes(ret, b1, sizeof b1), total ? 100.0 * (double)ret / (double)total : 0.0);
	graph_obj_t d = leaks_idom_obj(L, in->o);
	struct graph_edge e;
	char how[200] = "";
	/* The slot first when the dominator holds it directly ("['CACHE'] in
	 * dict {…}"): the label is long and gets cut at the right. */
	if (d != GRAPH_NONE && graph_edges_between(leaks_graph(L), d, in->o, &e, 1) == 1) {
		graph_edge_label(leaks_graph(L), &e, how, sizeof how - 4);
		strcat(how, " in ");
	}
	if (d != GRAPH_NONE)
		snprintf(in->facts[FACT_DOM], sizeof in->facts[0], "held alone by %s%s", how,
			 leaks_node_label(L, d, label, sizeof label));
	else if (leaks_unreachable(L, in->o))
		snprintf(in->facts[FACT_DOM], sizeof in->facts[0],
			 "held alone by nothing: no root reaches it (a garbage cycle, or held only from C)");
	else
		snprintf(in->facts[FACT_DOM], sizeof in->facts[0],
			 "held alone by no single object: a root holds it, or several objects do");
}

static void held_fill(struct inspect *in, struct graph *g)
{
	const struct graph_edge *e;
	char b[32];
	size_t n = g && in->o != GRAPH_NONE ? graph_referrers(g, in->o, &e) : 0;
	snprintf(in->facts[FACT_HELD], sizeof in->facts[0], "held by   %s%s",
		 g ? fmt_count(n, b, sizeof b) : "?",
		 g ? (n == 1 ? " referrer (b lists it)" : " referrers (b lists them)")
		   : " (object graph unavailable)");
}

/* ==== Opening ==== */

static int inspect_open(struct tui *t, struct view *v)
{
	struct session *ss = &t->ses;
	struct inspect *in;

	if (!py_type_of_obj(heap_ctx(ss->h), v->arg.addr)) {
		tui_message(t, 1, "%s is gone in this snapshot", v->arg.name);
		return -1;
	}
	in = calloc(1, sizeof *in);
	if (!in)
		return -1;
	v->priv = in;
	in->addr = v->arg.addr;
	in->o = GRAPH_NONE;
	snprintf(v->crumb, sizeof v->crumb, "%s", v->arg.name);
	facts_fill(t, in);
	fields_load(heap_ctx(ss->h), in);
	struct graph *g = tui_graph(t);
	if (g && (in->o = graph_find(g, in->addr)) != GRAPH_NONE)
		in->nrefs = graph_referents(g, in->o, &in->refs);
	in->graph_missing = !g;
	held_fill(in, g);
	retained_fill(in, g ? tui_leaks(t) : NULL);
	v->nrows = in->nfacts + 1 + in->nnamed + in->nitems + 1 + in->nrefs;
	return 0;
}

static void inspect_close(struct view *v)
{
	struct inspect *in = v->priv;
	if (!in)
		return;
	free(in->win_block);
	free(in->named);
	free(in);
}

static int inspect_selectable(struct view *v, size_t row)
{
	struct inspect *in = v->priv;
	size_t idx;
	enum rkind k = row_kind(in, row, &idx);
	return k == RK_FIELD || k == RK_REF;
}

/* ==== Drawing ==== */

static void inspect_header(struct tui *t, struct view *v, int y, int w)
{
	(void)t;
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 1, w - 1, v->arg.name, draw_attr(ROLE_HEADER));
}

/* "label  type  value" for a field or a referent; lazy: the value ends
 * in '~' (read after the target resumed). */
static void draw_link(int y, int w, const char *label, const char *type,
		      const char *value, int lazy, attr_t a, attr_t dim)
{
	int lw = w / 3 > 30 ? 30 : w / 3;
	int tw = w / 5 > 24 ? 24 : w / 5;
	draw_text(y, 2, lw, label, a);
	draw_text(y, 3 + lw, tw, type, dim);
	draw_text_mark(y, 4 + lw + tw, w - 4 - lw - tw, value, lazy ? "~" : NULL, a);
}

static void draw_field(struct tui *t, struct inspect *in, size_t i, int y, int w, int sel)
{
	struct pyctx *c = heap_ctx(t->ses.h);
	const struct value_field *f = field_at(c, in, i);
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	char type[200];

	if (!f) {
		draw_text(y, 2, w - 2, "<unreadable>", dim);
		return;
	}
	if (f->value)
		value_type_name(c, f->value, type, sizeof type);
	else
		type[0] = 0;
	/* Items are read from the container's buffer, their values from
	 * their own objects: either may be lazy. */
	int lazy = f->value && (session_value_lazy(&t->ses, f->value) ||
				(is_item(f) && in->lazy &&
				 session_item_lazy(&t->ses, in->addr, i - in->nnamed)));
	draw_link(y, w, f->label, type, f->text, lazy, a, dim);
}

static void draw_ref(struct tui *t, struct inspect *in, size_t i, int y, int w, int sel)
{
	struct graph *g = t->ses.g;
	const struct graph_edge *e = &in->refs[i];
	struct value_opts vo = {.max_items = 6, .max_str = 120, .depth = 1};
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	char label[200], type[200], val[400];

	graph_edge_label(g, e, label, sizeof label);
	session_type_name(graph_type(g, e->to), type, sizeof type);
	value_repr_opts(heap_ctx(t->ses.h), graph_addr(g, e->to), &vo, val, sizeof val);
	draw_link(y, w, label, type, val, session_value_lazy(&t->ses, graph_addr(g, e->to)), a, dim);
}

static void inspect_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct inspect *in = v->priv;
	char line[128], b[32];
	size_t idx = 0;

	switch (row_kind(in, row, &idx)) {
	case RK_FACT:
		if (idx == FACT_VALUE && in->lazy)
			draw_text_mark(y, 1, w - 1, in->facts[idx], "~", draw_attr(ROLE_NORMAL));
		else
			draw_text(y, 1, w - 1, in->facts[idx],
				  draw_attr(idx == FACT_LAZY ? ROLE_DIM : ROLE_NORMAL));
		break;
	case RK_FIELDS_HEAD:
		snprintf(line, sizeof line, "Fields (%s)", fmt_count(in->nnamed + in->nitems, b, sizeof b));
		draw_text(y, 0, w, line, draw_attr(ROLE_SECTION));
		break;
	case RK_FIELD:
		draw_field(t, in, idx, y, w, sel);
		break;
	case RK_REFS_HEAD:
		if (in->graph_missing)
			snprintf(line, sizeof line, "Referents (object graph unavailable)");
		else
			snprintf(line, sizeof line, "Referents (%s)", fmt_count(in->nrefs, b, sizeof b));
		draw_text(y, 0, w, line, draw_attr(ROLE_SECTION));
		break;
	case RK_REF:
		draw_ref(t, in, idx, y, w, sel);
		break;
	}
}

/* ==== Requests ==== */

/* The object the cursor row points to, or 0. */
static raddr_t selected_addr(struct tui *t, struct view *v)
{
	struct inspect *in = v->priv;
	size_t idx;
	switch (row_kind(in, v->cur, &idx)) {
	case RK_FIELD: {
		const struct value_field *f = field_at(heap_ctx(t->ses.h), in, idx);
		return f ? f->value : 0;
	}
	case RK_REF:
		return graph_addr(t->ses.g, in->refs[idx].to);
	default:
		return 0;
	}
}

static int inspect_request(struct tui *t, struct view *v, enum request req)
{
	struct inspect *in = v->priv;
	raddr_t a;
	switch (req) {
	case REQ_ENTER:
	case REQ_VIEW_INSPECT:
		a = selected_addr(t, v);
		if (!a) {
			tui_message(t, 0, "this field holds no object");
			return TUI_REDRAW;
		}
		return view_open_object(t, &view_inspect_ops, a);
	case REQ_VIEW_REFERRERS:
		/* b: who holds *this* object, the usual question here. */
		return view_open_object(t, &view_referrers_ops, in->addr);
	case REQ_VIEW_DOMINATORS:
		/* D: where this object sits in the dominator tree */
		return view_open_dominators(t, in->addr);
	default:
		return TUI_UNHANDLED;
	}
}

/* The inspected object (its fields are what the rows are). */
static raddr_t inspect_selected(struct tui *t, struct view *v)
{
	struct inspect *in = v->priv;
	return in ? in->addr : 0;
}

const struct view_ops view_inspect_ops = {
	.selected = inspect_selected,
	.name = "Inspect",
	.open = inspect_open,
	.close = inspect_close,
	.draw_header = inspect_header,
	.draw_row = inspect_row,
	.selectable = inspect_selectable,
	.request = inspect_request,
	.hints = "Enter open  b referrers (who holds it)  D dominator tree",
};
