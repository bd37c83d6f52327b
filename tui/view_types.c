/* view_types — every type of GC-tracked object, one row each.
 *
 * Sortable by count, size, mean size, name, any generation, retained size
 * (R: builds the dominator tree once) and (after `r`) growth; `/` filters
 * by name as you type.  The index array is sorted once per key change,
 * filtering just rebuilds it: drawing only touches the visible rows.
 * Enter opens the type's instances.
 *
 * After `r`, a panel under the rows says where the selected type's new
 * objects are held ("100% via __main__.CACHE[...]"): computed for a type
 * that grew when the cursor first rests on it (prepare op), then cached
 * by the session for this snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view.h"

enum tkey { TK_SIZE, TK_COUNT, TK_AVG, TK_NAME, TK_GEN, TK_DCOUNT, TK_DSIZE, TK_RETAINED };

/* One row: a type with its GC-tracked instances (census row crow) and,
 * once the graph exists, the untracked ones found by reachability. */
struct trow {
	const struct pytype *type;
	long crow;           /* census row (deltas, retained, new objects); -1 none */
	uint64_t count, size;        /* all instances shown */
	uint64_t ucount, usize;      /* of which untracked */
	uint64_t gen[HEAP_NGEN + 1];
};

struct types {
	struct trow *rows;   /* every type */
	size_t nall;
	int all;             /* rows include untracked objects (the graph exists) */
	size_t *ix;          /* rows shown, in order */
	size_t n;
	enum tkey key;
	int gen;             /* TK_GEN: which generation */
	int reverse;
	char filter[128];
};

/* The sort key survives reopening (a new snapshot, coming back). */
static struct {
	enum tkey key;
	int gen, reverse;
	char filter[128];
} remembered = {TK_SIZE, 2, 0, ""};

enum { C_COUNT, C_SIZE, C_RET, C_AVG, C_G0, C_G1, C_G2, C_PERM, C_UNTR, C_DCOUNT, C_DSIZE, C_NAME, NCOL };

#define PANEL_LINES 4        /* title + 3 ways of holding the new objects */

/* ==== Sorting and filtering ==== */

struct sort_ctx {
	struct session *ss;
	const struct trow *rows;
	enum tkey key;
	int gen;
};

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }
static int cmp_i64(int64_t a, int64_t b) { return a < b ? 1 : a > b ? -1 : 0; }
static int cmp_dbl(double a, double b) { return a < b ? 1 : a > b ? -1 : 0; }

static int cmp_name(const struct trow *a, const struct trow *b)
{
	char na[256], nb[256];
	session_type_name(a->type, na, sizeof na);
	session_type_name(b->type, nb, sizeof nb);
	return strcasecmp(na, nb);
}

static int64_t dcount_of(struct session *ss, const struct trow *r)
{
	return ss->has_prev && r->crow >= 0 ? ss->dcount[r->crow] : 0;
}

static int64_t dsize_of(struct session *ss, const struct trow *r)
{
	return ss->has_prev && r->crow >= 0 ? ss->dsize[r->crow] : 0;
}

static uint64_t retained_of(struct session *ss, const struct trow *r)
{
	return r->crow >= 0 ? session_type_retained(ss, (size_t)r->crow) : 0;
}

/* Biggest first for numbers, A-Z for names; ties by name. */
static int type_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *c = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct trow *ra = &c->rows[a], *rb = &c->rows[b];
	int r = 0;

	switch (c->key) {
	case TK_SIZE: r = cmp_u64(ra->size, rb->size); break;
	case TK_COUNT: r = cmp_u64(ra->count, rb->count); break;
	case TK_AVG:
		/* the exact means, as `types --sort avg` orders them */
		r = cmp_dbl(ra->count ? (double)ra->size / (double)ra->count : 0,
			    rb->count ? (double)rb->size / (double)rb->count : 0);
		break;
	case TK_GEN: r = cmp_u64(ra->gen[c->gen], rb->gen[c->gen]); break;
	/* Growth in one measure, ties broken by the other: a dict that only
	 * grew in size still ranks above types that did not change. */
	case TK_DCOUNT:
		if (!(r = cmp_i64(dcount_of(c->ss, ra), dcount_of(c->ss, rb))))
			r = cmp_i64(dsize_of(c->ss, ra), dsize_of(c->ss, rb));
		break;
	case TK_DSIZE:
		if (!(r = cmp_i64(dsize_of(c->ss, ra), dsize_of(c->ss, rb))))
			r = cmp_i64(dcount_of(c->ss, ra), dcount_of(c->ss, rb));
		break;
	case TK_RETAINED:
		r = cmp_u64(retained_of(c->ss, ra), retained_of(c->ss, rb));
		break;
	case TK_NAME: break;
	}
	return r ? r : cmp_name(ra, rb);
}

static int matches(const struct trow *r, const char *filter)
{
	char name[256];
	if (!filter[0])
		return 1;
	session_type_name(r->type, name, sizeof name);
	return strcasestr(name, filter) != NULL;
}

/* The rows: every type the graph found (tracked + untracked), or the
 * census alone when there is no graph. */
static int types_rows(struct tui *t, struct types *ty)
{
	struct session *ss = &t->ses;
	size_t nt = heap_ntypes(ss->h), na = 0;
	const struct session_type *all = tui_graph(t) ? session_all_types(ss, &na) : NULL;
	size_t n = all ? na : nt;
	ty->rows = calloc(n ? n : 1, sizeof *ty->rows);
	if (!ty->rows)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct trow *r = &ty->rows[i];
		long crow = all ? all[i].row : (long)i;
		r->crow = crow;
		r->type = all ? all[i].type : heap_type_row(ss->h, i)->type;
		if (crow >= 0) {
			const struct heap_type_row *hr = heap_type_row(ss->h, (size_t)crow);
			r->count = hr->count;
			r->size = hr->size;
			memcpy(r->gen, hr->gen, sizeof r->gen);
		}
		if (all) {
			r->ucount = all[i].ucount;
			r->usize = all[i].usize;
			r->count += r->ucount;
			r->size += r->usize;
		}
	}
	ty->nall = n;
	ty->all = all != NULL;
	return 0;
}

/* Rebuild ix from the rows: filter, then sort. */
static int types_rebuild(struct tui *t, struct view *v)
{
	struct types *ty = v->priv;
	struct session *ss = &t->ses;
	size_t nt = ty->nall;
	size_t *ix = malloc((nt ? nt : 1) * sizeof *ix);
	size_t n = 0;

	if (!ix)
		return -1;
	for (size_t i = 0; i < nt; i++)
		if (matches(&ty->rows[i], ty->filter))
			ix[n++] = i;
	struct sort_ctx c = {ss, ty->rows, ty->key, ty->gen};
	qsort_r(ix, n, sizeof *ix, type_cmp, &c);
	if (ty->reverse)
		for (size_t i = 0; i < n / 2; i++) {
			size_t tmp = ix[i];
			ix[i] = ix[n - 1 - i];
			ix[n - 1 - i] = tmp;
		}
	free(ty->ix);
	ty->ix = ix;
	ty->n = n;
	v->nrows = n;
	return 0;
}

static void remember(const struct types *ty)
{
	remembered.key = ty->key;
	remembered.gen = ty->gen;
	remembered.reverse = ty->reverse;
	snprintf(remembered.filter, sizeof remembered.filter, "%s", ty->filter);
}

/* ==== Ops ==== */

static void set_crumb(struct view *v)
{
	struct types *ty = v->priv;
	if (ty->filter[0])
		snprintf(v->crumb, sizeof v->crumb, "Types /%.96s", ty->filter);
	else
		snprintf(v->crumb, sizeof v->crumb, "Types");
}

static int types_open(struct tui *t, struct view *v)
{
	struct types *ty = calloc(1, sizeof *ty);
	if (!ty)
		return -1;
	ty->key = remembered.key;
	ty->gen = remembered.gen;
	ty->reverse = remembered.reverse;
	if ((ty->key == TK_DCOUNT || ty->key == TK_DSIZE) && !t->ses.has_prev)
		ty->key = TK_SIZE;
	/* Sorted by retained size before `r`: the new snapshot needs its own. */
	if (ty->key == TK_RETAINED && !tui_leaks(t))
		ty->key = TK_SIZE;
	snprintf(ty->filter, sizeof ty->filter, "%s", remembered.filter);
	v->priv = ty;
	set_crumb(v);
	if (types_rows(t, ty) < 0)
		return -1;
	return types_rebuild(t, v);
}

static void types_close(struct view *v)
{
	struct types *ty = v->priv;
	if (ty) {
		free(ty->ix);
		free(ty->rows);
	}
	free(ty);
}

static int sorted_column(const struct types *ty)
{
	switch (ty->key) {
	case TK_SIZE: return C_SIZE;
	case TK_COUNT: return C_COUNT;
	case TK_AVG: return C_AVG;
	case TK_NAME: return C_NAME;
	case TK_GEN: return C_G0 + ty->gen;
	case TK_DCOUNT: return C_DCOUNT;
	case TK_DSIZE: return C_DSIZE;
	case TK_RETAINED: return C_RET;
	}
	return C_SIZE;
}

/* The table's columns at width w.  Narrow terminals drop the permanent
 * generation first, then gen0-gen2 and no-gc together, avg, the deltas, retained;
 * the name and the sorted column stay. */
static void layout(struct tui *t, struct view *v, int w, struct column *c, int *x, int *cw)
{
	static char titles[NCOL][24];
	static const char *const base[NCOL] = {"count", "size", "retained", "avg", "gen0",
		"gen1", "gen2", "perm", "no-gc", "count", "size", "type"};
	/* gen0..gen2 and no-gc (untracked instances) add up to the count:
	 * one group, shown all or none */
	static const struct column proto[NCOL] = {
		[C_COUNT] = {NULL, 9, 1, 0, 0, 0},  [C_SIZE] = {NULL, 10, 1, 0, 0, 0},
		[C_RET] = {NULL, 10, 1, 2, 0, 0},
		[C_AVG] = {NULL, 7, 1, 5, 0, 0},    [C_G0] = {NULL, 7, 1, 7, 0, 0},
		[C_G1] = {NULL, 7, 1, 7, 0, 0},     [C_G2] = {NULL, 7, 1, 7, 0, 0},
		[C_PERM] = {NULL, 7, 1, 9, 0, 0},   [C_UNTR] = {NULL, 7, 1, 7, 0, 0},
		[C_DCOUNT] = {NULL, 9, 1, 3, 0, 0},
		[C_DSIZE] = {NULL, 10, 1, 4, 0, 0}, [C_NAME] = {NULL, 18, 0, 0, 1, 0},
	};
	struct types *ty = v->priv;
	int sorted = sorted_column(ty);
	int asc = (ty->key == TK_NAME) != ty->reverse;

	for (int i = 0; i < NCOL; i++) {
		c[i] = proto[i];
		snprintf(titles[i], sizeof titles[i], "%s%s%s",
			 i == sorted ? draw_glyph(asc ? GL_UP : GL_DOWN) : "",
			 i == C_DCOUNT || i == C_DSIZE ? draw_glyph(GL_DELTA) : "", base[i]);
		c[i].title = titles[i];
	}
	/* No deltas before the second snapshot, no retained sizes before
	 * something needed the dominator tree. */
	c[C_DCOUNT].off = c[C_DSIZE].off = !t->ses.has_prev;
	c[C_RET].off = !t->ses.L;
	/* The permanent generation only after gc.freeze(): without it the
	 * generations shown add up to the count. */
	c[C_PERM].off = !heap_gc(t->ses.h)->permanent;
	c[C_UNTR].off = !ty->all;
	/* The sorted column is never dropped; a generation keeps its group
	 * (gen0..gen2 are shown all or none, so that they add up). */
	for (int i = 0; i < NCOL; i++)
		if (i == sorted || (sorted >= C_G0 && sorted <= C_UNTR && i >= C_G0 && i <= C_UNTR))
			c[i].prio = 0;
	columns_layout(c, NCOL, w, x, cw);
}

static void types_header(struct tui *t, struct view *v, int y, int w)
{
	struct column c[NCOL];
	int x[NCOL], cw[NCOL];
	layout(t, v, w, c, x, cw);
	columns_header(y, c, NCOL, x, cw, draw_attr(ROLE_HEADER));
}

static void cell_num(int y, const int *x, const int *cw, int col, const char *s, attr_t a)
{
	if (x[col] >= 0)
		draw_rtext(y, x[col], cw[col], s, a);
}

static attr_t delta_attr(int64_t d, int sel)
{
	if (sel)
		return draw_attr(ROLE_CURSOR);
	return draw_attr(d > 0 ? ROLE_GROW : d < 0 ? ROLE_SHRINK : ROLE_NORMAL);
}

/* A delta cell: blank when nothing changed, so growth stands out. */
static void cell_delta(int y, const int *x, const int *cw, int col, int64_t d,
		       const char *s, int sel)
{
	cell_num(y, x, cw, col, d ? s : "", delta_attr(d, sel));
}

static void types_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct types *ty = v->priv;
	struct session *ss = &t->ses;
	const struct trow *r = &ty->rows[ty->ix[row]];
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	struct column c[NCOL];
	int x[NCOL], cw[NCOL];
	char b[64];

	layout(t, v, w, c, x, cw);
	cell_num(y, x, cw, C_COUNT, fmt_count(r->count, b, sizeof b), a);
	cell_num(y, x, cw, C_SIZE, fmt_bytes(r->size, b, sizeof b), a);
	if (ss->L)
		cell_num(y, x, cw, C_RET, r->crow >= 0 ? fmt_bytes(retained_of(ss, r), b, sizeof b) : "", a);
	cell_num(y, x, cw, C_AVG, fmt_count(fmt_mean(r->size, r->count), b, sizeof b), a);
	for (int g = 0; g <= HEAP_GEN_PERMANENT; g++)
		cell_num(y, x, cw, C_G0 + g, fmt_count(r->gen[g], b, sizeof b), a);
	if (ty->all)
		cell_num(y, x, cw, C_UNTR, fmt_count(r->ucount, b, sizeof b), a);
	if (ss->has_prev) {
		int64_t dc = dcount_of(ss, r), ds = dsize_of(ss, r);
		cell_delta(y, x, cw, C_DCOUNT, dc, fmt_delta(dc, b, sizeof b), sel);
		cell_delta(y, x, cw, C_DSIZE, ds, fmt_dbytes(ds, b, sizeof b), sel);
	}
	char name[300];
	session_type_name(r->type, name, sizeof name);
	if (!r->type->size_exact)
		strncat(name, " (size approx.)", sizeof name - strlen(name) - 1);
	draw_text(y, x[C_NAME], cw[C_NAME], name, a);
}

/* ==== Requests ==== */

static int resort(struct tui *t, struct view *v, enum tkey key, int gen, int reverse)
{
	struct types *ty = v->priv;
	raddr_t keep = ty->n ? ty->rows[ty->ix[v->cur]].type->addr : 0;

	/* A sort key always starts in its natural order (biggest first,
	 * A-Z): a reversal never sticks to the next key.  I reverses. */
	ty->reverse = reverse;
	ty->key = key;
	ty->gen = gen;
	remember(ty);
	types_rebuild(t, v);
	/* The cursor follows its type, like htop's selection. */
	for (size_t i = 0; i < ty->n; i++)
		if (ty->rows[ty->ix[i]].type->addr == keep) {
			view_set_cursor(v, i);
			return TUI_REDRAW;
		}
	view_set_cursor(v, 0);
	return TUI_REDRAW;
}

static int filter_request(struct tui *t, struct view *v, enum request req)
{
	struct types *ty = v->priv;
	switch (req) {
	case REQ_FILTER:
		return TUI_HANDLED;       /* yes, this screen filters: open the prompt */
	case REQ_PROMPT_CHANGED:
	case REQ_PROMPT_DONE:
		snprintf(ty->filter, sizeof ty->filter, "%s", t->prompt.buf);
		break;
	case REQ_PROMPT_CANCEL:
		ty->filter[0] = 0;
		break;
	default:
		return TUI_UNHANDLED;
	}
	remember(ty);
	set_crumb(v);
	types_rebuild(t, v);
	v->top = 0;
	view_set_cursor(v, 0);
	if (req == REQ_PROMPT_DONE && ty->n == 0)
		tui_message(t, 0, "no type matches '%s' (/ then Esc clears the filter)", ty->filter);
	return TUI_REDRAW;
}

static int open_selected(struct tui *t, struct view *v, enum request req)
{
	struct types *ty = v->priv;
	if (!ty->n)
		return TUI_REDRAW;
	const struct trow *r = &ty->rows[ty->ix[v->cur]];
	if (req == REQ_VIEW_INSPECT)    /* i: the class object itself */
		return view_open_object(t, &view_inspect_ops, r->type->addr);
	struct view_arg arg = {.addr = r->type->addr};
	session_type_name(r->type, arg.name, sizeof arg.name);
	/* b: who holds the instances (the class object's own holders are a
	 * b away from its inspector) */
	return tui_push(t, req == REQ_ENTER ? &view_instances_ops : &view_holders_ops, &arg);
}

static int types_request(struct tui *t, struct view *v, enum request req)
{
	struct types *ty = v->priv;
	int r = filter_request(t, v, req);
	if (r != TUI_UNHANDLED)
		return r;
	switch (req) {
	case REQ_ENTER:
	case REQ_VIEW_INSPECT:
	case REQ_VIEW_REFERRERS:
		return open_selected(t, v, req);
	case REQ_SORT_SIZE: return resort(t, v, TK_SIZE, ty->gen, 0);
	case REQ_SORT_COUNT: return resort(t, v, TK_COUNT, ty->gen, 0);
	case REQ_SORT_AVG: return resort(t, v, TK_AVG, ty->gen, 0);
	case REQ_SORT_NAME: return resort(t, v, TK_NAME, ty->gen, 0);
	case REQ_SORT_GEN:
		/* e, e, e: gen 0, 1, 2 (starting at 2, where long-lived leaks sit) */
		return resort(t, v, TK_GEN, ty->key == TK_GEN ? (ty->gen + 1) % HEAP_NGEN : 2, 0);
	case REQ_SORT_DELTA:
		if (!t->ses.has_prev) {
			tui_message(t, 0, "no deltas yet: press r for a second snapshot");
			return TUI_REDRAW;
		}
		return resort(t, v, ty->key == TK_DCOUNT ? TK_DSIZE : TK_DCOUNT, ty->gen, 0);
	case REQ_SORT_RETAINED:
		if (!tui_leaks(t))
			return TUI_REDRAW;
		return resort(t, v, TK_RETAINED, ty->gen, 0);
	case REQ_SORT_REVERSE:
		return resort(t, v, ty->key, ty->gen, !ty->reverse);
	default:
		return TUI_UNHANDLED;
	}
}

/* ==== Where the new objects are held (after r) ==== */

static int types_panel_height(struct tui *t, struct view *v, int h)
{
	(void)v; (void)h;
	return 1 + (t->ses.has_prev ? PANEL_LINES : 0);
}

/* What the counts count, over the rows shown (the filter applies). */
static void types_totals(struct tui *t, struct view *v, int y, int w)
{
	struct types *ty = v->priv;
	uint64_t n = 0, sz = 0, un = 0;
	char line[400], b1[32], b2[32], b3[32], b4[32], b5[32];
	for (size_t i = 0; i < ty->n; i++) {
		const struct trow *r = &ty->rows[ty->ix[i]];
		n += r->count;
		sz += r->size;
		un += r->ucount;
	}
	if (ty->all)
		snprintf(line, sizeof line, " %s objects, %s: %s GC-tracked (exact) + %s no-gc "
			 "(untracked, found by reachability), %s types", fmt_count(n, b1, sizeof b1),
			 fmt_bytes(sz, b2, sizeof b2), fmt_count(n - un, b4, sizeof b4),
			 fmt_count(un, b5, sizeof b5), fmt_count(ty->n, b3, sizeof b3));
	else
		snprintf(line, sizeof line, " %s GC-tracked objects, %s, in %s types (untracked ones "
			 "need the object graph, which could not be built)", fmt_count(n, b1, sizeof b1),
			 fmt_bytes(sz, b2, sizeof b2), fmt_count(ty->n, b3, sizeof b3));
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, line, draw_attr(ROLE_HEADER));
}

/* Compute the panel of the type under the cursor, if it grew and it is
 * not known yet: the graph (once), then a pass over it for the new
 * objects and the paths of a sample of them. */
static void types_prepare(struct tui *t, struct view *v)
{
	struct types *ty = v->priv;
	struct session *ss = &t->ses;
	char msg[400], name[256];

	if (!ss->has_prev || !ss->prev_base || ss->graph_failed || !ty->n)
		return;
	const struct trow *r = &ty->rows[ty->ix[v->cur]];
	if (r->crow < 0)
		return;
	size_t ti = (size_t)r->crow;
	if (ss->dcount[ti] <= 0 || session_new_cached(ss, ti) || !tui_graph(t))
		return;
	snprintf(msg, sizeof msg, "Finding where the new %s objects are held%s",
		 session_type_name(r->type, name, sizeof name),
		 draw_glyph(GL_ELLIPSIS));
	tui_busy(t, msg);
	session_new_objects(ss, ti);
}

static void types_panel(struct tui *t, struct view *v, int y, int h, int w)
{
	struct types *ty = v->priv;
	struct session *ss = &t->ses;
	attr_t hd = draw_attr(ROLE_HEADER);
	char line[1024], name[256], b1[32], b2[32];
	const struct diff_new *d = NULL;
	int prev = ss->nsnap - 1;

	types_totals(t, v, y, w);
	if (!ss->has_prev || h < 2)
		return;
	y++;
	h--;
	draw_fill(y, 0, w, hd);
	if (!ty->n) {
		draw_text(y, 0, w, " New objects since the previous snapshot: no type selected", hd);
		return;
	}
	const struct trow *r = &ty->rows[ty->ix[v->cur]];
	size_t ti = r->crow >= 0 ? (size_t)r->crow : 0;
	int64_t dc = dcount_of(ss, r);
	session_type_name(r->type, name, sizeof name);
	if (dc <= 0) {
		snprintf(line, sizeof line, " %s: no growth in count since #%d", name, prev);
	} else if (ss->graph_failed) {
		snprintf(line, sizeof line, " %s: %s since #%d (where they are held needs the object graph)",
			 name, fmt_delta(dc, b1, sizeof b1), prev);
	} else if (!session_new_cached(ss, ti) || !(d = session_new_objects(ss, ti))) {
		snprintf(line, sizeof line, " %s: %s since #%d (where they are held: not known yet)",
			 name, fmt_delta(dc, b1, sizeof b1), prev);
	} else {
		snprintf(line, sizeof line, " %s new %s since #%d (%s), held:", fmt_count(d->count, b1, sizeof b1),
			 name, prev, fmt_bytes(d->bytes, b2, sizeof b2));
	}
	draw_text(y, 0, w, line, hd);
	if (!d)
		return;
	int row = 1;
	for (size_t p = 0; p < d->npatterns && row < h; p++, row++) {
		const struct diff_pattern *dp = &d->patterns[p];
		snprintf(line, sizeof line, "%4.0f%%  via %s", d->sampled ? 100.0 * (double)dp->sampled
			 / (double)d->sampled : 0.0, dp->pattern);
		int used = draw_text(y + row, 1, w - 1, line, draw_attr(ROLE_NORMAL));
		if (used + 5 < w - 1) {
			snprintf(line, sizeof line, "e.g. %s", dp->example_path);
			draw_text(y + row, 4 + used, w - 4 - used, line, draw_attr(ROLE_DIM));
		}
	}
	if (d->unrooted && row < h) {
		snprintf(line, sizeof line, "%4.0f%%  held by no root (garbage cycles, or only C code holds them)",
			 100.0 * (double)d->unrooted / (double)d->sampled);
		draw_text(y + row++, 1, w - 1, line, draw_attr(ROLE_NORMAL));
	}
	if (!d->count && row < h)
		draw_text(y + row, 1, w - 1, "no new object found", draw_attr(ROLE_DIM));
}

const struct view_ops view_types_ops = {
	.name = "Types",
	.open = types_open,
	.close = types_close,
	.draw_header = types_header,
	.draw_row = types_row,
	.request = types_request,
	.panel_height = types_panel_height,
	.draw_panel = types_panel,
	.prepare = types_prepare,
	.hints = "Enter instances  b holders  / filter  O s c m a e d R I sort",
};
