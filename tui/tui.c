/* tui — the main loop, the screen stack, the frame around every screen
 * (status bar, breadcrumb, footer), and signal safety.
 *
 * One loop (tui_run) reads a key, turns it into a request (keys.c), lets
 * the top screen handle it, falls back to the defaults below, and draws
 * when a handler asked for it.  Nothing else draws, except tui_busy() for
 * work that takes long enough to need a "please wait".  The terminal
 * itself (modes, signals, the guardian, odd escape sequences) is term.c's.
 *
 * Screen layout (at any size >= 40x10):
 *   line 0          status: pid, Python version, snapshot age, pause
 *   line 1          breadcrumb (the screen stack)
 *   line 2          column titles
 *   lines 3..       the screen's rows
 *   ..H-2           the screen's detail panel, if it has one (view.h)
 *   line H-1        prompt, message, or key hints
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "graph.h"
#include "numbers.h"
#include "script.h"
#include "term.h"
#include "termdb.h"
#include "tui.h"
#include "view.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define BODY_Y 3

/* ==== Screen stack ==== */

static void view_layout(struct tui *t, struct view *v);

struct view *tui_top(struct tui *t)
{
	return &t->stack[t->depth - 1];
}

static void view_close(struct view *v)
{
	if (v->ops && v->ops->close)
		v->ops->close(v);
	v->priv = NULL;
}

/* Open ops on arg into v (zeroed first).  0 or -1. */
static int view_open(struct tui *t, struct view *v, const struct view_ops *ops,
		     const struct view_arg *arg)
{
	memset(v, 0, sizeof *v);
	v->ops = ops;
	if (arg)
		v->arg = *arg;
	snprintf(v->crumb, sizeof v->crumb, "%s", ops->name);
	if (ops->open(t, v) < 0) {
		view_close(v);
		return -1;
	}
	view_layout(t, v);
	/* 0, unless open() put the cursor somewhere (an object to reveal) */
	view_set_cursor(v, v->cur);
	return 0;
}

int tui_push(struct tui *t, const struct view_ops *ops, const struct view_arg *arg)
{
	struct view nv;

	if (view_open(t, &nv, ops, arg) < 0)
		return TUI_REDRAW;
	if (t->depth == TUI_MAXDEPTH) {
		/* Forget the oldest screen above the root rather than refuse. */
		view_close(&t->stack[1]);
		memmove(&t->stack[1], &t->stack[2], (TUI_MAXDEPTH - 2) * sizeof *t->stack);
		t->depth--;
	}
	t->stack[t->depth++] = nv;
	return TUI_REDRAW;
}

static void tui_pop(struct tui *t)
{
	if (t->depth <= 1)
		return;
	view_close(&t->stack[--t->depth]);
}

int tui_back(struct tui *t)
{
	tui_pop(t);
	return TUI_REDRAW;
}

int tui_goto(struct tui *t, const struct view_ops *ops, const struct view_arg *arg)
{
	for (int i = t->depth - 1; i >= 0; i--) {
		if (t->stack[i].ops != ops)
			continue;
		while (t->depth - 1 > i)
			tui_pop(t);
		return TUI_REDRAW;
	}
	/* A top-level screen hangs off the root, so that the breadcrumb stays
	 * a true path ("Overview > Threads", not "... > who holds X >
	 * Threads"); only the help opens on top of where you are. */
	if (ops != &view_help_ops)
		while (t->depth > 1)
			tui_pop(t);
	return tui_push(t, ops, arg);
}

/* Before a new snapshot replaces the current one (while what the views
 * point into still exists): let each screen note in its arg where it is;
 * placed[i] = 1 when screen i will put its cursor back itself. */
static void save_all(struct tui *t, int *placed)
{
	for (int i = 0; i < t->depth; i++) {
		struct view *v = &t->stack[i];
		placed[i] = v->ops->save ? v->ops->save(t, v) : 0;
	}
}

/* After a new snapshot: reopen every screen from its arg, keeping the
 * cursor where it was (unless save_all said the screen places it).  A
 * screen whose object is gone is dropped, and so is everything above it
 * (it was reached through it). */
static void reopen_all(struct tui *t, const int *placed)
{
	for (int i = 0; i < t->depth; i++) {
		struct view *v = &t->stack[i];
		size_t cur = v->cur, top = v->top;
		const struct view_ops *ops = v->ops;
		struct view_arg arg = v->arg;
		view_close(v);
		if (view_open(t, v, ops, &arg) < 0) {
			for (int j = i + 1; j < t->depth; j++)
				view_close(&t->stack[j]);
			t->depth = i > 0 ? i : 1;
			if (i == 0)   /* the root always reopens; keep the stack valid */
				view_open(t, v, &view_overview_ops, NULL);
			return;
		}
		if (!placed[i]) {
			v->top = top;
			view_set_cursor(v, cur);
		}
	}
}

/* ==== Opening a screen on an object (view.h) ==== */

int view_open_object(struct tui *t, const struct view_ops *ops, raddr_t addr)
{
	struct session *ss = &t->ses;
	struct view_arg arg = {.addr = addr};
	const struct pytype *ty = py_type_of_obj(heap_ctx(ss->h), addr);
	char name[200];

	if (!addr || !ty) {
		tui_message(t, 1, "no object at %#llx (id %llu) in this snapshot",
			    (unsigned long long)addr, (unsigned long long)addr);
		return TUI_REDRAW;
	}
	snprintf(arg.name, sizeof arg.name, "%s@%#llx", session_type_name(ty, name, sizeof name),
		 (unsigned long long)addr);
	return tui_push(t, ops, &arg);
}

int view_open_dominators(struct tui *t, raddr_t addr)
{
	struct view_arg arg = {.addr = addr, .aux = VIEW_ARG_REVEAL};
	snprintf(arg.name, sizeof arg.name, "Dominators");
	return tui_push(t, &view_dominators_ops, &arg);
}

/* ==== Cursor and scrolling ==== */

/* Lines between the column titles and the footer. */
static int body_lines(void)
{
	int h = LINES - BODY_Y - 1;
	return h > 1 ? h : 1;
}

int view_body_height(const struct view *v)
{
	int h = body_lines() - v->panel_h - v->split_h;
	return h > 1 ? h : 1;
}

/* Split the body between rows, the retainers pane (w) and the panel for
 * the current size; the rows keep 3 lines at least, else the pane and
 * then the panel go. */
static void view_layout(struct tui *t, struct view *v)
{
	int h = body_lines();
	int split = t->split && v->ops->selected ? (h * 2 / 5 < 5 ? 5 : h * 2 / 5) : 0;
	if (split > h - 3)
		split = 0;
	v->split_h = split;
	h -= split;
	int want = v->ops->panel_height ? v->ops->panel_height(t, v, h) : 0;
	if (want > h - 3)
		want = h - 3;
	v->panel_h = want > 0 ? want : 0;
}

static int row_ok(struct view *v, size_t row)
{
	return !v->ops->selectable || v->ops->selectable(v, row);
}

/* Keep top <= cur < top + height, and no blank space below the last row. */
static void view_scroll_fix(struct view *v)
{
	size_t h = (size_t)view_body_height(v);
	if (v->no_cursor) {
		size_t maxtop = v->nrows > h ? v->nrows - h : 0;
		if (v->top > maxtop)
			v->top = maxtop;
		return;
	}
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + h)
		v->top = v->cur - h + 1;
	if (v->nrows > h && v->top > v->nrows - h)
		v->top = v->nrows - h;
}

void view_set_cursor(struct view *v, size_t row)
{
	if (v->nrows == 0) {
		v->cur = v->top = 0;
		return;
	}
	if (row >= v->nrows)
		row = v->nrows - 1;
	/* Nearest selectable row: forward first, then backward. */
	size_t r = row;
	while (r < v->nrows && !row_ok(v, r))
		r++;
	if (r == v->nrows) {
		r = row;
		while (r > 0 && !row_ok(v, r))
			r--;
	}
	v->cur = r;
	view_scroll_fix(v);
}

/* Move by delta rows; skips rows the cursor cannot rest on in the
 * direction of travel. */
static void view_move(struct view *v, long delta)
{
	if (v->no_cursor) {
		long top = (long)v->top + delta;
		v->top = top < 0 ? 0 : (size_t)top;
		view_scroll_fix(v);
		return;
	}
	if (v->nrows == 0)
		return;
	long target = (long)v->cur + delta;
	if (target < 0)
		target = 0;
	if (target >= (long)v->nrows)
		target = (long)v->nrows - 1;
	size_t r = (size_t)target;
	while (!row_ok(v, r) && (delta > 0 ? r + 1 < v->nrows : r > 0))
		r += delta > 0 ? 1 : (size_t)-1;
	if (row_ok(v, r))
		v->cur = r;
	if (delta > 1 || delta < -1)   /* a page: move the window with it */
		v->top = (long)v->top + delta < 0 ? 0 : v->top + (size_t)delta;
	view_scroll_fix(v);
}

static int move_request(struct view *v, enum request req)
{
	long page = view_body_height(v);
	switch (req) {
	case REQ_MOVE_UP: view_move(v, -1); break;
	case REQ_MOVE_DOWN: view_move(v, 1); break;
	case REQ_PAGE_UP: view_move(v, -page); break;
	case REQ_PAGE_DOWN: view_move(v, page); break;
	case REQ_MOVE_FIRST:
		v->top = 0;
		view_set_cursor(v, 0);
		break;
	case REQ_MOVE_LAST:
		if (v->no_cursor)
			v->top = v->nrows;
		view_set_cursor(v, v->nrows ? v->nrows - 1 : 0);
		break;
	default:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

/* ==== Messages ==== */

void tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
}

static void draw_footer_text(const char *text, attr_t a)
{
	draw_fill(LINES - 1, 0, COLS, a);
	draw_text(LINES - 1, 0, COLS, text, a);
}

void tui_busy(struct tui *t, const char *msg)
{
	(void)t;
	if (COLS < MIN_COLS || LINES < MIN_LINES)
		return;
	draw_footer_text(msg, draw_attr(ROLE_SECTION));
	refresh();
}

struct leaks *tui_leaks(struct tui *t)
{
	struct session *ss = &t->ses;
	char msg[128];
	if (!ss->L && !ss->leaks_failed && tui_graph(t)) {
		snprintf(msg, sizeof msg, "Computing retained sizes%s (dominator tree, once per snapshot)",
			 draw_glyph(GL_ELLIPSIS));
		tui_busy(t, msg);
	}
	struct leaks *L = session_leaks(ss);
	if (!L && !ss->graph_failed)
		tui_message(t, 1, "retained sizes unavailable: %s",
			    ss->leaks_err.msg[0] ? ss->leaks_err.msg : "unknown error");
	return L;
}

struct graph *tui_graph(struct tui *t)
{
	struct session *ss = &t->ses;
	if (!ss->g && !ss->graph_failed)
		tui_busy(t, "Building the object graph (once per snapshot)...");
	struct graph *g = session_graph(ss);
	if (!g)
		tui_message(t, 1, "object graph unavailable: %s",
			    ss->graph_err.msg[0] ? ss->graph_err.msg : "unknown error");
	return g;
}

/* ==== Drawing ==== */

static void draw_status(struct tui *t)
{
	struct session *ss = &t->ses;
	const struct memsrc_info *mi = mem_info(ss->s->mem);
	char line[256], age[16], objs[32], tries[48] = "";
	attr_t a = draw_attr(ROLE_STATUS);

	fmt_age(session_age(ss), age, sizeof age);
	fmt_count(heap_nobjects(ss->h), objs, sizeof objs);
	/* copies it took (the first caught a collection or an update) */
	if (ss->s->attempts > 1)
		snprintf(tries, sizeof tries, " (copy %d)", ss->s->attempts);
	/* What an on-call engineer must always see comes first, so that an
	 * 80-column terminal cuts only the least useful end. */
	char inner[80] = "";   /* a container's target: its PID in there too */
	if (ss->s->ns_pid && ss->s->ns_pid != ss->s->pid)
		snprintf(inner, sizeof inner, " (%d in %s)", (int)ss->s->ns_pid, ss->s->container);
	snprintf(line, sizeof line, " pid %d%s  Python %s  snapshot #%d %s ago  pause %.1f ms%s  %s GC-tracked",
		 (int)ss->s->pid, inner, ss->s->rt.version, ss->nsnap, age, mi->pause_ms, tries, objs);
	draw_fill(0, 0, COLS, a);
	int used = draw_text(0, 0, COLS, line, a);
	if (COLS - used >= 12)
		draw_rtext(0, COLS - 11, 10, "heapscope", a);
}

/* Where the cursor is: "line 12 of 345" (text screens: the lines shown),
 * "" for an empty list. */
static void position_text(const struct view *v, char *buf, size_t cap)
{
	char a[32], b[32], c[32];
	buf[0] = 0;
	if (!v->nrows)
		return;
	if (v->no_cursor) {
		size_t last = v->top + (size_t)view_body_height(v);
		if (last > v->nrows)
			last = v->nrows;
		snprintf(buf, cap, "lines %s-%s of %s", fmt_count(v->top + 1, a, sizeof a),
			 fmt_count(last, b, sizeof b), fmt_count(v->nrows, c, sizeof c));
		return;
	}
	if (v->hscroll)   /* > scrolled the long values right */
		snprintf(buf, cap, "values from char %s  line %s of %s",
			 fmt_count((uint64_t)v->hscroll + 1, c, sizeof c),
			 fmt_count(v->cur + 1, a, sizeof a), fmt_count(v->nrows, b, sizeof b));
	else
		snprintf(buf, cap, "line %s of %s", fmt_count(v->cur + 1, a, sizeof a),
			 fmt_count(v->nrows, b, sizeof b));
}

static void draw_crumbs(struct tui *t)
{
	char line[1024] = "", pos[96];
	size_t len = 0;
	attr_t a = draw_attr(ROLE_CRUMB);
	for (int i = 0; i < t->depth && len < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
					i ? draw_glyph(GL_CRUMB) : " ", t->stack[i].crumb);
	/* The position at the right end, when there is room beside the
	 * breadcrumb's last part. */
	position_text(tui_top(t), pos, sizeof pos);
	int pw = pos[0] ? draw_width(pos) + 2 : 0;
	if (pw && COLS - pw < 24)
		pw = 0;
	draw_fill(1, 0, COLS, a);
	/* Deep stacks keep their end: where you are matters most. */
	draw_text_tail(1, 0, COLS - pw, line, a);
	if (pw)
		draw_rtext(1, COLS - pw, pw - 1, pos, a);
}

/* A scrollbar in the last column of the body (h lines) when the rows do
 * not all fit: the thumb's length and place are the window's. */
static void draw_scrollbar(const struct view *v, int h)
{
	size_t n = v->nrows, H = (size_t)h;
	size_t len = H * H / n, pos;
	if (len < 1)
		len = 1;
	size_t maxtop = n - H;
	pos = maxtop ? (v->top * (H - len) + maxtop / 2) / maxtop : 0;
	if (v->top > 0 && pos == 0 && H > len)
		pos = 1;                /* not at the top: never look like it */
	if (v->top < maxtop && pos + len >= H && pos > 0)
		pos = H - len - 1;      /* not at the bottom either */
	for (int i = 0; i < h; i++) {
		int thumb = (size_t)i >= pos && (size_t)i < pos + len;
		draw_text(BODY_Y + i, COLS - 1, 1, draw_glyph(thumb ? GL_THUMB : GL_BAR),
			  draw_attr(thumb ? ROLE_HEADER : ROLE_DIM));
	}
}

/* ==== The retainers pane (w), DevTools' "Retainers" under the selection ==== */

/* The selected object's distance from the nearest root, cached per object. */
static void split_measure(struct tui *t, raddr_t addr)
{
	struct graph *g = t->ses.g;
	if (t->split_addr == addr)
		return;
	t->split_addr = addr;
	t->split_dist = -1;
	t->split_root[0] = 0;
	graph_obj_t o = g ? graph_find(g, addr) : GRAPH_NONE;
	struct graph_path *p = NULL;
	size_t np = o != GRAPH_NONE ? graph_paths(g, o, 1, &p) : 0;
	if (np) {
		t->split_dist = (long)p[0].n;
		snprintf(t->split_root, sizeof t->split_root, "%s", p[0].root->label);
		graph_paths_free(p, np);
	}
}

static void draw_retainers(struct tui *t, struct view *v, int y, int h, int w)
{
	struct graph *g = t->ses.g;
	attr_t hd = draw_attr(ROLE_HEADER);
	char line[1024], type[160], val[300], label[300], b[32];
	raddr_t addr = v->ops->selected(t, v);

	draw_fill(y, 0, w, hd);
	if (!g) {
		draw_text(y, 0, w, " Retainers: the object graph is not built (w again to retry)", hd);
		return;
	}
	graph_obj_t o = addr ? graph_find(g, addr) : GRAPH_NONE;
	if (o == GRAPH_NONE) {
		draw_text(y, 0, w, " Retainers: no object selected", hd);
		return;
	}
	split_measure(t, addr);
	const struct graph_edge *e;
	size_t n = graph_referrers(g, o, &e);
	graph_type_name(g, o, type, sizeof type);
	if (t->split_dist < 0)
		snprintf(line, sizeof line, " Retainers of %s %#llx: %s; no root reaches it (garbage "
			 "cycle, or held from C)", type, (unsigned long long)addr, fmt_count(n, b, sizeof b));
	else if (t->split_dist == 0)
		snprintf(line, sizeof line, " Retainers of %s %#llx: %s; it is a root itself (%s)", type,
			 (unsigned long long)addr, fmt_count(n, b, sizeof b), t->split_root);
	else
		snprintf(line, sizeof line, " Retainers of %s %#llx: %s; %ld step%s from the nearest root (%s)",
			 type, (unsigned long long)addr, fmt_count(n, b, sizeof b), t->split_dist,
			 t->split_dist == 1 ? "" : "s", t->split_root);
	draw_text(y, 0, w, line, hd);
	for (int i = 1; i < h && (size_t)(i - 1) < n; i++) {
		const struct graph_edge *ed = &e[i - 1];
		if (i == h - 1 && n > (size_t)(h - 1)) {
			snprintf(line, sizeof line, "%s more (b lists them all)",
				 fmt_count(n - (size_t)(h - 2), b, sizeof b));
			draw_text(y + i, 2, w - 2, line, draw_attr(ROLE_DIM));
			break;
		}
		graph_edge_label(g, ed, label, sizeof label);
		if (ed->from == GRAPH_NONE) {
			snprintf(line, sizeof line, "%s  (a thread's frame)", label);
		} else {
			graph_type_name(g, ed->from, type, sizeof type);
			graph_value(g, ed->from, val, sizeof val);
			snprintf(line, sizeof line, "%s  in %s %s", label, type, val);
		}
		draw_text(y + i, 2, w - 2, line, draw_attr(ROLE_NORMAL));
	}
	if (!n && h > 1)
		draw_text(y + 1, 2, w - 2, "no object refers to it", draw_attr(ROLE_DIM));
}

static void draw_body(struct tui *t, struct view *v)
{
	view_layout(t, v);
	int h = view_body_height(v);
	view_scroll_fix(v);
	/* Rows that do not all fit leave the last column to a scrollbar. */
	int bar = v->nrows > (size_t)h;
	int w = COLS - bar;
	draw_fill(2, 0, COLS, draw_attr(ROLE_HEADER));
	if (v->ops->draw_header)
		v->ops->draw_header(t, v, 2, w);
	for (int i = 0; i < h; i++) {
		size_t row = v->top + (size_t)i;
		if (row >= v->nrows)
			break;
		int sel = !v->no_cursor && row == v->cur;
		if (sel)
			draw_fill(BODY_Y + i, 0, w, draw_attr(ROLE_CURSOR));
		v->ops->draw_row(t, v, row, BODY_Y + i, w, sel);
	}
	if (bar)
		draw_scrollbar(v, h);
	if (v->panel_h && v->ops->draw_panel)
		v->ops->draw_panel(t, v, BODY_Y + h, v->panel_h, COLS);
	if (v->split_h)
		draw_retainers(t, v, BODY_Y + h + v->panel_h, v->split_h, COLS);
}

static void draw_footer(struct tui *t, struct view *v)
{
	char line[512];
	if (t->prompt.active) {
		snprintf(line, sizeof line, "%s%s", t->prompt.label, t->prompt.buf);
		draw_footer_text(line, draw_attr(ROLE_NORMAL));
		int x = draw_width(line);
		move(LINES - 1, x < COLS ? x : COLS - 1);
		return;
	}
	if (t->msg[0]) {
		draw_footer_text(t->msg, draw_attr(t->msg_error ? ROLE_ERROR : ROLE_SECTION));
		return;
	}
	snprintf(line, sizeof line, "%s%s? help  q quit", v->ops->hints ? v->ops->hints : "",
		 v->ops->hints ? "  " : "");
	draw_footer_text(line, draw_attr(ROLE_DIM));
}

static void draw_too_small(void)
{
	char line[64];
	snprintf(line, sizeof line, "terminal too small (%dx%d, need %dx%d)", COLS,
		 LINES, MIN_COLS, MIN_LINES);
	draw_text(0, 0, COLS, line, A_BOLD);
	if (LINES > 1)
		draw_text(1, 0, COLS, "enlarge it, or press q to quit", A_NORMAL);
}

static void tui_draw(struct tui *t)
{
	erase();
	curs_set(0);
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		draw_too_small();
	} else {
		struct view *v = tui_top(t);
		draw_status(t);
		draw_crumbs(t);
		draw_body(t, v);
		draw_footer(t, v);
		if (t->prompt.active)
			curs_set(1);
	}
	refresh();
}

/* ==== Prompt (filter, jump to address) ==== */

static void prompt_start(struct tui *t, const char *label, int for_filter,
			 const char *initial)
{
	struct prompt *p = &t->prompt;
	p->active = 1;
	p->label = label;
	p->for_filter = for_filter;
	snprintf(p->buf, sizeof p->buf, "%s", initial ? initial : "");
	p->len = strlen(p->buf);
}

/* `:` takes what `show` takes (cli/numbers.c's ADDR): what id() prints
 * (decimal), 0x and hex, or hex digits with a letter in them. */
static int jump_to_address(struct tui *t, const char *text)
{
	uint64_t a;
	if (cli_parse_addr(text, &a) < 0) {
		tui_message(t, 1, "'%s' is not an object id (id() prints 139816178430416) "
			    "or address (0x7f2a1c3b5e40)", text);
		return TUI_REDRAW;
	}
	return view_open_object(t, &view_inspect_ops, (raddr_t)a);
}

/* ==== Search (/, n, N in every list) ====
 *
 * A line matches when its text as drawn contains the search, ignoring
 * ASCII case: each row is drawn off screen (on the footer line, which the
 * next draw repaints) and read back, so every screen is searchable
 * without a text op of its own, and what matches is what you see. */

static int row_matches(struct tui *t, struct view *v, size_t row, const char *what)
{
	wchar_t wbuf[1024];
	char text[4096];
	int y = LINES - 1, w = COLS < 1024 ? COLS : 1023;
	draw_fill(y, 0, COLS, A_NORMAL);
	v->ops->draw_row(t, v, row, y, w, 0);
	int n = mvinnwstr(y, 0, wbuf, w);
	if (n < 0)
		return 0;
	wbuf[n < 1023 ? n : 1023] = 0;
	size_t len = wcstombs(text, wbuf, sizeof text - 1);
	if (len == (size_t)-1)
		return 0;
	text[len] = 0;
	return strcasestr(text, what) != NULL;
}

/* The first row matching `what` from row `from` in direction dir (+1 /
 * -1), wrapping around; -1 when none.  *wrapped: it went past an end. */
static long search_rows(struct tui *t, struct view *v, size_t from, int dir, const char *what,
			int *wrapped)
{
	*wrapped = 0;
	if (!v->nrows || !what[0])
		return -1;
	size_t r = from < v->nrows ? from : 0;
	for (size_t k = 0; k < v->nrows; k++) {
		if (row_matches(t, v, r, what))
			return (long)r;
		if (dir > 0) {
			r = r + 1 < v->nrows ? r + 1 : (*wrapped = 1, 0);
		} else {
			r = r > 0 ? r - 1 : (*wrapped = 1, v->nrows - 1);
		}
	}
	return -1;
}

static void search_place(struct view *v, size_t row)
{
	if (v->no_cursor) {
		v->top = row;
		view_set_cursor(v, row);
	} else {
		view_set_cursor(v, row);
	}
}

/* n / N: the next / previous match after the cursor (text screens: after
 * the first line shown). */
static int search_again(struct tui *t, struct view *v, int dir)
{
	int wrapped;
	if (!t->search[0]) {
		tui_message(t, 0, "no search yet: / and some text first");
		return TUI_REDRAW;
	}
	size_t at = v->no_cursor ? v->top : v->cur;
	size_t from = dir > 0 ? at + 1 : (at ? at - 1 : v->nrows - 1);
	long r = search_rows(t, v, from >= v->nrows ? 0 : from, dir, t->search, &wrapped);
	if (r < 0) {
		tui_message(t, 1, "no line matches '%s'", t->search);
		return TUI_REDRAW;
	}
	search_place(v, (size_t)r);
	if (wrapped)
		tui_message(t, 0, "search wrapped around (%s)", dir > 0 ? "from the top" : "from the bottom");
	return TUI_REDRAW;
}

/* The search prompt's text changed (live), or Enter / Esc. */
static int search_prompt(struct tui *t, struct view *v, enum request req)
{
	struct prompt *p = &t->prompt;
	int wrapped;
	if (req == REQ_PROMPT_CANCEL) {
		search_place(v, t->search_from);
		return TUI_REDRAW;
	}
	snprintf(t->search, sizeof t->search, "%s", p->buf);
	long r = search_rows(t, v, t->search_from, 1, p->buf, &wrapped);
	if (r >= 0)
		search_place(v, (size_t)r);
	else if (req == REQ_PROMPT_DONE && p->len)
		tui_message(t, 1, "no line matches '%s'", p->buf);
	if (req == REQ_PROMPT_DONE && r >= 0 && p->len)
		tui_message(t, 0, "n: next match  N: previous");
	return TUI_REDRAW;
}

/* Keys while the prompt is open: it edits the line; the view is told
 * about changes (live filtering), Enter and Esc. */
static int prompt_key(struct tui *t, int ch)
{
	struct prompt *p = &t->prompt;
	struct view *v = tui_top(t);
	enum request req = REQ_PROMPT_CHANGED;

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		req = REQ_PROMPT_DONE;
	} else if (ch == 27) {
		req = REQ_PROMPT_CANCEL;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (p->len == 0)
			req = REQ_PROMPT_CANCEL;
		else
			p->buf[--p->len] = 0;
	} else if (ch == 21) {        /* ^U: clear the line, like a shell */
		p->len = 0;
		p->buf[0] = 0;
	} else if (ch >= 0x20 && ch < 0x7f && p->len + 1 < sizeof p->buf) {
		p->buf[p->len++] = (char)ch;
		p->buf[p->len] = 0;
	} else {
		return TUI_HANDLED;
	}
	if (req != REQ_PROMPT_CHANGED)
		p->active = 0;
	if (!p->for_filter) {
		if (req == REQ_PROMPT_DONE && p->len)
			return jump_to_address(t, p->buf);
		return TUI_REDRAW;
	}
	if (p->for_filter == 2)
		return search_prompt(t, v, req);
	if (v->ops->request)
		v->ops->request(t, v, req);
	return TUI_REDRAW;
}

/* ==== Requests ==== */

/* What a request does when the screen did not handle it. */
static int default_request(struct tui *t, struct view *v, enum request req)
{
	int r = move_request(v, req);
	if (r != TUI_UNHANDLED)
		return r;
	switch (req) {
	case REQ_QUIT: return TUI_QUIT;
	case REQ_BACK: return tui_back(t);
	/* Tree keys outside a tree: what Space and Left always did. */
	case REQ_TOGGLE: return move_request(v, REQ_PAGE_DOWN);
	case REQ_COLLAPSE: return tui_back(t);
	case REQ_VIEW_OVERVIEW: return tui_goto(t, &view_overview_ops, NULL);
	case REQ_VIEW_TYPES: return tui_goto(t, &view_types_ops, NULL);
	case REQ_VIEW_THREADS: return tui_goto(t, &view_threads_ops, NULL);
	case REQ_VIEW_DOMINATORS: return tui_goto(t, &view_dominators_ops, NULL);
	case REQ_VIEW_SUSPECTS: return tui_goto(t, &view_suspects_ops, NULL);
	case REQ_VIEW_MEMORY: return tui_goto(t, &view_memory_ops, NULL);
	case REQ_VIEW_SITES: return tui_goto(t, &view_sites_ops, NULL);
	case REQ_VIEW_HELP: return tui_goto(t, &view_help_ops, NULL);
	case REQ_SORT_MENU: return tui_push(t, &view_sortmenu_ops, NULL);
	case REQ_JUMP_ADDRESS:
		prompt_start(t, "jump to object (id or 0x address): ", 0, NULL);
		return TUI_REDRAW;
	case REQ_REFRESH: return TUI_RESNAP;
	case REQ_FILTER:
		t->search_from = v->no_cursor ? v->top : v->cur;
		prompt_start(t, "search: ", 2, NULL);
		return TUI_REDRAW;
	case REQ_SCROLL_RIGHT:
	case REQ_SCROLL_LEFT: {
		int step = COLS / 2 > 8 ? COLS / 2 : 8;
		v->hscroll += req == REQ_SCROLL_RIGHT ? step : -step;
		if (v->hscroll < 0)
			v->hscroll = 0;
		if (v->hscroll > 4000)
			v->hscroll = 4000;
		return TUI_REDRAW;
	}
	case REQ_TOGGLE_SPLIT:
		t->split = !t->split;
		if (t->split && !tui_graph(t))
			t->split = 0;
		else if (t->split && !v->ops->selected)
			tui_message(t, 0, "retainers pane on: it shows under lists of objects "
				    "(instances, inspector, dominators, threads)");
		return TUI_REDRAW;
	case REQ_SEARCH_NEXT: return search_again(t, v, 1);
	case REQ_SEARCH_PREV: return search_again(t, v, -1);
	case REQ_VIEW_INSPECT:
	case REQ_VIEW_REFERRERS:
	case REQ_ENTER:
		tui_message(t, 0, "nothing to open here");
		return TUI_REDRAW;
	case REQ_SORT_SIZE: case REQ_SORT_COUNT: case REQ_SORT_AVG:
	case REQ_SORT_NAME: case REQ_SORT_GEN: case REQ_SORT_DELTA:
	case REQ_SORT_REFCNT: case REQ_SORT_ADDR: case REQ_SORT_REVERSE:
	case REQ_SORT_RETAINED:
		tui_message(t, 0, "this screen cannot be sorted that way");
		return TUI_REDRAW;
	default:
		return TUI_HANDLED;
	}
}

static int handle_key(struct tui *t, int ch)
{
	if (t->prompt.active)
		return prompt_key(t, ch);
	t->msg[0] = 0;
	enum request req = keys_request(ch);
	if (req == REQ_NONE)
		return TUI_REDRAW;   /* clears a stale message */
	struct view *v = tui_top(t);
	if (req == REQ_FILTER && v->ops->request &&
	    v->ops->request(t, v, REQ_FILTER) != TUI_UNHANDLED) {
		prompt_start(t, "filter: ", 1, NULL);
		return TUI_REDRAW;
	}
	return tui_request(t, req);
}

int tui_request(struct tui *t, enum request req)
{
	struct view *v = tui_top(t);
	int r = v->ops->request ? v->ops->request(t, v, req) : TUI_UNHANDLED;
	if (r == TUI_UNHANDLED)
		r = default_request(t, v, req);
	return r;
}

static void resnap(struct tui *t)
{
	struct hs_err err = {0};
	int placed[TUI_MAXDEPTH];
	/* The snapshot being replaced is recorded with its graph (see
	 * session_refresh), to tell the new objects from the old afterwards:
	 * build it now if no screen has yet, while the footer says why. */
	tui_graph(t);
	tui_busy(t, "Taking a new snapshot...");
	save_all(t, placed);
	int nsnap = t->ses.nsnap;
	/* Ctrl-C during the freeze waits until the target is thawed (on
	 * live.c's normal path), then quits with the terminal restored. */
	term_block_quit_signals(1);
	enum hs_status st = session_refresh(&t->ses, &err);
	term_block_quit_signals(0);
	/* A failure after the new snapshot was adopted (out of memory for the
	 * deltas) still replaced what the screens point into. */
	if (t->ses.nsnap != nsnap) {
		t->split_addr = 0;    /* the pane's cached distance was the old graph's */
		reopen_all(t, placed);
	}
	if (st != HS_OK) {
		tui_message(t, 1, "new snapshot failed: %s",
			    err.msg[0] ? err.msg : hs_status_name(st));
		return;
	}
	tui_message(t, 0, "snapshot #%d taken; deltas are against #%d (d sorts by growth)",
		    t->ses.nsnap, t->ses.nsnap - 1);
}

/* ==== The loop ==== */

static void tui_run(struct tui *t)
{
	int flags = TUI_REDRAW;
	for (;;) {
		if (term_quit_signal())
			break;
		if (flags & TUI_RESNAP) {
			resnap(t);
			flags |= TUI_REDRAW;
		}
		if (flags & TUI_REDRAW) {
			struct view *v = tui_top(t);
			if (v->ops->prepare && COLS >= MIN_COLS && LINES >= MIN_LINES)
				v->ops->prepare(t, v);
			tui_draw(t);
		}
		/* A script's keys come first; each turn still draws, so a `dump`
		 * sees what the previous key did. */
		int ch = script_active() ? script_next_key() : term_getkey();
		if (term_quit_signal())
			break;
		if (ch == ERR) {         /* the once-a-second tick: age changed */
			flags = TUI_REDRAW;
			continue;
		}
		if (ch == KEY_RESIZE) {
			flags = TUI_REDRAW;
			continue;
		}
		if (COLS < MIN_COLS || LINES < MIN_LINES) {
			flags = ch == 'q' ? TUI_QUIT : TUI_REDRAW;
		} else {
			flags = handle_key(t, ch);
		}
		if (flags & TUI_QUIT)
			break;
	}
}

int tui_main(const struct tui_source *src, struct hs_snapshot *s,
	     struct heap *h, int *sig)
{
	struct tui *t = calloc(1, sizeof *t);
	if (!t) {
		src->release(src->arg, s, h);
		return HS_ERR_NOMEM;
	}
	setlocale(LC_ALL, "");
	if (script_load() < 0) {
		src->release(src->arg, s, h);
		free(t);
		return HS_ERR_USAGE;
	}
	session_init(&t->ses, src, s, h);
	if (src->baseline) {
		/* recorded with its graph (every object), then replaced */
		struct hs_err e = {0};
		session_graph(&t->ses);
		enum hs_status st = session_refresh(&t->ses, &e);
		if (st != HS_OK) {
			fprintf(stderr, "heapscope: %s\n", e.msg[0] ? e.msg : hs_status_name(st));
			session_fini(&t->ses);
			script_free();
			free(t);
			return st;
		}
	}
	term_start();
	t->depth = 0;
	tui_push(t, &view_overview_ops, NULL);
	if (termdb_note())   /* TERM unknown: say that vt100 is in use */
		tui_message(t, 0, "%s", termdb_note());
	if (t->depth == 0) {
		term_stop();
		session_fini(&t->ses);
		script_free();
		free(t);
		return HS_ERR_INTERNAL;
	}
	tui_run(t);
	term_stop();
	while (t->depth > 0)
		view_close(&t->stack[--t->depth]);
	session_fini(&t->ses);
	script_free();
	free(t);
	*sig = term_quit_signal();
	return 0;
}
