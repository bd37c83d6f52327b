/* view_dominators — the heap's dominator tree (model/leaks.h), folded like
 * a file tree: each node keeps alive everything below it, so its retained
 * size is what freeing it would free.  The big leak is found by unfolding
 * the biggest child again and again from "all roots" down.
 *
 * Rows are (node, depth) pairs in tree order; unfolding inserts a node's
 * children (already sorted by retained size, largest first, by the model)
 * after it, folding removes the rows below it.  A row costs 12 bytes and
 * nothing is rendered until it scrolls into view, so unfolding a list of a
 * million items is one memmove.  Each row also says how its dominator
 * holds it (".headers", "['req-17']", the root's name), computed when
 * drawn and kept in a small cache (the tick redraws every second).
 *
 * Keys: Enter/Right unfold (or step into an unfolded node), Space folds or
 * unfolds, Left folds (or goes to the parent); on a leaf Enter inspects;
 * i inspects, b lists referrers.  Opened from an object (D in the
 * inspector or the instances), the tree starts unfolded down to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "leaks.h"
#include "view.h"

#define MAX_INDENT 20        /* deeper nodes show their depth instead */
#define VIA_CACHE 256        /* direct-mapped: node % VIA_CACHE */

struct drow {
	leaks_node_t node;
	uint32_t depth;          /* 0 = "all roots" */
	uint32_t open;           /* its children follow (1) or not (0) */
};

struct via {
	leaks_node_t node;       /* LEAKS_NONE: empty slot */
	char text[160];
};

struct doms {
	struct leaks *L;
	struct drow *rows;
	size_t n, cap;
	uint64_t total;          /* heap bytes, for the % column */
	struct via via[VIA_CACHE];
};

enum { C_RET, C_SHALLOW, C_PCT, C_OBJ, NCOL };

static const struct column cols[NCOL] = {
	[C_RET] = {"retained", 10, 1, 0, 0, 0},
	[C_SHALLOW] = {"shallow", 9, 1, 2, 0, 0},
	[C_PCT] = {"heap", 6, 1, 1, 0, 0},
	[C_OBJ] = {"object", 20, 0, 0, 1, 0},
};

/* ==== Rows ==== */

static int rows_reserve(struct doms *d, size_t more)
{
	if (d->n + more <= d->cap)
		return 0;
	size_t nc = d->cap ? d->cap : 256;
	while (nc < d->n + more)
		nc *= 2;
	struct drow *nr = realloc(d->rows, nc * sizeof *nr);
	if (!nr)
		return -1;
	d->rows = nr;
	d->cap = nc;
	return 0;
}

static size_t nchildren(struct doms *d, leaks_node_t v)
{
	const leaks_node_t *ch;
	return leaks_children(d->L, v, &ch);
}

/* Unfold row i: its children go right after it.  0, or -1 out of memory. */
static int unfold(struct doms *d, size_t i)
{
	const leaks_node_t *ch;
	size_t n = leaks_children(d->L, d->rows[i].node, &ch);
	if (d->rows[i].open || !n)
		return 0;
	if (rows_reserve(d, n) < 0)
		return -1;
	memmove(&d->rows[i + 1 + n], &d->rows[i + 1], (d->n - i - 1) * sizeof *d->rows);
	for (size_t k = 0; k < n; k++)
		d->rows[i + 1 + k] = (struct drow){ch[k], d->rows[i].depth + 1, 0};
	d->n += n;
	d->rows[i].open = 1;
	return 0;
}

/* Fold row i: drop every row below it that is deeper. */
static void fold(struct doms *d, size_t i)
{
	size_t j = i + 1;
	while (j < d->n && d->rows[j].depth > d->rows[i].depth)
		j++;
	memmove(&d->rows[i + 1], &d->rows[j], (d->n - j) * sizeof *d->rows);
	d->n -= j - i - 1;
	d->rows[i].open = 0;
}

/* The rows with the chain from "all roots" down to `target` unfolded,
 * built in one pass in tree order (inserting level by level would move
 * every later row once per level: quadratic on a long linked list, whose
 * dominator tree is a chain as deep as the list).  *at receives target's
 * row.  target = the top: just the top, unfolded.  0 or -1 (memory). */
static int build_rows(struct doms *d, leaks_node_t target, size_t *at)
{
	struct leaks *L = d->L;
	leaks_node_t top = leaks_top(L);
	leaks_node_t *anc = NULL;
	const leaks_node_t **ch = NULL;
	size_t *pos = NULL, *next = NULL, *nch = NULL;
	size_t m = 0, k, levels, l, total = 1;
	int rc = -1;

	/* anc[0] = top ... anc[m-1] = target (the bound: a tree is never
	 * deeper than it has nodes) */
	for (leaks_node_t v = target; v != LEAKS_NONE && m <= top; v = leaks_parent(L, v))
		m++;
	if (!(anc = malloc((m ? m : 1) * sizeof *anc)))
		goto out;
	k = m;
	for (leaks_node_t v = target; k > 0; v = leaks_parent(L, v))
		anc[--k] = v;
	if (!m || anc[0] != top) {     /* not under the top: show the top only */
		m = 1;
		anc[0] = top;
	}
	/* Levels 0..m-2 (the target's ancestors) are unfolded; m = 1: the
	 * top alone, unfolded all the same. */
	levels = m > 1 ? m - 1 : 1;
	pos = calloc(levels, sizeof *pos);
	next = calloc(levels, sizeof *next);
	nch = calloc(levels, sizeof *nch);
	ch = calloc(levels, sizeof *ch);
	if (!pos || !next || !ch || !nch)
		goto out;
	for (l = 0; l < levels; l++) {
		nch[l] = leaks_children(L, anc[l], &ch[l]);
		pos[l] = SIZE_MAX;
		for (size_t c = 0; m > 1 && c < nch[l]; c++)
			if (ch[l][c] == anc[l + 1]) {
				pos[l] = c;
				break;
			}
		total += nch[l];
	}
	d->n = 0;
	if (rows_reserve(d, total) < 0)
		goto out;
	*at = 0;
	d->rows[d->n++] = (struct drow){top, 0, nch[0] > 0};
	/* Depth-first over the unfolded chain without recursion: next[l] is
	 * the next child of level l to emit. */
	l = 0;
	for (;;) {
		if (next[l] < nch[l]) {
			size_t c = next[l]++;
			int deeper = c == pos[l] && l + 1 < levels;
			if (c == pos[l] && l + 2 == m)
				*at = d->n;
			d->rows[d->n++] = (struct drow){ch[l][c], (uint32_t)l + 1, (uint32_t)deeper};
			if (deeper)
				l++;
		} else if (l == 0) {
			break;
		} else {
			l--;
		}
	}
	rc = 0;
out:
	free(anc);
	free(pos);
	free(next);
	free(ch);
	free(nch);
	return rc;
}

/* ==== Ops ==== */

static int doms_open(struct tui *t, struct view *v)
{
	struct leaks *L = tui_leaks(t);
	struct doms *d;
	leaks_node_t target;
	size_t at = 0;

	if (!L)
		return -1;
	if (!(d = calloc(1, sizeof *d)))
		return -1;
	v->priv = d;
	d->L = L;
	d->total = leaks_stats(L)->total;
	for (size_t i = 0; i < VIA_CACHE; i++)
		d->via[i].node = LEAKS_NONE;
	target = leaks_top(L);
	if (v->arg.aux == VIEW_ARG_REVEAL && v->arg.addr) {
		graph_obj_t o = graph_find(leaks_graph(L), v->arg.addr);
		if (o != GRAPH_NONE)
			target = o;      /* graph_obj_t and leaks_node_t number alike */
		else
			tui_message(t, 0, "%#llx is not in this snapshot: showing the top",
				    (unsigned long long)v->arg.addr);
	}
	if (build_rows(d, target, &at) < 0) {
		tui_message(t, 1, "out of memory");
		return -1;
	}
	v->nrows = d->n;
	v->cur = at;
	snprintf(v->crumb, sizeof v->crumb, "Dominators");
	return 0;
}

static void doms_close(struct view *v)
{
	struct doms *d = v->priv;
	if (d)
		free(d->rows);
	free(d);
}

/* A new snapshot: reopen unfolded down to the object under the cursor
 * (on "all roots": just the top, unfolded). */
static int doms_save(struct tui *t, struct view *v)
{
	struct doms *d = v->priv;
	graph_obj_t o = d && d->n ? leaks_node_obj(d->L, d->rows[v->cur].node) : GRAPH_NONE;
	(void)t;
	if (o == GRAPH_NONE) {
		v->arg.addr = 0;
		v->arg.aux = 0;
		return 0;
	}
	v->arg.addr = graph_addr(leaks_graph(d->L), o);
	v->arg.aux = VIEW_ARG_REVEAL;
	return 1;
}

/* ==== Drawing ==== */

static void doms_header(struct tui *t, struct view *v, int y, int w)
{
	struct doms *d = v->priv;
	const struct leaks_stats *st = leaks_stats(d->L);
	struct column c[NCOL];
	int x[NCOL], cw[NCOL];
	char title[160], b1[32], b2[32];
	(void)t;

	memcpy(c, cols, sizeof c);
	snprintf(title, sizeof title, "object  (each keeps alive what is below it; heap %s in %s objects, tracked or not)",
		 fmt_bytes(st->total, b1, sizeof b1), fmt_count(st->nodes ? st->nodes - 1 : 0, b2, sizeof b2));
	c[C_OBJ].title = title;
	columns_layout(c, NCOL, w, x, cw);
	columns_header(y, c, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

/* How row r's dominator holds it: the edge label (".headers",
 * "['req-17']"); for what hangs off "all roots", the path from its root
 * ("module __main__", "thread 1234 run() app.py:40 → f_locals['buf']");
 * "" when the dominator reaches it only through other objects. */
static const char *via_text(struct doms *d, leaks_node_t v)
{
	struct via *c = &d->via[v % VIA_CACHE];
	struct leaks *L = d->L;
	struct graph *g = leaks_graph(L);
	leaks_node_t p = leaks_parent(L, v);
	graph_obj_t o = leaks_node_obj(L, v);

	if (c->node == v)
		return c->text;
	c->node = v;
	c->text[0] = 0;
	if (o == GRAPH_NONE || p == LEAKS_NONE)
		return c->text;
	if (p == leaks_top(L)) {
		struct graph_path *gp = NULL;
		size_t np = graph_paths(g, o, 1, &gp);
		if (np)
			graph_path_text(g, &gp[0], c->text, sizeof c->text);
		else if (leaks_unreachable(L, o))
			snprintf(c->text, sizeof c->text, "no root reaches it");
		graph_paths_free(gp, np);
		return c->text;
	}
	struct graph_edge e;
	if (graph_edges_between(g, leaks_node_obj(L, p), o, &e, 1) == 1)
		graph_edge_label(g, &e, c->text, sizeof c->text);
	return c->text;
}

static void doms_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct doms *d = v->priv;
	const struct drow *r = &d->rows[row];
	struct leaks *L = d->L;
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	int x[NCOL], cw[NCOL];
	char b[512], lead[80];
	uint64_t ret = leaks_node_retained(L, r->node);
	graph_obj_t o = leaks_node_obj(L, r->node);

	columns_layout(cols, NCOL, w, x, cw);
	draw_rtext(y, x[C_RET], cw[C_RET], fmt_bytes(ret, b, sizeof b), a);
	if (x[C_SHALLOW] >= 0)
		draw_rtext(y, x[C_SHALLOW], cw[C_SHALLOW],
			   o == GRAPH_NONE ? "" : fmt_bytes(leaks_node_shallow(L, r->node), b, sizeof b), a);
	if (x[C_PCT] >= 0) {
		snprintf(b, sizeof b, "%.1f%%", d->total ? 100.0 * (double)ret / (double)d->total : 0.0);
		draw_rtext(y, x[C_PCT], cw[C_PCT], b, a);
	}

	/* indent, fold mark, how it is held (dim), what it is */
	int depth = (int)r->depth, cx = x[C_OBJ], end = x[C_OBJ] + cw[C_OBJ];
	const char *mark = r->open ? draw_glyph(GL_OPEN)
		: nchildren(d, r->node) ? draw_glyph(GL_CLOSED) : " ";
	if (depth > MAX_INDENT)
		snprintf(lead, sizeof lead, "%*s[%d] %s ", 2 * MAX_INDENT - 5, "", depth, mark);
	else
		snprintf(lead, sizeof lead, "%*s%s ", 2 * depth, "", mark);
	cx += draw_text(y, cx, end - cx, lead, a);
	const char *via = via_text(d, r->node);
	if (via[0] && cx < end) {
		cx += draw_text(y, cx, end - cx, via, dim);
		cx += draw_text(y, cx, end - cx, "  ", a);
	}
	leaks_node_label(L, r->node, b, sizeof b);
	/* A module's namespace held as a root: the module says what it is,
	 * its globals dict's repr only repeats __name__, __doc__... */
	const struct pytype *ot = o != GRAPH_NONE ? graph_type(leaks_graph(L), o) : NULL;
	if (ot && ot->kind == PYK_DICT && !strncmp(via, "module ", 7) && !strstr(via, draw_glyph(GL_ARROW)))
		snprintf(b, sizeof b, "its globals (dict)");
	/* '~': part of it was read after the target resumed (legend: help) */
	int lazy = o != GRAPH_NONE && session_value_lazy(&t->ses, graph_addr(leaks_graph(L), o));
	if (cx < end)
		draw_text_mark(y, cx, end - cx, draw_skip(b, v->hscroll), lazy ? "~" : NULL, a);
}

/* ==== Requests ==== */

/* The row of i's parent (the nearest shallower row above), or i. */
static size_t parent_row(struct doms *d, size_t i)
{
	size_t j = i;
	while (j > 0 && d->rows[j].depth >= d->rows[i].depth)
		j--;
	return d->rows[j].depth < d->rows[i].depth ? j : i;
}

static int set_rows(struct tui *t, struct view *v, int rc)
{
	struct doms *d = v->priv;
	if (rc < 0)
		tui_message(t, 1, "out of memory");
	v->nrows = d->n;
	view_set_cursor(v, v->cur);
	return TUI_REDRAW;
}

static int open_object(struct tui *t, struct view *v, const struct view_ops *ops)
{
	struct doms *d = v->priv;
	graph_obj_t o = leaks_node_obj(d->L, d->rows[v->cur].node);
	if (o == GRAPH_NONE) {
		tui_message(t, 0, "\"all roots\" is no object: unfold it (Enter) and pick one");
		return TUI_REDRAW;
	}
	return view_open_object(t, ops, graph_addr(leaks_graph(d->L), o));
}

static int doms_request(struct tui *t, struct view *v, enum request req)
{
	struct doms *d = v->priv;
	if (!d->n)
		return TUI_UNHANDLED;
	size_t i = v->cur;
	const struct drow *r = &d->rows[i];
	int has = nchildren(d, r->node) > 0;

	switch (req) {
	case REQ_ENTER:
		if (!has)             /* a leaf: nothing to unfold, look at it */
			return open_object(t, v, &view_inspect_ops);
		if (r->open) {        /* already unfolded: step into it */
			v->cur = i + 1;
			return set_rows(t, v, 0);
		}
		return set_rows(t, v, unfold(d, i));
	case REQ_TOGGLE:
		if (!has)
			return TUI_HANDLED;
		if (r->open) {
			fold(d, i);
			return set_rows(t, v, 0);
		}
		return set_rows(t, v, unfold(d, i));
	case REQ_COLLAPSE:
		if (r->open) {
			fold(d, i);
			return set_rows(t, v, 0);
		}
		if (r->depth == 0)
			return TUI_UNHANDLED;     /* at the top: Left goes back */
		v->cur = parent_row(d, i);
		return set_rows(t, v, 0);
	case REQ_VIEW_INSPECT:
		return open_object(t, v, &view_inspect_ops);
	case REQ_VIEW_REFERRERS:
		return open_object(t, v, &view_referrers_ops);
	default:
		return TUI_UNHANDLED;
	}
}

static raddr_t doms_selected(struct tui *t, struct view *v)
{
	struct doms *d = v->priv;
	graph_obj_t o = d && d->n ? leaks_node_obj(d->L, d->rows[v->cur].node) : GRAPH_NONE;
	return o != GRAPH_NONE ? graph_addr(leaks_graph(d->L), o) : 0;
}

const struct view_ops view_dominators_ops = {
	.selected = doms_selected,
	.name = "Dominators",
	.open = doms_open,
	.close = doms_close,
	.draw_header = doms_header,
	.draw_row = doms_row,
	.request = doms_request,
	.save = doms_save,
	.hints = "Enter/Space unfold  Left fold  i inspect  b referrers",
};
