/* view_referrers — who holds an object: its referrers with the edge
 * label saying how ("['req-17']" — the dict holds it under that key), and
 * below them the shortest paths from a root (a module global, a thread's
 * frame) down to it, which is usually the answer to "why is this alive".
 *
 * Enter follows the chain upwards (the referrers of the selected
 * referrer); i inspects the selected object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "value.h"
#include "view.h"

#define MAX_PATHS 4

enum rrkind { RR_HEAD, RR_REFERRER, RR_PATHS_HEAD, RR_ROOT, RR_STEP, RR_NOTE };

struct rrow {
	enum rrkind kind;
	graph_obj_t obj;                 /* the object the row is about */
	const struct graph_edge *edge;   /* RR_REFERRER / RR_STEP */
	const struct graph_root *root;   /* RR_ROOT */
};

struct referrers {
	graph_obj_t o;
	struct rrow *rows;
	size_t n;
	struct graph_path *paths;
	size_t npaths;
};

static int add_row(struct referrers *r, size_t cap, struct rrow row)
{
	if (r->n >= cap)
		return -1;
	r->rows[r->n++] = row;
	return 0;
}

/* One row per referrer edge, then the paths section. */
static int build_rows(struct graph *g, struct referrers *r)
{
	const struct graph_edge *e;
	size_t nref = graph_referrers(g, r->o, &e);
	size_t steps = 0;

	r->npaths = graph_paths(g, r->o, MAX_PATHS, &r->paths);
	for (size_t p = 0; p < r->npaths; p++)
		steps += 1 + r->paths[p].n;
	size_t cap = 3 + nref + steps;
	r->rows = calloc(cap, sizeof *r->rows);
	if (!r->rows)
		return -1;
	add_row(r, cap, (struct rrow){.kind = RR_HEAD, .obj = r->o});
	for (size_t i = 0; i < nref; i++)
		add_row(r, cap, (struct rrow){.kind = RR_REFERRER, .obj = e[i].from, .edge = &e[i]});
	add_row(r, cap, (struct rrow){.kind = RR_PATHS_HEAD, .obj = r->o});
	if (!r->npaths)
		add_row(r, cap, (struct rrow){.kind = RR_NOTE, .obj = r->o});
	for (size_t p = 0; p < r->npaths; p++) {
		const struct graph_path *gp = &r->paths[p];
		add_row(r, cap, (struct rrow){.kind = RR_ROOT, .obj = gp->root->obj,
					      .root = gp->root});
		for (size_t i = 0; i < gp->n; i++)
			add_row(r, cap, (struct rrow){.kind = RR_STEP, .obj = gp->edges[i].to,
						      .edge = &gp->edges[i]});
	}
	return 0;
}

static int referrers_open(struct tui *t, struct view *v)
{
	struct graph *g = tui_graph(t);
	struct referrers *r;

	if (!g)
		return -1;
	graph_obj_t o = graph_find(g, v->arg.addr);
	if (o == GRAPH_NONE) {
		tui_message(t, 1, "%s is not in this snapshot's object graph", v->arg.name);
		return -1;
	}
	r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	v->priv = r;
	r->o = o;
	if (build_rows(g, r) < 0)
		return -1;
	v->nrows = r->n;
	snprintf(v->crumb, sizeof v->crumb, "who holds %s", v->arg.name);
	return 0;
}

static void referrers_close(struct view *v)
{
	struct referrers *r = v->priv;
	if (!r)
		return;
	graph_paths_free(r->paths, r->npaths);
	free(r->rows);
	free(r);
}

static int referrers_selectable(struct view *v, size_t row)
{
	struct referrers *r = v->priv;
	enum rrkind k = r->rows[row].kind;
	return k == RR_REFERRER || k == RR_ROOT || k == RR_STEP;
}

/* ==== Drawing ==== */

static void referrers_header(struct tui *t, struct view *v, int y, int w)
{
	char line[160];
	(void)t;
	snprintf(line, sizeof line, " Who holds %s", v->arg.name);
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, line, draw_attr(ROLE_HEADER));
}

/* "<indent><label>  <type>  <value>", the type and value columns at the
 * same place whatever the indent, so a path reads as a table. */
static void draw_obj_line(struct tui *t, graph_obj_t o, int indent, const char *label,
			  int y, int w, int sel)
{
	struct graph *g = t->ses.g;
	struct value_opts vo = {.max_items = 4, .max_str = 80, .depth = 1};
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	char type[200], val[400];
	int lw = w / 3 > 34 ? 34 : w / 3;
	int tw = w / 5 > 24 ? 24 : w / 5;

	session_type_name(graph_type(g, o), type, sizeof type);
	value_repr_opts(heap_ctx(t->ses.h), graph_addr(g, o), &vo, val, sizeof val);
	draw_text(y, indent, lw - indent, label, a);
	draw_text(y, lw + 1, tw, type, dim);
	draw_text(y, lw + tw + 2, w - lw - tw - 2, val, a);
}

static void referrers_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct referrers *r = v->priv;
	const struct rrow *rr = &r->rows[row];
	struct graph *g = t->ses.g;
	char label[300], b[32];
	const struct graph_edge *e;

	switch (rr->kind) {
	case RR_HEAD:
		snprintf(label, sizeof label, "Referrers (%s) - Enter: their referrers, i: inspect",
			 fmt_count(graph_referrers(g, r->o, &e), b, sizeof b));
		draw_text(y, 0, w, label, draw_attr(ROLE_SECTION));
		break;
	case RR_PATHS_HEAD:
		/* n paths, each of its own number of steps: say both */
		snprintf(label, sizeof label, "How it is reached from a root: the %zu shortest path%s "
			 "(the shortest has %zu step%s)", r->npaths, r->npaths == 1 ? "" : "s",
			 r->npaths ? r->paths[0].n : (size_t)0,
			 r->npaths && r->paths[0].n == 1 ? "" : "s");
		draw_text(y, 0, w, label, draw_attr(ROLE_SECTION));
		break;
	case RR_NOTE:
		draw_text(y, 2, w - 2, "no path from a root: garbage waiting for the cyclic GC, "
			  "or held only from C", draw_attr(ROLE_DIM));
		break;
	case RR_REFERRER:
		graph_edge_label(g, rr->edge, label, sizeof label);
		draw_obj_line(t, rr->obj, 2, label, y, w, sel);
		break;
	case RR_ROOT:
		snprintf(label, sizeof label, "%s", rr->root->label);
		draw_obj_line(t, rr->obj, 2, label, y, w, sel);
		break;
	case RR_STEP: {
		char el[200];
		graph_edge_label(g, rr->edge, el, sizeof el);
		snprintf(label, sizeof label, "%s %s", draw_glyph(GL_ARROW), el);
		draw_obj_line(t, rr->obj, 4, label, y, w, sel);
		break;
	}
	}
}

/* ==== Requests ==== */

static int referrers_request(struct tui *t, struct view *v, enum request req)
{
	struct referrers *r = v->priv;
	if (!v->nrows || !referrers_selectable(v, v->cur))
		return TUI_UNHANDLED;
	raddr_t a = graph_addr(t->ses.g, r->rows[v->cur].obj);
	switch (req) {
	case REQ_ENTER:
	case REQ_VIEW_REFERRERS:
		return view_open_object(t, &view_referrers_ops, a);
	case REQ_VIEW_INSPECT:
		return view_open_object(t, &view_inspect_ops, a);
	default:
		return TUI_UNHANDLED;
	}
}

static raddr_t referrers_selected(struct tui *t, struct view *v)
{
	struct referrers *r = v->priv;
	if (!r || v->cur >= r->n || r->rows[v->cur].obj == GRAPH_NONE)
		return 0;
	return graph_addr(t->ses.g, r->rows[v->cur].obj);
}

const struct view_ops view_referrers_ops = {
	.selected = referrers_selected,
	.name = "Referrers",
	.open = referrers_open,
	.close = referrers_close,
	.draw_header = referrers_header,
	.draw_row = referrers_row,
	.selectable = referrers_selectable,
	.request = referrers_request,
	.hints = "Enter their referrers  i inspect  Backspace back",
};
