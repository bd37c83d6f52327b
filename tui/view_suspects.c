/* view_suspects — ranked leak findings (model/leaks.h, leaks_suspects):
 * an unbounded cache, a registry that never lets go, garbage cycles the
 * collector would free, the collector switched off…  One row per finding
 * (severity, bytes at stake, title), most severe first; the panel under
 * the rows explains the selected one: its evidence with numbers and the
 * shortest path from a root, word-wrapped to the terminal's width.
 *
 * An accumulation finding (many instances of one class held from several
 * places) explains its accumulation points in the evidence; Enter opens
 * the instance retaining the most.
 *
 * After `r` the findings carry growth evidence ("it grew by 75 items in
 * 3.1 s"), from the previous snapshot.  Enter or i inspects the finding's
 * object, b lists its referrers, D shows where it sits in the dominator
 * tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "leaks.h"
#include "view.h"

struct suspects {
	struct leaks *L;
	const struct leaks_suspect *s;   /* session-owned, valid for this snapshot */
	size_t n;
};

enum { C_SEV, C_BYTES, C_KIND, C_TITLE, NCOL };

static const struct column cols[NCOL] = {
	[C_SEV] = {"severity", 8, 0, 0, 0, 0},
	[C_BYTES] = {"bytes", 10, 1, 0, 0, 0},
	[C_KIND] = {"kind", 17, 0, 1, 0, 0},
	[C_TITLE] = {"finding", 20, 0, 0, 1, 0},
};

static int suspects_open(struct tui *t, struct view *v)
{
	struct leaks *L = tui_leaks(t);
	struct suspects *su;
	char msg[96];

	if (!L)
		return -1;
	if (!(su = calloc(1, sizeof *su)))
		return -1;
	v->priv = su;
	su->L = L;
	if (!t->ses.sus_done) {
		snprintf(msg, sizeof msg, "Looking for leak suspects%s", draw_glyph(GL_ELLIPSIS));
		tui_busy(t, msg);
	}
	su->n = session_suspects(&t->ses, &su->s);
	/* none: one line saying so (not selectable) */
	v->nrows = su->n ? su->n : 1;
	snprintf(v->crumb, sizeof v->crumb, "Suspects (%zu)", su->n);
	return 0;
}

static void suspects_close(struct view *v)
{
	free(v->priv);
}

static int suspects_selectable(struct view *v, size_t row)
{
	struct suspects *su = v->priv;
	return row < su->n;
}

/* ==== Drawing ==== */

static void suspects_header(struct tui *t, struct view *v, int y, int w)
{
	struct suspects *su = v->priv;
	const struct leaks_garbage *G = leaks_garbage(su->L);
	struct column c[NCOL];
	int x[NCOL], cw[NCOL];
	char title[160], b1[32], b2[32];

	memcpy(c, cols, sizeof c);
	if (G && G->objects)
		snprintf(title, sizeof title, "finding  (most severe first; a gc.collect() now would free %s in %s objects)",
			 fmt_bytes(G->bytes, b1, sizeof b1), fmt_count(G->objects, b2, sizeof b2));
	else
		snprintf(title, sizeof title, "finding  (most severe first%s)",
			 t->ses.has_prev ? "; growth since the previous snapshot" : "; r adds growth evidence");
	c[C_TITLE].title = title;
	columns_layout(c, NCOL, w, x, cw);
	columns_header(y, c, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

static attr_t sev_attr(enum leaks_severity sev, int sel)
{
	if (sel)
		return draw_attr(ROLE_CURSOR);
	switch (sev) {
	case SEV_HIGH: return draw_attr(ROLE_GROW);
	case SEV_MEDIUM: return draw_attr(ROLE_SECTION);
	case SEV_LOW: return draw_attr(ROLE_NORMAL);
	default: return draw_attr(ROLE_DIM);
	}
}

/* "HIGH", "MEDIUM": capitals, so the severity reads without colours. */
static const char *sev_name(enum leaks_severity sev, char *buf, size_t cap)
{
	const char *s = leaks_severity_name(sev);
	size_t i;
	for (i = 0; s[i] && i + 1 < cap; i++)
		buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	buf[i] = 0;
	return buf;
}

static void suspects_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct suspects *su = v->priv;
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	int x[NCOL], cw[NCOL];
	char b[64];
	(void)t;

	if (!su->n) {
		draw_text(y, 1, w - 1, "No suspects: nothing retains a notable share of the heap, the "
			  "collector is on and gc.garbage is empty.", draw_attr(ROLE_DIM));
		return;
	}
	const struct leaks_suspect *s = &su->s[row];
	columns_layout(cols, NCOL, w, x, cw);
	draw_text(y, x[C_SEV], cw[C_SEV], sev_name(s->severity, b, sizeof b), sev_attr(s->severity, sel));
	draw_rtext(y, x[C_BYTES], cw[C_BYTES], fmt_bytes(s->bytes, b, sizeof b), a);
	if (x[C_KIND] >= 0)
		draw_text(y, x[C_KIND], cw[C_KIND], leaks_kind_name(s->kind), sel ? a : draw_attr(ROLE_DIM));
	/* A big object's finding names its type, not what holds it: the
	 * row says the holder too (its path from a root: "MODEL"...). */
	char title[1400];
	if (s->kind == LEAK_LARGE_OBJECT && s->path[0])
		snprintf(title, sizeof title, "%s, held by %s", s->title, s->path);
	else
		snprintf(title, sizeof title, "%s", s->title);
	draw_text(y, x[C_TITLE], cw[C_TITLE], title, a);
}

/* The selected finding's evidence and path: 2/5 of the body or so,
 * enough for a wrapped paragraph at 80 columns, and whatever the rows
 * leave (a blank line kept between), so that it reads right under them. */
static int suspects_panel_height(struct tui *t, struct view *v, int h)
{
	struct suspects *su = v->priv;
	int want = h * 2 / 5, rest = h - (int)su->n - 1;
	(void)t;
	if (!su->n)
		return 0;
	want = want < 6 ? 6 : want > 14 ? 14 : want;
	return rest > want ? rest : want;
}

static void suspects_panel(struct tui *t, struct view *v, int y, int h, int w)
{
	struct suspects *su = v->priv;
	const struct leaks_suspect *s = &su->s[v->cur < su->n ? v->cur : 0];
	struct graph *g = leaks_graph(su->L);
	attr_t hd = draw_attr(ROLE_HEADER);
	char line[1200], b1[32], b2[32], b3[48] = "", where[200] = "";

	char cnt[48] = "";
	if (s->count)
		snprintf(cnt, sizeof cnt, ", %s objects", fmt_count(s->count, b2, sizeof b2));
	if (s->growth != INT64_MIN)
		snprintf(b3, sizeof b3, ", %s items since #%d", fmt_delta(s->growth, b2, sizeof b2),
			 t->ses.nsnap - 1);
	snprintf(line, sizeof line, " #%zu %s: %s, %s%s%s", (size_t)(s - su->s) + 1,
		 leaks_kind_name(s->kind), leaks_severity_name(s->severity),
		 fmt_bytes(s->bytes, b1, sizeof b1), cnt, b3);
	draw_fill(y, 0, w, hd);
	draw_text(y, 0, w, line, hd);

	/* The path gets up to 3 lines, the evidence the rest, and a line
	 * under them names the object Enter opens. */
	if (s->path[0])
		snprintf(line, sizeof line, "path: %s", s->path);
	else if (s->obj != GRAPH_NONE)
		snprintf(line, sizeof line, "path: none from a root (garbage, or held only from C)");
	else
		line[0] = 0;
	if (s->obj != GRAPH_NONE) {
		char tn[128];
		snprintf(where, sizeof where, "Enter inspects %s%s@%#llx, D shows it in the dominator tree",
			 s->kind == LEAK_ACCUMULATION ? "the largest instance, " : "",
			 graph_type_name(g, s->obj, tn, sizeof tn),
			 (unsigned long long)graph_addr(g, s->obj));
	}
	if (h < 3)                /* a tiny terminal: the title line only */
		return;
	int body = h - 1 - (where[0] ? 1 : 0);
	int pl = line[0] ? draw_wrap_lines(w - 2, line) : 0;
	if (pl > 3)
		pl = 3;
	if (pl > body - 1)
		pl = body > 1 ? body - 1 : 0;
	int used = draw_wrap(y + 1, 1, w - 2, body - pl, s->evidence, draw_attr(ROLE_NORMAL));
	if (pl)
		used += draw_wrap(y + 1 + used, 1, w - 2, pl, line, draw_attr(ROLE_DIM));
	if (where[0])
		draw_text(y + 1 + used, 1, w - 2, where, draw_attr(ROLE_DIM));
}

/* ==== Requests ==== */

static int suspects_request(struct tui *t, struct view *v, enum request req)
{
	struct suspects *su = v->priv;
	if (req != REQ_ENTER && req != REQ_VIEW_INSPECT && req != REQ_VIEW_REFERRERS &&
	    req != REQ_VIEW_DOMINATORS)
		return TUI_UNHANDLED;
	if (!su->n || v->cur >= su->n)
		return TUI_UNHANDLED;
	const struct leaks_suspect *s = &su->s[v->cur];
	if (s->obj == GRAPH_NONE) {
		tui_message(t, 0, "a process-wide finding: there is no one object to open");
		return TUI_REDRAW;
	}
	raddr_t a = graph_addr(leaks_graph(su->L), s->obj);
	switch (req) {
	case REQ_VIEW_REFERRERS: return view_open_object(t, &view_referrers_ops, a);
	case REQ_VIEW_DOMINATORS: return view_open_dominators(t, a);
	default: return view_open_object(t, &view_inspect_ops, a);
	}
}

const struct view_ops view_suspects_ops = {
	.name = "Suspects",
	.open = suspects_open,
	.close = suspects_close,
	.draw_header = suspects_header,
	.draw_row = suspects_row,
	.selectable = suspects_selectable,
	.request = suspects_request,
	.panel_height = suspects_panel_height,
	.draw_panel = suspects_panel,
	.hints = "Enter inspect  b referrers  D dominator tree",
};
