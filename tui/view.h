/* view — what a screen is, and the state the main loop shares with it.
 *
 * Every screen is a list of rows with a cursor (tig's view model): the
 * loop owns the geometry and movement, a screen supplies its rows through
 * a `struct view_ops` table and reacts to requests.  Handlers never draw:
 * they change state and return TUI_* flags, and tui_run()'s one loop
 * draws (htop's HandlerResult).  Screens live on a stack; the breadcrumb
 * is the stack.
 *
 * A view is opened on a `view_arg` (addresses, not census indices) and
 * can be reopened from it at any time: that is how `r` (a new snapshot)
 * carries every screen over to the new census.
 *
 * A screen may keep a detail panel under its rows (the selected leak
 * suspect's evidence, where a type's new objects are held): the loop
 * takes the panel's lines from the body, so cursor movement and paging
 * only ever see the rows above it.
 */
#ifndef HS_TUI_VIEW_H
#define HS_TUI_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "keys.h"
#include "memsrc.h"
#include "session.h"

/* Handler results, combined with |. */
enum {
	TUI_UNHANDLED = 0,       /* not mine: let the next handler try */
	TUI_HANDLED = 1 << 0,    /* done, nothing visible changed */
	TUI_REDRAW = 1 << 1,     /* redraw the screen */
	TUI_QUIT = 1 << 2,       /* leave the loop */
	TUI_RESNAP = 1 << 3,     /* take a new snapshot, reopen every view */
};

struct tui;
struct view;

/* What a view was opened on; enough to reopen it on a new census. */
struct view_arg {
	raddr_t addr;            /* object (inspect/referrers) or type object (instances) */
	long aux;                /* view-specific (thread index…) */
	char name[96];           /* label for the breadcrumb, e.g. the type name */
};

struct view_ops {
	const char *name;        /* breadcrumb fallback and debug name */
	/* Build v->priv and v->nrows from v->arg; -1 (message in t) if it
	 * cannot (the object is gone after a refresh…). */
	int (*open)(struct tui *t, struct view *v);
	/* Free v->priv.  May be NULL. */
	void (*close)(struct view *v);
	/* Draw the column titles on line y (width w).  NULL: a blank bar. */
	void (*draw_header)(struct tui *t, struct view *v, int y, int w);
	/* Draw row `row` (< v->nrows) on line y; sel = it is under the cursor. */
	void (*draw_row)(struct tui *t, struct view *v, size_t row, int y, int w, int sel);
	/* Can the cursor rest on row?  NULL: every row. */
	int (*selectable)(struct view *v, size_t row);
	/* React to a request; TUI_UNHANDLED passes it to the loop's defaults. */
	int (*request)(struct tui *t, struct view *v, enum request req);
	/* Lines wanted for a detail panel under the rows when the body has h
	 * lines; 0 (or a NULL op): no panel.  The loop grants at most h - 3,
	 * so that a few rows always stay. */
	int (*panel_height)(struct tui *t, struct view *v, int h);
	/* Draw the panel in lines y .. y+h-1 (width w). */
	void (*draw_panel)(struct tui *t, struct view *v, int y, int h, int w);
	/* Called by the loop before each draw: work that may take a while
	 * and that the row under the cursor needs (what the panel shows),
	 * with a tui_busy() line while it runs; draw ops must stay cheap.
	 * May be NULL. */
	void (*prepare)(struct tui *t, struct view *v);
	/* Before a new snapshot (called while the current one, and all that
	 * v->priv points into, still exists; the reopen follows if the new
	 * snapshot could be taken): store in v->arg what open() needs to find
	 * the same place again.  Returns 1 when open() then places the cursor
	 * itself, 0 to have the loop restore the cursor row.  May be NULL
	 * (the cursor row is restored). */
	int (*save)(struct tui *t, struct view *v);
	/* The object under the cursor (what the retainers pane, `w`, shows
	 * the referrers of), 0 for none.  May be NULL (no pane here). */
	raddr_t (*selected)(struct tui *t, struct view *v);
	/* One-line key hints for the footer. */
	const char *hints;
};

struct view {
	const struct view_ops *ops;
	struct view_arg arg;
	void *priv;
	size_t nrows;            /* rows in the body */
	size_t cur, top;         /* cursor row, first row shown */
	int no_cursor;           /* text screens: keys scroll, no cursor bar */
	int panel_h;             /* lines of the detail panel (set by the loop) */
	int split_h;             /* lines of the retainers pane (set by the loop) */
	int hscroll;             /* > <: characters of the long values hidden at the left */
	char crumb[112];         /* this screen's breadcrumb part */
};

#define TUI_MAXDEPTH 24

struct prompt {
	int active;
	const char *label;       /* "/", "address: " */
	char buf[128];
	size_t len;
	int for_filter;          /* 1: the view filters live; 0: jump address;
	                          * 2: search the lines shown (/, then n N) */
};

struct tui {
	struct session ses;
	struct view stack[TUI_MAXDEPTH];
	int depth;
	struct prompt prompt;
	char search[128];        /* the last search (n / N repeat it) */
	int split;               /* the retainers pane is on (w toggles) */
	/* The retainers pane's object and its distance from the nearest root,
	 * cached: finding the path is a graph search, not for every draw. */
	raddr_t split_addr;
	long split_dist;         /* steps from a root; -1 none reaches it */
	char split_root[128];
	size_t search_from;      /* the cursor (top) when the search prompt opened */
	char msg[256];           /* footer message until the next key */
	int msg_error;
};

/* The screen on top of the stack. */
struct view *tui_top(struct tui *t);

/* Push a screen opened on arg.  On failure the stack is unchanged and the
 * message explains.  Returns TUI_REDRAW either way. */
int tui_push(struct tui *t, const struct view_ops *ops, const struct view_arg *arg);
/* The screen keys (o, t, T, ?): pop back to the screen of `ops` if it is
 * on the stack; else open it on the root (the help: on top). */
int tui_goto(struct tui *t, const struct view_ops *ops, const struct view_arg *arg);

/* Handle req as if its key was pressed on the top screen (the screen
 * first, then the loop's defaults).  Returns TUI_* flags. */
int tui_request(struct tui *t, enum request req);
/* Pop the top screen (never the last one).  Returns TUI_REDRAW. */
int tui_back(struct tui *t);

/* Footer message (printf-style); error ones are highlighted. */
void tui_message(struct tui *t, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Draw the footer right now with `msg`: for work that takes seconds
 * (building the graph), the only drawing outside the loop. */
void tui_busy(struct tui *t, const char *msg);

/* Lines v's rows get at the current terminal size (the body minus the
 * detail panel). */
int view_body_height(const struct view *v);

/* The graph, building it on first use (with a busy message); NULL with a
 * footer message when it cannot be built. */
struct graph *tui_graph(struct tui *t);
/* Retained sizes (graph + dominator tree), built on first use with a
 * visible "computing retained sizes" line; NULL with a footer message
 * when they cannot be built. */
struct leaks *tui_leaks(struct tui *t);

/* Put the cursor on row (clamped) and scroll it into view. */
void view_set_cursor(struct view *v, size_t row);

/* The screens (one file each). */
extern const struct view_ops view_overview_ops;
extern const struct view_ops view_types_ops;
extern const struct view_ops view_instances_ops;
extern const struct view_ops view_inspect_ops;
extern const struct view_ops view_referrers_ops;
extern const struct view_ops view_threads_ops;
extern const struct view_ops view_dominators_ops;
extern const struct view_ops view_suspects_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_sortmenu_ops;
extern const struct view_ops view_holders_ops;
extern const struct view_ops view_memory_ops;
extern const struct view_ops view_sites_ops;

/* Opening a screen on an object, for any screen (in tui.c, so that the
 * screens reach each other only through it and their ops tables). */

/* Open the inspector / referrers on an object address (used by several
 * screens and by `:`). */
int view_open_object(struct tui *t, const struct view_ops *ops, raddr_t addr);
/* Open the dominator tree unfolded down to the object at addr, the
 * cursor on it (D on an object). */
int view_open_dominators(struct tui *t, raddr_t addr);
/* view_arg.aux of the dominator tree: unfold down to arg.addr. */
#define VIEW_ARG_REVEAL 1

#endif
