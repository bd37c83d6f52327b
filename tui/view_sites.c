/* view_sites — objects grouped by allocation site, from the target's own
 * tracemalloc (model/sites.h): one row per file:line of the most recent
 * frame (Space: per whole traceback), most traced bytes first, with the
 * objects, their traced bytes (as tracemalloc counts the blocks) and
 * shallow size.  The panel under the rows shows the selected site's whole
 * traceback and what its objects retain together (the group's retained
 * size, computed when the row is first selected).  Enter inspects the
 * group's largest object.
 *
 * A target without tracemalloc, or a stripped 3.7-3.11 build that hides
 * its traces, gets one line saying so and what to do.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "leaks.h"
#include "sites.h"
#include "view.h"

struct vsites {
	struct leaks *L;
	struct graph *g;
	struct sites *S;
	struct sites_group *gr;
	long ng;
	int by_tb;
	uint64_t untraced;
	uint64_t *retained;          /* per group, UINT64_MAX until computed */
};

enum { C_OBJ, C_TRACED, C_SHALLOW, C_SITE, NCOL };

static const struct column cols[NCOL] = {
	[C_OBJ] = {"objects", 9, 1, 0, 0, 0},
	[C_TRACED] = {"traced", 10, 1, 0, 0, 0},
	[C_SHALLOW] = {"shallow", 10, 1, 1, 0, 0},
	[C_SITE] = {"allocation site", 20, 0, 0, 1, 0},
};

static void free_groups(struct vsites *vs)
{
	sites_groups_free(vs->gr, vs->ng);
	free(vs->retained);
	vs->gr = NULL;
	vs->retained = NULL;
	vs->ng = 0;
}

static int group(struct tui *t, struct view *v)
{
	struct vsites *vs = v->priv;
	char msg[96];
	free_groups(vs);
	if (sites_state(vs->S) != SITES_ON) {
		v->nrows = 1;
		return 0;
	}
	snprintf(msg, sizeof msg, "Grouping objects by allocation site%s", draw_glyph(GL_ELLIPSIS));
	tui_busy(t, msg);
	vs->ng = sites_groups(vs->S, vs->g, vs->by_tb, &vs->gr, &vs->untraced);
	if (vs->ng < 0 || !(vs->retained = malloc(((size_t)vs->ng + 1) * sizeof *vs->retained))) {
		vs->ng = vs->ng < 0 ? 0 : vs->ng;
		free_groups(vs);
		tui_message(t, 1, "out of memory grouping objects by allocation site");
		return -1;
	}
	for (long i = 0; i < vs->ng; i++)
		vs->retained[i] = UINT64_MAX;
	v->nrows = vs->ng ? (size_t)vs->ng : 1;
	v->cur = v->top = 0;
	snprintf(v->crumb, sizeof v->crumb, "Sites (%ld%s)", vs->ng, vs->by_tb ? ", tracebacks" : "");
	return 0;
}

static int sites_open(struct tui *t, struct view *v)
{
	struct leaks *L = tui_leaks(t);
	struct vsites *vs;
	struct hs_err err = {0};
	if (!L)
		return -1;
	if (!(vs = calloc(1, sizeof *vs)))
		return -1;
	v->priv = vs;
	vs->L = L;
	vs->g = leaks_graph(L);
	vs->by_tb = (int)v->arg.aux;
	if (sites_load(heap_ctx(t->ses.h), &vs->S, &err) != HS_OK) {
		tui_message(t, 1, "%s", err.msg);
		free(vs);
		v->priv = NULL;
		return -1;
	}
	snprintf(v->crumb, sizeof v->crumb, "Sites");
	return group(t, v);
}

static void sites_close(struct view *v)
{
	struct vsites *vs = v->priv;
	if (!vs)
		return;
	free_groups(vs);
	sites_free(vs->S);
	free(vs);
}

static int sites_selectable(struct view *v, size_t row)
{
	struct vsites *vs = v->priv;
	return row < (size_t)vs->ng;
}

/* ==== Drawing ==== */

static void sites_header(struct tui *t, struct view *v, int y, int w)
{
	struct vsites *vs = v->priv;
	struct column c[NCOL];
	int x[NCOL], cw[NCOL];
	char title[200];
	(void)t;
	memcpy(c, cols, sizeof c);
	if (sites_state(vs->S) == SITES_ON)
		snprintf(title, sizeof title, "allocation site  (%s; %lu objects without a trace)",
			 vs->by_tb ? "whole tracebacks" : "most recent frame", (unsigned long)vs->untraced);
	c[C_SITE].title = sites_state(vs->S) == SITES_ON ? title : "allocation site";
	columns_layout(c, NCOL, w, x, cw);
	columns_header(y, c, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

static void sites_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct vsites *vs = v->priv;
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	int x[NCOL], cw[NCOL];
	char b[64], key[1024];
	(void)t;
	if (!vs->ng) {
		draw_text(y, 1, w - 1, sites_state(vs->S) == SITES_ON ? "No object has a trace."
			  : sites_why(vs->S), draw_attr(ROLE_DIM));
		return;
	}
	const struct sites_group *G = &vs->gr[row];
	columns_layout(cols, NCOL, w, x, cw);
	draw_rtext(y, x[C_OBJ], cw[C_OBJ], fmt_count(G->count, b, sizeof b), a);
	draw_rtext(y, x[C_TRACED], cw[C_TRACED], fmt_bytes(G->traced, b, sizeof b), a);
	if (x[C_SHALLOW] >= 0)
		draw_rtext(y, x[C_SHALLOW], cw[C_SHALLOW], fmt_bytes(G->shallow, b, sizeof b), a);
	draw_text(y, x[C_SITE], cw[C_SITE], sites_key(vs->S, G->tb, vs->by_tb, key, sizeof key), a);
}

static int sites_panel_height(struct tui *t, struct view *v, int h)
{
	struct vsites *vs = v->priv;
	(void)t;
	if (!vs->ng)
		return 0;
	int want = h * 2 / 5;
	return want < 5 ? 5 : want > 14 ? 14 : want;
}

/* The group's retained size, once (a walk over the whole graph). */
static void sites_prepare(struct tui *t, struct view *v)
{
	struct vsites *vs = v->priv;
	char msg[96];
	if (!vs->ng || v->cur >= (size_t)vs->ng || vs->retained[v->cur] != UINT64_MAX)
		return;
	snprintf(msg, sizeof msg, "What the site's objects retain together%s", draw_glyph(GL_ELLIPSIS));
	tui_busy(t, msg);
	const struct sites_group *G = &vs->gr[v->cur];
	uint64_t r = leaks_group_retained(vs->L, G->objs, G->count);
	vs->retained[v->cur] = r == UINT64_MAX ? UINT64_MAX - 1 : r;
}

static graph_obj_t largest(const struct vsites *vs, const struct sites_group *G)
{
	graph_obj_t best = G->objs[0];
	for (uint64_t i = 1; i < G->count; i++)
		if (leaks_retained(vs->L, G->objs[i]) > leaks_retained(vs->L, best))
			best = G->objs[i];
	return best;
}

static void sites_panel(struct tui *t, struct view *v, int y, int h, int w)
{
	struct vsites *vs = v->priv;
	const struct sites_group *G = &vs->gr[v->cur < (size_t)vs->ng ? v->cur : 0];
	const struct sites_tb *T = sites_tb(vs->S, G->tb);
	attr_t hd = draw_attr(ROLE_HEADER);
	char line[600], b1[32], b2[32], tn[128];
	uint64_t r = vs->retained[v->cur < (size_t)vs->ng ? v->cur : 0];
	(void)t;
	snprintf(line, sizeof line, " %s objects, %s traced; together they retain %s", fmt_count(G->count, b1, sizeof b1),
		 fmt_bytes(G->traced, b2, sizeof b2),
		 r >= UINT64_MAX - 1 ? "?" : fmt_bytes(r, tn, sizeof tn));
	draw_fill(y, 0, w, hd);
	draw_text(y, 0, w, line, hd);
	int row = 1;
	for (uint32_t k = 0; T && k < T->nframe && row < h - 1; k++, row++) {
		snprintf(line, sizeof line, "%s %s:%u", k ? "   called from" : "allocated at", T->frames[k].file,
			 T->frames[k].line);
		draw_text(y + row, 1, w - 2, line, draw_attr(k ? ROLE_DIM : ROLE_NORMAL));
	}
	if (T && T->total_nframe > T->nframe && row < h - 1) {
		snprintf(line, sizeof line, "   … %u older frames (tracemalloc keeps %d)",
			 T->total_nframe - T->nframe, sites_max_nframe(vs->S));
		draw_text(y + row++, 1, w - 2, line, draw_attr(ROLE_DIM));
	}
	if (row < h) {
		graph_obj_t o = largest(vs, G);
		snprintf(line, sizeof line, "Enter inspects the one retaining the most, %s@%#llx; Space: %s",
			 graph_type_name(vs->g, o, tn, sizeof tn), (unsigned long long)graph_addr(vs->g, o),
			 vs->by_tb ? "group by line" : "group by whole traceback");
		draw_text(y + h - 1, 1, w - 2, line, draw_attr(ROLE_DIM));
	}
}

/* ==== Requests ==== */

static int sites_request(struct tui *t, struct view *v, enum request req)
{
	struct vsites *vs = v->priv;
	if (req == REQ_TOGGLE && sites_state(vs->S) == SITES_ON) {
		vs->by_tb = !vs->by_tb;
		v->arg.aux = vs->by_tb;
		group(t, v);
		return TUI_REDRAW;
	}
	if (req != REQ_ENTER && req != REQ_VIEW_INSPECT)
		return TUI_UNHANDLED;
	if (!vs->ng || v->cur >= (size_t)vs->ng)
		return TUI_UNHANDLED;
	graph_obj_t o = largest(vs, &vs->gr[v->cur]);
	return view_open_object(t, &view_inspect_ops, graph_addr(vs->g, o));
}

static int sites_save(struct tui *t, struct view *v)
{
	(void)t;
	v->arg.aux = ((struct vsites *)v->priv)->by_tb;
	return 0;
}

const struct view_ops view_sites_ops = {
	.name = "Sites",
	.open = sites_open,
	.close = sites_close,
	.draw_header = sites_header,
	.draw_row = sites_row,
	.selectable = sites_selectable,
	.request = sites_request,
	.panel_height = sites_panel_height,
	.draw_panel = sites_panel,
	.prepare = sites_prepare,
	.save = sites_save,
	.hints = "Enter inspect  Space line/traceback",
};
