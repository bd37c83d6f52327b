/* view_overview — the first screen: what process this is, how the
 * snapshot went, the garbage collector's state per generation, and the
 * biggest types (Enter on one opens its instances).
 *
 * Rows are built at open (they describe one snapshot) except the
 * snapshot's age, which is computed when drawn.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define TOP_TYPES 30

enum orow_kind { OR_TEXT, OR_SECTION, OR_AGE, OR_TYPES_HEADER, OR_TYPE };

struct orow {
	enum orow_kind kind;
	char text[256];
	size_t type_row;     /* OR_TYPE */
};

struct overview {
	struct orow *rows;
	size_t n, cap;
};

static struct orow *add(struct overview *o, enum orow_kind k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct orow *add(struct overview *o, enum orow_kind k, const char *fmt, ...)
{
	static struct orow scratch;
	va_list ap;
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 64;
		struct orow *nr = realloc(o->rows, nc * sizeof *nr);
		if (!nr)
			return &scratch;   /* out of memory: the row is just lost */
		o->rows = nr;
		o->cap = nc;
	}
	struct orow *r = &o->rows[o->n++];
	memset(r, 0, sizeof *r);
	r->kind = k;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
	return r;
}

/* The RSS split (M has it in full, with how each part was obtained). */
static void add_rss(struct overview *o, struct session *ss)
{
	const struct rss_breakdown *b = ss->s->pid ? session_memory(ss) : NULL;
	char p[6][16];
	if (!b)
		return;
	fmt_bytes(b->py_objects, p[0], sizeof p[0]);
	fmt_bytes(b->buffers, p[1], sizeof p[1]);
	fmt_bytes(b->pym_other + b->pym_free, p[2], sizeof p[2]);
	fmt_bytes(b->native, p[3], sizeof p[3]);
	fmt_bytes(b->stacks, p[4], sizeof p[4]);
	fmt_bytes(b->file + b->other, p[5], sizeof p[5]);
	add(o, OR_TEXT, "   = objects %s + buffers %s + pymalloc %s + native %s + stacks %s "
	    "+ files %s%s (M)", p[0], p[1], p[2], p[3], p[4], p[5],
	    b->unresident ? " - not resident" : "");
}

/* Compact on purpose: at 80x24 the first rows of the top-types table must
 * still be on the first screen, under everything else. */
static void add_process(struct overview *o, struct session *ss)
{
	const struct memsrc_info *mi = mem_info(ss->s->mem);
	char cmd[200] = "", b1[32], b2[32], b3[32];
	uint64_t total = 0;

	if (ss->src->cmdline)
		ss->src->cmdline(ss->src->arg, cmd, sizeof cmd);
	for (size_t i = 0; i < heap_ntypes(ss->h); i++)
		total += heap_type_row(ss->h, i)->size;
	add(o, OR_TEXT, " process     pid %d  %s", (int)ss->s->pid, cmd);
	add(o, OR_TEXT, " python      %s  %s", ss->s->rt.version, ss->s->rt.path);
	add(o, OR_AGE, " ");
	add(o, OR_TEXT, " copy        %s in %.1f ms, %d thread%s stopped",
	    fmt_bytes(mi->bytes_copied, b1, sizeof b1), mi->copy_ms, mi->threads,
	    mi->threads == 1 ? "" : "s");
	add(o, OR_TEXT, " memory      RSS %s; %s GC-tracked objects, %s (sys.getsizeof), %zu types",
	    ss->rss ? fmt_bytes(ss->rss, b1, sizeof b1) : "unknown",
	    fmt_count(heap_nobjects(ss->h), b2, sizeof b2), fmt_bytes(total, b3, sizeof b3),
	    heap_ntypes(ss->h));
	add_rss(o, ss);
}

/* "  label        v0  v1  v2" for a per-generation fact (-1: unknown). */
static void add_gen_row(struct overview *o, const char *label, const int64_t v[HEAP_NGEN])
{
	char cells[HEAP_NGEN][24];
	for (int g = 0; g < HEAP_NGEN; g++) {
		if (v[g] < 0)
			snprintf(cells[g], sizeof cells[g], "?");
		else
			fmt_count((uint64_t)v[g], cells[g], sizeof cells[g]);
	}
	add(o, OR_TEXT, "   %-14s%11s%11s%11s", label, cells[0], cells[1], cells[2]);
}

static void add_gc(struct overview *o, struct session *ss)
{
	const struct heap_gc_info *gc = heap_gc(ss->h);
	int64_t v[HEAP_NGEN];
	char b[32];

	add(o, OR_TEXT, " gc          %s%s, gc.garbage %lld, frozen (permanent generation) %s",
	    gc->enabled ? "enabled" : "DISABLED", gc->collecting ? " (collecting)" : "",
	    (long long)gc->garbage, fmt_count(gc->permanent, b, sizeof b));
	add(o, OR_TEXT, "   %-14s%11s%11s%11s", "", "gen 0", "gen 1", "gen 2");
#define GEN_ROW(label, expr) do { \
		for (int g = 0; g < HEAP_NGEN; g++) \
			v[g] = (int64_t)(expr); \
		add_gen_row(o, label, v); \
	} while (0)
	GEN_ROW("objects", gc->gen[g].objects);
	GEN_ROW("count", gc->gen[g].count);
	GEN_ROW("threshold", gc->gen[g].threshold);
	GEN_ROW("collections", gc->gen[g].collections);
	GEN_ROW("collected", gc->gen[g].collected);
	GEN_ROW("uncollectable", gc->gen[g].uncollectable);
#undef GEN_ROW
}

static void add_top_types(struct overview *o, struct session *ss)
{
	size_t *ix = heap_types_sorted(ss->h, HEAP_SORT_SIZE);
	size_t n = heap_ntypes(ss->h);
	if (!ix)
		return;
	add(o, OR_SECTION, "Top types by size (Enter: instances, t: all types)");
	add(o, OR_TYPES_HEADER, " ");
	for (size_t i = 0; i < n && i < TOP_TYPES; i++)
		add(o, OR_TYPE, " ")->type_row = ix[i];
	free(ix);
}

static int overview_open(struct tui *t, struct view *v)
{
	struct overview *o = calloc(1, sizeof *o);
	if (!o)
		return -1;
	v->priv = o;
	snprintf(v->crumb, sizeof v->crumb, "Overview");
	add_process(o, &t->ses);
	add_gc(o, &t->ses);
	add_top_types(o, &t->ses);
	v->nrows = o->n;
	return 0;
}

static void overview_close(struct view *v)
{
	struct overview *o = v->priv;
	if (o)
		free(o->rows);
	free(o);
}

static int overview_selectable(struct view *v, size_t row)
{
	struct overview *o = v->priv;
	return o->rows[row].kind == OR_TYPE;
}

static void overview_header(struct tui *t, struct view *v, int y, int w)
{
	char line[128];
	snprintf(line, sizeof line, " Overview of pid %d", (int)t->ses.s->pid);
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, line, draw_attr(ROLE_HEADER));
}

/* Columns of the top-types table; the name takes what is left. */
static const struct column top_cols[] = {
	{"count", 10, 1, 0, 0, 0}, {"size", 10, 1, 0, 0, 0}, {"avg", 8, 1, 1, 0, 0},
	{"type", 20, 0, 0, 1, 0},
};
#define NTOP (int)(sizeof top_cols / sizeof *top_cols)

static void draw_type_row(struct tui *t, size_t ti, int y, int w, attr_t a)
{
	const struct heap_type_row *r = heap_type_row(t->ses.h, ti);
	int x[NTOP], cw[NTOP];
	char b[64];
	columns_layout(top_cols, NTOP, w - 2, x, cw);
	draw_rtext(y, 2 + x[0], cw[0], fmt_count(r->count, b, sizeof b), a);
	draw_rtext(y, 2 + x[1], cw[1], fmt_bytes(r->size, b, sizeof b), a);
	if (x[2] >= 0)
		draw_rtext(y, 2 + x[2], cw[2], fmt_count(fmt_mean(r->size, r->count), b, sizeof b), a);
	draw_text(y, 2 + x[3], cw[3], session_type_name(r->type, b, sizeof b), a);
}

static void overview_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct overview *o = v->priv;
	const struct orow *r = &o->rows[row];
	const struct memsrc_info *mi = mem_info(t->ses.s->mem);
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	char line[256], age[16];
	int x[NTOP], cw[NTOP];

	switch (r->kind) {
	case OR_SECTION:
		draw_text(y, 0, w, r->text, draw_attr(ROLE_SECTION));
		break;
	case OR_AGE:
		snprintf(line, sizeof line, " snapshot    #%d, %s ago, target paused %.1f ms",
			 t->ses.nsnap, fmt_age(session_age(&t->ses), age, sizeof age), mi->pause_ms);
		draw_text(y, 0, w, line, a);
		break;
	case OR_TYPES_HEADER:
		columns_layout(top_cols, NTOP, w - 2, x, cw);
		for (int i = 0; i < NTOP; i++)
			if (x[i] >= 0 && top_cols[i].right)
				draw_rtext(y, 2 + x[i], cw[i], top_cols[i].title, draw_attr(ROLE_DIM));
			else if (x[i] >= 0)
				draw_text(y, 2 + x[i], cw[i], top_cols[i].title, draw_attr(ROLE_DIM));
		break;
	case OR_TYPE:
		draw_type_row(t, r->type_row, y, w, a);
		break;
	case OR_TEXT:
		draw_text(y, 0, w, r->text, a);
		break;
	}
}

static int overview_request(struct tui *t, struct view *v, enum request req)
{
	struct overview *o = v->priv;
	if (req != REQ_ENTER && req != REQ_VIEW_INSPECT && req != REQ_VIEW_REFERRERS)
		return TUI_UNHANDLED;
	if (!v->nrows || o->rows[v->cur].kind != OR_TYPE)
		return TUI_UNHANDLED;
	const struct heap_type_row *r = heap_type_row(t->ses.h, o->rows[v->cur].type_row);
	if (req != REQ_ENTER)
		return view_open_object(t, req == REQ_VIEW_INSPECT ? &view_inspect_ops
					: &view_referrers_ops, r->type->addr);
	struct view_arg arg = {.addr = r->type->addr};
	session_type_name(r->type, arg.name, sizeof arg.name);
	return tui_push(t, &view_instances_ops, &arg);
}

const struct view_ops view_overview_ops = {
	.name = "Overview",
	.open = overview_open,
	.close = overview_close,
	.draw_header = overview_header,
	.draw_row = overview_row,
	.selectable = overview_selectable,
	.request = overview_request,
	.hints = "Enter instances  t types  T threads  D dominators  S suspects",
};
