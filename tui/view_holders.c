/* view_holders — who holds the instances of a type (`b` on a Types row):
 * the instances grouped by the path pattern from a root that holds them
 * ("__main__.CACHE[...]") with the type of their direct holder, biggest
 * group first.  The paths of an even sample of the instances are computed
 * (model/diff.h, diff_new_objects over every instance), so the shares are
 * of the sample and the counts are estimates when the type has more
 * instances than the sample.
 *
 * Enter opens the referrers of the group's example instance; i inspects it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "graph.h"
#include "view.h"

#define SAMPLE 400

struct holders {
	struct diff_new d;
	int ok;
	size_t nrows;          /* patterns, then the "held by no root" row */
};

enum { C_SHARE, C_COUNT, C_HOLDER, C_VIA, NCOL };

static const struct column cols[NCOL] = {
	[C_SHARE] = {"share", 6, 1, 0, 0, 0},
	[C_COUNT] = {"~count", 9, 1, 2, 0, 0},
	[C_HOLDER] = {"held by a", 18, 0, 1, 0, 0},
	[C_VIA] = {"via (the path from a root, keys as [...])", 20, 0, 0, 1, 0},
};

static int holders_open(struct tui *t, struct view *v)
{
	struct graph *g = tui_graph(t);
	if (!g)
		return -1;
	struct holders *hd = calloc(1, sizeof *hd);
	if (!hd)
		return -1;
	v->priv = hd;
	char msg[200];
	snprintf(msg, sizeof msg, "Finding what holds the %s objects%s", v->arg.name,
		 draw_glyph(GL_ELLIPSIS));
	tui_busy(t, msg);
	if (diff_new_objects(NULL, t->ses.h, g, v->arg.name, SAMPLE, &hd->d) < 0) {
		tui_message(t, 1, "out of memory finding what holds %s", v->arg.name);
		return -1;
	}
	hd->ok = 1;
	hd->nrows = hd->d.npatterns + (hd->d.unrooted ? 1 : 0);
	v->nrows = hd->nrows;
	char b[32];
	snprintf(v->crumb, sizeof v->crumb, "who holds %.60s (%s)", v->arg.name,
		 fmt_count(hd->d.count, b, sizeof b));
	if (!hd->d.count)
		tui_message(t, 0, "no %s object in this snapshot's graph", v->arg.name);
	return 0;
}

static void holders_close(struct view *v)
{
	struct holders *hd = v->priv;
	if (hd && hd->ok)
		diff_new_fini(&hd->d);
	free(hd);
}

static void holders_header(struct tui *t, struct view *v, int y, int w)
{
	int x[NCOL], cw[NCOL];
	columns_layout(cols, NCOL, w, x, cw);
	columns_header(y, cols, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

/* The estimated number of instances a sampled share stands for. */
static uint64_t estimate(const struct diff_new *d, uint64_t sampled)
{
	if (!d->sampled)
		return 0;
	return (uint64_t)((double)sampled * (double)d->count / (double)d->sampled + 0.5);
}

static void holders_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct holders *hd = v->priv;
	const struct diff_new *d = &hd->d;
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	int x[NCOL], cw[NCOL];
	char b[64];
	uint64_t n;
	const char *holder, *via;

	columns_layout(cols, NCOL, w, x, cw);
	if (row < d->npatterns) {
		const struct diff_pattern *p = &d->patterns[row];
		n = p->sampled;
		holder = p->holder[0] ? p->holder : "(a root)";
		via = p->pattern;
	} else {
		n = d->unrooted;
		holder = "-";
		via = "held by no root (garbage cycles, or only C code holds them)";
	}
	double pct = d->sampled ? 100.0 * (double)n / (double)d->sampled : 0.0;
	if (n && pct < 0.5)
		snprintf(b, sizeof b, "<1%%");
	else
		snprintf(b, sizeof b, "%.0f%%", pct);
	draw_rtext(y, x[C_SHARE], cw[C_SHARE], b, a);
	if (x[C_COUNT] >= 0)
		draw_rtext(y, x[C_COUNT], cw[C_COUNT], fmt_count(estimate(d, n), b, sizeof b), a);
	if (x[C_HOLDER] >= 0)
		draw_text(y, x[C_HOLDER], cw[C_HOLDER], holder, a);
	draw_text(y, x[C_VIA], cw[C_VIA], draw_skip(via, v->hscroll), a);
}

static int holders_panel_height(struct tui *t, struct view *v, int h)
{
	return 3;
}

static void holders_panel(struct tui *t, struct view *v, int y, int h, int w)
{
	struct holders *hd = v->priv;
	const struct diff_new *d = &hd->d;
	char line[1024], b1[32], b2[32], b3[32];
	attr_t hdr = draw_attr(ROLE_HEADER);

	draw_fill(y, 0, w, hdr);
	snprintf(line, sizeof line, " %s %s objects (%s); paths of %s of them, spread evenly, "
		 "were followed back to a root", fmt_count(d->count, b1, sizeof b1), v->arg.name,
		 fmt_bytes(d->bytes, b2, sizeof b2), fmt_count(d->sampled, b3, sizeof b3));
	draw_text(y, 0, w, line, hdr);
	if (v->cur < d->npatterns && h > 1) {
		snprintf(line, sizeof line, "e.g. %s", d->patterns[v->cur].example_path);
		draw_wrap(y + 1, 1, w - 2, h - 1, line, draw_attr(ROLE_DIM));
	}
}

static int holders_request(struct tui *t, struct view *v, enum request req)
{
	struct holders *hd = v->priv;
	switch (req) {
	case REQ_ENTER:
	case REQ_VIEW_INSPECT:
	case REQ_VIEW_REFERRERS: {
		if (v->cur >= hd->d.npatterns) {
			tui_message(t, 0, "no example object for this line");
			return TUI_REDRAW;
		}
		struct graph *g = tui_graph(t);
		if (!g)
			return TUI_REDRAW;
		raddr_t a = graph_addr(g, hd->d.patterns[v->cur].example);
		return view_open_object(t, req == REQ_VIEW_INSPECT ? &view_inspect_ops
					: &view_referrers_ops, a);
	}
	default:
		return TUI_UNHANDLED;
	}
}

const struct view_ops view_holders_ops = {
	.name = "Holders",
	.open = holders_open,
	.close = holders_close,
	.draw_header = holders_header,
	.draw_row = holders_row,
	.request = holders_request,
	.panel_height = holders_panel_height,
	.draw_panel = holders_panel,
	.hints = "Enter referrers of an example  i inspect it",
};
