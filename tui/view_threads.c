/* view_threads — every thread's Python stack, innermost frame first, with
 * each frame's locals (model/frames.h), the main thread first.
 *
 * A tree like tig's: Enter on a frame folds or unfolds its locals; frames
 * whose "locals" are a module's or class body's namespace start folded
 * (they are dozens of globals, and would push the other threads off the
 * screen).  Enter on a local opens its value in the inspector; i on a
 * frame opens the frame object when there is one (always before 3.11;
 * 3.11+ only when materialised).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "value.h"
#include "view.h"

enum trkind { TR_THREAD, TR_FRAME, TR_LOCAL, TR_NOTE };

struct trow {
	enum trkind kind;
	uint32_t th, fr, lo;   /* indices into threads / frames / locals */
};

struct threads {
	struct py_thread *th;
	size_t nth;
	struct trow *rows;
	size_t n;
	uint8_t **open;        /* open[thread][frame]: locals shown */
};

#define FOLD_OVER 24       /* more locals than this start folded */

static int starts_folded(const struct py_frame *f)
{
	if (f->nlocals > FOLD_OVER)
		return 1;
	for (size_t i = 0; i < f->nlocals; i++)
		if (f->locals[i].kind == PY_LOCAL_DICT)
			return 1;
	return 0;
}

static int fold_init(struct threads *ts)
{
	ts->open = calloc(ts->nth ? ts->nth : 1, sizeof *ts->open);
	if (!ts->open)
		return -1;
	for (size_t i = 0; i < ts->nth; i++) {
		ts->open[i] = calloc(ts->th[i].nframes + 1, 1);
		if (!ts->open[i])
			return -1;
		for (size_t f = 0; f < ts->th[i].nframes; f++)
			ts->open[i][f] = !starts_folded(&ts->th[i].frames[f]);
	}
	return 0;
}

static size_t count_rows(const struct threads *ts)
{
	size_t n = 0;
	for (size_t i = 0; i < ts->nth; i++) {
		n += 1 + (ts->th[i].nframes ? 0 : 1);
		for (size_t f = 0; f < ts->th[i].nframes; f++)
			n += 1 + (ts->open[i][f] ? ts->th[i].frames[f].nlocals : 0);
	}
	return n;
}

static int build_rows(struct threads *ts)
{
	free(ts->rows);
	ts->n = 0;
	ts->rows = calloc(count_rows(ts) + 1, sizeof *ts->rows);
	if (!ts->rows)
		return -1;
	for (uint32_t i = 0; i < ts->nth; i++) {
		const struct py_thread *th = &ts->th[i];
		ts->rows[ts->n++] = (struct trow){TR_THREAD, i, 0, 0};
		if (!th->nframes)
			ts->rows[ts->n++] = (struct trow){TR_NOTE, i, 0, 0};
		for (uint32_t f = 0; f < th->nframes; f++) {
			ts->rows[ts->n++] = (struct trow){TR_FRAME, i, f, 0};
			if (!ts->open[i][f])
				continue;
			for (uint32_t l = 0; l < th->frames[f].nlocals; l++)
				ts->rows[ts->n++] = (struct trow){TR_LOCAL, i, f, l};
		}
	}
	return 0;
}

static int threads_open(struct tui *t, struct view *v)
{
	struct threads *ts = calloc(1, sizeof *ts);
	if (!ts)
		return -1;
	v->priv = ts;
	long n = frames_threads(heap_ctx(t->ses.h), 0, FRAMES_LOCALS, &ts->th);
	if (n < 0) {
		ts->th = NULL;
		tui_message(t, 1, "the thread list cannot be read in this snapshot");
		n = 0;
	}
	ts->nth = (size_t)n;
	if (fold_init(ts) < 0 || build_rows(ts) < 0)
		return -1;
	v->nrows = ts->n;
	snprintf(v->crumb, sizeof v->crumb, "Threads (%zu)", ts->nth);
	return 0;
}

static void threads_close(struct view *v)
{
	struct threads *ts = v->priv;
	if (!ts)
		return;
	for (size_t i = 0; ts->open && i < ts->nth; i++)
		free(ts->open[i]);
	free(ts->open);
	frames_threads_free(ts->th, ts->nth);
	free(ts->rows);
	free(ts);
}

static int threads_selectable(struct view *v, size_t row)
{
	struct threads *ts = v->priv;
	return ts->rows[row].kind == TR_LOCAL || ts->rows[row].kind == TR_FRAME;
}

static void threads_header(struct tui *t, struct view *v, int y, int w)
{
	struct threads *ts = v->priv;
	char line[128];
	(void)t;
	snprintf(line, sizeof line, " %zu thread%s, innermost frame first", ts->nth,
		 ts->nth == 1 ? "" : "s");
	draw_fill(y, 0, w, draw_attr(ROLE_HEADER));
	draw_text(y, 0, w, line, draw_attr(ROLE_HEADER));
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void draw_thread(const struct py_thread *th, int y, int w)
{
	char line[256], name[80] = "";
	if (th->name[0])
		snprintf(name, sizeof name, " \"%s\"", th->name);
	snprintf(line, sizeof line, "Thread %llu (native %llu)%s%s  %zu frame%s%s",
		 (unsigned long long)th->thread_id, (unsigned long long)th->native_thread_id,
		 name, th->is_main ? " main" : "", th->nframes, th->nframes == 1 ? "" : "s",
		 th->truncated ? ", truncated" : "");
	draw_text(y, 0, w, line, draw_attr(ROLE_SECTION));
}

static void draw_frame(const struct py_frame *f, size_t depth, int open, int y, int w, int sel)
{
	char line[900], fold[48] = "";
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	if (!open && f->nlocals)
		snprintf(fold, sizeof fold, "  [+%zu local%s: Enter shows]", f->nlocals,
			 f->nlocals == 1 ? "" : "s");
	snprintf(line, sizeof line, "#%zu %s()  %s:%d%s", depth,
		 f->qualname[0] ? f->qualname : f->function, basename_of(f->file), f->line, fold);
	draw_text(y, 2, w - 2, line, sel ? a : a | A_BOLD);
}

static void draw_local(struct tui *t, const struct py_local *l, int y, int w, int sel, int hscroll)
{
	struct value_opts vo = {.max_items = hscroll ? 64 : 6, .max_str = hscroll ? 2000 : 120,
				.depth = 1};
	attr_t a = draw_attr(sel ? ROLE_CURSOR : ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);
	char val[4096], type[160];
	int nw = w / 4 > 24 ? 24 : w / 4;

	draw_text(y, 6, nw, l->name, a);
	if (!l->value) {
		draw_text(y, 7 + nw, w - 7 - nw, "<unbound>", dim);
		return;
	}
	value_type_name(heap_ctx(t->ses.h), l->value, type, sizeof type);
	value_repr_opts(heap_ctx(t->ses.h), l->value, &vo, val, sizeof val);
	int tw = w / 6 > 18 ? 18 : w / 6;
	draw_text(y, 7 + nw, tw, type, dim);
	draw_text(y, 8 + nw + tw, w - 8 - nw - tw, draw_skip(val, hscroll), a);
}

static void threads_row(struct tui *t, struct view *v, size_t row, int y, int w, int sel)
{
	struct threads *ts = v->priv;
	const struct trow *r = &ts->rows[row];
	const struct py_thread *th = &ts->th[r->th];

	switch (r->kind) {
	case TR_THREAD: draw_thread(th, y, w); break;
	case TR_NOTE:
		draw_text(y, 2, w - 2, "(no Python frames: idle, or running C code)", draw_attr(ROLE_DIM));
		break;
	case TR_FRAME:
		draw_frame(&th->frames[r->fr], r->fr, ts->open[r->th][r->fr], y, w, sel);
		break;
	case TR_LOCAL: draw_local(t, &th->frames[r->fr].locals[r->lo], y, w, sel, v->hscroll); break;
	}
}

/* The object behind the cursor: a local's value, or the frame object. */
static raddr_t selected_addr(struct threads *ts, size_t row)
{
	const struct trow *r = &ts->rows[row];
	const struct py_frame *f = &ts->th[r->th].frames[r->fr];
	if (r->kind == TR_LOCAL)
		return f->locals[r->lo].value;
	if (r->kind == TR_FRAME)
		return f->frame_obj;
	return 0;
}

/* Enter on a frame: fold or unfold its locals, keeping the cursor on it. */
static int toggle_fold(struct tui *t, struct view *v)
{
	struct threads *ts = v->priv;
	struct trow r = ts->rows[v->cur];
	ts->open[r.th][r.fr] = !ts->open[r.th][r.fr];
	if (build_rows(ts) < 0) {
		tui_message(t, 1, "out of memory");
		return TUI_REDRAW;
	}
	v->nrows = ts->n;
	for (size_t i = 0; i < ts->n; i++)
		if (ts->rows[i].kind == TR_FRAME && ts->rows[i].th == r.th && ts->rows[i].fr == r.fr)
			view_set_cursor(v, i);
	return TUI_REDRAW;
}

static int threads_request(struct tui *t, struct view *v, enum request req)
{
	struct threads *ts = v->priv;
	if (req == REQ_ENTER && v->nrows && ts->rows[v->cur].kind == TR_FRAME)
		return toggle_fold(t, v);
	if (req != REQ_ENTER && req != REQ_VIEW_INSPECT && req != REQ_VIEW_REFERRERS)
		return TUI_UNHANDLED;
	if (!v->nrows || !threads_selectable(v, v->cur))
		return TUI_UNHANDLED;
	raddr_t a = selected_addr(ts, v->cur);
	if (!a) {
		tui_message(t, 0, ts->rows[v->cur].kind == TR_FRAME
			    ? "no frame object for this frame (3.11+ creates one only on demand)"
			    : "this local is unbound");
		return TUI_REDRAW;
	}
	return view_open_object(t, req == REQ_VIEW_REFERRERS ? &view_referrers_ops
				: &view_inspect_ops, a);
}

static raddr_t threads_selected(struct tui *t, struct view *v)
{
	struct threads *ts = v->priv;
	return v->nrows && threads_selectable(v, v->cur) ? selected_addr(ts, v->cur) : 0;
}

const struct view_ops view_threads_ops = {
	.selected = threads_selected,
	.name = "Threads",
	.open = threads_open,
	.close = threads_close,
	.draw_header = threads_header,
	.draw_row = threads_row,
	.selectable = threads_selectable,
	.request = threads_request,
	.hints = "Enter open local / fold frame  i frame object  b referrers",
};
