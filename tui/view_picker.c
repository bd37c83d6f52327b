/* view_picker — the process picker.  See picker.h.
 *
 * A screen of its own rather than a view on the explorer's stack: the
 * explorer's frame (status line, views) is built around a snapshot, and
 * the picker runs before there is one.  It shares the explorer's terminal
 * handling (term.c), looks (draw.c), keys (keys.c) and script hook.
 *
 * Layout:
 *   line 0        status: how many Python processes, how many attachable
 *   line 1        breadcrumb ("Processes", with the filter)
 *   line 2        column titles
 *   lines 3..     one process per line
 *   last 4 lines  the selected process: PID inside, cgroup, command line,
 *                 and whether we can attach, or why not and the fix
 *   line H-1      prompt, message, or key hints
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "keys.h"
#include "picker.h"
#include "script.h"
#include "term.h"
#include "termdb.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define BODY_Y 3
#define PANEL_H 5

struct picker {
	const struct picker_source *src;
	struct ps_entry *rows;
	size_t nrows;
	size_t *vis;                 /* indices of rows passing the filter */
	size_t nvis;
	size_t cur, top;
	char filter[64];
	int prompt;                  /* typing the filter */
	char msg[200];
	int msg_error;
	pid_t err_pid;               /* the last attach that failed, and why */
	char err_text[sizeof ((struct hs_err *)0)->msg];
	char scan_err[sizeof ((struct hs_err *)0)->msg];
};

enum { COL_PID, COL_INNER, COL_USER, COL_PY, COL_RSS, COL_CTR, COL_ATTACH, COL_CMD, NCOLS };

static const struct column cols[NCOLS] = {
	[COL_PID] = {"PID", 7, 1, 0, 0, 0},
	[COL_INNER] = {"INNER", 6, 1, 3, 0, 0},
	[COL_USER] = {"USER", 8, 0, 4, 0, 0},
	[COL_PY] = {"PYTHON", 7, 0, 1, 0, 0},
	[COL_RSS] = {"RSS", 9, 1, 2, 0, 0},
	[COL_CTR] = {"CONTAINER", 14, 0, 5, 0, 0},
	[COL_ATTACH] = {"ATTACH", 6, 0, 0, 0, 0},
	[COL_CMD] = {"COMMAND", 10, 0, 0, 1, 0},
};

/* ==== Rows and filter ==== */

static int matches(const struct ps_entry *e, const char *f)
{
	char hay[sizeof e->cmdline + 160];
	if (!f[0])
		return 1;
	snprintf(hay, sizeof hay, "%d %d %s %s %s %s %s", (int)e->pid, (int)e->ctr.ns_pid,
		 e->user, e->version, e->ctr.label, e->comm, e->cmdline);
	size_t n = strlen(f);
	for (const char *p = hay; *p; p++)
		if (!strncasecmp(p, f, n))
			return 1;
	return 0;
}

static void refilter(struct picker *p)
{
	pid_t keep = p->nvis ? p->rows[p->vis[p->cur]].pid : 0;
	p->nvis = 0;
	for (size_t i = 0; i < p->nrows; i++)
		if (matches(&p->rows[i], p->filter))
			p->vis[p->nvis++] = i;
	p->cur = p->top = 0;
	for (size_t i = 0; i < p->nvis; i++)
		if (p->rows[p->vis[i]].pid == keep)
			p->cur = i;
}

static void rescan(struct picker *p)
{
	struct hs_err err = {0};
	struct ps_entry *rows = NULL;
	size_t n = 0;
	if (p->src->scan(p->src->arg, &rows, &n, &err) != HS_OK) {
		snprintf(p->scan_err, sizeof p->scan_err, "%s", err.msg);
		return;
	}
	size_t *vis = malloc((n ? n : 1) * sizeof *vis);
	if (!vis) {
		free(rows);
		snprintf(p->scan_err, sizeof p->scan_err, "out of memory");
		return;
	}
	pid_t keep = p->nvis ? p->rows[p->vis[p->cur]].pid : 0;
	free(p->rows);
	free(p->vis);
	p->rows = rows;
	p->nrows = n;
	p->vis = vis;
	p->scan_err[0] = 0;
	p->nvis = 0;
	refilter(p);
	for (size_t i = 0; keep && i < p->nvis; i++)
		if (p->rows[p->vis[i]].pid == keep)
			p->cur = i;
}

/* ==== Drawing ==== */

static int body_height(void)
{
	int h = LINES - BODY_Y - 1 - PANEL_H;
	return h > 1 ? h : 1;
}

static void scroll_fix(struct picker *p)
{
	size_t h = (size_t)body_height();
	if (p->cur >= p->nvis)
		p->cur = p->nvis ? p->nvis - 1 : 0;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + h)
		p->top = p->cur - h + 1;
}

static void draw_row(struct picker *p, const struct ps_entry *e, int y, const int *x,
		     const int *w, int sel)
{
	char buf[64];
	attr_t a = sel ? draw_attr(ROLE_CURSOR) : draw_attr(ROLE_NORMAL);
	attr_t dim = sel ? a : draw_attr(ROLE_DIM);

	(void)p;
	snprintf(buf, sizeof buf, "%d", (int)e->pid);
	if (x[COL_PID] >= 0)
		draw_rtext(y, x[COL_PID], w[COL_PID], buf, a);
	if (e->ctr.ns_pid && e->ctr.ns_pid != e->pid)
		snprintf(buf, sizeof buf, "%d", (int)e->ctr.ns_pid);
	else
		snprintf(buf, sizeof buf, "-");
	if (x[COL_INNER] >= 0)
		draw_rtext(y, x[COL_INNER], w[COL_INNER], buf, dim);
	if (x[COL_USER] >= 0)
		draw_text(y, x[COL_USER], w[COL_USER], e->user, a);
	if (x[COL_PY] >= 0)
		draw_text(y, x[COL_PY], w[COL_PY], e->version[0] ? e->version : "?",
			  e->supported || sel ? a : draw_attr(ROLE_ERROR));
	if (x[COL_RSS] >= 0)
		draw_rtext(y, x[COL_RSS], w[COL_RSS], e->rss ? fmt_bytes(e->rss, buf, sizeof buf) : "?", a);
	if (x[COL_CTR] >= 0)
		draw_text(y, x[COL_CTR], w[COL_CTR], e->ctr.label, dim);
	if (x[COL_ATTACH] >= 0)
		draw_text(y, x[COL_ATTACH], w[COL_ATTACH], e->status == HS_OK ? "yes" : "no",
			  e->status == HS_OK || sel ? a : draw_attr(ROLE_ERROR));
	if (x[COL_CMD] >= 0)
		draw_text(y, x[COL_CMD], w[COL_CMD], e->cmdline[0] ? e->cmdline : e->comm, a);
}

/* The selected process in full: where it lives, its command line, and
 * whether we can attach (or the last attempt's error). */
static void draw_panel(struct picker *p, int y, int h)
{
	char line[1400];
	attr_t sec = draw_attr(ROLE_SECTION);
	draw_fill(y, 0, COLS, sec);
	if (!p->nvis) {
		draw_text(y, 0, COLS, " no process selected", sec);
		return;
	}
	const struct ps_entry *e = &p->rows[p->vis[p->cur]];
	const struct ctr_info *c = &e->ctr;
	int n = snprintf(line, sizeof line, " PID %d", (int)e->pid);
	if (c->ns_pid && c->ns_pid != e->pid)
		n += snprintf(line + n, sizeof line - (size_t)n, " (%d inside its PID namespace)",
			      (int)c->ns_pid);
	if (c->runtime[0])
		n += snprintf(line + n, sizeof line - (size_t)n, "  %s container %s", c->runtime,
			      c->id);
	else if (strcmp(c->label, "-"))
		n += snprintf(line + n, sizeof line - (size_t)n, "  own %s",
			      !strcmp(c->label, "pidns") ? "PID namespace"
			      : !strcmp(c->label, "mntns") ? "mount namespace" : "root (chroot)");
	snprintf(line + n, sizeof line - (size_t)n, "  cgroup %s", c->cgroup[0] ? c->cgroup : "?");
	draw_text(y, 0, COLS, line, sec);
	snprintf(line, sizeof line, " %s", e->cmdline[0] ? e->cmdline : e->comm);
	draw_text(y + 1, 0, COLS, line, draw_attr(ROLE_NORMAL));
	const char *why;
	attr_t wa = draw_attr(ROLE_ERROR);
	if (p->err_pid == e->pid && p->err_text[0]) {
		why = p->err_text;
	} else if (e->status == HS_OK) {
		why = "Enter attaches: the process is frozen only for the copy (milliseconds).";
		wa = draw_attr(ROLE_DIM);
	} else {
		why = e->detail[0] ? e->detail : e->why;
	}
	draw_wrap(y + 2, 1, COLS - 2, h - 2, why, wa);
}

static void draw_footer(struct picker *p)
{
	char line[256];
	attr_t a;
	if (p->prompt) {
		snprintf(line, sizeof line, "filter: %s", p->filter);
		a = draw_attr(ROLE_NORMAL);
	} else if (p->msg[0]) {
		snprintf(line, sizeof line, "%s", p->msg);
		a = draw_attr(p->msg_error ? ROLE_ERROR : ROLE_SECTION);
	} else {
		snprintf(line, sizeof line, "Enter attach  / filter  r rescan  q quit");
		a = draw_attr(ROLE_DIM);
	}
	draw_fill(LINES - 1, 0, COLS, a);
	draw_text(LINES - 1, 0, COLS, line, a);
	if (p->prompt) {
		int x = draw_width(line);
		move(LINES - 1, x < COLS ? x : COLS - 1);
	}
}

static void draw_all(struct picker *p)
{
	int x[NCOLS], w[NCOLS];
	char line[256];
	size_t ok = 0;

	erase();
	curs_set(0);
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		snprintf(line, sizeof line, "terminal too small (%dx%d, need %dx%d)", COLS,
			 LINES, MIN_COLS, MIN_LINES);
		draw_text(0, 0, COLS, line, A_BOLD);
		refresh();
		return;
	}
	for (size_t i = 0; i < p->nrows; i++)
		ok += p->rows[i].status == HS_OK;
	snprintf(line, sizeof line, " Pick a Python process: %zu found, %zu attachable",
		 p->nrows, ok);
	draw_fill(0, 0, COLS, draw_attr(ROLE_STATUS));
	int used = draw_text(0, 0, COLS, line, draw_attr(ROLE_STATUS));
	if (COLS - used >= 12)
		draw_rtext(0, COLS - 11, 10, "heapscope", draw_attr(ROLE_STATUS));
	if (p->filter[0])
		snprintf(line, sizeof line, " Processes /%s (%zu of %zu)", p->filter, p->nvis,
			 p->nrows);
	else
		snprintf(line, sizeof line, " Processes");
	draw_fill(1, 0, COLS, draw_attr(ROLE_CRUMB));
	draw_text(1, 0, COLS, line, draw_attr(ROLE_CRUMB));
	if (p->nvis && COLS >= 60) {   /* where the cursor is, as in every list */
		char pos[64];
		snprintf(pos, sizeof pos, "line %zu of %zu", p->cur + 1, p->nvis);
		draw_rtext(1, COLS - 21, 20, pos, draw_attr(ROLE_CRUMB));
	}

	columns_layout(cols, NCOLS, COLS, x, w);
	columns_header(2, cols, NCOLS, x, w, draw_attr(ROLE_HEADER));
	scroll_fix(p);
	int h = body_height();
	if (p->scan_err[0]) {
		draw_wrap(BODY_Y, 1, COLS - 2, h, p->scan_err, draw_attr(ROLE_ERROR));
	} else if (!p->nvis) {
		draw_text(BODY_Y, 1, COLS - 2, p->nrows ? "no process matches the filter (Esc clears it)"
			  : "no Python processes found; r rescans, q quits", draw_attr(ROLE_DIM));
	}
	for (int i = 0; i < h && p->top + (size_t)i < p->nvis && !p->scan_err[0]; i++) {
		size_t r = p->top + (size_t)i;
		int sel = r == p->cur;
		if (sel)
			draw_fill(BODY_Y + i, 0, COLS, draw_attr(ROLE_CURSOR));
		draw_row(p, &p->rows[p->vis[r]], BODY_Y + i, x, w, sel);
	}
	draw_panel(p, BODY_Y + h, PANEL_H);
	draw_footer(p);
	if (p->prompt)
		curs_set(1);
	refresh();
}

/* ==== Keys ==== */

static void set_msg(struct picker *p, int error, const char *text)
{
	snprintf(p->msg, sizeof p->msg, "%s", text);
	p->msg_error = error;
}

static void prompt_key(struct picker *p, int ch)
{
	size_t len = strlen(p->filter);
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		p->prompt = 0;
	} else if (ch == 27) {
		p->prompt = 0;
		p->filter[0] = 0;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len)
			p->filter[len - 1] = 0;
		else
			p->prompt = 0;
	} else if (ch == 21) {
		p->filter[0] = 0;
	} else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof p->filter) {
		p->filter[len] = (char)ch;
		p->filter[len + 1] = 0;
	}
	refilter(p);
}

/* Enter: take the first snapshot.  1 when done (the explorer follows). */
static int attach(struct picker *p, pid_t *pid, struct hs_snapshot **s, struct heap **h)
{
	char line[128];
	struct hs_err err = {0};
	if (!p->nvis)
		return 0;
	const struct ps_entry *e = &p->rows[p->vis[p->cur]];
	snprintf(line, sizeof line, "Taking a snapshot of PID %d%s", (int)e->pid,
		 draw_glyph(GL_ELLIPSIS));
	draw_fill(LINES - 1, 0, COLS, draw_attr(ROLE_SECTION));
	draw_text(LINES - 1, 0, COLS, line, draw_attr(ROLE_SECTION));
	refresh();
	/* Ctrl-C during the freeze waits for the thaw (see tui.c's resnap). */
	term_block_quit_signals(1);
	enum hs_status st = p->src->take(p->src->arg, e->pid, s, h, &err);
	term_block_quit_signals(0);
	if (st == HS_OK) {
		*pid = e->pid;
		return 1;
	}
	p->err_pid = e->pid;
	snprintf(p->err_text, sizeof p->err_text, "%s", err.msg[0] ? err.msg : hs_status_name(st));
	snprintf(line, sizeof line, "cannot attach to PID %d: %s (the reason is above)",
		 (int)e->pid, hs_status_name(st));
	set_msg(p, 1, line);
	return 0;
}

int tui_pick(const struct picker_source *src, pid_t *pid, struct hs_snapshot **s,
	     struct heap **h, int *sig)
{
	struct picker *p = calloc(1, sizeof *p);
	int rc = 1;

	*sig = 0;
	if (!p)
		return HS_ERR_NOMEM;
	p->src = src;
	setlocale(LC_ALL, "");
	if (script_load() < 0) {
		free(p);
		return HS_ERR_USAGE;
	}
	rescan(p);
	if (termdb_note())
		set_msg(p, 0, termdb_note());
	term_start();
	for (;;) {
		if (term_quit_signal())
			break;
		draw_all(p);
		int ch = script_active() ? script_next_key() : term_getkey();
		if (term_quit_signal())
			break;
		if (ch == ERR || ch == KEY_RESIZE)
			continue;
		if (COLS < MIN_COLS || LINES < MIN_LINES) {
			if (ch == 'q')
				break;
			continue;
		}
		if (p->prompt) {
			prompt_key(p, ch);
			continue;
		}
		p->msg[0] = 0;
		size_t page = (size_t)body_height();
		enum request req = keys_request(ch);
		switch (req) {
		case REQ_MOVE_UP: if (p->cur) p->cur--; break;
		case REQ_MOVE_DOWN: if (p->cur + 1 < p->nvis) p->cur++; break;
		case REQ_PAGE_UP: p->cur = p->cur > page ? p->cur - page : 0; break;
		case REQ_PAGE_DOWN: case REQ_TOGGLE:
			p->cur = p->cur + page < p->nvis ? p->cur + page : (p->nvis ? p->nvis - 1 : 0);
			break;
		case REQ_MOVE_FIRST: p->cur = 0; break;
		case REQ_MOVE_LAST: p->cur = p->nvis ? p->nvis - 1 : 0; break;
		case REQ_FILTER: p->prompt = 1; break;
		case REQ_REFRESH:
			rescan(p);
			set_msg(p, 0, "rescanned");
			break;
		case REQ_BACK: case REQ_COLLAPSE:
			if (p->filter[0]) {
				p->filter[0] = 0;
				refilter(p);
			}
			break;
		case REQ_ENTER:
			if (attach(p, pid, s, h)) {
				rc = 0;
				goto out;
			}
			break;
		case REQ_QUIT:
			goto out;
		case REQ_NONE:
			break;
		default:
			set_msg(p, 0, "pick a process first: Enter attaches, / filters, r rescans, q quits");
			break;
		}
	}
out:
	term_stop();
	/* A signal during a successful attach: rc 0 with *sig set, so that the
	 * caller frees the snapshot before it re-raises. */
	*sig = term_quit_signal();
	if (rc != 0)
		script_free();   /* on success the explorer runs the rest */
	free(p->rows);
	free(p->vis);
	free(p);
	return rc;
}
